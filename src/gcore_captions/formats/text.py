"""
Plain text (``.txt``): the transcript as readable paragraphs, or one cue per
line. Write-only.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import ClassVar

from ..model import Transcript
from ..timecode import format_clock
from ._text import fold, join_separator, ordered
from ._writing import check_times, finish_output
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "TextOptions", "render"]

NAME = "txt"
EXTENSIONS = ("txt",)

# A cue ending with one of these (closing quotes and brackets allowed after
# it) ends a sentence, where a long paragraph may break.
_SENTENCE_ENDS = tuple(
    f"{mark}{close}" for mark in ".!?…。！？" for close in ("", '"', "'", "”", "’", "»", ")", "」")
)


@dataclass(frozen=True, slots=True)
class TextOptions(FormatOptions):
    """
    Options of the plain-text writer.

    Args:
        paragraph_gap_ms: start a new paragraph when the pause before a cue
            is longer than this (2 s by default); ``None`` never breaks on
            pauses. A change of speaker always starts a paragraph.
        paragraph_chars: once a paragraph is this long, start a new one
            after the next cue that ends a sentence (``.``, ``!``, ``?``,
            ``…`` or their CJK forms); ``None`` for no limit.
        one_per_line: one cue per line instead of paragraphs.
        timestamps: start each paragraph (or line) with ``[HH:MM:SS]``, the
            time its first cue starts.
        speaker_labels: start a paragraph (or line) with ``"Name: "`` when
            its cue has a speaker.
        width: wrap paragraphs at this many characters (never inside a
            word); ``None`` (default) writes each paragraph as one line.

    Raises:
        FormatError: a value of the wrong type, a negative
            ``paragraph_gap_ms``, or ``paragraph_chars``/``width`` below 1.
    """

    format: ClassVar[str] = NAME

    paragraph_gap_ms: int | None = 2000
    paragraph_chars: int | None = 600
    one_per_line: bool = False
    timestamps: bool = False
    speaker_labels: bool = True
    width: int | None = None

    def check(self) -> None:
        if self.paragraph_gap_ms is not None and self.paragraph_gap_ms < 0:
            raise self.invalid("paragraph_gap_ms", "0 or more, or none")
        if self.paragraph_chars is not None and self.paragraph_chars < 1:
            raise self.invalid("paragraph_chars", "1 or more, or none")
        if self.width is not None and self.width < 1:
            raise self.invalid("width", "1 or more, or none")


_DEFAULTS = TextOptions()


def render(transcript: Transcript, options: TextOptions | None = None) -> str:
    """
    The transcript as plain text.

    Args:
        transcript: the cues (in start-time order; cues without text are
            left out).
        options: the writer's options (:class:`TextOptions` defaults).

    Returns:
        Paragraphs separated by a blank line (or one line per cue), ending
        with a newline; ``""`` for a transcript without text.
    """
    options = options or _DEFAULTS
    check_times(transcript.cues, NAME)
    paragraph_gap_ms = options.paragraph_gap_ms
    paragraph_chars = options.paragraph_chars
    timestamps = options.timestamps
    speaker_labels = options.speaker_labels
    width = options.width

    def head(start_ms: int, speaker: str | None) -> str:
        prefix = f"[{format_clock(start_ms)}] " if timestamps else ""
        if speaker_labels and speaker:
            prefix += f"{fold(speaker)}: "
        return prefix

    if options.one_per_line:
        rows = []
        for cue in ordered(transcript.cues):
            text = fold(cue.text)
            if text:
                rows.append(f"{head(cue.start_ms, cue.speaker)}{text}\n")
        return finish_output("".join(rows), transcript, NAME)

    paragraphs: list[str] = []
    pieces: list[str] = []
    speaker: str | None = None
    latest_end = 0
    length = 0
    for cue in ordered(transcript.cues):
        text = fold(cue.text)
        if not text:
            continue
        pause = cue.start_ms - latest_end
        if (
            not pieces
            or cue.speaker != speaker
            or (paragraph_gap_ms is not None and pause > paragraph_gap_ms)
            or (
                paragraph_chars is not None
                and length >= paragraph_chars
                and pieces[-1].endswith(_SENTENCE_ENDS)
            )
        ):
            if pieces:
                paragraphs.append("".join(pieces))
            pieces = [head(cue.start_ms, cue.speaker), text]
            speaker = cue.speaker
            length = len(text)
        else:
            separator = join_separator(pieces[-1], text)
            pieces += [separator, text]
            length += len(separator) + len(text)
        latest_end = max(latest_end, cue.end_ms)
    if pieces:
        paragraphs.append("".join(pieces))
    if width is not None:
        paragraphs = [
            textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False)
            for p in paragraphs
        ]
    return finish_output("\n\n".join(paragraphs) + "\n" if paragraphs else "", transcript, NAME)
