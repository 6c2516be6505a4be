"""
Our SRT, ASS and aligned-JSON readers on files we did not write: tolerance,
repairs reported as warnings, and errors that name the line.
"""

from __future__ import annotations

import json

import pytest

from gcore_captions import FormatError, loads, render
from gcore_captions.formats import json as json_format

ASS_HEAD = (
    "[Script Info]\nScriptType: v4.00+\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
)


def test_srt_reads_hours_past_100_and_dot_separators() -> None:
    """SRT hours of any width and '.' as millisecond separator read exactly."""
    text = "1\n123:00:00,500 --> 123:00:01.250\nlong\n\n2\n00:00:01,000 --> 00:00:02,000\nx"
    transcript = loads(text, "srt")
    assert [(c.start_ms, c.end_ms) for c in transcript] == [
        (1000, 2000),
        (442_800_500, 442_801_250),
    ]
    assert [w.code for w in transcript.warnings] == ["out-of-order"]
    assert transcript.warnings[0].line == 5


def test_srt_is_tolerant_of_missing_blank_lines_and_markup() -> None:
    """Missing blank lines and indices, tags and {\\an8} blocks are handled like players do."""
    text = (
        "\ufeff\n\n1\n00:00:01,000 --> 00:00:02,000\n<i>Hello</i> {\\an8}there\n"
        "2\n00:00:03,000 --> 00:00:04,000\n<font color='red'>red</font>\n\n"
        "00:00:05,000 --> 00:00:06,000\nno index\n\n\n"
    )
    transcript = loads(text, "srt")
    assert [c.text for c in transcript] == ["Hello there", "red", "no index"]
    assert transcript.source == "srt"


def test_srt_repairs_are_reported_with_cue_and_line() -> None:
    """Empty, inverted and out-of-order SRT cues are repaired, each with a warning."""
    text = (
        "1\n00:00:05,000 --> 00:00:06,000\nfive\n\n"
        "2\n00:00:02,000 --> 00:00:01,000\ninverted\n\n"
        "3\n00:00:07,000 --> 00:00:08,000\n\n\n"
        "4\n00:00:09,000 --> 00:00:10,000\nnine\n"
    )
    transcript = loads(text, "srt")
    assert [(c.start_ms, c.text) for c in transcript] == [
        (1000, "inverted"),
        (5000, "five"),
        (9000, "nine"),
    ]
    found = {(w.code, w.cue, w.line) for w in transcript.warnings}
    assert ("end-before-start", 2, 5) in found
    assert ("out-of-order", 2, 5) in found
    assert ("dropped-empty-cue", 3, 9) in found


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("\n\nnot a cue\n\n1\n00:00:01,000 --> 00:00:02,000\nok\n", 3, "not a cue"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nx\n",
            5,
            "2 / 00:00:03,000 -> 00:00:04,000",
        ),
        ("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000", 5, "2 / 00:00:03,000"),
    ],
)
def test_srt_garbage_names_the_line(text: str, line: int, shown: str) -> None:
    """Strict: text that is not an SRT cue raises FormatError naming file, line and cue."""
    with pytest.raises(FormatError) as info:
        loads(text, "srt", filename="bad.srt", strict=True)
    assert info.value.line == line
    assert info.value.filename == "bad.srt"
    cue = info.value.cue
    assert str(info.value).startswith(f"bad.srt, line {line}, cue {cue}: not an SRT cue: {shown!r}")
    # Lenient (the default): the block is skipped with a warning naming its line.
    transcript = loads(text, "srt", filename="bad.srt")
    assert [c.text for c in transcript] == ["ok"]
    assert [w.line for w in transcript.warnings] == [line]


def test_ass_reads_long_hours_escapes_and_names() -> None:
    """ASS events: 3-digit hours, \\N, \\n, \\h, tags, Name as speaker, comments skipped."""
    text = ASS_HEAD + (
        "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,a comment\n"
        "Dialogue: 0,123:00:00.50,123:00:01.00,Default,Bob,0,0,0,,{\\i1}Hi{\\i0}\\Nthere\\hnow\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,soft\\nbreak, with commas, kept\n"
    )
    transcript = loads(text, "ass")
    assert [(c.start_ms, c.end_ms, c.text, c.speaker) for c in transcript] == [
        (1000, 2000, "soft\nbreak, with commas, kept", None),
        (442_800_500, 442_801_000, "Hi\nthere\u00a0now", "Bob"),
    ]


