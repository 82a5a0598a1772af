# SPDX-License-Identifier: MIT
"""The text index of a SQLite log: what ``--about`` searches, through FTS5.

Private to `timeline.stores.sqlite`. One row of a contentless FTS5 table,
``entries_text``, per entry, its rowid the entry's seq: the entry's
``event_id`` and the texts `timeline.projections.searched_texts` names,
each case-folded as `timeline.projections.Happening.matches` folds them,
under SQLite's ``trigram`` tokenizer, so that any text of three characters
or more is found where it occurs inside a word, as Python's ``in`` finds
it. An entry's row leaves out the texts an entry appended before it in
the same transaction, about the same happening, holds (and an entry left
with none has no row): a search answers happenings, and finds the
happening through the earlier entry. The index only narrows the search to
candidate happenings: every candidate is then matched in Python, so an
answer is exactly the in-memory one.

The index is derived data: ``timeline_derived`` holds the last seq it
covers, written in the same transaction as the rows it indexes. A writable
open of a log made before the index existed (or appended to by an older
timeline) indexes what is missing in one transaction; an index that does
not cover the whole log (a read-only open of such a log) is never used,
and a search then reads every happening instead. A SQLite without FTS5 or
its trigram tokenizer (before 3.34) has no index, and searches the same
way.
"""

import operator
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence

from timeline.model.entry import Entry
from timeline.model.events import Event
from timeline.model.unregistered import UnregisteredEvent
from timeline.projections import searched_texts

__all__ = [
    "DERIVED_TABLE",
    "TEXT_TABLE",
    "covered",
    "create",
    "create_derived",
    "encodable",
    "entry_text",
    "has_fts5",
    "index_entries",
    "rebuild",
    "search",
    "shown",
    "verify",
]

TEXT_TABLE = "entries_text"
DERIVED_TABLE = "timeline_derived"
_TEXT_NAME = "text"
"""The name of the text index's row in the table of derived data."""
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
    """Create the empty index and the table of derived data, if missing."""
    create_derived(connection)
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


def index_entries(connection: sqlite3.Connection, entries: Iterable[Entry]) -> None:
    """Add *entries*, which follow what the index covers, and move its mark.

    One row per entry, its texts whatever the batch: `timeline check`
    verifies the index against the entries one by one.

    Call inside the transaction that writes them, so the mark never covers
    what the index does not hold.
    """
    rows = [(entry.seq, entry_text(entry)) for entry in entries]
    if not rows:
        return
    connection.executemany(
        f"INSERT INTO {TEXT_TABLE} (rowid, text) VALUES (?, ?)",  # noqa: S608  # fixed names
        rows,
    )
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = ? WHERE name = ?",  # noqa: S608  # fixed names
        (rows[-1][0], _TEXT_NAME),
    )


def entry_text(entry: Entry) -> str:
    """Return what the index holds of *entry*: its texts, case-folded."""
    return encodable(_SEPARATOR.join(_entry_texts(entry)))


def _entry_texts(entry: Entry) -> list[str]:
    # The entry's event_id and searched_texts, case-folded, each once
    # (claims repeat their phrase in several facts), in order.
    event = entry.event
    facts = _fact_values(event.__class__)
    if facts is None:
        texts = [event.event_id, *searched_texts(event)]
    else:
        # What searched_texts yields, in its order, with the text facts
        # read in one call: the events' own facts() costs more than the
        # rest of the entry's indexing.
        report = event.report
        texts = [event.event_id, event.event_type, *event.actors]
        texts += [source.name for source in event.attribution]
        texts.append(report.outlet.name)
        texts += [
            value
            for value in (
                event.where,
                event.quote,
                event.note,
                report.title,
                report.url,
            )
            if value
        ]
        texts += [value for value in facts(event) if isinstance(value, str)]
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) == len(texts) - 1:
        # No text holds the separator, which case-folding leaves as it
        # is and makes from nothing else: fold them all at once.
        return list(dict.fromkeys(joined.casefold().split(_SEPARATOR)))
    return list(dict.fromkeys([item.casefold() for item in texts]))


