"""
Line layout: tokens laid out in balanced lines of a given width.

:func:`layout` gives one line when the text fits, else the fewest lines that
fit, with the breaks that balance the lines plus the break penalties of
:mod:`~gcore_captions.quality.tokens`. :func:`layout_text` adds a fast path
for the common cue (one line of plain ASCII), which works on the string and
gives exactly the same answer. RTL text needs nothing special: everything
works on the logical order, which is the order stored in files.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from .measure import is_narrow
from .tokens import (
    ASCII_NO_START,
    GLUE_END,
    GLUE_START,
    NO_BREAK,
    ORPHAN,
    Tokens,
    class_table,
    is_dialogue,
    tokenize,
    word_class,
)

__all__ = [
    "ascii_fits_two_lines",
    "greedy_lines",
    "is_clean_ascii",
    "is_dialogue",
    "layout",
    "layout_text",
    "layout_text_at_most",
    "line_count",
    "tokenize",
]

_OVERFLOW = 1000  # per column over the limit, when a run alone is too wide


def _units(tokens: Tokens, lo: int, hi: int) -> list[tuple[int, int, int]]:
    # Runs of tokens that cannot be broken apart: (first token, width, width
    # of the separator before it).
    widths, glue, base = tokens.widths, tokens.glue, tokens.base
    units: list[tuple[int, int, int]] = []
    for i in range(lo, hi):
        if i > lo and base[i] >= NO_BREAK:
            first, width, before = units[-1]
            units[-1] = (first, width + glue[i] + widths[i], before)
        else:
            units.append((i, widths[i], glue[i] if i > lo else 0))
    return units


def _greedy_breaks(tokens: Tokens, max_width: int, lo: int, hi: int) -> list[int]:
    # Fill each line as far as it goes, breaking only between unbreakable
    # runs: the fewest lines possible (a run wider than a line gets its own).
    breaks: list[int] = []
    if max(tokens.base[lo + 1 : hi], default=0) < NO_BREAK:
        # Every gap may break (most text): no runs to build.
        widths, glue = tokens.widths, tokens.glue
        width = widths[lo]
        for i in range(lo + 1, hi):
            extra = glue[i] + widths[i]
            if width + extra <= max_width:
                width += extra
            else:
                breaks.append(i)
                width = widths[i]
        return breaks
    width = -1
    for first, unit_width, before in _units(tokens, lo, hi):
        if width < 0:
            width = unit_width
        elif width + before + unit_width <= max_width:
            width += before + unit_width
        else:
            breaks.append(first)
            width = unit_width
    return breaks


def greedy_lines(tokens: Tokens, max_width: int, lo: int = 0, hi: int | None = None) -> int:
    """
    The fewest lines tokens ``lo``..``hi`` fit in at ``max_width`` columns
    (filling each line as far as it goes gives the minimum count).
    """
    hi = len(tokens) if hi is None else hi
    if hi <= lo:
        return 0
    return len(_greedy_breaks(tokens, max_width, lo, hi)) + 1


def layout(
    tokens: Tokens,
    max_width: int | None,
    lo: int = 0,
    hi: int | None = None,
) -> list[str]:
    """
    Tokens ``lo``..``hi`` as balanced lines of at most ``max_width``
    columns: one line when it fits, else the fewest lines that fit, breaks
    chosen to balance the lines and fall at good places.
    """
    hi = len(tokens) if hi is None else hi
    if hi <= lo:
        return []
    prefix = [0]
    widths, glue = tokens.widths, tokens.glue
    total = 0
    for i in range(lo, hi):
        total += (glue[i] if i > lo else 0) + widths[i]
        prefix.append(total)
    if max_width is None or total <= max_width or hi - lo == 1:
        return [tokens.join(lo, hi)]
    breaks = _two_lines(tokens, max_width, lo, hi, prefix)
    if breaks is None:
        breaks = _greedy_breaks(tokens, max_width, lo, hi)
        if len(breaks) >= 2:  # three lines or more: balance them
            breaks = _many_lines(tokens, max_width, lo, hi, prefix, len(breaks) + 1)
    bounds = [lo, *breaks, hi]
    return [tokens.join(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]


def line_count(
    tokens: Tokens, max_width: int, lo: int = 0, hi: int | None = None, total: int | None = None
) -> int:
    """
    How many lines :func:`layout` makes of tokens ``lo``..``hi`` (``total``:
    their width, when the caller knows it).
    """
    hi = len(tokens) if hi is None else hi
    if hi <= lo:
        return 0
    widths, glue = tokens.widths, tokens.glue
    if total is None:
        total = widths[lo] + sum(glue[i] + widths[i] for i in range(lo + 1, hi))
    if total <= max_width or hi - lo == 1:
        return 1
    base = tokens.base
    top = widths[lo]
    for b in range(lo + 1, hi):
        if top > max_width:
            break
        if total - top - glue[b] <= max_width and base[b] < NO_BREAK:
            return 2
        top += glue[b] + widths[b]
    return greedy_lines(tokens, max_width, lo, hi)


def is_clean_ascii(text: str) -> bool:
    """
    Whether text is one line of printable ASCII with single spaces between
    words and none at the ends (most speech-recognition cues): such text
    takes the fast paths below.
    """
    return (
        text.isascii()
        and text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
    )


def _closing_only_at(text: str, start: int) -> bool:
    end = text.find(" ", start)
    word = text[start:] if end == -1 else text[start:end]
    return all(ch in ASCII_NO_START for ch in word)


def ascii_fits_two_lines(text: str, max_width: int) -> bool:
    """
    For clean ASCII text (:func:`is_clean_ascii`): ``True`` when it surely
    fits in two lines of ``max_width`` (``line_count(tokenize(text),
    max_width) <= 2``), found without tokenizing. ``False`` means "check
    properly": a word wider than a line is not handled here.
    """
    length = len(text)
    if length <= max_width:
        return True
    low = length - 1 - max_width
    if low > max_width:
        return False
    p = text.find(" ", low, max_width + 1)
    while p != -1:
        if text[p + 1] not in ASCII_NO_START or not _closing_only_at(text, p + 1):
            return True
        p = text.find(" ", p + 1, max_width + 1)
    return False


def _is_clean_narrow(text: str) -> bool:
    # is_clean_ascii for text that is not all ASCII: one printable line of
    # narrow characters (measure.is_narrow), single spaces between words and
    # none at the ends. Such text is tokenized as its words, each as wide as
    # it is long, so the string fast paths apply with tokenize's glue rule
    # for words of punctuation (GLUE_START, GLUE_END).
    return (
        text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and is_narrow(text)
    )


def _glued(before: str, after: str) -> bool:
    # tokenize's rule for words that are not all ASCII: no break between
    # before and after.
    return (after[0] in GLUE_START and GLUE_START.issuperset(after)) or (
        before[0] in GLUE_END and GLUE_END.issuperset(before)
    )


def _ascii_two_lines(
    text: str, max_width: int, language: str | None, ascii: bool = True
) -> list[str] | None:
    # layout() for clean ASCII text (or, not ascii, clean narrow text) that
    # needs exactly two lines, on the string's words: the same costs, the
    # same first-best choice. ends[k] is the width of words[:k+1] plus one
    # space after each, built in C.
    length = len(text)
    low = length - 1 - max_width
    if low > max_width:
        return None
    words = text.split(" ")
    count = len(words)
    ends = list(accumulate(map(_plus_one, map(len, words))))
    table = class_table(language)
    best_cost = 0
    best = -1
    b = bisect_left(ends, low + 1) + 1  # first break whose top line is wide enough
    while b < count:
        top = ends[b - 1] - 1
        if top > max_width:
            break
        after_word = words[b]
        before_word = words[b - 1]
        if (
            not (after_word[0] in ASCII_NO_START and _all_no_start(after_word))
            if ascii
            else not _glued(before_word, after_word)
        ):
            first = table.get(before_word)
            if first is None:
                first = table[before_word] = word_class(before_word, language)
            second = table.get(after_word)
            if second is None:
                second = table[after_word] = word_class(after_word, language)
            cost = abs(2 * top + 1 - length) + first[0] + second[1]
            if b == count - 1 and count >= 3:
                cost += ORPHAN
            if best < 0 or cost < best_cost:
                best_cost = cost
                best = top
        b += 1
    if best < 0:
        return None
    return [text[:best], text[best + 1 :]]


_plus_one = (1).__add__


def _all_no_start(word: str) -> bool:
    return all(ch in ASCII_NO_START for ch in word)


def layout_text(text: str, max_width: int | None, language: str | None = None) -> list[str]:
    """
    ``layout(tokenize(text, language), max_width)``, with a fast path for
    the common one- or two-line ASCII cue.
    """
    if max_width is not None:
        flat = text.replace("\n", " ") if "\n" in text else text
        ascii = flat.isascii()
        if is_clean_ascii(flat) if ascii else _is_clean_narrow(flat):
            if len(flat) <= max_width:
                return [flat]
            lines = _ascii_two_lines(flat, max_width, language, ascii)
            if lines is not None:
                return lines
    return layout(tokenize(text, language), max_width)


def layout_text_at_most(
    text: str, max_width: int, language: str | None, max_lines: int
) -> list[str] | None:
    """
    ``layout_text(text, max_width, language)`` when that has at most
    ``max_lines`` lines, else ``None``, found without balancing the lines
    of a text that needs more (:func:`line_count` first).
    """
    flat = text.replace("\n", " ") if "\n" in text else text
    ascii = flat.isascii()
    if is_clean_ascii(flat) if ascii else _is_clean_narrow(flat):
        if len(flat) <= max_width:
            return [flat] if max_lines >= 1 else None
        lines = _ascii_two_lines(flat, max_width, language, ascii)
        if lines is not None:
            return lines if max_lines >= 2 else None
    tokens = tokenize(text, language)
    if line_count(tokens, max_width) > max_lines:
        return None
    return layout(tokens, max_width)


def _two_lines(
    tokens: Tokens, max_width: int, lo: int, hi: int, prefix: list[int]
) -> list[int] | None:
    best_cost = None
    best = lo + 1
    glue = tokens.glue
    penalties = tokens.penalties()
    total = prefix[-1]
    words = hi - lo
    for b in range(lo + 1, hi):
        top = prefix[b - lo]
        bottom = total - top - glue[b]
        if top > max_width:
            break
        if bottom > max_width:
            continue
        penalty = penalties[b]
        if penalty >= NO_BREAK:
            continue
        cost = abs(top - bottom) + penalty
        if b == hi - 1 and words >= 3 and tokens.seps[b]:
            cost += ORPHAN
        if best_cost is None or cost < best_cost:
            best_cost = cost
            best = b
    if best_cost is None:
        return None
    return [best]


def _many_lines(
    tokens: Tokens, max_width: int, lo: int, hi: int, prefix: list[int], count: int
) -> list[int]:
    # Dynamic programming over break positions: previous[i] is the best cost
    # of laying tokens lo..lo+i out in k-1 lines. A line wider than the limit
    # is only allowed when it cannot be broken, at a cost per column over.
    n = hi - lo
    glue, seps = tokens.glue, tokens.seps
    penalties = tokens.penalties()
    target = prefix[-1] / count
    inf = float("inf")
    previous = [inf] * (n + 1)
    previous[0] = 0.0
    backs: list[list[int]] = []
    for k in range(1, count + 1):
        last = k == count
        current = [inf] * (n + 1)
        back = [0] * (n + 1)
        for j in [n] if last else range(k, n - (count - k) + 1):
            best = inf
            best_i = 0
            end_width = prefix[j]
            i = j - 1
            single_unit = True  # no allowed break inside tokens i..j so far
            while i >= k - 1:
                if i < j - 1:
                    single_unit = single_unit and penalties[lo + i + 1] >= NO_BREAK
                width = end_width - prefix[i] - (glue[lo + i] if i else 0)
                over = width - max_width
                if over > 0 and not single_unit:
                    break
                before = previous[i]
                penalty = penalties[lo + i] if i else 0
                if before < inf and penalty < NO_BREAK:
                    cost = before + abs(width - target) + penalty
                    if over > 0:
                        cost += over * _OVERFLOW
                    if last and j - i == 1 and n >= 3 and seps[lo + i]:
                        cost += ORPHAN
                    if cost < best:
                        best = cost
                        best_i = i
                i -= 1
            current[j] = best
            back[j] = best_i
        backs.append(back)
        previous = current
    if previous[n] == inf:
        # Unbreakable runs wider than a line: fall back to greedy filling.
        return _greedy_breaks(tokens, max_width, lo, hi)
    breaks: list[int] = []
    j = n
    for k in range(count - 1, 0, -1):
        j = backs[k][j]
        breaks.append(lo + j)
    breaks.reverse()
    return breaks
