"""
``gcore-captions transcribe`` against the loopback fake API: one task per
URL (and target language), files through the batch export, reruns that
create and rewrite nothing, lost create answers that make no duplicate, the
batch's own queue limit, 422, usage errors; and ``list``'s new filters.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions.batch.transcribe import JOBS_NAME
from gcore_captions.cli import main
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task

TASKS = "/streaming/ai/tasks"
URLS = [f"https://media.example.org/videos/talk-{n}.mp4" for n in range(3)]
QUICK = ("--poll-interval", "0.01")


def invoke(api: FakeGcoreAPI, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["transcribe", *args], env=api.env)
    return result.exit_code, result.stdout, result.stderr


def posts(api: FakeGcoreAPI) -> int:
    return sum(1 for r in api.requests if r.method == "POST" and r.path == TASKS)


@pytest.fixture
def api() -> FakeGcoreAPI:
    with FakeGcoreAPI() as server:
        yield server  # type: ignore[misc]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.iterdir()
        if p.suffix in (".srt", ".vtt")
    }


def test_one_task_per_url_and_target_files_and_json(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """2 URLs x 2 targets: 4 tasks, 8 files named by the template, JSON report, exit 0."""
    code, out, err = invoke(
        api,
        *URLS[:2],
        "--language", "en",
        "--translate-to", "deu,fr",
        "--to", "srt,vtt",
        "--name", "{url_stem}.{lang3}.{ext}",
        "-o", str(tmp_path),
        "--json",
        *QUICK,
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert (report["written"], report["created"], report["ok"]) == (4, 4, True)
    assert len(api.created) == 4
    languages = {api.task(t)["task_data"]["subtitles_language"] for t in api.created}
    assert languages == {"ger", "fre"}
    assert {api.task(t)["task_data"]["audio_language"] for t in api.created} == {"eng"}
    names = sorted(p.name for p in tmp_path.glob("*.srt"))
    assert names == ["talk-0.fre.srt", "talk-0.ger.srt", "talk-1.fre.srt", "talk-1.ger.srt"]
    assert "[ger] talk-1.mp4" in (tmp_path / "talk-1.ger.srt").read_text(encoding="utf-8")
    assert len((tmp_path / JOBS_NAME).read_text(encoding="utf-8").splitlines()) == 4


def test_a_rerun_creates_nothing_and_rewrites_nothing(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Same command again: no POST, no list look-up, every file untouched, exit 0."""
    args = (*URLS, "--to", "srt,vtt", "-o", str(tmp_path), *QUICK)
    code, _, err = invoke(api, *args)
    assert code == 0, err
    before, sent = snapshot(tmp_path), len(api.requests)
    code, _, err = invoke(api, *args)
    assert code == 0, err
    assert "0 tasks created, 3 from transcribe.jsonl" in err
    assert "3 skipped" in err
    assert snapshot(tmp_path) == before
    assert posts(api) == 3
    assert all(r.method == "GET" and r.path != TASKS for r in api.requests[sent:])


