# SPDX-License-Identifier: MIT
"""The text index of a SQLite log: what ``--about`` searches, through FTS5.

Private to `timeline.stores.sqlite`. One row of a contentless FTS5 table,
``entries_text``, per entry, its rowid the entry's seq: `stored_text` of
the stored row, its type tag and the texts of its payload (the outlet,
title and url of its report, its attribution's names, and every string of
its other fields), each case-folded as `timeline.projections.Happening.matches`
folds them, under SQLite's ``trigram`` tokenizer, so that any text of
three characters or more is found where it occurs inside a word, as
Python's ``in`` finds it. The index only narrows the search to candidate
happenings: every candidate is then matched in Python, so an answer is
exactly the in-memory one. A row may hold more than the texts
`timeline.projections.searched_texts` names, never fewer.

A row is a function of the stored row alone, not of the event types the
writing process registered: an entry written by a process that lacked its
type's module (an `UnregisteredEvent`) is indexed as one written with it,
and `timeline check` judges every row the same with or without
``--types``. For the types whose searched texts a stored payload may not
spell (a ``facts()`` of their own, ``upcasters``: see `unindexed_types`),
a search adds every happening holding an entry of the type.

The index is derived data: ``timeline_derived`` holds the last seq it
covers, written in the same transaction as the rows it indexes. A writable
open of a log made before the index existed (or appended to by an older
timeline) indexes what is missing in one transaction; an index that does
not cover the whole log (a read-only open of such a log) is never used,
and a search then reads every happening instead. An index an older
timeline made (its rows what the writing process's types made of each
entry, its mark named ``text``) is never used either: `timeline check`
reports it, and a writable open or ``timeline check --rebuild`` makes it
afresh. A SQLite without FTS5 or its trigram tokenizer (before 3.34) has
no index, and searches the same way.
"""

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import attrs

from timeline.errors import CorruptLogError
from timeline.model.entry import Entry
from timeline.model.events import Event, registered_event_types
from timeline.model.unregistered import UnregisteredEvent
from timeline.serialization import Codec

__all__ = [
    "DERIVED_TABLE",
    "TEXT_TABLE",
    "covered",
    "create",
    "create_derived",
    "encodable",
    "entry_text",
    "envelope_texts",
    "has_fts5",
    "index_entries",
    "rebuild",
    "row_texts",
    "search",
    "shown",
    "stored_text",
    "stored_texts",
    "unindexed_types",
    "verify",
]

TEXT_TABLE = "entries_text"
DERIVED_TABLE = "timeline_derived"
_TEXT_NAME = "text-stored"
"""The name of the text index's row in the table of derived data."""
_OLDER_NAME = "text"
"""Its name in a log whose index an older timeline made, each row what the
writing process's event types made of its entry: never used, replaced."""
_SEPARATOR = "\x1f"
"""Between an entry's texts: a needle spanning two only adds a candidate."""
_TRIGRAM = 3
"""The shortest needle the trigram tokenizer finds through its index."""


def has_fts5(connection: sqlite3.Connection) -> bool:
    """Return whether *connection*'s SQLite has FTS5 with the trigram tokenizer."""
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE temp.timeline_fts5_probe USING fts5(t, "
            "tokenize='trigram case_sensitive 1', content='')"
        )
    except sqlite3.Error:
        return False
    connection.execute("DROP TABLE temp.timeline_fts5_probe")
    return True


def create_derived(connection: sqlite3.Connection) -> None:
    """Create the table of derived data, if missing: a row per derived table."""
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {DERIVED_TABLE} "
        "(name TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)"
    )


def create(connection: sqlite3.Connection) -> None:
    """Create the empty index and the table of derived data, if missing.

    An index an older timeline made is dropped first, to be made afresh.
    """
    create_derived(connection)
    if covered(connection) is None:
        connection.execute(f"DROP TABLE IF EXISTS {TEXT_TABLE}")
        connection.execute(
            f"DELETE FROM {DERIVED_TABLE} WHERE name = ?",  # noqa: S608  # fixed names
            (_OLDER_NAME,),
        )
    connection.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TEXT_TABLE} USING fts5(text, "
        "tokenize='trigram case_sensitive 1', content='', detail='none')"
    )
    connection.execute(
        f"INSERT OR IGNORE INTO {DERIVED_TABLE} (name, last_seq) VALUES (?, 0)",  # noqa: S608  # fixed names
        (_TEXT_NAME,),
    )


