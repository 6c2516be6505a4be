"""
The WebVTT reader: the W3C parsing rules, cue text to plain text, warnings,
and the web-platform-tests corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcore_captions.errors import FormatError
from gcore_captions.formats._vtt_reader import cue_text_to_plain, parse_vtt
from gcore_captions.model import Cue
from gcore_captions.textio import decode
from gcore_captions.timecode import format_vtt, parse_vtt_timestamp, parse_vtt_timing

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "wpt-webvtt"
# CI has ../shared beside the checkout; a helper's worktree sits one level deeper.
SHARED_CORPUS = next(
    (
        base / "shared" / "reference" / "corpus" / "wpt-webvtt"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared" / "reference" / "corpus" / "wpt-webvtt").is_dir()
    ),
    ROOT.parent / "shared" / "reference" / "corpus" / "wpt-webvtt",
)


def _expected_counts() -> dict[str, int | None]:
    """
    File name -> the cue count WPT expects (None where the table gives none).
    """
    expected: dict[str, int | None] = {}
    for row in (CORPUS / "README.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([^`]+\.vtt)` \| (\w+) \| (.*) \|$", row)
        if not match:
            continue
        name, _intent, note = match.groups()
        count = re.search(r"expects (\d+) cue", note)
        expected[name] = int(count.group(1)) if count else None
    return expected


EXPECTED = _expected_counts()


def _load(name: str, *, strict: bool = True):  # type: ignore[no-untyped-def]
    text = decode((CORPUS / name).read_bytes(), filename=name)
    return parse_vtt(text, strict=strict, filename=name)


def _vtt(body: str) -> str:
    return "WEBVTT\n\n" + body


# --- the web-platform-tests corpus ---------------------------------------


def test_corpus_copy_is_complete() -> None:
    """The bundled corpus has every file its README table lists (42 of them)."""
    assert len(EXPECTED) == 42
    for name in EXPECTED:
        assert (CORPUS / name).is_file(), name


def test_corpus_copy_matches_shared_reference() -> None:
    """The bundled copy is byte-identical to the shared reference corpus, when present."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared reference corpus not found at {SHARED_CORPUS}")
    for source in SHARED_CORPUS.iterdir():
        assert (CORPUS / source.name).read_bytes() == source.read_bytes(), source.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_finds_the_cues_a_browser_finds(name: str) -> None:
    """
    Every WPT file parses strictly, and the cue count equals WPT's expectation.
    Browsers keep cues with empty text; we drop them with a warning, so those
    count too.
    """
    transcript = _load(name)
    assert transcript.source == "vtt"
    empty = [w for w in transcript.warnings if w.code == "dropped-empty-cue"]
    if EXPECTED[name] is not None:
        assert len(transcript.cues) + len(empty) == EXPECTED[name]
    for warning in transcript.warnings:
        assert warning.line is not None
        assert warning.message


#: Warning codes only lenient reading gives: the documented differences from
#: strict (WPT) reading. Read from the table in docs/webvtt-reading.md.
DOCS = ROOT / "docs" / "webvtt-reading.md"


def _documented_lenient_codes() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Lenient and strict reading", 1)[1].split("\n## ", 1)[0]
    table = section.split("### Where lenient reading differs", 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.MULTILINE))


def _cue_key(cue: Cue) -> tuple[int, int, str, str | None, str | None, str | None]:
    return (cue.start_ms, cue.end_ms, cue.text, cue.speaker, cue.identifier, cue.settings)


def test_lenient_codes_are_documented() -> None:
    """The docs list exactly the warnings lenient reading adds (and the test reads that list)."""
    assert _documented_lenient_codes() == {"repaired-timing", "odd-signature", "missing-signature"}


