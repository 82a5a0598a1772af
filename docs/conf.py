"""Sphinx configuration for the timeline docs."""

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
nitpick_ignore_regex = [
    (r"py:class", r"(datetime|dt|attrs|cattrs|typing|collections\.abc|_?[A-Z]\w*\.)?.*"),
]
html_theme = "furo"
html_title = "timeline"
exclude_patterns = ["_build"]
