"""
Reading WebVTT: the W3C file parsing algorithm, cue text to plain text.

The block structure follows the W3C "WebVTT file parsing" steps closely, so
this reader finds the cues a browser finds: a timing line may be the first or
second line of a block; a line containing ``-->`` anywhere else ends the block
and starts the next one; NOTE, STYLE and REGION blocks never become cue text;
a cue whose timing line is invalid is dropped (with a warning here, where a
browser drops it silently).

Strict reading (``strict=True``) is exactly that. The default, lenient
reading, differs in two places only, each time with a warning: a timing line
the spec refuses but players read (``00:01:39``, ``00:02:12.16``,
``0:0:7.23``...; ``timecode.parse_vtt_timing_lenient``) is read as they read
it (``repaired-timing``), and a file whose first line is not the exact
``WEBVTT`` signature is read anyway (``odd-signature``, ``missing-signature``)
unless it has no timing line at all.

Cue text is reduced to our plain text: ``<v Name>`` gives the cue's speaker,
every other tag is removed, ruby text (``<rt>``) is dropped and character
references are decoded as an HTML parser decodes them in text.
"""

from __future__ import annotations

import html
import re
from types import MappingProxyType

from .._gc import cyclic_gc_paused
from ..errors import FormatError
from ..model import Cue, Transcript, TranscriptWarning
from ..reading import repair_cues
from ..textio import normalize_newlines
from ..timecode import format_vtt, parse_vtt_timing, parse_vtt_timing_lenient

__all__ = ["parse_vtt"]

_ARROW = "-->"
# The spec's "ASCII whitespace" (CR and LF cannot occur inside a line here).
_SPACES = " \t\f"
_TAG_SPACES = " \t\n\f"
_SHOWN_MAX = 60
_SPACE_RUN = re.compile(r"[ \t\n\f]+")


def _shown(line: str) -> str:
    """
    A line quoted for a message, cut short when long.
    """
    if len(line) > _SHOWN_MAX:
        return repr(line[:_SHOWN_MAX]) + "..."
    return repr(line)


def _collapse(text: str) -> str:
    """
    Runs of the spec's whitespace become one space; none at either end.
    """
    return _SPACE_RUN.sub(" ", text).strip(" ")


def parse_vtt(text: str, *, strict: bool = False, filename: str | None = None) -> Transcript:
    """
    Read the text of a WebVTT file into a transcript (``source="vtt"``).

    Kept: cue times, text (markup removed, character references decoded),
    identifiers, the raw cue settings (whitespace collapsed), the first voice
    (``<v Name>``) as the speaker, and the header, STYLE and REGION text in
    ``metadata`` (``"header"``, ``"style"``, ``"region"``). Dropped, each with
    a warning naming the cue and line: cues whose timing line is invalid,
    text blocks that belong to no cue, STYLE/REGION blocks after the first
    cue; then the shared repairs run (empty cues dropped, end-before-start
    swapped, out-of-order cues sorted), each reported too.

    Args:
        text: the file's text; a leading BOM, CRLF and lone CR line ends and
            NUL characters are handled here as the spec says.
        strict: read exactly as the W3C parser (and browsers) do. By default
            timing lines that players read beyond the spec are read too
            (warning ``repaired-timing``), and a file without the exact
            ``WEBVTT`` signature is read with a warning (``odd-signature``,
            ``missing-signature``).
        filename: the file's name, for messages.

    Returns:
        The transcript; ``warnings`` lists every dropped or repaired cue.

    Raises:
        FormatError: strict, and the text does not start with the ``WEBVTT``
            signature; lenient, and the text has neither a signature nor a
            single timing line (it is not WebVTT at all).
    """
    text = normalize_newlines(text)
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\n"):
        # Line 1 is the signature line; anything after "WEBVTT" on it is a
        # free-form title, never a cue.
        return _Parser(text.split("\n"), strict).run(1)
    if strict:
        found = _shown(text.split("\n", 1)[0])
        raise FormatError(
            f"not a WebVTT file: the first line must start with 'WEBVTT', found {found}",
            filename=filename,
            line=1,
        )
    return _lenient_signature(text.split("\n"), filename)


