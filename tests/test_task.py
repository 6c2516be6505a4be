"""
parse_task: every Gcore payload shape, status, source and broken field behaves as documented.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcore_captions.errors import (
    PayloadError,
    TaskFailed,
    TaskNotReady,
    UnsupportedTaskError,
)
from gcore_captions.model import Cue
from gcore_captions.task import parse_task
from gcore_captions.timecode import format_vtt

DATA = Path(__file__).resolve().parent / "data" / "fixtures"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def gcore_vtt(subtitles: list[dict[str, str]]) -> str:
    """vttContent exactly as Gcore lays it out."""
    blocks = (
        f"{i}\n{s['start_time']} --> {s['end_time']}\n{s['text']}\n\n"
        for i, s in enumerate(subtitles, 1)
    )
    return "WEBVTT\n\n" + "".join(blocks)


def success(subtitles: list[dict[str, Any]], **result: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"subtitles": subtitles, "speech_detected": True, **result}
    return {"task_id": "t-1", "status": "SUCCESS", "progress": 100, "result": body}


def sub(start: str, end: str, text: str) -> dict[str, str]:
    return {"start_time": start, "end_time": end, "text": text}


THREE = [
    sub("00:00:01.000", "00:00:02.500", "One."),
    sub("00:00:03.000", "00:00:04.000", "Two."),
    sub("00:00:05.250", "00:00:07.000", "Three."),
]


# --- the reference fixtures


def test_success_fixture() -> None:
    """A SUCCESS task gives its cues, language, text as given, metadata and no warnings."""
    t = parse_task(fixture("transcription-success"))
    assert len(t) == 5
    assert t.cues[0] == Cue(480, 3920, "Good morning, and welcome to the quarterly product update.")
    assert t.cues[4].end_ms == 19_415
    assert t.task_id == "6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135"
    assert t.language == "eng"
    assert t.languages == ("eng",)
    assert t.source == "subtitles"
    assert t.warnings == ()
    assert t.text is not None
    assert t.text.endswith("by default. ")  # kept exactly, trailing space and all
    assert dict(t.metadata) == {
        "url": "https://media.example.org/videos/q1-update/qid311v1_h264_450_360.mp4",
        "client_user_id": "user-8841",
        "status": "SUCCESS",
        "task_name": "transcription",
        "completed_at": "2025-03-14T09:22:55.903Z",
    }


def test_translated_fixture_takes_the_target_language() -> None:
    """A translation's language is subtitles_language; languages stay as reported."""
    t = parse_task(fixture("transcription-translated"))
    assert t.language == "eng"
    assert t.languages == ("ger", "eng")
    assert t.metadata["audio_language"] == "ger"
    assert t.metadata["subtitles_language"] == "eng"
    assert t.metadata["client_entity_data"] == "5123987"
    assert [c.start_ms for c in t] == [1050, 5002, 9900]


def test_code_switching_fixture_takes_the_most_frequent_language() -> None:
    """Without audio/subtitles language, the first of languages is the language."""
    t = parse_task(fixture("extra-transcription-code-switching"))
    assert t.language == "eng"
    assert t.languages == ("eng", "fre")
    assert t.cues[0].text == "Bon, on commence la réunion."
    assert t.text is not None
    assert "réunion.  Let's" in t.text  # double space kept


def test_legacy_fixture() -> None:
    """A legacy result (no languages, no speech_detected, no task_name) still parses."""
    t = parse_task(fixture("extra-transcription-success-legacy"))
    assert [(c.start_ms, c.end_ms) for c in t] == [(17_648, 18_868), (3_723_450, 3_725_001)]
    assert t.language is None
    assert t.languages == ()
    assert "task_name" not in t.metadata
    assert t.metadata["completed_at"] == "2024-03-13T08:15:19Z"


def test_no_speech_fixture_is_an_empty_transcript() -> None:
    """speech_detected false is a valid, empty transcript, not an error."""
    t = parse_task(fixture("transcription-no-speech"))
    assert t.cues == ()
    assert t.text == ""
    assert t.languages == ()
    assert t.warnings == ()


