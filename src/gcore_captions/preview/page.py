"""
Assembling the one self-contained HTML file from its parts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from .assets import content_security_policy, fill, read_asset
from .safe import script_json, vtt_data_url

__all__ = ["Page", "assemble", "player_html"]


@dataclass(frozen=True)
class Page:
    """
    Everything one preview page shows, already computed.

    Args:
        title: the browser tab's title (plain text).
        heading: the page's main heading (plain text).
        summary: one line under the heading (plain text).
        legend: the timeline legend's ``<li>`` items (HTML).
        player: the player's HTML (see :func:`player_html`).
        details: the details panel's HTML (metadata and QC summary).
        transcript: the aligned JSON document (a dict), embedded as data.
        preview: per-cue figures and page settings for the script.
        language: the transcript's BCP-47 language tag, when known.
        version: the gcore-captions version, for the generator note.
    """

    title: str
    heading: str
    summary: str
    legend: str
    player: str
    details: str
    transcript: Any
    preview: Any
    language: str | None
    version: str


def player_html(src: str | None, vtt_text: str, *, language: str | None, label: str) -> str:
    """
    The ``<video>`` element with the captions as a WebVTT ``<track>``, or a
    note saying there is no media when ``src`` is ``None``.

    Args:
        src: the media URL (already checked by :func:`~.safe.media_src`).
        vtt_text: the captions as a WebVTT file.
        language: the BCP-47 tag for the track's ``srclang``, when known.
        label: the track's name in the player's captions menu.
    """
    if src is None:
        return (
            '<div class="no-media"><p>No media to play: this transcript names no media URL.</p>'
            "<p>Give one with <code>--video URL_OR_FILE</code> (or <code>video=</code>);"
            " the transcript and timeline below work without it.</p></div>"
        )
    srclang = f' srclang="{html.escape(language)}"' if language else ""
    return (
        f'<video id="player" controls preload="metadata" playsinline src="{html.escape(src)}">'
        f'<track kind="captions" label="{html.escape(label)}"{srclang} default'
        f' src="{vtt_data_url(vtt_text)}">'
        "Your browser cannot play this media.</video>"
    )


def assemble(page: Page) -> str:
    """
    The complete HTML document: template, CSS and script inlined, data
    embedded as JSON, a Content-Security-Policy allowing only those.

    Raises:
        ValueError: a packaged asset would end its own element early (a
            packaging bug, not a user error).
    """
    css = read_asset("preview.css")
    js = read_asset("preview.js")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower():
        raise ValueError("a packaged preview asset contains a closing tag")
    lang = f' lang="{html.escape(page.language)}"' if page.language else ""
    return fill(
        read_asset("page.html"),
        {
            "csp": html.escape(content_security_policy(js, css)),
            "version": html.escape(page.version),
            "title": html.escape(page.title),
            "heading": html.escape(page.heading),
            "summary": html.escape(page.summary),
            "legend": page.legend,
            "player": page.player,
            "details": page.details,
            "transcript_lang": lang,
            "transcript_json": script_json(page.transcript),
            "preview_json": script_json(page.preview),
            "css": css,
            "js": js,
        },
    )
