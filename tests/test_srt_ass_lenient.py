"""
Lenient and strict reading of SRT and ASS (issue 11): what the players read
is read, every repair is a warning with a stable code naming its line, and
``strict=True`` (``--strict``) refuses a malformed block naming file, cue and
line. Also: only typed errors and linear time on any input, and the SRT fast
path reads exactly what the line-by-line reader reads.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions import Cue, FormatError, Transcript, load, loads, render, timecode
from gcore_captions.cli import main
from gcore_captions.formats import FORMATS, _srt_reader
from gcore_captions.formats import ass as ass_format
from gcore_captions.formats import srt as srt_format

CUE_1 = "1\n00:00:01,000 --> 00:00:02,000\na\n\n"
CUE_3 = "3\n00:00:05,000 --> 00:00:06,000\nc\n"
ASS_HEAD = (
    "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)

# The round trips here write with our SRT writer, which warns when it changes
# text (full-width braces): tests/test_writer_injection.py checks the warnings.
pytestmark = pytest.mark.filterwarnings("ignore::gcore_captions.formats.WriterWarning")


def read(
    text: str, fmt: str = "srt"
) -> tuple[list[tuple[int, int, str]], list[tuple[str, int | None, int | None]]]:
    transcript = loads(text, fmt, filename=f"x.{fmt}")
    return (
        [(c.start_ms, c.end_ms, c.text) for c in transcript],
        [(w.code, w.cue, w.line) for w in transcript.warnings],
    )


def refused(text: str, fmt: str = "srt") -> FormatError:
    with pytest.raises(FormatError) as info:
        loads(text, fmt, filename=f"x.{fmt}", strict=True)
    assert info.value.filename == f"x.{fmt}"
    return info.value


# --- SRT: lenient reading, each repair a warning naming its line --------------------


def test_hourless_stamps_are_minutes_and_seconds() -> None:
    """``00:00,500 --> 00:07,000`` is 0.5 s to 7 s, as ExoPlayer reads it, with no warning."""
    assert read("1\n00:00,500 --> 00:07,000\nhi\n") == ([(500, 7000, "hi")], [])


@pytest.mark.parametrize(
    ("timing", "times"),
    [
        ("0:0:1,5 --> 0:0:2,50", (1005, 2050)),
        ("00:00:01.250 --> 00:00:02.500", (1250, 2500)),
        ("1:2:3 --> 1:2:4", (3_723_000, 3_724_000)),
        ("00:01 --> 00:02", (1000, 2000)),
    ],
)
def test_odd_but_readable_stamps_are_read_and_refused_when_strict(
    timing: str, times: tuple[int, int]
) -> None:
    """Unpadded fields, short fractions (milliseconds, as FFmpeg), '.' and no fraction."""
    text = f"1\n{timing}\nhi\n"
    assert read(text) == ([(*times, "hi")], [])
    error = refused(text)
    assert (error.line, error.cue) == (2, 1)
    assert "not a strict timing line" in str(error)


def test_out_of_range_field_is_read_with_a_warning() -> None:
    """``00:99:00,000`` is 99 minutes, as players read it, never silently."""
    text = CUE_1 + "2\n00:99:00,000 --> 01:40:00,000\nb\n"
    found, warnings = read(text)
    assert found[1] == (5_940_000, 6_000_000, "b")
    assert warnings == [("time-out-of-range", 2, 6)]
    error = refused(text)
    assert (error.line, error.cue) == (6, 2)
    assert "99 minutes, out of range" in str(error)


@pytest.mark.parametrize(
    ("stamp", "name"), [("00:00:75,000", "seconds"), ("00:00:01,5000", "milliseconds")]
)
def test_other_out_of_range_fields_are_named(stamp: str, name: str) -> None:
    """Seconds of 60 or more and four-digit milliseconds are reported too."""
    transcript = loads(f"1\n{stamp} --> 99:00:00,000\nhi\n", "srt")
    assert [w.code for w in transcript.warnings] == ["time-out-of-range"]
    assert name in transcript.warnings[0].message


def test_stray_text_block_is_kept_in_the_cue_above_with_a_warning() -> None:
    """A text block that starts no cue is kept as FFmpeg shows it, and reported with its line."""
    text = CUE_1 + "stray\nmore\n\n3\n00:00:05,000 --> 00:00:06,000\nc\n"
    assert read(text) == (
        [(1000, 2000, "a\nstray\nmore"), (5000, 6000, "c")],
        [("stray-text", 1, 5)],
    )
    error = refused(text)
    assert (error.line, error.cue) == (5, 1)
    assert "text after a blank line starts no cue ('stray')" in str(error)


def test_a_missing_blank_line_between_cues_is_read_with_a_warning() -> None:
    """A number and timing line right below a cue's text start a new cue (reported, or refused)."""
    text = "1\n00:00:01,000 --> 00:00:02,000\na\n2\n00:00:03,000 --> 00:00:04,000\nb\n"
    assert read(text) == (
        [(1000, 2000, "a"), (3000, 4000, "b")],
        [("missing-blank-line", 1, 4)],
    )
    error = refused(text)
    assert (error.line, error.cue) == (4, 1)