def test_every_warning_code_the_reader_gives_is_documented() -> None:
    """The table of every warning lists exactly the codes the reader and its repairs emit."""
    import inspect

    from gcore_captions.formats import _vtt_reader
    from gcore_captions.reading import repair_cues

    pattern = r'TranscriptWarning\(\s*"([a-z-]+)"'
    emitted = set(re.findall(pattern, inspect.getsource(_vtt_reader)))
    emitted |= set(re.findall(pattern, inspect.getsource(repair_cues)))
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("### Every warning, both modes", 1)[1].split("\n\n", 2)[1]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.MULTILINE))
    assert emitted == documented
    assert len(emitted) == 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_lenient_differs_from_strict_only_in_documented_ways(name: str) -> None:
    """
    Lenient reading of every WPT file keeps every cue and warning strict
    reading gives, except an invalid-timing that became repaired-timing; each
    cue it adds comes from a repaired timing line, and every other new warning
    is a documented lenient code, belongs to a repaired cue's line, or is the
    out-of-order of a cue below one.
    """
    documented = _documented_lenient_codes()
    strict = _load(name)
    lenient = _load(name, strict=False)
    repaired = {w.line for w in lenient.warnings if w.code == "repaired-timing"}
    strict_keys = sorted(map(_cue_key, strict.cues))
    lenient_keys = list(map(_cue_key, lenient.cues))
    for key in strict_keys:
        assert key in lenient_keys
        lenient_keys.remove(key)
    empty = sum(w.code == "dropped-empty-cue" and w.line in repaired for w in lenient.warnings)
    assert len(lenient_keys) + empty == len(repaired)
    for warning in strict.warnings:
        assert warning in lenient.warnings or (
            warning.code == "invalid-timing" and warning.line in repaired
        )
    for warning in lenient.warnings:
        # A cue read from a repaired line can put a later cue out of order.
        after_repaired = warning.code == "out-of-order" and min(repaired, default=0) < (
            warning.line or 0
        )
        assert (
            warning in strict.warnings
            or warning.code in documented
            or warning.line in repaired
            or after_repaired
        ), warning
    assert lenient.metadata == strict.metadata


def test_corpus_lenient_reads_what_players_read() -> None:
    """The WPT cases players accept are read, each with a warning naming its line."""
    short = _load("test__wpt-file-parsing__timings-too-short.vtt", strict=False)
    by_line = {w.line: w for w in short.warnings if w.code == "repaired-timing"}
    # "00:00:00.00", "00:00:00.0", "00:00:00", "00:00", "0:00.000", "0000.000"...
    assert {21, 24, 30, 39, 57, 60} <= set(by_line)
    assert "00:00:00.000 --> 00:00:01.000" in by_line[30].message
    sixty = _load("test__wpt-file-parsing__timings-60.vtt", strict=False)
    assert [c.text for c in sixty.cues if c.text == "invalid"] == ["invalid"] * 4


def test_corpus_style_and_note_text_never_becomes_cue_text() -> None:
    """In the stylesheets file, no CSS or NOTE text reaches a cue."""
    transcript = _load("test__wpt-file-parsing__stylesheets.vtt")
    assert [c.text for c in transcript.cues] == ["text", "text"]
    assert [c.identifier for c in transcript.cues] == ["foo", "bar"]
    assert "::cue(#foo)" in transcript.metadata["style"]
    assert "::bar" not in transcript.metadata["style"]  # the STYLE block after a cue
    for cue in transcript.cues:
        assert "{" not in cue.text
        assert "NOTE" not in cue.text


def test_corpus_invalid_timings_are_reported_with_cue_and_line() -> None:
    """Each cue dropped for a bad timing line is a warning with its cue number and line."""
    transcript = _load("test__wpt-file-parsing__timings-60.vtt")
    dropped = [w for w in transcript.warnings if w.code == "invalid-timing"]
    assert [(w.cue, w.line) for w in dropped] == [(1, 3), (2, 6), (3, 9), (4, 12)]
    assert [c.text for c in transcript.cues] == ["text1", "text2"]
    assert transcript.cues[1].start_ms == 60 * 3600 * 1000


