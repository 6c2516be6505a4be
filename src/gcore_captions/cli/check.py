"""
``gcore-captions check``: report caption guideline violations, like a linter.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .._plural import plural
from ..errors import GcoreCaptionsError
from ..quality import PRESET_NAMES, RULES, QualityReport
from ..quality import check as run_check
from ._common import EXIT_FAILED, EXIT_OK, describe, error_line
from ._quality import LIMIT_HELP, preset_from_options
from ._writer_options import echo_reading_warnings, input_options, read_input

__all__ = ["check"]

EPILOG = """\b
Examples:
  gcore-captions check episode.srt
  gcore-captions check out/*.vtt --preset bbc --verbose
  gcore-captions check task.json --preset netflix --limit max_cps=17 --json

\b
Exit status: 0 when every cue passes, 1 when there are violations or an
input cannot be read, 2 for usage errors.
"""


@click.command(epilog=EPILOG)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-p",
    "--preset",
    default="netflix",
    show_default=True,
    type=click.Choice(PRESET_NAMES, case_sensitive=False),
    help="The guideline to check against.",
)
@click.option(
    "--language",
    default=None,
    metavar="CODE",
    help="Pick the preset's language variant (jpn, kor, chi...); default: each input's language.",
)
@click.option("--limit", "limits", multiple=True, metavar="KEY=VALUE", help=LIMIT_HELP)
@input_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of a table.")
@click.option("-v", "--verbose", is_flag=True, help="List every violation, not only the counts.")
def check(
    inputs: tuple[str, ...],
    preset: str,
    language: str | None,
    limits: tuple[str, ...],
    input_format: str | None,
    encoding: str | None,
    strict: bool,
    as_json: bool,
    verbose: bool,
) -> None:
    """
    Check caption files and saved Gcore tasks against a caption guideline
    (Netflix, BBC, DCMP): line length and count, reading speed, durations,
    gaps, overlaps, repeats.

    Prints a summary table per INPUT ('-' reads stdin); --verbose adds every
    violation as `INPUT:CUE: rule: message`.
    """
    chosen = preset_from_options(preset, language, limits)
    if inputs.count("-") > 1:
        raise click.BadParameter("'-' (stdin) can be given only once")
    results: list[dict[str, Any]] = []
    failed = False
    for source in inputs:
        try:
            transcript = read_input(source, input_format, encoding, strict=strict)
        except (GcoreCaptionsError, OSError, ValueError) as error:
            failed = True
            message = describe(error)
            name = "<stdin>" if source == "-" else source
            if not message.startswith(name):
                message = f"{name}: {message}"
            if as_json:
                results.append({"input": source, "error": message})
            else:
                error_line(message)
            continue
        # On stderr, so --json's document on stdout stays whole.
        echo_reading_warnings(source, transcript.warnings)
        report = run_check(transcript, chosen)
        failed = failed or not report.ok
        if as_json:
            results.append({"input": source, **report.to_dict()})
        else:
            _print_report(source, report, verbose)
    if as_json:
        document = {
            "version": 1,
            "preset": chosen.name,
            "ok": not failed,
            "files": results,
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _summary(source: str, report: QualityReport) -> str:
    language = f", {report.preset.language}" if report.preset.language else ""
    total = len(report.violations)
    return (
        f"{source}: {plural(report.cues, 'cue')}, {report.passed} pass"
        f" ({report.pass_rate:.1%}), {plural(total, 'violation')} [{report.preset.name}{language}]"
    )


def _rows(report: QualityReport) -> list[tuple[str, str, str, str]]:
    limits = report.limits()
    rows = []
    for rule, count in report.counts.items():
        unit = RULES[rule][0]
        limit = limits[rule]
        shown = f"{limit:g} {unit}" if limit else "-"
        rows.append((rule, str(count), shown, RULES[rule][1]))
    return rows


def _print_report(source: str, report: QualityReport, verbose: bool) -> None:
    if sys.stdout.isatty():
        render_rich(source, report, verbose)
        return
    click.echo(_summary(source, report))
    rows = _rows(report)
    if rows:
        widths = [
            max(len(row[i]) for row in [("rule", "count", "limit", ""), *rows]) for i in range(3)
        ]
        header = ("rule", "count", "limit", "meaning")
        for row in [header, *rows]:
            click.echo(
                f"  {row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
            )
    if verbose:
        for violation in report.violations:
            click.echo(f"{source}:{violation.cue}: {violation.rule}: {violation.message}")


def render_rich(
    source: str, report: QualityReport, verbose: bool, console: Any | None = None
) -> None:
    """
    The report as a rich table (used on a terminal).
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    style = "green" if report.ok else "red"
    console.print(f"[{style}]{escape(_summary(source, report))}[/{style}]", highlight=False)
    rows = _rows(report)
    if rows:
        table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2))
        table.add_column("rule", style="bold")
        table.add_column("count", justify="right")
        table.add_column("limit")
        table.add_column("meaning", style="dim")
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        console.print(table)
    if verbose:
        for violation in report.violations:
            console.print(
                f"{escape(source)}:{violation.cue}: [bold]{violation.rule}[/bold]:"
                f" {escape(violation.message)}",
                highlight=False,
            )
