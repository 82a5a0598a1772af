"""The fast paths of the Knowledge fold change no answer and leave no trace."""

import datetime as dt
import gc
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, Event, EventLog, FuzzyDate
from timeline.model import _event as events_module
from timeline.model.comparers import canonical, kind_of
from timeline.model.events import (
    Death,
    Estimate,
    Role,
    SameAs,
    Split,
    registered_event_types,
)
from timeline.model.sources import Source
from timeline.projections import build_knowledge
from timeline.strategies import events, fuzzy_dates, logs, reports

from .helpers import FakeClock, day, report

FIRST, LAST = dt.date(2017, 9, 1), dt.date(2017, 9, 4)


@attrs.frozen(kw_only=True)
class Rumour(Event):
    """A user type that states its facts in a form of its own."""

    event_type: ClassVar[str] = "test_rumour"

    gist: str

    def facts(self) -> dict[str, object]:
        """Return the gist in capitals, as this type's facts."""
        return {"gist": self.gist.upper()}


def test_a_type_that_states_its_facts_itself_is_asked():
    """A class overriding facts() has its own facts in Knowledge."""
    log = EventLog(clock=FakeClock())
    log.append(Rumour(event_id="r", report=report("A", dt.date(2017, 1, 1)), gist="x"))

    (value,) = log.as_of(dt.date(2017, 1, 1))["r"].fields["gist"].values

    assert value.value == "X"


@pytest.mark.parametrize("enabled", [True, False])
def test_folding_leaves_the_garbage_collector_as_it_was(enabled):
    """The collector is left on or off as it was, with its thresholds."""
    was, thresholds = gc.isenabled(), gc.get_threshold()
    try:
        (gc.enable if enabled else gc.disable)()
        gc.set_threshold(500, 7, 9)
        log = EventLog(clock=FakeClock())
        log.append(Rumour(event_id="r", report=report("A", FIRST), gist="x"))
        build_knowledge(log, as_of=FIRST)
        log.as_of(FIRST)

        assert gc.isenabled() is enabled
        assert gc.get_threshold() == (500, 7, 9)
    finally:
        (gc.enable if was else gc.disable)()
        gc.set_threshold(*thresholds)


def test_a_fold_runs_young_collections_and_no_full_one():
    """Full collections wait until the fold returns; young ones still run."""
    log = EventLog(clock=FakeClock())
    log.extend(
        Death(event_id=f"d{n}", report=report("A", FIRST), person=f"P{n}")
        for n in range(3_000)
    )
    generations: list[int] = []

    def record(phase, info):
        if phase == "start":
            generations.append(info["generation"])

    was, thresholds = gc.isenabled(), gc.get_threshold()
    gc.enable()
    gc.set_threshold(100, 2, 2)
    gc.callbacks.append(record)
    try:
        build_knowledge(log, as_of=FIRST)
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*thresholds)
        (gc.enable if was else gc.disable)()

    assert 0 in generations
    assert 2 not in generations


def test_a_split_known_before_an_earlier_merge_does_not_undo_it():
    """Merges and splits count in knowledge order, not in the order appended."""
    log = EventLog(clock=FakeClock())
    for event_id in ("a", "b"):
        log.append(
            Rumour(event_id=event_id, report=report("A", dt.date(2017, 1, 1)), gist="x")
        )
    log.append(
        SameAs(
            event_id="a", other_event_id="b", report=report("A", dt.date(2017, 1, 9))
        )
    )
    log.append(
        Split(event_id="a", other_event_id="b", report=report("A", dt.date(2017, 1, 5)))
    )
    day = dt.date(2017, 1, 10)

    merged = log.happening("b", as_of=day)

    assert merged == log.as_of(day)["b"]
    assert merged is not None
    assert merged.event_ids == {"a", "b"}


def plain(value):
    """Return a value as the fold keys it: a date's phrase and anchor dropped."""
    if isinstance(value, FuzzyDate):
        return attrs.evolve(value, phrase=None, anchor=None)
    return value


def reference_fields(claims):
    """Group *claims*' facts by field and canonical value, the slow and obvious way.

    Values of one canonical form ("mortar attack", "Mortar  attack") are one.
    """
    fields: dict[str, dict[object, list[Entry]]] = {}
    for claim in claims:
        for name, value in claim.event.facts().items():
            kind = kind_of(type(claim.event), name, value)
            key = canonical(kind, plain(value))
            fields.setdefault(name, {}).setdefault(key, []).append(claim)
    return fields


@given(logs(), st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 11, 1)))
def test_the_fold_groups_facts_as_the_obvious_fold_does(log, as_of):
    """The generated collectors group every claim's facts as facts() states them.

    A happening linked to another by a date given by reference also holds
    the other's dates (see tests/test_links.py), so its *when* is left out.
    """
    for happening in log.as_of(as_of):
        expected = reference_fields(happening.claims)
        found = {
            name: {
                canonical(field.kind, plain(value.value)): list(value.claims)
                for value in field.values
            }
            for name, field in happening.fields.items()
        }
        if any(entry.event.same_when for entry in happening.links):
            expected.pop("when", None)
            found.pop("when", None)

        assert found == expected
        for field in happening.fields.values():
            days = [value.first_known for value in field.values]
            assert days == sorted(days)