def test_corpus_entities_decode_like_html() -> None:
    """Character references decode as an HTML parser decodes them in text."""
    texts = [c.text for c in _load("test__wpt-cue-parsing__entities.vtt").cues]
    assert texts[:6] == ["&", "&", "&", "&", "<", ">"]
    assert "a\u200eb" in texts
    assert "a\u200fb" in texts
    assert "\u2232" in texts  # &ClockwiseContourIntegral;
    assert "\u2ac5\u0338" in texts  # &nsubE; is two code points
    assert "\u00ac" in texts  # &not without a semicolon
    assert "\u00acit;" in texts  # &notit; decodes the &not prefix, like HTML
    assert "&1;" in texts


def test_corpus_nulls_become_replacement_characters() -> None:
    """NUL characters are replaced by U+FFFD before parsing, as the spec says."""
    transcript = _load("test__wpt-file-parsing__nulls.vtt")
    assert "text\ufffd2" in [c.text.lstrip("\ufffd") for c in transcript.cues]
    assert all("\0" not in c.text for c in transcript.cues)


# --- blocks and structure -------------------------------------------------


def test_missing_signature_is_a_format_error_naming_file_and_line() -> None:
    """Strict: text that does not start with WEBVTT is refused, naming the file and line 1."""
    with pytest.raises(FormatError) as caught:
        parse_vtt("1\n00:00:01,000 --> 00:00:02,000\nhi\n", strict=True, filename="x.vtt")
    assert caught.value.filename == "x.vtt"
    assert caught.value.line == 1
    assert "x.vtt, line 1" in str(caught.value)


@pytest.mark.parametrize("text", ["", "WEB", "WEBVTTX\n", "webvtt\n", " WEBVTT\n", "\nWEBVTT"])
def test_bad_signatures_are_refused(text: str) -> None:
    """Strict: WEBVTT must open the file and be followed by space, tab, newline or the end."""
    with pytest.raises(FormatError):
        parse_vtt(text, strict=True)


@pytest.mark.parametrize("text", ["WEBVTT", "WEBVTT ", "WEBVTT\t-", "WEBVTT - title\n"])
def test_signature_only_files_have_no_cues(text: str) -> None:
    """A valid signature with nothing after it is an empty transcript, not an error."""
    for strict in (True, False):
        transcript = parse_vtt(text, strict=strict)
        assert transcript.cues == ()
        assert transcript.warnings == ()


def test_note_after_a_cue_is_not_glued_to_it() -> None:
    """A NOTE block after a blank line is a comment, not more cue text."""
    transcript = parse_vtt(
        _vtt("00:01.000 --> 00:02.000\nHello\n\nNOTE this is a comment\nsecond line\n\n")
    )
    assert [c.text for c in transcript.cues] == ["Hello"]
    assert transcript.warnings == ()


def test_style_and_region_blocks_are_kept_apart_from_cues() -> None:
    """STYLE and REGION blocks before the cues go to metadata, never to cue text."""
    transcript = parse_vtt(
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
        "STYLE\n::cue { color: lime }\n\n"
        "REGION\nid:fred width:40%\n\n"
        "NOTE\nSTYLE\n\n"
        "00:00:00.000 --> 00:00:01.000 region:fred align:left\nHi\n"
    )
    assert [c.text for c in transcript.cues] == ["Hi"]
    assert transcript.cues[0].settings == "region:fred align:left"
    assert transcript.metadata["header"] == "Kind: captions\nLanguage: en"
    assert transcript.metadata["style"] == "::cue { color: lime }"
    assert transcript.metadata["region"] == "id:fred width:40%"
    assert transcript.warnings == ()


def test_style_after_a_cue_is_ignored_with_a_warning() -> None:
    """A STYLE block after the first cue is not allowed: ignored and reported."""
    transcript = parse_vtt(_vtt("00:00.000 --> 00:01.000\nA\n\nSTYLE\n::cue {}\n"))
    assert [c.text for c in transcript.cues] == ["A"]
    assert "style" not in transcript.metadata
    assert [(w.code, w.line) for w in transcript.warnings] == [("ignored-block", 6)]


