"""
The output folder is a boundary: nothing is written, truncated or appended
through a link that leads out of it (the manifest, output files, sub-folders
a name template makes), a refused path is a typed error naming it, a batch
fails only that task, temporary files have a name only this library makes,
and a task's files are a unit even when the disk fills up mid-task.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gcore_captions import Cue, FileError, OutputSpec, Transcript, write_outputs
from gcore_captions.batch import MANIFEST_NAME, ExportOptions, TaskRecord, aexport_many
from gcore_captions.batch.manifest import Manifest
from gcore_captions.batch.records import FileRecord
from gcore_captions.batch.resume import check_file, remove_stale_temporaries
from gcore_captions.cli import main
from gcore_captions.errors import ExportError
from gcore_captions.gcore import AsyncClient
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.output import atomic
from gcore_captions.output.atomic import is_temporary_name, write_under
from gcore_captions.testing import FakeGcoreAPI, make_tasks

TASKS = make_tasks(4)
IDS = [task["task_id"] for task in TASKS]
TRANSCRIPT = Transcript((Cue(0, 1000, "hello"),), task_id="t-1", language="eng")
BY_LANGUAGE = OutputSpec.parse("srt,vtt", name="{language}/{task_id}.{ext}")


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(TASKS) as server:
        yield server


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the output folder holding a file the tests must never change."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_bytes(b"line one\nline two without a newline")
    return folder


def untouched(outside: Path) -> bool:
    return [p.name for p in outside.iterdir()] == ["precious.txt"] and (
        outside / "precious.txt"
    ).read_bytes() == b"line one\nline two without a newline"


def export(api: FakeGcoreAPI, out: Path, spec: OutputSpec | None = None, **options: Any) -> Any:
    async def go() -> Any:
        policy = RetryPolicy(max_retries=1, sleep_scale=0.001)
        async with AsyncClient(api.api_key, base_url=api.base_url, retry_policy=policy) as client:
            return await aexport_many(
                IDS, out, spec, client=client, options=ExportOptions(**options)
            )

    return asyncio.run(go())


def records(out: Path) -> dict[str, TaskRecord]:
    lines = (out / MANIFEST_NAME).read_bytes().splitlines()
    return {r.task_id: r for r in map(TaskRecord.from_line, lines)}


# The manifest (and the lock) -------------------------------------------------


def test_a_manifest_link_to_a_file_outside_is_refused_before_anything_is_written(
    api: FakeGcoreAPI, tmp_path: Path, outside: Path
) -> None:
    """The tail repair used to cut the outside file's last line and append records to it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST_NAME).symlink_to(outside / "precious.txt")
    with pytest.raises(ExportError, match="symbolic link") as caught:
        export(api, out)
    assert str(out / MANIFEST_NAME) in str(caught.value)
    assert untouched(outside)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME]
    assert api.requests == []


def test_a_manifest_link_inside_the_folder_is_refused_too(tmp_path: Path) -> None:
    """The manifest is the export's own file: it is never used through any link."""
    (tmp_path / "real.jsonl").write_bytes(b"")
    (tmp_path / MANIFEST_NAME).symlink_to("real.jsonl")
    with pytest.raises(ExportError, match="symbolic link"):
        Manifest.open(tmp_path)
    Manifest.open(tmp_path / "fresh").close()


def test_a_manifest_with_another_hard_link_is_refused(tmp_path: Path, outside: Path) -> None:
    """Appending to a hard-linked manifest would change the file behind its other name."""
    out = tmp_path / "out"
    out.mkdir()
    os.link(outside / "precious.txt", out / MANIFEST_NAME)
    with pytest.raises(ExportError, match="2 hard links"):
        Manifest.open(out)
    assert untouched(outside)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_manifest_that_is_a_fifo_or_folder_is_refused_without_waiting(
    tmp_path: Path, kind: str
) -> None:
    """A FIFO would block every read; a folder is no manifest."""
    if kind == "fifo":
        os.mkfifo(tmp_path / MANIFEST_NAME)
    else:
        (tmp_path / MANIFEST_NAME).mkdir()
    with pytest.raises(ExportError, match=MANIFEST_NAME):
        Manifest.open(tmp_path)