def covered(connection: sqlite3.Connection) -> int | None:
    """Return the last seq the index covers, or None if the log has none."""
    try:
        row = connection.execute(
            f"SELECT last_seq FROM {DERIVED_TABLE} WHERE name = ?",  # noqa: S608  # fixed names
            (_TEXT_NAME,),
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no table of derived data: a log older than the index
    return None if row is None else int(row[0])


def _older(connection: sqlite3.Connection) -> bool:
    # Whether the log holds the mark of an index an older timeline made.
    try:
        row = connection.execute(
            f"SELECT 1 FROM {DERIVED_TABLE} WHERE name = ?",  # noqa: S608  # fixed names
            (_OLDER_NAME,),
        ).fetchone()
    except sqlite3.OperationalError:
        return False  # no table of derived data
    return row is not None


def index_entries(
    connection: sqlite3.Connection, texts: Sequence[tuple[int, str]]
) -> None:
    """Add *texts*, (seq, `stored_text`) of entries that follow what it covers.

    One row per entry, its texts whatever the batch: `timeline check`
    verifies the index against the stored rows one by one. The mark moves
    to the last seq.

    Call inside the transaction that writes them, so the mark never covers
    what the index does not hold.
    """
    if not texts:
        return
    connection.executemany(
        f"INSERT INTO {TEXT_TABLE} (rowid, text) VALUES (?, ?)",  # noqa: S608  # fixed names
        texts,
    )
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = ? WHERE name = ?",  # noqa: S608  # fixed names
        (texts[-1][0], _TEXT_NAME),
    )


def stored_texts(
    connection: sqlite3.Connection, after: int, until: int
) -> list[tuple[int, str]]:
    """Return (seq, `stored_text`) of the stored rows above *after*, to *until*.

    Read from the rows as stored, not as this process decodes them.

    Raises:
        CorruptLogError: If a row's body is not JSON.
    """
    return row_texts(
        connection.execute(
            "SELECT seq, type, body FROM entries WHERE seq > ? AND seq <= ? "
            "ORDER BY seq",
            (after, until),
        )
    )


def row_texts(rows: Iterable[tuple[Any, Any, Any]]) -> list[tuple[int, str]]:
    """Return (seq, `stored_text`) of *rows*, each (seq, type, body) as stored.

    For SQLite's rows and PostgreSQL's alike.

    Raises:
        CorruptLogError: If a row's body is not JSON.
    """
    return [
        (int(seq), stored_text(str(tag), _payload(body, seq)))
        for seq, tag, body in rows
    ]


def envelope_texts(
    batch: Sequence[Entry], made: Sequence[tuple[dict[str, Any], bool]]
) -> list[tuple[int, str]]:
    """Return (seq, `stored_text`) of each entry of *batch*, from its envelope.

    *made* are the envelopes the batch is stored from (see
    ``timeline.stores._sqlite_rows.envelopes``), in its order.
    """
    return [
        (entry.seq, stored_text(str(envelope.get("type")), envelope.get("payload")))
        for entry, (envelope, _) in zip(batch, made, strict=True)
    ]


def _payload(body: object, seq: int) -> object:
    try:
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        return json.loads(body)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError) as error:
        msg = f"seq {seq}: body is not JSON: {error}"
        raise CorruptLogError(msg) from None


def entry_text(entry: Entry, codec: Codec | None = None) -> str:
    """Return what the index holds of *entry*: `stored_text` of its payload.

    The payload as *codec* (by default a plain `timeline.serialization.Codec`)
    writes it; an `UnregisteredEvent`'s, as stored.
    """
    event = entry.event
    if isinstance(event, UnregisteredEvent):
        return stored_text(event.stored_type, event.payload)
    envelope = (codec if codec is not None else Codec()).entry_to_dict(entry)
    return stored_text(envelope["type"], envelope["payload"])


_SKIPPED = frozenset({"when", "reliability", "credibility", "hedge"})
"""The fields of every event whose stored values no search reads: a date
and gradings, of the types `Event` gives them (see `unindexed_types`)."""


