"""
``create_transcription`` against the loopback fake API, faults included: a
lost answer never makes a second task (tasks are counted on the server),
a full queue is waited out, 422 is its own error, earlier tasks are found
by tag; and the fake API's own creation, queue limit and pager option.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gcore_captions import (
    AsyncClient,
    Client,
    FeatureDisabledError,
    InvalidRequest,
    QueueLimitReached,
    RetryPolicy,
)
from gcore_captions.errors import ConnectError
from gcore_captions.gcore import creation_tag
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task

TASKS = "/streaming/ai/tasks"
URL = "https://media.example.org/videos/keynote_360.mp4"
FAST = RetryPolicy(sleep_scale=0.001)


def client(api: FakeGcoreAPI, **options: Any) -> Client:
    options.setdefault("retry_policy", FAST)
    return Client(api_key=api.api_key, base_url=api.base_url, **options)


def posts(api: FakeGcoreAPI) -> list[dict[str, Any]]:
    return [r for r in api.requests if r.method == "POST" and r.path == TASKS]  # type: ignore[misc]


@pytest.fixture
def api() -> FakeGcoreAPI:
    with FakeGcoreAPI() as server:
        yield server  # type: ignore[misc]


def test_create_sends_b_codes_and_a_derived_tag_and_the_task_walks_to_success(
    api: FakeGcoreAPI,
) -> None:
    """deu and fr-CA go out as ger and fre; the tag is derived; PENDING, STARTED, SUCCESS."""
    with client(api) as c:
        task_id = c.create_transcription(URL, audio_language="deu", subtitles_language="fr-CA")
        statuses = [c.get_task(task_id)["status"] for _ in range(3)]
        transcript = c.get_transcript(task_id)
    assert api.created == [task_id]
    data = api.task(task_id)["task_data"]
    assert (data["audio_language"], data["subtitles_language"]) == ("ger", "fre")
    assert data["client_user_id"] == creation_tag(URL, "ger", "fre")
    assert data["task_name"] == "transcription"
    assert data["url"] == URL
    assert statuses == ["PENDING", "STARTED", "SUCCESS"]
    assert transcript.cues[0].text.startswith("[fre] keynote_360.mp4")


def test_results_are_derived_from_the_request_and_the_same_on_another_server() -> None:
    """The same URL and language give the same captions; another language others."""
    texts = []
    for language in ("eng", "eng", "spa"):
        with FakeGcoreAPI(create_statuses=["SUCCESS"]) as api, client(api) as c:
            task_id = c.create_transcription(URL, audio_language=language)
            texts.append([cue.text for cue in c.get_transcript(task_id).cues])
    assert texts[0] == texts[1] != texts[2]


@pytest.mark.parametrize(
    "fault",
    [Fault.lose_answer(), Fault.truncated_body(), Fault.server_error(502)],
    ids=["dropped-after-create", "cut-body", "502"],
)
def test_an_uncertain_answer_is_looked_up_and_never_sent_blindly(
    api: FakeGcoreAPI, fault: Fault
) -> None:
    """Whatever the fault, the server ends with exactly one task, and it is the one returned."""
    api.inject(fault, path=TASKS, method="POST")
    with client(api) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]


def test_lost_answers_on_every_try_still_make_one_task(api: FakeGcoreAPI) -> None:
    """Three lost answers in a row: the first one's task is found, nothing more is sent."""
    api.inject(Fault.lose_answer(), path=TASKS, times=3, method="POST")
    with client(api) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]
    assert len(posts(api)) == 1


def test_a_timeout_after_the_server_created_the_task_finds_it(api: FakeGcoreAPI) -> None:
    """The server makes the task and answers after the client's time limit: no second task."""
    api.inject(Fault.lose_answer(delay=1.0), path=TASKS, method="POST")
    with client(api, timeout=0.3) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]
    assert len(posts(api)) == 1


def test_a_create_that_never_arrived_is_sent_again_once(api: FakeGcoreAPI) -> None:
    """A dropped connection that made nothing: looked up, not found, sent again: one task."""
    api.inject(Fault.drop_connection(), path=TASKS, method="POST")
    with client(api) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]
    kinds = [(r.method, r.path) for r in api.requests]
    assert kinds == [("GET", TASKS), ("POST", TASKS), ("GET", TASKS), ("POST", TASKS)]


def test_faults_on_every_try_give_up_with_a_typed_error_and_no_task(api: FakeGcoreAPI) -> None:
    """Connection dropped every time: gives up after max_retries + 1 sends, none made."""
    api.inject(Fault.drop_connection(), path=TASKS, times=5, method="POST")
    with client(api) as c, pytest.raises(ConnectError, match="no task with tag gcc-"):
        c.create_transcription(URL)
    assert api.created == []
    assert len(posts(api)) == 3


