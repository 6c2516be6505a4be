"""
Usage errors look the same in every command: one line on stderr naming the
problem and where help is, exit 2, no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions.cli import main


@pytest.mark.parametrize("name", sorted(main.commands))
def test_unknown_option_is_one_line_exit_2(name: str) -> None:
    """An unknown option in any command: exit 2 and one line pointing at --help."""
    result = CliRunner().invoke(main, [name, "--no-such-option"], prog_name="gcore-captions")
    assert result.exit_code == 2
    # click may add a "Did you mean ...?" between the two.
    assert result.stderr.startswith("gcore-captions: error: No such option '--no-such-option'")
    assert result.stderr.endswith(f" (see 'gcore-captions {name} --help')\n")
    assert result.stderr.count("\n") == 1


def test_unknown_command_is_one_line_exit_2() -> None:
    """A command that does not exist: exit 2, one line."""
    result = CliRunner().invoke(main, ["nope"], prog_name="gcore-captions")
    assert result.exit_code == 2
    assert result.stderr == (
        "gcore-captions: error: No such command 'nope' (see 'gcore-captions --help')\n"
    )


def test_bare_group_still_shows_help() -> None:
    """No command at all still shows the help, not an error line."""
    result = CliRunner().invoke(main, [], prog_name="gcore-captions")
    assert "Commands:" in result.output
    assert "error:" not in result.output


@pytest.mark.parametrize("command", ["convert", "check", "preview"])
def test_reading_warnings_are_printed_by_every_reading_command(
    command: str, tmp_path: Path
) -> None:
    """A repair made while reading (here a stray text block) is one stderr line."""
    folder = tmp_path
    source = folder / "in.srt"
    source.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nA\n\nstray\n\n2\n00:00:03,000 --> 00:00:04,000\nB\n",
        encoding="utf-8",
    )
    args = {
        "convert": ["convert", str(source), "--to", "vtt", "-o", str(folder)],
        "check": ["check", str(source)],
        "preview": ["preview", str(source), "-o", str(folder / "p.html")],
    }[command]
    result = CliRunner().invoke(main, args)
    assert f"gcore-captions: warning: {source}: " in result.stderr
    assert "[stray-text]" in result.stderr
