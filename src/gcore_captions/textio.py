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
    and is removed; UTF-16 and UTF-32 without a BOM are recognised by their
    NUL bytes; otherwise the text must be UTF-8 (or ``encoding`` when given;
    a BOM of that encoding is still removed). Line ends (CRLF, lone CR, any mix) are
    normalised to ``\\n``.

    Args:
        data: the file's bytes.
        encoding: force this text encoding instead of detecting one.
        filename: the file's name, for error messages.

    Returns:
        The text, without a BOM, with ``\\n`` line ends.

    Raises:
        FormatError: the bytes are not valid in that encoding (names the line
            and byte offset of the first bad byte), or the encoding is
            unknown.
    """
    chosen = encoding
    body = data
    skipped = 0
    if chosen is None:
        for bom, name in _BOMS:
            if data.startswith(bom):
                chosen, body, skipped = name, data[len(bom) :], len(bom)
                break
        else:
            chosen = _guess_bomless_unicode(data) or "utf-8"
    try:
        try:
            text = body.decode(chosen)
        except UnicodeDecodeError:
            # FF FE 00 00 opens UTF-32-LE, or UTF-16-LE text whose first
            # character is NUL: when UTF-32 does not fit, take UTF-16.
            if chosen != "utf-32-le" or encoding is not None:
                raise
            chosen, body, skipped = "utf-16-le", data[2:], 2
            text = body.decode(chosen)
    except UnicodeDecodeError as error:
        raise FormatError(
            f"not valid {chosen} text ({_describe(body, error)} at byte offset"
            f" {error.start + skipped}); convert the file to UTF-8 or pass its encoding",
            filename=filename,
            line=_line_of(body, error.start, chosen),
        ) from None
    except UnicodeError as error:  # codecs such as idna fail without a byte position
        raise FormatError(f"cannot decode as {chosen}: {error}", filename=filename) from None
    except LookupError:
        raise FormatError(f"unknown text encoding {chosen!r}", filename=filename) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return normalize_newlines(text)


def _describe(body: bytes, error: UnicodeDecodeError) -> str:
    bad = body[error.start : max(error.end, error.start + 1)][:4]
    if not bad:
        return "text cut off"
    return "byte" + ("s" if len(bad) > 1 else "") + " " + " ".join(f"0x{b:02x}" for b in bad)


def _line_of(body: bytes, offset: int, encoding: str) -> int:
    """
    The 1-based line holding byte ``offset``, counting line ends as the
    decoded text will have them (CRLF, CR or LF).
    """
    try:
        before = body[:offset].decode(encoding, errors="replace")
    except (UnicodeError, LookupError):  # a codec without error handlers (idna)
        before = body[:offset].decode("latin-1")
    return normalize_newlines(before).count("\n") + 1


def _guess_bomless_unicode(data: bytes) -> str | None:
    # Mostly-ASCII text has a NUL in every other byte in UTF-16 (three of
    # every four in UTF-32). A few characters break the pattern (an emoji's
    # surrogates, CJK), so the test is "nearly all", not "all"; a UTF-8 file
    # with a stray NUL (which WebVTT allows) is nowhere near.
    head = data[:400]
    if len(head) < 4 or b"\x00" not in head:
        return None
    head = head[: len(head) - len(head) % 4]
    quarter = len(head) // 4
    lanes = [head[i::4].count(0) for i in range(4)]
    if lanes[0] < quarter * 0.2 and min(lanes[1:]) > quarter * 0.8:
        return "utf-32-le"
    if lanes[3] < quarter * 0.2 and min(lanes[:3]) > quarter * 0.8:
        return "utf-32-be"
    even, odd = lanes[0] + lanes[2], lanes[1] + lanes[3]
    half = len(head) // 2
    if odd > half * 0.6 and even < odd * 0.1:
        return "utf-16-le"
    if even > half * 0.6 and odd < even * 0.1:
        return "utf-16-be"
    return None


def normalize_newlines(text: str) -> str:
    """
    CRLF and lone CR become LF.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# [ \t]*, not \s*: \s* also matches line ends, so every blank line would start
# a scan over all the blank lines after it (quadratic: 20,000 newlines took 3 s).
_SRT_TIMING = re.compile(r"^[ \t]*\d+:\d{1,2}:\d{1,2}[,.]\d+[ \t]*-->", re.MULTILINE)
_MICRODVD = re.compile(r"\{\d{1,12}\}\{\d{0,12}\}")
_MPL2 = re.compile(r"\[\d{1,12}\]\[\d{0,12}\]")
_TMP = re.compile(r"\d{1,2}:\d{2}:\d{2}[:=]")
_SBV_TIMING = re.compile(
    r"[ \t]*\d{1,9}:\d{1,2}:\d{1,2}\.\d{3}[ \t]*,[ \t]*\d{1,9}:\d{1,2}:\d{1,2}\.\d{3}"
)


def sniff_format(text: str, *, filename: str | None = None) -> str:
    """
    The format name a caption text looks like: ``vtt``, ``ttml`` (XML),
    ``json``, ``ass``, ``srt`` or ``sbv``.

    Raises:
        FormatError: it looks like none of them.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head[:5].upper() == "<SAMI":
        return "sami"
    if head.startswith(("<?xml", "<tt", "<!--")):
        return "ttml"
    # Before JSON, which may also open with "{" or "[".
    if _MICRODVD.match(head):
        return "microdvd"
    if _MPL2.match(head):
        return "mpl2"
    # ASS before JSON: both may open with "[", and valid JSON cannot hold a
    # line that starts with "[Events]".
    if head[:13].lower() == "[script info]" or "\n[Events]" in text[:20000]:
        return "ass"
    if head.startswith(("{", "[")):
        return "json"
    if _SRT_TIMING.search(text[:20000]):
        return "srt"
    if _SBV_TIMING.match(head[:200].split("\n", 1)[0]):
        return "sbv"
    if _TMP.match(head):
        return "tmp"
    raise FormatError(
        "cannot tell what caption format this is (no WEBVTT header, XML, JSON, [Script Info],"
        " SRT or SBV timing line); name the format",
        filename=filename,
    )
