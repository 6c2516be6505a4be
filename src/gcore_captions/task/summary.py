"""
One line's worth of facts about a task (a list item or a full payload), for
tables and reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TaskSummary", "summarize_task"]


@dataclass(frozen=True, slots=True)
class TaskSummary:
    """
    The columns of ``gcore-captions list``.

    Attributes:
        task_id: the task's id.
        status: ``SUCCESS``, ``PENDING``...
        progress: 0-100, when given.
        task_name: ``transcription`` or ``content-moderation`` (either
            payload shape: inside ``task_data`` or, in old ones, top level).
        language: the requested subtitle language, else the audio language,
            else ``"auto"`` for transcriptions, else ``""``.
        started: ``processing_time.started_at`` as ``YYYY-MM-DD HH:MM:SS``
            (UTC), or ``""``.
        finished: ``processing_time.completed_at`` the same way, or ``""``.
    """

    task_id: str
    status: str
    progress: int | None
    task_name: str
    language: str
    started: str
    finished: str


def summarize_task(payload: Mapping[str, Any]) -> TaskSummary:
    """
    The :class:`TaskSummary` of a task payload; missing fields become empty.
    """
    data = payload.get("task_data")
    data = data if isinstance(data, Mapping) else {}
    timing = payload.get("processing_time")
    timing = timing if isinstance(timing, Mapping) else {}
    name = str(data.get("task_name") or payload.get("task_name") or "")
    language = data.get("subtitles_language") or data.get("audio_language")
    if not language:
        language = "auto" if name == "transcription" else ""
    progress = payload.get("progress")
    return TaskSummary(
        task_id=str(payload.get("task_id") or ""),
        status=str(payload.get("status") or ""),
        progress=progress if isinstance(progress, int) and not isinstance(progress, bool) else None,
        task_name=name,
        language=str(language),
        started=_clock(timing.get("started_at")),
        finished=_clock(timing.get("completed_at")),
    )


def _clock(value: Any) -> str:
    # "2025-03-14T09:21:07.41Z" -> "2025-03-14 09:21:07"; anything else as is.
    if not isinstance(value, str) or not value:
        return ""
    text = value.replace("T", " ", 1)
    return text.split(".", 1)[0].removesuffix("Z")
