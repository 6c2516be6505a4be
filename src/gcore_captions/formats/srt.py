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
from datetime import timedelta
from typing import ClassVar

import srt as _srt

from ..errors import FormatError
from ..model import Cue, Transcript
from ..reading import repair_cues
from ..textio import normalize_newlines
from ..timecode import format_srt
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

_ESCAPED_ARROW = re.compile("--\u2060(\u2060*)>")
_ESCAPED_TAG_OPEN = re.compile("<\u2060(\u2060*)(?=/?[A-Za-z])")
_ESCAPED_OVERRIDE_OPEN = re.compile("\\{\u2060(\u2060*)\\\\")
_ESCAPED_NUMBER_LINE = re.compile("-?[0-9]+\\.?[0-9]*\u2060+")

# Formatting that players apply in SRT; the reader drops it (the model holds
# plain text).
_MARKUP = re.compile(r"</?(?:[ibus]|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


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


def _unescape(lines: list[str]) -> list[str]:
    for i in range(len(lines) - 1):
        if _ESCAPED_NUMBER_LINE.fullmatch(lines[i]) and _TIME_START.match(lines[i + 1]):
            lines[i] = lines[i][:-1]
    for i, line in enumerate(lines):
        if WJ in line:
            line = _ESCAPED_ARROW.sub("--\\1>", line)
            line = _ESCAPED_TAG_OPEN.sub("<\\1", line)
            line = _ESCAPED_OVERRIDE_OPEN.sub("{\\1\\\\", line)
            lines[i] = line
    return lines


def _read_text(content: str) -> str:
    if "<" in content or "{" in content:
        content = _MARKUP.sub("", content)
    lines = cue_lines(content)
    if WJ in content:
        lines = _unescape(lines)
    return "\n".join(lines)


def _ms(value: timedelta) -> int:
    return (value.days * 86_400 + value.seconds) * 1000 + value.microseconds // 1000


def parse(text: str, *, filename: str | None = None) -> Transcript:
    """
    Read SubRip text (tolerant: missing blank lines, blank lines inside a
    cue, ``.`` as the millisecond separator, any number of hour digits, any
    line ends).

    Formatting tags (``<i>``, ``<font …>``, ``{\\an8}``) are dropped, lines
    are trimmed and blank lines inside a cue removed; empty, inverted and
    out-of-order cues are repaired and reported in ``warnings``.

    Raises:
        FormatError: part of the text is not an SRT cue; names the line.
    """
    text = normalize_newlines(text)
    cues: list[Cue] = []
    lines: list[int | None] = []
    expected = 0
    line = 1
    counted = 0
    for match in _srt.SRT_REGEX.finditer(text):
        if match.start() != expected:
            _check_gap(text, expected, match.start(), filename)
        first = match.start(1) if match.group(1) is not None else match.start(2)
        line += text.count("\n", counted, first)
        counted = first
        after_end = match.end(3)
        if match.group(4) and text[after_end] not in " \t":
            # srt's pattern lets the end time stop early ("00:00:0x,000" reads
            # as 00:00:00 plus "settings" "x,000"); refuse instead of misreading.
            bad = match.group(3) + match.group(4).split()[0]
            timing_line = line + text.count("\n", first, match.start(2))
            raise FormatError(
                f"not a valid end time: {bad!r}; expected HH:MM:SS,mmm",
                filename=filename,
                line=timing_line,
            )
        start = _ms(_srt.srt_timestamp_to_timedelta(match.group(2)))
        end = _ms(_srt.srt_timestamp_to_timedelta(match.group(3)))
        cues.append(Cue(start, end, _read_text(match.group(5))))
        lines.append(line)
        expected = match.end()
    if expected != len(text):
        _check_gap(text, expected, len(text), filename)
    repaired, warnings = repair_cues(cues, lines=lines)
    return Transcript(cues=repaired, source=NAME, warnings=warnings)


def _check_gap(text: str, begin: int, end: int, filename: str | None) -> None:
    gap = text[begin:end]
    stripped = gap.lstrip()
    if not stripped.strip("\ufeff"):
        return
    offset = begin + len(gap) - len(stripped)
    line = text.count("\n", 0, offset) + 1
    shown = " / ".join(stripped.split("\n", 2)[:2])[:80]
    raise FormatError(
        f"not an SRT cue: {shown!r}; expected a cue number line and a"
        " 'HH:MM:SS,mmm --> HH:MM:SS,mmm' timing line",
        filename=filename,
        line=line,
    )
