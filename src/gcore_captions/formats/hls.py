"""
Segmented WebVTT for HLS (``.m3u8``): a VOD media playlist and one WebVTT
segment per ``segment_seconds`` of the programme, written as a set.

Each segment is a complete WebVTT file (the WebVTT writer's, escaping and
all) with an ``X-TIMESTAMP-MAP`` header, and holds every cue that overlaps
it, with the cue's own times: a cue that started in an earlier segment is
repeated, so a player that joins at any segment shows it (webvtt-py's
segmenter leaves such cues out). The playlist is written last, so a player
never sees it before its segments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import quote

from ..errors import FormatError
from ..model import Cue, Transcript
from ..timecode import format_vtt
from . import vtt
from ._text import cue_lines, ordered
from ._writing import check_times
from .options import FormatOptions

__all__ = [
    "EXTENSIONS",
    "MAX_SEGMENTS",
    "NAME",
    "HlsOptions",
    "render",
    "render_set",
    "segment_name",
]

NAME = "hls"
EXTENSIONS = ("m3u8",)


@dataclass(frozen=True, slots=True)
class HlsOptions(FormatOptions):
    """
    Options of the segmented WebVTT (HLS) writer.

    Args:
        segment_seconds: the length of each segment (10 s by default, HLS's
            usual target); the last one is shorter.
        mpegts: the MPEG-TS time (90 kHz clock) the captions' 00:00:00.000
            maps to, written in each segment's ``X-TIMESTAMP-MAP``: your
            video stream's first presentation time (900000, 10 s, is what
            Apple's segmenter starts at; 0 when the video starts at 0).
        voices: write a cue's speaker as ``<v Name>``.

    Raises:
        FormatError: a value of the wrong type, a segment length not between
            0.5 s and one hour, or a negative ``mpegts``.
    """

    format: ClassVar[str] = NAME

    segment_seconds: float = 10.0
    mpegts: int = 900_000
    voices: bool = True

    def check(self) -> None:
        if not (math.isfinite(self.segment_seconds) and 0.5 <= self.segment_seconds <= 3600):
            raise self.invalid("segment_seconds", "from 0.5 to 3600")
        if not 0 <= self.mpegts < 2**33:
            raise self.invalid("mpegts", "from 0 to 2**33 - 1 (a 33-bit MPEG-TS time)")


_DEFAULTS = HlsOptions()


#: The most segments one playlist gets (names ``-00000`` to ``-99999``): 277
#: hours at the default 10 s. One cue at 999 hours would otherwise make
#: millions of files from a 50-byte input.
MAX_SEGMENTS = 100_000


def segment_name(base: str, index: int) -> str:
    """The file name of segment ``index`` of the playlist ``base``.m3u8."""
    return f"{base}-{index:05d}.vtt"


def render(transcript: Transcript, options: HlsOptions | None = None) -> str:
    """
    HLS is a set of files, not one text.

    Raises:
        FormatError: always; write it with ``save(t, "out/name.m3u8")``,
            ``convert --to hls -o DIR`` or ``export --to hls``.
    """
    raise FormatError(
        "hls writes a playlist and its segments: write it to a folder (save(t, 'out/x.m3u8'),"
        " --to hls -o DIR), not to one text or stream"
    )


def render_set(
    transcript: Transcript, options: HlsOptions | None, base: str
) -> list[tuple[str, str]]:
    """
    The playlist and its segments.

    Args:
        transcript: the cues (in start-time order; cues without text are
            left out).
        options: the writer's options (:class:`HlsOptions` defaults).
        base: the playlist's file name without ``.m3u8``; segments are
            named ``<base>-00000.vtt``... next to it.

    Returns:
        ``(file name, text)`` for each segment, then the playlist, last.

    Raises:
        FormatError: a time no caption file holds, or more than
            :data:`MAX_SEGMENTS` segments.
    """
    options = options or _DEFAULTS
    check_times(transcript.cues, NAME)
    step = round(options.segment_seconds * 1000)
    cues = [cue for cue in ordered(transcript.cues) if cue_lines(cue.text)]
    end = max((cue.end_ms for cue in cues), default=0)
    count = max(1, -(-end // step))
    if count > MAX_SEGMENTS:
        raise FormatError(
            f"hls: the captions end at {format_vtt(end)}: {count:,} segments of"
            f" {options.segment_seconds:g} s, past the {MAX_SEGMENTS:,} a set holds;"
            " use longer segments (or check that time)"
        )
    members: list[list[Cue]] = [[] for _ in range(count)]
    for cue in cues:
        first = cue.start_ms // step
        last = max(first, (cue.end_ms - 1) // step)  # a cue ending on a boundary is not in the next
        for index in range(first, min(last, count - 1) + 1):
            members[index].append(cue)
    header = f"X-TIMESTAMP-MAP=MPEGTS:{options.mpegts},LOCAL:{format_vtt(0)}\n"
    segment_options = vtt.VttOptions(identifiers="none", voices=options.voices)
    files: list[tuple[str, str]] = []
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{math.ceil(step / 1000)}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    for index, segment in enumerate(members):
        body = vtt.render(Transcript(tuple(segment)), segment_options)
        name = segment_name(base, index)
        files.append((name, body.replace("WEBVTT\n", f"WEBVTT\n{header}", 1)))
        length = min(step, end - index * step) if index == count - 1 and end else step
        lines.append(f"#EXTINF:{length / 1000:.3f},")
        lines.append(quote(name))
    lines.append("#EXT-X-ENDLIST")
    files.append((f"{base}.m3u8", "\n".join(lines) + "\n"))
    return files
