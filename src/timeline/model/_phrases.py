# SPDX-License-Identifier: MIT
"""The English phrases `FuzzyDate.parse` reads, and the rules it reads them by.

Each rule is a regular expression and the function that turns its match into
a `FuzzyDate`, given the day the phrase is read against (the anchor);
`FuzzyDate.parse` documents them for users. Phrases that wrap other phrases
("since X", "between X and Y") read those through the same rules.

This module builds FuzzyDates, so it imports `timeline.model.dates`, which
never imports it back: `timeline.model` hands `read_phrase` to it (see "The
phrase reader" in `timeline.model.dates`).
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Final

from dateutil.relativedelta import relativedelta

from timeline.errors import InvalidDateError
from timeline.model._calendar import _add, _day, _month_bounds
from timeline.model.dates import (
    _RANK,
    FuzzyDate,
    Precision,
    Season,
    _read_edtf,
    _season_bounds,
)

__all__ = ["read_phrase"]

# The English month and weekday names dateutil's parserinfo reads (a test
# keeps them equal), written out: importing dateutil's parser costs every
# process a few hundredths of a second, and only `_full_date` needs it.
_MONTH_NAMES: Final = (
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("May", "May"),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "Sept", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
)
_DAY_NAMES: Final = (
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
)
_MONTH_NUMBERS: Final = {
    name.lower(): number
    for number, names in enumerate(_MONTH_NAMES, start=1)
    for name in names
}
_WEEKDAY_NUMBERS: Final = {
    name.lower(): number for number, names in enumerate(_DAY_NAMES) for name in names
}
_WEEKDAY_NAMES: Final = tuple(names[-1] for names in _DAY_NAMES)
# A month named without a year is looked for from this many months after the
# anchor's month back to nine months before it: reports mostly tell of the past,
# and sometimes announce what is due soon.
_MONTHS_AHEAD: Final = 2


def _alternatives(groups: Iterable[Iterable[str]]) -> str:
    names = {name.lower() for group in groups for name in group}
    return "|".join(sorted(names, key=lambda name: (-len(name), name)))


_MONTH: Final = rf"(?P<month>{_alternatives(_MONTH_NAMES)})\.?"
_WEEKDAY: Final = rf"(?P<weekday>{_alternatives(_DAY_NAMES)})\.?"
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


def read_phrase(text: str, anchor: dt.date | None) -> FuzzyDate:
    """Return the date the English phrase *text* states, read against *anchor*.

    The result carries no phrase or anchor; `FuzzyDate.parse` adds them.

    Raises:
        InvalidDateError: If no rule reads *text*, or the rule that does finds
            no such day.
    """
    return _resolve(_normalize(text), anchor)


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
    from dateutil import parser  # noqa: PLC0415  # see _MONTH_NAMES

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
