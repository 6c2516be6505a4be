"""
Writer options format by format: WebVTT identifiers, settings, voices and
header; the ASS style and script info; plain-text paragraphs; JSON layout.
"""

from __future__ import annotations

import json

import pysubs2
import pytest
import webvtt

from gcore_captions import AssStyle, Cue, FormatError, Transcript, loads, render

# result.vttContent of the API reference's successful transcription task.
GCORE_VTT = (
    "WEBVTT\n\n1\n00:00:00.480 --> 00:00:03.920\n"
    "Good morning, and welcome to the quarterly product update.\n\n2\n"
    "00:00:04.310 --> 00:00:08.775\n"
    "Today we'll walk through three changes to the upload pipeline.\n\n3\n"
    "00:00:09.120 --> 00:00:12.004\n"
    "First, large files now resume automatically after a dropped connection.\n\n4\n"
    "00:00:12.650 --> 00:00:16.200\n"
    'Second, the "processing" badge — the grey one — finally shows real progress.\n\n5\n'
    "00:00:16.900 --> 00:00:19.415\n"
    "And third: captions are generated for every upload by default.\n\n"
)


def test_vtt_default_output_is_byte_identical_to_gcores_own() -> None:
    """Our WebVTT of a Gcore task is exactly the vttContent Gcore itself produces."""
    assert render(loads(GCORE_VTT, "vtt"), "vtt") == GCORE_VTT
    cues = loads(GCORE_VTT, "vtt").cues
    plain = Transcript(tuple(c.replace(identifier=None) for c in cues))
    assert render(plain, "vtt") == GCORE_VTT


def test_vtt_identifiers_and_settings_are_kept() -> None:
    """Cue identifiers and settings read from a VTT file are written back; modes choose ids."""
    transcript = Transcript(
        (
            Cue(0, 1000, "a", identifier="intro", settings="align:start line:0"),
            Cue(1000, 2000, "b", identifier="bad --> id\nsplit"),
            Cue(2000, 3000, "c"),
        )
    )
    out = render(transcript, "vtt")
    assert "intro\n00:00:00.000 --> 00:00:01.000 align:start line:0\na\n" in out
    assert "bad -> id split\n00:00:01.000" in out
    assert "\n\n00:00:02.000 --> 00:00:03.000\nc\n" in out
    back = loads(out, "vtt")
    assert [(c.identifier, c.settings) for c in back] == [
        ("intro", "align:start line:0"),
        ("bad -> id split", None),
        (None, None),
    ]
    assert [c.identifier for c in webvtt.from_string(out).captions] == [
        "intro",
        "bad -> id split",
        None,
    ]
    numbered = render(transcript, "vtt", identifiers="numbers", start_index=10)
    assert [c.identifier for c in loads(numbered, "vtt")] == ["10", "11", "12"]
    assert [c.identifier for c in loads(render(transcript, "vtt", identifiers="none"), "vtt")] == [
        None
    ] * 3
    with pytest.raises(ValueError, match="identifiers must be one of"):
        render(transcript, "vtt", identifiers="bogus")


def test_vtt_voice_names_are_escaped() -> None:
    """Speaker names with & < > are escaped inside <v ...> (numeric references, which FFmpeg
    leaves alone inside the tag it drops); voices=False leaves them out."""
    transcript = Transcript((Cue(0, 1000, "hi", speaker=" A & B <x>\nC "),))
    out = render(transcript, "vtt")
    assert "<v A &#38; B &#60;x&#62; C>hi\n" in out
    assert loads(out, "vtt")[0].speaker == "A & B <x> C"
    assert "<v" not in render(transcript, "vtt", voices=False)


def test_vtt_header_metadata_and_note_stay_valid() -> None:
    """Header lines and a NOTE block never hold a blank line or -->; readers skip them."""
    transcript = Transcript((Cue(0, 1000, "text"),))
    out = render(
        transcript,
        "vtt",
        metadata={"Language": "en", "Kind:": "captions\n\nx"},
        note="first\n\n--> second",
    )
    assert out.startswith("WEBVTT\nLanguage: en\nKind: captions x\n\nNOTE\nfirst\n-> second\n\n1\n")
    parsed = webvtt.from_string(out)
    assert [c.text for c in parsed.captions] == ["text"]
    assert [c.text for c in loads(out, "vtt")] == ["text"]


def test_vtt_language_header_uses_bcp47() -> None:
    """language_header=True declares the transcript's language as a BCP-47 tag."""
    german = Transcript((Cue(0, 1000, "Hallo"),), language="ger")
    assert render(german, "vtt", language_header=True).startswith("WEBVTT\nLanguage: de\n\n")
    assert render(german.replace(language="???"), "vtt", language_header=True).startswith(
        "WEBVTT\n\n"
    )
    parsed = webvtt.from_string(render(german, "vtt", language_header=True))
    assert parsed.metadata == ["Language: de"]
    assert [c.text for c in parsed.captions] == ["Hallo"]