def test_tasks_created_elsewhere_are_found_by_tag(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Without the folder's record (another machine, a lost file): found by tag, none created."""
    code, _, err = invoke(api, *URLS, "-o", str(tmp_path / "first"), *QUICK)
    assert code == 0, err
    code, out, err = invoke(api, *URLS, "-o", str(tmp_path / "second"), "--json", *QUICK)
    assert code == 0, err
    assert json.loads(out)["created"] == 3  # found by tag: recorded in this folder
    assert len(api.created) == 3
    assert len(list((tmp_path / "second").glob("*.srt"))) == 3


def test_lost_create_answers_make_no_duplicate(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Every other create's answer is lost after the task was made: still one task per URL."""
    api.inject(Fault.lose_answer(), Fault.drop_connection(), path=TASKS, times=2, method="POST")
    code, _, err = invoke(api, *URLS, "-o", str(tmp_path), *QUICK)
    assert code == 0, err
    assert len(api.created) == 3
    urls = sorted(api.task(t)["task_data"]["url"] for t in api.created)
    assert urls == URLS


def test_the_batch_keeps_its_unfinished_tasks_under_the_queue_limit(tmp_path: Path) -> None:
    """Server queue of 2, --queue-limit 2, 5 URLs: never refused, so no queue wait (>= 1.5 s)."""
    urls = [f"https://media.example.org/q/{n}.mp4" for n in range(5)]
    statuses = ["PENDING", "PENDING", ("STARTED", 50), "SUCCESS"]
    with FakeGcoreAPI(queue_limit=2, create_statuses=statuses) as api:
        began = time.monotonic()
        code, _, err = invoke(api, *urls, "--queue-limit", "2", "-o", str(tmp_path), *QUICK)
        elapsed = time.monotonic() - began
    assert code == 0, err
    assert len(api.created) == 5
    assert elapsed < 1.4, f"a queue wait happened ({elapsed:.1f} s)"


def test_ai_disabled_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """422: one line naming it, exit 1, nothing written."""
    with FakeGcoreAPI(ai_enabled=False) as api:
        code, _, err = invoke(api, URLS[0], "-o", str(tmp_path), *QUICK)
    assert code == 1
    assert "AI is not enabled" in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("*.srt"))


def test_a_failed_translation_is_reported_and_exits_1(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """eng to uzb is not offered: the task fails, the others are written, exit 1."""
    code, out, err = invoke(
        api, URLS[0], "--language", "eng", "--translate-to", "uzb,ger",
        "-o", str(tmp_path), "--json", *QUICK,
    )  # fmt: skip
    assert code == 1, err
    report = json.loads(out)
    assert (report["written"], report["failed"], report["ok"]) == (1, 1, False)


def test_a_create_refused_by_the_server_is_reported(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """A 400 for one URL: 'not created' on one line, the rest written, exit 1."""
    api.inject(Fault.http(400, {"error": "url: file not reachable"}), path=TASKS, method="POST")
    code, _, err = invoke(api, *URLS[:2], "-o", str(tmp_path), *QUICK)
    assert code == 1
    assert "not created: https://media.example.org/videos/talk-0.mp4" in err
    assert "file not reachable" in err
    assert len(list(tmp_path.glob("*.srt"))) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ftp://media.example.org/a.mp4",), "not an http(s) media URL"),
        (("/home/me/video.mp4",), "not an http(s) media URL"),
        ((URLS[0], "--language", "klingon"), "--language"),
        ((URLS[0], "--language", "eng,ger"), "one spoken language"),
        ((URLS[0], "--translate-to", ","), "at least one language"),
        ((URLS[0], "--to", "srt,vtt", "--name", "{task_id}"), "{ext}"),
    ],
)
def test_usage_errors_send_nothing(
    api: FakeGcoreAPI, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """A bad URL, language or name: exit 2, one line, no request."""
    code, _, err = invoke(api, *args, "-o", str(tmp_path))
    assert code == 2
    assert message in err
    assert api.requests == []


def test_timeout_is_the_request_limit_not_the_wait(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """--timeout alone is each request's limit (no deprecation note); --wait-timeout waits."""
    code, _, err = invoke(api, URLS[0], "--timeout", "5", "--wait-timeout", "30", "-o",
                          str(tmp_path), *QUICK)  # fmt: skip
    assert code == 0, err
    assert "deprecated" not in err


def test_list_gains_ordering_date_and_task_id_filters(api: FakeGcoreAPI) -> None:
    """--ordering, --date-created and --task-id go to the API as its parameters."""
    api.add_task(make_task("t-1"))
    args = ["list", "--ordering", "status", "--date-created", "2025-03-14", "--task-id", "t-1"]
    result = CliRunner().invoke(main, [*args, "--json"], env=api.env)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["task_id"] for line in result.stdout.splitlines()] == ["t-1"]
    query = api.requests[-1].query
    assert (query["ordering"], query["date_created"], query["task_id"]) == (
        "status",
        "2025-03-14",
        "t-1",
    )
    bad = CliRunner().invoke(main, ["list", "--task-id", "../x"], env=api.env)
    assert bad.exit_code == 2
    bad = CliRunner().invoke(main, ["list", "--ordering", "-status"], env=api.env)
    assert bad.exit_code == 2
