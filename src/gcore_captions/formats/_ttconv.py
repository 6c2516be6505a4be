"""
The bridge to ``ttconv`` (the IMSC editors' TTML, SCC and EBU-STL library):
its reader's document model turned into our cues, with our policy around it.

ttconv is imported only when a TTML document is read. Whatever it raises on
hostile input (its own errors, ``ValueError``, ``RecursionError`` on deep
nesting) becomes a :class:`~gcore_captions.errors.FormatError`, and what it
logs while reading becomes a warning of ours (or, strict, an error): nothing
it notices is lost, and nothing untyped escapes.
"""

from __future__ import annotations

import bisect
import io
import logging
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any

from ..errors import FormatError
from ..languages import normalize
from ..model import Cue, Transcript, TranscriptWarning
from ..reading import repair_cues
from ._text import cue_lines

__all__ = ["read_document"]

# ttconv's SCC reader names six CEA-608 characters by look-alikes (heavy box
# drawing for the em dash, broken bar and corners, U+028C for the caret):
# what players show is the standard glyph.
_SCC_GLYPHS = str.maketrans({"━": "—", "ʌ": "^", "┃": "¦", "┏": "┌", "┓": "┐", "┗": "└", "┛": "┘"})

#: An open-ended last cue (no end anywhere up its tree) is shown this long.
OPEN_END_MS = 5000


class _Collect(logging.Handler):
    """ttconv's log records of one thread (batch exports read in threads)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(" ".join(record.getMessage().split()))


@contextmanager
def _collected_logs() -> Iterator[_Collect]:
    logger = logging.getLogger("ttconv")
    handler = _Collect()
    logger.addHandler(handler)
    propagate = logger.propagate
    logger.propagate = False  # ours now: reported as warnings, not logged twice
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def read_document(
    text: str | bytes, *, kind: str, filename: str | None, strict: bool, source: str
) -> Transcript:
    """
    Read ``text`` with ttconv's ``kind`` reader (``"ttml"`` or ``"scc"``; the
    bytes of an ``"stl"`` file) into a transcript.

    Raises:
        FormatError: the reader refused it (or, ``strict``, warned).
    """
    with _collected_logs() as logs:
        try:
            document = _to_model(text, kind, filename)
        except FormatError:
            raise
        except RecursionError:
            raise FormatError(
                f"ttconv cannot read this {kind.upper()} document: nested too deeply",
                filename=filename,
            ) from None
        except Exception as error:
            detail = " ".join(str(error).split())[:200] or type(error).__name__
            raise FormatError(
                f"ttconv cannot read this {kind.upper()} document: {detail}", filename=filename
            ) from None
    if document is None:
        raise FormatError(f"not a {kind.upper()} document (ttconv found none)", filename=filename)
    if strict and logs.messages:
        raise FormatError(f"ttconv: {logs.messages[0]}", filename=filename)
    warnings = [TranscriptWarning("ttconv", f"ttconv: {message}") for message in logs.messages]
    cues, open_ended, never_shown = _cues(document, _SCC_GLYPHS if kind == "scc" else None)
    repaired, repairs = repair_cues(cues)
    if never_shown:
        warnings.append(
            TranscriptWarning(
                "never-shown",
                f"{never_shown} paragraph(s) with text end when or before they begin (clipped"
                " by an enclosing element's end): never shown, left out",
            )
        )
    if open_ended:
        warnings.append(
            TranscriptWarning(
                "open-ended-cue",
                f"{open_ended} cue(s) have no end time; each ends when the next starts"
                f" (the last after {OPEN_END_MS // 1000} s)",
            )
        )
    return Transcript(
        cues=repaired,
        language=_language(document.get_lang()),
        source=source,
        warnings=(*warnings, *repairs),
    )


def _to_model(text: str | bytes, kind: str, filename: str | None) -> Any:
    if isinstance(text, bytes):
        if kind != "stl":
            raise ValueError(f"the {kind} reader takes text")
        from ttconv.stl import reader as stl_reader

        return stl_reader.to_model(io.BytesIO(text))
    if kind == "scc":
        from ttconv.scc import reader as scc_reader

        return scc_reader.to_model(text.lstrip("\ufeff"))
    if kind != "ttml":
        raise ValueError(f"unknown ttconv reader {kind!r}")
    from ttconv.imsc import reader  # ~30 ms; only when a TTML document is read

    try:
        root = ElementTree.fromstring(text.lstrip("\ufeff"))
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else None
        raise FormatError(f"not well-formed XML: {error}", filename=filename, line=line) from None
    return reader.to_model(ElementTree.ElementTree(root))


def _language(tag: str | None) -> str | None:
    if not tag:
        return None
    try:
        return normalize(tag)
    except ValueError:
        return None


def _ms(seconds: Fraction) -> int:
    # Half up, to the millisecond; frame and tick times land between.
    return int(seconds * 1000 + Fraction(1, 2))


def _cues(document: Any, glyphs: dict[int, str] | None) -> tuple[list[Cue], int, int]:
    """
    Every paragraph with text, at its resolved times, in document order,
    the number of open-ended ones, and the number left out because an
    enclosing element's end clips them to nothing (never shown). ttconv's
    reader itself already leaves out a paragraph whose own begin and end
    are equal.

    Iterative (no recursion): a document nested 100,000 deep is just long.
    """
    from ttconv import model

    body = document.get_body()
    if body is None:
        return [], 0, 0
    never_shown = 0
    found: list[tuple[int, int | None, str]] = []
    # (element, absolute begin, absolute end or None for indefinite)
    stack: list[tuple[Any, Fraction, Fraction | None]] = []
    stack.append((body, *_times(body, Fraction(0), None)))
    while stack:
        element, begin, end = stack.pop()
        if isinstance(element, model.P):
            text = "\n".join(cue_lines(_text_of(element)))
            if glyphs is not None:
                text = text.translate(glyphs)
            if text and (end is None or end > begin):
                found.append((_ms(begin), None if end is None else _ms(end), text))
            elif text:
                never_shown += 1
            continue
        children = list(_children(element))
        for child in reversed(children):
            stack.append((child, *_times(child, begin, end)))
    return (*_close(found), never_shown)


def _times(
    element: Any, parent_begin: Fraction, parent_end: Fraction | None
) -> tuple[Fraction, Fraction | None]:
    begin_offset = element.get_begin()
    end_offset = element.get_end()
    begin = parent_begin + (begin_offset or 0)
    end = parent_end
    if end_offset is not None:
        own = parent_begin + end_offset
        end = own if end is None else min(own, end)
    return begin, end


def _children(element: Any) -> Iterator[Any]:
    child = element.first_child()
    while child is not None:
        yield child
        child = child.next_sibling()


def _text_of(paragraph: Any) -> str:
    from ttconv import model

    parts: list[str] = []
    stack = [paragraph]
    while stack:
        element = stack.pop()
        if isinstance(element, model.Text):
            parts.append(element.get_text())
        elif isinstance(element, model.Br):
            parts.append("\n")
        else:
            stack.extend(reversed(list(_children(element))))
    return "".join(parts)


def _close(found: list[tuple[int, int | None, str]]) -> tuple[list[Cue], int]:
    open_ended = 0
    cues: list[Cue] = []
    starts = sorted(start for start, _, _ in found)
    for start, end, text in found:
        if end is None:
            open_ended += 1
            later = _next_after(starts, start)
            end = later if later is not None else start + OPEN_END_MS
        cues.append(Cue(start, end, text))
    return cues, open_ended


def _next_after(starts: list[int], start: int) -> int | None:
    index = bisect.bisect_right(starts, start)
    return starts[index] if index < len(starts) else None
