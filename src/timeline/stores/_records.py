# SPDX-License-Identifier: MIT
"""What the stores share: batch checks, the hash chain and knowledge filters.

Private: the public names live in `timeline.stores`.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import attrs

from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidDateError,
    InvalidEntryError,
)
from timeline.events import Event
from timeline.log import Entry
from timeline.serialization import Codec

GENESIS = ""
"""The hash the first record chains from."""


_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False
).encode


def canonical_json(record: Mapping[str, Any]) -> str:
    """Return *record* as the one JSON text its hash is computed over."""
    # json.dumps with these arguments, without building an encoder per call.
    return _CANONICAL(record)


def chain_hash(previous: str, record: Mapping[str, Any]) -> str:
    """Return the hash sealing *record* after a record sealed with *previous*."""
    text = previous + canonical_json(record)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_batch(entries: Sequence[Entry], *, last_seq: int, where: str) -> list[Entry]:
    """Return *entries* as a list if a store ending at *last_seq* can take them.

    Every store calls it first in `Store.append`. A store is not the log: it
    does not judge references between claims, but it refuses anything it
    could not store and give back in order.

    >>> from timeline.stores import check_batch
    >>> check_batch([], last_seq=3, where="my store")
    []

    Args:
        entries: The batch.
        last_seq: The seq of the last stored entry, 0 if none.
        where: Names the store in messages.

    Raises:
        ConcurrencyError: If the batch does not start right after *last_seq*.
        InvalidEntryError: If an item is not an entry of an event, or the
            batch's seqs are not consecutive.
        InvalidDateError: If an entry's recorded_at is not aware.

    .. versionadded:: 0.1.0
    """
    batch: list[Entry] = []
    # Typed as objects: the checks are for callers that break the types.
    items: list[object] = list(entries)
    for index, entry in enumerate(items):
        event: object = getattr(entry, "event", None)
        if not isinstance(entry, Entry) or not isinstance(event, Event):
            msg = (
                f"{where}: item {index} of the batch is not an entry of an event: "
                f"{entry!r:.80}"
            )
            raise InvalidEntryError(msg)
        expected = last_seq + 1 + index
        if index == 0 and entry.seq != expected:
            msg = (
                f"{where}: the store ends at seq {last_seq}, but the batch starts "
                f"at seq {entry.seq!r}: another writer appended first, or the batch "
                "is stale"
            )
            raise ConcurrencyError(msg)
        if entry.seq != expected:
            msg = (
                f"{where}: batch entry seq {entry.seq!r} should be {expected}: seqs "
                "must be consecutive"
            )
            raise InvalidEntryError(msg)
        moment: object = entry.recorded_at
        if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
            msg = (
                f"{where}: entry seq {entry.seq} recorded_at must be an aware "
                f"datetime, got {moment!r}"
            )
            raise InvalidDateError(msg)
        batch.append(entry)
    return batch


def encode_batch(
    codec: Codec, batch: Iterable[Entry], *, where: str
) -> list[dict[str, Any]]:
    """Return the envelope of each entry, refusing any that would not read back.

    A record the codec cannot decode, or text that is not valid Unicode
    (a lone surrogate), would make the whole stored log unreadable, so it is
    caught here, before anything is written.

    Raises:
        InvalidEntryError: If an entry does not survive encoding and decoding.
    """
    records = []
    for entry in batch:
        record = codec.entry_to_dict(entry)
        try:
            stored = canonical_json(record).encode("utf-8")
            decoded = codec.entry_from_dict(json.loads(stored))
        except (TypeError, ValueError, LookupError) as error:
            msg = f"{where}: entry seq {entry.seq} would not read back: {error}"
            raise InvalidEntryError(msg) from None
        if decoded != entry:
            msg = f"{where}: entry seq {entry.seq} would read back as {decoded!r:.200}"
            raise InvalidEntryError(msg)
        records.append(record)
    return records


def decode_record(
    codec: Codec,
    record: Mapping[str, Any],
    *,
    previous: str,
    seq: int,
    where: str,
    extra: Collection[str] = (),
) -> tuple[Entry, str]:
    """Return the entry in a stored *record* and the hash it is sealed with.

    Args:
        codec: Decodes the envelope.
        record: The stored record, its ``hash`` included.
        previous: The hash of the record before it.
        seq: The seq the record must have.
        where: Names the record in messages (file and line, or seq).
        extra: Keys the store adds to the envelope: sealed by the hash like
            the rest, but not handed to the codec.

    Raises:
        CorruptLogError: If the record has no hash, its hash does not seal its
            content after *previous*, or it has the wrong seq.
        InvalidEntryError: Or another error of `Codec.entry_from_dict` if its
            hash is right but its content cannot be read.
    """
    content = dict(record)
    sealed = content.pop("hash", None)
    if not isinstance(sealed, str):
        msg = f"{where}: the record has no hash, so it cannot be trusted"
        raise CorruptLogError(msg)
    try:
        computed = chain_hash(previous, content)
    except (TypeError, ValueError, RecursionError) as error:
        # Bytes (from a database column), lone surrogates or absurd nesting
        # cannot be canonical JSON, so no record timeline wrote holds them.
        msg = f"{where}: the record cannot be hashed, so it cannot be trusted: {error}"
        raise CorruptLogError(msg) from None
    if computed != sealed:
        msg = (
            f"{where}: hash mismatch: the record was edited, or a record before it "
            "was removed or reordered"
        )
        raise CorruptLogError(msg)
    envelope = {key: value for key, value in content.items() if key not in extra}
    # Every codec error names *where*, the seq and the field at fault.
    entry = codec.entry_from_dict(envelope, where=where)
    if entry.seq != seq:
        msg = f"{where}: expected seq {seq}, found seq {entry.seq}"
        raise CorruptLogError(msg)
    return entry, sealed


class ClosingOnExit:
    """Mixin: a store used as a context manager closes on leaving the block."""

    __slots__ = ()

    def close(self) -> None:
        """Release what the store holds."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@attrs.frozen
