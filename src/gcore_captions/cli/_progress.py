"""
Showing a task's progress while waiting: a rich progress bar on a terminal,
otherwise one line on stderr whenever the status or progress changes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..gcore import TaskProgress

__all__ = ["task_progress"]


@contextmanager
def task_progress(task_id: str) -> Iterator[Callable[[TaskProgress], None]]:
    """
    A callback for ``wait_for(on_progress=...)`` that shows progress on
    stderr while the ``with`` block runs.
    """
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]{task.fields[status]:<8}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            row = bar.add_task(task_id, total=100, status="…")

            def show(update: TaskProgress) -> None:
                bar.update(row, completed=update.progress or 0, status=update.status)

            yield show
        return

    last: list[tuple[str, int | None]] = []

    def log(update: TaskProgress) -> None:
        state = (update.status, update.progress)
        if not last or last[-1] != state:
            last.append(state)
            shown = f" {update.progress}%" if update.progress is not None else ""
            click.echo(f"{task_id}: {update.status}{shown}", err=True)

    yield log
