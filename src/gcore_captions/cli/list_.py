"""
``gcore-captions list``: the account's AI tasks as a table or JSON lines.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import click

from ..task.summary import TaskSummary, summarize_task
from ._api_options import api_options, open_client, reported_errors

__all__ = ["list_"]

ORDERINGS = ("task_id", "status", "task_name", "started_at")
STATUSES = ("RECEIVED", "PENDING", "STARTED", "RETRY", "SUCCESS", "FAILURE", "REVOKED")
COLUMNS = ("TASK ID", "STATUS", "PROGRESS", "TASK NAME", "LANGUAGE", "STARTED", "FINISHED")
EPILOG = """\b
Examples:
  gcore-captions list --status SUCCESS --limit 20
  gcore-captions list --search keynote --json | jq -r .task_id
  gcore-captions list --date-created 2026-03-14 --ordering status
"""


@click.command("list", epilog=EPILOG)
@click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only this status."
)
@click.option(
    "--task-name",
    type=click.Choice(("transcription", "content-moderation")),
    help="Only this kind of task.",
)
@click.option("--search", metavar="TEXT", help="Text to find in id, name, status or task data.")
@click.option(
    "--ordering",
    type=click.Choice(ORDERINGS),
    help="Sort by this field, ascending [default: newest started first].",
)
@click.option(
    "--date-created",
    metavar="DATE",
    help="The API's date_created filter: when the task was created (ISO 8601, e.g. 2026-03-14).",
)
@click.option("--task-id", metavar="ID", help="Only the task with this exact id.")
@click.option(
    "--limit", type=click.IntRange(min=1), metavar="N", help="Show at most N tasks (newest first)."
)
@click.option("--json", "as_json", is_flag=True, help="Print each task as one JSON line.")
@api_options
def list_(
    status: str | None,
    task_name: str | None,
    search: str | None,
    ordering: str | None,
    date_created: str | None,
    task_id: str | None,
    limit: int | None,
    as_json: bool,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
) -> None:
    """
    List AI tasks: id, status, progress, task name, language, start and
    finish time (UTC).
    """
    with reported_errors(), open_client(api_key, base_url, timeout) as client:
        tasks: Iterator[dict[str, Any]] = client.list_tasks(
            status=status.upper() if status else None,
            task_name=task_name,
            search=search,
            ordering=ordering,
            date_created=date_created,
            task_id=_checked_id(task_id),
            page_size=min(limit or 100, 100),
        )
        if limit is not None:
            tasks = islice(tasks, limit)
        if as_json:
            for task in tasks:
                click.echo(json.dumps(task, ensure_ascii=False))
            return
        rows = [_row(summarize_task(task)) for task in tasks]
    if sys.stdout.isatty():
        _rich_table(rows)
    else:
        for line in plain_table(rows):
            click.echo(line)


def _checked_id(task_id: str | None) -> str | None:
    if task_id is None:
        return None
    from ..errors import InvalidTaskId
    from ..gcore import check_task_id

    try:
        return check_task_id(task_id)
    except InvalidTaskId as error:
        raise click.BadParameter(str(error), param_hint="--task-id") from None


def _row(summary: TaskSummary) -> tuple[str, ...]:
    progress = f"{summary.progress}%" if summary.progress is not None else ""
    return (
        summary.task_id,
        summary.status,
        progress,
        summary.task_name,
        summary.language,
        summary.started,
        summary.finished,
    )


def plain_table(rows: Iterable[tuple[str, ...]]) -> list[str]:
    """
    The rows under the column titles, in columns padded to line up.
    """
    table = [COLUMNS, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]


def _rich_table(rows: list[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*COLUMNS, box=None, header_style="bold")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
