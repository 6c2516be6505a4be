"""
Text measured as a viewer sees it: characters, columns, words, reading speed.

A *character* here is a user-perceived character (an extended grapheme
cluster, approximated compactly): a letter with its combining marks, a
ZWJ emoji sequence, a flag (two regional indicators), an emoji with its skin
tone or variation selector, a Hangul jamo syllable, a Thai consonant with its
vowel and tone marks. Each counts once.

A *column* is the space a character takes on screen: East Asian Wide and
Fullwidth characters (CJK ideographs, kana, Hangul, most emoji) take 2,
invisible ones (bidi marks, zero-width spaces, a lone combining mark) take 0,
everything else 1. Line-length limits count columns; presets whose limits are
in full-width characters (Netflix's CJK guides) halve them.

The stdlib ``unicodedata`` is enough for this; the third-party ``regex``
module's ``\\X`` would be exact UAX #29 but is a compiled dependency for a
difference that only shows on rare sequences (Indic conjuncts joined by a
virama, prepended concatenation marks).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "char_count",
    "display_width",
    "graphemes",
    "is_narrow",
    "is_no_space_char",
    "reading_cps",
    "reading_wpm",
    "word_count",
]

# Text made only of characters that are each one grapheme one column wide
# (Latin, Greek, Cyrillic, Armenian, common punctuation and symbols): the
# width is the length, with no per-character work. Soft hyphen and the
# Cyrillic combining marks are left out on purpose.
_NARROW = (
    "\\x20-\\x7e\\xa0-\\xac\\xae-\\u02ff\\u0370-\\u0482\\u048a-\\u058f"
    "\\u1e00-\\u1fff\\u2010-\\u2027\\u2030-\\u205e\\u20a0-\\u20bf\\u2100-\\u218f"
)
# Wide characters that never combine: CJK punctuation, kana, ideographs,
# Hangul syllables, fullwidth forms.
_WIDE = (
    "\\u3000-\\u3029\\u3030-\\u303e\\u3041-\\u3096\\u309b-\\u30ff\\u3105-\\u312f"
    "\\u3131-\\u318e\\u31f0-\\u321e\\u3220-\\u4dbf\\u4e00-\\u9fff\\uac00-\\ud7a3"
    "\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff01-\\uff60\\uffe0-\\uffe6"
)
_SIMPLE = re.compile(f"[{_NARROW}{_WIDE}]*")
_WIDE_RE = re.compile(f"[{_WIDE}]")
_NARROW_RE = re.compile(f"[{_NARROW}]*")

_ZWJ = "\u200d"
_EXTEND_RANGES = (
    (0x200C, 0x200D),  # ZWNJ, ZWJ
    (0xFE00, 0xFE0F),  # variation selectors
    (0x1F3FB, 0x1F3FF),  # emoji skin tones
    (0xE0020, 0xE007F),  # emoji tag sequences (subdivision flags)
    (0xE0100, 0xE01EF),  # variation selectors supplement
    (0x1160, 0x11FF),  # Hangul jamo vowels and finals join the leading consonant
    (0xD7B0, 0xD7FF),
)
_SPACING_JOINERS = frozenset("\u0e33\u0eb3")  # Thai / Lao SARA AM

# Chinese and Japanese are written without spaces between words: a line may
# break between any two of their characters, and no space is ever inserted
# between them. (Thai, Lao, Khmer and Myanmar also omit spaces between words
# but need a dictionary to find word boundaries; their lines break at the
# spaces that separate their phrases, and their words are never cut.)
_NO_SPACE_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Katakana extensions
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFF65),  # fullwidth forms, halfwidth CJK punctuation
    (0x20000, 0x3FFFF),
)

# char -> (joins the previous character, columns as a cluster base)
_PROPS: dict[str, tuple[bool, int]] = {}


def _props(char: str) -> tuple[bool, int]:
    found = _PROPS.get(char)
    if found is not None:
        return found
    code = ord(char)
    category = unicodedata.category(char)
    joins = (
        category in ("Mn", "Me", "Mc")
        or char in _SPACING_JOINERS
        or any(lo <= code <= hi for lo, hi in _EXTEND_RANGES)
    )
    if category in ("Cf", "Cc", "Zl", "Zp") or category in ("Mn", "Me"):
        width = 0
    elif unicodedata.east_asian_width(char) in ("W", "F"):
        width = 2
    else:
        width = 1
    found = (joins, width)
    _PROPS[char] = found
    return found


def _is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _is_pictographic(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2190 <= code <= 0x2BFF or char in "\u00a9\u00ae\u203c\u2049"


def graphemes(text: str) -> list[str]:
    """
    Split text into user-perceived characters (see the module docstring).

    >>> graphemes("e\\u0301te\\u0301 👩\\u200d💻")
    ['é', 't', 'é', ' ', '👩\\u200d💻']
    """
    if text.isascii() and "\r" not in text:
        return list(text)
    clusters: list[str] = []
    for char in text:
        if clusters:
            last = clusters[-1]
            if (
                _props(char)[0]
                or (last[-1] == _ZWJ and _is_pictographic(char))
                or (
                    _is_regional(char)
                    and len(last) == 1
                    and _is_regional(last)
                    and _regional_run_is_even(clusters)
                )
                or (last == "\r" and char == "\n")
            ):
                clusters[-1] = last + char
                continue
        clusters.append(char)
    return clusters


def _regional_run_is_even(clusters: list[str]) -> bool:
    # A flag pairs the regional indicators two by two: join only when the
    # previous one is not already the second of a pair.
    run = 0
    for cluster in reversed(clusters):
        if len(cluster) == 1 and _is_regional(cluster):
            run += 1
        else:
            break
    return run % 2 == 1


def _cluster_width(cluster: str) -> int:
    base = cluster[0]
    width = _props(base)[1]
    if width == 1 and (_is_regional(base) or "\ufe0f" in cluster):
        return 2  # a flag, or a text symbol given emoji presentation
    if width == 0 and unicodedata.category(base) in ("Mn", "Me"):
        return 1  # a mark with nothing to sit on shows on its own
    return width


def display_width(text: str) -> int:
    """
    The columns ``text`` (one line) takes on screen: wide CJK characters
    and emoji count 2, combining marks and invisible characters 0.

    >>> display_width("abc"), display_width("日本語"), display_width("e\\u0301")
    (3, 6, 1)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    if _SIMPLE.fullmatch(text):
        return len(text) + len(_WIDE_RE.findall(text))
    return sum(_cluster_width(cluster) for cluster in graphemes(text))


