"""
Named edge cases every writer must get right: boundary times, back-to-back
and zero-length cues, CRLF and BOM, emoji and RTL text, and caption text
that looks like structure or markup.
"""

from __future__ import annotations

from pathlib import Path

import pysubs2
import pytest
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from _formats_support import WJ, libass_text, read_ass, read_srt, read_vtt
from gcore_captions import Cue, Transcript, load, loads, render, save
from gcore_captions.timecode import format_ass, format_clock, format_srt, format_vtt

READABLE = ("srt", "vtt", "ass", "json")


@pytest.mark.parametrize(
    ("ms", "srt_stamp", "vtt_stamp", "ass_stamp", "ass_back"),
    [
        (0, "00:00:00,000", "00:00:00.000", "0:00:00.00", 0),
        (35_999_995, "09:59:59,995", "09:59:59.995", "10:00:00.00", 36_000_000),
        (86_399_999, "23:59:59,999", "23:59:59.999", "24:00:00.00", 86_400_000),
        (359_999_999, "99:59:59,999", "99:59:59.999", "100:00:00.00", 360_000_000),
        (360_000_001, "100:00:00,001", "100:00:00.001", "100:00:00.00", 360_000_000),
        (3_600_000_000_123, "1000000:00:00,123", "1000000:00:00.123", "1000000:00:00.12", None),
    ],
)
def test_boundary_times_are_written_and_read_exactly(
    ms: int, srt_stamp: str, vtt_stamp: str, ass_stamp: str, ass_back: int | None
) -> None:
    """Times at 10 h, 24 h, 100 h and beyond keep their true value: hours widen, ASS carries."""
    transcript = Transcript((Cue(ms, ms, "edge"),))
    srt_text = render(transcript, "srt")
    assert f"{srt_stamp} --> {srt_stamp}\n" in srt_text
    assert f"{vtt_stamp} --> {vtt_stamp}\n" in render(transcript, "vtt")
    ass_text = render(transcript, "ass")
    assert f"Dialogue: 0,{ass_stamp},{ass_stamp}," in ass_text
    assert loads(srt_text, "srt")[0].start_ms == ms
    assert loads(render(transcript, "vtt"), "vtt")[0].start_ms == ms
    assert loads(render(transcript, "json"), "json")[0].start_ms == ms
    if ass_back is None:
        ass_back = (ms + 5) // 10 * 10
    assert loads(ass_text, "ass")[0].start_ms == ass_back
    assert read_srt(srt_text)[0].start_ms == ms


def test_back_to_back_and_zero_length_cues_survive() -> None:
    """Cues that touch, and a cue that starts and ends at once, are kept in every format."""
    transcript = Transcript((Cue(0, 1000, "one"), Cue(1000, 2000, "two"), Cue(2000, 2000, "zero")))
    times = [(0, 1000), (1000, 2000), (2000, 2000)]
    for fmt in READABLE:
        back = loads(render(transcript, fmt), fmt)
        assert [(c.start_ms, c.end_ms) for c in back] == times, fmt
        assert back.warnings == ()
    assert [(r.start_ms, r.end_ms) for r in read_srt(render(transcript, "srt"))] == times
    assert [(r.start_ms, r.end_ms) for r in read_vtt(render(transcript, "vtt"))] == times
    assert [(r.start_ms, r.end_ms) for r in read_ass(render(transcript, "ass"))] == times
    assert render(transcript, "txt") == "one two zero\n"


@pytest.mark.parametrize("fmt", READABLE)
def test_crlf_and_bom_files_load_back(tmp_path: Path, fmt: str) -> None:
    """save(newline="\\r\\n", bom=True) writes CRLF with a BOM, and load reads it back."""
    transcript = Transcript(
        (Cue(0, 1500, "first\nline two", speaker="Ana"), Cue(2000, 3000, "سلام 👋"))
    )
    path = tmp_path / f"out.{fmt}"
    save(transcript, path, newline="\r\n", bom=True)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") > 0
    back = load(path)
    assert [(c.start_ms, c.end_ms, c.text) for c in back] == [
        (0, 1500, "first\nline two"),
        (2000, 3000, "سلام 👋"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "👩‍👩‍👧‍👦 family 🏳️‍🌈",
        "שלום, מה שלומך?\nمرحبا بالعالم",
        "مرحبا ‏(RTL mark) and ‪LRE‬",
        "中文字幕\n日本語の字幕",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛",
    ],
)
def test_emoji_zwj_rtl_and_cjk_text_is_exact_everywhere(text: str) -> None:
    """Astral characters, ZWJ sequences, bidi marks and CJK come back unchanged in every format."""
    transcript = Transcript((Cue(1000, 2000, text),))
    for fmt in READABLE:
        assert loads(render(transcript, fmt), fmt)[0].text == text, fmt
    assert read_srt(render(transcript, "srt"))[0].text == text
    assert read_vtt(render(transcript, "vtt"))[0].text == text
    assert read_ass(render(transcript, "ass"))[0].text == text
    assert text.replace("\n", " ") in render(transcript, "txt")


@pytest.mark.parametrize(
    "text",
    ["1984", "The year was\n1984", "1984\nwas a year", "1984\n00:00:05,000 --> 00:00:06,000 x"],
)
def test_digit_only_line_survives_srt(text: str) -> None:
    """A line that is only a number stays caption text, even above a line starting with a time."""
    transcript = Transcript((Cue(0, 1000, text), Cue(2000, 3000, "after")))
    out = render(transcript, "srt")
    subs = list(srt.parse(out))
    assert [s.content.replace(WJ, "") for s in subs] == [text, "after"]
    assert [c.text for c in loads(out, "srt")] == [text, "after"]


