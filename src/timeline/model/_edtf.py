# SPDX-License-Identifier: MIT
"""EDTF (ISO 8601-2) text: what days it denotes, and how to write days as it.

Private to timeline.model: `timeline.model.dates` reads and writes
`FuzzyDate` values with it. It knows nothing of `FuzzyDate`, so that
``dates`` can import it without a circle: a `Reading` holds plain days, the
precision as a `Precision` value (``"day"``, ``"month"``, ``"season"``,
``"year"``) and the qualifier as its character (``"?"``, ``"~"``, ``"%"``).

What is read (the Library of Congress specification, 2019, levels 0 to 2):

- dates ``2017``, ``2017-09``, ``2017-09-23``, seasons ``2017-21`` to
  ``2017-24``, and date-times ``2017-09-23T10:00:00Z`` (held as their day);
- qualifiers ``?``, ``~`` and ``%``, after the date (level 1) or on one
  component (level 2, ``2004?-06-~11``);
- unspecified digits ``201X``, ``20XX``, ``2017-XX``, ``2017-09-XX`` (level
  1) and anywhere else (``156X-12-25``, level 2): the bounds are the first
  and last days any filling of the digits names;
- intervals ``1964/2008`` with open (``..``) and unknown (empty) ends;
- sets ``[a,b,c..d]`` (one of) and ``{a,b}`` (all of), with ranges and an
  earlier (``[..a]``) or later (``[a..]``) continuation;
- ``..2017-10-01`` and ``2017-10-01..``, which releases up to 0.2 wrote for
  open ranges.

Refused with a reason: years before 1 or after 9999 (``0000``, ``-0999``,
``Y170000002``), significant digits (``1950S2``), level 2 seasons (25-41),
date-times in intervals and sets, and anything malformed.
"""

import calendar
import datetime as dt
import itertools
import re
from typing import Final, NoReturn

import attrs

from timeline.errors import InvalidDateError
from timeline.model._calendar import _day, _month_bounds

DAY: Final = "day"
MONTH: Final = "month"
SEASON: Final = "season"
YEAR: Final = "year"
_RANK: Final = {DAY: 0, MONTH: 1, SEASON: 2, YEAR: 3}
_FIRST_SEASON: Final = 21
_LAST_SEASON: Final = 24
_LAST_LEVEL_2_SEASON: Final = 41
_LAST_MONTH: Final = 12
_LAST_YEAR: Final = 9999
_MIN_CHOICES: Final = 2
_DAY_LENGTH: Final = len("2017-09-23")
_SHOWN_DIGITS: Final = 40


@attrs.frozen
class Reading:
    """The days an EDTF text denotes, and the text in its canonical spelling."""

    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    qualifier: str | None
    choices: frozenset[dt.date]
    text: str

    def derived(self) -> str:
        """Return what is written for these days without the text: `write`."""
        return write(
            self.earliest, self.latest, self.precision, self.qualifier, self.choices
        )


def check_notation(
    notation: str,
    bounds: tuple[dt.date | None, dt.date | None],
    precision: str,
    choices: frozenset[dt.date],
    qualifier: str | None,
) -> None:
    """Check that *notation* is the canonical EDTF of exactly these days.

    Raises:
        InvalidDateError: If it is not EDTF in its canonical spelling, denotes
            other bounds, precision, choices or qualifier, or is what `write`
            writes for them (then the date holds no notation).
    """
    reading = read(notation)
    if reading is None or reading.text != notation:
        canonical = "" if reading is None else f" (canonical: {reading.text!r})"
        msg = f"notation {notation!r} is not EDTF in its canonical spelling"
        raise InvalidDateError(msg + canonical)
    denoted = (reading.earliest, reading.latest), reading.precision, reading.choices
    if (*denoted, reading.qualifier) != (bounds, precision, choices, qualifier):
        msg = (
            f"notation {notation!r} denotes other days, precision or qualifier"
            f" than {bounds[0]}..{bounds[1]}, {precision}, {qualifier or 'none'}"
        )
        raise InvalidDateError(msg)
    if reading.derived() == notation:
        msg = f"notation {notation!r} is what to_edtf writes: leave it None"
        raise InvalidDateError(msg)


