"""
``gcore-captions fetch``, ``list`` and ``wait`` as a user runs them, against
the loopback fake API: outputs, files, exit codes, one-line errors, no key.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import srt
from click.testing import CliRunner

from gcore_captions.cli import main
from gcore_captions.testing import FakeGcoreAPI, Fault, make_task

ROOT = Path(__file__).resolve().parents[1]
KEY = "12345_fake-key-for-tests"
TASK = "6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135"
FIXTURES = Path("/work/shared/reference/fixtures")


@pytest.fixture
def api() -> Iterator[FakeGcoreAPI]:
    tasks = [
        make_task(TASK, client_user_id="user-8841"),
        make_task("pending-1", status="PENDING"),
        make_task("failed-1", status="FAILURE", error="Unsupported file type: x.zip"),
        make_task("cm-1", task_name="content-moderation", status="STARTED"),
    ]
    with FakeGcoreAPI(tasks=tasks, api_key=KEY) as server:
        yield server


def run(api: FakeGcoreAPI, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=api.env)
    return result.exit_code, result.stdout, result.stderr


def test_fetch_one_format_to_stdout(api: FakeGcoreAPI) -> None:
    """One format and no --output-dir: the captions on stdout, nothing else."""
    code, out, err = run(api, "fetch", TASK)
    assert (code, err) == (0, "")
    cues = list(srt.parse(out))
    assert cues[0].content == "Good morning, and welcome to the quarterly product update."
    result = CliRunner().invoke(
        main, ["fetch", TASK, "--to", "vtt", "-o", "-", "--crlf"], env=api.env
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"WEBVTT\r\n\r\n1\r\n")


def test_fetch_several_formats_to_files(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """<task_id>.<ext> per format plus the raw task JSON; the paths are printed."""
    code, out, err = run(
        api, "fetch", TASK, "--to", "srt,vtt,txt", "--output-dir", str(tmp_path), "--save-json"
    )
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{TASK}.{ext}" for ext in ("srt", "task.json", "txt", "vtt")]
    assert out.split() == [str(tmp_path / n) for n in (f"{TASK}.task.json",)] + [
        str(tmp_path / f"{TASK}.{ext}") for ext in ("srt", "vtt", "txt")
    ]
    saved = json.loads((tmp_path / f"{TASK}.task.json").read_text(encoding="utf-8"))
    assert saved["task_id"] == TASK
    assert saved["task_data"]["client_user_id"] == "user-8841"
    for path in tmp_path.iterdir():
        assert KEY not in path.read_text(encoding="utf-8")


def test_fetch_without_output_dir_writes_several_formats_here(
    api: FakeGcoreAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several formats and no --output-dir: files in the current folder."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(api, "fetch", TASK, "--to", "srt,json")
    assert code == 0
    assert out.split() == [f"{TASK}.srt", f"{TASK}.json"]
    assert json.loads((tmp_path / f"{TASK}.json").read_text(encoding="utf-8"))["cues"]


def test_fetch_writer_options(api: FakeGcoreAPI) -> None:
    """-O options reach the writer, as with convert."""
    code, out, err = run(api, "fetch", TASK, "--to", "txt", "-O", "timestamps=true")
    assert code == 0, err
    assert "00:00" in out


@pytest.mark.parametrize(
    ("task", "words"),
    [
        ("pending-1", "not finished: PENDING"),
        ("failed-1", "Unsupported file type: x.zip"),
        ("ghost", "task ghost not found"),
        ("cm-1", "content-moderation task; it has no captions"),
    ],
)
def test_fetch_errors_are_one_line_and_exit_1(api: FakeGcoreAPI, task: str, words: str) -> None:
    """Unfinished, failed, unknown and moderation tasks: one error line on stderr, exit 1."""
    code, out, err = run(api, "fetch", task)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("gcore-captions: error: ")
    assert words in err


def test_fetch_writes_nothing_for_an_unfinished_task(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """A task that is not ready leaves no file behind, not even with --save-json."""
    code, _, err = run(api, "fetch", "pending-1", "--save-json", "-o", str(tmp_path / "out"))
    assert code == 1
    assert "not finished" in err
    assert not (tmp_path / "out").exists()


def test_fetch_with_wait(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """--wait polls until SUCCESS (status lines on stderr), then writes the files."""
    api.add_task(make_task("slow"), statuses=["PENDING", ("STARTED", 50), "SUCCESS"])
    code, out, err = run(
        api,
        "fetch",
        "slow",
        "--wait",
        "--poll-interval",
        "0.01",
        "-o",
        str(tmp_path),
        "--to",
        "vtt",
    )
    assert code == 0, err
    assert (tmp_path / "slow.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert "slow: STARTED 50%" in err
    assert out.strip() == str(tmp_path / "slow.vtt")


def test_fetch_refuses_bad_arguments(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Unknown format, two formats to stdout, an unsafe file name: usage errors (exit 2)."""
    assert run(api, "fetch", TASK, "--to", "docx")[0] == 2
    assert run(api, "fetch", TASK, "--to", "srt,vtt", "-o", "-")[0] == 2
    code, _, err = run(api, "fetch", "../escape", "-o", str(tmp_path))
    assert code == 2
    assert "not a task id: '../escape'" in err
    code, _, err = run(api, "fetch", "_hidden", "-o", str(tmp_path))
    assert code == 2
    assert "file name" in err
    assert api.requests == []


