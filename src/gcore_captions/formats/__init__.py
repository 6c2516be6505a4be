"""
The caption formats: a small registry mapping names and file extensions to
one module per format.

Each format module exposes ``NAME``, ``EXTENSIONS`` (first one is the
default), its options dataclass (``SrtOptions``...), ``render(transcript,
options=None) -> str`` and, where the format can be read, ``parse(text, *,
filename=None, strict=False) -> Transcript`` (lenient by default, as players
read; ``strict=True`` refuses a malformed cue or block). Outputs that are not caption formats (the
HTML preview page) are registered above this package, in
:mod:`gcore_captions.output`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import FormatError
from ..model import Transcript
from . import ass, hls, json, microdvd, mpl2, sami, sbv, scc, srt, stl, text, tmp, ttml, vtt
from ._writing import MAX_TIME_MS, WriterWarning, finish_output
from .options import FormatOptions

__all__ = [
    "ALIASES",
    "FORMATS",
    "MAX_TIME_MS",
    "Format",
    "WriterWarning",
    "find",
    "find_for_path",
    "finish_output",
    "format_for_path",
    "get_format",
]


@dataclass(frozen=True)
class Format:
    """
    One caption format (or other output): its name, file extensions, options
    type, writer and reader.

    ``parse`` (``None`` for a format that cannot be read) is called as
    ``parse(text, filename=..., strict=...)``; every reader takes
    ``strict`` (JSON, read by its schema either way, ignores it).
    """

    name: str
    extensions: tuple[str, ...]
    options: type[FormatOptions]
    render: Callable[[Transcript, Any], str]
    parse: Callable[..., Transcript] | None
    #: ``False`` for a format that can be read but not written (SAMI).
    writable: bool = True
    #: For a format written as a set of files (HLS: segments and a
    #: playlist): ``(transcript, options, base name) -> [(file name, text)]``,
    #: the main file last; ``render`` then refuses to make one text.
    render_set: Callable[[Transcript, Any, str], list[tuple[str, str]]] | None = None
    #: ``parse`` takes the file's bytes, not text (EBU-STL).
    binary: bool = False

    @property
    def extension(self) -> str:
        """
        The default file extension, without the dot.
        """
        return self.extensions[0]


def _parse_json(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read our aligned JSON (:func:`gcore_captions.formats.json.parse`); it is
    checked against its schema either way, so ``strict`` changes nothing.
    """
    return json.parse(text, filename=filename)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(srt.NAME, srt.EXTENSIONS, srt.SrtOptions, srt.render, srt.parse),
        Format(vtt.NAME, vtt.EXTENSIONS, vtt.VttOptions, vtt.render, vtt.parse),
        Format(ass.NAME, ass.EXTENSIONS, ass.AssOptions, ass.render, ass.parse),
        Format(text.NAME, text.EXTENSIONS, text.TextOptions, text.render, None),
        Format(json.NAME, json.EXTENSIONS, json.JsonOptions, json.render, _parse_json),
        Format(sbv.NAME, sbv.EXTENSIONS, sbv.SbvOptions, sbv.render, sbv.parse),
        Format(ttml.NAME, ttml.EXTENSIONS, ttml.TtmlOptions, ttml.render, ttml.parse),
        Format(scc.NAME, scc.EXTENSIONS, scc.SccOptions, scc.render, scc.parse),
        Format(
            microdvd.NAME,
            microdvd.EXTENSIONS,
            microdvd.MicroDvdOptions,
            microdvd.render,
            microdvd.parse,
        ),
        Format(mpl2.NAME, mpl2.EXTENSIONS, mpl2.Mpl2Options, mpl2.render, mpl2.parse),
        Format(tmp.NAME, tmp.EXTENSIONS, tmp.TmpOptions, tmp.render, tmp.parse),
        Format(sami.NAME, sami.EXTENSIONS, sami.SamiOptions, sami.render, sami.parse, False),
        Format(stl.NAME, stl.EXTENSIONS, stl.StlOptions, stl.render, stl.parse, False, binary=True),
        Format(hls.NAME, hls.EXTENSIONS, hls.HlsOptions, hls.render, None, True, hls.render_set),
    )
}

#: Other names the formats are known by.
ALIASES = {
    "webvtt": "vtt",
    "subrip": "srt",
    "ssa": "ass",
    "text": "txt",
    "plain": "txt",
    "dfxp": "ttml",
    "sub": "microdvd",
    "smi": "sami",
    "tmplayer": "tmp",
    "imsc": "ttml",
    "imsc1": "ttml",
}


def get_format(name: str) -> Format:
    """
    The format called ``name`` (``srt``, ``vtt``, ``ass``, ``txt``, ``json``,
    ``sbv``; also ``webvtt``, ``subrip``, ``ssa``, ``text``).

    Raises:
        FormatError: no such format.
    """
    return find(FORMATS, name)


def format_for_path(path: str | os.PathLike[str]) -> Format:
    """
    The format a file name's extension asks for (``.srt``, ``.vtt``,
    ``.ass``/``.ssa``, ``.txt``, ``.json``, ``.sbv``).

    Raises:
        FormatError: the extension is missing or unknown.
    """
    return find_for_path(FORMATS, path)


def find(registry: Mapping[str, Format], name: str) -> Format:
    """
    The entry of ``registry`` called ``name`` or one of its :data:`ALIASES`.

    Raises:
        FormatError: no such entry; the message lists the known ones.
    """
    key = name.strip().lower().lstrip(".")
    key = ALIASES.get(key, key)
    try:
        return registry[key]
    except KeyError:
        known = ", ".join(registry)
        raise FormatError(f"unknown format {name!r}; choose one of {known}") from None


def find_for_path(registry: Mapping[str, Format], path: str | os.PathLike[str]) -> Format:
    """
    The entry of ``registry`` whose extensions include ``path``'s.

    Raises:
        FormatError: the extension is missing or unknown.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    for entry in registry.values():
        if suffix in entry.extensions:
            return entry
    known = ", ".join(f".{e}" for f in registry.values() for e in f.extensions)
    raise FormatError(
        f"cannot tell the format from the extension {('.' + suffix) if suffix else '(none)'!r};"
        f" use one of {known} or name the format",
        filename=os.fspath(path),
    )
