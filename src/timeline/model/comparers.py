# SPDX-License-Identifier: MIT
"""Comparers: the relation of two values of a field, for each kind of field.

`compare` gives the `timeline.model.relations.Relation` of two values of a
field of a given `timeline.model.relations.Kind`, with its reason;
`kind_of` says which kind a field of an event class is. The rules, kind by
kind:

======== ============== ================= ================ =============
kind     same           refines           compatible       contradicts
======== ============== ================= ================ =============
set      same names     a subset          other names      never
range    same figures   range inside      ranges overlap   disjoint
text     same words     never             never            never
vocab.   same value     never             never            another value
place    same name      Within says so    near it          never
date     same days      date inside       days overlap     disjoint
exact    equal          never             never            never
======== ============== ================= ================ =============

Everything else *differs*: text in other words, places no `Within` relates,
estimates that give a best figure without bounds, unequal values of the
exact kind, and any two values that are not of their field's kind.

>>> from timeline.model.events import Estimate
>>> compare(Kind.RANGE, Estimate.exactly(15), Estimate(low=10, high=20))
Comparison(relation=<Relation.REFINES: 'refines'>, reason='15 lies within 10-20')
>>> compare(Kind.SET, ("X", "Y"), ("Y", "x")).relation
<Relation.SAME: 'same'>
>>> compare(Kind.TEXT, "shelling", "mortar attack").relation
<Relation.DIFFERS: 'differs'>

.. versionadded:: 0.2.0
"""

import datetime as dt
import enum
import math
import types
import typing
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs

from timeline.model.dates import FuzzyDate
from timeline.model.events import Estimate
from timeline.model.places import NO_PLACES, Places, read_place
from timeline.model.relations import KIND_KEY, Comparison, Kind, Relation, folded

__all__ = [
    "any_contradiction",
    "canonical",
    "compare",
    "kind_of",
    "kind_of_value",
    "kinds",
]

_SAME, _REFINES, _COMPATIBLE, _DIFFERS, _CONTRADICTS = Relation


def compare(
    kind: Kind, first: object, second: object, *, places: Places = NO_PLACES
) -> Comparison:
    """Return how *first* and *second*, two values of a field of *kind*, relate.

    The relation is the same whichever value comes first; the reason names
    them in the order given.

    Args:
        kind: The field's kind (see `kind_of`).
        first: One value, as a claim states it.
        second: The other.
        places: Which places lie within which, for `Kind.PLACE`.

    .. versionadded:: 0.2.0
    """
    if kind is Kind.DATE:
        if isinstance(first, FuzzyDate) and isinstance(second, FuzzyDate):
            return _dates(first, second)
    elif kind is Kind.RANGE:
        if _is_count(first) and _is_count(second):
            return _ranges(first, second)  # type: ignore[arg-type]
    elif kind is Kind.TEXT:
        if isinstance(first, str) and isinstance(second, str):
            return _texts(first, second)
    elif kind is Kind.PLACE:
        if isinstance(first, str) and isinstance(second, str):
            return _places(first, second, places)
    elif kind is Kind.VOCABULARY:
        return _vocabulary(first, second)
    elif kind is Kind.SET and _is_names(first) and _is_names(second):
        return _sets(first, second)  # type: ignore[arg-type]
    return _exact(first, second)


def any_contradiction(kind: Kind, values: Sequence[object]) -> bool:
    """Return whether two of *values*, of a field of *kind*, contradict.

    The same answer as comparing each two with `compare`, without the
    reasons, and in one pass where the kind allows: ranges and dates
    contradict pairwise exactly when the latest start passes the earliest
    end. Places, text, sets and exact values never contradict by
    themselves.

    .. versionadded:: 0.2.0
    """
    if kind is Kind.DATE:
        return _dates_contradict(values)
    if kind is Kind.RANGE:
        return _ranges_contradict(values)
    if kind is Kind.VOCABULARY:
        return len({_vocabulary_word(value) for value in values}) > 1
    return False


