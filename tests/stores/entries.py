"""Entries shared by the file-store tests."""

import datetime as dt

from timeline import Entry
from timeline.events import Death
from timeline.sources import Report

from ..helpers import day, report

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = report("TASS", dt.date(2017, 9, 24))
MT = report("Military Times", dt.date(2017, 10, 4))


def death(seq: int, source: Report = TASS, event_id: str = "asapov-death") -> Entry:
    """Return entry *seq*: a death reported by *source*."""
    event = Death(
        event_id=event_id, report=source, person="Valery Asapov", when=day("2017-09-24")
    )
    return Entry(seq, START, event)
