"""
Plain text (``.txt``): the transcript as readable paragraphs, or one cue per
line. Write-only.
"""

from __future__ import annotations

import textwrap

from ..model import Transcript
from ..timecode import format_clock
from ._text import fold, join_separator, ordered

__all__ = ["EXTENSIONS", "NAME", "render"]

NAME = "txt"
EXTENSIONS = ("txt",)


def render(
    transcript: Transcript,
    *,
    paragraph_gap_ms: int | None = 2000,
    one_per_line: bool = False,
    timestamps: bool = False,
    speaker_labels: bool = True,
    width: int | None = None,
) -> str:
    """
    The transcript as plain text.

    Args:
        transcript: the cues (in start-time order; cues without text are
            left out).
        paragraph_gap_ms: start a new paragraph when the pause before a cue
            is longer than this (2 s by default); ``None`` never breaks on
            pauses. A change of speaker always starts a paragraph.
        one_per_line: one cue per line instead of paragraphs.
        timestamps: start each paragraph (or line) with ``[HH:MM:SS]``, the
            time its first cue starts.
        speaker_labels: start a paragraph (or line) with ``"Name: "`` when
            its cue has a speaker.
        width: wrap paragraphs at this many characters (never inside a
            word); ``None`` (default) writes each paragraph as one line.

    Returns:
        Paragraphs separated by a blank line (or one line per cue), ending
        with a newline; ``""`` for a transcript without text.

    Raises:
        ValueError: ``paragraph_gap_ms`` is negative or ``width`` < 1.
    """
    if paragraph_gap_ms is not None and paragraph_gap_ms < 0:
        raise ValueError("paragraph_gap_ms cannot be negative")
    if width is not None and width < 1:
        raise ValueError("width must be at least 1")

    def head(start_ms: int, speaker: str | None) -> str:
        prefix = f"[{format_clock(start_ms)}] " if timestamps else ""
        if speaker_labels and speaker:
            prefix += f"{fold(speaker)}: "
        return prefix

    if one_per_line:
        rows = []
        for cue in ordered(transcript.cues):
            text = fold(cue.text)
            if text:
                rows.append(f"{head(cue.start_ms, cue.speaker)}{text}\n")
        return "".join(rows)

    paragraphs: list[str] = []
    pieces: list[str] = []
    speaker: str | None = None
    latest_end = 0
    for cue in ordered(transcript.cues):
        text = fold(cue.text)
        if not text:
            continue
        pause = cue.start_ms - latest_end
        if (
            not pieces
            or cue.speaker != speaker
            or (paragraph_gap_ms is not None and pause > paragraph_gap_ms)
        ):
            if pieces:
                paragraphs.append("".join(pieces))
            pieces = [head(cue.start_ms, cue.speaker), text]
            speaker = cue.speaker
        else:
            pieces += [join_separator(pieces[-1], text), text]
        latest_end = max(latest_end, cue.end_ms)
    if pieces:
        paragraphs.append("".join(pieces))
    if width is not None:
        paragraphs = [
            textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False)
            for p in paragraphs
        ]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
