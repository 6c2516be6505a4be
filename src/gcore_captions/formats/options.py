"""
Writer options as values: the base class every format's options dataclass
derives from, and the one place option values are checked and read.

Each format declares its options as a frozen dataclass (``SrtOptions``,
``VttOptions``...) whose fields carry ordinary type hints. The base class
checks every field against its hint when an instance is made, so a wrong
type or value is a :class:`~gcore_captions.errors.FormatError` naming the
option and what it takes, whether the options come from Python
(``render(t, "txt", timestamps="no")``) or from ``-O timestamps=no`` on the
command line. The command line reads ``-O KEY=VALUE`` by walking the same
fields (:func:`option_value`), so there is no second list of options.

Supported field types: ``bool``, ``int``, ``float``, ``str``, ``None`` in a
union, ``Literal[...]``, another options dataclass (for nested groups such as
``AssStyle``) and ``tuple[tuple[str, str], ...]`` (ordered ``key: value``
pairs, which also accept a mapping).
"""

from __future__ import annotations

import dataclasses
import math
import types
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from ..errors import FormatError

__all__ = ["FormatOptions", "build_options", "option_names", "option_value"]

_O = TypeVar("_O", bound="FormatOptions")

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
_NONE = ("none", "null", "off", "")


class FormatOptions:
    """
    Base of the options dataclasses (frozen, slotted, hashable).

    Subclasses set ``format`` (the format name, for messages and the
    registry) and may add range checks in :meth:`check`, which runs after
    every field's type has been checked.
    """

    __slots__ = ()

    format: ClassVar[str] = ""

    def __post_init__(self) -> None:
        hints = _hints(type(self))
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            checked = _checked(self, field.name, value, hints[field.name])
            if checked is not value:
                object.__setattr__(self, field.name, checked)
        self.check()

    def check(self) -> None:
        """
        Range checks beyond the field types; raise :func:`invalid` errors.
        """

    def invalid(self, name: str, wanted: str) -> FormatError:
        """
        The error for option ``name``, which must be ``wanted``.
        """
        return FormatError(
            f"{self.format} option {name} must be {wanted}, not {getattr(self, name)!r}"
        )

    def to_dict(self) -> dict[str, Any]:
        """
        The options that differ from their defaults, as JSON-ready values
        (nested options as dicts, pairs as lists), in field order: a stable
        serialisation that a new option with a default does not change.
        """
        out: dict[str, Any] = {}
        defaults = type(self)()
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if value == getattr(defaults, field.name):
                continue
            if isinstance(value, FormatOptions):
                out[field.name] = value.to_dict()
            elif isinstance(value, tuple):
                out[field.name] = [list(pair) for pair in value]
            else:
                out[field.name] = value
        return out


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = get_type_hints(cls)
    return hints


def _kinds(hint: Any) -> tuple[Any, ...]:
    if get_origin(hint) in (Union, types.UnionType):
        return get_args(hint)
    return (hint,)


def _describe(hint: Any) -> str:
    words = []
    for kind in _kinds(hint):
        if kind is bool:
            words.append("true or false")
        elif kind is int:
            words.append("a whole number")
        elif kind is float:
            words.append("a number")
        elif kind is str:
            words.append("text")
        elif kind is type(None):
            words.append("none")
        elif get_origin(kind) is Literal:
            words.append("one of " + ", ".join(repr(a) for a in get_args(kind)))
        elif isinstance(kind, type) and issubclass(kind, FormatOptions):
            words.append(f"a {kind.__name__}")
        else:
            words.append("key: value pairs")
    return " or ".join(words)


def _is_pairs(kind: Any) -> bool:
    return get_origin(kind) is tuple


def _checked(owner: FormatOptions, name: str, value: Any, hint: Any) -> Any:
    """
    ``value`` if it fits ``hint`` (pairs given as a mapping become a tuple).

    Raises:
        FormatError: it does not.
    """
    for kind in _kinds(hint):
        if kind is type(None):
            if value is None:
                return value
        elif kind is bool:
            if isinstance(value, bool):
                return value
        elif kind is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        elif kind is float:
            if _finite_number(value):
                return value
        elif kind is str:
            if isinstance(value, str):
                return value
        elif get_origin(kind) is Literal:
            if any(value == a and type(value) is type(a) for a in get_args(kind)):
                return value
        elif isinstance(kind, type) and issubclass(kind, FormatOptions):
            if isinstance(value, kind):
                return value
        elif _is_pairs(kind):
            pairs = _pairs(value)
            if pairs is not None:
                return pairs
    raise FormatError(
        f"{owner.format} option {name} must be {_describe(hint)}, not {value!r}"
    ) from None


