# SPDX-License-Identifier: MIT
import datetime as dt
import itertools
import re

import pytest
from dateutil import parser
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from timeline.errors import InvalidDateError
from timeline.model import _phrases
from timeline.model.dates import Certainty, FuzzyDate, Precision, Season
from timeline.strategies import fuzzy_dates

D = dt.date
CERTAINLY, POSSIBLY, NOT = Certainty.CERTAINLY, Certainty.POSSIBLY, Certainty.NOT
DAY, MONTH, SEASON, YEAR = (
    Precision.DAY,
    Precision.MONTH,
    Precision.SEASON,
    Precision.YEAR,
)

# Publication days of the seed articles, the anchors their phrases resolve against.
EA_WORLDVIEW = D(2016, 6, 18)  # a Saturday: "Shoigu arrived on Saturday"
DEBKA = D(2017, 9, 29)  # undated in the seed; it reports the Sept. 28 funeral as past
MILITARY_TIMES = D(2017, 10, 4)  # a Wednesday: "released a statement Wednesday"

# A quarter of a year, small enough to enumerate every possible day.
WINDOW = (D(2017, 1, 1), D(2017, 3, 31))


def possible_days(value: FuzzyDate) -> set[dt.date]:
    """Return every day a closed date allows."""
    if value.choices:
        return set(value.choices)
    assert value.earliest is not None
    assert value.latest is not None
    count = (value.latest - value.earliest).days + 1
    return {value.earliest + dt.timedelta(days=n) for n in range(count)}


def bounds(value: FuzzyDate) -> list[dt.date]:
    """Return the stated bounds of a date."""
    return [day for day in (value.earliest, value.latest) if day is not None]


def is_closed(value: FuzzyDate) -> bool:
    """Return whether both bounds are stated."""
    return value.earliest is not None and value.latest is not None


closed_in_window = fuzzy_dates(min_value=WINDOW[0], max_value=WINDOW[1]).filter(
    is_closed
)


# -- Properties -----------------------------------------------------------------


@given(fuzzy_dates())
def test_bounds_are_ordered_and_never_both_open(value):
    """Every generated date has a bound, and earliest is not after latest."""
    stated = bounds(value)

    assert stated
    assert stated == sorted(stated)


@given(fuzzy_dates(), fuzzy_dates() | st.dates())
def test_definitely_before_implies_possibly_before(first, second):
    """Certainly before implies possibly before, and rules out the reverse."""
    certainly = first.definitely_before(second)

    assert not certainly or first.possibly_before(second)
    assert not certainly or not first.possibly_after(second)


@given(fuzzy_dates(), fuzzy_dates())
def test_after_mirrors_before(first, second):
    """A is after B exactly as B is before A."""
    assert first.after(second) is second.before(first)
    assert first.definitely_after(second) == second.definitely_before(first)
    assert first.possibly_after(second) == second.possibly_before(first)


@given(closed_in_window, closed_in_window)
def test_relations_agree_with_the_possible_days(first, second):
    """Before, overlaps and intersection match a brute-force model of the days."""
    pairs = list(itertools.product(possible_days(first), possible_days(second)))
    common = possible_days(first) & possible_days(second)
    expected = (
        CERTAINLY
        if all(x < y for x, y in pairs)
        else POSSIBLY
        if any(x < y for x, y in pairs)
        else NOT
    )

    result = first.intersection(second)

    assert first.before(second) is expected
    assert first.overlaps(second) == bool(common)
    assert (possible_days(result) if result else set()) == common


@given(fuzzy_dates(), fuzzy_dates(), st.dates())
def test_intersection_is_within_both_and_commutative(first, second, day):
    """The intersection allows a day exactly when both dates allow it."""
    result = first.intersection(second)
    in_both = first.contains(day) is not NOT and second.contains(day) is not NOT

    assert result == second.intersection(first)
    assert first.overlaps(second) == (result is not None)
    assert (result is not None and result.contains(day) is not NOT) == in_both
    for inside in bounds(result) if result else []:
        assert first.contains(inside) is not NOT
        assert second.contains(inside) is not NOT


