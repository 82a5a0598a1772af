# SPDX-License-Identifier: MIT
"""Entities: what the record says of a person's state on a day of valid time.

`EntityState` is the answer of `Knowledge.state_of` and `Knowledge.states_of`:
dead, wounded or unknown on a day, certainly or only possibly, with the
claims it rests on, the claims and denials that keep it from being certain,
and the claims their own source took back. It says what the record
supports and picks no winner: when one live claim dates a death Sept. 23
and another Sept. 24, the person is possibly dead on Sept. 23 and
certainly dead on Sept. 24.

.. versionadded:: 0.2.0
"""

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from timeline.model.dates import Certainty
from timeline.model.entry import Entry
from timeline.model.events import Death, Event, Wounding
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

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The *against* and *withdrawn* fields; a certain answer needs every
       live claim about the change, and no denial.
    """

    entity: str
    on: dt.date
    state: str
    certainty: Certainty
    because: tuple[Entry, ...]
    against: tuple[Entry, ...] = ()
    withdrawn: tuple[Entry, ...] = ()


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


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _about(entry: Entry, needle: str) -> str | None:
    # The folded name of the person a dated state-changing claim is about,
    # if it matches *needle*; None for any other entry.
    event = entry.event
    if not isinstance(event, _KINDS) or event.when is None:
        return None
    person = _folded(event.person)  # type: ignore[attr-defined]
    return person if needle in person else None


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


def relevant(happenings: Iterable[Happening], entity: str) -> list[Happening]:
    """Return the happenings holding a dated claim of a state change of *entity*."""
    needle = _folded(entity)
    return [
        happening
        for happening in happenings
        if any(
            _about(entry, needle) is not None
            for entry in happening.claims + happening.withdrawn
        )
    ]


def state_on(happenings: Sequence[Happening], entity: str, on: dt.date) -> EntityState:
    """Return `Knowledge.state_of` for *happenings*, the relevant ones at least."""
    needle = _folded(entity)
    taken_back: list[Entry] = []
    for kind, state, once in _STATE_CHANGES:
        # The live claims telling each change, and the denials of the
        # happenings they are told in.
        changes: dict[object, tuple[list[Entry], list[Entry]]] = {}
        for happening in happenings:
            for entry in happening.claims:
                person = _about(entry, needle)
                if person is None or not isinstance(entry.event, kind):
                    continue
                key = person if once else (person, happening.event_id)
                claims, denials = changes.setdefault(key, ([], []))
                claims.append(entry)
                denials.extend(happening.denials)
            taken_back.extend(
                entry
                for entry in happening.withdrawn
                if _about(entry, needle) is not None
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
            )
    return EntityState(
        entity, on, "unknown", Certainty.NOT, (), (), _in_order(taken_back)
    )


def course_of(happenings: Sequence[Happening], entity: str) -> tuple[EntityState, ...]:
    """Return `Knowledge.states_of` for *happenings*, the relevant ones at least."""
    needle = _folded(entity)
    # The answer changes only on a day some claim's date starts or ends.
    days = {dt.date.min}
    for happening in happenings:
        for entry in happening.claims + happening.withdrawn:
            if _about(entry, needle) is not None:
                when = entry.event.when
                days.update(
                    day
                    for day in (when.earliest, when.latest)  # type: ignore[union-attr]
                    if day is not None
                )
    course: list[EntityState] = []
    held: object = None
    for day in sorted(days):
        answer = state_on(happenings, entity, day)
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
