"""
Every reader, fed hostile input, raises only the library's own errors.

The promise (README, docs/tasks.md): no public reader raises anything but a
:class:`~gcore_captions.errors.GcoreCaptionsError` on any content. Random
text alone rarely gets past a reader's first check, so the strategies here
are structure-aware: near-valid SRT, WebVTT and ASS files and Gcore task
payloads whose time stamps, numbers, whitespace and markup are mutated
(digit runs thousands long, hours past a C ``int``, ``\\x0b``, ``\\x1c``,
U+00A0 or U+2028 after a time stamp, unclosed ``<`` and ``{``, lone
surrogates), JSON with ``NaN``, ``1e400`` and nesting 100,000 deep, and the
bytes of all of these in odd encodings. Readers that grow a ``strict``
keyword are fuzzed both ways.

Each test runs a bounded number of examples (a few seconds for the file in
all; ``FUZZ_EXAMPLES=5000`` hunts longer); ``KNOWN_HOSTILE`` keeps every
input that once broke a reader as a fixed regression example.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions import GcoreCaptionsError, Transcript, loads, parse_task
from gcore_captions.formats import FORMATS

# --- the readers

Reader = Callable[[str], object]


def _variants(name: str) -> dict[str, Reader]:
    parse = FORMATS[name].parse
    assert parse is not None
    found: dict[str, Reader] = {name: lambda text: parse(text)}
    if "strict" in inspect.signature(parse).parameters:
        found[f"{name}-strict"] = lambda text: parse(text, strict=True)
    return found


TEXT_READERS: dict[str, Reader] = {
    **_variants("srt"),
    **_variants("vtt"),
    **_variants("ass"),
    **_variants("json"),
    "task": parse_task,
    "loads": loads,
}


def only_typed_errors(call: Callable[[], object], *, clean: bool = False) -> None:
    """
    ``call()`` either returns a Transcript or raises a GcoreCaptionsError.
    With ``clean``, the transcript's text must also be writable as UTF-8
    (lone surrogates replaced), which the task, JSON and ``loads`` paths
    promise.
    """
    try:
        result = call()
    except GcoreCaptionsError as error:
        str(error)  # the message itself must not fail
        return
    assert isinstance(result, Transcript)
    for warning in result.warnings:
        str(warning).encode("utf-8")
    if clean:
        for cue in result.cues:
            cue.text.encode("utf-8")
        for field in (result.task_id, result.text, *result.metadata.values()):
            if field is not None:
                field.encode("utf-8")


# --- pieces of near-valid files

ODD_SPACE = st.sampled_from([
    " ", "  ", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0",
    "\u1680", "\u2000", "\u2028", "\u2029", "\u3000", "\ufeff", "\x00", "\r", "",
])  # fmt: skip
HUGE_DIGITS = st.sampled_from(["9" * 5000, "0" * 4999 + "1", "1" * 320, "2147483648", "9" * 20])
NUMBER = st.one_of(
    st.integers(0, 99).map(str),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.text("0123456789", min_size=1, max_size=12),
    HUGE_DIGITS,
    st.sampled_from(["-1", "", "١٢", "x", "1e3", "0x1"]),
)


@st.composite
def stamp(draw: st.DrawFn, separator: str = ",") -> str:
    """A time stamp, often valid, with any of its fields mutated or dropped."""
    hours, minutes, seconds, fraction = (draw(NUMBER) for _ in range(4))
    sep = draw(st.sampled_from([separator, separator, ".", ",", ":", ""]))
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return f"{hours}:{minutes}:{seconds}{sep}{fraction}"
    if shape == 1:
        return f"{minutes}:{seconds}{sep}{fraction}"
    if shape == 2:
        return f"{hours}:{minutes}:{seconds}"
    if shape == 3:
        return f"{seconds}{sep}{fraction}"
    return draw(st.sampled_from(["00:00:01,000", "00:00:02.000", "0:00:03.00", "01:02.500"]))


ARROW = st.sampled_from(["-->", "-->", " --> ", "->", "--->", "-- >", "—>", "==>", ""])


@st.composite
def timing_line(draw: st.DrawFn, separator: str = ",") -> str:
    """``start --> end`` with odd spacing around it and junk or settings after."""
    tail = draw(
        st.one_of(
            st.just(""),
            ODD_SPACE.map(lambda space: space + "x"),
            st.sampled_from([" align:start", " line:0%", " X1:100 Y1:2", "?", "\x0b000"]),
        )
    )
    return (
        draw(ODD_SPACE)
        + draw(stamp(separator))
        + draw(ODD_SPACE)
        + draw(ARROW)
        + draw(ODD_SPACE)
        + draw(stamp(separator))
        + tail
    )


MARKUP = st.sampled_from([
    "<i>", "</i>", "<i", "<b>", "<", ">", "<font color=", "</font>", "<v Bob>", "<v ", "<c.x>",
    "<00:00:01.000>", "<ruby>", "<rt>", "&amp;", "&", "&#", "&#x110000;", "{\\an8}", "{\\",
    "{", "}", "\\N", "\\h", "-->", "--", "\ud800", "\udfff", "\U0001f600", "\u202e",
])  # fmt: skip
WORDS = st.sampled_from(["Hello", "world.", "1", "42", "NOTE", "WEBVTT", "Dialogue:", "[Events]"])


@st.composite
def text_line(draw: st.DrawFn) -> str:
    """A line of cue text: words, markup (closed or not), odd space."""
    parts = draw(st.lists(st.one_of(WORDS, MARKUP, ODD_SPACE), max_size=8))
    if draw(st.integers(0, 9)) == 0:  # a long run of one hostile piece
        parts.append(draw(st.sampled_from(["<", "{", "<i ", "{\\", "&", "1", " "])) * 2000)
    return "".join(parts)


NEWLINE = st.sampled_from(["\n", "\n", "\r\n", "\r"])


@st.composite
def srt_file(draw: st.DrawFn) -> str:
    """Blocks of number, timing line and text, any of them mutated."""
    blocks = []
    for _ in range(draw(st.integers(0, 5))):
        lines = []
        if draw(st.booleans()):
            lines.append(draw(ODD_SPACE) + draw(NUMBER) + draw(ODD_SPACE))
        lines.append(draw(timing_line(",")))
        lines += draw(st.lists(text_line(), max_size=3))
        blocks.append("\n".join(lines))
    newline = draw(NEWLINE)
    return (
        draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"])).join(blocks).replace("\n", newline)
    )


@st.composite
def vtt_file(draw: st.DrawFn) -> str:
    """A WebVTT file: header, NOTE/STYLE/REGION blocks and cues, mutated."""
    header = draw(st.sampled_from(["WEBVTT", "WEBVTT", "\ufeffWEBVTT", "WEBVTT FILE", "WEBVTTx"]))
    header += draw(st.sampled_from(["", " title", "\nKind: captions", "\x0b"]))
    blocks = [header]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.integers(0, 6))
        if kind == 0:
            blocks.append("NOTE " + draw(text_line()))
        elif kind == 1:
            blocks.append("STYLE\n::cue { color: red }" + draw(text_line()))
        elif kind == 2:
            blocks.append("REGION\nid:r width:40% " + draw(text_line()))
        else:
            lines = []
            if draw(st.booleans()):
                lines.append(draw(text_line()))  # an identifier
            lines.append(draw(timing_line(".")))
            lines += draw(st.lists(text_line(), max_size=3))
            blocks.append("\n".join(lines))
    return draw(st.sampled_from(["\n\n", "\n", "\n\n\n"])).join(blocks).replace("\n", draw(NEWLINE))


ASS_EVENTS_FORMAT = (
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"
)


@st.composite
def ass_file(draw: st.DrawFn) -> str:
    """An ASS script: sections, a Format line, Dialogue lines with mutated fields."""
    lines = [draw(st.sampled_from(["[Script Info]", "[script info]", "", "[V4 Styles]"]))]
    lines += draw(st.lists(st.sampled_from(["ScriptType: v4.00+", "PlayResX: 9" * 3, "; c"])))
    if draw(st.booleans()):
        lines += ["[V4+ Styles]", "Format: Name, Fontname, Fontsize", "Style: Default,Arial,20"]
    lines.append(draw(st.sampled_from(["[Events]", "[events]", "[Events"])))
    if draw(st.integers(0, 4)):
        lines.append(
            draw(
                st.sampled_from(
                    [ASS_EVENTS_FORMAT, "Format: Start, End, Text", "Format: Text", "Format:"]
                )
            )
        )
    for _ in range(draw(st.integers(0, 5))):
        fields = [
            draw(NUMBER),
            draw(stamp(".")),
            draw(stamp(".")),
            draw(st.sampled_from(["Default", "", "*Default", "Nope"])),
            draw(st.sampled_from(["", "Bob", ","])),
            draw(NUMBER),
            "0",
            "0",
            "",
            draw(text_line()),
        ]
        count = draw(st.integers(0, len(fields)))
        kind = draw(st.sampled_from(["Dialogue: ", "Dialogue:", "Comment: ", "dialogue: "]))
        lines.append(kind + ",".join(fields[: max(count, 1)]) + draw(ODD_SPACE))
    return "\n".join(lines).replace("\n", draw(NEWLINE))


# --- JSON values and payloads

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**63, -(2**31) - 1, 10**400, -(10**4299)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    stamp("."),
    st.sampled_from(["\ud800", "x\udfff", "SUCCESS", "success", "FAILURE", "eng", "ger", "auto"]),
)
JSON_VALUE = st.recursive(
    SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.text(max_size=5), children, max_size=3),
    ),
    max_leaves=8,
)


def maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value, or any JSON value instead (a wrong type, a huge number, NaN)."""
    return st.one_of(value, value, value, JSON_VALUE)


