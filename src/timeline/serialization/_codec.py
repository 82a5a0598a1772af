# SPDX-License-Identifier: MIT
"""`Codec`: entries to JSON-ready envelopes and back, with upcasting.

See `timeline.serialization` for the envelope. Payloads written by an
older ``schema_version`` pass through the class's ``upcasters`` (see
`_upcast`) before they are structured, by the generated readers when they
can and by the converter otherwise, which explains what it refuses.
"""

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.preconf.json import JsonConverter
from cattrs.v import format_exception

from timeline.errors import (
    InvalidDateError,
    InvalidEntryError,
    TimelineError,
    UnknownEventTypeError,
)
from timeline.model.entry import Entry
from timeline.model.events import (
    PROVENANCE_FIELDS,
    Event,
    event_type_for,
    registered_event_types,
)
from timeline.model.unregistered import UnregisteredEvent
from timeline.serialization._converter import (
    _structure_aware_datetime,
    make_converter,
)
from timeline.serialization._generate import _Payload
from timeline.serialization._writers import _Direct

__all__ = ["Codec"]


class Codec:
    """Encodes entries as JSON-ready envelopes and decodes them, checking everything.

    A stored entry whose type tag no class claims, even after the modules
    declaring user types were looked for (see `timeline.model.discovery`),
    is read as a `timeline.model.unregistered.UnregisteredEvent` that keeps
    its tag, schema version and payload, and is written back exactly as
    stored: a log of types this process does not know stays readable and
    loses nothing.

    Args:
        converter: The cattrs converter to use; `make_converter()` by default.
        keep_unregistered: Whether to read an entry of an unregistered type
            as an ``UnregisteredEvent``; False refuses it with
            `timeline.errors.UnknownEventTypeError`, as before 0.2.0.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Entries of unregistered types are kept (*keep_unregistered*).
    """

    __slots__ = ("_converter", "_direct", "_keep", "_unregistered")

    def __init__(
        self, converter: JsonConverter | None = None, *, keep_unregistered: bool = True
    ) -> None:
        self._keep = keep_unregistered
        # The tags found unregistered, and why: a tag is looked for once.
        self._unregistered: dict[str, UnknownEventTypeError] = {}
        # Made when first needed: a log read through the direct readers
        # never needs it.
        self._converter = converter
        # With its own converter, the codec may decode and encode through
        # direct readers and writers that do exactly what the converter does,
        # and share equal immutable values (sources, dates) between entries.
        self._direct = _Direct() if converter is None else None

    @property
    def converter(self) -> JsonConverter:
        """Return the cattrs converter behind this codec.

        A codec made without a converter reads and writes entries through
        code generated from this one on first use, exactly as it would: to
        change how values are read or written, configure a converter and
        give it to the codec instead.
        """
        converter = self._converter
        if converter is None:
            direct = self._direct
            converter = make_converter() if direct is None else direct.converter
            self._converter = converter
        return converter

    def event_to_dict(self, event: Event) -> _Payload:
        """Return the envelope of *event*: its tag, schema version and payload.

        An `UnregisteredEvent` gives back the envelope it was read from.
        """
        cls = type(event)
        if cls is UnregisteredEvent:
            raw: UnregisteredEvent = event  # type: ignore[assignment]
            return {
                "type": raw.stored_type,
                "schema_version": raw.stored_version,
                "payload": raw.payload,
            }
        payload = None if self._direct is None else self._direct.payload(event)
        if payload is None:
            payload = self.converter.unstructure(event, unstructure_as=cls)
        return {
            "type": cls.event_type,
            "schema_version": cls.schema_version,
            "payload": payload,
        }

    def event_from_dict(self, data: object, *, where: str = "entry") -> Event:
        """Return the event stored in envelope *data*, upcast to the current schema.

        An entry of a tag no class claims is an `UnregisteredEvent` (see
        `Codec`).

        Raises:
            UnknownEventTypeError: If the tag is not registered and the codec
                does not keep such entries.
            InvalidEntryError: If the envelope or payload is malformed, or its
                schema version cannot be read by this code.
        """
        if not isinstance(data, Mapping):
            msg = f"{where}: expected a JSON object, got {type(data).__name__}"
            raise InvalidEntryError(msg)
        missing = [
            key for key in ("type", "schema_version", "payload") if key not in data
        ]
        if missing:
            msg = f"{where}: missing {', '.join(missing)}"
            raise InvalidEntryError(msg)
        tag, version, payload = data["type"], data["schema_version"], data["payload"]
        if not isinstance(tag, str):
            msg = f"{where}: type must be a string, got {tag!r:.80}"
            raise InvalidEntryError(msg)
        try:
            cls = self._class_of(tag)
        except UnknownEventTypeError as error:
            if not self._keep:
                msg = f"{where}: type: {error}"
                raise UnknownEventTypeError(msg) from None
            cls = UnregisteredEvent
        if not isinstance(payload, dict):
            msg = f"{where}: payload of {tag} must be an object, got {payload!r:.80}"
            raise InvalidEntryError(msg)
        if cls is UnregisteredEvent:
            return self._unregistered_event(tag, version, payload, where)
        payload = _upcast(cls, version, payload, where)
        if self._direct is not None:
            event = self._direct.event(payload, cls)
            if event is not None:
                return event
        try:
            return self.converter.structure(payload, cls)
        except (cattrs.BaseValidationError, TypeError, ValueError) as error:
            raise _explain(error, f"{where} ({tag}) payload") from None

    def _class_of(self, tag: str) -> type[Event]:
        # event_type_for, but a tag found unregistered is looked for once,
        # until a class claims it.
        cls = registered_event_types().get(tag)
        if cls is not None:
            return cls
        known = self._unregistered.get(tag)
        if known is not None:
            raise known
        try:
            return event_type_for(tag)
        except UnknownEventTypeError as error:
            self._unregistered[tag] = error
            raise

    def _unregistered_event(
        self, tag: str, version: object, payload: _Payload, where: str
    ) -> UnregisteredEvent:
        # What every event type stores alike is read; the rest is kept as
        # text.
        if type(version) is not int or version < 1:
            msg = (
                f"{where}: schema_version must be a whole number >= 1, "
                f"got {version!r:.80}"
            )
            raise InvalidEntryError(msg)
        where = f"{where} (unregistered type {tag!r}) payload"
        event_id, report = payload.get("event_id"), payload.get("report")
        if not isinstance(report, dict):
            msg = f"{where}: report must be an object, got {report!r:.80}"
            raise InvalidEntryError(msg)
        try:
            provenance = {
                name: self.converter.structure(payload[name], kind)
                for name, kind in _PROVENANCE.items()
                if name in payload
            }
            # Canonical, as the stores write payloads: equal payloads, equal
            # events, whatever the order of the keys read.
            text = json.dumps(
                payload,
                ensure_ascii=False,
                separators=(",", ":"),
                allow_nan=False,
                sort_keys=True,
            )
            return UnregisteredEvent(
                event_id=event_id,  # type: ignore[arg-type]  # checked by the event
                **provenance,
                stored_type=tag,
                stored_version=version,
                stored_payload=text,
            )
        except (cattrs.BaseValidationError, TypeError, ValueError) as error:
            raise _explain(error, where) from None

    def entry_to_dict(self, entry: Entry) -> _Payload:
        """Return the envelope of *entry*, with its seq and recorded_at."""
        if self._direct is not None and type(entry.event) is not UnregisteredEvent:
            record = self._direct.record(entry)
            if record is not None:
                return record
        return {
            "seq": entry.seq,
            "recorded_at": entry.recorded_at.isoformat(),
            **self.event_to_dict(entry.event),
        }

    def checked_envelope(self, entry: Entry) -> _Payload | None:
        """Return the envelope of *entry* if it surely reads back as *entry*, else None.

        The envelope is the one `entry_to_dict` returns, key order included,
        and is returned only when code generated for the event's class can
        tell, from the exact types of the entry's values and the checks
        the readers make, that it is plain JSON (dicts, lists, strings,
        whole numbers and None, of exactly these types) and that
        `entry_from_dict` would read it back as an entry equal to *entry*.
        A store may then write it without decoding it again to check.

        None means only that it could not tell: the entry may be perfectly
        good, and must then be checked by decoding its envelope. None for
        a codec given its own converter, a subclass that changes how
        entries are encoded or decoded, event classes with fields, field
        validators or ``__attrs_post_init__`` methods it does not know, and
        any value not of exactly its declared type: a subclass of ``str``,
        a ``bool`` for an ``int``, a list for a tuple, a ``datetime`` whose
        time zone is not a fixed ``datetime.timezone`` of whole seconds, or
        a tuple of fixed length holding anything but strings, whole numbers
        and days (a report's ``published_range`` holds two days, and is
        vouched for). Strings are not searched for lone surrogates, which
        JSON holds but UTF-8 refuses: a store encoding the text finds them.

        >>> from timeline.model.events import Death
        >>> from timeline.model.sources import Report, Source
        >>> tass = Report(outlet=Source("TASS"), published=dt.date(2017, 9, 24))
        >>> death = Death(event_id="asapov-death", report=tass, person="Asapov")
        >>> entry = Entry(1, dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC), death)
        >>> Codec().checked_envelope(entry) == Codec().entry_to_dict(entry)
        True
        >>> print(Codec(make_converter()).checked_envelope(entry))
        None

        .. versionadded:: 0.1.0
        """
        direct = self._direct
        cls = self.__class__
        if (
            direct is None
            or (cls is not Codec and not _encodes_as_codec(cls))
            or type(entry.event) is UnregisteredEvent
        ):
            return None
        return direct.checked(entry)

    def entry_from_dict(self, data: object, *, where: str = "entry") -> Entry:
        """Return the entry stored in *data*.

        Raises:
            UnknownEventTypeError: If the tag is not registered and the codec
                does not keep such entries.
            InvalidEntryError: If anything in it is malformed.
            InvalidDateError: If *recorded_at* is not an aware ISO datetime.
        """
        if self._direct is not None and type(data) is dict:
            entry = self._direct.entry(data)
            if entry is not None:
                return entry
        if not isinstance(data, Mapping):
            msg = f"{where}: expected a JSON object, got {type(data).__name__}"
            raise InvalidEntryError(msg)
        seq = data.get("seq")
        if type(seq) is not int or seq < 1:
            msg = f"{where}: seq must be a whole number >= 1, got {seq!r:.80}"
            raise InvalidEntryError(msg)
        where = f"{where} (seq {seq})"
        try:
            if self._direct is not None:
                recorded_at = self._direct.moment(data.get("recorded_at"))
            else:
                recorded_at = _structure_aware_datetime(
                    data.get("recorded_at"), dt.datetime
                )
        except InvalidDateError as error:
            msg = f"{where}: recorded_at: {error}"
            raise InvalidDateError(msg) from None
        return Entry(seq, recorded_at, self.event_from_dict(data, where=where))

    def _entry_reader(self) -> Callable[[dict[str, Any]], Entry | None] | None:
        """Return the codec's fast reader of envelopes, if it has one.

        For a store's fast path: ``read(data)`` returns the entry that
        `entry_from_dict` returns for *data*, or None when it cannot tell,
        or raises anything at all (not the errors `entry_from_dict`
        raises, with their messages): the store then calls
        `entry_from_dict`, which decides and explains. It takes only values
        of exactly the types the classes declare (strings, whole numbers,
        lists and objects), never a float. None for a codec given its own
        converter, and a subclass that changes how entries are decoded.
        """
        direct = self._direct
        cls = self.__class__
        if direct is None or (cls is not Codec and not _encodes_as_codec(cls)):
            return None
        return direct.read_entry

    def dumps(self, entry: Entry) -> str:
        """Return *entry* as one line of compact JSON, keys in a stable order."""
        return json.dumps(
            self.entry_to_dict(entry), ensure_ascii=False, separators=(",", ":")
        )

    def loads(self, text: str | bytes, *, where: str = "entry") -> Entry:
        """Return the entry encoded in one line of JSON.

        Raises:
            InvalidEntryError: If *text* is not JSON or not an entry.
        """
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            msg = f"{where}: not valid JSON: {error}"
            raise InvalidEntryError(msg) from None
        return self.entry_from_dict(data, where=where)