def _finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _pairs(value: Any) -> tuple[tuple[str, str], ...] | None:
    items = list(value.items()) if isinstance(value, Mapping) else value
    if not isinstance(items, (tuple, list)):
        return None
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not (
            isinstance(item, (tuple, list))
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], str)
        ):
            return None
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def option_names(cls: type[FormatOptions]) -> tuple[str, ...]:
    """
    Every option ``cls`` takes: its own fields, then the fields of its
    nested option groups (``AssOptions`` takes ``size`` for ``style.size``).
    """
    hints = _hints(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = [field.name for field in fields]
    for field in fields:
        nested = _nested(hints[field.name])
        if nested is not None:
            names.extend(n for n in option_names(nested) if n not in names)
    return tuple(names)


def _nested(hint: Any) -> type[FormatOptions] | None:
    for kind in _kinds(hint):
        if isinstance(kind, type) and issubclass(kind, FormatOptions):
            return kind
    return None


def build_options(cls: type[_O], values: Mapping[str, Any]) -> _O:
    """
    ``cls`` made from ``values``; a name that is not a field of ``cls`` but
    of one of its nested groups goes into that group.

    Raises:
        FormatError: an unknown option or a value the option does not take.
    """
    own = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = _hints(cls)
    direct: dict[str, Any] = {}
    grouped: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if name in own:
            direct[name] = value
            continue
        for field_name in own:
            nested = _nested(hints[field_name])
            if nested is not None and name in option_names(nested):
                grouped.setdefault(field_name, {})[name] = value
                break
        else:
            raise _unknown(cls, name)
    for field_name, group in grouped.items():
        nested = _nested(hints[field_name])
        assert nested is not None
        base = direct.get(field_name)
        if base is None:
            base = own[field_name].default
            if base is dataclasses.MISSING or base is None:
                base = nested()
        if not isinstance(base, nested):
            raise FormatError(
                f"{cls.format} option {field_name} must be a {nested.__name__}, not {base!r}"
            )
        direct[field_name] = _replace(base, group)
    try:
        return cls(**direct)
    except FormatError:
        raise
    except (TypeError, ValueError) as error:
        raise FormatError(f"{cls.format}: {error}") from None


def _unknown(cls: type[FormatOptions], name: str) -> FormatError:
    known = ", ".join(option_names(cls)) or "(none)"
    return FormatError(f"the {cls.format} writer has no option {name!r}; its options: {known}")


def _replace(options: _O, values: Mapping[str, Any]) -> _O:
    merged = {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}  # type: ignore[arg-type]
    merged.update(values)
    return build_options(type(options), merged)


def option_value(cls: type[FormatOptions], name: str, raw: str) -> Any:
    """
    The text ``raw`` (from ``-O name=raw``) as the value option ``name`` of
    ``cls`` takes, read by the option's declared type: ``true``/``false``,
    numbers, ``none``, a ``Literal`` choice, or ``Key: value; Key: value``
    pairs.

    Raises:
        FormatError: no such option, or the text is none of the values the
            option takes.
    """
    hint = _hint_for(cls, name)
    if hint is None:
        raise _unknown(cls, name)
    text = raw.strip()
    lowered = text.lower()
    kinds = _kinds(hint)
    for kind in kinds:
        if kind is type(None) and lowered in _NONE and (lowered or str not in kinds):
            return None
        if kind is bool and lowered in _TRUE + _FALSE:
            return lowered in _TRUE
        if kind is int:
            try:
                return int(text)
            except ValueError:
                pass
        if kind is float:
            try:
                value = float(text)
            except ValueError:
                pass
            else:
                if math.isfinite(value):
                    return value
        if get_origin(kind) is Literal:
            for choice in get_args(kind):
                if str(choice).lower() == lowered:
                    return choice
        if _is_pairs(kind):
            return _read_pairs(cls, name, raw)
    if str in kinds:
        return raw
    raise FormatError(f"{cls.format} option {name} takes {_describe(hint)}, not {raw!r}")


def _read_pairs(cls: type[FormatOptions], name: str, raw: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in raw.split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition(":")
        if not sep or not key.strip():
            raise FormatError(
                f"{cls.format} option {name} takes 'Key: value; Key: value', not {raw!r}"
            )
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def _hint_for(cls: type[FormatOptions], name: str) -> Any:
    hints = _hints(cls)
    if name in hints and name in {f.name for f in dataclasses.fields(cls)}:  # type: ignore[arg-type]
        return hints[name]
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        nested = _nested(hints[field.name])
        if nested is not None:
            found = _hint_for(nested, name)
            if found is not None:
                return found
    return None
