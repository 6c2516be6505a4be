"""
A fake Gcore AI-tasks API for tests: a real HTTP server on 127.0.0.1.

It serves ``GET /streaming/ai/tasks`` (filters, pagination, 404 past the
last page), ``GET /streaming/ai/tasks/{id}``, ``POST .../{id}/cancel`` and
``GET /streaming/ai/info`` from task payloads you give it, checks the
``Authorization: APIKey <key>`` header, lets tasks move through statuses as
they are polled, and injects faults (429 with or without ``Retry-After``,
5xx, dropped connections, truncated or non-JSON bodies, slow answers,
redirects). Every request is logged, with the key redacted.

>>> from gcore_captions import Client
>>> from gcore_captions.testing import FakeGcoreAPI, make_task
>>> with FakeGcoreAPI(tasks=[make_task("t-1")]) as api:
...     with Client(api_key=api.api_key, base_url=api.base_url) as client:
...         client.get_task("t-1")["status"]
'SUCCESS'

A pytest fixture is three lines::

    @pytest.fixture
    def gcore_api():
        with FakeGcoreAPI(tasks=make_tasks(3)) as api:
            yield api
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ._fake_routes import (
    NOT_FOUND,
    Answer,
    TaskState,
    answer_cancel,
    answer_info,
    answer_list,
    scripted,
)
from .timecode import format_vtt

__all__ = ["FakeGcoreAPI", "Fault", "RecordedRequest", "make_task", "make_tasks"]

TASKS = "/streaming/ai/tasks"
REDACTED = "<redacted>"
_SAMPLE_CUES = (
    (480, 3920, "Good morning, and welcome to the quarterly product update."),
    (4310, 8775, "Today we'll walk through three changes to the upload pipeline."),
    (9120, 12004, "First, large files now resume automatically after a dropped connection."),
)
_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Fault:
    """
    A fault the fake API answers with instead of the real answer; build one
    with the class methods (``Fault.rate_limited(retry_after=2)``...).
    """

    kind: str
    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    seconds: float = 0.0

    @classmethod
    def http(cls, status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> Fault:
        """
        Answer with this status, JSON body (default ``{"error": ...}``) and
        headers.
        """
        body = {"error": f"injected HTTP {status}"} if body is None else body
        return cls("status", status, body, MappingProxyType(dict(headers or {})))

    @classmethod
    def rate_limited(
        cls, *, retry_after: float | str | None = None, retry_after_ms: float | None = None
    ) -> Fault:
        """
        429 Too Many Requests, with ``Retry-After`` (seconds or an HTTP date)
        and/or ``retry-after-ms`` when given.
        """
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        return cls.http(429, {"error": "Too many requests, try later"}, headers)

    @classmethod
    def not_found(cls) -> Fault:
        """
        Gcore's 404 body (as for an unknown task or a page past the last).
        """
        return cls.http(404, dict(NOT_FOUND))

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """
        A 5xx answer (500, 502, 503...) with a short JSON error.
        """
        return cls.http(status, {"error": f"injected server error {status}"})

    @classmethod
    def drop_connection(cls) -> Fault:
        """
        Close the connection without answering.
        """
        return cls("drop")

    @classmethod
    def truncated_body(cls) -> Fault:
        """
        A 200 whose ``Content-Length`` promises more than is sent before the
        connection closes.
        """
        return cls("truncate")

    @classmethod
    def not_json(cls) -> Fault:
        """
        A 200 with an HTML body (a proxy's error page).
        """
        return cls("not-json")

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """
        Wait ``seconds``, then answer normally.
        """
        return cls("slow", seconds=seconds)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Fault:
        """
        Redirect to ``location`` (which may be another server).
        """
        return cls("redirect", status, headers=MappingProxyType({"Location": location}))


@dataclass(frozen=True)
class RecordedRequest:
    """
    One request the fake API received.

    Attributes:
        method: ``GET``, ``POST``...
        path: the path without the query.
        query: the query parameters.
        headers: the headers (names lower-cased); ``authorization`` is
            replaced by ``"<redacted>"`` so logs never hold a key.
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]

    @property
    def authorized(self) -> bool:
        """
        Whether the request carried an ``Authorization`` header.
        """
        return "authorization" in self.headers


