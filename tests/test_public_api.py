"""
The public API is what ``__all__`` says, and ``__all__`` says what is there.

In the manner of httpx's ``tests/test_exported_members.py``: the top-level
``__all__`` is compared with what ``import gcore_captions`` actually binds, and
every public module (no underscore anywhere in its dotted name) lists its
public names in a sorted ``__all__`` whose names all resolve.
"""

from __future__ import annotations
import __future__

import dataclasses
import importlib
import inspect
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

import gcore_captions

PACKAGE = gcore_captions.__name__
PACKAGE_DIR = Path(gcore_captions.__file__).resolve().parent


def _is_private(part: str) -> bool:
    return part.startswith("_")


def _module_names() -> list[str]:
    """Every module and package of ours, by dotted name, found on the file system."""
    names = {PACKAGE}
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE_DIR).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        # A folder of modules is a package, with an __init__.py or without one.
        for end in range(1, len(parts) + 1):
            names.add(".".join([PACKAGE, *parts[:end]]))
    return sorted(names)


MODULES = _module_names()
PUBLIC_MODULES = [
    name for name in MODULES if not any(_is_private(part) for part in name.split("."))
]
# The modules and packages directly under src/gcore_captions that
# ``import gcore_captions.x`` binds as attributes of the package.
SUBMODULES = sorted(name.rpartition(".")[2] for name in PUBLIC_MODULES if name.count(".") == 1)


def isort_key(name: str) -> tuple[int, list[tuple[int, int, str]]]:
    """
    The order ruff's RUF022 keeps ``__all__`` in (an "isort-style" sort).

    SCREAMING_SNAKE_CASE constants first, then CamelCase classes, then everything
    else; a natural sort inside each group (``x2`` before ``x10``).
    """
    if len(name) > 1 and name.isupper():
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    chunks = [
        (0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk)
        for chunk in re.findall(r"\d+|\D+", name)
    ]
    return group, chunks


def _declared_all(module: ModuleType) -> list[str]:
    exported = vars(module).get("__all__")
    if exported is None and getattr(module, "__file__", None) is None:
        pytest.fail(
            f"{module.__name__} is a namespace package: it has no __init__.py to say its API"
        )
    assert exported is not None, f"{module.__name__} has no __all__"
    assert isinstance(exported, (list, tuple)), f"{module.__name__}.__all__ is not a list"
    assert all(isinstance(name, str) for name in exported), f"{module.__name__}.__all__"
    return list(exported)


def _declared_all_or_skip(module_name: str) -> tuple[ModuleType, list[str]]:
    # A missing __all__ is test_public_module_defines_all's failure; the tests
    # that read __all__ skip, so one omission is reported once.
    module = _import(module_name)
    if "__all__" not in vars(module):
        pytest.skip(f"{module_name} has no __all__")
    return module, _declared_all(module)


def _import(name: str) -> ModuleType:
    return importlib.import_module(name)


def _is_future_feature(value: object) -> bool:
    # ``from __future__ import annotations`` binds ``annotations``; it cannot be
    # renamed, and it is not part of anyone's API.
    return isinstance(value, type(__future__.annotations))


# -- gcore_captions.__all__ ---------------------------------------------------------


def test_all_is_sorted() -> None:
    """The top-level ``__all__`` is sorted the way ruff (RUF022) sorts it."""
    assert gcore_captions.__all__ == sorted(gcore_captions.__all__, key=isort_key)


