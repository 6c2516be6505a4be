"""
No field a writer emits can inject structure: whatever string goes into cue
text, speaker, identifier, settings, NOTE, header lines, the ASS title and
style name, the language or the task id, the reference parsers (srt,
webvtt-py, pysubs2) and our own readers (the WebVTT one follows the W3C
parsing rules) read back the same cues: count, times and the text as the
format carries it (docs/formats.md, "What a format cannot carry").
"""

from __future__ import annotations

import json
import pickle
import re
import time
import warnings
from html.parser import HTMLParser
from typing import Any

import pysubs2
import pytest
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
    visible_lines,
)
from _writer_support import (
    carried,
    collapse,
    collapse_lines,
    field,
    optional,
    transcripts,
    vtt_identifier,
    writer_warnings,
    written,
)
from gcore_captions import AssStyle, Cue, Transcript, loads, render
from gcore_captions.errors import FormatError
from gcore_captions.formats import MAX_TIME_MS, WriterWarning

common = settings(max_examples=40, deadline=None)


@common
@given(transcripts(), st.booleans())
def test_srt_fields_cannot_inject(transcript: Transcript, labels: bool) -> None:
    """SRT: text and speaker labels; srt.parse and our reader read the same cues."""
    with writer_warnings():
        out = render(transcript, "srt", speaker_labels=labels)

    def shown(text: str) -> str:
        return srt_shown(text)

    if labels:
        cues = sorted(transcript.cues, key=lambda c: c.start_ms)
        expected = []
        for cue in cues:
            label = visible_lines(carried(cue.speaker or "")).replace("\n", " ")
            text = f"{label}: {carried(cue.text)}" if label else carried(cue.text)
            if visible_lines(text):
                expected.append((cue, srt_shown(visible_lines(text))))
    else:
        expected = written(transcript, shown)
    reference = read_srt(out)
    assert [(r.start_ms, r.end_ms, r.text) for r in reference] == [
        (c.start_ms, c.end_ms, text.replace(WJ, "")) for c, text in expected
    ]
    ours = loads(out, "srt")
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms, c.text) for c in ours] == [
        (c.start_ms, c.end_ms, text) for c, text in expected
    ]


@common
@given(transcripts(), optional, st.lists(st.tuples(field, field), max_size=3), st.booleans())
def test_vtt_fields_cannot_inject(
    transcript: Transcript, note: str | None, metadata: list[tuple[str, str]], header: bool
) -> None:
    """
    WebVTT: text, voice, identifier, settings, NOTE and header lines; our
    W3C reader and webvtt-py read the same cues, voices and identifiers.
    """
    with writer_warnings():
        out = render(
            transcript,
            "vtt",
            identifiers="keep",
            note=note,
            metadata=tuple(metadata),
            language_header=header,
        )
    expected = written(transcript, lambda text: text)
    voices = [collapse(carried(c.speaker or "")) or None for c, _ in expected]
    ours = loads(out, "vtt")
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in ours] == [
        (c.start_ms, c.end_ms, text, voice)
        for (c, text), voice in zip(expected, voices, strict=True)
    ]
    assert [c.identifier for c in ours] == [vtt_identifier(c.identifier) for c, _ in expected]
    reference = read_vtt(out)
    assert [(r.start_ms, r.end_ms, r.text.replace(WJ, ""), r.speaker) for r in reference] == [
        (c.start_ms, c.end_ms, text.replace(WJ, ""), voice)
        for (c, text), voice in zip(expected, voices, strict=True)
    ]
    assert [c.identifier or None for c in webvtt.from_string(out).captions] == [
        c.identifier for c in ours
    ]


