"""
``gcore-captions preview`` as a user runs it: inputs, output, errors, exit
codes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions.cli import main
from gcore_captions.testing import FakeGcoreAPI, make_task

ROOT = Path(__file__).resolve().parents[1]
TASK = ROOT / "samples" / "fungi-in-a-forest.json"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello there.\n"


def run(
    *args: str, input: bytes | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """
    Run the command from an empty folder (for default output names).
    """
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def test_saved_task_to_default_output(in_tmp: Path) -> None:
    """
    A saved task becomes <stem>.html in the current folder, headed by its
    task id, playing the task's own media URL.
    """
    code, _out, err = run("preview", str(TASK))
    assert (code, err) == (0, "")
    page = (in_tmp / "fungi-in-a-forest.html").read_text(encoding="utf-8")
    assert "<h1>Task " in page
    assert "<video" in page
    assert [p.name for p in in_tmp.iterdir()] == ["fungi-in-a-forest.html"]


def test_caption_file_with_local_video(tmp_path: Path) -> None:
    """
    A caption file plays the --video file (as a file:// URL) and is headed
    by its file name; -o names the page.
    """
    captions = tmp_path / "episode.vtt"
    captions.write_text(VTT, encoding="utf-8")
    clip = tmp_path / "episode.mp4"
    clip.write_bytes(b"not really a video")
    target = tmp_path / "out" / "review.html"
    code, _, err = run("preview", str(captions), "--video", str(clip), "-o", str(target))
    assert (code, err) == (0, "")
    page = target.read_text(encoding="utf-8")
    assert f'src="{clip.resolve().as_uri()}"' in page
    assert "<h1>episode.vtt</h1>" in page


def test_task_id_is_fetched(in_tmp: Path) -> None:
    """
    A task id is fetched from the API (--api-key, --base-url); the page goes
    to <task_id>.html by default, or to stdout with -o -.
    """
    task = make_task("6f1c2a9e-3b7d-4e52-9a61-0c84d2f7b135")
    with FakeGcoreAPI(tasks=[task]) as api:
        auth = ["--api-key", api.api_key or "", "--base-url", api.base_url]
        code, _, err = run("preview", task["task_id"], *auth)
        assert (code, err) == (0, "")
        code, out, err = run("preview", task["task_id"], *auth, "-o", "-", "--preset", "bbc")
    assert (code, err) == (0, "")
    saved = (in_tmp / f"{task['task_id']}.html").read_text(encoding="utf-8")
    assert f"<h1>Task {task['task_id']}</h1>" in saved
    assert out.startswith("<!doctype html>")
    assert "the <strong>bbc" in out


def test_stdin_and_title(in_tmp: Path) -> None:
    """
    '-' reads the captions from stdin; --title sets the heading; the
    default output is preview.html.
    """
    code, _, err = run("preview", "-", "--title", "Review <1>", input=VTT.encode())
    assert (code, err) == (0, "")
    assert "<h1>Review &lt;1&gt;</h1>" in (in_tmp / "preview.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--preset", "nope"], "--preset"),
        (["--video", "javascript:alert(1)"], "--video"),
    ],
)
def test_usage_errors_exit_2(args: list[str], hint: str) -> None:
    """
    A bad preset or media URL is a usage error (exit 2) naming the option.
    """
    code, _, err = run("preview", str(TASK), *args)
    assert code == 2
    assert hint in err


@pytest.mark.parametrize("video", ["missing.mp4", "file:///nowhere/missing.mp4", "."])
def test_video_that_is_not_a_file_is_a_usage_error(in_tmp: Path, video: str) -> None:
    """
    --video naming a file that does not exist (or a folder) is a usage error:
    exit 2, one line naming --video, no page written.
    """
    code, _, err = run("preview", str(TASK), "--video", video, "-o", "page.html")
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("gcore-captions: error: Invalid value for --video: ")
    assert video in err
    assert not (in_tmp / "page.html").exists()


def test_video_url_need_not_exist_locally(in_tmp: Path) -> None:
    """An http(s) --video is taken as given (it is fetched by the browser)."""
    url = "https://media.example.com/clips/episode.mp4"
    code, _, err = run("preview", str(TASK), "--video", url, "-o", "page.html")
    assert (code, err) == (0, "")
    assert f'src="{url}"' in (in_tmp / "page.html").read_text(encoding="utf-8")


def test_failures_are_one_line_and_exit_1(tmp_path: Path) -> None:
    """
    A missing file, an unfinished task and an unreadable file each give one
    error line and exit 1, and no page is written.
    """
    code, _, err = run("preview", str(tmp_path / "missing.vtt"), "-o", str(tmp_path / "a.html"))
    assert code == 1
    assert err.count("\n") == 1
    assert "missing.vtt" in err

    pending = make_task("t-pending", status="PENDING")
    with FakeGcoreAPI(tasks=[pending]) as api:
        code, _, err = run(
            "preview",
            "t-pending",
            "--api-key",
            api.api_key or "",
            "--base-url",
            api.base_url,
            "-o",
            str(tmp_path / "b.html"),
        )
    assert code == 1
    assert err.startswith("gcore-captions: error:")
    assert err.count("\n") == 1

    broken = tmp_path / "broken.srt"
    broken.write_text("1\nnot a time\nhello\n", encoding="utf-8")
    code, _, err = run("preview", str(broken), "-o", str(tmp_path / "c.html"))
    assert code == 1
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.srt"]


def test_runs_as_a_module(tmp_path: Path) -> None:
    """
    ``python -m gcore_captions preview`` works from this worktree's code
    and lists itself in the help.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    target = tmp_path / "page.html"
    done = subprocess.run(
        [sys.executable, "-m", "gcore_captions", "preview", str(TASK), "-o", str(target)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    listing = subprocess.run(
        [sys.executable, "-m", "gcore_captions", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "preview" in listing.stdout
