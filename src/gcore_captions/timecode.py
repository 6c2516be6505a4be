"""
The only place that parses and formats time stamps.

Times are whole milliseconds. Every formatter writes the true value for any
length: hour fields simply grow wider (``100:00:00,000``); nothing is clamped
or wrapped at 24 h, 100 h or 10 h.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "format_ass",
    "format_clock",
    "format_srt",
    "format_vtt",
    "parse_timestamp",
    "parse_timestamps",
    "parse_vtt_timestamp",
    "parse_vtt_timing",
    "parse_vtt_timing_lenient",
]

# The most significant hour digits any time stamp may have: ten is over a
# million years; more is garbage.
_MAX_HOUR_DIGITS = 10

# [hours:]minutes:seconds[.,]fraction. Hours any number of digits; fraction
# 1 or more digits (Gcore always sends 3, tolerant readers meet 1-2 and 4+).
_TIMESTAMP = re.compile(
    r"\s*(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,:](?P<f>\d+))?\s*\Z",
    re.ASCII,
)


def parse_timestamp(text: str) -> int:
    """
    Parse ``HH:MM:SS.mmm`` (also ``,`` as separator, no hours, any number of
    hour digits, 1-3+ fraction digits) into whole milliseconds.

    Fractions with more than three digits are rounded half up to the
    millisecond. Hours may have at most ten significant digits (over a
    million years), as in :func:`parse_vtt_timestamp`.

    Raises:
        ValueError: the text is not a time stamp, minutes/seconds are 60
            or more, or the hours have more than ten significant digits.
    """
    # Fast path for the shape Gcore sends, "HH:MM:SS.mmm" with any number of
    # hour digits: glue the digits into one integer HHMMSSmmm and split it
    # arithmetically (one int() instead of four).
    if text[-10:-3:3] == "::." and 11 <= len(text) <= 10 + _MAX_HOUR_DIGITS:
        digits = text[:-10] + text[-9:-7] + text[-6:-4] + text[-3:]
        if digits.isascii() and digits.isdigit():
            hours, rest = divmod(int(digits), 10_000_000)
            minutes, millis = divmod(rest, 100_000)  # millis: SSmmm == ms in the minute
            if minutes < 60 and millis < 60_000:
                return (hours * 60 + minutes) * 60_000 + millis
    match = _TIMESTAMP.match(text)
    if match is None:
        raise ValueError(f"not a time stamp: {_shown(text)} (expected HH:MM:SS.mmm)")
    hour_digits = match["h"] or "0"
    if len(hour_digits.lstrip("0")) > _MAX_HOUR_DIGITS:
        # Garbage, not a time; and thousands of digits would make int() refuse.
        raise ValueError(f"hours out of range in {_shown(text)}")
    hours = int(hour_digits)
    minutes = int(match["m"])
    seconds = int(match["s"])
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"minutes and seconds must be below 60 in {_shown(text)}")
    fraction = match["f"] or "0"
    # Round half up at the millisecond (the fourth digit decides, whatever
    # follows), carrying into the seconds; no int() of a long digit run.
    millis = int(fraction[:3].ljust(3, "0")) + (fraction[3:4] >= "5")
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _shown(text: str) -> str:
    # A text quoted in a message, cut short (a hostile input's megabyte
    # stamp must not become a megabyte exception).
    return repr(text) if len(text) <= 40 else f"{text[:32]!r}... ({len(text)} characters)"


# Many Gcore stamps at once, joined by "\n": all canonical or no match.
# Hours of at most ten digits (longer ones take the careful path, which
# applies the same limit to the significant digits).
_GCORE_STAMPS = re.compile(
    r"(?:\d{1,10}:[0-5]\d:[0-5]\d\.\d\d\d\n)*\d{1,10}:[0-5]\d:[0-5]\d\.\d\d\d",
    re.ASCII,
)
#: How many stamps :func:`parse_timestamps` converts in one pass.
_BATCH = 2048


def parse_timestamps(texts: Sequence[str]) -> list[int]:
    """
    Parse many time stamps; the same results as :func:`parse_timestamp` on
    each, several times faster on Gcore's ``HH:MM:SS.mmm`` shape.

    When every stamp has that shape, one regular-expression pass checks them
    all and the conversion runs on whole lists; otherwise each is parsed on
    its own.

    Raises:
        ValueError: a text is not a time stamp (as :func:`parse_timestamp`).
        TypeError: an item is not a string.
    """
    if len(texts) > _BATCH:
        # In batches, so the joined text and its copies stay in the CPU
        # cache: one pass over a million stamps at once would run at memory
        # speed and cost twice as much per stamp as over ten thousand.
        parsed: list[int] = []
        for first in range(0, len(texts), _BATCH):
            parsed += parse_timestamps(texts[first : first + _BATCH])
        return parsed
    if not texts:
        return []
    joined = "\n".join(texts)
    if _GCORE_STAMPS.fullmatch(joined):
        # Dropping the separators leaves n = HHMMSSmmm per stamp, and
        # n - (HH*100 + MM) * 40_000 - HH * 2_400_000 is exactly
        # HH * 3_600_000 + MM * 60_000 + SSmmm.
        glued = joined.replace(":", "").replace(".", "").split("\n")
        if len(glued) == len(texts):
            return [
                n - n // 100_000 * 40_000 - n // 10_000_000 * 2_400_000 for n in map(int, glued)
            ]
    return [parse_timestamp(text) for text in texts]


# WebVTT's own time stamp, exactly as the W3C parser collects it: the first
# field is hours when it is not exactly two digits or is above 59 (then a
# third field is required); minutes and seconds are two digits below 60; the
# fraction is exactly three digits. ``(?!\d)`` stands for "collect all digits,
# then check the count".
_VTT_STAMP = r"(\d+):(\d\d)(?::(\d\d))?\.(\d\d\d)(?!\d)"
_VTT_WS = r"[ \t\f]*"  # the spec's whitespace, minus CR/LF which cannot occur in a line
_VTT_TIMING = re.compile(
    _VTT_WS + _VTT_STAMP + _VTT_WS + "-->" + _VTT_WS + _VTT_STAMP + "(.*)",
    re.ASCII | re.DOTALL,
)
_VTT_CANONICAL = re.compile(
    r"\d\d:[0-5]\d:[0-5]\d\.\d\d\d --> \d\d:[0-5]\d:[0-5]\d\.\d\d\d(?!\d)", re.ASCII
)
_VTT_STAMP_ONLY = re.compile(_VTT_STAMP + r"\Z", re.ASCII)


def _vtt_ms(first: str, second: str, third: str | None, fraction: str) -> int | None:
    if third is None:
        if len(first) != 2 or first > "59":
            return None
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        # Any number of hour digits is valid WebVTT, but a value past a
        # million years is garbage (and thousands of digits would make int()
        # itself refuse, even for zeros): treat it as an invalid stamp.
        hours_digits = first.lstrip("0")
        if len(hours_digits) > _MAX_HOUR_DIGITS:
            return None
        hours, minutes, seconds = int(hours_digits or "0"), int(second), int(third)
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction)


def parse_vtt_timestamp(text: str) -> int:
    """
    Parse a WebVTT time stamp strictly, as the W3C parser does:
    ``[H+:]MM:SS.mmm``.

    Minutes and seconds are two digits below 60, the fraction exactly three
    digits; hours may be left out (``01:02.500``) and may be any number of
    digits when present (``123:00:00.000``; more than ten significant hour
    digits, a million years, is refused). No surrounding spaces, no comma.

    Raises:
        ValueError: the text is not a WebVTT time stamp.
    """
    match = _VTT_STAMP_ONLY.match(text)
    ms = None if match is None else _vtt_ms(*match.groups())
    if ms is None:
        raise ValueError(f"not a WebVTT time stamp: {text!r} (expected [HH:]MM:SS.mmm)")
    return ms


def parse_vtt_timing(line: str) -> tuple[int, int, str] | None:
    """
    Parse a WebVTT cue timing line: ``start --> end [settings]``.

    Follows the W3C "collect WebVTT cue timings and settings" steps: spaces,
    tabs and form feeds may surround the time stamps and the arrow; whatever
    follows the end time stamp is the settings text.

    Returns:
        ``(start_ms, end_ms, settings)``, or ``None`` when the line is not a
        valid timing line. ``settings`` is the raw rest of the line.
    """
    if _VTT_CANONICAL.match(line):
        # The shape nearly every file uses; its fields sit at fixed places.
        start = int(line[0:2]) * 3_600_000 + int(line[3:5]) * 60_000 + int(line[6:8] + line[9:12])
        end = (
            int(line[17:19]) * 3_600_000
            + int(line[20:22]) * 60_000
            + int(line[23:25] + line[26:29])
        )
        return start, end, line[29:]
    match = _VTT_TIMING.match(line)
    if match is None:
        return None
    groups = match.groups()
    start_ms = _vtt_ms(*groups[0:4])
    end_ms = _vtt_ms(*groups[4:8])
    if start_ms is None or end_ms is None:
        return None
    return start_ms, end_ms, groups[8]


# What players read beyond the spec (ExoPlayer's WebvttParserUtil, FFmpeg's
# demuxer, webvtt-py): one to three colon-separated fields of any width, a
# fraction of any length after "." or "," (or none), minutes and seconds past
# 59 carried over, and a vertical tab as whitespace. Every quantifier is
# followed by a character it cannot match, so a failed match is linear.
_LENIENT_STAMP = r"(\d+)(?::(\d+))?(?::(\d+))?(?:([.,])(\d+))?"
_LENIENT_WS = r"[ \t\f\v]*"
_LENIENT_TIMING = re.compile(
    _LENIENT_WS
    + _LENIENT_STAMP
    + _LENIENT_WS
    + "-->"
    + _LENIENT_WS
    + _LENIENT_STAMP
    + r"((?:[ \t\f\v].*)?)\Z",
    re.ASCII | re.DOTALL,
)
# A field with more significant digits is over a million years: not a time.
_MAX_FIELD_DIGITS = 10


def _lenient_ms(
    first: str, second: str | None, third: str | None, comma: str | None, fraction: str | None
) -> tuple[int, list[str]] | None:
    if third is not None:
        fields: tuple[str, ...] = (first, second or "", third)
    elif second is not None:
        fields = (first, second)
    elif fraction is not None:
        fields = (first,)
    else:
        return None  # a bare number is not a time stamp
    notes = []
    if len(fields) == 1:
        notes.append("seconds only")
    elif len(fields[-1]) != 2 or len(fields[-2]) != 2:
        # Minutes and seconds are two digits; hours only with all three fields.
        notes.append("fields not two digits")
    seconds = 0  # the whole stamp in seconds, ExoPlayer's way: carries included
    carried = False
    minutes_at = len(fields) - 2  # fields from here on are minutes and seconds
    for index, field in enumerate(fields):
        if len(field) > _MAX_FIELD_DIGITS:
            field = field.lstrip("0") or "0"  # int() refuses thousands of digits, zeros too
            if len(field) > _MAX_FIELD_DIGITS:
                return None
        value = int(field)
        if value > 59 and index >= minutes_at:
            carried = True
        seconds = seconds * 60 + value
    if carried:
        notes.append("minutes or seconds above 59 (carried over)")
    if fraction is None:
        millis = 0
        if len(fields) > 1:
            notes.append("no fraction")
    else:
        if comma == ",":
            notes.append("a comma before the fraction")
        if len(fraction) != 3:
            notes.append("fraction not three digits")
            # Decimal: ".5" is 500 ms; past three digits, rounded half up.
            millis = int(fraction[:3].ljust(3, "0")) + (len(fraction) > 3 and fraction[3] >= "5")
        else:
            millis = int(fraction)
    return seconds * 1000 + millis, notes


def parse_vtt_timing_lenient(line: str) -> tuple[int, int, str, tuple[str, ...]] | None:
    """
    Parse a WebVTT timing line as players read it, beyond the spec.

    Reads what :func:`parse_vtt_timing` refuses but ExoPlayer, FFmpeg or
    webvtt-py read: no fraction (``00:01:39``), one, two or more than three
    fraction digits (``00:02:12.16`` is 132.160 s; past three digits rounded
    half up to the millisecond), fields of any width (``0:0:7.23``), no hours
    with wide minutes (``0:00.000``), seconds only with a fraction
    (``02.345``), minutes or seconds past 59 (carried over, ``00:75.000`` is
    75 s), a comma before the fraction, and vertical tabs around the stamps.
    A bare number (``5 --> 6``) is not a time stamp, a field with more than
    ten significant digits neither; the end stamp must be followed by
    whitespace or the end of the line.

    Call it on lines :func:`parse_vtt_timing` refuses: on a line both read,
    the times agree, but a spec-valid line with settings glued to the end
    stamp is read only by :func:`parse_vtt_timing`.

    Returns:
        ``(start_ms, end_ms, settings, notes)``, ``notes`` naming each way
        the line departs from the spec (sorted); or ``None`` when not even a
        lenient reader takes the line for a timing line.
    """
    match = _LENIENT_TIMING.match(line)
    if match is None:
        return None
    groups = match.groups()
    start = _lenient_ms(*groups[0:5])
    end = _lenient_ms(*groups[5:10])
    if start is None or end is None:
        return None
    notes = {*start[1], *end[1]}
    if "\v" in line[: match.start(6)] or groups[10][:1] == "\v":
        notes.add("a vertical tab as whitespace")
    return start[0], end[0], groups[10], tuple(sorted(notes))


# Formatting is table look-ups: a time splits into hours, seconds within the
# hour and the fraction, and each part's text is precomputed. That is about
# four times faster than formatting the fields with an f-string, and writers
# format two stamps per cue.
_HOUR_TABLE = 1000
_HOURS = tuple(f"{hours:02d}:" for hours in range(_HOUR_TABLE))
_HOURS_ASS = tuple(f"{hours:d}:" for hours in range(_HOUR_TABLE))
_MIN_SEC = tuple(f"{minutes:02d}:{seconds:02d}" for minutes in range(60) for seconds in range(60))
_MILLIS_COMMA = tuple(f",{millis:03d}" for millis in range(1000))
_MILLIS_DOT = tuple(f".{millis:03d}" for millis in range(1000))
_CENTIS = tuple(f".{centis:02d}" for centis in range(100))


def _negative(ms: int) -> ValueError:
    return ValueError(f"time cannot be negative: {ms} ms")


def format_srt(ms: int) -> str:
    """
    ``HH:MM:SS,mmm``; hours widen past 99 (``100:00:00,000``).
    """
    if ms < 0:
        raise _negative(ms)
    seconds, millis = divmod(ms, 1000)
    hours, seconds = divmod(seconds, 3600)
    head = _HOURS[hours] if hours < _HOUR_TABLE else f"{hours:02d}:"
    return head + _MIN_SEC[seconds] + _MILLIS_COMMA[millis]


def format_vtt(ms: int) -> str:
    """
    ``HH:MM:SS.mmm`` (always with hours); hours widen past 99.
    """
    if ms < 0:
        raise _negative(ms)
    seconds, millis = divmod(ms, 1000)
    hours, seconds = divmod(seconds, 3600)
    head = _HOURS[hours] if hours < _HOUR_TABLE else f"{hours:02d}:"
    return head + _MIN_SEC[seconds] + _MILLIS_DOT[millis]


def format_ass(ms: int) -> str:
    """
    ``H:MM:SS.cc``: centiseconds rounded half up with carry
    (9:59:59.995 becomes 10:00:00.00); hours widen past 9.
    """
    if ms < 0:
        raise _negative(ms)
    seconds, centis = divmod((ms + 5) // 10, 100)
    hours, seconds = divmod(seconds, 3600)
    head = _HOURS_ASS[hours] if hours < _HOUR_TABLE else f"{hours:d}:"
    return head + _MIN_SEC[seconds] + _CENTIS[centis]


def format_clock(ms: int) -> str:
    """
    ``HH:MM:SS`` (milliseconds truncated), for human-readable time marks.
    """
    if ms < 0:
        raise _negative(ms)
    hours, seconds = divmod(ms // 1000, 3600)
    head = _HOURS[hours] if hours < _HOUR_TABLE else f"{hours:02d}:"
    return head + _MIN_SEC[seconds]
