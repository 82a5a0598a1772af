# SPDX-License-Identifier: MIT
"""The `Knowledge` projection: the state of the record as of a knowledge date.

`Knowledge` is a pure fold over log entries. For each happening it keeps
every value reported for every field, each with the claims behind it and the
day it first became known; it says which fields are in conflict without
picking a winner; and it derives a status (reported, disputed, denied,
retracted, corrected, confirmed) by replaying denials, retractions,
corrections, confirmations, merges and the analyst's amendments.
"""

import bisect
import contextlib
import datetime as dt
import enum
import gc
import importlib
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, KeysView, Mapping, Sequence
from types import MappingProxyType
from typing import Any, cast

import attrs

from timeline.errors import DanglingReferenceError, InvalidDateError, InvalidEntryError
from timeline.model.dates import Certainty, FuzzyDate
from timeline.model.entry import Entry
from timeline.model.events import (
    Amendment,
    Confirmation,
    Correction,
    Death,
    Denial,
    Estimate,
    Event,
    Retraction,
    Role,
    SameAs,
    Split,
    Wounding,
)
from timeline.model.sources import Reliability, Report, Source
from timeline.projections import display

__all__ = [
    "Conflict",
    "EntityState",
    "FieldValues",
    "Happening",
    "IndexSnapshot",
    "Knowledge",
    "KnowledgeDiff",
    "KnowledgeIndex",
    "Resolution",
    "Slot",
    "Status",
    "Value",
    "build_knowledge",
    "diff",
    "earliest_report",
    "history",
    "latest_report",
    "most_reliable_source",
    "most_sources",
]


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
    """Live claims disagree on at least one field."""
    CORRECTED = "corrected"
    """A source corrected its own earlier claims."""
    CONFIRMED = "confirmed"
    """A party confirmed it."""
    REPORTED = "reported"
    """Claimed, and nothing else is known."""


_PRECEDENCE = tuple(Status)


def _value_key(value: object) -> object:
    # Two sources that say "Sept. 23" in different words state one value:
    # the phrase and its anchor are provenance, not the value. A date's key
    # is a tuple of the rest, which hashes and compares in C; a subclass of
    # FuzzyDate, which may have fields of its own, is keyed by itself.
    if isinstance(value, FuzzyDate):
        if value.__class__ is FuzzyDate:
            return _date_key(value)
        if value.phrase is not None or value.anchor is not None:
            return attrs.evolve(value, phrase=None, anchor=None)
    return value


# Marks a tuple as a date's key, so that no value a claim states equals it.
_DATE = object()


def _date_key(value: FuzzyDate) -> tuple[object, ...]:
    return (_DATE, value.earliest, value.latest, value.precision, value.choices)


def _tie_key(key: object, value: object) -> tuple[object, ...]:
    # The order of values first known on the same day, given each one's key
    # and its first wording: dates by `FuzzyDate.sort_key` (their bounds
    # decide before their wording can), then other values by type, and by
    # text, or for an estimate by its figures, a missing one first.
    if value.__class__ is FuzzyDate:
        return (0, value.sort_key)
    kind = key.__class__
    if kind is str:
        return (1, "str", key)
    if kind is Estimate:
        figures = key.low, key.best, key.high  # type: ignore[attr-defined]
        return (1, "Estimate", tuple(-1 if n is None else n for n in figures))
    return (1, kind.__qualname__, key if isinstance(key, str) else repr(key))


def _known_on(entry: Entry) -> dt.date:
    return entry.event.report.published_day


# Independent claims may be appended in any order; answers list them by
# when they became known and who made them, with seq only as a last tie:
# (published day, outlet name, event type, seq), read in one C call.
_order_key: Callable[[Entry], tuple[dt.date, str, str, int]] = operator.attrgetter(
    "event.report.published_day", "event.report.outlet.name", "event.event_type", "seq"
)


