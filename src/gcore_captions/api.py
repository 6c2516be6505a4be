"""
The top-level verbs: ``render``, ``save``, ``load`` and ``loads``.

They are conveniences over the one write path (:mod:`gcore_captions.output`)
and the readers (:mod:`gcore_captions.formats`, :mod:`gcore_captions.task`):
``render`` builds the format's options dataclass from keywords, so a bad
option fails here exactly as ``-O`` does on the command line.
"""

from __future__ import annotations

import os
import stat
from typing import Any, BinaryIO

from .errors import FileError, FormatError
from .formats import FORMATS, Format, format_for_path, get_format
from .formats import json as json_format
from .formats import stl as stl_format
from .formats.options import FormatOptions, build_options
from .model import Transcript, TranscriptWarning
from .output import OutputSpec, get_output, output_for_path, render_outputs, write_files
from .output.write import render_one
from .quality import Preset
from .reading import without_surrogates
from .task import parse_task
from .textio import decode_text, sniff_format

__all__ = ["load", "loads", "render", "save"]


def _options(output_name: str, options: FormatOptions | None, values: dict[str, Any]) -> Any:
    output = get_output(output_name)
    if options is None:
        return build_options(output.options, values)
    if values:
        raise FormatError("give options either as an options value or as keywords, not both")
    if not isinstance(options, output.options):
        raise FormatError(
            f"{output.name} takes {output.options.__name__}, not {type(options).__name__}"
        )
    return options


def render(
    transcript: Transcript,
    format: str,
    options: FormatOptions | None = None,
    **values: Any,
) -> str:
    """
    The transcript as the text of a caption file (or the preview page).

    Args:
        transcript: what to write.
        format: ``"srt"``, ``"vtt"``, ``"ass"``, ``"txt"``, ``"json"`` or
            ``"html"`` (aliases such as ``"webvtt"`` work).
        options: the format's options as a value (``SrtOptions(...)``).
        **values: or the same options as keywords
            (``render(t, "txt", timestamps=True)``).

    Returns:
        The file's text, with ``\\n`` line ends and no BOM (``save`` adds
        those on request).

    Raises:
        FormatError: unknown format or option, a value the option does not
            take (the message names the option and what it takes), or text
            the writer cannot write.
    """
    output = get_output(format)
    return render_one(transcript, output, _options(output.name, options, values))


def save(
    transcript: Transcript,
    path: str | os.PathLike[str],
    format: str | FormatOptions | None = None,
    options: FormatOptions | None = None,
    *,
    preset: Preset | str | None = None,
    bom: bool = False,
    newline: str = "\n",
    **values: Any,
) -> None:
    """
    Write the transcript to ``path`` atomically (temporary file, then
    rename; a replaced file keeps its permissions; a symbolic link at
    ``path`` is replaced, its target never written).

    Args:
        transcript: what to write.
        path: the file to write; its extension names the format unless
            ``format`` is given.
        format: the format name, overriding the extension (an options
            value here is taken as ``options``, naming its format).
        options: the format's options as a value.
        preset: run this quality preset's passes first.
        bom: start the file with a UTF-8 byte order mark.
        newline: ``"\\n"`` (default) or ``"\\r\\n"``.
        **values: or the format's options as keywords.

    Raises:
        FormatError: unknown format or option, or a bad value.
        FileError: the file cannot be written (nothing is left
            half-written); also an ``OSError``.
    """
    if isinstance(format, FormatOptions):
        # save(t, "x.txt", TextOptions(...)): the options name their format.
        if options is not None:
            raise FormatError("give the options once, not as the format and as options=")
        options, format = format, format.format
    if format is not None and not isinstance(format, str):
        raise FormatError(f"format must be a format name, not {format!r}")
    output = get_output(format) if format else output_for_path(path)
    spec = OutputSpec.parse(output.name, preset=preset, newline=newline, bom=bom)  # type: ignore[arg-type]
    spec = spec.replace(outputs=(_options(output.name, options, values),))
    target = os.fspath(path)
    (rendered,) = render_outputs(transcript, spec, names=[target])
    folder = os.path.dirname(target)
    # A set (HLS): its other files next to it, written first, all as a unit.
    write_files(
        [(os.path.join(folder, name), data) for name, data in rendered.companions]
        + [(target, rendered.data)]
    )


# The extensions of the formats that can be read (".srt", ".vtt", ".webvtt",
# ".ass", ".ssa", ".json"); any other name leaves the choice to the content.
_READABLE_EXTENSIONS = frozenset(
    f".{extension}"
    for fmt in FORMATS.values()
    if fmt.parse is not None
    for extension in fmt.extensions
)


#: The largest file :func:`load` reads: far above any caption file or task
#: (a 24-hour track with a cue a second is about 10 MB), so an endless
#: device or a wrong file is refused instead of filling memory.
MAX_INPUT_BYTES = 1 << 30


