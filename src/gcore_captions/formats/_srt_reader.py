"""
Reading SubRip (``.srt``) text into plain-text cues, one line at a time.

The writer (:mod:`gcore_captions.formats.srt`) breaks markup look-alikes with
an invisible U+2060 WORD JOINER; this reader removes exactly the joiners the
writer added, so our own files round-trip exactly.
"""

from __future__ import annotations

import re

from ..errors import FormatError
from ..model import Cue, Transcript
from ..reading import repair_cues
from ..textio import normalize_newlines
from ._text import WJ, cue_lines

__all__ = ["parse_srt"]

NAME = "srt"

_ESCAPED_ARROW = re.compile("--\u2060(\u2060*)>")
_ESCAPED_TAG_OPEN = re.compile("<\u2060(\u2060*)(?=/?[A-Za-z])")
_ESCAPED_OVERRIDE_OPEN = re.compile("\\{\u2060(\u2060*)\\\\")

# The reader's line patterns. Each is matched against one line, anchored at
# its start, and none has two quantifiers that can share characters, so a
# failed match costs at most one pass over the line (the ``srt`` library's
# SRT_REGEX, which the reader used before, backtracks without bound on long
# digit runs).
_SEP = "[,.:，．。：]"
_COLONS = ":："
# A number line: the writer's _NUMBER_LINE without its joiners.
_NUMBER = re.compile("-?[0-9]+(?:\\.[0-9]*)?")
_INDEX = re.compile("\\s*-?[0-9]+(?:\\.[0-9]*)?\\s*")
# Groups: first field, separator, second, separator, third, then an optional
# separator and fourth field (the milliseconds of H:MM:SS,mmm).
_STAMP = f"([0-9]+)({_SEP})([0-9]+)({_SEP})([0-9]+)(?:({_SEP})([0-9]*))?"
_TIMING = re.compile(f"\\s*{_STAMP} *-[ -] *> *{_STAMP}(.*)")
# What a line must start with to end the cue above it (srt's lookahead).
_TIME_PREFIX = re.compile(f"\\s*[0-9]+{_SEP}[0-9]+{_SEP}[0-9]")
_TAG_NAME = re.compile("</?(?:[ibus]|font)", re.IGNORECASE)
# More significant digits than this in one time field is not a time.
_MAX_DIGITS = 20


# A line the writer ends a number line above (its _TIME_START).
_TIME_START = re.compile(f"[0-9]+{_SEP}[0-9]+{_SEP}[0-9]")


def _unescape(lines: list[str]) -> list[str]:
    for i in range(len(lines) - 1):
        line = lines[i]
        if (
            line.endswith(WJ)
            and _NUMBER.fullmatch(line.rstrip(WJ))
            and _TIME_START.match(lines[i + 1])
        ):
            lines[i] = line[:-1]
    for i, line in enumerate(lines):
        if WJ in line:
            line = _ESCAPED_ARROW.sub("--\\1>", line)
            line = _ESCAPED_TAG_OPEN.sub("<\\1", line)
            line = _ESCAPED_OVERRIDE_OPEN.sub("{\\1\\\\", line)
            lines[i] = line
    return lines


def _read_text(content: str) -> str:
    if "<" in content or "{" in content:
        content = _strip_markup(content)
    lines = cue_lines(content)
    if WJ in content:
        lines = _unescape(lines)
    return "\n".join(lines)


