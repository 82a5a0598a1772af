# SPDX-License-Identifier: MIT
"""How a SQLite log is opened: connections, read-only ones included.

Private to `timeline.stores`: `timeline.stores.sqlite` and
`timeline.stores.check` open logs with `connect`.
"""

import sqlite3
from pathlib import Path

from timeline.errors import CorruptLogError, ReadOnlyLogError

__all__ = ["SQLITE_HEADER", "connect", "is_blank_database"]

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""


def connect(
    path: Path, *, read_only: bool = False, timeout: float = 5.0
) -> sqlite3.Connection:
    """Return a connection to the database at *path*, in autocommit mode.

    Read-only, it opens with SQLite's ``mode=ro``, which never writes the
    file. Where SQLite cannot even create the shared-memory file a reader
    of a WAL database needs (read-only media, a folder the user may not
    write), it opens with ``immutable=1`` instead, unless the WAL file holds
    committed entries not yet in the database, which that would hide.

    Raises:
        sqlite3.Error: If SQLite cannot open it.
        ReadOnlyLogError: If committed entries wait in a WAL file that
            cannot be read where the log lies.
    """
    if not read_only:
        return sqlite3.connect(path, timeout=timeout, isolation_level=None)
    uri = f"{path.absolute().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as error:
        connection.close()
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code not in {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY}:
            raise
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            msg = (
                f"{path}: its write-ahead log {wal.name} holds entries not yet in "
                "the database, and SQLite cannot read it where it lies (read-only "
                "media?): copy both files somewhere writable and read them there"
            )
            raise ReadOnlyLogError(msg) from None
        connection = sqlite3.connect(
            f"{uri}&immutable=1", uri=True, timeout=timeout, isolation_level=None
        )
    return connection


def is_blank_database(path: Path) -> bool:
    # An empty file, or one that starts as every SQLite database does.
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) in {b"", SQLITE_HEADER}


SMALL_LOG_BYTES = 8 * 1024 * 1024
"""Up to this size, a SQLite log's pages are checked whole whenever it is opened."""


def check_pages(connection: sqlite3.Connection, path: Path) -> None:
    """Raise `CorruptLogError` if a small log's pages are damaged.

    A log of up to `SMALL_LOG_BYTES` (about 15,000 entries) is checked
    with SQLite's ``PRAGMA quick_check``, which reads every page (about
    10 ms a MiB): a damaged page of an index would otherwise let a query
    pass over rows without any error, where the hash chain checked on
    every row read cannot see what was never read. A larger log is not
    read whole on open; ``timeline check`` finds such damage there.
    """
    try:
        size = path.stat().st_size
    except OSError:
        return  # gone, or not ours to see: the reads will say
    if size > SMALL_LOG_BYTES:
        return
    try:
        found = connection.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        found = [(str(error),)]
    except UnicodeDecodeError:
        # Its report quotes damaged text, which is not UTF-8.
        raise damaged_text(path) from None
    if found != [("ok",)]:
        # SQLite's report is a line a problem, under a line naming the
        # database: the first problem, and how many more, on one line.
        said = [
            line
            for (text,) in found
            for line in str(text).splitlines()
            if line and not line.startswith("***")
        ] or ["no problem named"]
        more = f" and {len(said) - 1} more problems" if len(said) > 1 else ""
        raise damaged_text(path, said[0] + more)


def damaged_text(path: Path, said: str = "text that is not UTF-8") -> CorruptLogError:
    """Return the error for a database whose pages or text are damaged."""
    msg = (
        f"{path}: the database is damaged ({said}); run `timeline check {path}` "
        "to find where"
    )
    return CorruptLogError(msg)
