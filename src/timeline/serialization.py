# SPDX-License-Identifier: MIT
"""Entries to JSON-ready envelopes and back, through cattrs, with upcasting.

Every stored entry is one envelope::

    {
        "seq": 1,
        "recorded_at": "2026-11-21T09:00:00+00:00",
        "type": "death",
        "schema_version": 1,
        "payload": {...},
    }

The ``type`` tag, never a class or module name, picks the class; nothing read
from storage is ever imported or evaluated. Payloads written by an older
``schema_version`` pass through the class's ``upcasters`` before structuring.
"""

import datetime as dt
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter
from cattrs.v import format_exception

from timeline.dates import FuzzyDate, Precision
from timeline.errors import (
    InvalidDateError,
    InvalidEntryError,
    TimelineError,
    UnknownEventTypeError,
)
from timeline.events import Estimate, Event, event_type_for
from timeline.log import Entry
from timeline.sources import Report, Source

__all__ = ["Codec", "make_converter"]

_Payload = dict[str, Any]


def make_converter() -> JsonConverter:
    """Return a new cattrs converter for every timeline value.

    Values are strict on the way in: a number where a string belongs, or a
    string where a number belongs, is an error rather than a silent cast.
    Empty optional fields are left out on the way out, to keep logs small.

    .. versionadded:: 0.1.0
    """
    converter = _make_json_converter()
    converter.register_structure_hook(str, _strict(str))
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(bool, _strict(bool))
    # IntEnum values would otherwise pass through as enum members, which
    # json.dumps writes but the strict int hook rightly refuses to read.
    converter.register_unstructure_hook(enum.Enum, _enum_value)
    converter.register_structure_hook(enum.Enum, _structure_enum)
    converter.register_unstructure_hook(FuzzyDate, _unstructure_fuzzy_date)
    converter.register_structure_hook(FuzzyDate, _structure_fuzzy_date)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_structure_hook(dt.datetime, _structure_aware_datetime)
    converter.register_structure_hook_func(
        lambda type_: type_ == (dt.date | dt.datetime), _structure_date_or_datetime
    )
    converter.register_unstructure_hook_factory(_is_record, _unstructure_factory)
    converter.register_structure_hook_factory(_is_record, _structure_factory)
    converter.register_structure_hook_factory(_is_tuple, _tuple_factory)
    return converter


def _enum_value(member: enum.Enum) -> object:
    return member.value


def _structure_enum(value: object, type_: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = f"expected a {type_.__name__} value, got {value!r:.80}"
        raise TypeError(msg)
    return type_(value)


def _is_tuple(type_: Any) -> bool:
    return typing.get_origin(type_) is tuple


def _tuple_factory(
    type_: Any, converter: cattrs.Converter
) -> Callable[[Any, Any], Any]:
    # cattrs would read any iterable as a tuple: a JSON object as its keys, a
    # string as its letters, silently changing a claim. Only a list will do
    # (or a tuple, which unstructuring leaves in a dict not yet dumped).
    arguments = typing.get_args(type_)
    homogeneous = len(arguments) == 2 and arguments[1] is Ellipsis  # noqa: PLR2004

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) not in (list, tuple):
            msg = f"expected a list, got {type(value).__name__} {value!r:.80}"
            raise TypeError(msg)
        if homogeneous:
            return tuple(converter.structure(item, arguments[0]) for item in value)
        if len(value) != len(arguments):
            msg = f"expected a list of {len(arguments)} items, got {len(value)}"
            raise TypeError(msg)
        return tuple(
            converter.structure(item, argument)
            for item, argument in zip(value, arguments, strict=True)
        )

    return structure


def _is_record(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(
        type_, Event | Report | Source | Estimate
    )


def _unstructure_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any], Any]:
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)


def _structure_factory(
    cls: Any, converter: cattrs.Converter
) -> Callable[[Any, Any], Any]:
    return make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)


def _strict(kind: type) -> Callable[[object, type], object]:
    def structure(value: object, type_: type) -> object:
        if issubclass(type_, enum.Enum):
            # Singledispatch sends a StrEnum here, before the enum hook.
            return _structure_enum(value, type_)
        if type(value) is not kind:
            msg = f"expected {kind.__name__}, got {type(value).__name__} {value!r:.80}"
            raise TypeError(msg)
        return value

    return structure


