"""
A video's subtitle tracks (``/streaming/videos/{video_id}/subtitles``),
sans-I/O: the :class:`Track` value, the checks made before anything is sent,
and the flows ``Client`` and ``AsyncClient`` drive (mixed into
:class:`~._core.ClientCore` as :class:`TrackFlows`).

A create is not idempotent: when its answer is lost (the connection dropped
after sending, a timeout, a cut or 5xx answer) the track may or may not
exist. The create flow then lists the video's tracks and looks for the one
it sent (same name, language and content) before sending it again, so a
lost answer never leaves two tracks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..errors import (
    ConnectError,
    InvalidVideoId,
    NotFoundError,
    RateLimitError,
    ResponseError,
    ServerError,
    TrackRefused,
    VideoNotFound,
)
from ..languages import is_known, normalize
from ._flow import Call, Flow, Sleep
from .retry import backoff_delay

if TYPE_CHECKING:
    from ._flow import Requester
    from .retry import RetryPolicy

__all__ = [
    "MAX_TRACK_BYTES",
    "PublishAction",
    "PublishResult",
    "Track",
    "TrackFlows",
    "check_video_id",
    "same_content",
    "track_body",
    "track_language",
]

logger = logging.getLogger("gcore_captions")

VIDEOS_PATH = "/streaming/videos"
MAX_TRACK_BYTES = 5_000_000
"""The largest ``vtt`` Gcore takes: "up to 5 MB", read strictly (5,000,000
bytes of UTF-8), so nothing the API might refuse is sent."""

PublishAction = Literal["created", "updated", "unchanged"]

# Answers after which a create may or may not have happened on the server.
_LOST = (ConnectError, ServerError, ResponseError)


@dataclass(frozen=True, slots=True)
class Track:
    """
    One subtitle track of a video, as the API answered it (any field but
    ``video_id`` may be ``None`` in an answer).

    Attributes:
        video_id: the video it belongs to.
        id: the track's id.
        language: its ISO 639-2/B code (``"eng"``).
        name: the name players show (``"English (AI-generated)"``).
        vtt: the whole caption file, as text (WebVTT, or SRT for tracks
            uploaded that way).
    """

    video_id: int
    id: int | None
    language: str | None
    name: str | None
    vtt: str | None

    @property
    def ai_generated(self) -> bool:
        """
        Whether Gcore's AI made it (named ``"... (AI-generated)"``).
        """
        return (self.name or "").endswith("(AI-generated)")

    @property
    def size(self) -> int:
        """
        The size of its ``vtt`` in UTF-8 bytes (0 when it has none).
        """
        return len((self.vtt or "").encode("utf-8"))

    @classmethod
    def from_answer(
        cls, data: Any, video_id: int, *, what: str, track_id: int | None = None
    ) -> Track:
        """
        A track from one JSON object of an answer; ``track_id`` fills in an
        answer without ``id`` (PATCH answers carry none).

        Raises:
            ResponseError: the answer is not a track.
        """
        if not isinstance(data, Mapping):
            raise ResponseError(
                f"the answer for {what} is not a subtitle track: {str(data)[:80]!r}",
                status_code=200,
            )
        raw_id = data.get("id", track_id)
        if raw_id is None:
            raw_id = track_id
        fields = {key: data.get(key) for key in ("language", "name", "vtt")}
        wrong = [k for k, v in fields.items() if v is not None and not isinstance(v, str)]
        if (raw_id is not None and (type(raw_id) is not int)) or wrong:
            raise ResponseError(
                f"the answer for {what} has a malformed {', '.join(wrong) or 'id'}:"
                f" {str(dict(data))[:120]!r}",
                status_code=200,
            )
        return cls(video_id, raw_id, fields["language"], fields["name"], fields["vtt"])

    def to_dict(self, *, with_vtt: bool = True) -> dict[str, Any]:
        """
        The track as JSON-ready data (``with_vtt=False``: its size instead).
        """
        data: dict[str, Any] = {
            "video_id": self.video_id,
            "id": self.id,
            "language": self.language,
            "name": self.name,
        }
        if with_vtt:
            data["vtt"] = self.vtt
        else:
            data["bytes"] = self.size
        return data


@dataclass(frozen=True, slots=True)
class PublishResult:
    """
    What publishing a track did.

    Attributes:
        track: the track as it is now on the video.
        action: ``"created"`` (a new track), ``"updated"`` (``replace=True``
            changed the track of that name and language) or ``"unchanged"``
            (a track of that name and language already held this content;
            nothing was sent).
        others: ids of further tracks with the same name and language that
            ``replace=True`` left alone (it updates the first one only).
    """

    track: Track
    action: PublishAction
    others: tuple[int, ...] = ()


def check_video_id(video_id: object) -> int:
    """
    The video id as an integer: a positive whole number, or its digits as
    a string (``"12345"``).

    Raises:
        InvalidVideoId: anything else.
    """
    if isinstance(video_id, str) and video_id.strip().isascii() and video_id.strip().isdigit():
        video_id = int(video_id.strip())
    if type(video_id) is not int or video_id < 1:
        raise InvalidVideoId(f"a video id is a positive whole number, not {video_id!r}")
    return video_id


def track_language(code: object) -> str:
    """
    The ISO 639-2/B code a track is sent with, for any spelling Gcore's
    languages have (``"deu"``, ``"de"``, ``"de-AT"`` -> ``"ger"``).

    Raises:
        TrackRefused: not a language code, or one this tool does not know.
    """
    if not isinstance(code, str) or not is_known(code):
        raise TrackRefused(
            f"not a language code Gcore knows: {code!r} (use ISO 639-2 such as 'eng', 'ger'"
            " or 'deu', or ISO 639-1 such as 'de')"
        )
    return normalize(code)


def track_body(
    *, language: str | None = None, name: str | None = None, vtt: str | None = None
) -> dict[str, str]:
    """
    The JSON body of a create or update, every given field checked: the
    language as ISO 639-2/B, a name of one line without ``"`` (it is quoted
    in the video's HLS manifest), and content that starts as WebVTT (or
    SRT) does and is at most :data:`MAX_TRACK_BYTES`.

    Raises:
        TrackRefused: a field the API would refuse (the message says which
            and why); nothing is sent.
    """
    body: dict[str, str] = {}
    if language is not None:
        body["language"] = track_language(language)
    if name is not None:
        if not isinstance(name, str) or not name.strip():
            raise TrackRefused(f"a track needs a name (what players show), not {name!r}")
        if '"' in name or not name.isprintable():
            raise TrackRefused(
                f"a track name cannot hold '\"', line breaks or control characters"
                f" (it is quoted in the video's HLS manifest): {name!r}"
            )
        body["name"] = name.strip()
    if vtt is not None:
        if not isinstance(vtt, str):
            raise TrackRefused(f"a track's vtt is text, not {type(vtt).__name__}")
        size = len(vtt.encode("utf-8"))
        if size > MAX_TRACK_BYTES:
            raise TrackRefused(
                f"the track is {size:,} bytes; Gcore takes at most {MAX_TRACK_BYTES:,}"
                " (5 MB): split the video's captions or shorten them"
            )
        head = vtt.lstrip("\ufeff")
        if not (head.startswith("WEBVTT") or head[:1].isdigit()):
            raise TrackRefused(
                f"a track must be WebVTT (starting with 'WEBVTT') or SRT (starting with a cue"
                f" number); this starts with {head[:20]!r}"
            )
        body["vtt"] = vtt
    return body


def same_content(a: str | None, b: str | None) -> bool:
    """
    Whether two captions texts are the same file, line ends, a BOM and
    trailing blank space aside (a server may store either form).
    """
    if a is None or b is None:
        return a is b

    def canonical(text: str) -> str:
        return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").rstrip()

    return canonical(a) == canonical(b)


class TrackFlows:
    """
    The subtitle-track operations of :class:`~._core.ClientCore`, as flows.
    """

    if TYPE_CHECKING:
        _requester: Requester
        retry_policy: RetryPolicy

    def list_tracks(self, video_id: int | str) -> Flow[tuple[Track, ...]]:
        """
        ``GET /streaming/videos/{video_id}/subtitles``: every track, in the
        API's order.
        """
        video = check_video_id(video_id)
        call = Call("GET", _tracks_path(video), what=f"the subtitle tracks of video {video}")
        data = yield from self._video_call(call, video)
        if not isinstance(data, list):
            raise ResponseError(f"the answer for {call.what} is not a list", status_code=200)
        return tuple(Track.from_answer(item, video, what=call.what) for item in data)

    def get_track(self, video_id: int | str, track_id: int) -> Flow[Track]:
        """
        ``GET /streaming/videos/{video_id}/subtitles/{id}``: one track.
        """
        video, track = check_video_id(video_id), _track_id(track_id)
        call = Call("GET", _tracks_path(video, track), what=f"track {track} of video {video}")
        data = yield from self._requester.run(call)
        return Track.from_answer(data, video, what=call.what, track_id=track)

    def create_track(
        self, video_id: int | str, *, language: str, name: str, vtt: str
    ) -> Flow[Track]:
        """
        ``POST /streaming/videos/{video_id}/subtitles``, checked first (see
        :func:`track_body`). After a lost answer (dropped connection,
        timeout, cut or 5xx answer) the flow waits the backoff delay, lists
        the video's tracks and takes a track with the same name, language
        and content as this one; only when none is there is the create sent
        again (up to the retry policy's ``max_retries`` times), and when the
        lookup fails too, the error is raised and nothing is resent. (A
        request the server is still handling after that wait could still
        land: the API gives no way to tell.)
        """
        video = check_video_id(video_id)
        body = track_body(language=language, name=name, vtt=vtt)
        call = Call(
            "POST",
            _tracks_path(video),
            what=f"a new subtitle track of video {video}",
            idempotent=False,
            body=body,
        )
        attempt = 0
        while True:
            try:
                data = yield from self._video_call(call, video)
            except RateLimitError:
                # A 429 is a refusal: nothing was created, so sending again
                # is safe (the policy does not retry a create by itself).
                if attempt >= self.retry_policy.max_retries:
                    raise
                delay = backoff_delay(attempt, self.retry_policy)
                attempt += 1
                yield Sleep(self.retry_policy.sleep_seconds(delay))
                continue
            except _LOST as error:
                # A request still being handled may land a moment later: wait
                # the backoff delay before looking, and look before resending.
                delay = backoff_delay(attempt, self.retry_policy)
                yield Sleep(self.retry_policy.sleep_seconds(delay))
                found = yield from self._find_sent(video, body)
                if found is not None:
                    logger.info(
                        "the answer to creating track %r of video %d was lost (%s); the track"
                        " is there (id %s), not sent again",
                        body["name"],
                        video,
                        type(error).__name__,
                        found.id,
                    )
                    return found
                if attempt >= self.retry_policy.max_retries:
                    raise
                logger.info(
                    "the answer to creating track %r of video %d was lost (%s) and the track"
                    " is not there %.2f s later; sending it again",
                    body["name"],
                    video,
                    type(error).__name__,
                    delay,
                )
                attempt += 1
                continue
            return Track.from_answer(data, video, what=call.what)

    def update_track(
        self,
        video_id: int | str,
        track_id: int,
        *,
        language: str | None = None,
        name: str | None = None,
        vtt: str | None = None,
    ) -> Flow[Track]:
        """
        ``PATCH /streaming/videos/{video_id}/subtitles/{id}`` with the fields
        given (checked as for a create); the track as it is afterwards.
        Retried like a read: the same fields set twice give the same track.
        """
        video, track = check_video_id(video_id), _track_id(track_id)
        body = track_body(language=language, name=name, vtt=vtt)
        if not body:
            raise TrackRefused("an update needs at least one of language, name and vtt")
        call = Call(
            "PATCH", _tracks_path(video, track), what=f"track {track} of video {video}", body=body
        )
        data = yield from self._requester.run(call)
        return Track.from_answer(data, video, what=call.what, track_id=track)

    def delete_track(self, video_id: int | str, track_id: int) -> Flow[None]:
        """
        ``DELETE /streaming/videos/{video_id}/subtitles/{id}``. After a lost
        answer the track is looked up: gone means done; there means the
        delete is sent again.
        """
        video, track = check_video_id(video_id), _track_id(track_id)
        call = Call(
            "DELETE",
            _tracks_path(video, track),
            what=f"track {track} of video {video}",
            idempotent=False,
            empty_ok=True,
        )
        attempt = 0
        while True:
            try:
                yield from self._requester.run(call)
                return None
            except _LOST:
                try:
                    yield from self.get_track(video, track)
                except NotFoundError:
                    return None
                if attempt >= self.retry_policy.max_retries:
                    raise
                attempt += 1

    def publish_vtt(
        self,
        video_id: int | str,
        vtt: str,
        *,
        language: str,
        name: str,
        replace: bool = False,
    ) -> Flow[PublishResult]:
        """
        Put ``vtt`` on the video as the track ``name`` in ``language``.

        Everything is checked before any request (:func:`track_body`). Then
        the tracks are listed: with ``replace``, the first track with that
        name and language is updated (nothing is sent when it already holds
        this content); without it, or when there is none, a track is
        created, unless one with the same name, language and content is
        already there.
        """
        video = check_video_id(video_id)
        body = track_body(language=language, name=name, vtt=vtt)
        tracks = yield from self.list_tracks(video)
        same = [t for t in tracks if t.name == body["name"] and t.language == body["language"]]
        if replace and same:
            target, others = same[0], tuple(t.id for t in same[1:] if t.id is not None)
            if same_content(target.vtt, vtt):
                return PublishResult(target, "unchanged", others)
            if target.id is None:
                raise ResponseError(
                    f"track {body['name']!r} of video {video} has no id; it cannot be updated",
                    status_code=200,
                )
            updated = yield from self.update_track(video, target.id, vtt=vtt)
            return PublishResult(updated, "updated", others)
        for track in same:
            if same_content(track.vtt, vtt):
                return PublishResult(track, "unchanged")
        created = yield from self.create_track(
            video, language=body["language"], name=body["name"], vtt=vtt
        )
        return PublishResult(created, "created")

    def _video_call(self, call: Call, video: int) -> Flow[Any]:
        try:
            return (yield from self._requester.run(call))
        except NotFoundError as error:
            raise VideoNotFound(
                f"video {video} not found (no such video on this account)",
                status_code=error.status_code,
                request_url=error.request_url,
            ) from None

    def _find_sent(self, video: int, body: Mapping[str, str]) -> Flow[Track | None]:
        tracks = yield from self.list_tracks(video)
        for track in tracks:
            if (
                track.name == body["name"]
                and track.language == body["language"]
                and same_content(track.vtt, body["vtt"])
            ):
                return track
        return None


def _track_id(track_id: object) -> int:
    if isinstance(track_id, str) and track_id.strip().isascii() and track_id.strip().isdigit():
        track_id = int(track_id.strip())
    if type(track_id) is not int or track_id < 0:
        raise InvalidVideoId(f"a track id is a whole number, not {track_id!r}")
    return track_id


def _tracks_path(video: int, track: int | None = None) -> str:
    path = f"{VIDEOS_PATH}/{video}/subtitles"
    return path if track is None else f"{path}/{track}"