def test_cue_settings_and_identifier_are_kept() -> None:
    """The identifier line and the settings (whitespace collapsed) stay on the cue."""
    transcript = parse_vtt(
        _vtt("intro-1\n00:00:01.000 --> 00:00:02.000   align:start\t line:0 \nHi\n")
    )
    cue = transcript.cues[0]
    assert cue.identifier == "intro-1"
    assert cue.settings == "align:start line:0"
    plain = parse_vtt(_vtt("00:00:01.000 --> 00:00:02.000\nHi\n")).cues[0]
    assert plain.identifier is None
    assert plain.settings is None


def test_voice_tag_gives_the_speaker() -> None:
    """<v Bob> and <v.loud Bob> set the speaker; the tag leaves the text."""
    transcript = parse_vtt(
        _vtt(
            "00:01.000 --> 00:02.000\n<v Bob>Hello there</v>\n\n"
            "00:02.000 --> 00:03.000\n<v.loud   Mary  Ann >Stop!\n\n"
            "00:03.000 --> 00:04.000\nNo voice\n"
        )
    )
    assert [(c.speaker, c.text) for c in transcript.cues] == [
        ("Bob", "Hello there"),
        ("Mary Ann", "Stop!"),
        (None, "No voice"),
    ]


def test_a_second_voice_stays_visible_in_the_text() -> None:
    """The first voice is the speaker; another voice in the same cue is kept as 'Name: '."""
    text, speaker = cue_text_to_plain("<v Ann>Hi!\n<v Bob>Hello.")
    assert speaker == "Ann"
    assert text == "Hi!\nBob: Hello."


def test_markup_is_removed() -> None:
    """Formatting, class, language and timestamp tags go; ruby text is dropped."""
    text, speaker = cue_text_to_plain(
        "<b>bold</b> <i>it</i> <u>u</u> <c.yellow.bg>c</c> <lang en-GB>colour</lang>"
        " <00:00:01.500>karaoke <ruby>漢字<rt>かんじ</rt></ruby>"
    )
    assert text == "bold it u c colour karaoke 漢字"
    assert speaker is None


def test_lines_emptied_by_markup_are_removed() -> None:
    """A line that only held tags does not leave a blank line in the cue text."""
    transcript = parse_vtt(_vtt("00:01.000 --> 00:02.000\n<v Bob>\nHello\n"))
    assert transcript.cues[0].text == "Hello"
    assert transcript.cues[0].speaker == "Bob"


def test_whitespace_only_lines_are_removed() -> None:
    """YouTube-style padding lines (" ") and &nbsp; lines do not survive as blank lines."""
    transcript = parse_vtt(
        _vtt(
            "00:00.030 --> 00:02.470 align:start position:0%\n \n"
            "so<00:00.539><c> today</c><00:00.840><c> we're</c>\n\n"
            "00:02.470 --> 00:02.480 align:start position:0%\nso today we're\n \n\n"
            "00:03.000 --> 00:04.000\nA\n&nbsp;\n  B  \n"
        )
    )
    assert [c.text for c in transcript.cues] == ["so today we're", "so today we're", "A\n  B  "]
    assert transcript.warnings == ()


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Tom &amp; Jerry &lt;3", "Tom & Jerry <3"),
        ("&nbsp;x&lrm;&rlm;", "\u00a0x\u200e\u200f"),
        ("&#x1F600; &#128512;", "\U0001f600 \U0001f600"),
        ("AT&T", "AT&T"),
        ("<i>&gt;</i>&", ">&"),
        ("5 < 6", "5 "),  # an unescaped '<' opens a tag that runs to the end, as in browsers
    ],
)
def test_character_references(raw: str, plain: str) -> None:
    """Named and numeric references decode; a bare & stays as it is."""
    assert cue_text_to_plain(raw)[0] == plain


