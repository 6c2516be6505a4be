"""
``gcore-captions convert``: saved tasks and caption files to other formats.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..api import encode, loads, render
from ..errors import FormatError, GcoreCaptionsError
from ..formats import get_format
from ..model import Transcript
from ..output.atomic import write_atomic
from ..textio import decode
from ._common import EXIT_FAILED, EXIT_OK, describe, error_line, split_formats
from ._quality import make_reflow, reflow_options
from ._writer_options import (
    check_options,
    formats_option,
    input_options,
    options_for,
    output_options,
    parse_writer_options,
)

EPILOG = """\b
Examples:
  gcore-captions convert samples/fungi-in-a-forest.json --to srt,vtt,ass,txt,json -o out/
  gcore-captions convert episode.vtt --to srt -o -          # to stdout
  cat task.json | gcore-captions convert - --to vtt -o -
  gcore-captions convert talk.json --to txt -O timestamps=true -O paragraph_gap_ms=3000
"""


def _stem(source: str) -> str:
    if source == "-":
        return "stdin"
    name = Path(source).name
    for suffix in (".json", ".srt", ".vtt", ".webvtt", ".ass", ".ssa", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.removesuffix(".task") or "captions"


def _read(source: str, input_format: str | None, encoding: str | None) -> Transcript:
    if source == "-":
        data = sys.stdin.buffer.read()
        return loads(decode(data, encoding=encoding, filename="<stdin>"), input_format)
    with open(source, "rb") as handle:
        data = handle.read()
    text = decode(data, encoding=encoding, filename=source)
    return loads(text, input_format, filename=source)


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
@click.option("-q", "--quiet", is_flag=True, help="Do not print reading warnings.")
def convert(
    inputs: tuple[str, ...],
    to: str,
    output_dir: str,
    input_format: str | None,
    encoding: str | None,
    crlf: bool,
    bom: bool,
    writer_options: tuple[str, ...],
    quiet: bool,
    reflow: str | None,
    fix_only: str | None,
    limits: tuple[str, ...],
) -> None:
    """
    Convert saved Gcore tasks (JSON) and caption files (SRT, WebVTT, ASS) to
    SRT, WebVTT, ASS, plain text and aligned JSON.

    Each INPUT is written to DIR/<input stem>.<ext> for every format; INPUT
    may be '-' for stdin. A failed input is reported on one line and the
    others are still written; the exit code is then 1.
    """
    try:
        formats = [get_format(name) for name in split_formats(to)]
    except FormatError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None
    if not formats:
        raise click.BadParameter("name at least one format", param_hint="--to")
    to_stdout = output_dir == "-"
    if to_stdout and len(formats) != 1:
        raise click.BadParameter("'-o -' (stdout) takes exactly one format", param_hint="--to")
    if inputs.count("-") > 1:
        raise click.BadParameter("'-' (stdin) can be given only once")
    if input_format:
        try:
            input_format = get_format(input_format).name
        except FormatError as error:
            raise click.BadParameter(str(error), param_hint="--from") from None
    options = parse_writer_options(writer_options)
    passes = make_reflow(reflow, fix_only, limits)
    check_options(formats, options)
    # Typed once, up front: a bad value is a usage error before anything is written.
    format_options = {fmt.name: options_for(fmt, options) for fmt in formats}
    newline = "\r\n" if crlf else "\n"

    failed = 0
    planned: dict[str, str] = {}
    for source in inputs:
        try:
            transcript = _read(source, input_format, encoding)
        except (GcoreCaptionsError, OSError) as error:
            error_line(describe(error))
            failed += 1
            continue
        if not quiet:
            for warning in transcript.warnings:
                click.echo(f"gcore-captions: warning: {source}: {warning}", err=True)
        if passes is not None:
            transcript = passes(transcript)
        try:
            outputs = [
                (fmt, render(transcript, fmt.name, **format_options[fmt.name])) for fmt in formats
            ]
            if to_stdout:
                data = encode(outputs[0][1], bom=bom, newline=newline)
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
                continue
            for fmt, text in outputs:
                target = os.path.join(output_dir, f"{_stem(source)}.{fmt.extension}")
                _refuse_clash(target, source, planned)
                write_atomic(target, encode(text, bom=bom, newline=newline))
        except (GcoreCaptionsError, OSError) as error:
            error_line(f"{source}: {describe(error)}")
            failed += 1
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


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
