"""
JSON text to Python values with one kind of failure, whatever the text.

``json.loads`` lets more than ``JSONDecodeError`` out on hostile text: a
number with more digits than Python converts (``ValueError``), nesting
deeper than the interpreter's stack (``RecursionError``), and invalid bytes
(``UnicodeDecodeError``); and it accepts ``NaN`` and ``Infinity``, which
are not JSON (RFC 8259) and which no later check expects. :func:`load_json`
turns each of these into a :class:`json.JSONDecodeError` that names the
line and column of the culprit, so its callers (the task reader and the
aligned-JSON reader) wrap one exception in their own typed error. Valid
JSON costs exactly one ``json.loads``: the culprit is only searched for
once decoding has failed.
"""

from __future__ import annotations

import json
import re
import sys
from types import FrameType
from typing import Any, NoReturn

__all__ = ["load_json"]

# A JSON string, or one of the tokens looked for. Possessive quantifiers: on
# the error path the scan stays linear even over unclosed strings.
_STRING = r'"(?:[^"\\]++|\\.)*+"'
_CONSTANT = re.compile(_STRING + r"|(NaN|-?Infinity)")
_BRACKET = re.compile(_STRING + r"|([\[{])|[\]}]")


class _Constant(ValueError):
    pass


def _refuse_constant(name: str) -> NoReturn:
    raise _Constant(name)


def load_json(data: str | bytes | bytearray) -> Any:
    """
    The JSON value in ``data`` (text, or UTF-8/16/32 bytes as ``json.loads``
    reads them).

    Raises:
        json.JSONDecodeError: the text is not JSON that can be read: a
            syntax error, ``NaN``/``Infinity``, a number too long for Python
            to convert, nesting too deep for the interpreter, or bytes that
            are not valid in their encoding. Its ``pos`` is a position in the
            decoded text.
    """
    if isinstance(data, (bytes, bytearray)):
        encoding = json.detect_encoding(data)
        try:
            # What json.loads does with bytes, done here so that the error
            # path below has the text to point into.
            text = data.decode(encoding, "surrogatepass")
        except UnicodeDecodeError as error:
            # Pointed at by the line and column of the text before the bad byte.
            before = data[: error.start].decode(encoding, "replace")
            raise json.JSONDecodeError(
                f"not valid {encoding} text ({error.reason} at byte {error.start})",
                before,
                len(before),
            ) from None
    else:
        text = data
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError:
        raise
    except _Constant as constant:
        where = _located(text, _CONSTANT) or 0
        raise json.JSONDecodeError(f"{constant} is not a JSON number", text, where) from None
    except RecursionError:
        _too_deep(text)
    except ValueError as error:  # the int-str limit: no other ValueError is known
        limit = sys.get_int_max_str_digits()
        # Whole runs only (no retry inside a run), and integers only: a
        # fraction or exponent makes a float, which has no such limit.
        digits = re.compile(_STRING + rf"|(?<![\d.])(-?\d{{{limit + 1},}})(?![\d.eE])")
        if limit and (located := _located(text, digits)) is not None:
            raise json.JSONDecodeError(
                f"a whole number longer than {limit} digits", text, located
            ) from None
        raise json.JSONDecodeError(str(error)[:200], text, 0) from None


def _located(text: str, pattern: re.Pattern[str]) -> int | None:
    # Where the pattern's group first matches outside a JSON string.
    for match in pattern.finditer(text):
        if match.group(1) is not None:
            return match.start(1)
    return None


def _too_deep(text: str) -> NoReturn:
    # Where the nesting passes what the decoder followed: about the
    # interpreter's recursion limit less the frames already in use. The scan
    # stops there, so a megabyte of "[" costs no more than a thousand.
    follows = max(1, sys.getrecursionlimit() - _frames())
    depth = deepest = where = 0
    for match in _BRACKET.finditer(text):
        if match.group(1) is not None:
            depth += 1
            if depth > deepest:
                deepest, where = depth, match.start()
                if depth >= follows:
                    break
        elif match.group()[0] != '"':
            depth -= 1
    raise json.JSONDecodeError(
        f"nests too deeply for this reader ({deepest} levels here)", text, where
    ) from None


def _frames() -> int:
    frame: FrameType | None = sys._getframe()
    count = 0
    while frame is not None:
        frame, count = frame.f_back, count + 1
    return count
