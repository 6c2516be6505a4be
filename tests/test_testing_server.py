"""
The public fake API (gcore_captions.testing), spoken to with plain httpx:
it must behave like Gcore's API, and its faults must really happen on the wire.
"""

from __future__ import annotations

import json
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gcore_captions.testing import FakeGcoreAPI, Fault, make_task, make_tasks

FIXTURES = Path("/work/shared/reference/fixtures")
AUTH = {"Authorization": "APIKey test-key"}


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(tasks=make_tasks(23)) as server:
        yield server


@pytest.fixture
def http(api: FakeGcoreAPI) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.base_url, headers=AUTH, timeout=5) as client:
        yield client


def test_requests_without_the_right_key_get_a_drf_style_401(api: FakeGcoreAPI) -> None:
    """No header, a wrong key, or a Bearer token: 401 with a ``detail`` message."""
    with httpx.Client(base_url=api.base_url) as anonymous:
        missing = anonymous.get("/streaming/ai/tasks")
        wrong = anonymous.get("/streaming/ai/tasks", headers={"Authorization": "APIKey nope"})
        bearer = anonymous.get("/streaming/ai/tasks", headers={"Authorization": "Bearer test-key"})
        lower = anonymous.get("/streaming/ai/tasks", headers={"authorization": "apikey test-key"})
    assert missing.status_code == 401
    assert missing.json() == {"detail": "Authentication credentials were not provided."}
    assert wrong.status_code == bearer.status_code == 401
    assert wrong.json()["detail"] == "Token is invalid or expired"
    assert lower.status_code == 200


def test_list_pages_like_gcore(http: httpx.Client) -> None:
    """count/next/previous as ``page=N`` fragments; items have no ``result``; 404 past the end."""
    first = http.get("/streaming/ai/tasks", params={"limit": 10}).json()
    assert first["count"] == 23
    assert (first["next"], first["previous"]) == ("page=2", None)
    assert len(first["results"]) == 10
    assert all("result" not in item for item in first["results"])
    last = http.get("/streaming/ai/tasks", params={"limit": 10, "page": 3}).json()
    assert (last["next"], last["previous"]) == (None, "page=2")
    assert len(last["results"]) == 3
    past = http.get("/streaming/ai/tasks", params={"limit": 10, "page": 4})
    assert past.status_code == 404
    assert past.json()["status"] == 404
    default = http.get("/streaming/ai/tasks").json()
    assert len(default["results"]) == 10  # Gcore's default page size


