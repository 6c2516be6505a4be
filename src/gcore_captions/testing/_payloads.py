"""
Task payloads shaped like Gcore's, for the fake API and for tests
(re-exported by :mod:`gcore_captions.testing`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ..timecode import format_vtt

__all__ = ["make_task", "make_tasks"]

_SAMPLE_CUES = (
    (480, 3920, "Good morning, and welcome to the quarterly product update."),
    (4310, 8775, "Today we'll walk through three changes to the upload pipeline."),
    (9120, 12004, "First, large files now resume automatically after a dropped connection."),
)


def make_task(
    task_id: str | None = None,
    *,
    status: str = "SUCCESS",
    cues: Sequence[tuple[int, int, str]] | None = None,
    language: str = "eng",
    progress: int | None = None,
    error: str = "Unsupported file type: https://domain.com/video.zip",
    task_name: str = "transcription",
    client_user_id: str | None = None,
    result: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """
    A task payload shaped like ``GET /streaming/ai/tasks/{id}``.

    Args:
        task_id: the id (a random UUID by default).
        status: ``SUCCESS`` (with a result), ``FAILURE`` (with ``error``),
            or any unfinished status (``result`` null).
        cues: ``(start_ms, end_ms, text)`` triples; three sample cues by
            default; ``[]`` for a task without speech.
        language: the ISO 639-2/B code reported in ``languages``.
        progress: the progress (100 for SUCCESS, 0 for PENDING... by default).
        error: the FAILURE text.
        task_name: ``transcription`` or ``content-moderation``.
        client_user_id: your own tag, copied into ``task_data``.
        result: a ready-made ``result`` (overrides the one built from cues).
    """
    status = status.upper()
    task_id = task_id or str(uuid.uuid4())
    cues = _SAMPLE_CUES if cues is None else cues
    if result is None and status == "SUCCESS":
        result = _transcription_result(cues, language)
    elif result is None and status == "FAILURE":
        result = {"error": error}
    return _payload(task_id, status, progress, task_name, client_user_id, result)


def make_tasks(n: int, *, start: int = 0, **options: Any) -> list[dict[str, Any]]:
    """
    ``n`` payloads as :func:`make_task` makes them, with ids
    ``00000000-0000-4000-8000-000000000000`` upward from ``start``.

    The tasks share one ``result`` object (treat payloads as read-only), so
    even 10,000 of them take little memory.
    """
    first = make_task(_numbered_id(start), **options)
    shared = first.get("result")
    status = first["status"]
    tasks = [first]
    for number in range(start + 1, start + n):
        task = _payload(
            _numbered_id(number),
            status,
            first["progress"],
            first["task_data"]["task_name"],
            options.get("client_user_id"),
            shared,
        )
        tasks.append(task)
    return tasks[:n]


def _transcription_result(cues: Sequence[tuple[int, int, str]], language: str) -> dict[str, Any]:
    subtitles = [
        {"start_time": format_vtt(start), "end_time": format_vtt(end), "text": text}
        for start, end, text in cues
    ]
    vtt = "WEBVTT\n\n" + "".join(
        f"{n}\n{s['start_time']} --> {s['end_time']}\n{s['text']}\n\n"
        for n, s in enumerate(subtitles, 1)
    )
    return {
        "subtitles": subtitles,
        "vttContent": vtt,
        "concatenated_text": " ".join(text for _, _, text in cues),
        "languages": [language] if cues else [],
        "speech_detected": bool(cues),
    }


def _payload(
    task_id: str,
    status: str,
    progress: int | None,
    task_name: str,
    client_user_id: str | None,
    result: Mapping[str, Any] | None,
) -> dict[str, Any]:
    finished = status in ("SUCCESS", "FAILURE")
    if progress is None:
        progress = {"SUCCESS": 100, "FAILURE": 15, "STARTED": 42, "REVOKED": 30}.get(status, 0)
    task_data: dict[str, Any] = {
        "task_name": task_name,
        "url": f"https://media.example.org/videos/{task_id}/video_360.mp4",
        "client_id": 418203,
    }
    if client_user_id is not None:
        task_data["client_user_id"] = client_user_id
    started = None if status in ("RECEIVED", "PENDING") else "2025-03-14T09:21:07.41Z"
    return {
        "task_id": task_id,
        "status": status,
        "progress": progress,
        "processing_time": {
            "started_at": started,
            "completed_at": "2025-03-14T09:22:55.903Z" if finished else None,
            "total_time_sec": 108.493 if finished else None,
        },
        "task_data": task_data,
        "result": result,
    }


def _numbered_id(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"
