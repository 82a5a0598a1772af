"""What the stores share: batch checks, the hash chain and knowledge filters.

Private: the public names live in `timeline.stores`.
"""

import datetime as dt
import hashlib
import json
import json.encoder
import json.scanner
import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import attrs
import orjson

from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidDateError,
    InvalidEntryError,
    UnknownEventTypeError,
)
from timeline.model.entry import Entry
from timeline.model.events import Event
from timeline.model.unregistered import UnregisteredEvent
from timeline.serialization import Codec

GENESIS = ""
"""The hash the first record chains from."""


def torn_line_message(
    where: str, *, offset: int, length: int, batch: tuple[int, int], line: int
) -> str:
    """Say what a JSON Lines log's torn final line means, and what mends it.

    *where* names the file and line, *offset* and *length* the torn line's
    bytes, *batch* the line and byte where its unfinished append began (the
    torn line's own when the append was of one line), *line* the torn line.
    """
    first, start = batch
    before = f"{first - 1} entr{'ies' if first - 1 != 1 else 'y'} before it"
    if first == line:
        lost = "it was never committed"
    else:
        lost = f"its batch, lines {first} to {line}, never committed"
    path = where.rpartition(" line ")[0]
    return (
        f"{where}: torn final line at byte {offset} ({length} bytes, no newline): "
        f"an append was interrupted and {lost}; the log is intact up to byte "
        f"{start} ({before}); "
        f"'timeline check --repair "
        f"{path}' moves the rest to a side file, where nothing is lost"
    )


def _unserializable(value: object) -> object:
    # What json.JSONEncoder.default says, for the encoders below.
    msg = f"Object of type {type(value).__name__} is not JSON serializable"
    raise TypeError(msg)


def _make_encoder(*, sort_keys: bool) -> Callable[[object], str]:
    # json.dumps(value, sort_keys=..., separators=(",", ":"), ensure_ascii=False),
    # through one C encoder built once rather than one per call. Without
    # the check for cycles, which JSON read from a file cannot have: a
    # cyclic value raises RecursionError instead of ValueError.
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # pragma: no cover  # an interpreter without _json
        return json.JSONEncoder(
            sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False
        ).encode
    chunks = c_make_encoder(
        None,  # no markers: no check for cycles
        _unserializable,
        json.encoder.encode_basestring,
        None,  # no indent
        ":",
        ",",
        sort_keys,
        False,  # skipkeys  # noqa: FBT003
        True,  # allow_nan, as json.dumps  # noqa: FBT003
    )

    def encode(value: object) -> str:
        return "".join(chunks(value, 0))

    return encode


canonical_json: Callable[[object], str] = _make_encoder(sort_keys=True)
"""Return a record as the one JSON text its hash is computed over.

Sorted keys, no spaces, UTF-8 text as is: ``json.dumps(record,
sort_keys=True, separators=(",", ":"), ensure_ascii=False)``.
"""

compact_json: Callable[[object], str] = _make_encoder(sort_keys=False)
"""Return a value as compact JSON, its keys in their own order."""

json_string: Callable[[str], str] = json.encoder.encode_basestring
"""Return a string as a JSON string literal, as `canonical_json` writes it."""


def canonical_checked(value: dict[str, Any]) -> str:
    """Return `canonical_json` of what `Codec.checked_envelope` vouched for.

    An envelope it returns, or its payload, holds only dicts with string
    keys, lists, strings, whole numbers and None, of exactly these types,
    which orjson writes as `canonical_json` does, several times faster.
    What it refuses (a whole number beyond 64 bits, a lone surrogate) goes
    to `canonical_json`. Floats, which the two write differently, must not
    be given.
    """
    try:
        return _dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:
        return canonical_json(value)


_dumps = orjson.dumps


parse_fast: Callable[[str | bytes], Any] = orjson.loads
"""Return JSON text parsed by orjson: json's values, several times faster, but one.

A whole number beyond 64 bits comes back as a float, where `parse_json`
gives the number. Its values may go only to a reader that takes no float
anywhere, as the codec's generated readers (``Codec._entry_reader``) do;
for anything else, parse the text again with `parse_json`. It refuses
with `orjson.JSONDecodeError` (a `ValueError`) what is not JSON, and also
NaN, the infinities and an escaped lone surrogate, which json reads.
"""


