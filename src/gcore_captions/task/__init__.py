"""
Gcore AI task payloads to transcripts, without any I/O.

:func:`parse_task` takes what ``GET /streaming/ai/tasks/{id}`` returns: a
``dict``, its JSON text or bytes, or the object the official ``gcore`` SDK
returns from ``client.streaming.ai_tasks.get(...)`` (duck-typed; the SDK is
not a dependency). Unfinished tasks raise :class:`TaskNotReady`, failed or
cancelled ones :class:`TaskFailed`, content-moderation tasks
:class:`UnsupportedTaskError`, and a broken field :class:`PayloadError`
naming its JSON path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ..errors import PayloadError, TaskFailed, TaskNotReady, UnsupportedTaskError
from ..languages import normalize
from ..model import Transcript, TranscriptWarning
from ..reading import repair_cues, without_surrogates
from ._cues import (
    check_vtt_content,
    cues_from_subtitles,
    parse_vtt_content,
    subtitles_in_gcore_layout,
)
from ._payload import as_task, iso, plain, quoted

__all__ = ["FINAL_STATUSES", "PENDING_STATUSES", "parse_task", "task_error", "task_status"]

#: Statuses after which a task never changes again.
FINAL_STATUSES = frozenset({"SUCCESS", "FAILURE", "REVOKED"})
#: The documented statuses of a task that is still on its way.
PENDING_STATUSES = frozenset({"RECEIVED", "PENDING", "STARTED", "RETRY"})

# Keys only content-moderation results carry (current and legacy shapes).
_MODERATION_KEYS = frozenset(
    {
        "nsfw_detected",
        "nudity_detected",
        "porn_detected",
        "sport_detected",
        "weapon_detected",
        "detection_results",
        "frames",
    }
)
_TRANSCRIPTION_KEYS = ("subtitles", "vttContent", "vtt_content", "concatenated_text")
# Task ids are UUIDs and statuses short words: anything this long is not one
# (and would fill every message and file name made from it).
_MAX_ID = 256
# audio_language values that mean "not chosen" rather than a language.
_NO_LANGUAGE = frozenset({"", "auto", "default", "disable"})


def parse_task(payload: object) -> Transcript:
    """
    The transcript of a finished Gcore transcription task.

    Args:
        payload: the task as returned by ``GET /streaming/ai/tasks/{id}``: a
            ``dict``, JSON ``str``/``bytes``, or a ``gcore`` SDK object
            (anything with ``model_dump()``, ``to_dict()`` or the task's
            attributes).

    Returns:
        The transcript. Cues come from ``result.subtitles`` (``source`` is
        ``"subtitles"``), or from ``result.vttContent`` when the array is
        missing or empty (``source`` is ``"vttContent"``). ``warnings`` lists
        every repair (empty, inverted or out-of-order cues) and every
        disagreement between the two sources, with cue numbers. A task with
        ``speech_detected: false`` gives an empty transcript.

    Raises:
        TaskNotReady: the task is RECEIVED, PENDING, STARTED, RETRY (or
            another status that is not final); carries status and progress.
        TaskFailed: the task ended in FAILURE (``error`` is the task's own
            error text) or REVOKED.
        UnsupportedTaskError: a content-moderation task.
        PayloadError: the payload or one of its fields is broken; ``path``
            names it (``result.subtitles[17].end_time``).
    """
    task = as_task(payload)
    task_data = _object(task.get("task_data"), "task_data")
    result = task.get("result")
    if result is not None and not isinstance(result, Mapping):
        result = _object(result, "result")
    read_warnings: list[TranscriptWarning] = []
    task_id = _string(task.get("task_id"), "task_id")
    if task_id is not None:
        if len(task_id) > _MAX_ID:
            raise PayloadError(f"not a task id ({len(task_id)} characters)", path="task_id")
        task_id = without_surrogates(task_id, read_warnings, what="task_id")

    _refuse_moderation(task, task_data, result, task_id)
    status = task_status(task)
    if status is None:
        if result is None or not any(key in result for key in _TRANSCRIPTION_KEYS):
            raise PayloadError(
                "missing, and there is no transcription result to read", path="status"
            )
    elif status in ("FAILURE", "REVOKED"):
        raise TaskFailed(task_id=task_id, status=status, error=task_error(result))
    elif status != "SUCCESS":
        raise TaskNotReady(task_id=task_id, status=status, progress=_progress(task))
    if result is None:
        raise PayloadError(
            "missing: the task has no transcription result (list items never carry one,"
            " and Gcore deletes results after a month); fetch the task by its id",
            path="result",
        )
    # A payload decoded here is ours alone: _read_result may free parts of
    # it (vttContent, each cue's dict) once read, which keeps the peak
    # memory of a large task near that of the decoded JSON.
    owned = isinstance(payload, (str, bytes, bytearray, memoryview)) and type(result) is dict
    return _read_result(task, task_data, result, task_id, status, owned, read_warnings)


def task_error(result: object) -> str | None:
    """
    The error text a failed task carries in ``result.error``, or ``None``
    when there is none. A value that is not a string is shown as JSON: the
    task failed either way, and an odd error value must not hide why.
    """
    error = result.get("error") if isinstance(result, Mapping) else None
    if isinstance(error, str):
        return quoted(error.strip(), 1000) or None
    if error is None:
        return None
    try:
        shown = json.dumps(error, ensure_ascii=True, default=repr)
    except (ValueError, TypeError, RecursionError):  # huge ints, odd keys, deep nesting
        shown = f"(an error value of type {type(error).__name__})"
    return shown if len(shown) <= 1000 else shown[:1000] + "..."


def task_status(task: Mapping[str, Any]) -> str | None:
    """
    The task's status in upper case, or ``None`` when it has none.

    Raises:
        PayloadError: ``status`` is not a string.
    """
    status = task.get("status")
    if status is None:
        return None
    if not isinstance(status, str):
        raise PayloadError(f"expected a string, got {type(status).__name__}", path="status")
    if len(status) > _MAX_ID:
        raise PayloadError(f"not a task status ({len(status)} characters)", path="status")
    return quoted(status.strip().upper())


def _read_result(
    task: Mapping[str, Any],
    task_data: Mapping[str, Any],
    result: Mapping[str, Any],
    task_id: str | None,
    status: str | None,
    owned: bool = False,
    read_warnings: list[TranscriptWarning] | None = None,
) -> Transcript:
    subtitles = result.get("subtitles")
    if subtitles is not None and not isinstance(subtitles, (list, tuple)):
        raise PayloadError(
            f"expected an array of cues, got {type(subtitles).__name__}", path="result.subtitles"
        )
    vtt = result.get("vttContent")
    if vtt is None:
        vtt = result.get("vtt_content")
    vtt = _string(vtt, "result.vttContent")
    speech = result.get("speech_detected")
    if speech is not None and not isinstance(speech, bool):
        raise PayloadError(f"expected true or false, got {speech!r}", path="result.speech_detected")
    warnings: list[TranscriptWarning] = read_warnings if read_warnings is not None else []
    text = _string(result.get("concatenated_text"), "result.concatenated_text")
    if text is not None:
        text = without_surrogates(text, warnings, what="result.concatenated_text")
    languages = _languages(result.get("languages"))
    source = "subtitles"
    if subtitles:
        if (
            owned
            and type(subtitles) is list
            and vtt is not None
            and subtitles_in_gcore_layout(vtt, subtitles)
        ):
            # It agrees (no warnings): free it before building the cues.
            assert isinstance(result, dict)
            result.pop("vttContent" if result.get("vttContent") is not None else "vtt_content")
            vtt = None
        raw, starts, ends, texts, cleaned = cues_from_subtitles(
            subtitles, clear=owned and type(subtitles) is list
        )
        warnings.extend(cleaned)
        cues, repairs = repair_cues(raw)
        warnings.extend(repairs)
        if vtt is not None:
            warnings.extend(check_vtt_content(vtt, raw, starts, ends, texts))
    elif speech is False:
        cues = ()
        if vtt is not None and "-->" in vtt:
            warnings.append(
                TranscriptWarning(
                    "source-mismatch",
                    "speech_detected is false but vttContent has cues; ignored them",
                )
            )
    elif vtt is not None and "-->" in vtt:
        parsed = parse_vtt_content(vtt)
        cues, source = parsed.cues, "vttContent"
        warnings.extend(parsed.warnings)
    else:
        cues = ()
        if subtitles is None and vtt is None:
            warnings.append(
                TranscriptWarning(
                    "no-captions",
                    "the result has neither subtitles nor vttContent; the transcript is empty",
                )
            )

    metadata = _metadata(task, task_data, status, warnings)  # may add warnings
    return Transcript(
        cues=tuple(cues),
        task_id=task_id,
        language=_language(task_data, languages),
        languages=languages,
        text=text,
        source=source,
        warnings=tuple(warnings),
        metadata=metadata,
    )


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    converted = plain(value)
    if not isinstance(converted, Mapping):
        raise PayloadError(f"expected an object, got {type(value).__name__}", path=path)
    return converted


def _string(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise PayloadError(f"expected a string, got {type(value).__name__}", path=path)


def _progress(task: Mapping[str, Any]) -> int | None:
    progress = task.get("progress")
    if isinstance(progress, bool) or not isinstance(progress, (int, float)):
        return None
    if isinstance(progress, float) and not math.isfinite(progress):
        return None  # 1e400 in the JSON: no honest progress to report
    return int(progress)


def _refuse_moderation(
    task: Mapping[str, Any],
    task_data: Mapping[str, Any],
    result: Mapping[str, Any] | None,
    task_id: str | None,
) -> None:
    name = task_data.get("task_name") or task.get("task_name")
    moderation = (
        name == "content-moderation"
        or (name is None and task_data.get("category") is not None)
        or (result is not None and not _MODERATION_KEYS.isdisjoint(result))
    )
    if moderation:
        category = task_data.get("category")
        kind = f" ({quoted(category, 40)})" if isinstance(category, str) else ""
        raise UnsupportedTaskError(
            f"task {task_id} is a content-moderation task{kind}; it has no captions"
            " (gcore-captions converts transcription tasks)"
        )


def _languages(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise PayloadError(
            f"expected an array of language codes, got {type(value).__name__}",
            path="result.languages",
        )
    return tuple(_code(code, f"result.languages[{index}]") for index, code in enumerate(value))


def _code(code: Any, path: str) -> str:
    # A language code normalised, or a PayloadError naming its path (with a
    # short message: a hostile megabyte "code" is not quoted whole).
    if isinstance(code, str) and len(code) > 35:  # the longest BCP 47 tag in use is shorter
        raise PayloadError(f"not a language code ({len(code)} characters)", path=path)
    try:
        return normalize(code)
    except ValueError as error:
        raise PayloadError(str(error), path=path) from None


def _language(task_data: Mapping[str, Any], languages: tuple[str, ...]) -> str | None:
    # The language of the cue text: a translation's target, else the
    # language that was asked for, else the most frequent one detected.
    for key in ("subtitles_language", "audio_language"):
        code = task_data.get(key)
        if code is None or (isinstance(code, str) and code.strip().lower() in _NO_LANGUAGE):
            continue
        return _code(code, f"task_data.{key}")
    return languages[0] if languages else None


def _metadata(
    task: Mapping[str, Any],
    task_data: Mapping[str, Any],
    status: str | None,
    warnings: list[TranscriptWarning],
) -> Mapping[str, str]:
    found: dict[str, str] = {}
    for key in (
        "url",
        "client_user_id",
        "client_entity_data",
        "audio_language",
        "subtitles_language",
    ):
        value = task_data.get(key)
        if value is not None:
            found[key] = _scalar(value, f"task_data.{key}", warnings)
    if status is not None:
        found["status"] = without_surrogates(status, warnings, what="status")
    name = task_data.get("task_name")
    path = "task_data.task_name"
    if not name:
        name, path = task.get("task_name"), "task_name"
    if name is not None:
        found["task_name"] = _scalar(name, path, warnings)
    timing = task.get("processing_time")
    if isinstance(timing, Mapping) and timing.get("completed_at") is not None:
        completed = timing["completed_at"]
        found["completed_at"] = (
            iso(completed)
            if isinstance(completed, datetime)
            else _scalar(completed, "processing_time.completed_at", warnings)
        )
    return MappingProxyType(found)


# int("9" * 4301) is refused by Python; a metadata number that long is junk.
_MAX_DIGITS_BITS = 14_000


def _scalar(value: Any, path: str, warnings: list[TranscriptWarning]) -> str:
    # A metadata field as text: strings as they are (lone surrogates
    # replaced), numbers and booleans written out; anything else is broken.
    if isinstance(value, str):
        return without_surrogates(value, warnings, what=path)
    if isinstance(value, int) and value.bit_length() <= _MAX_DIGITS_BITS:
        return str(value)
    if isinstance(value, float):
        return repr(value)
    kind = "a whole number too long to show" if isinstance(value, int) else type(value).__name__
    raise PayloadError(f"expected a string, got {kind}", path=path)
