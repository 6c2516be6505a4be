"""
``gcore-captions export``: many tasks' captions to files, with a manifest,
progress and resume.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

import click
from click.core import ParameterSource

from .._plural import plural
from ..batch import (
    FIELDS,
    MANIFEST_NAME,
    ExportOptions,
    TaskQuery,
    parse_id_lines,
)
from ..batch.report import ExportInterrupted, ExportReport
from ..errors import ExportError, GcoreCaptionsError
from ._api_options import api_options, open_client, reported_errors, timeouts, wait_options
from ._common import EXIT_FAILED, EXIT_OK, describe, error_line, no_clobber_option
from ._quality import reflow_options
from ._writer_options import (
    batch_folder_options,
    check_batch_name,
    formats_option,
    output_options,
    output_spec,
)

__all__ = ["export"]

EPILOG = f"""\b
Examples:
  gcore-captions export --all --to srt,vtt --output-dir captions/
  gcore-captions export --ids-file ids.txt -o out/ --name '{{language}}/{{task_id}}.{{ext}}'
  cat ids.txt | gcore-captions export --ids-file - --to srt -o out/ --json
  gcore-captions export 6f1c2a9e-... --wait --wait-timeout 1800 -o out/

\b
Name fields: {", ".join("{" + name + "}" for name in FIELDS)}
Rerun the same command to resume: complete tasks are skipped (checked
against {MANIFEST_NAME}), failed and unfinished ones are retried.
"""

# ExportOptions fields as the flags that set them, for its error messages.
_FLAGS = {
    "concurrency": "--concurrency",
    "max_rps": "--max-rps",
    "wait_timeout": "--wait-timeout",
    "request_timeout": "--timeout",
    "poll_interval": "--poll-interval",
    "retry_for": "--retry-for",
}

_STATUSES = ("SUCCESS", "FAILURE", "PENDING", "RECEIVED", "RETRY", "REVOKED", "STARTED")


def _transcription_only(task_name: str | None) -> str | None:
    # Checked while parsing: only transcriptions have captions to export.
    name = task_name.lower() if task_name is not None else None
    if name == "content-moderation":
        raise click.BadParameter(
            "content-moderation tasks have no captions; only transcription tasks can be exported"
        )
    if name not in (None, "transcription"):
        raise click.BadParameter(
            f"unknown task type {task_name!r}; only transcription tasks can be exported"
        )
    return name


@click.command(epilog=EPILOG)
@click.argument("task_ids", nargs=-1, metavar="[TASK_ID]...")
@click.option(
    "--ids-file",
    type=click.File("r", encoding="utf-8-sig", lazy=False),
    metavar="FILE",
    help="Read task ids from FILE ('-' for stdin): one per line, blank lines and # comments"
    " ignored.",
)
@click.option("--all", "all_", is_flag=True, help="Export every task the list query finds.")
@click.option(
    "--status",
    type=click.Choice(_STATUSES, case_sensitive=False),
    help="With --all: task status [default: SUCCESS].",
)
@click.option(
    "--task-name",
    callback=lambda _ctx, _param, value: _transcription_only(value),
    metavar="NAME",
    help="With --all: the task type; only transcription (the default) can be exported.",
)
@click.option("--search", metavar="TEXT", help="With --all: text searched in the task data.")
@click.option("--date-created", metavar="DATE", help="With --all: the date_created filter.")
@formats_option
@batch_folder_options(
    f"Folder for the files and {MANIFEST_NAME} (created if missing).", "Tasks fetched at once."
)
@click.option(
    "--max-rps",
    type=click.FloatRange(min=0, min_open=True),
    metavar="R",
    help="At most R API requests per second (retries included).",
)
@click.option(
    "--retry-for",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Queue tasks that failed for a transient reason (timeout, dropped connection, 429,"
    " 5xx, bad body) again with backoff, until SECONDS pass without a successful answer;"
    " 0 turns requeueing off.",
)
@click.option(
    "--wait", "wait_", is_flag=True, help="Wait for unfinished tasks (see --wait-timeout)."
)
@wait_options
@click.option("--force", is_flag=True, help="Rewrite every task, even complete ones.")
@output_options
@reflow_options
@no_clobber_option(
    help="Leave existing files alone (each one is noted in its task's manifest.jsonl line,"
    " not on stderr); write only new ones."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report on stdout.")
@api_options
def export(
    task_ids: tuple[str, ...],
    ids_file: IO[str] | None,
    all_: bool,
    status: str | None,
    task_name: str | None,
    search: str | None,
    date_created: str | None,
    to: str,
    output_dir: Path,
    name_template: str,
    concurrency: int,
    max_rps: float | None,
    retry_for: float,
    wait_: bool,
    wait_timeout: float | None,
    poll_interval: float,
    force: bool,
    writer_options: tuple[str, ...],
    crlf: bool,
    bom: bool,
    as_json: bool,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
    no_clobber: bool,
) -> None:
    """
    Export the captions of many tasks to files under DIR, one file per task
    and format, and record each task in DIR/manifest.jsonl.

    Tasks come from TASK_ID arguments, --ids-file, or --all (every finished
    transcription by default). Exit 0 when every task was written or
    skipped, 1 when any failed or was not finished (or the API refused the
    key, which stops the export at once), 2 for usage errors.
    """
    filters = {"--status": status, "--task-name": task_name, "--search": search}
    filters["--date-created"] = date_created
    used = [flag for flag, value in filters.items() if value is not None]
    if all_ and (task_ids or ids_file):
        raise click.UsageError("give task ids (arguments or --ids-file) or --all, not both")
    if not all_ and used:
        raise click.UsageError(f"{', '.join(used)} only apply with --all")
    if not all_ and not task_ids and ids_file is None:
        raise click.UsageError("give task ids, --ids-file FILE (or '-') or --all")
    context = click.get_current_context()
    for name in ("wait_timeout", "poll_interval"):
        if not wait_ and context.get_parameter_source(name) != ParameterSource.DEFAULT:
            flag = "--" + name.replace("_", "-")
            raise click.UsageError(f"{flag} only applies with --wait")
    spec = output_spec(
        to,
        writer_options,
        crlf=crlf,
        bom=bom,
        reflow=reflow,
        fix_only=fix_only,
        limits=limits,
        name=name_template,
    )
    check_batch_name(name_template, spec)
    request_timeout, wait_timeout = timeouts(timeout, wait_timeout, waiting=wait_)
    try:
        run = ExportOptions(
            concurrency=concurrency,
            max_rps=max_rps,
            wait=wait_,
            wait_timeout=wait_timeout,
            request_timeout=request_timeout,
            poll_interval=poll_interval,
            force=force,
            no_clobber=no_clobber,
            retry_for=retry_for,
        )
    except ExportError as error:
        # A value click lets through (nan, inf): a usage error naming the flag.
        field, _, rest = str(error).partition(" ")
        raise click.UsageError(f"{_FLAGS.get(field, field)} {rest}") from None

    # A missing key or a malformed base URL is reported before any work.
    with reported_errors():
        open_client(api_key, base_url).close()

    from ..batch.runner import export_many
    from ._export_progress import export_progress

    source: Any
    total: int | None = None
    if all_:
        source = TaskQuery(
            status=(status or "SUCCESS").upper(),
            task_name=(task_name or "transcription").lower(),
            search=search,
            date_created=date_created,
        )
    else:
        source, total = _ids(task_ids, ids_file)

    with export_progress(total=total, quiet=as_json) as progress:
        try:
            report = export_many(
                source,
                output_dir,
                spec,
                options=run,
                api_key=api_key,
                base_url=base_url,
                on_progress=progress,
                total=total,
            )
        except (GcoreCaptionsError, OSError) as error:
            # A 401 mid-run carries the report of what was done until then.
            stopped = getattr(error, "report", None)
            if as_json and isinstance(stopped, ExportReport):
                click.echo(json.dumps(stopped.to_dict(), ensure_ascii=False, indent=2))
            error_line(describe(error))
            sys.exit(EXIT_FAILED)
        except ExportInterrupted as stop:
            # Ctrl-C: the report of what was done, then main's one line (exit 130).
            if as_json:
                click.echo(json.dumps(stop.report.to_dict(), ensure_ascii=False, indent=2))
            raise
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for note in report.notes:
            click.echo(f"gcore-captions: note: {note}", err=True)
        click.echo(f"{report.summary()}; manifest: {report.manifest}", err=True)
        if report.failures_omitted:
            click.echo(
                f"gcore-captions: {plural(report.failures_omitted, 'more failure')} listed only in"
                f" {report.manifest}",
                err=True,
            )
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


def _ids(task_ids: tuple[str, ...], ids_file: IO[str] | None) -> tuple[Iterable[str], int | None]:
    """
    The ids to export, streamed, and how many there are when that is cheap
    to know (arguments, or a regular file counted in one pass).
    """
    arguments = list(parse_id_lines(task_ids))
    if ids_file is None:
        return arguments, len(arguments)
    name = getattr(ids_file, "name", "-")
    total: int | None = None
    if name not in ("-", "<stdin>") and Path(name).is_file():
        try:
            with open(name, encoding="utf-8-sig") as handle:
                total = len(arguments) + sum(1 for _ in parse_id_lines(handle))
        except OSError as error:
            raise click.BadParameter(describe(error), param_hint="--ids-file") from None
        except UnicodeDecodeError as error:
            raise click.BadParameter(f"not UTF-8 text: {error}", param_hint="--ids-file") from None
    return chain(arguments, _lines(ids_file)), total


def _lines(handle: IO[str]) -> Iterator[str]:
    try:
        yield from parse_id_lines(handle)
    except UnicodeDecodeError as error:
        raise ExportError(f"--ids-file is not UTF-8 text: {error}") from None
