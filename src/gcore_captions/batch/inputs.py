"""
Where a batch export's task ids come from, streamed: an iterable or async
iterable of ids, a text of ids (one per line), or a list query.

Nothing here holds more than a small chunk of ids at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["TaskQuery", "aiter_ids", "parse_id_lines"]

_CHUNK = 256


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """
    Export every task the list endpoint finds with these filters.

    The default is every finished transcription. ``None`` leaves a filter
    out.

    Args:
        status: ``SUCCESS``, ``FAILURE``, ``PENDING``...
        task_name: ``transcription`` or ``content-moderation``.
        search: text searched in the task id, name, status and task data
            (e.g. part of the video URL).
        date_created: the API's ``date_created`` filter (ISO 8601).
        page_size: tasks per list request.
    """

    status: str | None = "SUCCESS"
    task_name: str | None = "transcription"
    search: str | None = None
    date_created: str | None = None
    page_size: int = 100


def parse_id_lines(lines: Iterable[str]) -> Iterator[str]:
    """
    Task ids from lines of text: one id per line; blank lines and ``#``
    comments (whole-line or after the id) are ignored, spaces stripped.
    """
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text:
            yield text


async def aiter_ids(source: Iterable[str] | AsyncIterable[str]) -> AsyncIterator[str]:
    """
    The ids of ``source`` as an async iterator.

    A sync iterable that is not an in-memory collection (a file, stdin, a
    generator) is read in chunks in a worker thread, so a slow source never
    blocks the event loop.
    """
    if isinstance(source, AsyncIterable):
        async for item in source:
            yield item
        return
    if isinstance(source, (list, tuple, set, frozenset, dict)):
        for item in source:
            yield item
        return
    iterator = iter(source)

    def chunk() -> list[str]:
        items: list[str] = []
        for item in iterator:
            items.append(item)
            if len(items) >= _CHUNK:
                break
        return items

    while items := await asyncio.to_thread(chunk):
        for item in items:
            yield item
