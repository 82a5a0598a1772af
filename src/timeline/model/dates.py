# SPDX-License-Identifier: MIT
"""Dates known only to some precision, and the English phrases that state them.

A `FuzzyDate` is the set of days on which a reported thing could have happened:
a closed range of days, a range open at one end, or a short list of candidate
days ("one of"). It records the granularity the source stated (`Precision`),
and, when it was read from words, those words and the day they were read
against.

This is the only module that imports python-dateutil.
"""

import calendar
import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable
from typing import Final, Self

import attrs
from dateutil import parser
from dateutil.relativedelta import relativedelta

from timeline.errors import InvalidDateError
from timeline.model._checks import NOT_CONVERTED, register, shown

__all__ = ["Certainty", "FuzzyDate", "Precision", "Season"]


class Precision(enum.Enum):
    """The granularity a source stated a date in.

    It is a record of what was said, not a measure of the range: "earlier this
    month" is a range of days stated to the month.

    .. versionadded:: 0.1.0
    """

    # Members are singletons, equal only to themselves: hashing them by
    # identity, in C, agrees with that and spares `Enum.__hash__`, a Python
    # call made for every date a fold or a load hashes.
    __hash__ = object.__hash__

    DAY = "day"
    """Stated to the day, or as a range of days."""
    MONTH = "month"
    """Stated to the month ("in September", "earlier this month")."""
    SEASON = "season"
    """Stated to the season ("over the summer")."""
    YEAR = "year"
    """Stated to the year ("last year")."""


class Season(enum.Enum):
    """A northern meteorological season; the values are the EDTF season codes.

    Spring is March to May, summer June to August, autumn September to
    November, and the winter of a year runs from its December to the end of
    February of the next year.

    .. versionadded:: 0.1.0
    """

    SPRING = 21
    """March to May."""
    SUMMER = 22
    """June to August."""
    AUTUMN = 23
    """September to November."""
    WINTER = 24
    """December to the end of February of the next year."""


class Certainty(enum.Enum):
    """A tri-state answer to a question about fuzzy dates.

    .. versionadded:: 0.1.0
    """

    CERTAINLY = "certainly"
    """True whichever of the possible days is the real one."""
    POSSIBLY = "possibly"
    """True for some of the possible days, false for others."""
    NOT = "not"
    """False whichever of the possible days is the real one."""


# Finer precisions rank lower; intersections take the finer, hulls the coarser.
_RANK: Final = {
    Precision.DAY: 0,
    Precision.MONTH: 1,
    Precision.SEASON: 2,
    Precision.YEAR: 3,
}
_MIN_CHOICES: Final = 2
_MONTHS_PER_SEASON: Final = 3
_FIRST_SEASON_CODE: Final = Season.SPRING.value
_LAST_MONTH: Final = 12


def _require_day(name: str, value: object) -> None:
    # A datetime is a date subclass, but comparing one with a date raises, and
    # its time of day would claim a precision no report states.
    if value is not None and (
        not isinstance(value, dt.date) or isinstance(value, dt.datetime)
    ):
        msg = f"{name} must be a datetime.date, not {type(value).__name__} {value!r}"
        raise TypeError(msg)


