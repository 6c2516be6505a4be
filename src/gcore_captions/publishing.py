"""
Captions to a Gcore video's subtitle track: any transcript or readable file
(task JSON, SRT, WebVTT, ASS...) rendered as WebVTT through the one write
path, checked, and put on the video.

The HTTP client (``gcore/``) may not render formats (the layers in
``docs/architecture.md``), so the part that renders lives here, above both:
:func:`track_vtt` renders, ``Client.publish_vtt`` checks and uploads, and
:func:`publish_track` / :func:`apublish_track` do the two in one call.

>>> from gcore_captions import Client, publish_track
>>> with Client() as client:                                  # doctest: +SKIP
...     publish_track(client, 12345, "talk.srt", language="eng", name="English")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .api import load
from .errors import FormatError, TrackRefused
from .formats.vtt import VttOptions
from .gcore import check_video_id, track_body
from .model import Transcript, TranscriptWarning
from .output import OutputSpec, render_outputs

if TYPE_CHECKING:
    from .gcore import AsyncClient, Client, PublishResult

__all__ = [
    "PlannedTrack",
    "TrackSource",
    "apublish_track",
    "plan_track",
    "publish_track",
    "track_language_of",
    "track_vtt",
]

TrackSource = Transcript | str | os.PathLike[str]
"""A transcript, or the path of any file :func:`gcore_captions.load` reads."""


def _transcript(
    source: TrackSource,
    input_format: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> Transcript:
    if isinstance(source, Transcript):
        return source
    return load(source, input_format, encoding=encoding, strict=strict)


@dataclass(frozen=True, slots=True)
class PlannedTrack:
    """
    A track ready to send: rendered and checked, nothing sent yet (what
    ``publish --dry-run`` shows).

    Attributes:
        video_id: the video.
        language: the ISO 639-2/B code it is sent with.
        name: its name.
        vtt: the WebVTT text.
        cues: how many cues it holds.
        warnings: the repairs made reading the source.
    """

    video_id: int
    language: str
    name: str
    vtt: str
    cues: int
    warnings: tuple[TranscriptWarning, ...] = ()

    @property
    def size(self) -> int:
        """
        The size of the WebVTT in UTF-8 bytes.
        """
        return len(self.vtt.encode("utf-8"))


def plan_track(
    video_id: int | str,
    source: TrackSource,
    *,
    language: str | None = None,
    name: str | None = None,
    spec: OutputSpec | None = None,
    input_format: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
) -> PlannedTrack:
    """
    Read ``source``, render it as WebVTT (:func:`track_vtt`) and check what
    would be sent, without sending anything.

    Args:
        video_id: the video.
        source: a transcript or any caption file.
        language: the track's language; by default the transcript's own.
        name: the track's name; by default its ISO 639-2/B language code.
        spec: the rendering recipe (WebVTT alone).
        input_format: the file's format, when its name does not say.
        encoding: the file's text encoding, when it is not UTF-8.
        strict: refuse a malformed cue or block (as :func:`~gcore_captions.load`).

    Raises:
        InvalidVideoId: the video id is not a whole number.
        TrackRefused: over 5 MB, no or an unknown language, a bad name.
        FormatError, FileError: the source cannot be read.
    """
    video = check_video_id(video_id)
    transcript = _transcript(source, input_format, encoding, strict)
    vtt = track_vtt(transcript, spec=spec)
    chosen = track_language_of(transcript, language)
    body = track_body(language=chosen, vtt=vtt)
    body.update(track_body(name=body["language"] if name is None else name))
    return PlannedTrack(
        video, body["language"], body["name"], vtt, len(transcript.cues), transcript.warnings
    )


def track_vtt(source: TrackSource, *, spec: OutputSpec | None = None) -> str:
    """
    The WebVTT text a track gets for ``source``, rendered by
    ``render_outputs`` (the one write path): the spec's passes (a
    ``--reflow`` preset) run first.

    Args:
        source: a transcript or a file path.
        spec: the recipe; it must write exactly one output, WebVTT
            (default ``OutputSpec((VttOptions(),))``). A BOM is never sent.

    Raises:
        FormatError: the file cannot be read, or the spec writes more or
            other than WebVTT.
        FileError: the file cannot be opened.
    """
    spec = spec or OutputSpec((VttOptions(),))
    if [output.name for output in spec.formats] != ["vtt"]:
        raise FormatError(
            "a subtitle track is one WebVTT file: the spec must write vtt alone, not"
            f" {', '.join(output.name for output in spec.formats)}"
        )
    transcript = _transcript(source)
    (rendered,) = render_outputs(transcript, spec.replace(bom=False))
    return rendered.data.decode("utf-8")


def track_language_of(source: Transcript, language: str | None) -> str:
    """
    ``language``, else the transcript's own language.

    Raises:
        TrackRefused: neither is given.
    """
    chosen = language or source.language
    if not chosen:
        raise TrackRefused(
            "the captions do not say their language; give it (language='eng', --language eng)"
        )
    return chosen


def publish_track(
    client: Client,
    video_id: int | str,
    source: TrackSource,
    *,
    language: str | None = None,
    name: str,
    replace: bool = False,
    spec: OutputSpec | None = None,
) -> PublishResult:
    """
    Put ``source`` on the video as the subtitle track ``name``.

    The WebVTT is rendered (:func:`track_vtt`) and checked (at most 5 MB, a
    known language code, a one-line name) before any request
    (:func:`plan_track`); then the video's tracks are listed and the track
    is created, or with ``replace=True`` written over the track of that
    name and language (nothing is sent when a track of that name and
    language already holds the same content). A create whose answer was
    lost is looked for before it is sent again.

    Args:
        client: an open :class:`~gcore_captions.gcore.Client`.
        video_id: the video (an integer, or its digits).
        source: a transcript or any caption file (task JSON, SRT, VTT, ASS).
        language: ISO 639-2 (``eng``, ``ger``/``deu``) or 639-1 (``de``);
            by default the transcript's own language.
        name: the track's name, as players show it.
        replace: update the track with this name and language instead of
            adding another.
        spec: the rendering recipe (a preset to reflow with); WebVTT only.

    Raises:
        TrackRefused: refused before any request.
        VideoNotFound: no such video.
        FormatError, FileError: the source cannot be read.
        APIError: the API refused or could not be reached.
    """
    plan = plan_track(video_id, source, language=language, name=name, spec=spec)
    return client.publish_vtt(
        plan.video_id, plan.vtt, language=plan.language, name=plan.name, replace=replace
    )


async def apublish_track(
    client: AsyncClient,
    video_id: int | str,
    source: TrackSource,
    *,
    language: str | None = None,
    name: str,
    replace: bool = False,
    spec: OutputSpec | None = None,
) -> PublishResult:
    """
    :func:`publish_track` with an :class:`~gcore_captions.gcore.AsyncClient`.
    """
    plan = plan_track(video_id, source, language=language, name=name, spec=spec)
    return await client.publish_vtt(
        plan.video_id, plan.vtt, language=plan.language, name=plan.name, replace=replace
    )