@attrs.frozen
class Value:
    """One value reported for one field, with the claims that state it.

    Args:
        value: The value, as the first claim stated it (a `FuzzyDate` keeps
            that claim's phrase).
        claims: The live entries stating it, in the order they became known.

    .. versionadded:: 0.1.0
    """

    value: object
    claims: tuple[Entry, ...]

    @property
    def first_known(self) -> dt.date:
        """Return the day this value first became known."""
        return min(_known_on(entry) for entry in self.claims)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Return the distinct claimants behind this value, in order of first claim."""
        return tuple(dict.fromkeys(entry.event.claimant for entry in self.claims))

    @property
    def outlets(self) -> tuple[Source, ...]:
        """Return the distinct outlets that published this value."""
        return tuple(dict.fromkeys(entry.event.report.outlet for entry in self.claims))


@attrs.frozen
class Resolution:
    """A resolution policy's choice for a field, and why.

    Args:
        value: The chosen value, or None when the policy cannot decide.
        reason: Why this value, in words, naming the evidence.
        policy: The name of the policy that chose.

    .. versionadded:: 0.1.0
    """

    value: Value | None
    reason: str
    policy: str


@attrs.frozen
class FieldValues:
    """Every value live claims report for one field of one happening.

    Args:
        name: The field's name.
        values: Each distinct value, in the order they first became known.
            Values first known on the same day are ordered by value, so the
            order never depends on the order claims were appended in: dates
            by their first possible day, then their last (an open start
            first, an open end last); any other value by its type's name,
            then its text, or an `Estimate` by its low, best and high
            figures, a missing figure first.

    .. versionadded:: 0.1.0
    """

    name: str
    values: tuple[Value, ...]

    @property
    def in_conflict(self) -> bool:
        """Return whether live claims disagree.

        Distinct values conflict; fuzzy dates conflict only when they cannot
        both be true (Sept. 23 and Sept. 24 do; "September" and Sept. 23 do
        not, the second refines the first).
        """
        if len(self.values) < 2:  # noqa: PLR2004
            return False
        raw = [value.value for value in self.values]
        if all(isinstance(value, FuzzyDate) for value in raw):
            dates: list[FuzzyDate] = raw  # type: ignore[assignment]
            return any(
                not first.overlaps(second)
                for index, first in enumerate(dates)
                for second in dates[index + 1 :]
            )
        return True

    @property
    def settled(self) -> Value | None:
        """Return the single value if all live claims agree, else None."""
        return self.values[0] if len(self.values) == 1 else None

    def resolve(self, policy: "Callable[[FieldValues], Resolution]") -> Resolution:
        """Return the value *policy* picks, with its reason.

        No winner is ever picked unless asked for: this is the asking.
        """
        return policy(self)

    def _repr_html_(self) -> str:
        """Return the values as an HTML table, as notebooks display them."""
        return display.html_table(self)


def _claim_count(value: Value) -> int:
    return len(value.sources)


_GRADES = {grade: index for index, grade in enumerate(Reliability)}


def _best_grade(value: Value) -> int:
    grades = [
        _GRADES[entry.event.reliability]
        for entry in value.claims
        if entry.event.reliability is not None
    ]
    return min(grades, default=len(_GRADES))


def _pick(
    field: FieldValues,
    policy: str,
    score: Callable[[Value], Any],
    describe: Callable[[Value], str],
) -> Resolution:
    ranked = sorted(field.values, key=score)
    best = ranked[0]
    tied = [value for value in ranked if score(value) == score(best)]
    if len(tied) > 1:
        listing = "; ".join(f"{value.value} ({describe(value)})" for value in tied)
        return Resolution(None, f"no decision: tie between {listing}", policy)
    return Resolution(best, f"{best.value}: {describe(best)}", policy)


def most_reliable_source(field: FieldValues) -> Resolution:
    """Choose the value backed by the best Admiralty reliability grade.

    .. versionadded:: 0.1.0
    """

    def describe(value: Value) -> str:
        grade = _best_grade(value)
        label = list(Reliability)[grade].value if grade < len(_GRADES) else "ungraded"
        return f"best source reliability {label}"

    return _pick(field, "most reliable source", _best_grade, describe)


def most_sources(field: FieldValues) -> Resolution:
    """Choose the value stated by the most distinct claimants.

    .. versionadded:: 0.1.0
    """

    def describe(value: Value) -> str:
        names = ", ".join(source.name for source in value.sources)
        return f"{_claim_count(value)} source(s): {names}"

    return _pick(field, "most sources", lambda value: -_claim_count(value), describe)


def earliest_report(field: FieldValues) -> Resolution:
    """Choose the value that became known first.

    .. versionadded:: 0.1.0
    """

    def describe(value: Value) -> str:
        return f"first reported {value.first_known} by {value.outlets[0]}"

    return _pick(field, "earliest report", lambda value: value.first_known, describe)


def latest_report(field: FieldValues) -> Resolution:
    """Choose the value most recently reported.

    .. versionadded:: 0.1.0
    """

    def last_known(value: Value) -> dt.date:
        return max(_known_on(entry) for entry in value.claims)

    def describe(value: Value) -> str:
        return f"last reported {last_known(value)}"

    return _pick(
        field, "latest report", lambda value: -last_known(value).toordinal(), describe
    )


@attrs.frozen
class Happening:
    """What the record says of one happening (or of several merged ones).

    Args:
        event_id: The happening's id; for merged happenings, the smallest id.
        event_ids: Every id merged into it.
        claims: Live claims, in the order they became known.
        withdrawn: Claims their own source retracted or corrected.
        responses: Denials, confirmations, retractions and corrections.
        fields: Every value reported for every field.
        statuses: Every status the replay supports; `status` is the strongest.

    .. versionadded:: 0.1.0
    """

    event_id: str
    event_ids: frozenset[str]
    claims: tuple[Entry, ...]
    withdrawn: tuple[Entry, ...]
    responses: tuple[Entry, ...]
    fields: Mapping[str, FieldValues]
    statuses: frozenset[Status]

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
        """Return the fields live claims disagree on."""
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
            _known_on(entry) for entry in self.claims + self.withdrawn + self.responses
        )

    @property
    def denials(self) -> tuple[Entry, ...]:
        """Return the denials of this happening."""
        return tuple(
            entry for entry in self.responses if isinstance(entry.event, Denial)
        )

    def matches(self, text: str) -> bool:
        """Return whether *text* occurs in the ids, types, actors, places or quotes.

        Case is ignored.
        """
        needle = text.casefold()
        haystack = list(self.event_ids)
        for entry in self.claims + self.withdrawn + self.responses:
            event = entry.event
            haystack.append(event.event_type)
            haystack.extend(event.actors)
            haystack.extend(value for value in (event.where, event.quote) if value)
            haystack.extend(
                value for value in event.facts().values() if isinstance(value, str)
            )
        return any(needle in item.casefold() for item in haystack)

    def _repr_html_(self) -> str:
        """Return the fields and claims as HTML tables, as notebooks display them."""
        return display.html_table(self)


@attrs.frozen
class Conflict:
    """A field of a happening on which live claims disagree.

    .. versionadded:: 0.1.0
    """

    happening: Happening
    field: FieldValues


@attrs.frozen
class Slot:
    """Happenings whose order among themselves the record leaves uncertain.

    Every happening in a slot is certainly before every happening in the
    next slot; within a slot they are listed by their earliest possible day.

    .. versionadded:: 0.1.0
    """

    happenings: tuple[Happening, ...]

    @property
    def certain_order(self) -> bool:
        """Return whether the slot holds one happening, so its place is certain."""
        return len(self.happenings) == 1


@attrs.frozen
class EntityState:
    """What the record says of a person's state on one day of valid time.

    Args:
        entity: Who was asked about.
        on: The valid-time day asked about.
        state: ``"dead"``, ``"wounded"``, or ``"unknown"`` when nothing the
            record holds speaks to that day: unknown is not "alive".
        certainty: Whether the state certainly or only possibly held on *on*
            (a death reported "in September" possibly precedes Sept. 25).
        because: The claims the answer rests on.

    .. versionadded:: 0.1.0
    """

    entity: str
    on: dt.date
    state: str
    certainty: Certainty
    because: tuple[Entry, ...]


_STATE_CHANGES: tuple[tuple[type, str], ...] = ((Death, "dead"), (Wounding, "wounded"))


@attrs.frozen
class Knowledge:
    """The state of the record as of a knowledge date and a system time.

    Build it with ``EventLog.as_of(date)`` or `build_knowledge`.

    Args:
        as_of: The knowledge date: reports published on or before it count.
        seq: The system time: entries up to this seq count.
        happenings: What the record says of each happening, by id.

    .. versionadded:: 0.1.0
    """

    as_of: dt.date
    seq: int
    happenings: tuple[Happening, ...]
    _index: Mapping[str, Happening] = attrs.field(
        init=False, eq=False, repr=False, alias="_index"
    )

    def __attrs_post_init__(self) -> None:
        index = {event_id: h for h in self.happenings for event_id in h.event_ids}
        object.__setattr__(self, "_index", MappingProxyType(index))

    @classmethod
    def _indexed(
        cls,
        as_of: dt.date,
        seq: int,
        happenings: tuple[Happening, ...],
        index: dict[str, Happening],
    ) -> "Knowledge":
        # A Knowledge whose id index the caller has already built (patched
        # from another Knowledge's), skipping the rebuild in __init__.
        knowledge = cls.__new__(cls)
        for name, value in (
            ("as_of", as_of),
            ("seq", seq),
            ("happenings", happenings),
            ("_index", MappingProxyType(index)),
        ):
            object.__setattr__(knowledge, name, value)
        return knowledge

    def __len__(self) -> int:
        return len(self.happenings)

    def __iter__(self) -> Iterator[Happening]:
        return iter(self.happenings)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._index

    def __getitem__(self, event_id: str) -> Happening:
        """Return the happening *event_id*, or the merged happening holding it.

        Raises:
            DanglingReferenceError: If nothing of it was known as of this date.
        """
        try:
            return self._index[event_id]
        except KeyError:
            msg = f"nothing was known of {event_id!r} as of {self.as_of}"
            raise DanglingReferenceError(msg) from None

    def get(self, event_id: str) -> Happening | None:
        """Return the happening *event_id*, or None if nothing was known of it."""
        return self._index.get(event_id)

    def about(self, text: str) -> tuple[Happening, ...]:
        """Return the happenings that `Happening.matches` *text*."""
        return tuple(h for h in self.happenings if h.matches(text))

    def conflicts(self) -> tuple[Conflict, ...]:
        """Return every open conflict: each field on which live claims disagree."""
        return tuple(
            Conflict(happening, field)
            for happening in self.happenings
            for field in happening.conflicts
        )

    def timeline(self) -> tuple[tuple[Slot, ...], tuple[Happening, ...]]:
        """Return the dated happenings in slots of certain order, and the undated ones.

        Happenings whose possible dates overlap share a slot, so a
        month-precision visit is never placed before a dated event it may
        follow.
        """
        dated = sorted(
            (h for h in self.happenings if h.when is not None),
            key=lambda h: (h.when.sort_key, h.event_id),  # type: ignore[union-attr]
        )
        slots: list[list[Happening]] = []
        reach: dt.date | None = None
        open_end = False
        for happening in dated:
            when: FuzzyDate = happening.when  # type: ignore[assignment]
            starts = when.earliest
            if slots and (
                open_end or starts is None or reach is None or starts <= reach
            ):
                slots[-1].append(happening)
            else:
                slots.append([happening])
                reach, open_end = None, False
            if when.latest is None:
                open_end = True
            elif reach is None or when.latest > reach:
                reach = when.latest
        undated = tuple(h for h in self.happenings if h.when is None)
        return tuple(Slot(tuple(slot)) for slot in slots), undated

    def first_known(
        self, event_id: str, field: str | None = None, value: object = None
    ) -> dt.date | None:
        """Return the day a happening, a field of it, or one value first became known.

        A claim its outlet later retracted or corrected still made what it
        stated known on its day, as `Happening.first_known` counts it.
        Returns None when it was not known as of this knowledge date.
        """
        happening = self.get(event_id)
        if happening is None:
            return None
        if field is None:
            return happening.first_known
        values = (
            _fields(happening.claims + happening.withdrawn).get(field)
            if happening.withdrawn
            else happening.fields.get(field)
        )
        if values is None:
            return None
        days = [
            candidate.first_known
            for candidate in values.values
            if value is None or _value_key(candidate.value) == _value_key(value)
        ]
        return min(days, default=None)

    def state_of(self, entity: str, *, on: dt.date) -> EntityState:
        """Return what the record says of *entity*'s state on the valid-time day *on*.

        *entity* matches the person of death and wounding claims, ignoring
        case. The most severe state that possibly held wins; it is certain
        when its date certainly lies on or before *on*.
        """
        needle = entity.casefold()
        for kind, state in _STATE_CHANGES:
            certain: list[Entry] = []
            possible: list[Entry] = []
            for happening in self.happenings:
                for entry in happening.claims:
                    event = entry.event
                    person = getattr(event, "person", "")
                    if not isinstance(event, kind) or needle not in person.casefold():
                        continue
                    when = event.when
                    if when is None:
                        continue
                    if when.latest is not None and when.latest <= on:
                        certain.append(entry)
                    elif when.earliest is None or when.earliest <= on:
                        possible.append(entry)
            if certain:
                return EntityState(
                    entity, on, state, Certainty.CERTAINLY, tuple(certain)
                )
            if possible:
                return EntityState(
                    entity, on, state, Certainty.POSSIBLY, tuple(possible)
                )
        return EntityState(entity, on, "unknown", Certainty.NOT, ())

    def _repr_html_(self) -> str:
        """Return one row per happening as an HTML table, as notebooks display it."""
        return display.html_table(self)

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat, JSON-ready record per claim, for tables and data frames.

        See `timeline.views.records.claim_rows` for the keys.
        """
        return display.claim_records(self)

    def to_dataframe(self) -> Any:
        """Return `to_records` as a pandas DataFrame, one row per claim.

        Raises:
            ImportError: If pandas is not installed; install the
                ``contested-timeline[pandas]`` extra.
        """
        try:
            pandas = importlib.import_module("pandas")
        except ImportError as error:
            msg = (
                "Knowledge.to_dataframe() needs pandas: "
                "pip install 'contested-timeline[pandas]'"
            )
            raise ImportError(msg) from error
        return pandas.DataFrame(self.to_records())


