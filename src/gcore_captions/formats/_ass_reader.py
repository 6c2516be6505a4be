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

from .._plural import plural
from ..errors import FormatError
from ..model import Cue, Transcript, TranscriptWarning
from ..reading import repair_cues
from ..textio import normalize_newlines
from ..timecode import parse_timestamp
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


def plain_text(raw: str) -> str | None:
    """
    The plain text of an ASS Text field, or ``None`` for a vector drawing
    (an override block with ``\\p1``...).

    Override blocks are removed, ``\\N`` and ``\\n`` become line breaks,
    ``\\h`` a no-break space, ``\\{`` and ``\\}`` braces, and our escaped
    backslashes (backslash + U+2060) plain backslashes; lines are trimmed
    and blank lines dropped.
    """
    if "{" not in raw and "\\" not in raw:
        return "\n".join(cue_lines(raw))
    drawing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal drawing
        token = match.group()
        if token[0] == "{":
            drawing = drawing or _DRAWING.search(token) is not None
            return ""
        return _REPLACEMENT.get(token, "\\")

    text = _TOKEN.sub(replace, raw)
    return None if drawing else "\n".join(cue_lines(text))


def _time(
    value: str, line: int, cue: int, filename: str | None, warnings: list[TranscriptWarning]
) -> int:
    value = value.strip()
    if value.startswith("-"):
        warnings.append(
            TranscriptWarning(
                "negative-time",
                f"time {value} is before zero; read as 0:00:00.00",
                cue=cue,
                line=line,
            )
        )
        return 0
    try:
        return parse_timestamp(value)
    except ValueError:
        raise FormatError(
            f"bad time {value!r}; expected H:MM:SS.cc", filename=filename, line=line, cue=cue
        ) from None


def parse_ass(text: str, *, filename: str | None = None) -> Transcript:
    """
    Read the text of an ASS (v4+) or SSA (v4) script into a transcript
    (``source="ass"``).

    ``Dialogue`` events become cues (``Comment`` events and drawings are
    skipped); fields are found through the section's ``Format`` line (the
    standard ASS order when it is missing); times may have any number of
    hour digits; the Name field becomes the speaker. Empty, inverted and
    out-of-order events are repaired and reported in ``warnings``.

    Raises:
        FormatError: no ``[Script Info]`` or ``[Events]`` section, a
            ``Format`` line without Start, End and Text last, a
            ``Dialogue`` line with too few fields, or a bad time; names the
            line.
    """
    section = ""
    has_sections = False
    fields: tuple[str, ...] = _DEFAULT_FORMAT
    cues: list[Cue] = []
    lines: list[int | None] = []
    numbers: list[int] = []
    warnings: list[TranscriptWarning] = []
    number = 0
    for line_number, raw in enumerate(normalize_newlines(text).split("\n"), 1):
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
        if key == "format":
            fields = tuple(f.strip().lower() for f in rest.split(","))
            if not {"start", "end", "text"} <= set(fields) or fields[-1] != "text":
                raise FormatError(
                    "the [Events] Format line must name Start, End and Text, with Text last",
                    filename=filename,
                    line=line_number,
                )
        elif key == "dialogue":
            number += 1
            values = rest.lstrip().split(",", len(fields) - 1)
            if len(values) < len(fields):
                raise FormatError(
                    f"Dialogue line has {plural(len(values), 'field')};"
                    f" the Format line names {len(fields)}",
                    filename=filename,
                    line=line_number,
                    cue=number,
                )
            record = dict(zip(fields, values, strict=True))
            plain = plain_text(record["text"])
            if plain is None:
                warnings.append(
                    TranscriptWarning(
                        "skipped-drawing",
                        "skipped a vector drawing ({\\p1}...), which is not caption text",
                        cue=number,
                        line=line_number,
                    )
                )
                continue
            start = _time(record["start"], line_number, number, filename, warnings)
            end = _time(record["end"], line_number, number, filename, warnings)
            speaker = record.get("name", "").strip() or None
            cues.append(Cue(start, end, plain, speaker=speaker))
            lines.append(line_number)
            numbers.append(number)
    if not has_sections:
        raise FormatError(
            "not an ASS/SSA script: no [Script Info] or [Events] section", filename=filename
        )
    repaired, repairs = repair_cues(cues, lines=lines, numbers=numbers)
    return Transcript(cues=repaired, source="ass", warnings=(*warnings, *repairs))
