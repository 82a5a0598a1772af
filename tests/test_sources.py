import datetime as dt
import zoneinfo

import pytest

from timeline.errors import InvalidDateError, InvalidEntryError
from timeline.model.sources import Report, Source


def test_source_compares_by_value():
    """Two sources with the same name and kind are the same source."""
    assert Source("TASS", kind="state media") == Source("TASS", kind="state media")


def test_source_prints_its_name():
    """A source prints as its name."""
    assert str(Source("Military Times")) == "Military Times"


@pytest.mark.parametrize("name", ["", "   "])
def test_blank_source_name_is_refused(name):
    """A source needs a name."""
    with pytest.raises(InvalidEntryError, match=r"Source\.name"):
        Source(name)


def test_naive_publication_time_is_refused():
    """A naive datetime would make the knowledge day depend on a guessed zone."""
    with pytest.raises(InvalidDateError, match=r"naive '2017-10-04T09:00:00'"):
        Report(outlet=Source("Military Times"), published=dt.datetime(2017, 10, 4, 9))  # noqa: DTZ001


def test_publication_must_be_a_date():
    """A string is not a publication date."""
    with pytest.raises(InvalidDateError, match="'2017-10-04'"):
        Report(outlet=Source("Military Times"), published="2017-10-04")  # type: ignore[arg-type]


def test_published_day_uses_the_report_time_zone():
    """An aware time late in the evening in Washington is still that day there."""
    washington = zoneinfo.ZoneInfo("America/New_York")
    report = Report(
        outlet=Source("Military Times"),
        published=dt.datetime(2017, 10, 4, 23, 30, tzinfo=washington),
    )

    assert report.published_day == dt.date(2017, 10, 4)


def test_published_day_of_a_date_is_itself():
    """A report published on a day is known from that day."""
    report = Report(outlet=Source("DEBKA Weekly"), published=dt.date(2017, 9, 28))

    assert report.published_day == dt.date(2017, 9, 28)


def test_inferred_publication_keeps_its_range():
    """An inferred publication day must lie within the range the evidence allows."""
    with pytest.raises(InvalidDateError, match="outside its published_range"):
        Report(
            outlet=Source("DEBKA Weekly"),
            published=dt.date(2017, 9, 27),
            published_range=(dt.date(2017, 9, 28), dt.date(2017, 10, 3)),
        )
