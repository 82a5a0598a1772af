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
import operator
import re
import types
import typing
import weakref
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.fns import identity as _identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter
from cattrs.v import format_exception

from timeline.errors import (
    InvalidDateError,
    InvalidEntryError,
    TimelineError,
    UnknownEventTypeError,
)
from timeline.model._checks import check_fields
from timeline.model.dates import FuzzyDate, Precision, _month_bounds
from timeline.model.entry import Entry
from timeline.model.events import (
    Estimate,
    Event,
    _non_blank_id,
    _non_negative,
    _other_happening,
    _seq,
    _tuple_of_sources,
    _tuple_of_str,
    event_type_for,
    registered_event_types,
)
from timeline.model.sources import Report, Source, _check_published, _non_blank

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
    # cattrs writes a tuple of fixed length (a report's published_range) as
    # a tuple, which json.dumps writes as a list: write the list itself, so
    # that an envelope is plain JSON before it is dumped.
    converter.register_unstructure_hook_factory(_is_fixed_tuple, _fixed_tuple_factory)
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


def _is_fixed_tuple(type_: Any) -> bool:
    arguments = typing.get_args(type_)
    return _is_tuple(type_) and bool(arguments) and Ellipsis not in arguments


def _fixed_tuple_factory(
    type_: Any, converter: cattrs.Converter
) -> Callable[[Any], Any]:
    hooks = tuple(
        converter.get_unstructure_hook(argument) for argument in typing.get_args(type_)
    )
    return functools.partial(_unstructure_fixed_tuple, hooks)


def _unstructure_fixed_tuple(
    hooks: tuple[Callable[[Any], Any], ...], value: Any
) -> list[Any]:
    # Of the wrong length, it is an error: no reader would read it back.
    return [hook(item) for hook, item in zip(hooks, value, strict=True)]


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
    earliest = value.earliest
    if earliest is not None and earliest == value.latest and not value.choices:
        # One day, the most common date: written as _fuzzy_date_text would,
        # without hashing the date to look it up.
        edtf = earliest.isoformat()
        precision, phrase, anchor = value.precision, value.phrase, value.anchor
        if precision is Precision.DAY and phrase is None and anchor is None:
            return edtf
        data = {"edtf": edtf}
        if precision is not Precision.DAY:
            data["precision"] = precision.value
        if phrase is not None:
            data["phrase"] = phrase
        if anchor is not None:
            data["anchor"] = anchor.isoformat()
        return data
    if _exact_fuzzy(value):
        text = _fuzzy_date_text(value)
    else:
        # Cached by equality, a subclass's text would be written for an
        # equal date of the right types: never cache it.
        text = _fuzzy_date_text.__wrapped__(value)
    return text if isinstance(text, str) else dict(text)


def _exact_fuzzy(value: Any) -> bool:
    """Whether *value* is a `FuzzyDate` whose fields hold exactly their types.

    Not subclasses: of exactly these types, equal dates write the same text.
    """
    if value.__class__ is not FuzzyDate:
        return False
    date = dt.date
    earliest, latest, anchor = value.earliest, value.latest, value.anchor
    phrase, choices, precision = value.phrase, value.choices, value.precision
    if (
        (earliest.__class__ is not date and earliest is not None)
        or (latest.__class__ is not date and latest is not None)
        or (anchor.__class__ is not date and anchor is not None)
        or (phrase.__class__ is not str and phrase is not None)
        or choices.__class__ is not frozenset
        or _PRECISIONS.get(id(precision)) is not precision
    ):
        return False
    return not choices or all(day.__class__ is date for day in choices)


@functools.lru_cache(maxsize=4096)
def _fuzzy_date_text(value: FuzzyDate) -> str | dict[str, str]:
    # Dates recur from claim to claim: write each distinct one once. The
    # caller copies a dict, so no two payloads share one.
    edtf = value.to_edtf()
    plain = value.phrase is None and value.anchor is None
    # FuzzyDate.from_edtf(edtf) gives the precision back exactly when it is
    # DAY, which every long form reads as, or to_edtf wrote a compact form
    # (a month, season or year), the only forms shorter than a day.
    same_precision = value.precision is Precision.DAY or len(edtf) < len("2017-09-23")
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

    __slots__ = ("_converter", "_direct")

    def __init__(self, converter: JsonConverter | None = None) -> None:
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
        """Return the envelope of *event*: its tag, schema version and payload."""
        cls = type(event)
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
        if self._direct is not None:
            event = self._direct.event(payload, cls)
            if event is not None:
                return event
        try:
            return self.converter.structure(payload, cls)
        except (cattrs.BaseValidationError, TypeError, ValueError) as error:
            raise _explain(error, f"{where} ({tag}) payload") from None

    def entry_to_dict(self, entry: Entry) -> _Payload:
        """Return the envelope of *entry*, with its seq and recorded_at."""
        if self._direct is not None:
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
        if direct is None or (cls is not Codec and not _encodes_as_codec(cls)):
            return None
        return direct.checked(entry)

    def entry_from_dict(self, data: object, *, where: str = "entry") -> Entry:
        """Return the entry stored in *data*.

        Raises:
            UnknownEventTypeError: If the tag is not registered.
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


def _fixed_zone(zone: Any) -> bool:
    """Whether aware datetimes in *zone* read back from isoformat() as equal.

    A fixed `datetime.timezone` of whole seconds does: Python 3.11 reads an
    offset under one second in absolute value as UTC, and a zone whose
    offset changes (a fold, a gap) compares unequal across zones.
    """
    return zone.__class__ is dt.timezone and not zone.utcoffset(None).microseconds


class _RefusedError(Exception):
    """A direct reader met something it does not read: cattrs decides."""


_Reader = Callable[[Any], Any]
_SHARED_MAX = 1 << 14
"""The most values a table of shared values holds before it starts again."""
_SHORT = 64
"""Strings longer than this are rarely repeated word for word: not shared."""
_UNSHARED = frozenset({"quote", "note", "title", "url"})
"""Free text, rarely the same in two claims: not worth a lookup each."""
_MISSING: Any = object()
_TUPLE_CONVERTERS = (_tuple_of_str, _tuple_of_sources)
"""Converters that return a tuple as it is: the direct readers build tuples."""
_POST_INIT_NEEDS = {Report.__attrs_post_init__: "published_range"}
"""Post-init methods that do nothing while the field named is None, to values
of exactly the types the fields declare (the check of types is then a no-op)."""
_PURE_POST_INITS = frozenset({Report.__attrs_post_init__, Estimate.__attrs_post_init__})
"""Post-init methods that only check: run on a value, they tell if a copy passes."""
_ID_VALIDATORS = (_non_blank_id, _non_blank, _other_happening)
"""Validators of strings that refuse a blank one; `_other_happening` also
refuses the happening's own id, as the checked writers do (`_checked_lines`)."""
_PRECISIONS = {id(precision): precision for precision in Precision}
_MIN_CHOICES = 2
"""The fewest days a "one of" date has."""
_FIGURES = ["low", "best", "high"]
"""The fields of an estimate, whose post-init checks them in this order."""
_INLINED_DEPTH = 2
"""How deep records are spelled out in the checker of the record holding them."""
_NO_CHOICES = attrs.fields(FuzzyDate).choices.default
_ASCII_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ASCII_RANGE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})/([0-9]{4}-[0-9]{2}-[0-9]{2})")
_ASCII_SET = re.compile(
    r"\[([0-9]{4}-[0-9]{2}-[0-9]{2}(?:,[0-9]{4}-[0-9]{2}-[0-9]{2})+)\]"
)
_ASCII_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_LAST_MONTH = 12
_ISO_DAY_LENGTH = len("2017-09-23")
_from_iso_day = dt.date.fromisoformat


