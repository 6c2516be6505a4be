"""
Line breaking: a cue's text as tokens with break penalties, laid out into
balanced lines.

Text becomes a list of *tokens*: words for scripts written with spaces, and
for Chinese, Japanese and Thai single characters (with punctuation glued to
the right neighbour so no line starts with ``。`` or ends with ``「``).
Between two tokens there is either a space (dropped where the line breaks)
or nothing (no space is ever invented). Each gap has a penalty: breaking
after a sentence or clause is rewarded, so is breaking before a conjunction
or preposition; ending a line with an article or a subject pronoun costs,
and so does breaking inside a Thai word.

:func:`layout` picks the breaks that minimise imbalance between lines plus
penalties, under the width limit, with the fewest lines that fit. RTL text
needs nothing special: everything works on the logical order, which is the
order stored in files.
"""

from __future__ import annotations

import re

from .language import BREAK_BEFORE, CLAUSE_END, CLOSING, NO_END, SENTENCE_END
from .measure import display_width, graphemes, is_no_space_char

__all__ = ["Tokens", "greedy_lines", "is_dialogue", "layout", "tokenize"]

NO_BREAK = 1 << 20  # a break that must never be taken
_SENTENCE = -20
_CLAUSE = -12
_BEFORE_CONJUNCTION = -8
_NO_END = 25
_ORPHAN = 30
_CJK_INSIDE = 4  # between two CJK characters: fine, but punctuation is better
_THAI_INSIDE = 200  # inside a Thai word: only when nothing else fits
_OVERFLOW = 1000  # per column over the limit, when a token alone is too wide

_STRIP = "\"'“”‘’«»‹›()[]{}¿¡…,.;:!?-–—"
# Characters that must not start a line (CJK closing punctuation, small kana,
# the prolonged sound mark) and that must not end one (opening brackets).
_NO_START = frozenset(
    "、。，．,.!?！？：；:;)]}）」』】〉》〕”’・ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥"
)
_NO_END_CHARS = frozenset("([{（「『【〈《〔“‘")
_PARTICLES = frozenset("はがをにでともへや")
_THAI_LIKE = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
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
            ``NO_BREAK``), refined by :meth:`penalty`.
        language: the ISO 639-2/B code whose word lists apply, if any.
    """

    __slots__ = ("_cache", "base", "glue", "language", "seps", "texts", "widths")

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
        self._cache: dict[int, int] = {}

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

    def penalty(self, i: int) -> int:
        """
        The cost of breaking before token ``i`` (negative: a good place).
        """
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        value = self.base[i]
        if value < NO_BREAK:
            previous = self.texts[i - 1].rstrip(CLOSING)
            last = previous[-1:] if previous else ""
            if last in SENTENCE_END:
                value += _SENTENCE
            elif last in CLAUSE_END:
                value += _CLAUSE
            elif self.seps[i] and self.language is not None:
                no_end = NO_END.get(self.language)
                if no_end is not None:
                    word = self.texts[i - 1].lower()
                    if word in no_end or word.strip(_STRIP) in no_end:
                        value += _NO_END
            if self.seps[i] and self.language is not None:
                before = BREAK_BEFORE.get(self.language)
                if before is not None and self.texts[i].lower().strip(_STRIP) in before:
                    value += _BEFORE_CONJUNCTION
        self._cache[i] = value
        return value


def tokenize(text: str, language: str | None = None) -> Tokens:
    """
    Split text into tokens (see the module docstring). Existing line breaks
    count as spaces, except next to a character of a no-space script, where
    they count as nothing.
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
                if is_no_space_char(previous[-1]) or is_no_space_char(word[0]):
                    pairs[-1][0] = previous + word  # a line break inside no-space text
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
    )
    first_penalty = NO_BREAK if glued else 0
    if not any(is_no_space_char(ch) for ch in word):
        push(word, sep, first_penalty)
        return
    # A word of a no-space script: one token per character, glued where a
    # break is not allowed.
    pieces: list[str] = []
    penalties: list[int] = []
    for cluster in graphemes(word):
        if pieces:
            previous = pieces[-1]
            if (
                cluster[0] in _NO_START
                or previous[-1] in _NO_END_CHARS
                or not (is_no_space_char(cluster[0]) or is_no_space_char(previous[-1]))
            ):
                pieces[-1] = previous + cluster  # glue: no break allowed here
                continue
            if _THAI_LIKE.match(cluster) and _THAI_LIKE.match(previous[-1]):
                penalties.append(_THAI_INSIDE)
            elif previous[-1] in _PARTICLES and not ("\u3041" <= cluster[0] <= "\u309f"):
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


