"""
Invariants of every pass on random transcripts (Hypothesis).

- No word is lost, duplicated or reordered: the non-space characters of all
  cues, read in time order, are the same before and after (and, for text
  without CJK or Thai, the very same list of words). The duplicates pass is
  the one exception, by design: what it keeps is the input's words in order
  minus repeats, so its output is a subsequence of its input.
- Times never go backwards: every cue ends at or after its start and cues
  stay in start order; timing passes move only ends.
- After the overlap pass no two cues overlap and every gap is at least the
  minimum gap.
- Every pass is idempotent: running it on its own output changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import (
    apply_preset,
    check,
    close_gaps,
    drop_empty,
    enforce_min_duration,
    fix_end_before_start,
    fix_overlaps,
    merge_duplicates,
    reflow,
    sort_cues,
    split_long,
)

GAP = 84

LATIN = st.sampled_from(
    [
        "the", "a", "and", "Hello", "world.", "we", "need", "to", "talk,", "about",
        "it", "now?", "Yes!", "really", "so", "supercalifragilisticexpialidocious",
        "-", "?", ":", "l'homme", "Café", "naïve", "👩\u200d💻", "e\u0301",
    ]
)  # fmt: skip
OTHER = st.sampled_from(
    [
        "日本語",
        "今日は",
        "。",
        "「明日」",
        "我们",
        "，",
        "สวัสดี",
        "ครับ",
        "שלום",
        "مرحبا",
        "،",
        "한국어",
    ]
)
SEPARATOR = st.sampled_from([" ", " ", " ", "\n", "  "])


@st.composite
def texts(draw: st.DrawFn, latin_only: bool = False) -> str:
    word = LATIN if latin_only else st.one_of(LATIN, LATIN, OTHER)
    parts = draw(st.lists(st.tuples(word, SEPARATOR), max_size=24))
    return "".join(w + s for w, s in parts).strip(" ")


@st.composite
def transcripts(draw: st.DrawFn, ordered: bool = True, latin_only: bool = False) -> Transcript:
    count = draw(st.integers(0, 12))
    cues = []
    previous_text = ""
    for _ in range(count):
        start = draw(st.integers(0, 40_000))
        end = start + draw(st.integers(0, 12000)) if ordered else draw(st.integers(0, 40000))
        kind = draw(st.integers(0, 9))
        if kind == 0 and previous_text:
            text = previous_text  # an exact repeat
        elif kind == 1 and previous_text:
            tail = " ".join(previous_text.split()[-2:])
            text = f"{tail}\n{draw(texts(latin_only))}"  # a roll-up repeat
        else:
            text = draw(texts(latin_only))
        previous_text = text
        cues.append(Cue(start, end, text))
    if ordered:
        cues.sort(key=lambda c: c.start_ms)
    language = draw(st.sampled_from([None, "eng", "ger", "jpn", "chi"]))
    return Transcript(tuple(cues), language=language)


PASSES: dict[str, Callable[[Transcript], Transcript]] = {
    "drop-empty": drop_empty,
    "end-before-start": fix_end_before_start,
    "sort": sort_cues,
    "overlaps": lambda t: fix_overlaps(t, min_gap_ms=GAP),
    "split": lambda t: split_long(t, min_gap_ms=GAP),
    "split-cjk": lambda t: split_long(t, max_chars=13, full_width_chars=True, min_gap_ms=GAP),
    "min-duration": lambda t: enforce_min_duration(
        t, min_duration_ms=834, max_cps=20, max_wpm=180, max_duration_ms=7000, min_gap_ms=GAP
    ),
    "gaps": lambda t: close_gaps(t, close_under_ms=500, min_gap_ms=GAP, max_duration_ms=7000),
    "reflow": reflow,
    "reflow-cjk": lambda t: reflow(t, max_chars=13, full_width_chars=True),
}
KEEPS_WORDS = [name for name in PASSES if name != "sort"]

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def stream(transcript: Transcript) -> str:
    return "".join("".join(cue.text.split()) for cue in transcript.cues)


def words(transcript: Transcript) -> list[str]:
    return [w for cue in transcript.cues for w in cue.text.split()]


def is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


@pytest.mark.parametrize("name", KEEPS_WORDS)
@SETTINGS
@given(data=st.data())
def test_no_word_lost_duplicated_or_reordered(name: str, data: st.DataObject) -> None:
    """Every pass but duplicates keeps the text, character for character, in time order."""
    transcript = data.draw(transcripts())
    result = PASSES[name](transcript)
    assert stream(result) == stream(transcript)
    latin = data.draw(transcripts(latin_only=True))
    assert words(PASSES[name](latin)) == words(latin)


@SETTINGS
@given(transcripts(ordered=False))
def test_sort_keeps_every_cue(transcript: Transcript) -> None:
    """Sorting reorders whole cues only: the same cues, in start order."""
    result = sort_cues(transcript)
    assert sorted(c.text for c in result.cues) == sorted(c.text for c in transcript.cues)
    starts = [c.start_ms for c in result.cues]
    assert starts == sorted(starts)


@SETTINGS
@given(transcripts())
def test_duplicates_keep_a_subsequence(transcript: Transcript) -> None:
    """The duplicates pass only removes words: what is left is in the input's order."""
    result = merge_duplicates(transcript)
    assert is_subsequence(words(result), words(transcript))
    unique = Transcript(
        tuple(c.replace(text=f"w{i}a w{i}b w{i}c") for i, c in enumerate(transcript.cues))
    )
    assert merge_duplicates(unique) is unique


