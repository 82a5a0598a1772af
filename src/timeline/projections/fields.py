# SPDX-License-Identifier: MIT
"""Fields: every value claims report for a field, and the policies that pick one.

A `FieldValues` keeps each distinct `Value` that the live claims about a
happening state for one field, each with the claims behind it and the day it
first became known, and says whether they conflict. No winner is picked
unless a caller asks a resolution policy (`most_reliable_source`,
`most_sources`, `earliest_report`, `latest_report`), and its `Resolution`
says what it chose and why.

.. versionadded:: 0.2.0
"""

import datetime as dt
import itertools
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from timeline.model.dates import FuzzyDate
from timeline.model.entry import Entry
from timeline.model.events import Estimate, Event
from timeline.model.sources import Reliability, Source
from timeline.projections import display

__all__ = [
    "FieldValues",
    "Resolution",
    "Value",
    "earliest_report",
    "latest_report",
    "most_reliable_source",
    "most_sources",
]


def value_key(value: object) -> object:
    # Two sources that say "Sept. 23" in different words state one value:
    # the phrase and its anchor are provenance, not the value. A date's key
    # is a tuple of the rest, which hashes and compares in C; a subclass of
    # FuzzyDate, which may have fields of its own, is keyed by itself.
    if isinstance(value, FuzzyDate):
        if value.__class__ is FuzzyDate:
            return _date_key(value)
        if value.phrase is not None or value.anchor is not None:
            return attrs.evolve(value, phrase=None, anchor=None)
    return value


# Marks a tuple as a date's key, so that no value a claim states equals it.
_DATE = object()


def _date_key(value: FuzzyDate) -> tuple[object, ...]:
    return (_DATE, value.earliest, value.latest, value.precision, value.choices)


def _tie_key(key: object, value: object) -> tuple[object, ...]:
    # The order of values first known on the same day, given each one's key
    # and its first wording: dates by `FuzzyDate.sort_key` (their bounds
    # decide before their wording can), then other values by type, and by
    # text, or for an estimate by its figures, a missing one first.
    if value.__class__ is FuzzyDate:
        return (0, value.sort_key)
    kind = key.__class__
    if kind is str:
        return (1, "str", key)
    if kind is Estimate:
        figures = key.low, key.best, key.high  # type: ignore[attr-defined]
        return (1, "Estimate", tuple(-1 if n is None else n for n in figures))
    return (1, kind.__qualname__, key if isinstance(key, str) else repr(key))


def known_on(entry: Entry) -> dt.date:
    return entry.event.report.published_day


