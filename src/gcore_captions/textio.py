"""
Bytes to text for caption files: byte order marks, UTF-16/32, a legacy code
page guessed (with a warning) when the bytes are not UTF-8, line ends, and
telling formats apart by their content.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import FormatError
from .model import TranscriptWarning

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch

__all__ = [
    "GUESSED_ENCODING",
    "DecodedText",
    "decode",
    "decode_text",
    "normalize_newlines",
    "replace_surrogates",
    "sniff_format",
]

GUESSED_ENCODING = "guessed-encoding"
"""The code of the warning :func:`decode_text` records when it guessed a code page."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class DecodedText:
    """
    A caption file's text and how its bytes were read.

    Args:
        text: the text, without a BOM, with ``\\n`` line ends.
        encoding: the Python codec that decoded it (``"utf-8"``,
            ``"utf-16-le"``, ``"cp1251"``...).
        warnings: a ``guessed-encoding`` warning when the code page was
            guessed, else nothing.
    """

    text: str
    encoding: str
    warnings: tuple[TranscriptWarning, ...] = ()


def decode_text(
    data: bytes, *, encoding: str | None = None, filename: str | None = None
) -> DecodedText:
    """
    Decode a caption file's bytes as :func:`decode` does, and when they are
    not UTF-8 (and carry no BOM), guess the legacy code page.

    The guess is charset-normalizer's, made on the file (or, past 64 KiB,
    on 64 KiB of whole lines from the first that is not UTF-8). Among the
    candidates it finds nearly equally plausible, one that puts a Latin-1
    symbol between two letters loses ("Za¿ó³æ": Polish read as cp1252),
    then the more common subtitle code page wins (cp1252, cp1251, cp1250,
    GB18030, Big5, cp932, cp949, then the other Windows code pages). The
    guess is recorded as a ``guessed-encoding`` warning naming the code
    page and the first line that is not UTF-8; the shorter the text, the
    likelier a wrong guess (docs/formats.md), so the warning says how to
    name the encoding instead.

    Bytes that are not text are refused rather than guessed: NUL bytes, no
    plausible code page, or more than 1% control characters; code pages
    that do not read ASCII as ASCII (EBCDIC, UTF-7) are never candidates.
    Mostly-UTF-8 bytes with a few bad ones are refused too, naming the
    first bad byte: another code page would turn every correct character
    into mojibake.

    Args:
        data: the file's bytes.
        encoding: use this text encoding; nothing is guessed.
        filename: the file's name, for messages.

    Raises:
        FormatError: as :func:`decode`, when no code page fits.
    """
    try:
        text, chosen = _decode(data, encoding, filename)
    except FormatError as error:
        if encoding is not None or not _utf8_was_tried(data):
            raise
        return _guess_legacy(data, error, filename)
    return DecodedText(text, chosen)


