"""
Each normalization pass on the cases it exists for, and what it records.
"""

from __future__ import annotations

from gcore_captions.model import Cue, Transcript
from gcore_captions.quality import (
    close_gaps,
    drop_empty,
    enforce_min_duration,
    fix_end_before_start,
    fix_overlaps,
    merge_duplicates,
    sort_cues,
    split_long,
)


def track(*cues: Cue, language: str | None = "eng") -> Transcript:
    return Transcript(tuple(cues), language=language)


def spans(transcript: Transcript) -> list[tuple[int, int]]:
    return [(c.start_ms, c.end_ms) for c in transcript.cues]


def test_untouched_transcript_is_returned_as_is() -> None:
    """A pass with nothing to do returns the very same object and records nothing."""
    clean = track(Cue(0, 1000, "One."), Cue(2000, 3000, "Two."))
    for run in (drop_empty, fix_end_before_start, sort_cues, fix_overlaps, merge_duplicates):
        assert run(clean) is clean


def test_drop_empty() -> None:
    """Blank cues go, each recorded with its number."""
    result = drop_empty(track(Cue(0, 1, " \n"), Cue(1, 2, "x"), Cue(2, 3, "")))
    assert [c.text for c in result.cues] == ["x"]
    assert [(c.pass_name, c.cue) for c in result.changes] == [("drop-empty", 1), ("drop-empty", 3)]


def test_end_before_start_swaps() -> None:
    """A cue that ends before it starts gets its two times swapped."""
    result = fix_end_before_start(track(Cue(500, 100, "x")))
    assert spans(result) == [(100, 500)]
    assert result.changes[0].cue == 1


def test_sort_and_renumber() -> None:
    """Cues go into time order; numeric identifiers are renumbered, names kept."""
    result = sort_cues(
        track(
            Cue(2000, 3000, "b", identifier="1"),
            Cue(0, 1000, "a", identifier="2"),
        )
    )
    assert [(c.text, c.identifier) for c in result.cues] == [("a", "1"), ("b", "2")]
    assert result.changes[0].cue == 2
    named = sort_cues(track(Cue(5, 6, "b", identifier="intro"), Cue(1, 2, "a")))
    assert [c.identifier for c in named.cues] == [None, "intro"]


def test_overlap_trims_earlier_cue_leaving_the_gap() -> None:
    """The earlier cue ends min_gap before the next starts; the next is untouched."""
    result = fix_overlaps(track(Cue(0, 2500, "First."), Cue(2000, 4000, "Second.")), min_gap_ms=84)
    assert spans(result) == [(0, 1916), (2000, 4000)]
    assert result.changes[0].cue == 1
    assert "00:00:01.916" in result.changes[0].what


def test_overlap_with_identical_times_merges() -> None:
    """Two cues with the same times become one cue with both texts, earlier on top."""
    result = fix_overlaps(track(Cue(0, 2000, "Hello.", speaker="A"), Cue(0, 2000, "Hi.")))
    assert [(c.text, c.speaker) for c in result.cues] == [("Hello.\nHi.", None)]
    assert "share their time" in result.changes[0].why


def test_overlap_that_would_leave_nothing_merges() -> None:
    """When trimming would leave the earlier cue empty, the two are merged."""
    result = fix_overlaps(track(Cue(0, 3000, "A."), Cue(50, 1000, "B.")), min_gap_ms=84)
    assert [(c.start_ms, c.end_ms, c.text) for c in result.cues] == [(0, 3000, "A.\nB.")]


def test_overlap_sorts_first_when_needed() -> None:
    """Used alone on unsorted cues, the pass sorts them first and says so."""
    result = fix_overlaps(track(Cue(2000, 3000, "b"), Cue(0, 2500, "a")))
    assert spans(result) == [(0, 2000), (2000, 3000)]
    assert [c.pass_name for c in result.changes] == ["sort", "overlaps"]


def test_exact_duplicates_merge() -> None:
    """A repeated cue right after the first is merged: one cue spanning both."""
    result = merge_duplicates(track(Cue(0, 1000, "Hello there."), Cue(1100, 2000, "Hello  there.")))
    assert [(c.start_ms, c.end_ms, c.text) for c in result.cues] == [(0, 2000, "Hello there.")]


def test_distant_repeats_are_kept() -> None:
    """The same words said again a minute later are not a duplicate."""
    transcript = track(Cue(0, 1000, "Thank you."), Cue(60000, 61000, "Thank you."))
    assert merge_duplicates(transcript) is transcript


def test_rolling_repeats_collapse() -> None:
    """YouTube roll-up captions: each cue repeats the last line of the one before."""
    result = merge_duplicates(
        track(
            Cue(0, 2000, "so today we are"),
            Cue(2000, 4000, "so today we are\ngoing to talk about"),
            Cue(4000, 6000, "going to talk about\ncaptions and timing"),
            Cue(6000, 6010, "captions and timing"),
        )
    )
    assert [c.text for c in result.cues] == [
        "so today we are",
        "going to talk about",
        "captions and timing",
    ]
    assert spans(result) == [(0, 2000), (2000, 4000), (4000, 6010)]
    assert [c.what for c in result.changes][:2] == [
        "removed 4 repeated words",
        "removed 4 repeated words",
    ]


