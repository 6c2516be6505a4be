"""
EBU-STL (``.stl``, EBU Tech 3264): the binary subtitle exchange format of
European broadcasters, read (not written) through ttconv's reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import FormatError
from ..model import Transcript
from ._ttconv import read_document
from .options import FormatOptions

__all__ = ["EXTENSIONS", "NAME", "StlOptions", "looks_like_stl", "parse", "render"]

NAME = "stl"
EXTENSIONS = ("stl",)


@dataclass(frozen=True, slots=True)
class StlOptions(FormatOptions):
    """EBU-STL is read only; it has no writer options."""

    format: ClassVar[str] = NAME


def looks_like_stl(data: bytes) -> bool:
    """
    Whether ``data`` opens with an EBU-STL General Subtitle Information
    block: a three-digit code page number, then ``STL25.01`` or
    ``STL30.01``-style disk format code.
    """
    return len(data) >= 11 and data[:3].isdigit() and data[3:6] == b"STL" and data[6:8].isdigit()


def render(transcript: Transcript, options: StlOptions | None = None) -> str:
    """
    EBU-STL is read only.

    Raises:
        FormatError: always.
    """
    raise FormatError("stl files can be read, not written")


def parse(data: bytes, *, filename: str | None = None, strict: bool = False) -> Transcript:
    """
    Read an EBU-STL file's bytes through ttconv: a cue per subtitle (TTI
    blocks of one subtitle joined), at its time codes, rounded to the
    millisecond; the GSI block's language code becomes the language.

    Raises:
        FormatError: not EBU-STL (or given as text: it is binary), or
            (``strict``) anything ttconv warns about.
    """
    if not isinstance(data, bytes):
        raise FormatError(
            "EBU-STL is a binary format: give its bytes (load(path))", filename=filename
        )
    if not looks_like_stl(data):
        raise FormatError(
            "not an EBU-STL file (no 'NNNSTLxx.01' General Subtitle Information block)",
            filename=filename,
        )
    return read_document(data, kind="stl", filename=filename, strict=strict, source=NAME)
