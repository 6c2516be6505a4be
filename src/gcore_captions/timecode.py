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
]

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
    millisecond.

    Raises:
        ValueError: the text is not a time stamp, or minutes/seconds are 60
            or more.
    """
    # Fast path for the shape Gcore sends, "HH:MM:SS.mmm" with any number of
    # hour digits: glue the digits into one integer HHMMSSmmm and split it
    # arithmetically (one int() instead of four).
    if text[-10:-3:3] == "::." and len(text) >= 11:
        digits = text[:-10] + text[-9:-7] + text[-6:-4] + text[-3:]
        if digits.isascii() and digits.isdigit():
            hours, rest = divmod(int(digits), 10_000_000)
            minutes, millis = divmod(rest, 100_000)  # millis: SSmmm == ms in the minute
            if minutes < 60 and millis < 60_000:
                return (hours * 60 + minutes) * 60_000 + millis
    match = _TIMESTAMP.match(text)
    if match is None:
        raise ValueError(f"not a time stamp: {text!r} (expected HH:MM:SS.mmm)")
    hours = int(match["h"] or 0)
    minutes = int(match["m"])
    seconds = int(match["s"])
    if minutes >= 60 or seconds >= 60:
        raise ValueError(f"minutes and seconds must be below 60 in {text!r}")
    fraction = match["f"] or "0"
    if len(fraction) <= 3:
        millis = int(fraction.ljust(3, "0"))
    else:
        # Round half up at the millisecond, carrying into the seconds.
        scale = 10 ** (len(fraction) - 3)
        millis = (int(fraction) + scale // 2) // scale
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


# Many Gcore stamps at once, joined by "\n": all canonical or no match.
_GCORE_STAMPS = re.compile(
    r"(?:\d+:[0-5]\d:[0-5]\d\.\d\d\d\n)*\d+:[0-5]\d:[0-5]\d\.\d\d\d",
    re.ASCII,
)


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
    if not texts:
        return []
    joined = "\n".join(texts)
    if _GCORE_STAMPS.fullmatch(joined):
        # Dropping the separators leaves HHMMSSmmm per stamp; SSmmm is
        # already the milliseconds within the minute.
        glued = joined.replace(":", "").replace(".", "").split("\n")
        if len(glued) == len(texts):
            return [
                n // 10_000_000 * 3_600_000 + n // 100_000 % 100 * 60_000 + n % 100_000
                for n in map(int, glued)
            ]
    return [parse_timestamp(text) for text in texts]


def _split(ms: int) -> tuple[int, int, int, int]:
    if ms < 0:
        raise ValueError(f"time cannot be negative: {ms} ms")
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return hours, minutes, seconds, millis


def format_srt(ms: int) -> str:
    """
    ``HH:MM:SS,mmm``; hours widen past 99 (``100:00:00,000``).
    """
    hours, minutes, seconds, millis = _split(ms)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def format_vtt(ms: int) -> str:
    """
    ``HH:MM:SS.mmm`` (always with hours); hours widen past 99.
    """
    hours, minutes, seconds, millis = _split(ms)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def format_ass(ms: int) -> str:
    """
    ``H:MM:SS.cc``: centiseconds rounded half up with carry
    (9:59:59.995 becomes 10:00:00.00); hours widen past 9.
    """
    if ms < 0:
        raise ValueError(f"time cannot be negative: {ms} ms")
    centis = (ms + 5) // 10
    seconds, centis = divmod(centis, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{seconds:02d}.{centis:02d}"


def format_clock(ms: int) -> str:
    """
    ``HH:MM:SS`` (milliseconds truncated), for human-readable time marks.
    """
    hours, minutes, seconds, _ = _split(ms)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"