@given(fuzzy_dates(), fuzzy_dates())
def test_hull_contains_both(first, second):
    """Every bound of either date lies in the hull, and so do open ranges' days."""
    result = first.hull(second)

    assert result == second.hull(first)
    for value in (first, second):
        assert all(result.contains(day) is not NOT for day in bounds(value))
        assert value.earliest is not None or result.contains(D.min) is not NOT
        assert value.latest is not None or result.latest is None


@given(fuzzy_dates())
def test_edtf_round_trips(value):
    """Reading back the EDTF restores the days, and the precision of compact forms."""
    text = value.to_edtf()

    result = FuzzyDate.from_edtf(text)

    assert (result.earliest, result.latest) == (value.earliest, value.latest)
    assert result.choices == value.choices
    assert result.precision in {value.precision, DAY}
    assert result.to_edtf() == text == str(value)
    assert FuzzyDate.parse(text) == result


@given(fuzzy_dates(), fuzzy_dates())
def test_sort_key_is_consistent(first, second):
    """Keys tie only for equal dates and order certainly-earlier dates first."""
    assert (first.sort_key == second.sort_key) == (first == second)
    assert not first.definitely_before(second) or first.sort_key < second.sort_key
    assert first != second or hash(first) == hash(second)


@given(fuzzy_dates())
def test_midpoint_and_bounds_are_contained(value):
    """The midpoint lies within the bounds and every bound is a possible day."""
    assert bounds(value)[0] <= value.midpoint <= bounds(value)[-1]
    assert all(value.contains(day) is not NOT for day in bounds(value))
    assert value.is_exact == (value.contains(bounds(value)[0]) is CERTAINLY)


@given(st.data(), st.dates(), st.dates())
def test_strategy_keeps_every_date_within_its_limits(data, one, other):
    """Bounds, choices and anchor of generated dates lie within the limits."""
    low, high = min(one, other), max(one, other)

    value = data.draw(fuzzy_dates(min_value=low, max_value=high))

    held = [*bounds(value), *value.choices, *filter(None, [value.anchor])]
    assert all(low <= day <= high for day in held)


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (D(2017, 9, 23), D(2017, 9, 23)),
        (D(2017, 9, 23), D(2017, 9, 24)),
        (D(2017, 1, 2), D(2017, 3, 30)),
        (D(9999, 12, 1), D.max),
    ],
)
def test_strategy_handles_narrow_limits(low, high):
    """Limits too narrow for a month, season or year still generate dates."""

    @given(fuzzy_dates(min_value=low, max_value=high))
    def check(value):
        assert all(low <= day <= high for day in [*bounds(value), *value.choices])

    check()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"min_value": D(2017, 9, 24), "max_value": D(2017, 9, 23)}, "is after"),
        ({"min_value": dt.datetime(2017, 9, 23, tzinfo=dt.UTC)}, "not a datetime"),
    ],
)
def test_strategy_rejects_bad_limits(arguments, message):
    """The strategy refuses limits out of order or with a time of day."""
    with pytest.raises(InvalidArgument, match=message):
        fuzzy_dates(**arguments)


# -- Construction ---------------------------------------------------------------


