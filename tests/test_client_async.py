"""
``AsyncClient`` against the real loopback fake API, and its parity with
``Client``: same methods, same signatures, same behaviour.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from gcore_captions.errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    FeatureDisabledError,
    NotFoundError,
    QueueLimitReached,
    RateLimitError,
    RequestTimeout,
    ResponseError,
    ServerError,
    TaskFailed,
    WaitTimeout,
)
from gcore_captions.gcore import AsyncClient, Client, TaskProgress
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task, make_tasks

TASK = "6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135"
PATH = f"/streaming/ai/tasks/{TASK}"
KEY = "12345_fake-key-for-tests"
FAST = RetryPolicy(sleep_scale=0.001)
_T = TypeVar("_T")


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(tasks=[make_task(TASK), *make_tasks(23)], api_key=KEY) as server:
        yield server


def run(api: FakeGcoreAPI, job: Callable[[AsyncClient], Awaitable[_T]], **options: Any) -> _T:
    """Run ``job`` with a fresh AsyncClient for ``api`` in a new event loop."""

    async def main() -> _T:
        settings: dict[str, Any] = {"retry_policy": FAST, **options}
        async with AsyncClient(api_key=KEY, base_url=api.base_url, **settings) as client:
            return await job(client)

    return asyncio.run(main())


async def collect(client: AsyncClient, **filters: Any) -> list[dict[str, Any]]:
    return [task async for task in client.list_tasks(**filters)]


def _public(cls: type) -> dict[str, inspect.Signature]:
    names = {n for n in dir(cls) if not n.startswith("_") or n in ("__init__",)}
    return {n: inspect.signature(getattr(cls, n)) for n in names if callable(getattr(cls, n))}


def test_sync_and_async_clients_have_the_same_methods_and_signatures() -> None:
    """Parity: every public method exists on both with identical parameters."""
    sync, async_ = _public(Client), _public(AsyncClient)
    documented = {
        "get_task", "get_transcript", "list_tasks", "wait_for", "wait_for_task", "cancel_task",
        "is_language_supported", "close", "base_url",
    }  # fmt: skip
    documented |= {"create_transcription"}
    documented |= {  # a video's subtitle tracks
        "list_tracks", "get_track", "create_track", "update_track", "delete_track", "publish_vtt",
    }  # fmt: skip
    assert documented | {"__init__"} == set(sync) | {"base_url"}
    twins = {"close": "aclose"}
    assert {twins.get(n, n) for n in sync} == set(async_)
    for name, signature in sync.items():
        other = async_[twins.get(name, name)]
        assert list(signature.parameters) == list(other.parameters), name
        for param, spec in signature.parameters.items():
            theirs = other.parameters[param]
            assert (spec.kind, spec.default) == (theirs.kind, theirs.default), (name, param)
            if name != "__init__" or param != "http_client":
                assert spec.annotation == theirs.annotation, (name, param)
    awaited = {n for n in dir(AsyncClient) if inspect.iscoroutinefunction(getattr(AsyncClient, n))}
    assert awaited >= {n for n in async_ if n not in ("__init__", "list_tasks")}


def test_get_task_and_info(api: FakeGcoreAPI) -> None:
    """GET one task and /ai/info, with the key sent."""

    async def job(client: AsyncClient) -> tuple[dict[str, Any], bool, bool]:
        return (
            await client.get_task(TASK),
            await client.is_language_supported("ger", "eng"),
            await client.is_language_supported("eng", "uzb"),
        )

    payload, yes, no = run(api, job)
    assert payload["task_id"] == TASK
    assert (yes, no) == (True, False)
    assert all(r.authorized for r in api.requests)


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.http(401, {"detail": "Token is invalid or expired"}), AuthenticationError),
        (Fault.not_found(), NotFoundError),
        (Fault.http(422, {"error": "Feature is disabled."}), FeatureDisabledError),
        (Fault.http(400, {"error": "Queue limit reached"}), QueueLimitReached),
    ],
)
def test_final_errors(api: FakeGcoreAPI, fault: Fault, kind: type[APIError]) -> None:
    """The same typed errors as the sync client, raised on the first answer."""
    api.inject(fault)
    with pytest.raises(kind) as caught:
        run(api, lambda c: c.get_task(TASK))
    assert type(caught.value) is kind
    assert caught.value.status_code == fault.status
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    "fault",
    [
        Fault.rate_limited(retry_after=1),
        Fault.rate_limited(retry_after_ms=100),
        Fault.server_error(500),
        Fault.server_error(502),
        Fault.server_error(503),
        Fault.drop_connection(),
        Fault.truncated_body(),
        Fault.not_json(),
    ],
    ids=lambda f: f"{f.kind}-{f.status}",
)
def test_transient_faults_are_retried(api: FakeGcoreAPI, fault: Fault) -> None:
    """Two faults then the answer: success after three requests."""
    api.inject(fault, times=2)
    assert run(api, lambda c: c.get_task(TASK))["task_id"] == TASK
    assert len(api.requests) == 3


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.rate_limited(), RateLimitError),
        (Fault.server_error(503), ServerError),
        (Fault.drop_connection(), ConnectError),
        (Fault.truncated_body(), ResponseError),
        (Fault.not_json(), ResponseError),
    ],
)
def test_exhausted_retries(api: FakeGcoreAPI, fault: Fault, kind: type[APIError]) -> None:
    """Three faults: the typed error, saying it gave up."""
    api.inject(fault, times=3)
    with pytest.raises(kind, match="gave up after 3 attempts"):
        run(api, lambda c: c.get_task(TASK))


def test_retry_after_is_honoured(api: FakeGcoreAPI, caplog: pytest.LogCaptureFixture) -> None:
    """The computed waits are the server's: 2 s, then 1.5 s."""
    caplog.set_level(logging.INFO, logger="gcore_captions")
    api.inject(Fault.rate_limited(retry_after=2), Fault.rate_limited(retry_after_ms=1500))
    run(api, lambda c: c.get_task(TASK))
    assert [r.retry_delay for r in caplog.records if hasattr(r, "retry_delay")] == [2.0, 1.5]


