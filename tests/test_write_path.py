"""
The one write path: options as values, ``OutputSpec``, ``write_outputs`` and
atomic writes, and the commands that use them (``--no-clobber``, stdout).
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions import (
    AssOptions,
    AssStyle,
    Cue,
    ExportOptions,
    FileError,
    FormatError,
    OutputSpec,
    SrtOptions,
    TextOptions,
    Transcript,
    VttOptions,
    export_many,
    render,
    save,
    write_outputs,
)
from gcore_captions.batch import MANIFEST_NAME, TaskRecord
from gcore_captions.cli import main
from gcore_captions.errors import ExportError
from gcore_captions.output import write_files
from gcore_captions.testing import FakeGcoreAPI, make_tasks

ROOT = Path(__file__).resolve().parents[1]
FUNGI = ROOT / "samples" / "fungi-in-a-forest.json"
TRANSCRIPT = Transcript(
    (Cue(0, 1000, "Grüß Gott, bonjour"), Cue(1500, 2500, "two\nlines", speaker="Ana")),
    task_id="t-1",
    language="eng",
)


# Options as values -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "options", "message"),
    [
        ("txt", {"timestamps": "no"}, "txt option timestamps must be true or false, not 'no'"),
        ("txt", {"speaker_labels": "false"}, "speaker_labels must be true or false"),
        ("srt", {"start_index": -3}, "srt option start_index must be 0 or more, not -3"),
        ("srt", {"start_index": True}, "start_index must be a whole number"),
        ("srt", {"start_idx": 2}, "the srt writer has no option 'start_idx'; its options: start"),
        ("json", {"indent": "2"}, "json option indent must be a whole number or none"),
        ("vtt", {"identifiers": "all"}, "identifiers must be one of 'auto', 'numbers'"),
        ("ass", {"size": float("nan")}, "ass option size must be a number"),
        ("ass", {"wrap_style": 9}, "wrap_style must be one of 0, 1, 2, 3"),
        ("vtt", {"metadata": "Kind: captions"}, "metadata must be key: value pairs"),
    ],
)
def test_a_bad_option_from_python_is_a_format_error_naming_it(
    fmt: str, options: dict[str, object], message: str
) -> None:
    """Wrong types, values out of range and misspelt names fail in render() as from -O."""
    with pytest.raises(FormatError) as caught:
        render(TRANSCRIPT, fmt, **options)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_options_are_frozen_hashable_values_and_equal_by_content() -> None:
    """Two equal options values are one value (a dict key, a set member)."""
    assert SrtOptions(start_index=0) == SrtOptions(start_index=0)
    assert (
        len(
            {
                VttOptions(metadata={"Kind": "captions"}),
                VttOptions(metadata=(("Kind", "captions"),)),
            }
        )
        == 1
    )
    with pytest.raises(AttributeError):
        SrtOptions().start_index = 3  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(AssOptions(style=AssStyle(size=48)))).style.size == 48
    assert render(TRANSCRIPT, "srt", SrtOptions(start_index=7)).startswith("7\n")
    with pytest.raises(FormatError, match="takes SrtOptions, not VttOptions"):
        render(TRANSCRIPT, "srt", VttOptions())
    with pytest.raises(FormatError, match="not both"):
        render(TRANSCRIPT, "srt", SrtOptions(), start_index=2)


def test_dash_o_is_read_by_walking_the_options_fields() -> None:
    """-O values are typed by the dataclass fields, nested ASS style fields included."""
    spec = OutputSpec.parse(
        "ass,vtt,txt",
        option_text=[
            "size=48",
            "ass.font=Noto Sans",
            "wrap_style=2",
            "metadata=Kind: captions; Language: en",
            "timestamps=yes",
            "paragraph_chars=none",
        ],
    )
    ass, vtt, txt = spec.outputs
    assert isinstance(ass, AssOptions)
    assert isinstance(vtt, VttOptions)
    assert isinstance(txt, TextOptions)
    assert (ass.style.size, ass.style.font, ass.wrap_style) == (48, "Noto Sans", 2)
    assert vtt.metadata == (("Kind", "captions"), ("Language", "en"))
    assert (txt.timestamps, txt.paragraph_chars) == (True, None)
    with pytest.raises(FormatError, match="no writer among srt has an option 'size'"):
        OutputSpec.parse("srt", option_text=["size=48"])
    with pytest.raises(FormatError, match=r"ass\.size is for ass, which is not among"):
        OutputSpec.parse("srt", option_text=["ass.size=48"])
    with pytest.raises(FormatError, match="size takes a number, not 'big'"):
        OutputSpec.parse("ass", option_text=["size=big"])


# OutputSpec --------------------------------------------------------------------


def test_spec_is_hashable_with_a_stable_serialisation() -> None:
    """Equal specs hash alike and print the same JSON; defaults are not spelled out."""
    one = OutputSpec.parse("srt,vtt", preset="netflix", option_text=["vtt.identifiers=none"])
    two = OutputSpec(
        outputs=(SrtOptions(), VttOptions(identifiers="none")),
        preset=one.preset,
    )
    assert one == two
    assert hash(one) == hash(two)
    assert one.fingerprint == two.fingerprint
    data = one.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["outputs"] == [
        {"format": "srt", "options": {}},
        {"format": "vtt", "options": {"identifiers": "none"}},
    ]
    assert data["preset"]["name"] == "netflix"
    # Stable across processes (no hash randomisation, no object ids in it).
    code = (
        "from gcore_captions import OutputSpec;"
        "print(OutputSpec.parse('srt,vtt', preset='netflix',"
        " option_text=['vtt.identifiers=none']).fingerprint)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "random"}
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert other.stdout.strip() == one.fingerprint
    with pytest.raises(FormatError, match="a format is named twice"):
        OutputSpec(outputs=(SrtOptions(), SrtOptions(start_index=0)))
    with pytest.raises(FormatError, match="passes need a preset"):
        OutputSpec(outputs=(SrtOptions(),), passes=("overlaps",))
    with pytest.raises(FormatError, match="unknown pass"):
        OutputSpec.parse("srt", preset="bbc", passes="overlap")
    with pytest.raises(FormatError, match="unknown format 'docx'"):
        OutputSpec.parse("srt,docx")


def test_the_spec_fingerprint_is_independent_of_option_order_and_spelling() -> None:
    """The same recipe given differently is the same recipe."""
    a = OutputSpec.parse("webvtt", option_text=["voices=false", "start_index=3"])
    b = OutputSpec.parse(["vtt"], options={"vtt": {"start_index": 3, "voices": False}})
    assert a.fingerprint == b.fingerprint


# write_outputs and atomic writes ---------------------------------------------------


def test_write_outputs_names_renders_and_records(tmp_path: Path) -> None:
    """Every output under the template's name, with sizes and checksums recorded."""
    spec = OutputSpec.parse("srt,vtt", name="{language}/{task_id}.{ext}", preset="netflix")
    records = write_outputs(TRANSCRIPT, spec, tmp_path)
    assert [r.path for r in records] == ["en/t-1.srt", "en/t-1.vtt"]
    assert all(r.written for r in records)
    assert (tmp_path / "en" / "t-1.srt").stat().st_size == records[0].bytes


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_umasks(tmp_path: Path) -> None:
    """chmod 600 on a caption file survives a rewrite; a new file is 0666 less the umask."""
    path = tmp_path / "a.srt"
    save(TRANSCRIPT, path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o600)
    save(Transcript((Cue(0, 1, "new"),)), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "new" in path.read_text(encoding="utf-8")


def test_a_symlink_at_the_destination_is_replaced_never_written_through(tmp_path: Path) -> None:
    """The link is replaced by the new file; the file it pointed to is untouched."""
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("precious", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "t-1.srt").symlink_to(outside)
    write_outputs(TRANSCRIPT, OutputSpec.parse("srt"), folder)
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (folder / "t-1.srt").is_symlink()
    assert "Grüß Gott" in (folder / "t-1.srt").read_text(encoding="utf-8")


def test_files_are_written_as_a_unit(tmp_path: Path) -> None:
    """When one file of a set cannot be written, none is replaced and no temporary file stays;
    the error names the destination, never the hidden temporary file."""
    good = tmp_path / "a.srt"
    good.write_text("old", encoding="utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(FileError) as caught:
        write_files([(str(good), b"new"), (str(blocker / "b.srt"), b"new")])
    assert good.read_text(encoding="utf-8") == "old"
    assert str(blocker / "b.srt") in str(caught.value)
    assert ".tmp" not in str(caught.value)
    assert isinstance(caught.value, OSError)
    assert caught.value.os_error is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.srt", "not-a-folder"]


def test_no_clobber_leaves_existing_files_alone(tmp_path: Path) -> None:
    """clobber=False writes new files and leaves every existing one (file or link) as it is."""
    (tmp_path / "t-1.srt").write_text("mine", encoding="utf-8")
    (tmp_path / "t-1.vtt").symlink_to(tmp_path / "missing-target")
    records = write_outputs(TRANSCRIPT, OutputSpec.parse("srt,vtt,txt"), tmp_path, clobber=False)
    assert [r.written for r in records] == [False, False, True]
    assert (tmp_path / "t-1.srt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "t-1.vtt").is_symlink()
    assert (tmp_path / "t-1.txt").exists()


def test_a_transcript_that_cannot_be_rendered_leaves_nothing(tmp_path: Path) -> None:
    """Everything is rendered before anything is written."""
    # The time is refused by every writer (FormatError); a lone surrogate,
    # which used to be the example here, is now written as U+FFFD.
    broken = Transcript((Cue(0, 10**30, "too late"),), task_id="t-1")
    with pytest.raises(FormatError):
        write_outputs(broken, OutputSpec.parse("srt,vtt"), tmp_path)
    assert list(tmp_path.iterdir()) == []


# The commands --------------------------------------------------------------------------


def cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_convert_refuses_several_inputs_to_stdout(tmp_path: Path) -> None:
    """Two documents on stdout would run together into one invalid file: exit 2."""
    other = tmp_path / "other.json"
    other.write_bytes(FUNGI.read_bytes())
    code, out, err = cli("convert", str(FUNGI), str(other), "--to", "srt", "-o", "-")
    assert code == 2
    assert out == ""
    assert "takes one input" in err


def test_convert_no_clobber(tmp_path: Path) -> None:
    """--no-clobber writes the missing formats and reports the existing file it left."""
    (tmp_path / "fungi-in-a-forest.srt").write_text("hand-edited", encoding="utf-8")
    code, _, err = cli("convert", str(FUNGI), "--to", "srt,vtt", "-o", str(tmp_path), "-n")
    assert code == 0, err
    assert (tmp_path / "fungi-in-a-forest.srt").read_text(encoding="utf-8") == "hand-edited"
    assert (tmp_path / "fungi-in-a-forest.vtt").exists()
    assert "fungi-in-a-forest.srt exists; left alone (--no-clobber)" in err
    code, _, err = cli("convert", str(FUNGI), "--to", "srt", "-o", str(tmp_path))
    assert code == 0, err
    assert "hand-edited" not in (tmp_path / "fungi-in-a-forest.srt").read_text(encoding="utf-8")


def test_convert_missing_input_is_one_line(tmp_path: Path) -> None:
    """A missing input file is a one-line error naming it, and exit 1."""
    code, _, err = cli("convert", str(tmp_path / "nope.vtt"), "-o", str(tmp_path))
    assert code == 1
    assert (
        err.strip()
        == f"gcore-captions: error: cannot read {tmp_path / 'nope.vtt'}: No such file or directory"
    )


def test_fetch_no_clobber() -> None:
    """fetch --no-clobber leaves an existing file and writes the others."""
    tasks = make_tasks(1)
    task_id = tasks[0]["task_id"]
    with FakeGcoreAPI(tasks) as api, CliRunner().isolated_filesystem():
        Path(f"{task_id}.srt").write_text("mine", encoding="utf-8")
        result = CliRunner().invoke(
            main, ["fetch", task_id, "--to", "srt,vtt", "-o", ".", "--no-clobber"], env=api.env
        )
        assert result.exit_code == 0, result.stderr
        assert Path(f"{task_id}.srt").read_text(encoding="utf-8") == "mine"
        assert Path(f"{task_id}.vtt").exists()
        assert "left alone" in result.stderr


def test_export_no_clobber_leaves_files_it_did_not_write(tmp_path: Path) -> None:
    """A file already in the folder that no export wrote is left alone; the export's own files
    are still rewritten when the recipe changes."""
    tasks = make_tasks(2)
    ids = [t["task_id"] for t in tasks]
    (tmp_path / f"{ids[0]}.srt").write_text("mine", encoding="utf-8")
    with FakeGcoreAPI(tasks) as api:
        code, _, err = cli("export", *ids, "-o", str(tmp_path), "--no-clobber", env=api.env)
        assert code == 0, err
        assert (tmp_path / f"{ids[0]}.srt").read_text(encoding="utf-8") == "mine"
        before = (tmp_path / f"{ids[1]}.srt").read_text(encoding="utf-8")
        code, _, err = cli(
            "export", *ids, "-o", str(tmp_path), "--no-clobber", "-O", "start_index=0", env=api.env
        )
        assert code == 0, err
    assert (tmp_path / f"{ids[0]}.srt").read_text(encoding="utf-8") == "mine"
    after = (tmp_path / f"{ids[1]}.srt").read_text(encoding="utf-8")
    assert before.startswith("1\n")
    assert after.startswith("0\n")
    records = {
        r.task_id: r
        for r in map(TaskRecord.from_line, (tmp_path / MANIFEST_NAME).read_bytes().splitlines())
    }
    assert any("left alone" in w for w in records[ids[0]].warnings)


def test_the_spec_decides_resume_through_the_cli(tmp_path: Path) -> None:
    """Unchanged spec: skipped; another -O value or --crlf: rewritten."""
    tasks = make_tasks(2)
    ids = [t["task_id"] for t in tasks]
    with FakeGcoreAPI(tasks) as api:

        def export(*extra: str) -> dict[str, object]:
            code, out, err = cli("export", *ids, "-o", str(tmp_path), "--json", *extra, env=api.env)
            assert code == 0, err
            return json.loads(out)  # type: ignore[no-any-return]

        assert export()["written"] == 2
        assert export()["skipped"] == 2
        assert export("-O", "speaker_labels=true")["written"] == 2
        assert export("-O", "speaker_labels=true")["skipped"] == 2
        assert export("-O", "speaker_labels=true", "--crlf")["written"] == 2
        assert export("-O", "speaker_labels=true", "--crlf", "--reflow", "bbc")["written"] == 2


def test_the_spec_decides_resume_through_the_library(tmp_path: Path) -> None:
    """export_many with the same spec skips; with another spec it rewrites."""
    tasks = make_tasks(3)
    ids = [t["task_id"] for t in tasks]
    with FakeGcoreAPI(tasks) as api:
        keys = {"api_key": api.api_key, "base_url": api.base_url}
        spec = OutputSpec.parse("srt", preset="netflix")
        assert export_many(ids, tmp_path, spec, **keys).written == 3
        assert (
            export_many(ids, tmp_path, OutputSpec.parse("srt", preset="netflix"), **keys).skipped
            == 3
        )
        other = spec.replace(outputs=(SrtOptions(speaker_labels=True),))
        assert export_many(ids, tmp_path, other, **keys).written == 3
        with pytest.raises(ExportError, match="concurrency"):
            ExportOptions(concurrency=0)
        with pytest.raises(ExportError, match="has no field"):
            export_many(ids, tmp_path, OutputSpec.parse("srt", name="fixed.srt"), **keys)


def test_save_takes_options_in_the_format_position(tmp_path: Path) -> None:
    """save(t, path, TextOptions(...)) writes with those options instead of crashing."""
    save(TRANSCRIPT, tmp_path / "a.txt", TextOptions(timestamps=True))
    assert (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("[00:00:00] ")
    with pytest.raises(FormatError, match="once"):
        save(TRANSCRIPT, tmp_path / "b.txt", TextOptions(), options=TextOptions())
