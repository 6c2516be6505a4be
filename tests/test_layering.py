"""
The import rules of docs/architecture.md (and DESIGN.md), checked on the source.

Every module under ``src/gcore_captions`` is parsed with ``ast``, never imported,
and every import statement is collected: at module level, inside functions and
under ``if TYPE_CHECKING:``. Relative imports are resolved to absolute module
names; ``from .pkg import name`` counts as an import of ``pkg.name`` when that
is a module file, and of ``pkg`` otherwise.

Three rules are checked:

- no import cycles between modules, imports inside functions included
  (``TYPE_CHECKING`` imports never run, so they are left out of this one);
- private modules are private: ``p.q._x`` is imported only from inside ``p.q``;
- the layer table below (``LAYER_RULES``): which layer may not import which.

An import made by ``importlib.import_module()`` with a computed name cannot be
seen here; the root package declares its lazy names under ``TYPE_CHECKING``,
which is where this test finds them.
"""

from __future__ import annotations

import ast
import itertools
import textwrap
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "gcore_captions"
SOURCE_ROOT = Path(__file__).resolve().parents[1] / "src"

# The one module of formats/ that task/ may import: the public home of the
# WebVTT reader that the subtitles/vttContent cross-check needs. Change it
# here, and only here, if the reader moves.
WEBVTT_READER = "formats.vtt"

# The bottom of the stack: they import nothing of ours but each other.
BOTTOM = (
    "model",
    "timecode",
    "errors",
    "languages",
    "textio",
    "_version",
    "_gc",
    "_plural",
    "_jsontext",
)

# Every module of the package. Used as a "forbidden" entry, it means "anything
# of ours" (and then "allowed" lists the exceptions).
EVERYTHING = "*"


@dataclass(frozen=True)
class LayerRule:
    """
    One row of the layer table: modules of ``layer`` may not import ``forbidden``.

    Names are relative to the package (``"formats"`` is ``gcore_captions.formats``
    and everything under it). ``allowed`` lists exceptions to ``forbidden``;
    ``exempt`` lists importers inside ``layer`` that the rule does not bind.
    """

    name: str
    layer: tuple[str, ...]
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()
    exempt: tuple[str, ...] = ()
    why: str = ""


# layer -> what it may not import. Read top to bottom, this is the architecture.
LAYER_RULES: tuple[LayerRule, ...] = (
    LayerRule(
        name="nothing-imports-cli",
        layer=(EVERYTHING,),
        forbidden=("cli",),
        exempt=("cli", "__main__"),
        why="the command line is the top: every behaviour lives below it "
        "(``python -m gcore_captions`` is its entry point and may call it)",
    ),
    LayerRule(
        name="formats-import-only-downward",
        layer=("formats",),
        forbidden=("gcore", "batch", "preview", "output", "task", "testing", "quality", "cli"),
        why="a format renders and reads a Transcript; writing files, fetching, "
        "checking and the preview page are built on top of the formats",
    ),
    LayerRule(
        name="bottom-imports-only-bottom",
        layer=BOTTOM,
        forbidden=(EVERYTHING,),
        allowed=BOTTOM,
        why="the cue model, time stamps, errors, languages and text decoding are "
        "the base every other layer stands on",
    ),
    LayerRule(
        name="task-uses-only-the-webvtt-reader",
        layer=("task",),
        forbidden=("formats",),
        allowed=(WEBVTT_READER,),
        why="reading a Gcore payload is sans-I/O; it needs the WebVTT reader for "
        "vttContent and nothing else of formats/",
    ),
    LayerRule(
        name="quality-knows-no-formats",
        layer=("quality",),
        forbidden=("formats", "gcore", "batch", "preview", "output", "cli"),
        why="passes and checks work on a Transcript, whatever it is written as",
    ),
    LayerRule(
        name="gcore-writes-no-files",
        layer=("gcore",),
        forbidden=("formats", "batch", "preview", "output", "cli"),
        why="the HTTP client returns payloads and Transcripts; it never writes a file",
    ),
)