def seal(previous: str, text: str) -> str:
    """Return the hash sealing a record whose canonical JSON is *text*.

    Raises:
        UnicodeEncodeError: If *text* holds a lone surrogate.
    """
    return hashlib.sha256((previous + text).encode("utf-8")).hexdigest()


def reject_constant(name: str) -> object:
    """Refuse NaN and the infinities, which timeline never writes."""
    msg = f"{name} is not a number timeline writes"
    raise ValueError(msg)


_DECODER = json.JSONDecoder(parse_constant=reject_constant)
_DECODE = _DECODER.decode
_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    _DECODER  # type: ignore[arg-type]  # typeshed's odd signature
)


def parse_json(text: str, *, end: int | None = None) -> Any:
    """Return ``json.loads(text)``, NaN and the infinities refused.

    Args:
        text: The JSON text.
        end: Where the value is expected to end, if not at the end of
            *text* (before a line's newline, say); what follows it must be
            whitespace.

    Raises:
        ValueError: If *text* is not one JSON value.
        RecursionError: If it nests too deeply.
    """
    # The scanner alone reads a value that fills the text, as every record
    # timeline writes does; anything else, errors included, is left to the
    # full decoder, so the result and the messages are json.loads'.
    stop = len(text) if end is None else end
    try:
        value, found = _SCAN(text, 0)
    except (StopIteration, ValueError):
        found = -1
    if found == stop:
        return value
    return _DECODE(text)


def is_plain_json(value: object) -> bool:
    """Return whether *value* reads back from its JSON text as an equal twin.

    True when it is made only of dicts with string keys, lists, strings,
    whole numbers, finite floats, booleans and None, of exactly these types
    (not subclasses, not tuples): ``json.loads(json.dumps(value))`` then
    has the same types, values and key order. Lone surrogates are not
    looked for: encoding the text to UTF-8 refuses them.
    """
    # Spelled out, no generators: this runs on every entry appended.
    kind = type(value)
    if kind is dict:
        mapping: dict[object, object] = value  # type: ignore[assignment]
        for key, item in mapping.items():
            if type(key) is not str:
                return False
            item_kind = type(item)
            if item_kind is str or item_kind is int:
                continue
            if not is_plain_json(item):
                return False
        return True
    if kind is list:
        sequence: list[object] = value  # type: ignore[assignment]
        for item in sequence:
            item_kind = type(item)
            if item_kind is str or item_kind is int:
                continue
            if not is_plain_json(item):
                return False
        return True
    if kind is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    return kind is str or kind is int or kind is bool or value is None


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


ENVELOPE_KEYS = ("seq", "recorded_at", "type", "schema_version", "payload")
"""The keys of `Codec.entry_to_dict`'s envelope, in its order."""

CHANGED_WHEN_READ = (
    "its JSON reads back as other JSON (keys that are not strings?), which its "
    "hash would not seal"
)


def envelope_parts(envelope: Mapping[str, Any]) -> tuple[int, str, str, int] | None:
    """Return the seq, recorded_at, type and schema version of *envelope*.

    None unless the envelope has exactly the codec's keys, in its order, and
    these four are of exactly the types the codec writes: only then may a
    record's JSON be spliced from its parts (see `canonical_text`).
    """
    if tuple(envelope) != ENVELOPE_KEYS:
        return None
    parts = (
        envelope["seq"],
        envelope["recorded_at"],
        envelope["type"],
        envelope["schema_version"],
    )
    if tuple(map(type, parts)) != (int, str, str, int):
        return None
    return parts


def canonical_text(
    body: str, recorded_at: str, type_: str, version: int, seq: int, *, more: int = 0
) -> str:
    """Return the canonical JSON of a record, spliced from its parts.

    It is ``canonical_json(record)`` when *body* is the canonical JSON of
    the payload, the other parts are of exactly their declared types, and
    *more* (a JSON Lines batch mark) is 0 for a record without one.
    """
    head = f'{{"more":{more},' if more else "{"
    return (
        f'{head}"payload":{body},"recorded_at":{json_string(recorded_at)},'
        f'"schema_version":{version},"seq":{seq},"type":{json_string(type_)}}}'
    )


_HASH_KEY = ',"hash":"'
_HASHED_LINE_END = len(_HASH_KEY) + 64 + len('"}\n')


