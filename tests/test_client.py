"""
``Client`` against the real loopback fake API: every fault, every status,
errors, retries, pagination, waiting, and where the key may (not) go.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from email.utils import formatdate
from itertools import islice

import httpx
import pytest

from gcore_captions.errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    FeatureDisabledError,
    GcoreCaptionsError,
    NotFoundError,
    QueueLimitReached,
    RateLimitError,
    RequestTimeout,
    ResponseError,
    ServerError,
    TaskFailed,
    TaskNotReady,
    WaitTimeout,
)
from gcore_captions.gcore import Client, TaskProgress
from gcore_captions.gcore.retry import RetryPolicy
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task, make_tasks

TASK = "6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135"
PATH = f"/streaming/ai/tasks/{TASK}"
KEY = "12345_fake-key-for-tests"
FAST = RetryPolicy(sleep_scale=0.001)


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(tasks=[make_task(TASK), *make_tasks(23)], api_key=KEY) as server:
        yield server


@pytest.fixture
def client(api: FakeGcoreAPI) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=api.base_url, retry_policy=FAST) as c:
        yield c


def test_get_task_sends_the_key_and_returns_the_payload(api: FakeGcoreAPI, client: Client) -> None:
    """One GET with ``Authorization: APIKey ...``; the payload comes back as a dict."""
    payload = client.get_task(TASK)
    assert payload["task_id"] == TASK
    assert payload["result"]["languages"] == ["eng"]
    (request,) = api.requests
    assert request.authorized
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("gcore-captions")


def test_env_vars_configure_the_client(api: FakeGcoreAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    """GCORE_API_KEY and GCORE_BASE_URL are enough."""
    for name, value in api.env.items():
        monkeypatch.setenv(name, value)
    with Client() as client:
        assert client.get_task(TASK)["status"] == "SUCCESS"


def test_missing_key_is_an_error_before_any_request(
    api: FakeGcoreAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key anywhere: AuthenticationError, and the server sees nothing."""
    monkeypatch.delenv("GCORE_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="no API key"):
        Client(base_url=api.base_url)
    assert api.requests == []


@pytest.mark.parametrize("bad", ["abc\ndef", "abc\r\ndef", "abc\x00def", "abcdéf", "ab\tc"])
def test_a_key_no_header_can_carry_is_refused_without_showing_it(
    api: FakeGcoreAPI, bad: str
) -> None:
    """A pasted line break or non-ASCII letter: AuthenticationError up front, key not quoted."""
    secret = f"{KEY}-{bad}"
    with pytest.raises(AuthenticationError, match="the API key holds") as caught:
        Client(api_key=secret, base_url=api.base_url)
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)
    assert api.requests == []


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        (
            Fault.http(401, {"detail": "Token is invalid or expired"}),
            AuthenticationError,
            "expired",
        ),
        (Fault.http(403, {"detail": "Permission denied"}), AuthenticationError, "Permission"),
        (Fault.not_found(), NotFoundError, f"task {TASK} not found"),
        (Fault.http(422, {"error": "Feature is disabled."}), FeatureDisabledError, "AI is not"),
        (Fault.http(400, {"error": "Queue limit reached (100)"}), QueueLimitReached, "Queue limit"),
        (Fault.http(412, {"message": "Precondition"}), APIError, "Precondition"),
    ],
)
def test_final_errors_are_typed_and_not_retried(
    api: FakeGcoreAPI, client: Client, fault: Fault, kind: type[APIError], words: str
) -> None:
    """401/403/404/422/other 4xx raise at once with the status and the server's message."""
    api.inject(fault)
    with pytest.raises(kind, match=words) as caught:
        client.get_task(TASK)
    assert type(caught.value) is kind
    assert caught.value.status_code == fault.status
    assert caught.value.request_url is not None
    assert len(api.requests) == 1


def test_an_unknown_task_is_not_found_naming_it(client: Client) -> None:
    """The real 404 from the server names the task id."""
    with pytest.raises(NotFoundError, match="task ghost not found: Not Found"):
        client.get_task("ghost")


