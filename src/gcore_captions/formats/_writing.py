"""
What every writer checks and repairs before its text leaves the library:
times a caption file can hold, and characters a file cannot carry (NUL and
lone surrogates). Repairs are reported as :class:`WriterWarning`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any

from ..errors import FormatError
from ..model import Cue, Transcript

__all__ = [
    "MAX_TIME_MS",
    "WriterWarning",
    "check_times",
    "finish_output",
    "warn",
]

#: The latest time (in ms) any writer writes: 999,999,999 hours, 59 minutes,
#: 59.999 seconds. Every caption format's hour field holds it, so do FFmpeg
#: (a C ``int`` of hours), our readers (ten hour digits), JavaScript numbers
#: (exact below 2**53) and the JSON writer's seconds as floats.
MAX_TIME_MS = 1_000_000_000 * 3_600_000 - 1

# NUL ends the text for C readers (FFmpeg drops the rest of the file); a lone
# surrogate cannot be written as UTF-8. U+FFFD is what the WebVTT parser and
# UTF-8 decoders put in place of both.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUL = re.compile("\x00")
_START = attrgetter("start_ms")
_END = attrgetter("end_ms")


class WriterWarning(UserWarning):
    """
    A writer changed text its format cannot carry as given (a lone surrogate
    or NUL became U+FFFD, SRT braces became full-width...). The file is still
    valid; the warning says what was changed and in which cues.

    Issued through :mod:`warnings`, once per kind of change and file, so
    ``warnings.catch_warnings(record=True)`` collects them and
    ``warnings.simplefilter("error", WriterWarning)`` turns them into errors.

    Attributes:
        format: the writer's name (``"srt"``).
        code: a short stable name: ``"replaced-surrogate"`` (the code the
            readers use for the same repair), ``"replaced-nul"``,
            ``"full-width-braces"``, ``"dropped-identifier"``.
        cues: the 1-based numbers of the cues concerned (in the transcript's
            order), the first few; empty when only a header field changed.
        reason: what happened and why, for people.
    """

    def __init__(self, format: str, code: str, reason: str, cues: Sequence[int] = ()) -> None:
        self.format = format
        self.code = code
        self.cues = tuple(cues)
        self.reason = reason
        super().__init__(f"{format}: {reason} [{code}]")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickles (across process pools) with its fields, not only the message.
        return (WriterWarning, (self.format, self.code, self.reason, self.cues))


# How many cue numbers a warning names.
_NAMED = 5


def warn(format: str, code: str, what: str, cues: Sequence[int] = ()) -> None:
    """
    Issue one :class:`WriterWarning`: ``what`` happened in ``cues``.
    """
    if cues:
        shown = ", ".join(map(str, cues[:_NAMED]))
        more = f" and {len(cues) - _NAMED:,} more" if len(cues) > _NAMED else ""
        noun = "cue" if len(cues) == 1 else "cues"
        reason = f"{noun} {shown}{more}: {what}"
    else:
        reason = what
    warnings.warn(WriterWarning(format, code, reason, cues[:_NAMED]), stacklevel=4)


def _digits(ms: int) -> str:
    if ms.bit_length() < 64:
        return f"{ms:,} ms"
    return f"about 10^{int(ms.bit_length() * 0.30103)} ms"


def check_times(cues: Sequence[Cue], format: str) -> None:
    """
    Refuse a time no caption file can hold.

    Raises:
        FormatError: a cue starts or ends past :data:`MAX_TIME_MS`; names
            the first such cue (1-based, in the transcript's order).
    """
    if not cues:
        return
    if max(map(_END, cues)) <= MAX_TIME_MS and max(map(_START, cues)) <= MAX_TIME_MS:
        return
    for number, cue in enumerate(cues, 1):
        for which, ms in (("start", cue.start_ms), ("end", cue.end_ms)):
            if ms > MAX_TIME_MS:
                raise FormatError(
                    f"the {which} time, {_digits(ms)}, is past the latest time a caption"
                    f" file holds (999,999,999 hours, {MAX_TIME_MS:,} ms); {format} not written",
                    cue=number,
                )


def _fields(cue: Cue) -> Iterable[str | None]:
    return (cue.text, cue.speaker, cue.identifier, cue.settings)


# Characters per slice when looking for lone surrogates: strict UTF-16
# encoding fails exactly on one, many times faster than a regular expression,
# and slices keep the copy small.
_SLICE = 1 << 20


def _holds(text: str, keeps_nul: bool) -> bool:
    if not keeps_nul and "\x00" in text:
        return True
    if text.isascii():
        return False
    try:
        for start in range(0, len(text), _SLICE):
            text[start : start + _SLICE].encode("utf-16-le")
    except UnicodeEncodeError:
        return True
    return False


def finish_output(
    output: str, transcript: Transcript, format: str, *, keeps_nul: bool = False
) -> str:
    """
    The writer's ``output`` with every NUL and lone surrogate replaced by
    U+FFFD, with a :class:`WriterWarning` naming the cues that held one.

    Replacing in the finished text is the same as replacing in every field
    first: U+FFFD, NUL and surrogates mean nothing to any format's syntax or
    escaping, and each is one code point and one UTF-16 unit, so the aligned
    JSON's spans stay right.

    Args:
        output: the rendered file.
        transcript: what it was rendered from (to name the cues).
        format: the writer's name, for the warning.
        keeps_nul: the format escapes NUL itself (JSON writes ``\\u0000``),
            so only lone surrogates are replaced.
    """
    if not _holds(output, keeps_nul):
        return output
    kinds = [("replaced-surrogate", _SURROGATE, "a lone surrogate", "UTF-8 cannot encode it")]
    if not keeps_nul:
        kinds.append(
            ("replaced-nul", _NUL, "a NUL character", "FFmpeg and libass end the text there")
        )
    for code, pattern, what, why in kinds:
        if pattern.search(output) is None:
            continue
        search = pattern.search
        cues = [
            number
            for number, cue in enumerate(transcript.cues, 1)
            if any(value and search(value) for value in _fields(cue))
        ]
        where = "" if cues else " in a header field"
        warn(format, code, f"{what}{where} written as U+FFFD ({why})", cues)
    return (_SURROGATE if keeps_nul else _UNSAFE).sub("\ufffd", output)
