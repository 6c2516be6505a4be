"""
Ctrl-C, as a user presses it: a real SIGINT to ``python -m gcore_captions``
while the command waits (on a stalled fake API, or on a FIFO nobody writes),
then exit 130 and one line on stderr, never a traceback, in every command.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gcore_captions.batch import (
    MANIFEST_NAME,
    ExportInterrupted,
    ExportOptions,
    ExportReport,
    aexport_many,
)
from gcore_captions.testing import FakeGcoreAPI, make_task, make_tasks

ROOT = Path(__file__).resolve().parents[1]
INTERRUPTED = "gcore-captions: error: interrupted"
TASKS = make_tasks(60)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT and FIFOs are POSIX")


def interrupt(
    args: list[str], env: dict[str, str], ready: Callable[[], bool], cwd: Path
) -> tuple[int, str, str]:
    """
    Run the CLI, wait until ``ready()`` says it is inside the command, send
    SIGINT, and return its exit code, stdout and stderr.
    """
    command = [sys.executable, "-m", "gcore_captions", *args]
    env = {**env, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while not ready():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the command never got going"
            time.sleep(0.01)
        # Let the command get past the call that made it ready (a FIFO's
        # open returning) and block where a user would press Ctrl-C.
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out.decode(), err.decode()


@pytest.fixture
def stalled() -> Iterator[FakeGcoreAPI]:
    """A fake API that takes a minute to answer anything."""
    with FakeGcoreAPI([make_task("running", status="STARTED")], latency=60) as api:
        yield api


@pytest.mark.parametrize(
    "args",
    [
        ["wait", "running"],
        ["fetch", "running", "--wait"],
        ["fetch", "running"],
        ["list"],
        ["preview", "running", "-o", "page.html"],
        ["export", "running", "-o", "out"],
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_ctrl_c_while_the_api_stalls(
    stalled: FakeGcoreAPI, tmp_path: Path, args: list[str]
) -> None:
    """Ctrl-C during a request that does not answer: exit 130, one line, no traceback."""
    env = {**os.environ, **stalled.env}
    code, _, err = interrupt(args, env, lambda: bool(stalled.requests), tmp_path)
    assert code == 130, err
    assert err.splitlines()[0].startswith(INTERRUPTED)
    assert len(err.splitlines()) == 1, err


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], bool]]]:
    """
    ``in.srt``, a FIFO: reading it blocks until a writer comes, and the
    writer's open succeeds once the command has opened it for reading.
    """
    path = tmp_path / "in.srt"
    os.mkfifo(path)
    writer: list[int] = []

    def reader_is_there() -> bool:
        try:
            writer.append(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError as error:
            if error.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
            return False
        return True

    yield path, reader_is_there
    for fd in writer:
        os.close(fd)


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "in.srt", "--to", "vtt", "-o", "out"],
        ["check", "in.srt"],
        ["preview", "in.srt", "-o", "page.html"],
    ],
    ids=lambda args: args[0],
)
def test_ctrl_c_while_reading_an_input(
    fifo: tuple[Path, Callable[[], bool]], tmp_path: Path, args: list[str]
) -> None:
    """Ctrl-C while a command reads a file that never ends: exit 130, one line."""
    code, out, err = interrupt(args, dict(os.environ), fifo[1], tmp_path)
    assert code == 130, err
    assert err == INTERRUPTED + "\n"
    assert out == ""
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "page.html").exists()


def test_ctrl_c_during_export_prints_the_partial_json_report(tmp_path: Path) -> None:
    """
    An export stopped by Ctrl-C still prints its --json report: what was done
    so far, marked interrupted; stderr has the one line saying how to resume.
    """
    out = tmp_path / "out"
    ids = [task["task_id"] for task in TASKS]
    args = ["export", *ids, "-o", str(out), "--concurrency", "2", "--json"]
    manifest = out / MANIFEST_NAME

    def some_done() -> bool:
        return manifest.exists() and manifest.read_bytes().count(b"\n") >= 5

    with FakeGcoreAPI(TASKS, latency=0.05) as api:
        code, stdout, err = interrupt(args, {**os.environ, **api.env}, some_done, tmp_path)
    assert code == 130, err
    assert err.splitlines() == [
        f"{INTERRUPTED}; run the same command again to continue where it stopped"
    ]
    report = json.loads(stdout)
    assert report["interrupted"] is True
    assert report["ok"] is False
    assert 1 <= report["written"] < len(ids)
    assert report["total"] == report["written"]
    assert len(list(out.glob("*.srt"))) >= report["written"]


def test_cancelled_aexport_many_hands_back_the_report(tmp_path: Path) -> None:
    """A cancelled aexport_many re-raises CancelledError with the report so far attached."""
    seen: list[int] = []

    async def go() -> BaseException:
        with FakeGcoreAPI(TASKS, latency=0.02) as api:
            export = asyncio.ensure_future(
                aexport_many(
                    [t["task_id"] for t in TASKS],
                    tmp_path,
                    options=ExportOptions(concurrency=2),
                    api_key=api.api_key,
                    base_url=api.base_url,
                    on_progress=lambda p: seen.append(p.done),
                )
            )
            while len(seen) < 3:
                await asyncio.sleep(0.01)
            export.cancel()
            try:
                await export
            except asyncio.CancelledError as stop:
                return stop
        raise AssertionError("the export was not cancelled")

    stop = asyncio.run(go())
    report = getattr(stop, "report", None)
    assert isinstance(report, ExportReport)
    assert report.interrupted
    assert not report.ok
    assert 3 <= report.written < len(TASKS)
    assert report.summary().endswith("(interrupted)")
    # The manifest was closed properly: a rerun resumes.
    assert len((tmp_path / MANIFEST_NAME).read_bytes().splitlines()) >= report.written


def test_export_interrupted_is_a_picklable_keyboard_interrupt(tmp_path: Path) -> None:
    """ExportInterrupted is a KeyboardInterrupt (so ^C handlers see it) and pickles."""
    report = ExportReport(output_dir=str(tmp_path), manifest="m", written=2, interrupted=True)
    error = pickle.loads(pickle.dumps(ExportInterrupted(report)))
    assert isinstance(error, KeyboardInterrupt)
    assert error.report == report
    assert "run the same command again" in str(error)
