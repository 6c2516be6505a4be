"""
The task, JSON and ``loads`` paths under hostile input: what each one does
with it, not only that it raises a typed error (tests/test_fuzz_readers.py
checks that part for any input).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from gcore_captions import loads, parse_task
from gcore_captions.errors import (
    FormatError,
    PayloadError,
    TaskFailed,
    TaskNotReady,
    UnsupportedTaskError,
)
from gcore_captions.formats import json as json_format
from gcore_captions.model import Cue
from gcore_captions.task._cues import diff_cues
from gcore_captions.textio import decode, sniff_format
from gcore_captions.timecode import format_vtt, parse_timestamp, parse_timestamps


def sub(start: str, end: str, text: str) -> dict[str, str]:
    return {"start_time": start, "end_time": end, "text": text}


def success(subtitles: list[dict[str, Any]], **result: Any) -> dict[str, Any]:
    return {"task_id": "t", "status": "SUCCESS", "result": {"subtitles": subtitles, **result}}


def gcore_vtt(items: list[dict[str, str]]) -> str:
    blocks = (
        f"{i}\n{s['start_time']} --> {s['end_time']}\n{s['text']}\n\n"
        for i, s in enumerate(items, 1)
    )
    return "WEBVTT\n\n" + "".join(blocks)


# --- the subtitles/vttContent alignment


def test_alignment_of_many_repeated_cues_is_linear() -> None:
    """20,000 identical cues, one missing and both ends changed: difflib took a minute."""
    n = 20_000
    same = Cue(1000, 2000, "Same.")
    mine = [Cue(0, 500, "x"), *[same] * n, Cue(5000, 6000, "y")]
    theirs = [Cue(0, 600, "z"), *[same] * (n - 1), Cue(5000, 6500, "w")]
    began = time.perf_counter()
    warnings = diff_cues(mine, theirs)
    assert time.perf_counter() - began < 3  # about 0.03 s; quadratic was about 60 s
    # What difflib found too: the ends paired, the last unmatched cue missing.
    assert [w.cue for w in warnings] == [None, 1, 1, n + 1, n + 1, n + 2]
    assert f"{n + 2} cues but vttContent has {n + 1}" in warnings[0].message
    assert "is not in vttContent" in warnings[5].message


def test_alignment_pairs_a_track_whose_times_all_moved() -> None:
    """Every time off by 1 ms and one cue missing: pairs cue for cue, then the one missing."""
    mine = [Cue(i * 1000, i * 1000 + 500, f"Cue {i}.") for i in range(6)]
    theirs = [Cue(c.start_ms + 1, c.end_ms + 1, c.text) for c in mine[:5]]
    warnings = diff_cues(mine, theirs)
    assert [w.cue for w in warnings] == [None, 1, 2, 3, 4, 5, 6]
    assert all("times differ" in w.message for w in warnings[1:6])
    assert "is not in vttContent" in warnings[6].message


def test_alignment_keeps_a_same_time_text_change_on_its_cue() -> None:
    """A missing cue before a changed text: the text change stays on its own cue."""
    mine = [Cue(0, 500, "A."), Cue(1000, 1500, "B."), Cue(2000, 2500, "C."), Cue(3000, 3500, "D.")]
    theirs = [mine[0], Cue(2000, 2500, "See."), mine[3]]
    warnings = diff_cues(mine, theirs)
    assert [w.cue for w in warnings] == [None, 2, 3]
    assert "is not in vttContent" in warnings[1].message
    assert "text differs" in warnings[2].message
    assert "'See.'" in warnings[2].message


def test_extra_cue_after_a_paired_block_names_where_it_sits() -> None:
    """A changed cue followed by an extra one: the extra sits after the changed cue."""
    mine = [Cue(0, 500, "A."), Cue(1000, 1500, "B.")]
    theirs = [mine[0], Cue(1000, 1500, "Bee."), Cue(1200, 1300, "Extra.")]
    warnings = diff_cues(mine, theirs)
    assert "text differs" in warnings[1].message
    assert "it would sit after cue 2" in warnings[2].message


def test_parse_task_with_many_repeated_cues_against_a_shorter_vtt_content() -> None:
    """The whole path, 5,000 repeated cues: linear, one warning for the one missing."""
    items = [sub("00:00:01.000", "00:00:02.000", "Again.")] * 5_000
    began = time.perf_counter()
    t = parse_task(success(items, vttContent=gcore_vtt(items[:-1])))
    assert time.perf_counter() - began < 5
    assert [w.code for w in t.warnings] == ["source-mismatch", "source-mismatch"]


# --- JSON the standard library lets through


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"task_id": "t",\n "progress": NaN}', "NaN is not a JSON number at line 2, column 14"),
        ('{"task_id": "t", "progress": -Infinity}', "-Infinity is not a JSON number at line 1"),
        ('{"task_id": "x NaN", "p": ' + "9" * 5000 + "}", "longer than 4300 digits at line 1"),
        ("[" * 100_000 + "]" * 100_000, "nests too deeply for this reader"),
        (b'{"task_id": "t", "x": "\xff"}', "not valid utf-8 text"),
    ],
    ids=["NaN", "-Infinity", "5000 digits", "100000 deep", "bad byte"],
)
def test_hostile_json_task_is_a_payload_error(text: str | bytes, message: str) -> None:
    """NaN, over-long numbers, deep nesting and bad bytes name what and where."""
    with pytest.raises(PayloadError, match="not valid JSON") as caught:
        parse_task(text)
    assert message in str(caught.value)


def test_nan_in_aligned_json_names_the_line() -> None:
    """The aligned-JSON reader decodes with the same rules."""
    with pytest.raises(FormatError) as caught:
        json_format.decode('{\n"version": NaN}', filename="a.json")
    assert caught.value.line == 2
    assert "NaN is not a JSON number" in str(caught.value)


def test_infinite_progress_is_no_progress() -> None:
    """1e400 is valid JSON and reads as infinity: the progress is unknown, not a crash."""
    with pytest.raises(TaskNotReady) as caught:
        parse_task('{"task_id": "t", "status": "STARTED", "progress": 1e400}')
    assert caught.value.progress is None


def test_failed_task_error_that_cannot_be_shown_as_json() -> None:
    """A non-string error too deep or too big for json.dumps still fails the task, shortly."""
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    for error in (deep, 10**5000, {"x" * 5000: 1}):
        with pytest.raises(TaskFailed) as caught:
            parse_task({"task_id": "t", "status": "FAILURE", "result": {"error": error}})
        assert len(str(caught.value)) < 1100


@pytest.mark.parametrize(
    ("task_data", "path"),
    [
        ({"url": ["a"]}, "task_data.url"),
        ({"client_user_id": 10**5000}, "task_data.client_user_id"),
        ({"task_name": {"a": 1}}, "task_data.task_name"),
    ],
)
def test_metadata_of_the_wrong_type_names_its_path(task_data: dict[str, Any], path: str) -> None:
    """Metadata must be text or a number; anything else is a broken field."""
    with pytest.raises(PayloadError) as caught:
        parse_task({"task_id": "t", "status": "SUCCESS", "task_data": task_data, "result": {}})
    assert caught.value.path == path


def test_numeric_metadata_is_written_out() -> None:
    """Numbers in metadata (an SDK's int user id) become text."""
    payload = {"task_id": "t", "status": "SUCCESS", "task_data": {"client_user_id": 42}}
    payload["result"] = {}
    assert parse_task(payload).metadata["client_user_id"] == "42"


def test_a_megabyte_time_stamp_gives_a_short_message() -> None:
    """The broken stamp is quoted, cut short."""
    with pytest.raises(PayloadError) as caught:
        parse_task(success([sub("1" * 1_000_000, "00:00:01.000", "a")]))
    assert caught.value.path == "result.subtitles[0].start_time"
    assert len(str(caught.value)) < 200


# --- lone surrogates: replaced by U+FFFD, with a warning


def test_surrogate_in_subtitles_text_is_replaced_and_named() -> None:
    """A JSON "\\ud800" escape in a cue's text: U+FFFD, and a warning naming the cue."""
    items = [
        sub("00:00:01.000", "00:00:02.000", "ok"),
        sub("00:00:03.000", "00:00:04.000", "a\\ud800b"),
    ]
    t = parse_task(json.dumps(success(items)).replace("\\\\ud800", "\\ud800"))
    assert [c.text for c in t] == ["ok", "a\ufffdb"]
    assert [(w.code, w.cue) for w in t.warnings] == [("replaced-surrogate", 2)]


def test_surrogates_in_task_fields_are_replaced() -> None:
    """task_id, concatenated_text and metadata strings are cleaned too."""
    payload = success([], concatenated_text="x\udc80")
    payload["task_id"] = "t\ud800"
    payload["task_data"] = {"url": "u\udfff"}
    t = parse_task(payload)
    assert (t.task_id, t.text, t.metadata["url"]) == ("t\ufffd", "x\ufffd", "u\ufffd")
    assert [w.code for w in t.warnings][:3] == ["replaced-surrogate"] * 3


def test_surrogate_in_vtt_content_fallback_names_the_line() -> None:
    """Cues read from vttContent: replaced, the warning names the line in vttContent."""
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nbad \ud800\n"
    t = parse_task(success([], vttContent=vtt))
    assert [c.text for c in t] == ["bad \ufffd"]
    assert [(w.code, w.line) for w in t.warnings] == [("replaced-surrogate", 4)]


def test_surrogate_in_loads_text_names_the_line() -> None:
    """A str handed to loads: replaced before the reader sees it, warning with the line."""
    t = loads("1\n00:00:01,000 --> 00:00:02,000\nx\udc00y\n", "srt")
    assert [c.text for c in t] == ["x\ufffdy"]
    assert (t.warnings[0].code, t.warnings[0].line) == ("replaced-surrogate", 3)


def test_surrogate_in_aligned_json_names_the_cue() -> None:
    """Our aligned JSON with an escaped lone surrogate in a cue's text."""
    document = {
        "schema": json_format.SCHEMA,
        "version": 1,
        "cues": [{"start_ms": 0, "end_ms": 1000, "text": "SUR"}],
    }
    t = loads(json.dumps(document).replace("SUR", "\\udfff"))
    assert [c.text for c in t] == ["\ufffd"]
    assert [(w.code, w.cue) for w in t.warnings] == [("replaced-surrogate", 1)]


def test_unicode_escape_codec_surrogates_are_replaced() -> None:
    """A forced codec that makes surrogates from plain bytes."""
    data = b"1\n00:00:01,000 --> 00:00:02,000\nx\\ud800\n"
    t = loads(data, "srt", encoding="unicode_escape")
    assert [c.text for c in t] == ["x\ufffd"]


# --- loads: wrong types are TypeError, any content a typed error


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((123,), {}), (("x", 5), {}), (("x",), {"filename": 5}), ((b"x",), {"encoding": 8})],
)
def test_loads_arguments_of_the_wrong_type(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A programming error, as json.loads treats loads(123)."""
    with pytest.raises(TypeError, match="loads"):
        loads(*args, **kwargs)


def test_loads_takes_bytearray_and_memoryview() -> None:
    """Bytes-like content reads as bytes do."""
    data = b"1\n00:00:01,000 --> 00:00:02,000\nHi\n"
    assert loads(bytearray(data)).cues == loads(memoryview(data)).cues == loads(data).cues


def test_encoding_name_with_a_nul_is_an_unknown_encoding() -> None:
    """The codec lookup's ValueError is the library's FormatError."""
    with pytest.raises(FormatError, match="unknown text encoding"):
        decode(b"x", encoding="utf-8\x00")


def test_sniffing_a_run_of_blank_lines_is_linear() -> None:
    """The SRT probe ran from every line start through every blank line after it."""
    began = time.perf_counter()
    with pytest.raises(FormatError):
        sniff_format("\n" * 20_000 + "x")
    assert time.perf_counter() - began < 0.5  # was 3.3 s


# --- time stamps


def test_hours_beyond_ten_digits_are_refused() -> None:
    """As the WebVTT reader: over a million years is garbage; leading zeros do not count."""
    assert parse_timestamp("0009999999999:00:00.000") == 9_999_999_999 * 3_600_000
    for text in ("99999999999:00:00.000", "9" * 5000 + ":00:00.000"):
        with pytest.raises(ValueError, match="hours out of range"):
            parse_timestamp(text)
        with pytest.raises(ValueError, match="hours out of range"):
            parse_timestamps([text])


def test_a_long_fraction_rounds_without_converting_it() -> None:
    """Half up at the millisecond, decided by the fourth digit."""
    assert parse_timestamp("00:00:01.9995") == 2000
    assert parse_timestamp("00:00:01.99949" + "9" * 10_000) == 1999
    assert parse_timestamp("0:59." + "9" * 10_000) == 60_000
    assert format_vtt(parse_timestamp("1:00:00,5")) == "01:00:00.500"


def test_a_megabyte_language_code_gives_a_short_message() -> None:
    """A hostile language code is refused naming its path, not quoted whole."""
    for task_data, result, path in (
        ({"audio_language": "e" * 1_000_000}, {}, "task_data.audio_language"),
        ({}, {"languages": ["eng", "x" * 1_000_000]}, "result.languages[1]"),
    ):
        with pytest.raises(PayloadError) as caught:
            parse_task(
                {"task_id": "t", "status": "SUCCESS", "task_data": task_data, "result": result}
            )
        assert caught.value.path == path
        assert len(str(caught.value)) < 200


def test_a_dict_with_keys_that_cannot_be_shown() -> None:
    """Not a task, and its keys (a 5,000-digit number, a megabyte string) shown shortly."""
    with pytest.raises(PayloadError, match="not a Gcore task") as caught:
        parse_task({10**5000: 1, "k" * 1_000_000: 2})
    assert len(str(caught.value)) < 200


def test_text_quoted_in_errors_is_short_and_printable() -> None:
    """A failed task's error, a status, a category, an API error body: cut, surrogates gone."""
    huge = "\ud800" + "e" * 1_000_000
    cases: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"task_id": "t", "status": "FAILURE", "result": {"error": huge}}, TaskFailed),
        ({"task_id": "t", "status": "PENDING\udc00"}, TaskNotReady),
        ({"task_id": "t", "status": huge}, PayloadError),
        ({"task_id": "t" * 1000, "status": "SUCCESS", "result": {}}, PayloadError),
        ({"task_id": "t", "task_data": {"category": huge}}, UnsupportedTaskError),
        ({"error": huge}, PayloadError),
    ]
    for payload, kind in cases:
        with pytest.raises(kind) as caught:
            parse_task(payload)
        message = str(caught.value)
        assert len(message) < 1200
        message.encode("utf-8")