@attrs.frozen
class _Part:
    """One date of a text: a point, a range of a set, or an open end."""

    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    marks: frozenset[str]
    text: str
    day: dt.date | None = None  # a plain day, no X and no time: a choice
    timed: bool = False
    season: bool = False


# -- Reading --------------------------------------------------------------------

_Q: Final = r"[?~%]"
_POINT: Final = re.compile(
    rf"(?P<q0>{_Q})?(?P<year>-?[0-9X]{{4}})(?P<q1>{_Q})?"
    rf"(?:-(?P<q2>{_Q})?(?P<month>[0-9X]{{2}})(?P<q3>{_Q})?"
    rf"(?:-(?P<q4>{_Q})?(?P<day>[0-9X]{{2}})(?P<q5>{_Q})?)?)?"
    r"(?P<time>T.*)?"
)
_TIME: Final = re.compile(
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3])(?::[0-5][0-9])?)?"
)
_LONG_YEAR: Final = re.compile(r"Y(-?)([0-9]+)(?:E([0-9]+))?(?:S[0-9]+)?")
_SIGNIFICANT: Final = re.compile(r"-?[0-9]{4}S[0-9]+")
# Shapes that are EDTF or meant as it: anything else is left to the phrase
# readers (``23/09/2017``, ``Sept. 23``), which is why this is loose and the
# reading strict.
_TOKEN: Final = (
    rf"{_Q}?(?:Y-?[0-9]+(?:E[0-9]+)?(?:S[0-9]+)?"
    rf"|-?[0-9X]{{4}}{_Q}?(?:-{_Q}?[0-9X]{{1,2}}{_Q}?){{0,2}}(?:S[0-9]+)?"
    r"(?:T[0-9:+\-Z]*)?)"
)
_LOOKS: Final = re.compile(
    rf"{_TOKEN}|(?:{_TOKEN}|\.\.)?/(?:{_TOKEN}|\.\.)?"
    rf"|\.\.{_TOKEN}|{_TOKEN}\.\.|\[.*\]|\{{.*\}}",
    re.DOTALL,
)


def read(text: str) -> Reading | None:
    """Return what EDTF *text* denotes, or None if it does not look like EDTF.

    Raises:
        InvalidDateError: If *text* looks like EDTF but is not valid, or names
            days Python's dates cannot hold; the message says what is wrong.
    """
    if _LOOKS.fullmatch(text) is None:
        return None
    if text[:1] in "[{":
        return _read_set(text)
    if "/" in text:
        start, end = text.split("/")
        return _read_interval(start, end)
    if text.startswith(".."):  # as releases up to 0.2 wrote open ranges
        return _read_interval("..", text[2:])
    if text.endswith(".."):
        return _read_interval(text[:-2], "..")
    point = _point(text)
    return _reading([point], text, (point.earliest, point.latest))


def _reading(
    parts: list[_Part],
    text: str,
    bounds: tuple[dt.date | None, dt.date | None],
    choices: frozenset[dt.date] = frozenset(),
) -> Reading:
    earliest, latest = bounds
    if earliest is None and latest is None:
        msg = "a fuzzy date needs at least one bound, got neither"
        raise InvalidDateError(msg)
    return Reading(
        earliest,
        latest,
        max((part.precision for part in parts), key=_RANK.__getitem__),
        _qualifier(frozenset().union(*(part.marks for part in parts))),
        choices,
        text,
    )


def _qualifier(marks: frozenset[str]) -> str | None:
    uncertain = bool(marks & {"?", "%"})
    approximate = bool(marks & {"~", "%"})
    if uncertain and approximate:
        return "%"
    if uncertain or approximate:
        return "?" if uncertain else "~"
    return None


def _read_interval(start: str, end: str) -> Reading:
    if start in {"", ".."} and end in {"", ".."}:
        msg = "an interval needs at least one bound, got neither"
        raise InvalidDateError(msg)
    parts = [_interval_end(text) for text in (start, end) if text not in {"", ".."}]
    earliest = parts[0].earliest if start not in {"", ".."} else None
    latest = parts[-1].latest if end not in {"", ".."} else None
    if earliest is not None and latest is not None and earliest > latest:
        msg = f"earliest {earliest} is after latest {latest}"
        raise InvalidDateError(msg)
    return _reading(parts, f"{start}/{end}", (earliest, latest))


