# SPDX-License-Identifier: MIT
"""Who said it and when it became public: sources, reports and grading."""

import datetime as dt
import enum
from typing import Any

import attrs

from timeline.errors import InvalidDateError, InvalidEntryError
from timeline.model._calendar import is_language_tag
from timeline.model._checks import NOT_CONVERTED, check_fields, register

__all__ = ["Credibility", "Hedge", "Reliability", "Report", "Source"]


class Reliability(enum.Enum):
    """How reliable a source has proved, on the NATO Admiralty scale.

    .. versionadded:: 0.1.0
    """

    A = "A"
    """Completely reliable."""
    B = "B"
    """Usually reliable."""
    C = "C"
    """Fairly reliable."""
    D = "D"
    """Not usually reliable."""
    E = "E"
    """Unreliable."""
    F = "F"
    """Reliability cannot be judged."""


class Credibility(enum.IntEnum):
    """How credible one piece of information is, on the Admiralty scale.

    .. versionadded:: 0.1.0
    """

    CONFIRMED = 1
    """Confirmed by other sources."""
    PROBABLY_TRUE = 2
    """Probably true."""
    POSSIBLY_TRUE = 3
    """Possibly true."""
    DOUBTFUL = 4
    """Doubtfully true."""
    IMPROBABLE = 5
    """Improbable."""
    CANNOT_BE_JUDGED = 6
    """Truth cannot be judged."""


class Hedge(enum.Enum):
    """How the report itself hedges a claim: words that keep it at a distance.

    The source's own qualifier, not the analyst's judgement (that is the
    Admiralty *reliability* and *credibility*): a claim is marked only where
    the report's words hedge what the claim asserts. "Claims are
    circulating that Turkish border guards have shot ... refugees" hedges
    the shooting; "the Ministry claims that the Americans did not provide
    the coordinates" does not hedge a `timeline.model.events.Accusation`,
    whose happening is the Ministry saying so, which the report states flat.

    .. versionadded:: 0.2.0
    """

    ALLEGED = "alleged"
    """Called alleged or purported, by no one named: "an alleged strike"."""
    CLAIMED = "claimed"
    """Told as a party's own claim the report does not vouch for: "the two
    Russian soldiers they claim to have captured", "claiming to show"."""
    UNCONFIRMED = "unconfirmed"
    """Said to be unconfirmed or not independently verified."""
    RUMOURED = "rumoured"
    """Hearsay with no source named: "claims are circulating", "reportedly"."""
    POSSIBLE = "possible"
    """Put forward as a possibility only: "may have been", "appears to"."""


def _non_blank(
    instance: object, attribute: "attrs.Attribute[str]", value: object
) -> None:
    if not isinstance(value, str) or not value.strip():
        name = f"{type(instance).__name__}.{attribute.name}"
        msg = f"{name} must be a non-blank string, got {value!r}"
        raise InvalidEntryError(msg)


@attrs.frozen(weakref_slot=False)
class Source:
    """A party that says things: an outlet, an agency, a ministry, a person.

    A source is not a string (two outlets may share a name with different
    meanings), but it is compared by value, so ``Source("TASS")`` written twice
    is one source.

    Where a field wants a source (a report's *outlet*, an item of a claim's
    *attribution*), a plain string is taken for its name: ``"TASS"`` there
    is ``Source("TASS")``.

    Args:
        name: How the source is called, as the text names it.
        kind: Optional free-form kind ("outlet", "state media", "ministry",
            "person", "analyst").

    Raises:
        InvalidEntryError: If *name* is not a non-blank string.
        TypeError: If *kind* is neither a string nor None.

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(validator=_non_blank)
    kind: str | None = attrs.field(default=None, kw_only=True)

    __attrs_post_init__ = check_fields

    def __str__(self) -> str:
        return self.name


def _source_from(value: object) -> object:
    # A name is the source it names: nothing is lost, nothing guessed.
    return Source(value) if isinstance(value, str) else NOT_CONVERTED


register(Source, convert=_source_from)


def _check_published(instance: "Report", attribute: object, value: Any) -> None:
    del attribute  # Signature required by attrs validators.
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            msg = (
                f"Report.published must be a date or an aware datetime, got naive "
                f"{value.isoformat()!r} from {instance.outlet}: timeline never "
                "guesses a "
                "time zone the source did not state"
            )
            raise InvalidDateError(msg)
        return
    if not isinstance(value, dt.date):
        msg = f"Report.published must be a date or an aware datetime, got {value!r}"
        raise InvalidDateError(msg)


def _check_language(instance: "Report", attribute: object, value: str | None) -> None:
    # A BCP 47 tag or None; a tag's meaning is left to the readers.
    if value is not None and not is_language_tag(value):
        msg = (
            f"Report.language must be a BCP 47 tag such as 'cs' or 'ar-SY', "
            f"got {value!r}"
        )
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Report:
    """One public account: an article, a communique, a post, a broadcast.

    Its publication is when what it says became known: the knowledge time
    that ``EventLog.as_of`` filters on.

    Args:
        outlet: Who published it; a string is taken for the outlet's name.
        published: The day it became public, or an aware datetime when the
            hour matters. A naive datetime is refused.
        title: Headline or title, as printed.
        url: Where it can be read, kept as given. Any text is accepted, since
            a source's own address is a fact about it; the views make a
            link of it only when it starts with ``http://``, ``https://`` or
            ``mailto:`` (in any case) and show anything else, such as a
            ``javascript:`` address from an imported sheet, as plain text.
        language: The language it is written in, as a BCP 47 tag (``cs``,
            ``ru``, ``ar-SY``); pass it to `FuzzyDate.parse` with the date
            phrases the report words, which then reads them in that
            language. None when not recorded (English is assumed).
        published_range: When the exact publication day is inferred rather
            than printed, the first and last days the evidence allows;
            *published* is then the earliest of them.

    Raises:
        InvalidDateError: If *published* is a naive datetime or not a date, or
            lies outside *published_range*.
        TypeError: If another field holds a value of the wrong type (see
            `timeline.Event`).

    .. versionadded:: 0.1.0
    """

    outlet: Source
    published: dt.date | dt.datetime = attrs.field(validator=_check_published)
    title: str | None = None
    url: str | None = None
    published_range: tuple[dt.date, dt.date] | None = None
    language: str | None = attrs.field(default=None, validator=_check_language)

    def __attrs_post_init__(self) -> None:
        check_fields(self)
        if self.published_range is not None:
            first, last = self.published_range
            if not first <= self.published_day <= last:
                msg = (
                    f"Report.published {self.published_day} is outside its "
                    f"published_range {first}..{last}"
                )
                raise InvalidDateError(msg)

    @property
    def published_day(self) -> dt.date:
        """Return the day of publication, in the time zone the report states.

        Knowledge dates are days: a report is known on ``as_of`` when it was
        published on or before that day.
        """
        published = self.published
        # A day, most often: told apart without isinstance, as a fold asks
        # it of every claim several times.
        if published.__class__ is not dt.date and isinstance(published, dt.datetime):
            return published.date()
        return published
