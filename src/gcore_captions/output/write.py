"""
The one write path: a transcript and an :class:`~.spec.OutputSpec` to
files. ``save``, ``convert``, ``fetch`` and ``export`` all go through here.

1. :func:`apply_spec` runs the spec's quality passes, once.
2. :func:`render_outputs` renders every output and encodes it (line ends,
   BOM, UTF-8).
3. :func:`write_outputs` names each file from the spec's template and writes
   them as a unit inside the folder (:func:`~.atomic.write_under`: nothing
   is written through a link that leads out of it).

Everything is rendered before anything is written, so a transcript that
cannot be rendered leaves no file behind.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from ..errors import FormatError, GcoreCaptionsError
from ..formats import Format
from ..languages import to_bcp47
from ..model import Transcript
from ..quality import apply_preset
from .atomic import write_under
from .naming import NameTemplate, check_relative_path, task_fields
from .spec import OutputSpec

__all__ = [
    "RenderedOutput",
    "WrittenFile",
    "apply_spec",
    "encode",
    "name_fields",
    "planned_paths",
    "render_one",
    "render_outputs",
    "write_outputs",
]


@dataclass(frozen=True, slots=True)
class RenderedOutput:
    """
    One output rendered and encoded, not yet written.

    Args:
        format: the output's registry entry (name, extensions...).
        data: the file's bytes.
        companions: for a format written as a set (HLS), the other files,
            ``(name next to the main file, bytes)``; written before it.
    """

    format: Format
    data: bytes
    companions: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """
    A file :func:`write_outputs` wrote (or left alone).

    Args:
        path: the path relative to the folder, ``/``-separated.
        format: the output's name (``"srt"``).
        bytes: the size of the data.
        sha256: the data's SHA-256, hex.
        written: ``False`` when ``clobber=False`` left an existing file.
    """

    path: str
    format: str
    bytes: int
    sha256: str
    written: bool = True


def encode(text: str, *, bom: bool = False, newline: str = "\n") -> bytes:
    """
    Rendered text as UTF-8 file bytes, with the line ends and BOM asked for.

    Raises:
        FormatError: ``newline`` is not ``"\\n"`` or ``"\\r\\n"``, or the
            text cannot be encoded (a lone surrogate), naming the position.
    """
    if newline not in ("\n", "\r\n"):
        raise FormatError(f"newline must be '\\n' or '\\r\\n', not {newline!r}")
    if newline != "\n":
        text = text.replace("\n", newline)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FormatError(
            f"the text has a character UTF-8 cannot hold ({error.reason}) at character"
            f" {error.start}"
        ) from None
    if bom and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    return data


def apply_spec(transcript: Transcript, spec: OutputSpec) -> Transcript:
    """
    ``transcript`` after the spec's quality passes (itself when it has no
    preset).
    """
    if spec.preset is None:
        return transcript
    return apply_preset(transcript, spec.preset, only=spec.passes)


def render_one(transcript: Transcript, output: Format, options: object) -> str:
    """
    One output's text, with writer failures as :class:`FormatError`.
    """
    try:
        return output.render(transcript, options)
    except GcoreCaptionsError:
        raise
    except (ValueError, OverflowError) as error:
        raise FormatError(f"{output.name}: {error}") from None


def render_outputs(
    transcript: Transcript,
    spec: OutputSpec,
    *,
    passes_applied: bool = False,
    names: Sequence[str] | None = None,
) -> list[RenderedOutput]:
    """
    Every output of ``spec`` for ``transcript``, rendered and encoded.

    Args:
        transcript: what to write.
        spec: the recipe.
        passes_applied: the caller already ran :func:`apply_spec` (to show
            its changes, say); they are not run twice.
        names: the file each output goes to (paths or names; only the last
            part is used), needed by outputs written as a set of files (HLS),
            whose playlist names its segments.

    Raises:
        FormatError: a writer refused the transcript, or an output written as
            a set has no file name (it cannot go to one stream).
    """
    if not passes_applied:
        transcript = apply_spec(transcript, spec)
    rendered = []
    for index, (output, options) in enumerate(zip(spec.formats, spec.outputs, strict=True)):
        if output.render_set is None:
            text = render_one(transcript, output, options)
            rendered.append(
                RenderedOutput(output, encode(text, bom=spec.bom, newline=spec.newline))
            )
            continue
        if names is None:
            render_one(transcript, output, options)  # raises: it explains what to do instead
            raise FormatError(f"{output.name} needs a file name")
        base = posixpath.basename(names[index].replace(os.sep, "/"))
        base = base[: -len(output.extension) - 1] if base.endswith(f".{output.extension}") else base
        try:
            *others, (_, main) = output.render_set(transcript, options, base)
        except (ValueError, OverflowError) as error:
            raise FormatError(f"{output.name}: {error}") from None
        companions = tuple(
            (name, encode(text, bom=spec.bom, newline=spec.newline)) for name, text in others
        )
        rendered.append(
            RenderedOutput(output, encode(main, bom=spec.bom, newline=spec.newline), companions)
        )
    return rendered


def name_fields(transcript: Transcript, *, task_id: str | None = None) -> dict[str, str]:
    """
    The name template's fields for a transcript (``{task_id}``,
    ``{language}``...), all but ``{ext}``.
    """
    language = None
    if transcript.language:
        try:
            language = to_bcp47(transcript.language)
        except ValueError:
            language = transcript.language
    return task_fields(
        task_id=transcript.task_id or task_id or "",
        lang3=transcript.language,
        language=language,
        task_data=transcript.metadata,
    )


def planned_paths(
    spec: OutputSpec,
    fields: Mapping[str, str],
    *,
    what: str,
    template: NameTemplate | None = None,
) -> list[str]:
    """
    The relative path (``/``-separated) of each output of ``spec``.

    Args:
        spec: the recipe; its ``name`` template is used unless ``template``
            (already checked) is given.
        fields: the template's field values, all but ``{ext}``.
        what: the task or input the names are for (in error messages).
        template: a checked template to use instead of ``spec.name``.

    Raises:
        ExportError: a name the rules refuse (it would leave the folder,
            or holds a character some file system cannot store).
    """
    template = template or NameTemplate(spec.name)
    return [
        template.render({**fields, "ext": output.extension}, what=what) for output in spec.formats
    ]


def _with_companions(
    paths: Sequence[str], rendered: Sequence[RenderedOutput], what: str
) -> tuple[list[str], list[RenderedOutput]]:
    if not any(item.companions for item in rendered):
        return list(paths), list(rendered)
    all_paths: list[str] = []
    all_rendered: list[RenderedOutput] = []
    for path, item in zip(paths, rendered, strict=True):
        folder = posixpath.dirname(path)
        for name, data in item.companions:
            all_paths.append(check_relative_path(posixpath.join(folder, name), what=what))
            all_rendered.append(RenderedOutput(item.format, data))
        all_paths.append(path)
        all_rendered.append(RenderedOutput(item.format, item.data))
    return all_paths, all_rendered


def write_outputs(
    transcript: Transcript,
    spec: OutputSpec,
    folder: str | os.PathLike[str],
    *,
    fields: Mapping[str, str] | None = None,
    clobber: bool | Container[str] = True,
    rendered: Sequence[RenderedOutput] | None = None,
    paths: Sequence[str] | None = None,
) -> tuple[WrittenFile, ...]:
    """
    Write every output of ``spec`` for ``transcript`` under ``folder``.

    Args:
        transcript: what to write (the spec's passes are applied here).
        spec: the recipe: outputs, passes, encoding, name template.
        folder: the output folder (created when missing). It may be a
            symbolic link; below its real path nothing is written through a
            link that leads out (such a file is refused with
            :class:`FileError`, the rest of the call not written).
        fields: name template fields, added to (and overriding) those taken
            from the transcript, e.g. ``{"stem": "episode-1"}``.
        clobber: replace existing files; ``False`` leaves every existing
            file alone (its record says ``written=False``); a container of
            full paths allows replacing just those.
        rendered: outputs the caller already rendered with
            :func:`render_outputs` (the passes then are not run again).
        paths: relative paths the caller already planned with
            :func:`planned_paths` (checked again by the naming rules).

    Returns:
        One record per file, in the spec's order (an output written as a set
        gives one per file, its main file last).

    Raises:
        FormatError: a writer refused the transcript (nothing written).
        ExportError: a file name the naming rules refuse (nothing written).
        FileError: a file cannot be written, or its folder is a link that
            leads out of ``folder``, or it is a folder or FIFO (names it and
            why; no file of this call is left half-written, and none
            replaced unless a rename itself failed).
    """
    what = (fields or {}).get("task_id") or transcript.task_id or "output"
    if paths is None:
        all_fields = {**name_fields(transcript), **(fields or {})}
        paths = planned_paths(spec, all_fields, what=all_fields.get("task_id") or "output")
    else:
        paths = [check_relative_path(path, what=what) for path in paths]
    if rendered is None:
        rendered = render_outputs(transcript, spec, names=paths)
    # A set's other files sit next to its main file and are written before
    # it (an HLS playlist is never there before its segments).
    paths, rendered = _with_companions(paths, rendered, what)
    root = os.fspath(folder)
    targets = [os.path.join(root, *path.split("/")) for path in paths]
    if not isinstance(clobber, bool):
        clobber = frozenset(p for p, t in zip(paths, targets, strict=True) if t in clobber)
    written = set(
        write_under(
            root,
            [(path, item.data) for path, item in zip(paths, rendered, strict=True)],
            clobber=clobber,
        )
    )
    return tuple(
        WrittenFile(
            path=path,
            format=item.format.name,
            bytes=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
            written=path in written,
        )
        for path, item in zip(paths, rendered, strict=True)
    )
