"""
Usage errors look the same in every command: one line on stderr naming the
problem and where help is, exit 2, no traceback.
"""

from __future__ import annotations

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
