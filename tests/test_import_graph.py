"""The shape of the code: packages under shelter/ depend on each other one way only, and the pure
engines never import Django (directly or through another shelter module they import).

A package is the first name under shelter/ (``records``, ``notices``...); a top-level module such as
``shelter/countries.py`` counts as a package of its own. Imports inside functions count too: a
deferred import is still a dependency, only hidden.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "shelter"
PURE_ENGINES = ("shelter.matching", "shelter.assessment", "shelter.exchange", "shelter.crypto", "shelter.notices.sources",
                "shelter.digital", "shelter.identifiers", "shelter.network", "shelter.exports", "shelter.orgnames", "shelter.publishing")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it, relative imports resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            found.add(base)
            # ``from shelter.notices import triage`` imports the submodule triage.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules() -> dict[str, set[str]]:
    """Every module under shelter/ (migrations aside: they are history) and what it imports."""
    return {
        module_name(path): imported_modules(path)
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
    }


def package_of(module: str) -> str:
    return module.split(".")[1]


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, imports in modules().items():
        if module == "shelter":
            continue  # shelter/__init__.py: the version, nothing else
        source = package_of(module)
        graph.setdefault(source, set())
        for target in imports:
            if target.startswith("shelter.") and package_of(target) != source:
                graph[source].add(package_of(target))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of packages (Tarjan's algorithm), as a path."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def closure(start: str, imports: dict[str, set[str]]) -> set[str]:
    """The shelter modules ``start`` imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        if module in seen or module not in imports:
            continue
        seen.add(module)
        todo.extend(target for target in imports[module] if target.startswith("shelter."))
    return seen


def test_packages_depend_on_each_other_one_way_only():
    assert cycles(package_graph()) == []


def test_the_check_finds_a_cycle_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("engine", PURE_ENGINES)
def test_pure_engines_import_no_django(engine):
    imports = modules()
    engine_modules = [m for m in imports if m == engine or m.startswith(engine + ".")]
    assert engine_modules, f"{engine} has no modules"
    offenders = {
        module: sorted(target for target in imports[module] if target.split(".")[0] == "django")
        for start in engine_modules
        for module in closure(start, imports)
    }
    assert {module: found for module, found in offenders.items() if found} == {}


def test_pure_engines_load_without_django():
    """The same, as Python sees it: importing every pure engine loads no Django module."""
    engines = [m for m in modules() if any(m == e or m.startswith(e + ".") for e in PURE_ENGINES)]
    code = f"import sys\nfor m in {engines!r}: __import__(m)\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
