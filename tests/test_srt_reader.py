"""
Our line-by-line SRT reader: the real-world shapes the srt library's pattern
misread (indented number and timing lines, MM:SS,mmm, whitespace after the
end time), linear time on hostile input, agreement with the reader it
replaced wherever no change was meant, and with ``srt.parse`` on every file
our writer produces.
"""

from __future__ import annotations

import contextlib
import re
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
    ("timing", "bad"),
    [
        ("00:00:01,000 --> 00:00:02,000abc", "00:00:02,000abc"),
        ("00:00:01,000 --> 00:00:0x,000", "00:00:0x,000"),
        ("00:00:01,000 --> 00:00:02,000:5 X1:1", "00:00:02,000:5"),
        ("00:00:01,000 --> 00:00:02,000-->", "00:00:02,000-->"),
    ],
)
def test_text_glued_to_the_end_time_is_an_error(timing: str, bad: str) -> None:
    """A broken end time is refused with its line, never read as a shorter time."""
    text = f"1\n00:00:00,000 --> 00:00:00,500\nok\n\n2\n{timing}\nhi\n"
    with pytest.raises(FormatError) as info:
        loads(text, "srt", filename="x.srt")
    assert info.value.line == 6
    assert str(info.value) == (
        f"x.srt, line 6: not a valid end time: {bad!r}; expected HH:MM:SS,mmm"
    )


@pytest.mark.parametrize(
    "timing",
    [
        "00:00:01,000\t--> 00:00:02,000",
        "00:00:01,000 --> \t00:00:02,000",
        "00:00:01,000\u00a0--> 00:00:02,000",
        "00:00:01,000x --> 00:00:02,000",
        "00:00:01,000 --> 00:02",
        "00:01 --> 00:02",
    ],
)
def test_other_broken_timing_lines_are_not_cues(timing: str) -> None:
    """Only spaces may surround the arrow, and a time needs three fields (no leniency added)."""
    with pytest.raises(FormatError, match="line 1: not an SRT cue"):
        loads(f"{timing}\nhi\n", "srt")
    with pytest.raises(FormatError, match="line 3: not an SRT cue"):
        loads(f"\n\n1\n{timing}\nhi\n", "srt")


def test_absurdly_long_time_field_is_a_format_error() -> None:
    """A time field of thousands of digits is refused, not passed to int() (which refuses it)."""
    text = "1\n00:00:" + "9" * 5000 + ",000 --> 00:00:01,000\nhi\n"
    with pytest.raises(FormatError, match="line 2: time stamp out of range"):
        loads(text, "srt")
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
    """'1' and a line of 100,000 zeros is not a cue; the error comes at once and names line 1."""
    began = time.perf_counter()
    with pytest.raises(FormatError) as info:
        loads("1\n" + "0" * 100_000, "srt", filename="digits.srt")
    assert time.perf_counter() - began < 2.0
    assert info.value.line == 1
    assert str(info.value).startswith("digits.srt, line 1: not an SRT cue: '1 / 0000")


@pytest.mark.parametrize("text", ["\ufeff\n", "\ufeff\n\n", "\n\ufeff \r\n"])
def test_empty_file_with_a_bom_and_a_line_end_has_no_cues(text: str) -> None:
    """A BOM followed by a line end (an empty file saved with a BOM) reads as no cues."""
    with pytest.raises(FormatError):
        _srt_legacy.parse(text)
    assert len(loads(text, "srt")) == 0


# --- the same as before where nothing was meant to change -----------------------------

_MARKUP = re.compile(r"</?(?:[ibus]|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(list("<>{}\\/ibusfontIBUSFx \t\n\u00a0ſ")), max_size=40))
@example("<font\ncolor=red>x</FONT>")
@example("{\\an8}{\\b1 <i x{\\}")
@example("<i <b >< i>")
def test_markup_scanner_matches_the_pattern(text: str) -> None:
    """The linear markup scanner removes exactly what the old regular expression removed."""
    assert _srt_reader._strip_markup(text) == _MARKUP.sub("", text)


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
    the end time), the reader finds the same cues, warnings and errors as
    the srt-pattern reader it replaced.
    """
    text = ("\ufeff" if bom else "") + "\n".join(lines) + end
    # The old reader took a BOM before a line end as the start of its error
    # (see the test above); we skip it like the whitespace around it.
    head = text[: len(text) - len(text.lstrip("\ufeff\n"))]
    assume("\ufeff\n" not in head)
    old: object
    new: object
    try:
        transcript = _srt_legacy.parse(text, filename="f.srt")
        old = (transcript.cues, transcript.warnings)
    except FormatError as error:
        old = ("error", error.line, error.reason.split(":")[0])
    try:
        transcript = srt_format.parse(text, filename="f.srt")
        new = (transcript.cues, transcript.warnings)
    except FormatError as error:
        new = ("error", error.line, error.reason.split(":")[0])
    assert new == old


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
