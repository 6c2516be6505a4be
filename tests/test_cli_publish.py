"""
``gcore-captions publish`` and ``gcore-captions tracks`` against the loopback
fake API: the download / reflow / publish-back loop, dry runs that send
nothing, refusals before any request, unknown videos, maps with failing
rows, and lost answers that must not leave a duplicate track.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions.cli import main
from gcore_captions.gcore import MAX_TRACK_BYTES
from gcore_captions.testing import FakeGcoreAPI, Fault

KEY = "cli-publish-secret-key"
VIDEO = 12345
PATH = f"/streaming/videos/{VIDEO}/subtitles"
LONG = (
    "This is a rather long line of AI generated captions that nobody ever reflowed to any"
    " guideline at all"
)
AI_VTT = f"WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n{LONG}\n\n00:00:09.500 --> 00:00:12.000\nok\n"
DE_VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHallo\n"
SRT = "1\n00:00:01,000 --> 00:00:03,500\nFirst line.\n"


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    with FakeGcoreAPI(api_key=KEY) as server:
        server.add_video(
            VIDEO,
            [
                {"language": "eng", "name": "English (AI-generated)", "vtt": AI_VTT},
                {"language": "ger", "name": "Deutsch", "vtt": DE_VTT},
            ],
        )
        server.add_video(7)
        yield server


def run(api: FakeGcoreAPI, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], env=api.env)
    assert KEY not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def changes(api: FakeGcoreAPI) -> list[str]:
    return [r.method for r in api.requests if r.method in ("POST", "PATCH", "DELETE")]


def test_download_reflow_publish_back_in_three_commands(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """The README loop: list, download the AI tracks reflowed, publish them back in place."""
    code, out, _ = run(api, "tracks", VIDEO)
    assert code == 0
    assert "English (AI-generated)" in out
    assert out.splitlines()[0].split() == ["ID", "LANGUAGE", "NAME", "BYTES"]
    fixed = tmp_path / "fixed"
    code, out, err = run(
        api, "tracks", VIDEO, "--download", "--ai-only", "--reflow", "netflix", "--to", "vtt",
        "-o", fixed,
    )  # fmt: skip
    assert (code, err) == (0, "")
    written = out.split()
    assert written == [str(fixed / "12345.1.eng.vtt"), str(fixed / "12345.tracks.csv")]
    with open(fixed / "12345.tracks.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "video_id": "12345",
            "file": "12345.1.eng.vtt",
            "language": "eng",
            "name": "English (AI-generated)",
        }
    ]
    code, out, err = run(api, "publish", "--map", fixed / "12345.tracks.csv", "--replace")
    assert (code, err) == (0, "")
    assert "updated: video 12345 track 1" in out
    tracks = api.video_tracks(VIDEO)
    assert [t["id"] for t in tracks] == [1, 2]
    assert tracks[0]["vtt"].startswith("WEBVTT")
    assert max(len(line) for line in tracks[0]["vtt"].splitlines()) <= 42
    assert tracks[1]["vtt"] == DE_VTT
    assert changes(api) == ["PATCH"]
    code, out, _ = run(api, "publish", "--map", fixed / "12345.tracks.csv", "--replace")
    assert code == 0
    assert "unchanged" in out
    assert changes(api) == ["PATCH"]


def test_dry_run_sends_nothing(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """--dry-run reads, renders and checks, shows the request, and makes none."""
    source = tmp_path / "talk.srt"
    source.write_text(SRT, encoding="utf-8")
    code, out, err = run(
        api, "publish", VIDEO, source, "--language", "de", "--name", "Deutsch", "--dry-run"
    )
    assert (code, err) == (0, "")
    assert f"would POST {PATH}" in out
    assert '"Deutsch" (ger, ' in out
    code, out, _ = run(
        api, "publish", VIDEO, source, "--language", "eng", "--replace", "--dry-run", "--json"
    )
    report = json.loads(out)
    assert code == 0
    (track,) = report["tracks"]
    assert track["action"] == "would replace"
    assert track["name"] == "eng"
    assert track["vtt"].startswith("WEBVTT")
    assert api.requests == []


def test_over_5_mb_is_refused_before_any_request(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """A file whose WebVTT passes 5 MB: one line, exit 1, no request at all."""
    cue = "{n}\n00:00:01,000 --> 00:00:02,000\n" + "x" * 990 + "\n\n"
    big = tmp_path / "big.srt"
    big.write_text("".join(cue.format(n=n) for n in range(1, MAX_TRACK_BYTES // 1000 + 2)))
    code, out, err = run(api, "publish", VIDEO, big, "--language", "eng")
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "5 MB" in err
    assert api.requests == []


@pytest.mark.parametrize("language", ["xx", "klingon", "qqq"])
def test_bad_language_is_refused_before_any_request(
    api: FakeGcoreAPI, tmp_path: Path, language: str
) -> None:
    """Exit 1 with one line naming the language; nothing sent."""
    source = tmp_path / "talk.srt"
    source.write_text(SRT, encoding="utf-8")
    code, _, err = run(api, "publish", VIDEO, source, "--language", language)
    assert code == 1
    assert language in err
    assert len(err.splitlines()) == 1
    assert api.requests == []


def test_unknown_video_is_one_line_and_exit_1(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """tracks and publish: 'video 999 not found', exit 1, no traceback."""
    source = tmp_path / "talk.srt"
    source.write_text(SRT, encoding="utf-8")
    for args in (("tracks", 999), ("publish", 999, source, "--language", "eng")):
        code, out, err = run(api, *args)
        assert code == 1
        assert out == ""
        assert err.count("\n") == 1
        assert "video 999 not found" in err


@pytest.mark.parametrize(
    "args",
    [
        ("publish",),
        ("publish", VIDEO),
        ("publish", VIDEO, "x.srt", "--map", "m.csv"),
        ("tracks", "abc"),
        ("tracks", "0"),
        ("publish", VIDEO, "x.srt", "--reflow", "nope"),
    ],
)
def test_usage_errors_exit_2(api: FakeGcoreAPI, args: tuple[object, ...]) -> None:
    """Wrong arguments are usage errors: one line, exit 2, nothing sent."""
    code, _, err = run(api, *map(str, args))
    assert code == 2
    assert len(err.splitlines()) == 1
    assert api.requests == []


def test_a_map_with_failing_rows_publishes_the_rest(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Bad rows are reported by map line; good rows still go out; exit 1; a report."""
    (tmp_path / "a.srt").write_text(SRT, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.vtt").write_text(DE_VTT, encoding="utf-8")
    lines = [
        "video_id,file,language,name",
        "7,a.srt,eng,English",
        "7,missing.srt,eng,Missing",
        "",
        "7,sub/b.vtt,deu,Deutsch",
        "999,a.srt,eng,English",
        "7,a.srt,xx,Bad",
    ]
    mapping = tmp_path / "map.csv"
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(api, "publish", "--map", mapping, "--json")
    assert code == 1
    report = json.loads(out)
    actions = [(t["line"], t["action"]) for t in report["tracks"]]
    assert actions == [(2, "created"), (3, "failed"), (5, "created"), (6, "failed"), (7, "failed")]
    assert report["counts"] == {"created": 2, "failed": 3}
    assert "video 999 not found" in report["tracks"][3]["error"]
    assert [(t["language"], t["name"]) for t in api.video_tracks(7)] == [
        ("eng", "English"),
        ("ger", "Deutsch"),
    ]
    code, out, err = run(api, "publish", "--map", mapping)
    assert code == 1
    assert f"{mapping}:3: " in err
    assert "2 of 5 tracks published; 3 failed" in err
    assert out.count("unchanged") == 2


def test_a_map_without_its_columns_is_one_line(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """A map whose header lacks video_id or file: one line naming what is missing."""
    mapping = tmp_path / "map.csv"
    mapping.write_text("video,path\n7,a.srt\n", encoding="utf-8")
    code, _, err = run(api, "publish", "--map", mapping)
    assert code == 1
    assert "missing video_id, file" in err
    assert api.requests == []


def test_a_lost_create_answer_leaves_one_track(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """The server creates, the answer is lost: publish finds it, reports created, no twin."""
    source = tmp_path / "talk.srt"
    source.write_text(SRT, encoding="utf-8")
    api.inject(Fault.slow(0), Fault.lose_answer(), path="/streaming/videos/7/subtitles")
    code, out, err = run(api, "publish", 7, source, "--language", "eng", "--name", "English")
    assert (code, err) == (0, "")
    assert "created: video 7 track" in out
    assert len(api.video_tracks(7)) == 1
    assert changes(api) == ["POST"]


def test_download_reports_an_unreadable_track_and_writes_the_rest(
    api: FakeGcoreAPI, tmp_path: Path
) -> None:
    """A track whose text is not captions: one line, exit 1; the others are written."""
    api.add_video(8, [{"language": "eng", "name": "Broken", "vtt": "hello world"}])
    api.add_video(8, [{"language": "fre", "name": "Français", "vtt": SRT}])
    code, _, err = run(api, "tracks", 8, "--download", "--to", "srt,txt", "-o", tmp_path)
    assert code == 1
    assert "video 8 track 3" in err
    assert len(err.splitlines()) == 1
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "8.tracks.csv" in names
    assert any(n.endswith(".fre.srt") for n in names)
    assert any(n.endswith(".fre.txt") for n in names)
    assert not any(".eng." in n for n in names)


def test_download_no_clobber_leaves_files(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """-n leaves existing files alone and says so."""
    target = tmp_path / "12345.2.ger.vtt"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run(api, "tracks", VIDEO, "--download", "-o", tmp_path, "-n")
    assert code == 0
    assert target.read_text(encoding="utf-8") == "mine"
    assert "left alone" in err


def test_tracks_json_lines(api: FakeGcoreAPI) -> None:
    """--json: one object per track, sizes instead of contents."""
    code, out, _ = run(api, "tracks", VIDEO, "--json", "--ai-only")
    assert code == 0
    (line,) = out.splitlines()
    assert json.loads(line) == {
        "video_id": VIDEO,
        "id": 1,
        "language": "eng",
        "name": "English (AI-generated)",
        "bytes": len(AI_VTT.encode()),
    }
