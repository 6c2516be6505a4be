"""
Line breaking: a cue's text as tokens with break penalties, laid out into
balanced lines.

Text becomes a list of *tokens*: words for scripts written with spaces, and
single characters for Chinese and Japanese (with punctuation glued to its
neighbour so no line starts with ``。`` or ends with ``「``). Between two
tokens there is either a space (dropped where the line breaks) or nothing
(no space is ever invented). Each gap has a penalty: breaking after a
sentence or clause is rewarded, so is breaking before a conjunction or
preposition; ending a line with an article or a subject pronoun costs.

Thai, Lao, Khmer and Myanmar write words without spaces too, but finding
their word boundaries needs a dictionary: their lines break at the spaces
between phrases and their words are never cut.

Every line break the layout makes reads back the same way it was meant (a
space between words, nothing inside CJK text), so laying out laid-out text
changes nothing.

:func:`layout` picks the breaks that minimise imbalance between lines plus
penalties, under the width limit, with the fewest lines that fit. RTL text
needs nothing special: everything works on the logical order, which is the
order stored in files.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from .language import BREAK_BEFORE, CLAUSE_END, CLOSING, NO_END, SENTENCE_END
from .measure import display_width, graphemes, is_no_space_char

__all__ = [
    "Tokens",
    "ascii_fits_two_lines",
    "greedy_lines",
    "is_clean_ascii",
    "is_dialogue",
    "layout",
    "layout_text",
    "line_count",
    "tokenize",
]

NO_BREAK = 1 << 20  # a break that must never be taken
_SENTENCE = -20
_CLAUSE = -12
_BEFORE_CONJUNCTION = -8
_NO_END = 25
_ORPHAN = 30
_CJK_INSIDE = 4  # between two CJK characters: fine, but punctuation is better
_OVERFLOW = 1000  # per column over the limit, when a token alone is too wide

_STRIP = "\"'“”‘’«»‹›()[]{}¿¡…,.;:!?-–—"
# Characters that must not start a line (CJK closing punctuation, small kana,
# the prolonged sound mark) and that must not end one (opening brackets).
_NO_START = frozenset(
    "、。，．,.!?！？：；:;)]}）」』】〉》〕”’・ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥"
)
_NO_END_CHARS = frozenset("([{（「『【〈《〔“‘")
_PARTICLES = frozenset("はがをにでともへや")
_SPACE_SPLIT = re.compile(r"(\S+)")
_DASHES = ("-", "–", "—")
_ASCII_NO_START = frozenset(".,!?:;)]}")


class Tokens:
    """
    A text as tokens, with what separates them and what breaking costs.

    Attributes:
        texts: the tokens.
        widths: each token's width in columns.
        seps: the separator before each token (``""`` for the first token
            and inside words of no-space scripts, else ``" "`` or the
            ideographic space).
        glue: each separator's width in columns.
        base: a penalty fixed at tokenization (inside-word breaks, or
            ``NO_BREAK``), refined by :meth:`penalties`.
        language: the ISO 639-2/B code whose word lists apply, if any.
    """

    __slots__ = ("_penalties", "base", "glue", "language", "seps", "texts", "widths")

    def __init__(
        self,
        texts: list[str],
        widths: list[int],
        seps: list[str],
        glue: list[int],
        base: list[int],
        language: str | None,
    ) -> None:
        self.texts = texts
        self.widths = widths
        self.seps = seps
        self.glue = glue
        self.base = base
        self.language = language
        self._penalties: list[int] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def join(self, lo: int, hi: int) -> str:
        """
        Tokens ``lo`` to ``hi`` (exclusive) as one line.
        """
        texts, seps = self.texts, self.seps
        if hi - lo == 1:
            return texts[lo]
        return texts[lo] + "".join(seps[i] + texts[i] for i in range(lo + 1, hi))

    def penalties(self) -> list[int]:
        """
        For each token, the cost of breaking the line before it (negative:
        a good place; ``NO_BREAK`` or more: never). Index 0 is unused.
        """
        found = self._penalties
        if found is not None:
            return found
        table = _class_table(self.language)
        classes = []
        for word in self.texts:
            found_class = table.get(word)
            if found_class is None:
                found_class = table[word] = _word_class(word, self.language)
            classes.append(found_class)
        base = self.base
        found = [0] * len(base)
        for i in range(1, len(base)):
            value = base[i]
            found[i] = value if value >= NO_BREAK else value + classes[i - 1][0] + classes[i][1]
        self._penalties = found
        return found


# language -> word -> (cost of breaking after it, cost of breaking before it).
# Natural text repeats its words, so this turns per-token string work into
# one dictionary look-up.
_CLASSES: dict[str | None, dict[str, tuple[int, int]]] = {}


def _class_table(language: str | None) -> dict[str, tuple[int, int]]:
    table = _CLASSES.get(language)
    if table is None:
        if len(_CLASSES) > 64:
            _CLASSES.clear()
        table = _CLASSES[language] = {}
    elif len(table) > 50_000:
        table.clear()  # bounded memory for endless vocabularies
    return table


def _word_class(word: str, language: str | None) -> tuple[int, int]:
    stripped = word.rstrip(CLOSING)
    last = stripped[-1:]
    if last and last in SENTENCE_END:
        after = _SENTENCE
    elif last and last in CLAUSE_END:
        after = _CLAUSE
    else:
        after = 0
        no_end = NO_END.get(language) if language else None
        if no_end is not None:
            lowered = word.lower()
            if lowered in no_end or lowered.strip(_STRIP) in no_end:
                after = _NO_END
    before = 0
    words_before = BREAK_BEFORE.get(language) if language else None
    if words_before is not None and word.lower().strip(_STRIP) in words_before:
        before = _BEFORE_CONJUNCTION
    return after, before


def tokenize(text: str, language: str | None = None) -> Tokens:
    """
    Split text into tokens (see the module docstring). Existing line breaks
    count as spaces, except between two Chinese or Japanese characters,
    where they count as nothing.
    """
    if text.isascii():
        words = text.split()
        count = len(words)
        if not count:
            return Tokens([], [], [], [], [], language)
        base = [0] * count
        for i in range(1, count):
            word = words[i]
            if word[0] in _ASCII_NO_START and all(ch in _ASCII_NO_START for ch in word):
                base[i] = NO_BREAK  # a lone "?" or ":" stays with the word before
        return Tokens(
            words,
            [len(w) for w in words],
            [""] + [" "] * (count - 1),
            [0] + [1] * (count - 1),
            base,
            language,
        )
    pairs: list[list[str]] = []  # [word, separator before it]
    for line_number, line in enumerate(text.split("\n")):
        parts = _SPACE_SPLIT.split(line)
        # parts alternate: separator, word, separator, word, ..., separator
        for index in range(1, len(parts), 2):
            word = parts[index]
            if not pairs:
                pairs.append([word, ""])
            elif index == 1 and line_number > 0:
                previous = pairs[-1][0]
                if is_no_space_char(previous[-1]) and is_no_space_char(word[0]):
                    pairs[-1][0] = previous + word  # a line break inside CJK text
                else:
                    pairs.append([word, " "])
            else:
                pairs.append([word, "\u3000" if "\u3000" in parts[index - 1] else " "])
    tokens = Tokens([], [], [], [], [], language)
    for word, sep in pairs:
        _add_word(tokens, word, sep)
    return tokens


def _add_word(tokens: Tokens, word: str, sep: str) -> None:
    texts = tokens.texts

    def push(token: str, separator: str, penalty: int) -> None:
        texts.append(token)
        tokens.widths.append(display_width(token))
        tokens.seps.append(separator)
        tokens.glue.append(display_width(separator))
        tokens.base.append(penalty)

    glued = bool(texts) and (
        all(ch in _NO_START or ch == "»" for ch in word)
        or all(ch in _NO_END_CHARS or ch == "«" for ch in texts[-1])
        # A space inside CJK text: a break there would read back as no space
        # at all, so it is not a place to break.
        or (is_no_space_char(texts[-1][-1]) and is_no_space_char(word[0]))
    )
    first_penalty = NO_BREAK if glued else 0
    if not any(is_no_space_char(ch) for ch in word):
        push(word, sep, first_penalty)
        return
    # A word with Chinese or Japanese in it: one token per CJK character,
    # glued where a break is not allowed (kinsoku punctuation, and between a
    # CJK character and a Latin one, where a break would read back as a space).
    pieces: list[str] = []
    penalties: list[int] = []
    for cluster in graphemes(word):
        if pieces:
            previous = pieces[-1]
            if (
                cluster[0] in _NO_START
                or previous[-1] in _NO_END_CHARS
                or not (is_no_space_char(cluster[0]) and is_no_space_char(previous[-1]))
            ):
                pieces[-1] = previous + cluster  # glue: no break allowed here
                continue
            if previous[-1] in _PARTICLES and not ("\u3041" <= cluster[0] <= "\u309f"):
                penalties.append(0)  # after a particle, before a content word
            else:
                penalties.append(_CJK_INSIDE)
        pieces.append(cluster)
    push(pieces[0], sep, first_penalty)
    for piece, penalty in zip(pieces[1:], penalties, strict=True):
        push(piece, "", penalty)


def is_dialogue(text: str) -> bool:
    """
    Whether the text is two or more speakers' lines, each starting with a
    dash (kept line by line, never re-broken).
    """
    lines = text.split("\n")
    return len(lines) > 1 and all(line.lstrip().startswith(_DASHES) for line in lines)


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
    return all(ch in _ASCII_NO_START for ch in word)


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
        if text[p + 1] not in _ASCII_NO_START or not _closing_only_at(text, p + 1):
            return True
        p = text.find(" ", p + 1, max_width + 1)
    return False


def _ascii_two_lines(text: str, max_width: int, language: str | None) -> list[str] | None:
    # layout() for clean ASCII text that needs exactly two lines, on the
    # string's words: the same costs, the same first-best choice. ends[k] is
    # the width of words[:k+1] plus one space after each, built in C.
    length = len(text)
    low = length - 1 - max_width
    if low > max_width:
        return None
    words = text.split(" ")
    count = len(words)
    ends = list(accumulate(map(_plus_one, map(len, words))))
    table = _class_table(language)
    best_cost = 0
    best = -1
    b = bisect_left(ends, low + 1) + 1  # first break whose top line is wide enough
    while b < count:
        top = ends[b - 1] - 1
        if top > max_width:
            break
        after_word = words[b]
        if not (after_word[0] in _ASCII_NO_START and _all_no_start(after_word)):
            before_word = words[b - 1]
            first = table.get(before_word)
            if first is None:
                first = table[before_word] = _word_class(before_word, language)
            second = table.get(after_word)
            if second is None:
                second = table[after_word] = _word_class(after_word, language)
            cost = abs(2 * top + 1 - length) + first[0] + second[1]
            if b == count - 1 and count >= 3:
                cost += _ORPHAN
            if best < 0 or cost < best_cost:
                best_cost = cost
                best = top
        b += 1
    if best < 0:
        return None
    return [text[:best], text[best + 1 :]]


_plus_one = (1).__add__


def _all_no_start(word: str) -> bool:
    return all(ch in _ASCII_NO_START for ch in word)


def layout_text(text: str, max_width: int | None, language: str | None = None) -> list[str]:
    """
    ``layout(tokenize(text, language), max_width)``, with a fast path for
    the common one- or two-line ASCII cue.
    """
    if max_width is not None:
        flat = text.replace("\n", " ") if "\n" in text else text
        if is_clean_ascii(flat):
            if len(flat) <= max_width:
                return [flat]
            lines = _ascii_two_lines(flat, max_width, language)
            if lines is not None:
                return lines
    return layout(tokenize(text, language), max_width)


def _width(tokens: Tokens, prefix: list[int], lo: int, a: int, b: int) -> int:
    # Width of tokens a..b (absolute indexes) without the separator before a.
    return prefix[b - lo] - prefix[a - lo] - (tokens.glue[a] if a > lo else 0)


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
            cost += _ORPHAN
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
                        cost += _ORPHAN
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