def _interval_end(text: str) -> _Part:
    part = _point(text)
    if part.timed:
        msg = f"{text} is a date-time, and an interval's ends are dates"
        raise InvalidDateError(msg)
    if part.season:
        msg = f"{text} is a season, and an interval's ends are days, months or years"
        raise InvalidDateError(msg)
    return part


def _read_set(text: str) -> Reading:
    one_of = text[0] == "["  # and it ends with "]", as _LOOKS says
    if not text[1:-1].strip():
        msg = "a set needs at least one member, got none"
        raise InvalidDateError(msg)
    items = [item.strip() for item in text[1:-1].split(",")]
    parts = []
    for index, item in enumerate(items):
        if not item:
            msg = "a set has an empty member"
            raise InvalidDateError(msg)
        parts.append(_member(item, first=index == 0, last=index == len(items) - 1))
    # Earlier continuation first, later one last, the rest by their days;
    # a member listed twice is written once.
    order = sorted(
        {part.text: part for part in parts}.values(),
        key=lambda part: (
            0 if part.earliest is None else 2 if part.latest is None else 1,
            part.earliest or dt.date.min,
            part.latest or dt.date.max,
            part.text,
        ),
    )
    days = [part.day for part in parts]
    choices: frozenset[dt.date] = frozenset()
    if one_of and len(parts) > 1 and all(day is not None for day in days):
        choices = frozenset(day for day in days if day is not None)
        if len(choices) < _MIN_CHOICES:
            listed = ", ".join(day.isoformat() for day in sorted(choices))
            msg = f"a one-of date needs at least two distinct days, got {listed}"
            raise InvalidDateError(msg)
    earliest = (
        None
        if order[0].earliest is None
        else min(part.earliest for part in order if part.earliest is not None)
    )
    latest = (
        None
        if order[-1].latest is None
        else max(part.latest for part in order if part.latest is not None)
    )
    spelled = ",".join(part.text for part in order)
    opened, closed = ("[", "]") if one_of else ("{", "}")
    return _reading(order, f"{opened}{spelled}{closed}", (earliest, latest), choices)


def _member(item: str, *, first: bool, last: bool) -> _Part:
    if item.startswith(".."):
        if not first:
            msg = f"{item}: only a set's first member may run from earlier (..)"
            raise InvalidDateError(msg)
        part = _set_point(item[2:], item)
        return attrs.evolve(part, earliest=None, text=item, day=None)
    if item.endswith(".."):
        if not last:
            msg = f"{item}: only a set's last member may run on later (..)"
            raise InvalidDateError(msg)
        part = _set_point(item[:-2], item)
        return attrs.evolve(part, latest=None, text=item, day=None)
    if ".." in item:
        low_text, high_text = item.split("..", 1)
        low, high = _set_point(low_text, item), _set_point(high_text, item)
        if low.earliest > high.latest:  # type: ignore[operator]
            msg = f"{item} runs backwards: {low_text} is after {high_text}"
            raise InvalidDateError(msg)
        return _Part(
            low.earliest,
            high.latest,
            max(low.precision, high.precision, key=_RANK.__getitem__),
            low.marks | high.marks,
            item,
        )
    return _set_point(item, item)


def _set_point(text: str, item: str) -> _Part:
    if not text:
        msg = f"{item!r} in a set needs a date beside its '..'"
        raise InvalidDateError(msg)
    part = _point(text)
    if part.timed:
        msg = f"{text} is a date-time, and a set's members are dates"
        raise InvalidDateError(msg)
    return part


