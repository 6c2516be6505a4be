"""
Aligned JSON (``.json``): the transcript with each cue's time and its
character span in the full text, so a page can highlight the transcript as
the video plays. The reader reads this schema (``loads`` also takes Gcore
task payloads from ``.json`` files).

Schema ``gcore-captions/aligned-transcript``, version 1 (documented in
``docs/formats.md``)::

    {"schema": ..., "version": 1, "task_id", "language", "language_bcp47",
     "languages", "source", "duration_ms", "text", "source_text",
     "metadata", "warnings", "changes",
     "cues": [{"index", "start_ms", "end_ms", "start", "end", "text",
               "span", "span_utf16", ["speaker", "identifier", "settings",
               "estimated"]}]}

For every cue, ``text[span[0]:span[1]] == cue["text"].replace("\\n", " ")``
(in Unicode code points); ``span_utf16`` gives the same span in UTF-16 code
units, which is what JavaScript's ``String.slice`` counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from types import MappingProxyType
from typing import Any, ClassVar

from .._jsontext import load_json
from ..errors import FormatError
from ..languages import to_bcp47
from ..model import Change, Cue, Transcript, TranscriptWarning
from ..reading import repair_cues, without_surrogates
from ._text import join_separator, ordered, utf16_len
from ._writing import check_times, finish_output
from .options import FormatOptions

__all__ = [
    "EXTENSIONS",
    "NAME",
    "SCHEMA",
    "VERSION",
    "JsonOptions",
    "decode",
    "from_data",
    "is_aligned",
    "parse",
    "render",
]

NAME = "json"
EXTENSIONS = ("json",)

#: The ``schema`` value that marks our aligned-transcript files.
SCHEMA = "gcore-captions/aligned-transcript"
#: The schema version this library writes (and the newest it reads).
VERSION = 1

# What a JSON string escapes when it is not ASCII-escaped.
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f]')
_encoder = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _value(value: Any) -> str:
    return _encoder.encode(value)


def _bcp47(language: str | None) -> str | None:
    if not language:
        return None
    try:
        return to_bcp47(language)
    except ValueError:
        return None


# Cue records per piece of the document: each batch is joined into one
# string at once, so the finished records cost about their text in memory,
# not one object per cue.
_BATCH = 256


def _cue_records(cues: Iterable[Cue], inner: str, out: list[str]) -> list[str]:
    # Appends the running text as a JSON string to ``out``, and returns the
    # cue records in batches, each batch one string of records separated by
    # "," + inner. When no piece of the running text needs escaping (the
    # common case) the parts appended are the pieces themselves, mostly the
    # cues' own text objects, so the running text is never copied before
    # the document's final join.
    first = len(out)
    pieces = out
    pieces.append('"')
    clean = True
    batches: list[str] = []
    batch: list[str] = []
    separator_between = "," + inner
    position = position16 = 0
    previous = ""
    for index, cue in enumerate(cues, 1):
        flat = cue.text.replace("\n", " ")
        if flat:
            if previous:
                separator = join_separator(previous, flat)
                pieces.append(separator)
                position += len(separator)
                position16 += len(separator)
            pieces.append(flat)
            previous = flat
        end = position + len(flat)
        end16 = position16 + utf16_len(flat)
        start_ms, end_ms = cue.start_ms, cue.end_ms
        text = encode_basestring(cue.text)
        # Every escape lengthens the text; if only the line breaks did, the
        # flat text (breaks made spaces) has nothing to escape.
        if clean and len(text) != len(cue.text) + 2 + cue.text.count("\n"):
            clean = False
        record = (
            f'{{"index": {index}, "start_ms": {start_ms}, "end_ms": {end_ms},'
            f' "start": {start_ms / 1000!r}, "end": {end_ms / 1000!r},'
            f' "text": {text}, "span": [{position}, {end}],'
            f' "span_utf16": [{position16}, {end16}]'
        )
        if cue.speaker is not None:
            record += f', "speaker": {encode_basestring(cue.speaker)}'
        if cue.identifier is not None:
            record += f', "identifier": {encode_basestring(cue.identifier)}'
        if cue.settings is not None:
            record += f', "settings": {encode_basestring(cue.settings)}'
        if cue.estimated:
            record += ', "estimated": true'
        batch.append(record + "}")
        if len(batch) == _BATCH:
            batches.append(separator_between.join(batch))
            batch.clear()
        position, position16 = end, end16
    if batch:
        batches.append(separator_between.join(batch))
    if clean:
        out.append('"')
    else:
        text = "".join(out[first + 1 :])
        del out[first:]
        out.append(encode_basestring(text))
    return batches


@dataclass(frozen=True, slots=True)
class JsonOptions(FormatOptions):
    """
    Options of the aligned-JSON writer.

    Args:
        indent: spaces before each top-level key (0-16); every cue, warning
            and change is one line (compact, diff-friendly, fast). ``None``
            writes the whole document on one line.

    Raises:
        FormatError: ``indent`` is not a whole number from 0 to 16, or none.
    """

    format: ClassVar[str] = NAME

    indent: int | None = 2

    def check(self) -> None:
        if self.indent is not None and not 0 <= self.indent <= 16:
            raise self.invalid("indent", "0-16 or none")


_DEFAULTS = JsonOptions()


def render(transcript: Transcript, options: JsonOptions | None = None) -> str:
    """
    The transcript as aligned JSON (UTF-8 text, not ASCII-escaped).

    Args:
        transcript: what to write (cues in start-time order; cue text is
            kept exactly, empty cues included).
        options: the writer's options (:class:`JsonOptions` defaults).

    Returns:
        The JSON document, ending with a newline. A lone surrogate (which
        UTF-8 cannot hold) is written as U+FFFD, with a ``WriterWarning``.

    Raises:
        FormatError: a time past ``MAX_TIME_MS`` (999,999,999 hours).
    """
    indent = (options or _DEFAULTS).indent
    check_times(transcript.cues, NAME)
    # The document is assembled by one join over its parts, so its text
    # exists once beside the parts (less than its own size), never in
    # several intermediate copies.
    pad = "" if indent is None else " " * indent
    inner = " " if indent is None else "\n" + pad * 2
    if indent is None:
        opening, between, closing = "{", ", ", "}\n"
        open_list, between_items, close_list = "[", ", ", "]"
    else:
        opening, between, closing = "{\n" + pad, ",\n" + pad, "\n}\n"
        open_list, between_items, close_list = "[" + inner, "," + inner, "\n" + pad + "]"
    parts: list[str] = [opening]

    def field(key: str, value: str | list[str] | None, first: bool = False) -> None:
        # A str is a JSON value, a list a JSON array of values, None a value
        # the caller appends itself.
        if not first:
            parts.append(between)
        parts.append(f'"{key}": ')
        if value is None:
            return
        if isinstance(value, str):
            parts.append(value)
        elif not value:
            parts.append("[]")
        else:
            parts.append(open_list)
            for number, item in enumerate(value):
                if number:
                    parts.append(between_items)
                parts.append(item)
            parts.append(close_list)

    field("schema", _value(SCHEMA), first=True)
    field("version", _value(VERSION))
    field("task_id", _value(transcript.task_id))
    field("language", _value(transcript.language))
    field("language_bcp47", _value(_bcp47(transcript.language)))
    field("languages", _value(list(transcript.languages)))
    field("source", _value(transcript.source))
    field("duration_ms", _value(transcript.duration_ms))
    field("text", None)
    cues = _cue_records(ordered(transcript.cues), inner, parts)
    field("source_text", None)
    source_text = transcript.text
    if source_text is not None and _NEEDS_ESCAPE.search(source_text) is None:
        parts += ('"', source_text, '"')  # the transcript's own text, not a copy
    else:
        parts.append(_value(source_text))
    field("metadata", _value(dict(transcript.metadata)))
    field("warnings", [_value(_warning_record(w)) for w in transcript.warnings])
    field("changes", [_value(_change_record(c)) for c in transcript.changes])
    field("cues", cues)
    del cues
    parts.append(closing)
    return finish_output("".join(parts), transcript, NAME, keeps_nul=True)


def _warning_record(warning: TranscriptWarning) -> dict[str, Any]:
    return {
        "code": warning.code,
        "message": warning.message,
        "cue": warning.cue,
        "line": warning.line,
    }


def _change_record(change: Change) -> dict[str, Any]:
    return {"pass": change.pass_name, "cue": change.cue, "what": change.what, "why": change.why}


def decode(text: str, *, filename: str | None = None) -> Any:
    """
    The JSON value in ``text``.

    Raises:
        FormatError: not valid JSON (names line and column): a syntax
            error, ``NaN`` or ``Infinity`` (not JSON numbers), a whole number
            longer than Python converts, or nesting deeper than the
            interpreter follows.
    """
    try:
        return load_json(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"not valid JSON: {error.msg} (column {error.colno})",
            filename=filename,
            line=error.lineno,
        ) from None


def is_aligned(data: Any) -> bool:
    """
    Whether a decoded JSON value is an aligned transcript (by its ``schema``);
    anything else may be a Gcore task payload, which ``loads`` hands to
    :func:`gcore_captions.task.parse_task`.
    """
    return isinstance(data, dict) and data.get("schema") == SCHEMA


def parse(text: str, *, filename: str | None = None) -> Transcript:
    """
    Read aligned JSON written by :func:`render`.

    (``gcore_captions.loads`` also reads Gcore task payloads from ``.json``
    files: it checks :func:`is_aligned` and hands the rest to
    ``parse_task``, which lives above the formats.)

    Raises:
        FormatError: not valid JSON (names line and column), not an aligned
            transcript, a newer schema version, or a field of the wrong type
            (names the field).
    """
    return from_data(decode(text, filename=filename), filename=filename)


def from_data(data: Any, *, filename: str | None = None) -> Transcript:
    """
    Read a decoded aligned-JSON document.

    Raises:
        FormatError: not an aligned transcript, a newer schema version, or a
            field of the wrong type (names the field).
    """
    if not is_aligned(data):
        raise FormatError(f'not an aligned transcript (no "schema": "{SCHEMA}")', filename=filename)
    return _read_aligned(data, filename)


class _Reader:
    def __init__(self, filename: str | None) -> None:
        self.filename = filename
        # Lone surrogates replaced in the strings read (from "\ud800" escapes).
        self.cleaned: list[TranscriptWarning] = []

    def fail(self, path: str, expected: str, cue: int | None = None) -> FormatError:
        return FormatError(f"{path} must be {expected}", filename=self.filename, cue=cue)

    def text(self, data: Mapping[str, Any], key: str, path: str, cue: int | None = None) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{path}{key}", "a string", cue)
        return self.clean(value, f"{path}{key}", cue)

    def clean(self, value: str, what: str, cue: int | None = None) -> str:
        return without_surrogates(value, self.cleaned, what=what, cue=cue)

    def optional_text(
        self, data: Mapping[str, Any], key: str, path: str, cue: int | None = None
    ) -> str | None:
        if data.get(key) is None:
            return None
        return self.text(data, key, path, cue)

    def ms(self, data: Mapping[str, Any], key: str, path: str, cue: int) -> int:
        value = data.get(key)
        if type(value) is not int or value < 0:
            raise self.fail(f"{path}{key}", "a whole number of milliseconds >= 0", cue)
        return value

    def optional_int(self, data: Mapping[str, Any], key: str, path: str) -> int | None:
        value = data.get(key)
        if value is not None and type(value) is not int:
            raise self.fail(f"{path}{key}", "a whole number or null")
        return value

    def records(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "a list of objects")
        return value


def _read_aligned(data: Mapping[str, Any], filename: str | None) -> Transcript:
    read = _Reader(filename)
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise read.fail("version", "a positive whole number")
    if version > VERSION:
        raise FormatError(
            f"aligned JSON version {version} is newer than this gcore-captions reads"
            f" ({VERSION}); upgrade gcore-captions",
            filename=filename,
        )
    cues = []
    for i, record in enumerate(read.records(data, "cues")):
        path, number = f"cues[{i}].", i + 1
        cues.append(
            Cue(
                read.ms(record, "start_ms", path, number),
                read.ms(record, "end_ms", path, number),
                read.text(record, "text", path, number),
                speaker=read.optional_text(record, "speaker", path, number),
                identifier=read.optional_text(record, "identifier", path, number),
                settings=read.optional_text(record, "settings", path, number),
                estimated=record.get("estimated") is True,
            )
        )
    warnings = [
        TranscriptWarning(
            read.text(w, "code", f"warnings[{i}]."),
            read.text(w, "message", f"warnings[{i}]."),
            cue=read.optional_int(w, "cue", f"warnings[{i}]."),
            line=read.optional_int(w, "line", f"warnings[{i}]."),
        )
        for i, w in enumerate(read.records(data, "warnings"))
    ]
    changes = [
        Change(
            read.text(c, "pass", f"changes[{i}]."),
            read.optional_int(c, "cue", f"changes[{i}]."),
            read.text(c, "what", f"changes[{i}]."),
            read.text(c, "why", f"changes[{i}]."),
        )
        for i, c in enumerate(read.records(data, "changes"))
    ]
    languages = data.get("languages") or []
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise read.fail("languages", "a list of strings")
    languages = [read.clean(code, f"languages[{i}]") for i, code in enumerate(languages)]
    metadata = data.get("metadata") or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise read.fail("metadata", "an object of strings")
    cleaned_metadata = {}
    for key, value in metadata.items():
        name = read.clean(key, "a metadata key")
        cleaned_metadata[name] = read.clean(value, f"metadata.{name}")
    repaired, repairs = repair_cues(cues)
    task_id = read.optional_text(data, "task_id", "")
    language = read.optional_text(data, "language", "")
    text = read.optional_text(data, "source_text", "")
    source = read.optional_text(data, "source", "")
    return Transcript(
        cues=repaired,
        task_id=task_id,
        language=language,
        languages=tuple(languages),
        text=text,
        source=source,
        warnings=(*warnings, *read.cleaned, *repairs),
        changes=tuple(changes),
        metadata=MappingProxyType(cleaned_metadata),
    )