# What every event type stores alike, and reads as the base class does:
# who claimed it, and where.
_PROVENANCE: dict[str, Any] = {
    field.name: field.type
    for field in attrs.fields(Event)
    if field.name in PROVENANCE_FIELDS and field.name != "event_id"
}


def _reject_constant(name: str) -> object:
    msg = f"{name} is not a number timeline accepts"
    raise ValueError(msg)


def _upcast(
    cls: type[Event], version: object, payload: _Payload, where: str
) -> _Payload:
    if type(version) is not int or version < 1:
        msg = (
            f"{where}: schema_version must be a whole number >= 1, got {version!r:.80}"
        )
        raise InvalidEntryError(msg)
    if version > cls.schema_version:
        msg = (
            f"{where}: {cls.event_type} schema version {version} is newer than this "
            f"code reads ({cls.schema_version}); upgrade timeline"
        )
        raise InvalidEntryError(msg)
    while version < cls.schema_version:
        upcaster = cls.upcasters.get(version)
        if upcaster is None:
            msg = (
                f"{where}: {cls.event_type} has no upcaster from schema version "
                f"{version}"
            )
            raise InvalidEntryError(msg)
        payload = upcaster(dict(payload))
        version += 1
    return payload


def _explain(error: Exception, where: str) -> TimelineError:
    if isinstance(error, cattrs.BaseValidationError):
        found = _first_timeline_error(error)
        lines = cattrs.transform_error(error, path="$", format_exception=_describe)
        detail = "; ".join(lines)
        kind: type[TimelineError] = (
            type(found) if found is not None else InvalidEntryError
        )
        return kind(f"{where}: {detail}")
    return InvalidEntryError(f"{where}: {error}")


def _describe(error: BaseException, type_: type | None) -> str:
    # Our own hooks and validators write messages naming the bad value;
    # cattrs' generic wording ("invalid value for type") would hide it.
    if isinstance(error, TimelineError) or (
        isinstance(error, TypeError) and str(error).startswith("expected")
    ):
        return str(error)
    return format_exception(error, type_)


def _first_timeline_error(error: BaseException) -> TimelineError | None:
    if isinstance(error, TimelineError):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _first_timeline_error(inner)
            if found is not None:
                return found
    return None


def _encodes_as_codec(cls: type) -> bool:
    """Whether codecs of *cls*, a subclass of `Codec`, encode and decode as it does."""
    names = ("entry_to_dict", "entry_from_dict", "event_to_dict", "event_from_dict")
    return all(getattr(cls, name) is getattr(Codec, name) for name in names)
