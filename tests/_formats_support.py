"""
Shared pieces of the format tests: what each reference parser reads back
from our files, the text every writer must keep, and Hypothesis strategies
for hostile caption text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pysubs2
import srt
import webvtt
from hypothesis import strategies as st

from gcore_captions.formats._ass_reader import plain_text
from gcore_captions.model import Cue, Transcript

WJ = "\u2060"


def visible_lines(text: str) -> str:
    """The text every writer keeps: lines split at CR/LF, trimmed, blank ones dropped."""
    lines = (line.strip() for line in re.split(r"\r\n|\r|\n", text))
    return "\n".join(line for line in lines if line)


def srt_shown(text: str) -> str:
    """
    Cue text as our SRT writer carries it: the braces from the first ``{`` to
    the last ``}`` become full-width (libass hides any ``{...}`` pair).
    """
    first, last = text.find("{"), text.rfind("}")
    if first == -1 or last < first:
        return text
    middle = text[first : last + 1].translate({ord("{"): "\uff5b", ord("}"): "\uff5d"})
    return text[:first] + middle + text[last + 1 :]


def ass_ms(ms: int) -> int:
    """A time as it reads back from ASS: rounded half up to the centisecond."""
    return (ms + 5) // 10 * 10


@dataclass(frozen=True)
class Read:
    """One cue as a reference parser reads it."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None


def read_srt(text: str) -> list[Read]:
    """Our SRT through srt.parse; text with the invisible word joiners removed."""
    return [
        Read(
            int(sub.start.total_seconds() * 1000 + 0.5),
            int(sub.end.total_seconds() * 1000 + 0.5),
            sub.content.replace(WJ, ""),
        )
        for sub in srt.parse(text)
    ]


def read_vtt(text: str) -> list[Read]:
    """Our WebVTT through webvtt-py, character references decoded as a player does."""
    return [
        Read(
            c.start_time.in_milliseconds(),
            c.end_time.in_milliseconds(),
            html.unescape(c.text),
            html.unescape(c.voice) if c.voice else None,
        )
        for c in webvtt.from_string(text).captions
    ]


def read_ass(text: str) -> list[Read]:
    """Our ASS through pysubs2; the raw Text field decoded with libass's escapes."""
    events = pysubs2.SSAFile.from_string(text)
    return [
        Read(e.start, e.end, plain_text(e.text) or "", e.name or None)
        for e in events
        if not e.is_comment
    ]


def libass_text(field: str) -> str:
    """
    What libass shows for an ASS Text field (WrapStyle 0), following its
    ``get_next_char`` and override-block rules: ``{...}`` with a closing
    brace is hidden, ``\\N`` breaks the line, ``\\n`` is a space, ``\\h`` a
    no-break space, ``\\{`` and ``\\}`` are braces, any other backslash is
    shown. Written independently of our reader, as a second opinion.
    """
    out = []
    i = 0
    while i < len(field):
        char = field[i]
        if char == "{" and "}" in field[i + 1 :]:
            i = field.index("}", i + 1) + 1
            continue
        if char == "\\" and i + 1 < len(field):
            escape = {"N": "\n", "n": " ", "h": "\u00a0", "{": "{", "}": "}"}.get(field[i + 1])
            if escape is not None:
                out.append(escape)
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


def written(transcript: Transcript) -> list[Cue]:
    """The cues a caption writer writes: the ones with visible text, in time order."""
    return sorted((c for c in transcript.cues if visible_lines(c.text)), key=lambda c: c.start_ms)


# Tokens that break naive writers, mixed into random text.
HOSTILE = [
    "&",
    "&amp;",
    "<3",
    "-->",
    "--->",
    "->",
    "{\\b1}",
    "{",
    "}",
    "\\",
    "\\N",
    "\\n",
    "\\h",
    "\\{",
    "<i>",
    "</i>",
    "<v Bob>",
    "1984",
    "00:00:01,000",
    "12:30:45.5",
    WJ,
    "\t",
    "  ",
    "\u00a0",
    "\U0001f600",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "שלום עולם",
    "مرحبا",
    "中文字幕",
    "NOTE",
    "WEBVTT",
    "[Events]",
    "Dialogue: 0,",
]

_alphabet = st.characters(blacklist_categories=("Cs", "Cc"))
_chunk = st.one_of(st.sampled_from(HOSTILE), st.text(_alphabet, max_size=8))
_line = st.lists(_chunk, max_size=5).map("".join)
cue_text = st.lists(_line, min_size=1, max_size=4).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n", "\n\n", "\n \n"]).map(lambda sep: sep.join(lines))
)
speaker = st.one_of(st.none(), st.sampled_from(["Bob", "Dr. Smith, Jr.", "A & B <x>", "Ана"]))
settings = st.sampled_from([None, "align:start", "line:0 position:10%", "size:50% align:end"])

MAX_MS = 1_000_000_000  # about 278 hours


@st.composite
def transcripts(draw: st.DrawFn, *, max_ms: int = MAX_MS, speakers: bool = True) -> Transcript:
    """Transcripts of 0-6 cues with hostile text and times from 0 to past 100 h."""
    count = draw(st.integers(0, 6))
    cues = []
    for _ in range(count):
        start = draw(st.integers(0, max_ms))
        end = draw(st.integers(start, min(start + 20_000, max_ms)))
        cues.append(Cue(start, end, draw(cue_text), speaker=draw(speaker) if speakers else None))
    return Transcript(tuple(cues))