def _fact_values(cls: type[Event]) -> Callable[[Event], tuple[object, ...]] | None:
    # Returns the values of a *cls* event's fact fields, the text facts of
    # `Event.facts` among them, for a class that keeps Event's own facts()
    # and fact_fields(); None for one that changes either. (Every event has
    # several fact fields, `when`, `where` and `actors` among them: one
    # attrgetter call returns them as a tuple.)
    try:
        return _FACT_VALUES[cls]
    except KeyError:
        pass
    values: Callable[[Event], tuple[object, ...]] | None = None
    if (
        cls.facts is Event.facts
        and getattr(cls.fact_fields, "__func__", None) is _FACT_FIELDS
        and len(names := cls.fact_fields()) > 1
    ):
        values = operator.attrgetter(*names)
    _FACT_VALUES[cls] = values
    return values


_FACT_FIELDS = Event.fact_fields.__func__  # type: ignore[attr-defined]
_FACT_VALUES: dict[type, Callable[[Event], tuple[object, ...]] | None] = {}
"""`_fact_values` by class, each found once."""


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
    return {event_id for (event_id,) in rows}


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
    entries: Sequence[Entry],
    *,
    progress: Callable[[int], None] | None = None,
) -> dict[int, str] | None:
    """Return the seqs whose row of the index does not match *entries*.

    *entries* are the log's, from seq 1 on. Each wrong seq maps to what is
    wrong with its row: ``"missing"`` (the entry has none), ``"stale"``
    (it holds other texts than the entry's) or ``"extra"`` (no entry of the
    log has that seq, or the index's mark does not cover it). Rows past
    the mark are only allowed to be absent: an index that does not cover
    the whole log is never used, and a writable open completes it. None
    when the log has no index, or this SQLite cannot read one.

    The index keeps no texts (it is contentless), so the entries' texts are
    indexed afresh, by SQLite's own tokenizer, in a temporary table, and
    the two compared: each row's token count, and each token's number of
    rows; a token whose count differs is looked up in both, to name the
    rows that differ. *progress* is called with how many entries were
    indexed so far. The row of an entry of a type this process does not
    know is not judged: its texts are its class's to name.
    """
    mark = covered(connection)
    if mark is None or not has_fts5(connection):
        return None
    (tables,) = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = ?", (TEXT_TABLE,)
    ).fetchone()
    if not tables:
        # Its mark without the index itself: every row it covers is missing.
        return dict.fromkeys(range(1, min(mark, len(entries)) + 1), "missing")
    connection.execute(f"DROP TABLE IF EXISTS temp.{_FRESH}")
    connection.execute(
        f"CREATE VIRTUAL TABLE temp.{_FRESH} USING fts5(text, "
        "tokenize='trigram case_sensitive 1', content='', detail='none')"
    )
    unknown = {e.seq for e in entries if isinstance(e.event, UnregisteredEvent)}
    try:
        wrong = _compare(connection, entries[:mark], mark, len(entries), progress)
    finally:
        connection.execute(f"DROP TABLE IF EXISTS temp.{_FRESH}")
        connection.execute("DROP TABLE IF EXISTS temp.timeline_vocab_live")
        connection.execute("DROP TABLE IF EXISTS temp.timeline_vocab_fresh")
    return {seq: what for seq, what in wrong.items() if seq not in unknown}


def _compare(
    connection: sqlite3.Connection,
    entries: Sequence[Entry],
    mark: int,
    last_seq: int,
    progress: Callable[[int], None] | None,
) -> dict[int, str]:
    for start in range(0, len(entries), _STEP):
        chunk = entries[start : start + _STEP]
        connection.executemany(
            f"INSERT INTO temp.{_FRESH} (rowid, text) VALUES (?, ?)",  # noqa: S608  # fixed names
            [
                (entry.seq, entry_text(entry))
                for entry in chunk
                if not isinstance(entry.event, UnregisteredEvent)
            ],
        )
        if progress is not None:
            progress(start + len(chunk))
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
    entries: Sequence[Entry],
    *,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Index *entries*, the whole log, afresh, dropping what the index held.

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
    for start in range(0, len(entries), _STEP):
        chunk = entries[start : start + _STEP]
        index_entries(connection, chunk)
        if progress is not None:
            progress(start + len(chunk))
    return True


def shown(tables: Iterable[str]) -> list[str]:
    """Return *tables* but the derived ones, sorted, to name a log's in a message."""
    return sorted(
        name
        for name in tables
        # The derived tables: timeline_derived, timeline_firsts...
        if not name.startswith((TEXT_TABLE, "timeline_"))
    )
