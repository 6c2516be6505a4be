"""
Shared pieces of the writer tests (injection, players, browser): hostile
strings for every field, and what each caption writer carries of them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from hypothesis import strategies as st

from _formats_support import HOSTILE, visible_lines
from gcore_captions import Cue, Transcript
from gcore_captions.formats import WriterWarning

# Every code point, lone surrogates and control characters included, mixed
# with the tokens that broke writers before.
EXTRA = [
    "--",
    "--->",
    "-- >",
    "\x00",
    "\ud800",
    "\udfff",
    "\r",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\ufeff",
    "NOTE ",
    "WEBVTT",
    "STYLE",
    "Style: ",
    ",",
    "\\",
    "{",
    "}",
    "<",
    ">",
    "&",
    "< b >",
    "<3 x>",
]
_anything = st.characters(blacklist_categories=())
_chunk = st.one_of(st.sampled_from(HOSTILE + EXTRA), st.text(_anything, max_size=6))
field = st.lists(_chunk, max_size=6).map("".join)
optional = st.one_of(st.none(), field)

_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def carried(text: str) -> str:
    """A NUL or lone surrogate is written as U+FFFD by every caption writer."""
    return _UNSAFE.sub("\ufffd", text)


def collapse(text: str) -> str:
    """Whitespace runs as single spaces, trimmed (how a voice name is written)."""
    return " ".join(text.split())


@st.composite
def transcripts(draw: st.DrawFn, *, max_cues: int = 5) -> Transcript:
    """Transcripts with hostile strings in every field."""
    cues = []
    for _ in range(draw(st.integers(0, max_cues))):
        start = draw(st.integers(0, 10**9))
        end = draw(st.integers(start, start + 10**5))
        cues.append(
            Cue(
                start,
                end,
                draw(field),
                speaker=draw(optional),
                identifier=draw(optional),
                settings=draw(optional),
            )
        )
    return Transcript(
        tuple(cues),
        task_id=draw(optional),
        language=draw(st.one_of(st.none(), st.sampled_from(["eng", "ger"]), field)),
        metadata={"url": draw(field), draw(field): draw(field)},
    )


@contextmanager
def writer_warnings() -> Iterator[list[WriterWarning]]:
    """Collect the WriterWarnings a render issues; anything else fails the test."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found: list[WriterWarning] = []
        yield found
    for item in caught:
        assert isinstance(item.message, WriterWarning), item
        found.append(item.message)


def written(transcript: Transcript, shown: Callable[[str], str]) -> list[tuple[Cue, str]]:
    """The cues a caption writer writes, in time order, each with the text it carries."""
    cues = sorted(transcript.cues, key=lambda c: c.start_ms)
    pairs = [(c, shown(visible_lines(carried(c.text)))) for c in cues]
    return [(c, text) for c, text in pairs if text]


def vtt_identifier(value: str | None) -> str | None:
    """The identifier our WebVTT writer writes for ``value`` (``None``: none)."""
    if value is None:
        return None
    ident = re.sub("-{2,}>", "->", collapse_lines(carried(value)))
    if not ident or ident.startswith(("NOTE", "WEBVTT", "\ufeffWEBVTT")):
        return None
    return ident


def collapse_lines(text: str) -> str:
    """The visible lines joined by spaces (how a one-line field is written)."""
    return " ".join(visible_lines(text).split("\n"))