def test_a_symlinked_output_folder_works_and_is_locked_as_its_real_folder(
    api: FakeGcoreAPI, tmp_path: Path
) -> None:
    """Users pass linked folders: the files, the manifest and the lock are the real folder's,
    and a rerun through the link skips every task."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    report = export(api, link, BY_LANGUAGE)
    assert report.written == len(IDS)
    assert sorted(p.name for p in (real / "en").iterdir()) == sorted(
        f"{i}.{ext}" for i in IDS for ext in ("srt", "vtt")
    )
    assert set(records(real)) == set(IDS)
    assert export(api, link, BY_LANGUAGE).skipped == len(IDS)
    held = Manifest.open(link)
    try:
        with pytest.raises(ExportError, match="another export"):
            Manifest.open(real)
    finally:
        held.close()


# Sub-folders and files --------------------------------------------------------


def test_a_linked_sub_folder_leading_outside_is_refused_naming_the_file(
    tmp_path: Path, outside: Path
) -> None:
    """A linked en/ used to receive the files; now the write is refused and nothing lands."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "en").symlink_to(outside)
    with pytest.raises(FileError) as caught:
        write_outputs(TRANSCRIPT, BY_LANGUAGE, out)
    message = str(caught.value)
    assert str(out / "en" / "t-1.srt") in message
    assert "outside the output folder" in message
    assert caught.value.path == str(out / "en" / "t-1.srt")
    assert untouched(outside)


def test_a_link_chain_that_ends_outside_is_refused(tmp_path: Path, outside: Path) -> None:
    """en -> lang (inside) -> outside: each hop is checked, not just the first."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "lang").symlink_to(outside)
    (out / "en").symlink_to("lang")
    with pytest.raises(FileError, match="outside the output folder"):
        write_outputs(TRANSCRIPT, BY_LANGUAGE, out)
    assert untouched(outside)


def test_a_link_that_stays_inside_the_folder_is_followed(tmp_path: Path) -> None:
    """en -> english, de -> ../out/german (out and back by name) and a chain through '.'
    all resolve inside the folder's real path, so they are used."""
    out = tmp_path / "out"
    (out / "english").mkdir(parents=True)
    (out / "en").symlink_to("english")
    write_outputs(TRANSCRIPT, BY_LANGUAGE, out)
    assert sorted(p.name for p in (out / "english").iterdir()) == ["t-1.srt", "t-1.vtt"]
    (out / "german").mkdir()
    (out / "de").symlink_to("../out/german")
    german = Transcript(TRANSCRIPT.cues, task_id="t-2", language="ger")
    write_outputs(german, BY_LANGUAGE, out)
    assert sorted(p.name for p in (out / "german").iterdir()) == ["t-2.srt", "t-2.vtt"]
    (out / "here").symlink_to(".")
    write_under(out, [("here/here/x.txt", b"x")])
    assert (out / "x.txt").read_bytes() == b"x"


def test_deep_folders_are_made_and_a_link_loop_is_refused(tmp_path: Path) -> None:
    """Sixty new levels are made one by one; a link to itself ends with a FileError."""
    deep = "d/" * 60 + "x.txt"
    assert write_under(tmp_path, [(deep, b"x")]) == [deep]
    assert (tmp_path / deep).read_bytes() == b"x"
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(FileError, match="too many symbolic links"):
        write_under(tmp_path, [("loop/x.txt", b"x")])


def test_the_boundary_is_the_real_path_of_a_linked_output_folder(tmp_path: Path) -> None:
    """Through a linked output folder, a sub-folder link to a sibling of the real folder is
    outside; one to a folder inside the real folder (named through the link) is inside."""
    real = tmp_path / "real"
    (real / "fr").mkdir(parents=True)
    (tmp_path / "sibling").mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    (real / "en").symlink_to(tmp_path / "sibling")
    (real / "de").symlink_to(link / "fr")
    with pytest.raises(FileError, match="outside the output folder"):
        write_under(link, [("en/a.srt", b"a")])
    write_under(link, [("de/b.srt", b"b")])
    assert (real / "fr" / "b.srt").read_bytes() == b"b"
    assert list((tmp_path / "sibling").iterdir()) == []


