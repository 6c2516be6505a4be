"""
The registry of outputs: every caption format, plus the HTML preview page.

The formats (:mod:`gcore_captions.formats`) know nothing of the page, which
is built on top of them and of the quality check; this registry lives above
both, so no lower layer imports a higher one.
"""

from __future__ import annotations

import os

from ..errors import FormatError
from ..formats import FORMATS, Format, find, find_for_path
from ..preview import PreviewOptions
from ..preview import render as render_preview

__all__ = ["OUTPUTS", "get_output", "get_writable_output", "output_for_path"]

OUTPUTS: dict[str, Format] = {
    **FORMATS,
    "html": Format("html", ("html", "htm"), PreviewOptions, render_preview, None),
}
"""Every output by name: ``srt``, ``vtt``, ``ass``, ``txt``, ``json``, ``html``."""


def get_output(name: str) -> Format:
    """
    The output called ``name`` (a format name or alias, or ``html``).

    Raises:
        FormatError: no such output; the message lists the known ones.
    """
    return find(OUTPUTS, name)


def get_writable_output(name: str) -> Format:
    """
    The output called ``name``, when it can be written.

    Raises:
        FormatError: no such output, or one that is only read (SAMI,
            EBU-STL); the message lists the outputs that can be written.
    """
    writable = ", ".join(key for key, output in OUTPUTS.items() if output.writable)
    try:
        output = get_output(name)
    except FormatError:
        raise FormatError(f"unknown format {name!r}; choose one of {writable}") from None
    if not output.writable:
        raise FormatError(f"{output.name} files can be read, not written; choose one of {writable}")
    return output


def output_for_path(path: str | os.PathLike[str]) -> Format:
    """
    The output a file name's extension asks for (``.srt``, ``.vtt``,
    ``.ass``/``.ssa``, ``.txt``, ``.json``, ``.html``).

    Raises:
        FormatError: the extension is missing or unknown.
    """
    return find_for_path(OUTPUTS, path)
