"""
Guideline presets: every limit the passes and :func:`check` use, in one
frozen value.

Numbers come from the Netflix Timed Text Style Guide, the BBC Subtitle
Guidelines and the DCMP Captioning Key (see ``docs/quality.md`` for the
sources and what each limit means). A preset with variants (``netflix``,
``netflix-cjk``) follows the transcript's language unless a language is
named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from ..languages import normalize
from ..model import Transcript
from .language import normalize_language

__all__ = ["PRESET_NAMES", "Preset", "get_preset", "resolve_preset"]


@dataclass(frozen=True, slots=True)
class Preset:
    """
    Every limit of a caption guideline. ``None`` switches a rule off.

    Args:
        name: the preset family (``"netflix"``, ``"bbc"``...).
        language: the ISO 639-2/B language whose variant this is, or
            ``None`` when no language was named (the transcript's language
            then picks the variant).
        max_chars: characters per line, counted in columns (a full-width
            CJK character or emoji counts 2) unless ``full_width_chars``.
        full_width_chars: ``max_chars`` counts full-width characters (a
            half-width one counts one half), as Netflix's CJK guides do.
        max_lines: lines per cue.
        max_cps: reading speed limit in characters per second (spaces and
            punctuation count, line breaks do not).
        max_wpm: reading speed limit in words per minute.
        min_duration_ms: shortest time a cue stays on screen.
        max_duration_ms: longest time a cue stays on screen.
        frame_rate: frames per second that frame-based limits refer to.
        min_gap_frames: the smallest gap between two cues, in frames.
        close_gaps_under_frames: gaps shorter than this are closed down to
            the minimum gap ("chaining"); ``None`` leaves gaps alone.
        merge_duplicates: merge repeated cues (exact and roll-up repeats).
        duplicate_window_ms: how far apart two cues may be (end to start)
            and still count as a repeat.
        allow_overlaps: overlapping cues are allowed (not fixed, not
            reported).
        overridden: the fields a caller set explicitly; they survive when
            the language variant is chosen later.
    """

    name: str
    language: str | None = None
    max_chars: int | None = None
    full_width_chars: bool = False
    max_lines: int | None = None
    max_cps: float | None = None
    max_wpm: float | None = None
    min_duration_ms: int | None = None
    max_duration_ms: int | None = None
    frame_rate: float = 24.0
    min_gap_frames: float = 0
    close_gaps_under_frames: float | None = None
    merge_duplicates: bool = True
    duplicate_window_ms: int = 500
    allow_overlaps: bool = False
    overridden: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        for name in ("max_chars", "max_lines", "max_cps", "max_wpm", "max_duration_ms"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be positive, not {value!r}")
        for name in ("min_duration_ms", "duplicate_window_ms", "min_gap_frames"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} cannot be negative, not {value!r}")
        if not self.frame_rate > 0:
            raise ValueError(f"frame_rate must be positive, not {self.frame_rate!r}")

    @property
    def max_width(self) -> int | None:
        """
        ``max_chars`` in columns (doubled for full-width limits).
        """
        if self.max_chars is None:
            return None
        return self.max_chars * 2 if self.full_width_chars else self.max_chars

    @property
    def min_gap_ms(self) -> int:
        """
        The minimum gap in milliseconds, rounded up to stay a whole number
        of frames or more (2 frames at 24 fps = 84 ms).
        """
        return self.frames_to_ms(self.min_gap_frames)

    @property
    def close_gaps_under_ms(self) -> int | None:
        """
        The chaining threshold in milliseconds (12 frames at 24 fps = 500 ms).
        """
        if self.close_gaps_under_frames is None:
            return None
        return self.frames_to_ms(self.close_gaps_under_frames)

    def frames_to_ms(self, frames: float) -> int:
        """
        ``frames`` at this preset's frame rate, in whole milliseconds,
        rounded up (a thousandth of a millisecond of float noise ignored).
        """
        return math.ceil(round(frames * 1000 / self.frame_rate, 3))

    def replace(self, **changes: Any) -> Preset:
        """
        A copy with some limits changed (recorded as overridden, so they
        survive the choice of a language variant).

        Raises:
            TypeError: a name that is not a limit.
            ValueError: a limit out of range.
        """
        _check_names(changes)
        return replace(self, **changes, overridden=self.overridden | frozenset(changes))

    def for_language(self, language: str | None) -> Preset:
        """
        The variant of this preset for ``language`` (this preset itself when
        it already has a language, or when none is given), keeping every
        overridden limit.
        """
        if self.language is not None or not language:
            return self
        overrides = {name: getattr(self, name) for name in self.overridden}
        return get_preset(self.name, language, **overrides)


def _check_names(changes: Mapping[str, Any]) -> None:
    allowed = {f.name for f in fields(Preset)} - {"name", "language", "overridden"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise TypeError(
            f"unknown preset limit {', '.join(unknown)}; known: {', '.join(sorted(allowed))}"
        )


_NETFLIX: dict[str, Any] = {
    "max_chars": 42,
    "max_lines": 2,
    "max_cps": 20,
    "min_duration_ms": 834,  # 5/6 s, rounded up to stay at least 20 frames at 24 fps
    "max_duration_ms": 7000,
    "frame_rate": 24.0,
    "min_gap_frames": 2,
    "close_gaps_under_frames": 12,
}
# Netflix's Korean, Chinese and Japanese guides: lines in full-width
# characters and slower reading speeds.
_CJK: dict[str, dict[str, Any]] = {
    "kor": {"max_chars": 16, "full_width_chars": True, "max_cps": 12},
    "chi": {"max_chars": 16, "full_width_chars": True, "max_cps": 9},
    "jpn": {"max_chars": 13, "full_width_chars": True, "max_cps": 4},
}

# family -> {language or None (the default): limits}
_FAMILIES: dict[str, dict[str | None, Mapping[str, Any]]] = {
    "netflix": {
        None: _NETFLIX,
        **{lang: {**_NETFLIX, **limits} for lang, limits in _CJK.items()},
    },
    "netflix-cjk": {
        None: {**_NETFLIX, **_CJK["chi"]},
        **{lang: {**_NETFLIX, **limits} for lang, limits in _CJK.items()},
    },
    "bbc": {
        None: {
            "max_chars": 37,
            "max_lines": 2,
            "max_wpm": 180,
            "frame_rate": 25.0,
            "min_gap_frames": 0,
            "close_gaps_under_frames": 25,  # one second at 25 fps
        }
    },
    "dcmp": {None: {"max_chars": 32, "max_lines": 2, "frame_rate": 29.97}},
    "none": {None: {"merge_duplicates": False, "allow_overlaps": True}},
}

PRESET_NAMES: tuple[str, ...] = tuple(_FAMILIES)
_FAMILIES_VIEW = MappingProxyType(_FAMILIES)


def get_preset(name: str, language: str | None = None, **overrides: Any) -> Preset:
    """
    A preset by name, in the variant for ``language``, with some limits
    overridden.

    Args:
        name: ``"netflix"``, ``"netflix-cjk"``, ``"bbc"``, ``"dcmp"`` or
            ``"none"``.
        language: pick the language variant (``"jpn"``, ``"ko"``,
            ``"zho"``...); by default the transcript's language is used
            when the preset is applied.
        **overrides: any limit of :class:`Preset`, e.g. ``max_chars=37``
            or ``max_cps=None`` (switches the rule off).

    Raises:
        ValueError: unknown preset name, malformed language code, or a
            limit out of range.
        TypeError: an override that is not a limit.
    """
    key = name.strip().lower()
    family = _FAMILIES_VIEW.get(key)
    if family is None:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESET_NAMES)}")
    _check_names(overrides)
    code = normalize(language) if language else None
    limits = family.get(code, family[None]) if code else family[None]
    return Preset(
        name=key,
        language=code,
        **{**limits, **overrides},
        overridden=frozenset(overrides),
    )


def resolve_preset(preset: Preset | str, transcript: Transcript) -> Preset:
    """
    The preset to use on ``transcript``: a name is looked up, and a preset
    without a language takes the transcript's (for ``netflix-cjk``, the
    script of the text when the transcript names no CJK language).
    """
    if isinstance(preset, str):
        preset = get_preset(preset)
    if preset.language is not None:
        return preset
    language = normalize_language(transcript.language)
    if preset.name == "netflix-cjk" and language not in _CJK:
        language = _detect_cjk(transcript) or language
    return preset.for_language(language)


def _detect_cjk(transcript: Transcript) -> str | None:
    # Kana means Japanese, Hangul Korean, ideographs alone Chinese; a sample
    # of the first cues is enough and keeps this cheap on long transcripts.
    sample = "".join(cue.text for cue in transcript.cues[:50])
    if any("\u3040" <= ch <= "\u30ff" for ch in sample):
        return "jpn"
    if any("\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" for ch in sample):
        return "kor"
    if any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in sample):
        return "chi"
    return None
