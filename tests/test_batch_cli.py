"""
``gcore-captions export`` as a user runs it: inputs, reports, exit codes, and
a run killed with SIGKILL that the next run finishes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions.api import render
from gcore_captions.batch import MANIFEST_NAME, TaskRecord
from gcore_captions.batch.manifest import Manifest
from gcore_captions.cli import main
from gcore_captions.task import parse_task
from gcore_captions.testing import FakeGcoreAPI, make_task, make_tasks

ROOT = Path(__file__).resolve().parents[1]
TASKS = make_tasks(6)
IDS = [task["task_id"] for task in TASKS]


def invoke(api: FakeGcoreAPI, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["export", *args], input=input, env=api.env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def api() -> FakeGcoreAPI:
    with FakeGcoreAPI([*TASKS, make_task("running", status="STARTED")]) as server:
        yield server  # type: ignore[misc]


def test_ids_as_arguments_with_json_report(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """Ids as arguments, --json prints one report on stdout, exit 0 when all are written."""
    code, out, err = invoke(api, *IDS[:3], "--to", "srt,vtt", "-o", str(tmp_path), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["written"], report["failed"], report["ok"]) == (3, 0, True)
    assert len(list(tmp_path.glob("*.vtt"))) == 3


def test_ids_file_from_stdin_ignores_blanks_and_comments(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """``--ids-file -`` reads stdin; blank lines and # comments are ignored."""
    text = f"# exported on Monday\n\n{IDS[0]}\n  {IDS[1]}  # the keynote\n\n"
    code, _, err = invoke(api, "--ids-file", "-", "-o", str(tmp_path), input=text)
    assert code == 0, err
    assert sorted(p.stem for p in tmp_path.glob("*.srt")) == sorted(IDS[:2])
    assert "2 tasks: 2 written" in err


