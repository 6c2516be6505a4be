"""
``export_many`` against the fake Gcore API: faults, unfinished tasks, resume,
names and clashes, streaming input, rate cap.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from gcore_captions.batch import (
    DEFAULT_TEMPLATE,
    MANIFEST_NAME,
    ExportOptions,
    TaskQuery,
    TaskRecord,
    aexport_many,
    export_many,
)
from gcore_captions.errors import ExportError
from gcore_captions.gcore import AsyncClient
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.output import OutputSpec
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task, make_tasks

TASKS = make_tasks(12)
IDS = [task["task_id"] for task in TASKS]


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(TASKS) as server:
        yield server


def fast_client(api: FakeGcoreAPI, retries: int = 4) -> AsyncClient:
    """A client whose retry waits are scaled down to a few milliseconds."""
    return AsyncClient(
        api.api_key,
        base_url=api.base_url,
        retry_policy=RetryPolicy(max_retries=retries, sleep_scale=0.001),
    )


def export_args(
    formats: Sequence[str] = ("srt",),
    name_template: str = DEFAULT_TEMPLATE,
    on_progress: Any = None,
    **run: Any,
) -> dict[str, Any]:
    """The spec and options export_many takes, from the few settings these tests vary."""
    spec = OutputSpec.parse(formats, name=name_template)
    return {"spec": spec, "options": ExportOptions(**run), "on_progress": on_progress}


def run(api: FakeGcoreAPI, ids: Any, out: Path, retries: int = 4, **settings: Any) -> Any:
    """export_many with a fast client made inside the loop that uses it."""

    async def go() -> Any:
        async with fast_client(api, retries) as client:
            return await aexport_many(ids, out, client=client, **export_args(**settings))

    return asyncio.run(go())


def manifest_records(out: Path) -> list[TaskRecord]:
    return [TaskRecord.from_line(line) for line in (out / MANIFEST_NAME).read_bytes().splitlines()]


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


def test_fault_free_export_writes_every_task(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Every task gets one file per format and one 'written' manifest line with checksums."""
    report = export_many(
        IDS, tmp_path, OutputSpec.parse("srt,vtt"), api_key=api.api_key, base_url=api.base_url
    )
    assert report.ok
    assert (report.written, report.total) == (12, 12)
    assert len(snapshot(tmp_path)) == 24
    records = manifest_records(tmp_path)
    assert sorted(r.task_id for r in records) == sorted(IDS)
    assert {r.status for r in records} == {"written"}
    first = records[0]
    assert [f.format for f in first.files] == ["srt", "vtt"]
    assert first.cues == 3
    assert first.languages == ("eng",)
    data = (tmp_path / first.files[0].path).read_bytes()
    assert first.files[0].bytes == len(data)


def test_faults_end_written_or_reported_and_files_match_a_clean_run(tmp_path: Path) -> None:
    """429s, 5xx, dropped connections and truncated bodies are retried; output is byte-identical."""
    with FakeGcoreAPI(TASKS) as api:
        clean = run(api, IDS, tmp_path / "clean", formats=["srt", "vtt", "json"])
    assert clean.ok
    with FakeGcoreAPI(TASKS) as api:
        api.inject(
            Fault.rate_limited(retry_after_ms=5),
            Fault.server_error(500),
            Fault.drop_connection(),
            Fault.truncated_body(),
            Fault.server_error(503),
            Fault.not_json(),
            Fault.rate_limited(),
            Fault.server_error(502),
            times=2,
        )
        # One task fails every attempt: it must be reported, not lost.
        api.inject(Fault.server_error(500), path=f"/streaming/ai/tasks/{IDS[3]}", times=40)
        # More attempts than there are shared faults, so which task meets
        # them (timing) cannot decide the outcome; no requeueing here (the
        # client's own retries only: tests/test_batch_retry.py has requeues).
        faulty = run(api, IDS, tmp_path / "faulty", 16, formats=["srt", "vtt", "json"], retry_for=0)
    assert faulty.total == 12
    assert (faulty.written, faulty.failed) == (11, 1)
    assert faulty.failures[0].task_id == IDS[3]
    assert faulty.failures[0].error_type == "ServerError"
    expected = {k: v for k, v in snapshot(tmp_path / "clean").items() if IDS[3] not in k}
    assert snapshot(tmp_path / "faulty") == expected


