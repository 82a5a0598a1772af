# SPDX-License-Identifier: MIT
"""Happenings: what the record says of one happening, and its status.

A `Happening` gathers the claims about one happening (or several merged
ones), the responses to them, the claims their own source withdrew, the
analyst's verdicts on it, the links between it and other happenings, and
every value of every field. Its `Status` is derived by replaying denials,
rebuttals, retractions, corrections and confirmations, never stored. A
`Conflict` is a field of it on which live claims
contradict each other.

.. versionadded:: 0.2.0
"""

import datetime as dt
import enum
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType

import attrs

from timeline.model.dates import FuzzyDate
from timeline.model.entry import Entry
from timeline.model.events import (
    Confirmation,
    Correction,
    Denial,
    Event,
    Link,
    Rebuttal,
    Related,
    Retraction,
    Role,
)
from timeline.model.places import NO_PLACES, Places
from timeline.model.sources import Report
from timeline.projections import display
from timeline.projections.fields import FieldValues, ValuePair, fields_of, known_on

__all__ = ["Conflict", "Happening", "Status", "searched_texts"]


class Status(enum.Enum):
    """What the replay of the record says of a happening, strongest first.

    .. versionadded:: 0.1.0
    """

    # As `Precision`: hashed by identity, once or more per happening folded.
    __hash__ = object.__hash__

    RETRACTED = "retracted"
    """Every claim of it was withdrawn by its own source."""
    DENIED = "denied"
    """A party denied it, and claims of it still stand."""
    DISPUTED = "disputed"
    """Live claims disagree on at least one field, or a party rebutted what
    they say (a `timeline.model.events.Rebuttal`)."""
    CORRECTED = "corrected"
    """A source corrected its own earlier claims."""
    CONFIRMED = "confirmed"
    """A party confirmed it."""
    REPORTED = "reported"
    """Claimed, and nothing else is known."""


_PRECEDENCE = tuple(Status)


# Independent claims may be appended in any order; answers list them by
# when they became known and who made them, with seq only as a last tie:
# (published day, outlet name, event type, seq), read in one C call.
_order_key: Callable[[Entry], tuple[dt.date, str, str, int]] = operator.attrgetter(
    "event.report.published_day", "event.report.outlet.name", "event.event_type", "seq"
)


