"""
SAMI (``.smi``, ``.sami``): Microsoft's HTML-like captions, read (not
written) through pysubs2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import FormatError
from ..model import Transcript
from . import _pysubs2
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "SamiOptions", "parse", "render"]

NAME = "sami"
EXTENSIONS = ("smi", "sami")


@dataclass(frozen=True, slots=True)
class SamiOptions(FormatOptions):
    """SAMI is read only; it has no writer options."""

    format: ClassVar[str] = NAME


def render(transcript: Transcript, options: SamiOptions | None = None) -> str:
    """
    SAMI is read only.

    Raises:
        FormatError: always.
    """
    raise FormatError("sami files can be read, not written")


#: Read SAMI through pysubs2 (one mode: ``strict`` changes nothing); each
#: ``SYNC`` shows until the next one, as players show it (pysubs2 alone
#: guesses the end from the text's length). The last one keeps that guess.
parse = _pysubs2.reader(NAME, NAME, ends_at_next=True)
