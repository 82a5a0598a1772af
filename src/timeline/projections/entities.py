# SPDX-License-Identifier: MIT
"""Entities: what the record says of a person's state on a day of valid time.

`EntityState` is the answer of `Knowledge.state_of` and `Knowledge.states_of`:
dead, wounded or unknown on a day, certainly or only possibly, with the
claims it rests on, the claims and denials that keep it from being certain,
and the claims their own source took back. It says what the record
supports and picks no winner: when one live claim dates a death Sept. 23
and another Sept. 24, the person is possibly dead on Sept. 23 and
certainly dead on Sept. 24. Nor does it pick a person: a name is matched
by whole words against the names the record knows, the names the analyst
judged one entity's (`timeline.model.events.SameEntity`) are one, and a
name several entities answer to is an `timeline.errors.AmbiguousNameError`.

.. versionadded:: 0.2.0
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from timeline.errors import AmbiguousNameError
from timeline.model.dates import Certainty
from timeline.model.entry import Entry
from timeline.model.events import Death, Event, SameEntity, Wounding
from timeline.model.relations import name_words
from timeline.projections.happening import Happening

__all__ = ["EntityState"]


@attrs.frozen
class EntityState:
    """What the record says of a person's state on one day of valid time.

    Args:
        entity: Who was asked about.
        on: The valid-time day asked about; in `Knowledge.states_of`, the
            first day the answer holds.
        state: ``"dead"``, ``"wounded"``, or ``"unknown"`` when no live
            claim speaks to that day: unknown is not "alive".
        certainty: `Certainty.CERTAINLY` when the record leaves no doubt
            that the state held on *on*; `Certainty.POSSIBLY` when some
            live claim allows it but a claim's own date, another live claim
            or a denial leaves it open; `Certainty.NOT` for ``"unknown"``.
        because: The live claims the answer rests on: those dating the
            change on or before *on* (certainly, for a certain answer).
        against: For a possible answer, what keeps it from being certain:
            the live claims about the same change that date it after *on*,
            and the denials of the happenings it is told in. Empty
            otherwise.
        withdrawn: Claims of this state, or of a more severe one, that
            would have dated the change on or before *on* but that their
            own source retracted or corrected: they no longer count, and are
            named so that nothing taken back is hidden.
        names: Every name the record knows the entity by, sorted: the name
            asked for, or the one it matched, and the names the analyst
            judged the same entity's (`timeline.model.events.SameEntity`)
            as of the knowledge date; empty when no name the record knows
            matches.
        aliases: The `timeline.model.events.SameEntity` entries that join
            *names*, in log order.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The *against*, *withdrawn*, *names* and *aliases* fields; a certain
       answer needs every live claim about the change, and no denial.
    """

    entity: str
    on: dt.date
    state: str
    certainty: Certainty
    because: tuple[Entry, ...]
    against: tuple[Entry, ...] = ()
    withdrawn: tuple[Entry, ...] = ()
    names: tuple[str, ...] = ()
    aliases: tuple[Entry, ...] = ()


# The state each kind of claim changes, most severe first, and whether a
# person goes through it once: every live death claim about one person
# tells one death, whatever happening it is filed under, while a person may
# be wounded more than once, so wounding claims tell one wounding a
# happening.
_STATE_CHANGES: tuple[tuple[type[Event], str, bool], ...] = (
    (Death, "dead", True),
    (Wounding, "wounded", False),
)
_KINDS = tuple(kind for kind, _, _ in _STATE_CHANGES)


def _about(entry: Entry, keys: frozenset[tuple[str, ...]]) -> bool:
    # Whether *entry* is a dated state-changing claim about one of the names
    # (by their words) *keys*.
    event = entry.event
    if not isinstance(event, _KINDS) or event.when is None:
        return False
    return name_words(event.person) in keys  # type: ignore[attr-defined]


@attrs.frozen
class Who:
    """The entity a name asked about resolves to (see `identify`)."""

    keys: frozenset[tuple[str, ...]]
    names: tuple[str, ...]
    aliases: tuple[Entry, ...]


def names_known(
    happenings: Iterable[Happening], aliases: Sequence[Entry]
) -> dict[tuple[str, ...], set[str]]:
    """Return the names the record knows of people and parties: spellings by words.

    They are the actors of every claim and response, the sources of every
    attribution chain, the person of every death and wounding claim, and
    the names the analyst's `SameEntity` entries *aliases* join.
    """
    spellings: dict[tuple[str, ...], set[str]] = {}

    def add(name: str) -> None:
        key = name_words(name)
        if key:
            spellings.setdefault(key, set()).add(name)

    for happening in happenings:
        for entry in happening.claims + happening.withdrawn + happening.responses:
            event = entry.event
            for actor in event.actors:
                add(actor)
            for source in event.attribution:
                add(source.name)
            if isinstance(event, _KINDS):
                add(event.person)  # type: ignore[attr-defined]
    for entry in aliases:
        add(entry.event.name)  # type: ignore[attr-defined]
        add(entry.event.other_name)  # type: ignore[attr-defined]
    return spellings


def entities_of(
    keys: Iterable[tuple[str, ...]], aliases: Sequence[Entry]
) -> list[frozenset[tuple[str, ...]]]:
    """Return the names *keys* grouped into entities: those *aliases* join are one."""
    parent = {key: key for key in keys}

    def find(key: tuple[str, ...]) -> tuple[str, ...]:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for entry in aliases:
        event: SameEntity = entry.event  # type: ignore[assignment]
        low, high = sorted(
            (find(name_words(event.name)), find(name_words(event.other_name)))
        )
        parent[high] = low
    groups: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for key in list(parent):
        groups.setdefault(find(key), set()).add(key)
    return [frozenset(group) for _, group in sorted(groups.items())]


def matching(
    groups: Iterable[frozenset[tuple[str, ...]]],
    wanted: tuple[str, ...],
    spellings: Mapping[tuple[str, ...], object],
) -> list[frozenset[tuple[str, ...]]]:
    """Return the entities the name of words *wanted* matches.

    A name the record knows whole (same words) matches its entity alone;
    any other matches every entity one of whose names holds all its words.
    """
    if wanted in spellings:
        return [group for group in groups if wanted in group]
    words = set(wanted)
    return [group for group in groups if any(words <= set(key) for key in group)]


def identify(
    happenings: Sequence[Happening], aliases: Sequence[Entry], entity: str
) -> Who:
    """Return the entity *entity* names, with its names and the aliases joining them.

    Raises:
        AmbiguousNameError: If several entities answer to *entity*.
    """
    spellings = names_known(happenings, aliases)
    groups = entities_of(spellings, aliases)
    chosen = matching(groups, name_words(entity), spellings)
    if len(chosen) > 1:
        candidates = sorted(
            (_spelt(group, spellings) for group in chosen), key=_in_name_order
        )
        raise AmbiguousNameError(entity, tuple(candidates))
    if not chosen:
        return Who(frozenset({name_words(entity)}), (), ())
    (group,) = chosen
    used = tuple(
        entry
        for entry in aliases
        if name_words(entry.event.name) in group  # type: ignore[attr-defined]
    )
    return Who(group, _spelt(group, spellings), used)


def _spelt(
    group: frozenset[tuple[str, ...]], spellings: Mapping[tuple[str, ...], set[str]]
) -> tuple[str, ...]:
    return tuple(
        sorted((name for key in group for name in spellings[key]), key=_name_order)
    )


def _name_order(name: str) -> tuple[tuple[str, ...], str]:
    return name_words(name), name


def _in_name_order(names: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    return [_name_order(name) for name in names]


def _possibly_by(entry: Entry, on: dt.date) -> bool:
    earliest = entry.event.when.earliest  # type: ignore[union-attr]
    return earliest is None or earliest <= on


def _certainly_by(entry: Entry, on: dt.date) -> bool:
    latest = entry.event.when.latest  # type: ignore[union-attr]
    return latest is not None and latest <= on


def _in_order(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    # Each entry once, in the order answers list claims: by when they
    # became known and who made them, seq last.
    unique = {entry.seq: entry for entry in entries}
    return tuple(
        sorted(
            unique.values(),
            key=lambda entry: (
                entry.event.report.published_day,
                entry.event.report.outlet.name,
                entry.event.event_type,
                entry.seq,
            ),
        )
    )


def relevant(happenings: Iterable[Happening], who: Who) -> list[Happening]:
    """Return the happenings holding a dated claim of a state change of *who*."""
    return [
        happening
        for happening in happenings
        if any(
            _about(entry, who.keys) for entry in happening.claims + happening.withdrawn
        )
    ]


def state_on(
    happenings: Sequence[Happening], entity: str, who: Who, on: dt.date
) -> EntityState:
    """Return `Knowledge.state_of` for *happenings*, the relevant ones at least."""
    keys = who.keys
    taken_back: list[Entry] = []
    for kind, state, once in _STATE_CHANGES:
        # The live claims telling each change, and the denials of the
        # happenings they are told in.
        changes: dict[object, tuple[list[Entry], list[Entry]]] = {}
        for happening in happenings:
            for entry in happening.claims:
                if not _about(entry, keys) or not isinstance(entry.event, kind):
                    continue
                # Every name *who* has is one entity's.
                key = None if once else happening.event_id
                claims, denials = changes.setdefault(key, ([], []))
                claims.append(entry)
                denials.extend(happening.denials)
            taken_back.extend(
                entry
                for entry in happening.withdrawn
                if _about(entry, keys)
                and isinstance(entry.event, kind)
                and _possibly_by(entry, on)
            )
        certain: list[Entry] = []
        possible: list[Entry] = []
        against: list[Entry] = []
        for claims, denials in changes.values():
            dated_by = [entry for entry in claims if _possibly_by(entry, on)]
            if not dated_by:
                continue
            if not denials and all(_certainly_by(entry, on) for entry in claims):
                certain.extend(claims)
            else:
                possible.extend(dated_by)
                against.extend(e for e in claims if not _possibly_by(e, on))
                against.extend(denials)
        if certain:
            return EntityState(
                entity,
                on,
                state,
                Certainty.CERTAINLY,
                _in_order(certain),
                (),
                _in_order(taken_back),
                who.names,
                who.aliases,
            )
        if possible:
            return EntityState(
                entity,
                on,
                state,
                Certainty.POSSIBLY,
                _in_order(possible),
                _in_order(against),
                _in_order(taken_back),
                who.names,
                who.aliases,
            )
    return EntityState(
        entity,
        on,
        "unknown",
        Certainty.NOT,
        (),
        (),
        _in_order(taken_back),
        who.names,
        who.aliases,
    )


def course_of(
    happenings: Sequence[Happening], entity: str, who: Who
) -> tuple[EntityState, ...]:
    """Return `Knowledge.states_of` for *happenings*, the relevant ones at least."""
    # The answer changes only on a day some claim's date starts or ends.
    days = {dt.date.min}
    for happening in happenings:
        for entry in happening.claims + happening.withdrawn:
            if _about(entry, who.keys):
                when = entry.event.when
                days.update(
                    day
                    for day in (when.earliest, when.latest)  # type: ignore[union-attr]
                    if day is not None
                )
    course: list[EntityState] = []
    held: object = None
    for day in sorted(days):
        answer = state_on(happenings, entity, who, day)
        said = (
            answer.state,
            answer.certainty,
            answer.because,
            answer.against,
            answer.withdrawn,
        )
        if said == held:
            continue
        held = said
        if answer.state != "unknown" or answer.withdrawn or course:
            course.append(answer)
    return tuple(course)