@st.composite
def subtitle_item(draw: st.DrawFn) -> Any:
    item = {
        "start_time": draw(maybe(stamp("."))),
        "end_time": draw(maybe(stamp("."))),
        "text": draw(maybe(text_line())),
    }
    for key in draw(st.sets(st.sampled_from(sorted(item)), max_size=1)):
        del item[key]
    return draw(st.one_of(st.just(item), st.just(item), JSON_VALUE))


@st.composite
def task_payload(draw: st.DrawFn) -> dict[str, Any]:
    """A Gcore task: valid in shape, with any field missing or of any JSON type."""
    subtitles = draw(st.lists(subtitle_item(), max_size=5))
    result: dict[str, Any] = {
        "subtitles": draw(maybe(st.just(subtitles))),
        "vttContent": draw(maybe(vtt_file())),
        "concatenated_text": draw(maybe(st.text(max_size=20))),
        "languages": draw(maybe(st.lists(st.sampled_from(["eng", "ger", "xx", ""]), max_size=2))),
        "speech_detected": draw(maybe(st.booleans())),
    }
    task: dict[str, Any] = {
        "task_id": draw(maybe(st.just("6f1c2a9e"))),
        "status": draw(maybe(st.sampled_from(["SUCCESS", "PENDING", "FAILURE", "REVOKED"]))),
        "progress": draw(maybe(st.integers(0, 100))),
        "task_data": draw(
            maybe(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "task_name": maybe(st.just("transcription")),
                        "audio_language": maybe(st.sampled_from(["eng", "auto", "ger"])),
                        "subtitles_language": maybe(st.just("fre")),
                        "url": maybe(st.just("https://example.invalid/v.mp4")),
                        "client_user_id": JSON_VALUE,
                        "category": JSON_VALUE,
                    },
                )
            )
        ),
        "processing_time": draw(maybe(st.fixed_dictionaries({"completed_at": JSON_VALUE}))),
        "result": draw(maybe(st.just(result))),
    }
    for key in draw(st.sets(st.sampled_from(sorted(task)), max_size=2)):
        del task[key]
    if isinstance(task.get("result"), dict):
        for key in draw(st.sets(st.sampled_from(sorted(result)), max_size=2)):
            task["result"].pop(key, None)
    return task