# -- collecting imports ---------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One import of one of our modules, resolved to an absolute module name."""

    importer: str
    target: str
    path: Path
    line: int
    in_function: bool
    type_checking: bool
    # Entering a package runs its __init__: an import of ``p.q.m`` from outside
    # ``p.q`` also imports ``p.q``. Such edges are ``implicit``; they count for
    # cycles only, since the code never names them; ``via`` is the module
    # the code does name.
    implicit: bool = False
    via: str = ""

    def where(self, root: Path) -> str:
        """``path:line`` relative to ``root``, with how the import is made."""
        kinds = []
        if self.in_function:
            kinds.append("in a function")
        if self.type_checking:
            kinds.append("under TYPE_CHECKING")
        suffix = f" ({', '.join(kinds)})" if kinds else ""
        where = f"{self.path.relative_to(root)}:{self.line}{suffix}"
        if self.implicit:
            return f"{where} imports {self.via}, and entering {self.target} runs its __init__"
        return where


@dataclass(frozen=True, repr=False)
class Graph:
    """The modules of one package and the imports between them."""

    package: str
    root: Path
    modules: Mapping[str, Path]
    imports: tuple[Import, ...]

    def __repr__(self) -> str:
        return f"<Graph {self.package}: {len(self.modules)} modules, {len(self.imports)} imports>"


def module_name(path: Path, root: Path) -> str:
    """``root/a/b/c.py`` -> ``a.b.c``; ``root/a/b/__init__.py`` -> ``a.b``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module file of ``package`` under ``root``, by dotted name."""
    return {module_name(path, root): path for path in sorted((root / package).rglob("*.py"))}


def resolve_base(importer: str, is_package: bool, level: int, module: str | None) -> str:
    """
    The absolute name of what ``from <dots><module> import ...`` starts from.

    ``level`` dots climb from the importer's package: one dot is the package
    itself (the importer, when it is a package's ``__init__``).
    """
    if level == 0:
        return module or ""
    package = importer if is_package else importer.rpartition(".")[0]
    parts = package.split(".")
    if level - 1 >= len(parts):
        raise ValueError(f"{importer}: relative import climbs above the top package")
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{module}" if module else base


def longest_known(name: str, modules: Mapping[str, Path]) -> str:
    """``name`` or the longest prefix of it that is a module (``import a.b.c`` runs a.b.c)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return name


def is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


class _ImportCollector(ast.NodeVisitor):
    """Walks one module and records each import with where and how it is made."""

    def __init__(self, importer: str, path: Path, modules: Mapping[str, Path]) -> None:
        self.importer = importer
        self.path = path
        self.modules = modules
        self.is_package = path.name == "__init__.py"
        self.function_depth = 0
        self.type_checking_depth = 0
        self.found: list[Import] = []

    def _add(self, target: str, node: ast.stmt) -> None:
        self.found.append(
            Import(
                importer=self.importer,
                target=target,
                path=self.path,
                line=node.lineno,
                in_function=self.function_depth > 0,
                type_checking=self.type_checking_depth > 0,
            )
        )

    def _in_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.function_depth += 1
        self.generic_visit(node)
        self.function_depth -= 1

    visit_FunctionDef = _in_function
    visit_AsyncFunctionDef = _in_function

    def visit_If(self, node: ast.If) -> None:
        if not is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.type_checking_depth += 1
        for statement in node.body:
            self.visit(statement)
        self.type_checking_depth -= 1
        # The ``else:`` of ``if TYPE_CHECKING:`` is what runs.
        for statement in node.orelse:
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(longest_known(alias.name, self.modules), node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = resolve_base(self.importer, self.is_package, node.level, node.module)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in self.modules else base, node)


def is_ours(name: str, package: str) -> bool:
    """Whether ``name`` is ``package`` or inside it."""
    return name == package or name.startswith(package + ".")


def ancestors(name: str) -> list[str]:
    """``a.b.c`` -> ``["a", "a.b"]``."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def implicit_imports(explicit: Iterable[Import], modules: Mapping[str, Path]) -> list[Import]:
    """The package ``__init__`` modules that importing each target from outside runs."""
    found: list[Import] = []
    for imp in explicit:
        inside = {imp.importer, *ancestors(imp.importer)}
        for package in ancestors(imp.target):
            if package in modules and package not in inside:
                found.append(
                    Import(
                        importer=imp.importer,
                        target=package,
                        path=imp.path,
                        line=imp.line,
                        in_function=imp.in_function,
                        type_checking=imp.type_checking,
                        implicit=True,
                        via=imp.target,
                    )
                )
    return found