def test_block_with_a_broken_time_is_skipped_and_the_others_kept() -> None:
    """Today's behaviour was to refuse the whole file; now only that block goes."""
    text = CUE_1 + "2\n00:00:03,000 --> 00:00:0x,000\nbroken\n\n" + CUE_3
    assert read(text) == (
        [(1000, 2000, "a"), (5000, 6000, "c")],
        [("invalid-timing", None, 5)],
    )
    error = refused(text)
    assert (error.line, error.cue) == (5, 2)


def test_a_doubled_number_line_loses_no_cue() -> None:
    """A number line above a whole cue is skipped alone; the cue below it is read."""
    text = "1\n2\n00:00:01,000 --> 00:00:02,000\ntext\n\n" + CUE_3
    assert read(text) == ([(1000, 2000, "text"), (5000, 6000, "c")], [("ignored-block", None, 1)])


@pytest.mark.parametrize(
    ("cut", "code"),
    [
        ("2\n00:00:0", "invalid-timing"),
        ("2\n00:00:03,000 --> 00:0", "dropped-empty-cue"),
        ("2\n00:00:03,000 --> 00:00:04,000", "dropped-empty-cue"),
    ],
)
def test_a_file_cut_short_keeps_its_complete_cues(cut: str, code: str) -> None:
    """As ExoPlayer does: what the last, cut block holds is dropped with a warning at its line."""
    found, warnings = read(CUE_1 + cut)
    assert found == [(1000, 2000, "a")]
    assert [(w[0], w[2]) for w in warnings] == [(code, 5)]


def test_a_trailing_number_is_text_as_ffmpeg_keeps_it() -> None:
    """A lone number after the last cue is kept as its text (FFmpeg: likely a year), reported."""
    assert read(CUE_1 + "1984\n") == ([(1000, 2000, "a\n1984")], [("stray-text", 1, 5)])


def test_junk_before_the_first_cue_is_skipped() -> None:
    """Text that is not a cue at all is an ignored block, the cues after it kept."""
    assert read("Some title\nby someone\n\n" + CUE_1) == (
        [(1000, 2000, "a")],
        [("ignored-block", None, 1)],
    )


def test_text_with_no_cue_at_all_is_refused() -> None:
    """Lenient reading keeps good cues; with none, the text is not SRT and is refused."""
    with pytest.raises(FormatError, match="line 1, cue 1: not an SRT cue: 'just some words'"):
        loads("just some words\n", "srt", filename="x.srt")


@pytest.mark.parametrize("space", ["\u00a0", "\x0b", "\x0c", "\u2028", "\u3000", "\x85"])
def test_unusual_whitespace_after_a_stamp_gives_typed_results_only(space: str) -> None:
    """Whitespace other than space/tab after the end time ends it; before the arrow it breaks it."""
    after = f"1\n00:00:01,000 --> 00:00:02,000{space}X1:5\nhi\n"
    assert read(after)[0] == [(1000, 2000, "hi")]
    assert refused(after).line == 2  # strict: a space or tab only
    assert len(loads(after.replace(space, "\t"), "srt", strict=True)) == 1
    before = CUE_1 + f"2\n00:00:03,000{space}--> 00:00:04,000\nhi\n\n" + CUE_3
    found, warnings = read(before)
    assert [c[2] for c in found] == ["a", "c"]
    assert [w[0] for w in warnings] == ["invalid-timing"]


