"""
``gcore-captions convert``: saved tasks and caption files to other formats.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import FormatError, GcoreCaptionsError
from ..formats import FORMATS, get_format
from ..model import Transcript
from ..output import OutputSpec, render_outputs, write_outputs
from ..output.write import planned_paths
from ._common import EXIT_FAILED, EXIT_OK, describe, error_line, no_clobber_option
from ._quality import reflow_options
from ._writer_options import (
    echo_reading_warnings,
    formats_option,
    input_options,
    output_options,
    output_spec,
    read_input,
)

__all__ = ["convert"]

EPILOG = """\b
Examples:
  gcore-captions convert samples/fungi-in-a-forest.json --to srt,vtt,ass,txt,json -o out/
  gcore-captions convert episode.vtt --to srt -o -          # to stdout
  cat task.json | gcore-captions convert - --to vtt -o -
  gcore-captions convert talk.json --to txt -O timestamps=true -O paragraph_gap_ms=3000
"""


# Every caption format's extension, so "talk.sbv" and "talk.scc" name their
# outputs "talk.srt", not "talk.sbv.srt".
_SUFFIXES = tuple(sorted({f".{ext}" for fmt in FORMATS.values() for ext in fmt.extensions}))


def _stem(source: str) -> str:
    if source == "-":
        return "stdin"
    name = Path(source).name
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.removesuffix(".task") or "captions"


@click.command(epilog=EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@formats_option
@click.option(
    "-o",
    "--output-dir",
    default=".",
    show_default=True,
    metavar="DIR",
    help="Folder for DIR/<input stem>.<ext>; '-' writes to stdout (one format only).",
)
@input_options
@output_options
@reflow_options
@no_clobber_option
@click.option("-q", "--quiet", is_flag=True, help="Do not print reading warnings.")
def convert(
    inputs: tuple[str, ...],
    to: str,
    output_dir: str,
    input_format: str | None,
    encoding: str | None,
    strict: bool,
    crlf: bool,
    bom: bool,
    writer_options: tuple[str, ...],
    quiet: bool,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
    no_clobber: bool,
) -> None:
    """
    Convert saved Gcore tasks (JSON) and caption files (SRT, WebVTT, ASS) to
    SRT, WebVTT, ASS, plain text and aligned JSON.

    Each INPUT is written to DIR/<input stem>.<ext> for every format; INPUT
    may be '-' for stdin. A failed input is reported on one line and the
    others are still written; the exit code is then 1.
    """
    to_stdout = output_dir == "-"
    spec = output_spec(
        to,
        writer_options,
        crlf=crlf,
        bom=bom,
        reflow=reflow,
        fix_only=fix_only,
        limits=limits,
        name="{stem}.{ext}",
    )
    if to_stdout and len(spec.formats) != 1:
        raise click.BadParameter("'-o -' (stdout) takes exactly one format", param_hint="--to")
    if to_stdout and spec.formats[0].render_set is not None:
        raise click.BadParameter(
            f"'-o -' (stdout) takes one file, and {spec.formats[0].name} writes a set of"
            " files (a playlist and its segments): write it to a folder with -o DIR",
            param_hint="--to",
        )
    if to_stdout and len(inputs) > 1:
        raise click.UsageError(
            "'-o -' (stdout) takes one input: several would run together into one"
            " invalid document; write them to a folder with -o DIR"
        )
    if to_stdout and no_clobber:
        raise click.UsageError("--no-clobber applies to files, not to '-o -' (stdout)")
    if inputs.count("-") > 1:
        raise click.BadParameter("'-' (stdin) can be given only once")
    if input_format:
        try:
            input_format = get_format(input_format).name
        except FormatError as error:
            raise click.BadParameter(str(error), param_hint="--from") from None

    failed = 0
    planned: dict[str, str] = {}
    for source in inputs:
        try:
            transcript = read_input(source, input_format, encoding, strict=strict)
        except (GcoreCaptionsError, OSError) as error:
            error_line(describe(error))
            failed += 1
            continue
        if not quiet:
            echo_reading_warnings(source, transcript.warnings)
        try:
            if to_stdout:
                (rendered,) = render_outputs(transcript, spec)
                sys.stdout.buffer.write(rendered.data)
                sys.stdout.buffer.flush()
                continue
            _write(transcript, spec, source, output_dir, planned, clobber=not no_clobber)
        except (GcoreCaptionsError, OSError) as error:
            error_line(f"{source}: {describe(error)}")
            failed += 1
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _write(
    transcript: Transcript,
    spec: OutputSpec,
    source: str,
    output_dir: str,
    planned: dict[str, str],
    *,
    clobber: bool,
) -> None:
    fields = {"stem": _stem(source)}
    paths = planned_paths(spec, fields, what=source)
    for path in paths:
        _refuse_clash(os.path.join(output_dir, *path.split("/")), source, planned)
    for record in write_outputs(
        transcript, spec, output_dir, fields=fields, clobber=clobber, paths=paths
    ):
        if not record.written:
            click.echo(
                f"gcore-captions: note: {os.path.join(output_dir, record.path)} exists;"
                " left alone (--no-clobber)",
                err=True,
            )


def _refuse_clash(target: str, source: str, planned: dict[str, str]) -> None:
    key = os.path.abspath(target)
    if (
        source != "-"
        and os.path.exists(target)
        and os.path.exists(source)
        and os.path.samefile(source, target)
    ):
        raise FormatError(f"refusing to overwrite the input file itself ({target})")
    earlier = planned.get(key)
    if earlier is not None and earlier != source:
        raise FormatError(f"{target} was already written from {earlier}; rename one input")
    planned[key] = source