def _dates_contradict(values: Sequence[object]) -> bool:
    # Ranges of days: some two share no day exactly when the latest first
    # day passes the earliest last day. "One of" dates are compared in pairs.
    start, end = dt.date.min, dt.date.max
    for value in values:
        if not isinstance(value, FuzzyDate):
            continue
        if value.choices:
            dates = [date for date in values if isinstance(date, FuzzyDate)]
            return any(
                not one.overlaps(other)
                for index, one in enumerate(dates)
                for other in dates[index + 1 :]
            )
        first, last = value.earliest, value.latest
        if first is not None and first > start:
            start = first
        if last is not None and last < end:
            end = last
    return start > end


def _ranges_contradict(values: Sequence[object]) -> bool:
    # Bounded counts: some two share no count exactly when the highest low
    # figure passes the lowest high one.
    start: float = 0
    end: float = math.inf
    for value in values:
        if not _is_count(value):
            continue
        low, _, high = _figures(value)  # type: ignore[arg-type]
        if low is None and high is None:
            continue
        if low is not None and low > start:
            start = low
        if high is not None and high < end:
            end = high
    return start > end


def canonical(kind: Kind, value: object) -> object:
    """Return what two values of a field of *kind* must share to be one value.

    Text, places and vocabulary words are `folded`; sets of names become
    frozen sets of folded names; anything else is itself. Values with one
    canonical form are kept as one value, each claim's wording with it.

    .. versionadded:: 0.2.0
    """
    if isinstance(value, str) and kind in _FOLDED_KINDS:
        return (_FOLDED, folded(value))
    if kind is Kind.SET and _is_names(value):
        return (_FOLDED, frozenset(folded(name) for name in value))  # type: ignore[attr-defined]
    return value


_FOLDED_KINDS = frozenset({Kind.TEXT, Kind.PLACE, Kind.VOCABULARY, Kind.SET})
# Marks a canonical form, so that no value a claim states equals it.
_FOLDED = object()


def kinds(cls: type) -> Mapping[str, Kind]:
    """Return the kind of every field of the attrs class *cls*, by name.

    A field's kind is the one declared with `timeline.model.relations.fact`,
    else read from its annotation: a `timeline.FuzzyDate` is a date, an
    `timeline.model.events.Estimate` or a whole number a range, a boolean or
    an enum a vocabulary, a string text, ``X | None`` as ``X``; anything
    else, a tuple included, is exact.

    .. versionadded:: 0.2.0
    """
    found = _KINDS.get(cls)
    if found is None:
        try:
            hints = typing.get_type_hints(cls)
        except (NameError, TypeError):  # a forward reference it cannot resolve
            hints = {}
        declared = {}
        for field in attrs.fields(cls):
            kind = field.metadata.get(KIND_KEY)
            if kind is None:
                kind = _kind_of_annotation(hints.get(field.name, object))
            declared[field.name] = Kind(kind)
        found = MappingProxyType(declared)
        _KINDS[cls] = found
    return found


_KINDS: dict[type, Mapping[str, Kind]] = {}


def kind_of(cls: type, name: str, value: object = None) -> Kind:
    """Return the kind of the field *name* of the event class *cls*.

    A fact that is not a field of *cls* (an event type may override
    ``facts()``) has the kind `kind_of_value` reads from *value*.

    .. versionadded:: 0.2.0
    """
    found = kinds(cls).get(name)
    return found if found is not None else kind_of_value(value)


def kind_of_value(value: object) -> Kind:
    """Return the kind a value's own type suggests, as an annotation would.

    .. versionadded:: 0.2.0
    """
    return _kind_of_annotation(type(value))


def _kind_of_annotation(annotation: object) -> Kind:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind_of_annotation(rest[0]) if len(rest) == 1 else Kind.EXACT
    if not isinstance(annotation, type):
        return Kind.EXACT
    if issubclass(annotation, FuzzyDate):
        return Kind.DATE
    if issubclass(annotation, bool | enum.Enum):
        return Kind.VOCABULARY
    if issubclass(annotation, int | Estimate):
        return Kind.RANGE
    if issubclass(annotation, str):
        return Kind.TEXT
    return Kind.EXACT


# -- Dates ----------------------------------------------------------------------