def is_narrow(text: str) -> bool:
    """
    Whether every character of ``text`` is one grapheme one column wide
    (Latin, Greek, Cyrillic, Armenian, common punctuation and symbols, the
    space): then its width, and every part's, is its length.
    """
    return _NARROW_RE.fullmatch(text) is not None


def char_count(text: str) -> int:
    """
    How many visible characters the text has, as reading speed counts them:
    graphemes including spaces and punctuation, excluding line breaks and
    invisible marks.
    """
    flat = text.replace("\n", "") if "\n" in text else text
    if (flat.isascii() and flat.isprintable()) or _SIMPLE.fullmatch(flat):
        return len(flat)
    return sum(1 for cluster in graphemes(text) if cluster != "\n" and _cluster_width(cluster) > 0)


def word_count(text: str) -> int:
    """
    The number of space-separated words (for reading speed in words per
    minute; meaningless for scripts written without spaces).
    """
    return len(text.split())


def reading_cps(text: str, duration_ms: int) -> float:
    """
    Characters per second (see :func:`char_count`); infinite for a cue with
    no duration and some text.
    """
    chars = char_count(text)
    if duration_ms <= 0:
        return float("inf") if chars else 0.0
    return chars * 1000 / duration_ms


def reading_wpm(text: str, duration_ms: int) -> float:
    """
    Words per minute; infinite for a cue with no duration and some words.
    """
    words = word_count(text)
    if duration_ms <= 0:
        return float("inf") if words else 0.0
    return words * 60000 / duration_ms


def is_no_space_char(char: str) -> bool:
    """
    Whether ``char`` is Chinese or Japanese (ideographs, kana, CJK and
    fullwidth punctuation): text written without spaces between words.
    """
    code = ord(char)
    if code < 0x2E80:
        return False
    return any(lo <= code <= hi for lo, hi in _NO_SPACE_RANGES)
