# SPDX-License-Identifier: MIT
"""The cattrs converter: how each value is written to JSON and read back, strictly.

`make_converter()` is the reference: a codec made without a converter reads
and writes through code generated to do exactly what this converter does
(see `timeline.serialization._generate`), and falls back on it, which
explains what it refuses.
"""

import datetime as dt
import enum
import functools
import re
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from cattrs.preconf.json import JsonConverter
from cattrs.preconf.json import make_converter as _make_json_converter

from timeline.errors import InvalidDateError
from timeline.model import _edtf
from timeline.model.dates import FuzzyDate, Precision, Qualifier
from timeline.model.events import Estimate, Event
from timeline.model.sources import Report, Source

__all__ = ["make_converter"]

_PRECISIONS = {id(precision): precision for precision in Precision}
_QUALIFIERS: dict[int, Qualifier | None] = {id(None): None}
_QUALIFIERS.update({id(qualifier): qualifier for qualifier in Qualifier})
_FULL_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    if (
        earliest is not None
        and earliest == value.latest
        and not value.choices
        and value.qualifier is None
        and value.notation is None
    ):
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
    notation = value.notation
    if (
        (notation.__class__ is not str and notation is not None)
        or _QUALIFIERS.get(id(value.qualifier), False) is not value.qualifier
        or (earliest.__class__ is not date and earliest is not None)
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
    edtf = _stored_edtf(value)
    plain = value.phrase is None and value.anchor is None
    # FuzzyDate.from_edtf(edtf) gives the precision back exactly when it is
    # DAY, which every form of days reads as, the text is the date's notation,
    # which reads as the date, or it is written in months, seasons or years,
    # with no whole day in it.
    same_precision = (
        value.precision is Precision.DAY
        or value.notation is not None
        or _FULL_DAY.search(edtf) is None
    )
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


def _stored_edtf(value: FuzzyDate) -> str:
    """Return the EDTF stored for *value*: as 0.2 wrote it, if it could.

    Files written before qualifiers and notations keep their bytes (their
    open ranges ``..2017-10-01``, their ranges of years in days): a date
    0.2 could hold is written as it wrote it, which this one
    reads back as the same date. Any other is written as `FuzzyDate.to_edtf`.
    """
    if value.qualifier is not None or value.notation is not None:
        return value.to_edtf()
    return _edtf.write(
        value.earliest,
        value.latest,
        value.precision.value,
        None,
        value.choices,
        legacy=True,
    )


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
