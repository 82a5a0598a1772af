# SPDX-License-Identifier: MIT
"""Hypothesis strategies that generate timeline's values, for property tests.

This is the only module that imports Hypothesis; install the
``contested-timeline[strategies]`` extra to use it.

.. versionadded:: 0.1.0
"""

import calendar
import datetime as dt
import itertools
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from timeline.errors import InvalidDateError
from timeline.log import EventLog
from timeline.model.dates import FuzzyDate, Precision, Qualifier, Season
from timeline.model.events import (
    Amendment,
    AnalystEntry,
    Confirmation,
    Correction,
    Denial,
    Estimate,
    Event,
    Link,
    Rebuttal,
    Related,
    Retraction,
    Revocation,
    Role,
    SameAs,
    SameEntity,
    Split,
    Verdict,
    Within,
    registered_event_types,
)
from timeline.model.relations import Relation, folded, name_words
from timeline.model.sources import Report, Source

__all__ = ["estimates", "events", "fuzzy_dates", "logs", "reports", "sources"]


def fuzzy_dates(
    *,
    min_value: dt.date = dt.date.min,
    max_value: dt.date = dt.date.max,
) -> st.SearchStrategy[FuzzyDate]:
    """Return a strategy for `FuzzyDate` values of every form.

    It generates exact days, ranges (one-day ranges included) of any
    precision, whole months, seasons and years, "one of" dates, ranges open at
    either end, each with an EDTF qualifier or not; dates read from EDTF that
    keep their notation (unspecified digits ``201X``, ``2017-XX``,
    ``2017-09-XX``, intervals with an unknown end or ends of two precisions,
    sets of days, months and years, with qualifiers on their members); and
    phrases (any text) and anchors, each present or not.
    Every date a value holds (bounds, choices and anchor) lies from
    *min_value* to *max_value*, and those edges themselves come up often. An
    open bound is not a date, so open ranges are generated whatever the
    limits; filter them out if a test needs closed ranges. Months, seasons
    and years appear only when one fits whole within the limits.

    Args:
        min_value: The earliest day any generated date may hold.
        max_value: The latest day any generated date may hold.

    Raises:
        InvalidArgument: If *min_value* is after *max_value*, or either is a
            `datetime.datetime`.

    .. versionadded:: 0.1.0
    """
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if isinstance(value, dt.datetime):
            msg = f"{name}={value!r} must be a datetime.date, not a datetime"
            raise InvalidArgument(msg)
    if min_value > max_value:
        msg = f"min_value={min_value!r} is after max_value={max_value!r}"
        raise InvalidArgument(msg)
    days = _days(min_value, max_value)
    precisions = st.sampled_from(Precision)
    forms = [
        st.builds(FuzzyDate.exact, days),
        st.builds(_range, days, days, precisions),
        st.builds(FuzzyDate, st.none(), days, precision=precisions),
        st.builds(FuzzyDate, days, st.none(), precision=precisions),
    ]
    if min_value < max_value:
        forms.append(
            st.lists(days, min_size=2, max_size=4, unique=True).map(
                lambda choices: FuzzyDate.one_of(*choices)
            )
        )
    forms.extend(_periods(min_value, max_value))
    qualifiers = st.none() | st.sampled_from(Qualifier)
    forms = [
        st.builds(_qualified, st.one_of(forms), qualifiers),
        st.builds(
            _notated,
            days,
            days,
            st.integers(0, len(_NOTATIONS) - 1),
            st.sampled_from(["", "?", "~", "%"]),
            st.just((min_value, max_value)),
        ),
    ]
    return st.builds(
        _with_provenance,
        st.one_of(forms),
        st.none() | st.text(),
        st.none() | days,
    )


def _days(min_value: dt.date, max_value: dt.date) -> st.SearchStrategy[dt.date]:
    # st.dates() almost never draws its own limits, so pick them on purpose
    # now and then. Index 0 (where shrinking heads) keeps the drawn day.
    edges = (min_value, max_value)

    def pick(index: int, day: dt.date) -> dt.date:
        return edges[index - 1] if index in {1, 2} else day

    return st.builds(pick, st.integers(0, 9), st.dates(min_value, max_value))


def _range(first: dt.date, second: dt.date, precision: Precision) -> FuzzyDate:
    return FuzzyDate.between(
        min(first, second), max(first, second), precision=precision
    )


def _qualified(value: FuzzyDate, qualifier: Qualifier | None) -> FuzzyDate:
    return attrs.evolve(value, qualifier=qualifier)