@attrs.frozen
class KnowledgeDiff:
    """What became known between two knowledge dates.

    Args:
        since: The earlier knowledge date (exclusive).
        until: The later knowledge date (inclusive).
        new_happenings: Happenings unknown at *since* and known at *until*.
        new_values: (happening id, field, value) reported for the first time:
            no happening known at *since* that holds one of the happening's
            ids (several, if a merge has joined them since) had the value.
        new_conflicts: Conflicts open at *until* that were not at *since*: no
            happening known then that holds one of its ids had that field in
            conflict.
        status_changes: (happening id, status before, status after), before
            being that of the happening known at *since* that holds the
            smallest of its ids.

    .. versionadded:: 0.1.0
    """

    since: dt.date
    until: dt.date
    new_happenings: tuple[Happening, ...]
    new_values: tuple[tuple[str, str, Value], ...]
    new_conflicts: tuple[Conflict, ...]
    status_changes: tuple[tuple[str, Status, Status], ...]

    def __bool__(self) -> bool:
        return bool(
            self.new_happenings
            or self.new_values
            or self.new_conflicts
            or self.status_changes
        )


def build_knowledge(
    entries: Iterable[Entry], *, as_of: dt.date, seq: int | None = None
) -> Knowledge:
    """Fold *entries* (in log order) into what was known on *as_of*.

    Args:
        entries: Log entries in seq order.
        as_of: The knowledge date: reports published on or before it count.
        seq: Only entries up to this seq count (a system-time pin).

    Raises:
        InvalidDateError: If *as_of* is not a date.

    .. versionadded:: 0.1.0
    """
    _require_day(as_of)
    with _young_collections_only():
        return _build_knowledge(entries, as_of, seq)