def decode(data: bytes, *, encoding: str | None = None, filename: str | None = None) -> str:
    """
    Decode a caption file's bytes, guessing nothing: text that is not
    UTF-8 (or ``encoding``) is refused. :func:`decode_text` guesses a
    legacy code page instead, with a warning.

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
    return _decode(data, encoding, filename)[0]


def _decode(data: bytes, encoding: str | None, filename: str | None) -> tuple[str, str]:
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
    except (LookupError, ValueError):  # ValueError: a name with a NUL in it
        raise FormatError(f"unknown text encoding {chosen!r}", filename=filename) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return normalize_newlines(text), chosen


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
    # UTF-16 needs only a quarter of its characters ASCII (the timing lines):
    # cue text in Cyrillic or CJK has no NUL byte, and such files opened with
    # long cues read as garbage (Cyrillic's bytes are valid UTF-8) or not at all.
    # CJK text has some NULs in the other lane too (U+4E00 "一" is 00 4E).
    even, odd = lanes[0] + lanes[2], lanes[1] + lanes[3]
    half = len(head) // 2
    if odd > half * 0.25 and even * 3 < odd:
        return "utf-16-le"
    if even > half * 0.25 and odd * 3 < even:
        return "utf-16-be"
    return None


def _utf8_was_tried(data: bytes) -> bool:
    # Only text that fell back to UTF-8 is guessed: a BOM or UTF-16/32's NUL
    # pattern named the encoding, and then the bytes are broken, not legacy.
    return not data.startswith(tuple(bom for bom, _ in _BOMS)) and not _guess_bomless_unicode(data)


# The code pages caption files are most often written in, most common first:
# charset-normalizer ranks nearly equal candidates by small differences in
# its "chaos" measure, which on a short French file can put cp1257 (Baltic)
# ahead of cp1252. Among candidates within _NEARLY_AS_PLAUSIBLE of the best,
# the earliest here wins.
_COMMON_CODE_PAGES = (
    "cp1252",
    "cp1251",
    "cp1250",
    "gb18030",
    "big5",
    "cp932",
    "cp949",
    "cp1256",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1257",
    "cp1258",
    "cp874",
)
_NEARLY_AS_PLAUSIBLE = 0.05
_SAMPLE_BYTES = 64 * 1024
# The mark of a Central European file read as cp1252 (or the reverse): a
# Latin-1 symbol between two letters ("Za¿ó³æ" for "Zażółć"). Real text has
# none but the soft hyphen and the middle dot (Catalan "l·l"), left out;
# among the plausible candidates, the one with fewest wins.
_SYMBOL_IN_WORD = re.compile(
    "(?<=[^\\W\\d_])[\u0080-\u00ac\u00ae-\u00b6\u00b8-\u00bf\u00d7\u00f7](?=[^\\W\\d_])"
)
# A guessed text with more control characters (other than tab, form feed and
# the DOS end-of-file mark) than this share is taken for binary data.
_MAX_CONTROL_SHARE = 0.01
_CONTROLS = re.compile("[\x00-\x08\x0b\x0d-\x19\x1b-\x1f\x7f-\x9f]")
_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"
# Kana, CJK ideographs, Hangul, CJK compatibility and fullwidth forms.
_CJK_CLASS = "[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
_CJK = re.compile(_CJK_CLASS)
_CJK_IN_LATIN_WORD = re.compile(f"(?<=[A-Za-z]){_CJK_CLASS}|{_CJK_CLASS}(?=[A-Za-z])")


def _guess_legacy(data: bytes, utf8_error: FormatError, filename: str | None) -> DecodedText:
    where, offset = _first_bad_utf8(data)
    if b"\x00" in data:
        raise FormatError(
            f"not text: not valid utf-8 ({where}) and it holds NUL bytes (binary data?)",
            filename=filename,
        )
    if _mostly_utf8(data):
        raise utf8_error
    # A long file is guessed from a sample of whole lines, from the first
    # one that is not UTF-8: it costs no more to guess than its first part.
    # The whole file is then decoded in the guessed code page; when a later
    # byte does not fit it, the guess is made again on everything. A sample
    # that reads as no code page's text refuses the file (binary data).
    start = data.rfind(b"\n", 0, offset) + 1 if len(data) > _SAMPLE_BYTES else 0
    end = data.rfind(b"\n", start, start + _SAMPLE_BYTES) + 1 or start + _SAMPLE_BYTES
    sample = data[start:end]
    guess = _guess_in(sample, data)
    if guess is not None and guess[1] is None and len(sample) < len(data):
        guess = _guess_in(data, data)
    if guess is None:
        raise FormatError(
            f"not text: not valid utf-8 ({where}), and no code page reads it as text;"
            " pass its encoding if it is text",
            filename=filename,
        )
    name, text = guess
    if text is None:
        text, _ = _decode(data, name, filename)
    if len(_CONTROLS.findall(text)) > len(text) * _MAX_CONTROL_SHARE:
        raise FormatError(
            f"not text: not valid utf-8 ({where}), and read as {name} it is full of"
            " control characters (binary data?); pass its encoding if it is text",
            filename=filename,
        )
    warning = TranscriptWarning(
        GUESSED_ENCODING,
        f"not UTF-8 ({where}): read as {name}, the code page guessed from the"
        " content; if the text looks wrong, pass the file's encoding (encoding=, --encoding)",
        line=utf8_error.line,
    )
    return DecodedText(text, name, (warning,))


def _guess_in(sample: bytes, data: bytes) -> tuple[str, str | None] | None:
    """
    The code page guessed from ``sample``, and ``data`` decoded in it (None
    when ``data`` does not fit it); None when nothing reads as text.
    """
    # charset-normalizer is imported here, not at start-up: only files that
    # are not UTF-8 pay for it.
    from charset_normalizer import from_bytes

    results = list(from_bytes(sample, cp_exclusion=_not_ascii_compatible()))
    if not results:
        return None
    best = _most_plausible(results)
    if _latin_read_as_cjk(str(best)):
        # charset-normalizer stops at the first multi-byte code page that
        # fits, and two accented letters side by side ("üß") fit one.
        single_byte = list(from_bytes(sample, cp_isolation=_single_byte_code_pages()))
        if single_byte:
            best = _most_plausible(single_byte)
    name = _common_name(best.encoding, best.could_be_from_charset)
    try:
        return name, _decode(data, name, None)[0]
    except FormatError:
        return name, None


def _most_plausible(results: list[CharsetMatch]) -> CharsetMatch:
    least = min(r.chaos for r in results)
    plausible = [r for r in results if r.chaos <= least + _NEARLY_AS_PLAUSIBLE]
    return min(
        plausible,
        key=lambda r: (
            len(_SYMBOL_IN_WORD.findall(str(r))),
            _rank(_common_name(r.encoding, r.could_be_from_charset)),
        ),
    )


def _latin_read_as_cjk(text: str) -> bool:
    # Latin text read in a CJK code page: most of its "CJK characters" sit
    # inside Latin words ("Gr\ubc45 Gott" for "Grüß Gott"). Real CJK text has
    # them among each other or next to punctuation and spaces.
    cjk = len(_CJK.findall(text))
    return cjk > 0 and len(_CJK_IN_LATIN_WORD.findall(text)) * 2 > cjk


@functools.cache
def _single_byte_code_pages() -> list[str]:
    from charset_normalizer.constant import IANA_SUPPORTED
    from charset_normalizer.utils import is_multi_byte_encoding

    return [
        name
        for name in IANA_SUPPORTED
        if not is_multi_byte_encoding(name) and _ascii_compatible(name)
    ]


def _mostly_utf8(data: bytes) -> bool:
    # UTF-8 with a few bad bytes (a cut, a stray byte) rather than a legacy
    # code page: most of its non-ASCII characters are well-formed UTF-8. In a
    # legacy file nearly every non-ASCII byte starts a bad sequence.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - bad > bad


@functools.cache
def _not_ascii_compatible() -> list[str]:
    # Excluded up front rather than filtered after: charset-normalizer stops
    # early on a multi-byte code page that fits, which for a short cp1251
    # cue can be shift_jis_2004 (it reads 0x5C as a yen sign).
    from charset_normalizer.constant import IANA_SUPPORTED

    return [name for name in IANA_SUPPORTED if not _ascii_compatible(name)]


def _ascii_compatible(name: str) -> bool:
    # Caption syntax (digits, "-->", "[Events]", tags) is ASCII; a code page
    # that reads those bytes as anything else (EBCDIC, UTF-7, UTF-16) is a
    # wrong guess whatever its score.
    try:
        return _ASCII.decode(name) == _ASCII.decode("ascii")
    except (UnicodeError, LookupError):
        return False


def _common_name(name: str, equivalents: list[str]) -> str:
    # charset-normalizer lists the code pages that give the very same text;
    # name the most common of them.
    return min([name, *equivalents], key=_rank)


def _rank(name: str) -> int:
    try:
        return _COMMON_CODE_PAGES.index(name)
    except ValueError:
        return len(_COMMON_CODE_PAGES)


def _first_bad_utf8(data: bytes) -> tuple[str, int]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"{_describe(data, error)} at byte offset {error.start}", error.start
    return "valid", 0  # not reached: only bytes that failed as UTF-8 are guessed


def normalize_newlines(text: str) -> str:
    """
    CRLF and lone CR become LF.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# A UTF-16 surrogate on its own: a code point that is not a character, which