# Claims about one happening from several outlets on a few days, with dates
# of every form: values first known on one day are common.
same_day_claims = events(
    types=[cls for cls in registered_event_types().values() if cls.role is Role.CLAIM],
    event_ids=st.just("alpha"),
    reports=reports(
        min_value=FIRST,
        max_value=LAST,
        outlets=st.sampled_from([Source(name) for name in "ABC"]),
    ),
    when=fuzzy_dates(min_value=FIRST - dt.timedelta(days=3), max_value=LAST),
)


@given(st.lists(same_day_claims, max_size=10), st.randoms(use_true_random=False))
def test_values_keep_one_order_whatever_order_claims_are_appended_in(batch, random):
    """Values first known on one day are listed in one order, not by seq."""
    shuffled = list(batch)
    random.shuffle(shuffled)
    answers = []
    for claims in (batch, shuffled):
        log = EventLog(clock=FakeClock())
        log.extend(claims)
        answers.append(
            [
                (name, [repr(plain(value.value)) for value in field.values])
                for happening in log.as_of(LAST)
                for name, field in happening.fields.items()
            ]
        )

    assert answers[0] == answers[1]


def test_dates_first_known_on_one_day_are_listed_by_date():
    """Sept. 24, then September, then Sept. 23, all on one day: by first day."""
    log = EventLog(clock=FakeClock())
    published = dt.date(2017, 9, 25)
    for outlet, when in (
        ("A", day("2017-09-24")),
        ("B", FuzzyDate.month(2017, 9)),
        ("C", day("2017-09-23")),
        ("D", FuzzyDate.parse("Sept. 23", anchor=published)),
    ):
        log.append(
            Death(
                event_id="asapov-death",
                report=report(outlet, published),
                person="Valery Asapov",
                when=when,
            )
        )

    field = log.as_of(published)["asapov-death"].fields["when"]

    assert [str(value.value) for value in field.values] == [
        "2017-09",
        "2017-09-23",
        "2017-09-24",
    ]
    assert [len(value.claims) for value in field.values] == [1, 2, 1]


@attrs.frozen
class MarkedDate(FuzzyDate):
    """A user's date with a field of its own."""

    mark: str = attrs.field(default="", kw_only=True)


@attrs.frozen(kw_only=True)
class Sighting(Event):
    """A user type with a fact of any type.

    Registered only while a test uses it: the strategies draw every
    registered type, and would draw any object at all for this one.
    """

    event_type: ClassVar[str] = "_test_fast_path_sighting"

    seen: object = None


def sightings(*values):
    """Return a knowledge answer about one happening, one sighting per value."""
    log = EventLog(clock=FakeClock())
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(events_module._REGISTRY, Sighting.event_type, Sighting)
        for index, value in enumerate(values):
            log.append(
                Sighting(
                    event_id="s", report=report(f"outlet {index}", FIRST), seen=value
                )
            )
        return log.as_of(FIRST)["s"].fields


def test_a_subclass_of_fuzzy_date_is_keyed_with_its_own_fields():
    """Its own fields tell its values apart; its phrase and anchor do not."""
    september = dt.date(2017, 9, 1), dt.date(2017, 9, 30)
    first = MarkedDate(*september, precision=FuzzyDate.month(2017, 9).precision)
    phrased = attrs.evolve(first, phrase="in September", anchor=FIRST)
    marked = attrs.evolve(first, mark="disputed")

    values = sightings(first, phrased, marked, FuzzyDate.month(2017, 9))["seen"].values

    assert [len(value.claims) for value in values] == [1, 2, 1]
    assert {type(value.value) for value in values} == {FuzzyDate, MarkedDate}


class Pair(tuple[str, ...]):
    """A tuple subclass: empty, it states nothing, as an empty tuple does."""

    __slots__ = ()


def test_values_of_any_type_are_collected_and_empty_ones_skipped():
    """Empty tuples of any class say nothing; other values are their own keys."""
    fields = sightings(Pair(), (), Pair(("a", "b")), ("a", "b"), 3, "3", 3)

    values = fields["seen"].values

    # Known on one day, they are listed by type name, then text.
    assert [value.value for value in values] == [("a", "b"), 3, "3"]
    assert type(values[0].value) is Pair
    assert [len(value.claims) for value in values] == [2, 2, 1]


def test_estimates_first_known_on_one_day_are_listed_by_their_figures():
    """By low, best and high figure, a missing one first; seq plays no part."""
    values = sightings(
        Estimate(best=12),
        Estimate.exactly(3),
        Estimate(low=3, best=12),
        Estimate(best=3),
    )["seen"].values

    assert [str(value.value) for value in values] == [
        str(Estimate(best=3)),
        str(Estimate(best=12)),
        str(Estimate.exactly(3)),
        str(Estimate(low=3, best=12)),
    ]
