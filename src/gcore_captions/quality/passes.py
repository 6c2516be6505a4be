"""
Structural passes: drop empty cues, fix end-before-start, sort, merge
duplicates, fix overlaps.

Every pass is a pure function ``Transcript -> Transcript``: it returns a new
transcript (or the same object when there was nothing to do) and appends one
:class:`~gcore_captions.model.Change` per change to ``transcript.changes``,
naming the cue by its 1-based number in the pass's input. Passes that look at
neighbouring cues sort first when they have to (recorded as ``sort``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._plural import plural
from ..model import Change, Cue, Transcript
from ..timecode import format_vtt

__all__ = [
    "drop_empty",
    "fix_end_before_start",
    "fix_overlaps",
    "merge_duplicates",
    "sort_cues",
]

_WORD = re.compile(r"\S+")


def with_times(cue: Cue, start_ms: int, end_ms: int) -> Cue:
    """
    ``cue`` with new times (a fast ``replace``: passes do this a lot).
    """
    return Cue(start_ms, end_ms, cue.text, cue.speaker, cue.identifier, cue.settings, cue.estimated)


def with_text(cue: Cue, text: str) -> Cue:
    """
    ``cue`` with new text (a fast ``replace``, like :func:`with_times`).
    """
    return Cue(
        cue.start_ms, cue.end_ms, text, cue.speaker, cue.identifier, cue.settings, cue.estimated
    )


def finish(transcript: Transcript, cues: Sequence[Cue], changes: list[Change]) -> Transcript:
    """
    The transcript with new cues and the changes appended; the same object
    when nothing changed.
    """
    if not changes:
        return transcript
    return transcript.replace(cues=tuple(cues), changes=transcript.changes + tuple(changes))


def is_sorted(cues: Sequence[Cue]) -> bool:
    """
    Whether cues are in start-time order.
    """
    previous = -1
    for cue in cues:
        if cue.start_ms < previous:
            return False
        previous = cue.start_ms
    return True


def drop_empty(transcript: Transcript) -> Transcript:
    """
    Remove cues with no visible text (only spaces and line breaks).
    """
    kept: list[Cue] = []
    changes: list[Change] = []
    for number, cue in enumerate(transcript.cues, 1):
        if cue.text.strip():
            kept.append(cue)
        else:
            changes.append(
                Change(
                    "drop-empty",
                    number,
                    f"removed {format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}",
                    "the cue has no text",
                )
            )
    return finish(transcript, kept, changes)


def fix_end_before_start(transcript: Transcript) -> Transcript:
    """
    Swap the times of cues that end before they start.
    """
    cues = list(transcript.cues)
    changes: list[Change] = []
    for index, cue in enumerate(cues):
        if cue.end_ms < cue.start_ms:
            cues[index] = with_times(cue, cue.end_ms, cue.start_ms)
            changes.append(
                Change(
                    "end-before-start",
                    index + 1,
                    f"times {format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)} swapped",
                    "the cue ended before it started",
                )
            )
    return finish(transcript, cues, changes)


def sort_cues(transcript: Transcript) -> Transcript:
    """
    Sort cues by start time (then end time; equal cues keep their order)
    and renumber numeric identifiers 1, 2, 3... in the new order.

    Identifiers that are not all numbers (named WebVTT cues) are kept.
    """
    cues = transcript.cues
    changes: list[Change] = []
    if not is_sorted(cues):
        latest = -1
        for number, cue in enumerate(cues, 1):
            if cue.start_ms < latest:
                changes.append(
                    Change(
                        "sort",
                        number,
                        f"moved the cue at {format_vtt(cue.start_ms)} into time order",
                        "it started before the cue above it",
                    )
                )
            latest = max(latest, cue.start_ms)
        cues = tuple(sorted(cues, key=lambda c: (c.start_ms, c.end_ms)))
    ids = [cue.identifier for cue in cues]
    if any(ids) and all(i is None or i.isdigit() for i in ids):
        wanted = [str(n) for n in range(1, len(cues) + 1)]
        if ids != wanted:
            cues = tuple(cue.replace(identifier=w) for cue, w in zip(cues, wanted, strict=True))
            changes.append(
                Change(
                    "sort", None, "renumbered cue identifiers 1..n", "cues are numbered in order"
                )
            )
    return finish(transcript, cues, changes)


def ensure_sorted(transcript: Transcript) -> Transcript:
    """
    The transcript in time order (sorting only when needed).
    """
    return transcript if is_sorted(transcript.cues) else sort_cues(transcript)


def _join(first: Cue, second: Cue, start_ms: int, end_ms: int) -> Cue:
    speaker = first.speaker if first.speaker == second.speaker else None
    return Cue(
        start_ms,
        end_ms,
        f"{first.text}\n{second.text}",
        speaker,
        first.identifier,
        first.settings,
        first.estimated or second.estimated,
    )


def fix_overlaps(transcript: Transcript, *, min_gap_ms: int = 0) -> Transcript:
    """
    Make every cue end at least ``min_gap_ms`` before the next one starts.

    The earlier cue is trimmed to end ``min_gap_ms`` before the next starts.
    Cues with identical times, or where trimming would leave nothing of the
    earlier cue, are merged into one cue showing both texts (the earlier
    one on top).
    """
    transcript = ensure_sorted(transcript)
    out: list[Cue] = []
    changes: list[Change] = []
    why = (
        f"cues must not overlap and need a {min_gap_ms} ms gap"
        if min_gap_ms
        else "cues must not overlap"
    )
    for number, cue in enumerate(transcript.cues, 1):
        if out:
            previous = out[-1]
            if cue.start_ms - previous.end_ms < min_gap_ms and previous.end_ms >= previous.start_ms:
                trimmed_end = cue.start_ms - min_gap_ms
                if trimmed_end > previous.start_ms and not (
                    previous.start_ms == cue.start_ms and previous.end_ms == cue.end_ms
                ):
                    out[-1] = with_times(previous, previous.start_ms, trimmed_end)
                    changes.append(
                        Change(
                            "overlaps",
                            number - 1,
                            f"end {format_vtt(previous.end_ms)} -> {format_vtt(trimmed_end)}",
                            why,
                        )
                    )
                else:
                    end = max(previous.end_ms, cue.end_ms)
                    out[-1] = _join(previous, cue, previous.start_ms, end)
                    changes.append(
                        Change(
                            "overlaps",
                            number,
                            "merged into the cue before it",
                            "the two cues share their time"
                            if previous.start_ms == cue.start_ms
                            else why,
                        )
                    )
                    continue
        out.append(cue)
    return finish(transcript, out, changes)


def _spans(text: str) -> list[re.Match[str]]:
    return list(_WORD.finditer(text))


def merge_duplicates(
    transcript: Transcript, *, window_ms: int = 500, min_words: int = 2
) -> Transcript:
    """
    Merge repeated cues: exact repeats, and roll-up repeats where a cue
    starts with the words the cue before it ended with (YouTube-style
    captions, where each cue repeats the previous line).

    Only cues at most ``window_ms`` apart (end to start; overlapping cues
    always qualify) are compared. A roll-up repeat must be at least
    ``min_words`` words long; it is removed from the later cue, and a later
    cue that is nothing but a repeat is merged into the one before (which
    then lasts until the later one ends).

    What it guarantees: the words kept are the input's words in their
    order, minus runs that repeat, word for word, the words shown just
    before them; nothing is added.
    """
    transcript = ensure_sorted(transcript)
    out: list[Cue] = []
    changes: list[Change] = []
    for number, cue in enumerate(transcript.cues, 1):
        if not out or cue.start_ms - out[-1].end_ms > window_ms:
            out.append(cue)
            continue
        previous = out[-1]
        head = cue.text.split(None, 1)
        # Any repeat starts with a word of the cue before: a substring test
        # at C speed rules most cues out before splitting words.
        if head and head[0] in previous.text:
            words = cue.text.split()
            before = previous.text.split()
            if words == before:
                out[-1] = with_times(previous, previous.start_ms, max(previous.end_ms, cue.end_ms))
                changes.append(
                    Change(
                        "duplicates",
                        number,
                        "merged into the cue before it",
                        "it repeats the cue before it",
                    )
                )
                continue
            text = cue.text
            removed = 0
            while words:
                overlap = tail_overlap(before, words, min_words)
                if not overlap:
                    break
                removed += overlap
                if overlap == len(words):
                    words = []
                    break
                spans = _spans(text)
                text = text[spans[overlap].start() :]
                words = words[overlap:]
            if removed:
                if not words:
                    end = max(previous.end_ms, cue.end_ms)
                    out[-1] = with_times(previous, previous.start_ms, end)
                    changes.append(
                        Change(
                            "duplicates",
                            number,
                            "merged into the cue before it",
                            "its words repeat the end of the cue before it",
                        )
                    )
                    continue
                cue = cue.replace(text=text)
                changes.append(
                    Change(
                        "duplicates",
                        number,
                        f"removed {plural(removed, 'repeated word')}",
                        "they repeat the end of the cue before it (roll-up captions)",
                    )
                )
        out.append(cue)
    return finish(transcript, out, changes)


def tail_overlap(before: list[str], after: list[str], min_words: int) -> int:
    """
    The longest ``k >= min_words`` with ``after[:k] == before[-k:]``, or 0.
    """
    if not after or after[0] not in before:
        return 0  # the usual case, found at C speed
    longest = min(len(before), len(after))
    for k in range(longest, max(min_words, 1) - 1, -1):
        if after[:k] == before[-k:]:
            return k
    return 0