# What a lenient reader takes for a damaged signature line.
_ODD_SIGNATURE_SPACES = " \t\ufeff"


def _lenient_signature(lines: list[str], filename: str | None) -> Transcript:
    """
    Lenient reading of a file whose first line is not the spec's signature:
    a signature line with leading blank lines, spaces, another BOM, other
    letter case or text glued to it is taken for one; with none at all, every
    line is read as blocks, as FFmpeg reads such a file.
    """
    first = 0
    while first < len(lines) - 1 and not lines[first].strip(" \t\f"):
        first += 1
    if lines[first].lstrip(_ODD_SIGNATURE_SPACES)[:6].upper() == "WEBVTT":
        warning = TranscriptWarning(
            "odd-signature",
            f"read line {first + 1}, {_shown(lines[first])}, as the WEBVTT signature"
            " (a WebVTT file must start with exactly 'WEBVTT', then a space, tab or line end)",
            line=first + 1,
        )
        return _Parser(lines, False, warning).run(first + 1)
    warning = TranscriptWarning(
        "missing-signature",
        f"the file does not start with 'WEBVTT' (found {_shown(lines[0])}); read it as WebVTT",
        line=1,
    )
    parser = _Parser(lines, False, warning)
    transcript = parser.run(0, header=False)
    if not parser.timing_lines:
        raise FormatError(
            "not a WebVTT file: no 'WEBVTT' signature and no timing line (start --> end)",
            filename=filename,
            line=1,
        )
    return transcript


def _line_key(warning: TranscriptWarning) -> int:
    return warning.line or 0


