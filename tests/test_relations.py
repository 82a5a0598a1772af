"""How two values of a field relate: the comparers of every kind, and their laws."""

import datetime as dt
import enum
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Event, FuzzyDate
from timeline.model.comparers import (
    any_contradiction,
    canonical,
    compare,
    kind_of,
    kind_of_value,
    kinds,
)
from timeline.model.events import Attack, Death, Deployment, Estimate, Visit
from timeline.model.places import Places, read_place
from timeline.model.relations import Comparison, Kind, Relation, fact, folded
from timeline.strategies import estimates, fuzzy_dates

SAME, REFINES, COMPATIBLE, DIFFERS, CONTRADICTS = Relation
SEPT = dt.date(2017, 9, 1)


def relation(kind, first, second, places=None):
    """Return the relation of two values, checking it is the same both ways."""
    there = compare(kind, first, second, places=places or Places())
    back = compare(kind, second, first, places=places or Places())
    assert there.relation is back.relation
    return there.relation


# -- The examples, one by one -------------------------------------------


class TestActors:
    """Actors are a set of names: order and fewer names are no disagreement."""

    def test_the_same_names_in_another_order_are_the_same(self):
        """The same names in another order are the same."""
        assert relation(Kind.SET, ("X", "Y"), ("Y", "X")) is SAME

    def test_fewer_names_refine_more(self):
        """Fewer names refine more."""
        comparison = compare(Kind.SET, ("X",), ("X", "Y"))

        assert comparison == Comparison(REFINES, '("X") names some of ("X", "Y")')

    def test_names_the_other_does_not_name_are_compatible(self):
        """Names the other does not name are compatible."""
        assert relation(Kind.SET, ("X", "Z"), ("X", "Y")) is COMPATIBLE
        assert relation(Kind.SET, ("X",), ("Y",)) is COMPATIBLE

    def test_names_are_compared_as_text(self):
        """Names are compared as text."""
        assert relation(Kind.SET, ("Valery  Asapov",), ("valery asapov",)) is SAME

    def test_event_actors_are_a_set(self):
        """Event actors are a set."""
        assert kind_of(Attack, "actors") is Kind.SET


class TestEstimates:
    """Counts are ranges: "at least 11" and 11 can both be true."""

    def test_exactly_refines_at_least(self):
        """Exactly 11 refines "at least 11"."""
        comparison = compare(Kind.RANGE, Estimate(low=11), Estimate.exactly(11))

        assert comparison == Comparison(REFINES, "11 lies within at least 11")

    def test_a_count_within_a_range_refines_it(self):
        """A count within a range refines it."""
        comparison = compare(
            Kind.RANGE, Estimate.exactly(15), Estimate(low=10, high=20)
        )

        assert comparison == Comparison(REFINES, "15 lies within 10-20")

    def test_overlapping_ranges_are_compatible(self):
        """Overlapping ranges are compatible."""
        comparison = compare(
            Kind.RANGE, Estimate(low=10, high=20), Estimate(low=15, high=30)
        )

        assert comparison == Comparison(COMPATIBLE, "10-20 and 15-30 overlap: 15-20")

    def test_ranges_sharing_no_count_contradict(self):
        """Ranges sharing no count contradict."""
        comparison = compare(Kind.RANGE, Estimate(low=10, high=20), Estimate(low=25))

        assert comparison == Comparison(
            CONTRADICTS, "10-20 and at least 25 share no count"
        )

    def test_best_figures_without_bounds_only_differ(self):
        """Best figures without bounds only differ."""
        assert relation(Kind.RANGE, Estimate(best=15), Estimate(best=16)) is DIFFERS
        assert relation(Kind.RANGE, Estimate(best=15), Estimate.exactly(40)) is DIFFERS
        assert (
            relation(Kind.RANGE, Estimate(best=15), Estimate(low=10, high=20))
            is COMPATIBLE
        )

    def test_a_best_figure_within_the_same_range_refines_it(self):
        """A best figure within the same range refines it."""
        assert (
            relation(
                Kind.RANGE,
                Estimate(low=10, best=12, high=20),
                Estimate(low=10, high=20),
            )
            is REFINES
        )
        assert (
            relation(
                Kind.RANGE,
                Estimate(low=10, best=12, high=20),
                Estimate(low=10, best=15, high=20),
            )
            is COMPATIBLE
        )

    def test_whole_numbers_are_exact_counts(self):
        """Whole numbers are exact counts."""
        assert relation(Kind.RANGE, 3, Estimate(low=2, high=4)) is REFINES
        assert relation(Kind.RANGE, 3, 4) is CONTRADICTS


