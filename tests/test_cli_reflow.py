"""
``--reflow``, ``--fix-only`` and ``--limit`` on every command that writes
captions: convert, fetch and export apply the quality passes before writing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import srt
from click.testing import CliRunner

from gcore_captions.cli import main
from gcore_captions.testing import FakeGcoreAPI, make_task

LONG = (
    "This sentence is far too long to fit on a single caption line, so a guideline"
    " preset has to break it into balanced lines."
)
TASK = make_task("long-1", cues=[(1_000, 7_000, LONG), (7_000, 7_050, "Short.")])


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def longest_line(srt_text: str) -> int:
    return max(len(line) for cue in srt.parse(srt_text) for line in cue.content.split("\n"))


@pytest.fixture
def task_file(tmp_path: Path) -> Path:
    path = tmp_path / "long.json"
    path.write_text(json.dumps(TASK), encoding="utf-8")
    return path


def test_convert_without_reflow_keeps_the_text_as_is(task_file: Path) -> None:
    """Without --reflow nothing is changed: the long cue stays one line."""
    code, out, _ = invoke("convert", str(task_file), "--to", "srt", "-o", "-")
    assert code == 0
    assert longest_line(out) == len(LONG)


def test_convert_reflow_applies_the_preset(task_file: Path) -> None:
    """--reflow netflix lays lines out to 42 characters and stretches short cues."""
    code, out, err = invoke(
        "convert", str(task_file), "--to", "srt", "-o", "-", "--reflow", "netflix"
    )
    assert code == 0, err
    assert longest_line(out) <= 42
    words = " ".join(c.content.replace("\n", " ") for c in srt.parse(out)).split()
    assert words == (LONG + " Short.").split()
    last = list(srt.parse(out))[-1]
    assert (last.end - last.start).total_seconds() >= 0.8


def test_convert_limit_overrides_the_preset(task_file: Path) -> None:
    """--limit max_chars=30 narrows the lines beyond the preset."""
    code, out, err = invoke(
        "convert",
        str(task_file),
        "--to",
        "srt",
        "-o",
        "-",
        "--reflow",
        "bbc",
        "--limit",
        "max_chars=30",
    )
    assert code == 0, err
    assert longest_line(out) <= 30


def test_convert_fix_only_runs_only_those_passes(task_file: Path) -> None:
    """--fix-only min-duration changes timing but leaves the lines alone."""
    code, out, err = invoke(
        "convert", str(task_file), "--to", "srt", "-o", "-", "--fix-only", "min-duration"
    )
    assert code == 0, err
    assert longest_line(out) == len(LONG)
    last = list(srt.parse(out))[-1]
    assert (last.end - last.start).total_seconds() >= 0.8


@pytest.mark.parametrize(
    "args",
    [
        ["--reflow", "youtube"],
        ["--fix-only", "nonsense"],
        ["--limit", "max_chars=30"],
        ["--reflow", "netflix", "--limit", "max_chars=lots"],
    ],
)
def test_bad_reflow_options_are_usage_errors(task_file: Path, args: list[str]) -> None:
    """Unknown presets or passes, and --limit without a preset, exit 2."""
    code, _, err = invoke("convert", str(task_file), "--to", "srt", "-o", "-", *args)
    assert code == 2
    assert err.strip()


def test_fetch_and_export_reflow(tmp_path: Path) -> None:
    """fetch and export write reflowed captions; export redoes a task when the preset changes."""
    with FakeGcoreAPI([TASK]) as api:
        code, out, err = invoke("fetch", "long-1", "--reflow", "netflix", env=api.env)
        assert code == 0, err
        assert longest_line(out) <= 42

        out_dir = tmp_path / "out"
        code, _, err = invoke(
            "export", "long-1", "-o", str(out_dir), "--reflow", "dcmp", env=api.env
        )
        assert code == 0, err
        dcmp = (out_dir / "long-1.srt").read_text(encoding="utf-8")
        assert longest_line(dcmp) <= 32

        code, out, err = invoke(
            "export", "long-1", "-o", str(out_dir), "--reflow", "netflix", "--json", env=api.env
        )
        assert code == 0, err
        assert json.loads(out)["written"] == 1
        netflix = (out_dir / "long-1.srt").read_text(encoding="utf-8")
        assert netflix != dcmp
        assert longest_line(netflix) <= 42
