"""
What a hostile user found in the delivery formats after they were merged
(issues 10, 11 and 13), each kept as a test that failed before its fix.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pysubs2
import pytest

from gcore_captions import Cue, Transcript, loads, render
from gcore_captions.formats import WriterWarning


def _quiet(t: Transcript, fmt: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        return render(t, fmt)


@pytest.mark.parametrize("text", ["a < b > c", "x </ i> y", "< u >under", "1 <  /b>2"])
@pytest.mark.parametrize("fmt", ["microdvd", "mpl2", "tmp"])
def test_tag_look_alikes_with_inner_spaces_survive(fmt: str, text: str) -> None:
    """pysubs2's TMP reader strips ``< */? *[a-zA-Z][^>]*>``: "a < b > c" lost "< b >"."""
    written = _quiet(Transcript((Cue(1_000, 3_000, text),)), fmt)
    assert [c.text for c in loads(written, fmt).cues] == [text]
    # pysubs2 itself (what a pysubs2-based player shows) keeps every letter.
    shown = [e.plaintext.replace("\u2060", "") for e in pysubs2.SSAFile.from_string(written)]
    assert shown == [text]


@pytest.mark.parametrize(
    ("fmt", "unit", "head"),
    [
        ("microdvd", "{y:", "{1}{1}25\n{25}{50}"),
        ("microdvd", "{f:", "{25}{50}"),
        ("microdvd", "{s:", "{1}{1}25\n{25}{50}x}"),
        ("tmp", "<a", "00:00:01:"),
        ("tmp", "</ b", "00:00:01:<i>x</i>"),
    ],
)
def test_openers_no_closer_follows_are_read_in_linear_time(fmt: str, unit: str, head: str) -> None:
    """pysubs2's tag regexes scanned to the line's end from each opener: 200 KB took 8 s."""
    text = head + unit * 100_000 + "\n"
    began = time.perf_counter()
    cues = loads(text, fmt).cues
    assert time.perf_counter() - began < 2.0
    assert len(cues) == 1
    assert cues[0].text.endswith(unit * 3)


def test_hidden_openers_change_neither_tags_nor_tmp_end_times() -> None:
    """The stand-in has the opener's length: TMP's guessed ends (from line length) stay."""
    tmp = "00:00:01:a <i>b</i> <c\n00:00:09:<u>x</u> <y\n"
    got = [(c.start_ms, c.end_ms, c.text) for c in loads(tmp, "tmp").cues]
    guessed = [(e.start, e.end) for e in pysubs2.SSAFile.from_string(tmp, format_="tmp")]
    assert [(s, e) for s, e, _ in got] == guessed
    assert [t for _, _, t in got] == ["a b <c", "x <y"]
    sub = "{1}{1}25\n{25}{50}{y:i}a {y:b\n{75}{100}x{f:Arial}y{s:\n"
    assert [c.text for c in loads(sub, "microdvd").cues] == ["a {y:b", "xy{s:"]
    # A text that already holds a private-use character keeps it.
    assert [c.text for c in loads("00:00:01:\ue000 <a\n", "tmp").cues] == ["\ue000 <a"]


@pytest.mark.parametrize(
    "text",
    [
        "1\n00:01,000 --> 00:02,000\nHi\n",  # no hours
        "1\n00:00:01 --> 00:00:02\nHi\n",  # no fraction
        "1\n00:00:01:000 --> 00:00:02:000\nHi\n",  # ":" before the fraction
        "\n\n 1 \n0:0:1.000 --> 0:0:2.000\nHi\n",  # unpadded
    ],
)
def test_content_the_lenient_srt_reader_reads_is_sniffed_as_srt(text: str) -> None:
    """Such files (issue 11: players read them) came in without an extension as 'cannot tell'."""
    t = loads(text)
    assert t.source == "srt"
    assert [(c.start_ms, c.end_ms, c.text) for c in t.cues] == [(1_000, 2_000, "Hi")]


def test_our_own_scc_is_sniffed() -> None:
    """An .scc read from stdin (or renamed) was 'cannot tell'; its header says what it is."""
    written = _quiet(Transcript((Cue(1_001, 3_003, "HELLO"),)), "scc")
    assert loads(written).source == "scc"
    assert loads(written.encode("ascii")).cues[0].text == "HELLO"


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "sbv", "ttml", "microdvd", "mpl2", "tmp"])
def test_text_that_looks_like_another_format_does_not_change_the_sniff(fmt: str) -> None:
    """Cue text opening with another format's marks ({1}{2}, [1][2], 00:00:01:) is not sniffed."""
    cues = (Cue(1_000, 3_000, "{1}{2} [3][4]"), Cue(4_000, 5_000, "00:00:01:x --> y"))
    written = _quiet(Transcript(cues), fmt)
    assert loads(written).source == fmt


