"""
Presets: the guideline numbers, overrides, and language variants.
"""

from __future__ import annotations

import pytest

from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import PRESET_NAMES, Preset, apply_preset, get_preset, resolve_preset


def test_netflix_numbers() -> None:
    """Netflix: 42 characters, 2 lines, 20 cps, 5/6 s to 7 s, 2-frame gap, 12-frame chaining."""
    p = get_preset("netflix")
    assert (p.max_chars, p.max_lines, p.max_cps) == (42, 2, 20)
    assert (p.min_duration_ms, p.max_duration_ms) == (834, 7000)
    assert p.frame_rate == 24.0
    assert p.min_gap_ms == 84  # 2 frames at 24 fps, rounded up
    assert p.close_gaps_under_ms == 500  # 12 frames at 24 fps
    assert not p.full_width_chars


def test_frame_limits_follow_the_frame_rate() -> None:
    """The 2-frame gap is 80 ms at 25 fps and 67 ms at 29.97 fps."""
    assert get_preset("netflix", frame_rate=25).min_gap_ms == 80
    assert get_preset("netflix", frame_rate=29.97).min_gap_ms == 67
    assert get_preset("netflix", frame_rate=25).close_gaps_under_ms == 480


def test_cjk_variants() -> None:
    """Korean 16 chars / 12 cps, Chinese 16 / 9, Japanese 13 full-width / 4 cps."""
    for language, chars, cps in [("kor", 16, 12), ("chi", 16, 9), ("zho", 16, 9), ("jpn", 13, 4)]:
        for name in ("netflix", "netflix-cjk"):
            p = get_preset(name, language)
            assert (p.max_chars, p.max_cps, p.full_width_chars) == (chars, cps, True)
            assert p.max_width == chars * 2
    assert get_preset("netflix", "ja").language == "jpn"
    assert get_preset("netflix", "eng").max_chars == 42


def test_bbc_and_dcmp() -> None:
    """BBC: 37 characters, 2 lines, 180 wpm, gaps under 1 s closed; DCMP: 32 x 2."""
    bbc = get_preset("bbc")
    assert (bbc.max_chars, bbc.max_lines, bbc.max_wpm, bbc.max_cps) == (37, 2, 180, None)
    assert bbc.close_gaps_under_ms == 1000
    dcmp = get_preset("dcmp")
    assert (dcmp.max_chars, dcmp.max_lines) == (32, 2)


def test_none_switches_everything_off() -> None:
    """The none preset has no limits and allows overlaps."""
    p = get_preset("none")
    assert p.max_chars is None
    assert p.max_cps is None
    assert p.max_duration_ms is None
    assert p.allow_overlaps
    assert not p.merge_duplicates


def test_overrides() -> None:
    """Every limit can be overridden, switched off with None, and is validated."""
    p = get_preset("netflix", max_chars=37, max_cps=None)
    assert (p.max_chars, p.max_cps) == (37, None)
    assert p.overridden == {"max_chars", "max_cps"}
    with pytest.raises(TypeError, match="unknown preset limit max_chairs"):
        get_preset("netflix", max_chairs=3)
    with pytest.raises(ValueError, match="max_chars must be positive"):
        get_preset("netflix", max_chars=0)
    with pytest.raises(ValueError, match="unknown preset 'youtube'"):
        get_preset("youtube")
    assert get_preset(" NETFLIX ").name == "netflix"
    assert Preset("custom", max_chars=30).replace(max_lines=3).max_lines == 3


def test_language_follows_the_transcript() -> None:
    """A preset without a language picks the transcript's variant, keeping overrides."""
    japanese = Transcript((Cue(0, 1000, "こんにちは"),), language="jpn")
    p = resolve_preset(get_preset("netflix", max_lines=3), japanese)
    assert (p.language, p.max_chars, p.max_lines) == ("jpn", 13, 3)
    named = resolve_preset(get_preset("netflix", "kor"), japanese)
    assert named.language == "kor"
    assert resolve_preset("bbc", japanese).max_chars == 37
    custom = Preset("house-style", max_chars=30, max_lines=3)
    assert resolve_preset(custom, japanese) is custom


def test_netflix_cjk_detects_the_script() -> None:
    """netflix-cjk on a transcript with no language reads the script of its text."""
    for text, language in [("こんにちは", "jpn"), ("안녕하세요", "kor"), ("你好", "chi")]:
        transcript = Transcript((Cue(0, 1000, text),))
        assert resolve_preset("netflix-cjk", transcript).language == language
    assert resolve_preset("netflix-cjk", Transcript()).max_chars == 16


def test_apply_preset_runs_a_subset() -> None:
    """only= and skip= choose passes; unknown names are an error."""
    transcript = Transcript(
        (Cue(0, 3000, "Good morning, and welcome to the quarterly product update."),
         Cue(2000, 2100, "Hi.")),
        language="eng",
    )  # fmt: skip
    result = apply_preset(transcript, "netflix", only={"overlaps"})
    assert {c.pass_name for c in result.changes} == {"overlaps"}
    result = apply_preset(transcript, "netflix", skip={"reflow", "overlaps"})
    assert "reflow" not in {c.pass_name for c in result.changes}
    with pytest.raises(ValueError, match="unknown pass"):
        apply_preset(transcript, "netflix", only={"reflwo"})
    assert set(PRESET_NAMES) == {"netflix", "netflix-cjk", "bbc", "dcmp", "none"}