def test_an_empty_first_page_is_200_not_404(http: httpx.Client) -> None:
    """No matching tasks: page 1 is an empty list, not an error."""
    body = http.get("/streaming/ai/tasks", params={"status": "REVOKED"}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_list_filters(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """status, task_name, search (task data too), task_id and ordering all filter or sort."""
    api.add_task(make_task("cm-1", task_name="content-moderation"))
    api.add_task(make_task("pend-1", status="PENDING", client_user_id="needle-42"))

    def ids(**params: Any) -> list[str]:
        body = http.get("/streaming/ai/tasks", params={"limit": 100, **params}).json()
        return [item["task_id"] for item in body["results"]]

    assert ids(status="PENDING") == ["pend-1"]
    assert ids(task_name="content-moderation") == ["cm-1"]
    assert ids(search="NEEDLE-4") == ["pend-1"]
    assert ids(task_id="cm-1") == ["cm-1"]
    ordered = ids(ordering="task_id")
    assert ordered[:2] == [make_tasks(1)[0]["task_id"], make_tasks(1, start=1)[0]["task_id"]]
    assert ordered[-2:] == ["cm-1", "pend-1"]
    assert http.get("/streaming/ai/tasks", params={"ordering": "size"}).status_code == 422
    assert http.get("/streaming/ai/tasks", params={"page": "x"}).status_code == 400


def test_get_one_task_and_unknown_ids(http: httpx.Client) -> None:
    """GET one returns the whole payload with its result; an unknown id is Gcore's 404 body."""
    task = http.get("/streaming/ai/tasks/00000000-0000-4000-8000-000000000004").json()
    assert task["status"] == "SUCCESS"
    assert task["result"]["subtitles"][0]["start_time"] == "00:00:00.480"
    missing = http.get("/streaming/ai/tasks/nope")
    assert missing.status_code == 404
    assert missing.json()["error"].startswith("Not Found.")


def test_scripted_tasks_move_through_statuses_as_they_are_polled(
    api: FakeGcoreAPI, http: httpx.Client
) -> None:
    """Each GET shows the next scripted status; the result appears only at SUCCESS."""
    api.add_task(
        make_task("w"),
        statuses=["RECEIVED", "PENDING", ("STARTED", 30), "PENDING", ("STARTED", 80), "SUCCESS"],
    )
    seen = [http.get("/streaming/ai/tasks/w").json() for _ in range(7)]
    assert [(t["status"], t["progress"]) for t in seen] == [
        ("RECEIVED", 0), ("PENDING", 0), ("STARTED", 30), ("PENDING", 30),
        ("STARTED", 80), ("SUCCESS", 100), ("SUCCESS", 100),
    ]  # fmt: skip
    assert all(t["result"] is None for t in seen[:5])
    assert seen[0]["processing_time"]["started_at"] is None
    assert seen[3]["processing_time"]["started_at"] is not None
    assert seen[5]["result"]["speech_detected"] is True
    assert api.polls("w") == 7


def test_a_scripted_failure_carries_an_error(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """A script ending in FAILURE shows ``result.error`` like Gcore does."""
    api.add_task(make_task("f"), statuses=["STARTED", "FAILURE"])
    http.get("/streaming/ai/tasks/f")
    failed = http.get("/streaming/ai/tasks/f").json()
    assert failed["status"] == "FAILURE"
    assert failed["result"]["error"]


def test_cancel_answers_202_then_412_and_404(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """Cancel an unfinished task: 202, then it is REVOKED and a second cancel is 412."""
    api.add_task(make_task("run", status="STARTED"))
    first = http.post("/streaming/ai/tasks/run/cancel")
    assert (first.status_code, first.json()) == (
        202,
        {"result": "Task has been cancelled successfully."},
    )
    assert http.get("/streaming/ai/tasks/run").json()["status"] == "REVOKED"
    again = http.post("/streaming/ai/tasks/run/cancel")
    assert again.status_code == 412
    assert "REVOKED" in again.json()["error"]
    done = http.post("/streaming/ai/tasks/00000000-0000-4000-8000-000000000000/cancel")
    assert done.status_code == 412
    assert http.post("/streaming/ai/tasks/ghost/cancel").json() == {"error": "Task not found"}


@pytest.mark.parametrize(
    ("params", "supported"),
    [
        ({"audio_language": "ger"}, True),
        ({"audio_language": "ger", "subtitles_language": "eng"}, True),
        ({"audio_language": "eng", "subtitles_language": "uzb"}, False),
        ({"audio_language": "deu", "subtitles_language": "fra"}, True),
        ({"audio_language": "klingon"}, False),
    ],
)
def test_language_support(http: httpx.Client, params: dict[str, str], supported: bool) -> None:
    """/ai/info answers ``supported`` from the documented lists (B and T codes)."""
    body = http.get("/streaming/ai/info", params={"type": "language_support", **params}).json()
    assert body == {"supported": supported}


def test_language_support_rejects_a_bad_type(http: httpx.Client) -> None:
    """An unknown ``type`` is a 400 with Gcore's error text."""
    answer = http.get("/streaming/ai/info", params={"type": "colours"})
    assert (answer.status_code, answer.json()) == (400, {"error": "Invalid config type"})


def test_rate_limit_faults_carry_their_headers(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """429 with Retry-After, with retry-after-ms, and bare; then the normal answer."""
    api.inject(
        Fault.rate_limited(retry_after=2),
        Fault.rate_limited(retry_after_ms=1500),
        Fault.rate_limited(),
    )
    answers = [http.get("/streaming/ai/tasks") for _ in range(4)]
    assert [a.status_code for a in answers] == [429, 429, 429, 200]
    assert answers[0].headers["Retry-After"] == "2"
    assert answers[1].headers["retry-after-ms"] == "1500"
    assert "retry-after" not in answers[2].headers
    assert answers[2].json() == {"error": "Too many requests, try later"}


def test_faults_for_a_path_come_before_global_ones(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """A path's own queue is used first; other paths take the global queue."""
    path = "/streaming/ai/tasks/00000000-0000-4000-8000-000000000001"
    api.inject(Fault.server_error(502), path=path)
    api.inject(Fault.server_error(503))
    assert http.get(path).status_code == 502
    assert http.get("/streaming/ai/tasks").status_code == 503
    assert http.get(path).status_code == 200


def test_dropped_connection_and_truncated_body_really_break(
    api: FakeGcoreAPI, http: httpx.Client
) -> None:
    """A drop closes the socket unanswered; a truncation promises more bytes than it sends."""
    api.inject(Fault.drop_connection())
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        http.get("/streaming/ai/tasks")
    api.inject(Fault.truncated_body())
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        http.get("/streaming/ai/tasks")
    assert http.get("/streaming/ai/tasks").status_code == 200


def test_not_json_and_slow_faults(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """A 200 with an HTML page; a slow answer that still arrives in full."""
    api.inject(Fault.not_json(), Fault.slow(0.3))
    page = http.get("/streaming/ai/tasks")
    assert page.status_code == 200
    assert page.text.startswith("<html>")
    began = time.monotonic()
    assert http.get("/streaming/ai/tasks").json()["count"] == 23
    assert time.monotonic() - began >= 0.3


def test_the_request_log_redacts_the_key(api: FakeGcoreAPI, http: httpx.Client) -> None:
    """Every request is recorded with query and headers; the key is never kept."""
    http.get("/streaming/ai/tasks", params={"status": "SUCCESS", "page": 2})
    record = api.requests[-1]
    assert (record.method, record.path) == ("GET", "/streaming/ai/tasks")
    assert record.query == {"status": "SUCCESS", "page": "2"}
    assert record.headers["authorization"] == "<redacted>"
    assert record.authorized
    assert "test-key" not in repr(api.requests)


def test_concurrent_requests_are_served_in_parallel() -> None:
    """With 0.2 s latency, 8 simultaneous requests take about 0.2 s, not 1.6 s."""
    with FakeGcoreAPI(tasks=make_tasks(8), latency=0.2) as api:
        codes: list[int] = []

        def fetch(n: int) -> None:
            with httpx.Client(base_url=api.base_url, headers=AUTH) as client:
                codes.append(
                    client.get(
                        f"/streaming/ai/tasks/{make_tasks(1, start=n)[0]['task_id']}"
                    ).status_code
                )

        threads = [threading.Thread(target=fetch, args=(n,)) for n in range(8)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    assert codes == [200] * 8
    assert elapsed < 1.0


def test_ten_thousand_tasks_stay_light() -> None:
    """make_tasks shares one result, so 10,000 tasks cost a few MB and list fast."""
    tracemalloc.start()
    try:
        tasks = make_tasks(10_000)
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size < 20_000_000
    assert tasks[0]["result"] is tasks[-1]["result"]
    assert tasks[-1]["task_id"] == "00000000-0000-4000-8000-000000009999"
    with (
        FakeGcoreAPI(tasks=tasks) as api,
        httpx.Client(base_url=api.base_url, headers=AUTH) as http,
    ):
        body = http.get("/streaming/ai/tasks", params={"page": 100, "limit": 100}).json()
    assert body["next"] is None
    assert len(body["results"]) == 100


def test_make_task_matches_the_documented_shapes() -> None:
    """Built payloads have the same keys as the reference fixtures, for every kind."""
    success = json.loads((FIXTURES / "transcription-success.json").read_text())
    built = make_task(client_user_id="user-8841")
    assert built.keys() == success.keys()
    assert built["result"].keys() == success["result"].keys()
    assert built["task_data"].keys() == success["task_data"].keys()
    assert built["result"]["vttContent"].startswith("WEBVTT\n\n1\n00:00:00.480 --> ")
    silent = make_task(cues=[])
    assert silent["result"]["speech_detected"] is False
    assert silent["result"]["vttContent"] == "WEBVTT\n\n"
    failed = make_task(status="failure", error="boom")
    assert (failed["status"], failed["result"]) == ("FAILURE", {"error": "boom"})
    pending = make_task(status="PENDING")
    assert pending["result"] is None
    assert pending["processing_time"]["started_at"] is None


def test_fixture_payloads_are_served_as_given(tmp_path: Path) -> None:
    """The reference fixtures can be served directly."""
    payload = json.loads((FIXTURES / "transcription-translated.json").read_text())
    with FakeGcoreAPI(tasks=[payload], api_key=None) as api, httpx.Client() as http:
        served = http.get(f"{api.base_url}/streaming/ai/tasks/{payload['task_id']}").json()
    assert served == payload


def test_lifecycle_and_env() -> None:
    """base_url needs a running server; env gives the two variables; stop frees the port."""
    api = FakeGcoreAPI()
    with pytest.raises(RuntimeError, match="not running"):
        _ = api.base_url
    with api:
        assert api.env == {"GCORE_BASE_URL": api.base_url, "GCORE_API_KEY": "test-key"}
        url = api.base_url
        assert "127.0.0.1" in repr(api)
    assert repr(api) == "FakeGcoreAPI(stopped, 0 tasks)"
    with pytest.raises(httpx.ConnectError), httpx.Client() as http:
        http.get(url)