@pytest.mark.parametrize(
    "fault",
    [
        Fault.rate_limited(),
        Fault.rate_limited(retry_after=1),
        Fault.rate_limited(retry_after_ms=200),
        Fault.server_error(500),
        Fault.server_error(502),
        Fault.server_error(503),
        Fault.http(408),
        Fault.http(409),
        Fault.drop_connection(),
        Fault.truncated_body(),
        Fault.not_json(),
    ],
    ids=lambda f: f"{f.kind}-{f.status}-{'-'.join(f.headers)}",
)
def test_transient_faults_are_retried_until_the_answer_comes(
    api: FakeGcoreAPI, client: Client, fault: Fault
) -> None:
    """Two of the same fault, then the real answer: three requests, success."""
    api.inject(fault, times=2)
    assert client.get_task(TASK)["task_id"] == TASK
    assert len(api.requests) == 3


@pytest.mark.parametrize(
    ("fault", "kind", "status"),
    [
        (Fault.rate_limited(), RateLimitError, 429),
        (Fault.server_error(500), ServerError, 500),
        (Fault.server_error(502), ServerError, 502),
        (Fault.server_error(503), ServerError, 503),
        (Fault.drop_connection(), ConnectError, None),
        (Fault.truncated_body(), ResponseError, 200),
        (Fault.not_json(), ResponseError, 200),
    ],
)
def test_exhausted_retries_raise_a_typed_error(
    api: FakeGcoreAPI,
    client: Client,
    fault: Fault,
    kind: type[APIError],
    status: int | None,
) -> None:
    """After 1 + 2 attempts the last fault is raised as its class, with status and words."""
    api.inject(fault, times=3)
    with pytest.raises(kind) as caught:
        client.get_task(TASK)
    assert caught.value.status_code == status
    assert "gave up after 3 attempts" in str(caught.value)
    assert len(api.requests) == 3
    if status and status >= 429:
        assert "Too many requests" in str(caught.value) or "server error" in str(caught.value)


def _retry_delays(caplog: pytest.LogCaptureFixture) -> list[float]:
    return [r.retry_delay for r in caplog.records if hasattr(r, "retry_delay")]


@pytest.mark.parametrize(
    ("fault", "delay"),
    [
        (Fault.rate_limited(retry_after=2), 2.0),
        (Fault.rate_limited(retry_after="7.5"), 7.5),
        (Fault.rate_limited(retry_after_ms=1500), 1.5),
        (Fault.rate_limited(retry_after_ms=250, retry_after=30), 0.25),
        (Fault.http(503, headers={"Retry-After": "3"}), 3.0),
    ],
)
def test_retry_after_is_honoured(
    api: FakeGcoreAPI,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
    delay: float,
) -> None:
    """The wait is the one the server asked for (scaled down for the test by sleep_scale)."""
    caplog.set_level(logging.INFO, logger="gcore_captions")
    api.inject(fault)
    client.get_task(TASK)
    assert _retry_delays(caplog) == [delay]


