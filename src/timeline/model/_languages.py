# SPDX-License-Identifier: MIT
"""Date phrases in other languages than English, read with dateparser.

`FuzzyDate.parse` reads English with its own rules (timeline.model._phrases),
which handle ranges and phrases such as "since last September" that general
parsers do not. A phrase in another language (Czech "v sobotu", Russian
"в субботу", Arabic "أمس") goes to `read_in`, which uses the well-kept
multilingual parser dateparser, an optional extra
(``pip install 'contested-timeline[languages]'``), and turns the period it
resolved to into a `FuzzyDate`:

- a day is that day, DAY precision;
- a week is the Monday-to-Sunday week that holds the day dateparser gives,
  DAY precision ("minulý týden", last week);
- a month is that month, a year that year.

dateparser reads a weekday as the latest such day *before* the anchor, where
the English rules take the latest on or before it: "v sobotu" in a report
published on a Saturday is the Saturday a week earlier. A phrase that counts
from the anchor ("včera", yesterday) is refused without one: it is read
against two anchors far apart, and a phrase whose day moves with the anchor
is relative.

Tested languages: Czech, Russian and Arabic (tests/test_languages.py).

Private: `FuzzyDate.parse(text, anchor=..., language=...)` is the way in.
"""

import datetime as dt
import importlib
from typing import Any

from timeline.errors import InvalidDateError
from timeline.model.dates import FuzzyDate, Precision

__all__ = ["read_in"]

# Two anchors far apart: a phrase read the same against both is absolute.
_PROBES = (dt.datetime(2001, 3, 14), dt.datetime(2011, 8, 27))  # noqa: DTZ001
_DAYS_PER_WEEK = 7


def read_in(text: str, language: str, anchor: dt.date | None) -> FuzzyDate:
    """Return the date *text*, a phrase in *language*, states against *anchor*.

    The result carries no phrase or anchor; `FuzzyDate.parse` adds them.

    Raises:
        InvalidDateError: If dateparser is not installed, reads no date in
            *text*, or *text* is relative and *anchor* is None.
    """
    parser = _parser_module()
    primary = language.split("-", maxsplit=1)[0].lower()
    if anchor is None:
        read = {_read(parser, text, primary, probe) for probe in _PROBES}
        if len(read) > 1:
            msg = f"{text!r} counts from the day it was written: give an anchor"
            raise InvalidDateError(msg)
        (found,) = read
    else:
        base = dt.datetime.combine(anchor, dt.time())
        found = _read(parser, text, primary, base)
    if found is None:
        msg = f"no rule reads {text!r} in language {language!r}"
        raise InvalidDateError(msg)
    day, period = found
    if period == "week":
        monday = day - dt.timedelta(days=day.weekday())
        last = monday + dt.timedelta(days=_DAYS_PER_WEEK - 1)
        return FuzzyDate(monday, last, precision=Precision.DAY)
    if period == "month":
        return FuzzyDate.month(day.year, day.month)
    if period == "year":
        return FuzzyDate.year(day.year)
    return FuzzyDate.exact(day)


def _read(
    parser: Any, text: str, language: str, base: dt.datetime
) -> tuple[dt.date, str] | None:
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
    }
    try:
        data = parser.DateDataParser(
            languages=[language], settings=settings
        ).get_date_data(text)
    except ValueError as error:  # a language dateparser does not know
        msg = f"cannot read {text!r} in language {language!r}: {error}"
        raise InvalidDateError(msg) from None
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _parser_module() -> Any:
    try:
        return importlib.import_module("dateparser.date")
    except ImportError:
        msg = (
            "reading dates in languages other than English needs dateparser: "
            "pip install 'contested-timeline[languages]'"
        )
        raise InvalidDateError(msg) from None
