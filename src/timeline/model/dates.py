# SPDX-License-Identifier: MIT
"""Dates known only to some precision, and the English phrases that state them.

A `FuzzyDate` is the set of days on which a reported thing could have happened:
a closed range of days, a range open at one end, or a short list of candidate
days ("one of"). It records the granularity the source stated (`Precision`),
and, when it was read from words, those words and the day they were read
against.

The rules `FuzzyDate.parse` reads English phrases by live in
``timeline.model._phrases``, EDTF's in ``timeline.model._edtf``.
"""

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Final, Self

import attrs

from timeline.errors import InvalidDateError
from timeline.model import _edtf
from timeline.model._calendar import _day, _month_bounds, is_english
from timeline.model._checks import NOT_CONVERTED, register, shown

__all__ = ["Certainty", "FuzzyDate", "Precision", "Qualifier", "Season"]


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


class Qualifier(enum.Enum):
    """How a source hedges its date: EDTF's qualifiers.

    A qualifier does not move the bounds: ``1984?`` and ``1984~`` allow the
    days of 1984, as ``1984`` does; widening them is left to the caller.

    .. versionadded:: 0.2.0
    """

    __hash__ = object.__hash__

    UNCERTAIN = "?"
    """The source is unsure of it (EDTF ``?``): "possibly 1984"."""
    APPROXIMATE = "~"
    """The source gives it roughly (EDTF ``~``): "circa 1984"."""
    UNCERTAIN_AND_APPROXIMATE = "%"
    """Both (``%``), or parts of each (``2004?-06-~11``)."""


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
_RANK: Final = {precision: rank for rank, precision in enumerate(Precision)}
_MIN_CHOICES: Final = 2
_SHOWN: Final = 80  # characters of a refused text that a message repeats


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


def _require_qualifier(value: object) -> None:
    if value is not None and not isinstance(value, Qualifier):
        msg = f"qualifier must be a Qualifier or None, got {shown(value)}"
        raise TypeError(msg)


def _require_precision(value: object) -> None:
    if not isinstance(value, Precision):
        msg = f"precision must be a Precision, not {type(value).__name__} {value!r}"
        raise TypeError(msg)