def test_timeout(api: FakeGcoreAPI) -> None:
    """A slow answer past the timeout: retried, then RequestTimeout."""
    api.inject(Fault.slow(0.6), times=2)
    with pytest.raises(RequestTimeout):
        run(api, lambda c: c.get_task(TASK), timeout=0.2, max_retries=1)


def test_cancel_is_not_retried(api: FakeGcoreAPI) -> None:
    """A dropped cancel raises at once; a good one answers 202."""
    api.add_task(make_task("running", status="STARTED"))
    api.inject(Fault.drop_connection(), path="/streaming/ai/tasks/running/cancel")
    with pytest.raises(ConnectError):
        run(api, lambda c: c.cancel_task("running"))
    assert len(api.requests) == 1
    answer = run(api, lambda c: c.cancel_task("running"))
    assert answer == {"result": "Task has been cancelled successfully."}


def test_list_walks_every_page(api: FakeGcoreAPI) -> None:
    """An async iterator over all 24 tasks, one request per page."""
    tasks = run(api, lambda c: collect(c, page_size=5, status="SUCCESS"))
    assert len({t["task_id"] for t in tasks}) == 24
    assert [r.query["page"] for r in api.requests] == ["1", "2", "3", "4", "5"]
    assert api.requests[0].query["status"] == "SUCCESS"


def test_list_reports_the_count_once(api: FakeGcoreAPI) -> None:
    """``on_count`` hears the list's total once, from the first page."""
    counts: list[int] = []
    tasks = run(api, lambda c: collect(c, page_size=5, on_count=counts.append))
    assert counts == [24]
    assert len(tasks) == 24


def test_list_stops_at_404_past_the_end_and_at_an_empty_page(api: FakeGcoreAPI) -> None:
    """404 on page 2 ends the listing; an empty page 1 ends it at once."""

    async def job(client: AsyncClient) -> tuple[int, int]:
        pages = client.list_tasks(page_size=5)
        first = [await pages.__anext__() for _ in range(5)]
        api.inject(Fault.not_found())
        rest = [task async for task in pages]
        api.inject(Fault.http(200, {"next": "page=2", "results": []}))
        empty = await collect(client)
        return len(first) + len(rest), len(empty)

    assert run(api, job) == (5, 0)
    assert [r.query["page"] for r in api.requests] == ["1", "2", "1"]


