"""
The caption formats: a small registry mapping names and file extensions to
one module per format.

Each format module exposes ``NAME``, ``EXTENSIONS`` (first one is the
default), ``render(transcript, **options) -> str`` and, where the format can
be read, ``parse(text, *, filename=None) -> Transcript``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import FormatError
from ..model import Transcript
from . import ass, html, json, srt, text, vtt

__all__ = ["FORMATS", "Format", "format_for_path", "get_format"]


@dataclass(frozen=True)
class Format:
    """
    One caption format: its name, file extensions, writer and reader.
    """

    name: str
    extensions: tuple[str, ...]
    render: Callable[..., str]
    parse: Callable[..., Transcript] | None

    @property
    def extension(self) -> str:
        """
        The default file extension, without the dot.
        """
        return self.extensions[0]


def _from_module(module: Any) -> Format:
    return Format(
        name=module.NAME,
        extensions=tuple(module.EXTENSIONS),
        render=module.render,
        parse=getattr(module, "parse", None),
    )


FORMATS: dict[str, Format] = {
    fmt.name: fmt for fmt in (_from_module(m) for m in (srt, vtt, ass, text, json, html))
}

_ALIASES = {"webvtt": "vtt", "subrip": "srt", "ssa": "ass", "text": "txt", "plain": "txt"}


def get_format(name: str) -> Format:
    """
    The format called ``name`` (``srt``, ``vtt``, ``ass``, ``txt``, ``json``;
    also ``webvtt``, ``subrip``, ``ssa``, ``text``).

    Raises:
        FormatError: no such format.
    """
    key = name.strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    try:
        return FORMATS[key]
    except KeyError:
        known = ", ".join(FORMATS)
        raise FormatError(f"unknown format {name!r}; choose one of {known}") from None


def format_for_path(path: str | os.PathLike[str]) -> Format:
    """
    The format a file name's extension asks for (``.srt``, ``.vtt``,
    ``.ass``/``.ssa``, ``.txt``, ``.json``).

    Raises:
        FormatError: the extension is missing or unknown.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(f".{e}" for f in FORMATS.values() for e in f.extensions)
    raise FormatError(
        f"cannot tell the format from the extension {('.' + suffix) if suffix else '(none)'!r};"
        f" use one of {known} or name the format",
        filename=os.fspath(path),
    )