def greedy_lines(tokens: Tokens, max_width: int, lo: int = 0, hi: int | None = None) -> int:
    """
    The fewest lines tokens ``lo``..``hi`` fit in at ``max_width`` columns
    (filling each line as far as it goes, which gives the minimum count).
    """
    hi = len(tokens) if hi is None else hi
    if hi <= lo:
        return 0
    widths, glue, base = tokens.widths, tokens.glue, tokens.base
    lines = 1
    width = widths[lo]
    for i in range(lo + 1, hi):
        extra = glue[i] + widths[i]
        if width + extra <= max_width:
            width += extra
            continue
        if base[i] >= NO_BREAK:
            width += extra  # cannot break here: the line grows past the limit
            continue
        lines += 1
        width = widths[i]
    return lines


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
    count = greedy_lines(tokens, max_width, lo, hi)
    if count == 1:
        return [tokens.join(lo, hi)]
    if count == 2:
        breaks = _two_lines(tokens, max_width, lo, hi, prefix)
    else:
        breaks = _many_lines(tokens, max_width, lo, hi, prefix, count)
    bounds = [lo, *breaks, hi]
    return [tokens.join(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]


def _width(tokens: Tokens, prefix: list[int], lo: int, a: int, b: int) -> int:
    # Width of tokens a..b (absolute indexes) without the separator before a.
    return prefix[b - lo] - prefix[a - lo] - (tokens.glue[a] if a > lo else 0)


def _two_lines(tokens: Tokens, max_width: int, lo: int, hi: int, prefix: list[int]) -> list[int]:
    best_cost = None
    best = lo + 1
    glue = tokens.glue
    total = prefix[-1]
    words = hi - lo
    for b in range(lo + 1, hi):
        top = prefix[b - lo]
        bottom = total - top - glue[b]
        if top > max_width:
            break
        if bottom > max_width:
            continue
        penalty = tokens.penalty(b)
        if penalty >= NO_BREAK:
            continue
        cost = abs(top - bottom) + penalty
        if b == hi - 1 and words >= 3 and tokens.seps[b]:
            cost += _ORPHAN
        if best_cost is None or cost < best_cost:
            best_cost = cost
            best = b
    if best_cost is None:
        return _many_lines(tokens, max_width, lo, hi, prefix, 2)
    return [best]


def _many_lines(
    tokens: Tokens, max_width: int, lo: int, hi: int, prefix: list[int], count: int
) -> list[int]:
    # Dynamic programming over break positions: cost[k][j] is the best cost of
    # laying tokens lo..j out in k lines. A line wider than the limit is only
    # allowed when it is a single token, at a cost per column over.
    n = hi - lo
    target = prefix[-1] / count
    inf = float("inf")
    cost = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    cost[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            best = inf
            best_i = 0
            i = j - 1
            while i >= k - 1:
                width = _width(tokens, prefix, lo, lo + i, lo + j)
                over = width - max_width
                if over > 0 and i < j - 1:
                    break
                previous = cost[k - 1][i]
                if previous < inf:
                    line_cost = abs(width - target) + (over * _OVERFLOW if over > 0 else 0)
                    if i > 0:
                        penalty = tokens.penalty(lo + i)
                        if penalty >= NO_BREAK:
                            i -= 1
                            continue
                        line_cost += penalty
                    if k == count and j == n and j - i == 1 and n >= 3 and tokens.seps[lo + i]:
                        line_cost += _ORPHAN
                    if previous + line_cost < best:
                        best = previous + line_cost
                        best_i = i
                i -= 1
            cost[k][j] = best
            back[k][j] = best_i
    if cost[count][n] == inf:
        # Unbreakable runs wider than a line: fall back to greedy filling.
        return _greedy_breaks(tokens, max_width, lo, hi)
    breaks: list[int] = []
    j = n
    for k in range(count, 1, -1):
        j = back[k][j]
        breaks.append(lo + j)
    breaks.reverse()
    return breaks


def _greedy_breaks(tokens: Tokens, max_width: int, lo: int, hi: int) -> list[int]:
    breaks: list[int] = []
    width = tokens.widths[lo]
    for i in range(lo + 1, hi):
        extra = tokens.glue[i] + tokens.widths[i]
        if width + extra <= max_width or tokens.base[i] >= NO_BREAK:
            width += extra
        else:
            breaks.append(i)
            width = tokens.widths[i]
    return breaks
