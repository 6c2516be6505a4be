"""
The formats written and read through pysubs2 (MicroDVD, MPL2, TMP; SAMI read
only): pysubs2 itself reads back what our policy says it should, our reader
restores the text, times round as documented, and only typed errors escape.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

import pysubs2
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions import Cue, Transcript, load, loads, render, save
from gcore_captions.cli import main
from gcore_captions.errors import FormatError, GcoreCaptionsError
from gcore_captions.formats import WriterWarning, get_format
from gcore_captions.formats._text import cue_lines

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fungi-in-a-forest.json"
WRITTEN = ("microdvd", "mpl2", "tmp")

_PIECES = [*"aé ßЖ中😀,.:;-'\"<>&/=0123456789", "{", "}", "|", "\\N", "\\n", "\\h", "<i>", "</b>"]
_PIECES += ["{\\i1}", "/", "\n", "\r\n", "  ", "\t"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=20).map("".join)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    starts = sorted(set(draw(st.lists(st.integers(0, 9 * 3_600_000), max_size=8))))
    # Far apart, so TMP's implied ends and rounding never reorder cues.
    cues = tuple(
        Cue(s * 10 + 1_000, s * 10 + 1_000 + draw(st.integers(1, 9_000)), draw(_TEXT))
        for s in starts
    )
    return Transcript(cues)


def _quiet(t: Transcript, fmt: str, **options: object) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        return render(t, fmt, **options)


def _as_written(text: str) -> str:
    """The text as these formats carry it: our line rule, braces full-width, '|' as '¦'."""
    lines = cue_lines(text)
    return "\n".join(
        line.replace("{", "\uff5b").replace("}", "\uff5d").replace("|", "¦") for line in lines
    )


def _expected(t: Transcript) -> list[tuple[int, str]]:
    return [(c.start_ms, _as_written(c.text)) for c in t.cues if cue_lines(c.text)]


@pytest.mark.parametrize("fmt", WRITTEN)
@settings(max_examples=60)
@given(t=transcripts())
def test_our_reader_restores_the_text(fmt: str, t: Transcript) -> None:
    back = loads(_quiet(t, fmt), format=fmt)
    assert [c.text for c in back.cues] == [text for _, text in _expected(t)]
    step = {"microdvd": 1000 / 23.976 / 2, "mpl2": 50, "tmp": 500}[fmt]
    for (start, _), cue in zip(_expected(t), back.cues, strict=True):
        assert abs(cue.start_ms - start) <= step + 1


@pytest.mark.parametrize("fmt", WRITTEN)
@settings(max_examples=60)
@given(t=transcripts())
def test_pysubs2_shows_our_text(fmt: str, t: Transcript) -> None:
    """pysubs2's own reader (the word joiners are invisible: compare without them)."""
    events = pysubs2.SSAFile.from_string(_quiet(t, fmt), format_=fmt, fps=23.976)
    shown = [e.plaintext.replace("\u2060", "") for e in events if e.plaintext != "23.976"]
    assert ["\n".join(cue_lines(s)) for s in shown] == [text for _, text in _expected(t)]


def test_mpl2_and_tmp_round_half_up_where_pysubs2_truncates() -> None:
    t = Transcript((Cue(1_050, 2_549, "a"), Cue(3_500, 4_000, "b")))
    assert _quiet(t, "mpl2") == "[11][25] a\n[35][40] b\n"
    assert _quiet(t, "tmp") == "00:00:01:a\n00:00:04:b\n"
    with pytest.warns(WriterWarning, match="rounded to the nearest decisecond"):
        render(t, "mpl2")


def test_times_tmp_cannot_hold_are_refused_not_clamped() -> None:
    """pysubs2 clamps TMP times past 99:59:59 (with a RuntimeWarning); we refuse them."""
    with pytest.raises(FormatError, match="cue 1: tmp: the cue ends after"):
        render(Transcript((Cue(0, 360_000_000, "a"),)), "tmp")


def test_tmp_says_it_has_no_end_times() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(Transcript((Cue(1_000, 2_000, "a"),)), "tmp")
    assert "no-end-times" in {
        w.message.code for w in caught if isinstance(w.message, WriterWarning)
    }


def test_microdvd_frame_rate_and_declaration() -> None:
    t = Transcript((Cue(1_000, 2_000, "a"),))
    assert _quiet(t, "microdvd", fps=25.0) == "{1}{1}25\n{25}{50}a\n"
    assert _quiet(t, "microdvd", fps=25.0, fps_declaration=False) == "{25}{50}a\n"
    back = loads("{1}{1}25\n{25}{50}a\n", format="microdvd")
    assert [(c.start_ms, c.end_ms) for c in back.cues] == [(1_000, 2_000)]
    assert back.warnings == ()
    guessed = loads("{25}{50}a\n", format="microdvd")
    assert [w.code for w in guessed.warnings] == ["assumed-frame-rate"]
    with pytest.raises(FormatError, match="does not declare its frame rate"):
        get_format("microdvd").parse("{25}{50}a\n", strict=True)  # type: ignore[misc]
    with pytest.raises(FormatError, match="fps"):
        render(t, "microdvd", fps=0.0)