def test_minutes_seconds_stamps_and_hours_past_100() -> None:
    """MM:SS.mmm stamps have no hours; hours may be any number of digits."""
    transcript = parse_vtt(
        _vtt("01:02.500 --> 59:59.999\nA\n\n123:00:00.000 --> 1234:05:06.789\nB\n")
    )
    assert [(c.start_ms, c.end_ms) for c in transcript.cues] == [
        (62_500, 3_599_999),
        (123 * 3_600_000, (1234 * 3600 + 5 * 60 + 6) * 1000 + 789),
    ]


def test_bom_crlf_lone_cr_and_mixed_line_ends() -> None:
    """A BOM is skipped; CRLF, lone CR and a mix of them all end lines."""
    text = "\ufeffWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nA\rB\n\r00:03.000 --> 00:04.000\rC\r\n"
    transcript = parse_vtt(text)
    assert [c.text for c in transcript.cues] == ["A\nB", "C"]
    assert transcript.warnings == ()


def test_blank_line_between_timing_and_text_ends_the_cue() -> None:
    """Per spec the blank line ends the cue: its empty cue and the stray text are reported."""
    transcript = parse_vtt(_vtt("00:01.000 --> 00:02.000\n\nHello\n\n00:03.000 --> 00:04.000\nB\n"))
    assert [c.text for c in transcript.cues] == ["B"]
    codes = [(w.code, w.cue, w.line) for w in transcript.warnings]
    assert ("dropped-empty-cue", 1, 3) in codes
    assert ("ignored-block", None, 5) in codes


def test_arrow_inside_text_ends_the_cue_and_starts_the_next() -> None:
    """A text line containing '-->' is the next block's timing line (here an invalid one)."""
    transcript = parse_vtt(_vtt("00:01.000 --> 00:02.000\nA\nB --> C\nD\n\n"))
    assert [c.text for c in transcript.cues] == ["A"]
    assert [(w.code, w.cue, w.line) for w in transcript.warnings] == [("invalid-timing", 2, 5)]


def test_cues_without_blank_lines_between_them() -> None:
    """A timing line ends the cue above it even with no blank line, as in browsers."""
    transcript = parse_vtt(_vtt("00:01.000 --> 00:02.000\nA\n00:02.000 --> 00:03.000\nB\nC\n"))
    assert [(c.start_ms, c.text) for c in transcript.cues] == [(1000, "A"), (2000, "B\nC")]
    assert transcript.warnings == ()


def test_arrow_line_right_after_timing_starts_a_new_cue() -> None:
    """Two timing lines in a row: the first cue is empty (reported), the second is kept."""
    transcript = parse_vtt(_vtt("00:01.000 --> 00:02.000\n00:03.000 --> 00:04.000\nX\n"))
    assert [(c.start_ms, c.text) for c in transcript.cues] == [(3000, "X")]
    assert [w.code for w in transcript.warnings] == ["dropped-empty-cue"]


def test_digit_only_text_lines_are_text() -> None:
    """'1984' and '42' as text lines stay text; a digit-only line before a timing is an id."""
    transcript = parse_vtt(
        _vtt("7\n00:01.000 --> 00:02.000\n1984\n42\n\n8\n00:02.000 --> 00:03.000\n9\n")
    )
    assert [(c.identifier, c.text) for c in transcript.cues] == [("7", "1984\n42"), ("8", "9")]


def test_zero_length_cues_are_kept() -> None:
    """A cue that starts and ends at the same time is valid WebVTT and kept unchanged."""
    transcript = parse_vtt(_vtt("00:01.000 --> 00:01.000\nflash\n"))
    assert [(c.start_ms, c.end_ms) for c in transcript.cues] == [(1000, 1000)]
    assert transcript.warnings == ()


