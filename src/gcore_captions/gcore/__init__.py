"""
The HTTP side: Gcore's AI-tasks API over httpx, and a video's
subtitle tracks.

``Client`` and ``AsyncClient`` are thin shells that send requests and sleep;
everything else (URLs, retries, error mapping, pagination, waiting) is the
sans-I/O core they share, so the two behave alike.

>>> from gcore_captions.gcore import Client
>>> with Client() as client:                          # doctest: +SKIP
...     transcript = client.get_transcript(task_id)
"""

from __future__ import annotations

from ._async import AsyncClient
from ._core import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    TaskProgress,
    check_task_id,
)
from ._create import check_language, check_media_url, creation_tag
from ._secrets import Scrubber
from ._sync import Client
from ._tracks import MAX_TRACK_BYTES, PublishResult, Track, check_video_id, track_body
from .retry import RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "MAX_TRACK_BYTES",
    "AsyncClient",
    "Client",
    "PublishResult",
    "RetryPolicy",
    "Scrubber",
    "TaskProgress",
    "Track",
    "check_language",
    "check_media_url",
    "check_task_id",
    "check_video_id",
    "creation_tag",
    "track_body",
]