def test_retry_after_as_an_http_date_and_too_long_a_wait(
    api: FakeGcoreAPI, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """An HTTP date counts down from now; asking for more than 60 s falls back to backoff."""
    import time

    caplog.set_level(logging.INFO, logger="gcore_captions")
    api.inject(Fault.rate_limited(retry_after=formatdate(time.time() + 5, usegmt=True)))
    api.inject(Fault.rate_limited(retry_after=3600))
    client.get_task(TASK)
    first, second = _retry_delays(caplog)
    assert 3.0 < first <= 5.0
    assert 0.75 <= second <= 1.0  # second retry: 1 s backoff, jittered


def test_backoff_without_a_server_delay(
    api: FakeGcoreAPI, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """0.5 s then 1 s nominal, each jittered to 75-100 %."""
    caplog.set_level(logging.INFO, logger="gcore_captions")
    api.inject(Fault.server_error(500), times=2)
    client.get_task(TASK)
    first, second = _retry_delays(caplog)
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0


def test_x_should_retry_false_stops_retrying(api: FakeGcoreAPI, client: Client) -> None:
    """The server can forbid a retry of a 503."""
    api.inject(Fault.http(503, headers={"x-should-retry": "false"}))
    with pytest.raises(ServerError):
        client.get_task(TASK)
    assert len(api.requests) == 1


def test_max_retries_zero_makes_one_attempt(api: FakeGcoreAPI) -> None:
    """``max_retries=0`` disables retrying."""
    api.inject(Fault.server_error(503))
    with (
        Client(api_key=KEY, base_url=api.base_url, max_retries=0) as client,
        pytest.raises(ServerError, match="HTTP 503"),
    ):
        client.get_task(TASK)
    assert len(api.requests) == 1


def test_timeouts_are_retried_then_reported(api: FakeGcoreAPI) -> None:
    """A read timeout is retried; if every attempt times out, RequestTimeout."""
    api.inject(Fault.slow(0.6))
    with Client(api_key=KEY, base_url=api.base_url, retry_policy=FAST, timeout=0.2) as client:
        assert client.get_task(TASK)["task_id"] == TASK
    api.inject(Fault.slow(0.6), times=2)
    with (
        Client(api_key=KEY, base_url=api.base_url, max_retries=1, timeout=0.2) as client,
        pytest.raises(RequestTimeout, match="no answer") as caught,
    ):
        client.get_task(TASK)
    assert isinstance(caught.value, ConnectError)
    assert len(api.requests) == 4


def test_a_refused_connection_is_retried_then_reported() -> None:
    """Nobody listening: the request never left, so it is retried, then ConnectError."""
    with FakeGcoreAPI() as gone:
        url = gone.base_url
    with (
        Client(api_key=KEY, base_url=url, retry_policy=FAST) as client,
        pytest.raises(ConnectError, match="gave up after 3 attempts") as caught,
    ):
        client.get_task(TASK)
    assert caught.value.status_code is None
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_cancel_is_not_retried_once_it_may_have_arrived(api: FakeGcoreAPI, client: Client) -> None:
    """A dropped or 503 cancel raises at once: cancelling twice is not the caller's intent."""
    api.add_task(make_task("running", status="STARTED"))
    path = "/streaming/ai/tasks/running/cancel"
    api.inject(Fault.drop_connection(), path=path)
    with pytest.raises(ConnectError):
        client.cancel_task("running")
    api.inject(Fault.server_error(503), path=path)
    with pytest.raises(ServerError):
        client.cancel_task("running")
    assert [r.path for r in api.requests] == [path, path]
    api.inject(Fault.http(503, headers={"x-should-retry": "true"}), path=path)
    assert client.cancel_task("running") == {"result": "Task has been cancelled successfully."}
    assert client.get_task("running")["status"] == "REVOKED"


def test_cancel_errors(api: FakeGcoreAPI, client: Client) -> None:
    """A finished task gives 412 with Gcore's text; an unknown one NotFoundError."""
    with pytest.raises(APIError, match="already in status SUCCESS") as caught:
        client.cancel_task(TASK)
    assert caught.value.status_code == 412
    with pytest.raises(NotFoundError, match="task ghost not found: Task not found"):
        client.cancel_task("ghost")


def test_language_support(client: Client) -> None:
    """/ai/info answers for transcription alone and for a translation pair."""
    assert client.is_language_supported("ger") is True
    assert client.is_language_supported("ger", "eng") is True
    assert client.is_language_supported("eng", "uzb") is False


def test_list_walks_every_page_once(api: FakeGcoreAPI, client: Client) -> None:
    """24 tasks, 5 a page: 5 pages asked for once each, stopping at ``next: null``."""
    tasks = list(client.list_tasks(page_size=5))
    assert len(tasks) == 24
    assert len({t["task_id"] for t in tasks}) == 24
    assert [r.query["page"] for r in api.requests] == ["1", "2", "3", "4", "5"]
    assert {r.query["limit"] for r in api.requests} == {"5"}


def test_list_reports_the_count_once(client: Client) -> None:
    """``on_count`` hears the list's total once, from the first page."""
    counts: list[int] = []
    tasks = list(client.list_tasks(page_size=5, on_count=counts.append))
    assert counts == [24]
    assert len(tasks) == 24


def test_list_sends_the_filters(api: FakeGcoreAPI, client: Client) -> None:
    """Every filter reaches the server as the API's query parameter."""
    list(
        client.list_tasks(
            status="SUCCESS",
            task_name="transcription",
            search="keynote",
            ordering="task_id",
            date_created="2025-03-14",
            page_size=7,
        )
    )
    assert api.requests[0].query == {
        "task_name": "transcription",
        "status": "SUCCESS",
        "search": "keynote",
        "ordering": "task_id",
        "date_created": "2025-03-14",
        "page": "1",
        "limit": "7",
    }


def test_list_stops_at_a_404_past_the_last_page(api: FakeGcoreAPI, client: Client) -> None:
    """A page > 1 answering 404 ends the listing quietly (iteration is lazy)."""
    pages = client.list_tasks(page_size=5)
    first = list(islice(pages, 5))
    api.inject(Fault.not_found())
    rest = list(pages)
    assert len(first) == 5
    assert rest == []
    assert len(api.requests) == 2


def test_list_stops_at_an_empty_page(api: FakeGcoreAPI, client: Client) -> None:
    """An empty ``results`` ends the listing even when ``next`` says otherwise."""
    api.inject(Fault.http(200, {"count": 9, "next": "page=2", "previous": None, "results": []}))
    assert list(client.list_tasks()) == []
    assert len(api.requests) == 1


def test_list_never_loops(api: FakeGcoreAPI, client: Client) -> None:
    """Page 2 pointing back at page 1 ends the listing after two requests."""
    item = {"task_id": "x", "status": "SUCCESS"}
    api.inject(
        Fault.http(200, {"next": "page=2", "results": [item]}),
        Fault.http(200, {"next": "page=1", "results": [item]}),
    )
    assert len(list(client.list_tasks())) == 2
    assert [r.query["page"] for r in api.requests] == ["1", "2"]


def test_list_404_on_the_first_page_is_an_error(api: FakeGcoreAPI, client: Client) -> None:
    """Only a page past the first may be 404."""
    api.inject(Fault.not_found())
    with pytest.raises(NotFoundError, match="page 1 of the task list"):
        list(client.list_tasks())


def test_list_retries_a_failed_page_without_skipping_it(api: FakeGcoreAPI, client: Client) -> None:
    """A 503 on page 2 is retried; no task is lost or repeated."""
    pages = client.list_tasks(page_size=10)
    head = list(islice(pages, 10))
    api.inject(Fault.server_error(503))
    tasks = head + list(pages)
    assert len({t["task_id"] for t in tasks}) == len(tasks) == 24
    assert [r.query["page"] for r in api.requests] == ["1", "2", "2", "3"]


def test_wait_for_task_with_flapping_and_progress(api: FakeGcoreAPI, client: Client) -> None:
    """RECEIVED, PENDING, STARTED <-> PENDING, RETRY, then SUCCESS; each poll reported."""
    api.add_task(
        make_task("w"),
        statuses=[
            "RECEIVED", "PENDING", ("STARTED", 20), "PENDING", ("STARTED", 60), "RETRY",
            ("STARTED", 90), "SUCCESS",
        ],
    )  # fmt: skip
    seen: list[TaskProgress] = []
    payload = client.wait_for_task("w", poll_interval=0.01, on_progress=seen.append)
    assert payload["status"] == "SUCCESS"
    assert payload["result"]["speech_detected"] is True
    assert [(p.status, p.progress) for p in seen] == [
        ("RECEIVED", 0), ("PENDING", 0), ("STARTED", 20), ("PENDING", 20), ("STARTED", 60),
        ("RETRY", 60), ("STARTED", 90), ("SUCCESS", 100),
    ]  # fmt: skip
    assert all(p.task_id == "w" for p in seen)
    assert seen[-1].elapsed >= seen[0].elapsed


@pytest.mark.parametrize(
    ("statuses", "status", "words"),
    [
        (["PENDING", ("STARTED", 15), "FAILURE"], "FAILURE", "failed"),
        (["PENDING", ("STARTED", 30), "REVOKED"], "REVOKED", "cancelled"),
    ],
)
def test_wait_ends_with_task_failed(
    api: FakeGcoreAPI, client: Client, statuses: list[str], status: str, words: str
) -> None:
    """FAILURE (with its error) and REVOKED end the wait with TaskFailed."""
    api.add_task(make_task("bad"), statuses=statuses)
    with pytest.raises(TaskFailed, match=words) as caught:
        client.wait_for_task("bad", poll_interval=0.01)
    assert caught.value.status == status


def test_wait_for_a_failed_task_carries_its_error_text(api: FakeGcoreAPI, client: Client) -> None:
    """The task's own ``result.error`` is in the exception."""
    api.add_task(make_task("f", status="FAILURE", error="Unsupported file type: x.zip"))
    with pytest.raises(TaskFailed, match=r"Unsupported file type: x\.zip") as caught:
        client.wait_for_task("f")
    assert caught.value.error == "Unsupported file type: x.zip"


def test_wait_times_out_naming_the_last_status(api: FakeGcoreAPI, client: Client) -> None:
    """A task stuck in STARTED: WaitTimeout with status, progress and time waited."""
    api.add_task(make_task("stuck", status="STARTED", progress=42))
    with pytest.raises(WaitTimeout, match="last status STARTED, 42%") as caught:
        client.wait_for_task("stuck", timeout=0.3, poll_interval=0.05)
    assert caught.value.progress == 42
    assert caught.value.waited is not None
    assert caught.value.waited >= 0.3
    assert isinstance(caught.value, GcoreCaptionsError)


def test_redirects_to_another_host_never_carry_the_key(api: FakeGcoreAPI, client: Client) -> None:
    """A 302 to a second server is followed without the Authorization header."""
    with FakeGcoreAPI(tasks=[make_task(TASK)], api_key=KEY) as other:
        api.inject(Fault.redirect(f"{other.base_url}{PATH}"))
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            client.get_task(TASK)
        assert other.requests
        assert not any(r.authorized for r in other.requests)
    assert api.requests[0].authorized


def test_redirects_on_the_same_host_keep_working(api: FakeGcoreAPI, client: Client) -> None:
    """A relative redirect stays on the base URL's origin and keeps the key."""
    api.inject(Fault.redirect(PATH, status=301), path="/streaming/ai/tasks/old-id")
    assert client.get_task("old-id")["task_id"] == TASK
    assert all(r.authorized for r in api.requests)


def test_redirect_loops_and_redirected_posts_stop(api: FakeGcoreAPI, client: Client) -> None:
    """More than 5 redirects is an error; a redirected cancel is not followed."""
    api.inject(Fault.redirect(PATH), times=6)
    with pytest.raises(APIError, match="too many redirects"):
        client.get_task(TASK)
    api.inject(Fault.redirect(PATH, status=307))
    with pytest.raises(APIError, match="unexpected redirect"):
        client.cancel_task(TASK)


def test_the_key_never_shows(
    api: FakeGcoreAPI, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """Not in any log line (ours, httpx's, httpcore's at DEBUG), error, pickle or repr."""
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    api.inject(Fault.server_error(502), Fault.drop_connection())
    client.get_task(TASK)
    api.inject(Fault.not_json(), Fault.truncated_body())
    client.get_task(TASK)
    api.inject(Fault.http(401, {"detail": "Token is invalid or expired"}))
    for call in (lambda: client.get_task(TASK), lambda: client.get_task("ghost")):
        try:
            call()
        except APIError as error:
            errors.append(error)
    assert len(errors) == 2
    shown = [caplog.text, repr(client), str(client.__dict__), repr(api.requests)]
    shown += [str(e) for e in errors] + [repr(e) for e in errors]
    shown += [repr(pickle.loads(pickle.dumps(e)).__dict__) for e in errors]
    for text in shown:
        assert KEY not in text
    assert "HTTP Request" in caplog.text  # httpx did log at this level


def test_a_callers_http_client_is_used_and_left_open(api: FakeGcoreAPI) -> None:
    """``http_client=`` sends through the caller's client (hooks run) and we never close it."""
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(r.url.path)]}) as own:
        with Client(api_key=KEY, base_url=api.base_url, http_client=own) as client:
            client.get_task(TASK)
        assert not own.is_closed
        assert seen == [PATH]


