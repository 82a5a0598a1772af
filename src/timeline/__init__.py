# SPDX-License-Identifier: MIT
"""Event-sourced timelines of contested reports: what was known on any date.

.. versionadded:: 0.1.0
"""

from timeline import views as views  # registers the renderers projections call
from timeline.errors import TimelineError
from timeline.log import Entry, EventLog
from timeline.model.dates import FuzzyDate
from timeline.model.events import Event
from timeline.model.sources import Report, Source

__all__ = [
    "Entry",
    "Event",
    "EventLog",
    "FuzzyDate",
    "Report",
    "Source",
    "TimelineError",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415

        return version("contested-timeline")
    msg = f"module 'timeline' has no attribute {name!r}"
    raise AttributeError(msg)
