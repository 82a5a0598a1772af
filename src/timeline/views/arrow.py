# SPDX-License-Identifier: MIT
"""Arrow tables and Parquet files: a log, or an answer, for DuckDB, pandas and Spark.

One row per claimed field value: a claim stating a date, a place and two
sides is four rows, each with the claim's provenance and clocks beside the
value; an entry stating no fact (a retraction giving no reason) is one row
whose ``field``, ``value`` and ``value_json`` are null. `log_table` holds
every entry of a log, as stated; `knowledge_table` the live claims of a
`timeline.projections.Knowledge`, with the happening each belongs to.
Both need pyarrow, the ``contested-timeline[arrow]`` extra, which is
imported only when a table is made.

The columns, in order:

- ``seq`` (int64), ``recorded_at`` (timestamp, UTC): the log's system time;
- ``event_id``, ``event_type``, ``role`` (``claim``, ``response`` or
  ``analyst``): what the entry is;
- ``field``, ``value`` (its text, as the command line prints it),
  ``value_json`` (its JSON, as ``--json`` prints it): one stated fact;
- ``when_earliest``, ``when_latest`` (date32, null where open),
  ``when_precision``: the claim's valid time, on every row of the claim;
- ``published`` (date32: the knowledge day), ``published_at`` (timestamp,
  UTC, when the report gives a time of day, else null), ``outlet``,
  ``attribution`` (list of names, outermost first), ``claimant``,
  ``title``, ``url``, ``quote``, ``note``: who said it, and when it became
  known;
- ``voided_by`` (int64): the seq of the analyst's `Amendment` that voids the
  entry, else null;
- ``withdrawn_on`` (date32): the knowledge day from which the claim's own
  outlet withdrew it (a `Retraction` or `Correction` of the same
  ``event_id``, published after it), else null.

`knowledge_table` adds ``happening`` (the id the answer files the claim
under: merged ids share one) and ``in_conflict`` (whether the field's live
values conflict), and holds only what the answer holds.

What was known on a day, from a log's table, in DuckDB (see the how-to
"Import a dataset"): the claims published by then, neither voided nor
withdrawn by then.

.. code-block:: sql

    SELECT event_id, field, value, min(published) AS first_known,
           list(seq ORDER BY seq) AS claims
    FROM 'log.parquet'
    WHERE role = 'claim' AND published <= DATE '2017-10-04'
      AND voided_by IS NULL
      AND (withdrawn_on IS NULL OR withdrawn_on > DATE '2017-10-04')
    GROUP BY event_id, field, value

.. versionadded:: 0.2.0
"""

import datetime as dt
import errno
import importlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from timeline.errors import MissingExtraError
from timeline.log import EventLog
from timeline.model.entry import Entry
from timeline.model.events import Amendment, Correction, Retraction
from timeline.projections import Knowledge, display
from timeline.projections.happening import _published_before
from timeline.views.records import json_value, value_text

__all__ = ["COLUMNS", "knowledge_table", "log_table", "write_parquet"]

COLUMNS = (
    "seq",
    "recorded_at",
    "event_id",
    "event_type",
    "role",
    "field",
    "value",
    "value_json",
    "when_earliest",
    "when_latest",
    "when_precision",
    "published",
    "published_at",
    "outlet",
    "attribution",
    "claimant",
    "title",
    "url",
    "quote",
    "note",
    "voided_by",
    "withdrawn_on",
)
"""The columns of `log_table`, in order."""


def _pyarrow() -> Any:
    try:
        return importlib.import_module("pyarrow")
    except ImportError as error:
        msg = (
            "Arrow tables and Parquet files need pyarrow: "
            "pip install 'contested-timeline[arrow]'"
        )
        raise MissingExtraError(msg) from error


def _schema(pa: Any, *, knowledge: bool) -> Any:
    moment = pa.timestamp("us", tz="UTC")
    text = pa.string()
    fields = [
        ("seq", pa.int64()),
        ("recorded_at", moment),
        ("event_id", text),
        ("event_type", text),
        ("role", text),
        ("field", text),
        ("value", text),
        ("value_json", text),
        ("when_earliest", pa.date32()),
        ("when_latest", pa.date32()),
        ("when_precision", text),
        ("published", pa.date32()),
        ("published_at", moment),
        ("outlet", text),
        ("attribution", pa.list_(text)),
        ("claimant", text),
        ("title", text),
        ("url", text),
        ("quote", text),
        ("note", text),
        ("voided_by", pa.int64()),
        ("withdrawn_on", pa.date32()),
    ]
    if knowledge:
        fields += [("happening", text), ("in_conflict", pa.bool_())]
    return pa.schema(fields)


def log_table(entries: Iterable[Entry]) -> Any:
    """Return every entry as a ``pyarrow.Table``, one row per stated fact.

    Args:
        entries: A log's entries, in seq order (an `EventLog` will do).

    Raises:
        MissingExtraError: If pyarrow is not installed.

    .. versionadded:: 0.2.0
    """
    pa = _pyarrow()
    every = list(entries)
    voided = _voided_by(every)
    withdrawn = _withdrawn_on(every, voided)
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for entry in every:
        for row in _rows(entry, voided.get(entry.seq), withdrawn.get(entry.seq)):
            for name, value in zip(COLUMNS, row, strict=True):
                columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=_schema(pa, knowledge=False))


