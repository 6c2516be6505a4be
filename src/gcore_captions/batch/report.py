"""
What a batch export reports: running counts while it works
(:class:`ExportProgress`) and the final :class:`ExportReport`.

Only counters and a capped list of failures are kept in memory; the
manifest holds every task's full outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .._plural import plural
from .records import FAILED, NOT_FINISHED, SKIPPED, WRITTEN, Status

__all__ = [
    "MAX_FAILURES_KEPT",
    "MAX_RETRIED_KEPT",
    "RETRYING",
    "ExportInterrupted",
    "ExportProgress",
    "ExportReport",
    "Failure",
    "ProgressStatus",
    "RetriedTask",
    "one_line",
]

MAX_FAILURES_KEPT = 1000
MAX_RETRIED_KEPT = 1000

ProgressStatus = Status | Literal["retrying"]
"""A task's outcome, or ``retrying`` for a task queued again (progress only)."""
RETRYING: Literal["retrying"] = "retrying"


@dataclass(frozen=True, slots=True)
class Failure:
    """
    A task that was not exported.

    Args:
        task_id: the task's id.
        status: ``failed`` or ``not_finished``.
        error: what went wrong, in one line.
        error_type: the exception class behind it (``NotFoundError``...).
    """

    task_id: str
    status: Status
    error: str
    error_type: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """
        The failure as a JSON-ready dict.
        """
        return {
            "task_id": self.task_id,
            "status": self.status,
            "error": self.error,
            "error_type": self.error_type,
        }


@dataclass(frozen=True, slots=True)
class RetriedTask:
    """
    A task that was queued again after transient failures, and how it ended.

    Args:
        task_id: the task's id.
        requeues: how many times it was queued again.
        status: how it ended (``written``, or ``failed`` when the retry
            budget ran out or a later answer was permanent...).
        last_error: the last transient failure, in one line.
    """

    task_id: str
    requeues: int
    status: Status
    last_error: str

    def to_dict(self) -> dict[str, Any]:
        """
        The entry as a JSON-ready dict.
        """
        return {
            "task_id": self.task_id,
            "requeues": self.requeues,
            "status": self.status,
            "last_error": self.last_error,
        }


@dataclass(frozen=True, slots=True)
class ExportProgress:
    """
    A snapshot of a running export, passed to ``on_progress`` after each
    task, and each time a task is queued again after a transient failure
    (``status`` is then ``"retrying"``).

    Args:
        written: tasks whose files were written.
        skipped: tasks whose files were already complete.
        failed: tasks that failed.
        not_finished: tasks still running on Gcore's side.
        total: how many tasks there are, when known (``None`` while a
            stream of ids is still being read).
        elapsed: seconds since the export started.
        task_id: the task that just finished, or was just queued again.
        status: its outcome, or ``"retrying"`` when it was queued again.
        error: why it failed, is not finished or is tried again, in one
            line.
        requeues: how many times tasks were queued again so far.
        retrying: how many tasks are waiting to be tried again.
        retries: how many times this task was queued again so far.
        retry_in: for ``"retrying"``, the seconds before its next try.
    """

    written: int
    skipped: int
    failed: int
    not_finished: int
    total: int | None
    elapsed: float
    task_id: str
    status: ProgressStatus
    error: str | None = None
    requeues: int = 0
    retrying: int = 0
    retries: int = 0
    retry_in: float | None = None

    @property
    def done(self) -> int:
        """
        Tasks handled so far, whatever their outcome.
        """
        return self.written + self.skipped + self.failed + self.not_finished


