"""
Reading SubRip (``.srt``) text into plain-text cues, one line at a time.

Lenient by default, as the players are (ExoPlayer, FFmpeg; see
``docs/formats.md``): odd time stamps are read, a block that cannot be a cue
is skipped, and every repair is a :class:`~gcore_captions.model.TranscriptWarning`
naming its line. ``strict=True`` refuses anything but the usual shape with a
:class:`~gcore_captions.errors.FormatError` naming the file, cue and line.

The writer (:mod:`gcore_captions.formats.srt`) breaks markup look-alikes with
an invisible U+2060 WORD JOINER; this reader removes exactly the joiners the
writer added, so our own files round-trip exactly.

Every pattern here is matched against one line (or, on the fast path, a run
of fixed-shape lines), anchored, with no two quantifiers that can share
characters, so a failed match costs at most one pass: the reader is linear
in its input (the ``srt`` library's ``SRT_REGEX``, which it replaced,
backtracks without bound on long digit runs).
"""

from __future__ import annotations

import re
from itertools import accumulate

from .._gc import cyclic_gc_paused
from ..errors import FormatError
from ..model import Transcript, TranscriptWarning, make_cues
from ..reading import repair_cues
from ..textio import normalize_newlines
from ..timecode import parse_timestamps
from ._srt_text import unescape_line
from ._text import WJ, cue_lines

__all__ = ["parse_srt"]

NAME = "srt"


_SEP = "[,.:，．。：]"
_COLONS = ":："
# A number line: the writer's _NUMBER_LINE without its joiners.
_NUMBER = re.compile("-?[0-9]+(?:\\.[0-9]*)?")
_INDEX = re.compile("\\s*-?[0-9]+(?:\\.[0-9]*)?\\s*")
# A time stamp of two to four digit fields. Groups: first field, separator,
# second, then optionally separator and third, then optionally separator
# and fourth (the milliseconds of H:MM:SS,mmm; may be empty).
_STAMP = f"([0-9]+)({_SEP})([0-9]+)(?:({_SEP})([0-9]+)(?:({_SEP})([0-9]*))?)?"
_ARROW = "[ \\t]*-[ -][ \\t]*>[ \\t]*"
_TIMING = re.compile(f"\\s*{_STAMP}{_ARROW}{_STAMP}(.*)")
# What a line must start with to end the cue above it: a time stamp of three
# fields (the ``srt`` library's lookahead), or one of two and an arrow.
_CUE_START_BODY = f"[0-9]+{_SEP}[0-9]+(?:{_SEP}[0-9]|[ \\t]*-[ -][ \\t]*>)"
_CUE_START = re.compile(f"\\s*{_CUE_START_BODY}")
# A line the writer ends a number line above (its _TIME_START).
_TIME_START = re.compile(f"[0-9]+{_SEP}[0-9]+{_SEP}[0-9]")
# The timing line strict reading takes: HH:MM:SS,mmm --> HH:MM:SS,mmm (two
# or more hour digits), then nothing or whitespace and cue settings.
_STRICT_STAMP = "[0-9]{2,}:[0-9]{2}:[0-9]{2},[0-9]{3}"
_STRICT_TIMING = re.compile(f"{_STRICT_STAMP} +--> +{_STRICT_STAMP}(?:[ \\t].*)?")
_STRICT_INDEX = re.compile("[0-9]+")
# More significant digits than this in one time field is not a time.
_MAX_DIGITS = 20

# The fast path: a whole file in the usual shape, checked a run of lines at
# a time. Hours are bounded so every stamp converts in one int().
_FAST_STAMP = "[0-9]{2,12}:[0-5][0-9]:[0-5][0-9]%s[0-9]{3}"
_FAST_TIMING = f"{_FAST_STAMP} --> {_FAST_STAMP}"
# Strict reading takes "," only; lenient also ".".
_FAST_TIMINGS = {
    strict: re.compile(f"{timing}(?:\n{timing})*")
    for strict, timing in (
        (True, _FAST_TIMING % (",", ",")),
        (False, _FAST_TIMING % ("[,.]", "[,.]")),
    )
}
_FAST_INDEXES = re.compile("[0-9]+(?:\n[0-9]+)*")
# A number line inside a cue's text right above a line that starts a cue:
# the slow path ends the cue there.
_INNER_CUE_START = re.compile(
    f"[^\n]\n[^\\S\n]*-?[0-9]+(?:\\.[0-9]*)?[^\\S\n]*\n[^\\S\n]*{_CUE_START_BODY}"
)