def test_strict_refuses_what_lenient_reads_around_the_number_line() -> None:
    """Strict: a cue needs its number line, digits only, right above the timing line."""
    for text, line in [
        ("00:00:01,000 --> 00:00:02,000\nhi\n", 1),
        (CUE_1 + " 2\n00:00:03,000 --> 00:00:04,000\nb\n", 5),
        (CUE_1 + "2\n\n00:00:03,000 --> 00:00:04,000\nb\n", 6),
    ]:
        assert len(loads(text, "srt")) >= 1
        assert refused(text).line == line


def test_strict_reads_a_clean_file_like_lenient() -> None:
    """Strict reading changes nothing for a well-formed file, repairs included."""
    text = CUE_1 + "2\n00:00:00,000 --> 00:00:00,500\nearly\n\n3\n00:00:09,000 --> 00:00:10,000\n\n"
    assert loads(text, "srt", strict=True) == loads(text, "srt")
    assert [w.code for w in loads(text, "srt", strict=True).warnings] == [
        "dropped-empty-cue",
        "out-of-order",
    ]


# --- ASS ------------------------------------------------------------------------------


def test_ass_event_with_a_broken_time_is_dropped_and_the_others_kept() -> None:
    """As ExoPlayer does; named by line and event; strict refuses."""
    text = ASS_HEAD + (
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,one\n"
        "Dialogue: 0,0:00:03.00,nonsense,Default,,0,0,0,,two\n"
        "Dialogue: 0,0:00:05.00,0:00:06.00,Default,,0,0,0,,three\n"
    )
    assert read(text, "ass") == (
        [(1000, 2000, "one"), (5000, 6000, "three")],
        [("invalid-timing", 2, 7)],
    )
    error = refused(text, "ass")
    assert (error.line, error.cue) == (7, 2)
    assert "bad time 'nonsense'" in str(error)


@pytest.mark.parametrize(
    "stamp", ["9" * 5000 + ":00:00.00", "0:00:" + "9" * 5000 + ".00", "0:00:00." + "0" * 5000]
)
def test_ass_huge_numbers_are_a_broken_time(stamp: str) -> None:
    """Thousands of digits in a time field never reach int(); the event is dropped."""
    text = ASS_HEAD + f"Dialogue: 0,{stamp},0:00:02.00,Default,,0,0,0,,x\n"
    began = time.perf_counter()
    assert read(text, "ass") == ([], [("invalid-timing", 1, 6)])
    assert time.perf_counter() - began < 1.0


def test_ass_short_event_and_bad_format_line_are_skipped_with_warnings() -> None:
    """A Dialogue with too few fields is dropped; a bad Format line is ignored; both named."""
    text = (
        "[Script Info]\n\n[Events]\nFormat: Start, Text, End\n"
        "Dialogue: 0,0:00:01.00\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,kept, with, commas\n"
    )
    assert read(text, "ass") == (
        [(1000, 2000, "kept, with, commas")],
        [("invalid-format", None, 4), ("invalid-event", 1, 5)],
    )
    assert refused(text, "ass").line == 4


@pytest.mark.parametrize(
    "text",
    [
        "[Events]",
        "[Script Info]\n[Events]",
        "[Events]\nFormat: Start, End, Text\n",
        "[Events]\nFormat: Start, End, Text\nDialogue: 0:00:01.00,0:00:02.00\n",
    ],
)
def test_ass_events_section_without_a_usable_event_has_no_cues(text: str) -> None:
    """No Dialogue that fits its Format line: no cues, never a crash (found by the fuzzer)."""
    assert len(loads(text, "ass")) == 0


def test_ass_negative_time_is_refused_when_strict() -> None:
    """Lenient reads a negative time as 0 with a warning; strict refuses it."""
    text = ASS_HEAD + "Dialogue: 0,-0:00:01.00,0:00:02.00,Default,,0,0,0,,early\n"
    assert read(text, "ass") == ([(0, 2000, "early")], [("negative-time", 1, 6)])
    assert refused(text, "ass").line == 6


def test_ass_without_a_format_line_uses_the_standard_order() -> None:
    """No Format line: the standard ASS v4+ field order."""
    text = "[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,Ann,0,0,0,,hi\n"
    transcript = loads(text, "ass", strict=True)
    assert [(c.start_ms, c.text, c.speaker) for c in transcript] == [(1000, "hi", "Ann")]


