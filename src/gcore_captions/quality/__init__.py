"""
Caption quality: normalization passes, guideline reflow with presets, and
``check`` that reports guideline violations.

>>> from gcore_captions.quality import apply_preset, check
>>> fixed = apply_preset(transcript, "netflix")     # doctest: +SKIP
>>> report = check(fixed, "netflix")                # doctest: +SKIP
>>> report.pass_rate                                # doctest: +SKIP
0.97

Each pass is also usable alone: :func:`drop_empty`, :func:`fix_end_before_start`,
:func:`sort_cues`, :func:`merge_duplicates`, :func:`fix_overlaps`,
:func:`split_long`, :func:`enforce_min_duration`, :func:`close_gaps`,
:func:`reflow`.
"""

from __future__ import annotations

from .check import RULES, QualityReport, Violation, check
from .measure import char_count, display_width, graphemes, reading_cps, reading_wpm
from .passes import drop_empty, fix_end_before_start, fix_overlaps, merge_duplicates, sort_cues
from .pipeline import PASS_NAMES, apply_preset
from .presets import PRESET_NAMES, Preset, get_preset, resolve_preset
from .reflow import reflow
from .split import split_long
from .timing import close_gaps, enforce_min_duration

__all__ = [
    "PASS_NAMES",
    "PRESET_NAMES",
    "RULES",
    "Preset",
    "QualityReport",
    "Violation",
    "apply_preset",
    "char_count",
    "check",
    "close_gaps",
    "display_width",
    "drop_empty",
    "enforce_min_duration",
    "fix_end_before_start",
    "fix_overlaps",
    "get_preset",
    "graphemes",
    "merge_duplicates",
    "reading_cps",
    "reading_wpm",
    "reflow",
    "resolve_preset",
    "sort_cues",
    "split_long",
]
