"""
Task creation in the fake Gcore API (:mod:`gcore_captions.testing`):
``POST /streaming/ai/tasks`` checked as the reference describes it, the
queue limit, AI switched off (422), and the tasks it makes, whose results
are derived from the URL and languages (the same request always gives the
same captions) and which walk PENDING -> STARTED -> SUCCESS as they are
polled.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from ..languages import SUPPORTED
from ..task import FINAL_STATUSES
from ._payloads import make_task
from ._routes import Answer, TaskState, answer_info, scripted

__all__ = [
    "DEFAULT_CREATE_STATUSES",
    "DISABLED",
    "answer_create",
    "created_payload",
    "unfinished",
]

DEFAULT_CREATE_STATUSES: tuple[str | tuple[str, int], ...] = (
    "PENDING",
    ("STARTED", 50),
    "SUCCESS",
)
"""What a created task shows on its first, second and later ``GET``s."""

DISABLED = {"error": "Feature is disabled. Contact support to enable."}
_NAMESPACE = uuid.UUID("6f1c2a9e-5b7d-4c3e-9a8f-0d1e2f3a4b5c")
_FIELDS = ("url", "audio_language", "subtitles_language", "client_user_id", "client_entity_data")
_LIMITS = {"client_user_id": 256, "client_entity_data": 4096}


def unfinished(tasks: Sequence[TaskState]) -> int:
    """
    How many tasks are not in a final status (they fill the queue).
    """
    return sum(1 for task in tasks if task.status()[0] not in FINAL_STATUSES)


def answer_create(
    raw: bytes,
    tasks: Sequence[TaskState],
    *,
    number: int,
    queue_limit: int | None,
    ai_enabled: bool,
    statuses: Sequence[str | tuple[str, int]],
) -> tuple[Answer, TaskState | None]:
    """
    ``POST /streaming/ai/tasks``: 201 ``{"task_id"}`` and the new task, or
    the API's refusal (400, 422) and ``None``.

    Args:
        raw: the request body.
        tasks: the tasks the server holds now (for the queue limit).
        number: how many tasks this server created before (part of the id,
            so a duplicate create gets a new id, the same on every run).
        queue_limit: unfinished tasks allowed at once (``None``: no limit).
        ai_enabled: ``False`` answers every create with 422.
        statuses: the statuses the new task walks through as it is polled.
    """
    if not ai_enabled:
        return (422, {}, dict(DISABLED)), None
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        return (400, {}, {"error": "the body is not JSON"}), None
    if not isinstance(body, dict):
        return (400, {}, {"error": "the body must be a JSON object"}), None
    if body.get("task_name") != "transcription":
        return (400, {}, {"error": "task_name: only 'transcription' is served here"}), None
    refusal = _refusal(body)
    if refusal:
        return (400, {}, {"error": refusal}), None
    if queue_limit is not None and unfinished(tasks) >= queue_limit:
        return (400, {}, {"error": f"Queue limit reached ({queue_limit}), try later."}), None
    payload = created_payload(body, number)
    if payload["status"] == "FAILURE":  # an unsupported pair fails where it would succeed
        statuses = [*statuses[:-1], "FAILURE"]
    state = TaskState(payload, scripted(statuses))
    return (201, {}, {"task_id": state.task_id}), state


def _refusal(body: Mapping[str, Any]) -> str:
    url = body.get("url")
    if not isinstance(url, str) or not url:
        return "url: this field is required"
    if urlsplit(url).scheme not in ("http", "https"):
        return f"url: not an http(s) URL: {url[:100]}"
    for name in ("audio_language", "subtitles_language"):
        code = body.get(name)
        if code is not None and code not in SUPPORTED:
            return f"{name}: '{str(code)[:20]}' is not a valid choice"
    for name, limit in _LIMITS.items():
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            return f"{name}: at most {limit} characters"
    return ""


def created_payload(body: Mapping[str, Any], number: int) -> dict[str, Any]:
    """
    The finished payload of a task created with ``body``: an id from the
    request and ``number``; captions naming the URL's file and the language
    (the same for the same request); FAILURE for a translation the API does
    not offer (as ``eng`` to ``uzb``).
    """
    url = str(body["url"])
    audio = body.get("audio_language")
    target = body.get("subtitles_language")
    language = target or audio or "eng"
    task_id = str(uuid.uuid5(_NAMESPACE, json.dumps([url, audio, target, number])))
    _, _, verdict = answer_info(
        {"type": "language_support", "audio_language": audio or "eng"}
        | ({"subtitles_language": target} if target else {})
    )
    if not verdict.get("supported", False):
        payload = make_task(
            task_id,
            status="FAILURE",
            error=f"Unsupported translation: {audio or 'auto'} => {target}",
        )
    else:
        payload = make_task(task_id, cues=_cues(url, language), language=language)
    data = payload["task_data"]
    for name in _FIELDS:
        if body.get(name) is not None:
            data[name] = body[name]
    created = f"2026-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}Z"
    payload["processing_time"] = {**payload["processing_time"], "started_at": created}
    return payload


def _cues(url: str, language: str) -> list[tuple[int, int, str]]:
    name = urlsplit(url).path.rsplit("/", 1)[-1] or urlsplit(url).hostname or "media"
    seed = int.from_bytes(uuid.uuid5(_NAMESPACE, f"{url}|{language}").bytes[:2], "big")
    count = 2 + seed % 3
    return [
        (1000 + n * 3000, 3500 + n * 3000, f"[{language}] {name}, line {n + 1} of {count}.")
        for n in range(count)
    ]
