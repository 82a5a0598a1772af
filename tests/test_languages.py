"""Date phrases in the articles' languages: Czech, Russian and Arabic.

The seed world is reported in Russian, Arabic, Czech and English. English
phrases go through timeline's own rules; others through dateparser (the
``languages`` extra, which the test dependencies install).
"""

import datetime as dt

import pytest

from timeline import FuzzyDate, Report, Source
from timeline.errors import InvalidDateError, InvalidEntryError
from timeline.model.dates import Precision

MONDAY = dt.date(2017, 10, 2)  # a ČTK item's publication day
SATURDAY = dt.date(2017, 9, 30)


@pytest.mark.parametrize(
    ("phrase", "language", "edtf"),
    [
        ("v sobotu", "cs", "2017-09-30"),  # on Saturday
        ("včera", "cs", "2017-10-01"),  # yesterday
        ("23. září", "cs", "2017-09-23"),
        ("23.09.2017", "cs", "2017-09-23"),
        ("minulý týden", "cs", "2017-09-25/2017-10-01"),  # last week
        ("loni", "cs", "2016"),  # last year
        ("в субботу", "ru", "2017-09-30"),
        ("24 сентября", "ru", "2017-09-24"),
        ("в прошлом году", "ru", "2016"),
        ("السبت", "ar", "2017-09-30"),
        ("أمس", "ar-SY", "2017-10-01"),
        ("23 سبتمبر 2017", "ar", "2017-09-23"),
    ],
)
def test_a_phrase_in_the_articles_languages_is_read(phrase, language, edtf):
    """Each phrase resolves against the report's day, its words kept."""
    date = FuzzyDate.parse(phrase, anchor=MONDAY, language=language)

    assert date.to_edtf() == edtf
    assert (date.phrase, date.anchor) == (phrase, MONDAY)


def test_periods_keep_their_precision():
    """A week is its days, a year a year: never one day picked from them."""
    week = FuzzyDate.parse("minulý týden", anchor=MONDAY, language="cs")
    year = FuzzyDate.parse("loni", anchor=MONDAY, language="cs")

    assert week.earliest is not None
    assert week.latest is not None
    assert (week.precision, week.earliest.weekday(), week.latest.weekday()) == (
        Precision.DAY,
        0,
        6,
    )
    assert year.precision is Precision.YEAR


def test_a_weekday_is_the_one_before_the_anchor():
    """Dateparser's rule, documented: on a Saturday, "v sobotu" is a week back."""
    date = FuzzyDate.parse("v sobotu", anchor=SATURDAY, language="cs")

    assert date.to_edtf() == "2017-09-23"


def test_english_tags_use_the_english_rules():
    """``en`` and ``en-GB`` read as no language does: by timeline's rules."""
    for language in (None, "en", "en-GB"):
        date = FuzzyDate.parse("earlier this month", anchor=MONDAY, language=language)
        assert date.to_edtf() == "2017-10-01"


def test_a_phrase_no_reader_reads_names_the_language_tried():
    """The error names the phrase and the language."""
    with pytest.raises(InvalidDateError, match=r"'xyzzy'.*language 'cs'"):
        FuzzyDate.parse("xyzzy", anchor=MONDAY, language="cs")


def test_a_foreign_phrase_read_as_english_says_to_name_its_language():
    """Without a language, Czech is refused with a pointer to the argument."""
    with pytest.raises(InvalidDateError, match="name its language"):
        FuzzyDate.parse("v sobotu", anchor=MONDAY)


def test_a_relative_phrase_without_an_anchor_is_refused():
    """A relative phrase ("yesterday") without a day to count from is refused."""
    with pytest.raises(InvalidDateError, match="give an anchor"):
        FuzzyDate.parse("včera", language="cs")


def test_an_absolute_phrase_needs_no_anchor():
    """A full date reads the same whatever the anchor."""
    assert FuzzyDate.parse("23 سبتمبر 2017", language="ar").to_edtf() == "2017-09-23"


@pytest.mark.parametrize("language", ["Czech", "c", "cs_CZ", "", "cs-", 7])
def test_a_language_that_is_not_a_tag_is_refused(language):
    """Only BCP 47 tags are languages, for parse and for a report."""
    with pytest.raises(InvalidDateError, match="BCP 47"):
        FuzzyDate.parse("v sobotu", anchor=MONDAY, language=language)
    with pytest.raises((InvalidEntryError, TypeError), match="language"):
        Report(outlet=Source("ČTK"), published=MONDAY, language=language)


def test_a_report_carries_its_language_for_its_phrases():
    """The report's language reads the phrases it words."""
    ctk = Report(outlet=Source("ČTK"), published=MONDAY, language="cs")

    date = FuzzyDate.parse("v sobotu", anchor=ctk.published, language=ctk.language)

    assert date.to_edtf() == "2017-09-30"


def test_without_dateparser_the_error_says_which_extra_to_install(monkeypatch):
    """The extra is optional: its absence is a clear error, not an ImportError."""
    import builtins  # noqa: PLC0415

    real_import = builtins.__import__

    def no_dateparser(name, *args, **kwargs):
        if name.startswith("dateparser"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dateparser)
    monkeypatch.delitem(__import__("sys").modules, "dateparser.date", raising=False)

    with pytest.raises(InvalidDateError, match=r"contested-timeline\[languages\]"):
        FuzzyDate.parse("v sobotu", anchor=MONDAY, language="cs")
