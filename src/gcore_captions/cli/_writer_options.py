"""
``-O KEY=VALUE`` writer options shared by the commands that write captions.

``-O timestamps=true`` goes to every chosen writer that has a ``timestamps``
option; ``-O ass.size=48`` only to the ASS writer. ASS style fields
(``font``, ``size``, ``primary_colour``, ``outline``, ``margin_v``,
``alignment``...) are gathered into one :class:`~gcore_captions.AssStyle`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import FormatError
from ..formats import Format, get_format
from ..formats.ass import AssStyle

__all__ = [
    "check_unscoped_options",
    "formats_option",
    "input_options",
    "options_for",
    "output_options",
    "parse_writer_options",
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


def input_options(command: F) -> F:
    """
    Add ``--from FORMAT`` (``input_format``) and ``--encoding`` to a command
    that reads caption files.
    """
    command = click.option(
        "--encoding", default=None, help="Input encoding (default: UTF-8, or by BOM)."
    )(command)
    return click.option(
        "--from",
        "input_format",
        default=None,
        metavar="FORMAT",
        help="Input format (json, srt, vtt, ass); by default from the extension or content.",
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


_STYLE_FIELDS = frozenset(f.name for f in dataclasses.fields(AssStyle))


def _parse_value(raw: str) -> Any:
    lowered = raw.lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def parse_writer_options(pairs: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """
    ``("timestamps=true", "ass.size=48")`` -> ``{"*": {...}, "ass": {...}}``.

    Raises:
        click.BadParameter: a pair is not ``KEY=VALUE`` or names an unknown
            format.
    """
    options: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="-O/--option")
        scope, dot, name = key.strip().rpartition(".")
        try:
            scope = get_format(scope).name if dot else "*"
        except FormatError as error:
            raise click.BadParameter(str(error), param_hint="-O/--option") from None
        options.setdefault(scope, {})[name] = _parse_value(value)
    return options


def _accepts(fmt: Format, name: str) -> bool:
    if fmt.name == "ass" and name in _STYLE_FIELDS:
        return True
    return name in inspect.signature(fmt.render).parameters


def options_for(fmt: Format, options: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """
    The keyword arguments for ``fmt``'s writer: its own (``ass.x=``) plus the
    unscoped ones it accepts; ASS style fields become one ``style=AssStyle``.

    Raises:
        click.BadParameter: an ASS style value is invalid.
    """
    chosen = {k: v for k, v in options.get("*", {}).items() if _accepts(fmt, k)}
    chosen.update(options.get(fmt.name, {}))
    if fmt.name == "ass":
        style = {k: chosen.pop(k) for k in list(chosen) if k in _STYLE_FIELDS}
        if style:
            if "name" in style or "font" in style:
                style = {k: str(v) if k in ("name", "font") else v for k, v in style.items()}
            try:
                chosen["style"] = AssStyle(**style)
            except (TypeError, ValueError) as error:
                raise click.BadParameter(str(error), param_hint="-O/--option") from None
    return chosen


def check_unscoped_options(formats: list[Format], options: dict[str, dict[str, Any]]) -> None:
    """
    Refuse an unscoped option that none of the chosen writers has.

    Raises:
        click.BadParameter: naming the option and the writers.
    """
    for name in options.get("*", {}):
        if not any(_accepts(f, name) for f in formats):
            chosen = ", ".join(f.name for f in formats)
            raise click.BadParameter(
                f"no writer among {chosen} has an option {name!r}", param_hint="-O/--option"
            )
