"""
Bytes to text for caption files: byte order marks, UTF-16/32, line ends, and
telling formats apart by their content.
"""

from __future__ import annotations

import codecs
import re

from .errors import FormatError

__all__ = ["decode", "normalize_newlines", "sniff_format"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, *, encoding: str | None = None, filename: str | None = None) -> str:
    """
    Decode a caption file's bytes.

    A byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) picks the encoding
    and is removed; UTF-16 without a BOM is recognised by its NUL bytes;
    otherwise the text must be UTF-8 (or ``encoding`` when given). Line ends
    (CRLF, lone CR) are normalised to ``\\n``.

    Raises:
        FormatError: the bytes are not valid in that encoding; names the
            line and byte offset of the first bad byte.
    """
    chosen = encoding
    body = data
    if chosen is None:
        for bom, name in _BOMS:
            if data.startswith(bom):
                chosen, body = name, data[len(bom) :]
                break
        else:
            chosen = _guess_bomless_utf16(data) or "utf-8"
    try:
        text = body.decode(chosen)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise FormatError(
            f"not valid {chosen} text (byte 0x{body[error.start]:02x} at offset {error.start});"
            " convert the file to UTF-8 or pass its encoding",
            filename=filename,
            line=line,
        ) from None
    except LookupError:
        raise FormatError(f"unknown text encoding {chosen!r}", filename=filename) from None
    return normalize_newlines(text.removeprefix("\ufeff"))


def _guess_bomless_utf16(data: bytes) -> str | None:
    head = data[:200]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    if odd_nuls > half * 0.6 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > half * 0.6 and odd_nuls == 0:
        return "utf-16-be"
    return None


def normalize_newlines(text: str) -> str:
    """
    CRLF and lone CR become LF.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_SRT_TIMING = re.compile(r"^\s*\d+:\d{1,2}:\d{1,2}[,.]\d+\s*-->", re.MULTILINE)


def sniff_format(text: str, *, filename: str | None = None) -> str:
    """
    The format name a caption text looks like: ``vtt``, ``json``, ``ass`` or
    ``srt``.

    Raises:
        FormatError: it looks like none of them.
    """
    head = text.lstrip("\ufeff \t\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith(("{", "[")) and not head.startswith("[Script Info]"):
        return "json"
    if head.startswith("[Script Info]") or "\n[Events]" in text[:20000]:
        return "ass"
    if _SRT_TIMING.search(text[:20000]):
        return "srt"
    raise FormatError(
        "cannot tell what caption format this is (no WEBVTT header, JSON, [Script Info]"
        " or SRT timing line); name the format",
        filename=filename,
    )