def _require_text(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        msg = f"FuzzyDate.{name} must be a str or None, got {shown(value)}"
        raise TypeError(msg)


def _require_precision(value: object) -> None:
    if not isinstance(value, Precision):
        msg = f"precision must be a Precision, not {type(value).__name__} {value!r}"
        raise TypeError(msg)


def _day(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError) as error:
        msg = f"{year:04d}-{month:02d}-{day:02d} is not a day: {error}"
        raise InvalidDateError(msg) from error


def _add(day: dt.date, delta: relativedelta) -> dt.date:
    try:
        return day + delta
    except (ValueError, OverflowError) as error:
        msg = f"{day.isoformat()} moved by {delta} falls outside the calendar"
        raise InvalidDateError(msg) from error


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = _day(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _season_bounds(year: int, season: Season) -> tuple[dt.date, dt.date]:
    offset = season.value - _FIRST_SEASON_CODE + 1
    first = _day(year, _MONTHS_PER_SEASON * offset, 1)
    return first, _add(first, relativedelta(months=2, day=31))


def _days(values: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(values)


@attrs.frozen(weakref_slot=False)
class FuzzyDate:
    """A day known only to be one of a set of days.

    The possible days are every day from *earliest* to *latest* inclusive or,
    when *choices* is given, exactly those days. Prefer the named constructors;
    they say why a date is fuzzy.

    >>> import datetime as dt
    >>> d = FuzzyDate.month(2017, 9)
    >>> d.earliest, d.latest
    (datetime.date(2017, 9, 1), datetime.date(2017, 9, 30))
    >>> d.definitely_before(dt.date(2017, 10, 1))
    True
    >>> str(FuzzyDate.parse("on Saturday", anchor=dt.date(2016, 6, 18)))
    '2016-06-18'

    Args:
        earliest: First possible day, or None when the start is open.
        latest: Last possible day, or None when the end is open.
        precision: The granularity the source stated.
        choices: The candidate days of a "one of" date, at least two; then
            *earliest* and *latest* must be the first and last of them. Empty
            for every other date.
        phrase: The source's own words for the date, e.g. ``"on Saturday"``.
        anchor: The day *phrase* was resolved against, usually the
            publication day of the report.

    Raises:
        InvalidDateError: If both bounds are open, *earliest* is after
            *latest*, or *choices* has one day or does not span exactly the
            bounds.
        TypeError: If a date field holds something other than a
            `datetime.date` (a `datetime.datetime` included), *precision*
            is not a `Precision`, or *phrase* is not a string.

    Where an event's field wants a fuzzy date (*when*), a `datetime.date` is
    taken for the exact date of that day: ``when=dt.date(2017, 9, 21)`` holds
    ``FuzzyDate.exact(dt.date(2017, 9, 21))``. A string is refused, with the
    advice to parse it against the report's publication.

    .. versionadded:: 0.1.0
    """

    earliest: dt.date | None
    latest: dt.date | None
    precision: Precision = attrs.field(kw_only=True)
    choices: frozenset[dt.date] = attrs.field(
        kw_only=True, default=frozenset(), converter=_days
    )
    phrase: str | None = attrs.field(kw_only=True, default=None)
    anchor: dt.date | None = attrs.field(kw_only=True, default=None)

    def __attrs_post_init__(self) -> None:
        _require_day("earliest", self.earliest)
        _require_day("latest", self.latest)
        _require_day("anchor", self.anchor)
        _require_text("phrase", self.phrase)
        for choice in self.choices:
            _require_day("a choice", choice)
        _require_precision(self.precision)
        if self.earliest is None and self.latest is None:
            # A date open at both ends says nothing; refuse it rather than let
            # it match every query.
            msg = "a fuzzy date needs at least one bound, got neither"
            raise InvalidDateError(msg)
        if (
            self.earliest is not None
            and self.latest is not None
            and self.earliest > self.latest
        ):
            # A backwards range would silently match nothing downstream.
            msg = f"earliest {self.earliest} is after latest {self.latest}"
            raise InvalidDateError(msg)
        if self.choices:
            self._check_choices()

    def _check_choices(self) -> None:
        listed = ", ".join(day.isoformat() for day in sorted(self.choices))
        if len(self.choices) < _MIN_CHOICES:
            msg = f"a one-of date needs at least two distinct days, got {listed}"
            raise InvalidDateError(msg)
        if (self.earliest, self.latest) != (min(self.choices), max(self.choices)):
            msg = (
                f"choices {listed} do not span the bounds"
                f" {self.earliest}..{self.latest}"
            )
            raise InvalidDateError(msg)

    # -- Constructors ---------------------------------------------------------

    @classmethod
    def exact(cls, day: dt.date) -> Self:
        """Return a date known to the day.

        .. versionadded:: 0.1.0
        """
        return cls(day, day, precision=Precision.DAY)

    @classmethod
    def between(
        cls,
        earliest: dt.date,
        latest: dt.date,
        *,
        precision: Precision = Precision.DAY,
    ) -> Self:
        """Return a date somewhere from *earliest* to *latest*, both included.

        Args:
            earliest: First possible day.
            latest: Last possible day.
            precision: The granularity the source stated.

        Raises:
            InvalidDateError: If *earliest* is after *latest*.

        .. versionadded:: 0.1.0
        """
        return cls(earliest, latest, precision=precision)

    @classmethod
    def month(cls, year: int, month: int) -> Self:
        """Return a date known only to the month.

        >>> FuzzyDate.month(2017, 9).latest
        datetime.date(2017, 9, 30)

        Raises:
            InvalidDateError: If there is no such month.

        .. versionadded:: 0.1.0
        """
        first, last = _month_bounds(year, month)
        return cls(first, last, precision=Precision.MONTH)

    @classmethod
    def season(cls, year: int, season: Season) -> Self:
        """Return a date known only to the season.

        The winter of *year* starts in its December and ends in February of
        the next year.

        >>> str(FuzzyDate.season(2016, Season.WINTER).latest)
        '2017-02-28'

        Raises:
            InvalidDateError: If the season does not fit in the calendar.

        .. versionadded:: 0.1.0
        """
        first, last = _season_bounds(year, season)
        return cls(first, last, precision=Precision.SEASON)

    @classmethod
    def year(cls, year: int) -> Self:
        """Return a date known only to the year.

        Raises:
            InvalidDateError: If *year* is outside 1 to 9999.

        .. versionadded:: 0.1.0
        """
        return cls(_day(year, 1, 1), _day(year, 12, 31), precision=Precision.YEAR)

    @classmethod
    def one_of(cls, *days: dt.date) -> Self:
        """Return a date that is one of the given days, no other.

        Repeated days count once.

        Raises:
            InvalidDateError: If fewer than two distinct days are given.
            TypeError: If a day is not a `datetime.date`.

        .. versionadded:: 0.1.0
        """
        for day in days:
            _require_day("a choice", day)
        choices = frozenset(days)
        if len(choices) < _MIN_CHOICES:
            listed = ", ".join(day.isoformat() for day in sorted(choices))
            msg = f"one_of needs at least two distinct days, got [{listed}]"
            raise InvalidDateError(msg)
        return cls(min(choices), max(choices), precision=Precision.DAY, choices=choices)

    @classmethod
    def until(cls, day: dt.date) -> Self:
        """Return a date on or before *day*, with no known start.

        .. versionadded:: 0.1.0
        """
        return cls(None, day, precision=Precision.DAY)

    @classmethod
    def since(cls, day: dt.date) -> Self:
        """Return a date on or after *day*, with no known end.

        .. versionadded:: 0.1.0
        """
        return cls(day, None, precision=Precision.DAY)

    def with_phrase(self, phrase: str | None, *, anchor: dt.date | None) -> Self:
        """Return a copy that records the words it was read from.

        Args:
            phrase: The source's own words for the date.
            anchor: The day *phrase* was resolved against, or None.

        .. versionadded:: 0.1.0
        """
        return attrs.evolve(self, phrase=phrase, anchor=anchor)

    @classmethod
    def _copy_of(
        cls,
        value: "FuzzyDate",
        *,
        phrase: str | None = None,
        anchor: dt.date | None = None,
    ) -> Self:
        return cls(
            value.earliest,
            value.latest,
            precision=value.precision,
            choices=value.choices,
            phrase=phrase,
            anchor=anchor,
        )

    # -- Properties -----------------------------------------------------------

    @property
    def is_exact(self) -> bool:
        """Whether exactly one day is possible.

        .. versionadded:: 0.1.0
        """
        return self.earliest is not None and self.earliest == self.latest

    @property
    def midpoint(self) -> dt.date:
        """The day halfway between the bounds, or the known bound if one is open.

        Meant for plotting; the midpoint of a "one of" date need not be one of
        its choices.

        .. versionadded:: 0.1.0
        """
        if self.earliest is None or self.latest is None:
            return self._first if self.latest is None else self._last
        return self.earliest + dt.timedelta(
            days=(self.latest - self.earliest).days // 2
        )

    @property
    def sort_key(
        self,
    ) -> tuple[
        dt.date,
        dt.date,
        bool,
        bool,
        int,
        tuple[dt.date, ...],
        bool,
        str,
        bool,
        dt.date,
    ]:
        """A key that sorts dates by their bounds, open bounds outermost.

        Open bounds count as `datetime.date.min` and `datetime.date.max`.
        Later items break ties on every field, so two dates get the same key
        only if they are equal, and sorting never depends on input order.

        .. versionadded:: 0.1.0
        """
        return (
            self._first,
            self._last,
            self.earliest is not None,
            self.latest is None,
            _RANK[self.precision],
            tuple(sorted(self.choices)),
            self.phrase is not None,
            self.phrase or "",
            self.anchor is not None,
            self.anchor or dt.date.min,
        )

    @property
    def _first(self) -> dt.date:
        return dt.date.min if self.earliest is None else self.earliest

    @property
    def _last(self) -> dt.date:
        return dt.date.max if self.latest is None else self.latest

    def _allows(self, day: dt.date) -> bool:
        if self.choices:
            return day in self.choices
        return self._first <= day <= self._last

    # -- Relations ------------------------------------------------------------

    def before(self, other: "FuzzyDate | dt.date") -> Certainty:
        """Return whether this date falls before *other*.

        `Certainty.CERTAINLY` if every possible day is before every possible
        day of *other*, `Certainty.POSSIBLY` if some possible day is before
        some possible day of *other*, else `Certainty.NOT`.

        .. versionadded:: 0.1.0
        """
        other = _fuzzy(other)
        if (
            self.latest is not None
            and other.earliest is not None
            and self.latest < other.earliest
        ):
            return Certainty.CERTAINLY
        if self._first < other._last:
            return Certainty.POSSIBLY
        return Certainty.NOT

    def after(self, other: "FuzzyDate | dt.date") -> Certainty:
        """Return whether this date falls after *other*; see `before`.

        .. versionadded:: 0.1.0
        """
        return _fuzzy(other).before(self)

    def definitely_before(self, other: "FuzzyDate | dt.date") -> bool:
        """Return whether every reading of this date falls before *other*.

        .. versionadded:: 0.1.0
        """
        return self.before(other) is Certainty.CERTAINLY

    def possibly_before(self, other: "FuzzyDate | dt.date") -> bool:
        """Return whether some reading of this date falls before *other*.

        .. versionadded:: 0.1.0
        """
        return self.before(other) is not Certainty.NOT

    def definitely_after(self, other: "FuzzyDate | dt.date") -> bool:
        """Return whether every reading of this date falls after *other*.

        .. versionadded:: 0.1.0
        """
        return self.after(other) is Certainty.CERTAINLY

    def possibly_after(self, other: "FuzzyDate | dt.date") -> bool:
        """Return whether some reading of this date falls after *other*.

        .. versionadded:: 0.1.0
        """
        return self.after(other) is not Certainty.NOT

    def contains(self, day: dt.date) -> Certainty:
        """Return whether *day* is the day this date stands for.

        `Certainty.CERTAINLY` only for an exact date on *day*;
        `Certainty.POSSIBLY` if *day* is one of several possible days.

        >>> import datetime as dt
        >>> FuzzyDate.month(2017, 9).contains(dt.date(2017, 9, 23))
        <Certainty.POSSIBLY: 'possibly'>

        .. versionadded:: 0.1.0
        """
        if not self._allows(day):
            return Certainty.NOT
        if self.is_exact:
            return Certainty.CERTAINLY
        return Certainty.POSSIBLY

    def overlaps(self, other: "FuzzyDate | dt.date") -> bool:
        """Return whether the two dates share a possible day.

        .. versionadded:: 0.1.0
        """
        other = _fuzzy(other)
        if self.choices or other.choices:
            return self.intersection(other) is not None
        # Two ranges: no need to build their intersection to know it exists.
        earliest = _pick(max, self.earliest, other.earliest)
        latest = _pick(min, self.latest, other.latest)
        return earliest is None or latest is None or earliest <= latest

    def intersection(self, other: "FuzzyDate | dt.date") -> "FuzzyDate | None":
        """Return the days possible for both dates, or None if there are none.

        The result has the finer of the two precisions and no phrase or anchor.

        .. versionadded:: 0.1.0
        """
        other = _fuzzy(other)
        precision = min(self.precision, other.precision, key=_RANK.__getitem__)
        if self.choices or other.choices:
            common = sorted(
                day
                for day in self.choices | other.choices
                if self._allows(day) and other._allows(day)
            )
            if not common:
                return None
            if len(common) == 1:
                return FuzzyDate(common[0], common[0], precision=precision)
            return FuzzyDate(common[0], common[-1], precision=precision, choices=common)
        earliest = _pick(max, self.earliest, other.earliest)
        latest = _pick(min, self.latest, other.latest)
        if earliest is not None and latest is not None and earliest > latest:
            return None
        return FuzzyDate(earliest, latest, precision=precision)

    def hull(self, other: "FuzzyDate | dt.date") -> "FuzzyDate":
        """Return the smallest range holding every possible day of both dates.

        The result is always a range (never "one of"), open where either date
        is open, with the coarser of the two precisions and no phrase or
        anchor. A hull that would be open at both ends, which `FuzzyDate`
        cannot hold, starts at `datetime.date.min` instead: it still allows
        every day.

        .. versionadded:: 0.1.0
        """
        other = _fuzzy(other)
        open_end = self.latest is None or other.latest is None
        open_start = not open_end and (self.earliest is None or other.earliest is None)
        return FuzzyDate(
            None if open_start else min(self._first, other._first),
            None if open_end else max(self._last, other._last),
            precision=max(self.precision, other.precision, key=_RANK.__getitem__),
        )

    # -- EDTF -----------------------------------------------------------------

    def to_edtf(self) -> str:
        """Return the date in Extended Date/Time Format (ISO 8601-2).

        A single day is ``2017-09-23``. A whole month, season or year stated
        to that precision is ``2017-09``, ``2017-21`` (spring; 22 summer, 23
        autumn, 24 winter) or ``2017``. Any other range is
        ``2017-09-23/2017-09-24``, a "one of" date ``[2017-09-23,2017-09-24]``,
        and open ranges ``..2017-10-01`` and ``2017-10-01..``.

        Phrase and anchor are not written. Precision is written only through
        the compact forms, so ``from_edtf(d.to_edtf()).precision`` equals
        ``d.precision`` exactly when the compact form was used or the
        precision is `Precision.DAY`; otherwise it comes back as DAY.

        >>> FuzzyDate.season(2017, Season.SUMMER).to_edtf()
        '2017-22'

        .. versionadded:: 0.1.0
        """
        if self.choices:
            return "[" + ",".join(day.isoformat() for day in sorted(self.choices)) + "]"
        if self.earliest is None:
            return f"..{self._last.isoformat()}"
        if self.latest is None:
            return f"{self.earliest.isoformat()}.."
        if self.earliest == self.latest:
            return self.earliest.isoformat()
        compact = self._compact_edtf(self.earliest)
        if compact is not None:
            return compact
        return f"{self.earliest.isoformat()}/{self.latest.isoformat()}"

    def _compact_edtf(self, first: dt.date) -> str | None:
        match self.precision:
            case Precision.MONTH:
                bounds = _month_bounds(first.year, first.month)
                text = f"{first.year:04d}-{first.month:02d}"
            case Precision.YEAR:
                bounds = (_day(first.year, 1, 1), _day(first.year, 12, 31))
                text = f"{first.year:04d}"
            case Precision.SEASON if first.month % _MONTHS_PER_SEASON == 0:
                code = _FIRST_SEASON_CODE - 1 + first.month // _MONTHS_PER_SEASON
                try:
                    bounds = _season_bounds(first.year, Season(code))
                except InvalidDateError:
                    return None
                text = f"{first.year:04d}-{code}"
            case _:
                return None
        return text if bounds == (self.earliest, self.latest) else None

    @classmethod
    def from_edtf(cls, text: str) -> Self:
        """Return the date an EDTF string denotes.

        Reads every form `to_edtf` writes, and also ``../2017-10-01`` and
        ``2017-10-01/..`` for open ranges. Compact forms give their own
        precision; ranges, open ranges and sets give `Precision.DAY`.

        >>> FuzzyDate.from_edtf("2017-09").precision
        <Precision.MONTH: 'month'>
        >>> FuzzyDate.from_edtf("[2017-09-23,2017-09-24]").contains(
        ...     dt.date(2017, 9, 23)
        ... )
        <Certainty.POSSIBLY: 'possibly'>

        Raises:
            InvalidDateError: If *text* is not one of those forms, or names a
                day, month or season that does not exist.

        .. versionadded:: 0.1.0
        """
        value = _read_edtf(text)
        if value is None:
            msg = f"{text!r} is not an EDTF date this library reads"
            raise InvalidDateError(msg)
        return cls._copy_of(value)

    def __str__(self) -> str:
        return self.to_edtf()

    # -- Phrases --------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, *, anchor: dt.date | None = None) -> Self:
        """Return the date that *text* states.

        EDTF strings (see `from_edtf`) are read as such and carry no phrase.
        Anything else is read as an English phrase from a report, resolved
        against *anchor* (the day the report was published), and the result
        keeps *text* as its phrase and *anchor* as its anchor. Matching
        ignores case, surrounding punctuation and a leading "on", "in",
        "during", "over" or "just".

        Phrases it reads, with the rule each follows:

        - ``today``, ``yesterday``.
        - A weekday (``on Saturday``): the latest such day on or before the
          anchor, so the anchor itself if it is that weekday.
        - A day of a month (``Sept. 23``, ``23 September 2017``,
          ``Thursday, Sept. 28``). A named weekday must agree with the day.
          Without a year, the month is looked for from two months after the
          anchor's month back to nine months before it, so "Dec. 30" in a
          January report is last December and "Feb. 3" in an October report
          is this year's February.
        - A day range within a month (``September 8-12``), DAY precision.
        - A month (``September``, ``Sept. 2017``), MONTH precision, and its
          thirds: ``early`` (days 1-10), ``mid`` (11-20) and ``late`` (21 to
          the end), MONTH precision.
        - Thirds of a year: ``early 2016`` (Jan-Apr), ``mid-2016``
          (May-Aug), ``late 2016`` (Sep-Dec), YEAR precision.
        - A season with a year (``summer 2017``, ``the winter of 2016``), or
          without one (``over the summer``, ``in the spring``): the latest
          such season starting on or before the anchor, SEASON precision.
          ``this <season>`` is refused: in October "this winter" is the coming
          one, while "this summer" is the one just past.
        - ``last <month>`` and ``last <season>``: the latest one that ended
          before the anchor's month or day.
        - ``this week`` (Monday to the anchor, DAY), ``this month``,
          ``last month``, ``this year``, ``last year``; ``earlier this
          month`` and ``earlier this year`` run from the first day of the
          period to the day before the anchor, with MONTH or YEAR precision.
        - ``since X``: from the start of X to the anchor, or open-ended
          without an anchor; ``until X`` (also ``up until``, ``till``,
          ``through``): open start, to the end of X; ``before X`` and
          ``after X``: open ranges excluding X. They keep X's precision, so
          ``since early April`` in a 2016-06-18 report is
          2016-04-01/2016-06-18, MONTH precision.
        - ``between X and Y``, ``from X to Y``: the start of X to the end of
          Y, with the coarser precision.
        - A phrase that counts from another event and then states the date
          (``just 24 hours later, on Sept. 25``) is the stated date.
        - Otherwise a full date python-dateutil reads, such as
          ``23/09/2017``, provided the text states year, month and day and
          reads the same day-first and month-first.

        A phrase that only counts from another event (``24 hours later``,
        ``the next day``) is refused: the anchor is the publication day, not
        that event, so resolving it would be a guess.

        >>> import datetime as dt
        >>> published = dt.date(2016, 6, 18)
        >>> FuzzyDate.parse("earlier this month", anchor=published).to_edtf()
        '2016-06-01/2016-06-17'

        Args:
            text: An EDTF string or an English date phrase.
            anchor: The day relative phrases count from, usually the
                publication day of the report.

        Raises:
            InvalidDateError: If *text* names no real day (``Feb. 30``,
                ``2017-13``), contradicts itself (``Thursday, Sept. 29`` in
                2017), is relative and *anchor* is None, or matches no rule.
                The message names *text*.

        .. versionadded:: 0.1.0
        """
        _require_day("anchor", anchor)
        try:
            value = _read_edtf(text.strip())
            if value is not None:
                return cls._copy_of(value)
            value = _resolve(_normalize(text), anchor)
        except InvalidDateError as error:
            against = "" if anchor is None else f" against {anchor.isoformat()}"
            msg = f"cannot resolve {text!r}{against}: {error}"
            raise InvalidDateError(msg) from error
        return cls._copy_of(value, phrase=text, anchor=anchor)


def _fuzzy(value: FuzzyDate | dt.date) -> FuzzyDate:
    return value if isinstance(value, FuzzyDate) else FuzzyDate.exact(value)


def _fuzzy_date_from(value: object) -> object:
    # A day is the exact date of that day. A datetime is a date too, for
    # Python, but its time of day would claim what no report states.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return FuzzyDate.exact(value)
    return NOT_CONVERTED


def _fuzzy_date_hint(value: object) -> str | None:
    if isinstance(value, str):
        return f"use FuzzyDate.parse({value!r}, anchor=report.published)"
    if isinstance(value, dt.datetime):
        return (
            "a datetime is not taken for a valid-time date, which is days: pass "
            f"FuzzyDate.exact({value.date()!r}) if the day is what is meant"
        )
    return None


register(FuzzyDate, convert=_fuzzy_date_from, hint=_fuzzy_date_hint)


def _pick(
    choose: Callable[[dt.date, dt.date], dt.date],
    first: dt.date | None,
    second: dt.date | None,
) -> dt.date | None:
    if first is None or second is None:
        return second if first is None else first
    return choose(first, second)


# -- EDTF reading -------------------------------------------------------------

_ISO_DAY: Final = r"\d{4}-\d{2}-\d{2}"
_EDTF_DAY: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_EDTF_PERIOD: Final = re.compile(r"(\d{4})(?:-(\d{2}))?")
_EDTF_INTERVAL: Final = re.compile(rf"({_ISO_DAY}|\.\.)/({_ISO_DAY}|\.\.)")
_EDTF_OPEN_START: Final = re.compile(rf"\.\.({_ISO_DAY})")
_EDTF_OPEN_END: Final = re.compile(rf"({_ISO_DAY})\.\.")
_EDTF_SET: Final = re.compile(rf"\[\s*({_ISO_DAY}(?:\s*,\s*{_ISO_DAY})+)\s*\]")


def _iso_day(text: str) -> dt.date:
    year, month, day = text.split("-")
    return _day(int(year), int(month), int(day))


def _read_edtf(text: str) -> FuzzyDate | None:
    """Return the date an EDTF string denotes, or None if it is not EDTF."""
    if _EDTF_DAY.fullmatch(text):
        return FuzzyDate.exact(_iso_day(text))
    if match := _EDTF_PERIOD.fullmatch(text):
        return _read_period(int(match[1]), match[2])
    if match := _EDTF_INTERVAL.fullmatch(text):
        start, end = (
            None if part == ".." else _iso_day(part) for part in match.groups()
        )
        return FuzzyDate(start, end, precision=Precision.DAY)
    if match := _EDTF_OPEN_START.fullmatch(text):
        return FuzzyDate.until(_iso_day(match[1]))
    if match := _EDTF_OPEN_END.fullmatch(text):
        return FuzzyDate.since(_iso_day(match[1]))
    if match := _EDTF_SET.fullmatch(text):
        return FuzzyDate.one_of(
            *(_iso_day(part.strip()) for part in match[1].split(","))
        )
    return None


def _read_period(year: int, code: str | None) -> FuzzyDate:
    if code is None:
        return FuzzyDate.year(year)
    number = int(code)
    if 1 <= number <= _LAST_MONTH:
        return FuzzyDate.month(year, number)
    if number in {season.value for season in Season}:
        return FuzzyDate.season(year, Season(number))
    msg = f"{code} in {year:04d}-{code} is neither a month (01-12) nor a season (21-24)"
    raise InvalidDateError(msg)


# -- Phrase reading -----------------------------------------------------------

# dateutil's parserinfo supplies the English month and weekday names.
_INFO: Final = parser.parserinfo()
_MONTH_NUMBERS: Final = {
    name.lower(): number
    for number, names in enumerate(_INFO.MONTHS, start=1)
    for name in names
}
_WEEKDAY_NUMBERS: Final = {
    name.lower(): number
    for number, names in enumerate(_INFO.WEEKDAYS)
    for name in names
}
_WEEKDAY_NAMES: Final = tuple(names[-1] for names in _INFO.WEEKDAYS)
# A month named without a year is looked for from this many months after the
# anchor's month back to nine months before it: reports mostly tell of the past,
# and sometimes announce what is due soon.
_MONTHS_AHEAD: Final = 2


def _alternatives(groups: Iterable[Iterable[str]]) -> str:
    names = {name.lower() for group in groups for name in group}
    return "|".join(sorted(names, key=lambda name: (-len(name), name)))


_MONTH: Final = rf"(?P<month>{_alternatives(_INFO.MONTHS)})\.?"
_WEEKDAY: Final = rf"(?P<weekday>{_alternatives(_INFO.WEEKDAYS)})\.?"
_SEASONS: Final = {
    "spring": Season.SPRING,
    "summer": Season.SUMMER,
    "autumn": Season.AUTUMN,
    "fall": Season.AUTUMN,
    "winter": Season.WINTER,
}
_SEASON: Final = rf"(?P<season>{_alternatives([_SEASONS])})"
_YEAR: Final = r"(?P<year>\d{4})"
_ORDINAL: Final = r"(?:st|nd|rd|th)?"
_DAYS: Final = rf"(?P<day>\d{{1,2}}){_ORDINAL}(?:\s*-\s*(?P<last>\d{{1,2}}){_ORDINAL})?"
_PART: Final = r"(?P<part>early|mid|late)(?:\s+|-)"
# Thirds of a month (first and last day) and of a year (first and last month).
_MONTH_PARTS: Final = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_PARTS: Final = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PREFIX: Final = re.compile(r"(?:on|in|during|over|just)\s+")
# Words that count from some other event the report mentions.
_EVENT_RELATIVE: Final = (
    r"[^,]*\b(?:later|afterwards?|earlier|before|after"
    r"|the (?:next|following|previous) day)"
)
_FULL_DATE_DEFAULTS: Final = (
    dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2004, 2, 2, tzinfo=dt.UTC),
)

_Rule = Callable[[re.Match[str], dt.date | None], FuzzyDate]


def _normalize(text: str) -> str:
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    text = " ".join(text.split()).strip(" ,;:!?\"'\u201c\u201d")
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _resolve(text: str, anchor: dt.date | None) -> FuzzyDate:
    while match := _PREFIX.match(text):
        text = text[match.end() :]
    value = _read_edtf(text)
    if value is not None:
        return value
    for pattern, rule in _RULES:
        if match := pattern.fullmatch(text):
            return rule(match, anchor)
    day = _full_date(text)
    if day is None:
        msg = f"no rule reads {text!r}"
        raise InvalidDateError(msg)
    return FuzzyDate.exact(day)


def _need(anchor: dt.date | None) -> dt.date:
    if anchor is None:
        msg = "the phrase is relative and needs anchor= (the publication day)"
        raise InvalidDateError(msg)
    return anchor


def _year_near(month: int, anchor: dt.date | None) -> int:
    """Return the year of *month* in the window around the anchor's month."""
    anchor = _need(anchor)
    if (month - anchor.month) % 12 <= _MONTHS_AHEAD:
        return anchor.year + (month < anchor.month)
    return anchor.year - (month > anchor.month)


def _year_of(match: re.Match[str], month: int, anchor: dt.date | None) -> int:
    stated = match["year"]
    return _year_near(month, anchor) if stated is None else int(stated)


def _check_weekday(day: dt.date, name: str | None) -> None:
    if name is not None and _WEEKDAY_NUMBERS[name] != day.weekday():
        actual = _WEEKDAY_NAMES[day.weekday()]
        msg = f"{day.isoformat()} is a {actual}, not a {name.capitalize()}"
        raise InvalidDateError(msg)


def _on_weekday(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    anchor = _need(anchor)
    back = (anchor.weekday() - _WEEKDAY_NUMBERS[match["weekday"]]) % 7
    return FuzzyDate.exact(_add(anchor, relativedelta(days=-back)))


def _day_of_month(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    month = _MONTH_NUMBERS[match["month"]]
    year = _year_of(match, month, anchor)
    first = _day(year, month, int(match["day"]))
    if match["last"] is None:
        _check_weekday(first, match["weekday"])
        return FuzzyDate.exact(first)
    if match["weekday"] is not None:
        msg = f"a weekday ({match['weekday']}) names one day, not a range"
        raise InvalidDateError(msg)
    return FuzzyDate.between(first, _day(year, month, int(match["last"])))


def _whole_month(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    month = _MONTH_NUMBERS[match["month"]]
    year = _year_of(match, month, anchor)
    if match["part"] is None:
        return FuzzyDate.month(year, month)
    first, last = _month_bounds(year, month)
    start, end = _MONTH_PARTS[match["part"]]
    return FuzzyDate.between(
        first.replace(day=start),
        first.replace(day=min(end, last.day)),
        precision=Precision.MONTH,
    )


def _part_of_year(match: re.Match[str], _: dt.date | None) -> FuzzyDate:
    year = int(match["year"])
    first, last = _YEAR_PARTS[match["part"]]
    return FuzzyDate.between(
        _month_bounds(year, first)[0],
        _month_bounds(year, last)[1],
        precision=Precision.YEAR,
    )


def _season_named(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    season = _SEASONS[match["season"]]
    if match["year"] is not None:
        return FuzzyDate.season(int(match["year"]), season)
    anchor = _need(anchor)
    year = anchor.year
    if _season_bounds(year, season)[0] > anchor:
        year -= 1
    return FuzzyDate.season(year, season)


def _last_named(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    anchor = _need(anchor)
    if match["month"] is not None:
        month = _MONTH_NUMBERS[match["month"]]
        return FuzzyDate.month(anchor.year - (month >= anchor.month), month)
    season = _SEASONS[match["season"]]
    year = anchor.year
    while _season_bounds(year, season)[1] >= anchor:
        year -= 1
    return FuzzyDate.season(year, season)


def _relative_word(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    anchor = _need(anchor)
    return _RELATIVE_WORDS[match[0]](anchor)


def _earlier_in(first: dt.date, anchor: dt.date, precision: Precision) -> FuzzyDate:
    return FuzzyDate.between(
        first, _add(anchor, relativedelta(days=-1)), precision=precision
    )


def _last_month(anchor: dt.date) -> FuzzyDate:
    previous = _add(anchor, relativedelta(months=-1))
    return FuzzyDate.month(previous.year, previous.month)


_RELATIVE_WORDS: Final[dict[str, Callable[[dt.date], FuzzyDate]]] = {
    "today": FuzzyDate.exact,
    "yesterday": lambda anchor: FuzzyDate.exact(_add(anchor, relativedelta(days=-1))),
    "this week": lambda anchor: FuzzyDate.between(
        _add(anchor, relativedelta(days=-anchor.weekday())), anchor
    ),
    "this month": lambda anchor: FuzzyDate.month(anchor.year, anchor.month),
    "earlier this month": lambda anchor: _earlier_in(
        anchor.replace(day=1), anchor, Precision.MONTH
    ),
    "last month": _last_month,
    "this year": lambda anchor: FuzzyDate.year(anchor.year),
    "earlier this year": lambda anchor: _earlier_in(
        anchor.replace(month=1, day=1), anchor, Precision.YEAR
    ),
    "last year": lambda anchor: FuzzyDate.year(anchor.year - 1),
}


def _stated_after_offset(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    return _resolve(match["rest"], anchor)


def _offset_only(match: re.Match[str], _: dt.date | None) -> FuzzyDate:
    msg = (
        f"{match[0]!r} counts from another event, not from the publication day;"
        " state the day it comes to (e.g. 'a day later, on Sept. 25')"
    )
    raise InvalidDateError(msg)


def _since(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    start = _resolve(match["rest"], anchor)
    if start.earliest is None:
        msg = f"{match['rest']!r} has no start to count from"
        raise InvalidDateError(msg)
    return FuzzyDate(start.earliest, anchor, precision=start.precision)


def _until(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    end = _resolve(match["rest"], anchor)
    if end.latest is None:
        msg = f"{match['rest']!r} has no end to count to"
        raise InvalidDateError(msg)
    return FuzzyDate(None, end.latest, precision=end.precision)


def _before(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    end = _resolve(match["rest"], anchor)
    if end.earliest is None:
        msg = f"{match['rest']!r} has no start to be before"
        raise InvalidDateError(msg)
    day = _add(end.earliest, relativedelta(days=-1))
    return FuzzyDate(None, day, precision=end.precision)


def _after(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    start = _resolve(match["rest"], anchor)
    if start.latest is None:
        msg = f"{match['rest']!r} has no end to be after"
        raise InvalidDateError(msg)
    day = _add(start.latest, relativedelta(days=1))
    return FuzzyDate(day, None, precision=start.precision)


def _span(match: re.Match[str], anchor: dt.date | None) -> FuzzyDate:
    start = _resolve(match["start"], anchor)
    end = _resolve(match["end"], anchor)
    precision = max(start.precision, end.precision, key=_RANK.__getitem__)
    return FuzzyDate(start.earliest, end.latest, precision=precision)


def _full_date(text: str) -> dt.date | None:
    """Return the day dateutil reads in *text*, if the text states all of it.

    dateutil fills unstated parts from a default and silently picks an order
    for ``01/02/2017``; reading with two defaults and both orders exposes
    either guess.
    """
    try:
        first, second = (
            parser.parse(text, default=default) for default in _FULL_DATE_DEFAULTS
        )
        swapped = parser.parse(text, default=_FULL_DATE_DEFAULTS[0], dayfirst=True)
    except (ValueError, OverflowError):
        return None
    if first.date() != second.date():
        return None
    if swapped.date() != first.date():
        msg = (
            f"{text!r} could be {first.date().isoformat()}"
            f" or {swapped.date().isoformat()}; write the month as a word"
        )
        raise InvalidDateError(msg)
    if weekday := re.search(rf"\b{_WEEKDAY}(?=\W|$)", text):
        _check_weekday(first.date(), weekday["weekday"])
    return first.date()


_RULES: Final[tuple[tuple[re.Pattern[str], _Rule], ...]] = (
    (
        re.compile(rf"(?P<offset>{_EVENT_RELATIVE}),\s*(?P<rest>.+)"),
        _stated_after_offset,
    ),
    (re.compile(_EVENT_RELATIVE), _offset_only),
    (re.compile(r"since\s+(?P<rest>.+)"), _since),
    (re.compile(r"(?:(?:up\s+)?until|till|through)\s+(?P<rest>.+)"), _until),
    (re.compile(r"before\s+(?P<rest>.+)"), _before),
    (re.compile(r"after\s+(?P<rest>.+)"), _after),
    (re.compile(r"between\s+(?P<start>.+?)\s+and\s+(?P<end>.+)"), _span),
    (re.compile(r"from\s+(?P<start>.+?)\s+(?:to|until|through)\s+(?P<end>.+)"), _span),
    (re.compile("|".join(_RELATIVE_WORDS)), _relative_word),
    (re.compile(rf"last\s+(?:{_SEASON}|{_MONTH})"), _last_named),
    (re.compile(_WEEKDAY), _on_weekday),
    (
        re.compile(rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAYS}(?:,?\s+{_YEAR})?"),
        _day_of_month,
    ),
    (
        re.compile(
            rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAYS}\s+(?:of\s+)?{_MONTH},?"
            rf"(?:\s+{_YEAR})?"
        ),
        _day_of_month,
    ),
    (re.compile(rf"(?:{_PART})?{_MONTH},?(?:\s+{_YEAR})?"), _whole_month),
    (re.compile(rf"{_PART}{_YEAR}"), _part_of_year),
    (
        re.compile(rf"(?:the\s+)?{_SEASON}(?:\s+(?:of\s+)?{_YEAR})?"),
        _season_named,
    ),
)