@st.composite
def aligned_document(draw: st.DrawFn) -> dict[str, Any]:
    """Our aligned JSON, with versions, cue fields and lists of any type."""
    cue = st.fixed_dictionaries(
        {
            "start_ms": maybe(st.integers(0, 10**7)),
            "end_ms": maybe(st.integers(0, 10**7)),
            "text": maybe(text_line()),
        },
        optional=dict.fromkeys(("speaker", "identifier", "settings", "estimated"), JSON_VALUE),
    )
    record = st.dictionaries(st.sampled_from(["code", "message", "cue", "line"]), JSON_VALUE)
    return draw(
        st.fixed_dictionaries(
            {"schema": st.just("gcore-captions/aligned-transcript")},
            optional={
                "version": maybe(st.sampled_from([1, 2, 0])),
                "cues": maybe(st.lists(maybe(cue), max_size=4)),
                "warnings": maybe(st.lists(record, max_size=2)),
                "changes": maybe(st.lists(record, max_size=2)),
                "languages": maybe(st.lists(SCALAR, max_size=2)),
                "metadata": maybe(st.dictionaries(st.text(max_size=4), SCALAR, max_size=2)),
                "task_id": SCALAR,
                "source_text": SCALAR,
            },
        )
    )


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def json_text(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> str:
    """A document as JSON text (NaN and Infinity as Python writes them), often damaged."""
    text = json.dumps(draw(documents), ensure_ascii=draw(st.booleans()))
    damage = draw(st.integers(0, 6))
    if damage == 0 and len(text) > 2:  # cut short
        return text[: draw(st.integers(1, len(text) - 1))]
    if damage == 1:  # something hostile where a value was
        hostile = draw(st.sampled_from([deep(100_000), "9" * 5000, "1e400", "NaN", "-Infinity"]))
        return text.replace("null", hostile, 1) if "null" in text else f"[{text}, {hostile}]"
    if damage == 2:  # odd space between tokens
        return text.replace(" ", draw(ODD_SPACE))
    return text


ANY_DOCUMENT = st.one_of(task_payload(), aligned_document(), JSON_VALUE)
ANY_TEXT = st.one_of(
    srt_file(), vtt_file(), ass_file(), json_text(ANY_DOCUMENT), st.text(max_size=50)
)
ENCODINGS = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1"]
)
FORCED = st.sampled_from([
    None, None, "utf-8", "latin-1", "cp1251", "utf-16", "utf-32-be", "shift_jis",
    "idna", "rot13", "base64", "unicode_escape", "utf-7", "nope", "", "utf-8\x00",
])  # fmt: skip
FORMAT_NAMES = st.sampled_from([None, None, "srt", "vtt", "ass", "json", "webvtt", "txt", "nope"])

