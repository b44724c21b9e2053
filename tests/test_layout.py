"""builder/ has no import cycles, counting imports inside functions too (a lazy import only hides a
cycle; the developers' guide asks for none)."""

from __future__ import annotations

import ast
from pathlib import Path

BUILDER = Path(__file__).resolve().parent.parent / "builder"


def import_graph() -> dict[str, set[str]]:
    modules = {}
    for path in BUILDER.rglob("*.py"):
        parts = path.relative_to(BUILDER.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    if f"{target}.{alias.name}" in modules:
                        deps.add(f"{target}.{alias.name}")
                    elif target in modules:
                        deps.add(target)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in modules}
        graph[name] = deps - {name} - {p for p in deps if name.startswith(p + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()

    def walk(node: str, stack: list[str], seen: set[str]) -> None:
        for dep in graph.get(node, ()):
            if dep in stack:
                found.add(tuple(stack[stack.index(dep) :]))
            elif dep not in seen:
                seen.add(dep)
                walk(dep, [*stack, dep], seen)

    for start in graph:
        walk(start, [start], {start})
    return found


def test_cycle_finder_sees_a_lazy_cycle():
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == {("a", "b"), ("b", "a")}


def test_builder_has_no_import_cycles():
    graph = import_graph()
    assert "builder.render" in graph and "builder.scenario_render" in graph["builder.markdown_ext"]
    assert cycles(graph) == set()
