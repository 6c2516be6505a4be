"""
``PreviewOptions``: what the preview page is built with, as a value (so
``--to html`` and ``-O video=...`` work like every format's options).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar

from ..formats.options import FormatOptions
from ..quality import PRESET_NAMES

__all__ = ["PreviewOptions"]


@dataclass(frozen=True, slots=True)
class PreviewOptions(FormatOptions):
    """
    Options of the HTML preview page.

    Args:
        video: the media to play: a URL, or a local file path (written as an
            absolute ``file://`` URL; a path-like object is accepted). By
            default the task's media URL, when it has one.
        preset: the quality preset reading speed and violations are judged
            against (``"netflix"`` by default).
        title: the page's heading; by default the task id.

    Raises:
        FormatError: a value of the wrong type or an unknown preset.
    """

    format: ClassVar[str] = "html"

    video: str | None = None
    preset: str = "netflix"
    title: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.video, os.PathLike):
            object.__setattr__(self, "video", os.fspath(self.video))
        super(PreviewOptions, self).__post_init__()

    def check(self) -> None:
        if self.preset.strip().lower() not in PRESET_NAMES:
            raise self.invalid("preset", "one of " + ", ".join(PRESET_NAMES))
