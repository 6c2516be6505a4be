"""
``build_page``: a transcript (and its media) to one preview page.
"""

from __future__ import annotations

import json
import os

from .._version import __version__
from ..errors import FormatError
from ..formats import finish_output, vtt
from ..formats import json as json_format
from ..languages import to_bcp47
from ..model import Transcript, ordered
from ..quality import check
from ..quality.presets import Preset, get_preset
from .data import cue_figures, speed_scale
from .details import details_html, legend_html, summary_line
from .options import PreviewOptions
from .page import Page, assemble, player_html
from .safe import media_src

__all__ = ["build_page", "render"]


def _in_time_order(transcript: Transcript) -> Transcript:
    # The aligned JSON and the WebVTT track list cues in the writers' order;
    # checking the same order keeps the check's cue numbers equal to the
    # page's line numbers.
    cues = ordered(transcript.cues)
    return transcript if cues is transcript.cues else transcript.replace(cues=tuple(cues))


def _task_media(transcript: Transcript) -> str | None:
    url = transcript.metadata.get("url")
    if not url:
        return None
    try:
        return media_src(url) if "://" in url else None
    except FormatError:
        return None


def _bcp47(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return to_bcp47(code)
    except ValueError:
        return None


def build_page(
    transcript: Transcript,
    *,
    video: str | os.PathLike[str] | None = None,
    preset: Preset | str = "netflix",
    title: str | None = None,
) -> str:
    """
    One self-contained HTML page to review a transcript.

    The page has the media in a ``<video>`` player with the captions as a
    WebVTT track, the transcript beside it (the line being spoken is
    highlighted and kept in view; a click seeks there; a search box filters
    and highlights), a timeline with one bar per cue coloured by reading
    speed against the preset and a mark on every cue the quality check
    flags, and the task's metadata with a QC summary. It loads no script,
    style or font from anywhere and works opened from disk.

    Args:
        transcript: what to show.
        video: the media: a URL, or a local file path (written as an
            absolute ``file://`` URL). By default the task's own media URL
            (``transcript.metadata["url"]``); without either the page shows
            the transcript and timeline only.
        preset: the quality preset (name or :class:`~gcore_captions.quality.Preset`)
            that reading speed and issues are judged against.
        title: the page heading; by default ``Task <id>``, else
            ``Captions``.

    Returns:
        The HTML document.

    Raises:
        FormatError: ``video`` has a URL scheme a video cannot load from,
            the preset name is unknown, or a time is past what caption files
            hold (``MAX_TIME_MS``).
    """
    if isinstance(preset, str):
        try:
            preset = get_preset(preset)
        except ValueError as error:
            raise FormatError(str(error)) from None
    transcript = _in_time_order(transcript)
    # The JSON writer first: it refuses times no file can hold (FormatError)
    # before the check computes with them.
    aligned = json.loads(json_format.render(transcript, json_format.JsonOptions(indent=None)))
    report = check(transcript, preset)
    scale = speed_scale(report.preset)
    figures = cue_figures(transcript.cues, report, scale)
    src = media_src(video) if video is not None else _task_media(transcript)
    language = _bcp47(transcript.language)
    heading = title or (f"Task {transcript.task_id}" if transcript.task_id else "Captions")
    track_label = f"Captions ({language})" if language else "Captions"
    page = Page(
        title=f"{heading} \N{EM DASH} caption preview",
        heading=heading,
        summary=summary_line(transcript, report),
        legend=legend_html(scale, report.preset.name),
        player=player_html(src, vtt.render(transcript), language=language, label=track_label),
        details=details_html(transcript, report, [f["speed"] for f in figures], scale, src),
        transcript=aligned,
        preview={
            "version": 1,
            "duration_ms": transcript.duration_ms,
            "scale": scale.to_dict(report.preset),
            "cues": figures,
        },
        language=language,
        version=__version__,
    )
    return assemble(page)


def render(transcript: Transcript, options: PreviewOptions | None = None) -> str:
    """
    The preview page for ``transcript`` (the output registry's writer for
    ``html``): :func:`build_page` with the options as a value.

    Raises:
        FormatError: ``video`` has a URL scheme a video cannot load from.
    """
    options = options or PreviewOptions()
    page = build_page(transcript, video=options.video, preset=options.preset, title=options.title)
    # A lone surrogate or NUL in the title or metadata: U+FFFD, as in every writer.
    return finish_output(page, transcript, "html")