class TestText:
    """Free text: the same words are the same value, other words only differ."""

    def test_case_and_spacing_do_not_matter(self):
        """Case and spacing do not matter."""
        assert relation(Kind.TEXT, "mortar attack", "Mortar  attack") is SAME

    def test_unicode_forms_and_curly_quotes_do_not_matter(self):
        """Unicode forms and curly quotes do not matter."""
        assert folded("\uff4d\uff4f\uff52\uff54\uff41\uff52") == "mortar"
        assert folded("the officers\u2019 post") == folded("The officers' post")

    @pytest.mark.parametrize(
        ("first", "second"),
        [
            ("shelling", "mortar attack"),
            ("Syrian government troops", "Syrian Fifth Attack Troop Corps"),
        ],
    )
    def test_other_words_differ_and_do_not_conflict(self, first, second):
        """Other words differ and do not conflict."""
        comparison = compare(Kind.TEXT, first, second)

        assert comparison.relation is DIFFERS
        assert not comparison.conflicts


class TestPlaces:
    """Places refine each other where the analyst says one lies within another."""

    def test_unrelated_places_differ(self):
        """Unrelated places differ."""
        assert relation(Kind.PLACE, "near Palmyra", "Homs province") is DIFFERS

    def test_a_place_within_another_refines_it(self):
        """A place within another refines it."""
        places = Places([("Palmyra", "Homs province")])

        comparison = compare(Kind.PLACE, "near Palmyra", "Homs province", places=places)

        assert comparison == Comparison(
            REFINES, '"near Palmyra" lies within "Homs province"'
        )

    def test_containment_is_transitive(self):
        """Containment is transitive."""
        places = Places([("Palmyra", "Homs province"), ("Homs province", "Syria")])

        comparison = compare(Kind.PLACE, "Syria", "Palmyra", places=places)

        assert comparison == Comparison(
            REFINES, '"Palmyra" lies within "Syria" (through Homs province)'
        )

    def test_places_within_each_other_are_one(self):
        """Places within each other are one."""
        places = Places([("Tadmur", "Palmyra"), ("Palmyra", "Tadmur")])

        assert relation(Kind.PLACE, "Tadmur", "palmyra", places) is SAME

    def test_a_place_and_its_surroundings_are_compatible(self):
        """A place and its surroundings are compatible."""
        assert relation(Kind.PLACE, "near Palmyra", "in Palmyra") is COMPATIBLE
        assert relation(Kind.PLACE, "at Palmyra", "Palmyra") is SAME

    def test_within_what_another_is_near_is_compatible(self):
        """Within what another is near is compatible."""
        places = Places([("Palmyra", "Homs province")])

        assert relation(Kind.PLACE, "Palmyra", "near Homs province", places) is (
            COMPATIBLE
        )

    def test_reading_a_place(self):
        """A place is read without "in" or "at", and "near" marks its vicinity."""
        assert read_place("North of  Palmyra") == ("palmyra", True)
        assert read_place("near") == ("near", False)


class TestDates:
    """Dates keep their tri-state relations: inside, overlapping, apart."""

    def test_a_day_in_a_month_refines_it(self):
        """A day in a month refines it."""
        comparison = compare(
            Kind.DATE, FuzzyDate.month(2017, 9), FuzzyDate.exact(dt.date(2017, 9, 23))
        )

        assert comparison == Comparison(REFINES, "2017-09-23 lies within 2017-09")

    def test_two_days_contradict(self):
        """Two days contradict."""
        assert (
            relation(
                Kind.DATE,
                FuzzyDate.exact(dt.date(2017, 9, 23)),
                FuzzyDate.exact(dt.date(2017, 9, 24)),
            )
            is CONTRADICTS
        )

    def test_overlapping_ranges_are_compatible(self):
        """Overlapping ranges are compatible."""
        comparison = compare(
            Kind.DATE,
            FuzzyDate.between(dt.date(2017, 9, 20), dt.date(2017, 9, 25)),
            FuzzyDate.since(dt.date(2017, 9, 23)),
        )

        assert comparison.relation is COMPATIBLE
        assert comparison.reason.endswith("share 2017-09-23/2017-09-25")

    def test_a_range_and_a_one_of_listing_its_days_are_the_same(self):
        """A range and a one of listing its days are the same."""
        days = [dt.date(2017, 9, 23), dt.date(2017, 9, 24)]

        assert (
            relation(Kind.DATE, FuzzyDate.one_of(*days), FuzzyDate.between(*days))
            is SAME
        )

    def test_one_of_two_days_refines_a_month(self):
        """One of two days refines a month."""
        assert (
            relation(
                Kind.DATE,
                FuzzyDate.one_of(dt.date(2017, 9, 23), dt.date(2017, 9, 25)),
                FuzzyDate.month(2017, 9),
            )
            is REFINES
        )


