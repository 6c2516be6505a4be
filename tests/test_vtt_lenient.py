"""
Lenient WebVTT reading (the default): the time stamps and signatures players
read beyond the spec, each read with a warning naming its line; strict
reading refusing them; typed errors only and linear time on hostile input.
"""

from __future__ import annotations

import contextlib
import html
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.errors import FormatError, PayloadError
from gcore_captions.formats import vtt as vtt_format
from gcore_captions.formats._vtt_reader import _unescape, parse_vtt
from gcore_captions.task import parse_task
from gcore_captions.timecode import format_vtt, parse_vtt_timing, parse_vtt_timing_lenient


def _vtt(body: str) -> str:
    return "WEBVTT\n\n" + body


# --- time stamps players read ----------------------------------------------------------


@pytest.mark.parametrize(
    ("timing", "times", "note"),
    [
        ("00:01:39 --> 00:01:40", (99_000, 100_000), "no fraction"),
        ("00:02:12.16 --> 00:02:13.5", (132_160, 133_500), "fraction not three digits"),
        ("0:0:7.23 --> 0:0:8.230", (7_230, 8_230), "fields not two digits"),
        ("00:00 --> 00:05", (0, 5_000), "no fraction"),
        ("02.345 --> 03.456", (2_345, 3_456), "seconds only"),
        ("00:00:01,000 --> 00:00:02,500", (1_000, 2_500), "a comma before the fraction"),
        ("00:00:75.000 --> 00:99.000", (75_000, 99_000), "carried over"),
        ("0:00.000 --> 60:00.000", (0, 3_600_000), "fields not two digits"),
        ("00:00:01.1234 --> 00:00:01.9995", (1_123, 2_000), "fraction not three digits"),
        ("00:01.000\x0b-->\x0b00:02.000", (1_000, 2_000), "vertical tab"),
    ],
)
def test_player_time_stamps_are_read_with_a_warning_naming_the_line(
    timing: str, times: tuple[int, int], note: str
) -> None:
    """Each stamp shape ExoPlayer or FFmpeg reads is read, the warning names cue and line."""
    text = _vtt(f"00:00:00.000 --> 00:00:00.500\nfirst\n\nid\n{timing}\nHello\n")
    transcript = parse_vtt(text)
    assert [(c.start_ms, c.end_ms) for c in transcript.cues] == [(0, 500), times]
    assert transcript.cues[1].identifier == "id"
    (warning,) = transcript.warnings
    assert (warning.code, warning.cue, warning.line) == ("repaired-timing", 2, 7)
    assert note in warning.message
    assert f"{format_vtt(times[0])} --> {format_vtt(times[1])}" in warning.message
    # Strict reading is the spec's: the cue is dropped, and says so.
    strict = parse_vtt(text, strict=True)
    assert [(c.start_ms, c.end_ms) for c in strict.cues] == [(0, 500)]
    assert [(w.code, w.line) for w in strict.warnings] == [("invalid-timing", 7)]


def test_settings_after_a_repaired_timing_are_kept() -> None:
    """Settings after a non-standard end stamp are the cue's settings, as after a valid one."""
    (cue,) = parse_vtt(_vtt("00:01 --> 00:02   align:start\t line:0\nA\n")).cues
    assert cue.settings == "align:start line:0"


@pytest.mark.parametrize(
    "timing",
    [
        "5 --> 6",  # a bare number is not a time stamp
        "00:00:00. --> 00:00:01.000",
        "00:00:00.000 --> 00:00:01.0x00",  # the end stamp glued to text
        "x00:00:00.000 --> 00:00:01.000",
        "00::00.000 --> 00:01.000",
        "1:2:3:4.000 --> 00:01.000",
        "-00:01.000 --> 00:02.000",
        "12345678901:00:00.000 --> 00:01.000",
        "00:00.000 --> 00:12345678901.000",
        "\u0661:00.000 --> 00:01.000",  # Arabic-Indic digit: not an ASCII digit
    ],
)
def test_what_players_refuse_too_is_still_dropped(timing: str) -> None:
    """A line no player reads stays an invalid timing line, in both modes."""
    for strict in (True, False):
        transcript = parse_vtt(_vtt(f"{timing}\nA\n\n00:05.000 --> 00:06.000\nB\n"), strict=strict)
        assert [c.text for c in transcript.cues] == ["B"]
        assert [w.code for w in transcript.warnings] == ["invalid-timing"]