def stored_text(tag: str, payload: object) -> str:
    """Return what the index holds of a stored entry: its texts, case-folded.

    A function of the stored type tag and payload alone, whichever event
    types this process registered, so that an entry's row is the same
    whoever wrote it and whoever reads it: the tag, the outlet's name,
    title and url of the report, the name of every source of the
    attribution, and every string held anywhere in the payload's other
    values (the ``event_id``, actors, place, quote, note and every fact
    field, however nested), but for those of *when* and the gradings.
    Each is case-folded, and each held once, in sorted order. What
    `timeline.projections.searched_texts` yields of the entry, decoded as
    its class or as an `UnregisteredEvent`, is always among them, for the
    types `unindexed_types` does not name.
    """
    texts = [tag]
    if type(payload) is dict:
        for key, value in payload.items():
            # Most values are strings, or absent: those first.
            if type(value) is str:
                if key not in _SKIPPED:
                    texts.append(value)
            elif value is None or key in _SKIPPED:
                continue
            elif key == "report":
                _report_texts(value, texts)
            elif key == "attribution":
                if isinstance(value, list | tuple):
                    for source in value:
                        _source_name(source, texts)
            else:
                _strings(value, texts)
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1:
        # No text holds the separator, which case-folding leaves as it
        # is and makes from nothing else: fold them all at once.
        folded = set(joined.casefold().split(_SEPARATOR))
    else:
        folded = {item.casefold() for item in texts}
    folded.discard("")
    return encodable(_SEPARATOR.join(sorted(folded)))


def _report_texts(report: object, texts: list[str]) -> None:
    # A report's outlet name, title and url; its dates are never searched.
    if isinstance(report, dict):
        _source_name(report.get("outlet"), texts)
        for key in ("title", "url"):
            value = report.get(key)
            if isinstance(value, str):
                texts.append(value)


def _source_name(source: object, texts: list[str]) -> None:
    if type(source) is dict:
        name = source.get("name")
        if isinstance(name, str):
            texts.append(name)
    elif isinstance(source, str):
        texts.append(source)


def _strings(value: object, texts: list[str]) -> None:
    # Every string *value* holds, at any depth (a dict's values, not keys).
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, texts)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, texts)


_ANY_VERSION = 2**62
"""Below any schema version: a type all of whose entries are searched."""
_BASE_FIELDS = {field.name: field.type for field in attrs.fields(Event)}
_FACT_FIELDS = Event.fact_fields.__func__  # type: ignore[attr-defined]
_UNINDEXED: dict[tuple[tuple[str, type], ...], tuple[tuple[str, int], ...]] = {}
"""`unindexed_types` by the registered types, each found once."""


def unindexed_types() -> tuple[tuple[str, int], ...]:
    """Return the registered types whose searched texts the index may lack.

    Each as (tag, version): its stored entries of a schema version below
    *version* may hold texts `stored_text` does not (a type with a
    ``facts()`` or ``fact_fields()`` of its own, fields `Event` declares
    declared again, or ``upcasters`` that make new values of old
    payloads). A search adds their happenings to the index's, whatever
    the text: an index row is made from the stored payload, which a
    process without the type's class cannot read the class's way.
    """
    types = registered_event_types()
    key = tuple(types.items())
    try:
        return _UNINDEXED[key]
    except KeyError:
        pass
    found = []
    for tag, cls in sorted(types.items()):
        fields = {field.name: field.type for field in attrs.fields(cls)}
        if (
            cls.facts is not Event.facts
            or getattr(cls.fact_fields, "__func__", None) is not _FACT_FIELDS
            or any(fields.get(name) is not kind for name, kind in _BASE_FIELDS.items())
        ):
            found.append((tag, _ANY_VERSION))
        elif cls.upcasters:
            found.append((tag, cls.schema_version))
    _UNINDEXED[key] = unindexed = tuple(found)
    return unindexed