_NOTATIONS: tuple[Callable[[dt.date, dt.date, str], str], ...] = (
    lambda first, _, mark: f"{first.year:04d}"[:3] + "X" + mark,
    lambda first, _, mark: f"{first.year:04d}-XX{mark}",
    lambda first, _, mark: f"{first.year:04d}-{first.month:02d}-XX{mark}",
    lambda first, _, mark: f"{first.isoformat()}{mark}/",
    lambda _, last, mark: f"/{last.isoformat()}{mark}",
    lambda first, last, mark: f"{first.isoformat()}/{last.year:04d}{mark}",
    lambda first, last, mark: f"[{first.isoformat()}{mark},{last.year:04d}]",
    lambda first, last, mark: f"[{first.year:04d}..{last.year:04d}{mark}]",
    lambda first, last, mark: f"{{{first.year:04d}-{first.month:02d},{last}{mark}}}",
    lambda first, _, mark: f"[{first.isoformat()}{mark}..]",
)
"""EDTF texts that keep a notation, from two days (in order) and a qualifier."""


def _notated(
    first: dt.date,
    second: dt.date,
    form: int,
    mark: str,
    limits: tuple[dt.date, dt.date],
) -> FuzzyDate:
    """Return the date of an EDTF text with a notation, or the first day.

    The first day when the text names days beyond *limits* or Python's dates.
    """
    first, last = min(first, second), max(first, second)
    try:
        value = FuzzyDate.from_edtf(_NOTATIONS[form](first, last, mark))
    except InvalidDateError:
        return FuzzyDate.exact(first)
    low, high = limits
    days = [value.earliest, value.latest, *value.choices]
    if all(day is None or low <= day <= high for day in days):
        return value
    return FuzzyDate.exact(first)


def _with_provenance(
    value: FuzzyDate, phrase: str | None, anchor: dt.date | None
) -> FuzzyDate:
    return attrs.evolve(value, phrase=phrase, anchor=anchor)


