# SPDX-License-Identifier: MIT
"""What a log accepts: the rules every entry passes before any log or store keeps it.

`timeline.log.EventLog` checks each batch with `check_entries` before it is
accepted, and `timeline.stores.check` names the first stored entry that fails
them with `first_refused`. Both see the same rules because both call here.
"""

import datetime as dt
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import cast

from timeline.errors import (
    DanglingReferenceError,
    InvalidDateError,
    InvalidEntryError,
    TimelineError,
    UnknownEventTypeError,
)
from timeline.model.entry import Entry
from timeline.model.events import (
    Amendment,
    AnalystEntry,
    Event,
    Revocation,
    Role,
    registered_event_types,
)
from timeline.model.unregistered import UnregisteredEvent

__all__ = ["check_entries", "first_refused", "require_aware"]


def check_entries(
    new: Sequence[Entry], *, accepted: Sequence[Entry], known_ids: Container[str]
) -> None:
    """Raise the first reason a log holding *accepted* would refuse *new*.

    Args:
        new: The batch, numbered to follow *accepted*.
        accepted: The entries the log holds, in seq order.
        known_ids: Every happening id some accepted entry names.

    Raises:
        UnknownEventTypeError: If an event's class is not registered.
        InvalidEntryError: If an item is not an event, seqs are not
            consecutive, system time goes back, an amendment or a
            revocation names another happening than its target, or a
            revocation takes back an entry that is no judgement.
        InvalidDateError: If a ``recorded_at`` is naive.
        DanglingReferenceError: If an event refers to a happening or entry
            that neither *accepted* nor an earlier entry of *new* holds.
    """
    # Ids the batch adds are kept apart: copying the log's own set for
    # every batch would cost as much as the log is long.
    added: set[str] = set()
    registered = registered_event_types()
    # Classes found registered, with their tags: checked once a batch.
    tags: dict[type, str] = {}
    previous = accepted[-1] if accepted else None
    moment: object = None if previous is None else previous.recorded_at
    for entry in new:
        # Typed as object: callers outside mypy pass anything.
        event: object = entry.event
        cls = type(event)
        tag = tags.get(cls)
        if tag is None:
            tag = _registered_tag(entry.seq, event, registered)
            tags[cls] = tag
        expected = previous.seq + 1 if previous is not None else 1
        if entry.seq != expected:
            msg = (
                f"entry seq {entry.seq}: expected seq {expected}, entries must "
                "be consecutive"
            )
            raise InvalidEntryError(msg)
        if entry.recorded_at is not moment:
            # A batch shares one moment: checked when it changes.
            require_aware(entry.recorded_at, f"entry seq {entry.seq} recorded_at")
            if previous is not None and entry.recorded_at < previous.recorded_at:
                msg = (
                    f"entry seq {entry.seq}: recorded_at "
                    f"{entry.recorded_at.isoformat()} is before the previous "
                    f"entry's {previous.recorded_at.isoformat()}"
                )
                raise InvalidEntryError(msg)
            moment = entry.recorded_at
        event = cast(Event, event)  # as _registered_tag found it
        for event_id in event.referenced_event_ids():
            if event_id not in added and event_id not in known_ids:
                msg = (
                    f"entry seq {entry.seq}: {tag} refers to happening "
                    f"{event_id!r}, which no earlier entry reports"
                )
                raise DanglingReferenceError(msg)
        for seq in event.referenced_seqs():
            if not 1 <= seq < entry.seq:
                msg = (
                    f"entry seq {entry.seq}: {tag} refers to entry seq {seq}, "
                    "which does not precede it"
                )
                raise DanglingReferenceError(msg)
            if isinstance(event, Amendment | Revocation):
                _check_target(entry.seq, tag, event, _target(seq, accepted, new))
        # Claims and responses name happenings; analyst entries name ones
        # already known, or (a `Within`) a judgement of their own. Added
        # whether known or not: asking *known_ids* (a lookup in a store's
        # index, for a log that is not loaded) would cost more than the
        # batch's own set, which holds at most an id an entry.
        if event.role is not Role.ANALYST:
            added.add(event.event_id)
        previous = entry


def first_refused(entries: Iterable[Entry]) -> tuple[int, TimelineError] | None:
    """Return the seq of the first stored entry a log would refuse, and why.

    Used by `timeline.stores.check`, which must name the first bad seq.
    """
    accepted: list[Entry] = []
    known_ids: set[str] = set()
    for entry in entries:
        try:
            check_entries([entry], accepted=accepted, known_ids=known_ids)
        except TimelineError as error:
            return entry.seq, error
        accepted.append(entry)
        if entry.event.role is not Role.ANALYST:
            known_ids.add(entry.event.event_id)
    return None


def require_aware(moment: object, what: str) -> None:
    """Raise `InvalidDateError` unless *moment* is an aware datetime.

    Args:
        moment: The value to check.
        what: What it is, for the message.
    """
    if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
        msg = f"{what} must be an aware datetime, got {moment!r}"
        raise InvalidDateError(msg)


def _registered_tag(
    seq: int, event: object, registered: Mapping[str, type[Event]]
) -> str:
    # The tag of *event*'s class, if it is an event of a registered type.
    if not isinstance(event, Event):
        msg = (
            f"entry seq {seq}: expected an Event, got {type(event).__name__} {event!r}"
        )
        raise InvalidEntryError(msg)
    if type(event) is UnregisteredEvent:
        # Read from a stored log: carried on as stored, never made anew.
        return event.stored_type
    tag: object = getattr(type(event), "event_type", None)
    if not isinstance(tag, str) or registered.get(tag) is not type(event):
        name = type(event).__qualname__
        msg = f"entry seq {seq}: {name} is not a registered event type"
        raise UnknownEventTypeError(msg)
    return tag


def _check_target(seq: int, tag: str, event: Event, target: Entry) -> None:
    # An amendment or a revocation names the happening (or, for a `Within`,
    # the judgement) of the entry it undoes, so that a query about that id
    # finds it; a revocation takes back only a judgement.
    if target.event.event_id != event.event_id:
        msg = (
            f"entry seq {seq}: {tag} names happening {event.event_id!r} but entry "
            f"{target.seq} is about {target.event.event_id!r}"
        )
        raise InvalidEntryError(msg)
    if isinstance(event, Revocation) and not (
        isinstance(target.event, AnalystEntry) and target.event.revocable
    ):
        msg = (
            f"entry seq {seq}: {tag} takes back entry {target.seq} "
            f"({target.event.event_type}), which is no judgement; an Amendment "
            "voids an entry that was mis-encoded"
        )
        raise InvalidEntryError(msg)


def _target(seq: int, accepted: Sequence[Entry], batch: Sequence[Entry]) -> Entry:
    if seq <= len(accepted):
        return accepted[seq - 1]
    return batch[seq - len(accepted) - 1]