class TestConstructors:
    """The named constructors build the bounds they promise."""

    @pytest.mark.parametrize(
        ("value", "earliest", "latest", "precision"),
        [
            (FuzzyDate.exact(D(2017, 9, 23)), D(2017, 9, 23), D(2017, 9, 23), DAY),
            (
                FuzzyDate.between(D(2017, 9, 23), D(2017, 9, 24)),
                D(2017, 9, 23),
                D(2017, 9, 24),
                DAY,
            ),
            (FuzzyDate.month(2016, 2), D(2016, 2, 1), D(2016, 2, 29), MONTH),
            (
                FuzzyDate.season(2017, Season.SPRING),
                D(2017, 3, 1),
                D(2017, 5, 31),
                SEASON,
            ),
            (
                FuzzyDate.season(2015, Season.WINTER),
                D(2015, 12, 1),
                D(2016, 2, 29),
                SEASON,
            ),
            (FuzzyDate.year(2016), D(2016, 1, 1), D(2016, 12, 31), YEAR),
            (FuzzyDate.until(D(2017, 10, 1)), None, D(2017, 10, 1), DAY),
            (FuzzyDate.since(D(2017, 10, 1)), D(2017, 10, 1), None, DAY),
        ],
    )
    def test_bounds_and_precision(self, value, earliest, latest, precision):
        """Each constructor sets the bounds and precision it names."""
        result = (value.earliest, value.latest, value.precision)

        assert result == (earliest, latest, precision)

    def test_one_of_keeps_distinct_days(self):
        """A one-of date keeps its distinct days and spans them."""
        days = (D(2017, 9, 24), D(2017, 9, 23), D(2017, 9, 24))

        result = FuzzyDate.one_of(*days)

        assert result.choices == frozenset(days)
        assert (result.earliest, result.latest) == (D(2017, 9, 23), D(2017, 9, 24))

    def test_with_phrase_records_the_words(self):
        """with_phrase returns a copy carrying the phrase and its anchor."""
        plain = FuzzyDate.exact(EA_WORLDVIEW)

        result = plain.with_phrase("on Saturday", anchor=EA_WORLDVIEW)

        assert (result.phrase, result.anchor) == ("on Saturday", EA_WORLDVIEW)
        assert result.with_phrase(None, anchor=None) == plain

    def test_choices_accept_any_iterable(self):
        """Choices passed as a list are stored as a frozenset."""
        days = [D(2017, 9, 23), D(2017, 9, 24)]

        result = FuzzyDate(*days, precision=DAY, choices=days)

        assert result.choices == frozenset(days)

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (lambda: FuzzyDate(None, None, precision=DAY), "at least one bound"),
            (
                lambda: FuzzyDate.between(D(2017, 9, 24), D(2017, 9, 23)),
                "earliest 2017-09-24 is after latest 2017-09-23",
            ),
            (
                lambda: FuzzyDate(
                    D(2017, 9, 23),
                    D(2017, 9, 23),
                    precision=DAY,
                    choices={D(2017, 9, 23)},
                ),
                "at least two distinct days, got 2017-09-23",
            ),
            (
                lambda: FuzzyDate(
                    D(2017, 9, 22),
                    D(2017, 9, 24),
                    precision=DAY,
                    choices={D(2017, 9, 23), D(2017, 9, 24)},
                ),
                "choices 2017-09-23, 2017-09-24 do not span the bounds",
            ),
            (lambda: FuzzyDate.one_of(D(2017, 9, 23)), r"got \[2017-09-23\]"),
            (FuzzyDate.one_of, r"got \[\]"),
            (lambda: FuzzyDate.month(2017, 13), "2017-13-01 is not a day"),
            (lambda: FuzzyDate.year(0), "0000-01-01 is not a day"),
            (lambda: FuzzyDate.season(9999, Season.WINTER), "outside the calendar"),
        ],
    )
    def test_invalid_values_are_refused(self, build, message):
        """Impossible dates raise InvalidDateError naming the bad value."""
        with pytest.raises(InvalidDateError, match=message):
            build()

    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (
                lambda: FuzzyDate.exact(dt.datetime(2017, 9, 23, tzinfo=dt.UTC)),
                "earliest must be a datetime.date, not datetime",
            ),
            (
                lambda: FuzzyDate("2017-09-23", None, precision=DAY),  # type: ignore[arg-type]
                "earliest must be a datetime.date, not str",
            ),
            (
                lambda: FuzzyDate(D(2017, 9, 23), None, precision="day"),  # type: ignore[arg-type]
                "precision must be a Precision, not str",
            ),
            (
                lambda: FuzzyDate.exact(D(2017, 9, 23)).with_phrase(
                    "x", anchor=dt.datetime(2017, 9, 23, tzinfo=dt.UTC)
                ),
                "anchor must be",
            ),
            (
                lambda: FuzzyDate.one_of(
                    D(2017, 9, 23), dt.datetime(2017, 9, 24, tzinfo=dt.UTC)
                ),
                "must be a datetime.date",
            ),
        ],
    )
    def test_wrong_types_are_refused(self, build, message):
        """Datetimes and other non-dates raise TypeError."""
        with pytest.raises(TypeError, match=message):
            build()


