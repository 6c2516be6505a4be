"""
A fake Gcore AI-tasks API for tests: a real HTTP server on 127.0.0.1.

It serves ``GET /streaming/ai/tasks`` (filters and ``search``, pagination,
404 or an empty page past the last), ``GET /streaming/ai/tasks/{id}``,
``POST .../{id}/cancel`` and ``GET /streaming/ai/info`` from task payloads
you give it, creates tasks (``POST /streaming/ai/tasks``: they walk to
SUCCESS as they are polled, with captions derived from the URL and
language; the queue limit; 422 when AI is off), checks the
``Authorization: APIKey <key>`` header, lets tasks move through statuses as
they are polled, and injects faults (429 with or without ``Retry-After``,
5xx, dropped connections, truncated or non-JSON bodies, slow answers,
redirects), and hostile ones: answers that echo the request's
``Authorization`` header back, answers trickled a byte at a time, and
huge, endless or compressed-bomb bodies; queued one by one or, with
``fault_rate``, drawn at random (seeded). Every request is logged, with the
key redacted.

It also serves a video's subtitle tracks (``/streaming/videos/{id}/subtitles``:
list, get, create, update, delete, with Gcore's documented validation) for
videos added with :meth:`FakeGcoreAPI.add_video`; ``Fault.lose_answer()``
applies a request on the server and then drops its answer, as a connection
lost after sending does.

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
import random
import threading
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType, TracebackType
from typing import Any

from ._create_routes import DEFAULT_CREATE_STATUSES, answer_create
from ._http import Server
from ._payloads import make_task, make_tasks
from ._routes import (
    NOT_FOUND,
    Answer,
    TaskState,
    answer_cancel,
    answer_info,
    answer_list,
    scripted,
)
from ._tracks_routes import VIDEOS, TrackStore

__all__ = [
    "RANDOM_FAULTS",
    "FakeGcoreAPI",
    "Fault",
    "RecordedRequest",
    "make_task",
    "make_tasks",
]

TASKS = "/streaming/ai/tasks"
REDACTED = "<redacted>"
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
    size: int | None = None
    part: str = ""

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
    def lose_answer(cls, delay: float = 0.0) -> Fault:
        """
        Apply the request on the server (a create creates, a delete
        deletes), wait ``delay`` seconds, then close the connection without
        an answer: the lost answer a client must not answer with a blind
        retry. A ``delay`` longer than the client's timeout makes it a
        timeout instead.
        """
        return cls("lose", seconds=delay)

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

    @classmethod
    def echo_authorization(
        cls, where: str = "body", *, status: int = 400, form: str = "raw"
    ) -> Fault:
        """
        Echo the request's ``Authorization`` value back, as a careless
        server or proxy might.

        Args:
            where: ``"body"`` (a JSON error ``{"error": "... <value>"}`` with
                ``status``), ``"html"`` (a 200 HTML page, not JSON),
                ``"location"`` (a 302 to another server whose URL holds the
                value), ``"header"`` (an ``X-Echo`` header and a JSON error
                with ``status``), ``"reason"`` (the value as the reason
                phrase of a ``status`` answer) or ``"status-line"`` (a
                malformed status line holding the value).
            status: the HTTP status, for ``body``, ``header`` and ``reason``.
            form: how the value is written: ``"raw"``, ``"url"`` (percent
                encoded), ``"plus"`` (form encoded), ``"lower"``, ``"upper"``
                or ``"json"`` (JSON-escaped, ``/`` as ``\\/``).
        """
        if where not in _ECHO_PLACES or form not in _ECHO_FORMS:
            raise ValueError(f"where must be one of {_ECHO_PLACES}, form one of {_ECHO_FORMS}")
        return cls("echo", status, part=where, body=form)

    @classmethod
    def trickle(cls, seconds_per_byte: float = 1.0, *, part: str = "body") -> Fault:
        """
        Send a normal answer one byte at a time, ``seconds_per_byte`` apart:
        ``part="body"`` trickles the body after prompt headers,
        ``part="headers"`` the status line and headers too. Every read
        gets data quickly, so only an overall deadline stops it.
        """
        if part not in ("body", "headers"):
            raise ValueError(f"part must be 'body' or 'headers', not {part!r}")
        return cls("trickle", seconds=seconds_per_byte, part=part)

    @classmethod
    def huge_body(
        cls, size: int | None = None, *, content_length: int | None = None, gzip: bool = False
    ) -> Fault:
        """
        A 200 whose body is ``size`` bytes of a JSON object that never
        closes, or endless (chunked, until the client hangs up) when
        ``size`` is ``None``.

        Args:
            size: the body's length (``None``: endless).
            content_length: announce this ``Content-Length`` instead of the
                true one (a lie); by default the true length, none when
                endless.
            gzip: send it as ``Content-Encoding: gzip``: a small
                compressed body that expands to ``size`` bytes (a bomb).
        """
        if size is None and (gzip or content_length is not None):
            raise ValueError("an endless body has no length and is not compressed")
        headers = {} if content_length is None else {"Content-Length": str(content_length)}
        return cls(
            "huge", size=size, part="gzip" if gzip else "", headers=MappingProxyType(headers)
        )

    @classmethod
    def short_length(cls, missing: int = 10) -> Fault:
        """
        A 200 whose ``Content-Length`` is ``missing`` bytes less than the
        JSON body that follows (the rest stays on the connection).
        """
        return cls("short-length", size=missing)


_ECHO_PLACES = ("body", "html", "location", "header", "reason", "status-line")
_ECHO_FORMS = ("raw", "url", "plus", "lower", "upper", "json")


RANDOM_FAULTS: tuple[Fault, ...] = (
    Fault.rate_limited(retry_after_ms=5),
    Fault.server_error(500),
    Fault.server_error(502),
    Fault.server_error(503),
    Fault.drop_connection(),
    Fault.truncated_body(),
    Fault.not_json(),
)
"""The transient faults ``FakeGcoreAPI(fault_rate=...)`` draws from by default."""


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
        body: the request body as sent (``b""`` when none).
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """
        The body read as JSON (``None`` when there is none).
        """
        return json.loads(self.body) if self.body else None

    @property
    def authorized(self) -> bool:
        """
        Whether the request carried an ``Authorization`` header.
        """
        return "authorization" in self.headers


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
        queue_limit: unfinished tasks (of all, given or created) allowed
            when a create arrives; over it the create answers ``400 Queue
            limit reached (N), try later.`` (``None``: no limit).
        ai_enabled: ``False``: every create answers 422, "Feature is
            disabled".
        create_statuses: the statuses a created task shows on successive
            ``GET``s (see :meth:`add_task`); PENDING, STARTED 50, SUCCESS.
        past_last_page: ``"404"`` (Gcore's documented answer) or
            ``"empty"`` (an empty page, which the official SDK's pager
            asks for to stop) for a list page past the last.
        fault_rate: the share of requests (0 to 1) answered with a random
            fault instead, each request drawn on its own; faults queued with
            :meth:`inject` come first.
        fault_seed: seeds the draws, so a run's faults can be repeated
            (which request meets which fault still follows arrival order).
        random_faults: the faults drawn from, equally likely (by default
            :data:`RANDOM_FAULTS`: 429 with a short ``retry-after-ms``, 500,
            502, 503, a dropped connection, a truncated and a non-JSON body).

    Attributes ``queue_limit``, ``ai_enabled``, ``create_statuses`` and
    ``past_last_page`` may be changed while the server runs.
    """

    def __init__(
        self,
        tasks: Iterable[Mapping[str, Any]] = (),
        *,
        api_key: str | None = "test-key",
        latency: float = 0.0,
        queue_limit: int | None = 100,
        ai_enabled: bool = True,
        create_statuses: Sequence[str | tuple[str, int]] = DEFAULT_CREATE_STATUSES,
        past_last_page: str = "404",
        fault_rate: float = 0.0,
        fault_seed: int | None = None,
        random_faults: Sequence[Fault] | None = None,
    ) -> None:
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError(f"fault_rate must be between 0 and 1, not {fault_rate!r}")
        if past_last_page not in ("404", "empty"):
            raise ValueError(f"past_last_page must be '404' or 'empty', not {past_last_page!r}")
        self.api_key = api_key
        self.latency = latency
        self.queue_limit = queue_limit
        self.ai_enabled = ai_enabled
        self.create_statuses = tuple(create_statuses)
        self.past_last_page = past_last_page
        self._created: list[str] = []
        self.fault_rate = fault_rate
        self.random_faults = tuple(RANDOM_FAULTS if random_faults is None else random_faults)
        if fault_rate and not self.random_faults:
            raise ValueError("random_faults is empty, so there is no fault to draw")
        self._random_served = 0
        self._random = random.Random(fault_seed)
        self._tasks: dict[str, TaskState] = {}
        self._tracks = TrackStore()
        self._faults: dict[str | None, deque[tuple[Fault, str | None]]] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: Server | None = None
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

    @property
    def random_faults_served(self) -> int:
        """
        How many requests were answered with a fault drawn by ``fault_rate``.
        """
        with self._lock:
            return self._random_served

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

    def inject(
        self, *faults: Fault, path: str | None = None, times: int = 1, method: str | None = None
    ) -> None:
        """
        Queue faults: each request takes the first fault queued for its path
        (e.g. ``"/streaming/ai/tasks/t-1"``), else the first one queued for
        every path (``path=None``), else is answered normally.

        Args:
            faults: answered in this order.
            path: the request path these faults are for.
            times: queue the sequence this many times.
            method: only requests with this method take them (``"POST"``:
                the creates of ``/streaming/ai/tasks``, not its list).
        """
        verb = method.upper() if method else None
        with self._lock:
            self._faults.setdefault(path, deque()).extend(
                [(fault, verb) for fault in faults] * times
            )

    @property
    def created(self) -> list[str]:
        """
        The ids of the tasks ``POST /streaming/ai/tasks`` created, oldest
        first (a lost answer's task included): count them to prove no
        duplicate was made.
        """
        with self._lock:
            return list(self._created)

    def task(self, task_id: str) -> dict[str, Any]:
        """
        The task as a ``GET`` would show it now (without counting a poll).

        Raises:
            KeyError: no such task.
        """
        return self._tasks[task_id].view(with_result=True)

    def add_video(self, video_id: int, tracks: Iterable[Mapping[str, Any]] = ()) -> list[int]:
        """
        Serve a video's subtitle tracks: ``tracks`` are
        ``{"language": "eng", "name": "English", "vtt": "WEBVTT..."}``
        (an ``id`` is given to each that has none); returns their ids.
        Adding a video again adds tracks to it.
        """
        return self._tracks.add_video(video_id, tracks)

    def video_tracks(self, video_id: int) -> list[dict[str, Any]]:
        """
        The tracks the video has now (``id``, ``language``, ``name``,
        ``vtt``), in creation order.

        Raises:
            KeyError: no such video.
        """
        return self._tracks.tracks(video_id)

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
            self._server = Server(self)
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

    def _record(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes = b""
    ) -> None:
        seen = {
            name.lower(): REDACTED if name.lower() == "authorization" else value
            for name, value in headers.items()
        }
        with self._lock:
            self._requests.append(RecordedRequest(method, path, query, seen, body))

    def _next_fault(self, path: str, method: str = "GET") -> Fault | None:
        with self._lock:
            for key in (path, None):
                queue = self._faults.get(key)
                if not queue:
                    continue
                for n, (fault, verb) in enumerate(queue):
                    if verb is None or verb == method:
                        del queue[n]
                        return fault
            if self.fault_rate and self._random.random() < self.fault_rate:
                self._random_served += 1
                return self._random.choice(self.random_faults)
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

    def _create(self, body: bytes) -> Answer:
        with self._lock:
            answer, state = answer_create(
                body,
                list(self._tasks.values()),
                number=len(self._created),
                queue_limit=self.queue_limit,
                ai_enabled=self.ai_enabled,
                statuses=self.create_statuses,
            )
            if state is not None:
                self._tasks[state.task_id] = state
                self._created.append(state.task_id)
        return answer

    def _route(self, method: str, path: str, query: dict[str, str], body: bytes = b"") -> Answer:
        parts = path.rstrip("/").split("/")
        if method == "POST" and path.rstrip("/") == TASKS:
            return self._create(body)
        if path.startswith(VIDEOS + "/"):
            return self._tracks.answer(method, parts[2:], body)
        if method == "GET" and path.rstrip("/") == TASKS:
            with self._lock:
                tasks = list(self._tasks.values())
            return answer_list(tasks, query, past_last_page=self.past_last_page)
        if path.rstrip("/") == "/streaming/ai/info" and method == "GET":
            return answer_info(query)
        if path.startswith(TASKS + "/") and len(parts) in (5, 6):
            task = self._tasks.get(parts[4])
            if len(parts) == 6 and parts[5] == "cancel" and method == "POST":
                return answer_cancel(task)
            if len(parts) == 5 and method == "GET":
                return (200, {}, task.poll()) if task else (404, {}, NOT_FOUND)
        return 404, {}, NOT_FOUND