def test_end_before_start_and_out_of_order_are_repaired_and_reported() -> None:
    """The shared repairs run on VTT cues and name the source cue numbers and lines."""
    transcript = parse_vtt(
        _vtt("00:05.000 --> 00:04.000\nA\n\n00:01.000 --> 00:02.000\nB\n\n00:0x --> 1\nC\n")
    )
    assert [(c.start_ms, c.end_ms, c.text) for c in transcript.cues] == [
        (1000, 2000, "B"),
        (4000, 5000, "A"),
    ]
    assert sorted((w.code, w.cue, w.line) for w in transcript.warnings) == [
        ("end-before-start", 1, 3),
        ("invalid-timing", 3, 9),
        ("out-of-order", 2, 6),
    ]


def test_header_text_and_header_timing_line() -> None:
    """Header lines are never cues; a timing line in the header starts the first cue."""
    transcript = parse_vtt(
        "WEBVTT\nX-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0\n00:01.000 --> 00:02.000\nA\n"
    )
    assert [c.text for c in transcript.cues] == ["A"]
    assert transcript.metadata["header"] == "X-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0"


def test_whitespace_around_timings() -> None:
    """
    Spaces, tabs and form feeds may surround the stamps and arrow; a vertical
    tab may not (strict), while lenient reading takes it for whitespace, as
    ExoPlayer does, and says so.
    """
    for strict in (True, False):
        ok = parse_vtt(
            _vtt("\t 00:01.000\f-->\t00:02.000 \nA\n\n00:01.000-->00:02.000\nB\n"),
            strict=strict,
        )
        assert [c.text for c in ok.cues] == ["A", "B"]
        assert ok.warnings == ()
    text = _vtt("\x0b00:01.000 --> 00:02.000\nA\n")
    bad = parse_vtt(text, strict=True)
    assert bad.cues == ()
    assert [w.code for w in bad.warnings] == ["invalid-timing"]
    lenient = parse_vtt(text)
    assert [(c.start_ms, c.end_ms, c.text) for c in lenient.cues] == [(1000, 2000, "A")]
    assert [(w.code, w.line) for w in lenient.warnings] == [("repaired-timing", 3)]
    assert "vertical tab" in lenient.warnings[0].message


# --- time stamps -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("00:00.000", 0),
        ("59:59.999", 3_599_999),
        ("00:00:00.000", 0),
        ("0:00:01.000", 1000),
        ("99:59:59.999", 359_999_999),
        ("100:00:00.000", 360_000_000),
        ("60:00:00.000", 216_000_000),
        ("0000000000000001:00:00.000", 3_600_000),
        ("9999999999:00:00.000", 9_999_999_999 * 3_600_000),
    ],
)
def test_vtt_timestamps_valid(text: str, ms: int) -> None:
    """The spec's stamp shapes parse to exact milliseconds."""
    assert parse_vtt_timestamp(text) == ms


@pytest.mark.parametrize(
    "text",
    [
        "00:60.000",
        "60:00.000",
        "5:00.000",
        "00:00:60.000",
        "00:60:00.000",
        "00:00:00.00",
        "00:00:00.0000",
        "00:00:00,000",
        "00:0:00.000",
        " 00:00.000",
        "00:00:00",
        "-00:00:01.000",
        "12345678901:00:00.000",
        "9" * 5000 + ":00:00.000",
        "００:００.０００",
    ],
)
def test_vtt_timestamps_invalid(text: str) -> None:
    """Stamps the W3C parser rejects raise ValueError."""
    with pytest.raises(ValueError, match="WebVTT"):
        parse_vtt_timestamp(text)


def test_timing_line_settings_rest() -> None:
    """Whatever follows the end stamp is the settings text, as the spec collects it."""
    assert parse_vtt_timing("00:00:00.000 --> 00:00:01.000") == (0, 1000, "")
    assert parse_vtt_timing("00:00:00.000 --> 00:00:01.000 a:b") == (0, 1000, " a:b")
    assert parse_vtt_timing("00:00.000 --> 00:01.000\ufffdx") == (0, 1000, "\ufffdx")
    assert parse_vtt_timing("00:00:00.000 --> 00:00:01.0000") is None
    assert parse_vtt_timing("00:00:00.000 -> 00:00:01.000") is None
    assert parse_vtt_timing("00:00:00.000 --> 00:00:70.000") is None


