"""
The figures the page shows per cue: reading speed against the preset, and
the quality check's violations.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Cue
from ..quality import QualityReport, Violation, reading_cps, reading_wpm
from ..quality.check import number_text
from ..quality.presets import Preset

__all__ = ["NEAR_RATIO", "SpeedScale", "cue_figures", "short_issue", "speed_scale"]

#: A cue whose reading speed is above this share of the preset's limit (and
#: not over it) is shown as "near" the limit.
NEAR_RATIO = 0.9


@dataclass(frozen=True, slots=True)
class SpeedScale:
    """
    What reading speed is measured in and its limit, from a preset.

    Args:
        unit: ``"cps"`` (characters per second) or ``"wpm"`` (words per
            minute); ``None`` when the preset limits neither.
        limit: the preset's limit in that unit.
    """

    unit: str | None
    limit: float | None

    def measure(self, cue: Cue) -> float | None:
        """
        The cue's reading speed in this scale's unit (``inf`` for text
        shown for no time), or ``None`` without a unit.
        """
        if self.unit == "cps":
            return reading_cps(cue.text, cue.duration_ms)
        if self.unit == "wpm":
            return reading_wpm(cue.text, cue.duration_ms)
        return None

    def classify(self, speed: float | None) -> str | None:
        """
        ``"ok"``, ``"near"`` (above :data:`NEAR_RATIO` of the limit) or
        ``"over"`` (above the limit, exactly where ``check`` reports it);
        ``None`` when there is no limit.
        """
        if speed is None or self.limit is None:
            return None
        if speed > self.limit:
            return "over"
        if speed > self.limit * NEAR_RATIO:
            return "near"
        return "ok"

    def label(self, speed: float | None) -> str | None:
        """
        ``"14.2 cps"`` / ``"163 wpm"``; ``"no time to read"`` for ``inf``.
        """
        if speed is None or self.unit is None:
            return None
        if math.isinf(speed):
            return "no time to read"
        digits = 1 if self.unit == "cps" else 0
        return f"{speed:.{digits}f} {self.unit}"

    def to_dict(self, preset: Preset) -> dict[str, Any]:
        """
        The scale and preset name as JSON-ready data for the page.
        """
        return {"name": preset.name, "unit": self.unit, "limit": self.limit}


def speed_scale(preset: Preset) -> SpeedScale:
    """
    Characters per second when the preset limits them (Netflix), else
    words per minute (BBC), else no reading-speed scale (DCMP).
    """
    if preset.max_cps is not None:
        return SpeedScale("cps", float(preset.max_cps))
    if preset.max_wpm is not None:
        return SpeedScale("wpm", float(preset.max_wpm))
    return SpeedScale(None, None)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def short_issue(violation: Violation) -> str:
    """
    A few words for a transcript line (the full sentence is
    ``violation.message``): ``"line 1: 58 chars, max 42"``.
    """
    v = violation
    measured, limit = number_text(v.measured), number_text(v.limit)
    if v.rule == "max-chars":
        return f"line {v.line}: {measured} chars, max {limit}"
    if v.rule in ("max-cps", "max-wpm", "max-lines"):
        return f"{measured} {v.unit}, max {limit}"
    if v.rule == "min-duration":
        return f"on screen {measured} ms, min {limit}"
    if v.rule == "max-duration":
        return f"on screen {v.measured / 1000:.1f} s, max {v.limit / 1000:g}"
    if v.rule == "min-gap":
        return f"gap {measured} ms, min {limit}"
    if v.rule == "short-gap":
        return f"gap {measured} ms: close it"
    if v.rule == "overlap":
        return f"overlaps the next cue by {measured} ms"
    return v.message


def cue_figures(
    cues: Sequence[Cue], report: QualityReport, scale: SpeedScale
) -> list[dict[str, Any]]:
    """
    One record per cue, in order, for the page's script.

    Each record has ``speed`` (``"ok"``, ``"near"``, ``"over"`` or ``None``),
    ``reading`` (a label such as ``"14.2 cps"`` or ``None``), ``issues``
    (the check's messages for that cue), ``short`` (the same in a few words)
    and ``rules`` (their rule names).

    Args:
        cues: the cues exactly as they were checked.
        report: :func:`gcore_captions.quality.check` of those cues.
        scale: from :func:`speed_scale` of the report's preset.
    """
    by_cue: dict[int, list[Violation]] = defaultdict(list)
    for violation in report.violations:
        by_cue[violation.cue].append(violation)
    records = []
    for number, cue in enumerate(cues, 1):
        speed = scale.measure(cue)
        found = by_cue.get(number, [])
        records.append(
            {
                "speed": scale.classify(speed),
                "reading": scale.label(speed),
                "issues": [_capitalised(v.message) for v in found],
                "short": [short_issue(v) for v in found],
                "rules": [v.rule for v in found],
            }
        )
    return records
