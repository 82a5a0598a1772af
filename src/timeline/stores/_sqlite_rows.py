# SPDX-License-Identifier: MIT
"""The row format of a SQLite log: its columns and how an entry maps to them.

Private to `timeline.stores`: `timeline.stores.sqlite` writes and reads rows
with it, and `timeline.stores.check` reads them again, so both see one
format. Also the SQL functions that read a row of layout version 1.
"""

import datetime as dt
import hashlib
import json
import sqlite3
from typing import Any

from timeline._gc import collection_paused
from timeline.errors import CorruptLogError
from timeline.model.entry import Entry
from timeline.serialization import Codec
from timeline.stores._records import (
    CHANGED_WHEN_READ,
    ENVELOPE_KEYS,
    canonical_checked,
    canonical_json,
    canonical_text,
    check_reads_back,
    decode_record,
    envelope_parts,
    is_plain_json,
    json_string,
    parse_json,
    reject_constant,
    unreadable,
)

Row = tuple[Any, ...]
"""One row of the entries table, its columns in the order of `COLUMNS`."""
SQLValue = str | bytes | int | float | None
"""A value as SQLite hands it to Python."""

COLUMNS = (
    "seq",
    "recorded_at",
    "type",
    "schema_version",
    "event_id",
    "published_day",
    "body",
    "hash",
)
SELECT = ", ".join(COLUMNS)
INSERT = f"INSERT INTO entries ({SELECT}) VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608  # fixed names
# Version 1's columns as version 2 holds them, through the functions that
# `version_1_functions` registers; a value that is not what version 1
# wrote is kept as it is, for reading to refuse.
SELECT_VERSION_1 = (
    "seq, recorded_at, type, schema_version, event_id, "
    "timeline_day(published_day), body, timeline_digest(hash)"
)
DIGEST_BYTES = 32
MAX_SEQ = 2**63 - 1  # SQLite's largest integer.


def read_body(body: object, *, where: str) -> Any:
    """Return the payload a row's *body* holds.

    Raises:
        CorruptLogError: If *body* is not JSON text.
    """
    try:
        if type(body) is str:
            return parse_json(body)
        return json.loads(body, parse_constant=reject_constant)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError) as error:
        msg = f"{where}: body is not JSON: {error}"
        raise CorruptLogError(msg) from None


def decode_row(
    codec: Codec,
    row: Row,
    payload: object,
    *,
    previous: str,
    seq: int,
    where: str,
) -> tuple[Entry, str]:
    """Return the entry in a row of the ``entries`` table and its hash, in hex.

    Args:
        codec: Decodes the envelope.
        row: The row's columns, in the order of ``COLUMNS``.
        payload: The row's body, read by `read_body`.
        previous: The hash of the row before it.
        seq: The seq the row must have.
        where: Names the row in messages.

    Raises:
        CorruptLogError: If the row's hash does not seal it after
            *previous*, it has the wrong seq, or an index column disagrees
            with the entry.
        InvalidEntryError: Or another error of `Codec.entry_from_dict` if its
            hash is right but its content cannot be read.
    """
    number, recorded_at, type_, version, event_id, day, body, digest = row
    if type(digest) is not bytes or len(digest) != DIGEST_BYTES:
        msg = (
            f"{where}: the row's hash is not a SHA-256 digest of 32 bytes "
            f"({digest!r:.80}), so it cannot be trusted"
        )
        raise CorruptLogError(msg)
    content = {
        "seq": number,
        "recorded_at": recorded_at,
        "type": type_,
        "schema_version": version,
        "payload": payload,
    }
    entry, sealed = decode_record(
        codec,
        content,
        sealed=digest.hex(),
        previous=previous,
        seq=seq,
        where=where,
        # The content's canonical JSON is the body spliced into the other
        # columns, if the body is as written: no need to serialize it.
        text=row_text(number, recorded_at, type_, version, body),
    )
    indexed = (event_id, day)
    actual = (entry.event.event_id, day_number(entry.event.report.published_day))
    if indexed != actual:
        msg = (
            f"{where}: index columns (event_id, published_day) = {indexed!r} "
            f"disagree with the stored entry's {actual!r}"
        )
        raise CorruptLogError(msg)
    return entry, sealed


def version_1_functions(connection: sqlite3.Connection) -> None:
    """Teach *connection* the SQL functions ``SELECT_VERSION_1`` calls."""
    connection.create_function("timeline_day", 1, day_of_text, deterministic=True)
    connection.create_function("timeline_digest", 1, digest_of_hex, deterministic=True)


def row_parts(envelope: dict[str, Any]) -> tuple[int, str, str, int]:
    # The envelope's parts outside the payload, if a row can hold them as
    # they are.
    if envelope.keys() != set(ENVELOPE_KEYS):
        msg = f"a row holds the keys {sorted(ENVELOPE_KEYS)}, not {sorted(envelope)}"
        raise ValueError(msg)
    parts = envelope_parts(dict.fromkeys(ENVELOPE_KEYS) | envelope)
    if parts is None:
        msg = (
            "a row holds seq and schema_version as whole numbers, recorded_at "
            f"and type as text, not {[envelope[key] for key in ENVELOPE_KEYS[:4]]!r}"
        )
        raise TypeError(msg)
    return parts


