# SPDX-License-Identifier: MIT
"""The layout of a PostgreSQL log: its tables, indexes, trigger and text index.

Private to `timeline.stores.postgresql`, whose docstring describes the
layout. Every name here is fixed text: no value from outside ever reaches
these statements.
"""

import zlib
from collections.abc import Callable
from typing import Any

import attrs
import psycopg
from psycopg import sql

from timeline.model.events import (
    AnalystEntry,
    Related,
    SameAs,
    Split,
    Within,
    registered_event_types,
)

__all__ = [
    "COPY_TEXT",
    "CREATE_LOCK",
    "LAYOUT",
    "LAYOUTS",
    "LINK_INDEX",
    "MERGES",
    "OLD_LAYOUT",
    "SCHEMA",
    "TABLE",
    "TEXT_SCHEMA",
    "TEXT_TABLE",
    "Found",
    "analyst_tags",
    "create_text_index",
    "grant_like",
    "link_tags",
    "within_tags",
]

TABLE = "timeline_entries"
"""The table a log is kept in."""
TEXT_TABLE = "timeline_entries_text"
"""The table of each entry's searched texts, indexed by trigrams (pg_trgm)."""
COPY_TEXT = f"COPY {TEXT_TABLE} (seq, text) FROM STDIN"
"""Copies rows into the text index, as ``_pg_rows.text_rows`` makes them."""
OLD_LAYOUT = "timeline log, layout 1"
"""The first layout: ``other_event_id`` held only for merges and splits."""
LAYOUT = "timeline log, layout 2"
"""The table's comment, which says it holds a timeline log and in what layout.

Layout 2 holds ``other_event_id`` for every link between happenings too
(`timeline.model.events.Related`), so one statement can follow a
happening's merges and links; a table of layout 1 holding no link without
it is marked layout 2 when its owner opens it for writing.
"""
LAYOUTS = (OLD_LAYOUT, LAYOUT)
"""The layouts this code reads."""

# Merges and splits name a second happening: a column of its own, indexed,
# copied from the body as event_id is. (An index on the body read as JSON
# would refuse a body holding an escaped NUL, \u0000, which a claim's text
# may hold: PostgreSQL's JSON functions cannot give it back as text.)
MERGES = f"type IN ('{SameAs.event_type}', '{Split.event_type}')"
# The advisory lock that serialises creating the table, database-wide; the
# one that serialises appends is keyed on the table's oid.
CREATE_LOCK = zlib.crc32(b"timeline: create the log's table") & 0x7FFF_FFFF
LINK_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {TABLE}_merged_with ON {TABLE} (other_event_id) "
    "WHERE other_event_id IS NOT NULL"
)
SCHEMA = (
    f"""
    CREATE TABLE {TABLE} (
        seq bigint PRIMARY KEY,
        recorded_at text NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        event_id text NOT NULL,
        published_day integer NOT NULL,
        body text NOT NULL,
        hash bytea NOT NULL,
        other_event_id text
    )
    """,
    f"CREATE INDEX {TABLE}_published_day ON {TABLE} (published_day)",
    f"CREATE INDEX {TABLE}_event_id ON {TABLE} (event_id)",
    f"CREATE INDEX {TABLE}_type ON {TABLE} (type, seq)",
    LINK_INDEX,
    """
    CREATE OR REPLACE FUNCTION timeline_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'timeline: % on %: a log is append-only; entries are '
            'never updated or deleted (append a correction instead)',
            TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION timeline_refuse_change()",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION timeline_refuse_change()",
    f"COMMENT ON TABLE {TABLE} IS '{LAYOUT}'",
)
TEXT_SCHEMA = (
    f"""
    CREATE TABLE IF NOT EXISTS {TEXT_TABLE} (
        seq bigint PRIMARY KEY,
        text text NOT NULL
    )
    """,
    # {ops} is the operator class, named in pg_trgm's own schema.
    f"CREATE INDEX IF NOT EXISTS {TEXT_TABLE}_trigrams ON {TEXT_TABLE} "
    "USING gin (text {ops})",
)


def _tags(*classes: type) -> list[str]:
    # The tags of the registered types of these classes or their subclasses.
    return sorted(
        tag for tag, cls in registered_event_types().items() if issubclass(cls, classes)
    )


def analyst_tags() -> list[str]:
    """Return the tags of every registered analyst entry type, users' included."""
    return _tags(AnalystEntry)


def link_tags() -> list[str]:
    """Return the tags of the links between happenings (`Related` and its kind)."""
    return _tags(Related)


def within_tags() -> list[str]:
    """Return the tags of `Within` and its subclasses."""
    return _tags(Within)


@attrs.frozen
class Found:
    """What opening learns of the log's table, in one statement."""

    oid: int
    layout: str
    owned: bool  # whether this role owns the table, and may change its layout
    has_text: bool  # whether the text index exists
    text_writable: bool  # and this role may write to it

    @property
    def lacks_derived(self) -> bool:
        """Return whether the text index or layout 2 is missing."""
        return self.layout != LAYOUT or not self.has_text


def create_text_index(
    connection: "psycopg.Connection[Any]",
    fill: Callable[["psycopg.Connection[Any]"], None] | None = None,
) -> bool:
    """Create the text index, unless the server or the role cannot; say whether.

    pg_trgm, and the table of texts with its trigram index, granted to
    the roles that may read or append to the log's table, in a savepoint:
    a server without pg_trgm, or a role that may not create it, leaves the
    log without one. *fill*, if given, writes the table's rows before its
    index is made (indexing them all at once); it must raise no
    `psycopg.Error`, which would be taken for the server lacking pg_trgm.
    """
    try:
        with connection.transaction():
            connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            row = connection.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension "
                "WHERE extname = 'pg_trgm'"
            ).fetchone()
            schema = row[0] if row is not None else "public"
            table, index = TEXT_SCHEMA
            connection.execute(table)
            if fill is not None:
                fill(connection)
            # The schema's name as the catalog quotes it.
            connection.execute(index.format(ops=f"{schema}.gin_trgm_ops"))
            grant_like(connection, TEXT_TABLE, write=("INSERT",))
    except psycopg.Error:
        return False
    return True


def grant_like(
    connection: "psycopg.Connection[Any]", table: str, *, write: tuple[str, ...]
) -> None:
    """Grant on derived *table* what the log's table grants, as its owner.

    Reading (SELECT) to the roles that may read the log's table, and the
    privileges *write* to those that may append to it (INSERT).
    """
    grants = connection.execute(
        "SELECT r.rolname, a.privilege_type FROM pg_class AS c "
        "CROSS JOIN aclexplode(c.relacl) AS a "
        "LEFT JOIN pg_roles AS r ON r.oid = a.grantee "
        "WHERE c.oid = to_regclass(%s) "
        "AND a.grantee <> c.relowner "
        "AND a.privilege_type IN ('SELECT', 'INSERT')",
        (TABLE,),
    ).fetchall()
    for grantee, privilege in grants:
        connection.execute(
            sql.SQL("GRANT {} ON {} TO {}").format(
                sql.SQL(", ").join(
                    map(sql.SQL, write if privilege == "INSERT" else ("SELECT",))
                ),
                sql.Identifier(table),
                sql.SQL("PUBLIC")
                if grantee is None  # grantee 0, PUBLIC
                else sql.Identifier(grantee),
            )
        )
