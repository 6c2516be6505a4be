"""
The sans-I/O core driven by hand: no sockets, no sleeping, a fake clock.

These tests show that every decision (polling intervals, page walking,
retries, where the key goes) lives in the flows, not in the clients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gcore_captions.errors import (
    APIError,
    AuthenticationError,
    FeatureDisabledError,
    NotFoundError,
    QueueLimitReached,
    RateLimitError,
    ServerError,
    TaskFailed,
    WaitTimeout,
)
from gcore_captions.gcore._core import ClientCore, TaskProgress
from gcore_captions.gcore._flow import Emit, Flow, Send, Sleep, error_for_status, server_message
from gcore_captions.gcore.retry import RetryPolicy

KEY = "12345_fake-key-for-tests"


class Clock:
    """A clock that only moves when the flow sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Driver:
    """Runs a flow: answers each Send, advances the clock on each Sleep, keeps a log."""

    def __init__(
        self, answer: Callable[[httpx.Request], httpx.Response], clock: Clock | None = None
    ) -> None:
        self.answer = answer
        self.clock = clock
        self.sleeps: list[float] = []
        self.emitted: list[dict[str, Any]] = []
        self.sent: list[httpx.Request] = []

    def run(self, flow: Flow[Any]) -> Any:
        reply: Any = None
        while True:
            try:
                action = flow.send(reply)
            except StopIteration as stop:
                return stop.value
            reply = None
            if isinstance(action, Send):
                self.sent.append(action.request)
                reply = self.answer(action.request)
            elif isinstance(action, Sleep):
                self.sleeps.append(action.seconds)
                if self.clock is not None:
                    self.clock.now += action.seconds
            else:
                assert isinstance(action, Emit)
                self.emitted.extend(action.items)


def core(clock: Clock | None = None, **options: Any) -> ClientCore:
    return ClientCore(KEY, base_url="https://api.example.test", clock=clock or Clock(), **options)


def json_response(request: httpx.Request, body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body, request=request)


def test_polling_intervals_grow_by_half_up_to_the_cap_and_stop_at_the_timeout() -> None:
    """Waits go 1, 1.5, 2.25, 3.375, then 5 s (the cap); the last is cut to the deadline."""
    clock = Clock()

    def pending(request: httpx.Request) -> httpx.Response:
        return json_response(request, {"task_id": "t1", "status": "STARTED", "progress": 42})

    driver = Driver(pending, clock)
    flow = core(clock).wait_for_task("t1", timeout=20.0, poll_interval=1.0, max_poll_interval=5.0)
    with pytest.raises(WaitTimeout) as caught:
        driver.run(flow)
    assert [round(s, 3) for s in driver.sleeps] == [1.0, 1.5, 2.25, 3.375, 5.0, 5.0, 1.875]
    assert len(driver.sent) == 8  # one poll after the last, trimmed sleep
    assert caught.value.status == "STARTED"
    assert caught.value.progress == 42
    assert caught.value.waited == pytest.approx(20.0)
    assert "STARTED" in str(caught.value)
    assert "42%" in str(caught.value)


def test_waiting_reports_each_poll_and_tolerates_flapping() -> None:
    """STARTED -> PENDING -> STARTED -> RETRY is all 'not finished'; SUCCESS ends it."""
    steps = iter(
        [
            ("RECEIVED", 0), ("PENDING", 0), ("STARTED", 30), ("PENDING", 30), ("RETRY", 30),
            ("STARTED", 80), ("SUCCESS", 100),
        ]
    )  # fmt: skip
    seen: list[TaskProgress] = []

    def answer(request: httpx.Request) -> httpx.Response:
        status, progress = next(steps)
        return json_response(request, {"task_id": "t1", "status": status, "progress": progress})

    driver = Driver(answer, Clock())
    payload = driver.run(core().wait_for_task("t1", poll_interval=0.5, on_progress=seen.append))
    assert payload["status"] == "SUCCESS"
    assert [p.status for p in seen] == [
        "RECEIVED", "PENDING", "STARTED", "PENDING", "RETRY", "STARTED", "SUCCESS",
    ]  # fmt: skip
    assert [p.progress for p in seen][-1] == 100
    assert len(driver.sleeps) == 6


@pytest.mark.parametrize(
    ("status", "result", "expected"),
    [
        ("FAILURE", {"error": "Translation from 'eng' to 'uzb' is not supported"}, "uzb"),
        ("REVOKED", None, "cancelled"),
    ],
)
def test_waiting_ends_with_task_failed(status: str, result: Any, expected: str) -> None:
    """FAILURE carries the task's own error text; REVOKED says it was cancelled."""

    def answer(request: httpx.Request) -> httpx.Response:
        return json_response(request, {"task_id": "t1", "status": status, "result": result})

    with pytest.raises(TaskFailed, match=expected) as caught:
        Driver(answer, Clock()).run(core().wait_for_task("t1"))
    assert caught.value.status == status


def test_waiting_shows_an_odd_error_value_as_parse_task_does() -> None:
    """A FAILURE whose error is not a string: its value is shown, not dropped."""

    def answer(request: httpx.Request) -> httpx.Response:
        payload = {"task_id": "t1", "status": "FAILURE", "result": {"error": {"code": 7}}}
        return json_response(request, payload)

    with pytest.raises(TaskFailed, match='"code": 7') as caught:
        Driver(answer, Clock()).run(core().wait_for_task("t1"))
    assert caught.value.error == '{"code": 7}'


