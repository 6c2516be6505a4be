"""
Bytes to text: byte order marks, UTF-16/32, line ends, bad bytes, and telling
formats apart by their content.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gcore_captions.errors import FormatError
from gcore_captions.textio import (
    GUESSED_ENCODING,
    decode,
    decode_text,
    normalize_newlines,
    sniff_format,
)

SAMPLE = "WEBVTT\n\n00:01.000 --> 00:02.000\nCafé ♪ 日本 😀\n"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_marks_pick_the_encoding_and_are_removed(bom: bytes, encoding: str) -> None:
    """Each BOM selects its encoding; the text comes back without it."""
    assert decode(bom + SAMPLE.encode(encoding)) == SAMPLE


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_recognised(encoding: str) -> None:
    """Mostly-ASCII UTF-16/32 with no BOM (even with an emoji) is recognised by its NULs."""
    assert decode(SAMPLE.encode(encoding)) == SAMPLE


def test_utf16_le_starting_with_nul_is_not_taken_for_utf32() -> None:
    """FF FE 00 00 followed by text that is not UTF-32 is UTF-16-LE starting with NUL."""
    assert decode(codecs.BOM_UTF16_LE + "\x000".encode("utf-16-le")) == "\x000"


def test_utf8_with_a_stray_nul_is_not_taken_for_utf16() -> None:
    """A NUL inside UTF-8 text (WebVTT allows one) does not switch to UTF-16."""
    text = "WEBVTT\n\x00\n00:00.000 --> 00:01.000\ntext\x002\n"
    assert decode(text.encode("utf-8")) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\nb", "a\nb"),
        ("a\r\r\nb\n\rc", "a\n\nb\n\nc"),
        ("a\r", "a\n"),
        ("\r\n\r\n", "\n\n"),
    ],
)
def test_line_ends_crlf_lone_cr_and_mixed(raw: str, expected: str) -> None:
    """CRLF, lone CR and any mix become LF, one line end each."""
    assert normalize_newlines(raw) == expected
    assert decode(raw.encode("utf-8")) == expected


def test_utf16_crlf_file() -> None:
    """UTF-16 with BOM and CRLF line ends, as Windows tools write them."""
    data = codecs.BOM_UTF16_LE + SAMPLE.replace("\n", "\r\n").encode("utf-16-le")
    assert decode(data) == SAMPLE


def test_invalid_utf8_names_the_line() -> None:
    """A bad byte is a FormatError naming the file, the line and the byte."""
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nbad \xff byte\n"
    with pytest.raises(FormatError) as caught:
        decode(data, filename="x.vtt")
    error = caught.value
    assert error.filename == "x.vtt"
    assert error.line == 4
    assert "0xff" in str(error)
    assert "x.vtt, line 4" in str(error)


def test_invalid_bytes_line_counts_lone_cr_line_ends() -> None:
    """The line number counts CR-only line ends too."""
    with pytest.raises(FormatError) as caught:
        decode(b"a\rb\rc\r\xc3(\r")
    assert caught.value.line == 4


def test_truncated_utf16_names_the_last_line() -> None:
    """A UTF-16 file cut in the middle of a character is reported on its last line."""
    data = codecs.BOM_UTF16_LE + "A\nB\nC".encode("utf-16-le") + b"\x00"
    with pytest.raises(FormatError) as caught:
        decode(data)
    assert caught.value.line == 3
    assert "utf-16-le" in str(caught.value)


def test_forced_encoding() -> None:
    """A named legacy encoding is used as asked; a matching BOM is still removed."""
    assert decode("Café".encode("cp1252"), encoding="cp1252") == "Café"
    assert decode(codecs.BOM_UTF8 + b"x", encoding="utf-8") == "x"


@pytest.mark.parametrize("encoding", ["no-such-codec", "rot13"])
def test_unknown_encoding_is_a_format_error(encoding: str) -> None:
    """An encoding that does not exist (or is not a text encoding) is a FormatError."""
    with pytest.raises(FormatError, match="encoding"):
        decode(b"x", encoding=encoding)


def test_codec_errors_without_a_position_are_format_errors() -> None:
    """A codec that fails without naming a byte (idna) still gives a FormatError."""
    with pytest.raises(FormatError, match="idna"):
        decode(b"xn--a", encoding="idna")
    with pytest.raises(FormatError, match="idna"):
        decode(b"x\n\xff", encoding="idna")


@settings(max_examples=100, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",))),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-32", "utf-8-sig"]),
)
def test_any_text_with_a_bom_decodes_back(text: str, encoding: str) -> None:
    """Text written with a BOM (or plain UTF-8) decodes back to the same text, LF line ends."""
    # BOM-less UTF-8 made mostly of NULs would rightly look like UTF-16.
    assume(encoding != "utf-8" or "\0" not in text)
    # FF FE 00 00 is both the UTF-32-LE BOM and UTF-16-LE BOM + NUL: UTF-32 wins when it fits.
    assume(encoding != "utf-16" or not text.startswith("\0"))
    data = text.encode(encoding)
    assert decode(data) == normalize_newlines(text.removeprefix("\ufeff"))


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=64),
    encoding=st.sampled_from(
        [None, None, "utf-16", "utf-32-be", "cp1252", "ascii", "idna", "shift_jis", "utf-8-sig"]
    ),
)
def test_any_bytes_decode_or_raise_format_error(data: bytes, encoding: str | None) -> None:
    """Random bytes in any encoding give text or a FormatError naming the encoding; nothing else."""
    try:
        text = decode(data, encoding=encoding)
    except FormatError as error:
        assert (encoding or "utf") in str(error)  # noqa: PT017 (Hypothesis: may or may not raise)
        return
    assert "\r" not in text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n", "vtt"),
        ("\r\n  WEBVTT - title\n", "vtt"),
        ('{"id": "x", "result": {}}', "json"),
        ("[\n]", "json"),
        ("[Script Info]\nScriptType: v4.00+\n", "ass"),
        ("[script info]\n", "ass"),
        ("[V4+ Styles]\nFormat: Name\n\n[Events]\nFormat: Layer\n", "ass"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n", "srt"),
        ("\n\n1\r\n100:00:01,000 --> 100:00:02,000\r\nHi\r\n", "srt"),
    ],
)
def test_sniff_format(text: str, name: str) -> None:
    """Each format is told apart by its content, whatever leads it."""
    assert sniff_format(text) == name


def test_sniff_format_unknown_names_the_file() -> None:
    """Text that looks like no caption format is a FormatError naming the file."""
    with pytest.raises(FormatError) as caught:
        sniff_format("just some words\n", filename="notes.txt")
    assert caught.value.filename == "notes.txt"


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200))
def test_any_bytes_decode_guessing_or_raise_format_error(data: bytes) -> None:
    """Guessing never fails otherwise: text (warned when guessed) or a FormatError."""
    try:
        decoded = decode_text(data)
    except FormatError:
        return
    assert "\r" not in decoded.text
    guessed = [w for w in decoded.warnings if w.code == GUESSED_ENCODING]
    assert bool(guessed) == (decoded.encoding not in _UNICODE)
    if guessed:
        assert f"read as {decoded.encoding}" in guessed[0].message


_UNICODE = {"utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}


def test_decode_guesses_nothing() -> None:
    """``decode`` stays strict: a legacy code page is an error there, a guess in decode_text."""
    data = "1\n00:00:01,000 --> 00:00:02,000\nПривет, как дела? Спасибо за всё.\n".encode("cp1251")
    with pytest.raises(FormatError, match="not valid utf-8"):
        decode(data)
    assert decode_text(data).text == data.decode("cp1251")
