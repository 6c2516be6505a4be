"""
The bulk helpers the task reader runs on: same results as their one-at-a-time twins.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.model import Cue, make_cues
from gcore_captions.timecode import format_vtt, parse_timestamp, parse_timestamps


def _one(text: str) -> int | None:
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


_STAMPISH = st.from_regex(r"[0-9]{0,4}[:.][0-9]{1,3}[:.,][0-9]{1,2}[.:,][0-9]{1,4}", fullmatch=True)
_NOISE = st.text("0123456789:.,+- \n\t٣", max_size=14)


@settings(max_examples=100, deadline=None)
@given(st.lists(_STAMPISH | _NOISE | st.integers(0, 10**10).map(format_vtt), max_size=6))
def test_parse_timestamps_agrees_with_parse_timestamp(texts: list[str]) -> None:
    """For any list, the batch parser returns exactly what parsing each stamp returns."""
    singles = [_one(t) for t in texts]
    if None in singles:
        with pytest.raises(ValueError, match=r"time stamp|below 60"):
            parse_timestamps(texts)
    else:
        assert parse_timestamps(texts) == singles


def test_parse_timestamps_edges() -> None:
    """Wide hours, an empty list, stamps hiding a newline, and non-strings."""
    assert parse_timestamps([]) == []
    assert parse_timestamps(["100:00:00.000", "00:00:59.999"]) == [360_000_000, 59_999]
    with pytest.raises(ValueError, match="time stamp"):
        parse_timestamps(["00:00:01.000\n00:00:02.000"])
    with pytest.raises(TypeError):
        parse_timestamps([None])  # type: ignore[list-item]


@pytest.mark.parametrize("text", ["+1:00:00.000", "01:-1:00.000", "0١:00:00.000", ":12:34.567"])
def test_fast_path_rejects_what_the_slow_path_rejects(text: str) -> None:
    """Signs, non-ASCII digits and an empty hour field never slip through the fast path."""
    with pytest.raises(ValueError, match="time stamp"):
        parse_timestamp(text)


@given(
    st.lists(
        st.tuples(st.integers(0, 10**12), st.integers(0, 10**12), st.text(max_size=5)),
        max_size=20,
    )
)
def test_make_cues_equals_cue(rows: list[tuple[int, int, str]]) -> None:
    """make_cues builds the very cues Cue() builds: equal, hashable, frozen."""
    starts, ends, texts = ([r[i] for r in rows] for i in range(3))
    made = make_cues(starts, ends, texts)
    assert made == [Cue(s, e, t) for s, e, t in rows]
    for cue in made:
        assert type(cue) is Cue
        assert hash(cue) == hash(Cue(cue.start_ms, cue.end_ms, cue.text))
        with pytest.raises(AttributeError):
            cue.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("starts", "ends", "texts", "message"),
    [
        ([1], [2, 3], ["a"], "do not pair up"),
        ([-1], [2], ["a"], "negative"),
        ([1], [-2], ["a"], "negative"),
        ([1.5], [2], ["a"], "whole milliseconds"),
        ([True], [2], ["a"], "whole milliseconds"),
    ],
)
def test_make_cues_checks_like_cue(
    starts: list[int], ends: list[int], texts: list[str], message: str
) -> None:
    """make_cues refuses what Cue() refuses: negative or non-int times, and ragged input."""
    with pytest.raises(ValueError, match=message):
        make_cues(starts, ends, texts)
