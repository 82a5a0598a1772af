# SPDX-License-Identifier: MIT
"""ACLED's export: one happening per event, one claim per source it names.

ACLED gives no date for its sources, only when it last changed the row
(``timestamp``): the row as it stands was public no earlier than that, so
it is the claims' publication, and earlier versions of the row, which the
export does not hold, are not known to the log. The sources ACLED names
(``source``, ``;``-separated) are each the end of one claim's attribution
chain, ACLED being the outlet; ACLED's ``notes`` are the claims' quote,
ACLED's own words.
"""

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from typing import Any

from timeline.importers._table import (
    Batch,
    RowError,
    day,
    estimate,
    one_row_an_event,
    read_table,
    shown,
    text,
    whole,
)
from timeline.model.dates import FuzzyDate
from timeline.model.events import Event
from timeline.model.incidents import Incident
from timeline.model.sources import Report, Source

__all__ = ["ACLED", "COLUMNS", "read_acled"]

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
)
"""The ACLED columns the import reads; the others are ignored."""

ACLED = Source("ACLED", kind="dataset")
"""The outlet of every claim read from ACLED: its published row."""

_WEEK = dt.timedelta(days=6)
_TIME_PRECISION = {
    1: "the day",
    2: "the week (any week holding the day given)",
    3: "the month",
}
_GEO_PRECISION = {
    1: "the named place",
    2: "part of a region, placed at a town near it",
    3: "a larger region, placed at its centre or main town",
}


def read_acled(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Batch:
    """Read an ACLED export (CSV) into claims, appending nothing.

    Each event is one happening, ``acled-<event_id_cnty>``. Each source the
    row names makes one `timeline.model.incidents.Incident` claim by ACLED
    citing that source, published at the row's ``timestamp`` (when ACLED
    last changed it, in UTC); a row naming none makes one claim by ACLED.
    *when* is ``event_date`` read with ``time_precision``: the day (1), any
    week holding it (2: six days either side, since the day ACLED codes for
    a week depends on the codebook's version), or its month (3).
    ``fatalities`` is the low figure of the dead: ACLED records the most
    conservative of its sources' counts.

    Args:
        path: The CSV file, as ACLED exports it (extra columns ignored).
        encoding: The file's text encoding.

    Returns:
        The claims, and the rows that could not become claims, each with its
        row, column and reason.

    Raises:
        InvalidInputError: If the file is not an ACLED table (see
            `timeline.importers`).

    .. versionadded:: 0.2.0
    """
    return read_table(
        path,
        dataset="acled",
        required=COLUMNS,
        read_row=one_row_an_event(_claims, "event_id_cnty"),
        encoding=encoding,
    )


def _claims(row: Mapping[str, str]) -> Sequence[Event]:
    number = text(row["event_id_cnty"])
    if number is None:
        msg = "no id: every ACLED event has one"
        raise RowError(msg, column="event_id_cnty")
    published = _moment(row["timestamp"])
    precision = whole(row["time_precision"], "time_precision")
    if precision not in _TIME_PRECISION:
        msg = f"{shown(row['time_precision'])}: expected 1, 2 or 3"
        raise RowError(msg, column="time_precision")
    facts = _facts(row, _when(day(row["event_date"], "event_date"), precision))
    notes = [
        f"ACLED event {number}",
        f"time precision {precision}: {_TIME_PRECISION[precision]}",
        "fatalities: ACLED's figure, the most conservative of its sources', "
        "kept as the low figure",
    ]
    scale = text(row["source_scale"])
    if scale is not None:
        notes.append(f"scale of the sources: {scale}")
    report = Report(outlet=ACLED, published=published, title=f"ACLED event {number}")
    chains: list[tuple[Source, ...]] = [
        (_source(name),) for name in _split(row["source"])
    ]
    return [
        Incident(
            event_id=f"acled-{number}",
            report=report,
            attribution=chain,
            quote=text(row["notes"]),
            note="; ".join(notes),
            **facts,
        )
        for chain in chains or [()]
    ]


def _moment(cell: str) -> dt.datetime:
    seconds = whole(cell, "timestamp")
    if seconds is None:
        msg = "no timestamp: when ACLED last changed the row is when it is known"
        raise RowError(msg, column="timestamp")
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        msg = f"{shown(cell)} is not a moment in Unix seconds"
        raise RowError(msg, column="timestamp") from None


def _when(on: dt.date, precision: int) -> FuzzyDate:
    if precision == 1:
        return FuzzyDate.exact(on)
    if precision == 2:  # noqa: PLR2004
        if not dt.date.min + _WEEK <= on <= dt.date.max - _WEEK:
            msg = f"a week around {on} falls outside the calendar"
            raise RowError(msg, column="event_date")
        return FuzzyDate.between(on - _WEEK, on + _WEEK)
    return FuzzyDate.month(on.year, on.month)


def _split(cell: str) -> list[str]:
    return [name for part in cell.split(";") if (name := part.strip())]


@functools.cache
def _source(name: str) -> Source:
    return Source(name)


def _facts(row: Mapping[str, str], when: FuzzyDate) -> dict[str, Any]:
    side_a, side_b = text(row["actor1"]), text(row["actor2"])
    actors = [
        name
        for name in (
            side_a,
            *_split(row["assoc_actor_1"]),
            side_b,
            *_split(row["assoc_actor_2"]),
        )
        if name is not None
    ]
    kinds = [text(row["event_type"]), text(row["sub_event_type"])]
    kind = ": ".join(k for k in kinds if k is not None)
    if not kind:
        msg = "no event type"
        raise RowError(msg, column="event_type")
    places: list[str] = []
    for column in ("location", "admin3", "admin2", "admin1"):
        name = text(row[column])
        if name is not None and name not in places:
            places.append(name)
    latitude, longitude = text(row["latitude"]), text(row["longitude"])
    geo = whole(row["geo_precision"], "geo_precision")
    return {
        "when": when,
        "kind": kind,
        "side_a": side_a,
        "side_b": side_b,
        "actors": tuple(dict.fromkeys(actors)),
        "deaths": estimate(low=whole(row["fatalities"], "fatalities")),
        "where": ", ".join(places) or None,
        "country": text(row["country"]),
        "coordinates": (
            None
            if latitude is None or longitude is None
            else f"POINT ({longitude} {latitude})"
        ),
        "place_precision": (
            None
            if geo is None
            else f"geo_precision {geo}: {_GEO_PRECISION.get(geo, '?')}"
        ),
    }
