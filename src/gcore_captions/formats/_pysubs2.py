"""
The bridge to ``pysubs2`` for the formats it knows and we do not write
ourselves (MicroDVD, MPL2, TMP; SAMI read only), with our policy around it.

pysubs2 keeps an event's text in ASS form and writes these formats from its
``plaintext``, which hides ``{...}`` and turns ``\\N``, ``\\n`` and ``\\h``
into line breaks and spaces; each format also gives ``|`` (and some a
leading ``/`` or ``<i>``) a meaning. So before handing text over, everything
that would not come out as written is spelt so it does: a word joiner
(U+2060, invisible) after each backslash and each ``<`` before a tag-like
letter, full-width braces, ``¦`` for ``|``, each with a warning. Our
reader removes the joiners again. Times are rounded by us (half up) to what
the format holds, and the rounding reported; pysubs2 would truncate.

pysubs2 is imported only when one of these formats is used. Whatever it
raises on hostile input becomes a :class:`~gcore_captions.errors.FormatError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import FormatError
from ..model import Cue, Transcript, TranscriptWarning
from ..reading import repair_cues
from ._ass_reader import plain_text
from ._text import WJ, cue_lines, fold, ordered
from ._writing import check_times, finish_output, warn

__all__ = ["read", "write"]

_BACKSLASH = re.compile(r"\\(?=[Nnh{}])")
# pysubs2's TMP reader strips ``< */? *[a-zA-Z][^>]*>``: spaces may stand
# between the "<", the "/" and the letter.
_TAG_OPEN = re.compile(r"<(?= */? *[A-Za-z])")
_BRACES = str.maketrans({"{": "\uff5b", "}": "\uff5d"})


def _protect(line: str, *, slash: bool, changed: dict[str, list[int]], number: int) -> str:
    if "\\" in line:
        line = _BACKSLASH.sub("\\\\" + WJ, line)
    if "<" in line:
        line = _TAG_OPEN.sub("<" + WJ, line)
    if slash and line.startswith("/"):
        line = WJ + line
    if "{" in line or "}" in line:
        line = line.translate(_BRACES)
        changed.setdefault("full-width-braces", []).append(number)
    if "|" in line:
        line = line.replace("|", "¦")
        changed.setdefault("broken-bar", []).append(number)
    return line


def write(
    transcript: Transcript,
    format: str,
    *,
    speaker_labels: bool,
    round_to_ms: int,
    rounding: str,
    slash: bool = False,
    fps: float | None = None,
    head: str = "",
    max_ms: int | None = None,
    **pysubs2_options: Any,
) -> str:
    """
    The transcript in pysubs2's ``format``.

    Args:
        transcript: the cues (in start-time order; cues without text are left
            out).
        format: pysubs2's format name (``"microdvd"``, ``"mpl2"``, ``"tmp"``).
        speaker_labels: start a cue's first line with ``"Name: "``.
        round_to_ms: the format's time step (100 for deciseconds); 1 when
            the format rounds itself (MicroDVD's frames).
        rounding: what the rounding warning calls the step.
        slash: a line starting with ``/`` means italics in this format.
        fps: the frame rate times are rounded to (MicroDVD), passed on.
        head: text to write before pysubs2's (a declaration line).
        max_ms: the latest time the format holds (pysubs2 would clamp
            later ones silently; we refuse them).
        pysubs2_options: passed to pysubs2's writer (``fps``...).
    """
    import pysubs2  # only when one of these formats is written

    check_times(transcript.cues, format)
    numbers = {id(cue): number for number, cue in enumerate(transcript.cues, 1)}
    changed: dict[str, list[int]] = {}
    rounded: list[int] = []
    subs = pysubs2.SSAFile()
    for cue in ordered(transcript.cues):
        lines = cue_lines(cue.text)
        if not lines:
            continue
        number = numbers[id(cue)]
        if max_ms is not None and _round(cue.end_ms, round_to_ms) > max_ms:
            raise FormatError(
                f"{format}: the cue ends after the latest time the format holds"
                f" ({max_ms // 3_600_000}:59:59)",
                cue=number,
            )
        if speaker_labels and cue.speaker:
            lines[0] = f"{fold(cue.speaker)}: {lines[0]}"
        lines = [_protect(line, slash=slash, changed=changed, number=number) for line in lines]
        start, end = _round(cue.start_ms, round_to_ms), _round(cue.end_ms, round_to_ms)
        if (start, end) != (cue.start_ms, cue.end_ms) or (
            fps is not None and not (_on_frame(start, fps) and _on_frame(end, fps))
        ):
            rounded.append(number)
        event = pysubs2.SSAEvent(start=start, end=end)
        event.text = "\\N".join(lines)  # already safe as ASS text: no braces, no \N
        subs.append(event)
    _report(format, changed, rounded, rounding)
    if fps is not None:
        pysubs2_options["fps"] = fps
    try:
        output = head + subs.to_string(format, **pysubs2_options)
    except (ValueError, OverflowError, pysubs2.Pysubs2Error) as error:
        raise FormatError(f"{format}: {error}") from None
    return finish_output(output, transcript, format)


def _on_frame(ms: int, fps: float) -> bool:
    frame = round(ms * fps / 1000)
    return abs(frame * 1000 / fps - ms) < 0.5


def _round(ms: int, step: int) -> int:
    return ms if step == 1 else (ms + step // 2) // step * step


def _report(format: str, changed: dict[str, list[int]], rounded: list[int], rounding: str) -> None:
    cues = changed.get("full-width-braces")
    if cues:
        warn(format, "full-width-braces",
             "braces written full-width \uff5b\uff5d (pysubs2 and players hide {...})",
             sorted(set(cues)))  # fmt: skip
    cues = changed.get("broken-bar")
    if cues:
        warn(format, "broken-bar", "'|' written as '¦' ('|' is a line break in this format)",
             sorted(set(cues)))  # fmt: skip
    if rounded:
        warn(format, "rounded-times", f"times rounded to the nearest {rounding}", rounded)


def read(
    text: str,
    format: str,
    *,
    filename: str | None,
    source: str,
    warnings: Sequence[TranscriptWarning] = (),
    ends_at_next: bool = False,
    unclosed: tuple[str, str] | None = None,
    **pysubs2_options: Any,
) -> Transcript:
    """
    Read ``text`` with pysubs2's ``format`` reader: each event with text a
    cue (its plain text, our word joiners removed).

    With ``ends_at_next`` (SAMI, whose ``SYNC`` marks have no end), each
    event ends where the next one starts, blank ones included, as players
    show them; pysubs2 guesses a duration from the text's length instead.

    ``unclosed`` (an opener and its closer, ``("{", "}")``) names the markup
    pysubs2's reader looks for with a regex that scans from each opener to
    the end of the line when no closer follows (quadratic): such openers
    are hidden from it, and given back, as :func:`_hide_unclosed` says.

    Raises:
        FormatError: pysubs2 refused it.
    """
    import pysubs2

    hidden = None
    if unclosed is not None:
        text, hidden = _hide_unclosed(text, *unclosed)
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=format, **pysubs2_options)
        # Their ASS-form text, made plain by our linear reader: pysubs2's
        # .plaintext rescans to the end from every unclosed "{" (quadratic).
        events = [(e.start, e.end, e.text) for e in subs if not e.is_comment]
    except RecursionError:
        raise FormatError(f"not a {format} file: nested too deeply", filename=filename) from None
    except Exception as error:
        detail = " ".join(str(error).split())[:200] or type(error).__name__
        raise FormatError(
            f"not a {format} file pysubs2 can read: {detail}", filename=filename
        ) from None
    if not events and text.strip():
        # pysubs2 reads any text as a file with no events: nothing of it is a cue.
        shown = text.strip().split("\n", 1)[0][:60]
        raise FormatError(f"not a {format} file: no cue in it ({shown!r})", filename=filename)
    if ends_at_next:
        events = [
            (start, events[index + 1][0] if index + 1 < len(events) else end, plain)
            for index, (start, end, plain) in enumerate(events)
        ]
    cues = []
    for start, end, raw in events:
        if hidden is not None and hidden in raw:
            raw = raw.replace(hidden, unclosed[0] if unclosed else "")
        plain = plain_text(raw)
        body = "\n".join(cue_lines((plain or "").replace(WJ, "")))
        cues.append(Cue(max(start, 0), max(end, 0), body))
    repaired, repairs = repair_cues(cues)
    return Transcript(cues=repaired, source=source, warnings=(*warnings, *repairs))


# Private-use code points, tried in turn as the stand-in for a hidden opener.
_STAND_INS = (*range(0xE000, 0xF900), *range(0xF0000, 0xFFFFE), *range(0x100000, 0x10FFFE))


def _hide_unclosed(text: str, opener: str, closer: str) -> tuple[str, str | None]:
    """
    ``text`` with each ``opener`` that no ``closer`` follows on its line
    replaced by a private-use character the text does not hold (returned
    too, to be turned back), so pysubs2's regexes never scan past it.

    The stand-in has the opener's length, so pysubs2's guesses from a line's
    length (TMP's end times) are unchanged; only such openers are hidden, so
    every tag pysubs2 would read is still read. ``None`` when nothing needed
    hiding or the text holds every stand-in.
    """
    if opener not in text:
        return text, None
    lines = text.split("\n")
    tails = [line.rfind(closer) + 1 for line in lines]
    if not any(opener in line[tail:] for line, tail in zip(lines, tails, strict=True)):
        return text, None
    used = set(text)
    stand_in = next((chr(c) for c in _STAND_INS if chr(c) not in used), None)
    if stand_in is None:
        return text, None
    hidden = (
        line[:tail] + line[tail:].replace(opener, stand_in)
        for line, tail in zip(lines, tails, strict=True)
    )
    return "\n".join(hidden), stand_in


def reader(
    format: str,
    source: str,
    *,
    ends_at_next: bool = False,
    unclosed: tuple[str, str] | None = None,
) -> Callable[..., Transcript]:
    """A ``parse(text, *, filename=None, strict=False)`` for pysubs2's ``format``."""

    def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
        del strict  # pysubs2's readers have one mode
        return read(
            text,
            format,
            filename=filename,
            source=source,
            ends_at_next=ends_at_next,
            unclosed=unclosed,
        )

    return parse
