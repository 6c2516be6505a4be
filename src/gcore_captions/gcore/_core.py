"""
The sans-I/O core of ``Client`` and ``AsyncClient``: settings, and every
operation (get, list, wait, cancel, language support) as a flow of actions
(see :mod:`gcore_captions._flow`). The two clients only drive these flows.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from .._version import __version__
from ..errors import (
    AuthenticationError,
    InvalidTaskId,
    NotFoundError,
    ResponseError,
    TaskFailed,
    WaitTimeout,
)
from ..task import FINAL_STATUSES, task_error, task_status
from ._body import overall_seconds
from ._create import DEFAULT_QUEUE_TIMEOUT, CreateRequest, create_flow
from ._flow import DEFAULT_MAX_RESPONSE_BYTES, Call, Emit, Flow, Requester, Sleep, join_params
from ._tracks import TrackFlows
from .retry import RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_QUEUE_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "FAILED_STATUSES",
    "ClientCore",
    "TaskProgress",
    "check_task_id",
]

logger = logging.getLogger("gcore_captions")

DEFAULT_BASE_URL = "https://api.gcore.com"
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=5.0)
"""The official SDK's timeouts: 5 s to connect, 120 s for each read/write;
as an overall limit, 120 s for each request, body included."""

TASKS_PATH = "/streaming/ai/tasks"
INFO_PATH = "/streaming/ai/info"
FAILED_STATUSES = FINAL_STATUSES - {"SUCCESS"}
MAX_TASK_ID_LENGTH = 128
# What a task id may hold: Gcore's are UUIDs. Nothing here can change a URL
# path ("/", "?", "#", "%", spaces and controls are out; dots-only ids are
# refused below).
_TASK_ID = re.compile(r"[A-Za-z0-9._~-]+")

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TaskProgress:
    """
    What one poll of a task showed; passed to ``wait_for(on_progress=...)``.

    Attributes:
        task_id: the task polled.
        status: its status (``PENDING``, ``STARTED``, ``SUCCESS``...).
        progress: its progress, 0-100, when the API gave one.
        elapsed: seconds since waiting began.
        payload: the whole task payload of this poll.
    """

    task_id: str
    status: str
    progress: int | None
    elapsed: float
    payload: Mapping[str, Any]


class ClientCore(TrackFlows):
    """
    Settings and operations shared by ``Client`` and ``AsyncClient`` (the
    subtitle-track ones come from :class:`~._tracks.TrackFlows`).

    Args:
        api_key: the API key; ``GCORE_API_KEY`` when ``None``.
        base_url: the API root; ``GCORE_BASE_URL``, else
            ``https://api.gcore.com``, when ``None``.
        max_retries: overrides ``retry_policy.max_retries`` when given.
        retry_policy: retry counts and waits (the SDK's policy by default).
        clock: a monotonic clock in seconds (for waiting).
        timeout: the client's timeout; its overall limit per request is
            the number, or the longest phase of an ``httpx.Timeout``.
        max_response_bytes: the cap on one answer's (decoded) body.

    Raises:
        AuthenticationError: no key given and ``GCORE_API_KEY`` is unset.
        ValueError: the base URL is not an ``http(s)://host`` URL, or the
            timeout or cap is not positive.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("GCORE_API_KEY", "")
        key = key.strip()
        if not key:
            raise AuthenticationError(
                "no API key: pass api_key=... or set GCORE_API_KEY (or use --api-key)"
            )
        if not (key.isascii() and key.isprintable()):
            # httpx and h11 would refuse the header later, quoting the key in
            # their message; say what is wrong without showing it.
            raise AuthenticationError(
                "the API key holds a line break, control or non-ASCII character;"
                " copy it again from the Gcore control panel"
            )
        root = (base_url or os.environ.get("GCORE_BASE_URL") or DEFAULT_BASE_URL).strip()
        try:
            parsed = httpx.URL(root)
        except httpx.InvalidURL:  # not a ValueError: "http://[::1", a port that is no number
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise ValueError(f"the base URL must look like https://api.gcore.com, not {root!r}")
        if (
            not isinstance(max_response_bytes, int)
            or isinstance(max_response_bytes, bool)
            or max_response_bytes < 1
        ):
            raise ValueError(
                f"max_response_bytes must be a positive whole number, got {max_response_bytes!r}"
            )
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            policy = replace(policy, max_retries=max_retries)
        self.base_url = root.rstrip("/")
        self.retry_policy = policy
        self.clock = clock
        self.timeout = overall_seconds(timeout)
        self.max_response_bytes = max_response_bytes
        self._requester = Requester(
            api_key=key,
            base_url=self.base_url,
            policy=policy,
            user_agent=_user_agent(),
            timeout=self.timeout,
            max_bytes=max_response_bytes,
        )

    def __repr__(self) -> str:
        return f"ClientCore(base_url={self.base_url!r})"

    @property
    def scrub(self) -> Callable[[str], str]:
        """
        The function that removes this client's key from a text.
        """
        return self._requester.scrub

    def get_task(self, task_id: str) -> Flow[Payload]:
        """
        ``GET /streaming/ai/tasks/{task_id}``: the raw task payload.
        """
        task_id = check_task_id(task_id)
        call = Call("GET", f"{TASKS_PATH}/{_quote(task_id)}", what=f"task {task_id}")
        data = yield from self._requester.run(call)
        return _expect_object(data, call)

    def cancel_task(self, task_id: str) -> Flow[Payload]:
        """
        ``POST /streaming/ai/tasks/{task_id}/cancel`` (not retried once sent).
        """
        task_id = check_task_id(task_id)
        call = Call(
            "POST",
            f"{TASKS_PATH}/{_quote(task_id)}/cancel",
            what=f"task {task_id}",
            idempotent=False,
        )
        data = yield from self._requester.run(call)
        return _expect_object(data, call)

    def create_transcription(
        self,
        url: str,
        *,
        audio_language: str | None = None,
        subtitles_language: str | None = None,
        client_user_id: str | None = None,
        client_entity_data: str | None = None,
        reuse: bool = True,
        queue_timeout: float | None = DEFAULT_QUEUE_TIMEOUT,
    ) -> Flow[str]:
        """
        ``POST /streaming/ai/tasks`` (a transcription), tagged and looked up
        so that a lost answer never makes a second task: see
        :mod:`._create`. Returns the task id.
        """
        request = CreateRequest.make(
            url,
            audio_language=audio_language,
            subtitles_language=subtitles_language,
            client_user_id=client_user_id,
            client_entity_data=client_entity_data,
        )

        def lister(search: str) -> Flow[None]:
            return self.list_tasks(search=search, task_name="transcription", page_size=100)

        return create_flow(
            self._requester.run,
            lister,
            request,
            path=TASKS_PATH,
            policy=self.retry_policy,
            reuse=reuse,
            queue_timeout=queue_timeout,
        )

    def is_language_supported(
        self, audio_language: str, subtitles_language: str | None = None
    ) -> Flow[bool]:
        """
        ``GET /streaming/ai/info?type=language_support``: ``supported``.
        """
        params = join_params(
            [
                ("type", "language_support"),
                ("audio_language", audio_language),
                ("subtitles_language", subtitles_language),
            ]
        )
        call = Call("GET", INFO_PATH, params, what="language support")
        data = _expect_object((yield from self._requester.run(call)), call)
        supported = data.get("supported")
        if not isinstance(supported, bool):
            raise ResponseError(
                f"the language-support answer has no true/false 'supported': {repr(data)[:200]}",
                status_code=200,
            )
        return supported

    def list_tasks(
        self,
        *,
        status: str | None = None,
        task_name: str | None = None,
        search: str | None = None,
        ordering: str | None = None,
        date_created: str | date | None = None,
        task_id: str | None = None,
        page_size: int = 50,
        on_count: Callable[[int], object] | None = None,
    ) -> Flow[None]:
        """
        ``GET /streaming/ai/tasks`` page after page, emitting each page's
        tasks; stops when ``next`` is empty, a page is empty, or a page past
        the first answers 404. Never asks for a page twice. ``on_count``
        is called once with the list's ``count`` (all matching tasks) when the
        first page reports it.
        """
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        created = date_created.isoformat() if isinstance(date_created, date) else date_created
        filters = [
            ("task_id", task_id),
            ("task_name", task_name),
            ("status", status),
            ("search", search),
            ("ordering", ordering),
            ("date_created", created),
        ]
        page = 1
        asked: set[int] = set()
        while page not in asked:
            asked.add(page)
            params = join_params([*filters, ("page", page), ("limit", page_size)])
            call = Call("GET", TASKS_PATH, params, what=f"page {page} of the task list")
            try:
                data = _expect_object((yield from self._requester.run(call)), call)
            except NotFoundError:
                if page > 1:  # Gcore answers 404 for a page past the last one
                    return
                raise
            results = data.get("results")
            if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
                raise ResponseError(
                    f"{call.what} has no list of tasks in 'results'", status_code=200
                )
            count = data.get("count")
            if on_count is not None and page == 1 and type(count) is int and count >= 0:
                on_count(count)
            if not results:
                return
            yield Emit(tuple(results))
            following = _next_page(data.get("next"), page)
            if following is None:
                return
            if following in asked:
                logger.warning("the task list points back to page %d; stopping", following)
            page = following

    def wait_for_task(
        self,
        task_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 2.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[TaskProgress], object] | None = None,
    ) -> Flow[Payload]:
        """
        Poll a task until it ends: return its payload on SUCCESS, raise
        :class:`TaskFailed` on FAILURE or REVOKED, :class:`WaitTimeout` when
        ``timeout`` seconds pass first. The wait between polls grows by half
        each time, from ``poll_interval`` up to ``max_poll_interval``.
        """
        task_id = check_task_id(task_id)
        if poll_interval <= 0 or max_poll_interval <= 0:
            raise ValueError("poll intervals must be positive")
        start = self.clock()
        interval = poll_interval
        while True:
            payload = yield from self.get_task(task_id)
            status = task_status(payload) or ""
            progress = _progress(payload.get("progress"))
            elapsed = self.clock() - start
            logger.debug("task %s: %s %s%%", task_id, status, progress)
            if on_progress is not None:
                on_progress(TaskProgress(task_id, status, progress, elapsed, payload))
            if status == "SUCCESS":
                return payload
            if status in FAILED_STATUSES:
                raise TaskFailed(
                    task_id=task_id, status=status, error=task_error(payload.get("result"))
                )
            remaining = None if timeout is None else timeout - elapsed
            if remaining is not None and remaining <= 0:
                raise WaitTimeout(
                    task_id=task_id, status=status or None, progress=progress, waited=elapsed
                )
            yield Sleep(interval if remaining is None else min(interval, remaining))
            interval = min(interval * 1.5, max_poll_interval)