@pytest.mark.parametrize(
    ("name", "status", "progress"),
    [("transcription-pending", "PENDING", 0), ("transcription-started", "STARTED", 42)],
)
def test_unfinished_fixtures(name: str, status: str, progress: int) -> None:
    """Unfinished tasks raise TaskNotReady with the task id, status and progress."""
    payload = fixture(name)
    with pytest.raises(TaskNotReady) as caught:
        parse_task(payload)
    assert caught.value.status == status
    assert caught.value.progress == progress
    assert caught.value.task_id == payload["task_id"]


def test_failure_fixture_carries_the_task_error() -> None:
    """FAILURE raises TaskFailed with the task's own error text."""
    with pytest.raises(TaskFailed, match="not supported") as caught:
        parse_task(fixture("transcription-failure"))
    assert caught.value.status == "FAILURE"
    assert caught.value.error == "Translation from 'eng' to 'uzb' is not supported"


def test_revoked_fixture() -> None:
    """REVOKED raises TaskFailed with status REVOKED."""
    with pytest.raises(TaskFailed, match="cancelled") as caught:
        parse_task(fixture("transcription-revoked"))
    assert caught.value.status == "REVOKED"
    assert caught.value.task_id == "5d2f8b6a-0c47-4e19-93a8-f6b1c27e4d05"


def test_content_moderation_fixture_is_refused() -> None:
    """A content-moderation task raises UnsupportedTaskError saying so."""
    with pytest.raises(UnsupportedTaskError, match=r"content-moderation task \(nsfw\)"):
        parse_task(fixture("content-moderation-nsfw-success"))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("list-page", "page of the task list"),
        ("extra-list-page-legacy", "page of the task list"),
        ("extra-create-response", "status: missing"),
        ("extra-cancel-response", "not a Gcore task"),
        ("extra-info-language-support", "not a Gcore task"),
        ("extra-error-bodies", "not a Gcore task"),
    ],
)
def test_other_responses_are_not_tasks(name: str, message: str) -> None:
    """List pages and the small responses are refused with a message saying what they are."""
    with pytest.raises(PayloadError, match=message):
        parse_task(fixture(name))


def test_api_error_body_is_named() -> None:
    """An API error body passed by mistake is recognised and its error quoted."""
    with pytest.raises(PayloadError, match=r"API error body.*Feature is disabled"):
        parse_task(fixture("extra-error-bodies")["422_feature_disabled"])


# --- statuses


@pytest.mark.parametrize("status", ["RECEIVED", "PENDING", "STARTED", "RETRY", "QUEUED_SOMEHOW"])
def test_non_final_statuses_are_not_ready(status: str) -> None:
    """Every non-final status, known or not, raises TaskNotReady."""
    payload = {"task_id": "t", "status": status, "progress": 7, "result": None}
    with pytest.raises(TaskNotReady, match=status) as caught:
        parse_task(payload)
    assert caught.value.progress == 7


def test_status_case_and_missing_progress() -> None:
    """Status is read case-insensitively; odd progress values become None."""
    assert len(parse_task({**success(THREE), "status": "success"})) == 3
    with pytest.raises(TaskNotReady) as caught:
        parse_task({"task_id": "t", "status": "pending", "progress": "lots"})
    assert caught.value.status == "PENDING"
    assert caught.value.progress is None


def test_failure_without_result() -> None:
    """FAILURE with a null result still raises TaskFailed, without error text."""
    with pytest.raises(TaskFailed, match="no error text") as caught:
        parse_task({"task_id": "t", "status": "FAILURE", "result": None})
    assert caught.value.error is None


def test_missing_status_with_a_result_is_parsed() -> None:
    """A payload without status but with a transcription result is read."""
    payload = success(THREE)
    del payload["status"]
    t = parse_task(payload)
    assert len(t) == 3
    assert "status" not in t.metadata


def test_missing_status_without_result_is_an_error() -> None:
    """No status and no result: nothing to read, and the error says status is missing."""
    with pytest.raises(PayloadError) as caught:
        parse_task({"task_id": "t", "task_data": {}})
    assert caught.value.path == "status"