def test_arrow_never_forms_a_timing_line() -> None:
    """Text with --> cannot make a timing line in SRT or WebVTT; both read it back."""
    text = "a --> b\n00:00:01.000 --> 00:00:02.000\n-->"
    transcript = Transcript((Cue(0, 1000, text), Cue(5000, 6000, "next")))
    for fmt, stamp in (("srt", ","), ("vtt", ".")):
        out = render(transcript, fmt)
        arrows = [line for line in out.split("\n") if "-->" in line]
        assert all(f"{stamp}000 --> 00:00:0" in line for line in arrows), arrows
        assert len(arrows) == 2
        assert [c.text for c in loads(out, fmt)] == [text, "next"]
    assert "--&gt; b" in render(transcript, "vtt")
    assert [c.text for c in read_vtt(render(transcript, "vtt"))] == [text, "next"]
    assert [c.text for c in read_srt(render(transcript, "srt"))] == [text, "next"]


def test_ampersand_and_heart_are_escaped_in_vtt_only() -> None:
    """VTT escapes & < > as character references; SRT, ASS and text keep them raw."""
    transcript = Transcript((Cue(0, 1000, "Tom & Jerry <3 > &amp;"),))
    assert "Tom &amp; Jerry &lt;3 &gt; &amp;amp;\n" in render(transcript, "vtt")
    # SRT: a joiner after "<", else FFmpeg reads "<3 >" as an unknown tag and hides it.
    assert "Tom & Jerry <\u20603 > &amp;\n" in render(transcript, "srt")
    assert ",,Tom & Jerry <3 > &amp;\n" in render(transcript, "ass")
    assert render(transcript, "txt") == "Tom & Jerry <3 > &amp;\n"
    assert webvtt.from_string(render(transcript, "vtt")).captions[0].text == (
        "Tom &amp; Jerry &lt;3 &gt; &amp;amp;"
    )


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("{\\b1}bold?", "\\{\\b1\\}bold?"),
        ("a\\Nb", "a\\\u2060Nb"),
        ("c:\\new\\hat", "c:\\\u2060new\\\u2060hat"),
        ("\\{", "\\\u2060\\{"),
        ("end\\", "end\\"),
        ("x\ny", "x\\Ny"),
    ],
)
def test_ass_braces_and_backslashes_stay_text(text: str, field: str) -> None:
    """{ } and \\ never become ASS override tags or escapes; libass shows them, we read them."""
    out = render(Transcript((Cue(0, 1000, text),)), "ass")
    written = out.rstrip("\n").rsplit("\n", 1)[1].split(",", 9)[9]
    assert written == field
    assert libass_text(written).replace(WJ, "") == text
    assert loads(out, "ass")[0].text == text
    event = pysubs2.SSAFile.from_string(out).events[0]
    assert event.text == field


def test_srt_markup_lookalikes_are_neutralised() -> None:
    """Tags and an unclosed ASS block in SRT caption text get a word joiner, so players show
    them as text."""
    transcript = Transcript((Cue(0, 1000, "<i>not italic</i> {\\an8 not moved"),))
    out = render(transcript, "srt")
    assert f"<{WJ}i>not italic<{WJ}/i> {{{WJ}\\an8 not moved" in out
    assert loads(out, "srt")[0].text == "<i>not italic</i> {\\an8 not moved"


def test_whitespace_and_blank_lines_inside_a_cue() -> None:
    """Blank lines inside a cue are dropped and lines trimmed, so a cue never ends early."""
    transcript = Transcript((Cue(0, 1000, "  one  \n\n \t \r\ntwo\r\rthree "),))
    for fmt in ("srt", "vtt", "ass"):
        assert loads(render(transcript, fmt), fmt)[0].text == "one\ntwo\nthree", fmt
    assert "\n\n" not in render(transcript, "srt").rstrip("\n")


def test_cues_without_text_are_not_written() -> None:
    """A cue with no visible text would be an empty block; caption writers leave it out."""
    transcript = Transcript((Cue(0, 1000, " \n "), Cue(1000, 2000, "kept")))
    assert render(transcript, "srt").startswith("1\n00:00:01,000")
    assert len(loads(render(transcript, "vtt"), "vtt")) == 1
    assert render(transcript, "ass").count("Dialogue:") == 1
    assert render(transcript, "txt") == "kept\n"


def test_empty_transcript_is_a_valid_file_everywhere() -> None:
    """An empty transcript (no speech) still renders to files every reference parser accepts."""
    empty = Transcript()
    assert render(empty, "srt") == ""
    assert list(srt.parse(render(empty, "srt"))) == []
    assert render(empty, "vtt") == "WEBVTT\n\n"
    assert webvtt.from_string(render(empty, "vtt")).captions == []
    assert len(pysubs2.SSAFile.from_string(render(empty, "ass"))) == 0
    assert render(empty, "txt") == ""
    for fmt in READABLE:
        assert len(loads(render(empty, fmt), fmt)) == 0, fmt


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_fast_time_formatters_match_the_plain_formula(ms: int) -> None:
    """The table-driven time formatters agree with the obvious divmod formula at any length."""
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    assert format_srt(ms) == f"{hours:02d}:{minutes:02d}:{secs:02d},{millis:03d}"
    assert format_vtt(ms) == f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
    assert format_clock(ms) == f"{hours:02d}:{minutes:02d}:{secs:02d}"
    centis = (ms + 5) // 10
    seconds, cs = divmod(centis, 100)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    assert format_ass(ms) == f"{hours:d}:{minutes:02d}:{secs:02d}.{cs:02d}"