# Bounded for CI; FUZZ_EXAMPLES=5000 runs a longer hunt locally.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None)


# --- the fuzz tests


@pytest.mark.parametrize(
    ("reader", "files"),
    [
        (name, strategy)
        for name, strategy in (
            ("srt", srt_file()),
            ("vtt", vtt_file()),
            ("ass", ass_file()),
            ("json", json_text(aligned_document())),
            ("task", json_text(task_payload())),
        )
    ],
)
@FUZZ
@given(data=st.data())
def test_reader_raises_only_typed_errors(reader: str, files: Any, data: st.DataObject) -> None:
    """Each reader (and its strict mode, if any) on near-valid files of its format."""
    text = data.draw(files)
    for name, read in TEXT_READERS.items():
        if name == reader or name.startswith(f"{reader}-"):
            only_typed_errors(lambda read=read: read(text), clean=reader in ("json", "task"))


@FUZZ
@given(text=ANY_TEXT, data=st.data())
def test_every_reader_on_every_format(text: str, data: st.DataObject) -> None:
    """Any reader on any format's file (a VTT file to the ASS reader...)."""
    name = data.draw(st.sampled_from(sorted(TEXT_READERS)))
    only_typed_errors(lambda: TEXT_READERS[name](text), clean=name in ("json", "task", "loads"))