def test_a_real_file_with_player_stamps_no_longer_converts_to_nothing() -> None:
    """A file where every stamp lacks the fraction read as empty before; now every cue is kept."""
    body = "".join(f"{n}\n00:00:{n:02d} --> 00:00:{n + 1:02d}\nLine {n}\n\n" for n in range(1, 30))
    assert parse_vtt(_vtt(body), strict=True).cues == ()
    transcript = parse_vtt(_vtt(body))
    assert [c.text for c in transcript.cues] == [f"Line {n}" for n in range(1, 30)]
    assert [w.line for w in transcript.warnings] == [4 + 4 * n for n in range(29)]


# --- the signature ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("webvtt\n\n00:01.000 --> 00:02.000\nA\n", 1),
        (" WEBVTT\n\n00:01.000 --> 00:02.000\nA\n", 1),
        ("WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n", 1),
        ("\ufeff\ufeffWEBVTT\n\n00:01.000 --> 00:02.000\nA\n", 1),
        ("\n\n  \nWEBVTT - title\nKind: captions\n\n00:01.000 --> 00:02.000\nA\n", 4),
    ],
)
def test_damaged_signature_is_read_with_a_warning(text: str, line: int) -> None:
    """A signature line players accept is taken for one (odd-signature); strict refuses."""
    transcript = parse_vtt(text)
    assert [c.text for c in transcript.cues] == ["A"]
    assert [(w.code, w.line) for w in transcript.warnings] == [("odd-signature", line)]
    with pytest.raises(FormatError):
        parse_vtt(text, strict=True)


def test_renamed_srt_file_reads_as_its_cues() -> None:
    """No signature: every line is read as blocks; the SRT numbers become identifiers."""
    text = "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n"
    transcript = vtt_format.parse(text, filename="a.vtt")
    assert [(c.identifier, c.start_ms, c.text) for c in transcript.cues] == [
        ("1", 1000, "One"),
        ("2", 3000, "Two"),
    ]
    assert [(w.code, w.line) for w in transcript.warnings] == [
        ("missing-signature", 1),
        ("repaired-timing", 2),
        ("repaired-timing", 6),
    ]
    with pytest.raises(FormatError) as caught:
        vtt_format.parse(text, strict=True, filename="a.vtt")
    assert caught.value.line == 1


@pytest.mark.parametrize("text", ["", "\n\n", "hello\nworld\n", "\x00\x01\x02", "Kind: x\n"])
def test_text_with_no_signature_and_no_timing_line_is_not_webvtt(text: str) -> None:
    """Lenient reading still refuses what is not captions at all."""
    with pytest.raises(FormatError, match="not a WebVTT file") as caught:
        parse_vtt(text, filename="x.vtt")
    assert caught.value.filename == "x.vtt"


def test_task_path_keeps_refusing_a_vtt_content_without_signature() -> None:
    """Gcore always writes the signature: a damaged one in vttContent is a PayloadError."""
    subtitles = [{"start_time": "00:00:01.000", "end_time": "00:00:02.000", "text": "One."}]
    for vtt in ("webvtt\n\n1\n00:00:01.000 --> 00:00:02.500\nOne.\n", "00:00:01.000 --> 2\nx\n"):
        payload = {"id": "t", "status": "SUCCESS", "result": {"subtitles": subtitles}}
        payload["result"]["vttContent"] = vtt  # type: ignore[index]
        with pytest.raises(PayloadError) as caught:
            parse_task(payload)
        assert caught.value.path == "result.vttContent"


def test_task_path_reads_player_stamps_in_vtt_content() -> None:
    """With no subtitles array, a vttContent with player stamps gives its cues."""
    vtt = "WEBVTT\n\n1\n00:00:01 --> 00:00:02.5\nOne.\n"
    result = {"subtitles": [], "vttContent": vtt}
    transcript = parse_task({"id": "t", "status": "SUCCESS", "result": result})
    assert [(c.start_ms, c.end_ms, c.text) for c in transcript.cues] == [(1000, 2500, "One.")]
    assert [w.code for w in transcript.warnings] == ["repaired-timing"]