def test_ass_bulk_and_careful_times_agree() -> None:
    """One odd stamp sends the whole file down the careful path, with the same times."""
    events = "".join(
        f"Dialogue: 0,0:00:{i:02d}.{i:02d},0:00:{i + 1:02d}.00,Default,,0,0,0,,e{i}\n"
        for i in range(50)
    )
    bulk = loads(ASS_HEAD + events, "ass")
    careful = loads(
        ASS_HEAD + events + "Dialogue: 0, 0:01:00.5 ,0:01:01.00,Default,,0,0,0,,x\n", "ass"
    )
    assert careful.cues[:-1] == bulk.cues
    assert careful.cues[-1].start_ms == 60_500


# --- the strict switch everywhere -------------------------------------------------------


def test_every_reader_in_the_registry_takes_strict() -> None:
    """The registry's parse entries all take strict= (JSON accepts and ignores it)."""
    srt_text = CUE_1
    assert FORMATS["srt"].parse is not None
    assert len(FORMATS["srt"].parse(srt_text, filename=None, strict=True)) == 1
    assert FORMATS["ass"].parse is not None
    assert len(FORMATS["ass"].parse(ASS_HEAD, filename=None, strict=True)) == 0
    json_parse = FORMATS["json"].parse
    assert json_parse is not None
    aligned = loads(srt_text, "srt")
    assert json_parse(render(aligned, "json"), strict=True).cues == aligned.cues


def test_load_passes_strict_through(tmp_path: Path) -> None:
    """load(path, strict=True) refuses what load(path) reads with a warning."""
    path = tmp_path / "x.srt"
    path.write_text(CUE_1 + "2\n00:00:03,000 -> 00:00:04,000\nb\n\n" + CUE_3, encoding="utf-8")
    assert [c.text for c in load(path)] == ["a", "c"]
    with pytest.raises(FormatError) as info:
        load(path, strict=True)
    assert (info.value.filename, info.value.line, info.value.cue) == (str(path), 5, 2)


@pytest.mark.parametrize("command", ["convert", "check", "preview"])
def test_every_command_that_reads_files_takes_strict(command: str, tmp_path: Path) -> None:
    """--strict reaches the reader from convert, check and preview."""
    path = tmp_path / "x.srt"
    path.write_text(CUE_1 + "2\n00:00:03,000 -> 00:00:04,000\nb\n\n" + CUE_3, encoding="utf-8")
    extra = {"convert": ["-o", str(tmp_path / "out")], "preview": ["-o", str(tmp_path / "p.html")]}
    args = [command, str(path), *extra.get(command, [])]
    runner = CliRunner()
    lenient = runner.invoke(main, args)
    assert "Traceback" not in lenient.stderr
    strict = runner.invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "x.srt, line 5, cue 2: not an SRT cue" in strict.stderr
    if command != "check":  # check exits 1 on quality findings too
        assert lenient.exit_code == 0


# --- fast path = line-by-line reader --------------------------------------------------


def _slow(text: str, strict: bool = False) -> Transcript:
    """The line-by-line reader alone, on text as parse_srt prepares it."""
    skip = len(text) - len(text.lstrip("\ufeff \t\n"))
    base = text.count("\n", 0, skip) + 1
    return _srt_reader._Reader(text[skip:].split("\n"), base, None, strict).run()


_texts = st.lists(
    st.text(st.sampled_from(list("ab <i>{\\}\u20601:0,.-–é\u00a0")), min_size=1, max_size=12),
    min_size=1,
    max_size=3,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10**12), st.integers(0, 10**9), _texts),
        max_size=6,
    ),
    st.sampled_from(["", "\n", "\n\n"]),
)
def test_fast_path_reads_what_the_line_reader_reads(
    made: list[tuple[int, int, str]], end: str
) -> None:
    """Any file of the usual shape (written by us or by hand) reads the same on both paths."""
    transcript = Transcript(tuple(Cue(s, s + d, t) for s, d, t in made))
    written = srt_format.render(transcript)
    format_srt = timecode.format_srt
    raw = "".join(
        f"{i}\n{format_srt(s)} --> {format_srt(s + d)}\n{t}\n\n"
        for i, (s, d, t) in enumerate(made, 1)
    )
    dotted = raw.replace(",", ".")
    for text in (written.rstrip("\n") + end, raw, dotted):
        if not text.strip():
            continue
        for strict in (False, True):
            try:
                slow: object = _slow(text, strict)
            except FormatError as error:
                slow = ("error", error.line)
            try:
                fast: object = srt_format.parse(text, strict=strict)
            except FormatError as error:
                fast = ("error", error.line)
            assert fast == slow