# Python strings may hold (JSON's "\ud800", surrogate-escaped bytes) but no
# UTF encoding can write.
_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """
    ``text`` with every lone surrogate (U+D800-U+DFFF) replaced by U+FFFD,
    as a browser's text encoder does, and the 1-based line of the first
    one (0 when there is none: then ``text`` itself comes back, uncopied).

    Readers call it on text that did not come from decoding bytes (a ``str``
    handed in, JSON string escapes) and record a ``replaced-surrogate``
    warning when the line is not 0.
    """
    if text.isascii():
        return text, 0
    first = _SURROGATE.search(text)
    if first is None:
        return text, 0
    line = text.count("\n", 0, first.start()) + 1
    return _SURROGATE.sub("\ufffd", text), line


# Blanks within the line only: "^\s*" would run on through every following
# blank line from every line start, quadratic on a run of empty lines.
# The stamps the lenient SRT reader takes: no hours, no fraction, ":" before it.
_SRT_TIMING = re.compile(r"^[^\S\n]*\d+:\d{1,2}(?:[:,.]\d+){0,2}[^\S\n]*-->", re.MULTILINE)
_MICRODVD = re.compile(r"\{\d{1,12}\}\{\d{0,12}\}")
_MPL2 = re.compile(r"\[\d{1,12}\]\[\d{0,12}\]")
_TMP = re.compile(r"\d{1,2}:\d{2}:\d{2}[:=]")
_SBV_TIMING = re.compile(
    r"[ \t]*\d{1,9}:\d{1,2}:\d{1,2}\.\d{3}[ \t]*,[ \t]*\d{1,9}:\d{1,2}:\d{1,2}\.\d{3}"
)


def sniff_format(text: str, *, filename: str | None = None) -> str:
    """
    The format name a caption text looks like: ``vtt``, ``sami``, ``scc``,
    ``ttml`` (XML), ``microdvd``, ``mpl2``, ``ass``, ``json``, ``srt``,
    ``sbv`` or ``tmp``.

    Raises:
        FormatError: it looks like none of them.
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head[:5].upper() == "<SAMI":
        return "sami"
    if head.startswith("Scenarist_SCC"):
        return "scc"
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
        "cannot tell what caption format this is (no WEBVTT or Scenarist_SCC header, XML,"
        " JSON, [Script Info], SRT, SBV, MicroDVD, MPL2 or TMP timing); name the format",
        filename=filename,
    )
