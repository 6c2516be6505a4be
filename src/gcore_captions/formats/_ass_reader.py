"""
Reading ASS/SSA scripts: the ``[Events]`` section into plain-text cues.

We read the events ourselves rather than through pysubs2: pysubs2 1.8.1
cannot read hours past 99 (its time pattern allows two hour digits and the
whole file fails), which our own writer produces for long recordings, and it
keeps no line numbers for errors and warnings. pysubs2 stays the reference
the tests check our files against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter
from typing import cast

from .._gc import cyclic_gc_paused
from .._plural import plural
from ..errors import FormatError
from ..model import Transcript, TranscriptWarning, make_cues
from ..reading import repair_cues
from ..textio import normalize_newlines
from ..timecode import parse_timestamp, parse_timestamps
from ._text import cue_lines

__all__ = ["parse_ass"]

_DEFAULT_FORMAT = (
    "layer",
    "start",
    "end",
    "style",
    "name",
    "marginl",
    "marginr",
    "marginv",
    "effect",
    "text",
)
# Override blocks, the escapes libass knows, and our word-joiner escape
# (a backslash followed by U+2060 is a literal backslash).
_TOKEN = re.compile("\\{[^}]*\\}|\\\\[Nnh{}]|\\\\\u2060")
_DRAWING = re.compile(r"\\p[1-9]")
_REPLACEMENT = {"\\N": "\n", "\\n": "\n", "\\h": "\u00a0", "\\{": "{", "\\}": "}"}
# The usual shape of an event time (H:MM:SS.cc, hours bounded so each
# converts in one int()), checked for a whole run of stamps at once.
_STAMPS = re.compile(
    r"[0-9]{1,12}:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9](?:\n[0-9]{1,12}:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9])*"
)
# More characters than this in a time field is not a time.
_MAX_TIME_LENGTH = 40


def plain_text(raw: str) -> str | None:
    """
    The plain text of an ASS Text field, or ``None`` for a vector drawing
    (an override block with ``\\p1``...).

    Override blocks (``{`` up to the next ``}``) are removed, ``\\N`` and
    ``\\n`` become line breaks, ``\\h`` a no-break space, ``\\{`` and ``\\}``
    braces, and our escaped backslashes (backslash + U+2060) plain
    backslashes; lines are trimmed and blank lines dropped. Linear in the
    length of the text, however many braces are left open.
    """
    if "{" not in raw:
        return "\n".join(cue_lines(_unescape(raw)))
    parts: list[str] = []
    drawing = False
    kept = i = 0
    close = -2  # the next "}", -2 before it is looked up
    while True:
        brace = raw.find("{", i)
        if brace == -1:
            break
        if brace and raw[brace - 1] == "\\":
            i = brace + 1  # "\{" is a literal brace
            continue
        if close != -1 and close < brace:
            close = raw.find("}", brace)
        if close == -1:
            break  # no "}" left: every other "{" is literal too
        drawing = drawing or _DRAWING.search(raw, brace, close) is not None
        parts.append(_unescape(raw[kept:brace]))
        kept = i = close + 1
    if drawing:
        return None
    parts.append(_unescape(raw[kept:]))
    return "\n".join(cue_lines("".join(parts)))


def _unescape(text: str) -> str:
    """
    ``text`` (outside override blocks) with libass's escapes and ours read.

    The escapes are two characters, a backslash and a character that is not
    one, so they never overlap and can be replaced one kind at a time; our
    escaped backslash goes last, so the backslash it leaves cannot form a
    new escape.
    """
    if "\\" not in text:
        return text
    return (
        text.replace("\\N", "\n")
        .replace("\\n", "\n")
        .replace("\\h", "\u00a0")
        .replace("\\{", "{")
        .replace("\\}", "}")
        .replace("\\\u2060", "\\")
    )


def _plain_texts(raws: list[str]) -> list[str | None]:
    """
    :func:`plain_text` of each Text field; without override blocks in any
    (the usual case), read all at once: joined by line ends (no field holds
    one), unescaped with CR for the ASS line breaks (no field holds one
    either: line ends were normalised), split again and trimmed.
    """
    if not raws:
        return []
    joined = "\n".join(raws)
    if "{" in joined:
        return list(map(plain_text, raws))
    if "\\" in joined:
        joined = (
            joined.replace("\\N", "\r")
            .replace("\\n", "\r")
            .replace("\\h", "\u00a0")
            .replace("\\}", "}")
            .replace("\\\u2060", "\\")
        )
    texts = joined.split("\n")
    if "\r" not in joined:
        return list(map(str.strip, texts))
    # What cue_lines does, for text whose only line breaks are CRs.
    return [
        "\n".join(filter(None, map(str.strip, t.split("\r")))) if "\r" in t else t.strip()
        for t in texts
    ]


# Where Start, End, Text and Name (if any) are among an event's fields.
_Fields = tuple[int, int, int, int | None]


class _Events:
    """
    The Dialogue events of a script as found (their fields split), converted
    in bulk at the end.
    """

    def __init__(self, filename: str | None, strict: bool) -> None:
        self.filename = filename
        self.strict = strict
        self.warnings: list[TranscriptWarning] = []
        self.rows: list[list[str]] = []
        # (first row, field positions) each time a Format line changes them
        self.layouts: list[tuple[int, _Fields]] = []
        self.lines: list[int] = []
        self.numbers: list[int] = []

    def refuse(self, code: str, problem: str, line: int, cue: int | None, repair: str) -> None:
        """
        Report what lenient reading skipped (``problem; repair``); refuse
        the problem when strict.
        """
        if self.strict:
            raise FormatError(problem, filename=self.filename, line=line, cue=cue)
        self.warnings.append(TranscriptWarning(code, f"{problem}; {repair}", cue=cue, line=line))

    def _columns(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """
        The Start, End, Text and Name fields of every row.
        """
        starts: list[str] = []
        ends: list[str] = []
        texts: list[str] = []
        names: list[str] = []
        bounds = [first for first, _ in self.layouts[1:]]
        if self.layouts:
            bounds.append(len(self.rows))
        for (first, (start, end, text, name)), last in zip(self.layouts, bounds, strict=True):
            rows = self.rows[first:last]
            starts += map(itemgetter(start), rows)
            ends += map(itemgetter(end), rows)
            texts += map(itemgetter(text), rows)
            names += map(itemgetter(name), rows) if name is not None else [""] * len(rows)
        return starts, ends, texts, names

    def transcript(self) -> Transcript:
        raw_starts, raw_ends, raw_texts, raw_names = self._columns()
        texts = _plain_texts(raw_texts)
        count = len(texts)
        times = self._times(raw_starts + raw_ends)
        if times is not None and None not in texts:
            keep: Sequence[int] = range(count)
            starts, ends = times[:count], times[count:]
        else:
            keep, starts, ends = self._careful(texts, times, raw_starts, raw_ends)
        kept_texts = (
            [texts[i] or "" for i in keep] if len(keep) < count else cast("list[str]", texts)
        )
        speakers = None
        if "".join(raw_names).strip():
            speakers = [raw_names[i].strip() or None for i in keep]
        cues = make_cues(starts, ends, kept_texts, speakers=speakers)
        lines = self.lines if len(keep) == count else [self.lines[i] for i in keep]
        numbers = self.numbers if len(keep) == count else [self.numbers[i] for i in keep]
        repaired, repairs = repair_cues(cues, lines=lines, numbers=numbers)
        warnings = sorted(self.warnings, key=_line_key)
        return Transcript(cues=repaired, source="ass", warnings=(*warnings, *repairs))

    def _careful(
        self,
        texts: list[str | None],
        times: list[int] | None,
        raw_starts: list[str],
        raw_ends: list[str],
    ) -> tuple[list[int], list[int], list[int]]:
        """
        The events kept (not drawings, times readable) with their times,
        one at a time, reporting each one dropped.
        """
        keep: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        count = len(texts)
        for index, plain in enumerate(texts):
            line, number = self.lines[index], self.numbers[index]
            if plain is None:
                self.warnings.append(
                    TranscriptWarning(
                        "skipped-drawing",
                        "skipped a vector drawing ({\\p1}...), which is not caption text",
                        cue=number,
                        line=line,
                    )
                )
                continue
            if times is None:
                start = self._time(raw_starts[index], line, number)
                end = self._time(raw_ends[index], line, number)
                if start is None or end is None:
                    continue
            else:
                start, end = times[index], times[count + index]
            keep.append(index)
            starts.append(start)
            ends.append(end)
        return keep, starts, ends

    def _times(self, stamps: list[str]) -> list[int] | None:
        """
        The times of ``stamps`` in milliseconds when all have the usual
        shape (one pass), else ``None``.
        """
        if not stamps:
            return []
        joined = "\n".join(stamps)
        if not _STAMPS.fullmatch(joined):
            return None
        # Centiseconds: one more digit gives the milliseconds' shape.
        return parse_timestamps((joined.replace("\n", "0\n") + "0").split("\n"))

    def _time(self, value: str, line: int, cue: int) -> int | None:
        value = value.strip()
        if value.startswith("-") and len(value) <= _MAX_TIME_LENGTH:
            try:
                parse_timestamp(value[1:])
            except ValueError:
                pass
            else:
                self.refuse(
                    "negative-time",
                    f"time {value} is before zero",
                    line,
                    cue,
                    "read it as 0:00:00.00",
                )
                return 0
        try:
            if len(value) > _MAX_TIME_LENGTH:
                raise ValueError(value)
            return parse_timestamp(value)
        except ValueError:
            shown = value if len(value) <= 40 else value[:37] + "..."
            self.refuse(
                "invalid-timing",
                f"bad time {shown!r}; expected H:MM:SS.cc",
                line,
                cue,
                "dropped the event",
            )
            return None


def _line_key(warning: TranscriptWarning) -> int:
    return warning.line or 0


def parse_ass(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read the text of an ASS (v4+) or SSA (v4) script into a transcript
    (``source="ass"``).

    ``Dialogue`` events become cues (``Comment`` events and drawings are
    skipped); fields are found through the section's ``Format`` line (the
    standard ASS order when it is missing); times may have any number of
    hour digits; the Name field becomes the speaker. Empty, inverted and
    out-of-order events are repaired and reported in ``warnings``.

    Lenient (the default), as libass and ExoPlayer read: a ``Dialogue`` with
    a broken time (``invalid-timing``) or too few fields (``invalid-event``)
    is dropped and the others kept; a negative time reads as 0
    (``negative-time``); a ``Format`` line without Start, End and Text last
    is ignored (``invalid-format``). With ``strict=True`` each of these
    raises :class:`FormatError`.

    Raises:
        FormatError: no ``[Script Info]`` or ``[Events]`` section; with
            ``strict=True``, a malformed event or Format line (names the
            file, line and event).
    """
    # Events, cues and warnings form no reference cycles (see _gc).
    with cyclic_gc_paused():
        return _parse(text, filename, strict)


