"""
The model, time codes, errors and atomic writes: the pieces everything else stands on.
"""

from __future__ import annotations

import os
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcore_captions import errors
from gcore_captions.model import Cue, Transcript
from gcore_captions.output.atomic import write_atomic
from gcore_captions.reading import repair_cues
from gcore_captions.timecode import (
    format_ass,
    format_srt,
    format_vtt,
    parse_timestamp,
)


def test_cue_rejects_negative_and_float_times() -> None:
    """Negative or non-integer times are an error at the model's edge."""
    with pytest.raises(ValueError, match="negative"):
        Cue(-1, 10, "x")
    with pytest.raises(ValueError, match="whole milliseconds"):
        Cue(1.5, 10, "x")  # type: ignore[arg-type]


def test_transcript_is_a_sequence_of_cues() -> None:
    """A transcript iterates, indexes and measures like its cue tuple."""
    t = Transcript((Cue(0, 1000, "a"), Cue(500, 2500, "b\nc")))
    assert len(t) == 2
    assert [c.text for c in t] == ["a", "b\nc"]
    assert t[1].lines == ["b", "c"]
    assert t.duration_ms == 2500
    assert t.plain_text == "a b c"


@pytest.mark.parametrize(
    ("ms", "srt", "vtt", "ass"),
    [
        (0, "00:00:00,000", "00:00:00.000", "0:00:00.00"),
        (35_999_995, "09:59:59,995", "09:59:59.995", "10:00:00.00"),
        (86_399_999, "23:59:59,999", "23:59:59.999", "24:00:00.00"),
        (359_999_999, "99:59:59,999", "99:59:59.999", "100:00:00.00"),
        (360_000_001, "100:00:00,001", "100:00:00.001", "100:00:00.00"),
        (3_599_994, "00:59:59,994", "00:59:59.994", "0:59:59.99"),
    ],
)
def test_formatters_keep_true_times(ms: int, srt: str, vtt: str, ass: str) -> None:
    """Long times widen the hour field; ASS rounds to centiseconds with carry."""
    assert format_srt(ms) == srt
    assert format_vtt(ms) == vtt
    assert format_ass(ms) == ass


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("00:00:01.500", 1500),
        ("1:02:03,4", 3_723_400),
        ("100:00:00.000", 360_000_000),
        ("01:02.5", 62_500),
        ("00:00:59.9996", 60_000),
    ],
)
def test_parse_timestamp(text: str, ms: int) -> None:
    """Every time stamp shape we meet parses to exact milliseconds."""
    assert parse_timestamp(text) == ms


@pytest.mark.parametrize("text", ["", "abc", "00:60:00.000", "00:00:60.000", "-00:00:01.000"])
def test_parse_timestamp_rejects(text: str) -> None:
    """Impossible time stamps raise ValueError naming the text."""
    with pytest.raises(ValueError, match=r"time stamp|below 60"):
        parse_timestamp(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_timestamp_round_trip(ms: int) -> None:
    """Formatting then parsing gives back the same milliseconds, at any length."""
    assert parse_timestamp(format_srt(ms)) == ms
    assert parse_timestamp(format_vtt(ms)) == ms
    assert abs(parse_timestamp(format_ass(ms)) - ms) <= 5


@pytest.mark.parametrize(
    "error",
    [
        errors.APIError("boom", status_code=500, request_url="https://x/y"),
        errors.TaskNotReady(task_id="t", status="PENDING", progress=3),
        errors.TaskFailed(task_id="t", status="FAILURE", error="bad file"),
        errors.WaitTimeout(task_id="t", status="STARTED", progress=40, waited=12.0),
        errors.PayloadError("not a string", path="result.subtitles[3].text"),
        errors.FormatError("bad timing", filename="a.vtt", line=7, cue=2),
    ],
)
def test_errors_pickle_with_their_fields(error: errors.GcoreCaptionsError) -> None:
    """Errors survive pickling (process pools) with message and fields."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__ == error.__dict__


def test_error_messages_say_where() -> None:
    """Messages name the file, line, cue and JSON path."""
    assert str(errors.FormatError("bad", filename="a.vtt", line=7)) == "a.vtt, line 7: bad"
    assert "result.subtitles[3].text" in str(
        errors.PayloadError("x", path="result.subtitles[3].text")
    )
    assert "bad file" in str(errors.TaskFailed(task_id="t", error="bad file"))
    assert isinstance(errors.FormatError("x"), ValueError)


def test_write_atomic_replaces_whole_file(tmp_path: os.PathLike[str]) -> None:
    """The target holds the new bytes; no temporary file is left behind."""
    target = os.path.join(tmp_path, "sub", "a.srt")
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    with open(target, "rb") as handle:
        assert handle.read() == b"two"
    assert os.listdir(os.path.dirname(target)) == ["a.srt"]
    assert os.stat(target).st_mode & 0o777 == 0o666 & ~_umask()


def test_write_atomic_where_chmod_is_refused(
    tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system that refuses chmod (FAT, SMB) still gets the file, whole."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    target = os.path.join(tmp_path, "a.srt")
    write_atomic(target, b"one")
    with open(target, "rb") as handle:
        assert handle.read() == b"one"
    assert os.listdir(tmp_path) == ["a.srt"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_repair_cues_leaves_clean_input_alone() -> None:
    """Clean cues come back unchanged with no warnings."""
    cues = [Cue(0, 10, "a"), Cue(10, 20, "b")]
    assert repair_cues(cues) == (tuple(cues), ())


def test_repair_cues_reports_every_repair() -> None:
    """Empty, inverted and out-of-order cues are repaired and each is reported."""
    cues = [Cue(0, 10, "a"), Cue(50, 40, "inverted"), Cue(5, 8, " \n "), Cue(20, 30, "early")]
    repaired, warnings = repair_cues(cues, lines=[3, 7, 11, 15])
    assert [c.text for c in repaired] == ["a", "early", "inverted"]
    assert repaired[2].start_ms == 40
    assert repaired[2].end_ms == 50
    assert [(w.code, w.cue, w.line) for w in warnings] == [
        ("end-before-start", 2, 7),
        ("dropped-empty-cue", 3, 11),
        ("out-of-order", 4, 15),
    ]


def test_transcript_pickles_with_read_only_metadata() -> None:
    """Transcripts cross process boundaries even with a mapping-proxy metadata."""
    from types import MappingProxyType

    t = Transcript((Cue(0, 10, "a"),), task_id="t", metadata=MappingProxyType({"url": "u"}))
    copy = pickle.loads(pickle.dumps(t))
    assert copy == t
    assert copy.metadata["url"] == "u"
