"""
The fake API's video subtitle tracks (``/streaming/videos/{id}/subtitles``):
a store of videos and their tracks, and the answers to GET, POST, PATCH and
DELETE with the validation Gcore documents (reference
``gcore-video-subtitles-api.md`` §2): a 3-letter ISO 639-2/B ``language``,
a ``name``, a ``vtt`` that starts with ``WEBVTT`` (or a cue number, SRT)
and is at most 5 MB; 400 ``{"error": ...}`` for a body that is not valid,
404 for an unknown video or track, 201 for a create (the track with its new
``id``), 200 for an update (the track without ``id``), 204 for a delete.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from ..languages import is_known, normalize
from ._routes import NOT_FOUND, Answer

__all__ = ["MAX_VTT_BYTES", "VIDEOS", "TrackStore"]

VIDEOS = "/streaming/videos"
MAX_VTT_BYTES = 5_000_000
_FIELDS = ("language", "name", "vtt")


class TrackStore:
    """
    Videos and their subtitle tracks; ids are integers, increasing, shared
    by all videos; tracks are listed in creation order.
    """

    def __init__(self) -> None:
        self._videos: dict[int, list[dict[str, Any]]] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def add_video(self, video_id: int, tracks: Iterable[Mapping[str, Any]] = ()) -> list[int]:
        """
        Add a video (or more tracks to one); returns the new tracks' ids.
        """
        with self._lock:
            stored = self._videos.setdefault(int(video_id), [])
            ids = []
            for track in tracks:
                given = track.get("id")
                track_id = given if isinstance(given, int) else self._next_id
                self._next_id = max(self._next_id, track_id) + 1
                stored.append({"id": track_id, **{key: track.get(key) for key in _FIELDS}})
                ids.append(track_id)
            return ids

    def tracks(self, video_id: int) -> list[dict[str, Any]]:
        """
        Copies of the video's tracks, in order.

        Raises:
            KeyError: no such video.
        """
        with self._lock:
            return [dict(track) for track in self._videos[int(video_id)]]

    def answer(self, method: str, parts: list[str], body: bytes) -> Answer:
        """
        The answer for ``/streaming/videos/{video_id}/subtitles[/{id}]``
        (``parts``: the path split at ``/``, from the ``videos`` segment).
        """
        if len(parts) not in (3, 4) or parts[2] != "subtitles" or not parts[1].isdigit():
            return 404, {}, NOT_FOUND
        with self._lock:
            tracks = self._videos.get(int(parts[1]))
            if tracks is None:
                return 404, {}, {"error": f"Video {parts[1]} not found"}
            if len(parts) == 3:
                if method == "GET":
                    return 200, {}, [dict(track) for track in tracks]
                if method == "POST":
                    return self._create(tracks, body)
                return 405, {}, {"error": f"Method {method} not allowed"}
            wanted = int(parts[3]) if parts[3].isdigit() else -1
            track = next((t for t in tracks if t["id"] == wanted), None)
            if track is None:
                return 404, {}, {"error": "Subtitle not found"}
            if method == "GET":
                return 200, {}, dict(track)
            if method == "PATCH":
                fields, error = _fields(body, required=False)
                if error:
                    return 400, {}, {"error": error}
                track.update(fields)
                return 200, {}, {key: track[key] for key in _FIELDS}
            if method == "DELETE":
                tracks.remove(track)
                return 204, {}, b""
            return 405, {}, {"error": f"Method {method} not allowed"}

    def _create(self, tracks: list[dict[str, Any]], body: bytes) -> Answer:
        fields, error = _fields(body, required=True)
        if error:
            return 400, {}, {"error": error}
        track = {"id": self._next_id, **fields}
        self._next_id += 1
        tracks.append(track)
        return 201, {}, dict(track)


def _fields(body: bytes, *, required: bool) -> tuple[dict[str, str], str]:
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return {}, "The body is not valid JSON"
    if not isinstance(data, dict):
        return {}, "The body must be a JSON object"
    fields: dict[str, str] = {}
    for key in _FIELDS:
        value = data.get(key)
        if value is None:
            if required:
                return {}, f"{key}: This field is required."
            continue
        if not isinstance(value, str):
            return {}, f"{key}: Not a valid string."
        fields[key] = value
    if not fields:
        return {}, "Nothing to update: give language, name or vtt"
    language = fields.get("language")
    if language is not None and not _is_b_code(language):
        return {}, f"language: {language!r} is not a 3-letter ISO 639-2/B code"
    name = fields.get("name")
    if name is not None and not name.strip():
        return {}, "name: This field may not be blank."
    vtt = fields.get("vtt")
    if vtt is not None:
        if len(vtt.encode("utf-8")) > MAX_VTT_BYTES:
            return {}, "vtt: The file is larger than 5 MB"
        head = vtt.lstrip("\ufeff")
        if not head.startswith("WEBVTT") and not head[:1].isdigit():
            return {}, (
                "vtt: WebVTT must start with 'WEBVTT'; SRT must start from integer for sequence"
                " number"
            )
    return fields, ""


def _is_b_code(code: str) -> bool:
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.islower():
        return False
    try:
        return is_known(code) and normalize(code) == code
    except ValueError:
        return False
