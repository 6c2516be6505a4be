"""
``OutputSpec``: the recipe for a transcript's files, as one value.

It holds the outputs with their options, the quality preset and passes to
apply first (or none), line ends and BOM, and the name template. It is
frozen and hashable, and :meth:`OutputSpec.to_dict` / :attr:`fingerprint`
give a stable serialisation: the batch manifest records the fingerprint, so
a rerun skips a task only when the recipe is the same (data, never a
function's name).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import FormatError
from ..formats import Format
from ..formats.options import FormatOptions, build_options, option_names, option_value
from ..quality import PASS_NAMES, Preset, get_preset
from .naming import DEFAULT_TEMPLATE
from .registry import OUTPUTS, get_output, get_writable_output

__all__ = ["OutputSpec", "split_formats"]

Newline = Literal["\n", "\r\n"]


def split_formats(value: str | Iterable[str]) -> list[str]:
    """
    ``"srt,vtt"`` (or ``["srt", "vtt"]``) -> ``["srt", "vtt"]``: commas or
    spaces separate names; repeats and empty names are dropped.
    """
    parts = value.replace(" ", ",").split(",") if isinstance(value, str) else list(value)
    seen: list[str] = []
    for part in parts:
        name = part.strip()
        if name and name not in seen:
            seen.append(name)
    return seen


@dataclass(frozen=True)
class OutputSpec:
    """
    What to write for a transcript, and how.

    Args:
        outputs: one options value per output, in order (``SrtOptions()``,
            ``VttOptions(identifiers="none")``...); each names its format.
        preset: the quality preset whose passes run before rendering;
            ``None`` writes the transcript as it is.
        passes: with a preset, run only these passes (names from
            :data:`~gcore_captions.quality.PASS_NAMES`); ``None`` runs all.
        newline: ``"\\n"`` (default) or ``"\\r\\n"``.
        bom: start each file with a UTF-8 byte order mark.
        name: the file name template (``{task_id}.{ext}`` by default; see
            :data:`~gcore_captions.output.naming.FIELDS`).

    Raises:
        FormatError: no outputs, an output named twice, an unknown pass, a
            bad newline, or passes without a preset.
    """

    outputs: tuple[FormatOptions, ...]
    preset: Preset | None = None
    passes: tuple[str, ...] | None = None
    newline: Newline = "\n"
    bom: bool = False
    name: str = DEFAULT_TEMPLATE
    formats: tuple[Format, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        outputs = tuple(self.outputs)
        object.__setattr__(self, "outputs", outputs)
        if not outputs:
            raise FormatError("name at least one format")
        formats = []
        for options in outputs:
            if not isinstance(options, FormatOptions) or options.format not in OUTPUTS:
                raise FormatError(f"not the options of a format: {options!r}")
            output = OUTPUTS[options.format]
            if not isinstance(options, output.options):
                raise FormatError(f"{options!r} are not {output.name} options")
            formats.append(output)
        names = [f.name for f in formats]
        if len(set(names)) != len(names):
            raise FormatError(f"a format is named twice: {', '.join(names)}")
        object.__setattr__(self, "formats", tuple(formats))
        if self.passes is not None:
            passes = tuple(self.passes)
            object.__setattr__(self, "passes", passes)
            unknown = [p for p in passes if p not in PASS_NAMES]
            if unknown or not passes:
                raise FormatError(
                    f"unknown pass {', '.join(unknown) or '(none given)'};"
                    f" passes: {', '.join(PASS_NAMES)}"
                )
            if self.preset is None:
                raise FormatError("passes need a preset to take their limits from")
        if self.preset is not None and not isinstance(self.preset, Preset):
            raise FormatError(f"preset must be a Preset, not {self.preset!r}")
        if self.newline not in ("\n", "\r\n"):
            raise FormatError(f"newline must be '\\n' or '\\r\\n', not {self.newline!r}")
        if not isinstance(self.bom, bool):
            raise FormatError(f"bom must be true or false, not {self.bom!r}")
        if not isinstance(self.name, str) or not self.name:
            raise FormatError(f"name must be a non-empty template, not {self.name!r}")

    @classmethod
    def parse(
        cls,
        formats: str | Iterable[str] = "srt",
        *,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        option_text: Sequence[str] = (),
        preset: Preset | str | None = None,
        passes: str | Collection[str] | None = None,
        limits: Mapping[str, Any] | None = None,
        newline: Newline = "\n",
        bom: bool = False,
        name: str = DEFAULT_TEMPLATE,
    ) -> OutputSpec:
        """
        A spec from names, as the command line and quick scripts give them.

        Args:
            formats: ``"srt,vtt"`` or a list of names (aliases such as
                ``webvtt`` work; ``html`` is the preview page).
            options: typed options per format name, e.g.
                ``{"txt": {"timestamps": True}}``; the key ``"*"`` gives
                options to every chosen format that has them.
            option_text: ``-O`` pairs as text, read by each option's type:
                ``"timestamps=true"`` (every chosen format with that
                option), ``"ass.size=48"`` (one format).
            preset: a preset name or :class:`~gcore_captions.quality.Preset`
                to apply first; ``passes`` alone implies ``"netflix"``.
            passes: only these passes, comma-separated or a collection.
            limits: preset limits to override (``{"max_chars": 37}``).
            newline: ``"\\n"`` or ``"\\r\\n"``.
            bom: start each file with a UTF-8 BOM.
            name: the file name template.

        Raises:
            FormatError: an unknown format, option, preset, pass or limit,
                or a value an option does not take (the message names it).
        """
        chosen = [get_writable_output(n) for n in split_formats(formats)]
        if not chosen:
            raise FormatError("name at least one format")
        values: dict[str, dict[str, Any]] = {f.name: {} for f in chosen}
        given = _scoped(options or {})
        given.extend(_scoped_text(option_text))
        by_name = {f.name: f for f in chosen}
        listed = ", ".join(by_name)
        for scope, key, value in given:
            if scope is None:
                takers = [f for f in chosen if key in option_names(f.options)]
                if not takers:
                    raise FormatError(f"no writer among {listed} has an option {key!r}")
                for taker in takers:
                    values[taker.name][key] = value(taker) if callable(value) else value
            else:
                output = by_name.get(scope)
                if output is None:
                    raise FormatError(
                        f"{scope}.{key} is for {scope}, which is not among the formats written"
                        f" ({listed})"
                    )
                values[scope][key] = value(output) if callable(value) else value
        built = tuple(build_options(f.options, values[f.name]) for f in chosen)
        chosen_preset = _preset(preset, passes, limits)
        only = split_formats(passes) if isinstance(passes, str) else passes
        return cls(
            outputs=built,
            preset=chosen_preset,
            passes=tuple(only) if only is not None else None,
            newline=newline,
            bom=bom,
            name=name,
        )

    def options_for(self, format: str) -> FormatOptions | None:
        """
        The options of output ``format`` in this spec, or ``None``.
        """
        for options in self.outputs:
            if options.format == get_output(format).name:
                return options
        return None

    def replace(self, **changes: Any) -> OutputSpec:
        """
        A copy with some fields changed (``spec.replace(bom=True)``).
        """
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """
        The spec as JSON-ready data, stable across runs and versions: each
        output's options that differ from their defaults, the preset's
        limits, passes, newline, BOM and name template.
        """
        return {
            "outputs": [{"format": o.format, "options": o.to_dict()} for o in self.outputs],
            "preset": _preset_dict(self.preset),
            "passes": list(self.passes) if self.passes is not None else None,
            "newline": self.newline,
            "bom": self.bom,
            "name": self.name,
        }

    @property
    def fingerprint(self) -> str:
        """
        16 hex digits identifying the recipe (SHA-256 of :meth:`to_dict`
        as canonical JSON).
        """
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _scoped(options: Mapping[str, Mapping[str, Any]]) -> list[tuple[str | None, str, Any]]:
    given: list[tuple[str | None, str, Any]] = []
    for scope, values in options.items():
        if not isinstance(values, Mapping):
            raise FormatError(f"options for {scope!r} must be a mapping of option names")
        target = None if scope == "*" else get_output(scope).name
        given.extend((target, key, value) for key, value in values.items())
    return given


def _scoped_text(pairs: Sequence[str]) -> list[tuple[str | None, str, Any]]:
    given: list[tuple[str | None, str, Any]] = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise FormatError(f"expected KEY=VALUE, got {pair!r}")
        scope, dot, option = key.strip().rpartition(".")
        target = get_output(scope).name if dot else None

        # Read by the type of the writer it lands in (one text may go to
        # several writers that declare the option differently).
        def read(output: Format, option: str = option, raw: str = raw) -> Any:
            return option_value(output.options, option, raw)

        given.append((target, option, read))
    return given


def _preset(
    preset: Preset | str | None,
    passes: str | Collection[str] | None,
    limits: Mapping[str, Any] | None,
) -> Preset | None:
    if preset is None and passes is None:
        if limits:
            raise FormatError("limits need a preset")
        return None
    if isinstance(preset, Preset):
        if limits:
            try:
                return dataclasses.replace(
                    preset,
                    **limits,
                    overridden=preset.overridden | frozenset(limits),
                )
            except (TypeError, ValueError) as error:
                raise FormatError(str(error)) from None
        return preset
    try:
        return get_preset(preset or "netflix", None, **dict(limits or {}))
    except (TypeError, ValueError) as error:
        raise FormatError(str(error)) from None


def _preset_dict(preset: Preset | None) -> dict[str, Any] | None:
    if preset is None:
        return None
    data = {f.name: getattr(preset, f.name) for f in dataclasses.fields(preset)}
    data["overridden"] = sorted(preset.overridden)
    return data
