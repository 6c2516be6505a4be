"""
WebVTT (``.vtt``): writer; reading is delegated to ``_vtt_reader``.

Cue text escapes ``&``, ``<`` and ``>`` as character references, so ``-->``
in text becomes ``--&gt;`` (lossless: every WebVTT reader decodes it back)
and nothing in caption text can become a tag; a backslash that libass would
read as an escape (FFmpeg hands WebVTT text to libass) gets a word joiner.
A speaker is written as a voice span ``<v Name>``; cue identifiers and
settings are kept where WebVTT and FFmpeg can carry them. See
``docs/formats.md``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from ..languages import to_bcp47
from ..model import Cue, Transcript
from ..timecode import format_vtt
from ._text import WJ, cue_lines, escape_backslashes, fold, ordered, unescape_backslashes
from ._vtt_reader import parse_vtt
from ._writing import check_times, finish_output, warn
from .options import FormatOptions

__all__ = ["EXTENSIONS", "IDENTIFIER_MODES", "NAME", "VttOptions", "parse", "render"]

NAME = "vtt"
EXTENSIONS = ("vtt", "webvtt")

IdentifierMode = Literal["auto", "numbers", "keep", "none"]

#: The values of ``VttOptions.identifiers``.
IDENTIFIER_MODES: tuple[str, ...] = get_args(IdentifierMode)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# "-->" ends a header, a NOTE or an identifier line; "--->" must not become
# "-->" when one dash is taken out, so the whole run of dashes goes. Only a
# run's first dash may start a match, so a long run without ">" is one pass.
_ARROW_RUN = re.compile("(?<!-)-{2,}>")


def _no_arrow(text: str) -> str:
    return _ARROW_RUN.sub("->", text) if "-->" in text else text


def _header_text(text: str) -> str:
    # A header or NOTE line may hold anything but a blank line or "-->".
    return "\n".join(_no_arrow(line) for line in cue_lines(text))


# FFmpeg skips a block that starts with "NOTE" or "WEBVTT" (its comment and
# header test), so a cue with such an identifier would vanish there.
_SKIPPED_BY_FFMPEG = ("NOTE", "WEBVTT", "\ufeffWEBVTT")


def _identifier(value: str) -> str:
    return _no_arrow(fold(value))


def _settings(value: str) -> str:
    settings = fold(value)
    return "" if "-->" in settings else settings


# In a voice name, numeric character references: the annotation decodes
# them as the text does, while FFmpeg, which drops the tag, still replaces
# the named ones it knows (&amp; &lt; &gt;...) and braces inside it, and
# would show them.
_VOICE_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>{}"}


def _voice(speaker: str) -> str:
    # A name ending in "--" would close the tag as "-->", which ends the cue
    # text: its last hyphen is written as a character reference too.
    name = " ".join(speaker.split()).translate(_VOICE_ESCAPES)
    if name.endswith("--"):
        name = name[:-1] + "&#45;"
    return f"<v {name}>" if name else ""


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
    check_times(transcript.cues, NAME)
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
        append(f"{_no_arrow(fold(key).replace(':', ''))}: {_no_arrow(fold(value))}\n")
    append("\n")
    if note:
        body = _header_text(note)
        if body:
            append(f"NOTE\n{body}\n\n")
    number = options.start_index
    numbered = identifiers == "numbers"
    keep = identifiers == "keep"
    dropped: list[Cue] = []
    for cue in cues:
        text = cue.text
        if "\n" in text or "\r" in text or text != text.strip():
            text = "\n".join(cue_lines(text))
        if not text:
            continue
        if "&" in text or "<" in text or ">" in text:
            text = _escape(text)
        if "\\" in text:
            text = escape_backslashes(text)
        if voices and cue.speaker:
            voice = _voice(cue.speaker)
            if voice:
                text = f"{voice}{text}"
        timing = f"{format_vtt(cue.start_ms)} --> {format_vtt(cue.end_ms)}"
        if cue.settings:
            settings = _settings(cue.settings)
            if settings:
                timing = f"{timing} {settings}"
        if numbered:
            append(f"{number}\n{timing}\n{text}\n\n")
        elif keep and cue.identifier and (ident := _identifier(cue.identifier)):
            if ident.startswith(_SKIPPED_BY_FFMPEG):
                dropped.append(cue)
                append(f"{timing}\n{text}\n\n")
            else:
                append(f"{ident}\n{timing}\n{text}\n\n")
        else:
            append(f"{timing}\n{text}\n\n")
        number += 1
    if dropped:
        wanted = {id(cue) for cue in dropped}
        warn(
            NAME,
            "dropped-identifier",
            "an identifier starting with NOTE or WEBVTT left out (FFmpeg would skip the cue)",
            [n for n, cue in enumerate(transcript.cues, 1) if id(cue) in wanted],
        )
    return finish_output("".join(parts), transcript, NAME)


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

    The word joiners our writer puts after backslashes (see
    ``escape_backslashes``) are removed again, so our files read back as
    written.

    Raises:
        FormatError: strict, and no ``WEBVTT`` signature; lenient, and
            neither a signature nor any timing line.
    """
    return _without_joiners(parse_vtt(text, strict=strict, filename=filename), text)


def _without_joiners(transcript: Transcript, text: str) -> Transcript:
    # The word joiners our writer put after backslashes, taken out again.
    if "\\" + WJ not in text:
        return transcript
    cues = tuple(
        cue.replace(text=unescape_backslashes(cue.text)) if "\\" + WJ in cue.text else cue
        for cue in transcript.cues
    )
    return transcript.replace(cues=cues)