def search(
    connection: sqlite3.Connection, text: str, *, last_seq: int, seq_until: int
) -> Collection[str] | None:
    """Return the happening ids of every entry whose texts may hold *text*.

    A superset of the happenings `Happening.matches` finds (never fewer),
    from entries numbered up to *seq_until*; None when the index cannot
    answer: it is missing or does not cover the log up to *last_seq*, or
    *text* is shorter than three characters once case-folded.
    """
    needle = text.casefold()
    if (
        len(needle) < _TRIGRAM
        or encodable(needle) != needle
        or covered(connection) != last_seq
    ):
        return None
    # Every trigram of the needle: the index keeps no positions (a third of
    # the cost of keeping them, on every append), so it finds the entries
    # holding them all, anywhere; each candidate is matched exactly after.
    trigrams = dict.fromkeys(
        needle[start : start + _TRIGRAM] for start in range(len(needle) - 2)
    )
    phrase = " AND ".join('"' + item.replace('"', '""') + '"' for item in trigrams)
    rows = connection.execute(
        f"SELECT DISTINCT e.event_id FROM {TEXT_TABLE} AS t "  # noqa: S608  # fixed names
        "JOIN entries AS e ON e.seq = t.rowid "
        f"WHERE {TEXT_TABLE} MATCH ? AND t.rowid <= ?",
        (phrase, seq_until),
    )
    found = {event_id for (event_id,) in rows}
    for tag, version in unindexed_types():
        found.update(
            event_id
            for (event_id,) in connection.execute(
                "SELECT DISTINCT event_id FROM entries "
                "WHERE type = ? AND schema_version < ? AND seq <= ?",
                (tag, version, seq_until),
            )
        )
    return found


def encodable(text: str) -> str:
    # *text* as the tokenizer reads all of it: a NUL, where it would stop
    # reading, becomes the separator, and a lone surrogate, which UTF-8
    # cannot hold, "?". A needle holding either is not searched, so its
    # matches elsewhere in the text are all still found.
    if "\x00" in text:
        text = text.replace("\x00", _SEPARATOR)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


_FRESH = "timeline_text_check"
"""The index `verify` builds from the entries, in the temporary schema."""
_STEP = 1024
"""How many entries between two calls of a progress callback."""


def verify(
    connection: sqlite3.Connection,
    last_seq: int,
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[int, str] | None:
    """Return the seqs whose row of the index does not match the log's rows.

    The log's rows are numbered 1 to *last_seq* (checked intact). Each
    wrong seq maps to what is wrong with its row: ``"missing"`` (the entry
    has none), ``"stale"`` (it holds other texts than the entry's
    `stored_text`), ``"extra"`` (no entry of the
    log has that seq, or the index's mark does not cover it) or ``"older"``
    (seq 0: the index is one an older timeline made, never used). Rows past
    the mark are only allowed to be absent: an index that does not cover
    the whole log is never used, and a writable open completes it. None
    when the log has no index, or this SQLite cannot read one.

    The index keeps no texts (it is contentless), so the rows' texts are
    indexed afresh, by SQLite's own tokenizer, in a temporary table, and
    the two compared: each row's token count, and each token's number of
    rows; a token whose count differs is looked up in both, to name the
    rows that differ. *progress* is called with how many entries were
    indexed so far. An entry's row is judged whatever the types this
    process knows: it is made from the stored row alone.
    """
    mark = covered(connection)
    if mark is None:
        return {0: "older"} if _older(connection) else None
    if not has_fts5(connection):  # pragma: no cover - the tests' SQLite has FTS5
        return None
    (tables,) = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = ?", (TEXT_TABLE,)
    ).fetchone()
    if not tables:
        # Its mark without the index itself: every row it covers is missing.
        return dict.fromkeys(range(1, min(mark, last_seq) + 1), "missing")
    connection.execute(f"DROP TABLE IF EXISTS temp.{_FRESH}")
    connection.execute(
        f"CREATE VIRTUAL TABLE temp.{_FRESH} USING fts5(text, "
        "tokenize='trigram case_sensitive 1', content='', detail='none')"
    )
    try:
        return _compare(connection, mark, last_seq, progress)
    finally:
        connection.execute(f"DROP TABLE IF EXISTS temp.{_FRESH}")
        connection.execute("DROP TABLE IF EXISTS temp.timeline_vocab_live")
        connection.execute("DROP TABLE IF EXISTS temp.timeline_vocab_fresh")


