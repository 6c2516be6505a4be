"""
What the fake Gcore API (:mod:`gcore_captions.testing`) answers, endpoint by
endpoint, as plain functions of its task table and the request's query.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..languages import SUPPORTED, normalize
from ..task import FINAL_STATUSES

__all__ = ["NOT_FOUND", "Answer", "TaskState", "answer_cancel", "answer_info", "answer_list"]

Answer = tuple[int, dict[str, str], Any]
"""HTTP status, extra headers, JSON body."""

NOT_FOUND = {
    "status": 404,
    "error": "Not Found. Entity you are looking for was not found, please check the initial"
    " parameters",
}
_DEFAULT_PROGRESS = {"RECEIVED": 0, "PENDING": 0, "STARTED": 50, "RETRY": 0, "SUCCESS": 100}
_ORDERINGS = ("task_id", "status", "task_name", "started_at")


# Reference §4: languages that can be transcribed (and translated to English)
# but are not offered as targets of other translations.
# fmt: off
NOT_TRANSLATION_TARGETS = frozenset({
    "bak", "tib", "bre", "fao", "hat", "hau", "haw", "lat", "lin", "ltz", "mlg", "mao",
    "may", "nor", "oci", "san", "sin", "alb", "sun", "tat", "tuk", "uzb", "yid",
})
# fmt: on


@dataclass
class TaskState:
    """
    One task of the fake API: its payload and, optionally, the statuses it
    shows on successive ``GET``s (the last one stays).

    Attributes:
        payload: the task as ``GET /streaming/ai/tasks/{id}`` returns it when
            finished (never mutated).
        script: ``(status, progress)`` per poll; empty: the payload as is.
        polls: how many ``GET``s of this task were answered.
        revoked: set by a successful cancel.
    """

    payload: Mapping[str, Any]
    script: tuple[tuple[str, int | None], ...] = ()
    polls: int = 0
    revoked: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def task_id(self) -> str:
        """
        The task's id.
        """
        return str(self.payload.get("task_id"))

    def status(self) -> tuple[str, int | None]:
        """
        The status and progress the task shows now.
        """
        if self.revoked:
            return "REVOKED", _int(self.payload.get("progress"))
        if not self.script:
            return str(self.payload.get("status")), _int(self.payload.get("progress"))
        return self.script[min(self.polls, len(self.script) - 1)]

    def poll(self) -> dict[str, Any]:
        """
        The payload one ``GET`` returns; moves the script one step on.
        """
        with self.lock:
            view = self.view(with_result=True)
            self.polls += 1
        return view

    def _picked_up(self) -> bool:
        shown = self.script[: min(self.polls, len(self.script) - 1) + 1]
        return self.revoked or any(step not in ("RECEIVED", "PENDING") for step, _ in shown)

    def view(self, *, with_result: bool) -> dict[str, Any]:
        """
        The payload as it looks now (``with_result=False``: a list item).
        """
        status, progress = self.status()
        view = dict(self.payload)
        view["status"] = status
        view["progress"] = progress
        own = str(self.payload.get("status"))
        if status != own:
            view["result"] = None
            timing = view.get("processing_time")
            if isinstance(timing, dict):
                timing = {**timing, "completed_at": None, "total_time_sec": None}
                if not self._picked_up():
                    timing["started_at"] = None
                view["processing_time"] = timing
        if status == "FAILURE" and own != "FAILURE":
            view["result"] = {"error": "the task failed (scripted by the fake API)"}
        if not with_result:
            view.pop("result", None)
        return view


def scripted(statuses: Sequence[str | tuple[str, int]]) -> tuple[tuple[str, int | None], ...]:
    """
    ``["PENDING", ("STARTED", 40), "SUCCESS"]`` as ``(status, progress)``
    pairs; a bare status keeps the progress shown before it (SUCCESS shows
    100; a first step its usual value: PENDING 0, STARTED 50).
    """
    steps: list[tuple[str, int | None]] = []
    for step in statuses:
        if isinstance(step, str):
            status = step.upper()
            progress = _DEFAULT_PROGRESS.get(status)
            if steps and status != "SUCCESS":
                progress = steps[-1][1]
        else:
            status, progress = str(step[0]).upper(), int(step[1])
        steps.append((status, progress))
    return tuple(steps)


def answer_list(
    tasks: Sequence[TaskState], query: Mapping[str, str], *, past_last_page: str = "404"
) -> Answer:
    """
    ``GET /streaming/ai/tasks``: filters, ordering, ``page``/``limit``
    pagination with ``"page=N"`` links; a page past the last answers 404
    (``past_last_page="empty"``: an empty page, as the SDK's pager expects).
    """
    try:
        page = int(query.get("page", "1"))
        limit = int(query.get("limit", "10"))
    except ValueError:
        return 400, {}, {"error": "page and limit must be integers"}
    if limit < 1:
        return 400, {}, {"error": "limit must be at least 1"}
    if page < 1:
        return 404, {}, NOT_FOUND
    ordering = query.get("ordering")
    if ordering is not None and ordering not in _ORDERINGS:
        return 422, {}, {"error": f"ordering must be one of {', '.join(_ORDERINGS)}"}
    chosen = [task for task in tasks if _matches(task, query)]
    if ordering:
        chosen.sort(key=lambda task: _sort_key(task, ordering))
    start = (page - 1) * limit
    if page > 1 and start >= len(chosen) and past_last_page != "empty":
        return 404, {}, NOT_FOUND
    body = {
        "count": len(chosen),
        "next": f"page={page + 1}" if start + limit < len(chosen) else None,
        "previous": f"page={page - 1}" if page > 1 else None,
        "results": [task.view(with_result=False) for task in chosen[start : start + limit]],
    }
    return 200, {}, body


def answer_cancel(task: TaskState | None) -> Answer:
    """
    ``POST /streaming/ai/tasks/{id}/cancel``: 202, 404 or 412.
    """
    if task is None:
        return 404, {}, {"error": "Task not found"}
    with task.lock:
        status, _ = task.status()
        if status in FINAL_STATUSES:
            return (
                412,
                {},
                {"error": f"Cannot cancel task because it is already in status {status}."},
            )
        task.revoked = True
    return 202, {}, {"result": "Task has been cancelled successfully."}


def answer_info(query: Mapping[str, str]) -> Answer:
    """
    ``GET /streaming/ai/info?type=language_support``: ``{"supported": bool}``.
    """
    if query.get("type") != "language_support":
        return 400, {}, {"error": "Invalid config type"}
    audio = _b_code(query.get("audio_language"))
    if not audio:
        return 400, {}, {"error": "audio_language is required for type=language_support"}
    target = _b_code(query.get("subtitles_language"))
    supported = audio in SUPPORTED and (
        not target
        or target in (audio, "eng")
        or (target in SUPPORTED and target not in NOT_TRANSLATION_TARGETS)
    )
    return 200, {}, {"supported": supported}


def _matches(task: TaskState, query: Mapping[str, str]) -> bool:
    payload = task.payload
    status, _ = task.status()
    if "task_id" in query and task.task_id != query["task_id"]:
        return False
    if "status" in query and status != query["status"].upper():
        return False
    if "task_name" in query and _task_name(payload) != query["task_name"]:
        return False
    if "date_created" in query and not _started(payload).startswith(query["date_created"]):
        return False
    needle = query.get("search", "").lower()
    if needle:
        data = json.dumps(payload.get("task_data") or {}, ensure_ascii=False)
        haystack = " ".join((task.task_id, _task_name(payload), status, data)).lower()
        return needle in haystack
    return True


def _sort_key(task: TaskState, ordering: str) -> str:
    if ordering == "status":
        return task.status()[0]
    if ordering == "task_name":
        return _task_name(task.payload)
    if ordering == "started_at":
        return _started(task.payload)
    return task.task_id


def _task_name(payload: Mapping[str, Any]) -> str:
    data = payload.get("task_data")
    name = data.get("task_name") if isinstance(data, dict) else None
    return str(name or payload.get("task_name") or "")


def _started(payload: Mapping[str, Any]) -> str:
    timing = payload.get("processing_time")
    started = timing.get("started_at") if isinstance(timing, dict) else None
    return str(started or "")


def _b_code(code: str | None) -> str:
    try:
        return normalize(code) if code else ""
    except ValueError:
        return "?"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