def test_success_without_result() -> None:
    """A SUCCESS task whose result is null names the result path and explains why."""
    with pytest.raises(PayloadError, match="fetch the task by its id") as caught:
        parse_task({"task_id": "t", "status": "SUCCESS", "result": None})
    assert caught.value.path == "result"


@pytest.mark.parametrize(
    "payload",
    [
        {"task_id": "t", "status": "SUCCESS", "task_name": "content-moderation", "result": {}},
        {"task_id": "t", "status": "SUCCESS", "task_data": {"category": "sport"}},
        {"task_id": "t", "status": "SUCCESS", "result": {"porn_detected": False, "frames": []}},
        {"task_id": "t", "status": "PENDING", "task_data": {"task_name": "content-moderation"}},
    ],
)
def test_moderation_shapes_are_refused(payload: dict[str, Any]) -> None:
    """Legacy top-level task_name, a category, or moderation result keys all mean moderation."""
    with pytest.raises(UnsupportedTaskError, match="content-moderation"):
        parse_task(payload)


# --- input types


def test_json_text_and_bytes() -> None:
    """JSON as str, bytes (with or without BOM), bytearray and memoryview all parse alike."""
    text = (DATA / "transcription-success.json").read_text(encoding="utf-8")
    expected = parse_task(json.loads(text))
    for payload in (
        text,
        "\ufeff" + text,
        text.encode(),
        b"\xef\xbb\xbf" + text.encode(),
        text.encode("utf-16"),
        bytearray(text.encode()),
        memoryview(text.encode()),
    ):
        assert parse_task(payload) == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        ("[1, 2]", "JSON object, got list"),
        ("42", "JSON object, got int"),
        (42, "JSON object"),
    ],
)
def test_bad_json(payload: Any, message: str) -> None:
    """Text that is not a JSON object raises PayloadError saying what it is."""
    with pytest.raises(PayloadError, match=message):
        parse_task(payload)


class FakeModel:
    """Mimics a gcore SDK (pydantic v2) model: model_dump(by_alias=True) gives wire names."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.calls: list[dict[str, Any]] = []

    def model_dump(self, *, by_alias: bool = False, warnings: bool = True) -> dict[str, Any]:
        self.calls.append({"by_alias": by_alias, "warnings": warnings})
        data = copy.deepcopy(self._data)
        result = data.get("result") or {}
        if not by_alias and "vttContent" in result:
            result["vtt_content"] = result.pop("vttContent")
        return data


class OldFakeModel:
    """A model whose model_dump has no ``warnings`` keyword (older pydantic)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def model_dump(self, *, by_alias: bool = False) -> dict[str, Any]:
        assert by_alias
        return copy.deepcopy(self._data)