@attrs.frozen
class Value:
    """One value reported for one field, with the claims that state it.

    Args:
        value: The value, as the first claim stated it (a `FuzzyDate` keeps
            that claim's phrase).
        claims: The live entries stating it, in the order they became known.

    .. versionadded:: 0.1.0
    """

    value: object
    claims: tuple[Entry, ...]

    @property
    def first_known(self) -> dt.date:
        """Return the day this value first became known."""
        return min(known_on(entry) for entry in self.claims)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Return the distinct claimants behind this value: `claimants`.

        .. deprecated:: 0.2.0
           Goes in 0.3.0. The name hid which source it meant: use
           `claimants` for who originally said it, `outlets` for who
           published it.
        """
        warnings.warn(
            "Value.sources is deprecated since 0.2.0 and goes in 0.3.0: use "
            "Value.claimants (who originally said it, the end of each "
            "attribution chain) or Value.outlets (who published it)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.claimants

    @property
    def claimants(self) -> tuple[Source, ...]:
        """Return who originally said this value: each claim's claimant, once.

        A claim's claimant is the end of its attribution chain, or its
        outlet when the report cites nobody: for Military Times citing
        TASS, TASS. Listed in the order of the claims.

        .. versionadded:: 0.2.0
        """
        return tuple(dict.fromkeys(entry.event.claimant for entry in self.claims))

    @property
    def outlets(self) -> tuple[Source, ...]:
        """Return who published this value: each claim's report outlet, once.

        For Military Times citing TASS, Military Times. Listed in the order
        of the claims.
        """
        return tuple(dict.fromkeys(entry.event.report.outlet for entry in self.claims))


@attrs.frozen
class Resolution:
    """A resolution policy's choice for a field, and why.

    Args:
        value: The chosen value, or None when the policy cannot decide.
        reason: Why this value, in words, naming the evidence.
        policy: The name of the policy that chose.

    .. versionadded:: 0.1.0
    """

    value: Value | None
    reason: str
    policy: str


@attrs.frozen
class FieldValues:
    """Every value live claims report for one field of one happening.

    Args:
        name: The field's name.
        values: Each distinct value, in the order they first became known.
            Values first known on the same day are ordered by value, so the
            order never depends on the order claims were appended in: dates
            by their first possible day, then their last (an open start
            first, an open end last); any other value by its type's name,
            then its text, or an `Estimate` by its low, best and high
            figures, a missing figure first.

    .. versionadded:: 0.1.0
    """

    name: str
    values: tuple[Value, ...]

    @property
    def in_conflict(self) -> bool:
        """Return whether live claims disagree.

        Distinct values conflict; fuzzy dates conflict only when they cannot
        both be true (Sept. 23 and Sept. 24 do; "September" and Sept. 23 do
        not, the second refines the first).
        """
        if len(self.values) < 2:  # noqa: PLR2004
            return False
        raw = [value.value for value in self.values]
        if all(isinstance(value, FuzzyDate) for value in raw):
            dates: list[FuzzyDate] = raw  # type: ignore[assignment]
            return any(
                not first.overlaps(second)
                for index, first in enumerate(dates)
                for second in dates[index + 1 :]
            )
        return True

    @property
    def settled(self) -> Value | None:
        """Return the single value if all live claims agree, else None."""
        return self.values[0] if len(self.values) == 1 else None

    def resolve(self, policy: "Callable[[FieldValues], Resolution]") -> Resolution:
        """Return the value *policy* picks, with its reason.

        No winner is ever picked unless asked for: this is the asking.
        """
        return policy(self)

    def _repr_html_(self) -> str:
        """Return the values as an HTML table, as notebooks display them."""
        return display.html_table(self)


def _claim_count(value: Value) -> int:
    return len(value.claimants)


_GRADES = {grade: index for index, grade in enumerate(Reliability)}


def _best_grade(value: Value) -> int:
    grades = [
        _GRADES[entry.event.reliability]
        for entry in value.claims
        if entry.event.reliability is not None
    ]
    return min(grades, default=len(_GRADES))


def _pick(
    field: FieldValues,
    policy: str,
    score: Callable[[Value], Any],
    describe: Callable[[Value], str],
) -> Resolution:
    ranked = sorted(field.values, key=score)
    best = ranked[0]
    tied = [value for value in ranked if score(value) == score(best)]
    if len(tied) > 1:
        listing = "; ".join(f"{value.value} ({describe(value)})" for value in tied)
        return Resolution(None, f"no decision: tie between {listing}", policy)
    return Resolution(best, f"{best.value}: {describe(best)}", policy)


def most_reliable_source(field: FieldValues) -> Resolution:
    """Choose the value backed by the best Admiralty reliability grade.

    .. versionadded:: 0.1.0
    """

    def describe(value: Value) -> str:
        grade = _best_grade(value)
        label = list(Reliability)[grade].value if grade < len(_GRADES) else "ungraded"
        return f"best source reliability {label}"

    return _pick(field, "most reliable source", _best_grade, describe)


def most_sources(field: FieldValues) -> Resolution:
    """Choose the value stated by the most distinct claimants.

    .. versionadded:: 0.1.0
    """

    def describe(value: Value) -> str:
        names = ", ".join(source.name for source in value.claimants)
        return f"{_claim_count(value)} source(s): {names}"

    return _pick(field, "most sources", lambda value: -_claim_count(value), describe)


def earliest_report(field: FieldValues) -> Resolution:
    """Choose the value that became known first.

    .. versionadded:: 0.1.0
    """

    def describe(value: Value) -> str:
        return f"first reported {value.first_known} by {value.outlets[0]}"

    return _pick(field, "earliest report", lambda value: value.first_known, describe)


def latest_report(field: FieldValues) -> Resolution:
    """Choose the value most recently reported.

    .. versionadded:: 0.1.0
    """

    def last_known(value: Value) -> dt.date:
        return max(known_on(entry) for entry in value.claims)

    def describe(value: Value) -> str:
        return f"last reported {last_known(value)}"

    return _pick(
        field, "latest report", lambda value: -last_known(value).toordinal(), describe
    )


def fields_of(claims: Sequence[Entry]) -> dict[str, FieldValues]:
    # For each field, each distinct value with the first claim's wording of
    # it and every claim stating it, in the claims' order. The claims come
    # in the order they became known (`happening_of` sorts them), which
    # `_ranked` relies on.
    collected: _Collected = {}
    collectors = _COLLECTORS
    for entry in claims:
        event = entry.event
        collect = collectors.get(event.__class__)
        if collect is None:
            collect = _collector(event.__class__)
        collect(entry, event, collected)
    fields = {}
    for name in sorted(collected):
        by_value = collected[name]
        if len(by_value) == 1:
            ((value, supporting),) = by_value.values()
            values: tuple[Value, ...] = (Value(value, tuple(supporting)),)
        else:
            values = tuple(
                Value(value, tuple(supporting))
                for value, supporting in _ranked(by_value)
            )
        fields[name] = FieldValues(name, values)
    return fields


def _ranked(
    by_value: dict[object, tuple[object, list[Entry]]],
) -> Iterable[tuple[object, list[Entry]]]:
    # A field's values in the order they first became known
    # (`Value.first_known`): the order they were collected in, as claims
    # come by day. Values first known on the same day are ordered by value
    # (`_tie_key`), so the order does not depend on the order claims were
    # appended in.
    if len(by_value) == 2:  # noqa: PLR2004 - most often, and cheaper told apart
        (key, pair), (other_key, other) = by_value.items()
        if pair[1][0].event.report.published_day == (
            other[1][0].event.report.published_day
        ) and _tie_key(other_key, other[0]) < _tie_key(key, pair[0]):
            return other, pair
        return pair, other
    days = [first[0].event.report.published_day for _, first in by_value.values()]
    if len(set(days)) == len(days):
        return by_value.values()
    tied = {day for day, after in itertools.pairwise(days) if day == after}
    return [
        pair
        for *_, pair in sorted(
            (day, _tie_key(key, pair[0]) if day in tied else (), index, pair)
            for index, (day, (key, pair)) in enumerate(
                zip(days, by_value.items(), strict=True)
            )
        )
    ]


# A field's values as `fields_of` collects them: by the value's key
# (`value_key`), the value as first stated and the claims stating it.
_Collected = dict[str, dict[object, tuple[object, list[Entry]]]]
_Collector = Callable[[Entry, Event, _Collected], None]

# Classes whose values are their own keys (`value_key`), told by exact type.
_PLAIN: frozenset[type] = frozenset({str, int, Estimate})
_SKIP = object()


def _key(value: object) -> object:
    # The key of a value of any other class, or _SKIP for one that says
    # nothing: None and () state no fact.
    if value is None or (isinstance(value, tuple) and not value):
        return _SKIP
    return value_key(value)


def _collect(collected: _Collected, name: str, value: object, entry: Entry) -> None:
    key = _key(value)
    if key is _SKIP:
        return
    by_value = collected.get(name)
    if by_value is None:
        collected[name] = {key: (value, [entry])}
        return
    found = by_value.get(key)
    if found is None:
        by_value[key] = (value, [entry])
    else:
        found[1].append(entry)


# One fact field of a generated collector: `_collect`, written out for the
# field, with the key of a date (`_date_key`) or a plain value made in line.
_COLLECT_FIELD = """\
    value = event.{name}
    if value is not None:
        kind = value.__class__
        if kind is FuzzyDate:
            key = (
                date,
                value.earliest,
                value.latest,
                value.precision,
                value.choices,
            )
        elif kind in plain:
            key = value
        else:
            key = other_key(value)
        if key is not skip:
            by_value = collected.get({name!r})
            if by_value is None:
                collected[{name!r}] = {{key: (value, [entry])}}
            else:
                found = by_value.get(key)
                if found is None:
                    by_value[key] = (value, [entry])
                else:
                    found[1].append(entry)
"""


def _collector(cls: type[Event]) -> _Collector:
    # A function adding one claim's facts to what `fields_of` collects, made
    # once per event class: code reading each fact field by name for a
    # class with the default facts(); a class that overrides facts() is
    # asked itself.
    if cls.facts is not Event.facts:

        def collect_facts(entry: Entry, event: Event, collected: _Collected) -> None:
            for name, value in event.facts().items():
                _collect(collected, name, value, entry)

        collect = collect_facts
    else:
        lines = ["def collect(entry, event, collected):", "    pass"]
        lines += [_COLLECT_FIELD.format(name=name) for name in cls.fact_fields()]
        namespace: dict[str, Any] = {
            "FuzzyDate": FuzzyDate,
            "date": _DATE,
            "plain": _PLAIN,
            "other_key": _key,
            "skip": _SKIP,
        }
        # Field names are identifiers: attrs generates code with them too.
        exec(  # noqa: S102 - the code is ours; the names are attrs field names
            compile("\n".join(lines), f"<timeline fold of {cls.__qualname__}>", "exec"),
            namespace,
        )
        collect = namespace["collect"]
    _COLLECTORS[cls] = collect
    return collect


_COLLECTORS: dict[type[Event], _Collector] = {}
