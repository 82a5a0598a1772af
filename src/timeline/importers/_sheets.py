# SPDX-License-Identifier: MIT
"""Claim sheets: one row per claim, as an analyst encodes an article in a spreadsheet.

The columns are the claim's provenance (``event_id``, ``type``, ``outlet``,
``published``, ``date_phrase``, ``attribution``, ``quote``...) and then the
fields of its type, named as the type names them; an `Estimate` field takes
three columns, ``<field>_low``, ``<field>_best`` and ``<field>_high``.
`sheet_columns` lists them for some types, which is what
``timeline sheet-template`` writes.
"""

import csv
import datetime as dt
import enum
import importlib
import os
import types
import typing
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from timeline.errors import (
    InvalidEntryError,
    InvalidInputError,
    MissingExtraError,
    TimelineError,
)
from timeline.importers._table import (
    Batch,
    RowError,
    day,
    estimate,
    read_rows,
    read_table,
    shown,
    text,
    whole,
)
from timeline.model.dates import FuzzyDate
from timeline.model.events import (
    Estimate,
    Event,
    Role,
    event_type_for,
    registered_event_types,
)
from timeline.model.sources import Credibility, Hedge, Reliability, Report, Source

__all__ = ["COMMON", "read_sheet", "sheet_columns", "write_sheet_template"]

COMMON = (
    "event_id",
    "type",
    "outlet",
    "published",
    "date_phrase",
    "attribution",
    "quote",
    "title",
    "url",
    "language",
    "where",
    "actors",
    "reliability",
    "credibility",
    "hedge",
    "note",
)
"""The columns every sheet has, whatever types it holds, in order."""

REQUIRED = ("event_id", "type", "outlet", "published")
"""The columns a sheet must have."""

_CHAIN = ">"  # "TASS > Russian Ministry of Defence": outermost first.
_LIST = ";"  # "ISIS; Russia"
_FIGURES = ("low", "best", "high")
# Fields a sheet fills from its common columns, not from a column each.
_PROVENANCE = frozenset(
    {"event_id", "report", "when", "attribution", "quote", "where", "actors"}
    | {"reliability", "credibility", "hedge", "note"}
)


def _optional(annotation: object) -> tuple[object, bool]:
    # (the type, whether None is allowed) of ``X | None`` or ``X``.
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and (
        type(None) in arguments
    ):
        rest = [argument for argument in arguments if argument is not type(None)]
        return (rest[0] if len(rest) == 1 else annotation), True
    return annotation, False


_CELLS = {str: 1, int: 1, bool: 1, tuple[str, ...]: 1, Estimate: 3}
_BOOLEANS = {"true": True, "false": False}


def _own_fields(cls: type[Event]) -> list[tuple[str, object, bool]]:
    # The type's own fields: (name, type, required), refused when a sheet
    # cannot hold one.
    hints = typing.get_type_hints(cls)
    found: list[tuple[str, object, bool]] = []
    for field in attrs.fields(cls):
        if field.name in _PROVENANCE:
            continue
        kind, optional = _optional(hints[field.name])
        if kind not in _CELLS:
            msg = (
                f"{cls.event_type}: a sheet cannot hold its field {field.name} "
                f"({hints[field.name]}): only text, whole numbers, true or false, "
                "lists of text and estimates"
            )
            raise InvalidInputError(msg)
        required = field.default is attrs.NOTHING and not optional
        found.append((field.name, kind, required))
    return found


def _columns_of(name: str, kind: object) -> list[str]:
    if kind is Estimate:
        return [f"{name}_{figure}" for figure in _FIGURES]
    return [name]


def sheet_columns(*event_types: str) -> tuple[str, ...]:
    """Return the columns of a claim sheet for claims of *event_types*.

    The common columns (``event_id``, ``type``, ``outlet``, ``published``,
    ``date_phrase`` ... ``note``), then each type's own fields in the order
    it declares them, each once.

    >>> sheet_columns("death")[-2:]
    ('person', 'cause')

    Raises:
        UnknownEventTypeError: If a type is not registered.
        InvalidInputError: If a type has a field a sheet cannot hold.

    .. versionadded:: 0.2.0
    """
    columns = list(COMMON)
    for tag in event_types:
        for name, kind, _ in _own_fields(event_type_for(tag)):
            columns += [c for c in _columns_of(name, kind) if c not in columns]
    return tuple(columns)


def write_sheet_template(
    path: str | os.PathLike[str], *event_types: str
) -> tuple[str, ...]:
    """Write an empty claim sheet for *event_types* to a new CSV file at *path*.

    Returns:
        The columns written.

    Raises:
        FileExistsError: If *path* exists: a sheet is never overwritten.
        UnknownEventTypeError: If a type is not registered.

    .. versionadded:: 0.2.0
    """
    columns = sheet_columns(*event_types)
    with open(path, "x", encoding="utf-8", newline="") as file:
        csv.writer(file).writerow(columns)
    return columns


