"""
check(): every violation with its cue, rule, measured value and limit.
"""

from __future__ import annotations

import json

from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import RULES, apply_preset, check, get_preset


def rules_of(report: object) -> list[tuple[int, str]]:
    return [(v.cue, v.rule) for v in report.violations]  # type: ignore[attr-defined]


def test_clean_transcript_passes() -> None:
    """Cues within every limit give an empty report and a pass rate of 1."""
    transcript = Transcript(
        (Cue(0, 2000, "Good morning."), Cue(2084, 4500, "Welcome, everyone.")), language="eng"
    )
    report = check(transcript, "netflix")
    assert report.ok
    assert report.passed == 2
    assert report.pass_rate == 1.0
    assert dict(report.counts) == {}


def test_each_rule_is_reported() -> None:
    """Line length, line count, reading speed, durations, gaps, overlaps and repeats."""
    transcript = Transcript(
        (
            Cue(0, 500, "x" * 50),  # too wide, too short, too fast, overlaps cue 2
            Cue(400, 9000, "a\nb\nc"),  # 3 lines, too long, 50 ms gap to cue 3
            Cue(9050, 10000, "a\nb\nc"),  # repeats cue 2; 300 ms gap to cue 4
            Cue(10300, 11000, "   "),  # empty; short gap before
            Cue(10200, 10100, "late"),  # end-before-start, out-of-order
        ),
        language="eng",
    )
    report = check(transcript, "netflix")
    found = set(rules_of(report))
    assert (1, "max-chars") in found
    assert (1, "min-duration") in found
    assert (1, "max-cps") in found
    assert (1, "overlap") in found
    assert (2, "max-lines") in found
    assert (2, "max-duration") in found
    assert (2, "min-gap") in found
    assert (3, "duplicate") in found
    assert (3, "short-gap") in found
    assert (4, "empty") in found
    assert (5, "end-before-start") in found
    assert (5, "out-of-order") in found
    assert report.passed == 0
    chars = next(v for v in report.violations if v.rule == "max-chars")
    assert (chars.measured, chars.limit, chars.line, chars.unit) == (50, 42, 1, "chars")
    assert "50 chars" in chars.message
    assert list(report.counts) == [rule for rule in RULES if rule in report.counts]


def test_full_width_limits_are_counted_in_full_width_characters() -> None:
    """Japanese: 14 full-width characters break the 13-character line limit; 13 do not."""
    preset = get_preset("netflix", "jpn")
    fine = check(Transcript((Cue(0, 4000, "あ" * 13),), language="jpn"), preset)
    assert "max-chars" not in fine.counts
    long = check(Transcript((Cue(0, 4000, "あ" * 14),), language="jpn"), preset)
    violation = next(v for v in long.violations if v.rule == "max-chars")
    assert (violation.measured, violation.limit) == (14, 13)
    mixed = check(Transcript((Cue(0, 4000, "あ" * 12 + "abc"),), language="jpn"), preset)
    assert next(v for v in mixed.violations if v.rule == "max-chars").measured == 13.5


def test_wpm_for_bbc() -> None:
    """BBC counts words per minute: 8 words in 2 s is 240 wpm, over 180."""
    transcript = Transcript((Cue(0, 2000, "one two three four five six seven eight"),))
    report = check(transcript, "bbc")
    violation = next(v for v in report.violations if v.rule == "max-wpm")
    assert (violation.measured, violation.limit) == (240.0, 180)


def test_none_preset_reports_only_broken_structure() -> None:
    """With no guideline, only empty, inverted and out-of-order cues are reported."""
    transcript = Transcript((Cue(0, 9000, "x" * 200), Cue(100, 50, "y")))
    assert set(check(transcript, "none").counts) == {"end-before-start"}


def test_apply_then_check_fixes_most() -> None:
    """After the netflix passes, the structural and layout rules pass."""
    transcript = Transcript(
        (
            Cue(0, 3000, "Good morning, and welcome to the quarterly product update."),
            Cue(2500, 11000, "Today we will walk through three changes. " * 3),
            Cue(11000, 11200, "Okay."),
        ),
        language="eng",
    )
    before = check(transcript, "netflix")
    after = check(apply_preset(transcript, "netflix"), "netflix")
    assert after.pass_rate > before.pass_rate
    assert not {"overlap", "max-chars", "max-lines", "max-duration", "min-gap"} & set(after.counts)


def test_report_json_shape() -> None:
    """to_dict() is JSON-ready with preset, counts (count, limit, unit) and violations."""
    transcript = Transcript((Cue(0, 500, "x" * 50),), language="eng")
    data = check(transcript, "netflix").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["preset"] == "netflix"
    assert data["cues"] == 1
    assert data["passed"] == 0
    assert data["ok"] is False
    assert data["counts"]["max-chars"] == {"count": 1, "limit": 42, "unit": "chars"}
    first = data["violations"][0]
    assert set(first) >= {"cue", "start_ms", "rule", "measured", "limit", "unit", "message"}
