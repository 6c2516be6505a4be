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
from .api import load, loads, render, save
from .batch import ExportInterrupted, ExportOptions, ExportReport, TaskQuery
from .errors import (
    APIError,
    AuthenticationError,
    ConnectError,
    ExportError,
    FeatureDisabledError,
    FileError,
    FormatError,
    GcoreCaptionsError,
    NotFoundError,
    PayloadError,
    RateLimitError,
    RequestTimeout,
    ResponseError,
    ServerError,
    TaskFailed,
    TaskNotReady,
    UnsupportedTaskError,
    WaitTimeout,
)
from .formats.ass import AssOptions, AssStyle
from .formats.json import JsonOptions
from .formats.options import FormatOptions
from .formats.srt import SrtOptions
from .formats.text import TextOptions
from .formats.vtt import VttOptions
from .model import Change, Cue, Transcript, TranscriptWarning
from .output import OutputSpec, WrittenFile, write_outputs
from .preview import PreviewOptions
from .quality import Preset, QualityReport, apply_preset, check, get_preset
from .task import parse_task

if _TYPE_CHECKING:
    from .batch import aexport_many, export_many
    from .gcore import AsyncClient, Client, RetryPolicy, TaskProgress

# The clients (and RetryPolicy, which lives with them) load httpx (~0.2 s),
# so they are imported on first use only: ``from gcore_captions import Client``
# works, while ``import gcore_captions`` and the commands that never call the
# API stay quick.
_LAZY = {
    "AsyncClient": "gcore",
    "Client": "gcore",
    "RetryPolicy": "gcore",
    "TaskProgress": "gcore",
    "aexport_many": "batch",
    "export_many": "batch",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
    "JsonOptions",
    "NotFoundError",
    "OutputSpec",
    "PayloadError",
    "Preset",
    "PreviewOptions",
    "QualityReport",
    "RateLimitError",
    "RequestTimeout",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "SrtOptions",
    "TaskFailed",
    "TaskNotReady",
    "TaskProgress",
    "TaskQuery",
    "TextOptions",
    "Transcript",
    "TranscriptWarning",
    "UnsupportedTaskError",
    "VttOptions",
    "WaitTimeout",
    "WrittenFile",
    "__version__",
    "aexport_many",
    "apply_preset",
    "check",
    "export_many",
    "get_preset",
    "load",
    "loads",
    "parse_task",
    "render",
    "save",
    "write_outputs",
]
