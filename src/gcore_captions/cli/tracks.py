"""
``gcore-captions tracks``: a video's subtitle tracks, listed, or written as
caption files (``--download``) with a track map for ``publish --map``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..api import loads
from ..errors import GcoreCaptionsError, InvalidVideoId
from ..languages import to_bcp47
from ..output import write_atomic, write_outputs
from ..trackmap import track_map_text
from ._api_options import api_options, open_client, reported_errors
from ._common import EXIT_FAILED, describe, error_line, no_clobber_option
from ._quality import reflow_options
from ._writer_options import echo_reading_warnings, output_options, output_spec

if TYPE_CHECKING:
    from ..gcore import Track
    from ..output import OutputSpec

__all__ = ["tracks"]

COLUMNS = ("ID", "LANGUAGE", "NAME", "BYTES")
# The formats a track map may point at, best first: ones publish reads back.
_READABLE = ("vtt", "srt", "ass", "json")
NAME_TEMPLATE = "{stem}.{ext}"
EPILOG = """\b
Examples:
  gcore-captions tracks 12345
  gcore-captions tracks 12345 --json | jq -r .name
  gcore-captions tracks 12345 --download --ai-only --reflow netflix --to vtt -o fixed/
  gcore-captions publish --map fixed/12345.tracks.csv --replace
"""


def _video_id(_context: click.Context, _param: click.Parameter, value: str) -> int:
    from ..gcore import check_video_id

    try:
        return check_video_id(value)
    except InvalidVideoId as error:
        raise click.BadParameter(str(error), param_hint="VIDEO_ID") from None


@click.command(epilog=EPILOG)
@click.argument("video_id", callback=_video_id)
@click.option("--json", "as_json", is_flag=True, help="Print each track as one JSON line.")
@click.option(
    "--download",
    is_flag=True,
    help="Write each track as caption files (DIR/<video>.<track>.<lang>.<ext>) and a track"
    " map DIR/<video>.tracks.csv for 'publish --map'.",
)
@click.option(
    "--ai-only", is_flag=True, help="Only the tracks Gcore's AI made ('... (AI-generated)')."
)
@click.option(
    "--to",
    "to",
    default="vtt",
    show_default=True,
    metavar="FORMATS",
    help="With --download: output formats, comma-separated (srt, vtt, ass, txt, json...).",
)
@click.option(
    "-o",
    "--output-dir",
    metavar="DIR",
    default=".",
    show_default=True,
    help="With --download: the folder to write to.",
)
@output_options
@reflow_options
@no_clobber_option
@click.option("-q", "--quiet", is_flag=True, help="Do not print reading warnings.")
@api_options
def tracks(
    video_id: int,
    as_json: bool,
    download: bool,
    ai_only: bool,
    to: str,
    output_dir: str,
    writer_options: tuple[str, ...],
    crlf: bool,
    bom: bool,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
    no_clobber: bool,
    quiet: bool,
    api_key: str | None,
    base_url: str | None,
    timeout: float | None,
) -> None:
    """
    List the subtitle tracks of video VIDEO_ID (id, language, name, size),
    or write them as caption files with --download.

    --download reads each track (WebVTT, or SRT), runs --reflow, writes
    every --to format through the same atomic write path as 'convert', and
    writes the track map that 'publish --map' reads, so fixed tracks can be
    sent back with --replace. Exits 1 with one line when the video does not
    exist; a track that cannot be read is reported and the others written.
    """
    spec = None
    if download:
        spec = output_spec(
            to,
            writer_options,
            crlf=crlf,
            bom=bom,
            reflow=reflow,
            fix_only=fix_only,
            limits=limits,
            name=NAME_TEMPLATE,
        )
    with reported_errors(), open_client(api_key, base_url, timeout) as client:
        found = client.list_tracks(video_id)
    chosen = [track for track in found if track.ai_generated or not ai_only]
    if spec is None:
        _list(chosen, as_json=as_json)
        return
    with reported_errors():
        failed = _download(
            chosen, spec, Path(output_dir), video_id, clobber=not no_clobber, quiet=quiet
        )
    if failed:
        raise SystemExit(EXIT_FAILED)


def _list(chosen: list[Track], *, as_json: bool) -> None:
    if as_json:
        for track in chosen:
            click.echo(json.dumps(track.to_dict(with_vtt=False), ensure_ascii=False))
        return
    rows = [
        (str(t.id if t.id is not None else ""), t.language or "", t.name or "", f"{t.size:,}")
        for t in chosen
    ]
    table = [COLUMNS, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if not rows and sys.stderr.isatty():
        click.echo("(no tracks)", err=True)


def _download(
    chosen: list[Track],
    spec: OutputSpec,
    folder: Path,
    video_id: int,
    *,
    clobber: bool,
    quiet: bool,
) -> int:
    """Write each track; return how many failed. The map lists the others."""
    formats = [output.name for output in spec.formats]
    mapped = next((name for name in _READABLE if name in formats), None)
    rows: list[tuple[int | str, str, str | None, str | None]] = []
    failed = 0
    for track in chosen:
        lang3 = track.language or "und"
        stem = f"{video_id}.{track.id}.{lang3}"
        what = f"video {video_id} track {track.id}"
        try:
            text = track.vtt or ""
            # Gcore takes SRT as well as WebVTT; the content says which.
            kind = "vtt" if text.lstrip("\ufeff").startswith("WEBVTT") else "srt"
            transcript = loads(text, kind, filename=what)
            if track.language and not transcript.language:
                transcript = transcript.replace(language=track.language)
            try:
                bcp47 = to_bcp47(lang3)
            except ValueError:
                bcp47 = "und"
            fields = {"task_id": stem, "stem": stem, "lang3": lang3, "language": bcp47}
            records = write_outputs(transcript, spec, folder, fields=fields, clobber=clobber)
        except GcoreCaptionsError as error:
            error_line(f"{what}: {describe(error)}")
            failed += 1
            continue
        if not quiet:
            echo_reading_warnings(what, transcript.warnings)
        for record in records:
            shown = str(folder / record.path)
            if record.written:
                click.echo(shown)
            else:
                click.echo(f"gcore-captions: note: {shown} exists; left alone", err=True)
            if record.format == mapped:
                rows.append((video_id, record.path, track.language, track.name))
    if mapped is not None and rows:
        path = folder / f"{video_id}.tracks.csv"
        if write_atomic(path, track_map_text(rows).encode("utf-8"), clobber=clobber):
            click.echo(str(path))
        else:
            click.echo(f"gcore-captions: note: {path} exists; left alone", err=True)
    return failed
