# SPDX-License-Identifier: MIT
"""Fields: every value claims report for a field, and the policies that pick one.

A `FieldValues` keeps each distinct `Value` that the live claims about a
happening state for one field, each with the claims behind it and the day it
first became known. Its `ValuePair` items say how each two values relate
(`timeline.model.relations.Relation`), and why; the field is in conflict
when two of them contradict. No winner is picked
unless a caller asks a resolution policy (`most_reliable_source`,
`most_sources`, `earliest_report`, `latest_report`), and its `Resolution`
says what it chose and why.

.. versionadded:: 0.2.0
"""

import datetime as dt
import functools
import itertools
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import attrs

from timeline.model.comparers import (
    any_contradiction,
    canonical,
    compare,
    kind_of,
    kind_of_value,
)
from timeline.model.dates import FuzzyDate
from timeline.model.entry import Entry
from timeline.model.events import Estimate, Event, Verdict
from timeline.model.places import NO_PLACES, Places
from timeline.model.relations import Comparison, Kind, Relation, folded
from timeline.model.sources import Hedge, Reliability, Source
from timeline.projections import display

__all__ = [
    "FieldValues",
    "Resolution",
    "Value",
    "ValuePair",
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
    # The qualifier and notation are the source's statement ("1984?" is not
    # "1984"), not its wording: they are part of the value.
    return (
        _DATE,
        value.earliest,
        value.latest,
        value.precision,
        value.choices,
        value.qualifier,
        value.notation,
    )


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

    @property
    def hedges(self) -> tuple[Hedge, ...]:
        """Return how the reports hedge the claims stating this value, each once.

        In the order of the claims; empty when every report states it flat.
        A value that one report calls alleged and another states flat has
        ``(Hedge.ALLEGED,)``, and is not `hedged`.

        .. versionadded:: 0.2.0
        """
        return tuple(
            dict.fromkeys(
                entry.event.hedge
                for entry in self.claims
                if entry.event.hedge is not None
            )
        )

    @property
    def hedged(self) -> bool:
        """Return whether every claim stating this value is hedged: none vouches for it.

        .. versionadded:: 0.2.0
        """
        return all(entry.event.hedge is not None for entry in self.claims)


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
class ValuePair:
    """How two values of one field relate, and why.

    Args:
        first: The value first known (the earlier of the two in the
            field's values).
        second: The other value.
        comparison: Their relation and its reason: the comparer's for the
            field's kind, or the analyst's when a `Verdict` judged a pair
            that only differs.
        verdict: The analyst's `Verdict` entry that decided the relation,
            or None.

    .. versionadded:: 0.2.0
    """

    first: Value
    second: Value
    comparison: Comparison
    verdict: Entry | None = None

    @property
    def relation(self) -> Relation:
        """Return the relation of the two values."""
        return self.comparison.relation

    @property
    def reason(self) -> str:
        """Return why the two values relate as they do, in words."""
        return self.comparison.reason


class _State(NamedTuple):
    # What a field's values are compared with, beyond themselves (which
    # places lie within which, and the analyst's verdicts on the happening,
    # in the order they became known), and whether two of them contradict.
    places: Places
    verdicts: tuple[Entry, ...]
    in_conflict: bool


_SETTLED = _State(NO_PLACES, (), in_conflict=False)
"""The state of every field of one value, and of none."""


@attrs.frozen(eq=False, init=False)
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
            figures, a missing figure first. Values that are one value in
            other words (another case, another order of names: see
            `timeline.model.comparers.canonical`) are kept as one, each
            claim with its own words.

    A `FieldValues` built by hand compares its values with no place said to
    lie within another and no verdict; those of a `Happening` with what the
    record holds on its knowledge date. Two are equal when their names,
    values and `pairs` are.

    .. versionadded:: 0.1.0
    """

    name: str
    values: tuple[Value, ...]
    _state: _State = attrs.field(repr=False)

    def __init__(self, name: str, values: tuple[Value, ...]) -> None:
        # Written out, not generated: it is made for every field of every
        # happening a fold builds, most of a single value.
        setattr_ = object.__setattr__
        setattr_(self, "name", name)
        setattr_(self, "values", values)
        if len(values) < 2:  # noqa: PLR2004
            setattr_(self, "_state", _SETTLED)
            return
        conflict = any_contradiction(self.kind, [value.value for value in values])
        setattr_(self, "_state", _State(NO_PLACES, (), conflict))

    @classmethod
    def _compared(
        cls,
        name: str,
        values: tuple[Value, ...],
        kind: Kind,
        places: Places,
        verdicts: tuple[Entry, ...],
    ) -> "FieldValues":
        # The values of a happening's field, of *kind*, compared with what
        # the record holds on its knowledge date. Whether two contradict is
        # told at once, in one pass where the kind allows; the pairs and
        # their reasons are made when asked for.
        field = cls.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(field, "name", name)
        setattr_(field, "values", values)
        if verdicts and any(entry.event.field == name for entry in verdicts):  # type: ignore[attr-defined]
            # A verdict may make any pair a conflict: compare them all.
            setattr_(field, "_state", _State(places, verdicts, in_conflict=False))
            conflict = any(pair.relation is _CONTRADICTS for pair in field.pairs)
        else:
            conflict = any_contradiction(kind, [value.value for value in values])
        setattr_(field, "_state", _State(places, verdicts, conflict))
        return field

    @property
    def kind(self) -> Kind:
        """Return the field's kind, as the class of its first claim declares it.

        .. versionadded:: 0.2.0
        """
        first = self.values[0]
        if not first.claims:
            return kind_of_value(first.value)
        return kind_of(type(first.claims[0].event), self.name, first.value)

    @functools.cached_property
    def pairs(self) -> tuple[ValuePair, ...]:
        """Return how each two values relate, and why, in the order of `values`.

        Empty for a single value. A pair that only differs (the comparer
        cannot tell) takes the relation of the last `Verdict` on it.

        .. versionadded:: 0.2.0
        """
        state = self._state
        return pairs_of(self.name, self.values, state.places, state.verdicts)

    @property
    def in_conflict(self) -> bool:
        """Return whether two live values contradict: they cannot both be true.

        Only `Relation.CONTRADICTS` is a conflict: Sept. 23 and Sept. 24
        contradict, "September" and Sept. 23 do not (the second refines the
        first), and neither do two wordings timeline cannot compare
        ("shelling", "mortar attack") unless a `Verdict` says they do.
        """
        return self._state.in_conflict

    @property
    def contradicting(self) -> tuple[ValuePair, ...]:
        """Return the pairs of values that contradict.

        .. versionadded:: 0.2.0
        """
        if not self.in_conflict:
            return ()
        return tuple(pair for pair in self.pairs if pair.relation is _CONTRADICTS)

    @property
    def differing(self) -> tuple[ValuePair, ...]:
        """Return the pairs worded differently that nothing has judged.

        .. versionadded:: 0.2.0
        """
        return tuple(pair for pair in self.pairs if pair.relation is Relation.DIFFERS)

    @property
    def settled(self) -> Value | None:
        """Return the single value if all live claims agree, else None."""
        return self.values[0] if len(self.values) == 1 else None

    def resolve(self, policy: "Callable[[FieldValues], Resolution]") -> Resolution:
        """Return the value *policy* picks, with its reason.

        No winner is ever picked unless asked for: this is the asking.
        """
        return policy(self)

    def __eq__(self, other: object) -> bool:
        # The pairs are made when first asked for, and may differ where the
        # values do not (a place judged within another since): they count.
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.name, self.values) == (other.name, other.values) and (
            len(self.values) < 2 or self.pairs == other.pairs  # noqa: PLR2004
        )

    def __hash__(self) -> int:
        return hash((self.name, self.values))

    def _repr_html_(self) -> str:
        """Return the values as an HTML table, as notebooks display them."""
        return display.html_table(self)


_CONTRADICTS = Relation.CONTRADICTS
# The kinds whose values may be one value in several wordings (`canonical`).
_FOLDED_KINDS = frozenset({Kind.TEXT, Kind.PLACE, Kind.VOCABULARY, Kind.SET})


def pairs_of(
    name: str,
    values: Sequence[Value],
    places: Places,
    verdicts: Sequence[Entry],
) -> tuple[ValuePair, ...]:
    # Each two values of the field *name*, compared by its kind; a pair that
    # only differs is judged by the last of *verdicts* (in the order they
    # became known) naming both values, if one does.
    if len(values) < 2:  # noqa: PLR2004
        return ()
    first = values[0]
    kind = kind_of(type(first.claims[0].event), name, first.value)
    judged = [entry for entry in verdicts if entry.event.field == name]  # type: ignore[attr-defined]
    pairs = []
    for index, one in enumerate(values):
        for other in values[index + 1 :]:
            comparison = compare(kind, one.value, other.value, places=places)
            verdict = None
            if judged and comparison.relation is Relation.DIFFERS:
                verdict = _verdict_on(one.value, other.value, judged)
                if verdict is not None:
                    event: Verdict = verdict.event  # type: ignore[assignment]
                    comparison = Comparison(
                        event.relation,
                        f"the analyst's verdict (entry {verdict.seq}): {event.reason}",
                    )
            pairs.append(ValuePair(one, other, comparison, verdict))
    return tuple(pairs)


def _verdict_on(one: object, other: object, verdicts: Sequence[Entry]) -> Entry | None:
    # The last verdict naming both values, as folded text.
    wanted = {folded(text_of(one)), folded(text_of(other))}
    found = None
    for entry in verdicts:
        event: Verdict = entry.event  # type: ignore[assignment]
        if {folded(text) for text in event.values} == wanted:
            found = entry
    return found


def text_of(value: object) -> str:
    # A value as one line of text, as a `Verdict` names it.
    if isinstance(value, str):
        return value
    if isinstance(value, FuzzyDate):
        return value.to_edtf()
    if isinstance(value, tuple | list):
        return ", ".join(text_of(item) for item in value)
    return str(value)


def same_value(kind: Kind, one: object, other: object) -> bool:
    # Whether two values of a field of *kind* are one value of it.
    return canonical(kind, value_key(one)) == canonical(kind, value_key(other))


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


def fields_of(
    claims: Sequence[Entry],
    places: Places = NO_PLACES,
    verdicts: Sequence[Entry] = (),
) -> dict[str, FieldValues]:
    # For each field, each distinct value with the first claim's wording of
    # it and every claim stating it, in the claims' order, and how each two
    # values relate (with *places* and the analyst's *verdicts*, in the
    # order they became known). The claims come in the order they became
    # known (`happening_of` sorts them), which `_ranked` relies on.
    collected: _Collected = {}
    collectors = _COLLECTORS
    judged = tuple(verdicts)
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
            fields[name] = FieldValues(name, (Value(value, tuple(supporting)),))
            continue
        first_value, first_claims = next(iter(by_value.values()))
        kind = kind_of(first_claims[0].event.__class__, name, first_value)
        if kind in _FOLDED_KINDS:
            by_value = _as_one_where_same(kind, by_value, claims)
            if len(by_value) == 1:
                ((value, supporting),) = by_value.values()
                fields[name] = FieldValues(name, (Value(value, tuple(supporting)),))
                continue
        values = tuple(
            Value(value, tuple(supporting)) for value, supporting in _ranked(by_value)
        )
        fields[name] = FieldValues._compared(name, values, kind, places, judged)
    return fields


def _as_one_where_same(
    kind: Kind,
    by_value: "dict[object, tuple[object, list[Entry]]]",
    claims: Sequence[Entry],
) -> "dict[object, tuple[object, list[Entry]]]":
    # *by_value* with the values of one canonical form (`canonical`: "mortar
    # attack" and "Mortar attack") as one, under the first one's key and
    # wording, their claims in the order of *claims*. Most fields have no
    # such values, and are returned as they are.
    forms = [canonical(kind, value) for value, _ in by_value.values()]
    if len(set(forms)) == len(forms):
        return by_value
    merged: dict[object, tuple[object, list[Entry]]] = {}
    key_of: dict[object, object] = {}
    for form, (key, (value, supporting)) in zip(forms, by_value.items(), strict=True):
        if form in key_of:
            merged[key_of[form]][1].extend(supporting)
        else:
            key_of[form] = key
            merged[key] = (value, list(supporting))
    position = {entry.seq: index for index, entry in enumerate(claims)}
    for _, supporting in merged.values():
        supporting.sort(key=lambda entry: position[entry.seq])
    return merged


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
                value.qualifier,
                value.notation,
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
