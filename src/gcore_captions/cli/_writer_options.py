"""
``-O KEY=VALUE`` writer options shared by the commands that write captions.

``-O timestamps=true`` goes to every chosen writer that has a ``timestamps``
option; ``-O ass.size=48`` only to the ASS writer. ASS style fields
(``font``, ``size``, ``primary_colour``, ``outline``, ``margin_v``,
``alignment``...) are gathered into one :class:`~gcore_captions.AssStyle`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import click

from ..errors import FormatError
from ..formats import Format, get_format
from ..formats.ass import AssStyle

__all__ = [
    "check_options",
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


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
_NONE = ("none", "null", "off")


def _convert(name: str, raw: str, hint: Any) -> Any:
    """
    ``raw`` as the type the writer declares for ``name``: ``bool``, ``int``,
    ``float``, ``str``, ``None`` or a union of them; anything else stays a
    string for the writer to judge.

    Raises:
        click.BadParameter: the text is none of the types the option takes.
    """
    kinds = get_args(hint) if get_origin(hint) in (Union, UnionType) else (hint,)
    lowered = raw.strip().lower()
    for kind in kinds:
        if kind is type(None) and lowered in _NONE:
            return None
        if kind is bool and lowered in _TRUE + _FALSE:
            return lowered in _TRUE
        if kind in (int, float):
            try:
                return kind(raw)
            except ValueError:
                continue
    if any(kind is str or kind not in (bool, int, float, type(None)) for kind in kinds):
        return raw
    wanted = " or ".join(
        {bool: "true/false", int: "a whole number", float: "a number", type(None): "none"}[k]
        for k in kinds
    )
    raise click.BadParameter(f"{name} takes {wanted}, not {raw!r}", param_hint="-O/--option")


def parse_writer_options(pairs: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """
    ``("timestamps=true", "ass.size=48")`` -> ``{"*": {...}, "ass": {...}}``,
    values still as text (:func:`options_for` types them per writer).

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
        options.setdefault(scope, {})[name] = value
    return options


def _accepts(fmt: Format, name: str) -> bool:
    if fmt.name == "ass" and name in _STYLE_FIELDS:
        return True
    return name in inspect.signature(fmt.render).parameters


@functools.cache
def _hints(fmt: Format) -> dict[str, Any]:
    hints = get_type_hints(fmt.render)
    if fmt.name == "ass":
        hints.update(get_type_hints(AssStyle))
    return hints


def options_for(fmt: Format, options: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """
    The keyword arguments for ``fmt``'s writer: its own (``ass.x=``) plus the
    unscoped ones it accepts; ASS style fields become one ``style=AssStyle``.

    Raises:
        click.BadParameter: an ASS style value is invalid.
    """
    raw = {k: v for k, v in options.get("*", {}).items() if _accepts(fmt, k)}
    raw.update(options.get(fmt.name, {}))
    hints = _hints(fmt)
    chosen = {k: _convert(k, v, hints.get(k, str)) for k, v in raw.items()}
    if fmt.name == "ass":
        style = {k: chosen.pop(k) for k in list(chosen) if k in _STYLE_FIELDS}
        if style:
            try:
                chosen["style"] = AssStyle(**style)
            except (TypeError, ValueError) as error:
                raise click.BadParameter(str(error), param_hint="-O/--option") from None
    return chosen


def check_options(formats: list[Format], options: dict[str, dict[str, Any]]) -> None:
    """
    Refuse an option no chosen writer has: an unscoped one that none of them
    takes, a scoped one (``ass.size``) for a format that is not written, or
    one its format's writer does not take.

    Raises:
        click.BadParameter: naming the option and the writers.
    """
    chosen = {f.name: f for f in formats}
    listed = ", ".join(chosen)
    for scope, names in options.items():
        for name in names:
            if scope == "*":
                if not any(_accepts(f, name) for f in formats):
                    raise click.BadParameter(
                        f"no writer among {listed} has an option {name!r}",
                        param_hint="-O/--option",
                    )
            elif scope not in chosen:
                raise click.BadParameter(
                    f"{scope}.{name} is for {scope}, which is not among the formats written"
                    f" ({listed})",
                    param_hint="-O/--option",
                )
            elif not _accepts(chosen[scope], name):
                raise click.BadParameter(
                    f"the {scope} writer has no option {name!r}", param_hint="-O/--option"
                )
