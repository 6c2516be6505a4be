"""
Attempts to break the I/O promises of issue 10 (the key, the output
folder, the batch export) as a hostile user or server would; each test
here failed before its fix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gcore_captions.gcore._secrets import REDACTED, Scrubber
from gcore_captions.testing import FakeGcoreAPI, make_task

KEY = "81234$9f8e7d6c5b4a/3f2e1d0c"
SECRET_PARTS = ("9f8e7d6c5b4a", "3f2e1d0c")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def leaks(text: str) -> bool:
    """Whether ``text`` holds the key's secret part."""
    lowered = text.lower()
    return any(part in lowered for part in SECRET_PARTS)


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, with this tree first on the path."""
    full_env = {**os.environ, **env, "PYTHONPATH": SRC}
    full_env.pop("GCORE_CAPTIONS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "gcore_captions", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
    )


# Escapes real encoders write for the key's "$" and "/" (HTML numeric
# entities, JSON \u escapes, a backslash before "/"), alone or mixed.
ESCAPED_ECHOES = [
    KEY.replace("$", "&#36;"),
    KEY.replace("$", "&#x24;").replace("/", "&#x2F;"),
    KEY.replace("$", "&#0036").replace("/", "&#47;"),
    KEY.replace("$", "\\u0024"),
    KEY.replace("$", "\\u0024").replace("/", "\\u002f"),
    KEY.replace("$", "%24").replace("/", "\\/"),
    KEY.replace("$", "%2524").replace("/", "&#x2f;"),
    "APIKey&#32;" + KEY.replace("$", "&#36;"),
    "APIKey\\u0020" + KEY.replace("/", "\\u002F"),
]


@pytest.mark.parametrize("echo", ESCAPED_ECHOES)
def test_the_scrubber_finds_html_and_json_escapes_of_the_key(echo: str) -> None:
    """Each special character of the key may come back in any escape, mixed."""
    cleaned = Scrubber(KEY)(f"error: bad header {echo}; retry")
    assert not leaks(cleaned), cleaned
    assert cleaned.startswith("error: bad header ")
    assert cleaned.endswith("; retry")
    assert REDACTED in cleaned


def test_the_scrubber_handles_every_kind_of_character() -> None:
    """Named entities, non-ASCII (UTF-8 percent bytes, JSON surrogate pairs), spaces."""
    key = "a&b<c>\"d'e\u20acf\U0001f600g h-123456"
    scrub = Scrubber(key)
    echoes = [
        key,
        "a&amp;b&lt;c&gt;&quot;d&#x27;e\u20acf\U0001f600g h-123456",
        json.dumps(key)[1:-1],
        "a%26b%3Cc%3E%22d%27e%E2%82%ACf%F0%9F%98%80g+h-123456",
        "a%2526b%253Cc%253E%2522d%2527e%25E2%2582%25ACf%25F0%259F%2598%2580g%2520h-123456",
    ]
    for echo in echoes:
        assert scrub(f"[{echo}]") == f"[{REDACTED}]", echo
    assert scrub("a&b and 123456 alone") == "a&b and 123456 alone"


@pytest.mark.parametrize("echo", ESCAPED_ECHOES[:4])
def test_cli_stderr_and_json_never_show_an_escaped_key(echo: str, tmp_path: Path) -> None:
    """A failed task whose error text holds an escaped key: fetch and export."""
    task = make_task("leaky", status="FAILURE", error=f"proxy said: {echo}")
    with FakeGcoreAPI(tasks=[task], api_key=KEY) as api:
        env = {"GCORE_API_KEY": KEY, "GCORE_BASE_URL": api.base_url}
        fetched = run_cli("fetch", "leaky", "--to", "srt", env=env)
        exported = run_cli("export", "leaky", "-o", str(tmp_path / "out"), "--json", env=env)
    assert fetched.returncode == 1
    assert exported.returncode == 1
    for text in (fetched.stderr, exported.stdout, exported.stderr):
        assert "Traceback" not in text
        assert not leaks(text), text
    assert "proxy said" in fetched.stderr
    manifest = (tmp_path / "out" / "manifest.jsonl").read_text(encoding="utf-8")
    assert "proxy said" in manifest
    assert not leaks(manifest)


def test_internal_error_line_hides_a_key_given_with_the_option(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The key of --api-key (not in the environment) is scrubbed from the line too."""
    from click.testing import CliRunner

    from gcore_captions.cli import fetch, main

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError(f"bad thing near APIKey {KEY}")

    monkeypatch.setattr(fetch, "render_outputs", boom)
    monkeypatch.delenv("GCORE_API_KEY", raising=False)
    monkeypatch.delenv("GCORE_CAPTIONS_DEBUG", raising=False)
    task = make_task("t-1")
    with FakeGcoreAPI(tasks=[task], api_key=KEY) as api:
        args = ["fetch", "t-1", "--to", "srt", "--api-key", KEY, "--base-url", api.base_url]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 70
    assert "bad thing near" in result.stderr
    assert not leaks(result.stderr), result.stderr
    assert REDACTED in result.stderr