def make_task(
    task_id: str | None = None,
    *,
    status: str = "SUCCESS",
    cues: Sequence[tuple[int, int, str]] | None = None,
    language: str = "eng",
    progress: int | None = None,
    error: str = "Unsupported file type: https://domain.com/video.zip",
    task_name: str = "transcription",
    client_user_id: str | None = None,
    result: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """
    A task payload shaped like ``GET /streaming/ai/tasks/{id}``.

    Args:
        task_id: the id (a random UUID by default).
        status: ``SUCCESS`` (with a result), ``FAILURE`` (with ``error``),
            or any unfinished status (``result`` null).
        cues: ``(start_ms, end_ms, text)`` triples; three sample cues by
            default; ``[]`` for a task without speech.
        language: the ISO 639-2/B code reported in ``languages``.
        progress: the progress (100 for SUCCESS, 0 for PENDING... by default).
        error: the FAILURE text.
        task_name: ``transcription`` or ``content-moderation``.
        client_user_id: your own tag, copied into ``task_data``.
        result: a ready-made ``result`` (overrides the one built from cues).
    """
    status = status.upper()
    task_id = task_id or str(uuid.uuid4())
    cues = _SAMPLE_CUES if cues is None else cues
    if result is None and status == "SUCCESS":
        result = _transcription_result(cues, language)
    elif result is None and status == "FAILURE":
        result = {"error": error}
    return _payload(task_id, status, progress, task_name, client_user_id, result)


def make_tasks(n: int, *, start: int = 0, **options: Any) -> list[dict[str, Any]]:
    """
    ``n`` payloads as :func:`make_task` makes them, with ids
    ``00000000-0000-4000-8000-000000000000`` upward from ``start``.

    The tasks share one ``result`` object (treat payloads as read-only), so
    even 10,000 of them take little memory.
    """
    first = make_task(_numbered_id(start), **options)
    shared = first.get("result")
    status = first["status"]
    tasks = [first]
    for number in range(start + 1, start + n):
        task = _payload(
            _numbered_id(number),
            status,
            first["progress"],
            first["task_data"]["task_name"],
            options.get("client_user_id"),
            shared,
        )
        tasks.append(task)
    return tasks[:n]


class FakeGcoreAPI:
    """
    A fake Gcore AI-tasks API on ``127.0.0.1`` (a free port), serving each
    connection on its own thread; start it with ``with`` (or :meth:`start`
    and :meth:`stop`).

    Args:
        tasks: task payloads (see :func:`make_task`).
        api_key: the key requests must carry (``None``: no auth check).
        latency: seconds to wait before every answer (simulates the network;
            concurrent requests wait in parallel).
    """

    def __init__(
        self,
        tasks: Iterable[Mapping[str, Any]] = (),
        *,
        api_key: str | None = "test-key",
        latency: float = 0.0,
    ) -> None:
        self.api_key = api_key
        self.latency = latency
        self._tasks: dict[str, TaskState] = {}
        self._faults: dict[str | None, deque[Fault]] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        for payload in tasks:
            self.add_task(payload)

    @property
    def base_url(self) -> str:
        """
        ``http://127.0.0.1:<port>`` (the server must be running).
        """
        if self._server is None:
            raise RuntimeError("the fake API is not running; use it in a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def env(self) -> dict[str, str]:
        """
        ``GCORE_API_KEY`` and ``GCORE_BASE_URL`` for this server, to merge
        into ``os.environ`` (or a subprocess's environment).
        """
        env = {"GCORE_BASE_URL": self.base_url}
        if self.api_key is not None:
            env["GCORE_API_KEY"] = self.api_key
        return env

    @property
    def requests(self) -> list[RecordedRequest]:
        """
        Every request received so far, oldest first.
        """
        with self._lock:
            return list(self._requests)

    def add_task(
        self, payload: Mapping[str, Any], *, statuses: Sequence[str | tuple[str, int]] = ()
    ) -> None:
        """
        Serve ``payload``; with ``statuses``, successive ``GET``s of it show
        those statuses (``"PENDING"`` or ``("STARTED", 40)``), the last one
        for good: ``["RECEIVED", "PENDING", ("STARTED", 30), "PENDING",
        ("STARTED", 80), "SUCCESS"]``.
        """
        state = TaskState(payload, scripted(statuses))
        with self._lock:
            self._tasks[state.task_id] = state

    def inject(self, *faults: Fault, path: str | None = None, times: int = 1) -> None:
        """
        Queue faults: each request takes the first fault queued for its path
        (e.g. ``"/streaming/ai/tasks/t-1"``), else the first one queued for
        every path (``path=None``), else is answered normally.

        Args:
            faults: answered in this order.
            path: the request path these faults are for.
            times: queue the sequence this many times.
        """
        with self._lock:
            self._faults.setdefault(path, deque()).extend(list(faults) * times)

    def polls(self, task_id: str) -> int:
        """
        How many ``GET``s of the task were answered.
        """
        return self._tasks[task_id].polls

    def start(self) -> FakeGcoreAPI:
        """
        Start serving in a background thread.
        """
        if self._server is None:
            self._server = _Server(("127.0.0.1", 0), _Handler)
            self._server.api = self
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.01},  # how soon stop() returns
                name="fake-gcore-api",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """
        Stop serving and close the listening socket.
        """
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._server = None
            self._thread = None

    def __enter__(self) -> FakeGcoreAPI:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "stopped"
        return f"FakeGcoreAPI({where}, {len(self._tasks)} tasks)"

    def _record(self, method: str, path: str, query: dict[str, str], headers: Any) -> None:
        seen = {
            name.lower(): REDACTED if name.lower() == "authorization" else value
            for name, value in headers.items()
        }
        with self._lock:
            self._requests.append(RecordedRequest(method, path, query, seen))

    def _next_fault(self, path: str) -> Fault | None:
        with self._lock:
            for key in (path, None):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def _authorized(self, header: str | None) -> Answer | None:
        if self.api_key is None:
            return None
        if not header:
            return 401, {}, {"detail": "Authentication credentials were not provided."}
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "apikey" or token.strip() != self.api_key:
            return 401, {}, {"detail": "Token is invalid or expired"}
        return None

    def _route(self, method: str, path: str, query: dict[str, str]) -> Answer:
        parts = path.rstrip("/").split("/")
        if method == "GET" and path.rstrip("/") == TASKS:
            with self._lock:
                tasks = list(self._tasks.values())
            return answer_list(tasks, query)
        if path.rstrip("/") == "/streaming/ai/info" and method == "GET":
            return answer_info(query)
        if path.startswith(TASKS + "/") and len(parts) in (5, 6):
            task = self._tasks.get(parts[4])
            if len(parts) == 6 and parts[5] == "cancel" and method == "POST":
                return answer_cancel(task)
            if len(parts) == 5 and method == "GET":
                return (200, {}, task.poll()) if task else (404, {}, NOT_FOUND)
        return 404, {}, NOT_FOUND


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # concurrent clients must not see refused connects
    api: FakeGcoreAPI

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out or went away is a normal event in fault tests.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30
    # Headers and body go out as two writes; without TCP_NODELAY the second
    # waits for the client's delayed ACK (~40 ms per request on Linux).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is api.requests

    def _serve(self) -> None:
        api = self.server.api
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        api._record(self.command, split.path, query, self.headers)
        if api.latency:
            time.sleep(api.latency)
        fault = api._next_fault(split.path)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        elif fault is not None:
            self._fault(fault)
            return
        answer = api._authorized(self.headers.get("Authorization"))
        if answer is None:
            answer = api._route(self.command, split.path, query)
        self._send(*answer)

    def _fault(self, fault: Fault) -> None:
        if fault.kind == "drop":
            self.close_connection = True
        elif fault.kind == "truncate":
            body = b'{"task_id": "cut short", "status": "SUC'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 100))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        elif fault.kind == "not-json":
            self._send(200, {"Content-Type": "text/html"}, b"<html><h1>502 Bad Gateway</h1></html>")
        elif fault.kind == "redirect":
            self._send(fault.status, dict(fault.headers), {"detail": "moved"})
        else:
            self._send(fault.status, dict(fault.headers), fault.body)

    def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _transcription_result(cues: Sequence[tuple[int, int, str]], language: str) -> dict[str, Any]:
    subtitles = [
        {"start_time": format_vtt(start), "end_time": format_vtt(end), "text": text}
        for start, end, text in cues
    ]
    vtt = "WEBVTT\n\n" + "".join(
        f"{n}\n{s['start_time']} --> {s['end_time']}\n{s['text']}\n\n"
        for n, s in enumerate(subtitles, 1)
    )
    return {
        "subtitles": subtitles,
        "vttContent": vtt,
        "concatenated_text": " ".join(text for _, _, text in cues),
        "languages": [language] if cues else [],
        "speech_detected": bool(cues),
    }


def _payload(
    task_id: str,
    status: str,
    progress: int | None,
    task_name: str,
    client_user_id: str | None,
    result: Mapping[str, Any] | None,
) -> dict[str, Any]:
    finished = status in ("SUCCESS", "FAILURE")
    if progress is None:
        progress = {"SUCCESS": 100, "FAILURE": 15, "STARTED": 42, "REVOKED": 30}.get(status, 0)
    task_data: dict[str, Any] = {
        "task_name": task_name,
        "url": f"https://media.example.org/videos/{task_id}/video_360.mp4",
        "client_id": 418203,
    }
    if client_user_id is not None:
        task_data["client_user_id"] = client_user_id
    started = None if status in ("RECEIVED", "PENDING") else "2025-03-14T09:21:07.41Z"
    return {
        "task_id": task_id,
        "status": status,
        "progress": progress,
        "processing_time": {
            "started_at": started,
            "completed_at": "2025-03-14T09:22:55.903Z" if finished else None,
            "total_time_sec": 108.493 if finished else None,
        },
        "task_data": task_data,
        "result": result,
    }


def _numbered_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"