class ToDictModel:
    """Mimics a Stainless model offering only to_dict() (API names)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)


def as_attributes(value: Any) -> Any:
    """The payload as plain objects with attributes, vttContent as vtt_content."""
    if isinstance(value, dict):
        fields = {
            ("vtt_content" if k == "vttContent" else k): as_attributes(v) for k, v in value.items()
        }
        return SimpleNamespace(**fields)
    if isinstance(value, list):
        return [as_attributes(v) for v in value]
    return value


def test_sdk_like_model_dump() -> None:
    """A pydantic-like SDK object is read through model_dump(by_alias=True), datetimes too."""
    data = fixture("transcription-success")
    data["processing_time"]["completed_at"] = datetime(2025, 3, 14, 9, 22, 55, tzinfo=timezone.utc)
    model = FakeModel(data)
    t = parse_task(model)
    assert t == parse_task(fixture("transcription-success")).replace(
        metadata={**parse_task(fixture("transcription-success")).metadata,
                  "completed_at": "2025-03-14T09:22:55Z"}
    )  # fmt: skip
    assert model.calls == [{"by_alias": True, "warnings": False}]


def test_sdk_like_older_model_dump_and_to_dict() -> None:
    """model_dump without the warnings keyword, and to_dict(), both work."""
    expected = parse_task(fixture("transcription-translated"))
    assert parse_task(OldFakeModel(fixture("transcription-translated"))) == expected
    assert parse_task(ToDictModel(fixture("transcription-translated"))) == expected


def test_sdk_like_attributes() -> None:
    """An object tree with only attributes (vtt_content for vttContent) is read too."""
    expected = parse_task(fixture("transcription-success"))
    assert parse_task(as_attributes(fixture("transcription-success"))) == expected
    with pytest.raises(TaskFailed, match="not supported"):
        parse_task(as_attributes(fixture("transcription-failure")))


def test_sdk_objects_nested_in_a_dict() -> None:
    """A dict whose task_data, result and cues are SDK-like objects is read as well."""
    data = fixture("transcription-success")
    data["task_data"] = as_attributes(data["task_data"])
    data["result"]["subtitles"] = [as_attributes(s) for s in data["result"]["subtitles"]]
    expected = parse_task(fixture("transcription-success"))
    assert parse_task(data).cues == expected.cues
    data["result"] = ToDictModel(fixture("transcription-success")["result"])
    assert parse_task(data).cues == expected.cues


def test_real_pydantic_model_with_alias() -> None:
    """A real pydantic model shaped like the SDK's (alias vttContent, extras allowed) works."""
    pydantic = pytest.importorskip("pydantic")

    class Subtitle(pydantic.BaseModel):  # type: ignore[name-defined,misc]
        start_time: str | None = None
        end_time: str | None = None
        text: str | None = None

    class Result(pydantic.BaseModel):  # type: ignore[name-defined,misc]
        model_config = pydantic.ConfigDict(extra="allow", populate_by_name=True)
        subtitles: list[Subtitle] | None = None
        vtt_content: str | None = pydantic.Field(default=None, alias="vttContent")
        concatenated_text: str | None = None
        languages: list[str] | None = None
        speech_detected: bool | None = None

    class Task(pydantic.BaseModel):  # type: ignore[name-defined,misc]
        model_config = pydantic.ConfigDict(extra="allow")
        task_id: str
        status: str
        progress: int | None = None
        task_data: dict[str, Any] | None = None
        result: Result | None = None

    model = Task.model_validate(fixture("transcription-success"))
    assert parse_task(model) == parse_task(fixture("transcription-success"))


# --- missing, null and broken fields


def test_everything_optional_may_be_null() -> None:
    """Null task_data, processing_time, text, languages and flags are all tolerated."""
    payload = {
        "task_id": None,
        "status": "SUCCESS",
        "progress": None,
        "processing_time": None,
        "task_data": None,
        "result": {
            "subtitles": THREE,
            "vttContent": None,
            "concatenated_text": None,
            "languages": None,
            "speech_detected": None,
            "some_future_field": {"nested": [1, 2]},
        },
        "another_unknown": True,
    }
    t = parse_task(payload)
    assert len(t) == 3
    assert (t.task_id, t.language, t.languages, t.text) == (None, None, (), None)
    assert dict(t.metadata) == {"status": "SUCCESS"}


def test_no_cue_source_at_all_is_empty_with_a_warning() -> None:
    """A result without subtitles or vttContent gives an empty transcript and says so."""
    t = parse_task({"task_id": "t", "status": "SUCCESS", "result": {"concatenated_text": ""}})
    assert t.cues == ()
    assert [w.code for w in t.warnings] == ["no-captions"]