def test_unfinished_task_is_not_finished_or_waited_for(tmp_path: Path) -> None:
    """A running task is reported not finished; with wait=True it is polled until done."""
    with FakeGcoreAPI() as api:
        api.add_task(make_task("slow-1"), statuses=["PENDING", ("STARTED", 40), "SUCCESS"])
        report = run(api, ["slow-1"], tmp_path)
        assert report.not_finished == 1
        assert not report.ok
        assert report.failures[0].error_type == "TaskNotReady"
        waited = run(api, ["slow-1"], tmp_path, wait=True, poll_interval=0.01)
    assert (waited.written, waited.not_finished) == (1, 0)
    assert (tmp_path / "slow-1.srt").exists()


def test_wait_timeout_is_not_finished(tmp_path: Path) -> None:
    """A task that outlasts wait_timeout is reported not finished, not failed."""
    with FakeGcoreAPI() as api:
        api.add_task(make_task("stuck", status="PENDING"))
        report = run(api, ["stuck"], tmp_path, wait=True, wait_timeout=0.05, poll_interval=0.01)
    assert report.not_finished == 1
    assert report.failures[0].error_type == "WaitTimeout"


def test_rerun_skips_complete_tasks_and_redoes_the_rest(tmp_path: Path) -> None:
    """A rerun fetches nothing for complete tasks, leaves their files alone, redoes the others."""
    with FakeGcoreAPI([*TASKS[:4], make_task("late", status="PENDING")]) as api:
        ids = [*IDS[:4], "late", "missing"]
        first = run(api, ids, tmp_path)
        assert (first.written, first.not_finished, first.failed) == (4, 1, 1)
        before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in tmp_path.glob("*.srt")}
        (tmp_path / f"{IDS[1]}.srt").write_text("edited by hand\n", encoding="utf-8")
        (tmp_path / f"{IDS[2]}.srt").unlink()
        api.add_task(make_task("late"))
        api.add_task(make_task("missing"))
        seen = len(api.requests)
        second = run(api, ids, tmp_path)
        fetched = {r.path.rsplit("/", 1)[-1] for r in api.requests[seen:]}
    assert (second.written, second.skipped) == (4, 2)
    assert fetched == {IDS[1], IDS[2], "late", "missing"}
    for name in (f"{IDS[0]}.srt", f"{IDS[3]}.srt"):
        stat = (tmp_path / name).stat()
        assert (stat.st_ino, stat.st_mtime_ns) == before[name]
    assert (tmp_path / f"{IDS[1]}.srt").read_text(encoding="utf-8") != "edited by hand\n"
    records = manifest_records(tmp_path)
    assert len(records) == 6
    assert {r.status for r in records} == {"written", "skipped"}


def test_force_and_changed_options_redo_everything(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """force=True, or other formats, rewrites tasks that were complete."""
    run(api, IDS[:3], tmp_path)
    assert run(api, IDS[:3], tmp_path).skipped == 3
    assert run(api, IDS[:3], tmp_path, force=True).written == 3
    assert run(api, IDS[:3], tmp_path, formats=["srt", "txt"]).written == 3
    assert run(api, IDS[:3], tmp_path, formats=["srt", "txt"]).skipped == 3


def test_path_escaping_names_are_refused_and_nothing_escapes(tmp_path: Path) -> None:
    """A field value that would leave the folder fails that task only; nothing lands outside."""
    tasks = [
        make_task("ok-1", client_user_id="alice"),
        make_task("evil-1", client_user_id="../../escaped"),
        make_task("evil-2", client_user_id="/etc/passwd"),
        make_task("empty-1", client_user_id=""),
    ]
    out = tmp_path / "out"
    with FakeGcoreAPI(tasks) as api:
        report = run(
            api, [t["task_id"] for t in tasks], out, name_template="{client_user_id}.{ext}"
        )
    assert (report.written, report.failed) == (1, 3)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "alice.srt",
        MANIFEST_NAME,
    ]
    reasons = {f.task_id: f.error for f in report.failures}
    assert "path separator" in reasons["evil-1"]
    assert "path separator" in reasons["evil-2"]
    assert "empty" in reasons["empty-1"]


def test_clashing_names_are_reported_not_overwritten(tmp_path: Path) -> None:
    """Two tasks mapping to one file: the second is reported; a later run cannot take it either."""
    tasks = [make_task(f"t-{n}", client_user_id="same") for n in range(3)]
    with FakeGcoreAPI(tasks) as api:
        report = run(api, ["t-0", "t-1"], tmp_path, name_template="{client_user_id}.{ext}")
        assert (report.written, report.failed) == (1, 1)
        assert "already taken" in report.failures[0].error
        owner = manifest_records(tmp_path)
        winner = next(r.task_id for r in owner if r.status == "written")
        content = (tmp_path / "same.srt").read_bytes()
        later = run(api, ["t-2"], tmp_path, name_template="{client_user_id}.{ext}")
    assert later.failed == 1
    assert f"belongs to task {winner}" in later.failures[0].error
    assert (tmp_path / "same.srt").read_bytes() == content


