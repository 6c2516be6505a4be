"""
The repairs every reader makes, made once and always reported.

Readers (task payloads, SRT, WebVTT, ASS) build their cues as they find them
and pass them through :func:`repair_cues`: empty cues are dropped, cues that
end before they start get their times swapped, and cues out of time order are
sorted. Each repair becomes a :class:`~gcore_captions.model.TranscriptWarning`
naming the cue (and the line, when the reader knows it). Clean input, by far
the common case, costs one pass over the list and no copies.

:func:`without_surrogates` is the one repair made on text rather than cues:
lone UTF-16 surrogates become U+FFFD, with a ``replaced-surrogate`` warning.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Cue, TranscriptWarning
from .textio import replace_surrogates
from .timecode import format_vtt

__all__ = ["repair_cues", "without_surrogates"]


def without_surrogates(
    text: str,
    warnings: list[TranscriptWarning],
    *,
    what: str = "the text",
    cue: int | None = None,
    line: int | None = None,
) -> str:
    """
    ``text`` with its lone surrogates replaced by U+FFFD, appending one
    ``replaced-surrogate`` warning to ``warnings`` when there were any.

    A lone surrogate (U+D800-U+DFFF, from a JSON ``"\\ud800"`` escape or a
    ``str`` built from bad data) is not a character: no UTF encoding can
    write it, so every file made from it would fail. It is replaced as a
    browser's text encoder replaces it.

    Args:
        text: the text to clean (returned itself when clean: no copy).
        warnings: where the warning goes.
        what: what the text is, for the message (``"the text"``, ``"task_id"``).
        cue: the 1-based cue number the text belongs to, if any.
        line: the file line the text starts on, if known; the warning names
            the line of the first surrogate.
    """
    cleaned, found = replace_surrogates(text)
    if found:
        warnings.append(
            TranscriptWarning(
                "replaced-surrogate",
                f"{what} holds lone UTF-16 surrogates (U+D800-U+DFFF: not characters, no"
                " encoding can write them); replaced each with U+FFFD",
                cue=cue,
                line=None if line is None else line + found - 1,
            )
        )
    return cleaned


def repair_cues(
    cues: Sequence[Cue],
    *,
    lines: Sequence[int | None] | None = None,
    numbers: Sequence[int] | None = None,
) -> tuple[tuple[Cue, ...], tuple[TranscriptWarning, ...]]:
    """
    Drop empty cues, fix end-before-start, and sort out-of-order cues.

    Args:
        cues: the cues in source order.
        lines: for each cue, its 1-based line in the source file, if known.
        numbers: for each cue, its 1-based number in the source (defaults to
            its position + 1).

    Returns:
        The repaired cues and one warning per repair.
    """
    previous_start = -1
    clean = True
    for cue in cues:
        if cue.end_ms < cue.start_ms or cue.start_ms < previous_start or not cue.text.strip():
            clean = False
            break
        previous_start = cue.start_ms
    if clean:
        return tuple(cues), ()

    warnings: list[TranscriptWarning] = []

    def where(index: int) -> tuple[int, int | None]:
        number = numbers[index] if numbers is not None else index + 1
        line = lines[index] if lines is not None else None
        return number, line

    kept: list[tuple[int, Cue]] = []
    for index, cue in enumerate(cues):
        number, line = where(index)
        if not cue.text.strip():
            warnings.append(
                TranscriptWarning(
                    "dropped-empty-cue",
                    f"dropped cue {format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}:"
                    " it has no text",
                    cue=number,
                    line=line,
                )
            )
            continue
        if cue.end_ms < cue.start_ms:
            warnings.append(
                TranscriptWarning(
                    "end-before-start",
                    f"cue ends ({format_vtt(cue.end_ms)}) before it starts"
                    f" ({format_vtt(cue.start_ms)}); swapped the two times",
                    cue=number,
                    line=line,
                )
            )
            cue = cue.replace(start_ms=cue.end_ms, end_ms=cue.start_ms)
        kept.append((index, cue))

    ordered = sorted(kept, key=lambda item: (item[1].start_ms, item[0]))
    latest_start = -1
    for index, cue in kept:
        if cue.start_ms < latest_start:
            number, line = where(index)
            warnings.append(
                TranscriptWarning(
                    "out-of-order",
                    f"cue starts at {format_vtt(cue.start_ms)}, before the cue above it;"
                    " moved it into time order",
                    cue=number,
                    line=line,
                )
            )
        latest_start = max(latest_start, cue.start_ms)
    return tuple(cue for _, cue in ordered), tuple(warnings)