class Side(enum.Enum):
    """A closed vocabulary of a user's own."""

    ALIVE = "alive"
    DEAD = "dead"


class TestVocabularies:
    """Two values of a closed list cannot both be true."""

    def test_two_values_contradict(self):
        """Two values contradict."""
        assert relation(Kind.VOCABULARY, Side.ALIVE, Side.DEAD) is CONTRADICTS
        assert relation(Kind.VOCABULARY, True, False) is CONTRADICTS

    def test_a_word_and_its_member_are_the_same(self):
        """A word and its member are the same."""
        assert relation(Kind.VOCABULARY, Side.DEAD, "Dead") is SAME


class TestExact:
    """Values of no known kind are the same when equal, and only differ else."""

    def test_unequal_values_differ(self):
        """Unequal values differ."""
        assert relation(Kind.EXACT, ("a", "b"), ("b", "a")) is DIFFERS
        assert relation(Kind.EXACT, ("a",), ("a",)) is SAME

    def test_a_value_not_of_its_kind_is_compared_exactly(self):
        """A value not of its kind is compared exactly."""
        assert relation(Kind.DATE, FuzzyDate.month(2017, 9), "September") is DIFFERS
        assert relation(Kind.TEXT, "3", 3) is DIFFERS


# -- Field kinds ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Patrol(Event):
    """An event type of a user's own, declaring its fields' kinds."""

    event_type: ClassVar[str] = "_test_relations_patrol"

    route: tuple[str, ...] = fact(Kind.SET, default=())
    waypoints: tuple[str, ...] = ()
    outcome: Side | None = None
    sector: str | None = fact("place", default=None)
    vehicles: int | None = None
    armed: bool | None = None
    log: object = None


class TestKinds:
    """A field's kind is declared with fact(), else read from its annotation."""

    def test_built_in_fields_have_the_kinds_their_docs_give(self):
        """Built in fields have the kinds their docs give."""
        assert kinds(Attack)["killed"] is Kind.RANGE
        assert kinds(Attack)["when"] is Kind.DATE
        assert kinds(Attack)["where"] is Kind.PLACE
        assert kinds(Attack)["target"] is Kind.TEXT
        assert kinds(Deployment)["destination"] is Kind.PLACE
        assert kinds(Visit)["visitor"] is Kind.TEXT

    def test_a_user_type_declares_or_is_read(self):
        """A user type declares or is read."""
        found = kinds(Patrol)

        assert [found[name] for name in ("route", "waypoints", "outcome")] == [
            Kind.SET,
            Kind.EXACT,
            Kind.VOCABULARY,
        ]
        assert [found[name] for name in ("sector", "vehicles", "armed", "log")] == [
            Kind.PLACE,
            Kind.RANGE,
            Kind.VOCABULARY,
            Kind.EXACT,
        ]

    def test_a_fact_that_is_no_field_has_its_value_s_kind(self):
        """A fact that is no field has its value's kind."""
        assert kind_of(Death, "not_a_field", Estimate(best=2)) is Kind.RANGE
        assert kind_of_value("text") is Kind.TEXT

    def test_an_unknown_kind_is_refused(self):
        """An unknown kind is refused."""
        with pytest.raises(ValueError, match="'shape'"):
            fact("shape")

    def test_an_annotation_that_cannot_be_read_is_exact(self):
        """An annotation that cannot be read is exact."""

        @attrs.frozen
        class Unread:
            thing: "NotDefinedAnywhere"  # type: ignore[name-defined]  # noqa: F821

        assert kinds(Unread)["thing"] is Kind.EXACT


# -- The laws -----------------------------------------------------------------------