def _season_bounds(year: int, season: Season) -> tuple[dt.date, dt.date]:
    return _edtf.season_bounds(year, season.value)


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
        qualifier: The EDTF qualifier the source's date carries ("possibly",
            "circa"), or None; it does not move the bounds.
        notation: The EDTF text of a date whose EDTF says more than the
            other fields (unspecified digits ``199X``, a set of years, an
            interval with an unknown end or ends of two precisions, a
            date-time), in its canonical spelling; None when `to_edtf`
            writes the date from the other fields, as for every date not
            read from such EDTF. See "EDTF" in the reference.

    Raises:
        InvalidDateError: If both bounds are open, *earliest* is after
            *latest*, *choices* has one day or does not span exactly the
            bounds, or *notation* is not canonical EDTF denoting exactly
            the other fields, or is what `to_edtf` writes without it.
        TypeError: If a date field holds something other than a
            `datetime.date` (a `datetime.datetime` included), *precision*
            is not a `Precision`, *qualifier* not a `Qualifier`, or
            *phrase* or *notation* is not a string.

    Where an event's field wants a fuzzy date (*when*), a `datetime.date` is
    taken for the exact date of that day: ``when=dt.date(2017, 9, 21)`` holds
    ``FuzzyDate.exact(dt.date(2017, 9, 21))``. A string is refused, with the
    advice to parse it against the report's publication.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The *qualifier* and *notation* fields.
    """

    earliest: dt.date | None
    latest: dt.date | None
    precision: Precision = attrs.field(kw_only=True)
    choices: frozenset[dt.date] = attrs.field(
        kw_only=True, default=frozenset(), converter=_days
    )
    phrase: str | None = attrs.field(kw_only=True, default=None)
    anchor: dt.date | None = attrs.field(kw_only=True, default=None)
    qualifier: Qualifier | None = attrs.field(kw_only=True, default=None)
    notation: str | None = attrs.field(kw_only=True, default=None)

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
        _require_qualifier(self.qualifier)
        _require_text("notation", self.notation)
        if self.notation is not None:
            _edtf.check_notation(
                self.notation,
                (self.earliest, self.latest),
                self.precision.value,
                self.choices,
                None if self.qualifier is None else self.qualifier.value,
            )

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
            qualifier=value.qualifier,
            notation=value.notation,
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
        str,
        str,
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
            "" if self.qualifier is None else self.qualifier.value,
            "" if self.notation is None else self.notation,
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

        The result has the finer of the two precisions and no phrase, anchor,
        qualifier or notation.

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
        is open, with the coarser of the two precisions and no phrase,
        anchor, qualifier or notation. A hull that would be open at both
        ends, which `FuzzyDate` cannot hold, starts at `datetime.date.min`
        instead: it still allows every day.

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

        A date with a *notation* is written as that. Otherwise: a day is
        ``2017-09-23``; a whole month, season or year stated to that
        precision ``2017-09``, ``2017-21`` (spring; 22 summer, 23 autumn, 24
        winter) or ``2017``; a range of whole months or years stated so
        ``2004-06/2006-08`` or ``1964/2008``, any other range
        ``2017-09-23/2017-09-24``; open ranges ``../2017-10-01`` and
        ``2017-10-01/..``; a "one of" date ``[2017-09-23,2017-09-24]``. The
        qualifier follows each date: ``1984?``, ``1964~/2008~``.

        Phrase and anchor are not written. Precision is written only through
        the forms of months, seasons and years, so ``from_edtf(d.to_edtf())``
        equals *d* without its phrase and anchor, except that a range
        written in days reads back with `Precision.DAY`.

        >>> FuzzyDate.season(2017, Season.SUMMER).to_edtf()
        '2017-22'
        >>> FuzzyDate.from_edtf("199X").to_edtf()
        '199X'

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2.0 Open ranges as EDTF spells them
           (``../day``, not ``..day``); ranges of months and years; qualifiers.
        """
        if self.notation is not None:
            return self.notation
        return _edtf.write(
            self.earliest,
            self.latest,
            self.precision.value,
            None if self.qualifier is None else self.qualifier.value,
            self.choices,
        )

    @classmethod
    def from_edtf(cls, text: str) -> Self:
        """Return the date an EDTF string denotes.

        Reads EDTF levels 0 and 1 whole, and sets of level 2 (see "EDTF" in
        the reference for the list, and what a date holds of each form).
        Months, seasons, years and ranges of them give their own precision,
        unspecified digits that of their last component (``1999-XX`` is
        MONTH), an interval or set the coarsest of its dates.

        >>> FuzzyDate.from_edtf("2017-09").precision
        <Precision.MONTH: 'month'>
        >>> FuzzyDate.from_edtf("1984?").qualifier
        <Qualifier.UNCERTAIN: '?'>

        Raises:
            InvalidDateError: If *text* is not EDTF, is malformed, names a
                day, month or season that does not exist, or days outside
                the years 1 to 9999 that Python's dates hold. The message
                names *text* and what is wrong.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2.0 All of EDTF levels 0 and 1, and sets.
        """
        shown = repr(text) if len(text) <= _SHOWN else f"{text[:_SHOWN]!r}..."
        try:
            value = _read_edtf(text)
        except InvalidDateError as error:
            msg = f"{shown} is not an EDTF date this library reads: {error}"
            raise InvalidDateError(msg) from error
        if value is None:
            msg = f"{shown} is not an EDTF date this library reads"
            raise InvalidDateError(msg)
        return cls._copy_of(value)

    def __str__(self) -> str:
        return self.to_edtf()

    # -- Phrases --------------------------------------------------------------

    @classmethod
    def parse(
        cls, text: str, *, anchor: dt.date | None = None, language: str | None = None
    ) -> Self:
        """Return the date that *text* states.

        Text shaped as EDTF (see `from_edtf`) is read as EDTF, qualifier
        included (``1984?``), and carries no phrase; invalid EDTF is refused.
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

        A phrase in another language is read when *language* names it (a
        BCP 47 tag, as ``Report.language`` holds):
        ``FuzzyDate.parse("v sobotu", anchor=published, language="cs")``.
        Such phrases go to dateparser, an optional extra (``pip install
        'contested-timeline[languages]'``), and then, if it reads nothing,
        to the rules above, which read numeric dates in any language. See
        ``timeline.model._languages`` for what a period becomes and which
        languages are tested.

        Args:
            text: An EDTF string or a date phrase.
            anchor: The day relative phrases count from, usually the
                publication day of the report.
            language: The phrase's language, a BCP 47 tag; None or English
                (``en``, ``en-GB``...) for the English rules alone.

        Raises:
            InvalidDateError: If *text* names no real day (``Feb. 30``,
                ``2017-13``), contradicts itself (``Thursday, Sept. 29`` in
                2017), is relative and *anchor* is None, or matches no rule;
                or *language* is not a BCP 47 tag, or names another language
                than English and dateparser is not installed. The message
                names *text* and the language tried.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2.0 The *language* argument.
        """
        _require_day("anchor", anchor)
        try:
            value = _read_edtf(text.strip())
            if value is not None:
                return cls._copy_of(value)
            # The rules of timeline.model._phrases and _languages; see "The
            # phrase reader".
            (read_phrase,) = _phrase_reader
            (read_in,) = _language_reader
            if language is None or is_english(language):
                value = read_phrase(text, anchor)
            else:
                try:
                    value = read_in(text, language, anchor)
                except InvalidDateError:
                    # Numbers and EDTF-like forms read the same in any
                    # language; the first refusal is the one to report.
                    try:
                        value = read_phrase(text, anchor)
                    except InvalidDateError:
                        pass
                    else:
                        return cls._copy_of(value, phrase=text, anchor=anchor)
                    raise
        except InvalidDateError as error:
            against = "" if anchor is None else f" against {anchor.isoformat()}"
            hint = (
                " (read as English: name its language, as in "
                "FuzzyDate.parse(text, anchor=..., language='cs'))"
                if language is None and "no rule reads" in str(error)
                else ""
            )
            msg = f"cannot resolve {text!r}{against}: {error}{hint}"
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


