"""
Text measured as a viewer sees it: graphemes, columns, reading speed.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.quality.measure import (
    char_count,
    display_width,
    graphemes,
    is_no_space_char,
    reading_cps,
    reading_wpm,
    word_count,
)


@pytest.mark.parametrize(
    ("text", "clusters", "width"),
    [
        ("abc", ["a", "b", "c"], 3),
        ("e\u0301te\u0301", ["e\u0301", "t", "e\u0301"], 3),  # combining acute accents
        ("👩\u200d💻", ["👩\u200d💻"], 2),  # ZWJ sequence: one emoji
        ("👨\u200d👩\u200d👧\u200d👦", ["👨\u200d👩\u200d👧\u200d👦"], 2),  # family
        ("👍🏽", ["👍🏽"], 2),  # skin tone modifier
        ("🇫🇷🇩🇪", ["🇫🇷", "🇩🇪"], 4),  # two flags, paired in order
        ("❤\ufe0f", ["❤\ufe0f"], 2),  # text symbol with emoji presentation
        ("日本語", ["日", "本", "語"], 6),
        ("한국어", ["한", "국", "어"], 6),
        ("ＡＢ", ["Ａ", "Ｂ"], 4),  # fullwidth Latin
        ("สวัสดี", ["ส", "วั", "ส", "ดี"], 4),  # Thai vowels and tone marks stay on the consonant
        ("\u200fשלום", ["\u200f", "ש", "ל", "ו", "ם"], 4),  # the RLM is invisible
        ("a\u200bb", ["a", "\u200b", "b"], 2),  # zero-width space
        ("\u1100\u1161\u11a8", ["\u1100\u1161\u11a8"], 2),  # Hangul jamo L V T
    ],
)
def test_graphemes_and_width(text: str, clusters: list[str], width: int) -> None:
    """Each user-perceived character is one cluster; wide ones count two columns."""
    assert graphemes(text) == clusters
    assert display_width(text) == width


def test_char_count_counts_what_is_read() -> None:
    """Reading speed counts spaces and punctuation, not line breaks or invisible marks."""
    assert char_count("Hi, you.\nYes!") == 12
    assert char_count("e\u0301te\u0301") == 3
    assert char_count("👩\u200d💻 ok") == 4
    assert char_count("\u200fשלום") == 4
    assert char_count("日本\n語") == 3


def test_reading_speed() -> None:
    """cps and wpm are per second / minute of the cue's duration; zero duration is infinite."""
    assert reading_cps("abcdefghij", 500) == 20.0
    assert reading_wpm("one two three", 1000) == 180.0
    assert reading_cps("abc", 0) == float("inf")
    assert reading_cps("", 0) == 0.0
    assert reading_wpm("", 0) == 0.0
    assert reading_wpm("a", 0) == float("inf")
    assert word_count("  one\ntwo  ") == 2


def test_no_space_scripts() -> None:
    """Chinese and Japanese break anywhere; Korean, Thai and Latin break at spaces."""
    assert all(is_no_space_char(ch) for ch in "日あア。「Ａ")
    assert not any(is_no_space_char(ch) for ch in "a한é ก")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_graphemes_partition_the_text(text: str) -> None:
    """Clusters concatenate back to the text, and widths add up cluster by cluster."""
    clusters = graphemes(text)
    assert "".join(clusters) == text
    if "\n" not in text:
        assert display_width(text) == sum(display_width(c) for c in clusters)
        assert 0 <= display_width(text) <= 2 * len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_ascii_width_is_length(text: str) -> None:
    """Printable ASCII takes one column per character."""
    assert display_width(text) == len(text)
    assert char_count(text) == len(text)