words = st.sampled_from(
    ["mortar attack", "Mortar  attack", "shelling", "ISIS", "isis", "Valery Asapov"]
)
place_names = st.sampled_from(
    ["Palmyra", "near Palmyra", "Homs province", "Syria", "Tadmur", "in Syria"]
)
places = st.lists(st.tuples(place_names, place_names), max_size=6).map(Places)
dates = fuzzy_dates(min_value=dt.date(2017, 8, 25), max_value=dt.date(2017, 10, 5))


@st.composite
def small_estimates(draw):
    """Estimates of small counts, any figure missing, so that ranges meet."""
    low, best, high = sorted(draw(st.lists(st.integers(0, 30), min_size=3, max_size=3)))
    keep = draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
    if not any(keep):
        keep = (False, True, False)
    return Estimate(
        low=low if keep[0] else None,
        best=best if keep[1] else None,
        high=high if keep[2] else None,
    )


counts = small_estimates() | st.integers(0, 30) | estimates()
values_of = {
    Kind.SET: st.lists(words, max_size=3).map(tuple),
    Kind.RANGE: counts,
    Kind.TEXT: words,
    Kind.VOCABULARY: st.sampled_from([*Side, "dead", True, False]),
    Kind.PLACE: place_names,
    Kind.DATE: dates,
    Kind.EXACT: words | st.integers(0, 3),
}
kinded = st.sampled_from(list(Kind)).flatmap(
    lambda kind: st.tuples(st.just(kind), values_of[kind], values_of[kind])
)


@given(kinded, places)
def test_every_relation_is_symmetric(drawn, where):
    """Which value comes first never changes the relation, whatever the kind."""
    kind, first, second = drawn

    assert (
        compare(kind, first, second, places=where).relation
        is compare(kind, second, first, places=where).relation
    )


@given(kinded, places)
def test_a_value_is_the_same_as_itself_and_its_canonical_form(drawn, where):
    """A value is the same as itself; values of one canonical form are the same."""
    kind, first, second = drawn

    assert compare(kind, first, first, places=where).relation is SAME
    if canonical(kind, first) == canonical(kind, second):
        assert compare(kind, first, second, places=where).relation is SAME


@given(kinded)
def test_only_contradictions_conflict(drawn):
    """Same, refines, compatible and differs never conflict; contradicts does."""
    kind, first, second = drawn

    comparison = compare(kind, first, second)

    assert comparison.conflicts is (comparison.relation is CONTRADICTS)


@given(
    st.sampled_from(list(Kind)).flatmap(
        lambda k: st.tuples(st.just(k), st.lists(values_of[k], max_size=5))
    )
)
def test_the_one_pass_check_finds_what_comparing_each_pair_finds(drawn):
    """`any_contradiction` is comparing every two values, without the reasons."""
    kind, values = drawn

    assert any_contradiction(kind, values) is any(
        compare(kind, first, second).relation is CONTRADICTS
        for index, first in enumerate(values)
        for second in values[index + 1 :]
    )


@given(dates, dates)
def test_dates_contradict_exactly_when_they_share_no_day(first, second):
    """The date comparer keeps FuzzyDate's own answer: overlapping is no conflict."""
    assert (compare(Kind.DATE, first, second).relation is CONTRADICTS) is (
        not first.overlaps(second)
    )


@given(dates, dates)
def test_a_date_refines_another_when_all_its_days_are_the_other_s(first, second):
    """Refines means inside: the intersection is the narrower date itself."""
    found = compare(Kind.DATE, first, second).relation
    common = first.intersection(second)
    if found in (SAME, REFINES):
        assert common is not None
        assert first.overlaps(common)
        assert second.overlaps(common)


def test_values_not_of_their_kind_never_contradict_and_are_shown_plainly():
    """Mixed values are compared exactly; a set is shown sorted; Places print."""
    assert relation(Kind.RANGE, "3", 4) is DIFFERS
    assert relation(Kind.PLACE, 1, "Palmyra") is DIFFERS
    assert not any_contradiction(Kind.DATE, [FuzzyDate.month(2017, 9), "x"])
    assert not any_contradiction(Kind.RANGE, [Estimate(low=2, high=3), "x"])
    assert compare(Kind.EXACT, frozenset({"b", "a"}), frozenset({"c"})).reason == (
        '("a", "b") and ("c") differ: timeline cannot compare them'
    )
    assert repr(Places([("a", "b")])) == "<Places: 1 places within others>"