@contextlib.contextmanager
def _young_collections_only() -> Iterator[None]:
    # A fold makes objects that live on in its answer and no garbage
    # cycles, while the log holds millions that a full collection would
    # walk for nothing. Collections of the young generations still run,
    # walking the new objects in small batches while they are fresh in the
    # CPU's cache; only full ones wait until the fold returns, when the
    # collector's thresholds are put back as they were. Pausing the
    # collector instead (`timeline._gc.collection_paused`) leaves every object the fold
    # made to be walked when it resumes, and again in the next collection
    # of the middle generation, each time from cold memory: at 100k claims
    # that is about 1.2 µs a claim during the fold and 2.5 after it.
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, 1 << 30))
    try:
        yield
    finally:
        gc.set_threshold(first, second, third)


def _build_knowledge(
    entries: Iterable[Entry], as_of: dt.date, seq: int | None
) -> Knowledge:
    # One pass splits the window; a second keeps what is known and groups
    # it by happening. Each group is sorted by `_happening`, so the order
    # in which entries are grouped does not matter.
    rest: list[Entry] = []
    amendments: list[Entry] = []
    last_seq = 0
    for entry in entries:
        number = entry.seq
        if seq is not None and number > seq:
            continue
        last_seq = max(last_seq, number)
        if isinstance(entry.event, Amendment):
            amendments.append(entry)
        else:
            rest.append(entry)
    voided = _voided(amendments)
    merges: list[Entry] = []
    by_id: dict[str, list[Entry]] = {}
    for entry in rest:
        event = entry.event
        if event.report.published_day > as_of or (voided and entry.seq in voided):
            continue
        if isinstance(event, _MERGES):
            merges.append(entry)
            continue
        found = by_id.get(event.event_id)
        if found is None:
            by_id[event.event_id] = [entry]
        else:
            found.append(entry)
    return _assemble(by_id, merges, as_of, last_seq)


def _assemble(
    by_id: dict[str, list[Entry]], merges: list[Entry], as_of: dt.date, last_seq: int
) -> Knowledge:
    # The known entries of each happening (lists this takes over) and the
    # known merges, folded into Knowledge.
    groups = _merge_groups(merges)
    by_group: dict[str, list[Entry]] = {}
    for event_id, found in by_id.items():
        root = groups.get(event_id, event_id)
        if root in by_group:
            by_group[root].extend(found)
        else:
            by_group[root] = found
    members: dict[str, set[str]] = defaultdict(set)
    for node, root in groups.items():
        members[root].add(node)
    happenings = sorted(
        (_happening(group, members[root]) for root, group in by_group.items()),
        key=lambda happening: happening.event_id,
    )
    return Knowledge(as_of, last_seq, tuple(happenings))


def _voided(amendments: Iterable[Entry]) -> set[int]:
    # An amendment voids its target in system time, whatever the knowledge
    # date; voiding an amendment restores what it had voided. Amendments
    # always point backwards, so one pass from the newest settles each.
    voided: set[int] = set()
    for entry in sorted(amendments, key=lambda entry: -entry.seq):
        event: Amendment = entry.event  # type: ignore[assignment]
        if entry.seq not in voided:
            voided.add(event.voids)
    return voided


_MERGES = (SameAs, Split)


def _merge_groups(known: Sequence[Entry]) -> dict[str, str]:
    edges: set[frozenset[str]] = set()
    merges = sorted(
        (entry for entry in known if isinstance(entry.event, SameAs | Split)),
        key=lambda entry: (_known_on(entry), entry.seq),
    )
    for entry in merges:
        event: SameAs | Split = entry.event  # type: ignore[assignment]
        pair = frozenset({event.event_id, event.other_event_id})
        if isinstance(event, SameAs):
            edges.add(pair)
        else:
            edges.discard(pair)
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in edges:
        first, *rest = sorted(pair)
        for other in rest:
            low, high = sorted((find(first), find(other)))
            parent[high] = low
    return {node: find(node) for node in list(parent)}


def _happening(entries: list[Entry], merged: Iterable[str] = ()) -> Happening:
    # A happening's ids are those of its merge group and those its entries
    # are about; the smallest names it.
    event_ids = frozenset({entry.event.event_id for entry in entries}.union(merged))
    root = min(event_ids)
    entries.sort(key=_order_key)
    claims: list[Entry] = []
    responses: list[Entry] = []
    withdrawing: list[Entry] = []
    held = 0  # the statuses beyond REPORTED, as `_STATUS_SETS` numbers them
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
    fields = _fields(live)
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
    )


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