def test_one_late_cue_cannot_make_millions_of_hls_segments(tmp_path: Path) -> None:
    """A cue at 999 h with 0.5 s segments rendered 7.2 million files (past a minute)."""
    from gcore_captions import save
    from gcore_captions.errors import FormatError
    from gcore_captions.formats import hls

    late = Transcript((Cue(999 * 3_600_000, 999 * 3_600_000 + 1_000, "hi"),))
    began = time.perf_counter()
    with pytest.raises(FormatError, match=r"999:00:01\.000.*past the 100,000"):
        save(late, tmp_path / "x.m3u8", segment_seconds=0.5)
    assert time.perf_counter() - began < 2.0
    assert list(tmp_path.iterdir()) == []
    # The most a set holds is still written: 100,000 segments of 10 s.
    edge = Transcript((Cue(0, hls.MAX_SEGMENTS * 10_000, "long"),))
    names = [name for name, _ in hls.render_set(edge, None, "x")]
    assert len(names) == hls.MAX_SEGMENTS + 1
    assert names[-2:] == ["x-99999.vtt", "x.m3u8"]


@pytest.mark.parametrize(
    ("ext", "fmt"),
    [
        ("sbv", "sbv"),
        ("scc", "scc"),
        ("ttml", "ttml"),
        ("dfxp", "ttml"),
        ("sub", "microdvd"),
        ("mpl2", "mpl2"),
        ("tmp", "tmp"),
        ("smi", None),
    ],
)
def test_convert_names_outputs_after_the_stem(ext: str, fmt: str | None, tmp_path: Path) -> None:
    """``convert talk.sbv --to srt`` wrote ``talk.sbv.srt``: only six extensions were stripped."""
    from click.testing import CliRunner

    from gcore_captions.cli import main

    source = tmp_path / f"talk.{ext}"
    if fmt is None:  # SAMI is read only
        text = "<SAMI><BODY><SYNC Start=1000><P>HELLO</BODY></SAMI>\n"
    else:
        text = _quiet(Transcript((Cue(1_001, 3_003, "HELLO"),)), fmt)
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(source), "--to", "srt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["talk.srt"]


def test_hls_to_stdout_is_a_usage_error() -> None:
    """``--to hls -o -`` read the input and then failed with exit 1; it is a usage error."""
    from click.testing import CliRunner

    from gcore_captions.cli import main

    result = CliRunner().invoke(main, ["convert", "-", "--to", "hls", "-o", "-"], input="")
    assert result.exit_code == 2, result.output
    assert "hls writes a set of files" in result.output
    assert "-o DIR" in result.output


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        "Привет, как дела? Это проверка кодировки текста, и она длинная.",
        "你好，世界。这是一个编码测试的句子，相当长的一句话。",
    ],
)
@pytest.mark.parametrize("fmt", ["srt", "sbv", "microdvd", "mpl2", "tmp"])
def test_utf16_without_bom_is_recognised_when_the_cue_text_is_not_latin(
    fmt: str, text: str, codec: str
) -> None:
    """Cyrillic read as garbage (its UTF-16 bytes are valid UTF-8), CJK as 'not text'."""
    cues = (Cue(1_000, 3_000, text), Cue(4_000, 6_000, text[::-1]))
    data = _quiet(Transcript(cues), fmt).encode(codec)
    assert [c.text for c in loads(data, fmt).cues] == [text, text[::-1]]


def test_ttml_paragraphs_clipped_to_nothing_are_reported() -> None:
    """A <p> that its <div>'s end clips away vanished with no warning."""
    doc = (
        '<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div end="1s">'
        '<p begin="2s" end="3s">late</p><p begin="0s" end="0.5s">ok</p></div></body></tt>'
    )
    t = loads(doc, "ttml")
    assert [(c.start_ms, c.end_ms, c.text) for c in t.cues] == [(0, 500, "ok")]
    assert [w.code for w in t.warnings] == ["never-shown"]
    assert "1 paragraph(s)" in t.warnings[0].message
