"""
SubRip (``.srt``): writer and reader.

SRT has no escape mechanism, so where caption text would be read as
structure or markup (``-->``, a tag such as ``<i>``, an ASS override block
``{\\b1}``, or a number line right above a line starting with a time) the
writer inserts one invisible U+2060 WORD JOINER to break the token. Other
readers show the text unchanged; our reader removes exactly the joiners the
writer added, so our own files round-trip exactly. See ``docs/formats.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..model import Transcript
from ..timecode import format_srt
from ._srt_reader import parse_srt
from ._text import WJ, cue_lines, fold, ordered
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "SrtOptions", "parse", "render"]

NAME = "srt"
EXTENSIONS = ("srt",)

# Tokens that a reader could take as structure or markup, each with the
# word joiners that may already follow its first character (so inserting
# one more is reversible).
_ARROW = re.compile("--(\u2060*)>")
_TAG_OPEN = re.compile("<(\u2060*)(?=/?[A-Za-z])")
_OVERRIDE_OPEN = re.compile("\\{(\u2060*)\\\\")
# srt.parse ends a cue early at a line that looks like an index followed by
# a line that starts with a time stamp (its tolerance for missing blank
# lines); the same shapes as its own patterns.
_NUMBER_LINE = re.compile("-?[0-9]+\\.?[0-9]*\u2060*")
_TIME_START = re.compile("[0-9]+[,.:，．。：][0-9]+[,.:，．。：][0-9]+")


@dataclass(frozen=True, slots=True)
class SrtOptions(FormatOptions):
    """
    Options of the SubRip writer.

    Args:
        start_index: the number of the first cue (1 by default; 0 or more).
        speaker_labels: start a cue's first line with ``"Name: "`` when the
            cue has a speaker (SRT has no speaker field).

    Raises:
        FormatError: a value of the wrong type, or a negative start index.
    """

    format: ClassVar[str] = NAME

    start_index: int = 1
    speaker_labels: bool = False

    def check(self) -> None:
        if self.start_index < 0:
            raise self.invalid("start_index", "0 or more")


def render(transcript: Transcript, options: SrtOptions | None = None) -> str:
    """
    The transcript as SubRip text.

    Args:
        transcript: the cues to write (written in start-time order; cues
            without text are left out).
        options: the writer's options (:class:`SrtOptions` defaults).

    Returns:
        ``index``, ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` and the text lines per
        cue, a blank line after each; ``""`` for an empty transcript.
    """
    options = options or _DEFAULTS
    speaker_labels = options.speaker_labels
    parts: list[str] = []
    append = parts.append
    number = options.start_index
    for cue in ordered(transcript.cues):
        text = cue.text
        if speaker_labels and cue.speaker:
            text = f"{fold(cue.speaker)}: {text}"
        if (
            "\n" in text
            or "\r" in text
            or "--" in text
            or "<" in text
            or "{" in text
            or text != text.strip()
        ):
            text = _escape(text)
            if not text:
                continue
        elif not text:
            continue
        append(f"{number}\n{format_srt(cue.start_ms)} --> {format_srt(cue.end_ms)}\n{text}\n\n")
        number += 1
    return "".join(parts)


_DEFAULTS = SrtOptions()


def _escape(text: str) -> str:
    lines = cue_lines(text)
    for i, line in enumerate(lines):
        if "--" in line:
            line = _ARROW.sub("--\u2060\\1>", line)
        if "<" in line:
            line = _TAG_OPEN.sub("<\u2060\\1", line)
        if "{" in line:
            line = _OVERRIDE_OPEN.sub("{\u2060\\1\\\\", line)
        lines[i] = line
    for i in range(len(lines) - 1):
        if _NUMBER_LINE.fullmatch(lines[i]) and _TIME_START.match(lines[i + 1]):
            lines[i] += WJ
    return "\n".join(lines)


def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read SubRip text, leniently as players do or, with ``strict=True``,
    refusing a malformed block: see
    :func:`gcore_captions.formats._srt_reader.parse_srt`.
    """
    return parse_srt(text, filename=filename, strict=strict)
