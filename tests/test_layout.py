"""The house's layout: layers that import only downwards, and no import circle.

The same walk as the project's layout hook: every import counts, at the top,
inside functions and under ``if TYPE_CHECKING:``.
"""

import ast
import importlib
import warnings
from pathlib import Path

import pytest

import timeline

from .helpers import MOVED

SRC = Path(timeline.__file__).parent

# Bottom to top: a module may import its own layer and those below it.
LAYERS = (
    ("timeline.errors", "timeline._gc", "timeline._moved"),
    ("timeline.model",),
    ("timeline.projections",),
    ("timeline.serialization",),
    ("timeline.stores",),
    ("timeline.log",),
    ("timeline.views",),
    ("timeline.corpus", "timeline.strategies", "timeline.importers"),
    (
        "timeline.cli",
        "timeline._cli_data",
        "timeline._progress",
        "timeline.__main__",
        "timeline",
    ),
)


def _modules():
    found = {}
    for path in SRC.rglob("*.py"):
        parts = ("timeline", *path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name, source, modules, *, package):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for imported in targets:
            target = imported
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # A module's own package is its parent, not a dependency.
            if target and target != name and not name.startswith(target + "."):
                yield target


def _edges():
    modules = _modules()
    return {
        name: set(
            _imports(
                name,
                path.read_text(encoding="utf-8"),
                modules,
                package=name if path.name == "__init__.py" else name.rpartition(".")[0],
            )
        )
        for name, path in modules.items()
    }


def _layer(name):
    for level, layer in enumerate(LAYERS):
        for top in layer:
            if name == top or (top != "timeline" and name.startswith(top + ".")):
                return level
    if name in MOVED:
        return len(LAYERS)
    pytest.fail(f"{name} belongs to no layer: add it to LAYERS and docs/design.md")


def test_every_import_goes_down_or_stays_in_its_layer():
    """No module imports a layer above its own."""
    upward = [
        f"{name} -> {target}"
        for name, targets in sorted(_edges().items())
        for target in sorted(targets)
        if _layer(target) > _layer(name)
    ]
    assert upward == []


def _in_circles(edges):
    # Every module that reaches itself through the edges.
    found = []
    for start in sorted(edges):
        seen: set[str] = set()
        stack = [start]
        while stack:
            for target in edges[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        if start in seen:
            found.append(start)
    return found


def test_there_is_no_import_circle():
    """No module reaches itself through imports, within a layer or across."""
    assert _in_circles(_edges()) == []


def test_the_circle_finder_finds_circles():
    """The check is not blind: a circle through three modules is found."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _in_circles(edges) == ["a", "b", "c"]


def test_the_walk_sees_imports_inside_functions():
    """The check is not blind: an import in a function body is an edge."""
    source = "def f():\n    from timeline.views import html\n"
    modules = {"timeline.projections.knowledge": None, "timeline.views.html": None}
    found = _imports(
        "timeline.projections.knowledge",
        source,
        modules,
        package="timeline.projections",
    )
    assert list(found) == ["timeline.views.html"]


def test_no_module_is_over_900_lines():
    """One concept a module: none grows past 900 lines."""
    long = {
        name: count
        for name, path in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 900
    }
    assert long == {}


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_old_paths_still_work_with_a_deprecation_warning(old, new):
    """A documented name imported from its old module is the same object."""
    module = importlib.import_module(new)
    name = module.__all__[0]
    with pytest.warns(DeprecationWarning, match=f"import {name} from {new}"):
        value = getattr(importlib.import_module(old), name)
    assert value is getattr(module, name)


def test_old_paths_refuse_names_they_never_had():
    """An unknown name from an old path is an AttributeError, with no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match=r"'timeline\.events' has no attr"):
            importlib.import_module("timeline.events").nope  # noqa: B018