def read_sheet(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Batch:
    """Read a claim sheet (CSV, or an ``.xlsx`` workbook) into claims; append nothing.

    Each row is one claim of the type its ``type`` column names (an
    ``event_type`` tag, such as ``death``). ``published`` is the report's
    day (``YYYY-MM-DD``) or an aware time; ``date_phrase`` is the date as
    the article words it ("on Saturday", "earlier this month", or an EDTF
    date), read with `timeline.FuzzyDate.parse` against the publication day
    and kept; ``attribution`` is the chain the article gives, outermost
    first, separated by ``>``; ``actors`` and other lists are separated by
    ``;``. A yes-or-no field (``bool``) is ``true`` or ``false``, in any
    case (a spreadsheet writes ``TRUE``). A value in a column the row's
    type does not have is an error, never dropped.

    A sheet is a set of rows, typed in any order: its claims are in the
    order of their publication days, rows of one day in row order, and a
    response (a denial, say) comes after the first row that reports the
    happening it answers, wherever that row is. A response to a happening
    no row reports is left for `Batch.append_to`, which appends it if the
    log holds that happening and otherwise rejects its row.

    A workbook (a file whose name ends in ``.xlsx``) is read from its first
    sheet with openpyxl, the ``contested-timeline[xlsx]`` extra; its rows are
    numbered as the spreadsheet numbers them, and a cell holding a date is
    that day (with a time of day, a time without a zone, which
    ``published`` refuses). *encoding* is for CSV only.

    Returns:
        The claims, and the rows that could not become claims, each with its
        row, column and reason.

    Raises:
        InvalidInputError: If the file is not a table (or not a workbook),
            lacks ``event_id``, ``type``, ``outlet`` or ``published``, or
            has a column no registered type has.
        MissingExtraError: If the file is a workbook and openpyxl is missing.

    .. versionadded:: 0.2.0
    """
    known = set(COMMON)
    for cls in registered_event_types().values():
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            kind, _ = _optional(hints[field.name])
            known.update(_columns_of(field.name, kind))
    if os.fspath(path).lower().endswith(".xlsx"):
        batch = _read_workbook(path)
    else:
        batch = read_table(
            path, dataset="sheet", required=REQUIRED, read_row=_claim, encoding=encoding
        )
    unknown = [column for column in batch.header if column not in known]
    if unknown:
        msg = (
            f"{batch.source}: no event type has the column"
            f"{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; put remarks "
            "in note (see timeline sheet-template for a type's columns); if an "
            "event type declared in your own module has them, register it "
            "first: import the module, or on the command line name it before "
            "the command (timeline --types MODULE import sheet ...)"
        )
        raise InvalidInputError(msg)
    return _in_publication_order(batch)


def _in_publication_order(batch: Batch) -> Batch:
    # The rows by publication day, stable on row order; then a response
    # after the row that reports its happening (see Batch.settled). A
    # happening no row reports may be in the log: left for append_to.
    order = sorted(
        range(len(batch.claims)),
        key=lambda index: batch.claims[index].report.published_day,
    )
    ordered = attrs.evolve(
        batch,
        claims=[batch.claims[index] for index in order],
        origins=[batch.origins[index] for index in order],
    )
    return ordered.settled(_Elsewhere(ordered.claims))


class _Elsewhere:
    """The happenings no claim of a sheet reports: perhaps in the log.

    Responses are not counted: a denial names the happening it answers,
    which must be reported by a claim, in the sheet or in the log.
    """

    def __init__(self, claims: Sequence[Event]) -> None:
        self._reported = {
            claim.event_id for claim in claims if claim.role is Role.CLAIM
        }

    def __contains__(self, event_id: object) -> bool:
        return event_id not in self._reported


def _claim(row: Mapping[str, str]) -> Sequence[Event]:
    tag = text(row["type"])
    if tag is None:
        msg = "no type: name the claim's event type, such as death or attack"
        raise RowError(msg, column="type")
    try:
        cls = event_type_for(tag)
    except TimelineError as error:
        raise RowError(str(error), column="type") from None
    report = _report(row)
    values: dict[str, Any] = {
        "event_id": row["event_id"],
        "report": report,
        "when": _when(report, row),
        "attribution": [_source(n) for n in _chain(row.get("attribution"))],
        "quote": text(row.get("quote") or ""),
        "where": text(row.get("where") or ""),
        "actors": _split(row.get("actors"), _LIST),
        "reliability": _enum(row, "reliability", Reliability, str.upper),
        "credibility": _enum(row, "credibility", Credibility, int),
        "hedge": _enum(row, "hedge", Hedge, str.lower),
        "note": text(row.get("note") or ""),
    }
    own = _own_fields(cls)
    used = set(COMMON)
    for name, kind, required in own:
        used.update(_columns_of(name, kind))
        value = _value(row, name, kind)
        if value is None and required:
            msg = f"{tag} needs a {name}"
            raise RowError(msg, column=name)
        if value is not None:
            values[name] = value
    stray = [c for c, cell in row.items() if c not in used and cell.strip()]
    if stray:
        msg = f"{tag} has no field {stray[0]}: leave it empty, or choose another type"
        raise RowError(msg, column=stray[0])
    if not str(values["event_id"]).strip():
        msg = "no event_id: name the happening, the same for every claim about it"
        raise RowError(msg, column="event_id")
    try:
        return [cls(**values)]
    except (TimelineError, TypeError, ValueError) as error:
        raise RowError(str(error), column=None) from None


def _report(row: Mapping[str, str]) -> Report:
    outlet = text(row["outlet"])
    if outlet is None:
        msg = "no outlet: who published the report"
        raise RowError(msg, column="outlet")
    cell = row["published"].strip()
    published: dt.date | dt.datetime
    if len(cell) > len("YYYY-MM-DD"):
        try:
            published = dt.datetime.fromisoformat(cell)
        except ValueError:
            msg = f"{shown(cell)} is not a day or a time: expected YYYY-MM-DD"
            raise RowError(msg, column="published") from None
        if published.tzinfo is None:
            msg = (
                f"{shown(cell)} has no time zone: give one (+00:00) or the day "
                "alone; timeline never guesses a zone"
            )
            raise RowError(msg, column="published")
    else:
        published = day(cell, "published")
    report = Report(
        outlet=_source(outlet),
        published=published,
        title=text(row.get("title") or ""),
        url=text(row.get("url") or ""),
    )
    language = text(row.get("language") or "")
    if language is None:
        return report
    try:
        return attrs.evolve(report, language=language)
    except InvalidEntryError as error:
        raise RowError(str(error), column="language") from None


def _when(report: Report, row: Mapping[str, str]) -> FuzzyDate | None:
    phrase = text(row.get("date_phrase") or "")
    if phrase is None:
        return None
    try:
        return FuzzyDate.parse(
            phrase, anchor=report.published_day, language=report.language
        )
    except TimelineError as error:
        reason = str(error)
        if report.language is None and "no rule reads" in reason:
            reason += "; a report in another language names it in the column language"
        raise RowError(reason, column="date_phrase") from None


def _source(name: str) -> Source:
    return Source(name)


def _chain(cell: str | None) -> list[str]:
    # A chain names every link: "TASS > > MoD" or "> >" lost one to a typo.
    if not (cell or "").strip():
        return []
    names = [item.strip() for item in (cell or "").split(_CHAIN)]
    if not all(names):
        msg = f"{shown(cell or '')}: a name is missing between the '{_CHAIN}' signs"
        raise RowError(msg, column="attribution")
    return names


def _split(cell: str | None, separator: str) -> list[str]:
    return [part for item in (cell or "").split(separator) if (part := item.strip())]


def _enum(row: Mapping[str, str], column: str, kind: type[enum.Enum], read: Any) -> Any:
    cell = text(row.get(column) or "")
    if cell is None:
        return None
    try:
        return kind(read(cell))
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        msg = f"{shown(cell)}: expected one of {allowed}"
        raise RowError(msg, column=column) from None


def _value(row: Mapping[str, str], name: str, kind: object) -> object:
    if kind is Estimate:
        figures = [
            whole(row.get(f"{name}_{figure}") or "", f"{name}_{figure}")
            for figure in _FIGURES
        ]
        return estimate(*figures)
    cell = row.get(name) or ""
    if kind is int:
        return whole(cell, name)
    if kind is bool:
        found = text(cell)
        if found is None:
            return None
        if found.lower() not in _BOOLEANS:
            msg = f"{shown(found)}: expected true or false"
            raise RowError(msg, column=name)
        return _BOOLEANS[found.lower()]
    if kind == tuple[str, ...]:
        return tuple(_split(cell, _LIST)) or None
    return text(cell)


def _read_workbook(path: str | os.PathLike[str]) -> Batch:
    try:
        openpyxl: Any = importlib.import_module("openpyxl")
    except ImportError as error:
        msg = (
            "reading .xlsx needs openpyxl: pip install 'contested-timeline[xlsx]', "
            "or save the sheet as CSV"
        )
        raise MissingExtraError(msg) from error
    name = os.fspath(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        msg = f"{name}: not an .xlsx workbook ({error})"
        raise InvalidInputError(msg) from None
    try:
        sheet = workbook.worksheets[0]
        rows = (
            (number, [_cell_text(cell) for cell in cells])
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1)
        )
        return read_rows(
            name, rows, dataset="sheet", required=REQUIRED, read_row=_claim
        )
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    # A cell as the CSV of the same sheet would hold it.
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)  # A whole number is read back as an int, so "65", not "65.0".