class Known:
    """The filters of a ``read_known`` call, checked.

    Args:
        published_until: Keep entries whose report was published on or
            before this day.
        event_ids: Keep entries about these happenings.
        seq_until: Keep entries numbered up to this seq, inclusive.
    """

    published_until: dt.date | None
    event_ids: frozenset[str] | None
    seq_until: int | None

    @classmethod
    def check(
        cls,
        *,
        published_until: dt.date | None,
        event_ids: Collection[str] | None,
        seq_until: int | None,
    ) -> "Known":
        """Return the filters, refusing values that cannot mean what they seem.

        Raises:
            InvalidDateError: If *published_until* is not a day (a datetime
                is refused: knowledge dates are days).
            TypeError: If *event_ids* is a single string or holds non-strings,
                or *seq_until* is not a whole number.
        """
        if published_until is not None and (
            isinstance(published_until, dt.datetime)
            or not isinstance(published_until, dt.date)
        ):
            msg = f"published_until must be a date (a day), got {published_until!r}"
            raise InvalidDateError(msg)
        ids = None
        if event_ids is not None:
            if isinstance(event_ids, str):
                msg = f"event_ids must be a collection of ids, not {event_ids!r}"
                raise TypeError(msg)
            items: frozenset[object] = frozenset(event_ids)
            strange = sorted(repr(i) for i in items if not isinstance(i, str))
            if strange:
                msg = f"event_ids must be strings, got {', '.join(strange)}"
                raise TypeError(msg)
            ids = frozenset(event_ids)
        if seq_until is not None and (
            isinstance(seq_until, bool) or not isinstance(seq_until, int)
        ):
            msg = f"seq_until must be a whole number, got {seq_until!r}"
            raise TypeError(msg)
        return cls(published_until, ids, seq_until)

    def matches(self, entry: Entry) -> bool:
        """Return whether *entry* passes every filter."""
        return (
            (self.seq_until is None or entry.seq <= self.seq_until)
            and (
                self.published_until is None
                or entry.event.report.published_day <= self.published_until
            )
            and (self.event_ids is None or entry.event.event_id in self.event_ids)
        )

    def filter(self, entries: Iterable[Entry]) -> Iterator[Entry]:
        """Return the entries of *entries* that pass every filter, in order."""
        return iter([entry for entry in entries if self.matches(entry)])
