"""
The README tells the truth: its commands exist, its examples run.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gcore_captions.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_and_a_readme_section(name: str) -> None:
    """Each CLI command has help text and appears in the README."""
    command = main.commands[name]
    assert (command.help or "").strip()
    assert f"gcore-captions {name} " in README


def test_first_command_uses_a_bundled_sample() -> None:
    """The README's first command converts a sample that exists, into all five formats."""
    first = README.split("```sh\n", 1)[1].splitlines()[0]
    sample = re.search(r"samples/\S+", first)
    assert sample is not None
    assert (ROOT / sample.group(0)).is_file()
    assert "--to srt,vtt,ass,txt,json" in first
    assert "python3 -m pytest -q" in README.split("```sh\n", 1)[1].splitlines()[1]


def test_quick_start_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first Python example converts the sample and saves a WebVTT file."""
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(python_blocks()[0], namespace)
    assert (tmp_path / "out" / "fungi.vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def test_testing_example_runs() -> None:
    """The 'testing your own code' example works against the real fake server."""
    block = next(b for b in python_blocks() if "FakeGcoreAPI" in b)
    namespace: dict[str, Any] = {}
    exec(block.replace("@pytest.fixture\n", ""), namespace)
    fixture = namespace["gcore_api"]()
    api = next(fixture)
    try:
        namespace["test_my_export"](api)
    finally:
        fixture.close()


def console_examples() -> list[tuple[str, str]]:
    """Each ``$ gcore-captions ...`` line of a console block, with the output shown under it."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, shown = chunk.partition("\n")
            examples.append((command, shown))
    return examples


@pytest.mark.parametrize(("command", "shown"), console_examples())
def test_error_examples_print_what_the_readme_shows(
    command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's example error output is exactly what the CLI prints (one line, no traceback)."""
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)
    assert args[0] == "gcore-captions"
    result = CliRunner().invoke(main, args[1:], prog_name="gcore-captions")
    assert result.exit_code in (1, 2)
    assert result.stderr == shown


def test_readme_has_error_examples() -> None:
    """There are error examples to check (the block was not renamed away)."""
    assert len(console_examples()) >= 2
