"""
Reading WebVTT: the W3C file parsing algorithm, cue text to plain text.

The block structure follows the W3C "WebVTT file parsing" steps closely, so
this reader finds the cues a browser finds: a timing line may be the first or
second line of a block; a line containing ``-->`` anywhere else ends the block
and starts the next one; NOTE, STYLE and REGION blocks never become cue text;
a cue whose timing line is invalid is dropped (with a warning here, where a
browser drops it silently).

Cue text is reduced to our plain text: ``<v Name>`` gives the cue's speaker,
every other tag is removed, ruby text (``<rt>``) is dropped and character
references are decoded as an HTML parser decodes them in text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from ..errors import FormatError
from ..model import Cue, Transcript, TranscriptWarning
from ..reading import repair_cues
from ..timecode import parse_vtt_timing

__all__ = ["parse_vtt"]

_ARROW = "-->"
# The spec's "ASCII whitespace" (CR and LF cannot occur inside a line here).
_SPACES = " \t\f"
_TAG_SPACES = " \t\n\f"
_SHOWN_MAX = 60
_SPACE_RUN = re.compile(r"[ \t\n\f]+")


def _collapse(text: str) -> str:
    """
    Runs of the spec's whitespace become one space; none at either end.
    """
    return _SPACE_RUN.sub(" ", text).strip(" ")


def parse_vtt(text: str, *, filename: str | None = None) -> Transcript:
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
        filename: the file's name, for messages.

    Returns:
        The transcript; ``warnings`` lists every dropped or repaired cue.

    Raises:
        FormatError: the text does not start with the ``WEBVTT`` signature.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("WEBVTT") or (len(text) > 6 and text[6] not in " \t\n"):
        shown = text.split("\n", 1)[0][:_SHOWN_MAX]
        raise FormatError(
            f"not a WebVTT file: the first line must start with 'WEBVTT', found {shown!r}",
            filename=filename,
            line=1,
        )
    return _Parser(text.split("\n")).run()


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
        "styles",
        "warnings",
    )

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cues: list[Cue] = []
        self.cue_lines: list[int | None] = []
        self.cue_numbers: list[int] = []
        self.warnings: list[TranscriptWarning] = []
        self.header: list[str] = []
        self.styles: list[str] = []
        self.regions: list[str] = []
        self.seen_cue = False

    def run(self) -> Transcript:
        lines = self.lines
        count = len(lines)
        # lines[0] is the signature line; anything after "WEBVTT" on it is
        # a free-form title, never a cue.
        index = 1
        if index < count and lines[index]:
            index = self._header(index)
        self._blocks(index)
        cues, repairs = repair_cues(self.cues, lines=self.cue_lines, numbers=self.cue_numbers)
        metadata: dict[str, str] = {}
        if self.header:
            metadata["header"] = "\n".join(self.header)
        if self.styles:
            metadata["style"] = "\n\n".join(self.styles)
        if self.regions:
            metadata["region"] = "\n\n".join(self.regions)
        frozen: Mapping[str, str] = metadata
        return Transcript(
            cues=cues,
            source="vtt",
            warnings=(*self.warnings, *repairs),
            metadata=frozen,
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
            # Fast path: the usual cue block "[id]\ntiming\ntext..." whose
            # timing line is valid and whose text has no markup.
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
            raw = lines[end - 1] if end == timing_at + 2 else "\n".join(lines[timing_at + 1 : end])
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
        shown = first[:_SHOWN_MAX]
        self.warnings.append(
            TranscriptWarning(
                "ignored-block",
                f"ignored text that belongs to no cue ({shown!r}...): a cue needs a timing"
                " line (start --> end) as its first or second line, and a blank line ends a cue",
                line=index + 1,
            )
        )
        return end

    def _invalid_timing(self, number: int, at: int) -> None:
        shown = self.lines[at][:_SHOWN_MAX]
        self.warnings.append(
            TranscriptWarning(
                "invalid-timing",
                f"dropped the cue: {shown!r} is not a valid timing line"
                " (expected [HH:]MM:SS.mmm --> [HH:]MM:SS.mmm, minutes and seconds"
                " below 60, three fraction digits)",
                cue=number,
                line=at + 1,
            )
        )


# Elements the spec's tree builder knows; other start tags are ignored.
_ELEMENTS = frozenset({"c", "i", "b", "u", "ruby", "rt", "v", "lang"})


def cue_text_to_plain(raw: str) -> tuple[str, str | None]:
    """
    WebVTT cue text to plain text and the first voice's name.

    Follows the W3C cue text tokenizer: ``<`` opens a tag that runs to the
    next ``>`` (or the end); tags are removed; text inside ``<rt>`` (ruby
    text) is dropped; character references are decoded as HTML decodes them
    in text (``&amp;``, ``&lrm;``, ``&#x20;``, ``&notin;``...). A voice
    after the first one, with a different name, is kept in the text as
    ``Name: ``. Lines left empty by removed markup are removed.
    """
    if "<" not in raw:
        return html.unescape(raw), None
    out: list[str] = []
    stack: list[str] = []
    in_ruby_text = 0
    speaker: str | None = None
    length = len(raw)
    pos = 0
    while pos < length:
        lt = raw.find("<", pos)
        chunk = raw[pos:] if lt < 0 else raw[pos:lt]
        if chunk and not in_ruby_text:
            out.append(html.unescape(chunk) if "&" in chunk else chunk)
        if lt < 0:
            break
        gt = raw.find(">", lt + 1)
        tag = raw[lt + 1 :] if gt < 0 else raw[lt + 1 : gt]
        pos = length if gt < 0 else gt + 1
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
        name, annotation = _split_tag(tag)
        if name not in _ELEMENTS or (name == "rt" and (not stack or stack[-1] != "ruby")):
            continue
        stack.append(name)
        if name == "rt":
            in_ruby_text += 1
        elif name == "v" and annotation:
            if speaker is None:
                speaker = annotation
            elif annotation != speaker and not in_ruby_text:
                out.append(f"{annotation}: ")
    text = "".join(out)
    if "\n" in text:
        text = "\n".join(line for line in text.split("\n") if line)
    return text, speaker


def _split_tag(tag: str) -> tuple[str, str]:
    """
    A start tag's name (without classes) and its annotation, whitespace
    collapsed and character references decoded.
    """
    cut = len(tag)
    for space in _TAG_SPACES:
        found = tag.find(space)
        if 0 <= found < cut:
            cut = found
    head, annotation = tag[:cut], tag[cut:]
    name = head.split(".", 1)[0]
    if annotation:
        annotation = _collapse(annotation)
        if "&" in annotation:
            annotation = html.unescape(annotation)
    return name, annotation
