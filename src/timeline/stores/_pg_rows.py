# SPDX-License-Identifier: MIT
"""The rows of a PostgreSQL log, made from entries as SQLite's are.

Private to `timeline.stores.postgresql`.
"""

from timeline._gc import collection_paused
from timeline.errors import InvalidEntryError
from timeline.model.entry import Entry
from timeline.model.events import Related, SameAs, Split
from timeline.serialization import Codec
from timeline.stores._records import (
    CHANGED_WHEN_READ,
    canonical_checked,
    canonical_json,
    canonical_text,
    check_reads_back,
    is_plain_json,
    parse_json,
    unreadable,
)
from timeline.stores._sqlite_rows import (
    COLUMNS,
    Row,
    chained_digest,
    day_number,
    row_parts,
)

__all__ = ["encode"]

_TEXT_COLUMNS = ("recorded_at", "type", "event_id", "body", "other_event_id")


def encode(
    codec: Codec, batch: list[Entry], last_hash: str, *, where: str
) -> list[Row]:
    """Return the rows of *batch*, chained after *last_hash*.

    Each entry is refused unless it reads back as itself (as `SQLiteStore`
    encodes them: the same rows, the same chain). A row holds the columns
    of a SQLite row, and the other happening a merge, a split or a link
    names (layout 2).

    Raises:
        InvalidEntryError: If an entry would not read back as written, or
            an indexed column would hold a NUL.
    """
    rows = []
    with collection_paused():
        for entry in batch:
            envelope = codec.checked_envelope(entry)
            checked = envelope is not None
            if envelope is None:
                envelope = codec.entry_to_dict(entry)
            try:
                if checked:
                    seq, recorded_at = envelope["seq"], envelope["recorded_at"]
                    type_, version = envelope["type"], envelope["schema_version"]
                else:
                    seq, recorded_at, type_, version = row_parts(envelope)
                payload = envelope["payload"]
                body = (
                    canonical_checked(payload) if checked else canonical_json(payload)
                )
                text = canonical_text(body, recorded_at, type_, version, seq)
                digest = chained_digest(last_hash, text)
                read, reread = envelope, text
                if not checked and not is_plain_json(envelope):
                    read = {**envelope, "payload": parse_json(body)}
                    reread = canonical_json(read)
            except (TypeError, ValueError, RecursionError) as error:
                raise unreadable(entry, error, where=where) from None
            if not checked:
                check_reads_back(codec, entry, read, where=where)
            if reread != text:
                raise unreadable(entry, CHANGED_WHEN_READ, where=where)
            row = (
                seq,
                recorded_at,
                type_,
                version,
                entry.event.event_id,
                day_number(entry.event.report.published_day),
                body,
                digest,
            )
            event = entry.event
            other = (
                event.other_event_id
                if isinstance(event, SameAs | Split | Related)
                else None
            )
            named = (*zip(COLUMNS, row, strict=True), ("other_event_id", other))
            for name, value in named:
                if name in _TEXT_COLUMNS and isinstance(value, str) and "\x00" in value:
                    msg = (
                        f"{where}: entry seq {entry.seq}: its {name} holds the NUL "
                        "character, which PostgreSQL text cannot hold"
                    )
                    raise InvalidEntryError(msg)
            rows.append((*row, other))
            last_hash = digest.hex()
    return rows