def test_ids_file_and_name_template(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """An ids file plus a template with sub-folders."""
    ids = tmp_path / "ids.txt"
    ids.write_text("\n".join(IDS[:2]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = invoke(
        api, "--ids-file", str(ids), "-o", str(out), "--name", "{language}/{lang3}-{task_id}.{ext}"
    )
    assert code == 0, err
    assert sorted(p.name for p in (out / "en").iterdir()) == sorted(f"eng-{i}.srt" for i in IDS[:2])


def test_all_exports_finished_transcriptions(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """--all lists tasks (SUCCESS transcriptions by default) and exports each."""
    code, _, err = invoke(api, "--all", "-o", str(tmp_path))
    assert code == 0, err
    assert len(list(tmp_path.glob("*.srt"))) == 6


def test_failures_exit_1_with_one_line_each(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """A missing and an unfinished task: exit 1, one line each, a summary, no traceback."""
    code, _, err = invoke(api, IDS[0], "nope", "running", "-o", str(tmp_path))
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert any(line.startswith("gcore-captions: failed: nope: HTTP 404") for line in lines)
    assert any(line.startswith("gcore-captions: not finished: running:") for line in lines)
    assert "3 tasks: 1 written, 0 skipped, 1 failed, 1 not finished" in lines[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give task ids"),
        (("--status", "SUCCESS", "x"), "only apply with --all"),
        (("--all", "x"), "not both"),
        (("x", "--wait-timeout", "5"), "only applies with --wait"),
        (("x", "--poll-interval", "1"), "only applies with --wait"),
        (("x", "--to", "docx"), "unknown format"),
        (("x", "--name", "../{task_id}.{ext}"), "may not contain"),
        (("x", "--to", "srt,vtt", "--name", "{task_id}"), "needs {ext}"),
        (("x", "--concurrency", "0"), "concurrency"),
        (("x", "-O", "nonsense=1"), "no writer"),
        (("--all", "--task-name", "content-moderation"), "only transcription tasks"),
        (("--all", "--task-name", "Content-Moderation"), "only transcription tasks"),
        (("--all", "--task-name", "nonsense"), "unknown task type"),
    ],
)
def test_usage_errors_exit_2(
    api: FakeGcoreAPI, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """Bad combinations and values are usage errors (exit 2) before any request."""
    code, _, err = invoke(api, *args, "-o", str(tmp_path))
    assert code == 2
    assert message in err
    assert api.requests == []


def test_missing_key_and_locked_folder_are_one_line_errors(
    api: FakeGcoreAPI, tmp_path: Path
) -> None:
    """No API key, or another export holding the folder: one error line, exit 1."""
    result = CliRunner().invoke(
        main,
        ["export", IDS[0], "-o", str(tmp_path / "a")],
        env={"GCORE_API_KEY": "", "GCORE_BASE_URL": api.base_url},
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "no API key" in result.stderr
    holder = Manifest.open(tmp_path / "b")
    try:
        code, _, err = invoke(api, IDS[0], "-o", str(tmp_path / "b"))
    finally:
        holder.close()
    assert code == 1
    assert "another export is writing" in err


def test_ids_file_that_is_not_utf8_is_a_usage_error(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """A regular --ids-file that is not UTF-8: one error line, exit 2, no traceback."""
    ids = tmp_path / "ids.txt"
    ids.write_bytes(IDS[0].encode() + b"\n\xff\xfe\n")
    code, _, err = invoke(api, "--ids-file", str(ids), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "not UTF-8" in err
    assert "Traceback" not in err
    assert api.requests == []


def records(out: Path) -> list[TaskRecord]:
    """The manifest's valid lines (a torn last line from the kill is skipped)."""
    found = []
    for line in (out / MANIFEST_NAME).read_bytes().splitlines():
        try:
            found.append(TaskRecord.from_line(line))
        except ValueError:
            continue
    return found


def test_killed_run_resumes_without_rewriting_or_partial_files(tmp_path: Path) -> None:
    """SIGKILL mid-batch, then rerun: only unfinished tasks are fetched, done files untouched."""
    tasks = make_tasks(120)
    ids = [task["task_id"] for task in tasks]
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(ids) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    expected = {ext: render(parse_task(tasks[0]), ext).encode() for ext in ("srt", "vtt")}
    command = [sys.executable, "-m", "gcore_captions", "export", "--ids-file", str(ids_file)]
    command += ["-o", str(out), "--to", "srt,vtt", "--concurrency", "4"]
    with FakeGcoreAPI(tasks, latency=0.03) as api:
        env = {**os.environ, **api.env, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            manifest = out / MANIFEST_NAME
            if manifest.exists() and manifest.read_bytes().count(b"\n") >= 15:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the export finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL

        done = {r.task_id: r for r in records(out) if r.status == "written"}
        assert 15 <= len(done) < 120
        # No partial file: whatever is visible is a whole caption file.
        for path in out.iterdir():
            if path.name == MANIFEST_NAME or path.name.startswith("."):
                continue
            assert path.read_bytes() == expected[path.suffix[1:]], path.name
        before = {
            f.path: ((out / f.path).stat().st_ino, (out / f.path).stat().st_mtime_ns)
            for r in done.values()
            for f in r.files
        }

        api.latency = 0.0
        seen = len(api.requests)
        rerun = subprocess.run([*command, "--json"], env=env, capture_output=True, timeout=60)
        fetched = [r.path.rsplit("/", 1)[-1] for r in api.requests[seen:]]

    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert (report["skipped"], report["written"]) == (len(done), 120 - len(done))
    assert sorted(fetched) == sorted(set(ids) - set(done))
    after = {p: ((out / p).stat().st_ino, (out / p).stat().st_mtime_ns) for p in before}
    assert after == before
    assert not list(out.glob(".*"))
    final = records(out)
    assert len(final) == 120
    assert {r.task_id for r in final} == set(ids)
    assert {r.status for r in final} <= {"written", "skipped"}
    assert len(list(out.glob("*.srt"))) == len(list(out.glob("*.vtt"))) == 120


def test_bad_base_url_is_a_usage_error(tmp_path: Path) -> None:
    """A malformed --base-url is reported as a usage error, without a traceback."""
    result = CliRunner().invoke(
        main,
        ["export", "x", "-o", str(tmp_path), "--base-url", "not a url"],
        env={"GCORE_API_KEY": "k"},
    )
    assert result.exit_code == 2
    assert "base URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_crlf_bom_and_writer_options(api: FakeGcoreAPI, tmp_path: Path) -> None:
    """--crlf, --bom and -O reach the files; changing them makes a rerun rewrite the task."""
    code, _, err = invoke(api, IDS[0], "--to", "txt", "-o", str(tmp_path), "-O", "timestamps=true")
    assert code == 0, err
    plain = (tmp_path / f"{IDS[0]}.txt").read_bytes()
    assert b"\r\n" not in plain
    code, _, err = invoke(api, IDS[0], "--to", "txt", "-o", str(tmp_path), "--crlf", "--bom")
    assert code == 0, err
    assert "1 written" in err
    data = (tmp_path / f"{IDS[0]}.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
