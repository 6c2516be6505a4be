"""
``gcore-captions fetch``: one task's captions, to stdout or to files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..output import render_outputs, write_atomic, write_outputs
from ..output.write import name_fields, planned_paths
from ..task import parse_task
from ._api_options import (
    api_options,
    check_file_stem,
    open_client,
    reported_errors,
    task_id_argument,
    timeouts,
    wait_options,
)
from ._common import no_clobber_option
from ._progress import task_progress
from ._quality import reflow_options
from ._writer_options import echo_reading_warnings, formats_option, output_options, output_spec

__all__ = ["fetch"]

EPILOG = """\b
Examples:
  gcore-captions fetch 6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135 > talk.srt
  gcore-captions fetch "$TASK" --to srt,vtt,txt --output-dir out/ --save-json
  gcore-captions fetch "$TASK" --wait --wait-timeout 1800 --to vtt -o out/
"""


@click.command(epilog=EPILOG)
@task_id_argument
@formats_option
@click.option(
    "-o",
    "--output-dir",
    metavar="DIR",
    help="Write DIR/<task_id>.<ext>; '-' for stdout. Default: stdout for one format,"
    " else the current folder.",
)
@click.option(
    "--wait", "wait_", is_flag=True, help="Wait for the task to finish first (see --wait-timeout)."
)
@wait_options
@click.option(
    "--save-json",
    is_flag=True,
    help="Also keep the raw task as <task_id>.task.json (in DIR, or the current folder).",
)
@output_options
@reflow_options
@no_clobber_option
@click.option("-q", "--quiet", is_flag=True, help="Do not print reading warnings.")
@api_options
def fetch(
    task_id: str,
    to: str,
    output_dir: str | None,
    wait_: bool,
    wait_timeout: float | None,
    poll_interval: float,
    save_json: bool,
    crlf: bool,
    bom: bool,
    writer_options: tuple[str, ...],
    quiet: bool,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
    no_clobber: bool,
) -> None:
    """
    Fetch task TASK_ID and write its captions.

    With one format and no --output-dir (or with '-o -') the captions go to
    stdout; otherwise each format is written atomically to
    DIR/<task_id>.<ext> and the paths written are printed; nothing is
    written unless the task could be read and rendered. Exits 1 with one
    error line when the task is not finished (add --wait), failed, or cannot
    be fetched.
    """
    spec = output_spec(
        to,
        writer_options,
        crlf=crlf,
        bom=bom,
        reflow=reflow,
        fix_only=fix_only,
        limits=limits,
        name="{task_id}.{ext}",
    )
    to_stdout = output_dir == "-" or (output_dir is None and len(spec.formats) == 1)
    if to_stdout and len(spec.formats) != 1:
        raise click.BadParameter("'-o -' (stdout) takes exactly one format", param_hint="--to")
    if not to_stdout or save_json:
        check_file_stem(task_id)
    folder = Path(output_dir if output_dir not in (None, "-") else ".")
    request_timeout, wait_timeout = timeouts(timeout, wait_timeout, waiting=wait_)
    with reported_errors(), open_client(api_key, base_url, request_timeout) as client:
        if wait_:
            with task_progress(task_id) as show:
                payload = client.wait_for_task(
                    task_id, timeout=wait_timeout, poll_interval=poll_interval, on_progress=show
                )
        else:
            payload = client.get_task(task_id)
        # Read and render everything first, so a task that is not ready or
        # cannot be rendered leaves no file behind.
        transcript = parse_task(payload)
        if not quiet:
            echo_reading_warnings(task_id, transcript.warnings)
        fields = {"task_id": task_id, "stem": task_id}
        paths = (
            None
            if to_stdout
            else planned_paths(spec, {**name_fields(transcript), **fields}, what=f"task {task_id}")
        )
        rendered = render_outputs(transcript, spec, names=paths)
        if save_json:
            path = folder / f"{task_id}.task.json"
            text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
            if write_atomic(path, text.encode("utf-8"), clobber=not no_clobber):
                click.echo(str(path), err=to_stdout)
            else:
                _left_alone(str(path))
        if to_stdout:
            sys.stdout.buffer.write(rendered[0].data)
            sys.stdout.buffer.flush()
            return
        records = write_outputs(
            transcript,
            spec,
            folder,
            fields=fields,
            clobber=not no_clobber,
            rendered=rendered,
            paths=paths,
        )
        for record in records:
            path_text = str(folder / record.path)
            if record.written:
                click.echo(path_text)
            else:
                _left_alone(path_text)


def _left_alone(path: str) -> None:
    click.echo(f"gcore-captions: note: {path} exists; left alone (--no-clobber)", err=True)
