"""
MicroDVD (``.sub``): ``{start frame}{end frame}text`` with ``|`` between
lines, written and read through pysubs2 at a frame rate of your choice.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import ClassVar

from ..errors import FormatError
from ..model import Transcript, TranscriptWarning
from ..textio import normalize_newlines
from . import _pysubs2
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "MicroDvdOptions", "parse", "render"]

NAME = "microdvd"
EXTENSIONS = ("sub",)

#: The frame rate assumed when a file does not declare one (film on NTSC).
DEFAULT_FPS = 23.976

# The declaration players read: a first line "{1}{1}23.976" ({0}{0} from
# some tools, pysubs2 among them).
_DECLARATION = re.compile(r"[ \t]*\{([01])\}\{\1\}[ \t]*(\d{1,4}(?:\.\d{1,6})?)[ \t]*(?:\n|\Z)")


@dataclass(frozen=True, slots=True)
class MicroDvdOptions(FormatOptions):
    """
    Options of the MicroDVD writer.

    Args:
        fps: the video's frame rate (23.976 by default); times are rounded
            to its frames.
        fps_declaration: write the ``{1}{1}<fps>`` first line players read
            the frame rate from.
        speaker_labels: start a cue's first line with ``"Name: "``.

    Raises:
        FormatError: a value of the wrong type, or a frame rate that is not
            between 1 and 1000.
    """

    format: ClassVar[str] = NAME

    fps: float = DEFAULT_FPS
    fps_declaration: bool = True
    speaker_labels: bool = False

    def check(self) -> None:
        if not (math.isfinite(self.fps) and 1 <= self.fps <= 1000):
            raise self.invalid("fps", "a frame rate from 1 to 1000")


_DEFAULTS = MicroDvdOptions()


def render(transcript: Transcript, options: MicroDvdOptions | None = None) -> str:
    """
    The transcript as MicroDVD text at ``options.fps``.

    Literal braces are written full-width (``{...}`` is a control code) and
    ``|`` as ``¦`` (a line break), each with a warning; times are rounded to
    frames, which the warning ``rounded-times`` reports.
    """
    options = options or _DEFAULTS
    return _pysubs2.write(
        transcript,
        NAME,
        speaker_labels=options.speaker_labels,
        round_to_ms=1,
        rounding=f"frame at {options.fps:g} fps",
        fps=options.fps,
        head=f"{{1}}{{1}}{options.fps:g}\n" if options.fps_declaration else "",
        write_fps_declaration=False,
        apply_styles=False,
    )


# pysubs2 reads {y:...}, {f:...} and {s:...} with regexes that scan from each
# "{" to the line's end when no "}" follows: such braces are kept from them.
_UNCLOSED = ("{", "}")


def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read MicroDVD text: the frame rate from its ``{1}{1}<fps>`` first line,
    else 23.976 with an ``assumed-frame-rate`` warning (``strict=True``: a
    ``FormatError``).
    """
    text = normalize_newlines(text).lstrip("\ufeff")
    match = _DECLARATION.match(text)
    if match is not None and 1 <= float(match.group(2)) <= 1000:
        fps = float(match.group(2))
        # The declaration is not a cue: pysubs2 would read "{0}{0}" as one.
        return _pysubs2.read(
            text[match.end() :], NAME, filename=filename, source=NAME, fps=fps, unclosed=_UNCLOSED
        )
    if strict:
        raise FormatError(
            "the file does not declare its frame rate ({1}{1}<fps> first line)",
            filename=filename,
        )
    notes = (
        TranscriptWarning(
            "assumed-frame-rate",
            f"no frame rate declared ({{1}}{{1}}<fps> first line): read at {DEFAULT_FPS} fps",
        ),
    )
    return _pysubs2.read(
        text,
        NAME,
        filename=filename,
        source=NAME,
        warnings=notes,
        fps=DEFAULT_FPS,
        unclosed=_UNCLOSED,
    )
