# SPDX-License-Identifier: MIT
"""Reading tables: CSV rows with their numbers, rejects, and the batch they make.

Everything a format reader shares: a CSV file read as text in a stated
encoding, refused whole (with the line) when it is not a table at all, each
row numbered as a spreadsheet numbers it, and the values in a row turned
into days and counts with a message naming the column when they cannot be.
"""

import codecs
import csv
import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from timeline._gc import collection_paused
from timeline.errors import InvalidInputError, TimelineError
from timeline.log import EventLog
from timeline.model.entry import Entry
from timeline.model.events import Estimate, Event, Role
from timeline.stores import QueryableStore, read_known

MAX_LINE = 1 << 20
"""The longest line a table may hold, in bytes (1 MiB).

A longer one is refused with its number, before it is read whole: a real
row is far shorter, and a file that holds such a line is not the table it
claims to be. A single value is held to Python's csv limit, 128 KiB.
"""

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_WHOLE = re.compile(r"[+]?(\d+)(?:\.0*)?")
_SHOWN = 60
_LISTED = 8  # Columns a message lists before "..."


class RowError(Exception):
    """A value that cannot be read: the column at fault and why."""

    def __init__(self, reason: str, *, column: str | None) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def shown(text: str) -> str:
    """Return *text* quoted for a message, cut to a readable length."""
    if len(text) > _SHOWN:
        return repr(text[: _SHOWN - 1] + "…")
    return repr(text)


def day(text: str, column: str) -> dt.date:
    """Return the ISO day in *text* (a midnight time after it is allowed).

    Raises:
        RowError: If *text* is blank or not a real day.
    """
    found = _day(text)
    if isinstance(found, str):
        raise RowError(found, column=column)
    return found


@functools.lru_cache(maxsize=1 << 16)
def _day(text: str) -> dt.date | str:
    # The day, or why there is none; cached, since datasets repeat days.
    value = text.strip()
    match = _DAY.fullmatch(value)
    if match is None:
        reason = "no date given" if not value else f"{shown(value)} is not a day"
        return f"{reason}: expected YYYY-MM-DD"
    year, month, number = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, number)
    except ValueError as error:
        return f"{shown(value)} is not a day: {error}"


def whole(text: str, column: str) -> int | None:
    """Return the whole number >= 0 in *text*, None for a blank cell.

    ``"12"`` and ``"12.0"`` (how R and pandas write whole numbers) are 12.

    Raises:
        RowError: If *text* is not a whole number >= 0.
    """
    found = _whole(text)
    if isinstance(found, str):
        raise RowError(found, column=column)
    return found


@functools.lru_cache(maxsize=1 << 16)
def _whole(text: str) -> int | str | None:
    # The number, None, or why there is none; cached, since counts repeat.
    value = text.strip()
    if not value or value.upper() in {"NA", "NAN"}:
        return None
    match = _WHOLE.fullmatch(value)
    if match is None:
        reason = (
            "a count cannot be negative"
            if value.startswith("-")
            else "expected a whole number >= 0"
        )
        return f"{shown(value)}: {reason}"
    return int(match.group(1))


def text(value: str) -> str | None:
    """Return *value* without surrounding space, None when blank."""
    stripped = value.strip()
    return stripped or None


