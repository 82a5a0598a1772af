# SPDX-License-Identifier: MIT
"""The rows of a PostgreSQL log, made from entries as SQLite's are.

Private to `timeline.stores.postgresql`.
"""

from timeline.errors import InvalidEntryError
from timeline.model.entry import Entry
from timeline.model.events import Related, SameAs, Split
from timeline.serialization import Codec
from timeline.stores._sqlite_rows import (
    COLUMNS,
    Row,
    encode_rows,
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
    for entry, row in zip(
        batch, encode_rows(codec, batch, last_hash, where=where), strict=True
    ):
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
    return rows
