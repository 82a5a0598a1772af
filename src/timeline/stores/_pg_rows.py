# SPDX-License-Identifier: MIT
"""The rows of a PostgreSQL log, made from entries as SQLite's are.

Private to `timeline.stores.postgresql`.
"""

from collections.abc import Iterable
from typing import Any

from timeline.errors import InvalidEntryError
from timeline.model.entry import Entry
from timeline.model.events import Related, SameAs, Split
from timeline.serialization import Codec
from timeline.stores._pg_schema import TABLE
from timeline.stores._sqlite_rows import (
    COLUMNS,
    Envelope,
    Row,
    encode_rows,
)
from timeline.stores._sqlite_text import row_texts as stored_texts

__all__ = ["encode", "read_texts", "stored_texts", "text_rows"]

_TEXT_COLUMNS = ("recorded_at", "type", "event_id", "body", "other_event_id")
# Where each of those is in a row of `encode`.
_TEXT_PLACES = tuple(
    (name, (*COLUMNS, "other_event_id").index(name)) for name in _TEXT_COLUMNS
)
# What COPY's text format escapes in a value (a NUL never reaches it).
_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def encode(
    codec: Codec,
    batch: list[Entry],
    last_hash: str,
    *,
    where: str,
    made: list[Envelope],
) -> list[Row]:
    """Return the rows of *batch*, chained after *last_hash*.

    Each entry is refused unless it reads back as itself (as `SQLiteStore`
    encodes them: the same rows, the same chain). A row holds the columns
    of a SQLite row, and the other happening a merge, a split or a link
    names (layout 2). *made* are the batch's envelopes
    (``timeline.stores._sqlite_rows.envelopes``).

    Raises:
        InvalidEntryError: If an entry would not read back as written, or
            an indexed column would hold a NUL.
    """
    rows = []
    for entry, row in zip(
        batch, encode_rows(codec, batch, last_hash, where=where, made=made), strict=True
    ):
        event = entry.event
        other = (
            event.other_event_id
            if isinstance(event, SameAs | Split | Related)
            else None
        )
        full = (*row, other)
        for name, place in _TEXT_PLACES:
            value = full[place]
            if isinstance(value, str) and "\x00" in value:
                msg = (
                    f"{where}: entry seq {entry.seq}: its {name} "
                    "holds the NUL character, which PostgreSQL text cannot hold"
                )
                raise InvalidEntryError(msg)
        rows.append(full)
    return rows


def text_rows(texts: Iterable[tuple[int, str]]) -> bytes:
    """Return the rows of the text index for *texts*, as ``COPY`` reads text.

    *texts* are (seq, ``stored_text``) of entries (``stored_text`` holds no
    NUL and no lone surrogate). One line per entry: its seq, a tab, and
    its text with ``COPY``'s escapes.
    """
    lines = []
    for seq, text in texts:
        if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
            text = text.translate(_ESCAPES)  # noqa: PLW2901 - escaped
        lines.append(f"{seq}\t{text}\n")
    return "".join(lines).encode("utf-8")


def read_texts(connection: Any, after: int, until: int) -> list[tuple[int, str]]:
    """Return (seq, ``stored_text``) of the rows above *after*, to *until*, as stored.

    *connection* is a psycopg connection to the log.

    Raises:
        CorruptLogError: If a row's body is not JSON.
    """
    return stored_texts(
        connection.execute(
            f"SELECT seq, type, body FROM {TABLE} "  # noqa: S608  # fixed names
            "WHERE seq > %s AND seq <= %s ORDER BY seq",
            (after, until),
        ).fetchall()
    )
