# SPDX-License-Identifier: MIT
"""The direct readers: payloads to values, generated per class, values shared.

`_Readers` reads an envelope, or a payload, exactly as the converter of
`make_converter()` would, through a function generated for each class (see
`timeline.serialization._generate` for why), or refuses it: the codec then
asks the converter, which decodes it or explains why not. Equal values read
again are shared, in tables bounded by `_SHARED_MAX`, so a loaded log holds
one copy of each source, date and name it repeats.
"""

import datetime as dt
import enum
import functools
import re
import typing
from collections.abc import Callable
from typing import Any

import attrs

from timeline.model._analyst import _seq
from timeline.model._calendar import _month_bounds
from timeline.model._event import _non_blank_id
from timeline.model.dates import FuzzyDate, Precision
from timeline.model.entry import Entry
from timeline.model.events import Estimate, Event, registered_event_types
from timeline.model.sources import Source, _check_published
from timeline.serialization._converter import (
    _is_record,
    _structure_aware_datetime,
    _structure_date_or_datetime,
    _structure_enum,
)
from timeline.serialization._generate import (
    _MISSING,
    _built_once,
    _Code,
    _compiled,
    _construct,
    _readable_fields,
    _Reader,
    _Recipe,
    _RefusedError,
    _unchecked,
    _without_none,
)

_SHARED_MAX = 1 << 14
"""The most values a table of shared values holds before it starts again."""
_SHORT = 64
"""Strings longer than this are rarely repeated word for word: not shared."""
_UNSHARED = frozenset({"quote", "note", "title", "url"})
"""Free text, rarely the same in two claims: not worth a lookup each."""
_MIN_CHOICES = 2
"""The fewest days a "one of" date has."""
_NO_CHOICES = attrs.fields(FuzzyDate).choices.default
_PLAIN = (None, None, None, None)
"""The phrase, anchor, qualifier and notation of a date read from plain EDTF."""
_ASCII_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ASCII_RANGE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})/([0-9]{4}-[0-9]{2}-[0-9]{2})")
_ASCII_SET = re.compile(
    r"\[([0-9]{4}-[0-9]{2}-[0-9]{2}(?:,[0-9]{4}-[0-9]{2}-[0-9]{2})+)\]"
)
_ASCII_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_LAST_MONTH = 12
_ISO_DAY_LENGTH = len("2017-09-23")
_from_iso_day = dt.date.fromisoformat


def _remember(table: dict[Any, Any], key: object, value: object) -> Any:
    if len(table) >= _SHARED_MAX:
        table.clear()
    table[key] = value
    return value


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

    def bind(self, direct: "_Readers") -> _Reader | None:
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


class _Readers:
    """Direct readers: `make_converter()`'s converter, only faster, on the way in.

    A reader builds exactly what the converter would, or raises (mostly
    `_RefusedError`), and the converter then decodes the payload itself,
    errors and all. Readers are generated for each class from its fields.

    Equal values read again are shared, not built anew: they are immutable,
    and a log repeats them from entry to entry. Sources, estimates, lists of
    sources, fuzzy dates, days, short strings and ``recorded_at`` times are
    kept in tables of at most `_SHARED_MAX` values each, emptied when full;
    reports and dates with a phrase, which recur only among the claims of
    one report, in tables a sixteenth of that size.
    """

    __slots__ = (
        "_dates",
        "_days",
        "_entry_readers",
        "_fuzzy",
        "_moment",
        "_new_fuzzy",
        "_older_strings",
        "_phrased",
        "_readers",
        "_records",
        "_registry",
        "_strings",
        "_tuples",
    )

    def __init__(self) -> None:
        self._registry = registered_event_types()
        self._readers: dict[type, _Reader | None] = {}
        self._entry_readers: dict[type, _Reader | None] = {}
        self._dates: dict[str, dt.date] = {}
        self._days: dict[dt.date, dt.date] = {}
        self._fuzzy: dict[str, FuzzyDate] = {}
        self._phrased: dict[tuple[Any, ...], FuzzyDate] = {}
        self._records: dict[type, dict[Any, Any]] = {}
        self._strings: dict[str, str] = {}
        self._older_strings: dict[str, str] = {}
        self._tuples: dict[tuple[int, ...], tuple[Any, ...]] = {}
        self._moment: list[tuple[object, dt.datetime | None]] = [(None, None)]
        self._new_fuzzy = _unchecked(FuzzyDate)

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
        if type_ is bool:  # a flag (a link's same_when): true or false
            return [f"if {var}.__class__ is not bool:", refuse]
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
            # checked date, a Precision, a string and a day pass every check,
            # but a notation holds its precision: FuzzyDate checks another.
            stated = plain.precision if precision is None else Precision(precision)
            if plain.notation is not None and stated is not plain.precision:
                raise _RefusedError
            found = self._new_fuzzy(
                plain.earliest,
                plain.latest,
                stated,
                plain.choices,
                phrase,
                anchor,
                plain.qualifier,
                plain.notation,
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
            return new(first, first, Precision.DAY, _NO_CHOICES, *_PLAIN)
        if match := _ASCII_RANGE.fullmatch(text):
            first, last = self._date(match[1]), self._date(match[2])
            if first > last:
                raise _RefusedError
            return new(first, last, Precision.DAY, _NO_CHOICES, *_PLAIN)
        if match := _ASCII_SET.fullmatch(text):
            # FuzzyDate.one_of: at least two distinct days, the first and
            # last of which are the bounds.
            choices = frozenset([self._date(day) for day in match[1].split(",")])
            if len(choices) < _MIN_CHOICES:
                raise _RefusedError
            return new(min(choices), max(choices), Precision.DAY, choices, *_PLAIN)
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
                *_PLAIN,
            )
        parsed = FuzzyDate.from_edtf(text)
        earliest, latest, choices = parsed.earliest, parsed.latest, parsed.choices
        return FuzzyDate(
            None if earliest is None else self._day(earliest),
            None if latest is None else self._day(latest),
            precision=parsed.precision,
            choices=frozenset([self._day(day) for day in choices]) or choices,
            qualifier=parsed.qualifier,
            notation=parsed.notation,
        )


def _by_value(type_: Any) -> bool:
    """Whether values of *type_* are equal only if they write the same JSON."""
    type_ = _without_none(type_)
    if typing.get_origin(type_) is tuple:
        return all(_by_value(item) for item in typing.get_args(type_))
    return type_ in (str, dt.date, Ellipsis)


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