def collect(root: Path, package: str) -> Graph:
    """Parse every module of ``package`` under ``root`` and collect its imports of ours."""
    modules = find_modules(root, package)
    explicit: list[Import] = []
    for name, path in modules.items():
        collector = _ImportCollector(name, path, modules)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        explicit.extend(
            imp
            for imp in collector.found
            if is_ours(imp.target, package) and imp.target != imp.importer
        )
    imports = explicit + implicit_imports(explicit, modules)
    return Graph(package=package, root=root, modules=modules, imports=tuple(imports))


# -- rule (a): no cycles --------------------------------------------------------------


def runtime_edges(graph: Graph) -> dict[str, dict[str, Import]]:
    """importer -> target -> the first import that makes the edge; TYPE_CHECKING left out."""
    edges: dict[str, dict[str, Import]] = {name: {} for name in graph.modules}
    for imp in sorted(graph.imports, key=lambda i: (i.implicit, i.line)):
        if imp.type_checking or imp.target not in graph.modules:
            continue
        edges[imp.importer].setdefault(imp.target, imp)
    return edges


def strongly_connected(nodes: Sequence[str], edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def shortest_cycle(start: str, members: set[str], edges: Mapping[str, Iterable[str]]) -> list[str]:
    """The shortest path ``start -> ... -> start`` inside one component (breadth first)."""
    previous: dict[str, str] = {}
    queue: deque[str] = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for successor in sorted(edges[node]):
            if successor not in members:
                continue
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if successor not in seen:
                seen.add(successor)
                previous[successor] = node
                queue.append(successor)
    raise AssertionError(f"{start} is in a component but on no cycle")


def find_cycles(graph: Graph) -> list[str]:
    """Each import cycle as a readable chain, one shortest chain per module on it."""
    edges = runtime_edges(graph)
    reports: list[str] = []
    for component in strongly_connected(sorted(edges), edges):
        if len(component) == 1 and component[0] not in edges[component[0]]:
            continue
        members = set(component)
        chains: list[list[str]] = []
        for module in component:
            cycle = shortest_cycle(module, members, edges)
            rotation = cycle.index(min(cycle[:-1]))
            normal = [*cycle[rotation:-1], *cycle[:rotation], cycle[rotation]]
            if normal not in chains:
                chains.append(normal)
        lines = [f"cycle among {', '.join(component)}:"]
        for chain in chains:
            lines.append("  " + " -> ".join(chain))
            lines.extend(
                f"      {a} -> {b}: {edges[a][b].where(graph.root)}"
                for a, b in itertools.pairwise(chain)
            )
        reports.append("\n".join(lines))
    return reports


# -- rule (b): private modules stay private ------------------------------------------


def private_owner(target: str) -> str | None:
    """The package that owns the innermost private part of ``target``, if any."""
    parts = target.split(".")
    owner = None
    for position, part in enumerate(parts):
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            owner = ".".join(parts[:position])
    return owner


def private_violations(graph: Graph) -> list[str]:
    """Imports of ``p.q._x`` made from outside the package ``p.q``."""
    found: list[str] = []
    for imp in graph.imports:
        if imp.implicit:
            continue
        owner = private_owner(imp.target)
        if owner is not None and not is_ours(imp.importer, owner):
            found.append(
                f"{imp.importer} imports {imp.target}, private to {owner}: {imp.where(graph.root)}"
            )
    return sorted(found)


# -- rule (c): the layers -------------------------------------------------------------


def _matches(name: str, prefixes: Iterable[str], package: str) -> bool:
    return any(
        is_ours(name, package) if prefix == EVERYTHING else is_ours(name, f"{package}.{prefix}")
        for prefix in prefixes
    )


def layer_violations(graph: Graph, rule: LayerRule) -> list[str]:
    """
    The imports, as written in the code, that break one row of the layer table.

    A module may always import inside its own layer (``formats.srt`` imports
    ``formats._text``); that is the private-module rule's business, not this one's.
    """
    package = graph.package
    found: list[str] = []
    for imp in graph.imports:
        if imp.implicit:
            continue
        own = [p for p in rule.layer if p != EVERYTHING and _matches(imp.importer, [p], package)]
        if not own and not _matches(imp.importer, rule.layer, package):
            continue
        if _matches(imp.target, own, package):
            continue
        if _matches(imp.importer, rule.exempt, package):
            continue
        if not _matches(imp.target, rule.forbidden, package):
            continue
        if _matches(imp.target, rule.allowed, package):
            continue
        found.append(f"{imp.importer} imports {imp.target}: {imp.where(graph.root)}")
    return sorted(found)


# -- the checks on gcore_captions -----------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The import graph of src/gcore_captions."""
    return collect(SOURCE_ROOT, PACKAGE)


def _fail_on(title: str, problems: Sequence[str]) -> None:
    """Fail with one readable line (or chain) per problem, without a traceback."""
    if problems:
        pytest.fail(f"{title} ({len(problems)}):\n" + "\n".join(problems), pytrace=False)


def test_the_scan_sees_the_package(graph: Graph) -> None:
    """The scan found modules and imports, so a silent empty graph cannot pass."""
    assert f"{PACKAGE}.model" in graph.modules
    assert any(imp.importer == PACKAGE for imp in graph.imports)


def test_no_import_cycles(graph: Graph) -> None:
    """No module reaches itself through imports, including imports inside functions."""
    _fail_on("import cycles", find_cycles(graph))


def test_private_modules_are_private(graph: Graph) -> None:
    """``p.q._x`` is imported only by ``p.q`` and the modules inside it."""
    _fail_on("imports of another package's private module", private_violations(graph))


@pytest.mark.parametrize("rule", LAYER_RULES, ids=lambda rule: rule.name)
def test_layer_rule(graph: Graph, rule: LayerRule) -> None:
    """Each layer imports only what sits below it (see LAYER_RULES)."""
    _fail_on(f"{rule.name}: {rule.why}", layer_violations(graph, rule))


def test_layer_rules_name_real_places() -> None:
    """Every place the table names exists, so a rename cannot switch a rule off."""
    modules = find_modules(SOURCE_ROOT, PACKAGE)
    places = {
        place
        for rule in LAYER_RULES
        for place in (*rule.layer, *rule.forbidden, *rule.allowed, *rule.exempt)
        if place != EVERYTHING
    }
    missing = sorted(
        place
        for place in places
        if f"{PACKAGE}.{place}" not in modules and not (SOURCE_ROOT / PACKAGE / place).is_dir()
    )
    assert not missing, f"the layer table names places that do not exist: {missing}"


# -- the checker checks itself --------------------------------------------------------


def _write_package(root: Path, files: Mapping[str, str]) -> None:
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")


SYNTHETIC = {
    "pkg/__init__.py": "from .a import A\n",
    # a -> b at module level, b -> a inside a function: still a cycle.
    "pkg/a.py": "from . import b\nA = 1\n",
    "pkg/b.py": """
        def late():
            from .a import A
            return A
        """,
    # TYPE_CHECKING imports never run: t1 <-> t2 is no cycle.
    "pkg/t1.py": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from .t2 import T2
        """,
    "pkg/t2.py": "from . import t1\nT2 = 1\n",
    "pkg/sub/__init__.py": "from . import _priv\n",
    "pkg/sub/_priv.py": "SECRET = 1\n",
    "pkg/sub/inner.py": "from ._priv import SECRET\nfrom .. import a\n",
    # Both reach into sub's private module from outside sub.
    "pkg/leak.py": "from .sub._priv import SECRET\n",
    "pkg/typed_leak.py": """
        import typing
        if typing.TYPE_CHECKING:
            from pkg.sub import _priv
        else:
            import pkg.sub.inner
        """,
    # Importing sub.inner runs sub/__init__; sub.inner imports a: no cycle there.
    "pkg/user.py": "import pkg.sub.inner\n",
}


def test_self_check_finds_a_planted_cycle(tmp_path: Path) -> None:
    """The cycle finder reports a -> b -> a (b's import is inside a function) and no more."""
    _write_package(tmp_path, SYNTHETIC)
    cycles = find_cycles(collect(tmp_path, "pkg"))
    assert len(cycles) == 1, cycles
    assert "  pkg.a -> pkg.b -> pkg.a\n" in cycles[0] + "\n"
    assert "pkg/b.py:3 (in a function)" in cycles[0]
    assert "t1" not in cycles[0]


def test_self_check_finds_a_cycle_through_a_package_init(tmp_path: Path) -> None:
    """Importing ``p.m`` from outside ``p`` runs ``p/__init__``, and that can close a cycle."""
    _write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/low/__init__.py": "from . import reader, writer\n",
            "pkg/low/reader.py": "",
            "pkg/low/writer.py": "def f():\n    from ..high import g\n",
            "pkg/high.py": "from .low.reader import parse\n",
        },
    )
    (cycle,) = find_cycles(collect(tmp_path, "pkg"))
    assert "pkg.high -> pkg.low -> pkg.low.writer -> pkg.high" in cycle
    assert "pkg/high.py:1 imports pkg.low.reader, and entering pkg.low runs its __init__" in cycle


def test_self_check_finds_planted_private_imports(tmp_path: Path) -> None:
    """Imports of ``sub._priv`` from outside ``sub`` are reported, TYPE_CHECKING ones too."""
    _write_package(tmp_path, SYNTHETIC)
    violations = private_violations(collect(tmp_path, "pkg"))
    assert violations == [
        "pkg.leak imports pkg.sub._priv, private to pkg.sub: pkg/leak.py:1",
        "pkg.typed_leak imports pkg.sub._priv, private to pkg.sub: "
        "pkg/typed_leak.py:4 (under TYPE_CHECKING)",
    ]


def test_self_check_layer_rules(tmp_path: Path) -> None:
    """A layer row reports a forbidden import and lets its exceptions through."""
    _write_package(tmp_path, SYNTHETIC)
    graph = collect(tmp_path, "pkg")
    rule = LayerRule(name="sub-below-a", layer=("sub",), forbidden=(EVERYTHING,))
    assert layer_violations(graph, rule) == [
        "pkg.sub.inner imports pkg.a: pkg/sub/inner.py:2",
    ]
    allowing = LayerRule(
        name="sub-may-use-a", layer=("sub",), forbidden=(EVERYTHING,), allowed=("a",)
    )
    assert layer_violations(graph, allowing) == []


@pytest.mark.parametrize(
    ("importer", "is_package", "level", "module", "expected"),
    [
        ("p.q.m", False, 1, None, "p.q"),
        ("p.q.m", False, 1, "x", "p.q.x"),
        ("p.q.m", False, 2, "x", "p.x"),
        ("p.q", True, 1, None, "p.q"),
        ("p.q", True, 2, "x", "p.x"),
        ("p.q.m", False, 0, "p.x", "p.x"),
    ],
)
def test_relative_imports_resolve(
    importer: str, is_package: bool, level: int, module: str | None, expected: str
) -> None:
    """Dots climb from the importer's package; a package's ``__init__`` is its own package."""
    assert resolve_base(importer, is_package, level, module) == expected


def test_from_import_names_a_submodule_or_the_package(tmp_path: Path) -> None:
    """``from .sub import _priv`` is the module sub._priv; ``from .a import A`` is module a."""
    _write_package(tmp_path, SYNTHETIC)
    graph = collect(tmp_path, "pkg")
    targets = {(i.importer, i.target) for i in graph.imports if not i.implicit}
    assert ("pkg", "pkg.a") in targets
    assert ("pkg.sub", "pkg.sub._priv") in targets
    assert ("pkg.typed_leak", "pkg.sub.inner") in targets
