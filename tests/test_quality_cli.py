"""
``gcore-captions check``: tables, JSON, verbose listing and exit codes.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gcore_captions.cli import main
from gcore_captions.cli._quality import parse_limits, reflow_options
from gcore_captions.cli._writer_options import output_spec
from gcore_captions.cli.check import render_rich
from gcore_captions.model import Cue, Transcript
from gcore_captions.output import apply_spec
from gcore_captions.quality import check

SRC = Path(__file__).resolve().parent.parent / "src"

CLEAN = (
    "1\n00:00:00,000 --> 00:00:02,000\nGood morning.\n\n"
    "2\n00:00:02,084 --> 00:00:04,500\nWelcome.\n"
)
BAD = (
    "1\n00:00:00,000 --> 00:00:00,500\n"
    "This line is much longer than forty-two characters, really.\n\n"
    "2\n00:00:00,400 --> 00:00:02,000\nOverlap.\n"
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    clean = tmp_path / "clean.srt"
    clean.write_text(CLEAN, encoding="utf-8")
    bad = tmp_path / "bad.srt"
    bad.write_text(BAD, encoding="utf-8")
    return {"clean": str(clean), "bad": str(bad)}


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_clean_file_exits_zero(files: dict[str, str]) -> None:
    """No violations: a one-line summary and exit 0."""
    code, out, _ = run(files["clean"])
    assert code == 0
    assert "2 cues, 2 pass (100.0%), 0 violations [netflix]" in out


def test_violations_exit_one_with_a_table(files: dict[str, str]) -> None:
    """Violations: a table of rule, count and limit, and exit 1 like a linter."""
    code, out, _ = run(files["bad"])
    assert code == 1
    assert "rule" in out
    assert "count" in out
    assert "max-chars" in out
    assert "42 chars" in out
    assert "overlap" in out
    assert "bad.srt:1:" not in out  # the full list only with --verbose


def test_verbose_lists_every_violation(files: dict[str, str]) -> None:
    """--verbose adds one `INPUT:CUE: rule: message` line per violation."""
    code, out, _ = run(files["bad"], "--verbose")
    assert code == 1
    assert f"{files['bad']}:1: max-chars: line 1:" in out
    assert f"{files['bad']}:1: overlap:" in out


def test_json_report(files: dict[str, str]) -> None:
    """--json prints one document with every file's report."""
    code, out, _ = run(files["clean"], files["bad"], "--json")
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1
    assert data["preset"] == "netflix"
    assert data["ok"] is False
    assert [f["ok"] for f in data["files"]] == [True, False]
    assert data["files"][1]["counts"]["overlap"]["count"] == 1


def test_preset_language_and_limits(files: dict[str, str]) -> None:
    """--preset, --language and --limit change what is checked."""
    code, out, _ = run(files["bad"], "--preset", "none")
    assert code == 0
    code, out, _ = run(files["bad"], "--limit", "max_chars=80", "--limit", "max-cps=off", "--json")
    counts = json.loads(out)["files"][0]["counts"]
    assert "max-chars" not in counts
    assert "max-cps" not in counts
    code, out, _ = run(files["clean"], "--language", "jpn", "--json")
    assert json.loads(out)["files"][0]["language"] == "jpn"


def test_usage_errors_exit_two(files: dict[str, str]) -> None:
    """Unknown presets, limits or values are usage errors (exit 2), one line, no traceback."""
    for args in (
        ["--preset", "youtube"],
        ["--limit", "max_chairs=3"],
        ["--limit", "max_chars=many"],
        ["--limit", "max_chars"],
        ["--language", "x1"],
    ):
        code, _, err = run(files["clean"], *args)
        assert code == 2, args
        assert "Traceback" not in err


def test_unreadable_input_is_one_line_and_the_rest_is_checked(
    files: dict[str, str], tmp_path: Path
) -> None:
    """A missing or broken file is reported on one line; other inputs are still checked."""
    broken = tmp_path / "broken.srt"
    broken.write_text("1\nnot a time\nhello\n", encoding="utf-8")
    code, out, err = run(str(tmp_path / "missing.srt"), files["clean"])
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("gcore-captions: error: ")
    assert "clean.srt: 2 cues" in out
    code, out, _ = run(str(tmp_path / "missing.srt"), "--json")
    assert "error" in json.loads(out)["files"][0]


def test_stdin(files: dict[str, str]) -> None:
    """'-' reads the input from stdin."""
    code, out, _ = run("-", "--from", "srt", stdin=CLEAN)
    assert code == 0
    assert "-: 2 cues" in out


def test_rich_table_on_a_terminal() -> None:
    """On a terminal the summary is a rich table; markup in file names is not interpreted."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=False)
    report = check(Transcript((Cue(0, 500, "x" * 50),)), "netflix")
    render_rich("[bold]odd.srt", report, True, console=console)
    text = buffer.getvalue()
    assert "[bold]odd.srt: 1 cue, 0 pass" in text
    assert "max-chars" in text
    assert "[bold]odd.srt:1: max-chars" in text


def test_reflow_options_for_writing_commands() -> None:
    """The shared decorator adds --reflow/--fix-only/--limit; the spec runs the passes."""

    @click.command()
    @reflow_options
    def demo(reflow: str | None, fix_only: str | None, limits: tuple[str, ...]) -> None:
        transcript = Transcript(
            (Cue(0, 3000, "Good morning, and welcome to the quarterly product update."),),
            language="eng",
        )
        spec = output_spec("srt", reflow=reflow, fix_only=fix_only, limits=limits)
        result = apply_spec(transcript, spec)
        click.echo(" / ".join(cue.text.replace("\n", "|") for cue in result.cues))

    runner = CliRunner()
    assert runner.invoke(demo, []).stdout.strip().count("|") == 0
    out = runner.invoke(demo, ["--reflow", "netflix"]).stdout
    assert out.strip() == "Good morning, and welcome|to the quarterly product update."
    out = runner.invoke(demo, ["--fix-only", "overlaps"]).stdout
    assert "|" not in out
    out = runner.invoke(demo, ["--reflow", "bbc", "--limit", "max_chars=20"]).stdout
    assert " / " in out  # split into cues of at most two 20-character lines
    assert all(len(line) <= 20 for line in out.strip().replace(" / ", "|").split("|"))
    assert runner.invoke(demo, ["--reflow", "youtube"]).exit_code == 2
    assert runner.invoke(demo, ["--fix-only", "overlap"]).exit_code == 2
    assert runner.invoke(demo, ["--limit", "max_chars=20"]).exit_code == 2
    assert parse_limits(("max-cps=off", "frame_rate=25")) == {"max_cps": None, "frame_rate": 25}


def test_subprocess_entry_point(files: dict[str, str]) -> None:
    """The installed entry point runs check and sets the exit code."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-m", "gcore_captions", "check", files["bad"]],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "max-chars" in result.stdout


def test_the_spec_records_preset_limits_and_passes() -> None:
    """--reflow, --limit and --fix-only land in the spec (and so in its fingerprint)."""
    assert output_spec("srt").preset is None
    spec = output_spec("srt", reflow="bbc", fix_only="overlaps,reflow", limits=("max_chars=30",))
    assert spec.preset is not None
    assert (spec.preset.name, spec.preset.max_chars) == ("bbc", 30)
    assert spec.passes == ("overlaps", "reflow")
    assert spec.to_dict()["preset"]["max_chars"] == 30
    transcript = Transcript((Cue(0, 3000, "one two three four five six seven eight nine ten"),))
    assert apply_spec(transcript, spec).cues[0].text.count("\n") == 1