def test_null_and_missing_text_become_dropped_empty_cues() -> None:
    """A cue with null or missing text is an empty cue, dropped with a numbered warning."""
    subs = [*THREE, {"start_time": "00:00:08.000", "end_time": "00:00:09.000", "text": None}]
    subs.append({"start_time": "00:00:10.000", "end_time": "00:00:11.000"})
    t = parse_task(success(subs))
    assert len(t) == 3
    assert [(w.code, w.cue) for w in t.warnings] == [
        ("dropped-empty-cue", 4),
        ("dropped-empty-cue", 5),
    ]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda p: p["result"]["subtitles"][1].update(end_time="soon"),
         "result.subtitles[1].end_time", "not a time stamp 'soon'"),
        (lambda p: p["result"]["subtitles"][2].update(start_time="00:61:00.000"),
         "result.subtitles[2].start_time", "not a time stamp"),
        (lambda p: p["result"]["subtitles"][0].pop("start_time"),
         "result.subtitles[0].start_time", "missing"),
        (lambda p: p["result"]["subtitles"][2].update(end_time=None),
         "result.subtitles[2].end_time", "missing"),
        (lambda p: p["result"]["subtitles"][1].update(start_time=1.5),
         "result.subtitles[1].start_time", "expected a time stamp string, got float"),
        (lambda p: p["result"]["subtitles"][2].update(text=17),
         "result.subtitles[2].text", "expected a string, got int"),
        (lambda p: p["result"]["subtitles"].__setitem__(1, "00:00:01.000 One"),
         "result.subtitles[1]", "got a string"),
        (lambda p: p["result"]["subtitles"].__setitem__(0, None),
         "result.subtitles[0]", "got null"),
        (lambda p: p["result"].update(subtitles={"0": {}}),
         "result.subtitles", "expected an array of cues, got dict"),
        (lambda p: p["result"].update(vttContent=["WEBVTT"]),
         "result.vttContent", "expected a string, got list"),
        (lambda p: p["result"].update(concatenated_text=5),
         "result.concatenated_text", "expected a string"),
        (lambda p: p["result"].update(speech_detected="yes"),
         "result.speech_detected", "expected true or false"),
        (lambda p: p["result"].update(languages=["eng", 7]),
         "result.languages[1]", "language code must be a string"),
        (lambda p: p["result"].update(languages="eng!"),
         "result.languages[0]", "not a language code"),
        (lambda p: p["result"].update(languages={"eng": 1}),
         "result.languages", "expected an array"),
        (lambda p: p.update(status=200), "status", "expected a string"),
        (lambda p: p.update(task_id=123), "task_id", "expected a string"),
        (lambda p: p.update(task_data={"audio_language": "12"}),
         "task_data.audio_language", "not a language code"),
        (lambda p: p.update(task_data=["x"]), "task_data", "expected an object"),
        (lambda p: p.update(result="done"), "result", "expected an object"),
    ],
)  # fmt: skip
def test_broken_fields_name_their_path(mutate: Any, path: str, message: str) -> None:
    """Each broken field raises PayloadError whose path and message name it exactly."""
    payload = success(copy.deepcopy(THREE))
    mutate(payload)
    with pytest.raises(PayloadError, match=message) as caught:
        parse_task(payload)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")


def test_brief_example_error_message() -> None:
    """The 18th cue's bad end time reads exactly as the design promises."""
    subs = [sub(format_vtt(i * 1000), format_vtt(i * 1000 + 500), f"c{i}") for i in range(20)]
    subs[17]["end_time"] = "00:00:17,5oo"
    with pytest.raises(PayloadError) as caught:
        parse_task(success(subs))
    assert str(caught.value) == (
        "result.subtitles[17].end_time: not a time stamp '00:00:17,5oo' (expected HH:MM:SS.mmm)"
    )


# --- times, text and repairs


def test_hours_past_one_hundred() -> None:
    """Stamps with three or more hour digits keep their true value."""
    subs = [
        sub("99:59:59.999", "100:00:00.500", "Across."),
        sub("123:04:05.678", "1000:00:00.000", "Far."),
    ]
    t = parse_task(success(subs, vttContent=gcore_vtt(subs)))
    assert [(c.start_ms, c.end_ms) for c in t] == [
        (359_999_999, 360_000_500),
        (443_045_678, 3_600_000_000),
    ]
    assert t.warnings == ()


def test_tolerant_time_stamps() -> None:
    """Comma separators, missing hours and short fractions are read, not refused."""
    subs = [sub("0:00:01,5", "00:02.250", "Odd."), sub("00:00:03.000", "00:00:04.000", "Fine.")]
    t = parse_task(success(subs))
    assert [(c.start_ms, c.end_ms) for c in t] == [(1500, 2250), (3000, 4000)]


