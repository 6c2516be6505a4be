"""
``AsyncClient``: the asynchronous twin of :class:`gcore_captions.Client`,
mirrored by hand from ``_sync.py`` (import it from there or from the
package).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
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
from ._tracks_clients import AsyncTrackMethods
from .retry import RetryPolicy

__all__ = ["AsyncClient"]

_T = TypeVar("_T")


class AsyncClient(AsyncTrackMethods):
    """
    The asynchronous twin of :class:`Client`: the same arguments and
    methods, awaited (``list_tasks`` is an async iterator). The overall
    limit of each request is enforced on the clock (the request is
    cancelled when it passes), also with your own ``http_client``.

    >>> async with AsyncClient() as client:       # doctest: +SKIP
    ...     async for task in client.list_tasks(status="SUCCESS"):
    ...         print(task["task_id"])
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
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
        self._http = http_client or httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, verify=ssl_context()
        )

    @property
    def base_url(self) -> str:
        """
        The API root requests go to.
        """
        return self._core.base_url

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, *exc: type[BaseException] | BaseException | TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """
        Close the connections we opened (not a caller's ``http_client``).
        """
        if self._owns_http:
            await self._http.aclose()

    async def get_task(self, task_id: str) -> Payload:
        """
        The task's raw payload; see :meth:`Client.get_task`.
        """
        return await self._run(self._core.get_task(task_id))

    async def get_transcript(self, task_id: str) -> Transcript:
        """
        The finished task's captions; see :meth:`Client.get_transcript`.
        """
        return parse_task(await self.get_task(task_id))

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
    ) -> AsyncIterator[Payload]:
        """
        Every task matching the filters; see :meth:`Client.list_tasks`.
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

    async def wait_for_task(
        self,
        task_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 2.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[TaskProgress], object] | None = None,
    ) -> Payload:
        """
        Poll until the task ends; see :meth:`Client.wait_for_task`.
        """
        return await self._run(
            self._core.wait_for_task(
                task_id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                on_progress=on_progress,
            )
        )

    async def wait_for(
        self,
        task_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 2.0,
        max_poll_interval: float = 30.0,
        on_progress: Callable[[TaskProgress], object] | None = None,
    ) -> Transcript:
        """
        Wait, then the captions; see :meth:`Client.wait_for`.
        """
        payload = await self.wait_for_task(
            task_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )
        return parse_task(payload)

    async def cancel_task(self, task_id: str) -> Payload:
        """
        Cancel a task; see :meth:`Client.cancel_task`.
        """
        return await self._run(self._core.cancel_task(task_id))

    async def create_transcription(
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
        Start a transcription, tagged and never sent blindly twice; see
        :meth:`Client.create_transcription`.
        """
        return await self._run(
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

    async def is_language_supported(
        self, audio_language: str, subtitles_language: str | None = None
    ) -> bool:
        """
        Whether a language (pair) is supported; see
        :meth:`Client.is_language_supported`.
        """
        return await self._run(self._core.is_language_supported(audio_language, subtitles_language))

    async def _run(self, flow: Flow[_T]) -> _T:
        reply: Reply = None
        try:
            while True:
                try:
                    action = flow.send(reply)
                except StopIteration as stop:
                    result: _T = stop.value
                    return result
                reply = await self._perform(action)
        finally:
            flow.close()

    async def _iterate(self, flow: Flow[None]) -> AsyncIterator[Payload]:
        reply: Reply = None
        try:
            while True:
                try:
                    action = flow.send(reply)
                except StopIteration:
                    return
                if isinstance(action, Emit):
                    for item in action.items:
                        yield item
                    reply = None
                else:
                    reply = await self._perform(action)
        finally:
            flow.close()

    async def _perform(self, action: Action) -> Reply:
        if isinstance(action, Sleep):
            await asyncio.sleep(action.seconds)
            return None
        if not isinstance(action, Send):
            raise TypeError(f"unexpected action {action!r}")
        deadline = Deadline(action.timeout)
        if action.timeout is None:
            return await self._exchange(action, deadline)
        try:
            if sys.version_info >= (3, 11):  # no extra task per request
                async with asyncio.timeout(action.timeout):
                    return await self._exchange(action, deadline)
            return await asyncio.wait_for(self._exchange(action, deadline), action.timeout)
        except asyncio.TimeoutError:
            return deadline.fault(action.request)

    async def _exchange(self, action: Send, deadline: Deadline) -> Reply:
        try:
            response = await self._http.send(action.request, stream=True, follow_redirects=False)
        except (httpx.TransportError, httpx.InvalidURL) as error:
            return send_failed(error, action.request, deadline)
        try:
            body = BodyReader(response, max_bytes=action.max_bytes, deadline=deadline)
            if not body.preloaded:
                async for chunk in response.aiter_raw():
                    body.feed(chunk)
            return body.finish()
        except StopReading as stop:
            return stop.reply
        except httpx.TransportError as error:
            return deadline.explain(TransportFault(error, response))
        finally:
            await response.aclose()
