"""
The HTML preview: one self-contained page to watch a video with its
captions, read and search the transcript beside it, and see at a glance
where the captions read too fast or break the guidelines.

>>> from gcore_captions.preview import build_page
>>> html = build_page(transcript, video="talk.mp4", preset="netflix")  # doctest: +SKIP

``render(transcript, "html", ...)`` and ``gcore-captions preview`` give the
same page.
"""

from __future__ import annotations

from .build import build_page

__all__ = ["build_page"]