def test_crlf_inside_text_becomes_lf() -> None:
    """Line breaks inside cue text are normalised to \\n."""
    subs = [sub("00:00:01.000", "00:00:02.000", "Two\r\nlines"), THREE[1]]
    assert parse_task(success(subs)).cues[0].text == "Two\nlines"


def test_repairs_are_warned_with_cue_numbers() -> None:
    """Inverted, out-of-order and empty cues are repaired, each warned with its number."""
    subs = [
        sub("00:00:05.000", "00:00:06.000", "Third in time."),
        sub("00:00:02.000", "00:00:01.000", "Inverted."),
        sub("00:00:03.000", "00:00:04.000", "   "),
    ]
    t = parse_task(success(subs))
    assert [c.text for c in t] == ["Inverted.", "Third in time."]
    assert t.cues[0].start_ms == 1000
    assert sorted((w.code, w.cue) for w in t.warnings) == [
        ("dropped-empty-cue", 3),
        ("end-before-start", 2),
        ("out-of-order", 2),
    ]


# --- the two sources


def test_matching_vtt_content_gives_no_warning() -> None:
    """Byte-identical vttContent, and one differing only in blank lines, CRLF or trailing space."""
    vtt = gcore_vtt(THREE)
    for variant in (
        vtt,
        vtt.rstrip("\n"),
        vtt.replace("\n", "\r\n"),
        vtt.replace("\n\n", "  \n\n\n"),
    ):
        assert parse_task(success(THREE, vttContent=variant)).warnings == ()


def test_mismatching_vtt_content_warns_per_cue() -> None:
    """A changed time and a changed text each give a source-mismatch warning naming the cue."""
    vtt = gcore_vtt(THREE).replace("00:00:03.000", "00:00:03.100").replace("Three.", "Tree.")
    t = parse_task(success(THREE, vttContent=vtt))
    assert [(w.code, w.cue) for w in t.warnings] == [("source-mismatch", 2), ("source-mismatch", 3)]
    assert "times differ" in t.warnings[0].message
    assert "00:00:03.100" in t.warnings[0].message
    assert "'Tree.'" in t.warnings[1].message
    assert [c.text for c in t] == ["One.", "Two.", "Three."]  # subtitles win


def test_whitespace_inside_text_is_not_a_mismatch() -> None:
    """Extra spaces inside a line do not count as a text difference."""
    vtt = gcore_vtt(THREE).replace("Two.", " Two. ").replace("00:00:01.000", "00:00:01.001")
    t = parse_task(success(THREE, vttContent=vtt))
    assert [w.cue for w in t.warnings] == [1]


def test_missing_cue_in_vtt_content() -> None:
    """A cue missing from vttContent: one count warning, one warning for that cue, no cascade."""
    subs = [sub(format_vtt(i * 2000), format_vtt(i * 2000 + 1000), f"Cue {i}.") for i in range(10)]
    vtt = gcore_vtt(subs[:4] + subs[5:])
    t = parse_task(success(subs, vttContent=vtt))
    assert [(w.code, w.cue) for w in t.warnings] == [
        ("source-mismatch", None),
        ("source-mismatch", 5),
    ]
    assert "10 cues but vttContent has 9" in t.warnings[0].message
    assert "is not in vttContent" in t.warnings[1].message


def test_extra_cue_in_vtt_content() -> None:
    """A cue only vttContent has is reported with where it would sit."""
    extra = [*THREE[:2], sub("00:00:04.500", "00:00:05.000", "Extra."), THREE[2]]
    t = parse_task(success(THREE, vttContent=gcore_vtt(extra)))
    assert len(t.warnings) == 2
    assert "vttContent cue 3" in t.warnings[1].message
    assert "after cue 2" in t.warnings[1].message


def test_empty_vtt_content_with_cues() -> None:
    """A bare WEBVTT header against real cues is a count mismatch."""
    t = parse_task(success(THREE, vttContent="WEBVTT\n\n"))
    assert len(t) == 3
    assert "3 cues but vttContent has 0" in t.warnings[0].message


