# SPDX-License-Identifier: MIT
"""Checking stored logs, moving a torn tail aside, rebuilding derived data.

`check()`, `repair()` and `rebuild_index()`.

Private: the public names live in `timeline.stores`. The checker walks the
stored format itself, apart from the stores' own readers, so that it can go
on past the first problem far enough to say what kind it is and where it
starts; it judges each record with the same functions they do.
"""

import contextlib
import datetime as dt
import errno
import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from timeline.errors import (
    CorruptLogError,
    ReadOnlyLogError,
    StoreError,
    TimelineError,
)
from timeline.model._clock import Clock, utc_now
from timeline.model.entry import Entry
from timeline.model.rules import first_refused
from timeline.serialization import Codec
from timeline.stores import _sqlite_firsts, _sqlite_text
from timeline.stores._check_reports import (
    SQLITE_SUFFIXES,
    Anchor,
    CheckReport,
    Problem,
    ProblemKind,
    RepairReport,
)
from timeline.stores._records import (
    GENESIS,
    decode_record,
    parse_json,
    sealed_line_text,
    torn_line_message,
)
from timeline.stores._sqlite_connect import connect
from timeline.stores._sqlite_lookups import analyst_tags
from timeline.stores._sqlite_rows import (
    SELECT,
    SELECT_VERSION_1,
    decode_row,
    read_body,
    version_1_functions,
)
from timeline.stores._urls import is_database_url, without_password
from timeline.stores.sqlite import _SCHEMA_VERSION, _SQLITE_HEADER

__all__ = ["check", "rebuild_index", "repair"]

_STEP = 1024
"""How many lines or rows between two calls of a progress callback."""
_INDEX_SHOWN = 10
"""How many seqs of a wrong text index are named, one problem each."""
_JSONL = frozenset({".jsonl"})
_SQLITE = SQLITE_SUFFIXES
_UNWRITABLE = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})
"""Why a file may be read but not written: its mode, or read-only media."""


