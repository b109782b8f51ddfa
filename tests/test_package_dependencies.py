"""The packages under shelter/ depend on each other one way only: no import cycle between them (a
deferred import counts too), records never imports screening, and the matcher stays free of Django."""

import ast
from pathlib import Path

import shelter

ROOT = Path(shelter.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it, as an absolute dotted name."""
    package = ["shelter", *path.relative_to(ROOT).parent.parts]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def package_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def dependencies() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        own = package_of(path)
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "shelter" and len(parts) > 1 and parts[1] != own and (ROOT / parts[1]).is_dir():
                graph.setdefault(own, set()).add(parts[1])
    return graph


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path start → … → start, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        package, path = stack.pop()
        for following in sorted(graph.get(package, ())):
            if following == start:
                return [*path, start]
            if following not in seen:
                seen.add(following)
                stack.append((following, [*path, following]))
    return None


def test_no_package_imports_another_in_a_cycle():
    graph = dependencies()
    assert [cycle for package in sorted(graph) if (cycle := cycle_through(graph, package))] == []


def test_records_never_imports_screening():
    assert "screening" not in dependencies().get("records", set())


def test_the_matcher_imports_no_django():
    for path in (ROOT / "matching").rglob("*.py"):
        assert not any(m == "django" or m.startswith("django.") for m in imported_modules(path)), path
