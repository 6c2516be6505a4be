"""
The HTML preview: one self-contained page to watch a video with its
captions, read and search the transcript beside it, and see at a glance
where the captions read too fast or break the guidelines.

>>> from gcore_captions.preview import build_page
>>> html = build_page(transcript, video="talk.mp4", preset="netflix")  # doctest: +SKIP

``render(transcript, "html", ...)``, ``--to html`` and ``gcore-captions
preview`` give the same page (the output registry in
:mod:`gcore_captions.output` lists the page beside the caption formats; the
formats themselves know nothing of it).
"""

from __future__ import annotations

from .build import build_page, render
from .options import PreviewOptions

__all__ = ["PreviewOptions", "build_page", "render"]