@pytest.mark.parametrize("name", [n for n in PASSES if n not in ("end-before-start", "sort")])
@SETTINGS
@given(transcript=transcripts())
def test_times_never_go_backwards(name: str, transcript: Transcript) -> None:
    """Cues end at or after they start and stay in start order."""
    result = PASSES[name](transcript)
    previous = -1
    for cue in result.cues:
        assert cue.end_ms >= cue.start_ms
        assert cue.start_ms >= previous
        previous = cue.start_ms


@pytest.mark.parametrize("name", ["min-duration", "gaps"])
@SETTINGS
@given(transcript=transcripts())
def test_timing_passes_only_move_ends(name: str, transcript: Transcript) -> None:
    """Start times are where speech starts: timing passes leave them alone."""
    result = PASSES[name](transcript)
    assert [c.start_ms for c in result.cues] == [c.start_ms for c in transcript.cues]
    assert [c.text for c in result.cues] == [c.text for c in transcript.cues]


@SETTINGS
@given(transcripts())
def test_no_overlaps_after_the_overlap_pass(transcript: Transcript) -> None:
    """After fix_overlaps every cue ends at least the minimum gap before the next starts."""
    result = fix_overlaps(transcript, min_gap_ms=GAP)
    for cue, after in zip(result.cues[:-1], result.cues[1:], strict=True):
        assert after.start_ms - cue.end_ms >= GAP
    assert not [v for v in check(result, "none").violations if v.rule == "overlap"]


@SETTINGS
@given(transcripts())
def test_min_duration_never_creates_an_overlap(transcript: Transcript) -> None:
    """Ends only grow, and never into the next cue's minimum gap."""
    result = PASSES["min-duration"](transcript)
    for before, after in zip(transcript.cues, result.cues, strict=True):
        assert after.end_ms >= before.end_ms
    for before, after, following in zip(
        transcript.cues[:-1], result.cues[:-1], result.cues[1:], strict=True
    ):
        if after.end_ms > before.end_ms:
            assert following.start_ms - after.end_ms >= GAP


@pytest.mark.parametrize("name", list(PASSES))
@SETTINGS
@given(data=st.data())
def test_every_pass_is_idempotent(name: str, data: st.DataObject) -> None:
    """Running a pass on its own output changes nothing and records nothing."""
    transcript = data.draw(transcripts(ordered=name in ("drop-empty", "end-before-start")))
    once = PASSES[name](transcript)
    twice = PASSES[name](once)
    assert twice.cues == once.cues
    assert twice.changes == once.changes


@settings(max_examples=60, deadline=None)
@given(transcripts(ordered=False))
def test_preset_pipeline_keeps_text_and_fixes_overlaps(transcript: Transcript) -> None:
    """apply_preset keeps every word (duplicates aside) and leaves no overlap."""
    result = apply_preset(transcript, "netflix", skip={"duplicates"})
    assert stream(result) == stream(sort_cues(fix_end_before_start(transcript)))
    report = check(result, "netflix")
    assert not {"overlap", "end-before-start", "out-of-order", "empty"} & set(report.counts)


@pytest.mark.parametrize(
    "limits",
    [{}, {"max_chars": 13, "full_width_chars": True}, {"max_chars": 20, "max_lines": 3}],
)
@SETTINGS
@given(transcript=transcripts())
def test_fused_split_and_reflow_equals_the_two_passes(
    limits: dict[str, object], transcript: Transcript
) -> None:
    """apply_preset's one-loop split+reflow gives exactly split, then reflow."""
    fused = split_long(transcript, min_gap_ms=GAP, relayout=True, **limits)  # type: ignore[arg-type]
    width = {k: v for k, v in limits.items() if k != "max_lines"}
    separate = reflow(split_long(transcript, min_gap_ms=GAP, **limits), **width)  # type: ignore[arg-type]
    assert fused.cues == separate.cues
    assert fused.changes == separate.changes