def _built_once(
    table: dict[type, _Reader | None],
    cls: type,
    build: Callable[[type], _Reader | None],
) -> _Reader | None:
    """Return ``build(cls)``, made once and kept in *table*."""
    found: _Reader | None = table.get(cls, _MISSING)
    if found is _MISSING:
        table[cls] = None  # until built: a class naming itself is refused
        found = table[cls] = build(cls)
    return found


def _remember(table: dict[Any, Any], key: object, value: object) -> Any:
    if len(table) >= _SHARED_MAX:
        table.clear()
    table[key] = value
    return value


class _Code:
    """The lines of one generated function, and the values its names stand for.

    Readers and writers are generated, as cattrs generates its own, because
    a function spelled out field by field does away with a loop, a call and
    a dict of arguments per field: most of the cost of decoding a log.
    """

    __slots__ = ("lines", "names", "recipes")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {"Refused": _RefusedError}
        self.recipes: dict[str, _Recipe] = {}

    def name(self, value: object, prefix: str) -> str:
        """Return a new name the generated code knows *value* by."""
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def own(self, value: object, prefix: str, recipe: "_Recipe") -> str:
        """Return a new name for *value*, which belongs to one codec.

        *recipe* finds any codec's own value: see `_Template`.
        """
        name = self.name(value, prefix)
        self.recipes[name] = recipe
        return name

    def add(self, indent: int, *lines: str) -> None:
        """Add *lines*, indented *indent* levels."""
        self.lines.extend("    " * indent + line for line in lines)

    def build(self, function: str, title: str) -> Callable[..., Any]:
        """Return the function named *function* once the lines are run."""
        namespace = dict(self.names)
        # The text is ours: field names (identifiers, quoted when they are
        # keys) and names of self.names, never anything read from storage.
        exec(_compiled("\n".join(self.lines), title), namespace)  # noqa: S102
        built: Callable[..., Any] = namespace[function]
        return built


_Recipe = tuple[str, Any]
"""How a codec finds a value of its own: ("attr", name), ("records", cls) or
("reader", type), for its attribute, its table of records or its reader."""


@attrs.frozen
class _Template:
    """A generated reader, to be made again for any codec without generating it.

    Every codec generates the same text for a class, and binds the same
    names to the same values but those its readers own: tables of shared
    values, methods and readers of other types, which `_Code.own` named
    with the recipe that finds another codec's own.
    """

    source: str
    title: str
    function: str
    constants: dict[str, Any]
    recipes: dict[str, _Recipe]

    def bind(self, direct: "_Direct") -> _Reader | None:
        """Return the reader for *direct*, or None if one of its values is missing."""
        namespace = dict(self.constants)
        for name, (kind, argument) in self.recipes.items():
            if kind == "attr":
                value = getattr(direct, argument)
            elif kind == "records":
                value = direct._records.setdefault(argument, {})
            else:
                value = direct._reader(argument)
            if value is None:
                return None
            namespace[name] = value
        exec(_compiled(self.source, self.title), namespace)  # noqa: S102
        built: _Reader = namespace[self.function]
        return built


_TEMPLATES: dict[tuple[type, bool, int], _Template | None] = {}
"""Each class's reader and entry reader, by table bound, or None if it has none."""


@functools.lru_cache(maxsize=1024)
def _compiled(source: str, title: str) -> types.CodeType:
    # Every codec generates the same text for a class, with values of its
    # own behind the names: compile it once.
    return compile(source, f"<timeline {title}>", "exec")


def _slot_setters(cls: type) -> dict[str, Callable[[Any, Any], None]] | None:
    """Return the setter of each field's slot, or None unless slots are all there is."""
    setters: dict[str, Callable[[Any, Any], None]] = {}
    for klass in cls.__mro__:
        for name in klass.__dict__.get("__slots__", ()):
            slot = klass.__dict__.get(name)
            if isinstance(slot, types.MemberDescriptorType) and name not in setters:
                setters[name] = slot.__set__
    names = {field.name for field in attrs.fields(cls)}
    return setters if set(setters) == names else None


def _direct_setters(cls: type) -> dict[str, Callable[[Any, Any], None]] | None:
    """Return the slot setters that may stand in for *cls*'s ``__init__``, if any.

    Only for an ``__init__`` attrs generated, that sets each field (through a
    converter only if it returns a tuple as it is), then runs the validators
    and ``__attrs_post_init__``: generated code does the same, in that order,
    without the call and its keywords.
    """
    code = getattr(cls.__dict__.get("__init__"), "__code__", None)
    if code is None or not code.co_filename.startswith("<attrs generated"):
        return None
    if hasattr(cls, "__attrs_pre_init__"):
        return None
    for field in attrs.fields(cls):
        if field.converter is not None and field.converter not in _TUPLE_CONVERTERS:
            return None
    return _slot_setters(cls)


_HINTS: "weakref.WeakKeyDictionary[type, dict[str, Any]]" = weakref.WeakKeyDictionary()
"""Each class's resolved type hints: every codec's readers and writers use them."""


def _readable_fields(cls: type) -> tuple[Any, dict[str, Any]] | None:
    # A field the readers cannot pass by name (a private attribute, one left
    # out of __init__) or whose default is made anew each time makes the
    # class refuse every payload, so cattrs reads it.
    hints = _HINTS.get(cls)
    if hints is None:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # cattrs reports a type it cannot resolve
            return None
        _HINTS[cls] = hints
    fields = attrs.fields(cls)
    for field in fields:
        if (
            not field.init
            or field.alias != field.name
            or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
        ):
            return None
    return fields, hints


def _post_init(cls: type) -> Any:
    """Return *cls*'s ``__attrs_post_init__``, or None if it only checks types.

    `check_fields` converts or refuses a value not of exactly its field's
    type, and the readers and checkers take only values of exactly those
    types: for them it does nothing, and is not worth its call.
    """
    post_init = getattr(cls, "__attrs_post_init__", None)
    return None if post_init is check_fields else post_init


def _construct(code: _Code, cls: type, fields: Any, checked: set[str]) -> None:
    """Add the lines that build ``o``, a *cls*, from ``v0``, ``v1``... in field order.

    Validators of the fields named in *checked* are left out: the lines
    before have checked what they check.
    """
    setters = _direct_setters(cls)
    if setters is None:
        arguments = ", ".join(f"{field.name}=v{i}" for i, field in enumerate(fields))
        code.add(1, f"o = {code.name(cls, 'cls')}({arguments})")
        return
    _set_fields(code, cls, fields, setters)
    for i, field in enumerate(fields):
        if field.validator is not None and field.name not in checked:
            validator = code.name(field.validator, "validator")
            code.add(1, f"{validator}(o, {code.name(field, 'field')}, v{i})")
    post_init = _post_init(cls)
    if post_init is not None:
        names = [field.name for field in fields]
        needs = _POST_INIT_NEEDS.get(post_init)
        if needs in names:
            code.add(1, f"if v{names.index(needs)} is not None:")
            code.add(2, "o.__attrs_post_init__()")
        else:
            code.add(1, "o.__attrs_post_init__()")


