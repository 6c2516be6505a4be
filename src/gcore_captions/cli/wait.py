"""
``gcore-captions wait``: wait for a task to finish, showing its progress.
"""

from __future__ import annotations

import click

from ._api_options import (
    api_options,
    open_client,
    reported_errors,
    task_id_argument,
    timeouts,
    wait_options,
)
from ._progress import task_progress

__all__ = ["wait"]

EPILOG = """\b
Examples:
  gcore-captions wait 6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135
  gcore-captions wait "$TASK" --wait-timeout 3600 && gcore-captions fetch "$TASK" -o out/
"""


@click.command(epilog=EPILOG)
@task_id_argument
@wait_options
@api_options
def wait(
    task_id: str,
    wait_timeout: float | None,
    poll_interval: float,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
) -> None:
    """
    Wait until task TASK_ID finishes.

    Exits 0 when it ends in SUCCESS; 1 (with one error line) when it ends in
    FAILURE or REVOKED, or --wait-timeout runs out. Prints "TASK_ID SUCCESS" at the end.
    """
    request_timeout, wait_timeout = timeouts(timeout, wait_timeout, waiting=True)
    with reported_errors(), open_client(api_key, base_url, request_timeout) as client:
        with task_progress(task_id) as show:
            payload = client.wait_for_task(
                task_id, timeout=wait_timeout, poll_interval=poll_interval, on_progress=show
            )
        click.echo(f"{task_id} {payload.get('status')}")