@attrs.frozen
class Happening:
    """What the record says of one happening (or of several merged ones).

    Args:
        event_id: The happening's id; for merged happenings, the smallest id.
        event_ids: Every id merged into it.
        claims: Live claims, in the order they became known.
        withdrawn: Claims their own source retracted or corrected.
        responses: Denials, rebuttals, confirmations, retractions and
            corrections.
        fields: Every value reported for every field.
        statuses: Every status the replay supports; `status` is the strongest.
        verdicts: The analyst's `timeline.model.events.Verdict` entries on
            it that hold, in the order they became known.
        links: The `timeline.model.events.Related` entries that hold and
            name it on either side, in the order they became known; see
            `related`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       *links*.
    """

    event_id: str
    event_ids: frozenset[str]
    claims: tuple[Entry, ...]
    withdrawn: tuple[Entry, ...]
    responses: tuple[Entry, ...]
    fields: Mapping[str, FieldValues]
    statuses: frozenset[Status]
    verdicts: tuple[Entry, ...] = ()
    links: tuple[Entry, ...] = ()

    @property
    def status(self) -> Status:
        """Return the strongest status (see `Status` for the order)."""
        return next(status for status in _PRECEDENCE if status in self.statuses)

    @property
    def event_types(self) -> tuple[str, ...]:
        """Return the types of the claims, most common first."""
        counts: dict[str, int] = defaultdict(int)
        for entry in self.claims or self.withdrawn:
            counts[entry.event.event_type] += 1
        return tuple(sorted(counts, key=lambda tag: (-counts[tag], tag)))

    @property
    def conflicts(self) -> tuple[FieldValues, ...]:
        """Return the fields on which two live values contradict each other."""
        return tuple(field for field in self.fields.values() if field.in_conflict)

    @property
    def when(self) -> FuzzyDate | None:
        """Return the span of every reported date: their hull, or None if undated."""
        field = self.fields.get("when")
        if field is None:
            return None
        span: FuzzyDate | None = None
        for value in field.values:
            date: FuzzyDate = value.value  # type: ignore[assignment]
            span = date if span is None else span.hull(date)
        return span

    @property
    def first_known(self) -> dt.date:
        """Return the day the happening first became known."""
        return min(
            known_on(entry) for entry in self.claims + self.withdrawn + self.responses
        )

    def related(self) -> tuple[tuple[str, str, Entry], ...]:
        """Return each link as (phrase, other happening, entry), read from this one.

        Links in both directions: a `timeline.model.events.Related` naming
        this happening first reads ``relation.phrase`` (``"caused by"``),
        one naming it second ``relation.inverse_phrase`` (``"caused"``).

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> oct_4 = load_corpus().as_of(dt.date(2017, 10, 4))
        >>> for phrase, other, _ in oct_4["fedyanin-wounding"].related():
        ...     print(phrase, other)
        caused fedyanin-death

        .. versionadded:: 0.2.0
        """
        found = []
        for entry in self.links:
            event: Related = entry.event  # type: ignore[assignment]
            relation: Link = event.relation
            if event.event_id in self.event_ids:
                found.append((relation.phrase, event.other_event_id, entry))
            if event.other_event_id in self.event_ids:
                found.append((relation.inverse_phrase, event.event_id, entry))
        return tuple(found)

    @property
    def denials(self) -> tuple[Entry, ...]:
        """Return the denials of this happening."""
        return tuple(
            entry for entry in self.responses if isinstance(entry.event, Denial)
        )

    @property
    def rebuttals(self) -> tuple[Entry, ...]:
        """Return the rebuttals of what its claims say, in the order they became known.

        The other side of a dispute: each names who rebutted
        (``rebutted_by``) and its report when; the claims rebutted, with
        theirs, are the happening's ``claims``.

        .. versionadded:: 0.2.0
        """
        return tuple(
            entry for entry in self.responses if isinstance(entry.event, Rebuttal)
        )

    def matches(self, text: str) -> bool:
        """Return whether *text* occurs in anything the record holds of it.

        Searched: the ids, and of every claim, withdrawn claim and response
        its type, actors, place, quote, note, text facts, the outlet, title
        and url of its report, and every source of its attribution chain
        (so ``"Arab News"`` or ``"TASS"`` finds what they reported). Case
        is ignored.
        """
        needle = text.casefold()
        haystack = list(self.event_ids)
        for entry in self.claims + self.withdrawn + self.responses:
            haystack.extend(searched_texts(entry.event))
        return any(needle in item.casefold() for item in haystack)

    def _repr_html_(self) -> str:
        """Return the fields and claims as HTML tables, as notebooks display them."""
        return display.html_table(self)


def searched_texts(event: Event) -> Iterator[str]:
    """Yield the texts of one entry that `Happening.matches` searches.

    Its type, actors, every source of its attribution chain, its outlet,
    place, quote, note, title and url, and its text facts: what a store's
    text index must hold for each entry (with its ``event_id``) to find
    every happening a text matches.

    .. versionadded:: 0.2.0
    """
    report = event.report
    yield event.event_type
    yield from event.actors
    yield from (source.name for source in event.attribution)
    yield report.outlet.name
    yield from (
        value
        for value in (event.where, event.quote, event.note, report.title, report.url)
        if value
    )
    yield from (value for value in event.facts().values() if isinstance(value, str))


@attrs.frozen
class Conflict:
    """A field of a happening on which two live values contradict each other.

    .. versionadded:: 0.1.0
    """

    happening: Happening
    field: FieldValues

    @property
    def pairs(self) -> tuple[ValuePair, ...]:
        """Return the pairs of values that contradict, each with its reason.

        .. versionadded:: 0.2.0
        """
        return self.field.contradicting


