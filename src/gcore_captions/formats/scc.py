"""
Scenarist SCC (``.scc``): CEA-608 pop-on captions at 29.97 frames a second,
drop-frame time code, the format US broadcast and most storefronts take.

The writer is ours: each caption is loaded into the decoder's hidden memory
(RCL, ENM, a preamble address code per row, the characters) and shown with
EOC on the frame the cue starts, then erased with EDM when it ends, with
every control code sent twice as CEA-608 asks. ttconv (the reference reader,
used to read SCC) writes SCC through its ISD snapshots, which takes time
quadratic in the cues (2,000 cues: 19 s); this writer is linear.

The policy CEA-608 imposes, owned here:

- 32 characters × 4 rows: longer lines are reflowed (``overflow="reflow"``)
  or refused (``"error"``); a cue that needs more than 4 rows is refused.
- only the characters 608 can show: others are written as their closest
  608 spelling (``’`` as ``'``, ``…`` as ``...``, ``ő`` as ``o``) or ``?``,
  with a warning naming the cues (``unsupported="error"`` refuses).
- times under 24 hours (the time code's range).
- times land on frames: each shift is at most half a frame (17 ms); a
  caption that cannot be loaded in time (too close to the previous one, or
  at the very start) is shown late. Both are reported.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from ..errors import FormatError
from ..model import Cue, Transcript
from ._text import cue_lines, fold, ordered
from ._ttconv import read_document
from ._writing import check_times, warn
from .options import FormatOptions

__all__ = [
    "COLUMNS",
    "EXTENSIONS",
    "NAME",
    "ROWS",
    "SccOptions",
    "frame_to_ms",
    "frame_to_timecode",
    "ms_to_frame",
    "parse",
    "render",
]

NAME = "scc"
EXTENSIONS = ("scc",)

#: The caption grid of CEA-608.
COLUMNS = 32
ROWS = 4
#: 29.97 frames a second: a frame lasts 1001/30 ms.
_FRAME_NUM, _FRAME_DEN = 30, 1001
#: The first time code past the range (24:00:00;00), in frames.
_DAY_FRAMES = 24 * 107_892

_HEADER = "Scenarist_SCC V1.0\n\n"

# Control codes, channel 1 (before parity).
_RCL = (0x14, 0x20)  # resume caption loading (pop-on)
_ENM = (0x14, 0x2E)  # erase non-displayed memory
_EOC = (0x14, 0x2F)  # end of caption: swap memories, the caption shows
_EDM = (0x14, 0x2C)  # erase displayed memory
# The first byte and the base second byte of the preamble address code of
# each row (1-15), white, no underline; add the indent code for a column.
_PAC_ROW = {
    1: (0x11, 0x40), 2: (0x11, 0x60), 3: (0x12, 0x40), 4: (0x12, 0x60),
    5: (0x15, 0x40), 6: (0x15, 0x60), 7: (0x16, 0x40), 8: (0x16, 0x60),
    9: (0x17, 0x40), 10: (0x17, 0x60), 11: (0x10, 0x40), 12: (0x13, 0x40),
    13: (0x13, 0x60), 14: (0x14, 0x40), 15: (0x14, 0x60),
}  # fmt: skip
#: The last row captions sit on at the bottom (row 15 is often outside the
#: safe area), and the first at the top.
_BOTTOM_ROW, _TOP_ROW = 14, 2

# CEA-608's basic characters: ASCII, but for ten code points.
_BASIC = {chr(code): code for code in range(0x20, 0x80)}
for _ascii in "*\\^_`{|}~\x7f":
    del _BASIC[_ascii]
_BASIC.update(
    {"á": 0x2A, "é": 0x5C, "í": 0x5E, "ó": 0x5F, "ú": 0x60}
    | {"ç": 0x7B, "÷": 0x7C, "Ñ": 0x7D, "ñ": 0x7E, "█": 0x7F}
)
# Special characters: (0x11, code), shown in place.
_SPECIAL = dict(zip("®°½¿™¢£♪à\0èâêîôû", range(0x30, 0x40), strict=True))
del _SPECIAL["\0"]  # 0x39 is the transparent space
# Extended characters: (0x12 or 0x13, code), each replacing the basic
# character before it, which decoders without them show instead.
_SPANISH_FRENCH = "ÁÉÓÚÜü‘¡*'—©℠•“”ÀÂÇÈÊËëÎÏïÔÙùÛ«»"
_PORTUGUESE_GERMAN = "ÃãÍÌìÒòÕõ{}\\^_|~ÄäÖöß¥¤¦ÅåØø┌┐└┘"
_EXTENDED = {
    **{char: (0x12, 0x20 + index) for index, char in enumerate(_SPANISH_FRENCH)},
    **{char: (0x13, 0x20 + index) for index, char in enumerate(_PORTUGUESE_GERMAN)},
}
# What a decoder without the extended set shows in their place.
_FALLBACK = {"‘": "'", "¡": "!", "*": ".", "—": "-", "©": "c", "℠": "s", "•": ".", "“": '"'}
_FALLBACK |= {"”": '"', "«": '"', "»": '"', "{": "(", "}": ")", "\\": "/", "^": "'"}
_FALLBACK |= {"_": "-", "|": "!", "~": "-", "ß": "s", "¥": "Y", "¤": "o", "¦": "!"}
_FALLBACK |= {"┌": "+", "┐": "+", "└": "+", "┘": "+", "Ø": "O", "ø": "o"}
# Spellings for characters 608 lacks that read the same.
_APPROXIMATE = {"’": "'", "‚": ",", "„": '"', "–": "-", "‑": "-", "―": "-", "…": "..."}
_APPROXIMATE |= {
    "\t": " ",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "€": "EUR",
    "‹": "<",
    "›": ">",
}

_PARITY = bytes(b | (0x80 if bin(b).count("1") % 2 == 0 else 0) for b in range(128))


_HEX = [f"{byte:02x}" for byte in _PARITY]


def _word(first: int, second: int) -> str:
    return _HEX[first] + _HEX[second]


_RCL_W, _ENM_W, _EOC_W, _EDM_W = (_word(*code) for code in (_RCL, _ENM, _EOC, _EDM))


@dataclass(frozen=True, slots=True)
class SccOptions(FormatOptions):
    """
    Options of the SCC (CEA-608 pop-on) writer.

    Args:
        overflow: a line longer than 32 characters, or more than 4 lines:
            ``"reflow"`` (default) the cue's words into lines of at most 32,
            or ``"error"``. A cue that needs more than 4 rows is refused
            either way (split it first, e.g. ``--reflow`` with a preset).
        unsupported: a character CEA-608 cannot show: ``"replace"``
            (default) it with its closest 608 spelling or ``?``, with a
            warning, or ``"error"``.
        position: ``"bottom"`` (default; the last line on row 14) or
            ``"top"`` (the first line on row 2); lines are centred.
        speaker_labels: start a cue's first line with ``"Name: "`` when the
            cue has a speaker.

    Raises:
        FormatError: a value of the wrong type or not one of the choices.
    """

    format: ClassVar[str] = NAME

    overflow: Literal["reflow", "error"] = "reflow"
    unsupported: Literal["replace", "error"] = "replace"
    position: Literal["bottom", "top"] = "bottom"
    speaker_labels: bool = False


_DEFAULTS = SccOptions()


def ms_to_frame(ms: int) -> int:
    """
    The frame (at 29.97 fps) nearest to ``ms``, halves rounded up.
    """
    return (ms * _FRAME_NUM * 2 + _FRAME_DEN) // (_FRAME_DEN * 2)


def frame_to_ms(frame: int) -> float:
    """
    When ``frame`` starts, in (fractional) milliseconds.
    """
    return frame * _FRAME_DEN / _FRAME_NUM


def frame_to_timecode(frame: int) -> str:
    """
    The drop-frame time code ``HH:MM:SS;FF`` of ``frame`` (29.97 fps: frame
    numbers 00 and 01 are skipped each minute but every tenth).
    """
    tens, rest = divmod(frame, 17_982)
    number = frame + 18 * tens + (2 * ((rest - 2) // 1_798) if rest > 1 else 0)
    ff = number % 30
    ss = number // 30 % 60
    mm = number // 1_800 % 60
    hh = number // 108_000
    return f"{hh:02d}:{mm:02d}:{ss:02d};{ff:02d}"


class _Spelling:
    """Characters in their 608 spelling, recording which cues needed help."""

    def __init__(self, unsupported: str) -> None:
        self.refuse = unsupported == "error"
        self.approximated: list[Cue] = []
        self.replaced: list[Cue] = []

    def line(self, text: str, cue: Cue, number: int) -> str:
        if all(c in _BASIC or c in _SPECIAL or c in _EXTENDED for c in text):
            return text
        out: list[str] = []
        approximate = replaced = False
        for char in text:
            if char in _BASIC or char in _SPECIAL or char in _EXTENDED:
                out.append(char)
                continue
            spelling = _APPROXIMATE.get(char)
            if spelling is None:
                base = "".join(
                    c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
                )
                if base and all(c in _BASIC or c in _SPECIAL or c in _EXTENDED for c in base):
                    spelling = base
            if spelling is None:
                if self.refuse:
                    raise FormatError(
                        f"scc: {char!r} (U+{ord(char):04X}) is not a character CEA-608 can show",
                        cue=number,
                    )
                spelling = "?"
                replaced = True
            else:
                approximate = True
            out.append(spelling)
        if replaced:
            self.replaced.append(cue)
        elif approximate:
            self.approximated.append(cue)
        return "".join(out)


def _layout(lines: list[str], overflow: str, number: int) -> list[str]:
    if len(lines) <= ROWS and all(len(line) <= COLUMNS for line in lines):
        return lines
    if overflow == "error":
        raise FormatError(
            f"scc: the cue has {len(lines)} lines, the longest {max(map(len, lines))} characters;"
            f" CEA-608 shows at most {ROWS} rows of {COLUMNS} (overflow='reflow' reflows it)",
            cue=number,
        )
    rows: list[str] = []
    current = ""
    for word in " ".join(lines).split(" "):
        while len(word) > COLUMNS:  # a word longer than a row is cut
            if current:
                rows.append(current)
                current = ""
            rows.append(word[:COLUMNS])
            word = word[COLUMNS:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= COLUMNS:
            current = f"{current} {word}"
        else:
            rows.append(current)
            current = word
    if current:
        rows.append(current)
    if len(rows) > ROWS:
        raise FormatError(
            f"scc: the cue needs {len(rows)} rows of {COLUMNS} characters; CEA-608 shows at most"
            f" {ROWS}: split it first (e.g. --reflow with a preset)",
            cue=number,
        )
    return rows


def _row_groups(text: str, row: int) -> list[list[str]]:
    """
    The preamble address code (and tab offset) centring ``text`` on ``row``,
    then its text, as groups of words that must be sent together: a doubled
    code (a decoder takes the repeat as redundant only right after the
    first), a fallback character and its extended character, or two
    characters.
    """
    column = (COLUMNS - len(text)) // 2
    first, base = _PAC_ROW[row]
    pac = _word(first, base + 0x10 + (column // 4) * 2)
    groups = [[pac, pac]]
    if column % 4:
        tab = _word(0x17, 0x20 + column % 4)
        groups.append([tab, tab])
    pending: int | None = None
    for char in text:
        code = _BASIC.get(char)
        if code is not None:
            if pending is None:
                pending = code
            else:
                groups.append([_word(pending, code)])
                pending = None
            continue
        if pending is not None:
            groups.append([_word(pending, 0)])
            pending = None
        if char in _SPECIAL:
            special = _word(0x11, _SPECIAL[char])
            groups.append([special, special])
        else:
            first_byte, second = _EXTENDED[char]
            fallback = _BASIC[_FALLBACK.get(char, unicodedata.normalize("NFKD", char)[0])]
            extended = _word(first_byte, second)
            groups.append([_word(fallback, 0), extended, extended])
    if pending is not None:
        groups.append([_word(pending, 0)])
    return groups


def _load_words(rows: Sequence[str], position: str) -> tuple[list[str], list[int]]:
    """The words that load a caption, and the indexes where another code may go between."""
    first_row = _TOP_ROW if position == "top" else _BOTTOM_ROW - len(rows) + 1
    words = [_RCL_W, _RCL_W, _ENM_W, _ENM_W]
    breaks = [0, 2, 4]
    for offset, text in enumerate(rows):
        for group in _row_groups(text, first_row + offset):
            words += group
            breaks.append(len(words))
    return words, breaks


def render(transcript: Transcript, options: SccOptions | None = None) -> str:
    """
    The transcript as Scenarist SCC (CEA-608 pop-on, 29.97 fps drop-frame).

    Args:
        transcript: the cues to write (in start-time order; cues without
            text are left out). 608 shows one pop-on caption at a time: a
            cue that starts before the previous one ends replaces it then.
        options: the writer's options (:class:`SccOptions` defaults).

    Returns:
        The SCC text: a header, then one line per burst of codes (time code,
        tab, hex words).

    Raises:
        FormatError: a time at or past 24 hours; a cue that needs more than
            4 rows of 32 (or, as the options say, any overflow or a
            character 608 cannot show); names the cue.
    """
    options = options or _DEFAULTS
    check_times(transcript.cues, NAME)
    spelling = _Spelling(options.unsupported)
    numbers = {id(cue): number for number, cue in enumerate(transcript.cues, 1)}
    captions: list[tuple[int, int, tuple[list[str], list[int]], Cue]] = []
    for cue in ordered(transcript.cues):
        lines = cue_lines(cue.text)
        if not lines:
            continue
        number = numbers[id(cue)]
        if cue.end_ms >= 24 * 3_600_000:
            raise FormatError(
                "scc: times must be under 24 hours (the SCC time code's range)", cue=number
            )
        if options.speaker_labels and cue.speaker:
            lines[0] = f"{fold(cue.speaker)}: {lines[0]}"
        lines = [spelling.line(line, cue, number) for line in lines]
        rows = _layout(lines, options.overflow, number)
        start = ms_to_frame(cue.start_ms)
        end = max(ms_to_frame(cue.end_ms), start + 1)
        captions.append((start, end, _load_words(rows, options.position), cue))

    bursts, late, cut = _schedule(captions)
    _report(captions, spelling, late, cut, numbers)
    if not bursts:
        return _HEADER
    return _HEADER + "\n\n".join(f"{frame_to_timecode(f)}\t{' '.join(w)}" for f, w in bursts) + "\n"


def _schedule(
    captions: list[tuple[int, int, tuple[list[str], list[int]], Cue]],
) -> tuple[list[tuple[int, list[str]]], list[tuple[Cue, int]], list[Cue]]:
    """
    Lay the captions' codes on frames, one word a frame, bursts never
    overlapping: load each caption so its EOC lands on its start frame,
    erase it (EDM) on its end frame unless the next caption replaces it
    first. Returns the bursts, the captions shown late (with the frames),
    and the captions cut short by the next one.
    """
    bursts: list[tuple[int, list[str]]] = []
    late: list[tuple[Cue, int]] = []
    cut: list[Cue] = []
    free = 0  # the first frame no burst uses yet
    pending_edm: int | None = None  # the frame the shown caption should be erased on
    for index, (start, end, (load, breaks), cue) in enumerate(captions):
        size = len(load)
        if pending_edm is not None:
            erase = max(pending_edm, free)
            if erase + 2 <= start - size:  # room to erase before loading
                bursts.append((erase, [_EDM_W, _EDM_W]))
                free = erase + 2
            elif erase < start - 2:
                # The erase falls inside this caption's loading: send it there
                # (EDM clears the shown memory, not the one being loaded).
                begin = max(free, start - size - 2)
                wanted = max(erase - begin, 0)  # never before the erase frame
                at = breaks[bisect.bisect_left(breaks, wanted)] if wanted <= size else size
                load = [*load[:at], _EDM_W, _EDM_W, *load[at:]]
                size += 2
            # else: this caption's EOC, at most 2 frames later, replaces it.
        begin = max(free, start - size)
        shown = begin + size
        if shown > start:
            late.append((cue, shown - start))
        bursts.append((begin, [*load, _EOC_W, _EOC_W]))
        free = shown + 2
        following = captions[index + 1][0] if index + 1 < len(captions) else None
        if following is not None and following <= end:
            pending_edm = None  # the next caption's EOC replaces this one
            if following < end:
                cut.append(cue)
        else:
            pending_edm = end
    if pending_edm is not None:
        bursts.append((max(pending_edm, free), [_EDM_W, _EDM_W]))
    return bursts, late, cut


def _report(
    captions: list[tuple[int, int, tuple[list[str], list[int]], Cue]],
    spelling: _Spelling,
    late: list[tuple[Cue, int]],
    cut: list[Cue],
    numbers: dict[int, int],
) -> None:
    def cue_numbers(cues: Sequence[Cue]) -> list[int]:
        return sorted(numbers[id(cue)] for cue in cues)

    if spelling.replaced:
        warn(NAME, "replaced-character", "a character CEA-608 cannot show written as '?'",
             cue_numbers(spelling.replaced))  # fmt: skip
    if spelling.approximated:
        warn(NAME, "approximated-character",
             "characters CEA-608 lacks written in their closest 608 spelling (’ as ', … as ...)",
             cue_numbers(spelling.approximated))  # fmt: skip
    if late:
        worst = max(frames for _, frames in late)
        warn(NAME, "shown-late",
             f"shown up to {worst} frames ({frame_to_ms(worst):.0f} ms) late: loading a caption"
             " takes one frame per two characters, and there was not enough time before it",
             cue_numbers([cue for cue, _ in late]))  # fmt: skip
    if cut:
        warn(NAME, "cut-short", "ends when the next cue starts (608 shows one caption at a time)",
             cue_numbers(cut))  # fmt: skip
    moved = [
        cue for start, end, _, cue in captions
        if frame_to_ms(start) != cue.start_ms or frame_to_ms(end) != cue.end_ms
    ]  # fmt: skip
    if moved:
        warn(NAME, "rounded-to-frames",
             "times moved to the nearest 29.97 fps frame (at most half a frame, 17 ms)",
             cue_numbers(moved))  # fmt: skip


def parse(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read Scenarist SCC (pop-on, roll-up and paint-on CEA-608) through
    ``ttconv``'s reader: each caption a cue from the frame it is shown to
    the frame it is erased or replaced, rounded to the millisecond.

    A file that is not blank must open with the ``Scenarist_SCC V1.0``
    header (ttconv reads any other text as an SCC file with no captions).

    Raises:
        FormatError: not SCC, or (``strict``) anything ttconv warns about.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head and not head.startswith("Scenarist_SCC"):
        shown = head.split("\n", 1)[0][:60]
        raise FormatError(
            f"not an SCC file: it does not open with 'Scenarist_SCC V1.0' ({shown!r})",
            filename=filename,
            line=1,
        )
    return read_document(text, kind="scc", filename=filename, strict=strict, source=NAME)
