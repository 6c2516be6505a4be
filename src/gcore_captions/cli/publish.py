"""
``gcore-captions publish``: caption files to Gcore videos' subtitle tracks,
one (``VIDEO_ID FILE``) or many (``--map FILE.csv``), with a report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from ..errors import GcoreCaptionsError
from ..publishing import PlannedTrack, plan_track
from ..trackmap import MAP_COLUMNS, read_track_map
from ._api_options import api_options, open_client, reported_errors
from ._common import EXIT_FAILED, describe, error_line
from ._quality import reflow_options
from ._writer_options import echo_reading_warnings, input_options, output_spec

if TYPE_CHECKING:
    from ..gcore import PublishResult

__all__ = ["publish"]

EPILOG = """\b
Examples:
  gcore-captions publish 12345 talk.srt --language eng --name English
  gcore-captions publish 12345 fixed/12345.67.eng.vtt --name "English (AI-generated)" --replace
  gcore-captions publish --map fixed/12345.tracks.csv --replace --dry-run
"""


@dataclass
class _Job:
    """One track to publish, and what became of it."""

    where: str  # "" for a single file; "map.csv:3" for a row of a map
    video_id: str
    file: str
    language: str | None
    name: str | None
    plan: PlannedTrack | None = None
    result: PublishResult | None = None
    error: str | None = None

    def record(self, *, replace: bool, dry_run: bool) -> dict[str, Any]:
        data: dict[str, Any] = {"video_id": self.video_id, "file": self.file}
        if self.where:
            data["line"] = int(self.where.rsplit(":", 1)[1])
        if self.plan is not None:
            data["video_id"] = self.plan.video_id
            data.update(
                language=self.plan.language,
                name=self.plan.name,
                bytes=self.plan.size,
                cues=self.plan.cues,
            )
        if self.error is not None:
            data.update(action="failed", error=self.error)
        elif dry_run:
            data.update(action="would replace" if replace else "would add")
            data["vtt"] = self.plan.vtt if self.plan else None
        elif self.result is not None:
            data.update(action=self.result.action, track_id=self.result.track.id)
            if self.result.others:
                data["others"] = list(self.result.others)
        return data


@click.command(epilog=EPILOG)
@click.argument("video_id", required=False)
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=False))
@click.option(
    "--map",
    "map_file",
    metavar="FILE.csv",
    type=click.Path(dir_okay=False),
    help=f"Publish many: a CSV file with the columns {','.join(MAP_COLUMNS)} (language and"
    " name may be empty); relative files are read from the map's folder.",
)
@click.option(
    "--language",
    metavar="LANG",
    help="The track's language: ISO 639-2 (eng, ger or deu) or 639-1 (de). Default: the"
    " file's own (task JSON says it), or the map's column.",
)
@click.option(
    "--name",
    metavar="NAME",
    help="The track's name, as players show it. Default: the map's column, else the language code.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Write over the track with this name and language instead of adding another"
    " (one is added when there is none).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read, render and check everything and show what would be sent; send nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print reading warnings.")
@input_options
@reflow_options
@api_options
def publish(
    video_id: str | None,
    file: str | None,
    map_file: str | None,
    language: str | None,
    name: str | None,
    replace: bool,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    input_format: str | None,
    encoding: str | None,
    strict: bool,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
) -> None:
    """
    Publish FILE (any caption file or task JSON) to video VIDEO_ID as a
    subtitle track, or every row of --map.

    Each file is read, rendered as WebVTT (after --reflow) and checked
    before anything is sent: over 5 MB, an unknown language or a bad name
    is refused there. A track whose name, language and content are already
    on the video is left alone. Prints one line per track (created,
    updated, unchanged, or the error); exits 1 when any failed, the others
    still published.
    """
    if map_file is not None and (video_id is not None or file is not None):
        raise click.UsageError("give VIDEO_ID FILE or --map FILE.csv, not both")
    if map_file is None and (video_id is None or file is None):
        raise click.UsageError("give VIDEO_ID FILE, or --map FILE.csv")
    spec = output_spec("vtt", reflow=reflow, fix_only=fix_only, limits=limits)
    if map_file is not None:
        with reported_errors():
            rows = read_track_map(map_file)
        jobs = [
            _Job(f"{map_file}:{row.line}", row.video_id, row.file, row.language, row.name)
            for row in rows
        ]
    else:
        jobs = [_Job("", video_id or "", file or "", None, None)]
    for job in jobs:
        try:
            job.plan = plan_track(
                job.video_id,
                job.file,
                language=job.language or language,
                name=job.name or name,
                spec=spec,
                input_format=input_format,
                encoding=encoding,
                strict=strict,
            )
        except (GcoreCaptionsError, OSError) as error:
            job.error = describe(error)
            continue
        if not quiet:
            echo_reading_warnings(job.file, job.plan.warnings)
    ready = [job for job in jobs if job.plan is not None]
    if ready and not dry_run:
        with reported_errors(), open_client(api_key, base_url, timeout) as client:
            for job, plan in ((job, job.plan) for job in ready if job.plan is not None):
                try:
                    job.result = client.publish_vtt(
                        plan.video_id,
                        plan.vtt,
                        language=plan.language,
                        name=plan.name,
                        replace=replace,
                    )
                except GcoreCaptionsError as error:
                    job.error = describe(error)
    _report(jobs, replace=replace, dry_run=dry_run, as_json=as_json)
    if any(job.error is not None for job in jobs):
        raise SystemExit(EXIT_FAILED)


def _report(jobs: list[_Job], *, replace: bool, dry_run: bool, as_json: bool) -> None:
    if as_json:
        records = [job.record(replace=replace, dry_run=dry_run) for job in jobs]
        counts: dict[str, int] = {}
        for record in records:
            counts[record["action"]] = counts.get(record["action"], 0) + 1
        report = {"dry_run": dry_run, "replace": replace, "counts": counts, "tracks": records}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for job in jobs:
        prefix = f"{job.where}: " if job.where else ""
        if job.error is not None:
            error_line(f"{prefix}{job.file}: {job.error}")
            continue
        plan = job.plan
        if plan is None:
            continue
        what = (
            f'"{plan.name}" ({plan.language}, {plan.size:,} bytes, {plan.cues} cues)'
            f" from {job.file}"
        )
        if dry_run:
            method = "PATCH the track of that name and language, or POST" if replace else "POST"
            click.echo(
                f"{prefix}would {method} /streaming/videos/{plan.video_id}/subtitles: {what}"
            )
            continue
        result = job.result
        if result is None:
            continue
        others = f"; left {len(result.others)} more of that name alone" if result.others else ""
        click.echo(
            f"{prefix}{result.action}: video {plan.video_id} track {result.track.id} {what}{others}"
        )
    if len(jobs) > 1:
        failed = sum(job.error is not None for job in jobs)
        done = len(jobs) - failed
        verb = "would be sent" if dry_run else "published"
        tail = f"; {failed} failed" if failed else ""
        click.echo(f"{done} of {len(jobs)} tracks {verb}{tail}", err=True)