# pysubs2 1.8 reads two hour digits only.
_PYSUBS2_MAX_MS = 359_999_994
_name_chars = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=",")
_style_names = (
    st.lists(
        st.one_of(
            st.sampled_from(["{", "}", "\\N", "[Events]", "Dialogue: ", "Default", " ", "*"]),
            st.text(_name_chars, max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
    .map("".join)
    .filter(str.strip)
)


@common
@given(transcripts(), optional, _style_names)
def test_ass_fields_cannot_inject(transcript: Transcript, title: str | None, style: str) -> None:
    """ASS: text, Name, Title and the style name; pysubs2, libass's text rules and our reader
    read the same events."""
    with writer_warnings():
        out = render(transcript, "ass", title=title, name=style, font=style)
    expected = written(transcript, lambda text: text)
    names = [
        collapse_lines(carried(c.speaker)).replace(",", ";") or None if c.speaker else None
        for c, _ in expected
    ]
    lines = out.split("\n")
    assert sum(line.startswith("Dialogue: ") for line in lines) == len(expected)
    fields = [line.split(",", 9) for line in lines if line.startswith("Dialogue: ")]
    assert [f[3] for f in fields] == [style.strip()] * len(expected)
    assert [libass_text(f[9]).replace(WJ, "") for f in fields] == [
        text.replace(WJ, "") for _, text in expected
    ]
    ours = loads(out, "ass")
    assert ours.warnings == ()
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in ours] == [
        (ass_ms(c.start_ms), ass_ms(c.end_ms), text, name)
        for (c, text), name in zip(expected, names, strict=True)
    ]
    if all(c.end_ms <= _PYSUBS2_MAX_MS for c in transcript):
        reference = read_ass(out)
        assert [(r.start_ms, r.end_ms, r.text, r.speaker) for r in reference] == [
            (ass_ms(c.start_ms), ass_ms(c.end_ms), text, name)
            for (c, text), name in zip(expected, names, strict=True)
        ]
        parsed = pysubs2.SSAFile.from_string(out)
        assert list(parsed.styles) == [style.strip()]


@common
@given(transcripts())
def test_json_fields_cannot_inject(transcript: Transcript) -> None:
    """Aligned JSON: every string field comes back exactly, lone surrogates as U+FFFD."""
    with writer_warnings() as found:
        out = render(transcript, "json")
    document = json.loads(out)
    assert document["task_id"] == (
        None if transcript.task_id is None else _surrogates(transcript.task_id)
    )
    back = loads(out, "json")

    def clean(value: str | None) -> str | None:
        return None if value is None else _surrogates(value)

    assert [(c.start_ms, c.end_ms, c.text, c.speaker, c.identifier, c.settings) for c in back] == [
        (
            c.start_ms,
            c.end_ms,
            clean(c.text),
            clean(c.speaker),
            clean(c.identifier),
            clean(c.settings),
        )
        for c in sorted(transcript.cues, key=lambda c: c.start_ms)
        if c.text.strip()  # the reader drops empty cues (with a warning)
    ]
    assert dict(back.metadata) == {
        _surrogates(k): _surrogates(v) for k, v in transcript.metadata.items()
    }
    assert bool(found) == bool(_SURROGATE.search(repr_fields(transcript)))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def repr_fields(transcript: Transcript) -> str:
    values: list[Any] = [transcript.task_id, transcript.language]
    for key, value in transcript.metadata.items():
        values += [key, value]
    for cue in transcript.cues:
        values += [cue.text, cue.speaker, cue.identifier, cue.settings]
    return "".join(str(v) for v in values if v is not None)


@common
@given(transcripts(), st.booleans())
def test_text_lines_cannot_inject(transcript: Transcript, timestamps: bool) -> None:
    """Plain text, one cue per line: each cue is exactly one line, whatever its text."""
    with writer_warnings():
        out = render(transcript, "txt", one_per_line=True, timestamps=timestamps)
    expected = written(transcript, lambda text: text.replace("\n", " "))
    rows = out.split("\n")
    assert rows[-1] == ""
    assert len(rows) - 1 == len(expected)
    for row, (_, text) in zip(rows[:-1], expected, strict=True):
        assert row.endswith(text)


# The cases found by hand -----------------------------------------------------------------


def test_vtt_voice_ending_in_dashes_keeps_its_cue() -> None:
    """A speaker 'Name--' used to write '<v Name-->', and '-->' ended the cue text: the cue
    vanished. Its last hyphen is now a character reference."""
    transcript = Transcript((Cue(0, 1000, "hello", speaker="Ana--"), Cue(1000, 2000, "next")))
    out = render(transcript, "vtt")
    assert "<v Ana-&#45;>hello" in out
    assert "-->" not in out.replace(" --> ", "")
    for read in (loads(out, "vtt"), read_vtt(out)):
        assert [(c.text, c.speaker) for c in read] == [("hello", "Ana--"), ("next", None)]


def test_vtt_note_with_a_long_arrow_is_no_cue() -> None:
    """'--->' in a NOTE became '-->' when one dash was taken out, and a cue of its own."""
    transcript = Transcript((Cue(0, 1000, "only cue"),))
    out = render(transcript, "vtt", note="a ---> b\n00:00:05.000 ----> 00:00:06.000")
    assert "-->" not in out.replace(" --> ", "", 1)
    assert [c.text for c in loads(out, "vtt")] == ["only cue"]
    assert [c.text for c in read_vtt(out)] == ["only cue"]


@pytest.mark.parametrize(
    ("identifier", "written"),
    [("a --> b", "a -> b"), ("x ---> y", "x -> y"), ("two\nlines", "two lines")],
)
def test_vtt_identifiers_never_hold_an_arrow(identifier: str, written: str) -> None:
    """An identifier line cannot hold '-->' (it would be the timing line): runs become '->'."""
    out = render(Transcript((Cue(0, 1000, "t", identifier=identifier),)), "vtt")
    assert loads(out, "vtt")[0].identifier == written


def test_vtt_identifiers_ffmpeg_would_skip_are_left_out() -> None:
    """FFmpeg skips a block starting with NOTE or WEBVTT: such an identifier is not written,
    with a warning naming the cue."""
    transcript = Transcript(
        (Cue(0, 1000, "a", identifier="NOTE 1"), Cue(1000, 2000, "b", identifier="WEBVTT x"))
    )
    with pytest.warns(WriterWarning, match="cues 1, 2: an identifier starting with NOTE"):
        out = render(transcript, "vtt")
    assert [(c.identifier, c.text) for c in loads(out, "vtt")] == [(None, "a"), (None, "b")]


def test_vtt_voice_names_leak_nothing_into_ffmpeg() -> None:
    """Voice names use numeric references: FFmpeg replaces the named ones (and braces) even
    inside the tag it drops, and would show them."""
    out = render(Transcript((Cue(0, 1000, "t", speaker="A & <B> {c}"),)), "vtt")
    assert "<v A &#38; &#60;B&#62; &#123;c&#125;>t" in out
    assert loads(out, "vtt")[0].speaker == "A & <B> {c}"


def test_nul_and_lone_surrogates_become_replacement_characters() -> None:
    """NUL (FFmpeg ends the file there) and lone surrogates (no UTF-8 for them) are written
    as U+FFFD by every writer, with one warning per kind naming the cues."""
    transcript = Transcript(
        (Cue(0, 1000, "ok"), Cue(1000, 2000, "nul \x00 here"), Cue(2000, 3000, "lone \ud800")),
        task_id="t\udfff",
    )
    for fmt in ("srt", "vtt", "ass", "txt", "json"):
        with pytest.warns(WriterWarning) as caught:
            out = render(transcript, fmt)
        found = {(w.message.format, w.message.code, w.message.cues) for w in caught}
        expected = {(fmt, "replaced-surrogate", (3,))}
        if fmt != "json":
            expected.add((fmt, "replaced-nul", (2,)))
        assert found == expected
        assert len(caught) == len(expected)
        out.encode("utf-8")
        assert "\ud800" not in out
        if fmt != "json":
            assert "\x00" not in out
            assert "nul \ufffd here" in out
    back = loads(_quiet_json(transcript))
    assert [c.text for c in back] == ["ok", "nul \x00 here", "lone \ufffd"]
    assert back.task_id == "t\ufffd"


def _quiet_json(transcript: Transcript) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WriterWarning)
        return render(transcript, "json")


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "txt", "json", "html"])
@pytest.mark.parametrize(
    "ms", [MAX_TIME_MS + 1, 10**30, 10**400, 10**5000], ids=["max+1", "1e30", "1e400", "1e5000"]
)
def test_times_no_file_can_hold_are_a_format_error(fmt: str, ms: int) -> None:
    """A time past 999,999,999 hours (float overflow, FFmpeg's int hours, thousands of
    digits) is a FormatError naming the cue in every writer, the preview page included."""
    transcript = Transcript((Cue(0, 1000, "fine"), Cue(5, ms, "too late")))
    with pytest.raises(FormatError, match="past the latest time") as raised:
        render(transcript, fmt)
    assert raised.value.cue == 2


