"""
The subtitle-track methods of ``Client`` (:class:`SyncTrackMethods`) and
``AsyncClient`` (:class:`AsyncTrackMethods`), mixed into each: thin drivers
of the flows in :mod:`._tracks`, mirrored by hand (a test keeps the two
method sets and signatures identical).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from ._tracks import PublishResult, Track

if TYPE_CHECKING:
    from ._core import ClientCore
    from ._flow import Flow

__all__ = ["AsyncTrackMethods", "SyncTrackMethods"]

_T = TypeVar("_T")


class SyncTrackMethods:
    """
    A video's subtitle tracks, for :class:`~gcore_captions.gcore.Client`.
    """

    if TYPE_CHECKING:
        _core: ClientCore

        def _run(self, flow: Flow[_T]) -> _T: ...

    def list_tracks(self, video_id: int | str) -> tuple[Track, ...]:
        """
        The video's subtitle tracks (``GET /streaming/videos/{id}/subtitles``).

        Raises:
            InvalidVideoId: the id is not a positive whole number.
            VideoNotFound: no such video.
            APIError: any other API or connection failure, after retries.
        """
        return self._run(self._core.list_tracks(video_id))

    def get_track(self, video_id: int | str, track_id: int) -> Track:
        """
        One subtitle track of the video.

        Raises:
            NotFoundError: no such track (or video).
        """
        return self._run(self._core.get_track(video_id, track_id))

    def create_track(self, video_id: int | str, *, language: str, name: str, vtt: str) -> Track:
        """
        Add a subtitle track; ``vtt`` is the whole file (WebVTT, or SRT).

        Checked before sending (:class:`TrackRefused`: over 5 MB, a language
        that is not a known code, an empty name). A create whose answer was
        lost is looked for (same name, language and content) before it is
        sent again, so it never leaves two tracks.

        Raises:
            TrackRefused: refused before sending.
            VideoNotFound: no such video.
        """
        return self._run(self._core.create_track(video_id, language=language, name=name, vtt=vtt))

    def update_track(
        self,
        video_id: int | str,
        track_id: int,
        *,
        language: str | None = None,
        name: str | None = None,
        vtt: str | None = None,
    ) -> Track:
        """
        Change a track's language, name and/or content (checked as for
        :meth:`create_track`); returns the track afterwards.
        """
        return self._run(
            self._core.update_track(video_id, track_id, language=language, name=name, vtt=vtt)
        )

    def delete_track(self, video_id: int | str, track_id: int) -> None:
        """
        Remove a track (a lost answer is checked by looking the track up).
        """
        self._run(self._core.delete_track(video_id, track_id))

    def publish_vtt(
        self, video_id: int | str, vtt: str, *, language: str, name: str, replace: bool = False
    ) -> PublishResult:
        """
        Put WebVTT text on the video as track ``name`` in ``language``:
        checked first, then created, or with ``replace=True`` written over
        the track of that name and language. ``gcore_captions.publish_track``
        does the same from a transcript or any caption file.
        """
        return self._run(
            self._core.publish_vtt(video_id, vtt, language=language, name=name, replace=replace)
        )


class AsyncTrackMethods:
    """
    A video's subtitle tracks, for :class:`~gcore_captions.gcore.AsyncClient`.
    """

    if TYPE_CHECKING:
        _core: ClientCore

        async def _run(self, flow: Flow[_T]) -> _T: ...

    async def list_tracks(self, video_id: int | str) -> tuple[Track, ...]:
        """
        The video's subtitle tracks; see :meth:`Client.list_tracks`.
        """
        return await self._run(self._core.list_tracks(video_id))

    async def get_track(self, video_id: int | str, track_id: int) -> Track:
        """
        One subtitle track; see :meth:`Client.get_track`.
        """
        return await self._run(self._core.get_track(video_id, track_id))

    async def create_track(
        self, video_id: int | str, *, language: str, name: str, vtt: str
    ) -> Track:
        """
        Add a subtitle track; see :meth:`Client.create_track`.
        """
        return await self._run(
            self._core.create_track(video_id, language=language, name=name, vtt=vtt)
        )

    async def update_track(
        self,
        video_id: int | str,
        track_id: int,
        *,
        language: str | None = None,
        name: str | None = None,
        vtt: str | None = None,
    ) -> Track:
        """
        Change a track; see :meth:`Client.update_track`.
        """
        return await self._run(
            self._core.update_track(video_id, track_id, language=language, name=name, vtt=vtt)
        )

    async def delete_track(self, video_id: int | str, track_id: int) -> None:
        """
        Remove a track; see :meth:`Client.delete_track`.
        """
        await self._run(self._core.delete_track(video_id, track_id))

    async def publish_vtt(
        self, video_id: int | str, vtt: str, *, language: str, name: str, replace: bool = False
    ) -> PublishResult:
        """
        Put WebVTT text on the video; see :meth:`Client.publish_vtt`.
        """
        return await self._run(
            self._core.publish_vtt(video_id, vtt, language=language, name=name, replace=replace)
        )