def _point(text: str) -> _Part:
    match = _POINT.fullmatch(text)
    if match is None:
        _refuse_point(text)
    year, month, day, time = match["year"], match["month"], match["day"], match["time"]
    marks = [match[f"q{index}"] for index in range(6)]
    for index, name in enumerate(("year", "month", "day")):
        if marks[2 * index] and marks[2 * index + 1]:
            msg = f"the {name} of {text} carries two qualifiers"
            raise InvalidDateError(msg)
    qualified = frozenset(mark for mark in marks if mark)
    if year.startswith("-"):
        msg = f"year {year} in {text} is before 1, the first year Python's dates hold"
        raise InvalidDateError(msg)
    if time is not None:
        return _timed(text, match, qualified)
    years = _filling(year, 0, _LAST_YEAR)
    if years[0] < 1:
        _day(0, 1, 1)  # raises: Python has no year 0
    if month is None:
        return _Part(
            _day(years[0], 1, 1), _day(years[-1], 12, 31), YEAR, qualified, text
        )
    if "X" not in month and not 1 <= int(month) <= _LAST_MONTH:
        return _season(text, years, month, day, qualified)
    months = _filling(month, 1, _LAST_MONTH)
    if not months:
        msg = f"{month} in {text} is no month (01-12)"
        raise InvalidDateError(msg)
    if day is None:
        return _Part(
            _month_bounds(years[0], months[0])[0],
            _month_bounds(years[-1], months[-1])[1],
            MONTH,
            qualified,
            text,
        )
    if "X" not in year + month + day:
        only = _day(years[0], months[0], int(day))
        return _Part(only, only, DAY, qualified, text, day=only)
    days = _filling(day, 1, 31)
    earliest = _first_day(years, months, days)
    if earliest is None:
        msg = f"{text} names no day of the calendar"
        raise InvalidDateError(msg)
    latest = _first_day(years[::-1], months[::-1], days[::-1])
    return _Part(earliest, latest, DAY, qualified, text)


def _refuse_point(text: str) -> NoReturn:
    if match := _LONG_YEAR.fullmatch(text):
        raise InvalidDateError(_long_year(*match.groups()))
    if _SIGNIFICANT.fullmatch(text):
        msg = f"{text} has significant digits (S), EDTF level 2, which are not read"
        raise InvalidDateError(msg)
    msg = f"{text!r} is not a date"
    raise InvalidDateError(msg)


def _long_year(sign: str, digits: str, exponent: str | None) -> str:
    """Return why a year written with Y is refused, naming it if it is short.

    A hostile exponent or digit string must cost nothing to name.
    """
    places = len(digits.lstrip("0"))
    if exponent is not None:
        places += int(exponent) if len(exponent) <= 2 else 99  # noqa: PLR2004
    if places > _SHOWN_DIGITS:
        shown = f"{sign}{digits[:9]}{'...' if len(digits) > 9 else ''}E{exponent or 0}"  # noqa: PLR2004
    else:
        year = int(digits) * 10 ** int(exponent or 0)
        if not sign and 0 < year <= _LAST_YEAR:
            return f"Y is for years of more than four digits: write {year:04d}"
        shown = f"{sign}{year}"
    return f"year {shown} is outside 1 to {_LAST_YEAR}, the years Python's dates hold"


def _timed(text: str, match: re.Match[str], marks: frozenset[str]) -> _Part:
    year, month, day, time = match["year"], match["month"], match["day"], match["time"]
    if day is None or marks or "X" in year + (month or "") + day:
        msg = f"{text}: a date-time needs a whole day, with no X and no qualifier"
        raise InvalidDateError(msg)
    if _TIME.fullmatch(time) is None:
        msg = f"{time[1:]} in {text} is not a time of day hh:mm:ss[Z|+hh[:mm]]"
        raise InvalidDateError(msg)
    only = _day(int(year), int(month), int(day))
    return _Part(only, only, DAY, marks, text, timed=True)


def _season(
    text: str, years: list[int], code: str, day: str | None, marks: frozenset[str]
) -> _Part:
    number = int(code)
    if not _FIRST_SEASON <= number <= _LAST_SEASON:
        level = (
            ": 25 to 41 are EDTF level 2 seasons, which are not read"
            if _LAST_SEASON < number <= _LAST_LEVEL_2_SEASON
            else ""
        )
        msg = f"{code} in {text} is neither a month (01-12) nor a season (21-24){level}"
        raise InvalidDateError(msg)
    if day is not None:
        msg = f"{text}: a season has no day"
        raise InvalidDateError(msg)
    return _Part(
        season_bounds(years[0], number)[0],
        season_bounds(years[-1], number)[1],
        SEASON,
        marks,
        text,
        season=True,
    )