def sealed_line_text(line: str) -> str | None:
    """Return what the hash of a JSON Lines *line* seals, if it can tell.

    A line is written as its record's canonical JSON with the hash added
    as its last key, so the text sealed is the line up to its hash, closed.
    None for a line of another layout (the earlier one, in the codec's key
    order), whose record must be serialized again to be checked: see
    `decode_record`, which treats this as a guess.
    """
    if not line.startswith(('{"payload":', '{"more":')):
        return None
    end = len(line) - _HASHED_LINE_END
    if not line.startswith(_HASH_KEY, end):
        return None
    return line[:end] + "}"


def unreadable(entry: Entry, error: object, *, where: str) -> InvalidEntryError:
    """Return the error refusing *entry*, whose stored form would fail to read."""
    msg = f"{where}: entry seq {entry.seq} would not read back: {error}"
    return InvalidEntryError(msg)


def check_reads_back(codec: Codec, entry: Entry, data: object, *, where: str) -> None:
    """Refuse *entry* unless *data*, what reading its stored form gives, decodes to it.

    A record the codec cannot decode would make the whole stored log
    unreadable, so a store calls this for every entry before writing
    anything. *data* is the envelope exactly as a reader of the stored
    bytes would hand it to the codec: the envelope the codec made, when
    `is_plain_json` says the JSON round trip gives it back as is, or else
    the stored text parsed again.

    Raises:
        InvalidEntryError: If *data* does not decode, or decodes to
            anything but *entry*.
    """
    try:
        decoded = codec.entry_from_dict(data)
    except (TypeError, ValueError, LookupError, RecursionError) as error:
        raise unreadable(entry, error, where=where) from None
    if isinstance(decoded.event, UnregisteredEvent) and not isinstance(
        entry.event, UnregisteredEvent
    ):
        # An event of a class no tag names (an abstract base, say) would be
        # read back as a raw claim of another class: refused by its tag.
        tag = type(entry.event).event_type
        unknown = UnknownEventTypeError(f"unknown event type {tag!r}")
        raise unreadable(entry, unknown, where=where)
    if decoded != entry:
        msg = f"{where}: entry seq {entry.seq} would read back as {decoded!r:.200}"
        raise InvalidEntryError(msg)


def decode_record(
    codec: Codec,
    content: dict[str, Any],
    *,
    sealed: object,
    previous: str,
    seq: int,
    where: str,
    extra: Collection[str] = (),
    text: str | None = None,
) -> tuple[Entry, str]:
    """Return the entry in a stored record and the hash it is sealed with.

    Args:
        codec: Decodes the envelope.
        content: The stored record without its hash; the keys in *extra*
            are removed from it.
        sealed: The record's stored hash.
        previous: The hash of the record before it.
        seq: The seq the record must have.
        where: Names the record in messages (file and line, or seq).
        extra: Keys the store adds to the envelope: sealed by the hash like
            the rest, but not handed to the codec.
        text: The record's canonical JSON as the store believes it was
            written, if it can tell without serializing *content*; when the
            hash does not seal it, *content* is serialized and checked
            again, so a wrong guess costs time, never a different verdict
            on an honestly sealed record.

    Raises:
        CorruptLogError: If the record has no hash, its hash does not seal its
            content after *previous*, or it has the wrong seq.
        InvalidEntryError: Or another error of `Codec.entry_from_dict` if its
            hash is right but its content cannot be read.
    """
    if not isinstance(sealed, str):
        msg = f"{where}: the record has no hash, so it cannot be trusted"
        raise CorruptLogError(msg)
    if text is None or seal(previous, text) != sealed:
        try:
            computed = seal(previous, canonical_json(content))
        except (TypeError, ValueError, RecursionError) as error:
            # Bytes (from a database column), lone surrogates or absurd
            # nesting cannot be canonical JSON, so no record timeline wrote
            # holds them.
            msg = (
                f"{where}: the record cannot be hashed, so it cannot be trusted: "
                f"{error}"
            )
            raise CorruptLogError(msg) from None
        if computed != sealed:
            msg = (
                f"{where}: hash mismatch: the record was edited, or a record before "
                "it was removed or reordered"
            )
            raise CorruptLogError(msg)
    for key in extra:
        content.pop(key, None)
    # Every codec error names *where*, the seq and the field at fault.
    entry = codec.entry_from_dict(content, where=where)
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