def _fields(claims: Sequence[Entry]) -> dict[str, FieldValues]:
    # For each field, each distinct value with the first claim's wording of
    # it and every claim stating it, in the claims' order. The claims come
    # in the order they became known (`_order_key`), which `_ranked` relies
    # on.
    collected: _Collected = {}
    collectors = _COLLECTORS
    for entry in claims:
        event = entry.event
        collect = collectors.get(event.__class__)
        if collect is None:
            collect = _collector(event.__class__)
        collect(entry, event, collected)
    fields = {}
    for name in sorted(collected):
        by_value = collected[name]
        if len(by_value) == 1:
            ((value, supporting),) = by_value.values()
            values: tuple[Value, ...] = (Value(value, tuple(supporting)),)
        else:
            values = tuple(
                Value(value, tuple(supporting))
                for value, supporting in _ranked(by_value)
            )
        fields[name] = FieldValues(name, values)
    return fields


def _ranked(
    by_value: dict[object, tuple[object, list[Entry]]],
) -> Iterable[tuple[object, list[Entry]]]:
    # A field's values in the order they first became known
    # (`Value.first_known`): the order they were collected in, as claims
    # come by day. Values first known on the same day are ordered by value
    # (`_tie_key`), so the order does not depend on the order claims were
    # appended in.
    if len(by_value) == 2:  # noqa: PLR2004 - most often, and cheaper told apart
        (key, pair), (other_key, other) = by_value.items()
        if pair[1][0].event.report.published_day == (
            other[1][0].event.report.published_day
        ) and _tie_key(other_key, other[0]) < _tie_key(key, pair[0]):
            return other, pair
        return pair, other
    days = [first[0].event.report.published_day for _, first in by_value.values()]
    if len(set(days)) == len(days):
        return by_value.values()
    tied = {day for day, after in itertools.pairwise(days) if day == after}
    return [
        pair
        for *_, pair in sorted(
            (day, _tie_key(key, pair[0]) if day in tied else (), index, pair)
            for index, (day, (key, pair)) in enumerate(
                zip(days, by_value.items(), strict=True)
            )
        )
    ]


# A field's values as `_fields` collects them: by the value's key
# (`_value_key`), the value as first stated and the claims stating it.
_Collected = dict[str, dict[object, tuple[object, list[Entry]]]]
_Collector = Callable[[Entry, Event, _Collected], None]

# Classes whose values are their own keys (`_value_key`), told by exact type.
_PLAIN: frozenset[type] = frozenset({str, int, Estimate})
_SKIP = object()


def _key(value: object) -> object:
    # The key of a value of any other class, or _SKIP for one that says
    # nothing: None and () state no fact.
    if value is None or (isinstance(value, tuple) and not value):
        return _SKIP
    return _value_key(value)


def _collect(collected: _Collected, name: str, value: object, entry: Entry) -> None:
    key = _key(value)
    if key is _SKIP:
        return
    by_value = collected.get(name)
    if by_value is None:
        collected[name] = {key: (value, [entry])}
        return
    found = by_value.get(key)
    if found is None:
        by_value[key] = (value, [entry])
    else:
        found[1].append(entry)


# One fact field of a generated collector: `_collect`, written out for the
# field, with the key of a date (`_date_key`) or a plain value made in line.
_COLLECT_FIELD = """\
    value = event.{name}
    if value is not None:
        kind = value.__class__
        if kind is FuzzyDate:
            key = (
                date,
                value.earliest,
                value.latest,
                value.precision,
                value.choices,
            )
        elif kind in plain:
            key = value
        else:
            key = other_key(value)
        if key is not skip:
            by_value = collected.get({name!r})
            if by_value is None:
                collected[{name!r}] = {{key: (value, [entry])}}
            else:
                found = by_value.get(key)
                if found is None:
                    by_value[key] = (value, [entry])
                else:
                    found[1].append(entry)
"""


def _collector(cls: type[Event]) -> _Collector:
    # A function adding one claim's facts to what `_fields` collects, made
    # once per event class: code reading each fact field by name for a
    # class with the default facts(); a class that overrides facts() is
    # asked itself.
    if cls.facts is not Event.facts:

        def collect_facts(entry: Entry, event: Event, collected: _Collected) -> None:
            for name, value in event.facts().items():
                _collect(collected, name, value, entry)

        collect = collect_facts
    else:
        lines = ["def collect(entry, event, collected):", "    pass"]
        lines += [_COLLECT_FIELD.format(name=name) for name in cls.fact_fields()]
        namespace: dict[str, Any] = {
            "FuzzyDate": FuzzyDate,
            "date": _DATE,
            "plain": _PLAIN,
            "other_key": _key,
            "skip": _SKIP,
        }
        # Field names are identifiers: attrs generates code with them too.
        exec(  # noqa: S102 - the code is ours; the names are attrs field names
            compile("\n".join(lines), f"<timeline fold of {cls.__qualname__}>", "exec"),
            namespace,
        )
        collect = namespace["collect"]
    _COLLECTORS[cls] = collect
    return collect


_COLLECTORS: dict[type[Event], _Collector] = {}


def diff(entries: Sequence[Entry], since: dt.date, until: dt.date) -> KnowledgeDiff:
    """Return what became known after *since* and up to *until*.

    Raises:
        InvalidDateError: If *since* is after *until*.

    .. versionadded:: 0.1.0
    """
    _check_window(since, until)
    return _compare(
        build_knowledge(entries, as_of=since), build_knowledge(entries, as_of=until)
    )


def _check_window(since: dt.date, until: dt.date) -> None:
    if since > until:
        msg = f"diff from {since} to {until}: the first date is after the second"
        raise InvalidDateError(msg)


