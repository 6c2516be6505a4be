"""
Our line-by-line SRT reader: the real-world shapes the srt library's pattern
misread (indented number and timing lines, MM:SS,mmm, whitespace after the
end time), linear time on hostile input, agreement with the reader it
replaced wherever no change was meant, and with ``srt.parse`` on every file
our writer produces.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
import srt
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import _srt_legacy
from _formats_support import WJ
from gcore_captions import Cue, FormatError, Transcript, loads
from gcore_captions.formats import _srt_reader
from gcore_captions.formats import srt as srt_format

CUE_1 = "1\n00:00:01,000 --> 00:00:02,000\na\n"
CUE_2 = "00:00:03,000 --> 00:00:04,000\nb\n"
BOTH = [(1000, 2000, "a"), (3000, 4000, "b")]


def cues(text: str) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.text) for c in loads(text, "srt")]


# --- indented number and timing lines -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        CUE_1 + "\n 2\n" + CUE_2,
        CUE_1 + "\n\t2  \n" + CUE_2,
        CUE_1 + "\n 2 \n" + CUE_2,
        CUE_1 + "\n2\n " + CUE_2,
        CUE_1 + "\n  " + CUE_2,
        CUE_1 + " 2\n" + CUE_2,
        CUE_1 + "\u00a02\u00a0\n" + CUE_2,
    ],
    ids=[
        "leading-space",
        "tab-and-trailing",
        "both-sides",
        "indented-timing",
        "indented-timing-no-number",
        "no-blank-line",
        "no-break-spaces",
    ],
)
def test_indented_number_or_timing_line_starts_a_new_cue(text: str) -> None:
    """Whitespace around a cue number or before a timing line does not merge two cues."""
    assert cues(text) == BOTH
    assert len(_srt_legacy.parse(text)) == 1  # the old reader swallowed the second cue


@pytest.mark.parametrize("blank", [" ", "\t", " \t ", "\u3000"])
def test_whitespace_only_line_separates_cues_like_a_blank_one(blank: str) -> None:
    """A line of spaces between cues counts as the blank line, even without a cue number."""
    text = CUE_1 + blank + "\n" + CUE_2
    assert cues(text) == BOTH
    assert len(_srt_legacy.parse(text)) == 1


def test_cue_lines_are_numbered_from_their_indented_number_line() -> None:
    """Warnings name the (indented) number line of the cue they are about."""
    text = "1\n00:00:05,000 --> 00:00:06,000\nfive\n\n  2\n00:00:01,000 --> 00:00:02,000\none\n"
    transcript = loads(text, "srt")
    assert [(w.code, w.cue, w.line) for w in transcript.warnings] == [("out-of-order", 2, 5)]


# --- time stamps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timing", "times"),
    [
        ("00:00,500 --> 00:07,000", (500, 7000)),
        ("01:02.250 --> 61:00,001", (62_250, 3_660_001)),
        ("0:5,5 --> 0:6,50", (5005, 6050)),
        ("00：01，500 --> 00：02．500", (1500, 2500)),
    ],
)
def test_minutes_seconds_millis_without_hours(timing: str, times: tuple[int, int]) -> None:
    """``MM:SS,mmm`` (a colon, then ``,`` or ``.``) is minutes and seconds, as ExoPlayer does."""
    text = f"1\n{timing}\nhi\n"
    assert [(c.start_ms, c.end_ms) for c in loads(text, "srt")] == [times]


def test_no_hours_was_read_as_hours_by_the_old_reader() -> None:
    """The srt library's fields are always hours, minutes, seconds: 500 s and 7 min."""
    text = "1\n00:00,500 --> 00:07,000\nhi\n"
    assert cues(text) == [(500, 7000, "hi")]
    assert [(c.start_ms, c.end_ms) for c in _srt_legacy.parse(text)] == [(420_000, 500_000)]


@pytest.mark.parametrize(
    ("timing", "times"),
    [
        ("01:02:03 --> 01:02:04", (3_723_000, 3_724_000)),
        ("00:00:05, --> 00:00:06.", (5000, 6000)),
        ("00:00:500 --> 00:00:501", (500_000, 501_000)),
        ("0.0.1 --> 0.0.2", (1000, 2000)),
        ("00:00:01.5 --> 00:00:01,5000", (1005, 6000)),
        ("1000000:00:00,123 --> 1000000:00:00,124", (3_600_000_000_123, 3_600_000_000_124)),
    ],
)
def test_three_and_four_field_stamps_keep_their_old_reading(
    timing: str, times: tuple[int, int]
) -> None:
    """H:MM:SS without milliseconds, odd separators and wide fields read as before."""
    text = f"1\n{timing}\nhi\n"
    assert [(c.start_ms, c.end_ms) for c in loads(text, "srt")] == [times]
    assert [(c.start_ms, c.end_ms) for c in _srt_legacy.parse(text)] == [times]


