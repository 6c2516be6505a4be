"""
Progress for ``gcore-captions export``: a rich progress bar on a terminal
(done / total, written, skipped, failed, requeues, rate, ETA) with a line
above it for each task that failed, did not finish or was queued again;
off a terminal, one line on stderr per task that failed or did not finish.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..batch import ExportProgress
from ..batch.report import RETRYING

__all__ = ["export_progress"]


class _RateColumn(ProgressColumn):
    """
    Tasks per second since the start.
    """

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:6.1f} tasks/s", style="progress.data.speed")


class _RequeueColumn(ProgressColumn):
    """
    How many times tasks were queued again, and how many wait for it now
    (empty while there were none).
    """

    def render(self, task: Task) -> Text:
        requeues = task.fields.get("requeues", 0)
        if not requeues:
            return Text("")
        waiting = task.fields.get("retrying", 0)
        shown = f"{requeues} requeued" + (f" ({waiting} waiting)" if waiting else "")
        return Text(shown, style="yellow")


@contextmanager
def export_progress(
    *, total: int | None, quiet: bool
) -> Iterator[Callable[[ExportProgress], None]]:
    """
    A callback for ``aexport_many(on_progress=...)`` that shows progress on
    stderr while the ``with`` block runs.

    Args:
        total: the number of tasks, when known (else the bar pulses).
        quiet: off a terminal, print nothing per task (``--json``).
    """
    if sys.stderr.isatty():
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]export"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "[green]{task.fields[written]} written[/] · {task.fields[skipped]} skipped ·"
                " [red]{task.fields[failed]} failed[/]"
            ),
            _RequeueColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        ) as bar:
            row = bar.add_task(
                "export", total=total, written=0, skipped=0, failed=0, requeues=0, retrying=0
            )

            def show(update: ExportProgress) -> None:
                bar.update(
                    row,
                    completed=update.done,
                    total=update.total,
                    written=update.written,
                    skipped=update.skipped,
                    failed=update.failed + update.not_finished,
                    requeues=update.requeues,
                    retrying=update.retrying,
                )
                if quiet:
                    return
                if update.status == RETRYING:
                    wait = f" in {update.retry_in:.1f} s" if update.retry_in is not None else ""
                    line = Text.assemble(
                        (f"retry {update.retries}", "yellow"),
                        (f": {update.task_id}{wait}: {update.error}", "dim"),
                    )
                    bar.console.print(line, highlight=False)
                elif update.status in ("failed", "not_finished"):
                    word = "failed" if update.status == "failed" else "not finished"
                    # A Text, not markup: error messages may hold "[...]".
                    line = Text.assemble((word, "red"), f": {update.task_id}: {update.error}")
                    bar.console.print(line, highlight=False)

            yield show
        return

    def log(update: ExportProgress) -> None:
        if quiet or update.status not in ("failed", "not_finished"):
            return
        word = "failed" if update.status == "failed" else "not finished"
        click.echo(f"gcore-captions: {word}: {update.task_id}: {update.error}", err=True)

    yield log
