# SPDX-License-Identifier: MIT
"""A gazetteer, read from CSV into the analyst's `Within` entries.

Public as `timeline.serialization.read_gazetteer`.
"""

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from timeline.errors import InvalidEntryError
from timeline.model.events import Within
from timeline.model.relations import folded
from timeline.model.sources import Report

_HEADER = ("name", "parent", "aliases")


def read_gazetteer(
    source: str | os.PathLike[str] | Iterable[str],
    *,
    report: Report,
    id_prefix: str = "place:",
) -> list[Within]:
    """Return the `Within` entries a gazetteer states, to append to a log.

    A gazetteer is CSV with the columns ``name``, ``parent`` and
    ``aliases`` (a header row naming them is optional): each row says that
    the place *name* lies within *parent* (left empty for a place within
    nothing the gazetteer knows), and that each of *aliases*, separated by
    ``;``, is another name of it. A row becomes a ``Within(name, parent)``;
    an alias becomes two, the alias within the name and the name within the
    alias, which is how `timeline.model.places.Places` reads one place
    under two names. Every entry has *report* as its knowledge time, and
    the id *id_prefix* followed by the row's name, so that it can be
    revoked or voided like any analyst entry.

    >>> from timeline import Report, Source
    >>> import datetime as dt
    >>> rows = ["name,parent,aliases", "Palmyra,Homs province,Tadmur;Tadmor"]
    >>> gazetteer = Report(outlet=Source("GeoNames"), published=dt.date(2017, 1, 1))
    >>> for entry in read_gazetteer(rows, report=gazetteer):
    ...     print(entry.event_id, "|", entry.place, "within", entry.within)
    place:Palmyra | Palmyra within Homs province
    place:Palmyra | Tadmur within Palmyra
    place:Palmyra | Palmyra within Tadmur
    place:Palmyra | Tadmor within Palmyra
    place:Palmyra | Palmyra within Tadmor

    Args:
        source: A CSV file's path, or its lines.
        report: Where the gazetteer comes from, and when it was published:
            its entries count from that day on.
        id_prefix: Put before each row's name to make its entries' id.

    Raises:
        InvalidEntryError: If a row has no name, more than three columns, or
            a place within itself; the message names the line.
        OSError: If *source* is a path that cannot be read.

    .. versionadded:: 0.2.0
    """
    if isinstance(source, str | os.PathLike):
        lines: Iterable[str] = io.StringIO(Path(source).read_text(encoding="utf-8-sig"))
        where = str(source)
    else:
        lines, where = source, "gazetteer"
    found: list[Within] = []
    for number, row in enumerate(csv.reader(lines), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (
            number == 1 and tuple(cell.casefold() for cell in cells) == _HEADER
        ):
            continue
        if len(cells) > len(_HEADER):
            msg = f"{where} line {number}: expected name, parent, aliases: {row!r}"
            raise InvalidEntryError(msg)
        name, parent, aliases = (*cells, "", "")[:3]
        if not name:
            msg = f"{where} line {number}: a row needs the place's name: {row!r}"
            raise InvalidEntryError(msg)
        event_id = f"{id_prefix}{name}"
        pairs = [(name, parent)] if parent else []
        for alias in filter(None, (alias.strip() for alias in aliases.split(";"))):
            pairs += [(alias, name), (name, alias)]
        for place, broader in pairs:
            if folded(place) == folded(broader):
                msg = f"{where} line {number}: {place!r} cannot lie within itself"
                raise InvalidEntryError(msg)
            found.append(
                Within(event_id=event_id, place=place, within=broader, report=report)
            )
    return found
