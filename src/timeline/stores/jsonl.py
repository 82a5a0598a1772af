# SPDX-License-Identifier: MIT
"""A store that appends one JSON object per line to a file, sealed by a hash chain.

Each line is the entry's envelope (see `timeline.serialization.Codec`) as
canonical JSON (sorted keys, no spaces, UTF-8 text as is) with a ``hash``
added as its last key: the SHA-256 of the previous line's hash followed by
the line's own content as canonical JSON, which is the line up to its hash;
the first line chains from the empty string. Editing, removing or
reordering a line breaks the chain at that line, and the store refuses to
read past it. Lines of the earlier layout (the codec's key order, written
before timeline 0.1.0 was released) read as well, at the price of
serializing each record again to check it.

A batch of several entries is committed whole or not at all: every line of it
but the last carries ``"more": n``, the number of lines of the batch still to
come, so a batch cut short by a crash is recognised and not read as
committed. A batch of one entry adds nothing to the envelope.
"""

import contextlib
import datetime as dt
import errno
import fcntl
import os
import stat
import warnings
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from timeline._gc import collection_paused
from timeline.errors import CorruptLogError, StoreError, TornTailWarning
from timeline.model.entry import Entry
from timeline.serialization import Codec
from timeline.stores._faults import refuse_append, refuse_if_unwritable, write_refused
from timeline.stores._records import (
    CHANGED_WHEN_READ,
    GENESIS,
    ClosingOnExit,
    Known,
    canonical_checked,
    canonical_json,
    canonical_text,
    check_batch,
    check_reads_back,
    decode_record,
    envelope_parts,
    is_plain_json,
    parse_fast,
    parse_json,
    seal,
    sealed_line_text,
    torn_line_message,
    unreadable,
)

__all__ = ["JsonlStore"]