KILL_AT_SECOND_RENAME = """
import os, runpy, sys
real = os.replace
calls = []
def replace(*args, **kwargs):
    real(*args, **kwargs)
    calls.append(args)
    if len(calls) == 1:
        os._exit(9)  # killed between two renames of one task's files
os.replace = replace
sys.argv = ["gcore-captions", *sys.argv[1:]]
runpy.run_module("gcore_captions", run_name="__main__")
"""


def test_a_kill_between_renames_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    """
    Killed after one of a task's three files is renamed into place: that
    file is new, the others old; the task has no manifest line, so the
    rerun rewrites all three (what docs/batch.md says of this window).
    """
    old = make_task("t-1", cues=[(0, 1000, "old words")])
    new = make_task("t-1", cues=[(0, 1000, "new words")])
    out = tmp_path / "out"
    with FakeGcoreAPI(tasks=[old], api_key=KEY) as api:
        env = {"GCORE_API_KEY": KEY, "GCORE_BASE_URL": api.base_url}
        first = run_cli("export", "t-1", "--to", "srt,vtt,txt", "-o", str(out), env=env)
    assert first.returncode == 0, first.stderr
    with FakeGcoreAPI(tasks=[new], api_key=KEY) as api:
        env = {"GCORE_API_KEY": KEY, "GCORE_BASE_URL": api.base_url, "PYTHONPATH": SRC}
        args = ["export", "t-1", "--to", "srt,vtt,txt", "-o", str(out), "--force"]
        killed = subprocess.run(
            [sys.executable, "-c", KILL_AT_SECOND_RENAME, *args],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=60,
            check=False,
        )
        assert killed.returncode == 9, killed.stderr
        texts = [(out / f"t-1.{ext}").read_text(encoding="utf-8") for ext in ("srt", "vtt", "txt")]
        assert ["new words" in text for text in texts] == [True, False, False]
        left = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        assert len(left) == 2  # the two files not yet renamed
        rerun = run_cli("export", "t-1", "--to", "srt,vtt,txt", "-o", str(out), env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert "1 written" in rerun.stderr
    for ext in ("srt", "vtt", "txt"):
        assert "new words" in (out / f"t-1.{ext}").read_text(encoding="utf-8")
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_mid_line_leaves_the_manifest_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC after part of a line: the part is cut off, later lines stay readable."""
    import errno

    from gcore_captions.batch import manifest as manifest_module
    from gcore_captions.batch.manifest import MANIFEST_NAME, Manifest
    from gcore_captions.batch.records import TaskRecord

    manifest = Manifest.open(tmp_path)
    manifest.append(TaskRecord(task_id="a", status="failed", error="first"))
    before = (tmp_path / MANIFEST_NAME).read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 8:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(manifest_module.os, "write", half_then_full)
    with pytest.raises(OSError, match="No space"):
        manifest.append(TaskRecord(task_id="b", status="failed", error="x" * 100))
    monkeypatch.undo()
    assert (tmp_path / MANIFEST_NAME).read_bytes() == before
    manifest.append(TaskRecord(task_id="c", status="failed", error="third"))
    manifest.close()
    again = Manifest.open(tmp_path)
    try:
        assert again.notes == []
        assert [again.lookup(t) is not None for t in "abc"] == [True, False, True]
    finally:
        again.close()


def test_export_no_clobber_help_says_where_kept_files_are_noted(tmp_path: Path) -> None:
    """export notes a file it left alone in the manifest, not on stderr: its help says so."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "t-1.srt").write_text("mine\n", encoding="utf-8")
    with FakeGcoreAPI(tasks=[make_task("t-1")], api_key=KEY) as api:
        env = {"GCORE_API_KEY": KEY, "GCORE_BASE_URL": api.base_url}
        result = run_cli("export", "t-1", "-o", str(out), "-n", env=env)
        shown = run_cli("export", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert (out / "t-1.srt").read_text(encoding="utf-8") == "mine\n"
    record = json.loads((out / "manifest.jsonl").read_text(encoding="utf-8"))
    assert record["warnings"] == ["left alone (--no-clobber): t-1.srt"]
    assert "left alone" not in result.stderr
    assert "manifest.jsonl line" in " ".join(shown.stdout.split())


def test_a_name_with_a_drive_letter_is_refused_for_what_it_is() -> None:
    """'a:b.srt' is not absolute on POSIX: the message names the drive letter."""
    from gcore_captions.errors import ExportError
    from gcore_captions.output.naming import check_relative_path

    with pytest.raises(ExportError, match="drive letter"):
        check_relative_path("a:b.srt", what="task t-1")
    with pytest.raises(ExportError, match="it is absolute"):
        check_relative_path("/b.srt", what="task t-1")


def test_reading_a_manifest_is_linear_in_a_long_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    A long line (no newline for many reads) is read in linear time: the
    reader used to copy the growing line again after every read, which
    with short reads (``pread`` may return less than asked) took seconds.
    """
    import time

    from gcore_captions.batch import manifest as manifest_module

    lines = [b"a" * (6 << 20) + b"\n", b"b\n", b"c" * 5000 + b"\n", b"tail"]
    path = tmp_path / "manifest.jsonl"
    path.write_bytes(b"".join(lines))
    real_pread = os.pread

    def short_pread(fd: int, size: int, offset: int) -> bytes:
        return real_pread(fd, min(size, 512), offset)

    monkeypatch.setattr(manifest_module.os, "pread", short_pread)
    fd = os.open(path, os.O_RDONLY)
    try:
        started = time.perf_counter()
        got = list(manifest_module._lines(fd))
        elapsed = time.perf_counter() - started
    finally:
        os.close(fd)
    offsets = [0, len(lines[0]), len(lines[0]) + 2, len(lines[0]) + 2 + len(lines[2])]
    assert got == list(zip(offsets, lines, strict=True))
    assert elapsed < 3.0  # about 0.2 s; the copying reader took 5 s


DOUBLE_CTRL_C = """
import asyncio, gc, signal, sys
from gcore_captions.batch.report import ExportInterrupted, ExportReport
from gcore_captions.batch.runner import _run

report = ExportReport(output_dir="out", manifest="out/manifest.jsonl", interrupted=True)

async def export():
    signal.raise_signal(signal.SIGINT)  # the first Ctrl-C: asyncio cancels us
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        # The second Ctrl-C comes while we finish what was running.
        asyncio.get_running_loop().call_soon(signal.raise_signal, signal.SIGINT)
        try:
            await asyncio.sleep(30)
        finally:
            stop = asyncio.CancelledError()
            stop.report = report
            raise stop from None

try:
    _run(export())
except ExportInterrupted as stopped:
    print("report kept:", stopped.report is report)
gc.collect()
"""


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.run handles Ctrl-C from 3.11")
def test_a_second_ctrl_c_while_stopping_prints_no_traceback() -> None:
    """
    Ctrl-C twice in a row: the second arrives while the first is stopping
    the export; the report of what was done still comes out, and asyncio
    prints no "Task exception was never retrieved" traceback (it did, after
    the CLI's one line, about one time in ten).
    """
    run = subprocess.run(
        [sys.executable, "-c", DOUBLE_CTRL_C],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
        timeout=60,
        check=False,
    )
    assert run.stdout == "report kept: True\n", run.stderr
    assert "Traceback" not in run.stderr
    assert "never retrieved" not in run.stderr
