"""
SubViewer as YouTube uses it (``.sbv``): blocks of a ``H:MM:SS.mmm,H:MM:SS.mmm``
timing line and the cue's text lines, a blank line between blocks. Write and
read.

SBV has no markup, no speakers and no cue numbers: the text is shown as it is,
so the writer only has to keep each cue one block (no blank line inside a cue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..errors import FormatError
from ..model import Cue, Transcript, TranscriptWarning
from ..reading import repair_cues
from ..textio import normalize_newlines
from ._text import cue_lines, fold, ordered
from ._writing import check_times, finish_output
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "SbvOptions", "parse", "render"]

NAME = "sbv"
EXTENSIONS = ("sbv",)

# H:MM:SS.mmm,H:MM:SS.mmm with at most 9 hour digits, so a run of digits can
# never reach int()'s digit limit or a time no float can hold. One fixed
# shape with bounded repeats: no backtracking, linear in the line.
_STAMP = r"(\d{1,9}):(\d{1,2}):(\d{1,2})\.(\d{3})"
_TIMING = re.compile(rf"[ \t]*{_STAMP}[ \t]*,[ \t]*{_STAMP}[ \t]*")


@dataclass(frozen=True, slots=True)
class SbvOptions(FormatOptions):
    """
    Options of the SBV writer.

    Args:
        speaker_labels: start a cue's first line with ``"Name: "`` when the
            cue has a speaker (SBV has no speaker field).

    Raises:
        FormatError: a value of the wrong type.
    """

    format: ClassVar[str] = NAME

    speaker_labels: bool = False


_DEFAULTS = SbvOptions()


def format_timestamp(ms: int) -> str:
    """
    ``H:MM:SS.mmm`` as YouTube writes it (hours unpadded, any width).

    Raises:
        ValueError: ``ms`` is negative.
    """
    if ms < 0:
        raise ValueError(f"time cannot be negative: {ms} ms")
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def render(transcript: Transcript, options: SbvOptions | None = None) -> str:
    """
    The transcript as SBV text.

    Args:
        transcript: the cues to write (written in start-time order; cues
            without text are left out).
        options: the writer's options (:class:`SbvOptions` defaults).

    Returns:
        One block per cue (timing line, then its text lines, each trimmed,
        blank lines dropped so a cue can never end early), a blank line
        between blocks; ``""`` for an empty transcript.
    """
    options = options or _DEFAULTS
    check_times(transcript.cues, NAME)
    blocks: list[str] = []
    for cue in ordered(transcript.cues):
        lines = cue_lines(cue.text)
        if not lines:
            continue
        if options.speaker_labels and cue.speaker:
            lines[0] = f"{fold(cue.speaker)}: {lines[0]}"
        text = "\n".join(lines)
        blocks.append(f"{format_timestamp(cue.start_ms)},{format_timestamp(cue.end_ms)}\n{text}\n")
    return finish_output("\n".join(blocks), transcript, NAME)


def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read SBV text, one line at a time (linear in the length of the text).

    A block is the lines up to a blank (or whitespace-only) line; its first
    line is the timing line ``H:MM:SS.mmm,H:MM:SS.mmm`` (spaces or tabs
    allowed around the times and the comma), the rest is the cue's text
    (lines trimmed). Minutes or seconds past 59 are read as the time they
    add up to (``0:61:00.000`` is 1:01:00), with a warning, as webvtt-py
    reads them.

    Lenient by default: a block whose first line is not a timing line is
    skipped with a ``skipped-block`` warning naming its line, and a timing
    line with no text becomes no cue. With ``strict=True`` such a block, or a
    field out of range, raises ``FormatError``. Empty, inverted and
    out-of-order cues are repaired and reported (see
    :func:`~gcore_captions.reading.repair_cues`).

    Raises:
        FormatError: ``strict`` and a block is not a cue; names the file and
            line.
    """
    lines = normalize_newlines(text).split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    timing_line = _TIMING.fullmatch
    cues: list[Cue] = []
    where: list[int | None] = []
    notes: list[TranscriptWarning] = []
    n = len(lines)
    i = 0
    while i < n:
        if not lines[i] or lines[i].isspace():
            i += 1
            continue
        first = i
        while i < n and lines[i] and not lines[i].isspace():
            i += 1
        timing = timing_line(lines[first])
        if timing is None:
            shown = lines[first][:60]
            message = f"not an SBV cue (no 'H:MM:SS.mmm,H:MM:SS.mmm' timing line): {shown!r}"
            if strict:
                raise FormatError(message, filename=filename, line=first + 1)
            notes.append(
                TranscriptWarning("skipped-block", f"skipped a block: {message}", line=first + 1)
            )
            continue
        fields = [int(group) for group in timing.groups()]
        if max(fields[1], fields[2], fields[5], fields[6]) > 59:
            message = f"minutes or seconds past 59 in {lines[first].strip()!r}"
            if strict:
                raise FormatError(message, filename=filename, line=first + 1)
            notes.append(
                TranscriptWarning(
                    "field-out-of-range",
                    f"{message}; read as the time they add up to",
                    cue=len(cues) + 1,
                    line=first + 1,
                )
            )
        start = ((fields[0] * 60 + fields[1]) * 60 + fields[2]) * 1000 + fields[3]
        end = ((fields[4] * 60 + fields[5]) * 60 + fields[6]) * 1000 + fields[7]
        cues.append(Cue(start, end, "\n".join(cue_lines("\n".join(lines[first + 1 : i])))))
        where.append(first + 1)
    if notes and not cues:
        raise FormatError(
            f"not an SBV file: no block is a cue (first: {notes[0].message})", filename=filename
        )
    repaired, warnings = repair_cues(cues, lines=where)
    if notes:
        warnings = tuple(sorted((*notes, *warnings), key=lambda w: w.line or 0))
    return Transcript(cues=repaired, source=NAME, warnings=warnings)