def test_all_has_no_duplicates() -> None:
    """Each name is exported once."""
    counts = Counter(gcore_captions.__all__)
    assert [name for name, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("name", gcore_captions.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    """``from gcore_captions import <name>`` works, for the lazily imported names too."""
    assert getattr(gcore_captions, name) is not None


def test_all_imports_are_exported() -> None:
    """
    Everything public that ``gcore_captions`` binds is in ``__all__`` (httpx's test).

    Importing every public submodule first makes the lazy names and the
    submodule attributes appear; those submodules (the ones found under
    src/gcore_captions) are the only other public names allowed.
    """
    for name in PUBLIC_MODULES:
        _import(name)
    exported = set(gcore_captions.__all__)
    leaked = sorted(
        name
        for name, value in vars(gcore_captions).items()
        if not _is_private(name)
        and name not in exported
        and not (name in SUBMODULES and isinstance(value, ModuleType))
        and not _is_future_feature(value)
    )
    assert leaked == [], (
        f"public names of {PACKAGE} missing from its __all__: {leaked} "
        "(export them, or bind them under a leading underscore)"
    )


def test_submodule_list_is_derived_from_the_source() -> None:
    """The allowed submodule names come from the file system, and found the big ones."""
    assert {"formats", "quality", "task", "model", "errors"} <= set(SUBMODULES)
    assert "cli" in SUBMODULES


def _has_own_docstring(value: object) -> bool:
    if inspect.isclass(value):
        doc = vars(value).get("__doc__")
        # A dataclass without a docstring gets its signature as one.
        if dataclasses.is_dataclass(value) and isinstance(doc, str):
            return not doc.startswith(f"{value.__name__}(")
        return bool(doc and doc.strip())
    doc = getattr(value, "__doc__", None)
    return bool(doc and doc.strip())


def _can_carry_a_docstring(value: object) -> bool:
    # A plain value (``__version__`` is a str) has only its type's docstring.
    return inspect.isclass(value) or inspect.isroutine(value) or inspect.ismodule(value)


@pytest.mark.parametrize("name", gcore_captions.__all__)
def test_every_exported_name_has_a_docstring(name: str) -> None:
    """Each class and function in the top-level ``__all__`` says what it is for."""
    value = getattr(gcore_captions, name)
    if not _can_carry_a_docstring(value):
        pytest.skip(f"{name} is a {type(value).__name__} value, which has no docstring of its own")
    assert _has_own_docstring(value), f"gcore_captions.{name} has no docstring"


# -- every public module ------------------------------------------------------------


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_module_defines_all(module_name: str) -> None:
    """A public module says what its API is."""
    _declared_all(_import(module_name))


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_module_all_is_sorted_and_unique(module_name: str) -> None:
    """``__all__`` is sorted as ruff sorts it, each name once."""
    _, exported = _declared_all_or_skip(module_name)
    assert exported == sorted(exported, key=isort_key)
    assert len(exported) == len(set(exported))


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_module_all_resolves(module_name: str) -> None:
    """Every name a public module exports can be imported from it."""
    module, exported = _declared_all_or_skip(module_name)
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == [], f"{module_name}.__all__ names what it does not have: {missing}"


def _private_home(module_name: str) -> str | None:
    """The package whose private module ``module_name`` is (``a.b._c.d`` -> ``a.b``)."""
    parts = module_name.split(".")
    owner = None
    for position, part in enumerate(parts):
        if _is_private(part) and not (part.startswith("__") and part.endswith("__")):
            owner = ".".join(parts[:position])
    return owner


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_no_side_door_exports(module_name: str) -> None:
    """
    A name defined in a private module ``p._x`` is exported from outside ``p``
    only when ``p`` exports it too.

    ``gcore_captions.Client`` (defined in ``gcore._sync``) is fine because
    ``gcore_captions.gcore`` exports it; exporting a helper of ``formats._text``
    from ``preview`` would publish what ``formats`` keeps private.
    """
    module, exported = _declared_all_or_skip(module_name)
    side_doors: list[str] = []
    for name in exported:
        value = getattr(module, name, None)
        home = getattr(value, "__module__", None)
        if not isinstance(home, str) or not _inside(home, PACKAGE):
            continue
        owner = _private_home(home)
        if owner is None or _inside(module_name, owner):
            continue
        if name not in getattr(_import(owner), "__all__", ()):
            side_doors.append(f"{name} (from {home}, not in {owner}.__all__)")
    assert side_doors == [], (
        f"{module_name} exports names their package keeps private: {side_doors}"
    )


# -- the helpers check themselves ---------------------------------------------------


def test_isort_key_sorts_as_ruff_does() -> None:
    """Constants, then classes (a lone capital is a class), then the rest; numbers by value."""
    expected = ["MAX_2", "MAX_10", "Cue", "X", "__version__", "load", "x2", "x10"]
    shuffled = ["x10", "load", "MAX_10", "X", "x2", "__version__", "Cue", "MAX_2"]
    assert sorted(shuffled, key=isort_key) == expected


def test_a_dataclass_signature_is_no_docstring() -> None:
    """The signature dataclasses put in ``__doc__`` does not count as documentation."""

    @dataclasses.dataclass
    class Bare:
        x: int

    @dataclasses.dataclass
    class Documented:
        """A point on a line."""

        x: int

    assert not _has_own_docstring(Bare)
    assert _has_own_docstring(Documented)