def _compare(before: Knowledge, after: Knowledge) -> KnowledgeDiff:
    # What *after* knows that *before* did not. A happening both answers
    # share (an answer patched from the other's checkpoint) is skipped.
    known_before = set(before._index)
    new_happenings: list[Happening] = []
    new_values: list[tuple[str, str, Value]] = []
    new_conflicts: list[Conflict] = []
    status_changes: list[tuple[str, Status, Status]] = []
    for happening in after:
        root = happening.event_id
        if before.get(root) is happening:
            continue
        if happening.event_ids.isdisjoint(known_before):
            new_happenings.append(happening)
        # What was known then of every id it holds, in however many
        # happenings (a merge since joins them, a split parts them).
        olds = _holding(before, happening)
        for name, field in happening.fields.items():
            old_keys = {
                _value_key(value.value)
                for old in olds
                for value in (old.fields[name].values if name in old.fields else ())
            }
            new_values.extend(
                (root, name, value)
                for value in field.values
                if _value_key(value.value) not in old_keys
            )
        if olds and olds[0].status is not happening.status:
            status_changes.append((root, olds[0].status, happening.status))
        disputed = {field.name for old in olds for field in old.conflicts}
        new_conflicts.extend(
            Conflict(happening, field)
            for field in happening.conflicts
            if field.name not in disputed
        )
    return KnowledgeDiff(
        before.as_of,
        after.as_of,
        tuple(new_happenings),
        tuple(new_values),
        tuple(new_conflicts),
        tuple(status_changes),
    )


def _holding(knowledge: Knowledge, happening: Happening) -> list[Happening]:
    # The happenings of *knowledge* holding any id *happening* holds, each
    # once, by the smallest such id.
    found: dict[int, Happening] = {}
    for event_id in sorted(happening.event_ids):
        held = knowledge.get(event_id)
        if held is not None:
            found.setdefault(id(held), held)
    return list(found.values())


def history(
    entries: Sequence[Entry], event_id: str
) -> tuple[tuple[dt.date, Happening], ...]:
    """Return how knowledge of *event_id* evolved: its state on each day it changed.

    Each step is the knowledge date and the happening as it stood then,
    merges with other happenings included.

    Raises:
        DanglingReferenceError: If no entry names *event_id*.

    .. versionadded:: 0.1.0
    """
    if event_id not in {entry.event.event_id for entry in entries}:
        msg = f"no entry is about {event_id!r}"
        raise DanglingReferenceError(msg)
    merges_of = _pairs_by_id(
        entry for entry in entries if isinstance(entry.event, SameAs | Split)
    )
    related, _ = _linked(event_id, _naming_in(merges_of))
    days = {_known_on(entry) for entry in entries if entry.event.event_id in related}
    return _history(days, lambda day: build_knowledge(entries, as_of=day).get(event_id))


def _pairs_by_id(merges: Iterable[Entry]) -> dict[str, list[Entry]]:
    # Each merge and split under both ids it names.
    by_id: dict[str, list[Entry]] = {}
    for entry in merges:
        _file_merge(by_id, entry)
    return by_id


def _file_merge(by_id: dict[str, list[Entry]], entry: Entry) -> None:
    # File one merge or split under both ids it names.
    event: SameAs | Split = entry.event  # type: ignore[assignment]
    for name in {event.event_id, event.other_event_id}:
        by_id.setdefault(name, []).append(entry)


def _naming_in(
    merges_of: Mapping[str, Sequence[Entry]],
) -> Callable[[list[str]], Iterator[Entry]]:
    # `_linked`'s *naming*, from merges and splits filed under each id.
    return lambda ids: (entry for name in ids for entry in merges_of.get(name, ()))


def _linked(
    event_id: str, naming: Callable[[list[str]], Iterable[Entry]]
) -> tuple[set[str], list[Entry]]:
    # Every happening some chain of merges or splits links *event_id* with,
    # in any order and whatever their dates or amendments (a superset of its
    # merge group on any date, which `KnowledgeIndex.happening` narrows),
    # and those merges and splits, in seq order. *naming* gives the ones
    # that name any of some ids.
    reached, found = {event_id}, {}
    frontier = [event_id]
    while frontier:
        named, frontier = naming(frontier), []
        for entry in named:
            found[entry.seq] = entry
            event: SameAs | Split = entry.event  # type: ignore[assignment]
            for other in (event.event_id, event.other_event_id):
                if other not in reached:
                    reached.add(other)
                    frontier.append(other)
    return reached, [found[seq] for seq in sorted(found)]


def _history(
    days: Iterable[dt.date], at: Callable[[dt.date], Happening | None]
) -> tuple[tuple[dt.date, Happening], ...]:
    # `history`, asking *at* for the happening on each day some entry about
    # it or a happening linked with it became known: a fold, or the log's
    # index answering without one. A happening changes on no other day.
    steps: list[tuple[dt.date, Happening]] = []
    for day in sorted(days):
        found = at(day)
        if found is not None and (not steps or steps[-1][1] != found):
            steps.append((day, found))
    return tuple(steps)


@attrs.frozen
class IndexSnapshot:
    """The frozen state of a `KnowledgeIndex`, to resume from without a replay.

    .. versionadded:: 0.1.0
    """

    last_seq: int
    by_event: tuple[tuple[str, tuple[Entry, ...]], ...]
    merges: tuple[Entry, ...]
    amendments: tuple[Entry, ...]