@functools.lru_cache(maxsize=64)
def _unchecked(cls: type) -> Callable[..., Any]:
    """Return ``make(v0, v1...)``, a *cls* of all its fields, built without checks.

    Only for values the caller knows pass every check of the class. Made
    once for every codec: it holds nothing of any.
    """
    setters = _slot_setters(cls) or {}  # a class without slots fails here
    fields = attrs.fields(cls)
    code = _Code()
    code.add(0, f"def make({', '.join(f'v{i}' for i in range(len(fields)))}):")
    _set_fields(code, cls, fields, setters)
    code.add(1, "return o")
    return code.build("make", f"unchecked {cls.__qualname__}")


def _set_fields(
    code: _Code,
    cls: type,
    fields: Any,
    setters: dict[str, Callable[[Any, Any], None]],
) -> None:
    """Add the lines that make ``o``, a *cls* whose fields are ``v0``, ``v1``...

    It is made a draft of *cls* (see `_draft`), given its fields as
    attributes and made a *cls*; or, if *cls* has no draft, made a *cls*
    and given its fields through their slots' setters, which is slower.
    """
    name = code.name(cls, "cls")
    new = code.name(object.__new__, "new")
    draft = _draft(cls, setters)
    if draft is None:
        code.add(1, f"o = {new}({name})")
        for i, field in enumerate(fields):
            code.add(1, f"{code.name(setters[field.name], 'set')}(o, v{i})")
        return
    code.add(1, f"o = {new}({code.name(draft, 'draft')})")
    for i, field in enumerate(fields):
        code.add(1, f"o.{field.name} = v{i}")
    code.add(1, f"o.__class__ = {name}")


_DRAFTS: dict[type, type | None] = {}
"""Each class's draft, or None: see `_draft`."""


def _draft(cls: type, setters: dict[str, Callable[[Any, Any], None]]) -> type | None:
    """Return a draft of *cls*, or None if it cannot have one.

    A draft is a subclass that adds nothing to a *cls* but ``object``'s
    ``__setattr__`` and ``__delattr__`` (a frozen class refuses both), so
    that an instance takes each field as a plain assignment of the slot in
    *setters*, the fastest way Python sets one; then ``o.__class__ = cls``
    makes it a *cls*, exactly as if made by the setters. Only for a class of
    `type` whose slots are all it holds and whose ancestors have no
    ``__init_subclass__``, which defining the draft would call; each is
    made once and tried before use.
    """
    found = _DRAFTS.get(cls, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    _DRAFTS[cls] = None
    if (
        type(cls) is not type
        or "__dict__" in dir(cls)
        or any("__init_subclass__" in klass.__dict__ for klass in cls.__mro__[:-1])
    ):
        return None
    # An assignment finds the first descriptor of its name along the MRO:
    # it must be the slot whose setter the fields are given to.
    for name, setter in setters.items():
        owner = next(klass for klass in cls.__mro__ if name in klass.__dict__)
        if owner.__dict__[name] is not getattr(setter, "__self__", None):
            return None
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": __name__,
        "__qualname__": f"_Draft.{cls.__qualname__}",
    }
    try:
        draft = type(f"{cls.__name__}Draft", (cls,), namespace)
        probe: Any = object.__new__(draft)
        probe.__class__ = cls
    except TypeError:  # a layout __class__ assignment refuses
        return None
    _DRAFTS[cls] = draft
    return draft


def _enum_lines(code: _Code, var: str, type_: type[enum.Enum]) -> list[str] | None:
    members = dict(type_._value2member_map_)
    kinds = {type(value) for value in members}
    if len(kinds) != 1 or not kinds <= {str, int}:
        return None
    table = code.name(members, "members")
    kind = code.name(kinds.pop(), "kind")
    return [
        f"member = {table}.get({var})",
        f"if member is None or {var}.__class__ is not {kind}:",
        "    raise Refused",
        f"{var} = member",
    ]