def test_the_latest_time_is_written_everywhere() -> None:
    """MAX_TIME_MS itself is written, and read back, exactly."""
    transcript = Transcript((Cue(MAX_TIME_MS - 1, MAX_TIME_MS, "last"),))
    assert "999999999:59:59,999" in render(transcript, "srt")
    for fmt in ("srt", "vtt", "json"):
        back = loads(render(transcript, fmt), fmt)
        assert [(c.start_ms, c.end_ms) for c in back] == [(MAX_TIME_MS - 1, MAX_TIME_MS)]
    assert "999999999:59:59.998" in render(transcript, "vtt")
    assert render(transcript, "html")


@pytest.mark.parametrize("bad", ["a\x00b", "tab\tname", "\x85", "a\u2028b", "x\ud800"])
def test_ass_style_names_refuse_control_characters(bad: str) -> None:
    """A style or font name with a control character or line separator could end or shift the
    Style line: refused when the options are made."""
    with pytest.raises(FormatError, match="control characters"):
        AssStyle(name=bad)
    with pytest.raises(FormatError, match="control characters"):
        AssStyle(font=bad)


def test_preview_page_replaces_lone_surrogates_in_every_field() -> None:
    """The HTML preview (title, metadata, the track and the JSON) writes U+FFFD too, with a
    warning, instead of failing to encode."""
    transcript = Transcript(
        (Cue(0, 1000, "x \ud800"),), task_id="t\udc00", metadata={"url": "u\ud801"}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = render(transcript, "html")
    page.encode("utf-8")
    assert {(w.message.format, w.message.code) for w in caught} >= {("html", "replaced-surrogate")}
    assert all(isinstance(w.message, WriterWarning) for w in caught)
    assert "t\ufffd" in page


class _Tags(HTMLParser):
    """Start tags and the text of the JSON data blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.data: dict[str, str] = {}
        self._block: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if tag == "script" and values.get("type") == "application/json":
            self._block = values.get("id") or ""
            self.data[self._block] = ""

    def handle_endtag(self, tag: str) -> None:
        self._block = None

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self.data[self._block] += data


def _page_tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@settings(max_examples=25, deadline=None)
@given(transcripts(), optional)
def test_preview_page_fields_cannot_inject(transcript: Transcript, title: str | None) -> None:
    """The HTML preview with hostile strings in the title, task id, metadata and cues has the
    elements of a page made from plain ones, and its data blocks hold the aligned JSON."""
    # A language that is no code stops the quality check's preset lookup (not a writer's
    # concern; see the report of the writers branch).
    transcript = transcript.replace(language="eng")
    with writer_warnings():
        page = render(transcript, "html", title=title)
        aligned = json.loads(render(transcript, "json"))
    plain = Transcript(
        tuple(c.replace(text="x", speaker=None, identifier=None, settings=None) for c in transcript)
    )
    tags = _page_tags(page)
    script_tags = [t for t in tags.tags if t == "script"]
    assert script_tags == [t for t in _page_tags(render(plain, "html")).tags if t == "script"]
    assert not {"img", "iframe", "object", "embed", "svg", "math", "form"} & set(tags.tags)
    assert json.loads(tags.data["gc-transcript"])["cues"] == aligned["cues"]


def test_writer_warnings_pickle_with_their_fields() -> None:
    """A WriterWarning made an error in a worker process comes back whole."""
    warning = WriterWarning("srt", "full-width-braces", "cue 3: braces", (3,))
    back = pickle.loads(pickle.dumps(warning))
    assert (back.format, back.code, back.reason, back.cues, str(back)) == (
        "srt",
        "full-width-braces",
        "cue 3: braces",
        (3,),
        "srt: cue 3: braces [full-width-braces]",
    )


def test_a_speaker_label_needs_a_name() -> None:
    """A speaker of only whitespace gives no ': ' label in SRT."""
    transcript = Transcript((Cue(0, 1000, "text", speaker=" \r\n "), Cue(1000, 2000, "b", "Ana")))
    out = render(transcript, "srt", speaker_labels=True)
    assert [c.text for c in loads(out, "srt")] == ["text", "Ana: b"]


@pytest.mark.parametrize(
    ("fmt", "options", "text"),
    [
        ("srt", {}, "1" * 200_000 + "x\n<b>"),
        ("srt", {}, "-" * 200_000 + "x\n<b>\n" + "{" * 100_000 + "\\" * 100_000 + "}"),
        ("vtt", {"note": "-" * 200_000 + "x-->"}, "t"),
        ("vtt", {"identifiers": "keep"}, "t"),
        ("ass", {"title": "-" * 200_000}, "\\" * 200_000 + "N{" * 100_000),
    ],
    ids=["srt-digits", "srt-dashes-braces", "vtt-note-dashes", "vtt-id-dashes", "ass"],
)
def test_writers_take_time_linear_in_hostile_text(
    fmt: str, options: dict[str, Any], text: str
) -> None:
    """Long runs of digits, dashes, braces and backslashes cost one pass (a 20,000-digit
    line used to take the SRT writer 14 s)."""
    cue = Cue(0, 1000, text, identifier="-" * 200_000 + "x-->")
    started = time.perf_counter()
    with writer_warnings():
        render(Transcript((cue,)), fmt, **options)
    assert time.perf_counter() - started < 2
