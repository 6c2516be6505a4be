"""
Batches finish: a task that fails for a transient reason is queued again
with backoff (without holding a worker) until it succeeds or the retry
budget runs out; permanent answers are final, and a 401 stops the run.
All against the loopback fake API with its faults on the wire.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gcore_captions import AsyncClient, Client
from gcore_captions.batch import (
    MANIFEST_NAME,
    ExportOptions,
    ExportProgress,
    TaskQuery,
    TaskRecord,
    aexport_many,
    export_many,
)
from gcore_captions.batch.records import FAILED
from gcore_captions.batch.report import RETRYING
from gcore_captions.batch.requeue import Requeue, listing_policy
from gcore_captions.cli import main
from gcore_captions.errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    ExportError,
    NotFoundError,
    ResponseError,
    ServerError,
)
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.output import OutputSpec
from gcore_captions.testing import RANDOM_FAULTS, FakeGcoreAPI, Fault, make_task

TASKS = "/streaming/ai/tasks"
# Every task has cues of its own, so a payload written under another task's
# name could not pass for it.
MANY = [
    make_task(f"task-{n:03d}", cues=[(0, 1500, f"Task {n}, first cue."), (1600, 3200, f"#{n}")])
    for n in range(300)
]
MANY_IDS = [task["task_id"] for task in MANY]
FEW = MANY[:6]
FEW_IDS = MANY_IDS[:6]
SPEC = OutputSpec.parse("srt,vtt")


def fast(**options: Any) -> ExportOptions:
    """Export options with millisecond backoffs (the decisions stay the same)."""
    settings: dict[str, Any] = {"concurrency": 16, "retry_delay": 0.002, "retry_max_delay": 0.02}
    settings.update(options)
    return ExportOptions(**settings)


def export(api: FakeGcoreAPI, ids: Any, out: Path, **options: Any) -> Any:
    """export_many with the clients the export makes itself (the real path)."""
    return export_many(
        ids, out, SPEC, options=fast(**options), api_key=api.api_key, base_url=api.base_url
    )


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


def hidden_files(out: Path) -> list[str]:
    """Temporary files left behind (the write path's are hidden: '.name.tmp')."""
    return [str(p) for p in out.rglob(".*")]


def records(out: Path) -> list[TaskRecord]:
    return [TaskRecord.from_line(line) for line in (out / MANIFEST_NAME).read_bytes().splitlines()]


def task_requests(api: FakeGcoreAPI, task_id: str) -> list[float]:
    """How many times the task was asked for (as a list, one entry per request)."""
    return [1.0 for r in api.requests if r.path == f"{TASKS}/{task_id}"]


def test_twenty_percent_faults_every_task_exported_byte_identical(tmp_path: Path) -> None:
    """300 tasks, 1 request in 5 faulted at random (mixed kinds, seeded): every task is
    exported, the files are those of a fault-free run, nothing temporary is left, and
    each fault costs exactly one more request (<= 1.4x the fault-free count)."""
    with FakeGcoreAPI(MANY) as api:
        clean = export(api, MANY_IDS, tmp_path / "clean")
        minimum = len(api.requests)
    assert clean.ok
    assert clean.requeues == 0
    assert minimum == 300
    with FakeGcoreAPI(MANY, fault_rate=0.2, fault_seed=2026) as api:
        faulty = export(api, MANY_IDS, tmp_path / "faulty")
        requests = len(api.requests)
        faults = api.random_faults_served
    assert faulty.ok, faulty.failures[:3]
    assert (faulty.written, faulty.failed, faulty.total) == (300, 0, 300)
    assert snapshot(tmp_path / "faulty") == snapshot(tmp_path / "clean")
    assert hidden_files(tmp_path / "faulty") == []
    assert requests <= 1.4 * minimum
    # No retry inside the client multiplies requests: one requeue per fault.
    assert faults > 0
    assert requests == minimum + faults
    assert faulty.requeues == faults
    manifest = records(tmp_path / "faulty")
    assert sum(r.retries for r in manifest) == faults
    assert {r.task_id for r in manifest if r.retries} == {r.task_id for r in faulty.retried}
    assert all(r.status == "written" for r in faulty.retried)
    # The faults were of mixed kinds: statuses, dropped connections, bad bodies.
    kinds = {_kind(r.last_error) for r in faulty.retried}
    assert {"429", "5xx", "no answer", "bad body"} <= kinds


def _kind(error: str) -> str:
    if error.startswith("HTTP 429"):
        return "429"
    if error.startswith("HTTP 5"):
        return "5xx"
    if "cut short" in error or "not JSON" in error:
        return "bad body"
    return "no answer" if "no answer" in error else error


def test_retry_after_is_honoured_without_holding_up_other_tasks(tmp_path: Path) -> None:
    """With one worker, a task answered 429 + retry-after-ms=500 waits 500 ms for its next
    try while the worker fetches every other task meanwhile."""
    with FakeGcoreAPI(FEW) as api:
        api.inject(Fault.rate_limited(retry_after_ms=500), path=f"{TASKS}/{FEW_IDS[0]}")
        started = time.monotonic()
        report = export(api, FEW_IDS, tmp_path, concurrency=1)
        elapsed = time.monotonic() - started
        order = [r.path.rsplit("/", 1)[-1] for r in api.requests]
    assert report.ok
    assert order == [*FEW_IDS, FEW_IDS[0]]
    assert elapsed >= 0.5
    assert report.requeues == 1
    assert [(r.task_id, r.requeues, r.status) for r in report.retried] == [
        (FEW_IDS[0], 1, "written")
    ]
    assert report.retried[0].last_error.startswith("HTTP 429: rate limited")


def test_permanent_answers_are_not_retried(tmp_path: Path) -> None:
    """403, 404, 422 and a task that FAILED on the server are asked for once and fail."""
    failed_task = make_task("server-failed", status="FAILURE")
    with FakeGcoreAPI([*FEW, failed_task]) as api:
        api.inject(Fault.http(403, {"detail": "not yours"}), path=f"{TASKS}/{FEW_IDS[0]}")
        api.inject(Fault.http(422, {"error": "AI disabled"}), path=f"{TASKS}/{FEW_IDS[1]}")
        ids = [FEW_IDS[0], FEW_IDS[1], "no-such-task", "server-failed", FEW_IDS[2]]
        report = export(api, ids, tmp_path)
        asked = {i: len(task_requests(api, i)) for i in ids}
    assert asked == dict.fromkeys(ids, 1)
    assert report.requeues == 0
    assert report.retried == []
    assert (report.written, report.failed) == (1, 4)
    kinds = {f.task_id: f.error_type for f in report.failures}
    assert kinds == {
        FEW_IDS[0]: "AuthenticationError",
        FEW_IDS[1]: "FeatureDisabledError",
        "no-such-task": "NotFoundError",
        "server-failed": "TaskFailed",
    }


def test_a_401_stops_the_run_at_once_and_the_manifest_stays_whole(tmp_path: Path) -> None:
    """The key refused in the middle: the export raises one AuthenticationError at once
    (few requests after it), every manifest line is whole, and a rerun finishes the rest."""
    ids = MANY_IDS[:100]
    with FakeGcoreAPI(MANY[:100]) as api:
        api.inject(
            Fault.http(401, {"detail": "Token is invalid or expired"}),
            path=f"{TASKS}/{ids[30]}",
        )
        with pytest.raises(AuthenticationError) as caught:
            export(api, ids, tmp_path, concurrency=1)
        asked = len(api.requests)
        stopped = caught.value
        assert stopped.status_code == 401
        assert "\n" not in str(stopped)
        assert "stopped at once" in str(stopped)
        assert "Token is invalid" in str(stopped)
        assert api.api_key not in str(stopped)
        report = getattr(stopped, "report", None)
        assert report is not None
        assert report.interrupted
        assert not report.ok
        # One worker: the 401 answered request 31, and no request followed it.
        assert asked == 31
        done = records(tmp_path)
        assert len(done) == report.total
        assert {r.status for r in done} == {"written"}
        for record in done:
            assert all((tmp_path / f.path).stat().st_size == f.bytes for f in record.files)
        assert hidden_files(tmp_path) == []
        rerun = export(api, ids, tmp_path, concurrency=4)
    assert rerun.ok
    assert (rerun.skipped, rerun.written) == (len(done), 100 - len(done))


def test_a_wrong_key_from_the_start_stops_after_the_first_answers(tmp_path: Path) -> None:
    """Every request is refused: the run stops at once instead of failing 300 tasks."""
    with FakeGcoreAPI(MANY) as api:
        with pytest.raises(AuthenticationError):
            export_many(
                MANY_IDS,
                tmp_path,
                SPEC,
                options=fast(concurrency=8),
                api_key="wrong-key",
                base_url=api.base_url,
            )
        # Each of the 8 workers sent one request; none sent another after a 401.
        assert len(api.requests) <= 8


def test_budget_exhausted_fails_with_the_last_transient_error(tmp_path: Path) -> None:
    """A task that always answers 503 is retried until retry_for seconds pass without a
    successful answer, then fails with its last error, recorded as such."""
    with FakeGcoreAPI(FEW) as api:
        api.inject(Fault.server_error(503), path=f"{TASKS}/{FEW_IDS[0]}", times=10_000)
        started = time.monotonic()
        report = export(api, FEW_IDS, tmp_path, retry_for=0.6)
        elapsed = time.monotonic() - started
        asked = len(task_requests(api, FEW_IDS[0]))
    assert elapsed >= 0.58  # the budget counts from the last success, near the start
    assert (report.written, report.failed) == (5, 1)
    failure = report.failures[0]
    assert (failure.task_id, failure.error_type) == (FEW_IDS[0], "ServerError")
    assert failure.error.startswith("HTTP 503: injected server error 503 (tried ")
    assert "retry budget (0.6 s without progress) ran out" in failure.error
    assert asked >= 2
    assert report.requeues == asked - 1
    assert [(r.task_id, r.requeues, r.status) for r in report.retried] == [
        (FEW_IDS[0], asked - 1, FAILED)
    ]
    assert any("retry budget ran out" in note for note in report.notes)
    record = next(r for r in records(tmp_path) if r.task_id == FEW_IDS[0])
    assert (record.status, record.error_type, record.retries) == (
        "failed",
        "ServerError",
        asked - 1,
    )
    assert record.error == failure.error


def test_retry_for_zero_turns_requeueing_off(tmp_path: Path) -> None:
    """retry_for=0: no requeue; each request gets the client's own retries instead."""
    with FakeGcoreAPI(FEW[:2]) as api:
        api.inject(Fault.server_error(502), path=f"{TASKS}/{FEW_IDS[0]}")
        report = export(api, FEW_IDS[:2], tmp_path, retry_for=0)
        asked = len(task_requests(api, FEW_IDS[0]))
    assert report.ok
    assert (report.requeues, asked) == (0, 2)


def test_the_budget_is_time_without_progress() -> None:
    """Requeueing stops once retry_for seconds pass without a successful answer, and
    comes back with the next one; waits are the client's backoff, Retry-After honoured."""
    now = [100.0]
    requeue = Requeue(fast(retry_for=10, retry_delay=1, retry_max_delay=4), clock=lambda: now[0])
    busy = ServerError("busy", status_code=503, retryable=True)
    assert requeue.delay(busy, 0, rand=0.0) == 1.0
    assert requeue.delay(busy, 5, rand=0.0) == 4.0
    slow_down = ServerError("later", status_code=503, retryable=True, retry_after=7.5)
    assert requeue.delay(slow_down, 0, rand=0.0) == 7.5
    assert requeue.delay(NotFoundError("gone", status_code=404), 0) is None
    assert requeue.delay(ExportError("not an API error"), 0) is None
    now[0] = 107.0
    assert requeue.delay(busy, 0, rand=0.0) == 1.0  # next try at 108 <= 110
    assert requeue.delay(busy, 2, rand=0.0) is None  # next try at 111 > 110
    assert requeue.spent
    requeue.progressed()
    assert requeue.delay(busy, 2, rand=0.0) == 4.0
    final = requeue.final_error(busy, 3)
    assert type(final) is ServerError
    assert final.status_code == 503
    assert "tried 4 times; the retry budget (10 s without progress) ran out" in str(final)
    assert requeue.delay(ServerError("x", retryable=True, retry_after=1e300), 0) is None
    asked = requeue.final_error(slow_down, 0)
    assert "(the server asked to wait 7.5 s; the retry budget (10 s" in str(asked)
    off = Requeue(fast(retry_for=0))
    assert off.delay(busy, 0) is None
    assert off.final_error(busy, 0) is busy


def test_listing_pages_are_retried_within_the_budget(tmp_path: Path) -> None:
    """--all: list pages cannot be requeued, so their client retries them with the
    export's backoff for as long as retry_for allows; faulted pages do not end the run."""
    policy = listing_policy(ExportOptions())
    assert (policy.base_delay, policy.max_delay) == (0.5, 8.0)
    assert 30 <= policy.max_retries <= 45  # ~300 s of waits at 8 s each
    assert listing_policy(ExportOptions(retry_for=0)).max_retries == RetryPolicy().max_retries
    with FakeGcoreAPI(MANY[:40], fault_rate=0.3, fault_seed=11) as api:
        # More faults in a row on the list than the client's usual two retries.
        api.inject(Fault.server_error(503), Fault.drop_connection(), Fault.not_json(), path=TASKS)
        report = export_many(
            TaskQuery(page_size=5),
            tmp_path,
            SPEC,
            options=fast(concurrency=4),
            api_key=api.api_key,
            base_url=api.base_url,
        )
        pages = [r for r in api.requests if r.path == TASKS]
        faults = api.random_faults_served
    assert report.ok, report.failures[:3]
    assert report.written == 40
    assert len(pages) >= 8 + 3  # 8 pages, some asked again
    assert faults > 0


def test_wait_mode_requeue_keeps_the_task_and_its_deadline(tmp_path: Path) -> None:
    """--wait: a poll that fails transiently requeues the task, which is then polled on to
    SUCCESS; the requeued wait gets only what is left of wait_timeout, not a fresh one."""
    with FakeGcoreAPI() as api:
        api.add_task(make_task("ready-later"), statuses=["PENDING", "PENDING", "SUCCESS"])
        api.inject(Fault.slow(0), Fault.server_error(503), path=f"{TASKS}/ready-later")
        report = export(api, ["ready-later"], tmp_path, wait=True, poll_interval=0.01)
        assert api.polls("ready-later") == 3
    assert (report.written, report.requeues) == (1, 1)

    timeouts: list[float | None] = []

    class FlakyWait(AsyncClient):
        async def wait_for_task(self, task_id: str, **options: Any) -> dict[str, Any]:
            timeouts.append(options["timeout"])
            if len(timeouts) == 1:
                await asyncio.sleep(0.05)  # polled a while, then the connection dropped
                raise ConnectError("no answer", retryable=True)
            return await super().wait_for_task(task_id, **options)

    async def go(api: FakeGcoreAPI) -> Any:
        async with FlakyWait(api.api_key, base_url=api.base_url) as client:
            options = fast(wait=True, wait_timeout=30)
            return await aexport_many(["t"], tmp_path / "b", SPEC, options=options, client=client)

    with FakeGcoreAPI([make_task("t")]) as api:
        waited = asyncio.run(go(api))
    assert (waited.written, waited.requeues) == (1, 1)
    first, second = timeouts
    assert first == 30
    assert second is not None
    assert second <= 30 - 0.05


def test_progress_reports_each_requeue_and_the_report_lists_them(tmp_path: Path) -> None:
    """on_progress gets a 'retrying' snapshot per requeue (with its wait); the report's
    dict and summary count requeues and name the tasks that needed them."""
    seen: list[ExportProgress] = []
    with FakeGcoreAPI(FEW) as api:
        api.inject(Fault.server_error(500), Fault.drop_connection(), path=f"{TASKS}/{FEW_IDS[2]}")
        report = export_many(
            FEW_IDS,
            tmp_path,
            SPEC,
            options=fast(concurrency=2),
            api_key=api.api_key,
            base_url=api.base_url,
            on_progress=seen.append,
        )
    retrying = [u for u in seen if u.status == RETRYING]
    assert [(u.task_id, u.retries, u.requeues) for u in retrying] == [
        (FEW_IDS[2], 1, 1),
        (FEW_IDS[2], 2, 2),
    ]
    assert all(u.retry_in is not None and 0 < u.retry_in < 0.1 for u in retrying)
    assert retrying[0].error is not None
    assert retrying[0].error.startswith("HTTP 500")
    assert retrying[1].error is not None
    assert "no answer" in retrying[1].error
    assert retrying[0].done == retrying[0].written + retrying[0].skipped
    finished = [u for u in seen if u.status != RETRYING]
    assert len(finished) == 6
    assert finished[-1].requeues == 2
    assert finished[-1].retrying == 0
    data = report.to_dict()
    assert data["requeues"] == 2
    assert data["retried"] == [
        {
            "task_id": FEW_IDS[2],
            "requeues": 2,
            "status": "written",
            "last_error": retrying[1].error,
        }
    ]
    assert data["retried_omitted"] == 0
    assert report.summary().endswith("(2 requeues of 1 task after transient failures)")


def test_export_options_check_the_retry_fields() -> None:
    """retry_for, retry_delay and retry_max_delay take 0 or more finite seconds."""
    assert ExportOptions().retry_for == 300.0
    for bad in (-1, float("nan"), float("inf"), "5", True):
        for name in ("retry_for", "retry_delay", "retry_max_delay"):
            with pytest.raises(ExportError, match=name):
                ExportOptions(**{name: bad})


def test_client_errors_carry_the_retry_classification() -> None:
    """The client marks each error transient or not from its retry policy, whatever
    retries it made (max_retries=0 here), and keeps the server's Retry-After."""
    with FakeGcoreAPI(FEW) as api:
        api.inject(
            Fault.rate_limited(retry_after=3),
            Fault.server_error(503),
            Fault.http(503, headers={"x-should-retry": "false"}),
            Fault.truncated_body(),
            Fault.not_json(),
            Fault.drop_connection(),
            Fault.not_found(),
            Fault.http(401),
        )
        policy = RetryPolicy(max_retries=0)
        with Client(api.api_key, base_url=api.base_url, retry_policy=policy) as client:
            errors = []
            for _ in range(8):
                with pytest.raises(APIError) as caught:
                    client.get_task(FEW_IDS[0])
                errors.append(caught.value)
    assert [e.retryable for e in errors] == [True, True, False, True, True, True, False, False]
    assert errors[0].retry_after == 3.0
    assert [e.retry_after for e in errors[1:]] == [None] * 7
    assert isinstance(errors[3], ResponseError)
    assert isinstance(errors[4], ResponseError)
    assert isinstance(errors[7], AuthenticationError)


def test_fake_api_random_faults_are_seeded_and_checked() -> None:
    """fault_rate faults that share of requests, the same ones for the same seed."""

    def served(seed: int, rate: float, faults: Sequence[Fault] | None = None) -> list[str]:
        with FakeGcoreAPI(FEW, fault_rate=rate, fault_seed=seed, random_faults=faults) as api:
            with Client(api.api_key, base_url=api.base_url, max_retries=0) as client:
                codes = []
                for _ in range(40):
                    try:
                        client.get_task(FEW_IDS[0])
                        codes.append("ok")
                    except APIError as error:
                        codes.append(type(error).__name__ + str(error.status_code))
            assert api.random_faults_served == sum(code != "ok" for code in codes)
            return codes

    first = served(5, 0.5)
    assert first == served(5, 0.5)
    assert 5 < sum(code != "ok" for code in first) < 35
    assert len(set(first)) >= 4  # mixed kinds
    assert served(5, 0.0) == ["ok"] * 40
    assert served(1, 1.0, [Fault.server_error(504)]) == ["ServerError504"] * 40
    assert len(RANDOM_FAULTS) >= 5
    with pytest.raises(ValueError, match="fault_rate"):
        FakeGcoreAPI(fault_rate=1.5)
    with pytest.raises(ValueError, match="random_faults"):
        FakeGcoreAPI(fault_rate=0.5, random_faults=[])


def _cli(api: FakeGcoreAPI, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", *args], env=api.env)
    return result.exit_code, result.stdout, result.stderr


def test_cli_retry_for_and_the_json_report(tmp_path: Path) -> None:
    """--retry-for reaches the export; --json lists requeues; a spent budget exits 1 with
    the last error on one line."""
    with FakeGcoreAPI(FEW[:3]) as api:
        api.inject(Fault.server_error(503), path=f"{TASKS}/{FEW_IDS[0]}")
        code, out, err = _cli(api, *FEW_IDS[:3], "-o", str(tmp_path / "a"), "--json")
        assert code == 0, err
        data = json.loads(out)
        assert (data["written"], data["requeues"]) == (3, 1)
        assert data["retried"][0]["task_id"] == FEW_IDS[0]
        api.inject(Fault.server_error(503), path=f"{TASKS}/{FEW_IDS[1]}", times=100)
        code, _, err = _cli(api, FEW_IDS[1], "-o", str(tmp_path / "b"), "--retry-for", "0.2")
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"gcore-captions: failed: {FEW_IDS[1]}: HTTP 503")
    assert "retry budget (0.2 s without progress) ran out" in lines[0]
    assert "Traceback" not in err


def test_cli_a_401_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """A key refused mid-run: one error line, exit 1, and with --json the report so far."""
    with FakeGcoreAPI(FEW) as api:
        api.inject(Fault.http(401, {"detail": "Token is invalid or expired"}))
        code, out, err = _cli(api, *FEW_IDS, "-o", str(tmp_path), "--json")
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("gcore-captions: error: HTTP 401: Token")
    assert "stopped at once" in err
    assert "Traceback" not in err
    data = json.loads(out)
    assert data["interrupted"] is True
    assert data["ok"] is False


def test_progress_bar_shows_requeues(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal the bar counts requeues and prints a line per requeued task."""
    from gcore_captions.cli._export_progress import export_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    monkeypatch.setenv("COLUMNS", "200")
    base = {"skipped": 0, "failed": 0, "not_finished": 0, "total": 2, "elapsed": 0.1}
    with export_progress(total=2, quiet=False) as show:
        show(
            ExportProgress(
                written=0,
                task_id="t-1",
                status=RETRYING,
                error="HTTP 503: busy",
                requeues=1,
                retrying=1,
                retries=1,
                retry_in=0.5,
                **base,
            )
        )
        show(ExportProgress(written=1, task_id="t-2", status="written", requeues=1, **base))
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "retry 1: t-1 in 0.5 s: HTTP 503: busy" in text
    assert "1 requeued" in text


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--retry-for", "nan"), ("--retry-for", "inf"), ("--max-rps", "nan")],
)
def test_cli_values_click_lets_through_are_usage_errors(
    tmp_path: Path, flag: str, value: str
) -> None:
    """nan and inf pass click's ranges; ExportOptions refuses them: one line, exit 2."""
    result = CliRunner().invoke(
        main, ["export", "t-1", "-o", str(tmp_path), flag, value], env={"GCORE_API_KEY": "k"}
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{flag} " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_request_that_times_out_is_requeued(tmp_path: Path) -> None:
    """A server trickling its answer past request_timeout: RequestTimeout, queued again."""
    with FakeGcoreAPI(FEW[:3]) as api:
        api.inject(Fault.trickle(0.05), path=f"{TASKS}/{FEW_IDS[1]}")
        report = export(api, FEW_IDS[:3], tmp_path, request_timeout=0.3)
        asked = len(task_requests(api, FEW_IDS[1]))
    assert report.ok
    assert (report.requeues, asked) == (1, 2)
    assert report.retried[0].task_id == FEW_IDS[1]
    assert "no complete answer within 0.3 s" in report.retried[0].last_error


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--retry-for", "inf", "--retry-for must be a finite number of 0 or more seconds"),
        ("--max-rps", "1e-300", "--max-rps must be a number of requests a second from 0.001"),
    ],
)
def test_hostile_rates_and_budgets_are_usage_errors(flag: str, value: str, message: str) -> None:
    """An endless budget, or a rate so low the run would all but stop, is refused up front."""
    from click.testing import CliRunner

    from gcore_captions.cli import main

    result = CliRunner().invoke(main, ["export", flag, value, "-o", "out", "t1"])
    assert result.exit_code == 2
    assert message in result.stderr
