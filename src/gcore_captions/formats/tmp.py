"""
TMPlayer (``.tmp``; usually named ``.txt``, which is sniffed):
``HH:MM:SS:text`` with ``|`` between lines and no end times; written and read
through pysubs2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..model import Transcript
from . import _pysubs2
from ._writing import warn
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "TmpOptions", "parse", "render"]

NAME = "tmp"
EXTENSIONS = ("tmp",)


# HH:MM:SS: two hour digits.
_LATEST_MS = 99 * 3_600_000 + 59 * 60_000 + 59_000


@dataclass(frozen=True, slots=True)
class TmpOptions(FormatOptions):
    """
    Options of the TMPlayer writer.

    Args:
        speaker_labels: start a cue's first line with ``"Name: "``.

    Raises:
        FormatError: a value of the wrong type.
    """

    format: ClassVar[str] = NAME

    speaker_labels: bool = False


_DEFAULTS = TmpOptions()


def render(transcript: Transcript, options: TmpOptions | None = None) -> str:
    """
    The transcript as TMPlayer text: start times rounded (half up) to the
    second; TMP has no end times, so players show a cue until the next one
    or for a few seconds (a ``no-end-times`` warning says so).
    """
    options = options or _DEFAULTS
    output = _pysubs2.write(
        transcript,
        NAME,
        speaker_labels=options.speaker_labels,
        round_to_ms=1000,
        rounding="second (TMP's time step)",
        max_ms=_LATEST_MS,
        apply_styles=False,
    )
    if output:
        warn(NAME, "no-end-times", "TMP has no end times: players choose how long a cue shows")
    return output


#: Read TMPlayer text through pysubs2 (one mode: ``strict`` changes nothing);
#: a "<" no ">" follows is kept from its tag regex (quadratic otherwise).
parse = _pysubs2.reader(NAME, NAME, unclosed=("<", ">"))
