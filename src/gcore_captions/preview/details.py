"""
The details panel: the task's metadata and the quality check's summary, as
escaped HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from .._plural import plural
from ..languages import to_bcp47
from ..model import Transcript
from ..quality import RULES, QualityReport
from ..timecode import format_clock
from .data import NEAR_RATIO, SpeedScale

__all__ = ["details_html", "legend_html", "summary_line"]

# Metadata keys shown under their own label, in this order; the task's
# status and url are shown separately.
_LABELS = (
    ("task_name", "Task type"),
    ("completed_at", "Completed"),
    ("audio_language", "Audio language"),
    ("subtitles_language", "Subtitles language"),
    ("client_user_id", "Client user id"),
    ("client_entity_data", "Client data"),
)


def language_label(code: str) -> str:
    """
    ``"eng (en)"``: the code as Gcore gives it, with its BCP-47 tag.
    """
    try:
        tag = to_bcp47(code)
    except ValueError:
        return code
    return code if tag == code else f"{code} ({tag})"


def _fact(label: str, value: str, *, mono: bool = False, html_value: str | None = None) -> str:
    css = ' class="mono"' if mono else ""
    shown = html_value if html_value is not None else escape(value)
    return f"<dt>{escape(label)}</dt><dd{css}>{shown}</dd>"


def _facts(transcript: Transcript, media: str | None) -> str:
    meta = transcript.metadata
    languages = transcript.languages or ((transcript.language,) if transcript.language else ())
    rows = [
        _fact("Task", transcript.task_id or "none (not read from a task)", mono=True),
        _fact("Status", meta.get("status", "unknown")),
        _fact("Languages", ", ".join(language_label(c) for c in languages) or "unknown"),
        _fact("Source", transcript.source or "unknown"),
        _fact("Cues", str(len(transcript.cues))),
        _fact("Duration", format_clock(transcript.duration_ms)),
    ]
    if media is not None:
        shown = media if len(media) <= 160 else media[:157] + "..."
        link = f'<a href="{escape(media)}">{escape(shown)}</a>'
        rows.append(_fact("Media", media, html_value=link))
    else:
        rows.append(_fact("Media", "none given"))
    for key, label in _LABELS:
        if key in meta:
            rows.append(_fact(label, meta[key]))
    return f'<dl class="facts">{"".join(rows)}</dl>'


def _quality(report: QualityReport, speeds: Sequence[str | None], scale: SpeedScale) -> str:
    preset = report.preset
    name = preset.name + (f" ({preset.language})" if preset.language else "")
    if report.ok:
        badge = '<span class="badge badge-ok">No issues</span>'
    else:
        failing = report.cues - report.passed
        badge = (
            f'<span class="badge badge-warn">{plural(len(report.violations), "issue")}</span>'
            f" in {plural(failing, 'cue')}"
        )
    rate = f"{report.pass_rate:.0%}"
    parts = [
        f'<p class="qc-summary">{badge} against the <strong>{escape(name)}</strong> preset;'
        f" {report.passed} of {plural(report.cues, 'cue')}"
        f" {'passes' if report.cues == 1 else 'pass'} ({rate}).</p>"
    ]
    if report.counts:
        limits = report.limits()
        items = []
        for rule, count in report.counts.items():
            unit, meaning = RULES[rule]
            limit = limits.get(rule)
            shown = "" if not limit else f" (limit {limit:g} {unit})"
            items.append(
                f"<li><strong>{escape(rule)}</strong>: {count} \N{EM DASH} "
                f"{escape(meaning)}{escape(shown)}</li>"
            )
        parts.append(f'<ul class="qc-list">{"".join(items)}</ul>')
    if scale.unit is not None:
        tally = Counter(speeds)
        parts.append(
            f'<p class="qc-summary">Reading speed ({escape(scale.unit)}, limit {scale.limit:g}):'
            f" {tally['ok']} within, {tally['near']} near"
            f" (above {NEAR_RATIO:.0%} of the limit), {tally['over']} over.</p>"
        )
    return "".join(parts)


def _notes(transcript: Transcript) -> str:
    notes = [str(w) for w in transcript.warnings] + [str(c) for c in transcript.changes]
    if not notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return (
        f"<details><summary>{plural(len(notes), 'note')} from reading and passes</summary>"
        f'<ul class="qc-list">{items}</ul></details>'
    )


def details_html(
    transcript: Transcript,
    report: QualityReport,
    speeds: Sequence[str | None],
    scale: SpeedScale,
    media: str | None,
) -> str:
    """
    The details panel's body: metadata facts, the quality summary, and the
    notes recorded while reading and fixing the transcript.

    Args:
        transcript: the transcript shown.
        report: its quality check.
        speeds: each cue's speed class (``"ok"``, ``"near"``, ``"over"``).
        scale: the reading-speed scale used.
        media: the media URL the player uses, if any.
    """
    return (
        _facts(transcript, media)
        + "<h3>Quality check</h3>"
        + _quality(report, speeds, scale)
        + _notes(transcript)
    )


def legend_html(scale: SpeedScale, preset_name: str) -> str:
    """
    The timeline's legend items for this scale.
    """
    mark = '<li><span class="swatch-mark" aria-hidden="true"></span>Quality issue</li>'
    if scale.unit is None:
        return (
            '<li><span class="swatch speed-none" aria-hidden="true"></span>'
            f"Cue ({escape(preset_name)} sets no reading-speed limit)</li>{mark}"
        )
    limit = f"{scale.limit:g} {scale.unit}"
    return (
        '<li><span class="swatch speed-ok" aria-hidden="true"></span>'
        f"Within {escape(limit)}</li>"
        '<li><span class="swatch speed-near" aria-hidden="true"></span>Near the limit</li>'
        '<li><span class="swatch speed-over" aria-hidden="true"></span>Over the limit</li>'
        f"{mark}"
    )


def summary_line(transcript: Transcript, report: QualityReport) -> str:
    """
    One plain-text line under the heading: cues, duration, language, issues.
    """
    parts = [plural(len(transcript.cues), "cue"), format_clock(transcript.duration_ms)]
    if transcript.language:
        parts.append(language_label(transcript.language))
    status = transcript.metadata.get("status")
    if status:
        parts.append(status)
    issues = len(report.violations)
    parts.append(f"{report.preset.name}: {plural(issues, 'issue') if issues else 'no issues'}")
    return " \N{MIDDLE DOT} ".join(parts)