def knowledge_table(knowledge: Knowledge) -> Any:
    """Return the live claims of an answer as a ``pyarrow.Table``, one row per fact.

    The rows are those of `log_table` for the claims the answer holds, in
    the order of its happenings, with ``happening`` and ``in_conflict``
    added; ``voided_by`` and ``withdrawn_on`` are null, since the answer
    holds no such claim.

    Raises:
        MissingExtraError: If pyarrow is not installed.

    .. versionadded:: 0.2.0
    """
    pa = _pyarrow()
    names = (*COLUMNS, "happening", "in_conflict")
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for happening in knowledge:
        conflicts = {field.name for field in happening.conflicts}
        for entry in happening.claims:
            for row in _rows(entry, None, None):
                field = row[COLUMNS.index("field")]
                extra = (happening.event_id, field in conflicts)
                for name, value in zip(names, (*row, *extra), strict=True):
                    columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=_schema(pa, knowledge=True))


def write_parquet(
    table: Any, path: str | os.PathLike[str], *, overwrite: bool = False
) -> None:
    """Write *table* (from `log_table` or `knowledge_table`) to a Parquet file.

    The file is written beside *path* and then moved there, so a reader
    never sees half of it, and a failed write leaves nothing behind.

    Args:
        table: The table to write.
        path: The file to write, usually ending in ``.parquet``.
        overwrite: Replace a file already at *path*; without it, an
            existing file is an error and is left as it was.

    Raises:
        FileExistsError: If *path* exists and *overwrite* is False.
        MissingExtraError: If pyarrow is not installed.

    .. versionadded:: 0.2.0
    """
    _pyarrow()
    parquet = importlib.import_module("pyarrow.parquet")
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    claimed = False
    try:
        if not overwrite:
            # Claim the name first, so that no existing file is ever replaced.
            try:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            except FileExistsError:
                msg = "the file exists; a new file is written, never over one"
                raise FileExistsError(errno.EEXIST, msg, str(target)) from None
            claimed = True
        parquet.write_table(table, partial)
        partial.replace(target)
    except BaseException:
        if claimed:
            target.unlink(missing_ok=True)
        raise
    finally:
        partial.unlink(missing_ok=True)


def _rows(
    entry: Entry, voided_by: int | None, withdrawn_on: dt.date | None
) -> Iterator[tuple[Any, ...]]:
    event = entry.event
    report = event.report
    when = event.when
    published_at = (
        report.published if isinstance(report.published, dt.datetime) else None
    )
    shared = (
        None if when is None else when.earliest,
        None if when is None else when.latest,
        None if when is None else when.precision.value,
        report.published_day,
        published_at,
        report.outlet.name,
        [source.name for source in event.attribution],
        event.claimant.name,
        report.title,
        report.url,
        event.quote,
        event.note,
        voided_by,
        withdrawn_on,
    )
    head = (
        entry.seq,
        entry.recorded_at,
        event.event_id,
        event.event_type,
        event.role.value,
    )
    facts = event.facts()
    if not facts:
        # An entry stating no fact (a retraction without a reason) still
        # has its row: the field, value and value_json are null.
        yield (*head, None, None, None, *shared)
    for name, value in facts.items():
        stated = json.dumps(json_value(value), ensure_ascii=False, sort_keys=True)
        yield (*head, name, value_text(value), stated, *shared)


def _voided_by(entries: Sequence[Entry]) -> dict[int, int]:
    # The fold's rule (timeline.projections.fold.voided_by): an amendment
    # voided by a later one voids nothing, which restores its target. From
    # the newest, so each amendment's own fate is settled before it acts;
    # of several that void one entry, the earliest in effect is named.
    voided: dict[int, int] = {}
    for entry in reversed(entries):
        if isinstance(entry.event, Amendment) and entry.seq not in voided:
            voided[entry.event.voids] = entry.seq
    return voided


def _withdrawn_on(
    entries: Sequence[Entry], voided: dict[int, int]
) -> dict[int, dt.date]:
    # The rule of the fold (timeline.projections.happening), by a claim's own
    # event_id: a retraction or correction by the claim's outlet, published
    # after it, withdraws it from its own publication day on.
    withdrawals: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if isinstance(entry.event, Retraction | Correction) and entry.seq not in voided:
            withdrawals[entry.event.event_id].append(entry)
    found: dict[int, dt.date] = {}
    for entry in entries:
        event = entry.event
        if event.role.value != "claim" or event.event_id not in withdrawals:
            continue
        said = event.report
        days = [
            response.event.report.published_day
            for response in withdrawals[event.event_id]
            if response.event.report.outlet == said.outlet
            and response.event.report != said
            and _published_before(said, response.event.report)
        ]
        if days:
            found[entry.seq] = min(days)
    return found


display.arrow_table.register(Knowledge, knowledge_table)
display.arrow_table.register(EventLog, lambda log: log_table(log.entries()))