def test_fast_path_counts_lines_for_warnings() -> None:
    """Repairs found on the fast path name the right number lines."""
    text = "1\n00:00:05,000 --> 00:00:06,000\nfive\nmore\n\n2\n00:00:01,000 --> 00:00:02,000\none\n"
    assert _srt_reader._read_fast(text, 1, False) is not None
    assert _srt_reader._read_fast(text.replace(",", "."), 1, False) is not None
    assert _srt_reader._read_fast(text.replace(",", "."), 1, True) is None
    assert _srt_reader._read_fast(text.replace("five", "five  "), 1, False) is not None
    assert [(w.code, w.line) for w in loads(text, "srt").warnings] == [("out-of-order", 6)]


# --- only typed errors, linear time ------------------------------------------------------


_pieces = st.sampled_from(
    [
        "1",
        "00:00:01,000 --> 00:00:02,000",
        "00:01 --> 00:02",
        "99999999999999999999999999:00:00,000 --> 0:0:0",
        "00:00:01,000 --> 00:00:02,000x",
        "<i>",
        "< b >",
        "</sub>",
        "{\\an8}",
        "{",
        "\u2060",
        "\ufeff",
        "\x00",
        "\ud800",
        "\u00a0",
        "\x0c",
        "",
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,x",
        "Dialogue: 0,",
        "Format: Start, End, Text",
        "[Events]",
        "[Script Info]",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=16), st.booleans())
def test_only_typed_errors_on_any_input(parts: list[str], strict: bool) -> None:
    """Whatever the text, the SRT and ASS readers return a transcript or raise FormatError."""
    text = "\n".join(parts)
    for parse in (srt_format.parse, ass_format.parse):
        with contextlib.suppress(FormatError):
            transcript = parse(text, strict=strict)
            assert all(isinstance(c, Cue) and c.start_ms >= 0 for c in transcript)