def _strip_markup(text: str) -> str:
    r"""
    ``text`` without SRT formatting: ``<i>``, ``</b>``, ``<u>``, ``<s>``,
    ``<font …>`` (any case; after the name, whitespace and anything up to the
    next ``>``) and ``{\…}`` blocks up to the next ``}``.

    The same matches, left to right, as ``re.sub`` with
    ``</?(?:[ibus]|font)(?:\s[^>]*)?>|\{\\[^}]*\}`` (IGNORECASE), but in
    linear time: that pattern rescans to the end of the text from every
    ``<i `` or ``{\`` that has no closing character, which is quadratic. Here
    the position of the next ``>`` and ``}`` is remembered between matches.
    """
    parts: list[str] = []
    n = len(text)
    kept = 0  # text[kept:i] is copied unchanged
    i = 0
    next_lt = next_brace = next_gt = next_close = -2  # -2: not looked up yet
    while True:
        if next_lt != -1 and next_lt < i:
            next_lt = text.find("<", i)
        if next_brace != -1 and next_brace < i:
            next_brace = text.find("{", i)
        if next_lt == -1 and next_brace == -1:
            break
        if next_brace == -1 or (next_lt != -1 and next_lt < next_brace):
            p = next_lt
            end = -1
            head = _TAG_NAME.match(text, p)
            if head is not None:
                q = head.end()
                if q < n and text[q] == ">":
                    end = q + 1
                elif q < n and text[q].isspace():
                    if next_gt != -1 and next_gt < q:
                        next_gt = text.find(">", q)
                    if next_gt != -1:
                        end = next_gt + 1
        else:
            p = next_brace
            end = -1
            if p + 1 < n and text[p + 1] == "\\":
                if next_close != -1 and next_close < p + 2:
                    next_close = text.find("}", p + 2)
                if next_close != -1:
                    end = next_close + 1
        if end == -1:
            i = p + 1
            continue
        parts.append(text[kept:p])
        kept = i = end
    if not parts:
        return text
    parts.append(text[kept:])
    return "".join(parts)


def parse_srt(text: str, *, filename: str | None = None) -> Transcript:
    """
    Read SubRip text, one line at a time (linear in the length of the text).

    Tolerant as the ``srt`` library is: missing blank lines between cues, a
    missing cue number, blank lines inside a cue, ``.`` (or ``:`` or a
    full-width separator) before the milliseconds, any number of hour digits,
    any line ends (CRLF and lone CR are normalised first), a BOM.

    The shape, line by line:

    - a cue starts with an optional number line (``-?digits[.digits]``), any
      blank lines, then a timing line ``START --> END`` (``-->``, ``- >`` and
      extra spaces around the arrow are accepted); whitespace around the
      number and before the timing line is ignored;
    - a time stamp is ``H:MM:SS,mmm`` (hours of any width), ``H:MM:SS``, or
      ``MM:SS,mmm`` (no hours: a colon, then ``,`` or ``.``), as ExoPlayer
      reads them. Only spaces may surround the arrow. Any whitespace after
      the end time (space, tab, no-break space, form feed...) ends it and the
      rest of the line (cue settings such as ``X1:…``) is ignored: FFmpeg
      ignores whatever follows the end time, ExoPlayer allows whitespace
      there. Text glued to the end time (``00:00:02,000abc``,
      ``00:00:0x,000``) raises ``FormatError``: ExoPlayer refuses that
      timing line, and reading it as FFmpeg does would silently misread a
      broken time;
    - the line after the timing line is always text; after that, a cue ends
      at a blank (or whitespace-only) line followed by what looks like the
      start of a cue (a line starting with a time stamp, or a number line
      followed by one), or without a blank line at a number line followed by
      a line starting with a time stamp, or at the end of the text.

    Formatting tags (``<i>``, ``<font …>``, ``{\\an8}``) are dropped, lines
    are trimmed and blank lines inside a cue removed; empty, inverted and
    out-of-order cues are repaired and reported in ``warnings``, each naming
    the line of its number (or timing) line.

    Raises:
        FormatError: part of the text is not an SRT cue, or a time stamp is
            broken; names the file and line.
    """
    text = normalize_newlines(text)
    # A BOM (or several, or whitespace around them) before the first cue.
    skip = 0
    size = len(text)
    while skip < size and (text[skip] == "\ufeff" or text[skip].isspace()):
        skip += 1
    base = text.count("\n", 0, skip) + 1  # the line number of lines[0]
    lines = text[skip:].split("\n")
    n = len(lines)
    cues: list[Cue] = []
    numbers: list[int | None] = []
    index_line = _INDEX.fullmatch
    timing_line = _TIMING.match
    i = 0
    while True:
        # Between cues: blank lines, then a cue's number or timing line.
        while i < n and (not lines[i] or lines[i].isspace()):
            i += 1
        if i >= n:
            break
        first = i
        if index_line(lines[i]):
            i += 1
            while i < n and (not lines[i] or lines[i].isspace()):
                i += 1
            timing = timing_line(lines[i]) if i < n else None
        else:
            timing = timing_line(lines[i])
        if timing is None:
            raise _not_a_cue(lines, first, base, filename)
        start, end = _times(timing, lines[i], base + i, filename)
        i += 1
        body = i
        if i < n:
            i += 1  # the first line after the timing line is text, whatever it is
        while i < n:
            line = lines[i]
            if not line or line.isspace():
                if i + 1 == n or _starts_cue(lines, i + 1):
                    content = lines[body:i]
                    i += 1
                    break
            elif _starts_cue_after_number(lines, i):
                content = lines[body:i]
                break
            i += 1
        else:
            content = lines[body:]
        cues.append(Cue(start, end, _read_text("\n".join(content))))
        numbers.append(base + first)
    repaired, warnings = repair_cues(cues, lines=numbers)
    return Transcript(cues=repaired, source=NAME, warnings=warnings)