@functools.lru_cache(maxsize=1)
def ssl_context() -> ssl.SSLContext:
    """
    The SSL context every client we create shares: loading the CA bundle
    takes ~35 ms, far more than the rest of making a client.
    """
    return httpx.create_ssl_context()


def check_task_id(task_id: object) -> str:
    """
    The task id, stripped of surrounding spaces, when it is safe to put in
    a URL path: 1-128 letters, digits, ``.``, ``_``, ``~`` or ``-``, and not
    only dots (``.`` and ``..`` would name another endpoint).

    Raises:
        InvalidTaskId: anything else (a ``ValueError`` too).
    """
    if not isinstance(task_id, str) or not task_id.strip():
        raise InvalidTaskId(
            f"a task id must be a non-empty string, got {task_id!r}", task_id=task_id
        )
    stripped = task_id.strip()
    if len(stripped) > MAX_TASK_ID_LENGTH:
        raise InvalidTaskId(
            f"a task id has at most {MAX_TASK_ID_LENGTH} characters; got"
            f" {len(stripped)}: {stripped[:40]!r}...",
            task_id=task_id,
        )
    if not _TASK_ID.fullmatch(stripped) or not stripped.strip("."):
        raise InvalidTaskId(
            f"not a task id: {stripped!r} (a task id holds only letters, digits, '.', '_', '~'"
            " and '-', and is not only dots)",
            task_id=task_id,
        )
    return stripped


def _quote(task_id: str) -> str:
    # check_task_id leaves nothing to quote; quoting anyway keeps any later
    # change to its rule from changing the path.
    return quote(task_id, safe="")


def _user_agent() -> str:
    return f"gcore-captions/{__version__}"


def _expect_object(data: Any, call: Call) -> Payload:
    if not isinstance(data, dict):
        raise ResponseError(
            f"the answer for {call.what} is not a JSON object: {str(data)[:80]!r}",
            status_code=200,
        )
    return data


def _next_page(link: Any, page: int) -> int | None:
    """
    The page ``next`` points at (``"page=3"`` or a URL with ``page=3``);
    ``page + 1`` when it names none; ``None`` when there is no next page.
    """
    if not link or not isinstance(link, str):
        return None
    query = urlsplit(link).query if "?" in link else link
    values = parse_qs(query).get("page")
    try:
        return int(values[0]) if values else page + 1
    except ValueError:
        return page + 1


def _progress(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)