def _dates(first: FuzzyDate, second: FuzzyDate) -> Comparison:
    one, other = _edtf(first), _edtf(second)
    if first.choices or second.choices:
        common = first.intersection(second)
        if common is None:
            return Comparison(_CONTRADICTS, f"{one} and {other} share no possible day")
        inside_first = _same_days(common, first)
        inside_second = _same_days(common, second)
        shared = common.to_edtf()
    else:
        start = max(_first(first), _first(second))
        end = min(_last(first), _last(second))
        if start > end:
            return Comparison(_CONTRADICTS, f"{one} and {other} share no possible day")
        inside_first = (start, end) == (_first(first), _last(first))
        inside_second = (start, end) == (_first(second), _last(second))
        shared = f"{_edge(start)}/{_edge(end)}"
    if inside_first and inside_second:
        return Comparison(_SAME, f"{one} and {other} allow the same days")
    if inside_first:
        return Comparison(_REFINES, f"{one} lies within {other}")
    if inside_second:
        return Comparison(_REFINES, f"{other} lies within {one}")
    return Comparison(_COMPATIBLE, f"{one} and {other} share {shared}")


def _edtf(date: FuzzyDate) -> str:
    # `FuzzyDate.to_edtf`, quicker for the commonest date: one exact day.
    day = date.earliest
    if (
        day is not None
        and day == date.latest
        and not date.choices
        and date.qualifier is None
        and date.notation is None
    ):
        return day.isoformat()
    return date.to_edtf()


def _first(date: FuzzyDate) -> dt.date:
    return dt.date.min if date.earliest is None else date.earliest


def _last(date: FuzzyDate) -> dt.date:
    return dt.date.max if date.latest is None else date.latest


def _edge(day: dt.date) -> str:
    return ".." if day in (dt.date.min, dt.date.max) else day.isoformat()


def _same_days(common: FuzzyDate, date: FuzzyDate) -> bool:
    # Whether *common*, the days *date* shares with another date, are all
    # of *date*'s days: a range and a "one of" date listing every day of
    # it allow the same days.
    if (common.earliest, common.latest) != (date.earliest, date.latest):
        return False
    if common.choices == date.choices:
        return True
    listed = common.choices or date.choices
    span = (date.latest - date.earliest).days + 1  # type: ignore[operator]
    return len(listed) == span


# -- Ranges -----------------------------------------------------------------------


def _is_count(value: object) -> bool:
    return isinstance(value, Estimate) or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _figures(value: Estimate | int) -> tuple[int | None, int | None, int | None]:
    if isinstance(value, int):
        return value, value, value
    return value.low, value.best, value.high


def _range_text(value: Estimate | int) -> str:
    low, best, high = _figures(value)
    if low is not None and low == high:
        text = str(low)
        best = None if best in (None, low) else best
    elif low is not None and high is not None:
        text = f"{low}-{high}"
    elif low is not None:
        text = f"at least {low}"
    elif high is not None:
        text = f"up to {high}"
    else:
        return f"about {best}"
    return text if best is None else f"{text} (best {best})"


def _ranges(first: Estimate | int, second: Estimate | int) -> Comparison:
    one, other = _range_text(first), _range_text(second)
    (low, best, high), (other_low, other_best, other_high) = (
        _figures(first),
        _figures(second),
    )
    if (low, best, high) == (other_low, other_best, other_high):
        return Comparison(_SAME, f"{one} and {other} give the same figures")
    bounded = low is not None or high is not None
    other_bounded = other_low is not None or other_high is not None
    if not (bounded or other_bounded):
        return Comparison(
            _DIFFERS, f"{one} and {other} differ, and neither gives a bound"
        )
    if not (bounded and other_bounded):
        guess, text, range_text = (
            (best, one, other) if not bounded else (other_best, other, one)
        )
        start, end = (
            (other_low or 0, _top(other_high))
            if not bounded
            else (low or 0, _top(high))
        )
        if start <= guess <= end:  # type: ignore[operator]
            return Comparison(_COMPATIBLE, f"{text} lies within {range_text}")
        return Comparison(
            _DIFFERS, f"{text} lies outside {range_text}, but gives no bound"
        )
    start, end = low or 0, _top(high)
    other_start, other_end = other_low or 0, _top(other_high)
    common = max(start, other_start), min(end, other_end)
    if common[0] > common[1]:
        return Comparison(_CONTRADICTS, f"{one} and {other} share no count")
    inside_first = common == (start, end)
    inside_second = common == (other_start, other_end)
    if inside_first and inside_second:
        if best is None or other_best is None:
            finer, coarser = (one, other) if best is not None else (other, one)
            return Comparison(_REFINES, f"{finer} gives a best figure within {coarser}")
        return Comparison(
            _COMPATIBLE, f"{one} and {other} give the same range, other best figures"
        )
    if inside_first:
        return Comparison(_REFINES, f"{one} lies within {other}")
    if inside_second:
        return Comparison(_REFINES, f"{other} lies within {one}")
    shared = _range_text(
        Estimate(low=common[0], high=None if math.isinf(common[1]) else common[1])  # type: ignore[arg-type]
    )
    return Comparison(_COMPATIBLE, f"{one} and {other} overlap: {shared}")


