"""
``gcore-captions transcribe``: create transcription (and translation)
tasks for media URLs, wait for them, and write their captions through the
batch export (the one write path, its manifest and resume).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from .._plural import plural
from ..batch import FIELDS, MANIFEST_NAME, ExportOptions, ExportProgress
from ..batch.transcribe import JOBS_NAME, CreatingSource, Job, JobLog, plan_jobs
from ..errors import GcoreCaptionsError, InvalidRequest
from ..output import OutputSpec
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

__all__ = ["transcribe"]

EPILOG = f"""\b
Examples:
  gcore-captions transcribe https://cdn.example.com/talk_360.mp4 --to srt,vtt -o captions/
  gcore-captions transcribe URL1 URL2 --language ger --translate-to eng,fre \\
      --name '{{url_stem}}.{{lang3}}.{{ext}}' --reflow netflix -o captions/

\b
Name fields: {", ".join("{" + name + "}" for name in FIELDS)}
Rerun the same command to finish or repeat it: each URL's task is found in
DIR/{JOBS_NAME} (or by its tag on Gcore), so nothing is created twice, and
files already written from the same recipe are skipped ({MANIFEST_NAME}).
"""


def _languages(value: str | None, option: str) -> list[str]:
    from ..gcore import check_language

    codes = []
    for part in (value or "").split(","):
        if not part.strip():
            continue
        try:
            code = check_language(part.strip(), option)
        except InvalidRequest as error:
            raise click.BadParameter(str(error), param_hint=option) from None
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def _urls(urls: tuple[str, ...]) -> list[str]:
    from ..gcore import check_media_url

    checked = []
    for url in urls:
        try:
            checked.append(check_media_url(url))
        except InvalidRequest as error:
            raise click.BadParameter(str(error), param_hint="URL") from None
    return checked


@click.command(epilog=EPILOG)
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option(
    "--language",
    metavar="LANG",
    help="The spoken language (ISO 639-2 like ger or deu, or BCP 47 like de) [default: detected].",
)
@click.option(
    "--translate-to",
    metavar="LANG[,LANG...]",
    help="Translate to these languages: one task per URL and language.",
)
@formats_option
@batch_folder_options(
    f"Folder for the files, {MANIFEST_NAME} and {JOBS_NAME} (created if missing).",
    "Tasks waited for and written at once.",
)
@click.option(
    "--queue-limit",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    metavar="N",
    help="At most N of this run's tasks unfinished at once (Gcore queues at most 100 per"
    " account; a full queue is waited out).",
)
@wait_options
@click.option("--force", is_flag=True, help="Rewrite every task's files, even complete ones.")
@output_options
@reflow_options
@no_clobber_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report on stdout.")
@api_options
def transcribe(
    urls: tuple[str, ...],
    language: str | None,
    translate_to: str | None,
    to: str,
    output_dir: Path,
    name_template: str,
    concurrency: int,
    queue_limit: int,
    wait_timeout: float | None,
    poll_interval: float,
    force: bool,
    writer_options: tuple[str, ...],
    crlf: bool,
    bom: bool,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
    no_clobber: bool,
    as_json: bool,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
) -> None:
    """
    Transcribe the media at each URL (an http(s) link to an MP4 file) with
    Gcore AI, wait for the tasks, and write their captions under DIR.

    One task per URL, or per URL and language with --translate-to. --timeout
    is the limit of each API request, --wait-timeout the wait for each task.
    Exit 0 when every task was written or skipped, 1 when any could not be
    created, failed or did not finish, 2 for usage errors.
    """
    checked = _urls(urls)
    audio = _languages(language, "--language")
    if len(audio) > 1:
        raise click.BadParameter("give one spoken language", param_hint="--language")
    targets = _languages(translate_to, "--translate-to")
    if translate_to is not None and not targets:
        raise click.BadParameter("name at least one language", param_hint="--translate-to")
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
    request_timeout, wait_limit = timeouts(timeout, wait_timeout, waiting=False)
    run = ExportOptions(
        concurrency=concurrency,
        wait=True,
        wait_timeout=wait_limit,
        request_timeout=request_timeout,
        poll_interval=poll_interval,
        force=force,
        no_clobber=no_clobber,
    )
    jobs = plan_jobs(checked, audio[0] if audio else None, targets)

    # A missing key or a malformed base URL is reported before any work.
    with reported_errors():
        open_client(api_key, base_url).close()
        output_dir.mkdir(parents=True, exist_ok=True)
        log = JobLog(str(output_dir))

    from ._export_progress import export_progress

    with export_progress(total=len(jobs), quiet=as_json) as progress:
        try:
            report, source = asyncio.run(
                _run(jobs, log, output_dir, spec, run, queue_limit, progress, api_key, base_url)
            )
        except (GcoreCaptionsError, OSError) as error:
            error_line(describe(error))
            sys.exit(EXIT_FAILED)
    failures = [
        {"url": f.job.url, "language": f.job.subtitles_language, "error": f.error}
        for f in source.failures
    ]
    if as_json:
        result = report.to_dict()
        result.update(created=source.created, recorded=source.reused, create_failures=failures)
        result["ok"] = bool(report.ok and not failures)
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for failure in failures:
            target = f" ({failure['language']})" if failure["language"] else ""
            error_line(f"not created: {failure['url']}{target}: {failure['error']}")
        for note in report.notes:
            click.echo(f"gcore-captions: note: {note}", err=True)
        click.echo(
            f"{plural(source.created, 'task')} created, {source.reused} from {JOBS_NAME}"
            + (f", {len(failures)} not created" if failures else "")
            + f"; {report.summary()}; manifest: {report.manifest}",
            err=True,
        )
    sys.exit(EXIT_OK if report.ok and not failures else EXIT_FAILED)


async def _run(
    jobs: list[Job],
    log: JobLog,
    output_dir: Path,
    spec: OutputSpec,
    run: ExportOptions,
    queue_limit: int,
    progress: Any,
    api_key: str | None,
    base_url: str | None,
) -> tuple[Any, CreatingSource]:
    from ..batch.runner import aexport_many
    from ..gcore import DEFAULT_TIMEOUT, AsyncClient

    limit: Any = DEFAULT_TIMEOUT if run.request_timeout is None else run.request_timeout
    async with AsyncClient(api_key, base_url=base_url, timeout=limit) as client:
        source = CreatingSource(jobs, client, log, queue_limit=queue_limit)

        def on_progress(update: ExportProgress) -> None:
            source.finished(update)
            progress(update)

        report = await aexport_many(
            source.ids(),
            output_dir,
            spec,
            options=run,
            api_key=api_key,
            base_url=base_url,
            on_progress=on_progress,
            total=len(jobs),
        )
    return report, source