def _compare(
    connection: sqlite3.Connection,
    mark: int,
    last_seq: int,
    progress: Callable[[int], None] | None,
) -> dict[int, str]:
    indexed = min(mark, last_seq)
    for start in range(0, indexed, _STEP):
        connection.executemany(
            f"INSERT INTO temp.{_FRESH} (rowid, text) VALUES (?, ?)",  # noqa: S608  # fixed names
            stored_texts(connection, start, min(start + _STEP, indexed)),
        )
        if progress is not None:
            progress(min(start + _STEP, indexed))
    wrong: dict[int, str] = {}
    sizes = (
        "SELECT a.id FROM {}_docsize AS a LEFT JOIN {}_docsize AS b "
        "ON a.id = b.id WHERE b.id IS NULL ORDER BY a.id"
    )
    live, fresh = f"main.{TEXT_TABLE}", f"temp.{_FRESH}"
    for (seq,) in connection.execute(sizes.format(fresh, live)):
        wrong[seq] = "missing"
    for (seq,) in connection.execute(sizes.format(live, fresh)):
        wrong[seq] = "extra"
    for (seq,) in connection.execute(
        f"SELECT a.id FROM {live}_docsize AS a JOIN {fresh}_docsize AS b "  # noqa: S608  # fixed names
        "ON a.id = b.id WHERE a.sz IS NOT b.sz"
    ):
        wrong[seq] = "stale"
    for seq in _differing_rows(connection, live, fresh):
        wrong.setdefault(seq, "extra" if seq > mark or seq < 1 else "stale")
    if mark > last_seq:
        # A mark past the log's end, which appends never move on from: the
        # index would never be used again.
        wrong.setdefault(last_seq + 1, "extra")
    return dict(sorted(wrong.items()))


def _differing_rows(connection: sqlite3.Connection, live: str, fresh: str) -> set[int]:
    # The rows holding a token whose number of rows differs in the two.
    connection.execute(
        f"CREATE VIRTUAL TABLE temp.timeline_vocab_live USING fts5vocab("
        f"main, {TEXT_TABLE}, 'row')"
    )
    connection.execute(
        f"CREATE VIRTUAL TABLE temp.timeline_vocab_fresh USING fts5vocab("
        f"temp, {_FRESH}, 'row')"
    )
    terms = [
        term
        for (term,) in connection.execute(
            "SELECT term FROM (SELECT term, doc FROM temp.timeline_vocab_live "
            "EXCEPT SELECT term, doc FROM temp.timeline_vocab_fresh) UNION "
            "SELECT term FROM (SELECT term, doc FROM temp.timeline_vocab_fresh "
            "EXCEPT SELECT term, doc FROM temp.timeline_vocab_live)"
        )
    ]
    rows: set[int] = set()
    for term in terms:
        phrase = '"' + term.replace('"', '""') + '"'
        found = [
            {
                rowid
                for (rowid,) in connection.execute(
                    f"SELECT rowid FROM {table} WHERE {table.split('.')[1]} MATCH ?",  # noqa: S608  # fixed names
                    (phrase,),
                )
            }
            for table in (live, fresh)
        ]
        rows |= found[0] ^ found[1]
    return rows


def rebuild(
    connection: sqlite3.Connection,
    last_seq: int,
    *,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Index the log's rows, 1 to *last_seq*, afresh, dropping what the index held.

    Call inside a transaction: the index is replaced whole, or not at all.
    Returns False, changing nothing, when this SQLite has no FTS5 (or no
    trigram tokenizer) to build one with. *progress* is called with how
    many entries were indexed so far.
    """
    if not has_fts5(connection):  # pragma: no cover - the tests' SQLite has FTS5
        return False
    connection.execute(f"DROP TABLE IF EXISTS {TEXT_TABLE}")
    create(connection)
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = 0 WHERE name = ?",  # noqa: S608  # fixed names
        (_TEXT_NAME,),
    )
    for start in range(0, last_seq, _STEP):
        index_entries(
            connection, stored_texts(connection, start, min(start + _STEP, last_seq))
        )
        if progress is not None:
            progress(min(start + _STEP, last_seq))
    return True


def shown(tables: Iterable[str]) -> list[str]:
    """Return *tables* but the derived ones, sorted, to name a log's in a message."""
    return sorted(
        name
        for name in tables
        # The derived tables: timeline_derived, timeline_firsts...
        if not name.startswith((TEXT_TABLE, "timeline_"))
    )
