# SPDX-License-Identifier: MIT
"""UCDP's Georeferenced Event Dataset: one happening per event, a claim per source.

The columns and their meanings are those of the GED codebook (version 23.1).
Each source the event lists (``source_office``, ``source_date`` and
``source_headline``, ``;``-separated, in step) makes one `Incident` claim,
published on that source's date: what was known on a day follows the
sources. A source without a date is known from the dataset's release,
reported by UCDP citing it. The facts of every claim are UCDP's coding of
the event, which no source of it states alone; the note of each claim says
so.
"""

import csv
import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from typing import Any

from timeline.errors import InvalidInputError
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
from timeline.model.dates import FuzzyDate, Precision
from timeline.model.events import Event
from timeline.model.incidents import Incident
from timeline.model.sources import Report, Source

__all__ = ["COLUMNS", "UCDP", "read_ucdp_ged"]

COLUMNS = (
    "id",
    "relid",
    "type_of_violence",
    "conflict_name",
    "side_a",
    "side_b",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "country",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
)
"""The GED columns the import reads; the other columns of the release are
ignored (``latitude``, ``longitude`` and ``geom_wkt`` are read when present)."""

UCDP = Source("UCDP", kind="dataset")
"""The outlet of claims known only from the dataset's release."""

_VIOLENCE = {
    1: "state-based conflict",
    2: "non-state conflict",
    3: "one-sided violence",
}
# date_prec: how precisely the event's date is known (codebook 23.1).
_DATE_PRECISION = {
    1: Precision.DAY,  # the exact day
    2: Precision.DAY,  # a range of 2 to 6 days
    3: Precision.DAY,  # the week
    4: Precision.MONTH,  # 8 to 30 days, or the month
    5: Precision.YEAR,  # more than a month, at most a year
}
_PLACE_PRECISION = {
    1: "exact location",
    2: "within about 25 km of a known point",
    3: "second-order administrative division",
    4: "first-order administrative division",
    5: "a larger area or a linear feature, within the country",
    6: "only the country",
    7: "international waters or airspace",
}
_CLARITY = {1: "high clarity", 2: "lower clarity (an aggregate of reports)"}


def read_ucdp_ged(
    path: str | os.PathLike[str],
    *,
    released: dt.date | None = None,
    encoding: str = "utf-8",
) -> Batch:
    """Read a GED CSV file (the release's columns) into claims, appending nothing.

    Each event is one happening, ``ucdp-<id>``. Each of its sources makes
    one `timeline.model.incidents.Incident` claim: the source's office is the outlet,
    its date the day of publication, its headline the title. The claim's
    facts are the event as UCDP coded it: *when* from ``date_start``,
    ``date_end`` and ``date_prec``; the place; the sides; the dead by side
    and in all (``low``, ``best`` and ``high``, kept as given when out of
    order, and so marked inconsistent). An event with no dated source is
    claimed by UCDP on *released*.

    Args:
        path: The CSV file, as UCDP releases it (extra columns are
            ignored, numbers may be written ``12.0``).
        released: The day the dataset's version was released: when events
            with no dated source became known. Needed only if there are any.
        encoding: The file's text encoding.

    Returns:
        The claims and the rows that could not become claims (no id, an
        impossible date, a count that is not a whole number...), each
        with its row, column and reason.

    Raises:
        InvalidInputError: If the file is not a GED table (not text in
            *encoding*, a required column missing, a line or value far too
            long: see `timeline.importers`), or some events have no dated
            source and *released* is not given.

    .. versionadded:: 0.2.0
    """
    undated: list[str] = []
    read_row = one_row_an_event(
        functools.partial(_claims, released=released, undated=undated), "id"
    )
    batch = read_table(
        path, dataset="ucdp-ged", required=COLUMNS, read_row=read_row, encoding=encoding
    )
    if undated and released is None:
        msg = (
            f"{batch.source}: {len(undated)} events have no dated source (the first: "
            f"{undated[0]}), and are known from the dataset's release: give the day "
            "it was released (released=, or --released DATE)"
        )
        raise InvalidInputError(msg)
    return batch


_PLACEHOLDER = dt.date(1, 1, 1)  # Stands for a missing release day while counting.


def _claims(
    row: Mapping[str, str], *, released: dt.date | None, undated: list[str]
) -> Sequence[Event]:
    number = whole(row["id"], "id")
    if number is None:
        msg = "no id: every GED event has one"
        raise RowError(msg, column="id")
    event_id = f"ucdp-{number}"
    facts = _facts(row)
    offices = _split(row["source_office"])
    dates = _split(row["source_date"])
    headlines = _split(row["source_headline"])
    notes = [_about(row, number)]
    if not any(dates):
        undated.append(event_id)
        published = released or _PLACEHOLDER
        named = [office for office in offices if office]
        attribution = (_source(named[0]),) if len(named) == 1 else ()
        if len(named) > 1:
            notes.append(f"sources named, undated: {'; '.join(named)}")
        original = text(row["source_original"])
        if original is not None:
            notes.append(f"original source: {original}")
        article = text(row["source_article"])
        if article is not None:
            notes.append(f"source article, as UCDP gives it: {article}")
        report = Report(
            outlet=UCDP, published=published, title="UCDP Georeferenced Event Dataset"
        )
        return [
            Incident(
                event_id=event_id,
                report=report,
                attribution=attribution,
                note="; ".join(notes),
                **facts,
            )
        ]
    if len(offices) != len(dates):
        msg = (
            f"{len(dates)} dates for {len(offices)} source offices "
            f"({shown(row['source_office'])}): they cannot be lined up"
        )
        raise RowError(msg, column="source_date")
    days = [None if not date else day(date, "source_date") for date in dates]
    titles: Sequence[str | None] = headlines
    if len(headlines) != len(dates):
        # A headline holding a ";" itself: the article column quotes each
        # source as "office,date,headline", which tells them apart.
        titles = _titles_from_articles(row["source_article"], dates)
        if not any(titles) and text(row["source_headline"]) is not None:
            notes.append(
                f"headlines, not in step with the sources: {row['source_headline']}"
            )
    original = text(row["source_original"])
    if original is not None and len(dates) > 1:
        notes.append(f"original sources, for all {len(dates)} sources: {original}")
    attribution = (
        (_source(original),) if original is not None and len(dates) == 1 else ()
    )
    note = "; ".join(notes)
    claims: list[Event] = []
    for office, on, title in zip(offices, days, titles, strict=True):
        outlet = _source(office or "unnamed source")
        if on is None:
            undated.append(event_id)
            report = Report(outlet=UCDP, published=released or _PLACEHOLDER)
            chain: tuple[Source, ...] = (outlet, *attribution)
        else:
            report = Report(outlet=outlet, published=on, title=title or None)
            chain = attribution
        claims.append(
            Incident(
                event_id=event_id, report=report, attribution=chain, note=note, **facts
            )
        )
    return claims


