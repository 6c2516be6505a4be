"""
Cues from a Gcore transcription result: the ``subtitles`` array, the
``vttContent`` document, and the check that the two agree.

This is the hot path of a conversion, so the common case (well-formed
``HH:MM:SS.mmm`` stamps, string texts, a ``vttContent`` that is exactly the
array in Gcore's own layout) runs on whole lists with no per-cue checks in
Python. Anything unusual falls back to a careful walk that either reads the
odd-but-valid input or raises :class:`~gcore_captions.errors.PayloadError`
naming the JSON path of the broken field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from .._plural import plural
from ..errors import FormatError, PayloadError
from ..model import Cue, Transcript, TranscriptWarning, make_cues
from ..reading import without_surrogates
from ..textio import normalize_newlines, replace_surrogates
from ..timecode import format_vtt, parse_timestamp, parse_timestamps

__all__ = [
    "SubtitleCues",
    "check_vtt_content",
    "cues_from_subtitles",
    "diff_cues",
    "parse_vtt_content",
    "subtitles_in_gcore_layout",
]

_PATH = "result.subtitles"
_start_of = itemgetter("start_time")
_end_of = itemgetter("end_time")
_text_of = itemgetter("text")
# Cues per step of the fast paths: small enough to stay in the CPU cache.
_BATCH = 2048


class SubtitleCues(NamedTuple):
    """
    What :func:`cues_from_subtitles` read: the cues (not yet repaired), the
    raw ``start_time``, ``end_time`` and text strings (which
    :func:`check_vtt_content` reuses to rebuild Gcore's ``vttContent``
    without formatting a single time stamp), and the warnings for text it
    had to clean (lone surrogates).
    """

    cues: list[Cue]
    starts: list[str]
    ends: list[str]
    texts: list[str]
    warnings: list[TranscriptWarning]


def cues_from_subtitles(items: Sequence[Any], *, clear: bool = False) -> SubtitleCues:
    """
    Build one cue per item of ``result.subtitles``, in array order.

    ``clear``: empty each item once read, so a large payload's dicts are
    freed while the cues are built. Only for items nobody else sees (a
    payload decoded here); the careful walk gets them back as they were read.

    Returns:
        The cues and raw strings, as :class:`SubtitleCues`.

    Raises:
        PayloadError: an item or field is broken; ``path`` names it, e.g.
            ``result.subtitles[17].end_time``.
    """
    starts: list[str] = []
    ends: list[str] = []
    texts: list[str] = []
    start_ms: list[int] = []
    end_ms: list[int] = []
    try:
        # A batch of items at a time: each step then works on data still in
        # the CPU cache, so a million cues cost no more each than a thousand.
        for first in range(0, len(items), _BATCH):
            batch = items[first : first + _BATCH]
            batch_texts = list(map(_text_of, batch))
            # One join checks every text is a string; a CR or a lone
            # surrogate anywhere sends the rare payload to the careful walk,
            # which normalises or replaces it.
            joined = "".join(batch_texts)
            if "\r" in joined or replace_surrogates(joined)[1]:
                raise ValueError("carriage return or surrogate in text")
            batch_starts = list(map(_start_of, batch))
            batch_ends = list(map(_end_of, batch))
            start_ms += parse_timestamps(batch_starts)
            end_ms += parse_timestamps(batch_ends)
            starts += batch_starts
            ends += batch_ends
            texts += batch_texts
            if clear:
                for item in batch:
                    item.clear()
        cues = make_cues(start_ms, end_ms, texts)
    except (LookupError, TypeError, ValueError, AttributeError):
        if clear:  # the items read so far, back as the careful walk needs them
            for item, start, end, text in zip(items, starts, ends, texts, strict=False):
                item.update(start_time=start, end_time=end, text=text)
        return _careful(items)
    return SubtitleCues(cues, starts, ends, texts, [])


def _careful(items: Sequence[Any]) -> SubtitleCues:
    # Slow on purpose: names the first broken field, and reads items that
    # are odd but usable (objects with attributes, null or missing text,
    # CRLF inside text, lone surrogates, stamps with a comma or without hours).
    cues: list[Cue] = []
    starts: list[str] = []
    ends: list[str] = []
    texts: list[str] = []
    warnings: list[TranscriptWarning] = []
    for index, item in enumerate(items):
        where = f"{_PATH}[{index}]"
        if isinstance(item, Mapping):
            start, end, text = item.get("start_time"), item.get("end_time"), item.get("text")
        elif item is not None and not isinstance(item, (str, bytes, int, float, list, tuple)):
            start = getattr(item, "start_time", None)
            end = getattr(item, "end_time", None)
            text = getattr(item, "text", None)
        else:
            raise PayloadError(
                f"expected an object with start_time, end_time and text, got {_kind(item)}",
                path=where,
            )
        start_ms, start = _stamp(start, f"{where}.start_time")
        end_ms, end = _stamp(end, f"{where}.end_time")
        if text is None:
            text = ""  # an empty cue; the repair pass drops it with a warning
        elif not isinstance(text, str):
            raise PayloadError(f"expected a string, got {_kind(text)}", path=f"{where}.text")
        text = without_surrogates(normalize_newlines(text), warnings, cue=index + 1)
        cues.append(Cue(start_ms, end_ms, text))
        starts.append(start)
        ends.append(end)
        texts.append(text)
    return SubtitleCues(cues, starts, ends, texts, warnings)


def _stamp(value: Any, path: str) -> tuple[int, str]:
    if value is None:
        raise PayloadError("missing: every cue needs a start_time and an end_time", path=path)
    if not isinstance(value, str):
        raise PayloadError(f"expected a time stamp string, got {_kind(value)}", path=path)
    try:
        return parse_timestamp(value), value
    except ValueError:
        raise PayloadError(
            f"not a time stamp {_shown(value)} (expected HH:MM:SS.mmm)", path=path
        ) from None


def _shown(value: str) -> str:
    # A value quoted in a message, cut short: a hostile payload's megabyte
    # "time stamp" must not become a megabyte exception.
    return repr(value) if len(value) <= 40 else f"{value[:32]!r}... ({len(value)} characters)"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def parse_vtt_content(vtt: str) -> Transcript:
    """
    Read ``result.vttContent`` with the library's WebVTT reader.

    Lone surrogates are replaced by U+FFFD first, with a
    ``replaced-surrogate`` warning naming the line.

    Raises:
        PayloadError: the document is not valid WebVTT (path
            ``result.vttContent``, with the reader's line number).
    """
    # Imported here: the format registry imports every writer, and most
    # payloads never need the WebVTT reader.
    from ..formats import vtt as vtt_format

    cleaned: list[TranscriptWarning] = []
    vtt = without_surrogates(vtt, cleaned, what="vttContent", line=1)
    try:
        parsed = _signed(vtt_format.parse(vtt))
    except FormatError as error:
        raise PayloadError(str(error), path="result.vttContent") from None
    return parsed.replace(warnings=(*cleaned, *parsed.warnings)) if cleaned else parsed


def _signed(transcript: Transcript) -> Transcript:
    # The reader is lenient (Gcore's own documents read the same either way)
    # and reads a document without the WEBVTT signature, with a warning; Gcore
    # always writes it, so here that is not its vttContent: a PayloadError.
    for warning in transcript.warnings:
        if warning.code in ("missing-signature", "odd-signature"):
            raise PayloadError(
                f"not a WebVTT document: line {warning.line} is not the 'WEBVTT' signature",
                path="result.vttContent",
            )
    return transcript


_VTT_HEADER = "WEBVTT\n\n"


def _gcore_cues(
    starts: Sequence[str],
    ends: Sequence[str],
    texts: Sequence[str],
    first: int,
    last: int,
    offset: int = 0,
) -> str:
    # Cues first..last-1 exactly as Gcore puts them in vttContent: per cue
    # its number (counted from offset + 1), timing line and text, each
    # followed by a blank line.
    return "".join(
        [
            f"{number}\n{start} --> {end}\n{text}\n\n"
            for number, start, end, text in zip(
                range(offset + first + 1, offset + last + 1),
                starts[first:last],
                ends[first:last],
                texts[first:last],
                strict=True,
            )
        ]
    )


def _gcore_layout(starts: Sequence[str], ends: Sequence[str], texts: Sequence[str]) -> str:
    # Exactly what Gcore puts in vttContent: the header, then every cue.
    return _VTT_HEADER + _gcore_cues(starts, ends, texts, 0, len(texts))


def _is_gcore_layout(
    vtt: str, starts: Sequence[str], ends: Sequence[str], texts: Sequence[str]
) -> bool:
    # vtt == _gcore_layout(...), compared a batch of cues at a time: no copy
    # of the whole document is built, and each piece is compared while it is
    # still in the CPU cache.
    if len(starts) != len(texts) or len(ends) != len(texts):
        raise ValueError("starts, ends and texts do not pair up")
    if not vtt.startswith(_VTT_HEADER):
        return False
    position = len(_VTT_HEADER)
    for first in range(0, len(texts), _BATCH):
        piece = _gcore_cues(starts, ends, texts, first, min(first + _BATCH, len(texts)))
        if not vtt.startswith(piece, position):
            return False
        position += len(piece)
    return position == len(vtt)


def subtitles_in_gcore_layout(vtt: str, items: Sequence[Any]) -> bool:
    """
    Whether ``vtt`` is exactly what Gcore writes for ``items`` (the
    ``subtitles`` array): ``True`` only when every item is a mapping with
    string times and a string text without a carriage return, and then
    :func:`check_vtt_content` on what :func:`cues_from_subtitles` reads
    from them finds no disagreement. ``False`` means "check properly".

    Compared in small batches straight from the items, so a payload's
    ``vttContent`` can be dropped before any cue is built.
    """
    if not vtt.startswith(_VTT_HEADER):
        return False
    position = len(_VTT_HEADER)
    step = 256
    try:
        for first in range(0, len(items), step):
            batch = items[first : first + step]
            texts = list(map(_text_of, batch))
            starts = list(map(_start_of, batch))
            ends = list(map(_end_of, batch))
            if not all(type(value) is str for value in (*texts, *starts, *ends)):
                return False
            if "\r" in "".join(texts):
                return False
            piece = _gcore_cues(starts, ends, texts, 0, len(texts), first)
            if not vtt.startswith(piece, position):
                return False
            position += len(piece)
    except (LookupError, TypeError, AttributeError):
        return False
    return position == len(vtt)


def check_vtt_content(
    vtt: str,
    cues: Sequence[Cue],
    starts: Sequence[str],
    ends: Sequence[str],
    texts: Sequence[str],
) -> list[TranscriptWarning]:
    """
    Warnings for every way ``vttContent`` disagrees with the cues read from
    ``subtitles`` (cue count, times, text); empty when they agree.

    Most payloads agree byte for byte, so the array is first rendered in
    Gcore's own layout and compared as one string; only when that differs is
    ``vttContent`` parsed and compared cue by cue. Whitespace that changes
    nothing (line ends, trailing blanks, spacing inside the text) is not a
    disagreement.

    Raises:
        PayloadError: the two differ and ``vttContent`` is not valid WebVTT.
    """
    if _is_gcore_layout(vtt, starts, ends, texts):
        return []
    expected = _gcore_layout(starts, ends, texts)
    if _significant_lines(vtt) == _significant_lines(expected):
        return []
    return diff_cues(cues, parse_vtt_content(vtt).cues)


def _significant_lines(text: str) -> list[str]:
    # The document without what never changes a cue: BOM, line-end style,
    # blank lines, and spaces at either end of a line.
    text = normalize_newlines(text.removeprefix("\ufeff"))
    return [line for line in map(str.strip, text.split("\n")) if line]


def _key(cue: Cue) -> tuple[int, int, str]:
    return cue.start_ms, cue.end_ms, " ".join(cue.text.split())


def _span(cue: Cue) -> str:
    return f"{format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}"


def _pair_warnings(number: int, mine: Cue, theirs: Cue) -> list[TranscriptWarning]:
    found = []
    if (mine.start_ms, mine.end_ms) != (theirs.start_ms, theirs.end_ms):
        found.append(
            TranscriptWarning(
                "source-mismatch",
                f"times differ: subtitles {_span(mine)}, vttContent {_span(theirs)};"
                " kept the subtitles times",
                cue=number,
            )
        )
    if _key(mine)[2] != _key(theirs)[2]:
        found.append(
            TranscriptWarning(
                "source-mismatch",
                f"text differs: subtitles {mine.text!r}, vttContent {theirs.text!r};"
                " kept the subtitles text",
                cue=number,
            )
        )
    return found


_Key = tuple[int, int, str]


def _differences(
    mine: Sequence[_Key], theirs: Sequence[_Key]
) -> Iterator[tuple[int, int, int, int]]:
    # The blocks where two cue lists differ, as (i1, i2, j1, j2): mine[i1:i2]
    # stands where theirs[j1:j2] does. Linear in the two lengths, whatever
    # they hold (difflib's matcher was quadratic on repeated cues): the
    # common head and tail are skipped, then the rest is merged by time,
    # both lists being in time order. Equal cues anchor the alignment;
    # unmatched cues between two anchors form one block, paired in order
    # (so a track whose times all moved pairs cue for cue), and two cues
    # with the same times but other text are a block of their own.
    count, other = len(mine), len(theirs)
    head = 0
    while head < count and head < other and mine[head] == theirs[head]:
        head += 1
    tail = 0
    while (
        tail < count - head
        and tail < other - head
        and mine[count - 1 - tail] == theirs[other - 1 - tail]
    ):
        tail += 1
    i = i1 = j = j1 = head
    i_end, j_end = count - tail, other - tail
    while i < i_end and j < j_end:
        a, b = mine[i], theirs[j]
        if a[:2] == b[:2]:
            if i1 < i or j1 < j:
                yield i1, i, j1, j
            if a != b:
                yield i, i + 1, j, j + 1
            i, j = i + 1, j + 1
            i1, j1 = i, j
        elif a[:2] < b[:2]:
            i += 1
        else:
            j += 1
    if i1 < i_end or j1 < j_end:
        yield i1, i_end, j1, j_end


def diff_cues(mine: Sequence[Cue], theirs: Sequence[Cue]) -> list[TranscriptWarning]:
    """
    Compare the ``subtitles`` cues with the ``vttContent`` cues.

    Same count: compared position by position. Different counts: one warning
    for the counts, then the two lists are aligned in linear time (so one
    missing cue is one warning, not a cascade) and every cue missing, extra
    or different is reported. Cue numbers are 1-based positions in
    ``subtitles``.
    """
    warnings: list[TranscriptWarning] = []
    if len(mine) == len(theirs):
        for number, (a, b) in enumerate(zip(mine, theirs, strict=True), 1):
            if _key(a) != _key(b):
                warnings.extend(_pair_warnings(number, a, b))
        return warnings

    warnings.append(
        TranscriptWarning(
            "source-mismatch",
            f"subtitles has {plural(len(mine), 'cue')} but vttContent has {len(theirs)};"
            " kept the subtitles cues",
        )
    )
    for i1, i2, j1, j2 in _differences([_key(c) for c in mine], [_key(c) for c in theirs]):
        paired = min(i2 - i1, j2 - j1)
        for offset in range(paired):
            warnings.extend(_pair_warnings(i1 + offset + 1, mine[i1 + offset], theirs[j1 + offset]))
        for index in range(i1 + paired, i2):
            warnings.append(
                TranscriptWarning(
                    "source-mismatch",
                    f"{_span(mine[index])} {mine[index].text!r} is not in vttContent",
                    cue=index + 1,
                )
            )
        for index in range(j1 + paired, j2):
            after = f"after cue {i1 + paired}" if i1 + paired else "before cue 1"
            warnings.append(
                TranscriptWarning(
                    "source-mismatch",
                    f"vttContent cue {index + 1} ({_span(theirs[index])} {theirs[index].text!r})"
                    f" is not in subtitles; it would sit {after}",
                )
            )
    return warnings