def test_list_prints_a_table(api: FakeGcoreAPI) -> None:
    """Not a terminal: plain aligned columns with every task."""
    code, out, err = run(api, "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "TASK", "ID", "STATUS", "PROGRESS", "TASK", "NAME", "LANGUAGE", "STARTED", "FINISHED",
    ]  # fmt: skip
    assert len(lines) == 5
    row = next(line for line in lines if line.startswith(TASK))
    assert row.split()[:5] == [TASK, "SUCCESS", "100%", "transcription", "auto"]
    assert "2025-03-14 09:22:55" in row
    assert lines[0].index("STATUS") == row.index("SUCCESS")


def test_list_filters_and_json_lines(api: FakeGcoreAPI) -> None:
    """--status/--task-name/--search reach the API; --json prints one object per line."""
    code, out, _ = run(api, "list", "--status", "pending", "--json")
    assert code == 0
    assert [json.loads(line)["task_id"] for line in out.splitlines()] == ["pending-1"]
    run(api, "list", "--task-name", "content-moderation", "--search", "cm")
    assert api.requests[-1].query["task_name"] == "content-moderation"
    assert api.requests[-1].query["search"] == "cm"


def test_list_limit_stops_early(api: FakeGcoreAPI) -> None:
    """--limit N shows N tasks and asks for one small page only."""
    code, out, _ = run(api, "list", "--limit", "2", "--json")
    assert code == 0
    assert len(out.splitlines()) == 2
    assert [r.query["limit"] for r in api.requests] == ["2"]


def test_list_with_a_wrong_key(api: FakeGcoreAPI) -> None:
    """A refused key: one line naming the problem, exit 1, the key not echoed."""
    code, out, err = run(api, "list", "--api-key", "not-the-key-123")
    assert code == 1
    assert out == ""
    assert "HTTP 401" in err
    assert "not-the-key-123" not in err


def test_missing_key_is_a_one_line_error(api: FakeGcoreAPI) -> None:
    """No key anywhere: exit 1 before any request."""
    result = CliRunner().invoke(
        main, ["list"], env={"GCORE_API_KEY": None, "GCORE_BASE_URL": api.base_url}
    )
    assert result.exit_code == 1
    assert "no API key" in result.stderr
    assert api.requests == []