def season_bounds(year: int, code: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of season *code* (21-24) of *year*.

    Raises:
        InvalidDateError: If the season does not fit in the calendar.
    """
    first_month = 3 * (code - _FIRST_SEASON + 1)
    last_month = first_month + 2
    last_year = year + (last_month - 1) // _LAST_MONTH
    last_month = (last_month - 1) % _LAST_MONTH + 1
    if last_year > _LAST_YEAR:
        msg = f"season {year:04d}-{code} ends in {last_year}, outside the calendar"
        raise InvalidDateError(msg)
    return _day(year, first_month, 1), _month_bounds(last_year, last_month)[1]


def _filling(pattern: str, low: int, high: int) -> list[int]:
    """Return the numbers from *low* to *high* that *pattern* spells, X any digit."""
    if "X" not in pattern:
        return [int(pattern)]
    digits = [("0123456789" if char == "X" else char) for char in pattern]
    return [
        number
        for number in (int("".join(spelt)) for spelt in itertools.product(*digits))
        if low <= number <= high
    ]


def _first_day(years: list[int], months: list[int], days: list[int]) -> dt.date | None:
    """Return the first valid day in the order the lists give, or None."""
    for year, month in itertools.product(years, months):
        length = calendar.monthrange(year, month)[1]
        for day in days:
            if 1 <= day <= length:
                return dt.date(year, month, day)
    return None


# -- Writing --------------------------------------------------------------------


def write(
    earliest: dt.date | None,
    latest: dt.date | None,
    precision: str,
    qualifier: str | None,
    choices: frozenset[dt.date],
    *,
    legacy: bool = False,
) -> str:
    """Return the EDTF of a date held by its bounds, precision and qualifier.

    With *legacy*, write open ranges as releases up to 0.2 did
    (``..2017-10-01``), and ranges that are not one whole period as days; the
    codec stores dates so, for files to keep their bytes. *qualifier* must
    then be None.
    """
    mark = qualifier or ""
    if choices:
        return "[" + ",".join(day.isoformat() + mark for day in sorted(choices)) + "]"
    if earliest is None or latest is None:
        if legacy:
            return f"..{latest}" if earliest is None else f"{earliest}.."
        if earliest is None:
            return f"../{_end(latest, precision, first=False)}{mark}"  # type: ignore[arg-type]
        return f"{_end(earliest, precision, first=True)}{mark}/.."
    if earliest == latest:
        return earliest.isoformat() + mark
    period = _period(earliest, latest, precision)
    if period is not None:
        return period + mark
    start = _end(earliest, precision, first=True)
    end = _end(latest, precision, first=False)
    if legacy or len(start) == _DAY_LENGTH or len(end) == _DAY_LENGTH:
        start, end = earliest.isoformat(), latest.isoformat()
    return f"{start}{mark}/{end}{mark}"


def _end(day: dt.date, precision: str, *, first: bool) -> str:
    """Return *day* as an interval end: its month or year if it starts or ends one."""
    if precision == YEAR and (day.month, day.day) == ((1, 1) if first else (12, 31)):
        return f"{day.year:04d}"
    if precision == MONTH and (
        day.day == 1 if first else day == _month_bounds(day.year, day.month)[1]
    ):
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _period(earliest: dt.date, latest: dt.date, precision: str) -> str | None:
    """Return the month, season or year from *earliest* to *latest*, or None."""
    year = earliest.year
    if precision == MONTH:
        bounds = _month_bounds(year, earliest.month)
        text = f"{year:04d}-{earliest.month:02d}"
    elif precision == YEAR:
        bounds = (_day(year, 1, 1), _day(year, 12, 31))
        text = f"{year:04d}"
    elif precision == SEASON and earliest.month % 3 == 0:
        code = _FIRST_SEASON - 1 + earliest.month // 3
        try:
            bounds = season_bounds(year, code)
        except InvalidDateError:
            return None
        text = f"{year:04d}-{code}"
    else:
        return None
    return text if bounds == (earliest, latest) else None