def test_markup_look_alikes_survive() -> None:
    t = Transcript((Cue(1_000, 2_000, "a {b} | <i>c</i> \\N d"), Cue(3_000, 4_000, "/e")))
    for fmt in WRITTEN:
        back = loads(_quiet(t, fmt), format=fmt)
        assert [c.text for c in back.cues] == ["a ｛b｝ ¦ <i>c</i> \\N d", "/e"], fmt


SAMI = """<SAMI>
<HEAD><TITLE>Sample</TITLE>
<STYLE TYPE="text/css"><!--
P { font-family: Arial; } .ENCC { Name: English; lang: en-US; }
--></STYLE></HEAD>
<BODY>
<SYNC Start=1000><P Class=ENCC>Hello <i>there</i><br>second line
<SYNC Start=3000><P Class=ENCC>&nbsp;
<SYNC Start=4000><P Class=ENCC>Caf&eacute; &amp; more
<SYNC Start=6000><P Class=ENCC>&nbsp;
</BODY></SAMI>
"""


def test_reads_sami() -> None:
    t = loads(SAMI)
    assert t.source == "sami"
    assert [(c.start_ms, c.end_ms, c.text) for c in t.cues] == [
        (1_000, 3_000, "Hello there\nsecond line"),
        (4_000, 6_000, "Café & more"),
    ]


def test_sami_is_read_only() -> None:
    with pytest.raises(FormatError, match="can be read, not written"):
        render(Transcript((Cue(0, 1, "a"),)), "sami")
    result = CliRunner().invoke(main, ["convert", str(SAMPLE), "--to", "sami", "-o", "-"])
    assert result.exit_code == 2
    assert "can be read, not written" in result.stderr


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("{1}{1}25\n{25}{50}a\n", "microdvd"), ("[10][20] a\n", "mpl2"), ("00:00:01:a\n", "tmp")],
)
def test_sniffed_from_the_content(text: str, fmt: str, tmp_path: Path) -> None:
    assert loads(text).source == fmt
    path = tmp_path / "from-a-player.txt"  # MPL2 and TMP files are usually .txt
    path.write_text(text, encoding="utf-8")
    assert load(path).source == fmt


@pytest.mark.parametrize("fmt", [*WRITTEN, "sami"])
@settings(max_examples=100)
@given(
    text=st.lists(
        st.sampled_from(
            [
                "{",
                "}",
                "[",
                "]",
                "1",
                "99999999999999999999",
                "-5",
                "|",
                ":",
                "00:00:01",
                "=",
                "\n",
                " ",
                "a",
                "<SAMI>",
                "<SYNC Start=",
                ">",
                "<P>",
                "</SYNC>",
                "&",
                "#",
                ";",
                "1e400",
                "23.976",
                "nan",
                "\x00",
            ]
        ),
        max_size=30,
    ).map("".join),
)
def test_only_typed_errors(fmt: str, text: str) -> None:
    parse = get_format(fmt).parse
    assert parse is not None
    with contextlib.suppress(GcoreCaptionsError):
        parse(text)


@pytest.mark.filterwarnings("ignore::gcore_captions.formats.WriterWarning")
def test_save_load_and_cli_options(tmp_path: Path) -> None:
    t = load(SAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        for fmt, extension in (("microdvd", "sub"), ("mpl2", "mpl2"), ("tmp", "tmp")):
            save(t, tmp_path / f"a.{extension}")
            assert load(tmp_path / f"a.{extension}").source == fmt
    result = CliRunner().invoke(
        main, ["convert", str(SAMPLE), "--to", "microdvd", "-O", "fps=25", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fungi-in-a-forest.sub").read_text(encoding="utf-8").startswith("{1}{1}25\n")


def test_reading_unclosed_braces_is_linear() -> None:
    """pysubs2's .plaintext rescans from every unclosed '{' (100k took 3.7 s); ours does not."""
    import time

    text = "{1}{1}25\n{25}{50}" + "{" * 200_000 + "x\n"
    began = time.perf_counter()
    t = loads(text, format="microdvd")
    assert time.perf_counter() - began < 2.0
    assert t.cues[0].text.endswith("x")


def test_a_no_break_space_stays_one() -> None:
    t = Transcript((Cue(1_000, 2_000, "a\u00a0b"),))
    for fmt in WRITTEN:
        assert loads(_quiet(t, fmt), format=fmt).cues[0].text == "a\u00a0b", fmt


@pytest.mark.parametrize("fmt", [*WRITTEN, "sami", "sbv", "scc"])
def test_text_with_no_cue_at_all_is_not_that_format(fmt: str, tmp_path: Path) -> None:
    """'hello world' named .scc (or .sub...) was read as an empty file and converted to an
    empty one, exit 0; now it is one error line and nothing is written."""
    with pytest.raises(
        FormatError, match=f"not an? {fmt.upper() if fmt in ('sbv', 'scc') else fmt}"
    ):
        loads("hello world\n", format=fmt)
    assert loads("", format=fmt).cues == ()
    extension = get_format(fmt).extension
    source = tmp_path / f"notes.{extension}"
    source.write_text("hello world\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(source), "--to", "srt", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert not out.exists()