def test_a_file_where_a_folder_should_go_is_refused(tmp_path: Path) -> None:
    (tmp_path / "en").write_bytes(b"a file")
    with pytest.raises(FileError, match="is not a folder"):
        write_outputs(TRANSCRIPT, BY_LANGUAGE, tmp_path)
    assert (tmp_path / "en").read_bytes() == b"a file"


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_fifo_where_a_file_should_go_is_refused_and_the_unit_not_placed(
    tmp_path: Path, kind: str
) -> None:
    """Checked before any rename: the task's other file is not placed either."""
    blocker = tmp_path / "t-1.vtt"
    if kind == "folder":
        blocker.mkdir()
    else:
        os.mkfifo(blocker)
    with pytest.raises(FileError, match="not a file; not replaced"):
        write_outputs(TRANSCRIPT, OutputSpec.parse("srt,vtt"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-1.vtt"]
    records = write_outputs(TRANSCRIPT, OutputSpec.parse("srt,vtt"), tmp_path, clobber=False)
    assert [r.written for r in records] == [True, False]


def test_a_hard_linked_destination_is_replaced_and_its_other_name_keeps_the_old_bytes(
    tmp_path: Path, outside: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.link(outside / "precious.txt", out / "t-1.srt")
    write_outputs(TRANSCRIPT, OutputSpec.parse("srt"), out)
    assert untouched(outside)
    assert b"hello" in (out / "t-1.srt").read_bytes()


def test_paths_that_leave_the_folder_are_refused(tmp_path: Path) -> None:
    """Given paths are checked by the naming rules; the writer refuses '..' on its own."""
    with pytest.raises(ExportError, match="refusing output name"):
        write_outputs(TRANSCRIPT, OutputSpec.parse("srt"), tmp_path / "out", paths=["../x.srt"])
    for bad in ("../x.srt", "a/../../x.srt", "/etc/x.srt", "a//x.srt"):
        with pytest.raises(FileError, match="does not stay inside"):
            write_under(tmp_path / "out", [(bad, b"x")])
    assert not (tmp_path / "x.srt").exists()


def test_a_folder_swapped_for_a_link_after_it_was_opened_is_not_followed(
    tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is held open between the check and the write: swapping en/ for a link
    to elsewhere while the file is written sends nothing there (it lands in the folder
    that was checked, wherever it was moved to)."""
    out = tmp_path / "out"
    (out / "en").mkdir(parents=True)
    write = atomic._write_all

    def swap_then_write(fd: int, data: bytes) -> None:
        if not (out / "en").is_symlink():
            (out / "en").rename(out / "en-moved")
            (out / "en").symlink_to(outside)
        write(fd, data)

    monkeypatch.setattr(atomic, "_write_all", swap_then_write)
    write_outputs(TRANSCRIPT, BY_LANGUAGE, out)
    assert untouched(outside)
    assert sorted(p.name for p in (out / "en-moved").iterdir()) == ["t-1.srt", "t-1.vtt"]


def test_a_refused_sub_folder_fails_only_that_task_in_a_batch(
    api: FakeGcoreAPI, tmp_path: Path, outside: Path
) -> None:
    """One task's folder is a link out: that task is recorded as failed, the others written."""
    out = tmp_path / "out"
    out.mkdir()
    (out / IDS[0]).symlink_to(outside)
    spec = OutputSpec.parse("srt", name="{task_id}/{language}.{ext}")
    report = export(api, out, spec)
    assert (report.written, report.failed) == (len(IDS) - 1, 1)
    assert untouched(outside)
    failed = records(out)[IDS[0]]
    assert failed.status == "failed"
    assert failed.error_type == "FileError"
    assert failed.error is not None
    assert "outside the output folder" in failed.error
    assert all((out / task_id / "en.srt").is_file() for task_id in IDS[1:])


def test_convert_and_fetch_keep_to_the_folder_too(
    api: FakeGcoreAPI, tmp_path: Path, outside: Path
) -> None:
    """`convert -o DIR` through a linked DIR works; an output file that is a link to a
    file outside is replaced, never written through; `fetch -o DIR` the same."""
    source = tmp_path / "talk.srt"
    source.write_text("1\n00:00:00,000 --> 00:00:01,000\nhello\n", encoding="utf-8")
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    (real / "talk.vtt").symlink_to(outside / "precious.txt")
    runner = CliRunner()
    result = runner.invoke(
        main, ["convert", str(source), "--to", "vtt", "-o", str(tmp_path / "link")]
    )
    assert result.exit_code == 0, result.output
    assert not (real / "talk.vtt").is_symlink()
    (real / f"{IDS[0]}.srt").symlink_to(outside / "precious.txt")
    env = {"GCORE_API_KEY": api.api_key, "GCORE_BASE_URL": api.base_url}
    result = runner.invoke(main, ["fetch", IDS[0], "-o", str(tmp_path / "link")], env=env)
    assert result.exit_code == 0, result.output
    assert not (real / f"{IDS[0]}.srt").is_symlink()
    assert untouched(outside)


# Resume checks and the start-up cleanup -----------------------------------------


@pytest.mark.timeout(10)
def test_resume_never_reads_through_a_link_or_waits_on_a_fifo(
    tmp_path: Path, outside: Path
) -> None:
    """A recorded file that became a link (even to identical bytes) or a FIFO, or whose
    folder became a link out, is not complete: the task is redone."""
    out = tmp_path / "out"
    out.mkdir()
    data = (outside / "precious.txt").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    record = FileRecord(path="a.srt", format="srt", bytes=len(data), sha256=digest)
    (out / "a.srt").symlink_to(outside / "precious.txt")
    assert check_file(str(out), record) == "is a symbolic link"
    (out / "a.srt").unlink()
    os.mkfifo(out / "a.srt")
    assert check_file(str(out), record) == "not a regular file"
    (out / "en").symlink_to(outside)
    (outside / "a.srt").write_bytes(data)
    nested = FileRecord(path="en/a.srt", format="srt", bytes=len(data), sha256=digest)
    problem = check_file(str(out), nested)
    assert problem is not None
    assert "outside the output folder" in problem
    (out / "a.srt").unlink()
    (out / "a.srt").write_bytes(data)
    assert check_file(str(out), record) is None


def test_cleanup_does_not_follow_a_linked_folder(tmp_path: Path, outside: Path) -> None:
    ours = ".gcore-captions-0123456789abcdef.tmp"
    (outside / ours).write_bytes(b"not under the folder")
    out = tmp_path / "out"
    out.mkdir()
    (out / "en").symlink_to(outside)
    (out / ours).write_bytes(b"stale")
    assert remove_stale_temporaries(str(out)) == 1
    assert (outside / ours).exists()


def test_temporary_names_are_fixed_length_and_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a file is written its temporary name is ours (and 36 bytes, whatever the
    destination), so a 255-byte output name works."""
    seen: list[str] = []
    write = atomic._write_all

    def look(fd: int, data: bytes) -> None:
        seen.extend(p.name for p in tmp_path.iterdir())
        write(fd, data)

    monkeypatch.setattr(atomic, "_write_all", look)
    long_id = "x" * 251
    records = write_outputs(
        TRANSCRIPT, OutputSpec.parse("srt"), tmp_path, fields={"task_id": long_id}
    )
    assert records[0].path == f"{long_id}.srt"
    assert len(os.fsencode(records[0].path)) == 255
    assert (tmp_path / f"{long_id}.srt").is_file()
    assert len(seen) == 1
    assert is_temporary_name(seen[0])
    assert len(seen[0]) == 36
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{long_id}.srt"]


# A task's files are a unit ----------------------------------------------------


def test_a_full_disk_on_a_later_format_leaves_none_of_the_tasks_files(
    api: FakeGcoreAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while writing the second file of a task: neither file of the task exists, no
    temporary file stays, and the manifest records the failure; a rerun writes both."""
    write = atomic._write_all
    files = [0]

    def full_on_second_file(fd: int, data: bytes) -> None:
        # One writer: files 1, 2 are the first task's srt, vtt; 3, 4 the next task's...
        files[0] += 1
        if files[0] % 2 == 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(fd, data)

    monkeypatch.setattr(atomic, "_write_all", full_on_second_file)
    spec = OutputSpec.parse("srt,vtt")
    report = export(api, tmp_path, spec, concurrency=1)
    assert report.failed == len(IDS)
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME]
    for record in records(tmp_path).values():
        assert record.status == "failed"
        assert record.error is not None
        assert "No space left on device" in record.error
        assert record.files == ()
    monkeypatch.setattr(atomic, "_write_all", write)
    assert export(api, tmp_path, spec).written == len(IDS)
    assert len(list(tmp_path.glob("*.vtt"))) == len(list(tmp_path.glob("*.srt"))) == len(IDS)