def _read_edtf(text: str) -> FuzzyDate | None:
    """Return the date EDTF *text* denotes (see timeline.model._edtf), or None."""
    if (reading := _edtf.read(text)) is None:
        return None
    qualifier = reading.qualifier
    return FuzzyDate(
        reading.earliest,
        reading.latest,
        precision=Precision(reading.precision),
        choices=reading.choices,
        qualifier=None if qualifier is None else Qualifier(qualifier),
        notation=None if reading.derived() == reading.text else reading.text,
    )


# -- The phrase reader --------------------------------------------------------
#
# `FuzzyDate.parse` reads English phrases with the rules in
# timeline.model._phrases. Those rules build FuzzyDates, so that module imports
# this one; for imports to go one way only, this one never imports it back but
# is handed its reader: the package, timeline.model, which Python runs before
# any module in it, imports both and calls `_read_phrases_with`. The reader is
# in place before anything can import FuzzyDate, let alone call parse.

_PhraseReader = Callable[[str, dt.date | None], FuzzyDate]
_LanguageReader = Callable[[str, str, dt.date | None], FuzzyDate]
_phrase_reader: Final[list[_PhraseReader]] = []
_language_reader: Final[list[_LanguageReader]] = []


def _read_phrases_with(reader: _PhraseReader, languages: _LanguageReader) -> None:
    """Hand `FuzzyDate.parse` its English rules and its reader of other languages.

    Args:
        reader: Reads an English phrase (timeline.model._phrases).
        languages: Reads a phrase in a named language
            (timeline.model._languages).
    """
    _phrase_reader[:] = [reader]
    _language_reader[:] = [languages]