def test_one_word_overlap_is_not_a_roll_up() -> None:
    """A single shared word ("no" ... "No,") is ordinary speech, not a repeat."""
    transcript = track(Cue(0, 1000, "I said no"), Cue(1000, 2000, "no means no"))
    assert merge_duplicates(transcript) is transcript


def test_min_duration_extends_into_free_time_only() -> None:
    """A short cue grows to the minimum, but stops min_gap before the next cue."""
    result = enforce_min_duration(
        track(Cue(0, 200, "Hi."), Cue(500, 700, "Yo."), Cue(5000, 5100, "Ok.")),
        min_duration_ms=834,
        min_gap_ms=84,
    )
    assert spans(result) == [(0, 416), (500, 1334), (5000, 5834)]


def test_min_duration_never_shortens_or_eats_gap() -> None:
    """A cue already too close to the next stays as it is."""
    transcript = track(Cue(0, 200, "Hi."), Cue(250, 2000, "There."))
    assert enforce_min_duration(transcript, min_duration_ms=834, min_gap_ms=84) is transcript


def test_min_duration_follows_reading_speed() -> None:
    """A long text needs time to be read: 40 characters at 20 cps need 2 s."""
    result = enforce_min_duration(
        track(Cue(0, 1000, "a" * 40)), min_duration_ms=834, max_cps=20, max_duration_ms=7000
    )
    assert spans(result) == [(0, 2000)]
    capped = enforce_min_duration(track(Cue(0, 1000, "a" * 400)), max_cps=20, max_duration_ms=7000)
    assert spans(capped) == [(0, 7000)]


def test_min_duration_never_extends_past_the_maximum_duration() -> None:
    """
    Limits that contradict each other (a minimum above the maximum) give
    the maximum, with a reading-speed limit or without one: the pass never
    makes a cue longer than max_duration_ms.
    """
    for max_cps in (20, None):
        result = enforce_min_duration(
            track(Cue(0, 1000, "Hi.")),
            min_duration_ms=3000,
            max_cps=max_cps,
            max_duration_ms=2000,
        )
        assert spans(result) == [(0, 2000)]


def test_gaps_chain_and_keep_min_gap() -> None:
    """Gaps under the threshold close to the frame-aware minimum gap; longer ones stay."""
    result = close_gaps(
        track(Cue(0, 1000, "a"), Cue(1300, 2000, "b"), Cue(2050, 3000, "c"), Cue(5000, 6000, "d")),
        close_under_ms=500,
        min_gap_ms=84,
    )
    assert spans(result) == [(0, 1216), (1300, 1966), (2050, 3000), (5000, 6000)]
    assert [c.cue for c in result.changes] == [1, 2]


def test_gaps_do_not_extend_past_max_duration() -> None:
    """Chaining never makes a cue longer than the maximum duration."""
    transcript = track(Cue(0, 6900, "a"), Cue(7300, 8000, "b"))
    assert close_gaps(transcript, close_under_ms=500, min_gap_ms=84, max_duration_ms=7000) is (
        transcript
    )


def test_split_long_cue_at_sentence_boundary() -> None:
    """A 10 s cue with two sentences becomes two cues split between them, times estimated."""
    text = (
        "We tested the new encoder on every device we own. The results were better than expected."
    )
    result = split_long(track(Cue(0, 10000, text)), min_gap_ms=84)
    assert [c.text.replace("\n", " ") for c in result.cues] == [
        "We tested the new encoder on every device we own.",
        "The results were better than expected.",
    ]
    first, second = result.cues
    assert first.estimated
    assert second.estimated
    assert first.start_ms == 0
    assert second.end_ms == 10000
    assert second.start_ms - first.end_ms == 84
    # time shared by characters: the first part is the longer one
    assert first.end_ms - first.start_ms > second.end_ms - second.start_ms
    assert result.changes[0].pass_name == "split"


def test_split_text_too_long_for_two_lines() -> None:
    """A short cue with too much text is split so each part fits in two lines."""
    text = (
        "First, large files now resume automatically after a dropped connection,"
        " and second, the processing badge finally shows real progress to everyone."
    )
    result = split_long(track(Cue(0, 6000, text)))
    assert len(result.cues) == 2
    for cue in result.cues:
        assert len(cue.text.split("\n")) <= 2
        assert all(len(line) <= 42 for line in cue.text.split("\n"))
    assert result.cues[1].text.startswith("and second")


def test_split_cjk_cue_without_spaces() -> None:
    """A long Japanese cue splits after its full stop; no space appears anywhere."""
    text = "今日はとても良い天気ですね。散歩に行きましょうか？公園まで歩いて行けます。"
    result = split_long(
        track(Cue(0, 9000, text), language="jpn"), max_chars=13, full_width_chars=True
    )
    assert "".join(c.text.replace("\n", "") for c in result.cues) == text
    assert result.cues[0].text.replace("\n", "").endswith("。")
    assert " " not in "".join(c.text for c in result.cues)


def test_split_leaves_single_words_alone() -> None:
    """One word shown for too long cannot be split; it is left for check to report."""
    transcript = track(Cue(0, 12000, "Hmm."))
    assert split_long(transcript) is transcript