# FFmpeg's SRT tag reading (libavcodec/htmlsubtitles.c): at most this many
# characters between "<" (and "/") and ">"; the style tags it converts, the
# line breaks, and the characters of a name it takes for an unknown tag.
_MAX_TAG = 127
_STYLE_TAGS = frozenset({"b", "i", "s", "u"})
_BREAK_TAGS = frozenset({"br", "br/"})
_TAG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_/")


def parse_srt(text: str, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read SubRip text (linear in the length of the text).

    The shape, line by line:

    - a cue is an optional number line (``-?digits[.digits]``, whitespace
      around it ignored), any blank lines, a timing line ``START --> END``
      (``-->``, ``- >``, spaces or tabs around the arrow), then text lines;
    - a time stamp is ``H:MM:SS,mmm`` (hours of any width), ``H:MM:SS``,
      ``MM:SS,mmm`` (a colon, then ``,`` or ``.``) or ``MM:SS``, as ExoPlayer
      reads them; ``.`` (or ``:`` or a full-width separator) may stand for
      ``,``, fields need no padding, and the digits after the separator are
      milliseconds as a number (``,5`` is 5 ms, as FFmpeg and ExoPlayer read
      it). Whitespace after the end time ends it; the rest of the line (cue
      settings such as ``X1:…``) is ignored;
    - the line after the timing line is text whatever it holds (unless
      blank); after that, a cue ends at a blank (or whitespace-only) line
      followed by what starts a cue (a line starting with a time stamp, or a
      number line followed by one), at a number line followed directly by a
      line starting with a time stamp, or at the end of the text.

    Lenient (the default), as the players read: text glued to a complete end
    time (``00:01:20,000?``) is dropped (``text-after-time``); a field out of
    its range (``00:99:00,000``) is read as the number it is
    (``time-out-of-range``); a number line and timing line right below a
    cue's text, with no blank line before them, start a new cue
    (``missing-blank-line``); a text block after a blank line that starts no
    cue is kept in the cue above, as FFmpeg shows it (``stray-text``); a block
    whose timing line is missing or broken is skipped, the cues around it
    kept (``invalid-timing``, or ``ignored-block`` when nothing in it looks
    like a timing line), unless no cue at all is left: then the text is not
    SRT and the first such block raises :class:`FormatError`. With
    ``strict=True`` each of these raises :class:`FormatError`, and so does a
    timing line that is not ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` or a cue
    without its number line.

    Formatting is removed as FFmpeg shows it (:func:`_strip_markup`):
    ``<i>``, ``<b>``, ``<u>``, ``<s>``, ``<font …>`` (any case, spaces inside
    allowed: ``< i >``), unknown tags (``<sub>``), ``<br>`` as a line break,
    and ``{\\…}`` blocks; lines are trimmed and blank lines inside a cue removed; empty,
    inverted and out-of-order cues are repaired and reported in
    ``warnings``, each naming the line of its number (or timing) line.

    Raises:
        FormatError: with ``strict=True``, a malformed block; without, text
            in which not one cue can be read (names the file, cue and line).
    """
    text = normalize_newlines(text)
    # A BOM (or several, or whitespace around them) before the first cue.
    skip = 0
    size = len(text)
    while skip < size and (text[skip] == "\ufeff" or text[skip].isspace()):
        skip += 1
    base = text.count("\n", 0, skip) + 1  # the line number of the first line read
    body = text[skip:]
    # Cues, warnings and line strings form no reference cycles: the
    # collections their allocations would trigger find nothing and, over a
    # growing heap, made the cost per cue grow with the file.
    with cyclic_gc_paused():
        fast = _read_fast(body, base, strict)
        if fast is not None:
            return fast
        return _Reader(body.split("\n"), base, filename, strict).run()


def _read_fast(body: str, base: int, strict: bool) -> Transcript | None:
    """
    The transcript of a file in the usual shape (what our writer and most
    tools write: a number line, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, text
    lines, one blank line between cues), read a run of lines at a time;
    ``None`` for any other file, which the line-by-line reader then reads to
    the same result.
    """
    core = body.rstrip("\n")
    if not core or "\n\n\n" in core:
        return None
    heads = [block.split("\n", 2) for block in core.split("\n\n")]
    if min(map(len, heads)) != 3:
        return None
    indexes, timings, texts = map(list, zip(*heads, strict=True))
    if not _FAST_INDEXES.fullmatch("\n".join(indexes)):
        return None
    joined = "\n".join(timings)
    if not _FAST_TIMINGS[strict].fullmatch(joined):
        return None
    # A text of three lines or more may hold a number line right above a
    # line that starts a cue (never its first line, always text).
    for text in texts:
        if text.count("\n") > 1 and _INNER_CUE_START.search(text):
            return None
    # Whitespace at the ends of text lines is trimmed as the line reader
    # trims it; a line of whitespace only is a blank line to it.
    text_lines = "\n".join(texts).split("\n")
    stripped = list(map(str.strip, text_lines))
    trim = text_lines != stripped
    if trim and "" in stripped:
        return None
    times = parse_timestamps(joined.replace(",", ".").replace(" --> ", "\n").split("\n"))
    raw_texts = texts
    if trim:
        texts = list(map(_read_text, texts))
    elif "<" in core or "{" in core or WJ in core:
        texts = [_read_text(t) if "<" in t or "{" in t or WJ in t else t for t in texts]
    cues = make_cues(times[0::2], times[1::2], texts)
    repaired, warnings = repair_cues(cues)
    if warnings:
        # Line numbers only matter for warnings: counted only when needed.
        # Each block is a number line, a timing line, its text and a blank line.
        lines = list(accumulate((t.count("\n") + 4 for t in raw_texts[:-1]), initial=base))
        repaired, warnings = repair_cues(cues, lines=lines)
    return Transcript(cues=repaired, source=NAME, warnings=warnings)


class _Reader:
    """
    The line-by-line reader: any SRT-like text, lenient or strict.
    """

    def __init__(self, lines: list[str], base: int, filename: str | None, strict: bool) -> None:
        self.lines = lines
        self.base = base  # the line number of lines[0]
        self.filename = filename
        self.strict = strict
        self.warnings: list[TranscriptWarning] = []
        self.number = 0  # cues read so far
        self.refusal: FormatError | None = None  # the first skipped block's error

    def run(self) -> Transcript:
        lines = self.lines
        n = len(lines)
        starts: list[int] = []
        ends: list[int] = []
        texts: list[str] = []
        numbers: list[int | None] = []
        timing_line = _TIMING.match
        i = 0
        while True:
            # Between cues: blank lines, then a cue's number or timing line.
            while i < n and (not lines[i] or lines[i].isspace()):
                i += 1
            if i >= n:
                break
            first = i
            at = i
            if _INDEX.fullmatch(lines[i]):
                at += 1
                while at < n and (not lines[at] or lines[at].isspace()):
                    at += 1
            timing = timing_line(lines[at]) if at < n else None
            times = self._times(timing, at) if timing is not None else None
            if times is None:
                self._bad_block(first, at)
                i = self._block_end(first + 1)
                continue
            self.number += 1
            if self.strict:
                self._check_strict(first, at)
            i = at + 1
            body = i
            if i < n and lines[i] and not lines[i].isspace():
                i += 1  # the first line after the timing line is text, whatever it is
            while i < n:
                line = lines[i]
                if not line or line.isspace():
                    if i + 1 == n or self._starts_cue(i + 1):
                        content = lines[body:i]
                        i += 1
                        break
                    following = lines[i + 1]
                    if following and not following.isspace():
                        self._stray_text(i + 1)
                elif self._starts_cue_after_number(i):
                    content = lines[body:i]
                    self._repair(
                        "missing-blank-line",
                        f"no blank line ends cue {self.number} before the number line"
                        f" {_shown(lines[i].strip())} of the next",
                        i,
                        self.number,
                        "read it as a new cue, as FFmpeg does",
                    )
                    break
                i += 1
            else:
                content = lines[body:]
            starts.append(times[0])
            ends.append(times[1])
            texts.append(_read_text("\n".join(content)))
            numbers.append(self.base + first)
        if not starts and self.refusal is not None:
            # Not one cue: this is not SRT at all, not SRT with a bad block.
            raise self.refusal
        cues = make_cues(starts, ends, texts)
        repaired, repairs = repair_cues(cues, lines=numbers)
        warnings = repairs
        if self.warnings:
            warnings = tuple(sorted((*self.warnings, *repairs), key=_line_key))
        return Transcript(cues=repaired, source=NAME, warnings=warnings)

    # --- structure -----------------------------------------------------------

    def _starts_cue_after_number(self, i: int) -> bool:
        """
        ``lines[i]`` is a cue number line and the next non-blank line starts
        with a time stamp.
        """
        lines = self.lines
        if not _INDEX.fullmatch(lines[i]):
            return False
        n = len(lines)
        i += 1
        while i < n and (not lines[i] or lines[i].isspace()):
            i += 1
        return i < n and _CUE_START.match(lines[i]) is not None

    def _starts_cue(self, i: int) -> bool:
        """
        ``lines[i]`` looks like the start of a cue: a line starting with a
        time stamp, or a number line followed by one.
        """
        return _CUE_START.match(self.lines[i]) is not None or self._starts_cue_after_number(i)

    def _block_end(self, i: int) -> int:
        """
        Where the next cue starts, from ``lines[i]`` on (the end of a
        skipped block).
        """
        lines = self.lines
        n = len(lines)
        while i < n:
            line = lines[i]
            if not line or line.isspace():
                if i + 1 == n or self._starts_cue(i + 1):
                    return i + 1
            elif self._starts_cue_after_number(i):
                return i
            i += 1
        return n

    # --- time stamps -----------------------------------------------------------

    def _times(self, timing: re.Match[str], at: int) -> tuple[int, int] | None:
        """
        The start and end of a timing line in milliseconds, or ``None`` when
        a stamp is broken (warnings and strict errors for what is repaired).
        """
        start = self._stamp(timing, 1, at)
        end = self._stamp(timing, 8, at)
        if start is None or end is None:
            return None
        rest = timing.group(15)
        if rest and not rest[0].isspace():
            if not end[1]:
                return None  # "00:00:0x,000": the stamp itself is broken
            glued = rest.split(None, 1)[0]
            self._repair(
                "text-after-time",
                f"text {_shown(glued)} is glued to the end time {_shown(_stamp_text(timing, 8))}",
                at,
                self.number + 1,
                "ignored the text, as FFmpeg does",
            )
        return start[0], end[0]

    def _stamp(self, timing: re.Match[str], group: int, at: int) -> tuple[int, bool] | None:
        """
        The time stamp in groups ``group`` to ``group + 6`` of a _TIMING
        match: its milliseconds and whether it has a fraction; ``None`` when
        a field has too many digits to be a time.
        """
        a, sep1, b, sep2, c, sep3, d = timing.group(*range(group, group + 7))
        fields: tuple[str, ...]
        names: tuple[str, ...]
        limits: tuple[int | None, ...]
        scales: tuple[int, ...]
        if c is None:
            if sep1 not in _COLONS:
                return None  # "05,500": seconds alone are not an SRT time
            fields, names = (a, b), ("minutes", "seconds")
            limits, scales = (None, 60), (60_000, 1000)
            fraction = False
        elif sep3 is None and sep1 in _COLONS and sep2 not in _COLONS:
            fields, names = (a, b, c), ("minutes", "seconds", "milliseconds")
            limits, scales = (None, 60, 1000), (60_000, 1000, 1)
            fraction = True
        else:
            fields = (a, b, c, d or "")
            names = ("hours", "minutes", "seconds", "milliseconds")
            limits, scales = (None, 60, 60, 1000), (3_600_000, 60_000, 1000, 1)
            fraction = bool(d)
        values = []
        for digits in fields:
            digits = digits.lstrip("0")
            if len(digits) > _MAX_DIGITS:
                return None
            values.append(int(digits) if digits else 0)
        for value, limit, name in zip(values, limits, names, strict=True):
            if limit is not None and value >= limit:
                self._repair(
                    "time-out-of-range",
                    f"time stamp {_shown(_stamp_text(timing, group))} has {value:,} {name},"
                    " out of range",
                    at,
                    self.number + 1,
                    "read it as the number it is, as players do",
                )
        total = 0
        for value, scale in zip(values, scales, strict=True):
            total += value * scale
        return total, fraction

    # --- reports -----------------------------------------------------------------

    def _repair(self, code: str, problem: str, at: int, cue: int, repair: str) -> None:
        """
        Report what lenient reading repaired (``problem; repair``); refuse
        the problem when strict.
        """
        if self.strict:
            raise FormatError(problem, filename=self.filename, line=self.base + at, cue=cue)
        self.warnings.append(
            TranscriptWarning(code, f"{problem}; {repair}", cue=cue, line=self.base + at)
        )

    def _bad_block(self, first: int, at: int) -> None:
        """
        Report the block at ``lines[first]``, whose timing line (expected at
        ``lines[at]``) is missing or broken: skipped, or refused when strict.
        """
        lines = self.lines
        n = len(lines)
        shown = lines[first].strip()
        following = first + 1
        while following < n and (not lines[following] or lines[following].isspace()):
            following += 1
        if following < n and (following == at or not self._is_cue_at(following)):
            shown += " / " + lines[following]
        timing = lines[at] if at < n else ""
        timed = ("-" in timing and ">" in timing) or _CUE_START.match(timing) is not None
        problem = (
            f"not an SRT cue: {shown[:80]!r}; expected a cue number line and a"
            " 'HH:MM:SS,mmm --> HH:MM:SS,mmm' timing line"
        )
        error = FormatError(
            problem, filename=self.filename, line=self.base + first, cue=self.number + 1
        )
        if self.strict:
            raise error
        self.refusal = self.refusal or error
        self.warnings.append(
            TranscriptWarning(
                "invalid-timing" if timed else "ignored-block",
                f"{problem}; skipped the block",
                line=self.base + first,
            )
        )

    def _is_cue_at(self, i: int) -> bool:
        """
        A complete number and timing line (or a timing line) start at
        ``lines[i]``.
        """
        lines = self.lines
        if _TIMING.match(lines[i]):
            return True
        if not _INDEX.fullmatch(lines[i]):
            return False
        i += 1
        while i < len(lines) and (not lines[i] or lines[i].isspace()):
            i += 1
        return i < len(lines) and _TIMING.match(lines[i]) is not None

    def _stray_text(self, at: int) -> None:
        self._repair(
            "stray-text",
            f"text after a blank line starts no cue ({_shown(self.lines[at].strip())})",
            at,
            self.number,
            "kept it in the cue above, as FFmpeg shows it",
        )

    def _check_strict(self, first: int, at: int) -> None:
        lines = self.lines
        if first == at or not _STRICT_INDEX.fullmatch(lines[first]):
            where, what = first, "a cue starts with its number line (digits only)"
        elif at != first + 1:
            where, what = first + 1, "no blank line may stand between a cue's number and timing"
        elif not _STRICT_TIMING.fullmatch(lines[at]):
            where, what = (
                at,
                (
                    f"{_shown(lines[at])} is not a strict timing line"
                    " (HH:MM:SS,mmm --> HH:MM:SS,mmm)"
                ),
            )
        else:
            return
        raise FormatError(
            f"not an SRT cue: {what}",
            filename=self.filename,
            line=self.base + where,
            cue=self.number,
        )


def _stamp_text(timing: re.Match[str], group: int) -> str:
    """
    The text of the time stamp in groups ``group`` to ``group + 6``.
    """
    last = max(g for g in range(group, group + 7) if timing.group(g) is not None)
    return timing.string[timing.start(group) : timing.end(last)]


def _line_key(warning: TranscriptWarning) -> int:
    return warning.line or 0


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


# --- cue text ------------------------------------------------------------------


def _unescape(lines: list[str]) -> list[str]:
    for i in range(len(lines) - 1):
        line = lines[i]
        if (
            line.endswith(WJ)
            and _NUMBER.fullmatch(line.rstrip(WJ))
            and _TIME_START.match(lines[i + 1])
        ):
            lines[i] = line[:-1]
    # The writer's escapes, undone by the one inverse it shares with us.
    return [unescape_line(line) for line in lines]


def _read_text(content: str) -> str:
    if "<" in content or "{" in content:
        content = _strip_markup(content)
    lines = cue_lines(content)
    if WJ in content:
        lines = _unescape(lines)
    return "\n".join(lines)


def _strip_markup(text: str) -> str:
    r"""
    ``text`` as FFmpeg shows it (``libavcodec/htmlsubtitles.c``, the SRT to
    ASS conversion mpv, burn-in and most TV stacks use), without its
    formatting.

    A tag is ``<``, an optional ``/``, then up to 127 characters without
    ``<`` or ``>``, then ``>``. Its name is the first word after any spaces,
    compared in any case: ``font``, ``b``, ``i``, ``s`` and ``u`` are removed
    (``< i >`` too), ``br`` (or ``br/``) becomes a line break, and any other
    name of ASCII letters, digits, ``_`` and ``/`` is removed as an unknown
    tag (``<sub>``, ``<3 x>``, even ``<>``), unless spaces came before it or it follows
    another ``<`` (``<<guillemets>>``), which keeps the ``<`` as text (a
    closing tag ``</…>`` is a tag even after ``<``). ``{\…}`` blocks are
    removed up to the next ``}``.

    Linear in the length of the text: the positions of the next ``<``,
    ``>`` and ``}`` are remembered between tags.
    """
    parts: list[str] = []
    n = len(text)
    kept = 0  # text[kept:i] is copied unchanged
    i = 0
    next_lt = next_brace = next_gt = next_close = -2  # -2: not looked up yet
    after_lt = -2  # the next "<" after the one being read
    while True:
        if next_lt != -1 and next_lt < i:
            next_lt = text.find("<", i)
        if next_brace != -1 and next_brace < i:
            next_brace = text.find("{", i)
        if next_lt == -1 and next_brace == -1:
            break
        end = -1
        replacement = ""
        if next_brace == -1 or (next_lt != -1 and next_lt < next_brace):
            p = next_lt
            likely = p == 0 or text[p - 1] != "<"  # a "<" after "<" is text
            closing = text.startswith("/", p + 1)
            likely = likely or closing
            q = p + 1 + closing
            if next_gt != -1 and next_gt < q:
                next_gt = text.find(">", q)
            if after_lt != -1 and after_lt <= p:
                after_lt = text.find("<", p + 1)
            gt = next_gt
            if gt != -1 and gt - q <= _MAX_TAG and (after_lt == -1 or after_lt > gt):
                buffer = text[q:gt]
                name = buffer.lstrip(" ")
                if len(name) != len(buffer):
                    likely = False
                name = name.partition(" ")[0]
                key = name.lower()
                if not (name.isascii() and _TAG_CHARS.issuperset(key)):
                    likely = False
                    key = ""
                if key == "font" or key in _STYLE_TAGS:
                    end = gt + 1
                elif key in _BREAK_TAGS:
                    end = gt + 1
                    replacement = "\n"
                elif likely:
                    end = gt + 1
        else:
            p = next_brace
            if p + 1 < n and text[p + 1] == "\\":
                if next_close != -1 and next_close < p + 2:
                    next_close = text.find("}", p + 2)
                if next_close != -1:
                    end = next_close + 1
        if end == -1:
            i = p + 1
            continue
        parts.append(text[kept:p])
        if replacement:
            parts.append(replacement)
        kept = i = end
    if not parts:
        return text
    parts.append(text[kept:])
    return "".join(parts)
