"""
All passes, in the order that makes them work together, driven by a preset.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from .._gc import cyclic_gc_paused
from ..model import Transcript
from .passes import drop_empty, fix_end_before_start, fix_overlaps, merge_duplicates, sort_cues
from .presets import Preset, resolve_preset
from .reflow import reflow
from .split import split_long
from .timing import close_gaps, enforce_min_duration

__all__ = ["PASS_NAMES", "apply_preset", "cyclic_gc_paused"]


def _duplicates(t: Transcript, p: Preset) -> Transcript:
    if not p.merge_duplicates:
        return t
    return merge_duplicates(t, window_ms=p.duplicate_window_ms)


def _overlaps(t: Transcript, p: Preset) -> Transcript:
    return t if p.allow_overlaps else fix_overlaps(t, min_gap_ms=p.min_gap_ms)


def _split(t: Transcript, p: Preset, *, relayout: bool = False) -> Transcript:
    return split_long(
        t,
        max_duration_ms=p.max_duration_ms,
        max_chars=p.max_chars,
        max_lines=p.max_lines,
        full_width_chars=p.full_width_chars,
        min_gap_ms=p.min_gap_ms,
        language=p.language,
        relayout=relayout,
    )


def _min_duration(t: Transcript, p: Preset) -> Transcript:
    return enforce_min_duration(
        t,
        min_duration_ms=p.min_duration_ms,
        max_cps=p.max_cps,
        max_wpm=p.max_wpm,
        max_duration_ms=p.max_duration_ms,
        min_gap_ms=p.min_gap_ms,
    )


def _gaps(t: Transcript, p: Preset) -> Transcript:
    if p.close_gaps_under_ms is None and not p.min_gap_ms:
        return t
    return close_gaps(
        t,
        close_under_ms=p.close_gaps_under_ms,
        min_gap_ms=p.min_gap_ms,
        max_duration_ms=p.max_duration_ms,
    )


def _reflow(t: Transcript, p: Preset) -> Transcript:
    if p.max_chars is None:
        return t
    return reflow(
        t, max_chars=p.max_chars, full_width_chars=p.full_width_chars, language=p.language
    )


# Order matters: clean the structure first; merge overlapping cues before
# splitting what became too long; lay out lines once the text is final;
# extend short cues after splitting (the parts may be short) and with the
# final text (reading speed); chain gaps after durations settle.
_PASSES: dict[str, Callable[[Transcript, Preset], Transcript]] = {
    "drop-empty": lambda t, p: drop_empty(t),
    "end-before-start": lambda t, p: fix_end_before_start(t),
    "sort": lambda t, p: sort_cues(t),
    "duplicates": _duplicates,
    "overlaps": _overlaps,
    "split": _split,
    "reflow": _reflow,
    "min-duration": _min_duration,
    "gaps": _gaps,
}
PASS_NAMES: tuple[str, ...] = tuple(_PASSES)


def apply_preset(
    transcript: Transcript,
    preset: Preset | str = "netflix",
    only: Collection[str] | None = None,
    *,
    skip: Collection[str] = (),
) -> Transcript:
    """
    Run the normalization and reflow passes a preset asks for.

    Args:
        transcript: the transcript to fix.
        preset: a :class:`Preset` or a preset name; a preset without a
            language follows the transcript's language.
        only: run just these passes (still in the pipeline's order), e.g.
            ``{"overlaps", "min-duration"}``; names are in
            :data:`PASS_NAMES`.
        skip: passes to leave out.

    Returns:
        The fixed transcript; ``changes`` lists every change (pass, cue,
        what, why).

    Raises:
        ValueError: an unknown pass or preset name.
    """
    chosen = set(PASS_NAMES if only is None else only) - set(skip)
    unknown = (set(only or ()) | set(skip)) - set(PASS_NAMES)
    if unknown:
        raise ValueError(
            f"unknown pass {', '.join(sorted(unknown))}; passes: {', '.join(PASS_NAMES)}"
        )
    resolved = resolve_preset(preset, transcript)
    fuse = {"split", "reflow"} <= chosen and resolved.max_chars is not None
    with cyclic_gc_paused():
        for name, run in _PASSES.items():
            if name not in chosen or (fuse and name == "reflow"):
                continue
            if fuse and name == "split":
                # One loop for both: the same result, each layout computed once.
                transcript = _split(transcript, resolved, relayout=True)
            else:
                transcript = run(transcript, resolved)
    return transcript