def test_duplicate_ids_are_exported_once(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """An id given twice is fetched and counted once."""
    report = run(api, [IDS[0], IDS[1], IDS[0]], tmp_path)
    assert (report.total, report.written, report.duplicates) == (2, 2, 1)
    assert sum(1 for r in api.requests if r.path.endswith(IDS[0])) == 1


def test_ids_are_streamed_not_read_ahead(tmp_path: Path) -> None:
    """The producer stays a bounded distance ahead of the workers (memory does not grow)."""
    consumed = 0
    ahead: list[int] = []

    def ids() -> Iterator[str]:
        nonlocal consumed
        for number in range(600):
            consumed += 1
            yield f"unknown-{number}"

    with FakeGcoreAPI(TASKS) as api:
        report = run(
            api,
            ids(),
            tmp_path,
            concurrency=4,
            on_progress=lambda p: ahead.append(consumed - p.done),
        )
    assert report.failed == 600  # unknown ids: a 404 each, every one reported
    assert consumed == 600
    # One chunk read by the reader thread, the id queue (2 x concurrency),
    # the fetchers, the fetched queue and the writers (concurrency each).
    assert max(ahead) <= 256 + 5 * 4


def test_async_iterable_input_and_list_query(tmp_path: Path) -> None:
    """An async iterable of ids works; a TaskQuery exports only finished transcriptions."""
    tasks = [
        *TASKS[:5],
        make_task("running", status="STARTED"),
        make_task("broken", status="FAILURE"),
        make_task("moderation", task_name="content-moderation"),
    ]

    async def agen() -> AsyncIterator[str]:
        for task_id in IDS[:2]:
            yield task_id

    seen: list[int | None] = []
    with FakeGcoreAPI(tasks) as api:
        streamed = run(api, agen(), tmp_path / "a")
        queried = run(
            api, TaskQuery(page_size=2), tmp_path / "b", on_progress=lambda p: seen.append(p.total)
        )
    assert streamed.written == 2
    assert (queried.written, queried.total) == (5, 5)
    # The list's count (every SUCCESS transcription the query matches) gives
    # the progress bar its total.
    assert seen
    assert set(seen) == {5}


def test_max_rps_spaces_requests(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """With max_rps the requests are spread out at that rate (after a burst of concurrency)."""
    started = time.monotonic()
    report = export_many(
        IDS,
        tmp_path,
        options=ExportOptions(max_rps=40, concurrency=2),
        api_key=api.api_key,
        base_url=api.base_url,
    )
    elapsed = time.monotonic() - started
    assert report.written == 12
    assert elapsed >= (12 - 2) / 40 * 0.9
    stamps = [r for r in api.requests if r.path.startswith("/streaming/ai/tasks/")]
    assert len(stamps) == 12


def test_leftover_temporaries_are_cleaned_up(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """The library's '.gcore-captions-<16 hex>.tmp' files from a killed run are removed,
    with a note; a user's own hidden '.<name>.<8 chars>.tmp' file is not."""
    (tmp_path / ".gcore-captions-0123456789abcdef.tmp").write_bytes(b"partial")
    (tmp_path / f".{IDS[0]}.srt.abc123_x.tmp").write_bytes(b"mine")
    report = run(api, IDS[:1], tmp_path)
    assert report.written == 1
    assert [p.name for p in tmp_path.glob(".*.tmp")] == [f".{IDS[0]}.srt.abc123_x.tmp"]
    assert any("temporary" in note for note in report.notes)


def test_bad_arguments_fail_before_any_request(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Unknown fields, a missing {ext} with several formats and bad numbers raise up front."""
    with pytest.raises(ExportError, match="unknown field"):
        run(api, IDS, tmp_path, name_template="{nope}.{ext}")
    with pytest.raises(ExportError, match="ext"):
        run(api, IDS, tmp_path, formats=["srt", "vtt"], name_template="{task_id}")
    with pytest.raises(ExportError, match="concurrency"):
        run(api, IDS, tmp_path, concurrency=0)
    assert api.requests == []


def test_manifest_is_compacted_and_json_report(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """After reruns the manifest has one line per task; the report is JSON-serialisable."""
    for _ in range(3):
        report = run(api, IDS[:3], tmp_path)
    assert len(manifest_records(tmp_path)) == 3
    data = json.loads(json.dumps(report.to_dict()))
    assert data["skipped"] == 3
    assert data["ok"] is True
    assert os.listdir(tmp_path).count(MANIFEST_NAME) == 1