HOSTILE: dict[str, Callable[[int], str]] = {
    "srt digit run": lambda n: "1\n" + "0" * n,
    "srt many short blocks": lambda n: "x\n\n" * (n // 3),
    "srt many stray blocks": lambda n: CUE_1 + "x\n\n" * (n // 3),
    "srt unclosed tags": lambda n: CUE_1.rstrip() + "<i " * (n // 3),
    "srt unknown tags": lambda n: CUE_1.rstrip() + "".join(f"<t{i}>" for i in range(n // 7)),
    "srt unclosed < and >": lambda n: CUE_1.rstrip() + "<" * (n // 2) + ">" * (n // 2),
    "srt long line": lambda n: CUE_1.rstrip() + "a" * n,
    "ass unclosed braces": lambda n: (
        ASS_HEAD + "Dialogue: 0,0:00:01.00,0:00:02.00,D,,0,0,0,," + "{" * n
    ),
    "ass digit run": lambda n: ASS_HEAD + "Dialogue: 0," + "9" * n + ",0:00:02.00,D,,0,0,0,,x",
    "ass many events": lambda n: (
        ASS_HEAD + "Dialogue: 0,0:00:01.00,0:00:02.00,D,,0,0,0,,{\\i1}x\\N{y\n" * (n // 50)
    ),
    "ass commas": lambda n: ASS_HEAD + "Dialogue: " + "," * n,
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_takes_linear_time(make: Callable[[int], str]) -> None:
    """Ten times the input takes well under thirty times as long (linear, with noise)."""

    def took(n: int) -> float:
        text = make(n)
        began = time.perf_counter()
        for parse in (srt_format.parse, ass_format.parse):
            with contextlib.suppress(FormatError):
                parse(text)
        return time.perf_counter() - began

    small = min(took(20_000) for _ in range(3))
    large = min(took(200_000) for _ in range(2))
    assert large < 2.0
    assert large < 30 * max(small, 0.02)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(st.sampled_from(list("ab \\Nnh{}p1\u2060\u00a0\r\t")), max_size=12).map(
            lambda t: t.replace("\r", "")
        ),
        max_size=6,
    )
)
def test_ass_texts_read_in_bulk_as_one_at_a_time(raws: list[str]) -> None:
    """The all-at-once Text reading gives what plain_text gives for each field."""
    from gcore_captions.formats import _ass_reader

    assert _ass_reader._plain_texts(raws) == [_ass_reader.plain_text(r) for r in raws]


def _respelled(ms: int, style: int) -> str:
    """A time stamp of ``ms`` as players accept it: no hours, '.', unpadded..."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    if style == 0 and hours == 0:
        return f"{minutes:02d}:{seconds:02d},{millis:03d}"  # MM:SS,mmm
    if style == 1:
        return f"{hours}:{minutes}:{seconds}.{millis}"  # unpadded, '.', millis as a number
    if style == 2 and millis == 0:
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}"  # no fraction
    if style == 3 and hours == 0 and millis == 0:
        return f"{minutes}:{seconds}"  # MM:SS
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}\uff0c{millis:03d}"  # full-width comma


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5_000_000).map(lambda ms: ms - ms % 1000 * (ms % 3 == 0)),
            st.integers(0, 10_000),
            st.integers(0, 4),
            st.integers(0, 4),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([" --> ", "-->", "\t-->\t", " - > "]),
)
def test_a_file_respelled_with_player_stamps_reads_as_the_canonical_one(
    made: list[tuple[int, int, int, int]], arrow: str
) -> None:
    """Every stamp shape players read gives the same cues as HH:MM:SS,mmm, with no warning."""
    canonical = "".join(
        f"{i}\n{timecode.format_srt(s)} --> {timecode.format_srt(s + d)}\nline {i}\n\n"
        for i, (s, d, _, _) in enumerate(made, 1)
    )
    respelled = "".join(
        f"{i}\n{_respelled(s, a)}{arrow}{_respelled(s + d, b)}\nline {i}\n\n"
        for i, (s, d, a, b) in enumerate(made, 1)
    )
    expected = loads(canonical, "srt")
    got = loads(respelled, "srt")
    assert got.cues == expected.cues
    assert [w.code for w in got.warnings] == [w.code for w in expected.warnings]


def test_make_cues_with_speakers_builds_what_cue_builds() -> None:
    """The bulk builder the ASS reader uses sets speakers exactly as Cue(...) does."""
    from gcore_captions.model import make_cues

    made = make_cues([0, 5], [1, 6], ["a", "b"], speakers=["Ann", None])
    assert made == [Cue(0, 1, "a", speaker="Ann"), Cue(5, 6, "b")]
    with pytest.raises(ValueError, match="2 cues and 1 speakers"):
        make_cues([0, 5], [1, 6], ["a", "b"], speakers=["Ann"])


# --- tags: our reading against FFmpeg's own --------------------------------------------

FFMPEG = os.environ.get("GCORE_CAPTIONS_FFMPEG") or shutil.which("ffmpeg")
_TAG_ALPHABET = [*"<<>>/ / ibusIBrfontFONTqx3_é-", "font", "br", "sub", "br/", "i", " "]


def _libass_text(dialogue: str) -> str:
    """A Dialogue's Text as libass shows it: override blocks hidden, \\N a line break."""
    shown = re.sub(r"\{[^}]*\}", "", dialogue).replace("\\N", "\n")
    return "\n".join(line.strip() for line in shown.split("\n") if line.strip())


@pytest.mark.player
@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed (apt-get install ffmpeg)")
@settings(max_examples=8, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_TAG_ALPHABET), min_size=1, max_size=14).map("".join),
        min_size=50,
        max_size=50,
    )
)
def test_tags_read_as_ffmpeg_reads_them(texts: list[str]) -> None:
    """
    ``ffmpeg -i x.srt x.ass`` (htmlsubtitles.c, what mpv and burn-in use)
    shows every generated cue's text exactly as our reader reads it.
    """
    assert FFMPEG is not None
    texts = [f"a{t.strip()}z" for t in texts]
    source = "".join(
        f"{i}\n{timecode.format_srt(i * 1000)} --> {timecode.format_srt(i * 1000 + 500)}\n{t}\n\n"
        for i, t in enumerate(texts, 1)
    )
    with tempfile.TemporaryDirectory() as folder:
        srt_path, ass_path = Path(folder) / "in.srt", Path(folder) / "out.ass"
        srt_path.write_text(source, encoding="utf-8")
        subprocess.run(
            [FFMPEG, "-nostdin", "-v", "error", "-y", "-i", str(srt_path), str(ass_path)],
            check=True,
            timeout=60,
        )
        lines = ass_path.read_text(encoding="utf-8").split("\n")
    shown = [_libass_text(line.split(",", 9)[9]) for line in lines if line.startswith("Dialogue:")]
    assert [c.text for c in loads(source, "srt")] == shown