@dataclass
class ExportReport:
    """
    The outcome of a batch export.

    Attributes:
        output_dir: the output folder.
        manifest: the manifest file, listing every task's outcome.
        written: tasks whose files were written.
        skipped: tasks whose files were already complete (not fetched again).
        failed: tasks that failed (refused names and clashes included).
        not_finished: tasks that had not finished on Gcore's side.
        total: all tasks handled (duplicate ids count once).
        duplicates: ids given more than once (handled once).
        elapsed: seconds the export took.
        failures: the first :data:`MAX_FAILURES_KEPT` failures, in order.
        failures_omitted: failures beyond those (see the manifest).
        requeues: how many times tasks were queued again after a transient
            failure (each requeue is one more request).
        retried: the first :data:`MAX_RETRIED_KEPT` tasks that were queued
            again, in the order they ended.
        retried_omitted: retried tasks beyond those (the manifest's
            ``retries`` field has them all).
        retrying: tasks waiting now to be tried again.
        notes: things noticed along the way (a torn manifest line, temporary
            files removed).
        interrupted: the export was stopped (Ctrl-C, cancelled, or the API
            refused the key) before every task was handled; the counts say
            what was done until then.
    """

    output_dir: str
    manifest: str
    written: int = 0
    skipped: int = 0
    failed: int = 0
    not_finished: int = 0
    duplicates: int = 0
    elapsed: float = 0.0
    total_hint: int | None = None
    failures: list[Failure] = field(default_factory=list)
    failures_omitted: int = 0
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False
    requeues: int = 0
    retried: list[RetriedTask] = field(default_factory=list)
    retried_omitted: int = 0
    retrying: int = 0

    @property
    def total(self) -> int:
        """
        Tasks handled: written + skipped + failed + not finished.
        """
        return self.written + self.skipped + self.failed + self.not_finished

    @property
    def ok(self) -> bool:
        """
        ``True`` when every task was written or skipped (and the export was
        not interrupted).
        """
        return self.failed == 0 and self.not_finished == 0 and not self.interrupted

    def count(
        self,
        status: Status,
        task_id: str,
        error: BaseException | str | None = None,
        *,
        requeues: int = 0,
        last_error: str | None = None,
    ) -> None:
        """
        Count one task's outcome (and keep its failure, up to the cap).

        Args:
            status: how it ended.
            task_id: the task.
            error: why it failed or is not finished.
            requeues: how many times it was queued again on the way.
            last_error: its last transient failure, when it was queued again.
        """
        if requeues:
            if len(self.retried) < MAX_RETRIED_KEPT:
                text = last_error or "transient failure"
                self.retried.append(RetriedTask(task_id, requeues, status, text))
            else:
                self.retried_omitted += 1
        if status == WRITTEN:
            self.written += 1
        elif status == SKIPPED:
            self.skipped += 1
        else:
            if status == FAILED:
                self.failed += 1
            elif status == NOT_FINISHED:
                self.not_finished += 1
            if len(self.failures) < MAX_FAILURES_KEPT:
                text = one_line(error or "unknown error")
                kind = type(error).__name__ if isinstance(error, BaseException) else None
                self.failures.append(Failure(task_id, status, text, kind))
            else:
                self.failures_omitted += 1

    def progress(
        self,
        task_id: str,
        status: ProgressStatus,
        elapsed: float,
        error: BaseException | str | None = None,
        *,
        retries: int = 0,
        retry_in: float | None = None,
    ) -> ExportProgress:
        """
        A snapshot of the counts, for ``on_progress``; ``retries`` and
        ``retry_in`` describe the task the snapshot is about.
        """
        return ExportProgress(
            written=self.written,
            skipped=self.skipped,
            failed=self.failed,
            not_finished=self.not_finished,
            total=self.total_hint,
            elapsed=elapsed,
            task_id=task_id,
            status=status,
            error=one_line(error) if error is not None else None,
            requeues=self.requeues,
            retrying=self.retrying,
            retries=retries,
            retry_in=retry_in,
        )

    def to_dict(self) -> dict[str, Any]:
        """
        The report as a JSON-ready dict (what ``--json`` prints).
        """
        return {
            "ok": self.ok,
            "output_dir": self.output_dir,
            "manifest": self.manifest,
            "total": self.total,
            "written": self.written,
            "skipped": self.skipped,
            "failed": self.failed,
            "not_finished": self.not_finished,
            "duplicates": self.duplicates,
            "elapsed": round(self.elapsed, 3),
            "failures": [f.to_dict() for f in self.failures],
            "failures_omitted": self.failures_omitted,
            "notes": list(self.notes),
            "interrupted": self.interrupted,
            "requeues": self.requeues,
            "retried": [r.to_dict() for r in self.retried],
            "retried_omitted": self.retried_omitted,
        }

    def summary(self) -> str:
        """
        One line for people: the counts, the time taken and, when tasks
        were queued again, how often.
        """
        parts = [f"{self.written} written", f"{self.skipped} skipped", f"{self.failed} failed"]
        if self.not_finished:
            parts.append(f"{self.not_finished} not finished")
        retried = ""
        if self.requeues:
            tasks = plural(len(self.retried) + self.retried_omitted, "task")
            retried = f" ({plural(self.requeues, 'requeue')} of {tasks} after transient failures)"
        stopped = " (interrupted)" if self.interrupted else ""
        counts = ", ".join(parts)
        return f"{plural(self.total, 'task')}: {counts} in {self.elapsed:.1f} s{retried}{stopped}"


class ExportInterrupted(KeyboardInterrupt):
    """
    :func:`~gcore_captions.batch.export_many` was interrupted (Ctrl-C):
    still a :class:`KeyboardInterrupt`, carrying what was done until then.

    The manifest is saved, so running the same export again continues where
    this one stopped. (:func:`~gcore_captions.batch.aexport_many`, when
    cancelled, re-raises the :class:`asyncio.CancelledError` with the same
    report as its ``report`` attribute.)

    Attributes:
        report: the counts so far, with ``interrupted`` set.
    """

    def __init__(self, report: ExportReport) -> None:
        super().__init__("interrupted; run the same command again to continue where it stopped")
        self.report = report

    def __reduce__(self) -> tuple[type[ExportInterrupted], tuple[ExportReport]]:
        return type(self), (self.report,)


def one_line(error: BaseException | str) -> str:
    """
    An error's message on one line (spaces collapsed), or its class name
    when the message is empty.
    """
    return " ".join(str(error).split()) or type(error).__name__
