"""
HTML preview pages (write only): the media with its captions, a clickable
transcript and a quality timeline, in one self-contained file.

See :func:`gcore_captions.preview.build_page` for what the page holds.
"""

from __future__ import annotations

import os

from ..model import Transcript

__all__ = ["EXTENSIONS", "NAME", "render"]

NAME = "html"
EXTENSIONS = ("html", "htm")


def render(
    transcript: Transcript,
    *,
    video: str | os.PathLike[str] | None = None,
    preset: str = "netflix",
    title: str | None = None,
) -> str:
    """
    The transcript as an HTML preview page.

    Args:
        transcript: what to show.
        video: the media to play: a URL, or a local file path (written as an
            absolute ``file://`` URL). By default the task's media URL
            (``transcript.metadata["url"]``), when it has one.
        preset: the quality preset reading speed and violations are
            judged against (``"netflix"`` by default).
        title: the page's heading; by default the task id or file name.

    Returns:
        One HTML document that needs no other file or network access
        (except the media itself).

    Raises:
        FormatError: ``video`` uses a URL scheme a video cannot load from.
        ValueError: unknown preset.
    """
    # Imported here: the preview renders VTT and JSON through this registry,
    # which imports this module while it is still being set up.
    from ..preview import build_page

    return build_page(transcript, video=video, preset=preset, title=title)
