"""
The registry of outputs: every caption format, plus the HTML preview page.

The formats (:mod:`gcore_captions.formats`) know nothing of the page, which
is built on top of them and of the quality check; this registry lives above
both, so no lower layer imports a higher one.
"""

from __future__ import annotations

import os

from ..formats import FORMATS, Format, find, find_for_path
from ..preview import PreviewOptions
from ..preview import render as render_preview

__all__ = ["OUTPUTS", "get_output", "output_for_path"]

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


def output_for_path(path: str | os.PathLike[str]) -> Format:
    """
    The output a file name's extension asks for (``.srt``, ``.vtt``,
    ``.ass``/``.ssa``, ``.txt``, ``.json``, ``.html``).

    Raises:
        FormatError: the extension is missing or unknown.
    """
    return find_for_path(OUTPUTS, path)
