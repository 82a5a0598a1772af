# SPDX-License-Identifier: MIT
"""The direct writers, and the checked writers that vouch for what they write.

`_Direct` adds to the readers (`_Readers`) a writer generated for each
class, which writes exactly what the converter of `make_converter()` writes,
key order included, and a checked writer, which writes the same only when
it can tell, from the exact type of every value and the checks the readers
make, that the readers read it back as the value written (see
`Codec.checked_envelope`): a store then writes the entry without decoding
it again. Both are generated as the readers are (see
`timeline.serialization._generate` for why, and the figures).
"""

import datetime as dt
import enum
import functools
import typing
from typing import Any

import attrs
from cattrs.fns import identity as _identity
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter

from timeline.model._analyst import (
    _other_happening,
    _other_name,
    _promote_or_dismiss,
    _seq,
    _two_wordings,
)
from timeline.model._estimates import _non_negative
from timeline.model._event import _non_blank_id
from timeline.model.dates import FuzzyDate, Precision
from timeline.model.entry import Entry
from timeline.model.events import Estimate, Event
from timeline.model.relations import name_words
from timeline.model.sources import Report, _check_published, _non_blank
from timeline.serialization._converter import (
    _enum_value,
    _exact_fuzzy,
    _is_record,
    _structure_aware_datetime,
    _unstructure_fixed_tuple,
    _unstructure_fuzzy_date,
    make_converter,
)
from timeline.serialization._generate import (
    _MISSING,
    _POST_INIT_NEEDS,
    _built_once,
    _Code,
    _direct_setters,
    _Payload,
    _post_init,
    _readable_fields,
    _Reader,
    _RefusedError,
    _without_none,
)
from timeline.serialization._readers import (
    _MIN_CHOICES,
    _NO_CHOICES,
    _Readers,
    _remember,
)

_PURE_POST_INITS = frozenset({Report.__attrs_post_init__, Estimate.__attrs_post_init__})
_ID_VALIDATORS = (_non_blank_id, _non_blank, _other_happening, _other_name)
"""Validators of strings that refuse a blank one; `_other_happening` also
refuses the happening's own id, and `_other_name` a name of the same words
as the entry's *name*, as the checked writers do (`_checked_lines`)."""
"""Post-init methods that only check: run on a value, they tell if a copy passes."""
_PURE_VALIDATORS = frozenset({_two_wordings, _promote_or_dismiss})
"""Field validators that check the value alone (a `Verdict`'s values and
relation): run on a value that passed the type checks, they tell if a copy
passes."""
_FIGURES = ["low", "best", "high"]
"""The fields of an estimate, whose post-init checks them in this order."""
_INLINED_DEPTH = 2
"""How deep records are spelled out in the checker of the record holding them."""


def _fixed_zone(zone: Any) -> bool:
    """Whether aware datetimes in *zone* read back from isoformat() as equal.

    A fixed `datetime.timezone` of whole seconds does: Python 3.11 reads an
    offset under one second in absolute value as UTC, and a zone whose
    offset changes (a fold, a gap) compares unequal across zones.
    """
    return zone.__class__ is dt.timezone and not zone.utcoffset(None).microseconds


class _Direct(_Readers):
    """Direct readers and writers: `make_converter()`'s converter, only faster.

    The readers are `_Readers`'. A writer returns exactly what the converter
    would, key order included; a checked writer returns it only when it can
    tell, as it writes, that the readers read it back as the value written.
    Both are generated for each class from its fields.
    """

    __slots__ = (
        "_checked_dates",
        "_checked_stamp",
        "_checkers",
        "_converter",
        "_entry_checkers",
        "_stamp",
        "_writers",
    )

    def __init__(self) -> None:
        super().__init__()
        self._converter: JsonConverter | None = None
        self._writers: dict[type, _Reader | None] = {}
        self._stamp: tuple[dt.datetime | None, str] = (None, "")
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
                elif field.validator is _other_name:
                    # Another name than the entry's own (the field before).
                    other = f"{prefix}v{indexes['name']}"
                    words = code.name(name_words, "words")
                    checks += [
                        f"if (not {words}({var}) or not {words}({other})",
                        f"        or {words}({var}) == {words}({other})):",
                        "    raise Refused",
                    ]
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
            # What it checks, spelled out: at least one figure (in any
            # order: figures out of order are kept, and marked).
            figures = " and ".join(f"{prefix}v{i} is None" for i in range(len(names)))
            optional += [f"if {figures}:", "    raise Refused"]
        elif post_init is not None and _POST_INIT_NEEDS.get(post_init) not in never:
            # Run on the original, whose fields the copy read back equals,
            # unless it does nothing while a field refused above is None.
            optional.append(f"{obj}.__attrs_post_init__()")
        return [*checks, f"{prefix}res = {{{', '.join(required)}}}", *optional]

    def _purely_checked(
        self, code: _Code, var: str, type_: Any, field: Any, depth: int
    ) -> tuple[list[str], list[str]] | None:
        """Return `_checked_value`'s lines for a field of a pure validator.

        The value's type is checked as without the validator, then the
        validator runs on it, before it is made what is written.
        """
        typed = self._checked_value(
            code, var, type_, field.evolve(validator=None), depth
        )
        if typed is None:
            return None
        validator = code.name(field.validator, "validator")
        run = f"{validator}(None, {code.name(field, 'field')}, {var})"
        return [*typed[0], run], typed[1]

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
        if validator is not None and validator in _PURE_VALIDATORS:
            return self._purely_checked(code, var, type_, field, depth)
        if type_ is bool:
            # A flag (a link's same_when): written as it is, true or false.
            if hook is not _identity or validator is not None:
                return None
            return [f"if {var}.__class__ is not bool:", refuse], []
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
            f"        and {var}.anchor is None and {var}.qualifier is None",
            f"        and {var}.notation is None):",
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
        if (
            earliest is not None
            and earliest == value.latest
            and not value.choices
            and value.qualifier is None
            and value.notation is None
        ):
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
            id(value.qualifier),
            value.notation,
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
        if (
            earliest is None
            or latest is None
            or value.precision is not Precision.DAY
            or value.qualifier is not None
            or value.notation is not None
        ):
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
    return default.__class__ is type_ and type_ in (str, int, bool)