@FUZZ
@given(payload=task_payload())
def test_parse_task_on_payload_dicts(payload: dict[str, Any]) -> None:
    """parse_task on dicts: every field missing, null, or of any JSON type."""
    only_typed_errors(lambda: parse_task(payload), clean=True)


@FUZZ
@given(text=ANY_TEXT, format=FORMAT_NAMES, filename=st.sampled_from([None, "x.srt", "x.json"]))
def test_loads_with_sniffing(text: str, format: str | None, filename: str | None) -> None:
    """loads picks a reader by name, extension or content; only typed errors come out."""
    only_typed_errors(lambda: loads(text, format, filename=filename), clean=True)


# A forced escape codec ("unicode_escape") warns about bad escapes; a
# warning is not an error, so it is not what this test is about.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@FUZZ
@given(
    text=ANY_TEXT,
    codec=ENCODINGS,
    cut=st.integers(0, 3),
    forced=FORCED,
    format=FORMAT_NAMES,
    junk=st.binary(max_size=8),
)
def test_loads_bytes_in_odd_encodings(
    text: str, codec: str, cut: int, forced: str | None, format: str | None, junk: bytes
) -> None:
    """Files as bytes: any encoding, cut mid-character, junk bytes, a forced codec."""
    data = text.encode(codec, errors="replace")
    data = data[: len(data) - cut] + junk if cut else data
    only_typed_errors(lambda: loads(data, format, encoding=forced), clean=True)
    only_typed_errors(lambda: parse_task(data), clean=True)


# --- inputs that once broke a reader, kept as fixed examples

KNOWN_HOSTILE: list[tuple[str, str]] = [
    # JSON: the int-str limit, NaN/Infinity, overflow to inf, 100,000 deep.
    ("task", '{"task_id": "t", "status": "SUCCESS", "progress": ' + "9" * 5000 + "}"),
    ("task", '{"task_id": "t", "status": "PENDING", "progress": NaN}'),
    ("task", '{"task_id": "t", "status": "PENDING", "progress": 1e400}'),
    ("task", '{"task_id": "t", "status": "FAILURE", "result": {"error": ' + "1" * 5000 + "}}"),
    ("task", deep(100_000)),
    ("json", deep(100_000)),
    ("loads", deep(100_000)),
    ("json", '{"schema": "gcore-captions/aligned-transcript", "version": Infinity}'),
    ("loads", '{"schema": "gcore-captions/aligned-transcript", "version": 1, "cues": ['
     '{"start_ms": ' + "9" * 5000 + ', "end_ms": 1, "text": "a"}]}'),
    # ASS: an [Events] section with no Dialogue that fits (a reader rewrite
    # let zip(strict=True)'s ValueError out; /work/notes/reader-crashes.md).
    ("ass", "[Events]"),
    ("ass", "[Script Info]\n[Events]"),
    ("ass", "[Events]\nFormat: Start, End, Text\nDialogue: 0:00:01.00,0:00:02.00\n"),
    ("loads", "[Script Info]\n[Events]"),
    # Whitespace other than space or tab after an SRT or WebVTT time stamp.
    *(
        (reader, f"{head}00:00:01{sep}000 --> 00:00:02{sep}000{space}\nHi\n")
        for reader, head, sep in (("srt", "1\n", ","), ("vtt", "WEBVTT\n\n", "."))
        for space in ("\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028", "\x00")
    ),
    # Time stamps with thousands of digits.
    ("task", json.dumps({"status": "SUCCESS", "result": {"subtitles": [
        {"start_time": "9" * 5000 + ":00:00.000", "end_time": "0:00:01.000", "text": "a"}]}})),
]  # fmt: skip


@pytest.mark.parametrize(("reader", "text"), KNOWN_HOSTILE, ids=lambda v: repr(v)[:40])
def test_known_hostile_inputs(reader: str, text: str) -> None:
    """Each input that once let a foreign exception out now raises a typed error or reads."""
    only_typed_errors(lambda: TEXT_READERS[reader](text), clean=reader != "srt")