def row_text(
    seq: object,
    recorded_at: object,
    type_: object,
    version: object,
    body: object,
    *,
    quoted: dict[str, str] | None = None,
) -> str | None:
    # The canonical JSON of a row's envelope, if the body is the canonical
    # JSON of the payload, as timeline writes it; None when it cannot tell.
    # A body written otherwise makes a text the row's hash does not seal,
    # and the caller serializes the envelope instead. A body with a \u
    # escape is left to that: canonical JSON escapes only control
    # characters, and an escaped lone surrogate cannot be sealed at all.
    # *quoted* keeps the JSON strings of the times and types it is given,
    # for a caller reading many rows.
    if (
        type(body) is not str
        or type(recorded_at) is not str
        or type(type_) is not str
        or type(version) is not int
        or type(seq) is not int
        or "\\u" in body
    ):
        return None
    if quoted is None:
        return canonical_text(body, recorded_at, type_, version, seq)
    time = quoted.get(recorded_at)
    if time is None:
        if len(quoted) >= _QUOTED_MAX:
            quoted.clear()
        time = quoted[recorded_at] = json_string(recorded_at)
    kind = quoted.get(type_)
    if kind is None:
        if len(quoted) >= _QUOTED_MAX:
            quoted.clear()
        kind = quoted[type_] = json_string(type_)
    return (
        f'{{"payload":{body},"recorded_at":{time},'
        f'"schema_version":{version},"seq":{seq},"type":{kind}}}'
    )


_QUOTED_MAX = 4096
"""The most strings `row_text` keeps quoted for one caller."""


def chained_digest(previous: str, text: str) -> bytes:
    # The hash sealing *text* after *previous*: see `seal`.
    return hashlib.sha256((previous + text).encode("utf-8")).digest()


def hex_of(digest: object) -> str:
    # A stored hash as the chain continues from it; a damaged one makes
    # the next row's hash mismatch.
    return digest.hex() if type(digest) is bytes else str(digest)


def sql_seq(seq: int) -> int:
    # A seq bound as SQLite can hold it, filtering as the number would.
    return max(min(seq, MAX_SEQ), -MAX_SEQ)


def day_number(day: dt.date) -> int:
    # 2017-09-24 as 20170924: ordered as the days are, and small on disk.
    return day.year * 10000 + day.month * 100 + day.day


def day_of_text(value: SQLValue) -> SQLValue:
    # Version 1's published_day, "2017-09-24", as version 2's 20170924.
    if (
        type(value) is str
        and len(value) == 10  # noqa: PLR2004
        and value[4] == value[7] == "-"
        and (digits := value[:4] + value[5:7] + value[8:]).isdigit()
        and digits.isascii()
    ):
        return int(digits)
    return value


def digest_of_hex(value: SQLValue) -> SQLValue:
    # Version 1's hash, 64 lowercase hex digits, as version 2's 32 bytes.
    if (
        type(value) is str
        and len(value) == 2 * DIGEST_BYTES
        and value.isascii()
        and all(character in "0123456789abcdef" for character in value)
    ):
        return bytes.fromhex(value)
    return value


Envelope = tuple[dict[str, Any], bool]
"""An entry's envelope, and whether the codec vouches that it reads back."""


def envelopes(codec: Codec, batch: list[Entry]) -> list[Envelope]:
    """Return the envelope of each entry of *batch*, as `encode_rows` makes them.

    For a store that reads the payloads (the text index's texts) before
    it encodes the rows: give them to `encode_rows`, which then does not
    make them again.
    """
    made: list[Envelope] = []
    with collection_paused():
        for entry in batch:
            # An envelope the codec vouches for reads back as the entry;
            # any other is decoded again by encode_rows to make sure.
            envelope = codec.checked_envelope(entry)
            if envelope is None:
                made.append((codec.entry_to_dict(entry), False))
            else:
                made.append((envelope, True))
    return made


def encode_rows(
    codec: Codec,
    batch: list[Entry],
    last_hash: str,
    *,
    where: str,
    made: list[Envelope],
) -> list[Row]:
    """Return the rows of *batch*, chained after *last_hash*.

    Each entry is refused unless it reads back as itself: one entry that
    would not read back must not make the whole log unreadable. The rows
    of a SQLite log, and the columns a PostgreSQL log shares with them.
    *made* are the batch's `envelopes` (the caller reads the payloads' texts
    from them too).

    Raises:
        InvalidEntryError: If an entry would not read back as written.
    """
    rows = []
    with collection_paused():
        for entry, (envelope, checked) in zip(batch, made, strict=True):
            try:
                if checked:
                    # The codec's own envelope: its keys and their types
                    # are known.
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
                # What a reader hands the codec: the envelope itself when
                # JSON gives it back unchanged, else the row read.
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
            report = entry.event.report
            rows.append(
                (
                    seq,
                    recorded_at,
                    type_,
                    version,
                    entry.event.event_id,
                    day_number(report.published_day),
                    body,
                    digest,
                )
            )
            last_hash = digest.hex()
    return rows