def _parse(text: str, filename: str | None, strict: bool) -> Transcript:
    section = ""
    has_sections = False
    fields: _Fields = (1, 2, 9, 4)
    count = len(_DEFAULT_FORMAT)
    events = _Events(filename, strict)
    number = 0
    for line_number, raw in enumerate(normalize_newlines(text).split("\n"), 1):
        if section == "events" and raw.startswith("Dialogue:"):
            key, rest = "dialogue", raw[9:]
        else:
            line = raw.strip()
            if not line or line[0] == ";":
                continue
            if line[0] == "[" and line[-1] == "]":
                section = line[1:-1].strip().lower()
                has_sections = has_sections or section in ("script info", "events")
                continue
            if section != "events":
                continue
            key, colon, rest = line.partition(":")
            if not colon:
                continue
            key = key.strip().lower()
        if key == "dialogue":
            number += 1
            values = rest.lstrip().split(",", count - 1)
            if len(values) < count:
                events.refuse(
                    "invalid-event",
                    f"Dialogue line has {plural(len(values), 'field')};"
                    f" the Format line names {count}",
                    line_number,
                    number,
                    "dropped the event",
                )
                continue
            if not events.layouts or events.layouts[-1][1] is not fields:
                events.layouts.append((len(events.rows), fields))
            events.rows.append(values)
            events.lines.append(line_number)
            events.numbers.append(number)
        elif key == "format":
            names = tuple(f.strip().lower() for f in rest.split(","))
            if not {"start", "end", "text"} <= set(names) or names[-1] != "text":
                events.refuse(
                    "invalid-format",
                    "the [Events] Format line must name Start, End and Text, with Text last",
                    line_number,
                    None,
                    "kept the field order read before it",
                )
                continue
            name = names.index("name") if "name" in names else None
            fields = (names.index("start"), names.index("end"), len(names) - 1, name)
            count = len(names)
    if not has_sections:
        raise FormatError(
            "not an ASS/SSA script: no [Script Info] or [Events] section", filename=filename
        )
    return events.transcript()
