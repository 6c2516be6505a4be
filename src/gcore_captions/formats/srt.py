"""
SubRip (``.srt``): writer and reader.

SRT has no escape mechanism, so where caption text would be read as
structure or markup the writer inserts one invisible U+2060 WORD JOINER to
break the token: in ``-->``, after every ``<`` (FFmpeg reads ``< b >`` and
``<3 x>`` as tags), after a backslash that libass would read as an escape
(``\\N``, ``\\h``...), in an ASS override opening ``{\\``, and after a
number line right above a line starting with a time. Other readers show the
text unchanged; our reader removes exactly the joiners the writer added, so
our own files round-trip exactly. A brace pair ``{...}``, which libass hides
whatever it holds, is written with full-width braces (with a warning). See
``docs/formats.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..model import Cue, Transcript
from ..timecode import format_srt
from ._srt_reader import parse_srt
from ._srt_text import escape_line
from ._text import WJ, cue_lines, fold, ordered
from ._writing import check_times, finish_output, warn
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "SrtOptions", "parse", "render"]

NAME = "srt"
EXTENSIONS = ("srt",)

# srt.parse ends a cue early at a line that looks like an index followed by
# a line that starts with a time stamp (its tolerance for missing blank
# lines); the same shapes as its own patterns, written so that no two
# quantifiers can share characters (a failed match on a long digit run is
# one pass, not quadratic).
_NUMBER_LINE = re.compile("-?[0-9]+(?:\\.[0-9]*)?\u2060*")
_NUMBER_START = frozenset("-0123456789")
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
    check_times(transcript.cues, NAME)
    parts: list[str] = []
    append = parts.append
    number = options.start_index
    braced: list[Cue] = []
    for cue in ordered(transcript.cues):
        text = cue.text
        if speaker_labels and cue.speaker and (label := fold(cue.speaker)):
            text = f"{label}: {text}"
        if (
            "\n" in text
            or "\r" in text
            or "--" in text
            or "<" in text
            or "{" in text
            or "\\" in text
            or text != text.strip()
        ):
            if "{" in text and "}" in text:
                unbraced = _unbrace(text)
                if unbraced != text:
                    braced.append(cue)
                    text = unbraced
            text = _escape(text)
            if not text:
                continue
        elif not text:
            continue
        append(f"{number}\n{format_srt(cue.start_ms)} --> {format_srt(cue.end_ms)}\n{text}\n\n")
        number += 1
    if braced:
        _warn_braces(transcript, braced)
    return finish_output("".join(parts), transcript, NAME)


_DEFAULTS = SrtOptions()


def _unbrace(text: str) -> str:
    """
    ``text`` with every brace between its first ``{`` and last ``}`` made
    full-width (U+FF5B, U+FF5D): libass hides a ``{`` and everything up to
    the next ``}`` (FFmpeg passes SRT braces on to it), and no SRT spelling
    of a brace pair shows verbatim in both libass and the players that show
    SRT text as written. A brace outside that span has no partner and shows
    as it is.
    """
    first = text.find("{")
    last = text.rfind("}")
    if first == -1 or last < first:
        return text
    middle = text[first : last + 1].replace("{", "\uff5b").replace("}", "\uff5d")
    return text[:first] + middle + text[last + 1 :]


def _warn_braces(transcript: Transcript, braced: list[Cue]) -> None:
    wanted = {id(cue) for cue in braced}
    numbers = [n for n, cue in enumerate(transcript.cues, 1) if id(cue) in wanted]
    warn(
        NAME,
        "full-width-braces",
        "a brace pair {...} written with full-width braces \uff5b...\uff5d"
        " (players that use libass hide {...} in SRT text)",
        numbers,
    )


def _escape(text: str) -> str:
    if not ("\r" in text or "--" in text or "<" in text or "{" in text or "\\" in text):
        # The common case, a two-line cue of plain words: nothing to escape
        # when every line is already trimmed and none can pass for a number
        # line (those start with a digit or "-").
        lines = text.split("\n")
        if all(line and line == line.strip() and line[0] not in _NUMBER_START for line in lines):
            return text
    lines = [escape_line(line) for line in cue_lines(text)]
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