class JsonlStore(ClosingOnExit):
    """A log kept as a JSON Lines file: diffable, reviewable, append-only.

    Opening reads and checks the whole file. Appends take an exclusive
    `fcntl.flock` on it, first read whatever other processes appended since,
    then write whole lines in one ``write`` followed by ``fsync``: when
    `append` returns, the entries are on disk. Reads take a shared lock, so
    they never see half of another process's append.

    Args:
        path: The file; created (empty) if missing and *create* is true.
        create: Whether to create a missing file rather than fail.
        codec: Encodes and decodes entries; `Codec()` by default.
        read_only: Open for reading only, under a shared lock: nothing is
            ever written, and appends are refused.

    Raises:
        FileNotFoundError: If the file is missing and *create* is false.
        CorruptLogError: If a line is torn (an interrupted append), is not
            JSON, or breaks the hash chain; the message names the line.
            Opened with *read_only*, a torn final line (or a batch cut
            short at the end) is no error: the committed entries before it
            are read, with one `TornTailWarning` naming the byte where the
            tear begins and the command that repairs it.
        InvalidEntryError: Or another error of `Codec.entry_from_dict`, if a
            correctly sealed line holds an entry this code cannot read.

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_codec",
        "_entries",
        "_fd",
        "_last_hash",
        "_offset",
        "_path",
        "_read_only",
        "_torn_warned",
    )

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        codec: Codec | None = None,
        read_only: bool = False,
    ) -> None:
        self._path = Path(path)
        self._codec = codec if codec is not None else Codec()
        self._entries: list[Entry] = []
        self._offset = 0
        self._last_hash = GENESIS
        self._read_only = read_only
        self._torn_warned = False
        existed = self._path.exists()
        if read_only:
            # A shared lock needs no write access: nothing is ever written.
            flags, create = os.O_RDONLY | os.O_CLOEXEC, False
        else:
            refuse_if_unwritable(self._path)
            flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
        fd = os.open(self._path, flags | (os.O_CREAT if create else 0), 0o644)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            # Opening a folder for reading succeeds; reading it would not.
            os.close(fd)
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        self._fd: int | None = fd
        try:
            if not existed:
                _fsync_directory(self._path.parent)
            with self._locked(fcntl.LOCK_SH) as locked:
                self._catch_up(locked)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"JsonlStore({str(self._path)!r})"

    def __len__(self) -> int:
        with self._locked(fcntl.LOCK_SH) as fd:
            self._catch_up(fd)
        return len(self._entries)

    @property
    def path(self) -> Path:
        """Return the file this store reads and appends to."""
        return self._path

    def append(self, entries: Sequence[Entry]) -> None:
        """Write *entries* at the end of the file, durably: all of them, or none.

        Raises:
            ConcurrencyError: If the first entry's seq does not follow the
                last one in the file (another process appended first).
            InvalidEntryError: If an item is not an entry, seqs skip, or an
                entry would not read back as written.
            CorruptLogError: If what another process appended is corrupt.
            StoreError: If the store is closed.
            StorageError: If writing fails (`StorageFullError` when there is
                no room); the file is cut back to where it ended. Both are
                also ``OSError``.
        """
        self._append(lambda _: entries, after=None)

    def append_after(
        self, seq: int, build: Callable[[Sequence[Entry]], Sequence[Entry]]
    ) -> list[Entry]:
        """Append the batch *build* makes, holding the file's exclusive lock.

        Args:
            seq: The last seq the caller holds.
            build: Called once, under the lock, with the entries numbered
                above *seq* (other processes' appends); returns the batch.

        Returns:
            The batch, as appended.

        Raises:
            ConcurrencyError: If the batch does not follow the last line.
            InvalidEntryError: If an item is not an entry, seqs skip, or an
                entry would not read back as written.
            CorruptLogError: If what another process appended is corrupt.
            StoreError: If the store is closed.
            StorageError: If writing fails (`StorageFullError` when there is
                no room); the file is cut back to where it ended. Both are
                also ``OSError``.
        """
        return self._append(build, after=seq)

    def _append(
        self, build: Callable[[Sequence[Entry]], Sequence[Entry]], *, after: int | None
    ) -> list[Entry]:
        # One exclusive lock covers catching up, building the batch and
        # writing it, so no other process can append in between.
        if self._read_only:
            raise refuse_append(self._path)
        with self._locked(fcntl.LOCK_EX) as fd:
            self._catch_up(fd)
            others = [] if after is None else self._entries[max(after, 0) :]
            batch = check_batch(
                build(others), last_seq=len(self._entries), where=repr(self)
            )
            if not batch:
                return batch
            data, last_hash = self._encode(batch)
            self._write(fd, data, len(batch))
            self._entries.extend(batch)
            self._offset += len(data)
            self._last_hash = last_hash
        return batch

    def _encode(self, batch: list[Entry]) -> tuple[bytes, str]:
        # The batch's lines, each entry refused unless it reads back as
        # itself: one entry that would not read back must not make the
        # whole log unreadable.
        where, codec = repr(self), self._codec
        lines, last_hash = [], self._last_hash
        with collection_paused():
            for index, entry in enumerate(batch):
                # An envelope the codec vouches for reads back as the entry;
                # any other is decoded again below to make sure.
                envelope = codec.checked_envelope(entry)
                checked = envelope is not None
                if envelope is None:
                    envelope = codec.entry_to_dict(entry)
                more = len(batch) - 1 - index
                try:
                    if checked:
                        # The codec's own envelope, plain JSON of known
                        # keys, of which "more" sorts first, as the line
                        # has it; it is this store's to change.
                        if more:
                            envelope["more"] = more
                        text = canonical_checked(envelope)
                        line = text[:-1]
                    else:
                        text, line = _texts(envelope, more)
                    # Refuses a lone surrogate, which UTF-8 cannot hold.
                    last_hash = seal(last_hash, text)
                    line = f'{line},"hash":"{last_hash}"}}\n'
                    if checked:
                        lines.append(line)
                        continue
                    # What a reader hands the codec: the envelope itself
                    # when JSON gives it back unchanged, else the line read.
                    read, reread = envelope, text
                    if not is_plain_json(envelope):
                        read, reread = _envelope(line)
                except (TypeError, ValueError, RecursionError) as error:
                    raise unreadable(entry, error, where=where) from None
                check_reads_back(codec, entry, read, where=where)
                if reread != text:
                    raise unreadable(entry, CHANGED_WHEN_READ, where=where)
                lines.append(line)
            return "".join(lines).encode("utf-8"), last_hash

    def read(self) -> Iterator[Entry]:
        """Return every entry, in seq order, including other processes' appends.

        Raises:
            CorruptLogError: If what another process appended is corrupt.
            StoreError: If the store is closed.
        """
        with self._locked(fcntl.LOCK_SH) as fd:
            self._catch_up(fd)
        return iter(list(self._entries))

    def read_after(self, seq: int) -> list[Entry]:
        """Return the entries numbered above *seq*, taking in other processes' appends.

        Reads only the lines appended since this store last looked.

        Raises:
            CorruptLogError: If what another process appended is corrupt.
            StoreError: If the store is closed.
        """
        with self._locked(fcntl.LOCK_SH) as fd:
            self._catch_up(fd)
        return self._entries[max(seq, 0) :]

    def read_known(
        self,
        *,
        published_until: dt.date | None = None,
        event_ids: Collection[str] | None = None,
        seq_until: int | None = None,
    ) -> Iterator[Entry]:
        """Return the entries that pass every given filter, in seq order, by a scan.

        Args:
            published_until: Only entries whose report was published on or
                before this day.
            event_ids: Only entries whose ``event_id`` is one of these.
            seq_until: Only entries numbered up to this seq, inclusive.

        Raises:
            InvalidDateError: If *published_until* is not a day.
            TypeError: If *event_ids* or *seq_until* has the wrong type.
            CorruptLogError: If what another process appended is corrupt.
            StoreError: If the store is closed.
        """
        known = Known.check(
            published_until=published_until, event_ids=event_ids, seq_until=seq_until
        )
        return known.filter(self.read())

    def close(self) -> None:
        """Close the file; later calls but `close` raise `StoreError`."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @contextlib.contextmanager
    def _locked(self, operation: int) -> Iterator[int]:
        if self._fd is None:
            msg = f"{self!r} is closed"
            raise StoreError(msg)
        fd = self._fd
        fcntl.flock(fd, operation)
        try:
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _catch_up(self, fd: int) -> None:
        # Reads the lines appended since the last call (all of them, the
        # first time) and keeps them only if every one checks out, so a
        # failure leaves the store as it was. The caller holds a lock on fd.
        size = os.fstat(fd).st_size
        if size == self._offset:
            return
        if size < self._offset:
            msg = (
                f"{self._path}: the file shrank from {self._offset} to {size} bytes "
                "while open: something outside this store cut it"
            )
            raise CorruptLogError(msg)
        new: list[Entry] = []
        offset, last_hash, line_number = (
            self._offset,
            self._last_hash,
            len(self._entries),
        )
        # Where the batch being read began (line, byte), while lines of it
        # are still to come; the log is intact up to that byte.
        batch: tuple[int, int] | None = None
        batch_hash = last_hash  # the chain's hash before that batch
        torn: int | None = None
        remaining = 0
        codec = self._codec
        read = codec._entry_reader()  # the stores' own
        with collection_paused(), os.fdopen(os.dup(fd), "rb") as reader:
            reader.seek(offset)
            for raw in reader:
                if self._read_only and not raw.endswith(b"\n"):
                    # Only the last line can lack its newline: a torn tail,
                    # which a read-only open reads up to (see _torn).
                    torn = offset
                    break
                line_number += 1
                previous = last_hash
                # A line as this store writes it takes the short way; any
                # other line, and any failure, the checked way, which names
                # what is wrong.
                found = self._read_sealed(raw, last_hash, line_number, remaining, read)
                if found is not None:
                    entry, last_hash, more = found
                else:
                    entry, last_hash, more = self._read_checked(
                        raw,
                        where=f"{self._path} line {line_number}",
                        previous=last_hash,
                        seq=line_number,
                        offset=offset,
                        batch=batch,
                        remaining=remaining,
                    )
                if more and not remaining:
                    batch, batch_hash = (line_number, offset), previous
                elif not more:
                    batch = None
                remaining = more
                new.append(entry)
                offset += len(raw)
        if batch is not None and self._read_only:
            # A batch cut short is torn too: read what was committed before.
            first_line, start = batch
            del new[first_line - len(self._entries) - 1 :]
            offset, last_hash, batch = start, batch_hash, None
            torn = start if torn is None else torn
        if torn is not None:
            self._warn_torn(torn, offset, len(self._entries) + len(new))
        if batch is not None:
            first_line, start = batch
            msg = (
                f"{self._path} line {first_line}: the batch starting there (byte "
                f"{start}) lacks its last {remaining} line(s) after line "
                f"{line_number}: an append was interrupted; the log is intact up to "
                f"byte {start}"
            )
            raise CorruptLogError(msg)
        self._entries.extend(new)
        self._offset, self._last_hash = offset, last_hash

    def _warn_torn(self, torn: int, start: int, count: int) -> None:
        # *torn*: where the tear is (a line cut short, or a batch's end);
        # *start*: where what was never committed begins.
        if self._torn_warned:
            return
        self._torn_warned = True
        tail = "" if torn == start else f", so its batch from byte {start} never ended"
        msg = (
            f"{self._path}: torn final line at byte {torn}: an append was "
            f"interrupted{tail}; reading the {count} committed entries before "
            f"byte {start}. Repair with: timeline check --repair {self._path}"
        )
        warnings.warn(msg, TornTailWarning, stacklevel=2)

    def _read_sealed(
        self,
        raw: bytes,
        previous: str,
        seq: int,
        remaining: int,
        read: Callable[[dict[str, Any]], Entry | None] | None,
    ) -> tuple[Entry, str, int] | None:
        # The entry on a line of this store's layout, its hash and its
        # batch count, if the hash seals the line after *previous* and every
        # check passes; None to have the line read the checked way. *read*
        # is the codec's generated reader, if it has one.
        if not raw.endswith(b"\n"):
            return None
        try:
            text = raw.decode("utf-8")
            sealed = sealed_line_text(text)
            if sealed is None:
                return None
            digest = seal(previous, sealed)
            record = parse_fast(text)
            if type(record) is not dict or record.pop("hash", None) != digest:
                return None
            more = _more(record.pop("more", 0), where="", remaining=remaining)
            entry = None if read is None else read(record)
            if entry is None:
                entry = _read_as_json(self._codec, text, len(text) - 1)
        except Exception:  # the checked way names it
            return None
        if entry.seq != seq:
            return None
        return entry, digest, more

    def _read_checked(
        self,
        raw: bytes,
        *,
        where: str,
        previous: str,
        seq: int,
        offset: int,
        batch: tuple[int, int] | None,
        remaining: int,
    ) -> tuple[Entry, str, int]:
        # The entry on line *seq*, its hash and its batch count, every check
        # made again with a message naming what is wrong.
        record, text = _parse_line(
            raw, where=where, offset=offset, batch=batch or (seq, offset), line=seq
        )
        count = record.get("more", 0)
        entry, sealed = decode_record(
            self._codec,
            record,
            sealed=record.pop("hash", None),
            previous=previous,
            seq=seq,
            where=where,
            extra=("more",),
            text=sealed_line_text(text),
        )
        return entry, sealed, _more(count, where=where, remaining=remaining)

    def _write(self, fd: int, data: bytes, count: int) -> None:
        # The caller holds the exclusive lock on fd, and self._offset is
        # where the file ends.
        end = self._offset
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException as error:
            # Leave no part of a failed append behind: a caller told that the
            # append failed must find the file as it was.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, end)
                os.fsync(fd)
            if isinstance(error, OSError):
                raise write_refused(self._path, error, count) from error
            raise


def _read_as_json(codec: Codec, text: str, stop: int) -> Entry:
    # The entry on a sealed line no generated reader reads, parsed by json:
    # orjson's values may differ (see parse_fast).
    record = parse_json(text, end=stop)
    del record["hash"]
    record.pop("more", None)
    return codec.entry_from_dict(record)


def _parse_line(
    raw: bytes, *, where: str, offset: int, batch: tuple[int, int], line: int
) -> tuple[dict[str, Any], str]:
    # The record on a line, and the line as text.
    if not raw.endswith(b"\n"):
        msg = torn_line_message(
            where, offset=offset, length=len(raw), batch=batch, line=line
        )
        raise CorruptLogError(msg)
    try:
        text = raw.decode("utf-8")
        record = parse_json(text, end=len(text) - 1)
    except (ValueError, RecursionError) as error:
        msg = f"{where}: not a JSON record (line starts at byte {offset}): {error}"
        raise CorruptLogError(msg) from None
    if not isinstance(record, dict):
        msg = f"{where}: expected a JSON object, got {type(record).__name__}"
        raise CorruptLogError(msg)
    return record, text


def _more(more: object, *, where: str, remaining: int) -> int:
    # "more" counts the lines of the record's batch still to come, and must
    # count down by one from line to line.
    if type(more) is not int or more < 0:
        msg = f"{where}: 'more' must be a whole number >= 0, got {more!r:.80}"
        raise CorruptLogError(msg)
    if remaining and more != remaining - 1:
        msg = (
            f"{where}: the batch should have {remaining - 1} more lines after this "
            f"one, but the line says {more}"
        )
        raise CorruptLogError(msg)
    return more


def _texts(envelope: dict[str, Any], more: int) -> tuple[str, str]:
    # The canonical JSON the hash seals, and the line up to its hash: that
    # text without its closing brace, so a reader hashes the line as read.
    if "hash" in envelope or "more" in envelope:
        msg = "the envelope holds a key the store adds"
        raise ValueError(msg)
    parts = envelope_parts(envelope)
    if parts is None:
        text = canonical_json({**envelope, "more": more} if more else envelope)
    else:
        seq, recorded_at, type_, version = parts
        body = canonical_json(envelope["payload"])
        text = canonical_text(body, recorded_at, type_, version, seq, more=more)
    return text, text[:-1]


def _envelope(line: str) -> tuple[dict[str, Any], str]:
    # The envelope a reader of *line* hands the codec, and the canonical
    # JSON it recomputes to check the line's hash.
    record: dict[str, Any] = parse_json(line, end=len(line) - 1)
    del record["hash"]
    text = canonical_json(record)
    record.pop("more", None)
    return record, text


def _fsync_directory(directory: Path) -> None:
    # Makes a newly created file's name durable, not just its content.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