class _Direct:
    """Direct readers and writers: `make_converter()`'s converter, only faster.

    A reader builds exactly what the converter would, or raises (mostly
    `_RefusedError`), and the converter then decodes the payload itself,
    errors and all. A writer returns exactly what the converter would, key
    order included. Both are generated for each class from its fields.

    Equal values read again are shared, not built anew: they are immutable,
    and a log repeats them from entry to entry. Sources, estimates, lists of
    sources, fuzzy dates, days, short strings and ``recorded_at`` times are
    kept in tables of at most `_SHARED_MAX` values each, emptied when full;
    reports and dates with a phrase, which recur only among the claims of
    one report, in tables a sixteenth of that size.
    """

    __slots__ = (
        "_checked_dates",
        "_checked_stamp",
        "_checkers",
        "_converter",
        "_dates",
        "_days",
        "_entry_checkers",
        "_entry_readers",
        "_fuzzy",
        "_moment",
        "_new_fuzzy",
        "_older_strings",
        "_phrased",
        "_readers",
        "_records",
        "_registry",
        "_stamp",
        "_strings",
        "_tuples",
        "_writers",
    )

    def __init__(self) -> None:
        self._converter: JsonConverter | None = None
        self._registry = registered_event_types()
        self._readers: dict[type, _Reader | None] = {}
        self._entry_readers: dict[type, _Reader | None] = {}
        self._writers: dict[type, _Reader | None] = {}
        self._dates: dict[str, dt.date] = {}
        self._days: dict[dt.date, dt.date] = {}
        self._fuzzy: dict[str, FuzzyDate] = {}
        self._phrased: dict[tuple[Any, ...], FuzzyDate] = {}
        self._records: dict[type, dict[Any, Any]] = {}
        self._strings: dict[str, str] = {}
        self._older_strings: dict[str, str] = {}
        self._tuples: dict[tuple[int, ...], tuple[Any, ...]] = {}
        self._moment: list[tuple[object, dt.datetime | None]] = [(None, None)]
        self._stamp: tuple[dt.datetime | None, str] = (None, "")
        self._new_fuzzy = _unchecked(FuzzyDate)
        self._checkers: dict[type, _Reader | None] = {}
        self._entry_checkers: dict[type, _Reader | None] = {}
        self._checked_dates: dict[tuple[Any, ...], str | dict[str, str] | None] = {}
        self._checked_stamp: list[tuple[object, str]] = [(_MISSING, "")]

    @property
    def converter(self) -> JsonConverter:
        """Return the converter the readers and writers do the work of, made once."""
        converter = self._converter
        if converter is None:
            converter = self._converter = make_converter()
        return converter

    # -- Decoding -----------------------------------------------------------

    def entry(self, data: dict[str, Any]) -> Entry | None:
        """Return the entry in envelope *data*, or None to let the codec decide.

        None too for a payload of an older schema version, to upcast first.
        """
        try:
            return self.read_entry(data)
        except Exception:  # the codec reports it precisely
            return None

    def read_entry(self, data: dict[str, Any]) -> Entry | None:
        """Return the entry in envelope *data*, or None to let the codec decide.

        Raises:
            Exception: Anything, when a reader refuses *data*: the codec
                then decides, and explains.
        """
        tag = data["type"]
        cls = self._registry.get(tag) if tag.__class__ is str else None
        if cls is None:
            return None
        reader = self._entry_readers.get(cls, _MISSING)
        if reader is _MISSING:
            reader = self._entry_readers[cls] = self._build_reader(cls, entry=True)
        if reader is None:
            return None
        entry: Entry = reader(data)
        return entry

    def event(self, payload: dict[str, Any], cls: type[Event]) -> Event | None:
        """Return the event in *payload*, or None to let the converter decide."""
        reader = self._record_reader(cls)
        if reader is None:
            return None
        try:
            event: Event = reader(payload)
        except Exception:  # the converter reports it precisely
            return None
        return event

    def moment(self, value: object) -> dt.datetime:
        """Return `_structure_aware_datetime` of *value*, the last one shared."""
        last, moment = self._moment[0]
        if moment is not None and value.__class__ is str and value == last:
            return moment
        moment = _structure_aware_datetime(value, dt.datetime)
        self._moment[0] = (value, moment)
        return moment

    def _record_reader(self, cls: type) -> _Reader | None:
        return _built_once(self._readers, cls, self._build_reader)

    def _build_reader(self, cls: type, *, entry: bool = False) -> _Reader | None:
        """Return the reader of a payload of *cls*, or of an entry holding one.

        Generated once for all codecs: each codec binds it to its own tables.
        """
        # The bound of the tables is written into the readers of reports.
        key = (cls, entry, _SHARED_MAX)
        template = _TEMPLATES.get(key, _MISSING)
        if template is _MISSING:
            code = self._reader_code(cls, entry=entry)
            template = None
            if code is not None:
                template = _Template(
                    "\n".join(code.lines),
                    f"{'entry ' * entry}reader of {cls.__qualname__}",
                    "read",
                    {k: v for k, v in code.names.items() if k not in code.recipes},
                    code.recipes,
                )
            _TEMPLATES[key] = template
        return None if template is None else template.bind(self)

    def _reader_code(self, cls: type, *, entry: bool) -> _Code | None:
        """Return the code of `_build_reader`'s reader, or None if it has none."""
        readable = _readable_fields(cls)
        if readable is None:
            return None
        fields, hints = readable
        shared = cls in (Source, Estimate)
        code = _Code()
        if entry:
            self._envelope_lines(code, cls)
        else:
            code.add(0, "def read(data):")
        code.add(1, "if data.__class__ is not dict:", "    raise Refused")
        code.add(1, "present = 0")
        checked: set[str] = set()
        required = 0
        for i, field in enumerate(fields):
            var, type_ = f"v{i}", hints.get(field.name)
            # The values of a shared record are its key: kept once, not shared.
            lines = self._field_lines(
                code, var, type_, field, checked, share=not shared
            )
            if lines is None:
                return None
            if field.default is attrs.NOTHING:
                # Missing, it raises KeyError, and cattrs explains.
                code.add(1, f"{var} = data[{field.name!r}]", *lines)
                required += 1
                continue
            code.add(1, f"if {field.name!r} in data:")
            code.add(2, f"{var} = data[{field.name!r}]", "present += 1", *lines)
            code.add(1, "else:", f"    {var} = {code.name(field.default, 'default')}")
        code.add(1, f"if present + {required} != len(data):", "    raise Refused")
        if shared:
            # Small values that recur: read each distinct one once.
            table = self._records.setdefault(cls, {})
            known = code.own(table, "known", ("records", cls))
            values = "".join(f"v{i}, " for i in range(len(fields)))
            code.add(1, f"key = ({values})", f"o = {known}.get(key)")
            code.add(1, "if o is not None:", "    return o")
            _construct(code, cls, fields, checked)
            code.add(1, f"return {code.name(_remember, 'remember')}({known}, key, o)")
        elif not issubclass(cls, Event):
            self._recent_lines(code, cls, fields, hints, checked)
        else:
            _construct(code, cls, fields, checked)
            if entry:
                code.add(1, "event = o", "v0, v1, v2 = seq, moment, event")
                _construct(code, Entry, attrs.fields(Entry), set())
            code.add(1, "return o")
        return code

    def _envelope_lines(self, code: _Code, cls: type) -> None:
        """Add the start of an entry reader: the envelope, then ``data``."""
        moments = code.own(self._moment, "moments", ("attr", "_moment"))
        code.add(0, "def read(envelope):", "    seq = envelope['seq']")
        code.add(1, "if seq.__class__ is not int or seq < 1:", "    raise Refused")
        code.add(1, "version = envelope['schema_version']")
        code.add(1, "if version.__class__ is not int:", "    raise Refused")
        code.add(1, f"if version != {code.name(cls, 'cls')}.schema_version:")
        code.add(2, "raise Refused  # to be upcast first")
        code.add(1, "text = envelope['recorded_at']", f"last = {moments}[0]")
        code.add(1, "if text.__class__ is str and text == last[0]:")
        code.add(2, "moment = last[1]")
        moment = code.own(self.moment, "moment", ("attr", "moment"))
        code.add(1, "else:", f"    moment = {moment}(text)")
        code.add(1, "data = envelope['payload']")

    def _recent_lines(
        self, code: _Code, cls: type, fields: Any, hints: Any, checked: set[str]
    ) -> None:
        """Add the end of a reader of reports: one read lately is that one."""
        # The claims of one report are logged close together. Strings and
        # days are keys by value, other values by identity: shared ones are
        # the same object (which the report in the table keeps alive), and
        # equal datetimes in two time zones are not the same value to write.
        table = self._records.setdefault(cls, {})
        recent = code.own(table, "recent", ("records", cls))
        key = "".join(
            f"v{i}, " if _by_value(hints.get(field.name)) else f"id(v{i}), "
            for i, field in enumerate(fields)
        )
        code.add(1, f"key = ({key})", f"o = {recent}.get(key)")
        code.add(1, "if o is not None:", "    return o")
        _construct(code, cls, fields, checked)
        code.add(1, f"if len({recent}) >= {_SHARED_MAX // 16}:")
        code.add(2, f"{recent}.clear()")
        code.add(1, f"{recent}[key] = o", "return o")

    def _field_lines(
        self,
        code: _Code,
        var: str,
        type_: Any,
        field: Any,
        checked: set[str],
        *,
        share: bool,
    ) -> list[str] | None:
        """Return the lines that check *var*, as read, and make it the value."""
        inner = _without_none(type_)
        lines = self._value_lines(code, var, inner, field, checked, share=share)
        if lines is None or inner is type_:
            return lines
        return [f"if {var} is not None:", *(f"    {line}" for line in lines)]

    def _value_lines(
        self,
        code: _Code,
        var: str,
        type_: Any,
        field: Any,
        checked: set[str],
        *,
        share: bool,
    ) -> list[str] | None:
        refuse = "    raise Refused"
        if type_ is str:
            lines = [f"if {var}.__class__ is not str:", refuse]
            if field.validator is _non_blank_id:
                checked.add(field.name)
                lines += [f"if not {var}.strip():", refuse]
            if share and field.name not in _UNSHARED:
                strings = code.own(self._strings, "strings", ("attr", "_strings"))
                sharer = code.own(self._share, "share", ("attr", "_share"))
                lines += [
                    f"found = {strings}.get({var})",
                    "if found is None:",
                    f"    found = {sharer}({var})",
                    f"{var} = found",
                ]
            return lines
        if type_ is int:
            lines = [f"if {var}.__class__ is not int:", refuse]
            if field.validator is _seq:
                checked.add(field.name)
                lines += [f"if {var} < 0:", refuse]
            return lines
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            return _enum_lines(code, var, type_)
        reader = self._reader(type_)
        if reader is None:
            return None
        read = code.own(reader, "read", ("reader", type_))
        if type_ == dt.date | dt.datetime and field.validator is _check_published:
            checked.add(field.name)  # a date or an aware datetime passes
        # Values seen before are looked up without a call.
        tables: dict[Any, tuple[str, str]] = {
            FuzzyDate: ("_fuzzy", f" if {var}.__class__ is str else None"),
            dt.date: ("_dates", ""),
            dt.date | dt.datetime: ("_dates", ""),
        }
        if type_ not in tables:
            return [f"{var} = {read}({var})"]
        attribute, condition = tables[type_]
        known = code.own(getattr(self, attribute), "known", ("attr", attribute))
        return [
            f"found = {known}.get({var}){condition}",
            f"{var} = {read}({var}) if found is None else found",
        ]

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
        if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:  # noqa: PLR2004
            item = self._reader(arguments[0])
            if item is None:
                return None
            if _is_record(arguments[0]):
                return self._shared_tuple(item)
            return _homogeneous(item)
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

    def _shared_tuple(self, read: _Reader) -> _Reader:
        # Lists of shared records (attributions) recur as much as the records.
        # The key is their identities, which the tuple in the table keeps.
        known = self._tuples

        def shared(value: Any) -> tuple[Any, ...]:
            if value.__class__ is not list:
                raise _RefusedError
            items = tuple([read(item) for item in value])
            key = tuple([id(item) for item in items])
            found: tuple[Any, ...] | None = known.get(key)
            return _remember(known, key, items) if found is None else found

        return shared

    def _share(self, value: str) -> str:
        strings = self._strings
        found = strings.get(value)
        if found is None:
            if len(value) > _SHORT:
                return value
            # Names recur throughout a log, ids only for a while: a full
            # table becomes the older one, whose strings are shared again
            # when read again, so names in use outlive the turnover of ids.
            older = self._older_strings
            found = older.get(value, value)
            if len(strings) >= _SHARED_MAX:
                older.clear()
                older.update(strings)
                strings.clear()
            strings[value] = found
        return found

    def _string(self, value: Any) -> str:
        if value.__class__ is not str:
            raise _RefusedError
        return self._share(value)

    def _day(self, value: dt.date) -> dt.date:
        found: dt.date | None = self._days.get(value)
        return _remember(self._days, value, value) if found is None else found

    def _date(self, value: Any) -> dt.date:
        # _structure_date, spelled out: what it refuses raises here too.
        if value.__class__ is not str or len(value) != _ISO_DAY_LENGTH:
            raise _RefusedError
        dates = self._dates
        found: dt.date | None = dates.get(value)
        if found is None:
            day = _from_iso_day(value)
            found = self._days.get(day)
            if found is None:
                found = _remember(self._days, day, day)
            if len(dates) >= _SHARED_MAX:
                dates.clear()
            dates[value] = found
        return found

    def _date_or_datetime(self, value: Any) -> dt.date | dt.datetime:
        if value.__class__ is str and "T" not in value:
            return self._date(value)
        return _structure_date_or_datetime(value, dt.date)

    def _fuzzy_date(self, value: Any) -> FuzzyDate:
        if value.__class__ is str:
            found: FuzzyDate | None = self._fuzzy.get(value)
            if found is None:
                found = _remember(self._fuzzy, value, self._edtf(value))
            return found
        if value.__class__ is not dict:
            raise _RefusedError
        key = (
            value.get("edtf"),
            value.get("precision"),
            value.get("phrase"),
            value.get("anchor"),
        )
        given = 0
        for item in key:
            if item is not None:
                if item.__class__ is not str:
                    raise _RefusedError
                given += 1
        edtf, precision, phrase, anchor = key
        if edtf is None or len(value) != given:
            raise _RefusedError  # unknown keys and explicit nulls included
        phrased = self._phrased
        found = phrased.get(key)
        if found is None:
            # Values read before are looked up without a call.
            plain = self._fuzzy.get(edtf)
            if plain is None:
                plain = self._fuzzy_date(edtf)
            if phrase is not None:
                shared = self._strings.get(phrase)
                phrase = self._share(phrase) if shared is None else shared
            if anchor is not None:
                day = self._dates.get(anchor)
                anchor = self._date(anchor) if day is None else day
            # What _structure_fuzzy_date builds: the bounds and choices of a
            # checked date, a Precision, a string and a day pass every check.
            found = self._new_fuzzy(
                plain.earliest,
                plain.latest,
                plain.precision if precision is None else Precision(precision),
                plain.choices,
                phrase,
                anchor,
            )
            if len(phrased) >= _SHARED_MAX // 16:
                phrased.clear()
            phrased[key] = found
        return found

    def _edtf(self, text: str) -> FuzzyDate:
        """Return `FuzzyDate.from_edtf` of *text*, its days shared."""
        # The forms to_edtf writes, in ASCII digits, are checked here as
        # from_edtf and FuzzyDate would check them: a day, a range of days,
        # a set of days ("one of") and a month. Other forms, seasons and
        # years among them, are read by from_edtf.
        new: Callable[..., FuzzyDate] = self._new_fuzzy
        if _ASCII_DAY.fullmatch(text):
            first = self._date(text)
            return new(first, first, Precision.DAY, _NO_CHOICES, None, None)
        if match := _ASCII_RANGE.fullmatch(text):
            first, last = self._date(match[1]), self._date(match[2])
            if first > last:
                raise _RefusedError
            return new(first, last, Precision.DAY, _NO_CHOICES, None, None)
        if match := _ASCII_SET.fullmatch(text):
            # FuzzyDate.one_of: at least two distinct days, the first and
            # last of which are the bounds.
            choices = frozenset([self._date(day) for day in match[1].split(",")])
            if len(choices) < _MIN_CHOICES:
                raise _RefusedError
            return new(min(choices), max(choices), Precision.DAY, choices, None, None)
        if (match := _ASCII_MONTH.fullmatch(text)) and (
            1 <= int(match[2]) <= _LAST_MONTH
        ):
            # FuzzyDate.month; a year or month with no days raises here.
            first, last = _month_bounds(int(match[1]), int(match[2]))
            return new(
                self._day(first),
                self._day(last),
                Precision.MONTH,
                _NO_CHOICES,
                None,
                None,
            )
        parsed = FuzzyDate.from_edtf(text)
        earliest, latest, choices = parsed.earliest, parsed.latest, parsed.choices
        return FuzzyDate(
            None if earliest is None else self._day(earliest),
            None if latest is None else self._day(latest),
            precision=parsed.precision,
            choices=frozenset([self._day(day) for day in choices]) or choices,
        )

    # -- Encoding -----------------------------------------------------------

    def record(self, entry: Entry) -> _Payload | None:
        """Return the envelope of *entry*, or None to let the converter write it."""
        event = entry.event
        cls = event.__class__
        writer = self._writers.get(cls, _MISSING)
        if writer is _MISSING:
            writer = self._record_writer(cls)
        if writer is None:
            return None
        moment = entry.recorded_at
        stamp = self._stamp
        try:
            if moment is not stamp[0]:
                stamp = self._stamp = (moment, moment.isoformat())
            return {
                "seq": entry.seq,
                "recorded_at": stamp[1],
                "type": cls.event_type,
                "schema_version": cls.schema_version,
                "payload": writer(event),
            }
        except Exception:  # the converter reports it precisely
            return None

    def payload(self, event: Event) -> _Payload | None:
        """Return the payload of *event*, or None to let the converter write it."""
        writer = self._record_writer(event.__class__)
        if writer is None:
            return None
        try:
            payload: _Payload = writer(event)
        except Exception:  # the converter reports it precisely
            return None
        return payload

    def _record_writer(self, cls: type) -> _Reader | None:
        return _built_once(self._writers, cls, self._build_writer)

    def _build_writer(self, cls: type) -> _Reader | None:
        # What cattrs' make_dict_unstructure_fn writes, omitting defaults:
        # the fields without a default, then those that differ from their
        # default (converted, as attrs would), each in field order.
        readable = _readable_fields(cls)
        if readable is None:
            return None
        fields, hints = readable
        code = _Code()
        required: list[str] = []
        optional: list[str] = []
        for field in fields:
            if isinstance(field.converter, attrs.Converter):
                return None  # it would need the instance
            type_ = hints.get(field.name, field.type)
            if field.default is attrs.NOTHING:
                value = self._output(code, f"o.{field.name}", type_)
                required.append(f"{field.name!r}: {value}")
                continue
            default = field.default
            if field.converter is not None:
                default = field.converter(default)
            if default is None:
                test = "if v is not None:"
                type_ = _without_none(type_)
            else:
                test = f"if v != {code.name(default, 'default')}:"
            value = self._output(code, "v", type_)
            optional += [
                f"v = o.{field.name}",
                test,
                f"    res[{field.name!r}] = {value}",
            ]
        code.add(0, "def write(o):", f"    res = {{{', '.join(required)}}}")
        code.add(1, *optional, "return res")
        return code.build("write", f"writer of {cls.__qualname__}")

    def _output(self, code: _Code, var: str, type_: Any) -> str:
        """Return the expression of what the converter writes for *var*."""
        hook = self.converter.get_unstructure_hook(type_)
        if hook is _identity:
            return var
        if hook is _enum_value:
            return f"{var}.value"
        if hook is _unstructure_fuzzy_date:
            return f"{code.name(hook, 'fuzzy')}({var})"
        if type_ in (dt.date, dt.datetime):
            return f"{var}.isoformat()"  # as the JSON converter writes them
        if type_ == dt.date | dt.datetime:
            # The converter picks a hook by the value's class: either writes
            # isoformat(); anything else goes to the converter.
            date, moment = code.name(dt.date, "cls"), code.name(dt.datetime, "cls")
            exact = f"{var}.__class__ is {date} or {var}.__class__ is {moment}"
            fallback = f"{code.name(hook, 'hook')}({var})"
            return f"({var}.isoformat() if {exact} else {fallback})"
        origin, arguments = typing.get_origin(type_), typing.get_args(type_)
        record = type_
        many = origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis  # noqa: PLR2004
        if many:
            record = arguments[0]
        if _is_record(record) and not issubclass(record, Event):
            writer = self._record_writer(record)
            if writer is not None:
                write = code.name(writer, "write")
                if many:
                    return f"[{write}(item) for item in {var}]"
                return f"{write}({var})"
        return f"{code.name(hook, 'hook')}({var})"

    # -- Checked encoding -----------------------------------------------------

    def checked(self, entry: Entry) -> _Payload | None:
        """Return the envelope of *entry* if it surely reads back as *entry*.

        It is what `record` returns, made by a checked writer: code generated
        for each class that checks the exact type of every value, and what
        the readers check besides, as it writes. None if it cannot tell.
        """
        try:
            if entry.__class__ is not Entry:
                return None
            cls = entry.event.__class__
            checker = self._entry_checkers.get(cls, _MISSING)
            if checker is _MISSING:
                checker = self._entry_checkers[cls] = self._build_entry_checker(cls)
            if checker is None:
                return None
            envelope: _Payload = checker(entry)
        except Exception:  # the full check decides, and explains
            return None
        return envelope

    def _build_entry_checker(self, cls: type) -> _Reader | None:
        """Return the checked writer of entries holding a *cls*, if one can be made."""
        if not issubclass(cls, Event) or self._record_writer(cls) is None:
            return None
        tag, version = getattr(cls, "event_type", None), cls.schema_version
        if tag.__class__ is not str or self._registry.get(tag) is not cls:
            return None  # not how the readers find the class of a tag
        if version.__class__ is not int or version < 1:
            return None
        # The entry reader must read it directly; otherwise cattrs does.
        reader = self._entry_readers.get(cls, _MISSING)
        if reader is _MISSING:
            reader = self._entry_readers[cls] = self._build_reader(cls, entry=True)
        if reader is None:
            return None
        code = _Code()
        lines = self._checked_lines(code, cls, "o", "")
        if lines is None:
            return None
        name = code.name(cls, "cls")
        tag_name, version_name = code.name(tag, "tag"), code.name(version, "version")
        stamps = code.name(self._checked_stamp, "stamps")
        code.add(0, "def check(entry):", "    seq = entry.seq")
        code.add(1, "if seq.__class__ is not int or seq < 1:", "    raise Refused")
        code.add(1, "moment = entry.recorded_at", f"stamp = {stamps}[0]")
        code.add(1, "if moment is not stamp[0]:")
        code.add(2, f"stamp = {code.name(self._check_stamp, 'stamp')}(moment)")
        # The class's tag and version as entry_to_dict writes them, and the
        # class the readers find for the tag, today.
        registry = code.name(self._registry, "registry")
        code.add(1, f"if ({name}.event_type is not {tag_name}")
        code.add(2, f"or {name}.schema_version is not {version_name}")
        code.add(2, f"or {registry}.get({tag_name}) is not {name}):")
        code.add(2, "raise Refused")
        code.add(1, "o = entry.event", *lines, "return {")
        code.add(2, "'seq': seq,", "'recorded_at': stamp[1],")
        code.add(2, f"'type': {tag_name},", f"'schema_version': {version_name},")
        code.add(2, "'payload': res,", "}")
        return code.build("check", f"entry checker of {cls.__qualname__}")

    def _record_checker(self, cls: type) -> _Reader | None:
        return _built_once(self._checkers, cls, self._build_record_checker)

    def _build_record_checker(self, cls: type) -> _Reader | None:
        """Return ``check(o)``, the checked writer of a *cls* record."""
        code = _Code()
        lines = self._checked_lines(code, cls, "o", "")
        if lines is None:
            return None
        code.add(0, "def check(o):")
        code.add(1, *lines, "return res")
        return code.build("check", f"checker of {cls.__qualname__}")

    def _checked_lines(
        self, code: _Code, cls: type, obj: str, prefix: str, depth: int = 0
    ) -> list[str] | None:
        """Return the lines that check *obj*, a *cls*, and write it as ``{prefix}res``.

        They write what the generated writer writes (see `_build_writer`):
        the fields without a default, then those that differ from it. None
        if the class has anything they cannot check. Names they set start
        with *prefix*, so that the lines of a record may be nested in the
        lines of another, *depth* levels down.
        """
        readable = _readable_fields(cls)
        if readable is None or _direct_setters(cls) is None or not _compared(cls):
            return None
        post_init = _post_init(cls)
        if post_init is not None and post_init not in _PURE_POST_INITS:
            return None
        fields, hints = readable
        checks = [
            f"if {obj}.__class__ is not {code.name(cls, 'cls')}:",
            "    raise Refused",
        ]
        required: list[str] = []
        indexes = {field.name: i for i, field in enumerate(fields)}
        optional: list[str] = []
        never: set[str] = set()  # optional fields refused unless None
        for i, field in enumerate(fields):
            var, type_ = f"{prefix}v{i}", hints.get(field.name, field.type)
            inner = _without_none(type_)
            lines = self._checked_value(code, var, inner, field, depth)
            default = field.default
            if default is attrs.NOTHING:
                if lines is None or inner is not type_:
                    return None
                checks += [f"{var} = {obj}.{field.name}", *lines[0], *lines[1]]
                if field.validator is _other_happening:
                    # What it checks besides: another happening than the
                    # event's own, a required field checked before (the first).
                    other = f"{prefix}v{indexes['event_id']}"
                    checks += [f"if {var} == {other}:", "    raise Refused"]
                required.append(f"{field.name!r}: {var}")
                continue
            if field.converter is not None:
                default = field.converter(default)
            if default is None and inner is not type_:
                optional += [f"{var} = {obj}.{field.name}", f"if {var} is not None:"]
                if lines is None:
                    never.add(field.name)
                    optional.append("    raise Refused")
                    continue
                optional += [f"    {line}" for line in (*lines[0], *lines[1])]
                optional.append(f"    {prefix}res[{field.name!r}] = {var}")
                continue
            if (
                lines is None
                or inner is not type_
                or not _plain_default(default, type_)
            ):
                return None
            optional += [f"{var} = {obj}.{field.name}", *lines[0]]
            optional.append(f"if {var} != {code.name(default, 'default')}:")
            optional += [f"    {line}" for line in lines[1]]
            optional.append(f"    {prefix}res[{field.name!r}] = {var}")
        names = [field.name for field in fields]
        if post_init is Estimate.__attrs_post_init__ and names == _FIGURES:
            # What it checks, spelled out: at least one figure, in order.
            last = f"{prefix}last"
            optional.append(f"{last} = -1")
            for i in range(len(names)):
                optional += [
                    f"if {prefix}v{i} is not None:",
                    f"    if {prefix}v{i} < {last}:",
                    "        raise Refused",
                    f"    {last} = {prefix}v{i}",
                ]
            optional += [f"if {last} < 0:", "    raise Refused"]
        elif post_init is not None and _POST_INIT_NEEDS.get(post_init) not in never:
            # Run on the original, whose fields the copy read back equals,
            # unless it does nothing while a field refused above is None.
            optional.append(f"{obj}.__attrs_post_init__()")
        return [*checks, f"{prefix}res = {{{', '.join(required)}}}", *optional]

    def _checked_value(
        self, code: _Code, var: str, type_: Any, field: Any, depth: int
    ) -> tuple[list[str], list[str]] | None:
        """Return the lines that check *var*, then those that make it what is written.

        A value passes the checks only if it is of exactly *type_* and the
        readers would read what is written back as an equal value: the
        lines mirror `_output` for the writing and `_value_lines` (and the
        field's validator) for the reading.
        """
        refuse = "    raise Refused"
        hook = self.converter.get_unstructure_hook(type_)
        validator = field.validator
        if type_ is str or type_ is int:
            if hook is not _identity:
                return None
            checks = [f"if {var}.__class__ is not {type_.__name__}:", refuse]
            if type_ is str and validator in _ID_VALIDATORS:
                checks += [f"if not {var}.strip():", refuse]
            elif type_ is int and validator in (_seq, _non_negative):
                checks += [f"if {var} < 0:", refuse]
            elif validator is not None:
                return None
            return checks, []
        if validator is not None and not (
            validator is _check_published and type_ == dt.date | dt.datetime
        ):
            return None
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            # The reader reads the class, so its values are all str or all
            # int (see _enum_lines), written as they are.
            if hook is not _enum_value:
                return None
            members = code.name({id(member): member for member in type_}, "members")
            checks = [f"if {members}.get(id({var})) is not {var}:", refuse]
            return checks, [f"{var} = {var}.value"]
        if type_ is FuzzyDate:
            if hook is not _unstructure_fuzzy_date:
                return None
            return [], self._fuzzy_lines(code, var)
        if hook in (_identity, _enum_value, _unstructure_fuzzy_date):
            return None  # _output would not write the value as it is below
        date = code.name(dt.date, "date")
        if type_ is dt.date:
            checks = [f"if {var}.__class__ is not {date}:", refuse]
            return checks, [f"{var} = {var}.isoformat()"]
        if type_ == dt.date | dt.datetime:
            moment = code.name(dt.datetime, "moment")
            fixed = code.name(_fixed_zone, "fixed")
            checks = [
                f"if {var}.__class__ is not {date} and (",
                f"    {var}.__class__ is not {moment} or not {fixed}({var}.tzinfo)",
                "):",
                refuse,
            ]
            return checks, [f"{var} = {var}.isoformat()"]
        origin, arguments = typing.get_origin(type_), typing.get_args(type_)
        if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:  # noqa: PLR2004
            item = arguments[0]
            checks = [f"if {var}.__class__ is not tuple:", refuse]
            if item in (str, int):
                item_hook = self.converter.get_unstructure_hook(item)
                if hook is not list or item_hook is not _identity:
                    return None
                checks += [
                    f"for item in {var}:",
                    f"    if item.__class__ is not {item.__name__}:",
                    f"    {refuse}",
                ]
                return checks, [f"{var} = list({var})"]
            if not self._nested(item):
                return None
            check = self._record_checker(item)
            if check is None:
                return None
            name = code.name(check, "check")
            return checks, [f"{var} = [{name}(item) for item in {var}]"]
        if origin is tuple and arguments and Ellipsis not in arguments:
            return self._checked_fixed_tuple(code, var, arguments, hook)
        if not self._nested(type_):
            return None
        if depth < _INLINED_DEPTH:
            # Spelled out in place, as a record of a record may be.
            lines = self._checked_lines(code, type_, var, f"{var}_", depth + 1)
            if lines is None:
                return None
            return [], [*lines, f"{var} = {var}_res"]
        check = self._record_checker(type_)
        if check is None:
            return None
        return [], [f"{var} = {code.name(check, 'check')}({var})"]

    def _checked_fixed_tuple(
        self, code: _Code, var: str, arguments: tuple[Any, ...], hook: Any
    ) -> tuple[list[str], list[str]] | None:
        """Return the lines of `_checked_value` for a tuple of fixed length.

        Only of strings, whole numbers and days (a report's published_range),
        each of exactly its type, written as `_unstructure_fixed_tuple` writes
        them: a list the reader (see `_heterogeneous`) reads back as equal.
        """
        if (
            hook.__class__ is not functools.partial
            or hook.func is not _unstructure_fixed_tuple
            or len(hook.args) != 1
            or hook.keywords
        ):
            return None
        hooks = hook.args[0]
        if len(hooks) != len(arguments):
            return None
        refuse = "    raise Refused"
        checks = [
            f"if {var}.__class__ is not tuple or len({var}) != {len(arguments)}:",
            refuse,
        ]
        written: list[str] = []
        for i, (argument, item_hook) in enumerate(zip(arguments, hooks, strict=True)):
            if item_hook is not self.converter.get_unstructure_hook(argument):
                return None
            item = f"{var}[{i}]"
            if argument in (str, int):
                if item_hook is not _identity:
                    return None
                written.append(item)
            elif argument is dt.date:
                # Called by the tuple's hook, not spelled out as a date field
                # is by the writers: only the JSON converter's own will do.
                if not _writes_isoformat(item_hook):
                    return None
                written.append(f"{item}.isoformat()")
            else:
                return None
            kind = code.name(argument, "kind")
            checks += [f"if {item}.__class__ is not {kind}:", refuse]
        return checks, [f"{var} = [{', '.join(written)}]"]

    def _fuzzy_lines(self, code: _Code, var: str) -> list[str]:
        """Return the lines that make *var*, a fuzzy date, what is written for it."""
        # A plain day, the most common date, spelled out: its ISO day is
        # what _unstructure_fuzzy_date writes and the reader reads back as
        # the same day. Anything else goes to _checked_fuzzy.
        fuzzy, date = code.name(FuzzyDate, "cls"), code.name(dt.date, "date")
        day, no_choices = code.name(Precision.DAY, "day"), code.name(_NO_CHOICES, "no")
        first = f"{var}_first"
        return [
            f"{first} = {var}.earliest",
            f"if ({var}.__class__ is {fuzzy} and {first}.__class__ is {date}",
            f"        and {var}.latest is {first} and {var}.precision is {day}",
            f"        and {var}.choices is {no_choices} and {var}.phrase is None",
            f"        and {var}.anchor is None):",
            f"    {var} = {first}.isoformat()",
            "else:",
            f"    {var} = {code.name(self._checked_fuzzy, 'fuzzy')}({var})",
        ]

    def _nested(self, type_: Any) -> bool:
        """Whether *type_* is a record that `_output` writes with its writer."""
        return (
            _is_record(type_)
            and not issubclass(type_, Event)
            and self._record_writer(type_) is not None
        )

    def _check_stamp(self, moment: Any) -> tuple[object, str]:
        """Return *moment* and what is written for it, if it reads back as equal."""
        if moment.__class__ is not dt.datetime or not _fixed_zone(moment.tzinfo):
            raise _RefusedError
        text = moment.isoformat()
        if _structure_aware_datetime(text, dt.datetime) != moment:
            raise _RefusedError
        stamp = self._checked_stamp[0] = (moment, text)
        return stamp

    def _checked_fuzzy(self, value: Any) -> str | dict[str, str]:
        """Return what is written for *value*, a fuzzy date, if it reads back equal."""
        if not _exact_fuzzy(value):
            raise _RefusedError
        earliest = value.earliest
        if earliest is not None and earliest == value.latest and not value.choices:
            # One day, the most common date: written as its ISO day, alone or
            # with the precision, phrase and anchor, all of which the reader
            # reads back as they were.
            return _unstructure_fuzzy_date(value)
        # Of exactly these types, equal fields write the same and read the
        # same: each distinct date is checked once.
        key = (
            earliest,
            value.latest,
            id(value.precision),
            value.choices,
            value.phrase,
            value.anchor,
        )
        known = self._checked_dates
        written = known.get(key, _MISSING)
        if written is _MISSING:
            written = _remember(known, key, self._written_fuzzy(value))
        if written is None:
            raise _RefusedError
        return written if written.__class__ is str else dict(written)

    def _written_fuzzy(self, value: FuzzyDate) -> str | dict[str, str] | None:
        """Return what is written for *value* if it reads back equal, else None."""
        earliest, latest, choices = value.earliest, value.latest, value.choices
        if earliest is None or latest is None or value.precision is not Precision.DAY:
            return self._reads_back_fuzzy(value)
        # A range of days, written "first/last", or a set of them, written
        # "[day,...]": the reader reads back the same range, or the same set
        # between its first and last day.
        if choices:
            if (
                len(choices) < _MIN_CHOICES
                or earliest != min(choices)
                or latest != max(choices)
            ):
                return None
        elif earliest > latest:
            return None
        return _unstructure_fuzzy_date(value)

    def _reads_back_fuzzy(self, value: FuzzyDate) -> str | dict[str, str] | None:
        """Return what is written for *value* if the reader reads it back equal."""
        try:
            written = _unstructure_fuzzy_date(value)
            if written.__class__ is dict:
                plain = all(
                    key.__class__ is str and item.__class__ is str
                    for key, item in written.items()
                )
            else:
                plain = written.__class__ is str
            if plain and self._fuzzy_date(written) == value:
                return written
        except Exception:  # the reader refuses it: cattrs may not
            return None
        return None