def check(
    path: str | os.PathLike[str],
    *,
    anchor: Anchor | None = None,
    codec: Codec | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    """Return what is wrong with the log stored at *path*, changing nothing.

    It reads every entry and checks its bytes (UTF-8, JSON, batch marks),
    the hash chain (naming the first bad seq of an edited, removed, inserted
    or moved entry), that each entry decodes, that entries obey the log's
    rules (no reference to a missing happening or entry), and whether the
    file ends in a torn append. A JSON Lines file is read under a shared
    lock, so a writer's append in progress is not mistaken for a torn one.
    A database log is read in one transaction, and its text index (behind
    ``about``) checked against its entries: a row missing, stale or extra
    is a problem of kind `ProblemKind.INDEX`, naming the seq, which
    `rebuild_index` puts right.

    >>> import pathlib, tempfile
    >>> from timeline.stores import check
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "log.jsonl"
    >>> _ = path.write_bytes(b'{"seq":1,"rec')
    >>> report = check(path)
    >>> report.ok, report.torn.offset
    (False, 0)

    Args:
        path: A ``.jsonl``, ``.sqlite`` or ``.db`` file, or a
            ``postgresql://`` URL (read in one read-only transaction).
        anchor: A seq and hash noted earlier: the log must still hold that
            entry with that hash, which catches entries cut from the end
            and a chain rewritten from the start.
        codec: Decodes entries; `timeline.serialization.Codec()` by default.
        progress: Called now and then with how much is done and how much
            there is in all: bytes of a JSON Lines file; entries of a SQLite
            log, counted twice when it has a text index to check (once read,
            once indexed afresh). Not called for a PostgreSQL log.

    Raises:
        FileNotFoundError: If there is no file at *path*.
        StoreError: If no backend handles the file's suffix, or the database
            cannot be reached or holds no log.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 PostgreSQL URLs, the text index, *progress*.
    """
    codec = codec if codec is not None else Codec()
    if is_database_url(path):
        return _check_postgresql(str(path), codec, anchor)
    file = Path(path)
    if _backend(file) in _JSONL:
        with _opened(file, os.O_RDONLY, fcntl.LOCK_SH) as reader:
            scan = _scan_jsonl(file, reader, codec, progress)
            return scan.report(anchor, jsonl=True)
    return _check_sqlite(file, codec, anchor, progress)


def rebuild_index(
    path: str | os.PathLike[str],
    *,
    codec: Codec | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int | None:
    """Rebuild the text index of the database log at *path* from its entries.

    And the tables that count the happenings known on a day (SQLite and
    PostgreSQL). Only its tables' owner rebuilds a PostgreSQL log's.

    The index behind ``about`` (and ``timeline known --about``) is derived
    data: `check` reports a row of it that does not match its entry, and
    this replaces the whole index with one made afresh from every entry, in
    one transaction (all of it or none), under the log's write lock. The
    entries are read and checked first and never changed. Each entry's
    texts are read from its stored row, whatever event types this process
    registered, so a rebuild makes the same index with or without
    ``--types``.

    Args:
        path: A ``.sqlite`` or ``.db`` file, or a ``postgresql://`` URL; a
            JSON Lines file keeps no text index, and is left alone.
        codec: Decodes entries; `timeline.serialization.Codec()` by default.
        progress: Called now and then with how many entries were read and
            indexed, and twice the log's entries in all (not for PostgreSQL).

    Returns:
        How many entries the new index holds; None when nothing was rebuilt:
        the log keeps no text index, or this SQLite has no FTS5 (this
        PostgreSQL server no pg_trgm) to make one.

    Raises:
        FileNotFoundError: If there is no file at *path*.
        StoreError: If no backend handles the file's suffix, or the database
            cannot be reached or holds no log.
        ReadOnlyLogError: If the role does not own a PostgreSQL log's tables.
        CorruptLogError: If the log is damaged (see `check`): an index is
            only made from an intact log.

    .. versionadded:: 0.2.0
    """
    codec = codec if codec is not None else Codec()
    if is_database_url(path):  # psycopg, an optional extra, only for a URL
        from timeline.stores._pg_check import rebuilding  # noqa: PLC0415

        scan = _Scan(without_password(str(path)))
        with rebuilding(str(path)) as (rows, rebuild):
            _scan_rows(scan, codec, rows)
            _intact(scan.report(None, jsonl=False))
            return rebuild(scan.entries)
    if _backend(Path(path)) in _JSONL:
        return None
    file = Path(path)
    scan = _Scan(file)
    with contextlib.closing(connect(file)) as connection, connection:
        connection.execute("BEGIN IMMEDIATE")
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version != _SCHEMA_VERSION:
            # Not a log (the scan would say so), or one of layout 1, which
            # has no index until a writable open converts it.
            report = _check_sqlite(file, codec, None)
            if not report.ok:
                raise CorruptLogError(report.problems[0].message)
            return None
        total = _entry_count(connection)
        _scan_sqlite(scan, connection, codec, _part(progress, 0, total * 2))
        _intact(scan.report(None, jsonl=False))
        entries = scan.entries
        done = _sqlite_text.rebuild(
            connection, len(entries), progress=_part(progress, len(entries), total * 2)
        )
        _sqlite_firsts.build(connection, analyst_tags())
    return len(entries) if done else None


def _intact(report: CheckReport) -> None:
    if not report.ok:
        msg = (
            f"{report.problems[0].message}; an index is only rebuilt from an intact log"
        )
        raise CorruptLogError(msg)


def _part(
    progress: Callable[[int, int], None] | None, before: int, total: int
) -> Callable[[int], None] | None:
    # A callback for one stretch of a task, *before* units into it.
    if progress is None:
        return None

    def report(done: int) -> None:
        progress(before + done, total)

    return report


def _entry_count(connection: sqlite3.Connection) -> int:
    try:
        (last,) = connection.execute(
            "SELECT coalesce(max(seq), 0) FROM entries"
        ).fetchone()
    except sqlite3.OperationalError:
        return 0  # not a log: the scan says so
    return int(last)


def repair(
    path: str | os.PathLike[str],
    *,
    clock: Clock = utc_now,
    codec: Codec | None = None,
) -> RepairReport:
    """Move a torn tail out of the log at *path* into a side file.

    Only a torn tail is repaired, and only in a JSON Lines file: the bytes
    from the end of the last complete batch on are written to
    ``<path>.torn-<UTC timestamp>`` and synced, and only then is the log cut
    back to that point, so the side file and the log together always hold
    every original byte. The file is locked meanwhile. Any other problem is
    reported and left alone, and so is a SQLite database: SQLite recovers
    interrupted transactions itself when it opens one.

    Args:
        path: A ``.jsonl``, ``.sqlite`` or ``.db`` file, or a
            ``postgresql://`` URL, which is checked and left alone.
        clock: Gives the side file's timestamp.
        codec: Decodes entries; `timeline.serialization.Codec()` by default.

    A JSON Lines file this process may only read (its mode, or read-only
    media) is checked under a shared lock; sound, it is reported as it is.

    Raises:
        FileNotFoundError: If there is no file at *path*.
        StoreError: If no backend handles the file's suffix.
        ReadOnlyLogError: If the file has a torn tail and cannot be written.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       A sound log that cannot be written is reported, not refused.
    """
    codec = codec if codec is not None else Codec()
    if is_database_url(path):
        report = _check_postgresql(str(path), codec, None)
        return RepairReport(report.path, before=report, after=report)
    file = Path(path)
    if _backend(file) in _SQLITE:
        report = _check_sqlite(file, codec, None)
        return RepairReport(file, before=report, after=report)
    with contextlib.ExitStack() as stack:
        try:
            handle = stack.enter_context(_opened(file, os.O_RDWR, fcntl.LOCK_EX))
        except OSError as error:
            if error.errno not in _UNWRITABLE:
                raise
            # A log one may only read (an archive): sound, it needs nothing.
            return _unwritable(file, codec, error)
        scan = _scan_jsonl(file, handle, codec)
        before = scan.report(None, jsonl=True)
        if before.torn is None:
            return RepairReport(file, before=before, after=before)
        fd, start = handle.fileno(), scan.intact_bytes
        tail = os.pread(fd, os.fstat(fd).st_size - start, start)
        side = _write_side_file(file, tail, clock())
        try:
            os.ftruncate(fd, start)
            os.fsync(fd)
        except BaseException:
            # Interrupted (Ctrl-C) or failed: the file's size says whether
            # the log was cut. Uncut, the side file is a needless copy of a
            # tail still in the log, and goes; cut, it holds that tail.
            if os.fstat(fd).st_size > start:
                side.unlink()
            raise
        after = _scan_jsonl(file, handle, codec).report(None, jsonl=True)
    return RepairReport(
        file, before=before, after=after, side_file=side, moved=len(tail)
    )


def _unwritable(file: Path, codec: Codec, error: OSError) -> RepairReport:
    with _opened(file, os.O_RDONLY, fcntl.LOCK_SH) as handle:
        report = _scan_jsonl(file, handle, codec).report(None, jsonl=True)
    if report.torn is not None:
        msg = (
            f"{file}: cannot move its torn tail aside: the file cannot be written "
            f"({error.strerror}); copy it somewhere writable and repair the copy"
        )
        raise ReadOnlyLogError(msg) from None
    return RepairReport(file, before=report, after=report)


def _backend(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _JSONL | _SQLITE:
        msg = (
            f"{os.fspath(path)!r}: no store backend for suffix {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(_JSONL | _SQLITE))}"
        )
        raise StoreError(msg)
    if not path.is_file():
        raise FileNotFoundError(2, "no such log", str(path))
    return suffix


@contextlib.contextmanager
def _opened(path: Path, flags: int, lock: int) -> Iterator[IO[bytes]]:
    fd = os.open(path, flags | os.O_CLOEXEC)
    with os.fdopen(fd, "r+b" if flags & os.O_RDWR else "rb") as handle:
        fcntl.flock(fd, lock)
        yield handle


def _write_side_file(path: Path, data: bytes, now: dt.datetime) -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    base = path.with_name(f"{path.name}.torn-{stamp}")
    side, number = base, 1
    while True:
        try:
            fd = os.open(
                side, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644
            )
        except FileExistsError:
            number += 1
            side = base.with_name(f"{base.name}-{number}")
            continue
        break
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        # Interrupted or failed: no partial side file is left behind, and
        # the log has not been cut yet.
        os.unlink(side)
        raise
    finally:
        os.close(fd)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return side


@attrs.define
class _Scan:
    # What a scan has read so far: the entries and their hashes, how many of
    # them complete batches commit, the byte where the last complete batch
    # ends, and the problems found.
    path: Path | str
    entries: list[Entry] = attrs.Factory(list)
    hashes: list[str] = attrs.Factory(list)
    committed: int = 0
    intact_bytes: int = 0
    problems: list[Problem] = attrs.Factory(list)

    def report(self, anchor: Anchor | None, *, jsonl: bool) -> CheckReport:
        entries = self.entries[: self.committed]
        if anchor is not None:
            self._check_anchor(anchor)
        refused = first_refused(entries)
        if refused is not None:
            seq, error = refused
            message = f"{self.path} seq {seq}: {error}"
            self.problems.append(Problem(ProblemKind.INVALID, message, seq=seq))
            entries = entries[: seq - 1]
        last = Anchor(len(entries), self.hashes[len(entries) - 1]) if entries else None
        problems = tuple(sorted(self.problems, key=_position))
        return CheckReport(
            self.path,
            len(entries),
            last,
            problems,
            intact_bytes=self.intact_bytes if jsonl else None,
        )

    def _check_anchor(self, anchor: Anchor) -> None:
        # A torn batch may be committed lines cut short; other damage up to
        # the anchor is reported already.
        if any(
            problem.kind is not ProblemKind.TORN
            and problem.seq is not None
            and problem.seq <= anchor.seq
            for problem in self.problems
        ):
            return
        if anchor.seq > self.committed:
            message = (
                f"{self.path} seq {self.committed + 1}: the log ends at seq "
                f"{self.committed}, but was anchored at seq {anchor.seq}: entries "
                "were cut from its end"
            )
            seq = self.committed + 1
        elif anchor.seq >= 1 and self.hashes[anchor.seq - 1] != anchor.hash:
            message = (
                f"{self.path} seq {anchor.seq}: its hash is not the anchored "
                f"{anchor.hash}: an entry up to seq {anchor.seq} was rewritten along "
                "with every later hash"
            )
            seq = anchor.seq
        else:
            return
        self.problems.append(Problem(ProblemKind.TAMPERED, message, seq=seq))


def _position(problem: Problem) -> float:
    return problem.seq if problem.seq is not None else float("inf")


def _scan_jsonl(
    path: Path,
    handle: IO[bytes],
    codec: Codec,
    progress: Callable[[int, int], None] | None = None,
) -> _Scan:
    scan = _Scan(path)
    handle.seek(0)
    size = os.fstat(handle.fileno()).st_size
    offset, previous = 0, GENESIS
    batch_start: tuple[int, int] | None = None  # (line, byte) of an open batch
    remaining = 0
    for line, raw in enumerate(handle, start=1):
        if progress is not None and not line % _STEP:
            progress(offset, size)
        where = f"{path} line {line}"
        if not raw.endswith(b"\n"):
            batch = start_line, start = batch_start or (line, offset)
            message = torn_line_message(
                where, offset=offset, length=len(raw), batch=batch, line=line
            )
            scan.problems.append(
                Problem(ProblemKind.TORN, message, seq=start_line, offset=start)
            )
            return scan
        problem = _read_line(
            scan, codec, raw, line=line, previous=previous, remaining=remaining
        )
        if isinstance(problem, Problem):
            scan.problems.append(attrs.evolve(problem, offset=offset))
            return scan
        previous, more = problem
        if more and not remaining:
            batch_start = (line, offset)
        remaining = more
        offset += len(raw)
        if not more:
            batch_start = None
            scan.committed, scan.intact_bytes = line, offset
    if batch_start is not None:
        start_line, start = batch_start
        message = (
            f"{path} line {start_line}: the batch starting there (byte {start}) "
            f"lacks its last {remaining} line(s): an append was interrupted; the "
            f"log is intact up to byte {start}"
        )
        scan.problems.append(
            Problem(ProblemKind.TORN, message, seq=start_line, offset=start)
        )
    return scan


def _read_line(
    scan: _Scan, codec: Codec, raw: bytes, *, line: int, previous: str, remaining: int
) -> Problem | tuple[str, int]:
    # Returns the line's hash and batch count, or what is wrong with it.
    where = f"{scan.path} line {line}"
    try:
        text = raw.decode("utf-8")
        record = parse_json(text, end=len(text) - 1)
    except (ValueError, RecursionError) as error:
        return Problem(
            ProblemKind.GARBLED, f"{where}: not a JSON record: {error}", line
        )
    if not isinstance(record, dict):
        message = f"{where}: expected a JSON object, got {type(record).__name__}"
        return Problem(ProblemKind.GARBLED, message, line)
    more = record.get("more", 0)
    found = _decode(
        scan,
        codec,
        record,
        line=line,
        previous=previous,
        where=where,
        text=sealed_line_text(text),
    )
    if isinstance(found, Problem):
        return found
    if type(more) is not int or more < 0 or (remaining and more != remaining - 1):
        message = (
            f"{where}: 'more' should count the batch's lines still to come "
            f"({max(remaining - 1, 0)} or more), got {more!r:.80}"
        )
        return Problem(ProblemKind.GARBLED, message, line)
    return found, more


def _decode(
    scan: _Scan,
    codec: Codec,
    record: dict[str, Any],
    *,
    line: int,
    previous: str,
    where: str,
    text: str | None = None,
) -> Problem | str:
    # Decodes one sealed record as the seq-th entry, adding it to the scan;
    # *text* is what its hash seals, if the caller can tell.
    try:
        entry, sealed = decode_record(
            codec,
            record,
            sealed=record.pop("hash", None),
            previous=previous,
            seq=line,
            where=where,
            extra=("more",),
            text=text,
        )
    except CorruptLogError as error:
        return Problem(ProblemKind.TAMPERED, str(error), line)
    except TimelineError as error:
        return Problem(ProblemKind.UNREADABLE, str(error), line)
    scan.entries.append(entry)
    scan.hashes.append(sealed)
    return sealed


def _check_sqlite(
    path: Path,
    codec: Codec,
    anchor: Anchor | None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    scan = _Scan(path)
    with path.open("rb") as file:
        header = file.read(len(_SQLITE_HEADER))
    if not header:
        return scan.report(anchor, jsonl=False)  # SQLite's empty database.
    if header != _SQLITE_HEADER:
        message = f"{path}: not a SQLite database: no SQLite header"
        scan.problems.append(Problem(ProblemKind.GARBLED, message))
        return scan.report(anchor, jsonl=False)
    try:
        # Read-only: checking never writes, not even a WAL checkpoint (the
        # index is indexed afresh in the temporary schema). One transaction:
        # the index is checked against the entries read, not against those
        # a writer appended meanwhile.
        with (
            contextlib.closing(connect(path, read_only=True)) as connection,
            connection,
        ):
            connection.execute("BEGIN")
            total = _entry_count(connection)
            indexed = _sqlite_text.covered(connection)
            total += 0 if indexed is None else min(indexed, total)
            _scan_sqlite(scan, connection, codec, _part(progress, 0, total))
            report = scan.report(anchor, jsonl=False)
            if not report.ok:
                return report  # the index of a damaged log is beside the point
            rest = _part(progress, scan.committed, total)
            wrong = _index_problems(
                scan, _sqlite_text.verify(connection, len(scan.entries), progress=rest)
            )
            firsts = _sqlite_firsts.problems(connection, analyst_tags(), str(path))
            wrong += tuple(Problem(ProblemKind.INDEX, each) for each in firsts)
            return attrs.evolve(report, problems=wrong)
    except sqlite3.DatabaseError as error:
        message = f"{path}: SQLite cannot read it: {error}"
        scan.problems.append(Problem(ProblemKind.GARBLED, message))
    return scan.report(anchor, jsonl=False)


def _index_problems(scan: _Scan, wrong: dict[int, str] | None) -> tuple[Problem, ...]:
    if not wrong:
        return ()
    what = {
        "missing": "has no row for this entry",
        "stale": "holds other texts than this entry's",
        "extra": "holds a row for this seq, which it should not (no entry, or past "
        "the last seq it covers)",
        "older": "was made by an older timeline, from the event types of the "
        "process writing each entry, and is never used",
    }
    advice = (
        "the log itself is intact, only the index (behind --about) is wrong: "
        f"rebuild it with 'timeline check --rebuild {scan.path}'"
    )
    problems = [
        Problem(
            ProblemKind.INDEX,
            f"{scan.path}{'' if kind == 'older' else f' seq {seq}'}: the text "
            f"index {what[kind]}; {advice}",
            seq=None if kind == "older" else seq,
        )
        for seq, kind in list(wrong.items())[:_INDEX_SHOWN]
    ]
    more = len(wrong) - _INDEX_SHOWN
    if more > 0:
        message = (
            f"{scan.path}: the text index is also wrong for {more} more "
            f"seq(s) after seq {list(wrong)[_INDEX_SHOWN - 1]}; {advice}"
        )
        problems.append(Problem(ProblemKind.INDEX, message))
    return tuple(problems)


def _scan_sqlite(
    scan: _Scan,
    connection: sqlite3.Connection,
    codec: Codec,
    progress: Callable[[int], None] | None = None,
) -> None:
    path = scan.path
    damage = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
    if damage != ["ok"]:
        message = f"{path}: SQLite finds the database damaged: {'; '.join(damage)}"
        scan.problems.append(Problem(ProblemKind.GARBLED, message))
        return
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    if not tables and version == 0:
        return  # An empty database: opening it as a log will make it one.
    if "entries" not in tables or version not in {1, _SCHEMA_VERSION}:
        message = (
            f"{path}: not a timeline log this code reads (tables: "
            f"{', '.join(_sqlite_text.shown(tables)) or 'none'}; "
            f"schema version {version})"
        )
        scan.problems.append(Problem(ProblemKind.GARBLED, message))
        return
    # A log of version 1 is read as opening it would convert it, and left
    # as it is.
    columns = SELECT
    if version == 1:
        version_1_functions(connection)
        columns = SELECT_VERSION_1
    rows = connection.execute(
        f"SELECT {columns} FROM entries ORDER BY seq"  # noqa: S608  # fixed names
    )
    _scan_rows(scan, codec, rows, progress)


def _check_postgresql(url: str, codec: Codec, anchor: Anchor | None) -> CheckReport:
    # Imported here: psycopg is an optional extra, and only a URL needs it.
    from timeline.stores._pg_check import scanned_rows  # noqa: PLC0415

    scan = _Scan(without_password(url))
    try:
        with scanned_rows(url) as (rows, verify, counted):
            _scan_rows(scan, codec, rows)
            report = scan.report(anchor, jsonl=False)
            # The index of a damaged log is beside the point.
            wrong = (
                _index_problems(scan, verify(scan.entries))
                + tuple(Problem(ProblemKind.INDEX, each) for each in counted())
                if report.ok
                else ()
            )
            return attrs.evolve(report, problems=report.problems + wrong)
    except CorruptLogError as error:
        scan.problems.append(Problem(ProblemKind.GARBLED, str(error)))
    return scan.report(anchor, jsonl=False)


def _scan_rows(
    scan: _Scan,
    codec: Codec,
    rows: Iterable[tuple[Any, ...]],
    progress: Callable[[int], None] | None = None,
) -> None:
    # Each row of a database log, in seq order, checked against the chain.
    path = scan.path
    previous = GENESIS
    for position, row in enumerate(rows, start=1):
        if progress is not None and not position % _STEP:
            progress(position)
        if row[0] != position:
            message = (
                f"{path} seq {position}: missing (the next row is seq "
                f"{row[0]}): an entry was removed or renumbered"
            )
            scan.problems.append(Problem(ProblemKind.TAMPERED, message, position))
            return
        problem = _read_row(scan, codec, row, previous)
        if isinstance(problem, Problem):
            scan.problems.append(problem)
            return
        previous = problem
        scan.committed = position


def _read_row(
    scan: _Scan, codec: Codec, row: tuple[Any, ...], previous: str
) -> Problem | str:
    seq: int = row[0]
    where = f"{scan.path} seq {seq}"
    try:
        payload = read_body(row[6], where=where)
    except CorruptLogError as error:
        return Problem(ProblemKind.GARBLED, str(error), seq)
    try:
        entry, sealed = decode_row(
            codec, row, payload, previous=previous, seq=seq, where=where
        )
    except CorruptLogError as error:
        return Problem(ProblemKind.TAMPERED, str(error), seq)
    except TimelineError as error:
        return Problem(ProblemKind.UNREADABLE, str(error), seq)
    scan.entries.append(entry)
    scan.hashes.append(sealed)
    return sealed
