"""
MPL2 (``.mpl2``; usually named ``.txt``, which is sniffed): ``[start][end]text``
in deciseconds, ``|`` between lines, a leading ``/`` for italics; written and
read through pysubs2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..model import Transcript
from . import _pysubs2
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "Mpl2Options", "parse", "render"]

NAME = "mpl2"
EXTENSIONS = ("mpl2",)


@dataclass(frozen=True, slots=True)
class Mpl2Options(FormatOptions):
    """
    Options of the MPL2 writer.

    Args:
        speaker_labels: start a cue's first line with ``"Name: "``.

    Raises:
        FormatError: a value of the wrong type.
    """

    format: ClassVar[str] = NAME

    speaker_labels: bool = False


_DEFAULTS = Mpl2Options()


def render(transcript: Transcript, options: Mpl2Options | None = None) -> str:
    """
    The transcript as MPL2 text: times rounded (half up) to deciseconds,
    with a ``rounded-times`` warning; ``|`` as ``¦``, braces full-width, a
    word joiner before a line's leading ``/``.
    """
    options = options or _DEFAULTS
    return _pysubs2.write(
        transcript,
        NAME,
        speaker_labels=options.speaker_labels,
        round_to_ms=100,
        rounding="decisecond (MPL2's time step)",
        slash=True,
    )


#: Read MPL2 text through pysubs2 (one mode: ``strict`` changes nothing).
parse = _pysubs2.reader(NAME, NAME)
