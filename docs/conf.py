"""Sphinx configuration for the timeline docs."""

import importlib
import re
from pathlib import Path

import sphinx.ext.napoleon

project = "timeline"
author = "The timeline developers"
copyright = "2026, The timeline developers"  # noqa: A001

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
default_role = "any"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = True
# No intersphinx (CI has no network), so names from the standard library and
# third-party packages cannot resolve; everything of timeline's own must.
_EXTERNAL = (
    r"(collections\.abc|datetime|enum|fcntl|os|pathlib|sqlite3)"
    r"|cattrs(\.\w+)*|hypothesis(\.\w+)*"
)
nitpick_ignore_regex = [
    (r"py:(class|exc|func|meth|attr|obj)|any", rf"({_EXTERNAL})\.[\w.]+"),
    # strategies.py raises Hypothesis's InvalidArgument, named as Hypothesis does.
    (r"py:exc", r"InvalidArgument"),
]
html_theme = "furo"
html_title = "timeline"
exclude_patterns = ["_build"]

# `timeline` and `timeline.projections` re-export names; each is documented
# once, in its own module, and the path users import (`timeline.EventLog`,
# `timeline.projections.Knowledge`) links there.
_MODULES = {
    "timeline": [
        "timeline.model.dates",
        "timeline.errors",
        "timeline.model.events",
        "timeline.log",
        "timeline.model.sources",
    ],
    "timeline.projections": [
        "timeline.projections.fields",
        "timeline.projections.happening",
        "timeline.projections.knowledge",
        "timeline.projections.chronology",
        "timeline.projections.entities",
        "timeline.projections.provenance",
        "timeline.projections.fold",
        "timeline.projections.index",
        "timeline.projections.comparison",
        "timeline.projections.evolution",
    ],
}


def _home(package: str, name: str) -> str:
    obj = getattr(importlib.import_module(package), name)
    for module_name in _MODULES[package]:
        module = importlib.import_module(module_name)
        if name in module.__all__ and getattr(module, name) is obj:
            return f"{module_name}.{name}"
    msg = f"{package}.{name} is documented in none of {_MODULES[package]}"
    raise LookupError(msg)


_ALIASES = {
    f"{package}.{name}": _home(package, name)
    for package in _MODULES
    for name in importlib.import_module(package).__all__
}


def _resolve_reexport(app, env, node, contnode):
    target = node.get("reftarget", "")
    alias = next(
        (a for a in _ALIASES if target == a or target.startswith(f"{a}.")), None
    )
    if alias is None or node.get("refdomain") not in ("py", "", None):
        return None
    canonical = _ALIASES[alias] + target[len(alias) :]
    python = env.get_domain("py")
    if node.get("reftype") == "any":
        found = python.resolve_any_xref(
            env, node["refdoc"], app.builder, canonical, node, contnode
        )
        return found[0][1] if found else None
    return python.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], canonical, node, contnode
    )


def _public_bases(app, name, obj, options, bases):
    # A class deriving from a private base (events._Response, or a class of
    # a private module such as stores._records) shows the public classes
    # that base derives from instead.
    for index, base in reversed(list(enumerate(bases))):
        parts = [*base.__module__.split("."), base.__name__]
        if any(part.startswith("_") for part in parts[1:]):
            bases[index : index + 1] = (
                _public_bases(app, name, base, options, [*base.__bases__]) or []
            )
    return bases


class _ProseDocstring(sphinx.ext.napoleon.GoogleDocstring):
    """Google docstrings without types in prose: annotations give the types.

    Napoleon reads the first line of an attribute's docstring, and of a
    Returns section, as "type: description", so "Return who makes the
    claim: the end of the chain" would get the type "Return who makes the
    claim". timeline never writes types there.
    """

    def _parse_attribute_docstring(self):
        return self._format_field("", "", self._consume_to_end())

    def _consume_returns_section(self, preprocess_types=False):
        lines = self._dedent(self._consume_to_next_section())
        return [("", "", self.__class__(lines, self._config).lines())] if lines else []


sphinx.ext.napoleon.GoogleDocstring = _ProseDocstring


_CHANGELOG_D = Path(__file__).parent.parent / "changelog.d"
_UNRELEASED = (
    "<!-- unreleased changes: read from changelog.d/ when the docs are built -->"
)
_LITERAL = re.compile(r"(?<!`)`([^`]+)`(?!`)")


def _fragment(path):
    # One list item per fragment; names as literals, since a fragment may
    # name something a later change removed.
    text = _LITERAL.sub(r"``\1``", path.read_text(encoding="utf-8").strip())
    lines = [*text.splitlines(), f"({path.name})"]
    return "- " + "\n  ".join(lines)


def _issue(path):
    head = path.name.split(".", 1)[0]
    return (int(head) if head.isdigit() else 0, path.name)


def _unreleased(app, docname, source):
    # The changelog page lists the fragments in changelog.d/, not yet released.
    if docname == "changelog":
        paths = sorted(_CHANGELOG_D.glob("*.md"), key=_issue)
        text = "\n".join(_fragment(path) for path in paths) or "Nothing yet."
        source[0] = source[0].replace(_UNRELEASED, text)


def setup(app):
    """Connect the hooks above."""
    app.connect("source-read", _unreleased)
    app.connect("missing-reference", _resolve_reexport)
    app.connect("autodoc-process-bases", _public_bases)