@pytest.mark.parametrize(
    "after",
    ["\u00a0", "\x0c", "\x0b", "\u3000", "\u2003X1:100 X2:200", "\x0cX1:5", "\u00a0 \t"],
)
def test_any_whitespace_after_the_end_time_ends_it(after: str) -> None:
    """Whitespace of any kind after the end time ends it; the rest of the line is ignored."""
    text = f"1\n00:00:01,000 --> 00:00:02,000{after}\nhi\n\n2\n00:00:03,000 --> 00:00:04,000\nb\n"
    assert cues(text) == [(1000, 2000, "hi"), (3000, 4000, "b")]


def test_no_break_space_after_the_end_time_crashed_the_old_reader() -> None:
    """The old reader split the settings on whitespace and indexed an empty list."""
    text = "1\n00:00:01,000 --> 00:00:02,000\u00a0\nhi\n"
    with pytest.raises(IndexError):
        _srt_legacy.parse(text)
    assert cues(text) == [(1000, 2000, "hi")]


@pytest.mark.parametrize(
    ("timing", "end", "glued"),
    [
        ("00:00:01,000 --> 00:00:02,000abc", 2000, "abc"),
        ("00:00:01,000 --> 00:00:02,000:5 X1:1", 2000, ":5"),
        ("00:00:01,000 --> 00:00:02,000-->", 2000, "-->"),
        ("00:00:01,000 --> 00:01:20,000?", 80_000, "?"),
        ("00:00:01,000 --> 01:20,000?", 80_000, "?"),
    ],
)
def test_text_glued_to_a_complete_end_time_is_dropped_with_a_warning(
    timing: str, end: int, glued: str
) -> None:
    """
    Lenient: text glued to an end time that has its milliseconds is dropped,
    as FFmpeg does, with a warning naming the line; strict refuses it.
    """
    text = f"1\n00:00:00,000 --> 00:00:00,500\nok\n\n2\n{timing}\nhi\n"
    transcript = loads(text, "srt", filename="x.srt")
    assert [(c.end_ms, c.text) for c in transcript] == [(500, "ok"), (end, "hi")]
    assert [(w.code, w.cue, w.line) for w in transcript.warnings] == [("text-after-time", 2, 6)]
    assert repr(glued) in transcript.warnings[0].message
    with pytest.raises(FormatError) as info:
        loads(text, "srt", filename="x.srt", strict=True)
    assert (info.value.filename, info.value.line, info.value.cue) == ("x.srt", 6, 2)
    assert f"text {glued!r} is glued to the end time" in str(info.value)


@pytest.mark.parametrize(
    "timing",
    [
        "00:00:01,000 --> 00:00:0x,000",
        "00:00:01,000 --> 00:00:02x",
        "00:00:01,000\u00a0--> 00:00:02,000",
        "00:00:01,000x --> 00:00:02,000",
        "00:00:01,000 -> 00:00:02,000",
        "00:00:01,000 --> 02,000",
    ],
)
def test_a_block_with_a_broken_timing_line_is_skipped(timing: str) -> None:
    """
    Lenient: a cue whose timing line is broken is skipped with a warning
    naming its line, the cues around it kept (as ExoPlayer does); strict
    refuses the file naming file, line and cue.
    """
    text = f"1\n00:00:00,000 --> 00:00:00,500\nok\n\n2\n{timing}\nhi\n\n3\n{CUE_2}"
    transcript = loads(text, "srt", filename="x.srt")
    assert [c.text for c in transcript] == ["ok", "b"]
    assert [(w.code, w.line) for w in transcript.warnings] == [("invalid-timing", 5)]
    with pytest.raises(FormatError, match="not an SRT cue") as info:
        loads(text, "srt", filename="x.srt", strict=True)
    assert (info.value.filename, info.value.line, info.value.cue) == ("x.srt", 5, 2)


