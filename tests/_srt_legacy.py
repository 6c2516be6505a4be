"""
The SRT reader as it was before our own line-by-line reader replaced it: a
frozen copy that iterates the ``srt`` library's ``SRT_REGEX``. Only the
differential tests use it, on small inputs (its pattern backtracks
catastrophically on long digit runs), to show that the new reader reads
what the old one read wherever no behaviour change was intended.
"""

from __future__ import annotations

import re
from datetime import timedelta

import srt as _srt

from gcore_captions.errors import FormatError
from gcore_captions.formats._text import cue_lines
from gcore_captions.model import Cue, Transcript
from gcore_captions.reading import repair_cues
from gcore_captions.textio import normalize_newlines

WJ = "\u2060"
NAME = "srt"
_TIME_START = re.compile("[0-9]+[,.:，．。：][0-9]+[,.:，．。：][0-9]+")

_ESCAPED_ARROW = re.compile("--\u2060(\u2060*)>")
_ESCAPED_TAG_OPEN = re.compile("<\u2060(\u2060*)(?=/?[A-Za-z])")
_ESCAPED_OVERRIDE_OPEN = re.compile("\\{\u2060(\u2060*)\\\\")
_ESCAPED_NUMBER_LINE = re.compile("-?[0-9]+\\.?[0-9]*\u2060+")

_MARKUP = re.compile(r"</?(?:[ibus]|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


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