def test_listing_walks_pages_until_next_is_null() -> None:
    """Pages 1..3 are asked for once each; ``next`` null on page 3 ends it."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return json_response(
            request,
            {"next": f"page={page + 1}" if page < 3 else None, "results": [{"task_id": page}]},
        )

    driver = Driver(answer)
    assert driver.run(core().list_tasks(page_size=1)) is None
    assert [item["task_id"] for item in driver.emitted] == [1, 2, 3]
    assert [r.url.params["page"] for r in driver.sent] == ["1", "2", "3"]


def test_listing_never_asks_for_a_page_twice() -> None:
    """A ``next`` that points back at a page already read ends the listing."""

    def answer(request: httpx.Request) -> httpx.Response:
        return json_response(request, {"next": "page=1", "results": [{"task_id": "x"}]})

    driver = Driver(answer)
    driver.run(core().list_tasks())
    assert len(driver.sent) == 1
    assert len(driver.emitted) == 1


def test_listing_follows_next_given_as_a_full_url() -> None:
    """``next`` may also be a URL; its ``page`` parameter is used."""

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        link = "https://api.example.test/streaming/ai/tasks?limit=2&page=5" if page == 1 else None
        return json_response(request, {"next": link, "results": [{"task_id": page}]})

    driver = Driver(answer)
    driver.run(core().list_tasks())
    assert [item["task_id"] for item in driver.emitted] == [1, 5]


def test_the_key_goes_only_to_the_base_urls_origin() -> None:
    """Requests to another host, port or scheme never get the Authorization header."""
    requester = core()._requester
    own = requester.build("GET", httpx.URL("https://API.example.test:443/streaming/ai/tasks"))
    assert own.headers["Authorization"] == f"APIKey {KEY}"
    for other in (
        "https://evil.example.test/x",
        "http://api.example.test/x",
        "https://api.example.test:8443/x",
    ):
        assert "Authorization" not in requester.build("GET", httpx.URL(other)).headers


def test_retry_sleeps_use_the_policy_and_its_scale() -> None:
    """A 503 then a 200: one sleep, the 75-100 % jittered 0.5 s, times sleep_scale."""
    answers = iter([503, 200])

    def answer(request: httpx.Request) -> httpx.Response:
        return json_response(request, {"task_id": "t1"}, next(answers))

    policy = RetryPolicy(sleep_scale=0.5)
    driver = Driver(answer)
    assert driver.run(core(retry_policy=policy).get_task("t1")) == {"task_id": "t1"}
    assert len(driver.sent) == 2
    assert len(driver.sleeps) == 1
    assert 0.375 * 0.5 <= driver.sleeps[0] <= 0.5 * 0.5


@pytest.mark.parametrize(
    ("status", "body", "kind", "words"),
    [
        (401, {"detail": "Token is invalid or expired"}, AuthenticationError, "invalid or expired"),
        (403, {"message": "permission denied"}, AuthenticationError, "permission denied"),
        (404, {"status": 404, "error": "Not Found."}, NotFoundError, "task t1 not found"),
        (422, {"error": "Feature is disabled."}, FeatureDisabledError, "AI is not enabled"),
        (429, {"error": "Too many requests"}, RateLimitError, "Too many requests"),
        (502, b"<html><h1>Bad Gateway</h1></html>", ServerError, "Bad Gateway"),
        (400, {"error": "Queue limit reached (100), try later."}, QueueLimitReached, "Queue limit"),
    ],
)
def test_error_bodies_map_to_typed_errors_with_the_servers_words(
    status: int, body: Any, kind: type[APIError], words: str
) -> None:
    """Each status gets its class, its code, and the server's own message."""
    raw = body if isinstance(body, bytes) else httpx.Response(200, json=body).content
    error = error_for_status(status, raw, "task t1", "https://api.example.test/x")
    assert type(error) is kind
    assert error.status_code == status
    assert words in str(error)


def test_server_message_handles_odd_bodies() -> None:
    """Lists, nested objects, empty and non-UTF-8 bodies still give one readable line."""
    assert server_message(b'{"detail": [{"loc": "x", "msg": "bad"}]}') == (
        '[{"loc": "x", "msg": "bad"}]'
    )
    assert server_message(b"") == ""
    assert server_message(b"\xff\xfe oops \n\n more") == "\ufffd\ufffd oops more"


def test_missing_key_fails_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """No argument and no GCORE_API_KEY: AuthenticationError at construction."""
    monkeypatch.delenv("GCORE_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="GCORE_API_KEY"):
        ClientCore()
    monkeypatch.setenv("GCORE_API_KEY", "   ")
    with pytest.raises(AuthenticationError):
        ClientCore()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """GCORE_API_KEY and GCORE_BASE_URL are read like the official SDK reads them."""
    monkeypatch.setenv("GCORE_API_KEY", KEY)
    monkeypatch.setenv("GCORE_BASE_URL", "http://127.0.0.1:9/")
    settings = ClientCore()
    assert settings.base_url == "http://127.0.0.1:9"
    assert KEY not in repr(settings)
    monkeypatch.delenv("GCORE_BASE_URL")
    assert ClientCore().base_url == "https://api.gcore.com"


@pytest.mark.parametrize(
    "url", ["api.gcore.com", "ftp://api.gcore.com", "https://", "http://[::1", "http://h:port"]
)
def test_a_bad_base_url_is_refused(url: str) -> None:
    """The base URL must be http(s) with a host."""
    with pytest.raises(ValueError, match="base URL"):
        ClientCore(KEY, base_url=url)


def test_max_retries_overrides_the_policy() -> None:
    """``max_retries`` wins over the policy's count and keeps its other settings."""
    settings = core(max_retries=0, retry_policy=RetryPolicy(sleep_scale=0.1))
    assert settings.retry_policy.max_retries == 0
    assert settings.retry_policy.sleep_scale == 0.1


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_task_ids_are_refused(bad: str) -> None:
    """An empty task id would list tasks instead of getting one: refused."""
    with pytest.raises(ValueError, match="task id"):
        next(core().get_task(bad))
