"""
Property tests: whatever the caption text and however long the recording,
every file we write is read back by the reference parser of its format
(srt, webvtt-py, pysubs2) and by our own reader with the same cues.
"""

from __future__ import annotations

import warnings

import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from _formats_support import (
    WJ,
    ass_ms,
    libass_text,
    read_ass,
    read_srt,
    read_vtt,
    srt_shown,
    transcripts,
    visible_lines,
    written,
)
from gcore_captions import Cue, Transcript, loads, render
from gcore_captions.formats import WriterWarning
from gcore_captions.formats._text import utf16_len

# Past this, ASS hours need three digits, which pysubs2 cannot read.
PYSUBS2_MAX_MS = 359_999_994

common = settings(max_examples=120, deadline=None)


@common
@given(transcripts())
def test_srt_round_trip(transcript: Transcript) -> None:
    """SRT: srt.parse shows the same times and visible text; our reader restores the exact
    text, but for brace pairs, which are written full-width with a warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = render(transcript, "srt")
    expected = written(transcript)
    shown = [srt_shown(visible_lines(c.text)) for c in expected]
    codes = {w.message.code for w in caught if isinstance(w.message, WriterWarning)}
    assert len(caught) == len(codes)
    changed = shown != [visible_lines(c.text) for c in expected]
    assert codes == ({"full-width-braces"} if changed else set())
    reference = read_srt(text)
    assert [(r.start_ms, r.end_ms) for r in reference] == [(c.start_ms, c.end_ms) for c in expected]
    assert [r.text for r in reference] == [s.replace(WJ, "") for s in shown]
    ours = loads(text, "srt")
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms, c.text) for c in ours] == [
        (c.start_ms, c.end_ms, s) for c, s in zip(expected, shown, strict=True)
    ]


@common
@given(transcripts())
def test_vtt_round_trip(transcript: Transcript) -> None:
    """WebVTT: webvtt-py and our reader read the same times, text, voices and settings."""
    text = render(transcript, "vtt")
    expected = written(transcript)
    wanted = [
        (c.start_ms, c.end_ms, visible_lines(c.text), " ".join(c.speaker.split()) or None)
        if c.speaker
        else (c.start_ms, c.end_ms, visible_lines(c.text), None)
        for c in expected
    ]
    reference = read_vtt(text)
    # webvtt-py keeps the invisible joiners our writer puts after backslashes.
    assert [(r.start_ms, r.end_ms, r.text.replace(WJ, ""), r.speaker) for r in reference] == [
        (start, end, shown.replace(WJ, ""), voice) for start, end, shown, voice in wanted
    ]
    ours = loads(text, "vtt")
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in ours] == wanted
    assert [c.identifier for c in ours] == [str(i) for i in range(1, len(expected) + 1)]
    assert [c.settings for c in ours] == [c.settings for c in expected]
    assert [str(c.settings) or None for c in webvtt.from_string(text).captions] == [
        c.settings for c in expected
    ]


@common
@given(transcripts())
def test_ass_round_trip(transcript: Transcript) -> None:
    """ASS: times to the centisecond, text and speaker survive pysubs2, libass's text rules
    and our reader."""
    text = render(transcript, "ass")
    expected = written(transcript)
    wanted = [
        (
            ass_ms(c.start_ms),
            ass_ms(c.end_ms),
            visible_lines(c.text),
            " ".join(c.speaker.split()).replace(",", ";") or None if c.speaker else None,
        )
        for c in expected
    ]
    fields = [line.split(",", 9)[9] for line in text.split("\n") if line.startswith("Dialogue: ")]
    assert [libass_text(f).replace(WJ, "") for f in fields] == [
        w[2].replace(WJ, "") for w in wanted
    ]
    if all(c.end_ms <= PYSUBS2_MAX_MS for c in transcript):
        reference = read_ass(text)
        assert [(r.start_ms, r.end_ms, r.text, r.speaker) for r in reference] == wanted
    ours = loads(text, "ass")
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in ours] == wanted


@common
@given(transcripts())
def test_json_round_trip_and_spans(transcript: Transcript) -> None:
    """Aligned JSON keeps every cue exactly, and each span cuts the cue out of the full text."""
    import json

    text = render(transcript, "json")
    document = json.loads(text)
    full = document["text"]
    encoded = full.encode("utf-16-le")
    for record in document["cues"]:
        begin, end = record["span"]
        assert full[begin:end] == record["text"].replace("\n", " ")
        begin16, end16 = record["span_utf16"]
        assert encoded[begin16 * 2 : end16 * 2].decode("utf-16-le") == full[begin:end]
        assert utf16_len(full[:begin]) == begin16
    back = loads(text)
    kept = [c for c in sorted(transcript.cues, key=lambda c: c.start_ms) if c.text.strip()]
    assert back.cues == tuple(kept)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10**7), st.integers(0, 10**7), st.sampled_from(["a", "b"])),
        max_size=5,
    )
)
def test_writers_order_cues_by_start(items: list[tuple[int, int, str]]) -> None:
    """Writers put cues in start-time order (stable), whatever order they come in."""
    cues = tuple(Cue(s, s + d, t) for s, d, t in items)
    transcript = Transcript(cues)
    starts = [c.start_ms for c in loads(render(transcript, "srt"), "srt")]
    assert starts == sorted(starts)
    assert len(starts) == len(cues)