def _read_capped(handle: BinaryIO, filename: str) -> bytes:
    """The file's bytes, refused past :data:`MAX_INPUT_BYTES` without reading them all."""
    too_large = FormatError(
        f"larger than {MAX_INPUT_BYTES // 2**20} MiB, far more than any caption file or task"
        " (refused before reading it all)",
        filename=filename,
    )
    status = os.fstat(handle.fileno())
    if stat.S_ISREG(status.st_mode):
        if status.st_size > MAX_INPUT_BYTES:
            raise too_large
        return handle.read()
    # A device or pipe (/dev/zero, a FIFO) has no size: read in steps.
    chunks: list[bytes] = []
    total = 0
    while chunk := handle.read(1 << 20):
        total += len(chunk)
        if total > MAX_INPUT_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _named_format(format: str | None, filename: str | None) -> Format | None:
    """The format ``format`` names, else the one ``filename``'s extension names."""
    if format:
        return get_output(format)
    if filename and os.path.splitext(filename)[1].lower() in _READABLE_EXTENSIONS:
        return format_for_path(filename)
    return None


def load(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    encoding: str | None = None,
    strict: bool = False,
) -> Transcript:
    """
    Read a caption file or a saved Gcore task.

    Args:
        path: the file (a ``str`` is always a path; use :func:`loads` for
            content).
        format: ``"srt"``, ``"vtt"``, ``"ass"``, ``"json"`` (a task or our
            aligned JSON); by default from the extension, else from the
            content.
        encoding: use this text encoding; by default a byte order mark
            picks it (UTF-8, UTF-16/32; BOM-less UTF-16/32 is recognised),
            else UTF-8, else a legacy code page is guessed and named in a
            ``guessed-encoding`` warning (binary data is refused).
        strict: refuse a malformed cue or block instead of reading it as
            players do (see ``docs/formats.md``); JSON is always read by its
            schema, so it ignores this.

    Returns:
        The transcript; ``warnings`` lists every repair made while reading.

    Raises:
        FileError: the file is missing or cannot be read (also an
            ``OSError``).
        FormatError: the content cannot be read (names file and line).
        PayloadError, TaskNotReady, TaskFailed: for task JSON, as
            :func:`parse_task`.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"load() takes a path (str or os.PathLike), not {type(path).__name__};"
            " use loads() for content"
        )
    filename = os.fspath(path)
    try:
        with open(filename, "rb") as handle:
            data = _read_capped(handle, filename)
    except OSError as error:
        raise FileError.wrap(error, filename, "read") from error
    return loads(data, format, filename=filename, encoding=encoding, strict=strict)


def loads(
    text: str | bytes | bytearray | memoryview,
    format: str | None = None,
    *,
    filename: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> Transcript:
    """
    Read caption or task content.

    Whatever the content, only the library's own errors come out (every one
    a :class:`~gcore_captions.errors.GcoreCaptionsError`); an argument of
    the wrong type (``loads(123)``) is a programming error and raises
    ``TypeError``, as ``json.loads`` does.

    Args:
        text: the content, decoded (``str``) or as the file's bytes (decoded
            by BOM, else UTF-8, else a guessed legacy code page with a
            ``guessed-encoding`` warning; or ``encoding``).
        format: the format name; by default from ``filename``'s extension,
            else sniffed from the content.
        filename: where the content came from: picks the format when
            ``format`` is not given, and names the file in errors.
        encoding: for ``bytes``, use this text encoding (nothing is guessed).
        strict: refuse a malformed cue or block (as :func:`load`).

    Returns:
        The transcript. Lone UTF-16 surrogates in a ``str`` (which no file
        can hold) are replaced by U+FFFD, with a ``replaced-surrogate``
        warning naming the line.

    Raises:
        FormatError: the content cannot be read (names file and line), or
            ``txt``/``html``, which cannot be read back.
        PayloadError, TaskNotReady, TaskFailed, UnsupportedTaskError: for
            task JSON, as :func:`parse_task`.
        TypeError: an argument is not of the type it takes.
    """
    for name, value in (("format", format), ("filename", filename), ("encoding", encoding)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"loads() takes {name} as a str, not {type(value).__name__}")
    named = _named_format(format, filename)
    decoding: tuple[TranscriptWarning, ...] = ()
    if isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
        binary = named
        if binary is None and stl_format.looks_like_stl(data):
            binary = get_format(stl_format.NAME)
        if binary is not None and binary.binary:
            # A binary format (EBU-STL) reads the bytes, before any decoding.
            assert binary.parse is not None
            return binary.parse(data, filename=filename, strict=strict)
        decoded = decode_text(data, encoding=encoding, filename=filename)
        text, decoding = decoded.text, decoded.warnings
    elif not isinstance(text, str):
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    text = text.removeprefix("\ufeff")
    fmt = named or get_format(sniff_format(text, filename=filename))
    transcript = _read(text, fmt, filename, strict)
    if decoding:
        transcript = transcript.replace(warnings=decoding + transcript.warnings)
    return transcript


def _read(text: str, fmt: Format, filename: str | None, strict: bool) -> Transcript:
    if fmt.name == json_format.NAME:
        data = json_format.decode(text, filename=filename)
        if json_format.is_aligned(data):
            return json_format.from_data(data, filename=filename)
        return parse_task(data)
    if fmt.parse is None:
        raise FormatError(f"{fmt.name} files cannot be read back", filename=filename)
    # JSON readers clean the strings they decode; the other readers get
    # text that every writer can encode.
    cleaned: list[TranscriptWarning] = []
    text = without_surrogates(text, cleaned, line=1)
    transcript = fmt.parse(text, filename=filename, strict=strict)
    if cleaned:
        transcript = transcript.replace(warnings=(*cleaned, *transcript.warnings))
    return transcript
