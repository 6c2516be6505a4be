"""
gcore-captions: Gcore AI transcription tasks to correct caption files.

>>> from gcore_captions import parse_task, render
>>> transcript = parse_task(payload)          # doctest: +SKIP
>>> print(render(transcript, "srt"))          # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module as _import_module
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._version import __version__
from .errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    ExportError,
    FeatureDisabledError,
    FileError,
    FormatError,
    GcoreCaptionsError,
    InvalidRequest,
    InvalidTaskId,
    InvalidVideoId,
    NotFoundError,
    PayloadError,
    QueueLimitReached,
    RateLimitError,
    RequestTimeout,
    ResponseError,
    ResponseTooLarge,
    ServerError,
    TaskFailed,
    TaskNotReady,
    TrackRefused,
    UnsupportedTaskError,
    VideoNotFound,
    WaitTimeout,
)
from .model import Change, Cue, Transcript, TranscriptWarning

if _TYPE_CHECKING:
    from .api import load, loads, render, save
    from .batch import (
        ExportInterrupted,
        ExportOptions,
        ExportReport,
        TaskQuery,
        aexport_many,
        export_many,
    )
    from .formats import WriterWarning
    from .formats.ass import AssOptions, AssStyle
    from .formats.json import JsonOptions
    from .formats.options import FormatOptions
    from .formats.srt import SrtOptions
    from .formats.text import TextOptions
    from .formats.vtt import VttOptions
    from .gcore import AsyncClient, Client, PublishResult, RetryPolicy, TaskProgress, Track
    from .output import OutputSpec, WrittenFile, write_outputs
    from .preview import PreviewOptions
    from .publishing import apublish_track, publish_track
    from .quality import Preset, QualityReport, apply_preset, check, get_preset
    from .task import parse_task

# Everything else is imported on first use, so ``import gcore_captions`` costs
# only the errors and the cue model: the readers and writers (the format
# registry loads all of them), the quality passes, the batch export (asyncio,
# ssl) and the clients (httpx, ~0.2 s) load when a program first touches one
# of their names; ``from gcore_captions import render`` works as ever.
_LAZY = {
    "AssOptions": "formats.ass",
    "AssStyle": "formats.ass",
    "ExportInterrupted": "batch",
    "ExportOptions": "batch",
    "FormatOptions": "formats.options",
    "JsonOptions": "formats.json",
    "OutputSpec": "output",
    "PreviewOptions": "preview",
    "SrtOptions": "formats.srt",
    "TextOptions": "formats.text",
    "VttOptions": "formats.vtt",
    "WriterWarning": "formats",
    "WrittenFile": "output",
    "write_outputs": "output",
    "AsyncClient": "gcore",
    "Client": "gcore",
    "ExportReport": "batch",
    "Preset": "quality",
    "QualityReport": "quality",
    "RetryPolicy": "gcore",
    "TaskProgress": "gcore",
    "TaskQuery": "batch",
    "aexport_many": "batch",
    "apply_preset": "quality",
    "check": "quality",
    "export_many": "batch",
    "get_preset": "quality",
    "load": "api",
    "loads": "api",
    "parse_task": "task",
    "render": "api",
    "save": "api",
    "PublishResult": "gcore",
    "Track": "gcore",
    "apublish_track": "publishing",
    "publish_track": "publishing",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "APIError",
    "AssOptions",
    "AssStyle",
    "AsyncClient",
    "AuthenticationError",
    "Change",
    "Client",
    "ConnectError",
    "Cue",
    "ExportError",
    "ExportInterrupted",
    "ExportOptions",
    "ExportReport",
    "FeatureDisabledError",
    "FileError",
    "FormatError",
    "FormatOptions",
    "GcoreCaptionsError",
    "InvalidRequest",
    "InvalidTaskId",
    "InvalidVideoId",
    "JsonOptions",
    "NotFoundError",
    "OutputSpec",
    "PayloadError",
    "Preset",
    "PreviewOptions",
    "PublishResult",
    "QualityReport",
    "QueueLimitReached",
    "RateLimitError",
    "RequestTimeout",
    "ResponseError",
    "ResponseTooLarge",
    "RetryPolicy",
    "ServerError",
    "SrtOptions",
    "TaskFailed",
    "TaskNotReady",
    "TaskProgress",
    "TaskQuery",
    "TextOptions",
    "Track",
    "TrackRefused",
    "Transcript",
    "TranscriptWarning",
    "UnsupportedTaskError",
    "VideoNotFound",
    "VttOptions",
    "WaitTimeout",
    "WriterWarning",
    "WrittenFile",
    "__version__",
    "aexport_many",
    "apply_preset",
    "apublish_track",
    "check",
    "export_many",
    "get_preset",
    "load",
    "loads",
    "parse_task",
    "publish_track",
    "render",
    "save",
    "write_outputs",
]
