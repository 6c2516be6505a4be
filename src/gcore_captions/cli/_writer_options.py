"""
The options every command that writes captions shares (``--to``,
``--from``/``--encoding``/``--strict``, ``-O``/``--crlf``/``--bom``), and
:func:`output_spec`, which turns them into the library's ``OutputSpec``.

``-O timestamps=true`` goes to every chosen writer that has a ``timestamps``
option; ``-O ass.size=48`` only to the ASS writer; ASS style fields
(``font``, ``size``, ``margin_v``...) land in its ``style``. The values are
read by the types the options dataclasses declare
(:func:`gcore_captions.formats.options.option_value`).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..api import load, loads
from ..errors import ExportError, FormatError
from ..model import Transcript, TranscriptWarning
from ..output import DEFAULT_TEMPLATE, OutputSpec, split_formats
from ..output.naming import NameTemplate
from ..output.registry import get_writable_output
from ._quality import preset_from_options

__all__ = [
    "batch_folder_options",
    "check_batch_name",
    "echo_reading_warnings",
    "encoding_option",
    "formats_option",
    "input_options",
    "output_options",
    "output_spec",
    "read_input",
    "strict_option",
]

F = TypeVar("F", bound=Callable[..., Any])


def formats_option(command: F) -> F:
    """
    Add ``--to FORMATS`` (``to``, default ``srt``) to a command that writes
    captions.
    """
    return click.option(
        "--to",
        "to",
        default="srt",
        show_default=True,
        metavar="FORMATS",
        help="Output formats, comma-separated: srt, vtt, ass, txt, json (also html).",
    )(command)


def strict_option(command: F) -> F:
    """
    Add ``--strict`` (``strict``) to a command that reads caption files.
    """
    return click.option(
        "--strict",
        is_flag=True,
        help="Refuse a malformed SRT/WebVTT/ASS cue or block instead of reading it as"
        " players do (skipping or repairing it with a warning).",
    )(command)


def input_options(command: F) -> F:
    """
    Add ``--from FORMAT`` (``input_format``), ``--encoding`` and
    ``--strict`` to a command that reads caption files.
    """
    command = strict_option(command)
    command = encoding_option(command)
    return click.option(
        "--from",
        "input_format",
        default=None,
        metavar="FORMAT",
        help="Input format (json, srt, vtt, ass); by default from the extension or content.",
    )(command)


def encoding_option(command: F) -> F:
    """
    Add ``--encoding`` (``encoding``) to a command that reads caption files.
    """
    return click.option(
        "--encoding",
        default=None,
        help="Input encoding (default: by BOM, else UTF-8, else a guessed code page, with a"
        " warning).",
    )(command)


def output_options(command: F) -> F:
    """
    Add ``-O/--option KEY=VALUE`` (``writer_options``), ``--crlf`` and
    ``--bom`` to a command that writes caption files.
    """
    command = click.option("--bom", is_flag=True, help="Start each file with a UTF-8 BOM.")(command)
    command = click.option("--crlf", is_flag=True, help="Write CRLF line ends.")(command)
    return click.option(
        "-O",
        "--option",
        "writer_options",
        multiple=True,
        metavar="KEY=VALUE",
        help="A writer option, e.g. -O timestamps=true or -O ass.size=48 (repeatable).",
    )(command)


def read_input(
    source: str,
    input_format: str | None = None,
    encoding: str | None = None,
    *,
    strict: bool = False,
) -> Transcript:
    """
    Read one command-line input: a file, or ``-`` for stdin, through the
    library's own ``load``/``loads`` (``strict`` as ``--strict`` asks).

    Raises:
        GcoreCaptionsError: the input is missing (``FileError``) or cannot
            be read (or, with ``strict``, is malformed).
    """
    if source == "-":
        data = sys.stdin.buffer.read()
        return loads(data, input_format, filename="<stdin>", encoding=encoding, strict=strict)
    return load(source, input_format, encoding=encoding, strict=strict)


def output_spec(
    to: str,
    writer_options: tuple[str, ...] = (),
    *,
    crlf: bool = False,
    bom: bool = False,
    reflow: str | None = None,
    fix_only: str | None = None,
    limits: tuple[str, ...] = (),
    name: str = DEFAULT_TEMPLATE,
) -> OutputSpec:
    """
    The :class:`~gcore_captions.output.OutputSpec` a command's ``--to``,
    ``-O``, ``--crlf``, ``--bom``, ``--reflow``, ``--fix-only`` and
    ``--limit`` ask for: built by the library, so every check is the one
    Python callers get; a refusal is a usage error naming the flag.

    Raises:
        click.BadParameter: an unknown format, option, preset, pass or limit,
            or a value an option does not take.
    """
    names = split_formats(to)
    if not names:
        raise click.BadParameter("name at least one format", param_hint="--to")
    try:
        for format_name in names:
            get_writable_output(format_name)
    except FormatError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None
    if limits and reflow is None and fix_only is None:
        raise click.BadParameter("--limit needs --reflow PRESET", param_hint="--limit")
    preset = None
    if reflow is not None or fix_only is not None:
        preset = preset_from_options(reflow or "netflix", None, limits)
    try:
        return OutputSpec.parse(
            names,
            option_text=writer_options,
            preset=preset,
            passes=fix_only,
            newline="\r\n" if crlf else "\n",
            bom=bom,
            name=name,
        )
    except FormatError as error:
        raise click.BadParameter(str(error), param_hint="-O/--option") from None


#: Reading warnings printed per input before the rest are summed up by code.
SHOWN_WARNINGS = 20


def echo_reading_warnings(source: str, warnings: Sequence[TranscriptWarning]) -> None:
    """
    Print the repairs the reader made (and a guessed encoding) as one line
    each on stderr, ``gcore-captions: warning: SOURCE: ...``: the first
    :data:`SHOWN_WARNINGS`, then one line counting the rest by code (a file
    renamed from SRT to .vtt has a repair on every cue).
    """
    name = "<stdin>" if source == "-" else source
    for warning in warnings[:SHOWN_WARNINGS]:
        click.echo(f"gcore-captions: warning: {name}: {warning}", err=True)
    rest = warnings[SHOWN_WARNINGS:]
    if rest:
        counts = Counter(warning.code for warning in rest)
        summary = ", ".join(f"{code} x{count:,}" for code, count in counts.most_common())
        click.echo(
            f"gcore-captions: warning: {name}: ... and {len(rest):,} more ({summary})", err=True
        )


def check_batch_name(name: str, spec: OutputSpec) -> None:
    """
    Check a batch command's ``--name`` template (``export``, ``transcribe``):
    valid, with at least one field (or every task gets the same name), and
    with ``{ext}`` when there are several formats.

    Raises:
        click.BadParameter: it is not.
    """
    try:
        template = NameTemplate(name)
    except ExportError as error:
        raise click.BadParameter(str(error), param_hint="--name") from None
    if not template.fields:
        raise click.BadParameter(
            "the name has no field, so every task would get the same name (use e.g."
            " {task_id}.{ext})",
            param_hint="--name",
        )
    if len(spec.formats) > 1 and "ext" not in template.fields:
        raise click.BadParameter("with several formats the name needs {ext}", param_hint="--name")


def batch_folder_options(folder_help: str, concurrency_help: str) -> Callable[[F], F]:
    """
    Add ``-o/--output-dir`` (``output_dir``, required), ``--name``
    (``name_template``) and ``--concurrency`` to a batch command (``export``,
    ``transcribe``).
    """

    def add(command: F) -> F:
        command = click.option(
            "--concurrency",
            type=click.IntRange(1, 256),
            default=8,
            show_default=True,
            help=concurrency_help,
        )(command)
        command = click.option(
            "--name",
            "name_template",
            default=DEFAULT_TEMPLATE,
            show_default=True,
            metavar="TEMPLATE",
            help="File name template; '/' makes sub-folders (fields below).",
        )(command)
        return click.option(
            "-o",
            "--output-dir",
            required=True,
            type=click.Path(file_okay=False, path_type=Path),
            metavar="DIR",
            help=folder_help,
        )(command)

    return add