def test_a_callers_client_with_redirects_on_still_guards_the_key(api: FakeGcoreAPI) -> None:
    """Even if the caller's httpx client follows redirects, ours are handled by us."""
    with (
        FakeGcoreAPI(tasks=[make_task(TASK)], api_key=None) as other,
        httpx.Client(follow_redirects=True) as own,
        Client(api_key=KEY, base_url=api.base_url, http_client=own, retry_policy=FAST) as client,
    ):
        api.inject(Fault.redirect(f"{other.base_url}{PATH}"))
        assert client.get_task(TASK)["task_id"] == TASK
        assert [r.authorized for r in other.requests] == [False]


def test_repr_shows_the_base_url_only(api: FakeGcoreAPI, client: Client) -> None:
    """The repr helps debugging without the key."""
    assert repr(client) == f"Client(base_url={api.base_url!r})"


def test_mock_transport_works_as_the_seam() -> None:
    """httpx.MockTransport through ``http_client=``: a proxy failure is not retried."""
    calls: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ProxyError("proxy said no", request=request)

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"task_id": "m", "status": "SUCCESS"})

    with httpx.Client(transport=httpx.MockTransport(refuse)) as own:
        client = Client(api_key=KEY, base_url="https://api.gcore.com", http_client=own)
        with pytest.raises(ConnectError, match="cannot send task m: proxy said no"):
            client.get_task("m")
    assert len(calls) == 1
    with httpx.Client(transport=httpx.MockTransport(answer)) as own:
        client = Client(api_key=KEY, base_url="https://api.gcore.com", http_client=own)
        assert client.get_task("m") == {"task_id": "m", "status": "SUCCESS"}
    assert calls[-1].headers["Authorization"] == f"APIKey {KEY}"


def test_get_transcript_parses_the_task(api: FakeGcoreAPI, client: Client) -> None:
    """A finished task becomes a Transcript; unfinished and failed ones raise their errors."""
    transcript = client.get_transcript(TASK)
    assert transcript.task_id == TASK
    assert transcript.source == "subtitles"
    assert [c.start_ms for c in transcript.cues] == [480, 4310, 9120]
    api.add_task(make_task("p", status="STARTED", progress=42))
    api.add_task(make_task("f", status="FAILURE", error="bad url"))
    with pytest.raises(TaskNotReady, match="STARTED") as caught:
        client.get_transcript("p")
    assert caught.value.progress == 42
    with pytest.raises(TaskFailed, match="bad url"):
        client.get_transcript("f")


def test_wait_for_returns_the_transcript(api: FakeGcoreAPI, client: Client) -> None:
    """wait_for polls through PENDING/STARTED and parses the finished task."""
    api.add_task(make_task("w", cues=[(0, 1500, "Hello.")]), statuses=["PENDING", "SUCCESS"])
    transcript = client.wait_for("w", poll_interval=0.01)
    assert [(c.start_ms, c.end_ms, c.text) for c in transcript.cues] == [(0, 1500, "Hello.")]
    assert api.polls("w") == 2