def test_ass_style_and_script_info_options() -> None:
    """AssStyle fields and PlayRes/WrapStyle/Title reach the script, and pysubs2 reads them."""
    style = AssStyle(
        name="Captions",
        font="DejaVu Sans",
        size=42.5,
        primary_colour="#112233",
        outline_colour="&H00445566",
        back_colour="#00000000",
        italic=True,
        outline=2,
        shadow=0,
        alignment=8,
        margin_l=10,
        margin_r=20,
        margin_v=30,
    )
    transcript = Transcript((Cue(0, 1000, "hi", speaker="Ann, Bo"),), task_id="task-9")
    out = render(transcript, "ass", style=style, play_res_x=640, play_res_y=360, wrap_style=1)
    assert "Title: task-9\n" in out
    assert "WrapStyle: 1\nScaledBorderAndShadow: yes\n" in out
    subs = pysubs2.SSAFile.from_string(out)
    assert subs.info["PlayResX"] == "640"
    assert subs.info["PlayResY"] == "360"
    parsed = subs.styles["Captions"]
    assert parsed.fontname == "DejaVu Sans"
    assert parsed.fontsize == 42.5
    assert (parsed.primarycolor.r, parsed.primarycolor.g, parsed.primarycolor.b) == (17, 34, 51)
    assert parsed.primarycolor.a == 0
    assert parsed.backcolor.a == 255
    assert parsed.italic
    assert parsed.alignment == 8
    assert (parsed.marginl, parsed.marginr, parsed.marginv) == (10, 20, 30)
    assert subs.events[0].style == "Captions"
    assert subs.events[0].name == "Ann; Bo"


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("font", "Arial, Bold", "commas"),
        ("name", "", "non-empty"),
        ("primary_colour", "red", "primary_colour"),
        ("alignment", 0, "1-9"),
        ("border_style", 2, "1 or 3"),
        ("outline", -1, "0 or more"),
        ("size", "big", "size must be a number"),
        ("bold", "yes", "bold must be true or false"),
    ],
)
def test_ass_style_rejects_values_that_would_break_the_file(
    field: str, value: object, match: str
) -> None:
    """An AssStyle that cannot be written as a valid Style line is refused at creation."""
    with pytest.raises(ValueError, match=match):
        AssStyle(**{field: value})  # type: ignore[arg-type]


def test_ass_option_errors() -> None:
    """Bad play resolution or wrap style raise; unknown options are a FormatError."""
    empty = Transcript()
    with pytest.raises(ValueError, match="positive"):
        render(empty, "ass", play_res_x=0)
    with pytest.raises(ValueError, match="wrap_style"):
        render(empty, "ass", wrap_style=7)
    with pytest.raises(FormatError, match="the ass writer has no option 'colour'; its options"):
        render(empty, "ass", colour="red")
    with pytest.raises(FormatError, match="ass option play_res_x must be positive"):
        render(empty, "ass", play_res_x=0)


def test_txt_paragraphs_follow_pauses_and_speakers() -> None:
    """A pause longer than paragraph_gap_ms, or a new speaker, starts a paragraph."""
    transcript = Transcript(
        (
            Cue(0, 1000, "One."),
            Cue(2500, 3000, "Two,\nstill one."),
            Cue(6000, 7000, "After a pause."),
            Cue(7000, 8000, "Ana speaks.", speaker="Ana"),
            Cue(8000, 9000, "She goes on.", speaker="Ana"),
        )
    )
    assert render(transcript, "txt") == (
        "One. Two, still one.\n\nAfter a pause.\n\nAna: Ana speaks. She goes on.\n"
    )
    assert render(transcript, "txt", paragraph_gap_ms=None, speaker_labels=False) == (
        "One. Two, still one. After a pause.\n\nAna speaks. She goes on.\n"
    )
    assert render(transcript, "txt", paragraph_gap_ms=1000, timestamps=True).startswith(
        "[00:00:00] One.\n\n[00:00:02] Two, still one.\n\n"
    )
    with pytest.raises(ValueError, match="paragraph_gap_ms must be 0 or more"):
        render(transcript, "txt", paragraph_gap_ms=-1)


def test_txt_long_paragraphs_break_after_a_sentence() -> None:
    """Past paragraph_chars, a paragraph ends after the next cue that ends a sentence."""
    cues = (
        Cue(0, 1000, "A first sentence."),
        Cue(1000, 2000, "And a second one,"),
        Cue(2000, 3000, "which goes on."),
        Cue(3000, 4000, "Third。"),
        Cue(4000, 5000, "Last (really!)"),
    )
    transcript = Transcript(cues)
    assert render(transcript, "txt", paragraph_chars=20) == (
        "A first sentence. And a second one, which goes on.\n\nThird。 Last (really!)\n"
    )
    assert render(transcript, "txt", paragraph_chars=None).count("\n") == 1
    with pytest.raises(ValueError, match="paragraph_chars"):
        render(transcript, "txt", paragraph_chars=0)


def test_txt_joins_cjk_without_spaces() -> None:
    """Running text puts no space between two CJK cues, one between other scripts."""
    transcript = Transcript(
        (Cue(0, 1000, "你好。"), Cue(1000, 2000, "世界"), Cue(2000, 3000, "ok"))
    )
    assert render(transcript, "txt") == "你好。世界 ok\n"
    document = json.loads(render(transcript, "json"))
    assert document["text"] == "你好。世界 ok"
    assert [c["span"] for c in document["cues"]] == [[0, 3], [3, 5], [6, 8]]


def test_json_layout_options() -> None:
    """indent=None writes one line; the default writes one cue per line; text is not escaped."""
    transcript = Transcript((Cue(0, 1000, "é 中 👋"), Cue(1000, 2000, "b")))
    compact = render(transcript, "json", indent=None)
    assert compact.count("\n") == 1
    pretty = render(transcript, "json", indent=4)
    assert '\n    "cues": [\n        {"index": 1,' in pretty
    assert "é 中 👋" in pretty
    assert json.loads(compact) == json.loads(pretty)
    assert json.loads(pretty)["cues"][0]["span_utf16"] == [0, 6]
