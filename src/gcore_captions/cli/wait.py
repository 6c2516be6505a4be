"""
``gcore-captions wait``: wait for a task to finish, showing its progress.
"""

from __future__ import annotations

import click

from ._api_options import api_options, open_client, reported_errors, wait_options
from ._progress import task_progress

__all__ = ["wait"]

EPILOG = """\b
Examples:
  gcore-captions wait 6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135
  gcore-captions wait "$TASK" --timeout 3600 && gcore-captions fetch "$TASK" --to srt,vtt -o out/
"""


@click.command(epilog=EPILOG)
@click.argument("task_id")
@wait_options
@api_options
def wait(
    task_id: str, timeout: float, poll_interval: float, api_key: str | None, base_url: str | None
) -> None:
    """
    Wait until task TASK_ID finishes.

    Exits 0 when it ends in SUCCESS; 1 (with one error line) when it ends in
    FAILURE or REVOKED, or time runs out. Prints "TASK_ID SUCCESS" at the end.
    """
    with reported_errors(), open_client(api_key, base_url) as client:
        with task_progress(task_id) as show:
            payload = client.wait_for_task(
                task_id, timeout=timeout, poll_interval=poll_interval, on_progress=show
            )
        click.echo(f"{task_id} {payload.get('status')}")
