"""
An internal error (a bug) in any command is one line on stderr and exit 70,
never a traceback; ``--debug`` and ``GCORE_CAPTIONS_DEBUG=1`` show it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions.cli import main
from gcore_captions.cli._common import EXIT_INTERNAL

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fungi-in-a-forest.json"


def _break_rendering(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """Make the write path fail as an unexpected bug would."""
    from gcore_captions.output import write

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError(message)

    monkeypatch.setattr(write, "render_outputs", boom)


def test_internal_error_is_one_line_exit_70(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _break_rendering(monkeypatch, "division by zero")
    monkeypatch.delenv("GCORE_CAPTIONS_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["convert", str(SAMPLE), "--to", "srt", "-o", str(tmp_path)])
    assert result.exit_code == EXIT_INTERNAL == 70
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        "gcore-captions: error: internal error (ZeroDivisionError: division by zero);"
        " this is a bug in gcore-captions."
    )
    assert "--debug" in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []


def test_internal_error_line_hides_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GCORE_API_KEY", "sekrit-key-123")
    _break_rendering(monkeypatch, "bad thing near SEKRIT-KEY-123 " + "x" * 500)
    result = CliRunner().invoke(main, ["convert", str(SAMPLE), "--to", "srt", "-o", str(tmp_path)])
    assert result.exit_code == 70
    assert "sekrit-key-123" not in result.stderr.lower()
    assert "<redacted>" in result.stderr
    assert len(result.stderr) < 400


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str
) -> None:
    _break_rendering(monkeypatch, "division by zero")
    args = ["convert", str(SAMPLE), "--to", "srt", "-o", str(tmp_path)]
    if how == "flag":
        args = ["--debug", *args]
        monkeypatch.delenv("GCORE_CAPTIONS_DEBUG", raising=False)
    else:
        monkeypatch.setenv("GCORE_CAPTIONS_DEBUG", "1")
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, ZeroDivisionError)


def test_expected_errors_keep_their_codes(tmp_path: Path) -> None:
    """Our own errors are still exit 1 and usage errors exit 2, not 70."""
    missing = tmp_path / "missing.srt"
    result = CliRunner().invoke(main, ["convert", str(missing), "--to", "vtt", "-o", "-"])
    assert result.exit_code == 1
    result = CliRunner().invoke(main, ["convert", str(SAMPLE), "--to", "nope"])
    assert result.exit_code == 2


def test_closed_stdout_pipe_is_not_an_internal_error() -> None:
    """``convert ... -o - | head -c1``: no traceback and no internal-error line."""
    command = [
        sys.executable,
        "-m",
        "gcore_captions",
        "convert",
        str(SAMPLE),
        "--to",
        "txt,srt,vtt",
    ]
    command += ["-o", "-"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        process.stdout.read(1)
        process.stdout.close()
        assert process.stderr is not None
        stderr = process.stderr.read().decode()
        process.wait(timeout=30)
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
