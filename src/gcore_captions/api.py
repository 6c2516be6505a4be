"""
The top-level verbs: ``render``, ``save``, ``load`` and ``loads``.
"""

from __future__ import annotations

import os
from typing import Any

from .errors import FormatError, GcoreCaptionsError
from .formats import FORMATS, Format, format_for_path, get_format
from .model import Transcript
from .output.atomic import write_atomic
from .textio import decode, sniff_format

__all__ = ["load", "loads", "render", "save"]


def render(transcript: Transcript, format: str, **options: Any) -> str:
    """
    The transcript as the text of a caption file.

    Args:
        transcript: what to write.
        format: ``"srt"``, ``"vtt"``, ``"ass"``, ``"txt"`` or ``"json"``.
        **options: options of that format's writer (see the README).

    Returns:
        The file's text, with ``\\n`` line ends and no BOM (``save`` adds
        those on request).

    Raises:
        FormatError: unknown format or option, or an option value the
            writer refuses.
    """
    fmt = get_format(format)
    try:
        return fmt.render(transcript, **options)
    except GcoreCaptionsError:
        raise
    except ValueError as error:
        # A writer refuses a bad option value (``identifiers="foo"``,
        # ``width=0``) with a plain ValueError; as a FormatError (still a
        # ValueError) every command reports it on one line.
        raise FormatError(f"{fmt.name}: {error}") from None
    except TypeError as error:
        if "unexpected keyword argument" in str(error):
            raise FormatError(f"{fmt.name}: {error}") from None
        raise


def encode(text: str, *, encoding: str = "utf-8", bom: bool = False, newline: str = "\n") -> bytes:
    """
    Turn rendered text into file bytes: line ends, optional BOM, encoding.
    """
    if newline not in ("\n", "\r\n"):
        raise FormatError(f"newline must be '\\n' or '\\r\\n', not {newline!r}")
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode(encoding)
    is_utf8 = encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")
    if bom and is_utf8 and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    return data


def save(
    transcript: Transcript,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\n",
    **options: Any,
) -> None:
    """
    Write the transcript to ``path`` atomically (temporary file, then rename).

    Args:
        transcript: what to write.
        path: the file to write; its extension names the format unless
            ``format`` is given.
        format: the format name, overriding the extension.
        encoding: text encoding (UTF-8 by default).
        bom: start the file with a UTF-8 byte order mark.
        newline: ``"\\n"`` (default) or ``"\\r\\n"``.
        **options: options of the format's writer.

    Raises:
        FormatError: unknown format or option.
        OSError: the file cannot be written (nothing is left half-written).
    """
    fmt: Format = get_format(format) if format else format_for_path(path)
    text = render(transcript, fmt.name, **options)
    write_atomic(path, encode(text, encoding=encoding, bom=bom, newline=newline))


# The extensions of the formats that can be read (".srt", ".vtt", ".webvtt",
# ".ass", ".ssa", ".json"); any other name leaves the choice to the content.
_READABLE_EXTENSIONS = frozenset(
    f".{extension}"
    for fmt in FORMATS.values()
    if fmt.parse is not None
    for extension in fmt.extensions
)


def _looks_like_content(source: str) -> bool:
    return (
        "\n" in source
        or "\r" in source
        or source.lstrip("\ufeff \t").startswith(("WEBVTT", "{", "[Script Info]"))
    )


def load(
    source: str | bytes | os.PathLike[str],
    format: str | None = None,
    *,
    encoding: str | None = None,
) -> Transcript:
    """
    Read a caption file or a saved Gcore task.

    Args:
        source: a path, or the file's content as ``str`` / ``bytes``
            (a ``str`` with a line break, or starting with ``WEBVTT``,
            ``{`` or ``[Script Info]``, is taken as content).
        format: ``"srt"``, ``"vtt"``, ``"ass"``, ``"json"`` (a task or our
            aligned JSON); by default from the extension, else from the
            content.
        encoding: force a text encoding; by default UTF-8, or UTF-16/32 when
            the file starts with their byte order mark.

    Returns:
        The transcript; ``warnings`` lists every repair made while reading.

    Raises:
        FormatError: the content cannot be read (names file and line).
        PayloadError, TaskNotReady, TaskFailed: for task JSON, as
            :func:`parse_task`.
        OSError: the file cannot be opened.
    """
    filename: str | None = None
    if isinstance(source, bytes):
        text = decode(source, encoding=encoding)
    elif isinstance(source, str) and _looks_like_content(source):
        text = source
    else:
        filename = os.fspath(source)
        with open(filename, "rb") as handle:
            data = handle.read()
        text = decode(data, encoding=encoding, filename=filename)
    return loads(text, format, filename=filename)


def loads(text: str, format: str | None = None, *, filename: str | None = None) -> Transcript:
    """
    Read caption or task text that is already decoded.

    ``filename`` is used to pick the format (when ``format`` is not given)
    and to name the file in error messages.
    """
    text = text.removeprefix("\ufeff")
    if format:
        fmt = get_format(format)
    elif filename and os.path.splitext(filename)[1].lower() in _READABLE_EXTENSIONS:
        fmt = format_for_path(filename)
    else:
        fmt = get_format(sniff_format(text, filename=filename))
    if fmt.parse is None:
        raise FormatError(f"{fmt.name} files cannot be read back", filename=filename)
    return fmt.parse(text, filename=filename)