@functools.lru_cache(maxsize=1 << 14)
def estimate(
    low: int | None = None, best: int | None = None, high: int | None = None
) -> Estimate | None:
    """Return the estimate of the figures given, None when none is.

    Estimates are values: one is made for each set of figures, and shared.
    """
    if low is None and best is None and high is None:
        return None
    return Estimate(low=low, best=best, high=high)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _events(values: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(values)


@attrs.frozen
class Reject:
    """A row that could not become a claim, and why.

    Args:
        row: The row's number as a spreadsheet shows it: the header is row
            1, the first row of data row 2.
        line: The line of the file the row starts on (a quoted value may
            span lines, so it can differ from *row*).
        column: The column at fault, or None when the row as a whole is.
        reason: What is wrong, in words.
        values: The row's cells as read, to write back to a rejects file.

    .. versionadded:: 0.2.0
    """

    row: int
    line: int
    column: str | None
    reason: str
    values: tuple[str, ...] = attrs.field(repr=False, converter=_strings)

    def __str__(self) -> str:
        where = f"row {self.row}"
        if self.line != self.row:
            where += f" (line {self.line})"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


def _rejects(values: Iterable[Reject]) -> tuple[Reject, ...]:
    return tuple(values)


Origin = tuple[int, int, tuple[str, ...]]
"""Where a claim was read: its row, the line the row starts on, and its cells."""


def _origins(values: Iterable[Origin]) -> tuple[Origin, ...]:
    return tuple(values)


@attrs.frozen
class Batch:
    """What reading a file gave: its claims, and the rows that gave none.

    Nothing is appended anywhere until `append_to` is called, and then all
    of it or nothing.

    Args:
        source: The file read, as it was named.
        dataset: What the file was read as (``"ucdp-ged"``, ``"acled"``,
            ``"sheet"``).
        header: The file's columns, in order.
        rows: How many rows of data the file holds, rejected ones included.
        claims: The claims the rows make, in the order of the rows (a
            claim sheet's in the order `timeline.importers.read_sheet`
            gives).
        rejects: The rows that could not become claims, in file order.
        origins: For each claim, the row it was read from, as ``(row, line,
            cells)``; empty for a batch made by hand, whose claims then
            have no row to reject (see `settled`).
        held: How many claims of the file the log already held, left out
            by `without_held`.

    .. versionadded:: 0.2.0
    .. versionchanged:: 0.2.0
       *origins*, so that a row the log would refuse is a reject; *held*.
    """

    source: str
    dataset: str
    header: tuple[str, ...] = attrs.field(converter=_strings)
    rows: int
    claims: tuple[Event, ...] = attrs.field(converter=_events)
    rejects: tuple[Reject, ...] = attrs.field(converter=_rejects)
    origins: tuple[Origin, ...] = attrs.field(
        default=(), converter=_origins, repr=False
    )
    held: int = 0

    @property
    def happenings(self) -> int:
        """Return how many happenings the claims are about."""
        return len({claim.event_id for claim in self.claims})

    @property
    def inconsistent_estimates(self) -> int:
        """Return how many estimates in the claims have figures out of order."""
        return sum(
            1
            for claim in self.claims
            for value in claim.facts().values()
            if isinstance(value, Estimate) and not value.consistent
        )

    def summary(self) -> dict[str, Any]:
        """Return the counts as a JSON-ready record.

        Keys: ``dataset``, ``file``, ``rows``, ``claims``, ``held`` (claims
        the log already held), ``happenings``, ``rejects`` (how many rows),
        ``inconsistent_estimates`` and ``first_rejects`` (up to ten, each
        with ``row``, ``line``, ``column`` and ``reason``).
        """
        return {
            "dataset": self.dataset,
            "file": self.source,
            "rows": self.rows,
            "claims": len(self.claims),
            "held": self.held,
            "happenings": self.happenings,
            "rejects": len(self.rejects),
            "inconsistent_estimates": self.inconsistent_estimates,
            "first_rejects": [
                {
                    "row": reject.row,
                    "line": reject.line,
                    "column": reject.column,
                    "reason": reject.reason,
                }
                for reject in self.rejects[:10]
            ],
        }

    def refusal(self) -> InvalidInputError | None:
        """Return the error an import without rejects allowed raises, if any."""
        if not self.rejects:
            return None
        first = "; ".join(str(reject) for reject in self.rejects[:3])
        more = len(self.rejects) - 3
        rest = f"; and {more} more" if more > 0 else ""
        count = len(self.rejects)
        rows = "row" if count == 1 else "rows"
        msg = (
            f"{self.source}: {count} {rows} of {self.rows} cannot become claims, "
            f"so nothing was imported: {first}{rest} (to import the rest, write "
            "these to a file with --rejects FILE.csv, or call "
            "append_to(log, partial=True))"
        )
        return InvalidInputError(msg)

    def settled(self, known_ids: Container[str] = frozenset()) -> "Batch":
        """Return the batch in the order a log holding *known_ids* accepts.

        A claim that refers to a happening (a response, such as a denial,
        refers to the happening it answers) goes after the first claim of
        the batch that reports that happening, wherever its row is; the
        others keep their order. A row whose claim refers to a happening
        that neither *known_ids* nor a claim of another row reports is a
        `Reject` naming the column that holds the id, and so is a row
        whose happening only rejected rows report. A claim with no
        *origins* is kept, for the log to refuse.

        Args:
            known_ids: The happenings the log already holds
                (`timeline.EventLog.event_ids`).
        """
        if not any(claim.referenced_event_ids() for claim in self.claims):
            return self  # Nothing refers to anything: the usual dataset.
        return _settle(self, known_ids)

    def without_held(self, log: EventLog) -> "Batch":
        """Return the batch without the claims *log* already holds.

        A claim is held when an entry's event equals it: the same happening,
        report, attribution, words and facts; each entry holds one claim, so
        a file claiming the same thing twice where the log holds it once
        adds it once. Importing a file again, or a
        newer release or export that repeats most of an older one, then
        appends only what is new (an ACLED row changed since is a new report,
        so a new claim). Only the entries about the batch's happenings are
        read: through the database's index of happening ids for a database
        log. *held* counts what was left out.
        """
        ids = {claim.event_id for claim in self.claims}
        if not ids:
            return self
        found: dict[str, list[Event]] = {}
        for entry in _entries_about(log, ids):
            found.setdefault(entry.event.event_id, []).append(entry.event)
        keep = [_unheld(claim, found.get(claim.event_id)) for claim in self.claims]
        if all(keep):
            return self
        return attrs.evolve(
            self,
            claims=[c for c, kept in zip(self.claims, keep, strict=True) if kept],
            origins=[
                origin for origin, kept in zip(self.origins, keep, strict=False) if kept
            ],
            held=self.held + keep.count(False),
        )

    def append_to(self, log: EventLog, *, partial: bool = False) -> tuple[Entry, ...]:
        """Append every claim *log* does not hold in one batch; return the new entries.

        The claims are appended in the order `settled` gives for the log:
        a response after the claim it answers, whatever the order of their
        rows; a row the log would refuse (a response to a happening nobody
        reports) is one more reject. A claim the log already holds is left
        out (see `without_held`), so that importing a file again adds
        nothing.

        Args:
            log: The log to append to.
            partial: Append even though some rows were rejected; without
                it, any reject refuses the whole batch.

        Raises:
            InvalidInputError: If rows were rejected and *partial* is False;
                the message names the first rows, columns and reasons, and
                the log is unchanged.
        """
        refused = None if partial else self.refusal()
        if refused is not None:
            raise refused
        batch = self.fitted(log)
        refused = None if partial else batch.refusal()
        if refused is not None:
            raise refused
        return log.extend(batch.claims)

    def fitted(self, log: EventLog) -> "Batch":
        """Return the batch as it goes into *log*: `settled` for it, `without_held`.

        What `append_to` appends; a program that reports what it did (the
        ``timeline import`` command) asks for it, then appends its claims.
        """
        return self.settled(_LogIds(log)).without_held(log)

    def write_rejects(self, path: str | os.PathLike[str]) -> None:
        """Write the rejected rows to a new CSV file at *path*.

        The file has the input's columns, then ``reject_row``,
        ``reject_line``, ``reject_column`` and ``reject_reason``. An
        existing file is never overwritten.

        Raises:
            FileExistsError: If *path* exists.
        """
        with Path(path).open("x", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(
                [
                    *self.header,
                    "reject_row",
                    "reject_line",
                    "reject_column",
                    "reject_reason",
                ]
            )
            for reject in self.rejects:
                writer.writerow(
                    [
                        *reject.values,
                        reject.row,
                        reject.line,
                        reject.column or "",
                        reject.reason,
                    ]
                )


class _LogIds:
    """A log's happenings, asked for only when a claim refers to one."""

    def __init__(self, log: EventLog) -> None:
        self._log = log
        self._ids: frozenset[str] | None = None

    def __contains__(self, event_id: object) -> bool:
        if self._ids is None:
            self._ids = self._log.event_ids
        return event_id in self._ids


def _unheld(claim: Event, held: list[Event] | None) -> bool:
    # Whether *claim* is none of the *held* events not yet matched; a match
    # is used up.
    if held and claim in held:
        held.remove(claim)
        return False
    return True


def _entries_about(log: EventLog, ids: set[str]) -> Iterable[Entry]:
    # A database answers through its index of happening ids; a log read
    # whole (or in memory) is walked.
    store = log.store
    if isinstance(store, QueryableStore):
        return read_known(store, event_ids=ids)
    return (entry for entry in log.entries() if entry.event.event_id in ids)


def _settle(batch: Batch, known_ids: Container[str]) -> Batch:
    # Units are rows (the claims of one row go in together, or not at all);
    # a unit waits for the first happening it needs that another unit
    # reports, and goes in just after it.
    units = _units(batch)
    reported: dict[str, set[int]] = {}  # happening -> the units reporting it
    for index, (_, claims) in enumerate(units):
        for claim in claims:
            if claim.role is not Role.ANALYST:
                reported.setdefault(claim.event_id, set()).add(index)
    added: set[str] = set()
    waiting: dict[str, list[int]] = {}
    order: list[int] = []

    def missing(index: int) -> list[str]:
        own: set[str] = set()
        needed: list[str] = []
        for claim in units[index][1]:
            needed += [
                event_id
                for event_id in claim.referenced_event_ids()
                if event_id not in added
                and event_id not in own
                and event_id not in known_ids
            ]
            if claim.role is not Role.ANALYST:
                own.add(claim.event_id)
        return needed

    def place(index: int) -> None:
        todo = [index]
        while todo:
            current = todo.pop()
            needed = missing(current)
            if needed and units[current][0] is not None:
                awaited = [
                    event_id
                    for event_id in needed
                    if reported.get(event_id, set()) - {current}
                ]
                if awaited:  # Placed once the row reporting it is.
                    waiting.setdefault(awaited[0], []).append(current)
                continue  # Else nothing will report it: a reject.
            order.append(current)
            for claim in units[current][1]:
                if claim.role is not Role.ANALYST and claim.event_id not in added:
                    added.add(claim.event_id)
                    todo.extend(reversed(waiting.pop(claim.event_id, [])))

    for index in range(len(units)):
        place(index)
    placed = set(order)
    reported_by_rejects = _reported_by_rejects(batch)
    rejects = list(batch.rejects)
    for index, (origin, claims) in enumerate(units):
        if index in placed or origin is None:
            continue
        rejects.append(
            _dangling(origin, claims, missing(index), reported_by_rejects, units)
        )
    rejects.sort(key=lambda reject: reject.row)
    return attrs.evolve(
        batch,
        claims=[claim for index in order for claim in units[index][1]],
        rejects=rejects,
        origins=[
            origin
            for index in order
            for origin in [units[index][0]] * len(units[index][1])
            if origin is not None
        ],
    )


def _units(batch: Batch) -> list[tuple[Origin | None, list[Event]]]:
    # The claims grouped by the row they came from, in order.
    units: list[tuple[Origin | None, list[Event]]] = []
    origins: Sequence[Origin | None] = batch.origins or [None] * len(batch.claims)
    for claim, origin in zip(batch.claims, origins, strict=True):
        if units and origin is not None and units[-1][0] == origin:
            units[-1][1].append(claim)
        else:
            units.append((origin, [claim]))
    return units


def _reported_by_rejects(batch: Batch) -> dict[str, list[int]]:
    # The rows rejected on reading, by the happening they name, when the
    # file has an event_id column.
    if "event_id" not in batch.header:
        return {}
    column = batch.header.index("event_id")
    found: dict[str, list[int]] = {}
    for reject in batch.rejects:
        if column < len(reject.values) and (name := reject.values[column].strip()):
            found.setdefault(name, []).append(reject.row)
    return found


def _dangling(
    origin: Origin,
    claims: Sequence[Event],
    needed: Sequence[str],
    reported_by_rejects: Mapping[str, list[int]],
    units: Sequence[tuple[Origin | None, list[Event]]],
) -> Reject:
    # Why the row cannot go in: the first happening it needs that no one
    # reports, the rejected rows that do, and where that id is in the row.
    row, line, cells = origin
    event_id = needed[0]
    claim = next(c for c in claims if event_id in c.referenced_event_ids())
    rows = list(reported_by_rejects.get(event_id, ()))
    # The rows left out that claim it (a row placed would have added it).
    rows += [
        unit[0][0]
        for unit in units
        if unit[0] is not None
        and unit[0][0] != row
        and any(c.event_id == event_id and c.role is Role.CLAIM for c in unit[1])
    ]
    reason = f"{claim.event_type} refers to happening {event_id!r}, which "
    if rows:
        shown_rows = ", ".join(map(str, sorted(set(rows))))
        reason += f"only rejected rows report (row {shown_rows})"
    else:
        reason += "no row of the file and no entry of the log reports"
    return Reject(row, line, _column_of(claim, event_id), reason, cells)


def _column_of(claim: Event, event_id: str) -> str | None:
    # The field holding *event_id*: the claim's own, or another it names.
    if claim.event_id == event_id:
        return "event_id"
    for field in attrs.fields(type(claim)):
        if getattr(claim, field.name) == event_id:
            return str(field.name)
    return None


# A row's reader: the row's cells by column, and the claims they make.
RowReader = Callable[[Mapping[str, str]], Sequence[Event]]


def one_row_an_event(read_row: RowReader, column: str) -> RowReader:
    """Return *read_row*, refusing a row about an event an earlier row read.

    A dataset holds one row an event (its id in *column*): a row repeated,
    by a file joined with itself or a copy pasted twice, would count its
    sources twice. A row refused for another reason does not count, so a
    corrected copy of it further down is read.
    """
    seen: set[str] = set()

    def read(row: Mapping[str, str]) -> Sequence[Event]:
        claims = read_row(row)
        ids = {claim.event_id for claim in claims}
        if not ids.isdisjoint(seen):
            msg = (
                f"{shown(row[column])}: an earlier row is about the same event; "
                "the dataset has one row an event"
            )
            raise RowError(msg, column=column)
        seen.update(ids)
        return claims

    return read


def read_table(
    path: str | os.PathLike[str],
    *,
    dataset: str,
    required: Sequence[str],
    read_row: RowReader,
    encoding: str = "utf-8",
) -> Batch:
    """Read the CSV file at *path*, each row through *read_row*.

    A row *read_row* refuses (with `RowError`, or `timeline.TimelineError`
    from a constructor) becomes a `Reject`; the file as a whole must be a
    table with the *required* columns.

    Raises:
        InvalidInputError: If the file is not text in *encoding*, has no
            header, lacks a required column, repeats a column, or holds a
            value longer than 128 KiB or a line longer than `MAX_LINE`; the
            message names the file, and the line where one is at fault.
        OSError: If the file cannot be read.
    """
    name = os.fspath(path)
    with Path(path).open("rb") as file:
        lines = _Lines(file, name, encoding)
        return read_rows(
            name,
            _csv_rows(name, lines),
            dataset=dataset,
            required=required,
            read_row=read_row,
        )


def _csv_rows(name: str, lines: "_Lines") -> Iterator[tuple[int, list[str]]]:
    # Each record with the line it starts on.
    reader = csv.reader(lines, strict=True)
    line = 1
    try:
        while True:
            cells = next(reader, None)
            if cells is None:
                return
            yield line, cells
            line = lines.number + 1
    except csv.Error as error:
        reason = str(error)
        if "field larger than field limit" in reason:
            reason = (
                f"a value is longer than {csv.field_size_limit():,} "
                "characters, more than any cell of a table"
            )
        where = f"line {line}"
        if lines.number > line:
            where += f" (the row runs on to line {lines.number})"
        msg = f"{name}: {where}: not a CSV row: {reason}"
        raise InvalidInputError(msg) from None


def read_rows(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    *,
    dataset: str,
    required: Sequence[str],
    read_row: RowReader,
) -> Batch:
    """Read *rows* (the header first), each with the line it starts on.

    The loop `read_table` runs on a CSV file's records, and a workbook
    reader on a sheet's rows.
    """
    # Reading makes many objects and no garbage cycles: see collection_paused.
    with collection_paused():
        return _read_rows(name, rows, dataset, required, read_row)


def _read_rows(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    dataset: str,
    required: Sequence[str],
    read_row: RowReader,
) -> Batch:
    claims: list[Event] = []
    origins: list[Origin] = []
    rejects: list[Reject] = []
    count = 0
    first = next(rows, None)
    header = _header(name, None if first is None else first[1], required)
    width = len(header)
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # A blank line is no row.
        count += 1
        if len(cells) != width:
            reason = f"the row has {len(cells)} values, the header {width} columns"
            rejects.append(Reject(count + 1, line, None, reason, cells))
            continue
        try:
            made = read_row(dict(zip(header, cells, strict=True)))
        except RowError as error:
            rejects.append(Reject(count + 1, line, error.column, error.reason, cells))
        except TimelineError as error:  # pragma: no cover - a safeguard
            # A constructor's own check refusing what the readers passed:
            # still that row's fault, never the whole file's.
            rejects.append(Reject(count + 1, line, None, str(error), cells))
        else:
            claims.extend(made)
            # The cells are kept only for a row the log may refuse.
            refers = any(claim.referenced_event_ids() for claim in made)
            origin = (count + 1, line, tuple(cells) if refers else ())
            origins.extend(origin for _ in made)
    return Batch(name, dataset, header, count, claims, rejects, origins)


def _header(name: str, cells: list[str] | None, required: Sequence[str]) -> list[str]:
    if cells is None:
        msg = f"{name}: the file is empty: expected a header row naming the columns"
        raise InvalidInputError(msg)
    header = [cell.strip() for cell in cells]
    seen = set(header)
    twice = [column for column in seen if header.count(column) > 1]
    if twice:
        msg = f"{name}: the header names {', '.join(sorted(set(twice)))} twice"
        raise InvalidInputError(msg)
    missing = [column for column in required if column not in seen]
    if missing:
        msg = (
            f"{name}: the header lacks the column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} (it has "
            f"{', '.join(header[:_LISTED])}{', ...' if len(header) > _LISTED else ''})"
        )
        raise InvalidInputError(msg)
    return header


class _Lines:
    """The file's lines, decoded and counted; a line too long is refused."""

    def __init__(self, file: BinaryIO, name: str, encoding: str) -> None:
        self._file = file
        self._name = name
        self._encoding = encoding
        self.number = 0  # The last line read.

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self._file.readline(MAX_LINE + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        if len(raw) > MAX_LINE:
            msg = (
                f"{self._name}: line {self.number} is longer than "
                f"{MAX_LINE:,} bytes: not a table's row"
            )
            raise InvalidInputError(msg)
        if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            return raw.decode(self._encoding)
        except UnicodeDecodeError as error:
            msg = (
                f"{self._name}: line {self.number} is not {self._encoding} text "
                f"(byte {error.start + 1} of the line, "
                f"{raw[error.start : error.end]!r}: {error.reason}); save the file "
                "as UTF-8, or name its encoding"
            )
            raise InvalidInputError(msg) from None
        except LookupError:
            msg = f"{self._encoding!r} is not an encoding Python knows"
            raise InvalidInputError(msg) from None