def happening_of(
    entries: list[Entry],
    merged: Iterable[str] = (),
    places: Places = NO_PLACES,
    verdicts: Sequence[Entry] = (),
    links: Sequence[Entry] = (),
) -> Happening:
    # A happening's ids are those of its merge group and those its entries
    # are about; the smallest names it. Its values are compared with
    # *places*, and the analyst's *verdicts* on it (in any order); *links*
    # are the Related entries naming it (in any order).
    event_ids = frozenset({entry.event.event_id for entry in entries}.union(merged))
    root = min(event_ids)
    entries.sort(key=_order_key)
    claims: list[Entry] = []
    responses: list[Entry] = []
    withdrawing: list[Entry] = []
    held = 0  # the statuses beyond REPORTED, as `_STATUS_SETS` numbers them
    rebutted = False
    for entry in entries:
        event = entry.event
        role = event.role
        if role is Role.CLAIM:
            claims.append(entry)
        elif role is Role.RESPONSE:
            responses.append(entry)
            if isinstance(event, _WITHDRAWALS):
                withdrawing.append(entry)
            elif isinstance(event, Denial):
                held |= _DENIED
            elif isinstance(event, Confirmation):
                held |= _CONFIRMED
            elif isinstance(event, Rebuttal):
                rebutted = True
    withdrawn_by: dict[int, Entry] = {}
    for response in withdrawing:
        report = response.event.report
        for claim in claims:
            said = claim.event.report
            if (
                said.outlet == report.outlet
                and said != report
                and _published_before(said, report)
            ):
                withdrawn_by.setdefault(claim.seq, response)
    if withdrawn_by:
        live = tuple(claim for claim in claims if claim.seq not in withdrawn_by)
        withdrawn = tuple(claim for claim in claims if claim.seq in withdrawn_by)
        for response in withdrawn_by.values():
            if not isinstance(response.event, Retraction):
                held |= _CORRECTED
            elif not live:
                held |= _RETRACTED
    else:
        live, withdrawn = tuple(claims), ()
    if not live:
        held &= ~_DENIED
    elif rebutted:
        # A rebuttal disputes what live claims say; with none left, there
        # is nothing to dispute, as a denial then denies nothing.
        held |= _DISPUTED
    judged = tuple(sorted(verdicts, key=_judged_order)) if verdicts else ()
    fields = fields_of(live, places, judged)
    if any(len(field.values) > 1 and field.in_conflict for field in fields.values()):
        held |= _DISPUTED
    return Happening(
        event_id=root,
        event_ids=event_ids,
        claims=live,
        withdrawn=withdrawn,
        responses=tuple(responses),
        fields=MappingProxyType(fields),
        statuses=_STATUS_SETS[held],
        verdicts=judged,
        links=tuple(sorted(links, key=_judged_order)) if links else (),
    )


def sharing_when(
    happening: Happening, lenders: Iterable[Happening], places: Places = NO_PLACES
) -> Happening:
    # *happening* with the dates the live claims of *lenders* (the
    # happenings a `Related` with same_when links it with) report added to
    # its own `when`, each date with the claims behind it, and DISPUTED when
    # they contradict. A claim dates a happening when its facts() hold a
    # when, as `fields_of` reads them (a type of one's own may leave it out).
    borrowed = [entry for lender in lenders for entry in lender.claims if _dates(entry)]
    if not borrowed:
        return happening
    dated = sorted(
        [*(entry for entry in happening.claims if _dates(entry)), *borrowed],
        key=_order_key,
    )
    when = fields_of(dated, places, happening.verdicts)["when"]
    fields = dict(happening.fields)
    fields["when"] = when
    statuses = happening.statuses
    if len(when.values) > 1 and when.in_conflict:
        statuses = statuses | {Status.DISPUTED}
    return attrs.evolve(
        happening,
        fields=MappingProxyType({name: fields[name] for name in sorted(fields)}),
        statuses=statuses,
    )


def _dates(entry: Entry) -> bool:
    # Whether a claim states a date of its happening.
    event = entry.event
    return event.when is not None and "when" in event.facts()


def _judged_order(entry: Entry) -> tuple[dt.date, int]:
    # The order in which analyst entries count: the later one holds.
    return known_on(entry), entry.seq


_WITHDRAWALS = (Retraction, Correction)


def _published_before(said: Report, withdrawal: Report) -> bool:
    # Whether a claim's report came before a withdrawal's. Days decide;
    # on the same day, two times of day do, and with a day alone the claim
    # counts as earlier (the order within the day is unknown, and a
    # withdrawal takes back what its outlet had said).
    day, then_day = said.published_day, withdrawal.published_day
    if day != then_day:
        return day < then_day
    first, then = said.published, withdrawal.published
    if isinstance(first, dt.datetime) and isinstance(then, dt.datetime):
        return first < then
    return True


# Every set of statuses a happening can hold, one frozenset shared by every
# happening holding it, numbered by the bits of the statuses beyond REPORTED.
_FLAGGED = (
    Status.DENIED,
    Status.CONFIRMED,
    Status.RETRACTED,
    Status.CORRECTED,
    Status.DISPUTED,
)
_DENIED, _CONFIRMED, _RETRACTED, _CORRECTED, _DISPUTED = (1 << n for n in range(5))
_STATUS_SETS = tuple(
    frozenset(
        {Status.REPORTED}.union(
            status for bit, status in enumerate(_FLAGGED) if held >> bit & 1
        )
    )
    for held in range(1 << len(_FLAGGED))
)