@pytest.mark.parametrize(
    ("timing", "times"),
    [
        ("00:00:01,000\t--> 00:00:02,000", (1000, 2000)),
        ("00:00:01,000 --> \t00:00:02,000", (1000, 2000)),
        ("00:00:01,000 --> 00:02", (1000, 2000)),
        ("00:01 --> 00:02", (1000, 2000)),
        ("1:2 --> 1:3,5", (62_000, 63_005)),
    ],
)
def test_tabs_around_the_arrow_and_minutes_seconds_stamps_are_read(
    timing: str, times: tuple[int, int]
) -> None:
    """Tabs around the arrow (FFmpeg, ExoPlayer) and MM:SS without a fraction (ExoPlayer)."""
    transcript = loads(f"1\n{timing}\nhi\n", "srt")
    assert [(c.start_ms, c.end_ms) for c in transcript] == [times]
    assert transcript.warnings == ()
    with pytest.raises(FormatError, match="not a strict timing line"):
        loads(f"1\n{timing}\nhi\n", "srt", strict=True)


def test_absurdly_long_time_field_is_skipped_with_a_warning() -> None:
    """A time field of thousands of digits is not a time: skipped (lenient) or refused (strict)."""
    text = "1\n00:00:" + "9" * 5000 + ",000 --> 00:00:01,000\nhi\n\n2\n" + CUE_2
    transcript = loads(text, "srt")
    assert [c.text for c in transcript] == ["b"]
    assert [(w.code, w.line) for w in transcript.warnings] == [("invalid-timing", 1)]
    with pytest.raises(FormatError, match="line 1, cue 1: not an SRT cue"):
        loads(text, "srt", strict=True)
    # Leading zeros are not significant: a long run of them is still a time.
    assert cues("1\n00:00:" + "0" * 5000 + "1,000 --> 00:00:02,000\nhi\n") == [(1000, 2000, "hi")]


# --- linear time ----------------------------------------------------------------------

