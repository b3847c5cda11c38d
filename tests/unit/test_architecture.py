"""The layout holds: no import cycles, no upward imports, other packages use a package's facade.

Every import in voicetools/ counts, including those inside functions and under TYPE_CHECKING:
a cycle hidden in a function is still a cycle a reader has to untangle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "voicetools"

LAYERS = {
    "errors": 0, "files": 0, "": 0,  # "" is voicetools/__init__.py (the version)
    "spec": 1,
    "language": 2,
    "tools": 3, "backends": 3, "audio": 3,
    "dialogue": 4,
    "runtime": 5, "diagnose": 5, "report": 5,
    "cli": 6, "scenario": 6, "demo": 6,
    "testing": 7, "__main__": 7,
}  # fmt: skip
"""Lowest first; a module may import from its own layer or below (docs/architecture.md)."""

FACADES = ("voicetools.dialogue", "voicetools.language", "voicetools.report", "voicetools.tools")
"""Packages whose `__init__` re-exports what other packages use; others import only that."""

TEST_DOUBLES = ("voicetools.testing",)
"""Fakes of the engine's parts may import any module (they imitate internals); nothing else may
import them. The scripted fake LLM knows the prompt format, so it leaves backends/ for testing/."""

KNOWN_CYCLES: list[list[str]] = []
"""Cycles allowed for now, each with its reason; none since `Turn` stopped reading `Engine`."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(module: str) -> Iterator[tuple[str, int]]:
    """(voicetools module imported, line) for every import statement in `module`."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> Iterator[tuple[str, int]]:
    """Imports anywhere in `source` (functions, TYPE_CHECKING), relative ones resolved."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            if not base.startswith("voicetools"):
                continue
            for alias in node.names:
                child = f"{base}.{alias.name}"
                yield (child if child in MODULES else base), node.lineno


GRAPH = {m: sorted({target for target, _ in imported(m) if target != m}) for m in MODULES}


def layer(module: str) -> int:
    top = module.removeprefix("voicetools").removeprefix(".").split(".")[0]
    assert top in LAYERS, f"{module}: add its package to LAYERS in {Path(__file__).name}"
    return LAYERS[top]


def test_every_package_has_a_layer() -> None:
    for module in MODULES:
        layer(module)


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    assert [c for c in cycles(GRAPH) if c not in KNOWN_CYCLES] == []


def test_no_upward_imports() -> None:
    upward = [
        f"{module}:{line} imports {target}"
        for module in MODULES
        for target, line in imported(module)
        if layer(target) > layer(module) and not module.startswith(TEST_DOUBLES)
    ]
    assert upward == []


def test_nothing_imports_the_test_doubles() -> None:
    users = [
        f"{module} imports {target}"
        for module in MODULES
        if not module.startswith(TEST_DOUBLES)
        for target, _ in imported(module)
        if target.startswith(TEST_DOUBLES)
    ]
    assert users == []


def test_known_cycles_are_still_cycles() -> None:
    """An exception must not outlive its reason: drop it from KNOWN_CYCLES once it is gone."""
    assert [c for c in KNOWN_CYCLES if c not in cycles(GRAPH)] == []


def test_other_packages_import_through_the_facade() -> None:
    private = [
        f"{module}:{line} imports {target}, not {facade}"
        for module in MODULES
        for target, line in imported(module)
        for facade in FACADES
        if target.startswith(facade + ".")
        and not module.startswith((facade + ".", *TEST_DOUBLES))
        and module != facade
    ]
    assert private == []


def test_every_facade_name_resolves() -> None:
    import importlib

    for facade in FACADES:
        module = importlib.import_module(facade)
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == [], facade


def test_the_checker_sees_hidden_imports_and_finds_cycles() -> None:
    """The checks above must be able to fail: imports in functions count, cycles are found."""
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from voicetools.spec.model import Agent\n"
        "def later():\n"
        "    from .base import ToolCall\n"
        "    import voicetools.errors\n"
        "    from voicetools.backends import models\n"
    )
    found = [target for target, _ in imports_in(source, "voicetools.tools")]
    assert sorted(found) == [
        "voicetools.backends.models",
        "voicetools.errors",
        "voicetools.spec.model",
        "voicetools.tools.base",
    ]
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert cycles({"a": ["b"], "b": []}) == []
