"""
SBV (YouTube's SubViewer): the writer read back by webvtt-py's SBV reader,
our reader lenient and strict, and only typed errors on any input.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import webvtt
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions import Cue, Transcript, load, loads, render, save
from gcore_captions.cli import main
from gcore_captions.errors import FormatError, GcoreCaptionsError
from gcore_captions.formats import sbv

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fungi-in-a-forest.json"

# Caption-like text: non-ASCII letters, punctuation, markup look-alikes,
# separators, and the line breaks and whitespace a reader might split on.
_TEXT = st.lists(
    st.sampled_from(
        [*"aé ßЖ中😀,.:-<>{}\\&0123456789", "\n", "\r\n", "\t", "\u00a0", "-->", "0:00:01.000"]
    ),
    max_size=30,
).map("".join)


def _cues(draw: st.DrawFn, *, max_ms: int) -> list[Cue]:
    starts = sorted(draw(st.lists(st.integers(0, max_ms), max_size=12)))
    cues = []
    for start in starts:
        text = draw(_TEXT)
        cues.append(Cue(start, start + draw(st.integers(0, 10_000)), text))
    return cues


@st.composite
def transcripts(draw: st.DrawFn, max_ms: int = 99 * 3_600_000) -> Transcript:
    return Transcript(tuple(_cues(draw, max_ms=max_ms)))


def _visible(transcript: Transcript) -> list[tuple[int, int, list[str]]]:
    """What a reader should find: each cue with text, its lines trimmed."""
    out = []
    for cue in transcript.cues:
        lines = [line.strip() for line in cue.text.replace("\r\n", "\n").split("\n")]
        lines = [line for line in lines if line]
        if lines:
            out.append((cue.start_ms, cue.end_ms, lines))
    return out


@settings(max_examples=150)
@given(transcripts())
def test_webvtt_py_reads_back_every_cue(
    tmp_path_factory: pytest.TempPathFactory, t: Transcript
) -> None:
    """webvtt-py's SBV reader finds the same cues, times and lines."""
    path = tmp_path_factory.mktemp("sbv") / "out.sbv"
    path.write_text(render(t, "sbv"), encoding="utf-8")
    expected = _visible(t)
    if not expected:
        assert path.read_text(encoding="utf-8") == ""
        return
    read = webvtt.from_sbv(str(path)).captions
    got = [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.lines) for c in read]
    assert got == sorted(expected, key=lambda c: c[0])


@settings(max_examples=150)
@given(transcripts(max_ms=10**9))
def test_our_reader_reads_back_exactly(t: Transcript) -> None:
    """Our reader gives back every cue with text, times exact past 100 h."""
    back = loads(render(t, "sbv"), format="sbv")
    assert [(c.start_ms, c.end_ms, c.text.split("\n")) for c in back.cues] == sorted(
        _visible(t), key=lambda c: c[0]
    )
    assert back.warnings == ()


def test_long_times_and_unpadded_hours() -> None:
    t = Transcript((Cue(0, 1, "a"), Cue(360_000_000, 360_000_999, "b")))
    assert render(t, "sbv") == "0:00:00.000,0:00:00.001\na\n\n100:00:00.000,100:00:00.999\nb\n"


def test_lenient_skips_a_broken_block_with_a_warning() -> None:
    text = (
        "0:00:01.000,0:00:02.000\nA\n\n0:00:0x.000,0:00:04.000\nB\n\n0:00:05.000,0:00:06.000\nC\n"
    )
    t = loads(text, format="sbv")
    assert [c.text for c in t.cues] == ["A", "C"]
    (warning,) = t.warnings
    assert warning.code == "skipped-block"
    assert warning.line == 4
    with pytest.raises(FormatError, match="line 4: not an SBV cue"):
        sbv.parse(text, strict=True)


def test_field_out_of_range_is_read_with_a_warning() -> None:
    t = loads("0:61:00.000,0:61:01.000\nA\n", format="sbv")
    assert (t.cues[0].start_ms, t.cues[0].end_ms) == (3_660_000, 3_661_000)
    assert [w.code for w in t.warnings] == ["field-out-of-range"]
    with pytest.raises(FormatError, match="past 59"):
        sbv.parse("0:61:00.000,0:61:01.000\nA\n", strict=True)


def test_crlf_bom_and_spaces_around_the_comma() -> None:
    t = loads("\ufeff0:00:01.000 , 0:00:02.000\r\nA\r\n  B  \r\n", format="sbv")
    assert [(c.start_ms, c.end_ms, c.text) for c in t.cues] == [(1000, 2000, "A\nB")]


def test_huge_digit_runs_are_not_a_time() -> None:
    """Nine hour digits at most: longer runs are a broken block, not a crash."""
    broken = "9" * 5000 + ":00:01.000,0:00:02.000\nA\n"
    t = loads(broken + "\n0:00:03.000,0:00:04.000\nB\n", format="sbv")
    assert [c.text for c in t.cues] == ["B"]
    assert [w.code for w in t.warnings] == ["skipped-block"]
    # Alone, no block is a cue: not an SBV file (as the SRT reader refuses it).
    with pytest.raises(FormatError, match="not an SBV file: no block is a cue"):
        loads(broken, format="sbv")


@settings(max_examples=300)
@given(
    st.text(
        st.sampled_from([*"0123456789:.,\n \t\r\x0b\x0c\u2028\ufeffaé"]),
        max_size=80,
    ),
    st.booleans(),
)
def test_only_typed_errors(text: str, strict: bool) -> None:
    with contextlib.suppress(GcoreCaptionsError):
        sbv.parse(text, strict=strict)


def test_load_save_and_cli(tmp_path: Path) -> None:
    t = load(SAMPLE)
    save(t, tmp_path / "a.sbv")
    back = load(tmp_path / "a.sbv")
    assert [(c.start_ms, c.end_ms) for c in back.cues] == [(c.start_ms, c.end_ms) for c in t.cues]
    result = CliRunner().invoke(
        main, ["convert", str(SAMPLE), "--to", "sbv,srt", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fungi-in-a-forest.sbv").read_text(encoding="utf-8") == render(t, "sbv")
    result = CliRunner().invoke(
        main,
        ["convert", str(tmp_path / "a.sbv"), "--to", "srt", "-O", "speaker_labels=yes", "-o", "-"],
    )
    assert result.exit_code == 0, result.output


def test_sniffed_without_a_format() -> None:
    assert [c.text for c in loads("0:00:01.000,0:00:02.000\nA\n").cues] == ["A"]
    assert loads("0:00:01.000,0:00:02.000\nA\n").source == "sbv"


def test_sniffing_many_blank_lines_is_linear() -> None:
    """The SRT sniff once scanned every run of blank lines from each one (3 s here)."""
    import time

    from gcore_captions.textio import sniff_format

    began = time.perf_counter()
    with pytest.raises(FormatError):
        sniff_format("\n" * 20_000 + "x")
    assert time.perf_counter() - began < 0.5


def test_nul_and_lone_surrogates_become_replacement_characters() -> None:
    from gcore_captions.formats import WriterWarning

    with pytest.warns(WriterWarning, match="cue 1"):
        text = render(Transcript((Cue(0, 1000, "a\x00b\udc00"),)), "sbv")
    assert text == "0:00:00.000,0:00:01.000\na\ufffdb\ufffd\n"