_ISOFORMAT = _make_json_converter().get_unstructure_hook(dt.date)
"""The JSON converter's hook for days: ``lambda v: v.isoformat()``."""


def _writes_isoformat(hook: Any) -> bool:
    """Whether *hook* is the JSON converter's hook for days, of any converter."""
    code = getattr(hook, "__code__", None)
    return code is _ISOFORMAT.__code__ and hook.__closure__ is None


def _compared(cls: type) -> bool:
    """Whether instances of *cls* are equal when their fields are, by attrs."""
    code = getattr(cls.__eq__, "__code__", None)
    return getattr(code, "co_filename", "").startswith("<attrs generated") and all(
        field.eq_key is None for field in attrs.fields(cls)
    )


def _plain_default(default: object, type_: Any) -> bool:
    """Whether *default* is a value `_checked_value` checks for *type_*."""
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return default.__class__ is type_
    if typing.get_origin(type_) is tuple:
        return default.__class__ is tuple and not default
    return default.__class__ is type_ and type_ in (str, int)


def _by_value(type_: Any) -> bool:
    """Whether values of *type_* are equal only if they write the same JSON."""
    type_ = _without_none(type_)
    if typing.get_origin(type_) is tuple:
        return all(_by_value(item) for item in typing.get_args(type_))
    return type_ in (str, dt.date, Ellipsis)


def _without_none(type_: Any) -> Any:
    origin, arguments = typing.get_origin(type_), typing.get_args(type_)
    if origin in (typing.Union, types.UnionType) and type(None) in arguments:
        rest = [argument for argument in arguments if argument is not type(None)]
        return functools.reduce(operator.or_, rest)
    return type_


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise _RefusedError
    return value


def _enum(type_: type[enum.Enum], value: Any) -> enum.Enum:
    return _structure_enum(value, type_)


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
