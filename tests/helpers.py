"""Small builders shared by the tests."""

import datetime as dt
import itertools
from collections.abc import Iterator

from timeline import FuzzyDate
from timeline.model.sources import Report, Source


def report(outlet: str, published: dt.date, **kwargs: object) -> Report:
    """Return a report by *outlet* published on *published*."""
    return Report(outlet=Source(outlet), published=published, **kwargs)  # type: ignore[arg-type]


def day(text: str) -> FuzzyDate:
    """Return the exact fuzzy date for an ISO day."""
    return FuzzyDate.exact(dt.date.fromisoformat(text))


class FakeClock:
    """A clock that ticks one minute per call, from a fixed aware start."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        first = start or dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
        self._times: Iterator[dt.datetime] = (
            first + dt.timedelta(minutes=i) for i in itertools.count()
        )

    def __call__(self) -> dt.datetime:
        """Return the next minute."""
        return next(self._times)


# Old paths kept for one release (see timeline._moved); nothing imports them.
MOVED = {
    "timeline.dates": "timeline.model.dates",
    "timeline.events": "timeline.model.events",
    "timeline.sources": "timeline.model.sources",
    "timeline.knowledge": "timeline.projections",
    "timeline.records": "timeline.views.records",
    "timeline.html": "timeline.views.html",
    "timeline.plot": "timeline.views.plot",
}
