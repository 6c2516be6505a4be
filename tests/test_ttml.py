"""
TTML (IMSC1 Text Profile): our writer read back by ttconv (the IMSC editors'
reader, through its own SRT writer as an independent path) and by pysubs2;
our ttconv-based reader on the TTML shapes real files use; only typed errors.
"""

from __future__ import annotations

import contextlib
import re
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pysubs2
import pytest
import srt
from hypothesis import given, settings
from hypothesis import strategies as st
from ttconv.imsc import reader as imsc_reader
from ttconv.srt import writer as srt_writer

from gcore_captions import Cue, Transcript, load, loads, render, save
from gcore_captions.errors import FormatError, GcoreCaptionsError
from gcore_captions.formats import WriterWarning, ttml
from gcore_captions.formats._text import cue_lines

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fungi-in-a-forest.json"

_PIECES = [*"aé ßЖ中😀,.:;-'\"<>&{}\\/=0123456789", "\n", "\r\n", "\t", "  ", "\u00a0"]
_PIECES += ["]]>", "&amp;", "<br/>", "-->", "\x01", "\x0b", "\ufffe"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@st.composite
def transcripts(draw: st.DrawFn, max_ms: int = 500 * 3_600_000) -> Transcript:
    starts = sorted(draw(st.lists(st.integers(0, max_ms), max_size=10)))
    cues = tuple(Cue(s, s + draw(st.integers(1, 10_000)), draw(_TEXT)) for s in starts)
    return Transcript(cues, language=draw(st.sampled_from([None, "eng", "ger", "chi", "xyz"])))


def _shown(text: str) -> str:
    """The cue text as TTML shows it: our line rule, then XML's space collapsing."""
    lines = (re.sub("[ \t]+", " ", _INVALID.sub("\ufffd", line)) for line in cue_lines(text))
    return "\n".join(lines)


def _quiet(t: Transcript, **options: object) -> str:
    """The TTML of ``t``, its replaced-character warnings (tested below) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        return render(t, "ttml", **options)


def _collapsed(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _expected(t: Transcript) -> list[tuple[int, int, str]]:
    cues = [(c.start_ms, c.end_ms, _shown(c.text)) for c in t.cues]
    return sorted([c for c in cues if c[2]], key=lambda c: c[0])


@settings(max_examples=120)
@given(transcripts())
def test_our_reader_and_pysubs2_read_back_every_cue(t: Transcript) -> None:
    document = _quiet(t)
    expected = _expected(t)
    back = loads(document, format="ttml")
    assert [(c.start_ms, c.end_ms, c.text) for c in back.cues] == expected
    assert back.warnings == ()
    # pysubs2 keeps the text in its ASS form (a line break is "\\N"; its
    # .plaintext would hide {...}) and collapses white space XML does not
    # (U+00A0...): compare its raw text that way.
    events = pysubs2.SSAFile.from_string(document, format_="ttml")
    assert [(e.start, e.end, _collapsed(e.text.replace("\\N", "\n"))) for e in events] == [
        (start, end, _collapsed(text.replace("\\N", "\n"))) for start, end, text in expected
    ]


@settings(max_examples=60)
@given(transcripts(max_ms=90 * 3_600_000))
def test_ttconv_own_pipeline_shows_the_same_text(t: Transcript) -> None:
    """ttconv's reader, then ttconv's SRT writer (its ISD path), read by `srt`."""
    # ISD snapshots split overlapping cues; keep them apart for this check.
    spaced = Transcript(
        tuple(Cue(i * 20_000, i * 20_000 + 5_000, c.text) for i, c in enumerate(t.cues)),
        language=t.language,
    )
    document = imsc_reader.to_model(ElementTree.ElementTree(ElementTree.fromstring(_quiet(spaced))))
    shown = [
        (round(s.start.total_seconds() * 1000), round(s.end.total_seconds() * 1000), s.content)
        for s in srt.parse(srt_writer.from_model(document))
    ]
    # ttconv's SRT writer escapes nothing and adds no markup for plain text.
    assert shown == _expected(spaced)


def test_document_shape_and_language() -> None:
    t = Transcript((Cue(480, 3_920, "Bonjour & <bienvenue>\nà tous"),), language="fre")
    document = render(t, "ttml")
    root = ElementTree.fromstring(document)
    ns = "{http://www.w3.org/XML/1998/namespace}"
    assert root.get(f"{ns}lang") == "fr"
    assert root.get("{http://www.w3.org/ns/ttml#parameter}profile") == ttml.IMSC1_TEXT
    assert (
        '<p begin="00:00:00.480" end="00:00:03.920">Bonjour &amp; &lt;bienvenue&gt;<br/>à tous</p>'
        in document
    )
    assert loads(document).language == "fre"  # sniffed as TTML


def test_times_past_100_hours_are_exact() -> None:
    t = Transcript((Cue(360_000_001, 1_800_000_000_123, "late"),))
    assert '<p begin="100:00:00.001" end="500000:00:00.123">late</p>' in render(t, "ttml")
    assert loads(render(t, "ttml")).cues[0].end_ms == 1_800_000_000_123


def test_top_position_and_speaker_labels() -> None:
    t = Transcript((Cue(0, 1000, "hi", speaker="Ana"),))
    document = render(t, "ttml", position="top", speaker_labels=True)
    assert 'tts:displayAlign="before"' in document
    assert ">Ana: hi</p>" in document
    with pytest.raises(FormatError, match="position"):
        render(t, "ttml", position="middle")


# Shapes real TTML files use, each with the cues a TTML player shows.
REAL = {
    "dfxp with ticks and spans": (
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"'
        ' ttp:tickRate="10000000" xml:lang="de-AT"><body><div>'
        '<p begin="10000000t" end="25000000t"><span>Guten</span> <span>Tag</span><br/>zusammen</p>'
        "</div></body></tt>",
        [(1000, 2500, "Guten Tag\nzusammen")],
        "ger",
    ),
    "frames and offset times in a timed div": (
        # (A timed div needs an end here: ttconv 1.2 drops a div that has a
        # begin and no end when its children end before that begin offset;
        # see docs/formats.md.)
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"'
        ' ttp:frameRate="25"><body><div begin="10s" end="60s">'
        '<p begin="00:00:01:05" end="2.5s">one</p><p begin="3s" dur="1s">two</p>'
        "</div></body></tt>",
        [(11_200, 12_500, "one"), (13_000, 14_000, "two")],
        None,
    ),
    "end clipped to the parent's end": (
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div begin="0s" end="5s">'
        '<p begin="4s" end="9s">cut</p></div></body></tt>',
        [(4000, 5000, "cut")],
        None,
    ),
    "sequential container": (
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttml="http://www.w3.org/ns/ttml">'
        '<body><div timeContainer="seq"><p dur="1s">a</p><p dur="2s">b</p></div></body></tt>',
        [(0, 1000, "a"), (1000, 3000, "b")],
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_reads_real_shapes(name: str) -> None:
    document, cues, language = REAL[name]
    t = loads(document, format="ttml")
    assert [(c.start_ms, c.end_ms, c.text) for c in t.cues] == cues
    assert t.language == language


def test_open_ended_paragraphs_end_at_the_next_one_with_a_warning() -> None:
    document = (
        '<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><div>'
        '<p begin="1s">a</p><p begin="3s">b</p></div></body></tt>'
    )
    t = loads(document, format="ttml")
    assert [(c.start_ms, c.end_ms) for c in t.cues] == [(1000, 3000), (3000, 8000)]
    assert [w.code for w in t.warnings] == ["open-ended-cue"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not xml at all", "not well-formed XML"),
        ("<tt xmlns='http://www.w3.org/ns/ttml'><body><div><p begin='1s'", "not well-formed XML"),
        ("<html><body>hi</body></html>", "TTML"),
        ("", "not well-formed XML"),
        (
            "<!DOCTYPE tt [<!ENTITY a 'aaaaaaaaaa'>"
            + "".join(
                f"<!ENTITY {name} '{('&' + previous + ';') * 10}'>"
                for previous, name in zip("abcdefg", "bcdefgh", strict=True)
            )
            + "]>"
            "<tt xmlns='http://www.w3.org/ns/ttml'><body><div><p begin='1s' end='2s'>&h;</p>"
            "</div></body></tt>",
            "amplification",  # expat's billion-laughs guard
        ),
    ],
)
def test_bad_documents_are_format_errors(document: str, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        loads(document, format="ttml")


def test_deep_nesting_is_a_format_error_or_read() -> None:
    depth = 100_000
    document = (
        "<tt xmlns='http://www.w3.org/ns/ttml'><body><div><p begin='1s' end='2s'>"
        + "<span>" * depth
        + "x"
        + "</span>" * depth
        + "</p></div></body></tt>"
    )
    with contextlib.suppress(FormatError):
        t = loads(document, format="ttml")
        assert [c.text for c in t.cues] == ["x"]


def test_a_missing_language_is_a_warning_and_strict_refuses_it() -> None:
    """TTML requires xml:lang on <tt>; ttconv says so, and so do we."""
    document = (
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="1s" end="2s">a</p></div>'
        "</body></tt>"
    )
    t = loads(document, format="ttml")
    assert [c.text for c in t.cues] == ["a"]
    assert [w.code for w in t.warnings] == ["ttconv"]
    assert "xml:lang" in t.warnings[0].message
    with pytest.raises(FormatError, match="xml:lang"):
        ttml.parse(document, strict=True)


def test_what_ttconv_drops_is_reported() -> None:
    """A <p> straight in <body> is not TTML: ttconv drops it and says so."""
    document = (
        '<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en"><body><p begin="1s" end="2s">a</p>'
        "</body></tt>"
    )
    t = loads(document, format="ttml")
    assert t.cues == ()
    assert [w.message for w in t.warnings] == ["ttconv: Children of body must be div instances"]


def test_strict_refuses_what_ttconv_warns_about() -> None:
    document = (
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling"'
        ' xml:lang="en">'
        '<body><div><p begin="1s" end="2s" tts:color="no-such-colour">a</p></div></body></tt>'
    )
    t = loads(document, format="ttml")
    assert [c.text for c in t.cues] == ["a"]
    assert [w.code for w in t.warnings] == ["ttconv"]
    with pytest.raises(FormatError, match="ttconv"):
        ttml.parse(document, strict=True)


@settings(max_examples=150)
@given(
    st.lists(
        st.sampled_from(
            [
                "<tt xmlns='http://www.w3.org/ns/ttml'>",
                "<body>",
                "<div>",
                "</div>",
                "</body>",
                "</tt>",
                "<p begin='",
                "' end='",
                "'>",
                "</p>",
                "<br/>",
                "<span>",
                "</span>",
                "1s",
                "99999999999999999999h",
                "00:00:01.000",
                "-1s",
                "1e400s",
                "nan",
                "x",
                "&amp;",
                "&#0;",
                "&#xD800;",
                "<?xml version='1.0'?>",
                " ",
                "\n",
                "t",
                "f",
                "dur='",
                "timeContainer='seq'",
                "ttp:tickRate='0'",
            ]
        ),
        max_size=30,
    ).map("".join),
    st.booleans(),
)
def test_only_typed_errors(document: str, strict: bool) -> None:
    with contextlib.suppress(GcoreCaptionsError):
        ttml.parse(document, strict=strict)


def test_load_save_extensions(tmp_path: Path) -> None:
    t = load(SAMPLE)
    for extension in ("ttml", "dfxp", "xml"):
        path = tmp_path / f"a.{extension}"
        save(t, path)
        back = load(path)
        assert [(c.start_ms, c.end_ms) for c in back.cues] == [
            (c.start_ms, c.end_ms) for c in t.cues
        ]


def test_characters_xml_cannot_carry_are_replaced_with_a_warning() -> None:
    t = Transcript((Cue(0, 1000, "fine"), Cue(1000, 2000, "bell\x07 and \ud800")))
    with pytest.warns(WriterWarning, match=r"cue 2: a control character") as caught:
        document = render(t, "ttml")
    assert caught[0].message.code == "replaced-character"  # type: ignore[union-attr]
    assert ">bell\ufffd and \ufffd</p>" in document
    ElementTree.fromstring(document)  # well-formed


def test_times_no_caption_file_holds_are_refused() -> None:
    with pytest.raises(FormatError, match="past the latest time"):
        render(Transcript((Cue(0, 10**30, "x"),)), "ttml")