def _starts_cue_after_number(lines: list[str], i: int) -> bool:
    """
    ``lines[i]`` is a cue number line and the next non-blank line starts with
    a time stamp.
    """
    if not _INDEX.fullmatch(lines[i]):
        return False
    n = len(lines)
    i += 1
    while i < n and (not lines[i] or lines[i].isspace()):
        i += 1
    return i < n and _TIME_PREFIX.match(lines[i]) is not None


def _starts_cue(lines: list[str], i: int) -> bool:
    """
    ``lines[i]`` looks like the start of a cue: a line starting with a time
    stamp, or a number line followed by one.
    """
    return _TIME_PREFIX.match(lines[i]) is not None or _starts_cue_after_number(lines, i)


def _times(timing: re.Match[str], line: str, number: int, filename: str | None) -> tuple[int, int]:
    rest = timing.group(15)
    if rest and not rest[0].isspace():
        bad = line[timing.start(8) : timing.start(15)] + rest.split(None, 1)[0]
        raise FormatError(
            f"not a valid end time: {bad!r}; expected HH:MM:SS,mmm",
            filename=filename,
            line=number,
        )
    start = _stamp_ms(timing, 1, number, filename)
    end = _stamp_ms(timing, 8, number, filename)
    return start, end


def _stamp_ms(timing: re.Match[str], group: int, number: int, filename: str | None) -> int:
    """
    The time stamp in groups ``group`` to ``group + 6`` of a _TIMING match,
    in milliseconds.
    """
    a, sep1, b, sep2, c = timing.group(group, group + 1, group + 2, group + 3, group + 4)
    if timing.group(group + 5) is None and sep1 in _COLONS and sep2 not in _COLONS:
        hours, minutes, seconds, millis = "0", a, b, c  # MM:SS,mmm
    else:
        hours, minutes, seconds, millis = a, b, c, timing.group(group + 6) or "0"
    values = []
    for digits in (hours, minutes, seconds, millis):
        digits = digits.lstrip("0")
        if len(digits) > _MAX_DIGITS:
            raise FormatError(
                f"time stamp out of range: a field of {len(digits):,} digits",
                filename=filename,
                line=number,
            )
        values.append(int(digits) if digits else 0)
    h, m, s, ms = values
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def _not_a_cue(lines: list[str], i: int, base: int, filename: str | None) -> FormatError:
    shown = lines[i].lstrip()
    following = i + 1
    while following < len(lines) and (not lines[following] or lines[following].isspace()):
        following += 1
    if following < len(lines) and not _is_cue_at(lines, following):
        shown += " / " + lines[following]
    return FormatError(
        f"not an SRT cue: {shown[:80]!r}; expected a cue number line and a"
        " 'HH:MM:SS,mmm --> HH:MM:SS,mmm' timing line",
        filename=filename,
        line=base + i,
    )


def _is_cue_at(lines: list[str], i: int) -> bool:
    """
    A complete number and timing line (or a timing line) start at ``lines[i]``.
    """
    if _TIMING.match(lines[i]):
        return True
    if not _INDEX.fullmatch(lines[i]):
        return False
    i += 1
    while i < len(lines) and (not lines[i] or lines[i].isspace()):
        i += 1
    return i < len(lines) and _TIMING.match(lines[i]) is not None