HOSTILE: dict[str, Callable[[int], str]] = {
    "digits after a number line": lambda n: "1\n" + "0" * n,
    "digit run in a timing line": lambda n: "1\n" + "0" * n + ":0:0" + ",0" * 10 + " --> 0:0:0\nx",
    "number lines": lambda n: "1\n00:00:01,000 --> 00:00:02,000\n" + "1\n" * (n // 2),
    "number and blank lines": lambda n: CUE_1 + "1\n\n" * (n // 3),
    "unclosed tags": lambda n: "1\n00:00:01,000 --> 00:00:02,000\n" + "<i " * (n // 3),
    "unclosed override blocks": lambda n: "1\n00:00:01,000 --> 00:00:02,000\n" + "{\\" * (n // 2),
    "escaped-looking number line": lambda n: (
        "1\n00:00:01,000 --> 00:00:02,000\n" + "1" * n + "x" + WJ + "\n12:00:00 x\n"
    ),
    "spaces": lambda n: CUE_1 + "\n" + " " * n + "x",
    "arrow spaces": lambda n: "1\n00:00:01,000 -" + " " * n + "x",
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_read_in_linear_time(make: Callable[[int], str]) -> None:
    """100,000 characters of the shapes that made the old pattern backtrack take well under 2 s."""
    text = make(100_000)
    began = time.perf_counter()
    with contextlib.suppress(FormatError):
        loads(text, "srt")
    assert time.perf_counter() - began < 2.0


def test_huge_digit_run_names_the_line() -> None:
    """'1' and a line of 100,000 zeros is not a cue; the report comes at once and names line 1."""
    began = time.perf_counter()
    with pytest.raises(FormatError) as info:
        loads("1\n" + "0" * 100_000, "srt", filename="digits.srt", strict=True)
    assert time.perf_counter() - began < 2.0
    assert info.value.line == 1
    assert str(info.value).startswith("digits.srt, line 1, cue 1: not an SRT cue: '1 / 0000")
    # Lenient too: not one cue in it, so it is not SRT.
    with pytest.raises(FormatError, match="line 1, cue 1: not an SRT cue"):
        loads("1\n" + "0" * 100_000, "srt")


@pytest.mark.parametrize("text", ["\ufeff\n", "\ufeff\n\n", "\n\ufeff \r\n"])
def test_empty_file_with_a_bom_and_a_line_end_has_no_cues(text: str) -> None:
    """A BOM followed by a line end (an empty file saved with a BOM) reads as no cues."""
    with pytest.raises(FormatError):
        _srt_legacy.parse(text)
    assert len(loads(text, "srt")) == 0


# --- the same as before where nothing was meant to change -----------------------------


def _shown_by_ffmpeg(text: str) -> str:
    """
    A plain (slow) model of FFmpeg 5.1's SRT tag reading, libavcodec/
    htmlsubtitles.c, written from its source: character by character.
    """
    out = []
    i = 0
    likely = True
    while i < len(text):
        char = text[i]
        if char == "{" and text.startswith("\\", i + 1) and "}" in text[i + 2 :]:
            i = text.index("}", i + 2) + 1
            continue
        if char == "<":
            likely = True
            while text.startswith("<", i + 1):  # "<<": the first is text
                out.append("<")
                likely = False
                i += 1
            closing = text.startswith("/", i + 1)
            likely = likely or closing
            q = i + 1 + closing
            run = q
            while run < len(text) and text[run] not in "<>" and run - q < 127:
                run += 1
            if run < len(text) and text[run] == ">":
                buffer = text[q:run]
                name = buffer.lstrip(" ")
                likely = likely and name == buffer
                name = name.split(" ")[0]
                if not all(c.isascii() and (c.isalnum() or c in "_/") for c in name):
                    likely = False
                key = name.lower()
                if key in {"font", "b", "i", "s", "u"} or (likely and key not in {"br", "br/"}):
                    i = run + 1
                    continue
                if key in {"br", "br/"}:
                    out.append("\n")
                    i = run + 1
                    continue
        out.append(char)
        i += 1
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("<>{}\\/ibusfontIBUSFxqé3_ \t\n\u00a0")), max_size=40))
@example("<font\ncolor=red>x</FONT>")
@example("{\\an8}{\\b1 <i x{\\}")
@example("<i <b >< i>")
@example("a < b > c")
@example("<sub>x</sub> <q>y <<g>> <> < > <br/>")
@example("<" + "a" * 127 + ">" + "<" + "a" * 128 + ">")
def test_markup_scanner_reads_tags_as_ffmpeg_does(text: str) -> None:
    """The linear markup scanner removes exactly what the plain model of FFmpeg's reading does."""
    assert _srt_reader._strip_markup(text) == _shown_by_ffmpeg(text)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<sub>x</sub>", "x"),
        ("<ruby>a<rt>b</rt></ruby>", "ab"),
        ("< i >tilted</ i >", "tilted"),
        ("<  s  >gone</s>", "gone"),
        ("< font color=red>red</font>", "red"),
        ("a < b > c", "a  c"),
        ("<q>no closing tag", "no closing tag"),
        ("<3 and <<guillemets>>", "<3 and <<guillemets>>"),
        ("x</i> stray closer", "x stray closer"),
        ("</sub> unopened", "unopened"),
        ("one<br>two<BR />three", "one\ntwo\nthree"),
        ("< x > <é> <a-b>", "< x > <é> <a-b>"),
    ],
)
def test_tags_read_as_ffmpeg_shows_them(raw: str, shown: str) -> None:
    """
    Unknown well-formed tags vanish as FFmpeg hides them, spellings with
    inner spaces are tags, and what FFmpeg shows as text stays text.
    """
    assert cues(f"1\n00:00:01,000 --> 00:00:02,000\n{raw}\n") == [(1000, 2000, shown)]


