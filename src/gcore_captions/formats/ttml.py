"""
TTML as the IMSC1 Text Profile (``.ttml``; also read from ``.dfxp`` and
``.xml``): the caption format of DASH and most distribution specifications.

Writing is ours (a fixed document shape, one ``<p>`` per cue, far faster than
building a ttconv model); reading goes through ``ttconv``, the IMSC editors'
own reader, which resolves every TTML time expression (clock times, offsets,
frames, ticks, ``seq`` containers) into the cues' times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from ..languages import to_bcp47
from ..model import Transcript
from ..timecode import format_vtt
from ._text import cue_lines, fold, ordered
from ._ttconv import read_document
from ._writing import check_times, warn
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "TtmlOptions", "format_timestamp", "parse", "render"]

NAME = "ttml"
EXTENSIONS = ("ttml", "dfxp", "xml")

#: The IMSC1 Text Profile designator, declared with ``ttp:profile``.
IMSC1_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1/text"

_HEAD = """\
<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"\
 xmlns:tts="http://www.w3.org/ns/ttml#styling" ttp:profile="{profile}" ttp:timeBase="media"\
 xml:lang="{lang}">
  <head>
    <styling>
      <style xml:id="caption" tts:textAlign="center" tts:color="white"\
 tts:backgroundColor="#000000CC" tts:fontFamily="proportionalSansSerif"/>
    </styling>
    <layout>
      <region xml:id="{region}" tts:origin="10% 10%" tts:extent="80% 80%"\
 tts:displayAlign="{align}"/>
    </layout>
  </head>
  <body region="{region}" style="caption">
    <div>
"""
_TAIL = """\
    </div>
  </body>
</tt>
"""

# Characters XML 1.0 cannot carry at all (C0 controls but tab and the line
# ends, lone surrogates, U+FFFE and U+FFFF): written as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# TTML's default xml:space collapses runs of XML white space (space, tab) to
# one space when shown; writing them collapsed makes the file what is shown.
_XML_SPACE = re.compile("[ \t]{2,}|\t")


@dataclass(frozen=True, slots=True)
class TtmlOptions(FormatOptions):
    """
    Options of the TTML (IMSC1 Text Profile) writer.

    Args:
        speaker_labels: start a cue's first line with ``"Name: "`` when the
            cue has a speaker.
        position: where the captions sit: ``"bottom"`` (default) or
            ``"top"`` of the video, inside a region of 80 % of its width and
            height, centred.

    Raises:
        FormatError: a value of the wrong type.
    """

    format: ClassVar[str] = NAME

    speaker_labels: bool = False
    position: Literal["bottom", "top"] = "bottom"


_DEFAULTS = TtmlOptions()


def format_timestamp(ms: int) -> str:
    """
    ``HH:MM:SS.mmm``, TTML's clock time, the same spelling as WebVTT's; hours
    widen past 99 (``100:00:00.000``), which TTML allows.

    Raises:
        ValueError: ``ms`` is negative.
    """
    return format_vtt(ms)


def _line(text: str) -> str:
    if "\t" in text or "  " in text:
        text = _XML_SPACE.sub(" ", text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _language(transcript: Transcript) -> str:
    if not transcript.language:
        return ""  # xml:lang="" declares the language unknown
    try:
        return to_bcp47(transcript.language)
    except ValueError:
        return ""


def render(transcript: Transcript, options: TtmlOptions | None = None) -> str:
    """
    The transcript as a TTML document in the IMSC1 Text Profile.

    Args:
        transcript: the cues to write (written in start-time order; cues
            without text are left out).
        options: the writer's options (:class:`TtmlOptions` defaults).

    Returns:
        The XML document: ``xml:lang`` is the transcript's language as a
        BCP-47 tag (empty when unknown), one ``<p begin end>`` per cue with
        clock times exact to the millisecond at any length, lines joined by
        ``<br/>``, text XML-escaped.
    """
    options = options or _DEFAULTS
    check_times(transcript.cues, NAME)
    region, align = ("bottom", "after") if options.position == "bottom" else ("top", "before")
    parts = [
        _HEAD.format(profile=IMSC1_TEXT, lang=_language(transcript), region=region, align=align)
    ]
    append = parts.append
    stamp = format_timestamp
    replaced = False
    for cue in ordered(transcript.cues):
        lines = cue_lines(cue.text)
        if not lines:
            continue
        if options.speaker_labels and cue.speaker:
            lines[0] = f"{fold(cue.speaker)}: {lines[0]}"
        for index, line in enumerate(lines):
            if _NOT_XML.search(line):
                lines[index] = _NOT_XML.sub("\ufffd", line)
                replaced = True
        text = "<br/>".join(_line(line) for line in lines)
        append(f'      <p begin="{stamp(cue.start_ms)}" end="{stamp(cue.end_ms)}">{text}</p>\n')
    append(_TAIL)
    if replaced:
        # Numbered in the transcript's order, as every writer's warnings are.
        search = _NOT_XML.search
        cues = [
            number
            for number, cue in enumerate(transcript.cues, 1)
            if search(cue.text) or (options.speaker_labels and cue.speaker and search(cue.speaker))
        ]
        warn(
            NAME,
            "replaced-character",
            "a control character, lone surrogate, U+FFFE or U+FFFF written as U+FFFD"
            " (XML cannot carry it)",
            cues,
        )
    return "".join(parts)


def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read a TTML document (IMSC1, DFXP and other TTML1/TTML2 profiles) through
    ``ttconv``'s reader.

    Each ``<p>`` with text becomes a cue at its resolved times (parents'
    begins added, ends clipped to the parents' ends), rounded to the
    millisecond; ``<br/>`` is a line break, spans become plain text.
    ``xml:lang`` becomes the transcript's language. What ttconv reports
    while reading becomes a ``ttconv`` warning; with ``strict=True`` it is
    an error instead.

    Raises:
        FormatError: not XML, not a TTML document, or (``strict``) anything
            ttconv warns about; names the file and, where known, the line.
    """
    return read_document(text, kind="ttml", filename=filename, strict=strict, source=NAME)