class KnowledgeIndex:
    """Entries indexed as they are appended, so one happening costs no replay.

    A point query (`happening`) reads only the entries about the happening
    and its merge group, the merges that touch the group and the amendments
    that void any of those: its cost grows with what is known of that
    happening, not with the log. A full query (`as_of`) starts from the
    index's last answer and rebuilds only what changed between the two
    dates. Their answers equal `build_knowledge`'s, which the tests prove.

    >>> import datetime as dt
    >>> from timeline.corpus import load_corpus
    >>> index = KnowledgeIndex(load_corpus())
    >>> index.happening("asapov-death", as_of=dt.date(2017, 9, 27)) is None
    True
    >>> first = index.as_of(dt.date(2017, 10, 3))
    >>> then = index.as_of(dt.date(2017, 10, 4))  # from the checkpoint
    >>> then == build_knowledge(load_corpus(), as_of=dt.date(2017, 10, 4))
    True
    >>> then["asapov-death"].status.name
    'DISPUTED'

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_amended",
        "_amendments",
        "_by_event",
        "_checkpoint",
        "_day_keys",
        "_ids_on_day",
        "_last_seq",
        "_merges",
        "_merges_of",
    )

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        # Each happening's entries in seq order: a tuple of exactly their
        # number when indexed in bulk (see `_extend_empty`), a list once
        # appended to.
        self._by_event: dict[str, list[Entry] | tuple[Entry, ...]] = {}
        self._merges: list[Entry] = []
        self._amendments: list[Entry] = []
        # Merges by each id they name, and amendments by the seq they void.
        self._merges_of: dict[str, list[Entry]] = {}
        self._amended: dict[int, list[Entry]] = {}
        self._last_seq = 0
        # Built by the first full query and dropped by the next append: the
        # ids each day's entries (but amendments) name, the days in order,
        # and the last full answer, which the next query starts from.
        self._ids_on_day: dict[dt.date, list[str]] | None = None
        self._day_keys: list[dt.date] = []
        self._checkpoint: Knowledge | None = None
        self.extend(entries)

    @classmethod
    def from_snapshot(cls, snapshot: IndexSnapshot) -> "KnowledgeIndex":
        """Return an index holding what *snapshot* held; extend it with the tail."""
        index = cls()
        index._by_event = dict(snapshot.by_event)
        for entry in snapshot.merges:
            index._add_merge(entry)
        for entry in snapshot.amendments:
            index._add_amendment(entry)
        index._last_seq = snapshot.last_seq
        return index

    @property
    def last_seq(self) -> int:
        """Return the seq of the newest entry indexed, 0 when empty."""
        return self._last_seq

    def event_ids(self) -> KeysView[str]:
        """Return a live view of every happening id some claim is about.

        Merges, splits and amendments only name ids a claim already
        introduced, so these are every id the log's entries name.

        .. versionadded:: 0.1.0
        """
        return self._by_event.keys()

    def snapshot(self) -> IndexSnapshot:
        """Return the index's state, frozen."""
        return IndexSnapshot(
            self._last_seq,
            tuple((key, tuple(value)) for key, value in self._by_event.items()),
            tuple(self._merges),
            tuple(self._amendments),
        )

    def extend(self, entries: Iterable[Entry]) -> None:
        """Index *entries*, which must follow what is indexed in seq order.

        Raises:
            InvalidEntryError: If an entry does not follow the last one.
        """
        self._ids_on_day = self._checkpoint = None
        self._day_keys = []
        # Into an empty index (a log loading its store), each happening's
        # entries are gathered in lists, then kept in exact-size tuples.
        bulk = not self._by_event
        by_event: dict[str, list[Entry] | tuple[Entry, ...]] = (
            {} if bulk else self._by_event
        )
        apart: list[Entry] = []
        try:
            for entry in entries:
                if entry.seq <= self._last_seq:
                    msg = f"entry seq {entry.seq} does not follow seq {self._last_seq}"
                    raise InvalidEntryError(msg)
                event = entry.event
                if isinstance(event, _APART):
                    apart.append(entry)
                else:
                    found = by_event.get(event.event_id)
                    if found is None:
                        by_event[event.event_id] = [entry]
                    elif type(found) is list:
                        found.append(entry)
                    else:
                        by_event[event.event_id] = [*found, entry]
                self._last_seq = entry.seq
        finally:
            # What preceded a refused entry stays indexed. Merges and
            # amendments come after the tuples, not to hold on to the
            # lists' memory.
            if bulk:
                self._by_event = _exact_tuples(by_event)
            for entry in apart:
                if isinstance(entry.event, SameAs | Split):
                    self._add_merge(entry)
                else:
                    self._add_amendment(entry)

    def _add_merge(self, entry: Entry) -> None:
        self._merges.append(entry)
        _file_merge(self._merges_of, entry)

    def _add_amendment(self, entry: Entry) -> None:
        event: Amendment = entry.event  # type: ignore[assignment]
        self._amendments.append(entry)
        self._amended.setdefault(event.voids, []).append(entry)

    def _voided(self, seq: int, pin: int) -> bool:
        # Whether a live amendment up to *pin* voids entry *seq*. An
        # amendment is live unless a later live one voids it: the same
        # answer as `_voided`'s pass from the newest amendment down.
        return any(
            amendment.seq <= pin and self._live(amendment.seq, pin)
            for amendment in self._amended.get(seq, ())
        )

    def _live(self, seq: int, pin: int) -> bool:
        return not any(
            seq < amendment.seq <= pin and self._live(amendment.seq, pin)
            for amendment in self._amended.get(seq, ())
        )

    def _group(self, event_id: str, as_of: dt.date, pin: int) -> list[str]:
        # The happenings merged with *event_id* as of the date: those
        # reachable through pairs whose last merge or split (by knowledge
        # date, then seq) is a merge, as `_merge_groups` finds them.
        merges_of = self._merges_of
        if event_id not in merges_of:
            return [event_id]
        members = [event_id]
        seen = {event_id}
        for node in members:  # grows while it is walked
            last: dict[frozenset[str], tuple[tuple[dt.date, int], bool]] = {}
            for entry in merges_of.get(node, ()):
                day = _known_on(entry)
                if entry.seq > pin or day > as_of or self._voided(entry.seq, pin):
                    continue
                event: SameAs | Split = entry.event  # type: ignore[assignment]
                pair = frozenset({event.event_id, event.other_event_id})
                order = (day, entry.seq)
                if pair not in last or last[pair][0] < order:
                    last[pair] = (order, isinstance(event, SameAs))
            for pair, (_, joined) in last.items():
                if joined:
                    for other in sorted(pair - seen):
                        seen.add(other)
                        members.append(other)
        return members

    def _steps(self, event_id: str) -> tuple[tuple[dt.date, Happening], ...]:
        # `history` of *event_id*, asking about the days on which what is
        # known of it can change: those its claims, and those of every
        # happening linked with it, and the merges and splits linking them,
        # became known. Raises when no claim is about it.
        if event_id not in self._by_event:
            msg = f"no entry is about {event_id!r}"
            raise DanglingReferenceError(msg)
        linked, merges = _linked(event_id, _naming_in(self._merges_of))
        days = {_known_on(entry) for entry in merges}
        for member in linked:
            days.update(_known_on(entry) for entry in self._by_event.get(member, ()))
        return _history(days, lambda day: self.happening(event_id, as_of=day))

    def happening(
        self, event_id: str, *, as_of: dt.date, seq: int | None = None
    ) -> Happening | None:
        """Return what was known of *event_id* on *as_of*, or None if nothing.

        Args:
            event_id: The happening, or any happening merged with it.
            as_of: The knowledge date.
            seq: Pin the system time to this seq.
        """
        pin = self._last_seq if seq is None else seq
        members = self._group(event_id, as_of, pin)
        amended = self._amended
        found = [
            entry
            for member in members
            for entry in self._by_event.get(member, ())
            if entry.seq <= pin
            and _known_on(entry) <= as_of
            and (entry.seq not in amended or not self._voided(entry.seq, pin))
        ]
        return _happening(found, members) if found else None

    def as_of(self, as_of: dt.date) -> Knowledge:
        """Return everything known on *as_of*, at the newest system time.

        Equal to ``build_knowledge(entries, as_of=as_of)``, which the tests
        prove. The index keeps its last answer as a checkpoint: the next
        starts from it and rebuilds only the happenings that claims published
        between the two dates touch (with their merge groups), so stepping
        through dates costs what changed between them, not a replay. The
        first query, one far from the checkpoint, or the first after an
        append, folds every entry.

        Raises:
            InvalidDateError: If *as_of* is not a date.

        .. versionadded:: 0.1.0
        """
        _require_day(as_of)
        with _young_collections_only():
            base = self._checkpoint
            voided = _voided(self._amendments)
            knowledge = None if base is None else self._patched(base, as_of, voided)
            if knowledge is None:
                if self._ids_on_day is None:
                    self._index_days()
                by_id = {}
                for event_id, found in self._by_event.items():
                    known = _known(found, as_of, voided)
                    if known:
                        by_id[event_id] = known
                merges = _known(self._merges, as_of, voided)
                knowledge = _assemble(by_id, merges, as_of, self._last_seq)
        self._checkpoint = knowledge
        return knowledge

    def _index_days(self) -> None:
        # The ids that entries published on each day name, for `_patched`;
        # built with the first full answer, whose fold it adds 2 to 3 % to.
        on_day: dict[dt.date, list[str]] = defaultdict(list)
        for event_id, found in self._by_event.items():
            for entry in found:
                on_day[entry.event.report.published_day].append(event_id)
        for entry in self._merges:
            event: SameAs | Split = entry.event  # type: ignore[assignment]
            on_day[event.report.published_day] += [event.event_id, event.other_event_id]
        self._ids_on_day = dict(on_day)
        self._day_keys = sorted(on_day)

    def _patched(
        self, base: Knowledge, as_of: dt.date, voided: set[int]
    ) -> Knowledge | None:
        # *base* as of *as_of*: the happenings that entries published
        # between the two dates touch are rebuilt, with every happening
        # they were or become merged with; None when too much changed for
        # that to be cheaper than a full fold.
        # Built with the first full answer, so set whenever a checkpoint is.
        on_day = cast(dict[dt.date, list[str]], self._ids_on_day)
        low, high = sorted((base.as_of, as_of))
        days = self._day_keys
        window = days[bisect.bisect_right(days, low) : bisect.bisect_right(days, high)]
        limit = self._last_seq * _PATCH_SHARE
        named = 0
        dirty: set[str] = set()
        for day in window:
            ids = on_day[day]
            named += len(ids)
            if named > limit:
                return None
            dirty.update(ids)
        if not dirty:
            return Knowledge._indexed(
                as_of, base.seq, base.happenings, dict(base._index)
            )
        merges = _known(self._merges, as_of, voided)
        groups = _merge_groups(merges)
        members: dict[str, set[str]] = defaultdict(set)
        for node, root in groups.items():
            members[root].add(node)
        old = base._index
        # Close *dirty* over the happenings its ids belonged to and the
        # merge groups they belong to now.
        frontier = list(dirty)
        while frontier:
            event_id = frontier.pop()
            before = old.get(event_id)
            related = members.get(groups.get(event_id, event_id), ())
            for other in (*(before.event_ids if before else ()), *related):
                if other not in dirty:
                    dirty.add(other)
                    frontier.append(other)
        by_id = {}
        for event_id in dirty:
            known = _known(self._by_event.get(event_id, ()), as_of, voided)
            if known:
                by_id[event_id] = known
        rebuilt = _assemble(by_id, merges, as_of, base.seq)
        gone = {old[event_id].event_id for event_id in dirty if event_id in old}
        happenings = [h for h in base.happenings if h.event_id not in gone]
        index = dict(old)
        for event_id in dirty:
            index.pop(event_id, None)
        for happening in rebuilt.happenings:
            bisect.insort(happenings, happening, key=_happening_id)
            for event_id in happening.event_ids:
                index[event_id] = happening
        return Knowledge._indexed(as_of, base.seq, tuple(happenings), index)


