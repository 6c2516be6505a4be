"""
``gcore-captions convert`` as a user runs it: files, stdin/stdout, errors, exit codes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import srt
from click.testing import CliRunner

from gcore_captions.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
FUNGI = SAMPLES / "fungi-in-a-forest.json"


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_converts_sample_to_all_five_formats(tmp_path: Path) -> None:
    """The README's first command: one sample task to every format."""
    code, _, err = run("convert", str(FUNGI), "--to", "srt,vtt,ass,txt,json", "-o", str(tmp_path))
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"fungi-in-a-forest.{e}" for e in ("ass", "json", "srt", "txt", "vtt")]
    cues = list(srt.parse((tmp_path / "fungi-in-a-forest.srt").read_text(encoding="utf-8")))
    assert len(cues) == 2
    aligned = json.loads((tmp_path / "fungi-in-a-forest.json").read_text(encoding="utf-8"))
    assert len(aligned["cues"]) == 2


def test_single_format_to_stdout() -> None:
    """``-o -`` writes the one format to stdout."""
    code, out, _ = run("convert", str(FUNGI), "--to", "vtt", "-o", "-")
    assert code == 0
    assert out.startswith("WEBVTT")


def test_stdin_to_stdout(tmp_path: Path) -> None:
    """``-`` reads the input from stdin."""
    code, out, _ = run("convert", "-", "--to", "srt", "-o", "-", input=FUNGI.read_bytes())
    assert code == 0
    assert len(list(srt.parse(out))) == 2


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    """A broken input is one error line and exit 1; the good input is still written."""
    bad = tmp_path / "broken.srt"
    bad.write_text("this is not a caption file\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    code, _, err = run("convert", str(bad), str(FUNGI), "--to", "srt", "-o", str(out_dir))
    assert code == 1
    assert (out_dir / "fungi-in-a-forest.srt").exists()
    assert not (out_dir / "broken.srt").exists()
    lines = [line for line in err.splitlines() if "error" in line]
    assert len(lines) == 1
    assert "broken.srt" in lines[0]
    assert "Traceback" not in err


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    """A missing input names the file, exit 1, no traceback."""
    code, _, err = run("convert", str(tmp_path / "nope.json"), "-o", str(tmp_path))
    assert code == 1
    assert "nope.json" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["convert", str(FUNGI), "--to", "docx"],
        ["convert", str(FUNGI), "--to", "srt,vtt", "-o", "-"],
        ["convert", str(FUNGI), "-O", "novalue"],
        ["convert", str(FUNGI), "-O", "no_such_option=1", "-o", "-"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    """Bad options are usage errors: exit code 2 and a message."""
    code, _, err = run(*args)
    assert code == 2
    assert err.strip()


def test_writer_options_reach_the_writer() -> None:
    """``-O timestamps=true`` turns on time stamps in plain text."""
    code, out, _ = run("convert", str(FUNGI), "--to", "txt", "-o", "-", "-O", "timestamps=true")
    assert code == 0
    assert "[00:00:" in out


def test_crlf_and_bom(tmp_path: Path) -> None:
    """``--crlf --bom`` writes CRLF line ends after a UTF-8 BOM."""
    code, _, _ = run("convert", str(FUNGI), "--to", "srt", "-o", str(tmp_path), "--crlf", "--bom")
    assert code == 0
    data = (tmp_path / "fungi-in-a-forest.srt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf1\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    """Converting a.srt to srt in its own folder is refused, the input kept."""
    source = tmp_path / "a.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nhi\n", encoding="utf-8")
    before = source.read_bytes()
    code, _, err = run("convert", str(source), "--to", "srt", "-o", str(tmp_path))
    assert code == 1
    assert "input file itself" in err
    assert source.read_bytes() == before


def test_version_and_help() -> None:
    """``--version`` and ``--help`` work and show examples."""
    code, out, _ = run("--version")
    assert code == 0
    assert "gcore-captions" in out
    code, out, _ = run("convert", "--help")
    assert code == 0
    assert "Examples" in out


def test_module_entry_point_runs() -> None:
    """``python -m gcore_captions`` runs the same command line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "gcore_captions", "convert", str(FUNGI), "--to", "srt", "-o", "-"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"1\n00:00:0")


def test_ass_style_fields_from_the_command_line() -> None:
    """``-O ass.size=48 -O font=...`` become the ASS default style."""
    code, out, err = run(
        "convert", str(FUNGI), "--to", "ass", "-o", "-", "-O", "ass.size=48", "-O", "font=Noto Sans"
    )
    assert code == 0, err
    assert "Style: Default,Noto Sans,48," in out


def test_bad_ass_style_value_is_a_usage_error() -> None:
    """An invalid style value is refused before anything is written."""
    code, _, err = run("convert", str(FUNGI), "--to", "ass", "-o", "-", "-O", "alignment=12")
    assert code == 2
    assert "alignment" in err


def test_srt_end_time_with_garbage_is_skipped_not_misread(tmp_path: Path) -> None:
    """
    ``00:00:0x,000`` is never read as 00:00:00: its cue is skipped with a
    warning naming the line, or with --strict the file is refused.
    """
    bad = tmp_path / "bad.srt"
    bad.write_text(
        "1\n00:00:01,000 --> 00:00:0x,000\nhi\n\n2\n00:00:03,000 --> 00:00:04,000\nthere\n",
        encoding="utf-8",
    )
    code, out, err = run("convert", str(bad), "--to", "vtt", "-o", "-")
    assert code == 0
    assert out == "WEBVTT\n\n1\n00:00:03.000 --> 00:00:04.000\nthere\n\n"
    assert "bad.srt: line 1: not an SRT cue: '1 / 00:00:01,000 --> 00:00:0x,000'" in err
    assert "[invalid-timing]" in err
    code, out, err = run("convert", str(bad), "--to", "vtt", "-o", "-", "--strict")
    assert code == 1
    assert out == ""
    assert "bad.srt, line 1, cue 1: not an SRT cue: '1 / 00:00:01,000 --> 00:00:0x,000'" in err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("identifiers=foo", "identifiers takes one of 'auto', 'numbers', 'keep', 'none'"),
        ("width=0", "width must be 1 or more, or none, not 0"),
        ("ass.wrap_style=7", "wrap_style takes one of 0, 1, 2, 3, not '7'"),
        ("start_index=-3", "start_index must be 0 or more, not -3"),
    ],
)
def test_bad_writer_option_value_is_a_usage_error(
    tmp_path: Path, option: str, message: str
) -> None:
    """An option value the writer's options refuse is a usage error naming the option and
    what it takes, before anything is written."""
    code, _, err = run(
        "convert", str(FUNGI), "--to", "vtt,txt,ass", "-O", option, "-o", str(tmp_path)
    )
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("paragraph_chars=x", "paragraph_chars takes a whole number or none, not 'x'"),
        ("timestamps=maybe", "timestamps takes true or false, not 'maybe'"),
        ("txt.paragraph_gap_ms=soon", "paragraph_gap_ms takes a whole number or none"),
    ],
)
def test_writer_option_of_the_wrong_type_is_a_usage_error(option: str, message: str) -> None:
    """A value that is not the type the writer takes is refused before any writing."""
    code, out, err = run("convert", str(FUNGI), "--to", "txt", "-o", "-", "-O", option)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_writer_option_values_follow_the_writers_types() -> None:
    """Text options stay text (a VTT note of digits), number options may be switched off."""
    code, out, err = run("convert", str(FUNGI), "--to", "vtt", "-o", "-", "-O", "note=2024")
    assert code == 0, err
    assert "NOTE\n2024\n" in out
    code, out, err = run(
        "convert", str(FUNGI), "--to", "txt", "-o", "-", "-O", "paragraph_gap_ms=off"
    )
    assert code == 0, err
    assert out.count("\n\n") == 0


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("ass.size=48", "ass.size is for ass, which is not among the formats written (srt)"),
        ("srt.nonsense=1", "the srt writer has no option 'nonsense'"),
    ],
)
def test_scoped_writer_option_must_fit_a_written_format(option: str, message: str) -> None:
    """A scoped option for a format not written, or unknown to its writer, is a usage error."""
    code, out, err = run("convert", str(FUNGI), "--to", "srt", "-o", "-", "-O", option)
    assert code == 2
    assert out == ""
    assert message in " ".join(err.split())
