"""
What to do with each task, decided from what the manifest says: pure
functions and small in-memory registries, no I/O.

- A task is skipped when its last record is ``written`` (or ``skipped``),
  was made with the same recipe (the export's ``OutputSpec.fingerprint``:
  outputs and options, passes, encoding, name template), and every
  file it lists is still there with the recorded size and SHA-256. The file
  check itself is I/O and is passed in (see :mod:`.resume`).
- Everything else is redone: no record, ``failed``, ``not_finished``, other
  options, a missing or changed file, or ``force``.
- Within one run, a task id seen twice is done once, and two tasks whose
  names map to the same file are a clash: the second is reported, the first
  file is never overwritten.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..output.naming import clash_key
from .fingerprints import FingerprintSet, fingerprint
from .records import FileRecord, TaskRecord

__all__ = ["ClaimRegistry", "Decision", "decide"]


@dataclass(frozen=True, slots=True)
class Decision:
    """
    Whether to skip a task, and why.

    Args:
        skip: ``True`` when the task's files are complete and unchanged.
        reason: why it is skipped or redone (for logs and the report).
    """

    skip: bool
    reason: str


def decide(
    record: TaskRecord | None,
    *,
    recipe: str,
    force: bool,
    check_file: Callable[[FileRecord], str | None],
) -> Decision:
    """
    Decide whether a task's files can be kept as they are.

    Args:
        record: the task's last manifest record, if any.
        recipe: this run's ``OutputSpec.fingerprint``.
        force: redo every task.
        check_file: returns ``None`` when a recorded file is present and
            unchanged, else what is wrong with it (``"missing"``...).

    Returns:
        The decision; only the first failing file is checked.
    """
    if force:
        return Decision(False, "forced")
    if record is None:
        return Decision(False, "new")
    if not record.complete:
        return Decision(False, f"was {record.status.replace('_', ' ')}")
    if record.recipe != recipe:
        return Decision(False, "formats, name template or passes changed")
    if not record.files:
        return Decision(False, "no files recorded")
    for file in record.files:
        problem = check_file(file)
        if problem is not None:
            return Decision(False, f"{file.path}: {problem}")
    return Decision(True, "files complete and unchanged")


class ClaimRegistry:
    """
    The task ids and output paths claimed so far in this run, as
    64-bit fingerprints in flat tables (16 bytes each), so memory stays
    small with many tasks. Safe to use from several threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tasks = FingerprintSet()
        self._paths = FingerprintSet()

    def first_time(self, task_id: str) -> bool:
        """
        ``True`` the first time ``task_id`` is seen in this run.
        """
        key = fingerprint(task_id)
        with self._lock:
            return self._tasks.add(key)

    def claim(self, task_id: str, paths: Sequence[str]) -> str | None:
        """
        Claim ``paths`` for ``task_id``.

        Returns:
            ``None`` when all were free (they are now claimed), else the
            first path another task (or another format of this task) has
            already claimed; then nothing is claimed.
        """
        keys = [fingerprint(clash_key(path)) for path in paths]
        with self._lock:
            for path, key in zip(paths, keys, strict=True):
                if key in self._paths or keys.count(key) > 1:
                    return path
            for key in keys:
                self._paths.add(key)
        return None
