"""
The map of many tracks to publish: a CSV file with the columns
``video_id,file,language,name`` (a header line first; ``language`` and
``name`` may be left empty, or left out). ``tracks --download`` writes one
next to the files it writes, so ``publish --map`` can send them back.

A ``file`` that is a relative path is read relative to the map's folder,
so the map and its files can move together.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import FileError, FormatError

__all__ = ["MAP_COLUMNS", "MapRow", "read_track_map", "track_map_text"]

MAP_COLUMNS = ("video_id", "file", "language", "name")
"""The columns of a track map, in the order they are written."""

_REQUIRED = ("video_id", "file")


@dataclass(frozen=True, slots=True)
class MapRow:
    """
    One line of a track map.

    Attributes:
        video_id: the video id as written (checked when it is published).
        file: the caption file, relative paths resolved against the map's
            folder.
        language: the track's language, or ``None`` (the file's own).
        name: the track's name, or ``None``.
        line: the line of the map it came from (for messages).
    """

    video_id: str
    file: str
    language: str | None
    name: str | None
    line: int


def read_track_map(path: str | os.PathLike[str]) -> tuple[MapRow, ...]:
    """
    The rows of a track map file (UTF-8, a BOM allowed); blank lines are
    skipped.

    Raises:
        FileError: the file cannot be read.
        FormatError: no header, a missing ``video_id`` or ``file`` column,
            or a row without a video id or file (names the file and line).
    """
    filename = os.fspath(path)
    try:
        with open(filename, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise FormatError(f"{filename}: not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise FileError.wrap(error, filename, "read") from error
    reader = csv.DictReader(io.StringIO(text))
    columns = [name.strip().lower() for name in reader.fieldnames or ()]
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise FormatError(
            f"{filename}: line 1 must name the columns {','.join(MAP_COLUMNS)}; missing"
            f" {', '.join(missing)}"
        )
    reader.fieldnames = columns
    folder = os.path.dirname(filename)
    rows = []
    try:
        for record in reader:
            line = reader.line_num
            values = {key: (record.get(key) or "").strip() for key in MAP_COLUMNS}
            if not any(values.values()):
                continue
            for key in _REQUIRED:
                if not values[key]:
                    raise FormatError(f"{filename}: line {line}: no {key}")
            rows.append(
                MapRow(
                    values["video_id"],
                    os.path.join(folder, values["file"]),
                    values["language"] or None,
                    values["name"] or None,
                    line,
                )
            )
    except csv.Error as error:
        raise FormatError(f"{filename}: line {reader.line_num}: {error}") from None
    return tuple(rows)


def track_map_text(rows: Iterable[tuple[int | str, str, str | None, str | None]]) -> str:
    """
    A track map as CSV text: the header, then one line per
    ``(video_id, file, language, name)``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MAP_COLUMNS)
    for video_id, file, language, name in rows:
        writer.writerow([video_id, file, language or "", name or ""])
    return out.getvalue()
