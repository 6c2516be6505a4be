"""
gcore-captions: Gcore AI transcription tasks to correct caption files.

>>> from gcore_captions import parse_task, render
>>> transcript = parse_task(payload)          # doctest: +SKIP
>>> print(render(transcript, "srt"))          # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .api import load, loads, render, save
from .errors import (
    APIError,
    AuthenticationError,
    ConnectionError,
    ExportError,
    FeatureDisabledError,
    FormatError,
    GcoreCaptionsError,
    NotFoundError,
    PayloadError,
    RateLimitError,
    ResponseError,
    ServerError,
    TaskFailed,
    TaskNotReady,
    TimeoutError,
    UnsupportedTaskError,
    WaitTimeout,
)
from .formats.ass import AssStyle
from .model import Change, Cue, Transcript, TranscriptWarning

try:
    __version__ = version("gcore-captions")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "APIError",
    "AssStyle",
    "AuthenticationError",
    "Change",
    "ConnectionError",
    "Cue",
    "ExportError",
    "FeatureDisabledError",
    "FormatError",
    "GcoreCaptionsError",
    "NotFoundError",
    "PayloadError",
    "RateLimitError",
    "ResponseError",
    "ServerError",
    "TaskFailed",
    "TaskNotReady",
    "TimeoutError",
    "Transcript",
    "TranscriptWarning",
    "UnsupportedTaskError",
    "WaitTimeout",
    "__version__",
    "load",
    "loads",
    "render",
    "save",
]
