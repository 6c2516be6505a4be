"""
Counts read "1 task", "2 tasks" wherever the command line prints them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gcore_captions._plural import plural
from gcore_captions.batch import ExportReport
from gcore_captions.batch.records import MAX_WARNINGS, warning_lines
from gcore_captions.cli import main
from gcore_captions.testing import FakeGcoreAPI, make_tasks


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 tasks"), (1, "1 task"), (2, "2 tasks"), (-1, "-1 tasks")]
)
def test_plural(count: int, expected: str) -> None:
    """One is singular; everything else, zero included, is plural."""
    assert plural(count, "task") == expected


def test_irregular_plural() -> None:
    """An irregular plural is given, not guessed."""
    assert (plural(1, "entry", "entries"), plural(3, "entry", "entries")) == (
        "1 entry",
        "3 entries",
    )


@pytest.mark.parametrize(("total", "head"), [(1, "1 task: 1 written"), (2, "2 tasks: 2 written")])
def test_export_summary_line(total: int, head: str) -> None:
    """The export summary counts tasks in the right number."""
    report = ExportReport(output_dir="out", manifest="out/manifest.jsonl", written=total)
    assert report.summary().startswith(head)


def test_export_of_one_task_says_1_task(tmp_path: Path) -> None:
    """The summary export prints for one task reads "1 task", not "1 tasks"."""
    tasks = make_tasks(1)
    with FakeGcoreAPI(tasks) as api:
        result = CliRunner().invoke(
            main, ["export", tasks[0]["task_id"], "-o", str(tmp_path)], env=api.env
        )
    assert result.exit_code == 0, result.stderr
    assert "1 task: 1 written, 0 skipped, 0 failed in" in result.stderr


def test_check_summary_of_one_cue(tmp_path: Path) -> None:
    """check on a one-cue file: "1 cue", "1 violation"."""
    source = tmp_path / "one.srt"
    source.write_text("1\n00:00:00,000 --> 00:00:00,500\nhello\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert f"{source}: 1 cue, 0 pass (0.0%), 1 violation [netflix]" in result.stdout


def test_capped_warnings_count_in_the_right_number() -> None:
    """The line that stands for warnings past the cap reads "1 more warning"."""
    assert warning_lines(range(MAX_WARNINGS + 1))[-1] == "... and 1 more warning"
    assert warning_lines(range(MAX_WARNINGS + 2))[-1] == "... and 2 more warnings"
