"""
The manifest: durable append, last line wins, torn and invalid lines
tolerated, compaction, folder lock, and the skip/redo decisions built on it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.batch.fingerprints import FingerprintMap, FingerprintSet, fingerprint
from gcore_captions.batch.inputs import aiter_ids, parse_id_lines
from gcore_captions.batch.manifest import MANIFEST_NAME, Manifest
from gcore_captions.batch.plan import ClaimRegistry, decide
from gcore_captions.batch.ratelimit import TokenBucket
from gcore_captions.batch.records import FileRecord, TaskRecord
from gcore_captions.batch.report import MAX_FAILURES_KEPT, ExportReport
from gcore_captions.batch.resume import check_file, remove_stale_temporaries
from gcore_captions.errors import ExportError
from gcore_captions.output import OutputSpec


def written(task_id: str, path: str = "", data: bytes = b"x", recipe: str = "r") -> TaskRecord:
    file = FileRecord(
        path=path or f"{task_id}.srt",
        format="srt",
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return TaskRecord(task_id=task_id, status="written", files=(file,), recipe=recipe, cues=1)


def test_record_round_trips_through_a_line() -> None:
    """A record written as a line reads back equal, and the line is one JSON object."""
    record = written("a").replace(languages=("eng", "ger"), warnings=("cue 2: x [y]",))
    line = record.to_line()
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    assert TaskRecord.from_line(line) == record
    assert json.loads(line)["files"][0]["path"] == "a.srt"


@pytest.mark.parametrize(
    "line",
    [b'{"task_id": "a", "sta', b"[]", b'{"task_id": "a", "status": "weird"}', b"not json"],
)
def test_invalid_lines_are_rejected(line: bytes) -> None:
    """Torn, non-object and unknown-status lines are not records."""
    with pytest.raises(ValueError):  # noqa: PT011 - json and our own checks both raise it
        TaskRecord.from_line(line)


def test_last_line_per_task_wins(tmp_path: Path) -> None:
    """After appends, a new run sees each task's last record."""
    manifest = Manifest.open(tmp_path)
    manifest.append(written("a"))
    manifest.append(TaskRecord(task_id="a", status="failed", error="boom"))
    manifest.append(written("b"))
    manifest.close()
    again = Manifest.open(tmp_path)
    a, b = again.lookup("a"), again.lookup("b")
    assert a is not None
    assert a.status == "failed"
    assert a.error == "boom"
    assert b is not None
    assert b.status == "written"
    assert again.lookup("c") is None
    assert again.notes == []
    again.close()


def test_torn_last_line_is_dropped_with_a_note(tmp_path: Path) -> None:
    """A torn tail (a killed run) is ignored and cut, so the next append starts a clean line."""
    manifest = Manifest.open(tmp_path)
    manifest.append(written("a"))
    manifest.close()
    path = tmp_path / MANIFEST_NAME
    with path.open("ab") as handle:
        handle.write(written("b").to_line()[:25])
    again = Manifest.open(tmp_path)
    assert any("torn last line" in note for note in again.notes)
    assert again.lookup("b") is None
    assert again.lookup("a") is not None
    again.append(written("c"))
    again.close()
    lines = path.read_bytes().splitlines()
    assert [TaskRecord.from_line(line).task_id for line in lines] == ["a", "c"]


def test_complete_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    """A last line that is whole but lacks its newline is kept and terminated."""
    path = tmp_path / MANIFEST_NAME
    path.write_bytes(written("a").to_line().rstrip(b"\n"))
    manifest = Manifest.open(tmp_path)
    assert manifest.lookup("a") is not None
    manifest.append(written("b"))
    manifest.close()
    assert len(path.read_bytes().splitlines()) == 2


def test_invalid_middle_line_is_ignored_with_a_note(tmp_path: Path) -> None:
    """Garbage inside the file is skipped with a note naming its line."""
    path = tmp_path / MANIFEST_NAME
    path.write_bytes(written("a").to_line() + b"garbage\n" + written("b").to_line())
    manifest = Manifest.open(tmp_path)
    assert manifest.lookup("a") is not None
    assert manifest.lookup("b") is not None
    assert any("line 2" in note for note in manifest.notes)
    manifest.close()


def test_compaction_keeps_only_last_lines(tmp_path: Path) -> None:
    """Compaction rewrites the manifest with one line per task and no temporary left over."""
    manifest = Manifest.open(tmp_path)
    for status in ("failed", "not_finished"):
        manifest.append(TaskRecord(task_id="a", status=status, error="e"))  # type: ignore[arg-type]
    manifest.append(written("b"))
    manifest.append(written("a"))
    manifest.compact()
    lines = (tmp_path / MANIFEST_NAME).read_bytes().splitlines()
    records = [TaskRecord.from_line(line) for line in lines]
    assert [(r.task_id, r.status) for r in records] == [("b", "written"), ("a", "written")]
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME]


