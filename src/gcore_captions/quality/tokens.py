"""
Text as tokens for line breaking: words (or CJK characters), what separates
them, and what breaking between them costs.

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

Every line break a layout makes reads back the way it was meant (a space
between words, nothing inside CJK text), so laying out laid-out text
changes nothing.
"""

from __future__ import annotations

import re

from .language import BREAK_BEFORE, CLAUSE_END, CLOSING, NO_END, SENTENCE_END
from .measure import display_width, graphemes, is_narrow, is_no_space_char

__all__ = [
    "ASCII_NO_START",
    "DASHES",
    "GLUE_END",
    "GLUE_START",
    "NO_BREAK",
    "ORPHAN",
    "Tokens",
    "class_table",
    "is_dialogue",
    "tokenize",
    "word_class",
]

NO_BREAK = 1 << 20  # a break that must never be taken
_SENTENCE = -20
_CLAUSE = -12
_BEFORE_CONJUNCTION = -8
_NO_END = 25
ORPHAN = 30  # the last line is a single word
_CJK_INSIDE = 4  # between two CJK characters: fine, but punctuation is better

_STRIP = "\"'“”‘’«»‹›()[]{}¿¡…,.;:!?-–—"
# Characters that must not start a line (CJK closing punctuation, small kana,
# the prolonged sound mark) and that must not end one (opening brackets).
_NO_START = frozenset(
    "、。，．,.!?！？：；:;)]}）」』】〉》〕”’・ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥"
)
_NO_END_CHARS = frozenset("([{（「『【〈《〔“‘")
_GLUE_START = _NO_START | {"»"}
_GLUE_END = _NO_END_CHARS | {"«"}
#: A word made only of these is glued to the word before it (no break
#: before it), and one made only of ``GLUE_END`` to the word after it.
GLUE_START = _GLUE_START
GLUE_END = _GLUE_END
# Below this code point is_no_space_char is false for every character.
_FIRST_NO_SPACE = "\u2e80"
_PARTICLES = frozenset("はがをにでともへや")
_SPACE_SPLIT = re.compile(r"(\S+)")
DASHES = ("-", "–", "—")  # a dialogue line starts with one
ASCII_NO_START = frozenset(".,!?:;)]}")


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
        table = class_table(self.language)
        classes = []
        for word in self.texts:
            found_class = table.get(word)
            if found_class is None:
                found_class = table[word] = word_class(word, self.language)
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


def class_table(language: str | None) -> dict[str, tuple[int, int]]:
    """
    The word-class cache for ``language`` (see :func:`word_class`).
    """
    table = _CLASSES.get(language)
    if table is None:
        if len(_CLASSES) > 64:
            _CLASSES.clear()
        table = _CLASSES[language] = {}
    elif len(table) > 50_000:
        table.clear()  # bounded memory for endless vocabularies
    return table


def word_class(word: str, language: str | None) -> tuple[int, int]:
    """
    ``(cost of breaking after word, cost of breaking before it)``.
    """
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
            if word[0] in ASCII_NO_START and all(ch in ASCII_NO_START for ch in word):
                base[i] = NO_BREAK  # a lone "?" or ":" stays with the word before
        return Tokens(
            words,
            [len(w) for w in words],
            [""] + [" "] * (count - 1),
            [0] + [1] * (count - 1),
            base,
            language,
        )
    if max(text) < _FIRST_NO_SPACE:
        # No Chinese or Japanese (most non-ASCII text: accents, Cyrillic...):
        # the tokens are the whitespace-separated words, as in the general
        # walk below, without its per-character checks.
        return _words(text.split(), language)
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


def _words(words: list[str], language: str | None) -> Tokens:
    # Tokens for words without Chinese or Japanese characters: what
    # _add_word gives them one by one (glued to the word before when all
    # closing punctuation, or after an all-opening one), in whole lists.
    count = len(words)
    if not count:
        return Tokens([], [], [], [], [], language)
    base = [0] * count
    previous = words[0]
    for i in range(1, count):
        word = words[i]
        if (word[0] in _GLUE_START and _GLUE_START.issuperset(word)) or (
            previous[0] in _GLUE_END and _GLUE_END.issuperset(previous)
        ):
            base[i] = NO_BREAK
        previous = word
    return Tokens(
        words,
        # Words of narrow characters only (most text) are as wide as long.
        list(map(len, words) if is_narrow("".join(words)) else map(display_width, words)),
        [""] + [" "] * (count - 1),
        [0] + [1] * (count - 1),
        base,
        language,
    )


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
    return len(lines) > 1 and all(line.lstrip().startswith(DASHES) for line in lines)
