"""
Whatever the caller holds (a dict, JSON text or bytes, a ``gcore`` SDK model,
any object with the task's attributes) as one plain mapping of JSON values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from .._jsontext import load_json
from ..errors import PayloadError
from ..textio import replace_surrogates

__all__ = ["as_task", "iso", "plain", "quoted"]

# Attribute names read from SDK-like objects that offer no dump method.
_ATTRIBUTES = (
    "task_id",
    "status",
    "progress",
    "processing_time",
    "task_data",
    "result",
    "task_name",
    "started_at",
    "completed_at",
    "total_time_sec",
    "url",
    "category",
    "audio_language",
    "subtitles_language",
    "client_id",
    "client_user_id",
    "client_entity_data",
    "subtitles",
    "vtt_content",
    "vttContent",
    "concatenated_text",
    "languages",
    "speech_detected",
    "error",
    "start_time",
    "end_time",
    "text",
    "nsfw_detected",
    "nudity_detected",
    "porn_detected",
    "sport_detected",
    "weapon_detected",
    "detection_results",
    "frames",
)


def as_task(payload: object) -> Mapping[str, Any]:
    """
    The task as a mapping, refusing what is clearly not a task (a list page,
    a create/cancel/info answer, an API error body) with a message saying
    what it is.

    Raises:
        PayloadError: not JSON, not an object, or not a task.
    """
    if isinstance(payload, dict):
        data: Any = payload
    elif isinstance(payload, (str, bytes, bytearray, memoryview)):
        data = _load_json(payload)
    elif isinstance(payload, Mapping):
        data = payload
    else:
        data = plain(payload)
    if not isinstance(data, Mapping):
        raise PayloadError(
            f"a task payload is a JSON object, got {type(data).__name__}"
            + (
                " (a task list page? parse each task fetched by id)"
                if isinstance(data, list)
                else ""
            )
        )
    if "results" in data and "task_id" not in data and "status" not in data:
        raise PayloadError(
            "this is a page of the task list, not a task; list items carry no result,"
            " so fetch each task by its id"
        )
    result = data.get("result")
    if not any(key in data for key in ("task_id", "status", "task_data")) and (
        result is None or isinstance(result, str)
    ):
        if isinstance(data.get("error"), str):
            raise PayloadError(f"this is an API error body, not a task: {quoted(data['error'])}")
        keys = ", ".join(sorted(map(_shown_key, data))[:8]) or "none"
        raise PayloadError(
            f"not a Gcore task: it has no task_id, status, task_data or result (keys: {keys})"
        )
    return data


def quoted(text: str, limit: int = 200) -> str:
    """
    A payload's text as a message shows it: lone surrogates replaced (a
    message must print) and cut to ``limit`` characters.
    """
    text = replace_surrogates(text)[0]
    return text if len(text) <= limit else text[:limit] + "..."


def _shown_key(key: Any) -> str:
    # A key as the message shows it: short, and never str() of a value that
    # cannot be written out (a whole number of 5,000 digits).
    if isinstance(key, str):
        return quoted(key, 32)
    return f"({type(key).__name__})"


def _load_json(payload: str | bytes | bytearray | memoryview) -> Any:
    if isinstance(payload, memoryview):
        payload = payload.tobytes()
    if isinstance(payload, str):
        payload = payload.removeprefix("\ufeff")
    try:
        return load_json(payload)
    except json.JSONDecodeError as error:
        raise PayloadError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None


def plain(value: Any, depth: int = 0) -> Any:
    """
    SDK (pydantic) objects and other duck-typed values as plain JSON data:
    ``model_dump(by_alias=True)``, else ``to_dict()``, else the known task
    attributes (``vtt_content`` becoming ``vttContent``); datetimes as ISO
    8601 text.
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if depth > 20:
        raise PayloadError("the payload nests too deeply to be a Gcore task")
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    dumped = _dump(value)
    if dumped is not None:
        return plain(dumped, depth + 1)
    found: dict[str, Any] = {}
    for name in _ATTRIBUTES:
        item = getattr(value, name, _MISSING)
        if item is not _MISSING and not callable(item):
            found["vttContent" if name == "vtt_content" else name] = plain(item, depth + 1)
    return found


_MISSING = object()


def _dump(value: Any) -> Any:
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        try:
            return model_dump(by_alias=True, warnings=False)
        except TypeError:
            return model_dump(by_alias=True)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return None


def iso(moment: datetime) -> str:
    """
    The wire form Gcore uses: ISO 8601, with ``Z`` for UTC.
    """
    text = moment.isoformat()
    if moment.utcoffset() == timezone.utc.utcoffset(None):
        text = text.replace("+00:00", "Z")
    return text