def _periods(
    min_value: dt.date, max_value: dt.date
) -> list[st.SearchStrategy[FuzzyDate]]:
    """Return strategies for the months, seasons and years that fit whole.

    Months are numbered ``year * 12 + month - 1``, so consecutive months have
    consecutive numbers, and season ``n`` (``year * 4`` + 0 for spring, up to
    3 for winter) starts in month ``3 * n + 2`` and ends in month
    ``3 * n + 4``.
    """
    first_month = _month_number(min_value) + (min_value.day != 1)
    last_month = _month_number(max_value) - (not _is_month_end(max_value))
    periods = []
    if first_month <= last_month:
        periods.append(st.integers(first_month, last_month).map(_month))
    first_season, last_season = first_month // 3, (last_month - 4) // 3
    if first_season <= last_season:
        periods.append(st.integers(first_season, last_season).map(_season))
    first_year, last_year = (first_month + 11) // 12, (last_month + 1) // 12 - 1
    if first_year <= last_year:
        periods.append(st.integers(first_year, last_year).map(FuzzyDate.year))
    return periods


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _is_month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _month(number: int) -> FuzzyDate:
    return FuzzyDate.month(number // 12, number % 12 + 1)


def _season(number: int) -> FuzzyDate:
    return FuzzyDate.season(number // 4, Season(Season.SPRING.value + number % 4))


# --- Sources, reports and claims ---------------------------------------------

_NAMES = st.text(min_size=1, max_size=12).filter(lambda name: name.strip() != "")


def sources() -> st.SearchStrategy[Source]:
    """Return a strategy for sources, with any non-blank name.

    .. versionadded:: 0.1.0
    """
    return st.builds(Source, _NAMES, kind=st.none() | _NAMES)


def reports(
    *,
    min_value: dt.date = dt.date.min,
    max_value: dt.date = dt.date.max,
    outlets: st.SearchStrategy[Source] | None = None,
) -> st.SearchStrategy[Report]:
    """Return a strategy for reports published between *min_value* and *max_value*.

    Publication is a day or, sometimes, an aware datetime on that day.

    .. versionadded:: 0.1.0
    """
    days = st.dates(min_value=min_value, max_value=max_value)
    moments = st.builds(
        lambda day, seconds: (
            dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            + dt.timedelta(seconds=seconds)
        ),
        st.dates(min_value=min_value, max_value=max_value),
        st.integers(0, 86_399),
    )
    return st.builds(
        Report,
        outlet=outlets if outlets is not None else sources(),
        published=days | moments,
        title=st.none() | st.text(max_size=20),
        url=st.none() | st.just("https://example.org/a"),
    )


def estimates() -> st.SearchStrategy[Estimate]:
    """Return a strategy for low/best/high estimates, any of them missing.

    Mostly in order; sometimes out of order, as sources do give them (see
    `timeline.model.events.Estimate.consistent`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Estimates out of order are drawn too.
    """

    def build(
        figures: list[int], keep: tuple[bool, bool, bool], shuffled: int
    ) -> Estimate:
        low, best, high = figures if shuffled == 0 else sorted(figures)
        if not any(keep):
            keep = (False, True, False)
        return Estimate(
            low=low if keep[0] else None,
            best=best if keep[1] else None,
            high=high if keep[2] else None,
        )

    return st.builds(
        build,
        st.lists(st.integers(0, 10**6), min_size=3, max_size=3),
        st.tuples(st.booleans(), st.booleans(), st.booleans()),
        st.integers(0, 3),  # in order three times in four
    )


def _field_strategy(
    annotation: Any, when: st.SearchStrategy[FuzzyDate]
) -> st.SearchStrategy[Any]:
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: _NAMES,
        int: st.integers(0, 10**6),
        FuzzyDate: when,
        Estimate: estimates(),
        Source: sources(),
        tuple[str, ...]: st.lists(_NAMES, max_size=3).map(tuple),
        tuple[Source, ...]: st.lists(sources(), max_size=2).map(tuple),
    }
    if annotation in simple:
        return simple[annotation]
    arguments = typing.get_args(annotation)
    if (
        typing.get_origin(annotation) in (typing.Union, types.UnionType)
        and type(None) in arguments
    ):
        rest = [argument for argument in arguments if argument is not type(None)]
        return st.none() | st.one_of(
            [_field_strategy(argument, when) for argument in rest]
        )
    return st.from_type(annotation)


def events(
    *,
    types: Sequence[type[Event]] | None = None,
    event_ids: st.SearchStrategy[str] | None = None,
    reports: st.SearchStrategy[Report] | None = None,
    when: st.SearchStrategy[FuzzyDate] | None = None,
) -> st.SearchStrategy[Event]:
    """Return a strategy for claims of every registered type, user-declared ones too.

    Fields are drawn from their annotations, so a type declared by
    subclassing `timeline.Event` is covered without registering anything
    here. Types are read from the registry when the strategy is drawn, so
    types declared after this call are included.

    Args:
        types: Only these event classes; every registered one by default.
        event_ids: Happening ids; any non-blank text by default. Draw from a
            few ids to make claims about the same happening.
        reports: Reports; `reports()` by default.
        when: Valid-time dates; `fuzzy_dates()` by default.

    .. versionadded:: 0.1.0
    """
    ids = event_ids if event_ids is not None else _NAMES
    report_strategy = reports if reports is not None else _reports_default()
    when_strategy = when if when is not None else fuzzy_dates()

    def for_type(cls: type[Event]) -> st.SearchStrategy[Event]:
        hints = typing.get_type_hints(cls)
        fields: dict[str, st.SearchStrategy[Any]] = {}
        for field in attrs.fields(cls):
            if field.name in {"event_id", "other_event_id"}:
                fields[field.name] = ids
            elif field.name == "report":
                fields[field.name] = report_strategy
            elif field.name in {"voids", "revokes"}:
                fields[field.name] = st.integers(1, 50)
            elif issubclass(cls, Verdict) and field.name == "values":
                fields[field.name] = _wording_pairs(_NAMES)
            elif issubclass(cls, Verdict) and field.name == "relation":
                fields[field.name] = _VERDICTS
            else:
                strategy = _field_strategy(hints[field.name], when_strategy)
                if field.default is not attrs.NOTHING:
                    strategy = st.just(field.default) | strategy
                fields[field.name] = strategy
        if issubclass(cls, SameEntity):
            # Two names of other words: none is joined to itself.
            del fields["name"], fields["other_name"]
            return _names_of_one().flatmap(
                lambda pair: st.builds(
                    cls, name=st.just(pair[0]), other_name=st.just(pair[1]), **fields
                )
            )
        if "other_event_id" in fields:
            # A merge or a split names two happenings, never one twice.
            del fields["event_id"], fields["other_event_id"]
            pair = st.lists(ids, min_size=2, max_size=2, unique=True)
            return st.builds(_between(cls), pair, **fields)
        return st.builds(cls, **fields)

    built: dict[type[Event], st.SearchStrategy[Event]] = {}

    def cached(cls: type[Event]) -> st.SearchStrategy[Event]:
        # Building a strategy reads type hints: do it once per type, not
        # once per example.
        if cls not in built:
            built[cls] = for_type(cls)
        return built[cls]

    def pick(_: object) -> st.SearchStrategy[Event]:
        chosen = types if types is not None else registered_event_types().values()
        ordered = sorted(chosen, key=lambda cls: cls.event_type)
        return st.sampled_from(ordered).flatmap(cached)

    return st.just(None).flatmap(pick)


def _between(cls: type[Event]) -> Callable[..., Event]:
    def build(pair: list[str], **fields: Any) -> Event:
        fields["other_event_id"] = pair[1]
        return cls(event_id=pair[0], **fields)

    return build


def _reports_default() -> st.SearchStrategy[Report]:
    return reports()


_VERDICTS = st.sampled_from([Relation.CONTRADICTS, Relation.COMPATIBLE])


def _wording_pairs(
    wordings: st.SearchStrategy[str],
) -> st.SearchStrategy[tuple[str, str]]:
    # Two wordings that are not the same words.
    return st.tuples(wordings, wordings).filter(
        lambda pair: folded(pair[0]) != folded(pair[1])
    )


_PLACES = ("Palmyra", "near Palmyra", "Homs province", "Syria", "Tadmur", "al-Tanf")
"""Places a log's claims are put in, and the analyst's `Within` entries relate."""
_WORDINGS = ("mortar attack", "Mortar  attack", "shelling", "a mortar attack")
"""Text a log's claims state, the same words in other cases among them."""
_PEOPLE = (
    "Sergei Shoigu",
    "Sergey Shoigu",
    "sergey  SHOIGU",
    "Valery Asapov",
    "Valery",
)
"""People a log's claims name, and the analyst's `SameEntity` entries join:
one spelt two ways (and one of them in other cases), and names that share
a word."""


def logs(
    *,
    max_size: int = 30,
    event_ids: Sequence[str] = ("alpha", "beta", "gamma", "delta"),
    min_value: dt.date = dt.date(2017, 9, 1),
    max_value: dt.date = dt.date(2017, 10, 31),
    types: Sequence[type[Event]] | None = None,
) -> st.SearchStrategy[EventLog]:
    """Return a strategy for valid logs with realistic contention.

    Claims about a few happenings come from a few outlets with dates drawn
    from a narrow window, places and wordings drawn from a few, so the same
    field often gets conflicting, refining or differing values; denials,
    rebuttals, confirmations, retractions, corrections, and the analyst's
    merges, splits, places within places, verdicts, names of one entity,
    links between happenings (`timeline.model.events.Related`, some sharing
    dates), revocations and amendments refer only to what the log already
    holds. People are named from a few names, spelt several ways.

    Args:
        max_size: The most entries a log holds.
        event_ids: The happening ids to draw from.
        min_value: The first publication (and valid-time) day.
        max_value: The last publication (and valid-time) day.
        types: The types of the claims; every registered type whose role
            is `Role.CLAIM` by default. Responses and analyst entries are
            drawn whatever the claims' types.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The *types* argument; links between happenings.
    """
    outlets = st.sampled_from(
        [Source("Alpha Times"), Source("Beta Agency"), Source("Gamma Post")]
    )
    report_strategy = reports(min_value=min_value, max_value=max_value, outlets=outlets)
    when_strategy = st.sampled_from(
        [min_value + dt.timedelta(days=offset) for offset in range(6)]
    ).map(FuzzyDate.exact) | fuzzy_dates(min_value=min_value, max_value=max_value)
    ids = st.sampled_from(list(event_ids))
    claim_types = (
        list(types)
        if types is not None
        else [
            cls for cls in registered_event_types().values() if cls.role is Role.CLAIM
        ]
    )
    claims = events(
        types=claim_types, event_ids=ids, reports=report_strategy, when=when_strategy
    )
    responses = events(
        types=[Denial, Rebuttal, Confirmation, Retraction, Correction],
        event_ids=st.just("placeholder"),
        reports=report_strategy,
    )

    @st.composite
    def build(draw: st.DrawFn) -> EventLog:
        log = EventLog(clock=_ticking_clock())
        for _ in range(draw(st.integers(0, max_size))):
            known = sorted(log.event_ids)
            kind = draw(st.sampled_from(_ENTRY_KINDS))
            if kind == "claim" or len(known) < (2 if kind in {"merge", "link"} else 1):
                event: Event = _worded(draw, draw(claims))
            elif kind == "response":
                event = attrs.evolve(
                    draw(responses), event_id=draw(st.sampled_from(known))
                )
            elif kind == "merge":
                cls = draw(st.sampled_from([SameAs, SameAs, Split]))
                # Two happenings: nothing is merged with, or split from, itself.
                first, second = draw(
                    st.lists(
                        st.sampled_from(known), min_size=2, max_size=2, unique=True
                    )
                )
                event = cls(
                    event_id=first, other_event_id=second, report=draw(report_strategy)
                )
            elif kind == "same_entity":
                name, other = draw(_names_of_one())
                event = SameEntity(
                    event_id=f"entity:{name}",
                    name=name,
                    other_name=other,
                    report=draw(report_strategy),
                )
            elif kind == "link":
                first, second = draw(
                    st.lists(
                        st.sampled_from(known), min_size=2, max_size=2, unique=True
                    )
                )
                event = Related(
                    event_id=first,
                    other_event_id=second,
                    relation=draw(st.sampled_from(Link)),
                    same_when=draw(st.booleans()),
                    report=draw(report_strategy),
                )
            elif kind in {"within", "verdict", "revoke"}:
                event = _judgement(draw, kind, log, known, draw(report_strategy))
            else:
                target = log[draw(st.integers(1, log.last_seq))]
                event = Amendment(
                    event_id=target.event.event_id,
                    voids=target.seq,
                    reason="mis-encoded",
                    report=draw(report_strategy),
                )
            log.append(event)
        return log

    return build()


_ENTRY_KINDS = ["claim"] * 6 + [
    "response",
    "merge",
    "link",
    "amend",
    "within",
    "verdict",
    "revoke",
    "same_entity",
]


def _names_of_one() -> st.SearchStrategy[tuple[str, str]]:
    # Two of the people, by other words: one name is never joined to itself.
    return st.tuples(st.sampled_from(_PEOPLE), st.sampled_from(_PEOPLE)).filter(
        lambda pair: name_words(pair[0]) != name_words(pair[1])
    )


def _worded(draw: st.DrawFn, event: Event) -> Event:
    # *event*, now and then with its place and its text facts drawn from a
    # few, so that claims about one happening agree, refine or differ.
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        changes["where"] = draw(st.sampled_from(_PLACES))
    if draw(st.booleans()):
        changes["actors"] = tuple(draw(st.lists(st.sampled_from(_PEOPLE), max_size=2)))
    if isinstance(getattr(event, "person", None), str) and draw(st.booleans()):
        changes["person"] = draw(st.sampled_from(_PEOPLE))
    hints = typing.get_type_hints(type(event))
    for name in event.fact_fields():
        if (
            hints.get(name) in (str, str | None)
            and name not in {"where", *changes}
            and draw(st.integers(0, 2)) == 0
        ):
            changes[name] = draw(st.sampled_from(_WORDINGS))
    return attrs.evolve(event, **changes) if changes else event


def _judgement(
    draw: st.DrawFn, kind: str, log: EventLog, known: list[str], report: Report
) -> Event:
    # A place within another, a verdict on two values a happening's claims
    # state, or the revocation of a judgement the log holds.
    if kind == "within":
        place, broader = draw(_wording_pairs(st.sampled_from(_PLACES)))
        return Within(
            event_id=f"place:{place}", place=place, within=broader, report=report
        )
    if kind == "revoke":
        judgements = [
            entry
            for entry in log
            if isinstance(entry.event, AnalystEntry) and entry.event.revocable
        ]
        if judgements:
            target = draw(st.sampled_from(judgements))
            return Revocation(
                event_id=target.event.event_id,
                revokes=target.seq,
                reason="on reflection",
                report=report,
            )
    event_id = draw(st.sampled_from(known))
    stated: dict[str, set[str]] = {}
    for entry in log:
        if entry.event.event_id == event_id and entry.event.role is Role.CLAIM:
            for name, value in entry.event.facts().items():
                if isinstance(value, str):
                    stated.setdefault(name, set()).add(value)
    choices = sorted(
        (name, pair)
        for name, values in stated.items()
        for pair in itertools.combinations(sorted(values), 2)
        if folded(pair[0]) != folded(pair[1])
    )
    if choices:
        field, values = draw(st.sampled_from(choices))
    else:
        field = "target"
        values = draw(_wording_pairs(st.sampled_from(_WORDINGS)))
    return Verdict(
        event_id=event_id,
        field=field,
        values=values,
        relation=draw(_VERDICTS),
        reason="the analyst read both reports",
        report=report,
    )


def _ticking_clock() -> Callable[[], dt.datetime]:
    ticks = itertools.count()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return lambda: start + dt.timedelta(seconds=next(ticks))