def test_vtt_content_that_is_not_webvtt() -> None:
    """A vttContent that is not WebVTT at all, when it matters, names its path."""
    with pytest.raises(PayloadError) as caught:
        parse_task(success(THREE, vttContent="1\n00:00:01,000 --> 00:00:02,500\nOne.\n"))
    assert caught.value.path == "result.vttContent"


@pytest.mark.parametrize("subtitles", [None, [], "absent"])
def test_only_vtt_content_falls_back(subtitles: Any) -> None:
    """Missing or empty subtitles with a vttContent read the cues from vttContent."""
    payload = success([], vttContent=gcore_vtt(THREE))
    if subtitles == "absent":
        del payload["result"]["subtitles"]
    else:
        payload["result"]["subtitles"] = subtitles
    t = parse_task(payload)
    assert t.source == "vttContent"
    assert [(c.start_ms, c.end_ms, c.text) for c in t] == [
        (1000, 2500, "One."),
        (3000, 4000, "Two."),
        (5250, 7000, "Three."),
    ]


def test_fallback_keeps_vtt_reader_warnings() -> None:
    """Repairs made while reading vttContent are reported on the transcript."""
    vtt = gcore_vtt([THREE[1], THREE[0]])
    t = parse_task(success([], vttContent=vtt))
    assert [c.text for c in t] == ["One.", "Two."]
    assert [w.code for w in t.warnings] == ["out-of-order"]


def test_no_speech_ignores_vtt_cues_but_says_so() -> None:
    """speech_detected false wins over a vttContent with cues, with a warning."""
    payload = success([], vttContent=gcore_vtt(THREE), speech_detected=False)
    t = parse_task(payload)
    assert t.cues == ()
    assert [w.code for w in t.warnings] == ["source-mismatch"]


def test_no_speech_without_any_source() -> None:
    """speech_detected false and no subtitles at all is simply empty."""
    t = parse_task({"task_id": "t", "status": "SUCCESS", "result": {"speech_detected": False}})
    assert (t.cues, t.warnings) == ((), ())


# --- language and metadata


@pytest.mark.parametrize(
    ("task_data", "languages", "expected"),
    [
        ({"audio_language": "ger", "subtitles_language": "fre"}, ["ger"], "fre"),
        ({"audio_language": "deu"}, ["eng"], "ger"),
        ({"audio_language": "auto"}, ["zho", "eng"], "chi"),
        ({"subtitles_language": None, "audio_language": ""}, ["FRA"], "fre"),
        ({}, [], None),
    ],
)
def test_language_rules(task_data: dict[str, Any], languages: list[str], expected: str) -> None:
    """subtitles_language, else audio_language, else languages[0]; B codes; 'auto' skipped."""
    payload = {**success(THREE, languages=languages), "task_data": task_data}
    t = parse_task(payload)
    assert t.language == expected
    assert t.languages == tuple({"zho": "chi", "FRA": "fre"}.get(code, code) for code in languages)


def test_metadata_values_are_strings() -> None:
    """Non-string task_data values are kept as strings; the legacy top-level task_name too."""
    payload = success(THREE)
    payload["task_name"] = "transcription"
    payload["task_data"] = {"client_entity_data": 5123987, "client_user_id": "u", "url": None}
    payload["processing_time"] = {"completed_at": "2024-03-13T08:15:19Z"}
    meta = dict(parse_task(payload).metadata)
    assert meta == {
        "client_entity_data": "5123987",
        "client_user_id": "u",
        "status": "SUCCESS",
        "task_name": "transcription",
        "completed_at": "2024-03-13T08:15:19Z",
    }


# --- samples


def test_fungi_sample() -> None:
    """The bundled Fungi in a Forest sample: two English cues, sources agree."""
    t = parse_task((SAMPLES / "fungi-in-a-forest.json").read_bytes())
    assert len(t) == 2
    assert "fungi" in t.cues[0].text
    assert (t.language, t.languages, t.warnings) == ("eng", ("eng",), ())
    assert t.metadata["client_user_id"]