# --- Hypothesis ------------------------------------------------------------

_TEXT_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\0")
_line = st.text(_TEXT_CHARS, min_size=1, max_size=20).filter(
    lambda s: "-->" not in s and not s.isspace()
)
_name = st.lists(
    st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=6),
    min_size=1,
    max_size=3,
).map(" ".join)
_settings = st.lists(
    st.sampled_from(["align:start", "line:0", "position:10%", "size:50%", "vertical:rl"]),
    max_size=3,
).map(" ".join)


@st.composite
def _cues(draw: st.DrawFn) -> list[Cue]:
    starts = sorted(draw(st.lists(st.integers(0, 400 * 3_600_000), max_size=12)))
    cues = []
    for start in starts:
        lines = draw(st.lists(_line, min_size=1, max_size=3))
        text = "\n".join(lines)
        cues.append(
            Cue(
                start,
                start + draw(st.integers(0, 10_000_000)),
                text,
                speaker=draw(st.none() | _name),
                identifier=draw(st.none() | _line.filter(lambda s: s.strip() != "")),
                settings=draw(_settings) or None,
            )
        )
    return cues


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _stamp(ms: int, short: bool) -> str:
    full = format_vtt(ms)
    return full[3:] if short and ms < 3_600_000 else full


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cues=_cues(), short=st.booleans(), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_well_formed_vtt_parses_to_exactly_its_cues(
    cues: list[Cue], short: bool, newline: str
) -> None:
    """Random well-formed WebVTT built from random cues reads back to exactly those cues."""
    blocks = ["WEBVTT"]
    for cue in cues:
        block = []
        if cue.identifier is not None:
            block.append(cue.identifier)
        timing = f"{_stamp(cue.start_ms, short)} --> {_stamp(cue.end_ms, short)}"
        block.append(f"{timing} {cue.settings}" if cue.settings else timing)
        voice = f"<v {cue.speaker}>" if cue.speaker else ""
        block.append(voice + _escape(cue.text))
        blocks.append("\n".join(block))
    text = ("\n\n".join(blocks) + "\n").replace("\n", newline)
    for strict in (True, False):
        transcript = parse_vtt(text, strict=strict)
        assert transcript.warnings == ()
        assert list(transcript.cues) == cues


_VTT_BITS = st.sampled_from(
    [
        "WEBVTT",
        "",
        "\n",
        "\r",
        "\0",
        "\ufeff",
        "-->",
        " --> ",
        "00:00.000",
        "00:00:01.000",
        "99:59:59.999 --> 100:00:00.000",
        "1:2:3.4",
        "9" * 5000 + ":00:00.000 --> 00:01.000",
        "<v Bob>",
        "<v.a",
        "<ruby>a<rt>b",
        "</rt>",
        "</ruby>",
        "<",
        ">",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&",
        "NOTE",
        "STYLE",
        "REGION",
        "align:start",
        "\t",
        "\f",
        " ",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    bits=st.lists(_VTT_BITS | st.text(max_size=5), max_size=40),
    signed=st.booleans(),
)
def test_garbage_never_raises_anything_but_format_error(bits: list[str], signed: bool) -> None:
    """Strict: any text, signed or not, gives a transcript or a FormatError, nothing else."""
    text = ("WEBVTT\n" if signed else "") + "".join(bits)
    head = text.replace("\r", "\n").removeprefix("\ufeff")[:7]
    if head not in ("WEBVTT", "WEBVTT\n", "WEBVTT ", "WEBVTT\t"):
        with pytest.raises(FormatError) as caught:
            parse_vtt(text, strict=True, filename="g.vtt")
        assert caught.value.line == 1
        return
    transcript = parse_vtt(text, strict=True, filename="g.vtt")
    for cue in transcript.cues:
        assert cue.text.strip()
        assert cue.start_ms <= cue.end_ms
        assert "\0" not in cue.text
    starts = [c.start_ms for c in transcript.cues]
    assert starts == sorted(starts)