def _known(entries: Iterable[Entry], as_of: dt.date, voided: set[int]) -> list[Entry]:
    # The entries known on *as_of* that no amendment voids.
    return [
        entry
        for entry in entries
        if entry.event.report.published_day <= as_of and entry.seq not in voided
    ]


def _exact_tuples(
    lists: dict[str, list[Entry] | tuple[Entry, ...]],
) -> dict[str, list[Entry] | tuple[Entry, ...]]:
    # The same dict, in the same order, its lists replaced by tuples of
    # their exact size (80 bytes for five entries, where a list grown by
    # appends takes 128). The lists are all freed, their entries laid end
    # to end in one large block, before the first tuple is made: the
    # tuples then take the lists' memory instead of leaving it as holes.
    sizes = [len(found) for found in lists.values()]
    flat = cast(list[Entry], [None] * sum(sizes))
    start = 0
    for (event_id, found), size in zip(lists.items(), sizes, strict=True):
        flat[start : start + size] = found
        lists[event_id] = ()
        start += size
    start = 0
    for event_id, size in zip(lists, sizes, strict=True):
        lists[event_id] = tuple(flat[start : start + size])
        start += size
    return lists


_APART = (SameAs, Split, Amendment)
"""Entries the index keeps apart from the happenings they name."""

_PATCH_SHARE = 0.25
"""The share of entries between two dates past which a full fold is cheaper.

Rebuilding a happening from the checkpoint costs a few times what folding
its entries in a full pass does, as its merge group is rebuilt with it."""


def _happening_id(happening: Happening) -> str:
    return happening.event_id


def _require_day(as_of: object) -> None:
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        msg = f"as_of must be a date, got {as_of!r}"
        raise InvalidDateError(msg)
