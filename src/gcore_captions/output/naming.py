"""
Output file names: the name template (``export --name``), its fields, and
the rules that keep every name inside the output folder.

Sans-I/O: nothing here touches the file system. A template is checked once,
up front (unknown fields, ``..``, absolute paths are usage errors); each
task's name is then rendered from that task's field values and checked
again, because a field value can carry what the template did not (a ``/`` in
``client_user_id``, an empty ``url_stem``). A refused name raises
:class:`~gcore_captions.errors.ExportError` for that task only.

A checked name stays inside the folder as text; that the file system does
not lead it out (a sub-folder that is a link) is checked where files are
written, in :mod:`.boundary`.
"""

from __future__ import annotations

import os
import posixpath
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import ExportError

__all__ = [
    "DEFAULT_TEMPLATE",
    "FIELDS",
    "NameTemplate",
    "check_relative_path",
    "clash_key",
    "task_fields",
    "url_stem",
]

DEFAULT_TEMPLATE = "{task_id}.{ext}"

FIELDS: Mapping[str, str] = {
    "task_id": "the task's id",
    "language": "the caption language as BCP-47, e.g. 'en' ('und' when unknown)",
    "lang3": "the caption language as ISO 639-2/B, e.g. 'eng' ('und' when unknown)",
    "ext": "the format's file extension, e.g. 'srt'",
    "stem": "the input file's name without its extension (the task id for a task)",
    "client_user_id": "the task's client_user_id",
    "client_entity_data": "the task's client_entity_data (the video id for upload tasks)",
    "url_stem": "the source video's file name without extension",
}

# Names Windows reserves in every folder, with or without an extension.
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{p}{n}" for p in ("COM", "LPT") for n in "123456789¹²³"]
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Characters Windows does not allow in a file name. They are refused on every
# platform so an output folder can be copied anywhere.
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_MAX_COMPONENT_BYTES = 255
_formatter = string.Formatter()


def url_stem(url: str | None) -> str:
    """
    The file name of a URL's last path segment without its extension.

    ``https://cdn.example.com/v/Talk%20one.mp4?sig=x`` -> ``"Talk one"``.
    Percent-escapes are decoded, so an escaped ``/`` becomes a real one and
    the name is then refused rather than smuggled through.
    """
    if not url:
        return ""
    path = urlsplit(url).path
    last = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    stem, dot, _ = last.rpartition(".")
    return stem if dot and stem else last


def clash_key(relative_path: str) -> str:
    """
    The key under which two output names count as the same file.

    Letter case and Unicode normalisation are folded, because macOS and
    Windows treat ``A.srt`` and ``a.srt`` (and NFC/NFD spellings) as one
    file; refusing such pairs everywhere keeps an export portable.
    """
    return unicodedata.normalize("NFC", relative_path).casefold()


@dataclass(frozen=True)
class NameTemplate:
    """
    A checked ``--name`` template such as ``{task_id}.{ext}`` or
    ``{client_user_id}/{language}/{task_id}.{ext}``.

    ``/`` in the template makes sub-folders; ``/`` in a field *value* is
    refused. Fields may carry a format spec (``{task_id:.8}`` keeps the first
    8 characters); attribute and index access (``{task_id.x}``) are not
    allowed.

    Args:
        template: the template text.
        reserved: top-level names the export itself uses (the manifest),
            which no output may take.

    Raises:
        ExportError: unknown field, conversion or attribute access, an
            absolute template, a ``..`` component, or no field at all.
    """

    template: str
    reserved: frozenset[str] = frozenset()
    fields: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        used = _parse_fields(self.template)
        object.__setattr__(self, "fields", used)
        if not used:
            raise ExportError(
                f"name template {self.template!r} has no field; every task would get"
                " the same name (use e.g. {task_id}.{ext})"
            )
        literal = self.template.replace("\\", "/")
        if literal.startswith("/") or re.match(r"^[A-Za-z]:", literal):
            raise ExportError(f"name template {self.template!r} must be relative")
        for part in literal.split("/"):
            if part in ("..", "."):
                raise ExportError(f"name template {self.template!r} may not contain {part!r}")

    def render(self, values: Mapping[str, str], *, what: str) -> str:
        """
        The relative output path (``/``-separated) for one task and format.

        Args:
            values: every field's value for this task and format.
            what: what the name is for, for error messages (``"task 42"``).

        Returns:
            A relative path that stays inside the output folder.

        Raises:
            ExportError: a used field is empty or holds a separator, NUL or
                control character, or the result is not a safe file name.
        """
        for name in sorted(self.fields):
            _check_value(name, values.get(name, ""), task_id=what)
        try:
            rendered = self.template.format_map(_Values(values))
        except (ValueError, TypeError) as error:
            raise ExportError(f"{what}: name template {self.template!r}: {error}") from None
        return check_relative_path(rendered, what=what, reserved=self.reserved)


