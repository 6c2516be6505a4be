"""
Cue text helpers shared by the writers and readers: line clean-up, the word
joiner that breaks dangerous tokens (and the backslash escapes made with
it), time order, and joining cue texts into running text.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import ordered

__all__ = [
    "WJ",
    "cue_lines",
    "escape_backslashes",
    "fold",
    "join_separator",
    "ordered",
    "unescape_backslashes",
    "utf16_len",
]

#: U+2060 WORD JOINER: invisible, adds no break opportunity. Writers insert
#: one where caption text would otherwise be read as markup or structure
#: (``-->``, ``{\\b1}``...); our readers remove exactly the one they find.
WJ = "\u2060"

_BREAK = re.compile(r"\r\n?|\n")
# A backslash that libass would read as an escape with the next character
# (\N, \n line breaks, \h no-break space, \{ \} braces), in ASS and in SRT
# or WebVTT text that FFmpeg hands to libass; or one already followed by a
# joiner, so that adding one more stays reversible.
_ESCAPING_BACKSLASH = re.compile("\\\\(?=[Nnh{}\u2060])")


def escape_backslashes(text: str) -> str:
    """
    ``text`` with a word joiner after every backslash that would form a
    libass escape (``\\N``, ``\\n``, ``\\h``, ``\\{``, ``\\}``) or is
    followed by a joiner already; :func:`unescape_backslashes` undoes it.
    """
    if "\\" not in text:
        return text
    return _ESCAPING_BACKSLASH.sub("\\\\\u2060", text)


def unescape_backslashes(text: str) -> str:
    """
    ``text`` with one word joiner removed after every backslash (the inverse
    of :func:`escape_backslashes`).
    """
    if "\\\u2060" not in text:
        return text
    return text.replace("\\\u2060", "\\")


def cue_lines(text: str) -> list[str]:
    """
    The visible lines of a cue: split at CR, LF or CRLF, each trimmed of
    surrounding whitespace, blank lines dropped.

    Every writer and reader uses this one rule, so a blank line can never
    end a cue early and whitespace never differs between formats.
    """
    if "\n" not in text and "\r" not in text:
        line = text.strip()
        return [line] if line else []
    return [line for line in (part.strip() for part in _BREAK.split(text)) if line]


def fold(text: str) -> str:
    """
    A cue's lines joined by single spaces (one line of running text).
    """
    return " ".join(cue_lines(text))


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def join_separator(before: str, after: str) -> str:
    """
    What goes between two pieces of running text: nothing between two wide
    (CJK) characters, where a space would be wrong, else one space.
    """
    if before and after and _is_wide(before[-1]) and _is_wide(after[0]):
        return ""
    return " "


def utf16_len(text: str) -> int:
    """
    The length of ``text`` in UTF-16 code units (what JavaScript counts); a
    lone surrogate counts as one, as in JavaScript.
    """
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
