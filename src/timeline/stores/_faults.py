# SPDX-License-Identifier: MIT
"""How the stores name what the file system and SQLite refuse.

Every failure of a write becomes a `StorageError` (a `StorageFullError` when
there is no room) that names the file and says the batch was not appended;
every sign of a damaged database file on a read becomes a `CorruptLogError`
that names the file and the command that checks it. Raw `OSError` and
`sqlite3.Error` never reach a caller of a store.

Private: the errors are public in `timeline.errors`.
"""

import errno
import os
import sqlite3
from pathlib import Path

from timeline.errors import (
    CorruptLogError,
    ReadOnlyLogError,
    StorageError,
    StorageFullError,
)

_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def write_refused(
    path: str | os.PathLike[str], error: OSError, count: int
) -> StorageError:
    """Return the error for a batch of *count* entries the file system refused.

    Args:
        path: The log's file.
        error: What the file system said.
        count: How many entries the batch held.
    """
    code = error.errno if error.errno is not None else errno.EIO
    reason = error.strerror or str(error)
    return _refused(path, code, reason, count)


def sqlite_write_refused(
    path: str | os.PathLike[str], error: sqlite3.Error, count: int
) -> StorageError | None:
    """Return the error for a batch SQLite could not write, or None.

    None when *error* is not about the file system (a lock held too long,
    say), for the caller to handle as before.
    """
    code = getattr(error, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return _refused(path, errno.ENOSPC, "the disk is full", count)
    if code is not None and code & 0xFF == sqlite3.SQLITE_IOERR:
        return _refused(path, errno.EIO, f"SQLite could not write: {error}", count)
    return None


def damaged(path: str | os.PathLike[str], error: sqlite3.Error) -> CorruptLogError:
    """Return the error for a database that cannot be read as SQLite wrote it.

    Args:
        path: The database file.
        error: What SQLite said while reading it.
    """
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
        return CorruptLogError(f"{path}: not a SQLite database: {error}")
    msg = (
        f"{path}: the database is damaged ({error}); run `timeline check {path}` "
        "to find where"
    )
    return CorruptLogError(msg)


def refuse_if_unwritable(path: Path) -> None:
    """Raise `ReadOnlyLogError` if the existing file at *path* cannot be written.

    A read-only file system, or a file the user may only read: opening it
    to append would fail later and less clearly.
    """
    if not path.exists():
        return
    read_only_media = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    if read_only_media or not os.access(path, os.W_OK):
        where = (
            "is on a read-only file system" if read_only_media else "may not be written"
        )
        msg = (
            f"{path}: the log {where}; open it read-only to ask it questions "
            f"(EventLog.open(path, mode='r')), or copy it somewhere writable to "
            "append"
        )
        raise ReadOnlyLogError(msg)


def refuse_append(path: Path) -> ReadOnlyLogError:
    """Return the error for an append to a store opened read-only."""
    msg = (
        f"{path}: opened read-only (mode='r'), so nothing can be appended; "
        "open it with mode='a' to append"
    )
    return ReadOnlyLogError(msg)


def _refused(
    path: str | os.PathLike[str], code: int, reason: str, count: int
) -> StorageError:
    full = code in _FULL
    batch = {0: "the batch", 1: "the batch of 1 entry"}.get(
        count, f"the batch of {count} entries"
    )
    msg = f"{path}: {reason}: {batch} was not appended and the log is unchanged" + (
        "; free some space and append again" if full else ""
    )
    cls = StorageFullError if full else StorageError
    return cls(code, msg, os.fspath(path))