def test_multilingual_sample() -> None:
    """The meetup sample: ~40 code-switching cues, one past an hour, sources agree."""
    raw = json.loads((SAMPLES / "multilingual-meetup.json").read_text(encoding="utf-8"))
    t = parse_task(raw)
    assert 35 <= len(t) <= 45
    assert t.languages == ("eng", "ger", "fre")
    assert t.warnings == ()
    assert t.cues[-1].start_ms > 3_600_000
    assert any(not c.text.isascii() for c in t)
    assert raw["result"]["vttContent"] == gcore_vtt(raw["result"]["subtitles"])


# --- round trips

_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s and "-->" not in s)


@st.composite
def clean_cues(draw: st.DrawFn) -> list[Cue]:
    count = draw(st.integers(0, 25))
    cues = []
    start = draw(st.integers(0, 400 * 3_600_000))
    for _ in range(count):
        start += draw(st.integers(0, 10_000_000))
        end = start + draw(st.integers(0, 100_000))
        lines = draw(st.lists(_TEXT, min_size=1, max_size=2))
        cues.append(Cue(start, end, "\n".join(lines)))
    return cues


@settings(max_examples=80, deadline=None)
@given(clean_cues(), st.booleans(), st.booleans())
def test_round_trip_through_a_payload(cues: list[Cue], with_vtt: bool, as_json: bool) -> None:
    """Random clean cues -> Gcore payload (optionally with vttContent, as JSON) -> same cues."""
    subs = [sub(format_vtt(c.start_ms), format_vtt(c.end_ms), c.text) for c in cues]
    payload: Any = success(subs, vttContent=gcore_vtt(subs) if with_vtt else None)
    if as_json:
        payload = json.dumps(payload)
    t = parse_task(payload)
    assert list(t.cues) == cues
    assert t.warnings == ()
    assert t.source == "subtitles"


def test_failure_with_an_odd_error_value_still_fails() -> None:
    """A FAILURE whose error is not a string still raises TaskFailed, showing the value."""
    payload = {"task_id": "t", "status": "FAILURE", "result": {"error": {"code": 7}}}
    with pytest.raises(TaskFailed, match='"code": 7'):
        parse_task(payload)


def test_cues_in_the_array_win_over_speech_detected_false() -> None:
    """speech_detected false with cues in subtitles keeps the cues (the data wins)."""
    assert len(parse_task(success(THREE, speech_detected=False))) == 3


def test_decoded_payload_freed_while_read_gives_the_same_transcript() -> None:
    # A JSON payload is decoded privately, and parse_task frees its
    # vttContent and cue dicts as it reads them; a caller's dict is never
    # touched. Odd items after the first batches send the read to the
    # careful walk, which must see the cleared items as they were.
    import copy
    import json as json_module

    from gcore_captions.task import parse_task as parse

    def stamp(ms: int) -> str:
        return f"{ms // 3_600_000:02}:{ms // 60_000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"

    for odd in (None, "comma", "crlf"):
        subtitles = []
        for i in range(5000):
            start, end = stamp(i * 1000), stamp(i * 1000 + 900)
            text = f"cue {i} é"
            if i == 4500 and odd == "comma":
                start = start.replace(".", ",")
            if i == 4500 and odd == "crlf":
                text = "two\r\nlines"
            subtitles.append({"start_time": start, "end_time": end, "text": text})
        vtt = "WEBVTT\n\n" + "".join(
            f"{n}\n{s['start_time']} --> {s['end_time']}\n{s['text']}\n\n"
            for n, s in enumerate(subtitles, 1)
        )
        task = {
            "task_id": "t",
            "status": "SUCCESS",
            "task_data": {"task_name": "transcription"},
            "result": {"subtitles": subtitles, "vttContent": vtt},
        }
        kept = copy.deepcopy(task)
        from_dict = parse(task)
        assert task == kept
        assert parse(json_module.dumps(task)) == from_dict
        assert parse(json_module.dumps(task).encode()) == from_dict