def _top(high: int | None) -> float:
    return math.inf if high is None else high


# -- Text, places, vocabularies, sets -----------------------------------------------


def _texts(first: str, second: str) -> Comparison:
    if folded(first) == folded(second):
        return Comparison(_SAME, f'"{first}" and "{second}" are the same words')
    return Comparison(
        _DIFFERS,
        f'"{first}" and "{second}" are worded differently: '
        "timeline cannot tell whether they disagree",
    )


def _places(first: str, second: str, places: Places) -> Comparison:
    one, other = f'"{first}"', f'"{second}"'
    (name, near), (other_name, other_near) = read_place(first), read_place(second)
    up, down = places.chain(first, second), places.chain(second, first)
    if name == other_name or (up and down):
        how = "name the same place" if name == other_name else "are one place"
        if near == other_near:
            return Comparison(_SAME, f"{one} and {other} {how}")
        return Comparison(_COMPATIBLE, f"{one} and {other} {how}, or its surroundings")
    if up or down:
        chain: tuple[str, ...] = up or down  # type: ignore[assignment]
        inner, outer = (one, other) if up else (other, one)
        via = f" (through {', '.join(chain[1:-1])})" if len(chain) > 2 else ""  # noqa: PLR2004
        if other_near if up else near:
            return Comparison(
                _COMPATIBLE, f"{inner} lies within what {outer} is near{via}"
            )
        return Comparison(_REFINES, f"{inner} lies within {outer}{via}")
    return Comparison(
        _DIFFERS,
        f"{one} and {other} are other places, or other names of one: "
        "no Within entry relates them",
    )


def _vocabulary_word(value: object) -> object:
    if isinstance(value, enum.Enum):
        value = value.value
    return folded(value) if isinstance(value, str) else value


def _vocabulary(first: object, second: object) -> Comparison:
    one, other = _shown(first), _shown(second)
    if _vocabulary_word(first) == _vocabulary_word(second):
        return Comparison(_SAME, f"{one} and {other} are the same value")
    return Comparison(
        _CONTRADICTS, f"{one} and {other} are different values of a closed list"
    )


def _is_names(value: object) -> bool:
    return isinstance(value, tuple | list | frozenset | set) and all(
        isinstance(name, str) for name in value
    )


def _sets(
    first: tuple[str, ...] | frozenset[str], second: tuple[str, ...] | frozenset[str]
) -> Comparison:
    one, other = _shown(first), _shown(second)
    names = {folded(name) for name in first}
    other_names = {folded(name) for name in second}
    if names == other_names:
        return Comparison(_SAME, f"{one} and {other} name the same")
    if names < other_names:
        return Comparison(_REFINES, f"{one} names some of {other}")
    if other_names < names:
        return Comparison(_REFINES, f"{other} names some of {one}")
    return Comparison(
        _COMPATIBLE, f"{one} and {other} each name some the other does not"
    )


def _exact(first: object, second: object) -> Comparison:
    one, other = _shown(first), _shown(second)
    if first == second:
        return Comparison(_SAME, f"{one} and {other} are equal")
    return Comparison(
        _DIFFERS, f"{one} and {other} differ: timeline cannot compare them"
    )


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, enum.Enum):
        return _shown(value.value)
    if isinstance(value, tuple | list):
        return f"({', '.join(_shown(item) for item in value)})"
    if isinstance(value, frozenset | set):
        return _shown(sorted(value, key=repr))
    if isinstance(value, FuzzyDate):
        return value.to_edtf()
    if _is_count(value):
        return _range_text(value)  # type: ignore[arg-type]
    return str(value)