# --- the lenient stamp parser against the strict one -----------------------------------


def _spellings(ms: int) -> st.SearchStrategy[str]:
    """Ways players' files spell ``ms``: all read back to ``ms`` by the lenient parser."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    fractions = [f".{millis:03d}", f",{millis:03d}", f".{millis:03d}0"]
    if millis % 10 == 0:
        fractions.append(f".{millis // 10:02d}")
    if millis % 100 == 0:
        fractions.append(f".{millis // 100}")
    if millis == 0:
        fractions.append("")
    clocks = [f"{hours}:{minutes}:{seconds}", f"{hours:02d}:{minutes:02d}:{seconds:02d}"]
    if hours == 0:
        clocks += [f"{minutes}:{seconds:02d}", f"{minutes:02d}:{seconds}"]
        clocks.append(f"0:{minutes * 60 + seconds}")  # seconds past 59, carried
        if minutes == 0:
            clocks.append(str(seconds))
    else:
        clocks.append(f"{hours * 60 + minutes}:{seconds:02d}")  # minutes past 59
    return (
        st.tuples(st.sampled_from(clocks), st.sampled_from(fractions))
        .map("".join)
        .filter(lambda s: ":" in s or "." in s or "," in s)
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data(), start=st.integers(0, 200 * 3_600_000), length=st.integers(0, 10**7))
def test_lenient_stamps_read_their_exact_time(data: st.DataObject, start: int, length: int) -> None:
    """Every player spelling of a time reads back to that exact millisecond."""
    first = data.draw(_spellings(start))
    second = data.draw(_spellings(start + length))
    read = parse_vtt_timing_lenient(f"{first} --> {second}")
    assert read is not None
    assert read[:2] == (start, start + length)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), starts=st.lists(st.integers(0, 3 * 3_600_000), min_size=1, max_size=8))
def test_a_file_respelled_with_player_stamps_reads_as_the_canonical_file(
    data: st.DataObject, starts: list[int]
) -> None:
    """
    The same cues, their stamps spelled as players' files spell them, read
    leniently to exactly the cues strict reading finds in the canonical file,
    with one repaired-timing warning per re-spelled timing line.
    """
    starts.sort()
    canonical, respelled, changed = ["WEBVTT", ""], ["WEBVTT", ""], set()
    for number, start in enumerate(starts):
        end = start + data.draw(st.integers(0, 60_000))
        timing = f"{format_vtt(start)} --> {format_vtt(end)}"
        odd = f"{data.draw(_spellings(start))} --> {data.draw(_spellings(end))}"
        canonical += [timing, f"cue {number}", ""]
        respelled += [odd, f"cue {number}", ""]
        if parse_vtt_timing(odd) is None:
            changed.add(len(respelled) - 2)  # the timing line's 1-based number
    expected = parse_vtt("\n".join(canonical), strict=True)
    transcript = parse_vtt("\n".join(respelled))
    assert transcript.cues == expected.cues
    assert {w.line for w in transcript.warnings} == changed
    assert {w.code for w in transcript.warnings} <= {"repaired-timing"}


@pytest.mark.parametrize(
    "block",
    ["stray text", "  ", "Kind: captions", "NOTEX comment", "STYLEX\n::cue {}", "1\n2\n3"],
)
def test_a_block_that_cannot_be_a_cue_is_skipped_with_a_warning(block: str) -> None:
    """Such a block is skipped in both modes, never silently: ignored-block names its line."""
    text = _vtt(f"00:01.000 --> 00:02.000\nA\n\n{block}\n\n00:03.000 --> 00:04.000\nB\n")
    for strict in (True, False):
        transcript = parse_vtt(text, strict=strict)
        assert [c.text for c in transcript.cues] == ["A", "B"]
        assert [(w.code, w.line) for w in transcript.warnings] == [("ignored-block", 6)]


_STAMP_CHARS = st.sampled_from("0123456789:.,- \t\x0b\x0c\xa0>x")


@settings(max_examples=250, deadline=None)
@given(
    line=st.text(_STAMP_CHARS, max_size=40)
    | st.from_regex(r"\A[0-9:., ]{0,15}-->[0-9:., ]{0,20}\Z")
)
def test_lenient_agrees_with_strict_wherever_both_read(line: str) -> None:
    """
    Where both parsers read a line they give the same times; a line the
    lenient one reads without any note is valid for the strict one.
    """
    strict = parse_vtt_timing(line)
    lenient = parse_vtt_timing_lenient(line)
    if strict is not None and lenient is not None:
        assert lenient[:2] == strict[:2]
    if lenient is not None and not lenient[3]:
        assert strict is not None


# --- hostile input ---------------------------------------------------------------------

_HOSTILE_BITS = st.sampled_from(
    [
        "WEBVTT",
        "webvtt",
        "\ufeff",
        "\n",
        "\r",
        "\0",
        "\x0b",
        "\x0c",
        "\xa0",
        "\u2028",
        "\ud800",  # a lone surrogate, as text decoded with surrogateescape holds it
        "\udcff",
        "-->",
        " --> ",
        "00:00:01",
        "00:00:01.000",
        "00:01",
        "1.5",
        ",000",
        "0" * 5000,
        "9" * 5000,
        ":" * 50,
        "<" * 200,
        "<v ",
        "<rt>",
        "&amp",
        "&#x110000;",
        "&#" + "9" * 5000,
        "&#" + "0" * 5000 + "65;",
        "NOTE",
        "STYLE",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(bits=st.lists(_HOSTILE_BITS | st.text(max_size=4), max_size=40), strict=st.booleans())
def test_hostile_text_gives_a_transcript_or_a_format_error(bits: list[str], strict: bool) -> None:
    """Any text, in either mode, gives a well-formed transcript or a FormatError, nothing else."""
    text = "".join(bits)
    try:
        transcript = parse_vtt(text, strict=strict, filename="h.vtt")
    except FormatError as error:
        refused = error
    else:
        refused = None
    if refused is not None:
        assert refused.filename == "h.vtt"
        assert refused.line == 1
        return
    starts = [c.start_ms for c in transcript.cues]
    assert starts == sorted(starts)
    for cue in transcript.cues:
        assert cue.text.strip()
        assert 0 <= cue.start_ms <= cue.end_ms
        assert "\0" not in cue.text
    for warning in transcript.warnings:
        assert warning.code
        assert warning.line is not None


@pytest.mark.parametrize("after", ["\x0b", "\x0c", "\xa0", "\u3000", "\ud800", "\0"])
def test_odd_characters_after_a_time_stamp(after: str) -> None:
    """Whitespace the spec does not know, after the end stamp, is settings text, not a crash."""
    for strict in (True, False):
        transcript = parse_vtt(
            _vtt(f"00:01.000 --> 00:02.000{after}align:start\nA\n"), strict=strict
        )
        assert [c.text for c in transcript.cues] == ["A"]


N = 200_000
HOSTILE: list[Callable[[int], str]] = [
    lambda n: _vtt("0" * n + ":00:00.000 --> 00:01.000\nx\n"),
    lambda n: _vtt("9" * n + " --> 1\nx\n"),
    lambda n: _vtt("00:00." + "1" * n + " --> 00:01.000\nx\n"),
    lambda n: _vtt("0:" * (n // 2) + "0 --> 1\nx\n"),
    lambda n: _vtt("00:01 --> 00:02\n" + "<" * n),
    lambda n: _vtt("00:01 --> 00:02\n" + "<b " * (n // 3)),
    lambda n: _vtt("00:01 --> 00:02\n" + "<i>" * (n // 3)),
    lambda n: _vtt("00:01 --> 00:02\n" + "x" * n),
    lambda n: "\n" * n + "x",
    lambda n: "00:01 --> 00:02\n" * (n // 16),
]


@pytest.mark.parametrize("make", HOSTILE)
def test_hostile_input_is_read_in_linear_time(make: Callable[[int], str]) -> None:
    """200,000 characters of each hostile shape take well under a second (quadratic: minutes)."""
    text = make(N)
    for strict in (False, True):
        began = time.perf_counter()
        with contextlib.suppress(FormatError):
            parse_vtt(text, strict=strict)
        assert time.perf_counter() - began < 5.0


def test_thousands_of_zero_hour_digits_are_zero_hours_not_a_crash() -> None:
    """
    Any number of hour digits is valid WebVTT; int() refuses over 4,300 digits,
    zeros too, which crashed the reader with a ValueError.
    """
    text = _vtt("0" * 5000 + ":00:00.000 --> 00:01.000\nx\n\n00:02.000 --> 00:03.000\ny\n")
    for strict in (True, False):
        transcript = parse_vtt(text, strict=strict)
        assert [(c.start_ms, c.text) for c in transcript.cues] == [(0, "x"), (2000, "y")]
        assert transcript.warnings == ()
    assert parse_vtt_timing_lenient("0" * 5000 + ":00 --> 00:00:0" + "0" * 5000) is not None
    wide = parse_vtt_timing_lenient("100:" + "0" * 5000 + ":61.000 --> 200:00:00")
    assert wide is not None
    assert wide[:2] == (360_061_000, 720_000_000)


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("&#" + "9" * 5000 + "; and more", "\ufffd and more"),
        ("&#" + "0" * 5000 + "65;", "A"),
        ("<v &#" + "1" * 5000 + ";>x", "x"),
        ("<i>&#" + "0" * 6000 + ";</i>y", "\ufffdy"),
    ],
)
def test_numeric_references_with_thousands_of_digits(body: str, text: str) -> None:
    """html.unescape hands the digits to int(), which refused them: a ValueError crash."""
    for strict in (True, False):
        (cue,) = parse_vtt(_vtt(f"00:01.000 --> 00:02.000\n{body}\n"), strict=strict).cues
        assert cue.text == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from("&#0123456789xX;aAm p"), max_size=30))
def test_unescape_is_html_unescape(text: str) -> None:
    """The guard against long references changes no result html.unescape gives."""
    assert _unescape(text) == html.unescape(text)


# --- against FFmpeg --------------------------------------------------------------------

FFMPEG = os.environ.get("GCORE_CAPTIONS_FFMPEG") or shutil.which("ffmpeg")
# Cues FFmpeg's demuxer reads although the spec refuses them (it stops at the
# first cue it cannot read, so every one here must be one it reads).
FFMPEG_READS = (
    "0:0:7.230 --> 0:0:8.230",  # fields not two digits
    "\x0b00:00:09.000\x0b-->\x0b00:00:10.000",  # vertical tabs
    "0:13.000 --> 0:14.000",  # no hours, one-digit minutes
    "00:99.000 --> 01:70.000",  # seconds past 59, carried over
    "1:00:15.000 --> 0:61:00.000",  # minutes past 59
)


@pytest.mark.player
@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed: apt-get install ffmpeg")
def test_lenient_reads_the_times_ffmpeg_reads(tmp_path: Path) -> None:
    """Where FFmpeg reads a timing line the spec refuses, lenient reading gives its times."""
    assert FFMPEG is not None
    body = "".join(f"{timing}\ncue {n}\n\n" for n, timing in enumerate(FFMPEG_READS))
    path = tmp_path / "players.vtt"
    path.write_text(_vtt(body), encoding="utf-8")
    result = subprocess.run(
        [FFMPEG, "-nostdin", "-v", "error", "-i", str(path), "-f", "srt", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    theirs = {}
    for block in result.stdout.decode("utf-8").strip().split("\n\n"):
        _, timing, text = block.split("\n")[:3]
        start, end = (parse_srt_stamp(stamp) for stamp in timing.split(" --> "))
        theirs[text] = (start, end)
    transcript = parse_vtt(_vtt(body))
    ours = {cue.text: (cue.start_ms, cue.end_ms) for cue in transcript.cues}
    assert len(theirs) == len(FFMPEG_READS)
    assert ours == theirs
    assert [w.code for w in transcript.warnings] == ["repaired-timing"] * len(FFMPEG_READS)


def parse_srt_stamp(stamp: str) -> int:
    """``HH:MM:SS,mmm`` as FFmpeg writes it, in milliseconds."""
    clock, millis = stamp.strip().split(",")
    hours, minutes, seconds = map(int, clock.split(":"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(millis)