def test_ass_reads_ssa_v4_with_its_own_format_line() -> None:
    """An SSA v4 script (Marked field first) is read through its Format line."""
    text = (
        "[Script Info]\nScriptType: v4.00\n\n[Events]\n"
        "Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: Marked=0,0:00:01.00,0:00:02.50,Default,,0000,0000,0000,,old style\n"
    )
    assert [(c.start_ms, c.end_ms, c.text) for c in loads(text, "ass")] == [
        (1000, 2500, "old style")
    ]


def test_ass_skips_drawings_and_clamps_negative_times_with_warnings() -> None:
    """Vector drawings are not captions and negative times become 0, both reported."""
    text = ASS_HEAD + (
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100{\\p0}\n"
        "Dialogue: 0,-0:00:01.00,0:00:02.00,Default,,0,0,0,,early\n"
    )
    transcript = loads(text, "ass")
    assert [(c.start_ms, c.text) for c in transcript] == [(0, "early")]
    assert [(w.code, w.cue, w.line) for w in transcript.warnings] == [
        ("skipped-drawing", 1, 6),
        ("negative-time", 2, 7),
    ]


@pytest.mark.parametrize(
    ("text", "line", "match"),
    [
        ("just text\n", None, "no \\[Script Info\\]"),
        (ASS_HEAD + "Dialogue: 0,0:00:01.00,nonsense,Default,,0,0,0,,x\n", 6, "bad time"),
        (ASS_HEAD + "Dialogue: 0,0:00:01.00\n", 6, "has 2 fields"),
        ("[Events]\nFormat: Start, Text, End\n", 2, "Text last"),
    ],
)
def test_ass_errors_name_the_line(text: str, line: int | None, match: str) -> None:
    """Broken ASS raises FormatError naming the file and line (when strict)."""
    with pytest.raises(FormatError, match=match) as info:
        loads(text, "ass", filename="x.ass", strict=True)
    assert info.value.line == line
    assert info.value.filename == "x.ass"


def test_json_syntax_error_names_line_and_column() -> None:
    """Invalid JSON raises FormatError with the line and the column in the message."""
    with pytest.raises(FormatError, match="column 13") as info:
        loads('{\n  "schema": oops\n}', "json", filename="t.json")
    assert info.value.line == 2


def test_json_rejects_newer_versions_and_wrong_types() -> None:
    """A newer schema version or a field of the wrong type is a FormatError naming the field."""
    document = json.loads(render(loads("1\n00:00:01,000 --> 00:00:02,000\nx\n", "srt"), "json"))
    newer = {**document, "version": json_format.VERSION + 1}
    with pytest.raises(FormatError, match="upgrade"):
        loads(json.dumps(newer), "json")
    document["cues"][0]["start_ms"] = 1.5
    with pytest.raises(FormatError, match=r"cues\[0\]\.start_ms") as info:
        loads(json.dumps(document), "json")
    assert info.value.cue == 1


def test_json_keeps_every_transcript_field() -> None:
    """Aligned JSON round-trips task id, languages, source text, metadata, warnings and changes."""
    from gcore_captions import Change, Cue, Transcript, TranscriptWarning

    transcript = Transcript(
        (Cue(0, 10, "a", speaker="S", identifier="id", settings="line:0", estimated=True),),
        task_id="t-1",
        language="ger",
        languages=("ger", "eng"),
        text="a ",
        source="vttContent",
        warnings=(TranscriptWarning("source-mismatch", "m", cue=1, line=None),),
        changes=(Change("min-duration", 1, "end 0 -> 10", "too short"),),
        metadata={"url": "https://example.org/v.mp4"},
    )
    text = render(transcript, "json")
    assert '"language_bcp47": "de"' in text
    assert loads(text) == transcript


def test_json_that_is_not_ours_goes_to_the_task_reader() -> None:
    """Any other JSON is read as a Gcore task payload by parse_task."""
    pytest.importorskip("gcore_captions.task")
    payload = {
        "task_id": "abc",
        "status": "SUCCESS",
        "task_data": {"task_name": "transcription"},
        "result": {
            "subtitles": [{"start_time": "00:00:01.000", "end_time": "00:00:02.000", "text": "hi"}],
            "languages": ["eng"],
            "speech_detected": True,
        },
    }
    transcript = loads(json.dumps(payload), "json")
    assert [(c.start_ms, c.text) for c in transcript] == [(1000, "hi")]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "json"])
def test_readers_accept_any_line_ends_in_text(fmt: str, newline: str) -> None:
    """loads() of text with CRLF or lone CR line ends reads the same cues as with LF."""
    from gcore_captions import Cue, Transcript

    transcript = Transcript((Cue(0, 1000, "a\nb"), Cue(2000, 3000, "c")))
    text = render(transcript, fmt).replace("\n", newline)
    assert [c.text for c in loads(text, fmt)] == ["a\nb", "c"]