def test_a_create_that_lands_after_the_timeout_is_found_after_the_backoff(
    api: FakeGcoreAPI,
) -> None:
    """The server makes the task 0.8 s in, after the client gave up at 0.3 s: the look-up
    comes after the backoff (1 s here) and finds it, so nothing is sent again."""
    api.inject(Fault.slow(0.8), path=TASKS, method="POST")
    policy = RetryPolicy(base_delay=1000.0, max_delay=1000.0, sleep_scale=0.001)
    with client(api, timeout=0.3, retry_policy=policy) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]
    assert len(posts(api)) == 1


def test_lost_answers_that_time_out_each_time_make_one_task(api: FakeGcoreAPI) -> None:
    """Lost answers the client gave up on (0.2 s) before they were dropped: one task."""
    api.inject(Fault.lose_answer(delay=0.8), path=TASKS, times=3, method="POST")
    with client(api, timeout=0.2) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]


def test_queue_limit_is_waited_out(api: FakeGcoreAPI, caplog: pytest.LogCaptureFixture) -> None:
    """Two 400 Queue limit answers, then room: one task, two waits logged."""
    full = Fault.http(400, {"error": "Queue limit reached (100), try later."})
    api.inject(full, full, path=TASKS, method="POST")
    with caplog.at_level(logging.INFO, "gcore_captions"), client(api) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]
    assert sum("queue full" in r.getMessage() for r in caplog.records) == 2


def test_a_full_queue_raises_queue_limit_reached_when_the_wait_runs_out() -> None:
    """The fake's own limit, counted over unfinished tasks; cancel frees a place."""
    blocker = make_task("blocker", status="PENDING")
    with FakeGcoreAPI([blocker], queue_limit=1) as api, client(api) as c:
        with pytest.raises(QueueLimitReached, match=r"Queue limit reached \(1\), try later"):
            c.create_transcription(URL, queue_timeout=10)
        assert api.created == []
        c.cancel_task("blocker")
        task_id = c.create_transcription(URL, queue_timeout=10)
        assert api.created == [task_id]


def test_rate_limited_create_is_waited_out(api: FakeGcoreAPI) -> None:
    """429 means nothing was made: wait and send again, one task."""
    api.inject(Fault.rate_limited(), path=TASKS, method="POST")
    with client(api) as c:
        task_id = c.create_transcription(URL)
    assert api.created == [task_id]


def test_ai_disabled_is_feature_disabled_error_at_once() -> None:
    """422: its own error, one POST, nothing retried."""
    with FakeGcoreAPI(ai_enabled=False) as api, client(api) as c:
        with pytest.raises(FeatureDisabledError, match="Feature is disabled"):
            c.create_transcription(URL)
        assert len(posts(api)) == 1
        assert api.created == []


def test_an_earlier_task_of_the_same_request_is_reused(api: FakeGcoreAPI) -> None:
    """Created elsewhere (another client): found by its tag, no POST; reuse=False makes one."""
    with client(api) as first:
        original = first.create_transcription(URL, audio_language="ger")
    with client(api) as second:
        assert second.create_transcription(URL, audio_language="de") == original
        assert len(posts(api)) == 1
        fresh = second.create_transcription(URL, audio_language="ger", reuse=False)
    assert fresh != original
    assert api.created == [original, fresh]


def test_a_shared_tag_is_matched_on_url_and_languages_too(api: FakeGcoreAPI) -> None:
    """A caller's tag used for many URLs never returns another URL's task."""
    with client(api) as c:
        one = c.create_transcription(URL, client_user_id="customer-42")
        two = c.create_transcription(URL + "?v=2", client_user_id="customer-42")
        three = c.create_transcription(URL, client_user_id="customer-42", subtitles_language="en")
        again = c.create_transcription(URL, client_user_id="customer-42")
    assert len({one, two, three}) == 3
    assert again == one
    search = [r.query.get("search") for r in api.requests if r.method == "GET"]
    assert set(search) == {"customer-42"}


def test_a_failed_task_is_not_reused() -> None:
    """eng to uzb is not offered: the task FAILs; asking again makes a new one."""
    with FakeGcoreAPI(create_statuses=["FAILURE"]) as api, client(api) as c:
        first = c.create_transcription(URL, audio_language="eng", subtitles_language="uzb")
        assert c.get_task(first)["result"]["error"].startswith("Unsupported translation")
        second = c.create_transcription(URL, audio_language="eng", subtitles_language="uzb")
    assert first != second
    assert api.created == [first, second]


