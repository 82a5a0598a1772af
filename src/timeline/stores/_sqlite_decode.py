# SPDX-License-Identifier: MIT
"""How a SQLite log's rows are read back into entries, each checked.

Private to `timeline.stores.sqlite`.
"""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from timeline._gc import collection_paused
from timeline.errors import CorruptLogError
from timeline.model.entry import Entry
from timeline.serialization import Codec
from timeline.stores._records import GENESIS, parse_fast, parse_json
from timeline.stores._sqlite_rows import (
    Row,
    chained_digest,
    day_number,
    decode_row,
    hex_of,
    read_body,
    row_text,
)

__all__ = ["decode_rows"]


def decode_rows(
    codec: Codec,
    path: Path,
    rows: Iterable[Row],
    *,
    previous: str,
    seq: int,
    joined: bool = False,
) -> list[Entry]:
    """Return the entries of *rows*, each checked against the hash before it.

    Numbered from *seq* after the hash *previous*; rows *joined* with the
    hash of the row before each carry their own. A damaged row raises
    `timeline.errors.CorruptLogError` naming *path* and its seq.
    """
    # The entries of *rows*, numbered from *seq*, each row checked
    # against the hash of the one before it. A row as timeline writes it
    # is read the short way: its canonical text spliced from its
    # columns, its digest compared as bytes, its envelope decoded with
    # no message prepared. Any other row, and any failure, goes through
    # `_decode`, which checks it again and names what is wrong. Rows
    # *joined* with the hash of the row before each (a selection, not
    # the whole log) are numbered by themselves, and checked against it.
    entries: list[Entry] = []
    read = codec._entry_reader()  # the stores' own
    date = dt.date
    # Each day's number, for the days reports are published on.
    numbers: dict[dt.date, int] = {}
    # The JSON strings of the types and times met, each made once: most rows
    # share their type with many others, and their time with their batch.
    quoted: dict[str, str] = {}
    with collection_paused(kept_old=True):
        for position, item in enumerate(rows, start=seq):
            if joined:
                row, before = item[:-1], item[-1]
                expected = row[0]
                if before is None and expected != 1:
                    msg = (
                        f"{path} seq {expected}: seq {expected - 1} "
                        "before it is missing"
                    )
                    raise CorruptLogError(msg)
                previous = GENESIS if before is None else hex_of(before)
            else:
                row, expected = item, position
            number, recorded_at, type_, version, event_id, day, body, digest = row
            entry: Entry | None = None
            text = row_text(number, recorded_at, type_, version, body, quoted=quoted)
            if (
                text is not None
                and number == expected
                # One JSON object, nothing around it, as written.
                and body.startswith("{")
                and body.endswith("}")
                and chained_digest(previous, text) == digest
            ):
                try:
                    content = {
                        "seq": number,
                        "recorded_at": recorded_at,
                        "type": type_,
                        "schema_version": version,
                        "payload": parse_fast(body),
                    }
                    entry = None if read is None else read(content)
                    if entry is None:
                        # What a generated reader does not take
                        # (see parse_fast), json reads.
                        content["payload"] = parse_json(body)
                        entry = codec.entry_from_dict(content)
                    event = entry.event
                    published = event.report.published
                    if published.__class__ is date:
                        found = numbers.get(published)
                        if found is None:
                            found = numbers[published] = day_number(published)
                    else:
                        found = day_number(event.report.published_day)
                    if (
                        entry.seq != number
                        or event.event_id != event_id
                        or found != day
                    ):
                        entry = None
                except Exception:  # _decode names it
                    entry = None
            if entry is not None:
                if not joined:  # joined, each row carries the hash before it
                    previous = digest.hex()
            else:
                entry, previous = _decode(
                    codec, path, row, previous=previous, seq=expected
                )
            entries.append(entry)
    return entries


def _decode(
    codec: Codec, path: Path, row: Row, *, previous: str, seq: int
) -> tuple[Entry, str]:
    where = f"{path} seq {row[0]}"
    payload = read_body(row[6], where=where)
    return decode_row(codec, row, payload, previous=previous, seq=seq, where=where)