class TestProperties:
    """is_exact, midpoint and sort_key."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (FuzzyDate.between(D(2017, 9, 1), D(2017, 9, 4)), D(2017, 9, 2)),
            (FuzzyDate.month(2017, 9), D(2017, 9, 15)),
            (FuzzyDate.until(D(2017, 10, 1)), D(2017, 10, 1)),
            (FuzzyDate.since(D(2017, 10, 1)), D(2017, 10, 1)),
        ],
    )
    def test_midpoint(self, value, expected):
        """The midpoint rounds down, and is the known bound of open ranges."""
        assert value.midpoint == expected

    def test_is_exact(self):
        """Only a single possible day is exact."""
        result = [
            FuzzyDate.exact(D(2017, 9, 23)).is_exact,
            FuzzyDate.month(2017, 9).is_exact,
            FuzzyDate.since(D(2017, 9, 23)).is_exact,
        ]

        assert result == [True, False, False]

    def test_sort_key_puts_open_starts_first(self):
        """Sorting by sort_key orders by bounds, open start first."""
        values = [
            FuzzyDate.month(2017, 9),
            FuzzyDate.exact(D(2017, 9, 1)),
            FuzzyDate.until(D(2017, 9, 1)),
            FuzzyDate.since(D(2017, 9, 1)),
        ]

        result = sorted(values, key=lambda value: value.sort_key)

        assert result == [values[2], values[1], values[0], values[3]]


# -- Relations ------------------------------------------------------------------


class TestRelations:
    """before, contains, intersection and hull on hand-picked cases."""

    @pytest.mark.parametrize(
        ("first", "second", "expected"),
        [
            (FuzzyDate.exact(D(2017, 9, 23)), D(2017, 9, 24), CERTAINLY),
            (FuzzyDate.month(2017, 9), FuzzyDate.exact(D(2017, 9, 15)), POSSIBLY),
            (FuzzyDate.exact(D(2017, 10, 1)), FuzzyDate.month(2017, 9), NOT),
            (FuzzyDate.exact(D(2017, 9, 23)), D(2017, 9, 23), NOT),
            (FuzzyDate.until(D(2017, 9, 1)), FuzzyDate.since(D(2017, 9, 2)), CERTAINLY),
            (FuzzyDate.since(D(2017, 9, 2)), FuzzyDate.until(D(2017, 9, 1)), NOT),
            (FuzzyDate.until(D(2017, 9, 30)), FuzzyDate.since(D(2017, 9, 1)), POSSIBLY),
            (FuzzyDate.until(D.max), D.min, NOT),
        ],
    )
    def test_before(self, first, second, expected):
        """The answer is certainly, possibly or not."""
        assert first.before(second) is expected

    @pytest.mark.parametrize(
        ("value", "day", "expected"),
        [
            (FuzzyDate.exact(D(2017, 9, 23)), D(2017, 9, 23), CERTAINLY),
            (FuzzyDate.exact(D(2017, 9, 23)), D(2017, 9, 24), NOT),
            (FuzzyDate.month(2017, 9), D(2017, 9, 23), POSSIBLY),
            (
                FuzzyDate.one_of(D(2017, 9, 23), D(2017, 9, 25)),
                D(2017, 9, 25),
                POSSIBLY,
            ),
            (FuzzyDate.one_of(D(2017, 9, 23), D(2017, 9, 25)), D(2017, 9, 24), NOT),
            (FuzzyDate.until(D(2017, 9, 23)), D.min, POSSIBLY),
        ],
    )
    def test_contains(self, value, day, expected):
        """Only an exact date certainly contains its day."""
        assert value.contains(day) is expected

    @pytest.mark.parametrize(
        ("first", "second", "expected"),
        [
            (
                FuzzyDate.one_of(D(2017, 9, 23), D(2017, 9, 24)),
                FuzzyDate.since(D(2017, 9, 24)),
                FuzzyDate.exact(D(2017, 9, 24)),
            ),
            (
                FuzzyDate.one_of(D(2017, 9, 23), D(2017, 9, 24), D(2017, 9, 25)),
                FuzzyDate.month(2017, 9),
                FuzzyDate(
                    D(2017, 9, 23),
                    D(2017, 9, 25),
                    precision=DAY,
                    choices={D(2017, 9, 23), D(2017, 9, 24), D(2017, 9, 25)},
                ),
            ),
            (
                FuzzyDate.one_of(D(2017, 9, 23), D(2017, 9, 24)),
                FuzzyDate.month(2017, 10),
                None,
            ),
            (
                FuzzyDate.month(2017, 9),
                FuzzyDate.year(2017).with_phrase("in 2017", anchor=None),
                FuzzyDate.month(2017, 9),
            ),
            (
                FuzzyDate.until(D(2017, 9, 30)),
                FuzzyDate.until(D(2017, 9, 3)),
                FuzzyDate.until(D(2017, 9, 3)),
            ),
            (FuzzyDate.month(2017, 9), D(2017, 10, 1), None),
        ],
    )
    def test_intersection(self, first, second, expected):
        """The intersection keeps the shared days with the finer precision."""
        assert first.intersection(second) == expected

    def test_hull_open_at_both_ends_starts_at_the_first_day(self):
        """The hull of ranges open at opposite ends allows every day."""
        until, since = FuzzyDate.until(D(2017, 9, 1)), FuzzyDate.since(D(2017, 9, 2))

        result = until.hull(since)

        assert result == FuzzyDate(D.min, None, precision=DAY)

    def test_hull_is_a_range_with_the_coarser_precision(self):
        """The hull of a one-of date and a month is a range at month precision."""
        choices = FuzzyDate.one_of(D(2017, 8, 30), D(2017, 9, 2))

        result = choices.hull(FuzzyDate.month(2017, 9))

        assert result == FuzzyDate.between(
            D(2017, 8, 30), D(2017, 9, 30), precision=MONTH
        )


# -- EDTF -----------------------------------------------------------------------


class TestEdtf:
    """to_edtf and from_edtf."""

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (FuzzyDate.exact(D(2017, 9, 23)), "2017-09-23"),
            (FuzzyDate.exact(D(1, 1, 1)), "0001-01-01"),
            (FuzzyDate.month(2017, 9), "2017-09"),
            (FuzzyDate.year(2017), "2017"),
            (FuzzyDate.season(2017, Season.SPRING), "2017-21"),
            (FuzzyDate.season(2017, Season.SUMMER), "2017-22"),
            (FuzzyDate.season(2017, Season.AUTUMN), "2017-23"),
            (FuzzyDate.season(2017, Season.WINTER), "2017-24"),
            (
                FuzzyDate.between(D(2017, 9, 23), D(2017, 9, 24)),
                "2017-09-23/2017-09-24",
            ),
            (
                FuzzyDate.one_of(D(2017, 9, 24), D(2017, 9, 23)),
                "[2017-09-23,2017-09-24]",
            ),
            (FuzzyDate.until(D(2017, 10, 1)), "../2017-10-01"),
            (FuzzyDate.since(D(2017, 10, 1)), "2017-10-01/.."),
        ],
    )
    def test_forms_round_trip(self, value, text):
        """Each form writes its EDTF and reads back equal."""
        assert (value.to_edtf(), str(value)) == (text, text)
        assert FuzzyDate.from_edtf(text) == value

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (
                FuzzyDate.between(D(2016, 6, 1), D(2016, 6, 17), precision=MONTH),
                "2016-06-01/2016-06-17",
            ),
            (
                FuzzyDate.between(D(2017, 9, 1), D(2017, 9, 30), precision=DAY),
                "2017-09-01/2017-09-30",
            ),
            (
                FuzzyDate.between(D(2016, 9, 1), D(2016, 12, 31), precision=YEAR),
                "2016-09-01/2016-12-31",
            ),
            (
                FuzzyDate.between(D(2017, 4, 1), D(2017, 5, 31), precision=SEASON),
                "2017-04-01/2017-05-31",
            ),
            (
                FuzzyDate.between(D(2017, 3, 2), D(2017, 5, 31), precision=SEASON),
                "2017-03-02/2017-05-31",
            ),
            (
                FuzzyDate.between(D(9999, 12, 1), D.max, precision=SEASON),
                "9999-12-01/9999-12-31",
            ),
            (FuzzyDate(D(2016, 6, 1), D(2016, 6, 1), precision=MONTH), "2016-06-01"),
        ],
    )
    def test_precision_outside_compact_forms_reads_back_as_day(self, value, text):
        """A range that is not a whole period is written as days, read as DAY."""
        result = FuzzyDate.from_edtf(value.to_edtf())

        assert value.to_edtf() == text
        assert result == FuzzyDate(value.earliest, value.latest, precision=DAY)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("..2017-10-01", FuzzyDate.until(D(2017, 10, 1))),
            ("2017-10-01..", FuzzyDate.since(D(2017, 10, 1))),
            (
                "[ 2017-09-23, 2017-09-24 ]",
                FuzzyDate.one_of(D(2017, 9, 23), D(2017, 9, 24)),
            ),
        ],
    )
    def test_reads_other_spellings(self, text, expected):
        """Open ranges as releases up to 0.2 wrote them, and spaced sets."""
        assert FuzzyDate.from_edtf(text) == expected

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("2017-13", "13 in 2017-13 is neither a month"),
            ("2017-25", "25 in 2017-25 is neither a month"),
            ("2017-02-30", "2017-02-30 is not a day"),
            ("0000", "0000-01-01 is not a day"),
            ("2017-9-23", "'2017-9-23' is not an EDTF date"),
            ("Sept. 23", "'Sept. 23' is not an EDTF date"),
            ("../..", "at least one bound"),
            ("[2017-09-23", r"'\[2017-09-23' is not an EDTF date"),
            ("[2017-09-23,2017-09-23]", "at least two distinct days"),
            ("2017-09-24/2017-09-23", "is after latest"),
        ],
    )
    def test_invalid_text_is_refused(self, text, message):
        """Malformed or impossible EDTF raises InvalidDateError naming it."""
        with pytest.raises(InvalidDateError, match=message):
            FuzzyDate.from_edtf(text)


# -- Parsing --------------------------------------------------------------------


def _month_part(first: dt.date, last: dt.date) -> FuzzyDate:
    return FuzzyDate.between(first, last, precision=MONTH)


PHRASES = [
    # EA Worldview, 2016-06-18 (a Saturday).
    (EA_WORLDVIEW, "on Saturday", FuzzyDate.exact(D(2016, 6, 18))),
    (EA_WORLDVIEW, "On Friday", FuzzyDate.exact(D(2016, 6, 17))),
    (EA_WORLDVIEW, "on Wednesday", FuzzyDate.exact(D(2016, 6, 15))),
    (EA_WORLDVIEW, "on Thursday, June 16", FuzzyDate.exact(D(2016, 6, 16))),
    (EA_WORLDVIEW, "Earlier this month", _month_part(D(2016, 6, 1), D(2016, 6, 17))),
    (EA_WORLDVIEW, "since early April", _month_part(D(2016, 4, 1), EA_WORLDVIEW)),
    (
        EA_WORLDVIEW,
        "between January and April",
        _month_part(D(2016, 1, 1), D(2016, 4, 30)),
    ),
    (EA_WORLDVIEW, "last autumn", FuzzyDate.season(2015, Season.AUTUMN)),
    (EA_WORLDVIEW, "last September", FuzzyDate.month(2015, 9)),
    (EA_WORLDVIEW, "last year", FuzzyDate.year(2015)),
    (EA_WORLDVIEW, "this week", FuzzyDate.between(D(2016, 6, 13), EA_WORLDVIEW)),
    (EA_WORLDVIEW, "over the winter", FuzzyDate.season(2015, Season.WINTER)),
    # DEBKA, 2017-09-29.
    (DEBKA, "on Thursday, Sept. 28,", FuzzyDate.exact(D(2017, 9, 28))),
    (DEBKA, "on Sept. 23", FuzzyDate.exact(D(2017, 9, 23))),
    (DEBKA, "Just 24 hours later, on Sept. 25", FuzzyDate.exact(D(2017, 9, 25))),
    (DEBKA, "September 8-12", FuzzyDate.between(D(2017, 9, 8), D(2017, 9, 12))),
    (
        DEBKA,
        "in late 2016",
        FuzzyDate.between(D(2016, 9, 1), D(2016, 12, 31), precision=YEAR),
    ),
    (DEBKA, "Up until July 2015", FuzzyDate(None, D(2015, 7, 31), precision=MONTH)),
    # Military Times, 2017-10-04 (a Wednesday).
    (MILITARY_TIMES, "Wednesday", FuzzyDate.exact(MILITARY_TIMES)),
    (MILITARY_TIMES, "yesterday", FuzzyDate.exact(D(2017, 10, 3))),
    (MILITARY_TIMES, "today", FuzzyDate.exact(MILITARY_TIMES)),
    (MILITARY_TIMES, "Just last month", FuzzyDate.month(2017, 9)),
    (MILITARY_TIMES, "Over the summer", FuzzyDate.season(2017, Season.SUMMER)),
    (MILITARY_TIMES, "on Sept. 24", FuzzyDate.exact(D(2017, 9, 24))),
    (MILITARY_TIMES, "on Oct. 1", FuzzyDate.exact(D(2017, 10, 1))),
    (MILITARY_TIMES, "on Sept. 22", FuzzyDate.exact(D(2017, 9, 22))),
    # Other rules, against the Military Times date unless the year is stated.
    (MILITARY_TIMES, "this month", FuzzyDate.month(2017, 10)),
    (MILITARY_TIMES, "this year", FuzzyDate.year(2017)),
    (
        MILITARY_TIMES,
        "earlier this year",
        FuzzyDate.between(D(2017, 1, 1), D(2017, 10, 3), precision=YEAR),
    ),
    (MILITARY_TIMES, "last winter", FuzzyDate.season(2016, Season.WINTER)),
    (MILITARY_TIMES, "last spring", FuzzyDate.season(2017, Season.SPRING)),
    (MILITARY_TIMES, "last October", FuzzyDate.month(2016, 10)),
    (MILITARY_TIMES, "in the fall", FuzzyDate.season(2017, Season.AUTUMN)),
    (MILITARY_TIMES, "mid-April", _month_part(D(2017, 4, 11), D(2017, 4, 20))),
    (MILITARY_TIMES, "late February", _month_part(D(2017, 2, 21), D(2017, 2, 28))),
    (MILITARY_TIMES, "September", FuzzyDate.month(2017, 9)),
    (MILITARY_TIMES, "Sept. 2016", FuzzyDate.month(2016, 9)),
    (MILITARY_TIMES, "before Oct. 1", FuzzyDate.until(D(2017, 9, 30))),
    (MILITARY_TIMES, "after Oct. 1", FuzzyDate.since(D(2017, 10, 2))),
    (
        MILITARY_TIMES,
        "from Sept. 23 to Sept. 25",
        FuzzyDate.between(D(2017, 9, 23), D(2017, 9, 25)),
    ),
    (D(2018, 1, 3), "Dec. 30", FuzzyDate.exact(D(2017, 12, 30))),
    (D(2017, 12, 28), "on Jan. 5", FuzzyDate.exact(D(2018, 1, 5))),
    (None, "the summer of 2016", FuzzyDate.season(2016, Season.SUMMER)),
    (
        None,
        "early 2016",
        FuzzyDate.between(D(2016, 1, 1), D(2016, 4, 30), precision=YEAR),
    ),
    (
        None,
        "mid-2016",
        FuzzyDate.between(D(2016, 5, 1), D(2016, 8, 31), precision=YEAR),
    ),
    (
        None,
        "between summer 2016 and 2017",
        FuzzyDate.between(D(2016, 6, 1), D(2017, 12, 31), precision=YEAR),
    ),
    (None, "since April 2016", FuzzyDate(D(2016, 4, 1), None, precision=MONTH)),
    (None, "23 September 2017", FuzzyDate.exact(D(2017, 9, 23))),
    (None, "the 23rd of September, 2017", FuzzyDate.exact(D(2017, 9, 23))),
    (None, "Saturday, 23 Sept. 2017", FuzzyDate.exact(D(2017, 9, 23))),
    (None, "Sept. 23, 2017.", FuzzyDate.exact(D(2017, 9, 23))),
    (None, "on 2017-09-23", FuzzyDate.exact(D(2017, 9, 23))),
    (None, "23/09/2017", FuzzyDate.exact(D(2017, 9, 23))),
    (None, "Saturday 23/09/2017", FuzzyDate.exact(D(2017, 9, 23))),
]


class TestParse:
    """FuzzyDate.parse on EDTF and on the phrases of the seed articles."""

    @pytest.mark.parametrize(("anchor", "text", "expected"), PHRASES)
    def test_phrases(self, anchor, text, expected):
        """A phrase resolves against its anchor and keeps both."""
        result = FuzzyDate.parse(text, anchor=anchor)

        assert result == expected.with_phrase(text, anchor=anchor)

    def test_edtf_carries_no_phrase(self):
        """An EDTF string is read as such, without phrase or anchor."""
        result = FuzzyDate.parse(" 2017-09 ", anchor=MILITARY_TIMES)

        assert result == FuzzyDate.month(2017, 9)

    @pytest.mark.parametrize(
        ("anchor", "text", "message"),
        [
            (MILITARY_TIMES, "Thursday, Sept. 29", "2017-09-29 is a Friday, not a Thu"),
            (None, "Friday 28/09/2017", "2017-09-28 is a Thursday, not a Friday"),
            (MILITARY_TIMES, "Monday, Sept. 8-12", "names one day, not a range"),
            (MILITARY_TIMES, "September 12-8", "2017-09-12 is after latest 2017-09-08"),
            (MILITARY_TIMES, "Feb. 30", "2017-02-30 is not a day"),
            (None, "2017-13", "13 in 2017-13 is neither a month"),
            (None, "Sept. 31, 2017", "2017-09-31 is not a day"),
            (None, "yesterday", "needs anchor="),
            (None, "on Saturday", "needs anchor="),
            (None, "Sept. 23", "needs anchor="),
            (None, "over the summer", "needs anchor="),
            (None, "last September", "needs anchor="),
            (MILITARY_TIMES, "24 hours later", "counts from another event"),
            (MILITARY_TIMES, "the next day", "counts from another event"),
            (MILITARY_TIMES, "hello", "no rule reads 'hello'"),
            (MILITARY_TIMES, "10", "no rule reads '10'"),
            (MILITARY_TIMES, "this winter", "no rule reads 'this winter'"),
            (MILITARY_TIMES, "01/02/2017", "could be 2017-01-02 or 2017-02-01"),
            (MILITARY_TIMES, "since Nov. 1", "after latest 2017-10-04"),
            (D(2016, 6, 1), "earlier this month", "after latest 2016-05-31"),
            (D.min, "yesterday", "outside the calendar"),
            (MILITARY_TIMES, "since ..2017-10-01", "has no start to count from"),
            (MILITARY_TIMES, "until 2017-10-01..", "has no end to count to"),
            (MILITARY_TIMES, "before ..2017-10-01", "has no start to be before"),
            (MILITARY_TIMES, "after 2017-10-01..", "has no end to be after"),
        ],
    )
    def test_unresolvable_phrases_are_refused(self, anchor, text, message):
        """Impossible, contradictory or unanchored phrases raise, naming the phrase."""
        pattern = re.escape(f"cannot resolve {text!r}") + ".*" + message

        with pytest.raises(InvalidDateError, match=pattern):
            FuzzyDate.parse(text, anchor=anchor)

    def test_anchor_must_be_a_date(self):
        """A datetime anchor is refused before any resolving."""
        with pytest.raises(TypeError, match=r"anchor must be a datetime\.date"):
            FuzzyDate.parse("yesterday", anchor=dt.datetime(2017, 10, 4, tzinfo=dt.UTC))

    def test_month_and_weekday_names_are_dateutils(self):
        """The names phrases read are those of dateutil's parser, written out."""
        info = parser.parserinfo()
        assert [tuple(names) for names in info.MONTHS] == list(_phrases._MONTH_NAMES)
        assert [tuple(names) for names in info.WEEKDAYS] == list(_phrases._DAY_NAMES)
