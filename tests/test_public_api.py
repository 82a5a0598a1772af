import importlib
import pkgutil
import subprocess
import sys

import pytest

import timeline

from .helpers import MOVED

PUBLIC_MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(timeline.__path__, "timeline.")
    if not any(part.startswith("_") for part in name.split(".")) and name not in MOVED
)


def _isort_style(name):
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions.
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_top_level_names():
    """The top level re-exports the nouns most users need, and only those."""
    assert timeline.__all__ == [
        "Entry",
        "Event",
        "EventLog",
        "FuzzyDate",
        "Report",
        "Source",
        "TimelineError",
    ]


@pytest.mark.parametrize("name", ["timeline", *PUBLIC_MODULES])
def test_every_public_module_has_a_sorted_complete_all(name):
    """Each public module lists its public names, sorted, and each exists."""
    module = importlib.import_module(name)
    exported = module.__all__

    assert exported == sorted(exported, key=_isort_style)
    for attribute in exported:
        assert hasattr(module, attribute), f"{name}.{attribute}"


def test_version_comes_from_the_installed_distribution():
    """``timeline.__version__`` is the distribution's version."""
    assert timeline.__version__.count(".") == 2


def test_unknown_attribute_is_an_attribute_error():
    """The module getattr only knows ``__version__``."""
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        timeline.nope  # noqa: B018


def test_importing_timeline_does_not_import_hypothesis():
    """Hypothesis is an extra: only timeline.strategies may need it."""
    code = (
        "import sys, timeline, timeline.projections.knowledge, timeline.stores, "
        "timeline.corpus; "
        "print('hypothesis' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, our own code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"
