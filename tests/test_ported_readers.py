"""
Other projects' reader tests, run against our readers: the sample files and
assertions of ExoPlayer (androidx/media), webvtt-py, pysubs2 and srt, kept as
data in ``tests/data/ported/expectations.json`` with the source of each (see
its ``about``). Where our reader deliberately differs, the data says why
(``ours``); where it is wrong, the entry is an ``expected_failure`` naming the
issue, run as a strict xfail so that fixing the reader flips it.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

from gcore_captions import FormatError, Transcript, loads
from gcore_captions.formats import get_format

DATA = Path(__file__).resolve().parent / "data" / "ported"
EXPECTATIONS = json.loads((DATA / "expectations.json").read_text(encoding="utf-8"))
ENTRIES: list[dict[str, Any]] = EXPECTATIONS["files"]


def _params() -> list[Any]:
    params = []
    for entry in ENTRIES:
        marks = []
        if "expected_failure" in entry:
            marks.append(pytest.mark.xfail(reason=entry["expected_failure"], strict=True))
        params.append(
            pytest.param(
                entry, marks=marks, id=entry["file"] + ":" + entry["assertion"].rsplit(" ", 1)[-1]
            )
        )
    return params


def _read(entry: dict[str, Any], **options: Any) -> Transcript:
    data = (DATA / entry["file"]).read_bytes()
    return loads(
        data,
        entry["format"],
        filename=Path(entry["file"]).name,
        encoding=entry.get("encoding"),
        **options,
    )


def _same_text(expected: str, got: str, how: str | None) -> bool:
    if how == "collapse-spaces":  # runs of spaces folded, as HTML rendering does
        return re.sub(" +", " ", expected) == re.sub(" +", " ", got)
    return expected == got


def _check(expected: dict[str, Any], transcript: Transcript, compare_text: str | None) -> None:
    if "count" in expected:
        assert len(transcript) == expected["count"], [c.text for c in transcript]
    for position, cue_expected in enumerate(expected.get("cues", ())):
        cue = transcript[cue_expected.get("index", position)]
        for field in ("start_ms", "end_ms", "identifier"):
            if field in cue_expected:
                assert getattr(cue, field) == cue_expected[field], (field, cue)
        if "text" in cue_expected:
            assert _same_text(cue_expected["text"], cue.text, compare_text), cue.text
    codes = {w.code for w in transcript.warnings}
    assert set(expected.get("warnings", ())) <= codes, transcript.warnings


def _check_entry(expected: dict[str, Any], entry: dict[str, Any], **options: Any) -> None:
    if expected.get("error"):
        with pytest.raises(FormatError):
            _read(entry, **options)
        return
    _check(expected, _read(entry, **options), entry.get("compare_text"))


@pytest.mark.parametrize("entry", _params())
def test_lenient_reading_matches_the_source_or_records_why_not(entry: dict[str, Any]) -> None:
    """Default (lenient) reading: the source's assertion, or our recorded difference."""
    _check_entry(entry.get("ours", entry), entry)


# The WebVTT entries under strict=True: the spec's reading (the browsers'),
# which is the lenient one except where an entry records "strict".
STRICT = [pytest.param(e, id=e["file"]) for e in ENTRIES if e["format"] == "vtt"]


@pytest.mark.parametrize("entry", STRICT)
def test_strict_webvtt_reading_follows_the_spec(entry: dict[str, Any]) -> None:
    """Under ``strict=True`` the spec's reading: as lenient, or the entry's ``strict``."""
    parse = get_format("vtt").parse
    takes_strict = parse is not None and "strict" in inspect.signature(parse).parameters
    if not takes_strict or "strict" not in inspect.signature(loads).parameters:
        pytest.skip("loads or the WebVTT reader has no strict= yet (issue 11: another branch)")
    _check_entry(entry.get("strict", entry.get("ours", entry)), entry, strict=True)


def test_every_entry_names_its_source_and_file() -> None:
    """Each assertion says where it came from; each sample file exists; each licence is kept."""
    for name, source in EXPECTATIONS["sources"].items():
        assert len(source["commit"]) == 40, name
        assert (DATA / source["licence_file"]).is_file(), name
    for entry in ENTRIES:
        assert entry["project"] in EXPECTATIONS["sources"], entry
        assert (DATA / entry["file"]).is_file(), entry["file"]
        assert entry["source_path"], entry
        assert entry["assertion"], entry
        assert ("ours" not in entry) or entry["ours"]["why"], entry
        assert "expected_failure" not in entry or entry["expected_failure"].startswith("issue 11:")
    projects = {entry["project"] for entry in ENTRIES}
    assert len(projects) >= 3
    # Every sample file kept here is asserted on, and listed in its folder's SOURCE.md.
    used = {entry["file"] for entry in ENTRIES}
    for project in EXPECTATIONS["sources"]:
        listing = (DATA / project / "SOURCE.md").read_text(encoding="utf-8")
        for path in sorted((DATA / project).rglob("*")):
            name = path.relative_to(DATA / project).as_posix()
            if path.is_file() and name not in ("LICENSE", "SOURCE.md"):
                assert f"{project}/{name}" in used, name
                assert f"`{name}`" in listing, name