def test_wait_with_flapping_and_progress(api: FakeGcoreAPI) -> None:
    """STARTED <-> PENDING and RETRY are waited through; each poll is reported."""
    api.add_task(
        make_task("w"),
        statuses=["RECEIVED", "PENDING", ("STARTED", 40), "PENDING", "RETRY", "SUCCESS"],
    )
    seen: list[TaskProgress] = []
    payload = run(api, lambda c: c.wait_for_task("w", poll_interval=0.01, on_progress=seen.append))
    assert payload["status"] == "SUCCESS"
    assert [p.status for p in seen] == [
        "RECEIVED", "PENDING", "STARTED", "PENDING", "RETRY", "SUCCESS",
    ]  # fmt: skip


def test_wait_failure_and_timeout(api: FakeGcoreAPI) -> None:
    """FAILURE raises TaskFailed with its text; a stuck task raises WaitTimeout."""
    api.add_task(make_task("f", status="FAILURE", error="Unsupported file type"))
    api.add_task(make_task("stuck", status="PENDING"))
    with pytest.raises(TaskFailed, match="Unsupported file type"):
        run(api, lambda c: c.wait_for_task("f"))
    with pytest.raises(WaitTimeout, match="last status PENDING"):
        run(api, lambda c: c.wait_for_task("stuck", timeout=0.2, poll_interval=0.05))


def test_cross_host_redirect_drops_the_key(api: FakeGcoreAPI) -> None:
    """The second server never sees the Authorization header."""
    with FakeGcoreAPI(tasks=[make_task(TASK)], api_key=None) as other:
        api.inject(Fault.redirect(f"{other.base_url}{PATH}"))
        assert run(api, lambda c: c.get_task(TASK))["task_id"] == TASK
        assert [r.authorized for r in other.requests] == [False]


def test_concurrent_requests_overlap() -> None:
    """16 gets with 0.2 s latency finish in far less than 16 x 0.2 s."""
    with FakeGcoreAPI(tasks=make_tasks(16), api_key=KEY, latency=0.2) as api:
        ids = [t["task_id"] for t in make_tasks(16)]

        async def job(client: AsyncClient) -> list[dict[str, Any]]:
            return list(await asyncio.gather(*(client.get_task(i) for i in ids)))

        began = time.monotonic()
        payloads = run(api, job)
        elapsed = time.monotonic() - began
    assert [p["task_id"] for p in payloads] == ids
    assert elapsed < 1.5


def test_a_callers_async_client_is_left_open(api: FakeGcoreAPI) -> None:
    """``http_client=`` is used and never closed by us."""

    async def main() -> bool:
        async with httpx.AsyncClient() as own:
            async with AsyncClient(api_key=KEY, base_url=api.base_url, http_client=own) as client:
                await client.get_task(TASK)
            return own.is_closed

    assert asyncio.run(main()) is False
    assert len(api.requests) == 1


def test_repr_hides_the_key(api: FakeGcoreAPI) -> None:
    """The async client's repr shows the base URL only."""

    async def job(client: AsyncClient) -> str:
        return repr(client)

    shown = run(api, job)
    assert shown == f"AsyncClient(base_url={api.base_url!r})"
    assert KEY not in shown


def test_get_transcript_and_wait_for(api: FakeGcoreAPI) -> None:
    """The async twins of get_transcript and wait_for give the same Transcript."""
    api.add_task(make_task("w", cues=[(0, 1500, "Hello.")]), statuses=["STARTED", "SUCCESS"])

    async def job(client: AsyncClient) -> tuple[Any, Any]:
        return await client.get_transcript(TASK), await client.wait_for("w", poll_interval=0.01)

    fetched, waited = run(api, job)
    assert fetched.task_id == TASK
    assert len(fetched.cues) == 3
    assert [c.text for c in waited.cues] == ["Hello."]
