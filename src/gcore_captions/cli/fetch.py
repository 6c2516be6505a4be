"""
``gcore-captions fetch``: one task's captions, to stdout or to files.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..api import render, save
from ..atomic import write_atomic
from ..errors import FormatError
from ..formats import Format, get_format
from ..task import parse_task
from ._api_options import api_options, check_file_stem, open_client, reported_errors
from ._common import split_formats
from ._progress import task_progress

EPILOG = """\b
Examples:
  gcore-captions fetch 6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135 > talk.srt
  gcore-captions fetch "$TASK" --to srt,vtt,txt --output-dir out/ --save-json
  gcore-captions fetch "$TASK" --wait --timeout 1800 --to vtt -o out/
"""


@click.command(epilog=EPILOG)
@click.argument("task_id")
@click.option(
    "--to",
    "to",
    default="srt",
    show_default=True,
    metavar="FORMAT[,FORMAT]",
    help="srt, vtt, ass, txt or json; several separated by commas.",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write <task_id>.<ext> files here (default: stdout for one format, else the"
    " current folder).",
)
@click.option("--wait", "wait_", is_flag=True, help="Wait for the task to finish first.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="With --wait: seconds to wait at most.",
)
@click.option("--save-json", is_flag=True, help="Also keep the raw task as <task_id>.task.json.")
@api_options
def fetch(
    task_id: str,
    to: str,
    output_dir: Path | None,
    wait_: bool,
    timeout: float,
    save_json: bool,
    api_key: str | None,
    base_url: str | None,
) -> None:
    """
    Fetch task TASK_ID and write its captions.

    With one format and no --output-dir the captions go to stdout; otherwise
    each format is written (atomically) to <task_id>.<ext> and the paths are
    printed. Exits 1 with one error line when the task is not finished (use
    --wait), failed, or cannot be fetched.
    """
    formats = _formats(to)
    to_stdout = output_dir is None and len(formats) == 1
    if not to_stdout or save_json:
        check_file_stem(task_id)
    folder = output_dir or Path(".")
    with reported_errors(), open_client(api_key, base_url) as client:
        if wait_:
            with task_progress(task_id) as show:
                payload = client.wait_for_task(task_id, timeout=timeout, on_progress=show)
        else:
            payload = client.get_task(task_id)
        if save_json:
            path = folder / f"{task_id}.task.json"
            text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
            write_atomic(path, text.encode("utf-8"))
            click.echo(str(path))
        transcript = parse_task(payload)
        for warning in transcript.warnings:
            click.echo(f"gcore-captions: warning: {task_id}: {warning}", err=True)
        if to_stdout:
            click.echo(render(transcript, formats[0].name), nl=False)
            return
        for fmt in formats:
            path = folder / f"{task_id}.{fmt.extension}"
            save(transcript, path, fmt.name)
            click.echo(str(path))


def _formats(value: str) -> list[Format]:
    names = split_formats(value)
    if not names:
        raise click.BadParameter("name at least one format", param_hint="--to")
    try:
        return [get_format(name) for name in names]
    except FormatError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None
