"""
Options every command that writes captions shares for the quality passes:
``--reflow PRESET``, ``--fix-only PASSES`` and ``--limit KEY=VALUE``.

A command adds them with the :func:`reflow_options` decorator; the values go
into its ``OutputSpec`` (:func:`~._writer_options.output_spec`), which runs
the passes once in the write path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..quality import PASS_NAMES, PRESET_NAMES, Preset, get_preset

__all__ = ["parse_limits", "preset_from_options", "reflow_options"]

F = TypeVar("F", bound=Callable[..., Any])

LIMIT_HELP = (
    "Override one preset limit, e.g. --limit max_chars=37, --limit max_cps=off"
    " (repeatable; see docs/quality.md for every limit)."
)


def _value(raw: str) -> Any:
    lowered = raw.strip().lower()
    if lowered in ("none", "off", "null", ""):
        return None
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no"):
        return False
    for kind in (int, float):
        try:
            return kind(lowered)
        except ValueError:
            pass
    raise click.BadParameter(f"not a number, on/off or none: {raw!r}", param_hint="--limit")


def parse_limits(pairs: tuple[str, ...]) -> dict[str, Any]:
    """
    ``("max_chars=37", "max-cps=off")`` -> ``{"max_chars": 37, "max_cps": None}``.

    Raises:
        click.BadParameter: a pair is not ``KEY=VALUE`` or the value is not
            a number, ``on``/``off`` or ``none``.
    """
    limits: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--limit")
        limits[key.strip().replace("-", "_")] = _value(raw)
    return limits


def preset_from_options(
    name: str, language: str | None = None, limits: tuple[str, ...] = ()
) -> Preset:
    """
    The preset a command line asks for, as a usage error when it is wrong.

    Raises:
        click.BadParameter: unknown preset, language or limit, or a limit out
            of range.
    """
    try:
        return get_preset(name, language, **parse_limits(limits))
    except (ValueError, TypeError) as error:
        raise click.BadParameter(str(error)) from None


def _check_preset(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value.strip().lower() not in PRESET_NAMES:
        raise click.BadParameter(
            f"unknown preset {value!r}; choose one of {', '.join(PRESET_NAMES)}"
        )
    return value


def _check_passes(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in PASS_NAMES]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown pass {', '.join(unknown) or '(none given)'}; passes: {', '.join(PASS_NAMES)}"
        )
    return ",".join(names)


def reflow_options(command: F) -> F:
    """
    Add ``--reflow PRESET``, ``--fix-only PASSES`` and ``--limit KEY=VALUE``
    to a click command; it receives them as ``reflow``, ``fix_only`` and
    ``limits`` and passes them to :func:`~._writer_options.output_spec`.
    """
    command = click.option(
        "--limit", "limits", multiple=True, metavar="KEY=VALUE", help=LIMIT_HELP
    )(command)
    command = click.option(
        "--fix-only",
        "fix_only",
        default=None,
        metavar="PASSES",
        callback=_check_passes,
        help=(
            "Run only these quality passes, comma-separated (implies --reflow netflix"
            f" unless a preset is named): {', '.join(PASS_NAMES)}."
        ),
    )(command)
    return click.option(
        "--reflow",
        "reflow",
        default=None,
        metavar="PRESET",
        callback=_check_preset,
        help=(
            "Fix timing and lay lines out to a caption guideline before writing:"
            f" {', '.join(PRESET_NAMES)}. The language variant follows the transcript."
        ),
    )(command)