def _titles_from_articles(cell: str, dates: Sequence[str]) -> list[str | None]:
    # '"Xinhua,2015-01-21,2 killed";"PNA,2015-01-21,Camps taken; 1 killed"'
    items = next(csv.reader([cell.strip()], delimiter=";"), [])
    if len(items) != len(dates):
        return [None] * len(dates)
    titles: list[str | None] = []
    for item, date in zip(items, dates, strict=True):
        _, found, title = item.partition(f",{date},")
        titles.append(title.strip() or None if found else None)
    return titles


def _split(cell: str) -> list[str]:
    stripped = cell.strip()
    return [part.strip() for part in stripped.split(";")] if stripped else []


@functools.cache
def _source(name: str) -> Source:
    return Source(name)


def _about(row: Mapping[str, str], number: int) -> str:
    parts = [f"UCDP GED event {number}"]
    relid = text(row["relid"])
    if relid is not None:
        parts[0] += f" ({relid})"
    parts.append(
        "the facts are UCDP's coding of the event from all its sources, "
        "not this source's alone"
    )
    clarity = whole(row["event_clarity"], "event_clarity")
    if clarity in _CLARITY:
        parts.append(f"event clarity: {_CLARITY[clarity]}")
    described = text(row["where_description"])
    if described is not None:
        parts.append(f"place as described: {' '.join(described.split())}")
    return "; ".join(parts)


def _facts(row: Mapping[str, str]) -> dict[str, Any]:
    violence = whole(row["type_of_violence"], "type_of_violence")
    if violence not in _VIOLENCE:
        msg = f"{shown(row['type_of_violence'])}: expected 1, 2 or 3"
        raise RowError(msg, column="type_of_violence")
    side_a, side_b = text(row["side_a"]), text(row["side_b"])
    place_code = whole(row["where_prec"], "where_prec")
    return {
        "when": _when(row),
        "kind": _VIOLENCE[violence],
        "side_a": side_a,
        "side_b": side_b,
        "actors": tuple(side for side in (side_a, side_b) if side is not None),
        "conflict_name": text(row["conflict_name"]),
        "deaths": estimate(
            low=whole(row["low"], "low"),
            best=whole(row["best"], "best"),
            high=whole(row["high"], "high"),
        ),
        "deaths_side_a": estimate(best=whole(row["deaths_a"], "deaths_a")),
        "deaths_side_b": estimate(best=whole(row["deaths_b"], "deaths_b")),
        "deaths_civilians": estimate(
            best=whole(row["deaths_civilians"], "deaths_civilians")
        ),
        "deaths_unknown": estimate(best=whole(row["deaths_unknown"], "deaths_unknown")),
        "where": _where(row),
        "country": text(row["country"]),
        "coordinates": _coordinates(row),
        "place_precision": (
            None
            if place_code is None
            else f"where_prec {place_code}: {_PLACE_PRECISION.get(place_code, '?')}"
        ),
    }


def _when(row: Mapping[str, str]) -> FuzzyDate:
    start = day(row["date_start"], "date_start")
    end = day(row["date_end"], "date_end")
    if end < start:
        msg = f"{end} is before date_start {start}"
        raise RowError(msg, column="date_end")
    code = whole(row["date_prec"], "date_prec")
    if code not in _DATE_PRECISION:
        msg = f"{shown(row['date_prec'])}: expected 1 to 5"
        raise RowError(msg, column="date_prec")
    return _fuzzy(start, end, _DATE_PRECISION[code])


@functools.lru_cache(maxsize=4096)
def _fuzzy(start: dt.date, end: dt.date, precision: Precision) -> FuzzyDate:
    return FuzzyDate.between(start, end, precision=precision)


def _where(row: Mapping[str, str]) -> str | None:
    names: list[str] = []
    for column in ("where_coordinates", "adm_2", "adm_1"):
        name = text(row[column])
        if name is not None and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _coordinates(row: Mapping[str, str]) -> str | None:
    wkt = text(row.get("geom_wkt", ""))
    if wkt is not None:
        return wkt
    latitude = text(row.get("latitude", ""))
    longitude = text(row.get("longitude", ""))
    if latitude is None or longitude is None:
        return None
    return f"POINT ({longitude} {latitude})"