@pytest.mark.parametrize(
    ("url", "options", "message"),
    [
        ("ftp://media.example.org/a.mp4", {}, "not an http"),
        ("videos/a.mp4", {}, "not an http"),
        ("https://media.example.org/a\n.mp4", {}, "control character"),
        (URL, {"audio_language": "klingon"}, "audio_language"),
        (URL, {"subtitles_language": "xx"}, "subtitles_language"),
        (URL, {"client_user_id": "x" * 257}, "256"),
        (URL, {"client_entity_data": "x" * 4097}, "4096"),
    ],
)
def test_bad_requests_are_refused_before_sending(
    api: FakeGcoreAPI, url: str, options: dict[str, Any], message: str
) -> None:
    """A typed InvalidRequest (a ValueError too), and not one request sent."""
    with client(api) as c, pytest.raises(InvalidRequest, match=message):
        c.create_transcription(url, **options)
    assert api.requests == []


def test_async_client_has_the_same_safety(api: FakeGcoreAPI) -> None:
    """AsyncClient: a lost answer, then a reuse: one task."""
    api.inject(Fault.lose_answer(), path=TASKS, method="POST")

    async def go() -> tuple[str, str]:
        async with AsyncClient(api_key=api.api_key, base_url=api.base_url, retry_policy=FAST) as c:
            return await c.create_transcription(URL), await c.create_transcription(URL)

    first, second = asyncio.run(go())
    assert first == second
    assert api.created == [first]


def _raw(api: FakeGcoreAPI) -> Callable[..., httpx.Response]:
    def post(body: Any) -> httpx.Response:
        return httpx.post(
            api.base_url + TASKS,
            content=json.dumps(body).encode(),
            headers={"Authorization": f"APIKey {api.api_key}"},
        )

    return post


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"task_name": "transcription"}, 400, "url"),
        ({"task_name": "transcription", "url": "ftp://x/a.mp4"}, 400, "url"),
        ({"task_name": "transcription", "url": URL, "audio_language": "deu"}, 400, "valid"),
        ({"url": URL}, 400, "task_name"),
        ([URL], 400, "object"),
        ({"task_name": "transcription", "url": URL}, 201, None),
    ],
)
def test_fake_create_checks_the_body(
    api: FakeGcoreAPI, body: Any, status: int, error: str | None
) -> None:
    """The fake refuses what the API refuses (T codes included: the API takes /B)."""
    answer = _raw(api)(body)
    assert answer.status_code == status
    if error:
        assert error in answer.json()["error"]
    else:
        assert answer.json()["task_id"] == api.created[0]


def test_fake_list_past_the_last_page_answers_empty_for_the_sdk_pager() -> None:
    """past_last_page='empty': the SDK's pager (page+1 until empty) ends cleanly."""
    tasks = [make_task(f"t-{n}") for n in range(3)]
    for mode, last in (("404", 404), ("empty", 200)):
        with FakeGcoreAPI(tasks, past_last_page=mode) as api:
            headers = {"Authorization": f"APIKey {api.api_key}"}
            seen: list[str] = []
            page = 1
            while True:  # the official SDK's pager
                answer = httpx.get(
                    api.base_url + TASKS, params={"page": page, "limit": 2}, headers=headers
                )
                if answer.status_code != 200 or not answer.json()["results"]:
                    break
                seen += [t["task_id"] for t in answer.json()["results"]]
                page += 1
            assert answer.status_code == last
            assert sorted(seen) == ["t-0", "t-1", "t-2"]
            with client(api) as c:
                assert len(list(c.list_tasks(page_size=2))) == 3
    with pytest.raises(ValueError, match="past_last_page"):
        FakeGcoreAPI(past_last_page="never")


def test_a_created_task_can_be_cancelled_and_frees_its_place() -> None:
    """Cancel makes a created task REVOKED; the queue of one has room again."""
    with FakeGcoreAPI(queue_limit=1) as api, client(api) as c:
        first = c.create_transcription(URL)
        with pytest.raises(QueueLimitReached):
            c.create_transcription(URL + "?2", queue_timeout=0)
        assert c.cancel_task(first) == {"result": "Task has been cancelled successfully."}
        assert c.get_task(first)["status"] == "REVOKED"
        second = c.create_transcription(URL + "?2", queue_timeout=0)
    assert api.created == [first, second]


def test_a_failed_look_up_after_a_lost_answer_sends_nothing_more(api: FakeGcoreAPI) -> None:
    """Lost answer, then the list fails too: an error that says so, and no second POST."""
    api.inject(Fault.lose_answer(), path=TASKS, method="POST")
    broken = Fault.http(400, {"error": "list broken"})
    # The look-up before the create is answered (slow(0) answers normally), the one after fails.
    api.inject(Fault.slow(0), broken, path=TASKS, method="GET")
    with client(api) as c, pytest.raises(ConnectError, match="may exist: looking up tag gcc-"):
        c.create_transcription(URL)
    assert len(posts(api)) == 1
    assert len(api.created) == 1
