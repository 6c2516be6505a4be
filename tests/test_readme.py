"""
The README tells the truth: its commands exist, its examples run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

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
