"""The nearest equivalent in `eventsourcing`, measured on the same claims.

Each happening is an aggregate; each log entry about it is one ``Reported``
domain event on that aggregate, carrying what timeline's entry carries
(seq, type tag, publication day, outlet, the facts as text). The aggregate
folds its events into the same shape as the plain-loop floor: for every
field, every value with the outlets that state it.

Three operations, with its Application/Aggregate API:

- append: trigger the events and ``save`` the touched aggregates, one save
  per batch (as timeline's batched ``extend``);
- replay: rebuild every aggregate from its stored events with
  ``repository.get`` (no snapshots, no cache);
- "as of": the state of the whole record as of a publication day. The
  events' own timestamps are system time, so knowledge time can only be
  filtered by reading every stored event through the notification log,
  decoding it and folding those published by then.

Needs the ``bench`` extra: ``pip install 'contested-timeline[bench]'``.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

__all__ = [
    "Claim",
    "HappeningAggregate",
    "append",
    "open_application",
    "point_as_of",
    "replay",
    "state_as_of",
]

Claim = tuple[str, str, str, str, tuple[tuple[str, str], ...]]
"""(event_id, type tag, published day ISO, outlet, facts): see `generate.claims`."""

_NAMESPACE = uuid.UUID("6f0b9a64-3c1e-4b8e-9d1f-2f6f3c2b7a10")


def aggregate_id(event_id: str) -> uuid.UUID:
    """Return the aggregate id of happening *event_id*."""
    return uuid.uuid5(_NAMESPACE, event_id)


class HappeningAggregate(Aggregate):
    """Every claim about one happening, folded by field and value."""

    @event("Opened")
    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        self.fields: dict[str, dict[str, list[str]]] = {}
        self.responses: list[tuple[int, str, str]] = []

    @staticmethod
    def create_id(event_id: str) -> uuid.UUID:
        """Return the id derived from the happening's id."""
        return aggregate_id(event_id)

    @event("Reported")
    def report(
        self,
        seq: int,
        kind: str,
        published: str,
        outlet: str,
        facts: dict[str, str],
    ) -> None:
        """Record one entry about this happening."""
        fold(
            self.fields,
            self.responses,
            seq=seq,
            kind=kind,
            published=published,
            outlet=outlet,
            facts=facts,
        )


def fold(
    fields: dict[str, dict[str, list[str]]],
    responses: list[tuple[int, str, str]],
    *,
    seq: int,
    kind: str,
    published: str,
    outlet: str,
    facts: dict[str, str],
) -> None:
    """Fold one entry into a happening's state (shared by every path)."""
    if facts:
        for name, value in facts.items():
            fields.setdefault(name, {}).setdefault(value, []).append(outlet)
    else:
        responses.append((seq, kind, published))


def open_application(path: str | None = None) -> Application[uuid.UUID]:
    """Return an application in memory (POPO), or in SQLite at *path*."""
    # No snapshots and no aggregate cache: every get replays stored events.
    if path is None:
        return Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    return Application(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
    )


def append(
    app: Application[uuid.UUID], claims: Sequence[Claim], *, batch: int = 1000
) -> list[uuid.UUID]:
    """Append every claim, saving the touched aggregates once per *batch*.

    Returns the aggregate ids, in order of creation.
    """
    live: dict[str, HappeningAggregate] = {}
    order: list[uuid.UUID] = []
    for start in range(0, len(claims), batch):
        touched: dict[str, HappeningAggregate] = {}
        for seq, (event_id, kind, published, outlet, facts) in enumerate(
            claims[start : start + batch], start=start + 1
        ):
            aggregate = live.get(event_id)
            if aggregate is None:
                aggregate = HappeningAggregate(event_id)
                live[event_id] = aggregate
                order.append(aggregate.id)
            aggregate.report(seq, kind, published, outlet, dict(facts))
            touched[event_id] = aggregate
        app.save(*touched.values())
    return order


def replay(
    app: Application[uuid.UUID], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """Rebuild every aggregate from its stored events."""
    get = app.repository.get
    return {aggregate_id: get(aggregate_id) for aggregate_id in ids}


def state_as_of(
    app: Application[uuid.UUID], published_until: str, *, page: int = 10_000
) -> dict[uuid.UUID, dict[str, dict[str, list[str]]]]:
    """Return every happening's fields as of a publication day, by a full scan."""
    state: dict[uuid.UUID, dict[str, dict[str, list[str]]]] = {}
    responses: list[tuple[int, str, str]] = []
    to_domain_event = app.mapper.to_domain_event
    start = 1
    while True:
        notifications = app.recorder.select_notifications(start=start, limit=page)
        if not notifications:
            return state
        for notification in notifications:
            domain_event: Any = to_domain_event(notification)
            published = getattr(domain_event, "published", None)
            if published is None or published > published_until:
                continue  # The aggregate's creation, or not yet published.
            fields = state.setdefault(domain_event.originator_id, {})
            fold(
                fields,
                responses,
                seq=domain_event.seq,
                kind=domain_event.kind,
                published=published,
                outlet=domain_event.outlet,
                facts=domain_event.facts,
            )
        start = notifications[-1].id + 1


def point_as_of(
    app: Application[uuid.UUID], event_id: str, published_until: str
) -> dict[str, dict[str, list[str]]]:
    """Return one happening's fields as of a publication day, from its own events."""
    fields: dict[str, dict[str, list[str]]] = {}
    responses: list[tuple[int, str, str]] = []
    for domain_event in app.events.get(aggregate_id(event_id)):
        found: Any = domain_event
        published = getattr(found, "published", None)
        if published is not None and published <= published_until:
            fold(
                fields,
                responses,
                seq=found.seq,
                kind=found.kind,
                published=published,
                outlet=found.outlet,
                facts=found.facts,
            )
    return fields
