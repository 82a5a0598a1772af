# SPDX-License-Identifier: MIT
"""The layout of a SQLite log: its table, its indexes, its version.

Private to `timeline.stores.sqlite`, whose docstring describes the layout.
"""

from collections.abc import Iterable

from timeline.model.events import (
    Amendment,
    Related,
    Role,
    SameAs,
    Split,
    Within,
    registered_event_types,
)

__all__ = [
    "AMENDMENT_TAGS",
    "ANALYST_INDEX",
    "ANALYST_TAGS",
    "ANALYST_TYPES_INDEX",
    "INDEXES",
    "LINK_TAGS",
    "MERGE_TAGS",
    "OTHER_ID",
    "PLACE_TAGS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "TABLE",
    "any_of",
]

SCHEMA_VERSION = 2
TABLE = """
    CREATE TABLE IF NOT EXISTS {name} (
        seq INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        published_day INTEGER NOT NULL,
        body TEXT NOT NULL,
        hash BLOB NOT NULL
    )
"""


def any_of(tags: Iterable[str], column: str = "type") -> str:
    # A test of the type against built-in tags, spelled the same wherever a
    # partial index below must be recognized. Equalities joined by OR: SQLite
    # tests an IN list of three values, on every insert, much more slowly.
    return f"({' OR '.join(f'{column} = {tag!r}' for tag in tags)})"


# Amendments and merges reach beyond their own publication day or happening
# (see `timeline.stores.as_of` and `happening`): the built-in ones are
# indexed. A query repeating an index's WHERE term word for word may use it.
AMENDMENT_TAGS = (Amendment.event_type,)
MERGE_TAGS = (SameAs.event_type, Split.event_type)
PLACE_TAGS = (Within.event_type,)
LINK_TAGS = (Related.event_type,)
# Every analyst entry, read to count the happenings known on a day; keyed
# by a column no other query narrows by, so they keep to the indexes above.
# Every built-in analyst entry, whatever the family grows to (an analyst
# entry of a user's own type is counted as a claim would be).
ANALYST_TAGS = tuple(
    sorted(
        tag
        for tag, cls in registered_event_types().items()
        if cls.role is Role.ANALYST and cls.__module__.startswith("timeline.")
    )
)
ANALYST_TYPES_INDEX = "entries_analyst_types"
ANALYST_INDEX = (
    "CREATE INDEX IF NOT EXISTS entries_analyst ON entries (published_day) "
    f"WHERE {any_of(ANALYST_TAGS)}",
    "CREATE INDEX IF NOT EXISTS entries_known_ids ON entries "
    "(event_id, published_day, type)",
    # The analyst entries of a few types, read for what they hold, not
    # all analyst entries and their rows: see SQLiteStore.read_types.
    f"CREATE INDEX IF NOT EXISTS {ANALYST_TYPES_INDEX} ON entries (type, seq) "
    f"WHERE {any_of(ANALYST_TAGS)}",
)
OTHER_ID = "json_extract({table}body, '$.other_event_id')"
INDEXES = (
    "CREATE INDEX IF NOT EXISTS entries_published_day ON entries (published_day)",
    "CREATE INDEX IF NOT EXISTS entries_event_id ON entries (event_id)",
    "CREATE INDEX IF NOT EXISTS entries_amendments ON entries (seq) "
    f"WHERE {any_of(AMENDMENT_TAGS)}",
    "CREATE INDEX IF NOT EXISTS entries_merged_with ON entries "
    f"({OTHER_ID.format(table='')}) WHERE {any_of(MERGE_TAGS)}",
    "CREATE INDEX IF NOT EXISTS entries_places ON entries (seq) "
    f"WHERE {any_of(PLACE_TAGS)}",
    "CREATE INDEX IF NOT EXISTS entries_links ON entries (seq) "
    f"WHERE {any_of(LINK_TAGS)}",
    *ANALYST_INDEX,
)
SCHEMA = (
    TABLE.format(name="entries"),
    *INDEXES,
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