def test_wait_success_failure_and_timeout(api: FakeGcoreAPI) -> None:
    """Exit 0 on SUCCESS; 1 with one line on FAILURE, REVOKED or a timeout."""
    api.add_task(make_task("w"), statuses=["RECEIVED", ("STARTED", 40), "PENDING", "SUCCESS"])
    code, out, err = run(api, "wait", "w", "--poll-interval", "0.01")
    assert code == 0
    assert out == "w SUCCESS\n"
    assert err.splitlines() == [
        "w: RECEIVED 0%",
        "w: STARTED 40%",
        "w: PENDING 40%",
        "w: SUCCESS 100%",
    ]

    code, _, err = run(api, "wait", "failed-1")
    assert code == 1
    assert (
        err.splitlines()[-1]
        == "gcore-captions: error: task failed-1 failed: Unsupported file type: x.zip"
    )

    api.add_task(make_task("gone"), statuses=["PENDING", "REVOKED"])
    code, _, err = run(api, "wait", "gone", "--poll-interval", "0.01")
    assert code == 1
    assert "cancelled (REVOKED)" in err

    code, _, err = run(api, "wait", "pending-1", "--timeout", "0.2", "--poll-interval", "0.05")
    assert code == 1
    assert "did not finish" in err.splitlines()[-1]
    assert "last status PENDING" in err


def test_wait_survives_transient_faults(api: FakeGcoreAPI) -> None:
    """A 503 and a dropped connection during polling are retried, not fatal."""
    api.add_task(make_task("w"), statuses=["PENDING", "SUCCESS"])
    api.inject(
        Fault.drop_connection(),  # first poll: dropped, 503, then answered
        Fault.http(503, headers={"retry-after-ms": "10"}),
        Fault.slow(0),
        Fault.rate_limited(retry_after_ms=10),  # second poll: 429, then answered
        path="/streaming/ai/tasks/w",
    )
    code, out, err = run(api, "wait", "w", "--poll-interval", "0.01")
    assert code == 0, err
    assert out == "w SUCCESS\n"
    assert len(api.requests) == 5


@pytest.mark.parametrize("url", ["ftp://example.org", "http://[::1"])
def test_base_url_option_is_checked(api: FakeGcoreAPI, url: str) -> None:
    """A base URL that is not http(s), or not a URL at all, is a usage error."""
    code, _, err = run(api, "list", "--base-url", url)
    assert code == 2
    assert "base URL" in err


def test_every_command_has_help_with_examples() -> None:
    """fetch, list and wait document themselves, with examples in the epilog."""
    for command in ("fetch", "list", "wait"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "Examples:" in result.stdout
        assert "--api-key" in result.stdout
        assert "GCORE_API_KEY" in result.stdout


def test_fetch_as_a_subprocess_with_the_environment(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """``python -m gcore_captions fetch`` reads GCORE_API_KEY/GCORE_BASE_URL like users do."""
    env = {**os.environ, **api.env, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "gcore_captions", "fetch", TASK, "--to", "vtt"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("WEBVTT")
    assert KEY not in done.stdout + done.stderr


def test_fetch_a_reference_fixture_task(tmp_path: Path) -> None:
    """The documented translated task fetches to SRT with its three cues."""
    payload = json.loads((FIXTURES / "transcription-translated.json").read_text(encoding="utf-8"))
    with FakeGcoreAPI(tasks=[payload], api_key=KEY) as api:
        code, out, err = run(api, "fetch", payload["task_id"], "--to", "srt")
    assert code == 0, err
    assert len(list(srt.parse(out))) == 3


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_and_table_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal: a rich progress bar while waiting and a rich table for list."""
    from gcore_captions.cli._progress import task_progress
    from gcore_captions.cli.list_ import _rich_table
    from gcore_captions.gcore import TaskProgress

    err, out = _Terminal(), _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    with task_progress("t1") as show:
        for status, progress in (("PENDING", 0), ("STARTED", 50), ("SUCCESS", 100)):
            show(TaskProgress("t1", status, progress, 0.0, {}))
    assert err.getvalue()
    _rich_table([("t1", "SUCCESS", "100%", "transcription", "eng", "", "")])
    assert "t1" in out.getvalue()
    assert "TASK ID" in out.getvalue()