def test_failed_compaction_still_releases_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compaction that cannot write (disk full) keeps the old manifest and unlocks the folder."""
    manifest = Manifest.open(tmp_path)
    manifest.append(written("a"))
    before = (tmp_path / MANIFEST_NAME).read_bytes()

    def disk_full(path: str, **where: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("gcore_captions.batch.manifest.atomic_writer", disk_full)
    with pytest.raises(OSError, match="No space"):
        manifest.compact()
    assert (tmp_path / MANIFEST_NAME).read_bytes() == before
    Manifest.open(tmp_path).close()


def test_folder_is_locked_while_open(tmp_path: Path) -> None:
    """A second export into the same folder is refused while the first runs."""
    first = Manifest.open(tmp_path)
    with pytest.raises(ExportError, match="another export"):
        Manifest.open(tmp_path)
    first.close()
    Manifest.open(tmp_path).close()


def test_owner_of_a_path_is_the_task_whose_last_record_lists_it(tmp_path: Path) -> None:
    """A file belongs to a task only while that task's last record lists it."""
    manifest = Manifest.open(tmp_path)
    manifest.append(written("a", path="en.srt"))
    manifest.append(written("b", path="de.srt"))
    manifest.append(written("b", path="b.srt"))
    manifest.close()
    again = Manifest.open(tmp_path)
    assert again.owner("en.srt") == "a"
    assert again.owner("EN.srt") == "a"
    assert again.owner("de.srt") is None
    assert again.owner("b.srt") == "b"
    again.close()


def test_decide_skips_only_complete_unchanged_tasks(tmp_path: Path) -> None:
    """Skip needs status written, the same recipe and every file intact; else redo."""
    record = written("a", data=b"hello")
    (tmp_path / "a.srt").write_bytes(b"hello")

    def check(file: FileRecord) -> str | None:
        return check_file(str(tmp_path), file)

    assert decide(record, recipe="r", force=False, check_file=check).skip
    assert not decide(record, recipe="r", force=True, check_file=check).skip
    assert not decide(None, recipe="r", force=False, check_file=check).skip
    assert not decide(record, recipe="other", force=False, check_file=check).skip
    failed = TaskRecord(task_id="a", status="failed", error="x")
    assert decide(failed, recipe="r", force=False, check_file=check).reason == "was failed"
    (tmp_path / "a.srt").write_bytes(b"hellO")
    assert "content changed" in decide(record, recipe="r", force=False, check_file=check).reason
    (tmp_path / "a.srt").write_bytes(b"hi")
    assert "size changed" in decide(record, recipe="r", force=False, check_file=check).reason
    (tmp_path / "a.srt").unlink()
    assert "missing" in decide(record, recipe="r", force=False, check_file=check).reason


def test_recipe_changes_with_formats_template_and_passes() -> None:
    """The spec's fingerprint differs when anything shaping the files differs."""
    base = OutputSpec.parse("srt").fingerprint
    assert base == OutputSpec.parse(["srt"]).fingerprint
    assert base != OutputSpec.parse("srt,vtt").fingerprint
    assert base != OutputSpec.parse("srt", name="{language}/{task_id}.{ext}").fingerprint
    assert base != OutputSpec.parse("srt", preset="netflix", passes="reflow").fingerprint
    assert base != OutputSpec.parse("srt", option_text=["start_index=0"]).fingerprint
    assert base != OutputSpec.parse("srt", newline="\r\n").fingerprint


def test_claims_detect_duplicates_and_clashes() -> None:
    """A repeated id is seen once; a path claimed twice is refused with nothing claimed."""
    claims = ClaimRegistry()
    assert claims.first_time("a")
    assert not claims.first_time("a")
    assert claims.claim("a", ["x.srt", "x.vtt"]) is None
    assert claims.claim("b", ["y.srt", "X.SRT"]) == "X.SRT"
    assert claims.claim("c", ["y.srt"]) is None
    assert claims.claim("d", ["z.srt", "z.srt"]) == "z.srt"


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path: Path) -> None:
    """Only the library's own '.gcore-captions-<16 hex>.tmp' files are removed, sub-folders
    included; a user's '.<name>.<8 chars>.tmp' (the old scheme, which mkstemp and editors
    also make), a folder or a link with our name, and anything under a hidden folder stay."""
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    ours = ".gcore-captions-0123456789abcdef.tmp"
    stale = [tmp_path / ours, tmp_path / "sub" / ".gcore-captions-fedcba9876543210.tmp"]
    kept = [
        tmp_path / "a.srt",
        tmp_path / "notes.tmp",
        tmp_path / ".a.srt.abcd_123.tmp",
        tmp_path / ".gcore-captions-0123456789ABCDEF.tmp",
        tmp_path / ".gcore-captions-0123456789abcde.tmp",
        tmp_path / ".hidden" / ours,
    ]
    for path in stale + kept:
        path.write_bytes(b"x")
    (tmp_path / "sub" / ".gcore-captions-00000000000000aa.tmp").mkdir()
    (tmp_path / "sub" / ".gcore-captions-00000000000000bb.tmp").symlink_to(tmp_path / "a.srt")
    assert remove_stale_temporaries(str(tmp_path)) == 2
    assert all(not p.exists() for p in stale)
    assert all(p.exists() for p in kept)
    assert (tmp_path / "sub" / ".gcore-captions-00000000000000aa.tmp").is_dir()
    assert (tmp_path / "sub" / ".gcore-captions-00000000000000bb.tmp").is_symlink()


