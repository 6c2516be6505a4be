"""
Timing passes: minimum duration (extended into free time only) and gaps
(chaining short gaps, keeping a frame-aware minimum gap).

Both only ever move a cue's *end*; a start time is where the speech starts
and stays put.
"""

from __future__ import annotations

import math

from ..model import Change, Transcript
from ..timecode import format_vtt
from .measure import char_count, word_count
from .passes import ensure_sorted, finish, with_times

__all__ = ["close_gaps", "enforce_min_duration", "needed_ms"]


def needed_ms(
    text: str,
    *,
    min_duration_ms: int | None = None,
    max_cps: float | None = None,
    max_wpm: float | None = None,
    max_duration_ms: int | None = None,
) -> int:
    """
    How long a cue with this text should stay on screen: the minimum
    duration, or longer when the reading speed asks for it, never more than
    the maximum duration.
    """
    need = min_duration_ms or 0
    if max_cps:
        need = max(need, math.ceil(char_count(text) * 1000 / max_cps))
    if max_wpm:
        need = max(need, math.ceil(word_count(text) * 60000 / max_wpm))
    if max_duration_ms is not None:
        need = min(need, max_duration_ms)
    return need


def enforce_min_duration(
    transcript: Transcript,
    *,
    min_duration_ms: int | None = 834,
    max_cps: float | None = None,
    max_wpm: float | None = None,
    max_duration_ms: int | None = None,
    min_gap_ms: int = 0,
) -> Transcript:
    """
    Extend cues that are too short into the free time after them.

    A cue should last at least ``min_duration_ms``, and long enough to be
    read at ``max_cps`` / ``max_wpm``; never longer than ``max_duration_ms``
    (see :func:`needed_ms`). Its
    end moves later, but never closer than ``min_gap_ms`` to the next cue's
    start: no overlap is created and no minimum gap is eaten. A cue with no
    free time after it stays as it is (and :func:`check` reports it).
    """
    if not (min_duration_ms or max_cps or max_wpm):
        return transcript
    transcript = ensure_sorted(transcript)
    cues = list(transcript.cues)
    changes: list[Change] = []
    count = len(cues)
    cap = max_duration_ms
    for index, cue in enumerate(cues):
        duration = cue.end_ms - cue.start_ms
        if duration < 0 or (cap is not None and duration >= cap):
            continue
        need = needed_ms(
            cue.text,
            min_duration_ms=min_duration_ms,
            max_cps=max_cps,
            max_wpm=max_wpm,
            max_duration_ms=cap,
        )
        if duration >= need:
            continue
        end = cue.start_ms + need
        if index + 1 < count:
            end = min(end, cues[index + 1].start_ms - min_gap_ms)
        if end > cue.end_ms:
            cues[index] = with_times(cue, cue.start_ms, end)
            changes.append(
                Change(
                    "min-duration",
                    index + 1,
                    f"end +{end - cue.end_ms} ms, to {format_vtt(end)}",
                    f"a cue with this text needs {need} ms on screen",
                )
            )
    return finish(transcript, cues, changes)


def close_gaps(
    transcript: Transcript,
    *,
    close_under_ms: int | None = 500,
    min_gap_ms: int = 0,
    max_duration_ms: int | None = None,
) -> Transcript:
    """
    Chain cues separated by short gaps, and keep the minimum gap.

    When the gap between a cue and the next is shorter than
    ``close_under_ms``, the cue's end moves to ``min_gap_ms`` before the next
    start (a small gap between subtitles looks like flicker). Gaps between 0
    and ``min_gap_ms`` are widened to ``min_gap_ms`` the same way. A cue is
    not extended past ``max_duration_ms``; overlapping cues are left to
    :func:`~gcore_captions.quality.passes.fix_overlaps`.
    """
    transcript = ensure_sorted(transcript)
    cues = list(transcript.cues)
    changes: list[Change] = []
    threshold = max(close_under_ms or 0, min_gap_ms)
    chained = f"gaps under {close_under_ms} ms are closed"
    too_close = f"cues need a {min_gap_ms} ms gap"
    cap = max_duration_ms
    starts = [cue.start_ms for cue in cues]
    for index in range(len(cues) - 1):
        cue = cues[index]
        start, old_end, next_start = cue.start_ms, cue.end_ms, starts[index + 1]
        gap = next_start - old_end
        if gap < 0 or gap >= threshold or gap == min_gap_ms or old_end < start:
            continue
        end = next_start - min_gap_ms
        if end <= start or (end > old_end and cap is not None and end - start > cap):
            continue
        cues[index] = with_times(cue, start, end)
        changes.append(
            Change(
                "gaps",
                index + 1,
                f"end {end - old_end:+d} ms, to {format_vtt(end)}",
                chained if gap > min_gap_ms else too_close,
            )
        )
    return finish(transcript, cues, changes)