class _Parser:
    """
    One pass over the lines of a file, block by block.
    """

    __slots__ = (
        "cue_lines",
        "cue_numbers",
        "cues",
        "header",
        "lines",
        "regions",
        "seen_cue",
        "strict",
        "styles",
        "timing_lines",
        "warnings",
    )

    def __init__(
        self, lines: list[str], strict: bool, warning: TranscriptWarning | None = None
    ) -> None:
        self.lines = lines
        self.strict = strict
        self.cues: list[Cue] = []
        self.cue_lines: list[int | None] = []
        self.cue_numbers: list[int] = []
        self.warnings: list[TranscriptWarning] = [] if warning is None else [warning]
        self.header: list[str] = []
        self.styles: list[str] = []
        self.regions: list[str] = []
        self.seen_cue = False
        self.timing_lines = 0  # blocks with a timing line, valid or not

    def run(self, index: int, *, header: bool = True) -> Transcript:
        """
        Read the blocks from line ``index`` on (after the signature line):
        first the header, when ``header``, then cues and other blocks.
        """
        lines = self.lines
        if header and index < len(lines) and lines[index]:
            index = self._header(index)
        # Cues, warnings and strings form no reference cycles: collections
        # triggered by building them (a warning per line of a damaged file)
        # would only rescan a growing heap, superlinear in the file's length.
        with cyclic_gc_paused():
            self._blocks(index)
            cues, repairs = repair_cues(self.cues, lines=self.cue_lines, numbers=self.cue_numbers)
        metadata: dict[str, str] = {}
        if self.header:
            metadata["header"] = "\n".join(self.header)
        if self.styles:
            metadata["style"] = "\n\n".join(self.styles)
        if self.regions:
            metadata["region"] = "\n\n".join(self.regions)
        return Transcript(
            cues=cues,
            source="vtt",
            # In file order, whichever step noticed them.
            warnings=tuple(sorted((*self.warnings, *repairs), key=_line_key)),
            metadata=MappingProxyType(metadata),
        )

    def _header(self, index: int) -> int:
        """
        The header block: lines after the signature up to a blank line, or up
        to a line with ``-->`` (which then starts the first cue).
        """
        lines = self.lines
        count = len(lines)
        while index < count:
            line = lines[index]
            if not line or _ARROW in line:
                break
            self.header.append(line)
            index += 1
        return index

    def _blocks(self, index: int) -> None:
        lines = self.lines
        count = len(lines)
        number = 0  # cue blocks seen so far, valid or not
        cues = self.cues
        cue_lines = self.cue_lines
        cue_numbers = self.cue_numbers
        while index < count:
            first = lines[index]
            if not first:
                index += 1
                continue
            # A cue block has its timing line first, or second after an
            # identifier; any other block is NOTE, STYLE, REGION or stray text.
            if _ARROW in first:
                timing_at = index
                identifier = None
            elif index + 1 < count and _ARROW in lines[index + 1]:
                timing_at = index + 1
                identifier = first
            else:
                index = self._other_block(index)
                continue
            number += 1
            timing = parse_vtt_timing(lines[timing_at])
            if timing is None and not self.strict:
                timing = self._lenient_timing(number, timing_at)
            end = timing_at + 1
            # Cue text runs to a blank line or to a line with "-->", which
            # starts the next block (the spec's "previous position").
            while end < count:
                line = lines[end]
                if not line or _ARROW in line:
                    break
                end += 1
            if timing is None:
                self._invalid_timing(number, timing_at)
                index = end
                continue
            start_ms, end_ms, settings = timing
            if end == timing_at + 2:
                raw = lines[end - 1]
            else:
                body = lines[timing_at + 1 : end]
                for line in body:
                    if line.isspace():
                        body = [line for line in body if not line.isspace()]
                        break
                raw = "\n".join(body)
            speaker = None
            if "<" in raw or "&" in raw:
                raw, speaker = cue_text_to_plain(raw)
            if settings:
                settings = _collapse(settings)
            cues.append(
                Cue(
                    start_ms,
                    end_ms,
                    raw,
                    speaker=speaker,
                    identifier=identifier or None,
                    settings=settings or None,
                )
            )
            cue_lines.append(timing_at + 1)
            cue_numbers.append(number)
            self.seen_cue = True
            index = end
        self.timing_lines = number

    def _other_block(self, index: int) -> int:
        """
        A block with no timing line among its first two lines: NOTE, STYLE,
        REGION, or stray text. Returns the index after it.
        """
        lines = self.lines
        count = len(lines)
        end = index + 1
        while end < count:
            line = lines[end]
            if not line or _ARROW in line:
                break
            end += 1
        first = lines[index]
        body = lines[index + 1 : end]
        if first.startswith("NOTE") and (len(first) == 4 or first[4] in " \t"):
            return end
        for keyword, store in (("STYLE", self.styles), ("REGION", self.regions)):
            if first.startswith(keyword) and not first[len(keyword) :].strip(_SPACES):
                if self.seen_cue:
                    self.warnings.append(
                        TranscriptWarning(
                            "ignored-block",
                            f"ignored a {keyword} block after the first cue"
                            f" (WebVTT allows {keyword} blocks only before the cues)",
                            line=index + 1,
                        )
                    )
                elif body:
                    store.append("\n".join(body))
                return end
        self.warnings.append(
            TranscriptWarning(
                "ignored-block",
                f"ignored text that belongs to no cue ({_shown(first)}): a cue needs a timing"
                " line (start --> end) as its first or second line, and a blank line ends a cue",
                line=index + 1,
            )
        )
        return end

    def _lenient_timing(self, number: int, at: int) -> tuple[int, int, str] | None:
        """
        A timing line the spec refuses, read as players read it (with a
        warning), or ``None`` when they refuse it too.
        """
        line = self.lines[at]
        read = parse_vtt_timing_lenient(line)
        if read is None:
            return None
        start_ms, end_ms, settings, notes = read
        self.warnings.append(
            TranscriptWarning(
                "repaired-timing",
                f"read the timing line {_shown(line)} as {format_vtt(start_ms)} -->"
                f" {format_vtt(end_ms)}, as players do: {', '.join(notes) or 'not WebVTT'}"
                " (WebVTT needs [HH:]MM:SS.mmm, minutes and seconds below 60)",
                cue=number,
                line=at + 1,
            )
        )
        return start_ms, end_ms, settings

    def _invalid_timing(self, number: int, at: int) -> None:
        self.warnings.append(
            TranscriptWarning(
                "invalid-timing",
                f"dropped the cue: {_shown(self.lines[at])} is not a valid timing line"
                " (expected [HH:]MM:SS.mmm --> [HH:]MM:SS.mmm, minutes and seconds"
                " below 60, three fraction digits)",
                cue=number,
                line=at + 1,
            )
        )


