"""
``Client`` and ``AsyncClient``: the Gcore AI-tasks API over httpx.

Both drive the same sans-I/O flows (``_core.py``); they
differ only in how they send a request and how they sleep, so they behave
the same in every other respect (retries, errors, pagination, waiting).
``AsyncClient`` lives in ``_async.py``, mirrored by hand; a test keeps
the two method sets and signatures identical.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from types import TracebackType
from typing import TypeVar

import httpx

from ..model import Transcript
from ..task import parse_task
from ._body import BodyReader, Deadline, StopReading, send_failed
from ._core import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_QUEUE_TIMEOUT,
    DEFAULT_TIMEOUT,
    ClientCore,
    Payload,
    TaskProgress,
    ssl_context,
)
from ._flow import Action, Emit, Flow, Reply, Send, Sleep, TransportFault
from ._tracks_clients import SyncTrackMethods
from ._transport import DeadlineTransport, deadline_for_requests
from .retry import RetryPolicy

__all__ = ["Client"]

_T = TypeVar("_T")


class Client(SyncTrackMethods):
    """
    A synchronous client for Gcore's AI tasks.

    Args:
        api_key: the API key; ``GCORE_API_KEY`` when not given.
        base_url: the API root; ``GCORE_BASE_URL``, else
            ``https://api.gcore.com``.
        timeout: seconds, or an ``httpx.Timeout`` (default 5 s to connect,
            120 s per read/write), for the httpx client we create. It is
            also the overall limit of each request, body included (the
            number, or the longest phase of an ``httpx.Timeout``), so a
            server trickling its answer cannot hold a call longer; with
            your own ``http_client`` the limit covers the body, and its
            per-read timeouts bound the wait for headers.
        max_retries: retries after a failed attempt (default 2; 0 disables).
        retry_policy: backoff and ``sleep_scale`` (see :class:`RetryPolicy`).
        http_client: your own ``httpx.Client`` (its transport, proxies and
            timeouts are used; we never close it).
        max_response_bytes: the cap on one answer's body (default 64 MiB),
            read as a stream and cut off there: :class:`ResponseTooLarge`.

    Raises:
        AuthenticationError: no key was given and ``GCORE_API_KEY`` is unset.

    >>> with Client() as client:                  # doctest: +SKIP
    ...     transcript = client.wait_for("6f1c2a9e-...", timeout=900)
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self._core = ClientCore(
            api_key,
            base_url=base_url,
            max_retries=max_retries,
            retry_policy=retry_policy,
            timeout=timeout,
            max_response_bytes=max_response_bytes,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            verify=ssl_context(),  # for the proxy transports httpx mounts from the environment
            transport=DeadlineTransport(verify=ssl_context()),
        )

    @property
    def base_url(self) -> str:
        """
        The API root requests go to.
        """
        return self._core.base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """
        Close the connections we opened (not a caller's ``http_client``).
        """
        if self._owns_http:
            self._http.close()

    def get_task(self, task_id: str) -> Payload:
        """
        The task's raw payload (``GET /streaming/ai/tasks/{task_id}``).

        Raises:
            NotFoundError: no such task.
            APIError: any other API or connection failure, after retries.
        """
        return self._run(self._core.get_task(task_id))

    def get_transcript(self, task_id: str) -> Transcript:
        """
        The finished task's captions as a :class:`Transcript`.

        Raises:
            TaskNotReady: the task is still running.
            TaskFailed: the task ended in FAILURE or REVOKED.
            APIError: as :meth:`get_task`.
        """
        return parse_task(self.get_task(task_id))

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
    ) -> Iterator[Payload]:
        """
        Every task matching the filters, page after page (items have no
        ``result``: use :meth:`get_task` for that).

        Args:
            status: ``SUCCESS``, ``FAILURE``, ``PENDING``...
            task_name: ``transcription`` or ``content-moderation``.
            search: text searched in id, name, status and task data.
            ordering: ``task_id``, ``status``, ``task_name`` or
                ``started_at`` (ascending; newest first when omitted).
            date_created: the API's ``date_created`` filter (ISO 8601).
            task_id: one exact task id.
            page_size: tasks per request.
            on_count: called once with the number of matching tasks, when
                the first page reports it (for progress bars).
        """
        return self._iterate(
            self._core.list_tasks(
                status=status,
                task_name=task_name,
                search=search,
                ordering=ordering,
                date_created=date_created,
                task_id=task_id,
                page_size=page_size,
                on_count=on_count,
            )
        )

    def wait_for_task(
        self,
        task_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 2.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[TaskProgress], object] | None = None,
    ) -> Payload:
        """
        Poll until the task ends and return its payload.

        Args:
            task_id: the task.
            timeout: seconds to wait at most (``None``: no limit).
            poll_interval: the first wait between polls; each next wait is
                half as long again, up to ``max_poll_interval``.
            max_poll_interval: the longest wait between polls.
            on_progress: called with a :class:`TaskProgress` after each poll.

        Raises:
            TaskFailed: the task ended in FAILURE (with its error) or REVOKED.
            WaitTimeout: time ran out; names the last status and progress.
            APIError: as :meth:`get_task`.
        """
        return self._run(
            self._core.wait_for_task(
                task_id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                on_progress=on_progress,
            )
        )

    def wait_for(
        self,
        task_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 2.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[TaskProgress], object] | None = None,
    ) -> Transcript:
        """
        :meth:`wait_for_task`, then the captions as a :class:`Transcript`.
        """
        payload = self.wait_for_task(
            task_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )
        return parse_task(payload)

    def cancel_task(self, task_id: str) -> Payload:
        """
        Cancel a task (it becomes REVOKED); returns the API's answer.

        Not retried once the request may have reached the server.

        Raises:
            NotFoundError: no such task.
            APIError: status 412 when the task has already finished.
        """
        return self._run(self._core.cancel_task(task_id))

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
    ) -> str:
        """
        Start transcribing (and translating) the media at ``url``; returns
        the new task's id. Wait for it with :meth:`wait_for`.

        A create is not idempotent, so it is tagged (``client_user_id``,
        derived from the URL and languages unless you give one) and never
        sent blindly twice: after a lost answer (timeout, dropped
        connection, 5xx) the tag is looked up with the list's ``search``
        first, and the task the lost create made is returned. With
        ``reuse`` (the default) a live task made earlier from the same
        request (same URL, languages and tag; not FAILURE or REVOKED) is
        returned instead of creating another; give a fresh
        ``client_user_id`` or ``reuse=False`` for a second one.

        Args:
            url: the media file's ``http(s)://`` URL (an MP4 Gcore can
                download; not a YouTube page).
            audio_language: the spoken language (``None``: detected); ISO
                639-2/B or /T (``ger``, ``deu``) or BCP 47 (``de``), sent as
                ISO 639-2/B.
            subtitles_language: translate to this language (same spellings).
            client_user_id: your own tag (at most 256 characters).
            client_entity_data: your own data (at most 4096 characters).
            reuse: return a live task already made from the same request.
            queue_timeout: seconds to keep waiting, in all, while Gcore's
                queue is full (``400 Queue limit reached``) or answers 429
                (``None``: no limit).

        Raises:
            InvalidRequest: a URL that is not http(s), an unknown language
                code, a tag too long; nothing was sent.
            QueueLimitReached: the queue stayed full for ``queue_timeout``.
            FeatureDisabledError: AI is not enabled for the account (422).
            APIError: any other refusal or failure, after retries.
        """
        return self._run(
            self._core.create_transcription(
                url,
                audio_language=audio_language,
                subtitles_language=subtitles_language,
                client_user_id=client_user_id,
                client_entity_data=client_entity_data,
                reuse=reuse,
                queue_timeout=queue_timeout,
            )
        )

    def is_language_supported(
        self, audio_language: str, subtitles_language: str | None = None
    ) -> bool:
        """
        Whether Gcore can transcribe ``audio_language`` (and translate it to
        ``subtitles_language``, when given). Codes are ISO 639-2 (``"ger"``).
        """
        return self._run(self._core.is_language_supported(audio_language, subtitles_language))

    def _run(self, flow: Flow[_T]) -> _T:
        reply: Reply = None
        try:
            while True:
                try:
                    action = flow.send(reply)
                except StopIteration as stop:
                    result: _T = stop.value
                    return result
                reply = self._perform(action)
        finally:
            flow.close()

    def _iterate(self, flow: Flow[None]) -> Iterator[Payload]:
        reply: Reply = None
        try:
            while True:
                try:
                    action = flow.send(reply)
                except StopIteration:
                    return
                if isinstance(action, Emit):
                    yield from action.items
                    reply = None
                else:
                    reply = self._perform(action)
        finally:
            flow.close()

    def _perform(self, action: Action) -> Reply:
        if isinstance(action, Sleep):
            time.sleep(action.seconds)
            return None
        if not isinstance(action, Send):
            raise TypeError(f"unexpected action {action!r}")
        deadline = Deadline(action.timeout)
        with deadline_for_requests(deadline):
            try:
                response = self._http.send(action.request, stream=True, follow_redirects=False)
            except (httpx.TransportError, httpx.InvalidURL) as error:
                return send_failed(error, action.request, deadline)
            try:
                body = BodyReader(response, max_bytes=action.max_bytes, deadline=deadline)
                if not body.preloaded:
                    for chunk in response.iter_raw():
                        body.feed(chunk)
                return body.finish()
            except StopReading as stop:
                return stop.reply
            except httpx.TransportError as error:
                return deadline.explain(TransportFault(error, response))
            finally:
                response.close()
