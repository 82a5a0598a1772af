# SPDX-License-Identifier: MIT
"""Days and language tags: the arithmetic the date readers share.

Private to timeline.model: `timeline.model.dates` and the phrase readers
(``_phrases``, ``_languages``) build days with it, and `Report.language`
is checked with it.
"""

import calendar
import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from timeline.errors import InvalidDateError

__all__ = ["is_english", "is_language_tag"]


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


def is_language_tag(tag: object) -> bool:
    """Return whether *tag* has the shape of a BCP 47 tag (``cs``, ``ar-SY``)."""
    return isinstance(tag, str) and _LANGUAGE_TAG.fullmatch(tag) is not None


def is_english(language: str) -> bool:
    """Return whether the BCP 47 tag *language* is English.

    Raises:
        InvalidDateError: If *language* is not a BCP 47 tag.
    """
    if not is_language_tag(language):
        msg = f"language must be a BCP 47 tag such as 'cs' or 'ar-SY', got {language!r}"
        raise InvalidDateError(msg)
    return language.split("-", maxsplit=1)[0].lower() == "en"


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