def test_token_bucket_spaces_requests() -> None:
    """After a burst, slots are 1/rate apart; a quiet spell restores the burst."""
    now = [100.0]
    bucket = TokenBucket(10, burst=2, clock=lambda: now[0])
    assert [bucket.reserve() for _ in range(4)] == pytest.approx([0, 0, 0.1, 0.2])
    now[0] += 10
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0, 0, 0.1])
    with pytest.raises(ValueError, match="rate must be positive"):
        TokenBucket(0)


def test_token_bucket_acquire_sleeps_for_the_reserved_slot() -> None:
    """acquire() sleeps exactly as long as reserve() says."""
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    bucket = TokenBucket(4, clock=lambda: 0.0, sleep=fake_sleep)

    async def go() -> None:
        for _ in range(3):
            await bucket.acquire()

    asyncio.run(go())
    assert slept == pytest.approx([0.25, 0.5])


def test_report_caps_kept_failures() -> None:
    """Failures beyond the cap are counted, not kept."""
    report = ExportReport(output_dir="o", manifest="m")
    for number in range(MAX_FAILURES_KEPT + 5):
        report.count("failed", f"t{number}", RuntimeError("no"))
    report.count("written", "w")
    assert report.failed == MAX_FAILURES_KEPT + 5
    assert len(report.failures) == MAX_FAILURES_KEPT
    assert report.failures_omitted == 5
    data = report.to_dict()
    assert data["ok"] is False
    assert data["total"] == MAX_FAILURES_KEPT + 6
    assert data["failures"][0] == {
        "task_id": "t0",
        "status": "failed",
        "error": "no",
        "error_type": "RuntimeError",
    }


def test_id_lines_skip_blanks_and_comments() -> None:
    """Blank lines and '#' comments (whole-line or trailing) are ignored."""
    text = ["# header\n", "\n", "  a  \n", "b # trailing\n", "   # indented comment\n", "c"]
    assert list(parse_id_lines(text)) == ["a", "b", "c"]


def test_ids_stream_from_sync_and_async_sources() -> None:
    """Lists, generators (read in a thread) and async iterables all stream the same ids."""

    async def agen() -> object:
        for x in ("a", "b"):
            yield x

    async def collect(source: object) -> list[str]:
        return [x async for x in aiter_ids(source)]  # type: ignore[arg-type]

    assert asyncio.run(collect(["a", "b"])) == ["a", "b"]
    assert asyncio.run(collect(x for x in ["a", "b"] * 300)) == ["a", "b"] * 300
    assert asyncio.run(collect(agen())) == ["a", "b"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2**64 - 1), st.integers(0, 2**64 - 1)), max_size=300))
def test_fingerprint_tables_behave_like_set_and_dict(pairs: list[tuple[int, int]]) -> None:
    """The flat tables agree with a Python set and dict through every growth step."""
    keys = FingerprintSet(capacity=2)
    values = FingerprintMap(capacity=2)
    model: dict[int, int] = {}
    for key, value in pairs:
        assert keys.add(key) == (key not in model)
        values[key] = value
        model[key] = value
    assert len(keys) == len(values) == len(model)
    for key, value in model.items():
        assert key in keys
        assert values.get(key) == value
    assert 0 not in keys
    assert values.get(0) is None
    with pytest.raises(ValueError, match="non-zero 64-bit"):
        keys.add(0)


def test_fingerprints_are_stable_and_non_zero() -> None:
    """A text's fingerprint is the same in every run (BLAKE2b, not hash())."""
    assert fingerprint("task-1") == fingerprint("task-1")
    assert fingerprint("task-1") != fingerprint("task-2")
    assert fingerprint("x") == int.from_bytes(hashlib.blake2b(b"x", digest_size=8).digest(), "big")