def _parse_fields(template: str) -> frozenset[str]:
    used: set[str] = set()
    try:
        parsed = list(_formatter.parse(template))
    except ValueError as error:
        raise ExportError(f"name template {template!r}: {error}") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            known = ", ".join("{" + f + "}" for f in FIELDS)
            raise ExportError(f"name template {template!r}: unknown field {{{name}}}; use {known}")
        if conversion:
            raise ExportError(
                f"name template {template!r}: conversions like !{conversion} are not allowed"
            )
        if spec and "{" in spec:
            raise ExportError(f"name template {template!r}: nested fields in a format spec")
        used.add(name)
    return frozenset(used)


def task_fields(
    *,
    task_id: str,
    lang3: str | None,
    language: str | None,
    task_data: Mapping[str, Any] | None,
) -> dict[str, str]:
    """
    Every template field except ``{ext}`` for one task.

    Args:
        task_id: the task's id.
        lang3: the caption language as ISO 639-2/B, if known.
        language: the same as BCP-47, if known.
        task_data: the task's ``task_data`` (its original request).

    Returns:
        Field name -> value; unknown languages are ``"und"``, missing task
        fields are ``""`` (a template that uses one is then refused).
    """
    data = task_data or {}

    def text(key: str) -> str:
        value = data.get(key)
        return "" if value is None else str(value)

    return {
        "task_id": task_id,
        "stem": task_id,
        "language": language or "und",
        "lang3": lang3 or "und",
        "client_user_id": text("client_user_id"),
        "client_entity_data": text("client_entity_data"),
        "url_stem": url_stem(text("url")),
    }


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _check_value(name: str, value: str, *, task_id: str) -> None:
    if not value.strip():
        raise ExportError(
            f"{task_id}: field {{{name}}} is empty here, so the name would be"
            " ambiguous; choose a template without it"
        )
    bad = None
    if "/" in value or "\\" in value:
        bad = "a path separator"
    elif "\x00" in value:
        bad = "a NUL character"
    elif _CONTROL.search(value):
        bad = "a control character"
    elif value in (".", ".."):
        bad = f"{value!r}"
    if bad:
        raise ExportError(
            f"{task_id}: field {{{name}}} = {value!r} contains {bad}; refusing a name"
            " that could leave the output folder"
        )


def check_relative_path(path: str, *, what: str, reserved: frozenset[str] = frozenset()) -> str:
    """
    Check that ``path`` is a safe relative file path and return it.

    Refused: empty names, absolute paths, drive letters, ``.``/``..``
    components, names starting with ``.`` (those are reserved for the
    export's own temporary files), names ending in a space or dot, Windows
    device names (``CON``, ``NUL.srt``...), characters Windows forbids,
    control characters, components longer than 255 bytes, and the names in
    ``reserved``.

    Raises:
        ExportError: the path is not safe; the message says why.
    """

    def refuse(why: str) -> ExportError:
        return ExportError(f"{what}: refusing output name {path!r}: {why}")

    if not path or not path.strip():
        raise refuse("it is empty")
    if "\x00" in path or _CONTROL.search(path):
        raise refuse("it contains a control character")
    if "\\" in path:
        raise refuse("it contains a backslash")
    if path.startswith("/"):
        raise refuse("it is absolute")
    if re.match(r"^[A-Za-z]:", path):
        raise refuse("it starts with a drive letter (an absolute path on Windows)")
    parts = path.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise refuse("it has an empty, '.' or '..' component")
        if part.startswith("."):
            raise refuse("names starting with '.' are reserved for temporary files")
        if part.endswith((" ", ".")):
            raise refuse("a name may not end with a space or a dot")
        if _WINDOWS_FORBIDDEN.search(part):
            raise refuse('it contains one of < > : " | ? *')
        if part.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_DEVICES:
            raise refuse("it is a reserved device name on Windows")
        if len(os.fsencode(part)) > _MAX_COMPONENT_BYTES:
            raise refuse(f"a name is longer than {_MAX_COMPONENT_BYTES} bytes")
    normal = posixpath.normpath(path)
    if normal != path or normal.startswith("../"):
        raise refuse("it does not stay inside the output folder")
    if clash_key(parts[0]) in {clash_key(r) for r in reserved}:
        raise refuse("that name is used by the export itself")
    return path
