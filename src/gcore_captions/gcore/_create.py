"""
Creating a transcription task safely, sans-I/O: the request and its tag,
the look-up of tasks already made with that tag, and the flow that sends a
create at most once per task the server ends up with.

A create is not idempotent and Gcore takes no idempotency key. So every
create carries a ``client_user_id`` tag (derived from what is asked unless
the caller gives one), and:

* before the first send, the tag is looked up with the list endpoint's
  ``search``: a live task made from the same request (same URL, languages
  and tag; not FAILURE or REVOKED) is reused (``reuse=True``);
* after an answer that may have been lost (a timeout, a dropped
  connection, a cut or unreadable body, a 5xx), nothing is sent again
  before the tag is looked up again: a task that was not there before is
  the one the lost create made, and it is returned;
* ``400 Queue limit reached`` and 429 mean nothing was created: wait
  (growing backoff, up to ``queue_timeout`` seconds in all) and send again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import (
    APIError,
    ConnectError,
    InvalidRequest,
    NotFoundError,
    QueueLimitReached,
    RateLimitError,
    ResponseError,
    ServerError,
)
from ..languages import is_known, normalize
from ..task import FINAL_STATUSES
from ._flow import Call, Emit, Flow, Sleep
from .retry import RetryPolicy, backoff_delay

__all__ = [
    "DEFAULT_QUEUE_TIMEOUT",
    "TAG_PREFIX",
    "CreateRequest",
    "check_language",
    "check_media_url",
    "collect",
    "create_flow",
    "creation_tag",
]

logger = logging.getLogger("gcore_captions")

TAG_PREFIX = "gcc-"
"""How the tags this library derives begin (``gcc-`` and 20 hex digits)."""

DEFAULT_QUEUE_TIMEOUT = 600.0
"""Seconds (nominal) a create waits in all for room in a full queue."""

QUEUE_FIRST_WAIT = 2.0
QUEUE_LONGEST_WAIT = 60.0
MAX_TAG = 256
MAX_ENTITY_DATA = 4096
MAX_LOOKUP = 1000
"""Tasks of one tag look-up read at most (a shared tag may match many)."""

_GONE = FINAL_STATUSES - {"SUCCESS"}
# Errors after which the create may have reached the server and made a task.
_UNCERTAIN = (ConnectError, ResponseError, ServerError)
# Errors that say the server made nothing: wait and send again.
_REFUSED = (QueueLimitReached, RateLimitError)


def creation_tag(url: str, audio_language: str | None, subtitles_language: str | None) -> str:
    """
    The ``client_user_id`` derived from what is asked: ``gcc-`` and the
    first 20 hex digits of a SHA-256 of the URL and the two languages (as
    sent), so the same request always gets the same tag.
    """
    text = json.dumps([url, audio_language or "", subtitles_language or ""])
    return TAG_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """
    One transcription to create, checked and normalised.

    Attributes:
        url: the media URL (``http(s)://host/...``).
        audio_language: ISO 639-2/B, or ``None`` (detected).
        subtitles_language: ISO 639-2/B, or ``None`` (no translation).
        client_user_id: the tag (derived when not given).
        client_entity_data: the caller's own data, or ``None``.
    """

    url: str
    audio_language: str | None
    subtitles_language: str | None
    client_user_id: str
    client_entity_data: str | None

    @classmethod
    def make(
        cls,
        url: str,
        *,
        audio_language: str | None = None,
        subtitles_language: str | None = None,
        client_user_id: str | None = None,
        client_entity_data: str | None = None,
    ) -> CreateRequest:
        """
        Check and normalise the arguments of ``create_transcription``.

        Raises:
            InvalidRequest: a URL that is not http(s), a language that is
                not a known code, a tag or entity data too long or not text.
        """
        checked = check_media_url(url)
        audio = check_language(audio_language, "audio_language")
        target = check_language(subtitles_language, "subtitles_language")
        if client_user_id is not None:
            if not isinstance(client_user_id, str) or not client_user_id.strip():
                raise InvalidRequest(
                    f"client_user_id must be a non-empty string, got {client_user_id!r}"
                )
            if len(client_user_id) > MAX_TAG:
                raise InvalidRequest(
                    f"client_user_id has at most {MAX_TAG} characters, got {len(client_user_id)}"
                )
        if client_entity_data is not None and (
            not isinstance(client_entity_data, str) or len(client_entity_data) > MAX_ENTITY_DATA
        ):
            raise InvalidRequest(
                f"client_entity_data must be a string of at most {MAX_ENTITY_DATA} characters"
            )
        tag = client_user_id if client_user_id is not None else creation_tag(checked, audio, target)
        return cls(checked, audio, target, tag, client_entity_data)

    def body(self) -> dict[str, str]:
        """
        The JSON body of ``POST /streaming/ai/tasks``.
        """
        body = {
            "task_name": "transcription",
            "url": self.url,
            "client_user_id": self.client_user_id,
        }
        if self.audio_language is not None:
            body["audio_language"] = self.audio_language
        if self.subtitles_language is not None:
            body["subtitles_language"] = self.subtitles_language
        if self.client_entity_data is not None:
            body["client_entity_data"] = self.client_entity_data
        return body

    def made(self, task: Mapping[str, Any]) -> bool:
        """
        Whether a listed task was created from this request (same tag, URL
        and languages; its ``task_data`` as the list shows it).
        """
        data = task.get("task_data")
        if not isinstance(data, Mapping):
            return False
        return (
            data.get("client_user_id") == self.client_user_id
            and data.get("url") == self.url
            and (data.get("audio_language") or None) == self.audio_language
            and (data.get("subtitles_language") or None) == self.subtitles_language
        )


def check_media_url(url: object) -> str:
    """
    The URL, stripped, when it is ``http://`` or ``https://`` with a host.

    Raises:
        InvalidRequest: anything else (``ftp://``, a path, a page link
            without a host, control characters).
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidRequest(f"the media URL must be a non-empty string, got {url!r}")
    text = url.strip()
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise InvalidRequest(f"the media URL holds a control character: {text[:80]!r}")
    try:
        parsed = httpx.URL(text)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidRequest(
            f"not an http(s) media URL: {text[:200]!r} (Gcore downloads the file from an"
            " http:// or https:// URL)"
        )
    return text


def check_language(code: str | None, name: str = "language") -> str | None:
    """
    The ISO 639-2/B code for any spelling (``deu``, ``ger``, ``de``,
    ``de-AT``); ``None`` stays ``None``.

    Raises:
        InvalidRequest: not a language code this library knows; the
            message names ``name`` (the argument or option).
    """
    if code is None:
        return None
    try:
        bibliographic = normalize(code)
    except ValueError as error:
        raise InvalidRequest(f"{name}: {error}") from None
    if not is_known(bibliographic):
        raise InvalidRequest(
            f"{name}: unknown language code {code!r} (ISO 639-2 like 'eng', 'ger' or 'deu',"
            " or BCP 47 like 'de')"
        )
    return bibliographic


def collect(flow: Flow[None], limit: int = MAX_LOOKUP) -> Flow[list[dict[str, Any]]]:
    """
    A listing flow's items as one list (at most ``limit``), its requests and
    sleeps passed through to the shell.
    """
    items: list[dict[str, Any]] = []
    reply = None
    try:
        while len(items) < limit:
            try:
                action = flow.send(reply)
            except StopIteration:
                break
            if isinstance(action, Emit):
                items.extend(action.items)
                reply = None
            else:
                reply = yield action
    finally:
        flow.close()
    return items[:limit]


Lister = Callable[[str], Flow[None]]
"""``search`` text -> the listing flow of the tasks it finds."""


def _look_up(lister: Lister, request: CreateRequest) -> Flow[list[dict[str, Any]]]:
    """
    The listed tasks made from ``request``, newest first as the API lists.
    """
    try:
        found = yield from collect(lister(request.client_user_id))
    except NotFoundError:  # an empty search may answer 404 for its first page
        return []
    return [task for task in found if request.made(task)]


def create_flow(
    run: Callable[[Call], Flow[Any]],
    lister: Lister,
    request: CreateRequest,
    *,
    path: str,
    policy: RetryPolicy,
    reuse: bool = True,
    queue_timeout: float | None = DEFAULT_QUEUE_TIMEOUT,
) -> Flow[str]:
    """
    Create the task (see the module docstring) and return its id.

    Args:
        run: runs one call (``Requester.run``).
        lister: lists the tasks a ``search`` finds.
        request: what to create.
        path: the tasks path (``/streaming/ai/tasks``).
        policy: the retry policy: ``max_retries`` bounds the sends after an
            uncertain fault, its backoff the waits between them.
        reuse: return a live task already made from the same request.
        queue_timeout: nominal seconds to wait in all while the queue is
            full (``None``: no limit).

    Raises:
        QueueLimitReached: the queue stayed full for ``queue_timeout``.
        FeatureDisabledError: AI is not enabled for the account (422).
        APIError: any other refusal, or faults after ``max_retries`` sends
            with no task found under the tag.
    """
    if queue_timeout is not None and not queue_timeout >= 0:
        raise ValueError(f"queue_timeout must be 0 or more seconds, got {queue_timeout!r}")
    before = yield from _look_up(lister, request)
    if reuse:
        for task in before:
            if task.get("status") not in _GONE and _task_id(task):
                logger.info("reusing task %s (tag %s)", _task_id(task), request.client_user_id)
                return _task_id(task)
    known = {_task_id(task) for task in before}
    call = Call("POST", path, what="the new task", idempotent=False, body=request.body())
    queue_policy = RetryPolicy(
        base_delay=QUEUE_FIRST_WAIT, max_delay=QUEUE_LONGEST_WAIT, sleep_scale=policy.sleep_scale
    )
    waited = 0.0
    queue_waits = 0
    uncertain = 0
    while True:
        try:
            data = yield from run(call)
        except _REFUSED as error:
            delay = backoff_delay(queue_waits, queue_policy)
            if queue_timeout is not None and waited + delay > queue_timeout:
                raise type(error)(
                    f"{error.message} (waited {waited:.0f} s for room in the queue)",
                    status_code=error.status_code,
                    request_url=error.request_url,
                ) from None
            logger.info("queue full (%s); trying again in %.1f s", error.message, delay)
            queue_waits += 1
            waited += delay
            yield Sleep(policy.sleep_seconds(delay))
            continue
        except _UNCERTAIN as error:
            # The server may have made the task: never send blindly again.
            delay = backoff_delay(uncertain, policy)
            yield Sleep(policy.sleep_seconds(delay))
            try:
                found = yield from _look_up(lister, request)
            except APIError as failed:
                # Not knowing whether the task exists, send nothing more.
                raise type(error)(
                    f"{error.message}; the task may exist: looking up tag"
                    f" {request.client_user_id} failed too ({failed}), so the create was not"
                    " sent again",
                    status_code=error.status_code,
                    request_url=error.request_url,
                ) from failed
            mine = [task for task in found if _task_id(task) and _task_id(task) not in known]
            if mine:
                logger.info(
                    "the answer to a create was lost; found its task %s by tag %s",
                    _task_id(mine[0]),
                    request.client_user_id,
                )
                return _task_id(mine[0])
            if uncertain >= policy.max_retries:
                raise type(error)(
                    f"{error.message} (no task with tag {request.client_user_id} appeared;"
                    f" gave up after {uncertain + 1} attempts)",
                    status_code=error.status_code,
                    request_url=error.request_url,
                ) from error
            uncertain += 1
            continue
        task_id = data.get("task_id") if isinstance(data, dict) else None
        if not isinstance(task_id, str) or not task_id:
            raise ResponseError(
                f"the answer to the create has no task_id: {str(data)[:200]!r}", status_code=201
            )
        return task_id


def _task_id(task: Mapping[str, Any]) -> str:
    value = task.get("task_id")
    return value if isinstance(value, str) else ""