INDEXES = ["1", "2", "12", "-1", "3.5", "4."]
TIMINGS = [
    "00:00:01,000 --> 00:00:02,000",
    "00:00:03,000 --> 00:00:01,000",
    "0:0:1.5 --> 0:0:2",
    "00:00:01,000 - > 00:00:02,000",
    "00:00:01,000  -->  00:00:02,000 X1:10 X2:20",
    "1:2:3:4 --> 5:6:7:8",
    "00:00:05.000-->00:00:06.000",
    "00:00:01,000 --> 00:00:02,000\tsettings",
    "12:00:00 --> 12:00:01",
]
BROKEN = [
    "00:00:03,000 -> 00:00:04,000",
    "00:00:03,000",
    "00:00:01,000 --> 00:00:02,000x",
    "00:00:01,000 --> 00:00:0x,000",
    "12:30:45.5 lunch",
]
TEXTS = [
    "hello",
    "1984",
    "<i>it</i>",
    "{\\an8}top",
    "a --> b",
    "<font color=red>red",
    "x</i> {\\b1",
    "1984" + WJ,
    "<" + WJ + "i>",
    "--" + WJ + ">",
    "{" + WJ + "\\an8}",
    "\ufeff",
    "-",
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(INDEXES),
            st.sampled_from(TIMINGS),
            st.sampled_from(BROKEN),
            st.sampled_from(TEXTS),
            st.just(""),
            st.just(""),
        ),
        max_size=14,
    ),
    st.sampled_from(["", "\n", "\n\n"]),
    st.booleans(),
)
def test_reads_what_the_old_reader_read(lines: list[str], end: str, bom: bool) -> None:
    """
    On SRT-like text without the shapes whose reading changed on purpose
    (indented lines, whitespace-only lines, MM:SS,mmm, other whitespace after
    the end time), the reader finds the same cues and repairs as the
    srt-pattern reader it replaced, and says what else it noticed: where
    the old reader refused the file, lenient reading skips the block with a
    warning naming the same line and strict reading refuses it there too.
    """
    text = ("\ufeff" if bom else "") + "\n".join(lines) + end
    # The old reader took a BOM before a line end as the start of its error
    # (see the test above); we skip it like the whitespace around it.
    head = text[: len(text) - len(text.lstrip("\ufeff\n"))]
    assume("\ufeff\n" not in head)
    # A blank line right after a timing line no longer counts as the cue's
    # first text line (which hid a timing line right below it).
    assume(not any(a in TIMINGS and not b for a, b in itertools.pairwise(lines)))
    try:
        old = _srt_legacy.parse(text, filename="f.srt")
    except FormatError as error:
        refused = error.line
    else:
        refused = None
    try:
        new = srt_format.parse(text, filename="f.srt")
    except FormatError as error:
        # Not one cue could be read: refused, as the old reader did, at the
        # first block it skipped.
        new_refused = error.line
    else:
        new_refused = None
    if new_refused is not None:
        assert refused is not None
        assert new_refused <= refused
        return
    if refused is not None:
        # The block's first line (the old reader named the timing line when
        # only the end time was broken).
        skipped = [w.line for w in new.warnings if w.code in _NEW_CODES]
        assert any(line is not None and line <= refused for line in skipped)
        with pytest.raises(FormatError) as info:
            srt_format.parse(text, filename="f.srt", strict=True)
        assert info.value.line is not None
        assert info.value.line <= refused
        return
    assert new.cues == old.cues
    # The same repairs (listed in line order once other warnings join them).
    repairs = [w for w in new.warnings if w.code not in _NEW_CODES]
    assert sorted(repairs, key=repr) == sorted(old.warnings, key=repr)


_NEW_CODES = {
    "missing-blank-line",
    "stray-text",
    "text-after-time",
    "time-out-of-range",
    "invalid-timing",
    "ignored-block",
}


# --- agreement with srt.parse on everything our writer writes -------------------------

_any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_texts = st.one_of(
    _any_text,
    st.lists(
        st.one_of(
            _any_text,
            st.sampled_from(["1984", "12:30:45.5 x", "00:00:01,000 --> 00:00:02,000", "-->"]),
            st.sampled_from(["<i>", "{\\an8}", "\n", "\n\n", "\r\n", " \n", WJ, "\ufeff"]),
        ),
        max_size=6,
    ).map("".join),
)


@st.composite
def _transcripts(draw: st.DrawFn) -> Transcript:
    made = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, 10**9))
        end = draw(st.integers(start, start + 10**6))
        made.append(Cue(start, end, draw(_texts)))
    return Transcript(tuple(made))


def _ms(value: timedelta) -> int:
    return value // timedelta(milliseconds=1)


# A brace pair is written full-width with a WriterWarning; both readers read that.
@pytest.mark.filterwarnings("ignore::gcore_captions.formats.WriterWarning")
@settings(max_examples=300, deadline=None)
@given(_transcripts(), st.integers(0, 3))
def test_reads_our_files_as_srt_parse_does(transcript: Transcript, start_index: int) -> None:
    """
    For any cue text, our reader and ``srt.parse`` read the file our writer
    made into the same cues: same count, times and text (the reference keeps
    the invisible word joiners our reader removes; it keeps markup too, which
    the writer has neutralised with them).
    """
    text = srt_format.render(transcript, srt_format.SrtOptions(start_index=start_index))
    ours = srt_format.parse(text)
    reference = list(srt.parse(text))
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms) for c in ours] == [(_ms(s.start), _ms(s.end)) for s in reference]
    assert [c.text.replace(WJ, "") for c in ours] == [
        "\n".join(line.strip() for line in s.content.split("\n")).replace(WJ, "") for s in reference
    ]
