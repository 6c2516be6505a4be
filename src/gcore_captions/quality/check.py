"""
``check``: every guideline violation in a transcript, as a report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .._plural import plural
from ..model import Transcript
from .measure import char_count, display_width, word_count
from .passes import tail_overlap
from .pipeline import cyclic_gc_paused
from .presets import Preset, resolve_preset

__all__ = ["RULES", "QualityReport", "Violation", "check"]

# rule -> (unit, what the limit means), in report order.
RULES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "empty": ("chars", "a cue has no text"),
        "end-before-start": ("ms", "a cue ends before it starts"),
        "out-of-order": ("ms", "a cue starts before the cue above it"),
        "overlap": ("ms", "cues overlap"),
        "duplicate": ("words", "a cue repeats the one before it"),
        "min-gap": ("ms", "the gap to the next cue is too small"),
        "short-gap": ("ms", "a short gap should be closed (chaining)"),
        "min-duration": ("ms", "a cue is too short"),
        "max-duration": ("ms", "a cue is too long"),
        "max-lines": ("lines", "too many lines"),
        "max-chars": ("chars", "a line is too long"),
        "max-cps": ("cps", "reading speed, characters per second"),
        "max-wpm": ("wpm", "reading speed, words per minute"),
    }
)


@dataclass(frozen=True, slots=True)
class Violation:
    """
    One broken rule in one cue.

    Args:
        cue: the 1-based cue number.
        start_ms: when the cue starts (to find it in a player).
        rule: the rule's name (a key of :data:`RULES`).
        measured: the value found (characters, ms, cps...).
        limit: the preset's limit it breaks.
        line: the 1-based line, for ``max-chars``.
    """

    cue: int
    start_ms: int
    rule: str
    measured: float
    limit: float
    line: int | None = None

    @property
    def unit(self) -> str:
        """
        The unit of ``measured`` and ``limit``.
        """
        return RULES[self.rule][0]

    @property
    def message(self) -> str:
        """
        A readable sentence: what, how much, which limit.
        """
        where = f"line {self.line}: " if self.line is not None else ""
        comparison = "below" if self.rule in ("min-duration", "min-gap") else "over"
        if self.rule in ("empty", "end-before-start", "out-of-order", "overlap"):
            return f"{where}{RULES[self.rule][1]} ({number_text(self.measured)} {self.unit})"
        if self.rule == "short-gap":
            return (
                f"gap of {number_text(self.measured)} ms: close it (gaps under"
                f" {number_text(self.limit)} ms are closed)"
            )
        if self.rule == "duplicate":
            return f"repeats {plural(int(self.measured), 'word')} of the cue before it"
        return (
            f"{where}{RULES[self.rule][1]}: {number_text(self.measured)} {self.unit}"
            f" ({comparison} the limit of {number_text(self.limit)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """
        The violation as JSON-ready data.
        """
        data: dict[str, Any] = {
            "cue": self.cue,
            "start_ms": self.start_ms,
            "rule": self.rule,
            "measured": self.measured,
            "limit": self.limit,
            "unit": self.unit,
            "message": self.message,
        }
        if self.line is not None:
            data["line"] = self.line
        return data


def number_text(value: float) -> str:
    """
    A measured value or limit as shown in messages: whole numbers with all
    their digits (``1234567``), others with one decimal (``24.6``).
    """
    if value == int(value):
        return str(int(value))
    return f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class QualityReport:
    """
    What :func:`check` found.

    Args:
        preset: the preset checked against (with its language variant).
        cues: how many cues were checked.
        violations: every violation, by cue then rule.
        counts: violations per rule.
        passed: how many cues break no rule.
    """

    preset: Preset
    cues: int
    violations: tuple[Violation, ...] = ()
    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    passed: int = 0

    @property
    def ok(self) -> bool:
        """
        ``True`` when nothing is broken.
        """
        return not self.violations

    @property
    def pass_rate(self) -> float:
        """
        The share of cues that break no rule (1.0 for no cues).
        """
        return self.passed / self.cues if self.cues else 1.0

    def limits(self) -> dict[str, float]:
        """
        The limit each reported rule was checked against (the first seen).
        """
        found: dict[str, float] = {}
        for violation in self.violations:
            found.setdefault(violation.rule, violation.limit)
        return found

    def to_dict(self) -> dict[str, Any]:
        """
        The report as JSON-ready data (see ``docs/quality.md`` for the shape).
        """
        limits = self.limits()
        return {
            "preset": self.preset.name,
            "language": self.preset.language,
            "cues": self.cues,
            "passed": self.passed,
            "pass_rate": round(self.pass_rate, 4),
            "ok": self.ok,
            "counts": {
                rule: {"count": count, "limit": limits[rule], "unit": RULES[rule][0]}
                for rule, count in self.counts.items()
            },
            "violations": [v.to_dict() for v in self.violations],
        }


def check(transcript: Transcript, preset: Preset | str = "netflix") -> QualityReport:
    """
    Check every cue against a preset's limits, without changing anything.

    Args:
        transcript: what to check.
        preset: a :class:`Preset` or a preset name; a preset without a
            language follows the transcript's language.

    Returns:
        A :class:`QualityReport`: each violation (cue, rule, measured value,
        limit), counts per rule, and the share of cues that pass.
    """
    with cyclic_gc_paused():
        return _check(transcript, resolve_preset(preset, transcript))


def _check(transcript: Transcript, p: Preset) -> QualityReport:
    found: list[Violation] = []
    add = found.append
    cues = transcript.cues
    width_limit = p.max_width
    unit = 2 if p.full_width_chars else 1
    min_gap = p.min_gap_ms
    chain = p.close_gaps_under_ms
    window = p.duplicate_window_ms if p.merge_duplicates else None
    latest_start = -1
    previous_words: list[str] | None = None
    for index, cue in enumerate(cues):
        number = index + 1
        start, end, text = cue.start_ms, cue.end_ms, cue.text
        duration = end - start
        if not text.strip():
            add(Violation(number, start, "empty", 0, 1))
        if duration < 0:
            add(Violation(number, start, "end-before-start", duration, 0))
        if start < latest_start:
            add(Violation(number, start, "out-of-order", start - latest_start, 0))
        latest_start = max(latest_start, start)
        if index + 1 < len(cues):
            gap = cues[index + 1].start_ms - end
            if gap < 0 and not p.allow_overlaps:
                add(Violation(number, start, "overlap", -gap, 0))
            elif 0 <= gap < min_gap:
                add(Violation(number, start, "min-gap", gap, min_gap))
            elif chain is not None and min_gap < gap < chain:
                add(Violation(number, start, "short-gap", gap, chain))
        if window is not None:
            words = text.split()
            if previous_words and index and start - cues[index - 1].end_ms <= window:
                repeated = _repeated_words(previous_words, words)
                if repeated:
                    add(Violation(number, start, "duplicate", repeated, 0))
            previous_words = words
        if p.min_duration_ms is not None and 0 <= duration < p.min_duration_ms:
            add(Violation(number, start, "min-duration", duration, p.min_duration_ms))
        if p.max_duration_ms is not None and duration > p.max_duration_ms:
            add(Violation(number, start, "max-duration", duration, p.max_duration_ms))
        lines = text.split("\n")
        if p.max_lines is not None and len(lines) > p.max_lines:
            add(Violation(number, start, "max-lines", len(lines), p.max_lines))
        if width_limit is not None:
            for line_number, line in enumerate(lines, 1):
                width = display_width(line)
                if width > width_limit:
                    measured = width / unit if unit == 2 else width
                    add(
                        Violation(
                            number, start, "max-chars", measured, p.max_chars or 0, line_number
                        )
                    )
        if p.max_cps is not None and duration > 0:
            cps = char_count(text) * 1000 / duration
            if cps > p.max_cps:
                add(Violation(number, start, "max-cps", round(cps, 2), p.max_cps))
        if p.max_wpm is not None and duration > 0:
            wpm = word_count(text) * 60000 / duration
            if wpm > p.max_wpm:
                add(Violation(number, start, "max-wpm", round(wpm, 1), p.max_wpm))
    counts = Counter(v.rule for v in found)
    failing = len({v.cue for v in found})
    ordered = {rule: counts[rule] for rule in RULES if rule in counts}
    return QualityReport(
        preset=p,
        cues=len(cues),
        violations=tuple(found),
        counts=MappingProxyType(ordered),
        passed=len(cues) - failing,
    )


def _repeated_words(before: list[str], after: list[str]) -> int:
    if after and after == before:
        return len(after)
    return tail_overlap(before, after, 2)
