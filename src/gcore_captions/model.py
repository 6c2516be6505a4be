"""
The one cue model every reader produces and every writer consumes.

Times are whole milliseconds (``int``) everywhere; text is plain text with
``\\n`` between lines (no markup, no escaping: each format adds its own).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import repeat
from types import MappingProxyType
from typing import Any

from ._gc import cyclic_gc_paused

__all__ = ["Change", "Cue", "Transcript", "TranscriptWarning", "make_cues", "ordered"]

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Cue:
    """
    One caption: shown from ``start_ms`` to ``end_ms``.

    Args:
        start_ms: start time in whole milliseconds (>= 0).
        end_ms: end time in whole milliseconds (>= 0).
        text: plain text; ``\\n`` separates lines.
        speaker: the voice / speaker name, when the source has one.
        identifier: a WebVTT cue identifier read from a file, if any.
        settings: WebVTT cue settings (``"align:start line:0"``) read from a
            file, if any.
        estimated: ``True`` when a pass invented these times (for example by
            splitting a long cue and sharing its time by characters).

    Raises:
        ValueError: a time is negative or not an integer.
    """

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    identifier: str | None = None
    settings: str | None = None
    estimated: bool = False

    def __post_init__(self) -> None:
        start, end = self.start_ms, self.end_ms
        if type(start) is not int or type(end) is not int:
            raise ValueError(f"cue times must be whole milliseconds, got {start!r}, {end!r}")
        if start < 0 or end < 0:
            raise ValueError(f"cue times cannot be negative: {start} ms -> {end} ms")

    @property
    def duration_ms(self) -> int:
        """
        ``end_ms - start_ms`` (negative when the cue ends before it starts).
        """
        return self.end_ms - self.start_ms

    @property
    def lines(self) -> list[str]:
        """
        The text split into its lines.
        """
        return self.text.split("\n")

    def replace(self, **changes: Any) -> Cue:
        """
        A copy of this cue with some fields changed.
        """
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class TranscriptWarning:
    """
    Something a reader noticed or repaired; nothing is repaired silently.

    Args:
        code: a short stable name, e.g. ``"dropped-empty-cue"``,
            ``"end-before-start"``, ``"out-of-order"``, ``"source-mismatch"``.
        message: what happened and why, for people.
        cue: the 1-based cue number in the source, when it concerns one cue.
        line: the 1-based line in the source file, when known.
    """

    code: str
    message: str
    cue: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = []
        if self.cue is not None:
            where.append(f"cue {self.cue}")
        if self.line is not None:
            where.append(f"line {self.line}")
        prefix = f"{', '.join(where)}: " if where else ""
        return f"{prefix}{self.message} [{self.code}]"


@dataclass(frozen=True, slots=True)
class Change:
    """
    One change a normalization or reflow pass made.

    Args:
        pass_name: the pass that made it, e.g. ``"min-duration"``.
        cue: the 1-based cue number (in the pass's input) it concerns.
        what: what changed, e.g. ``"end 00:00:01.200 -> 00:00:01.833"``.
        why: the rule that asked for it.
    """

    pass_name: str
    cue: int | None
    what: str
    why: str

    def __str__(self) -> str:
        where = f"cue {self.cue}: " if self.cue is not None else ""
        return f"{where}{self.what} ({self.why}) [{self.pass_name}]"


@dataclass(frozen=True, slots=True)
class Transcript:
    """
    A whole caption track: cues in order plus where they came from.

    Args:
        cues: the cues, in the order they are shown.
        task_id: the Gcore task id, when read from a task.
        language: the language of the cue text as an ISO 639-2/B code
            (``"eng"``, ``"ger"``), when known.
        languages: the languages the task reported, most frequent first.
        text: the task's full plain text (``concatenated_text``), when given.
        source: where the cues came from: ``"subtitles"``, ``"vttContent"``,
            ``"srt"``, ``"vtt"``, ``"ass"``, ``"json"``...
        warnings: every repair or disagreement noticed while reading.
        changes: every change made by normalization / reflow passes.
        metadata: task fields worth keeping (``url``, ``client_user_id``,
            ``client_entity_data``, ``status``...), as strings.
    """

    cues: tuple[Cue, ...] = ()
    task_id: str | None = None
    language: str | None = None
    languages: tuple[str, ...] = ()
    text: str | None = None
    source: str | None = None
    warnings: tuple[TranscriptWarning, ...] = ()
    changes: tuple[Change, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=lambda: _EMPTY, hash=False)

    def __len__(self) -> int:
        return len(self.cues)

    def __iter__(self) -> Iterator[Cue]:
        return iter(self.cues)

    def __getitem__(self, index: int) -> Cue:
        return self.cues[index]

    @property
    def duration_ms(self) -> int:
        """
        The end time of the last-ending cue (0 for an empty transcript).
        """
        return max((c.end_ms for c in self.cues), default=0)

    @property
    def plain_text(self) -> str:
        """
        The cue texts joined by single spaces, line breaks folded.
        """
        return " ".join(" ".join(c.text.split()) for c in self.cues if c.text.strip())

    def __reduce__(self) -> tuple[Any, ...]:
        # A read-only mapping proxy cannot be pickled; rebuild it from a dict.
        values = [getattr(self, f.name) for f in fields(self)]
        values[-1] = dict(self.metadata)
        return (Transcript, tuple(values))

    def replace(self, **changes: Any) -> Transcript:
        """
        A copy of this transcript with some fields changed.
        """
        return replace(self, **changes)


def make_cues(
    starts: Sequence[int],
    ends: Sequence[int],
    texts: Sequence[str],
    *,
    speakers: Sequence[str | None] | None = None,
) -> list[Cue]:
    """
    Many cues with only times, text and (optionally) speakers: the same as
    ``[Cue(s, e, t) for s, e, t in zip(starts, ends, texts)]`` (with
    ``speaker=`` from ``speakers``), about twice as fast.

    Readers of long tracks build their cues here. A frozen dataclass pays for
    ``object.__setattr__`` on every field of every instance; this fills each
    slot for a batch of cues in one C-level pass instead, after checking the
    times for the whole list at once, with the cyclic garbage collector
    paused (cues cannot form reference cycles).

    Raises:
        ValueError: the sequences differ in length, or a time is negative or
            not an ``int``.
    """
    count = len(starts)
    if len(ends) != count or len(texts) != count:
        raise ValueError(f"{count} starts, {len(ends)} ends and {len(texts)} texts do not pair up")
    if speakers is not None and len(speakers) != count:
        raise ValueError(f"{count} cues and {len(speakers)} speakers do not pair up")
    if not count:
        return []
    if not {*map(type, starts), *map(type, ends)} <= {int}:
        raise ValueError("cue times must be whole milliseconds (int)")
    if min(starts) < 0 or min(ends) < 0:
        raise ValueError("cue times cannot be negative")
    cues: list[Cue] = []
    consume = deque[object](maxlen=0).extend
    # Cues hold only strings, ints, None and bools, so they form no cycles:
    # the collections these allocations would trigger (over an ever larger
    # heap, which made the cost per cue grow with the track) can find nothing.
    with cyclic_gc_paused():
        # A batch at a time, so the batch stays in the CPU cache across its
        # seven passes, which a million cues would not.
        for first in range(0, count, _BATCH):
            last = min(first + _BATCH, count)
            batch = list(map(object.__new__, repeat(Cue, last - first)))
            consume(map(_SET_START, batch, starts[first:last]))
            consume(map(_SET_END, batch, ends[first:last]))
            consume(map(_SET_TEXT, batch, texts[first:last]))
            for setter, value in _SET_DEFAULTS:
                consume(map(setter, batch, repeat(value)))
            if speakers is not None:
                consume(map(_SET_SPEAKER, batch, speakers[first:last]))
            cues += batch
    return cues


_BATCH = 2048
# Slot setters bypass the frozen __setattr__; only make_cues uses them, on
# instances nobody else has seen yet.
_SET_START = getattr(Cue, "start_ms").__set__  # noqa: B009 (mypy cannot see slot descriptors)
_SET_END = getattr(Cue, "end_ms").__set__  # noqa: B009
_SET_TEXT = getattr(Cue, "text").__set__  # noqa: B009
_SET_SPEAKER = getattr(Cue, "speaker").__set__  # noqa: B009
_SET_DEFAULTS = tuple(
    (getattr(Cue, f.name).__set__, f.default)
    for f in fields(Cue)
    if f.name not in ("start_ms", "end_ms", "text")
)


def ordered(cues: Sequence[Cue]) -> Sequence[Cue]:
    """
    The cues in start-time order: the same sequence when already sorted
    (the common case, one pass, no copy), else a stable sort.
    """
    previous = -1
    for cue in cues:
        if cue.start_ms < previous:
            return sorted(cues, key=_start)
        previous = cue.start_ms
    return cues


def _start(cue: Cue) -> int:
    return cue.start_ms