# Elements the spec's tree builder knows; other start tags are ignored.
_ELEMENTS = frozenset({"c", "i", "b", "u", "ruby", "rt", "v", "lang"})
# A tag runs from "<" to the next ">" or to the end of the cue text.
_TAG = re.compile(r"<([^>]*)>?")
# A start tag: name, then ".class" parts, then whitespace and the annotation.
_START_TAG = re.compile(r"([^ \t\n\f.]*)[^ \t\n\f]*(.*)", re.DOTALL)


# A decimal character reference's leading zeros, and one still longer than
# seven digits (past U+10FFFF whatever follows): html.unescape hands the
# digits to int(), which refuses more than 4,300 of them.
_DECIMAL_ZEROS = re.compile(r"&#0+(?=[0-9])")
_DECIMAL_HUGE = re.compile(r"&#[0-9]{8,};?")


def _unescape(text: str) -> str:
    """
    ``html.unescape``, for any length of numeric reference: ``&#0065;`` is
    ``A`` and a value past U+10FFFF is U+FFFD, exactly as it decodes them.
    """
    if "&#" in text:
        text = _DECIMAL_HUGE.sub("\ufffd", _DECIMAL_ZEROS.sub("&#", text))
    return html.unescape(text)


def cue_text_to_plain(raw: str) -> tuple[str, str | None]:
    """
    WebVTT cue text to plain text and the first voice's name.

    Follows the W3C cue text tokenizer: ``<`` opens a tag that runs to the
    next ``>`` (or the end); tags are removed; text inside ``<rt>`` (ruby
    text) is dropped; character references are decoded as HTML decodes them
    in text (``&amp;``, ``&lrm;``, ``&#x20;``, ``&notin;``...). A voice
    after the first one, with a different name, is kept in the text as
    ``Name: ``. Lines left empty or whitespace-only are removed.
    """
    if "<" not in raw:
        return _drop_blank_lines(_unescape(raw)), None
    parts = _TAG.split(raw)  # text, tag, text, tag, ..., text
    out: list[str] = []
    stack: list[str] = []
    in_ruby_text = 0
    speaker: str | None = None
    for index in range(0, len(parts), 2):
        chunk = parts[index]
        if chunk and not in_ruby_text:
            out.append(_unescape(chunk) if "&" in chunk else chunk)
        if index + 1 == len(parts):
            break
        tag = parts[index + 1]
        if not tag or tag[0] in _TAG_SPACES or tag[0] == "." or "0" <= tag[0] <= "9":
            # Nameless start tags and timestamp tags: nothing to build.
            continue
        if tag[0] == "/":
            name = tag[1:]
            if stack and stack[-1] == name:
                if stack.pop() == "rt":
                    in_ruby_text -= 1
            elif name == "ruby" and stack and stack[-1] == "rt":
                stack.pop()
                in_ruby_text -= 1
                stack.pop()
            continue
        if tag in _ELEMENTS:
            name, annotation = tag, ""
        else:
            match = _START_TAG.match(tag)
            if match is None or match[1] not in _ELEMENTS:
                continue
            name, annotation = match[1], match[2]
        if name == "rt":
            if not stack or stack[-1] != "ruby":
                continue
            in_ruby_text += 1
        elif name == "v" and annotation:
            voice = _collapse(annotation)
            if "&" in voice:
                voice = _unescape(voice)
            if speaker is None:
                speaker = voice or None
            elif voice and voice != speaker and not in_ruby_text:
                out.append(f"{voice}: ")
        stack.append(name)
    return _drop_blank_lines("".join(out)), speaker


def _drop_blank_lines(text: str) -> str:
    """
    Remove lines that are empty or only whitespace: a caption line with
    nothing to read (YouTube pads cues with " " lines; markup-only lines
    leave empty ones) would become a blank line, which ends a cue in SRT and
    WebVTT.
    """
    if "\n" not in text:
        return text
    return "\n".join(line for line in text.split("\n") if line and not line.isspace())
