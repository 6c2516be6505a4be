"""
What a batch export reports: running counts while it works
(:class:`ExportProgress`) and the final :class:`ExportReport`.

Only counters and a capped list of failures are kept in memory; the
manifest holds every task's full outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._plural import plural
from .records import FAILED, NOT_FINISHED, SKIPPED, WRITTEN, Status

__all__ = [
    "MAX_FAILURES_KEPT",
    "ExportInterrupted",
    "ExportProgress",
    "ExportReport",
    "Failure",
    "one_line",
]

MAX_FAILURES_KEPT = 1000


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
class ExportProgress:
    """
    A snapshot of a running export, passed to ``on_progress`` after each
    task.

    Args:
        written: tasks whose files were written.
        skipped: tasks whose files were already complete.
        failed: tasks that failed.
        not_finished: tasks still running on Gcore's side.
        total: how many tasks there are, when known (``None`` while a
            stream of ids is still being read).
        elapsed: seconds since the export started.
        task_id: the task that just finished.
        status: its outcome.
        error: why it failed or is not finished, in one line.
    """

    written: int
    skipped: int
    failed: int
    not_finished: int
    total: int | None
    elapsed: float
    task_id: str
    status: Status
    error: str | None = None

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
        notes: things noticed along the way (a torn manifest line, temporary
            files removed).
        interrupted: the export was stopped (Ctrl-C, cancelled) before every
            task was handled; the counts say what was done until then.
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

    def count(self, status: Status, task_id: str, error: BaseException | str | None = None) -> None:
        """
        Count one task's outcome (and keep its failure, up to the cap).
        """
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
        status: Status,
        elapsed: float,
        error: BaseException | str | None = None,
    ) -> ExportProgress:
        """
        A snapshot of the counts, for ``on_progress``.
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
        }

    def summary(self) -> str:
        """
        One line for people: the counts and the time taken.
        """
        parts = [f"{self.written} written", f"{self.skipped} skipped", f"{self.failed} failed"]
        if self.not_finished:
            parts.append(f"{self.not_finished} not finished")
        stopped = " (interrupted)" if self.interrupted else ""
        return f"{plural(self.total, 'task')}: {', '.join(parts)} in {self.elapsed:.1f} s{stopped}"


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