def _strict_int(value: object, type_: type) -> int:
    if issubclass(type_, enum.Enum):
        # Singledispatch sends an IntEnum here, before the enum hook.
        return _structure_enum(value, type_)  # type: ignore[return-value]
    if type(value) is not int:
        msg = f"expected a whole number, got {type(value).__name__} {value!r:.80}"
        raise TypeError(msg)
    return value


def _unstructure_fuzzy_date(value: FuzzyDate) -> str | dict[str, str]:
    text = _fuzzy_date_text(value)
    return text if isinstance(text, str) else dict(text)


@functools.lru_cache(maxsize=4096)
def _fuzzy_date_text(value: FuzzyDate) -> str | dict[str, str]:
    # Dates recur from claim to claim: write each distinct one once. The
    # caller copies a dict, so no two payloads share one.
    edtf = value.to_edtf()
    plain = value.phrase is None and value.anchor is None
    same_precision = FuzzyDate.from_edtf(edtf).precision is value.precision
    if plain and same_precision:
        return edtf
    data = {"edtf": edtf}
    if not same_precision:
        data["precision"] = value.precision.value
    if value.phrase is not None:
        data["phrase"] = value.phrase
    if value.anchor is not None:
        data["anchor"] = value.anchor.isoformat()
    return data


def _structure_fuzzy_date(value: object, _: type) -> FuzzyDate:
    if isinstance(value, str):
        return FuzzyDate.from_edtf(value)
    if not isinstance(value, dict):
        msg = f"expected an EDTF string or an object with 'edtf', got {value!r:.80}"
        raise TypeError(msg)
    unknown = set(value) - {"edtf", "precision", "phrase", "anchor"}
    if unknown:
        msg = f"unexpected keys in a fuzzy date: {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    edtf, precision = value.get("edtf"), value.get("precision")
    phrase, anchor = value.get("phrase"), value.get("anchor")
    if not isinstance(edtf, str):
        msg = f"a fuzzy date needs an 'edtf' string, got {edtf!r:.80}"
        raise TypeError(msg)
    parsed = FuzzyDate.from_edtf(edtf)
    return attrs.evolve(
        parsed,
        precision=parsed.precision if precision is None else Precision(precision),
        phrase=_text(phrase) if phrase is not None else None,
        anchor=_structure_date(anchor, dt.date) if anchor is not None else None,
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        msg = f"expected str, got {type(value).__name__} {value!r:.80}"
        raise TypeError(msg)
    return value


def _structure_date(value: object, _: type) -> dt.date:
    if not isinstance(value, str) or len(value) != len("2017-09-23"):
        msg = f"expected an ISO date YYYY-MM-DD, got {value!r:.80}"
        raise InvalidDateError(msg)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"impossible date {value!r}"
        raise InvalidDateError(msg) from None


def _structure_aware_datetime(value: object, _: type) -> dt.datetime:
    if not isinstance(value, str):
        msg = f"expected an ISO datetime with offset, got {value!r:.80}"
        raise InvalidDateError(msg)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        msg = f"impossible datetime {value!r:.80}"
        raise InvalidDateError(msg) from None
    if moment.utcoffset() is None:
        msg = f"datetime {value!r} has no UTC offset; timeline never guesses one"
        raise InvalidDateError(msg)
    return moment


def _structure_date_or_datetime(value: object, _: type) -> dt.date | dt.datetime:
    if isinstance(value, str) and "T" in value:
        return _structure_aware_datetime(value, dt.datetime)
    return _structure_date(value, dt.date)


class Codec:
    """Encodes entries as JSON-ready envelopes and decodes them, checking everything.

    Args:
        converter: The cattrs converter to use; `make_converter()` by default.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_converter", "_fast")

    def __init__(self, converter: JsonConverter | None = None) -> None:
        self._converter = converter if converter is not None else make_converter()
        # With its own converter, the codec may decode through direct
        # readers that build exactly what the converter builds, and share
        # equal immutable values (sources, dates) between entries.
        self._fast = _FastReaders() if converter is None else None

    @property
    def converter(self) -> JsonConverter:
        """Return the cattrs converter behind this codec."""
        return self._converter

    def event_to_dict(self, event: Event) -> _Payload:
        """Return the envelope of *event*: its tag, schema version and payload."""
        cls = type(event)
        return {
            "type": cls.event_type,
            "schema_version": cls.schema_version,
            "payload": self._converter.unstructure(event, unstructure_as=cls),
        }

    def event_from_dict(self, data: object, *, where: str = "entry") -> Event:
        """Return the event stored in envelope *data*, upcast to the current schema.

        Raises:
            UnknownEventTypeError: If the tag is not registered.
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
            cls = event_type_for(tag)
        except UnknownEventTypeError as error:
            msg = f"{where}: type: {error}"
            raise UnknownEventTypeError(msg) from None
        if not isinstance(payload, dict):
            msg = f"{where}: payload of {tag} must be an object, got {payload!r:.80}"
            raise InvalidEntryError(msg)
        payload = _upcast(cls, version, payload, where)
        if self._fast is not None:
            event = self._fast.event(payload, cls)
            if event is not None:
                return event
        try:
            return self._converter.structure(payload, cls)
        except (cattrs.BaseValidationError, TypeError, ValueError) as error:
            raise _explain(error, f"{where} ({tag}) payload") from None

    def entry_to_dict(self, entry: Entry) -> _Payload:
        """Return the envelope of *entry*, with its seq and recorded_at."""
        return {
            "seq": entry.seq,
            "recorded_at": entry.recorded_at.isoformat(),
            **self.event_to_dict(entry.event),
        }

    def entry_from_dict(self, data: object, *, where: str = "entry") -> Entry:
        """Return the entry stored in *data*.

        Raises:
            UnknownEventTypeError: If the tag is not registered.
            InvalidEntryError: If anything in it is malformed.
            InvalidDateError: If *recorded_at* is not an aware ISO datetime.
        """
        if not isinstance(data, Mapping):
            msg = f"{where}: expected a JSON object, got {type(data).__name__}"
            raise InvalidEntryError(msg)
        seq = data.get("seq")
        if type(seq) is not int or seq < 1:
            msg = f"{where}: seq must be a whole number >= 1, got {seq!r:.80}"
            raise InvalidEntryError(msg)
        where = f"{where} (seq {seq})"
        try:
            if self._fast is not None:
                recorded_at = self._fast.moment(data.get("recorded_at"))
            else:
                recorded_at = _structure_aware_datetime(
                    data.get("recorded_at"), dt.datetime
                )
        except InvalidDateError as error:
            msg = f"{where}: recorded_at: {error}"
            raise InvalidDateError(msg) from None
        return Entry(seq, recorded_at, self.event_from_dict(data, where=where))

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


class _RefusedError(Exception):
    """A fast reader met something it does not read: cattrs decides."""


_Reader = Callable[[Any], Any]
_SHARED_MAX = 1 << 16


class _FastReaders:
    """Direct readers of the payloads `make_converter()`'s converter reads.

    A reader builds exactly what the converter would, through the same
    constructors and hooks, or raises `_RefusedError` (or any error), and the
    converter then decodes the payload itself, errors and all. Equal dates,
    fuzzy dates and sources read again are shared, not built anew: they are
    immutable, and a log repeats them on every entry. Read sources and
    estimates are shared the same way.
    """

    __slots__ = ("_classes", "_dates", "_fuzzy", "_moment", "_records", "_strings")

    def __init__(self) -> None:
        self._classes: dict[type, Callable[[Any], Any] | None] = {}
        self._dates: dict[str, dt.date] = {}
        self._fuzzy: dict[object, FuzzyDate] = {}
        self._records: dict[type, dict[object, object]] = {}
        self._strings: dict[str, str] = {}
        self._moment: tuple[object, dt.datetime | None] = (None, None)

    def event(self, payload: dict[str, Any], cls: type[Event]) -> Event | None:
        """Return the event in *payload*, or None to let the converter decide."""
        reader = self._classes.get(cls, _RefusedError)
        if reader is _RefusedError:
            reader = self._classes[cls] = self._record_reader(cls)
        if reader is None:
            return None
        try:
            event: Event = reader(payload)
        except Exception:  # the converter reports it precisely
            return None
        return event

    def moment(self, value: object) -> dt.datetime:
        """Return `_structure_aware_datetime` of *value*, the last one shared."""
        last, moment = self._moment
        if moment is not None and value == last and type(value) is str:
            return moment
        moment = _structure_aware_datetime(value, dt.datetime)
        self._moment = (value, moment)
        return moment

    # -- Building readers from the classes' fields ----------------------------

    def _record_reader(self, cls: type) -> Callable[[Any], Any] | None:
        # A field the readers cannot pass by name (a private attribute, one
        # left out of __init__) makes the class refuse every payload, so
        # cattrs reads it.
        hints = typing.get_type_hints(cls)
        fields = []
        for field in attrs.fields(cls):
            reader = self._reader(hints.get(field.name))
            if reader is None:
                return None
            fields.append((field.name, reader, field.default is attrs.NOTHING))
        return self._make_record(cls, tuple(fields))

    def _make_record(
        self, cls: type, fields: tuple[tuple[str, _Reader, bool], ...]
    ) -> Callable[[Any], Any]:
        allowed = frozenset(name for name, _, _ in fields)

        def read(data: Any) -> Any:
            if type(data) is not dict or not allowed.issuperset(data):
                raise _RefusedError
            values = {}
            for name, reader, required in fields:
                if name in data:
                    values[name] = reader(data[name])
                elif required:
                    raise _RefusedError
            return cls(**values)

        if cls in (Source, Estimate):
            return self._shared(read, self._records.setdefault(cls, {}))
        return read

    def _shared(self, read: _Reader, known: dict[object, object]) -> _Reader:
        # Small immutable values recur: read each distinct one once. Types
        # are part of the key, so True is not taken for a cached 1.
        def shared(data: Any) -> Any:
            if type(data) is not dict:
                raise _RefusedError
            key = tuple([(name, type(value), value) for name, value in data.items()])
            found = known.get(key)
            if found is None:
                if len(known) >= _SHARED_MAX:
                    known.clear()
                found = known[key] = read(data)
            return found

        return shared

    def _reader(self, type_: Any) -> _Reader | None:
        simple: dict[Any, _Reader] = {
            str: self._string,
            int: _whole,
            FuzzyDate: self._fuzzy_date,
            dt.date: self._date,
            dt.date | dt.datetime: self._date_or_datetime,
        }
        if type_ in simple:
            return simple[type_]
        origin, arguments = typing.get_origin(type_), typing.get_args(type_)
        if origin in (typing.Union, types.UnionType) and type(None) in arguments:
            rest = [argument for argument in arguments if argument is not type(None)]
            inner = self._reader(rest[0]) if len(rest) == 1 else None
            return None if inner is None else _optional(inner)
        if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:  # noqa: PLR2004
            item = self._reader(arguments[0])
            return None if item is None else _homogeneous(item)
        if origin is tuple and arguments and Ellipsis not in arguments:
            items = [self._reader(argument) for argument in arguments]
            if any(item is None for item in items):
                return None
            return _heterogeneous(tuple(items))  # type: ignore[arg-type]
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            return functools.partial(_enum, type_)
        if _is_record(type_) and not issubclass(type_, Event):
            return self._record_reader(type_)
        return None

    def _string(self, value: Any) -> str:
        if type(value) is not str:
            raise _RefusedError
        strings = self._strings
        if len(value) > 64:  # noqa: PLR2004  # long text is rarely repeated
            return value
        found = strings.get(value)
        if found is None:
            if len(strings) >= _SHARED_MAX:
                strings.clear()
            found = strings[value] = value
        return found

    def _date(self, value: Any) -> dt.date:
        dates = self._dates
        found = dates.get(value) if type(value) is str else None
        if found is None:
            found = _structure_date(value, dt.date)
            if len(dates) >= _SHARED_MAX:
                dates.clear()
            dates[value] = found
        return found

    def _date_or_datetime(self, value: Any) -> dt.date | dt.datetime:
        if type(value) is str and "T" not in value:
            return self._date(value)
        return _structure_date_or_datetime(value, dt.date)

    def _fuzzy_date(self, value: Any) -> FuzzyDate:
        if type(value) is str:
            key: object = value
        elif type(value) is dict and all(type(item) is str for item in value.values()):
            key = tuple(value.items())
        else:
            raise _RefusedError
        fuzzy = self._fuzzy
        found = fuzzy.get(key)
        if found is None:
            found = _structure_fuzzy_date(value, FuzzyDate)
            if len(fuzzy) >= _SHARED_MAX:
                fuzzy.clear()
            fuzzy[key] = found
        return found


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise _RefusedError
    return value


def _enum(type_: type[enum.Enum], value: Any) -> enum.Enum:
    return _structure_enum(value, type_)


def _optional(reader: _Reader) -> _Reader:
    def read(value: Any) -> Any:
        return None if value is None else reader(value)

    return read


def _homogeneous(reader: _Reader) -> _Reader:
    def read(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _RefusedError
        return tuple([reader(item) for item in value])

    return read


def _heterogeneous(readers: tuple[_Reader, ...]) -> _Reader:
    def read(value: Any) -> tuple[Any, ...]:
        if type(value) is not list or len(value) != len(readers):
            raise _RefusedError
        return tuple(
            [reader(item) for reader, item in zip(readers, value, strict=True)]
        )

    return read
