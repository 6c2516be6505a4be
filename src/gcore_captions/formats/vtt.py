"""
WebVTT (``.vtt``): writer; reading is delegated to ``_vtt_reader``.

Cue text escapes ``&``, ``<`` and ``>`` as character references, so ``-->``
in text becomes ``--&gt;`` (lossless: every WebVTT reader decodes it back)
and nothing in caption text can become a tag. A speaker is written as a
voice span ``<v Name>``; cue identifiers and settings are kept.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from ..languages import to_bcp47
from ..model import Transcript
from ..timecode import format_vtt
from ._text import cue_lines, fold, ordered
from ._vtt_reader import parse_vtt
from .options import FormatOptions

__all__ = ["EXTENSIONS", "IDENTIFIER_MODES", "NAME", "VttOptions", "parse", "render"]

NAME = "vtt"
EXTENSIONS = ("vtt", "webvtt")

IdentifierMode = Literal["auto", "numbers", "keep", "none"]

#: The values of ``VttOptions.identifiers``.
IDENTIFIER_MODES: tuple[str, ...] = get_args(IdentifierMode)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _header_text(text: str) -> str:
    # A header or NOTE line may hold anything but a blank line or "-->".
    return "\n".join(line.replace("-->", "->") for line in cue_lines(text))


def _identifier(value: str) -> str:
    return fold(value).replace("-->", "->")


def _settings(value: str) -> str:
    settings = fold(value)
    return "" if "-->" in settings else settings


@dataclass(frozen=True, slots=True)
class VttOptions(FormatOptions):
    """
    Options of the WebVTT writer.

    Args:
        identifiers: ``"auto"`` (the cues' own identifiers when any cue has
            one, else numbers, as Gcore's own ``vttContent`` does),
            ``"numbers"`` (always ``start_index``, ``start_index + 1``...),
            ``"keep"`` (only the cues' own identifiers) or ``"none"``.
        start_index: the first cue number (0 or more).
        note: a ``NOTE`` block written after the header (for example the
            task id and language); ``-->`` in it becomes ``->``.
        metadata: header lines written right after ``WEBVTT`` as
            ``Key: value`` (for example ``(("Kind", "captions"),)``; a
            mapping is accepted too).
        language_header: add a ``Language: <BCP-47>`` header line (``en``
            for ``eng``) when the transcript's language is known.
        voices: write a cue's speaker as ``<v Name>``.

    Raises:
        FormatError: a value of the wrong type, an unknown identifier mode
            or a negative start index.
    """

    format: ClassVar[str] = NAME

    identifiers: IdentifierMode = "auto"
    start_index: int = 1
    note: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    language_header: bool = False
    voices: bool = True

    def check(self) -> None:
        if self.start_index < 0:
            raise self.invalid("start_index", "0 or more")


_DEFAULTS = VttOptions()


def render(transcript: Transcript, options: VttOptions | None = None) -> str:
    """
    The transcript as WebVTT text.

    Args:
        transcript: the cues to write (in start-time order; cues without
            text are left out).
        options: the writer's options (:class:`VttOptions` defaults).

    Returns:
        The file's text: ``WEBVTT``, a blank line, then one block per cue
        (identifier, ``HH:MM:SS.mmm --> HH:MM:SS.mmm [settings]``, text),
        each followed by a blank line.
    """
    options = options or _DEFAULTS
    identifiers: str = options.identifiers
    note = options.note
    voices = options.voices
    cues = ordered(transcript.cues)
    if identifiers == "auto":
        identifiers = "keep" if any(cue.identifier for cue in cues) else "numbers"
    headers = dict(options.metadata)
    if options.language_header and transcript.language and "Language" not in headers:
        # A language that is not a code has nothing to declare.
        with contextlib.suppress(ValueError):
            headers["Language"] = to_bcp47(transcript.language)
    parts = ["WEBVTT\n"]
    append = parts.append
    for key, value in headers.items():
        append(f"{fold(key).replace(':', '')}: {fold(value).replace('-->', '->')}\n")
    append("\n")
    if note:
        body = _header_text(note)
        if body:
            append(f"NOTE\n{body}\n\n")
    number = options.start_index
    numbered = identifiers == "numbers"
    keep = identifiers == "keep"
    for cue in cues:
        text = cue.text
        if "\n" in text or "\r" in text or text != text.strip():
            text = "\n".join(cue_lines(text))
        if not text:
            continue
        if "&" in text or "<" in text or ">" in text:
            text = _escape(text)
        if voices and cue.speaker:
            speaker = _escape(fold(cue.speaker))
            if speaker:
                text = f"<v {speaker}>{text}"
        timing = f"{format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}"
        if cue.settings:
            settings = _settings(cue.settings)
            if settings:
                timing = f"{timing} {settings}"
        if numbered:
            append(f"{number}\n{timing}\n{text}\n\n")
        elif keep and cue.identifier and (ident := _identifier(cue.identifier)):
            append(f"{ident}\n{timing}\n{text}\n\n")
        else:
            append(f"{timing}\n{text}\n\n")
        number += 1
    return "".join(parts)


def parse(text: str, *, strict: bool = False, filename: str | None = None) -> Transcript:
    """
    Read WebVTT text as the W3C parsing algorithm does (see
    ``_vtt_reader.py`` and ``docs/webvtt-reading.md``): every cue browsers
    show, each repair a warning.

    By default (lenient) also what players read beyond the spec: timing
    lines such as ``00:01:39``, ``00:02:12.16`` or ``0:0:7.23`` (warning
    ``repaired-timing``) and files without the exact ``WEBVTT`` signature
    (``odd-signature``, ``missing-signature``). ``strict=True`` reads
    exactly as browsers do.

    Raises:
        FormatError: strict, and no ``WEBVTT`` signature; lenient, and
            neither a signature nor any timing line.
    """
    return parse_vtt(text, strict=strict, filename=filename)
