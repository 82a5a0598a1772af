"""A deterministic generator of realistic synthetic logs.

The same *size* and *seed* always give the same claims, byte for byte, so
every library measured reads the same log. The mix follows what the seed
articles show, scaled up:

- about one log entry in five opens a new happening (a death, an attack, a
  capture...); most of the others are more claims about recent happenings
  from other outlets, so a happening has several sources;
- those claims disagree: one day off, a month instead of a day, a range, a
  "one of" two days, another place, another death toll;
- some dates keep the source's phrase and the day it was resolved against;
- claims are published up to two weeks after the happening and appended in
  an order that is not publication order (encoders catch up on old reports);
- denials, confirmations, retractions and corrections answer earlier claims;
  the analyst merges happenings (and now and then splits them again) and
  voids mis-encoded entries.
"""

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from timeline import FuzzyDate
from timeline.model.events import (
    Amendment,
    Attack,
    Capture,
    CasualtyReport,
    Confirmation,
    Correction,
    Death,
    Denial,
    Estimate,
    Event,
    Retraction,
    SameAs,
    Split,
    Statement,
    Visit,
    Wounding,
)
from timeline.model.sources import Reliability, Report, Source

__all__ = ["MIX", "SEED", "START", "Mix", "claims", "clock", "generate", "stream"]

SEED = 20171004
"""The seed every run uses unless told otherwise."""

START = dt.date(2014, 1, 1)
"""The first publication day of a generated log."""

SPAN_DAYS = 3653
"""Publications spread over ten years, whatever the size."""


@attrs.frozen
class Mix:
    """The share of each kind of entry in a generated log (the rest are claims)."""

    new_happening: float = 0.18
    denial: float = 0.04
    confirmation: float = 0.03
    retraction: float = 0.008
    correction: float = 0.012
    same_as: float = 0.006
    split: float = 0.001
    amendment: float = 0.003


MIX = Mix()

_OUTLETS = tuple(
    Source(f"{name} {n}", kind=kind)
    for n in range(1, 61)
    for name, kind in (
        ("Daily Courier", "outlet"),
        ("News Agency", "agency"),
        ("Ministry of Defence", "ministry"),
        ("Monitor", "ngo"),
        ("Channel", "broadcaster"),
    )
)
_AGENCIES = tuple(source for source in _OUTLETS if source.kind == "agency")
_PLACES = tuple(f"Town {n}" for n in range(1, 801))
_PEOPLE = tuple(f"Person {n}" for n in range(1, 5001))
_GROUPS = tuple(f"Brigade {n}" for n in range(1, 301))
_WORDS = (
    "forces",
    "said",
    "the",
    "strike",
    "hit",
    "the",
    "outskirts",
    "overnight",
    "according",
    "to",
    "officials",
    "who",
    "spoke",
    "on",
    "condition",
    "of",
    "anonymity",
    "while",
    "local",
    "residents",
    "reported",
    "heavy",
    "shelling",
    "near",
    "the",
    "bridge",
    "and",
    "the",
    "ministry",
    "denied",
    "any",
    "losses",
)
_PHRASES = ("on Saturday", "yesterday", "last week", "earlier this month", "overnight")
_RELIABILITY = tuple(Reliability)


class _Happening:
    """What the generator remembers of one happening while it is recent."""

    __slots__ = ("day", "event_id", "kind", "outlets", "person", "place", "published")

    def __init__(
        self, event_id: str, kind: str, day: dt.date, published: dt.date, rng: Any
    ) -> None:
        self.event_id = event_id
        self.kind = kind
        self.day = day
        self.published = published
        self.place = rng.choice(_PLACES)
        self.person = rng.choice(_PEOPLE)
        self.outlets: list[Source] = []


_KINDS = (
    "death",
    "death",
    "attack",
    "attack",
    "attack",
    "capture",
    "wounding",
    "statement",
    "visit",
    "casualty_report",
)


class _Generator:
    def __init__(self, size: int, seed: int, mix: Mix) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.mix = mix
        self.recent: list[_Happening] = []
        self.ids: list[str] = []  # event_id of each entry, by seq - 1
        self.merged: list[tuple[str, str]] = []
        self.counter = itertools.count(1)

    def today(self, index: int) -> dt.date:
        return START + dt.timedelta(days=index * SPAN_DAYS // max(self.size, 1))

    def run(self) -> Iterator[Event]:
        mix = self.mix
        thresholds: list[tuple[float, Callable[[dt.date], Event | None]]] = []
        total = 0.0
        kinds: tuple[tuple[float, Callable[[dt.date], Event | None]], ...] = (
            (mix.new_happening, self.new_happening),
            (mix.denial, self.denial),
            (mix.confirmation, self.confirmation),
            (mix.retraction, self.retraction),
            (mix.correction, self.correction),
            (mix.same_as, self.same_as),
            (mix.split, self.split),
            (mix.amendment, self.amendment),
        )
        for share, make in kinds:
            total += share
            thresholds.append((total, make))
        for index in range(self.size):
            today = self.today(index)
            draw = self.rng.random()
            event: Event | None = None
            if self.recent:
                for threshold, make in thresholds:
                    if draw < threshold:
                        event = make(today)
                        break
                else:
                    event = self.claim(self.pick(), today)
            if event is None:
                event = self.new_happening(today)
            self.ids.append(event.event_id)
            yield event

    # -- Helpers ------------------------------------------------------------

    def pick(self) -> _Happening:
        # Recent happenings get most of the attention.
        recent = self.recent
        return recent[-1 - int(len(recent) * self.rng.random() ** 2)]

    def report(self, outlet: Source, published: dt.date) -> Report:
        rng = self.rng
        title = f"Report {rng.randrange(10**6)}" if rng.random() < 0.3 else None
        url = (
            f"https://example.org/{rng.randrange(10**8)}"
            if rng.random() < 0.2
            else None
        )
        return Report(outlet=outlet, published=published, title=title, url=url)

    def when(self, happening: _Happening, published: dt.date) -> FuzzyDate | None:
        rng, day = self.rng, happening.day
        draw = rng.random()
        if draw < 0.05:
            return None
        if draw < 0.62:
            when = FuzzyDate.exact(day)
        elif draw < 0.77:
            when = FuzzyDate.exact(day + dt.timedelta(days=rng.choice((-1, 1))))
        elif draw < 0.87:
            when = FuzzyDate.month(day.year, day.month)
        elif draw < 0.94:
            when = FuzzyDate.between(
                day - dt.timedelta(days=rng.randint(1, 3)),
                day + dt.timedelta(days=rng.randint(0, 2)),
            )
        else:
            when = FuzzyDate.one_of(day, day + dt.timedelta(days=1))
        if rng.random() < 0.2:
            when = when.with_phrase(rng.choice(_PHRASES), anchor=published)
        return when

    def estimate(self, base: int) -> Estimate:
        rng = self.rng
        figure = max(base + rng.choice((0, 0, 0, 1, -1, 3)), 0)
        if rng.random() < 0.25:
            return Estimate(low=figure, high=figure + rng.randint(1, 5))
        return Estimate(best=figure)

    def provenance(self, published: dt.date) -> dict[str, Any]:
        rng = self.rng
        extra: dict[str, Any] = {}
        if rng.random() < 0.25:
            length = rng.randint(6, 16)
            extra["quote"] = " ".join(rng.choice(_WORDS) for _ in range(length))
        if rng.random() < 0.2:
            extra["attribution"] = (rng.choice(_AGENCIES),)
        if rng.random() < 0.3:
            extra["reliability"] = rng.choice(_RELIABILITY)
        del published
        return extra

    def published(self, happening: _Happening, today: dt.date) -> dt.date:
        # Most claims follow the first report within two weeks; some are old
        # reports encoded late, so publication order is not log order.
        rng = self.rng
        if rng.random() < 0.1:
            return happening.published
        return min(happening.published + dt.timedelta(days=rng.randint(0, 14)), today)

    # -- Kinds of entry -----------------------------------------------------

    def new_happening(self, today: dt.date) -> Event:
        rng = self.rng
        event_id = f"h{next(self.counter):07d}"
        kind = rng.choice(_KINDS)
        day = today - dt.timedelta(days=rng.randint(0, 3))
        happening = _Happening(event_id, kind, day, today, rng)
        self.recent.append(happening)
        if len(self.recent) > 400:
            del self.recent[:100]
        return self.claim(happening, today, published=today)

    def claim(
        self, happening: _Happening, today: dt.date, *, published: dt.date | None = None
    ) -> Event:
        rng = self.rng
        day = published if published is not None else self.published(happening, today)
        outlet = rng.choice(_OUTLETS)
        happening.outlets.append(outlet)
        common: dict[str, Any] = {
            "event_id": happening.event_id,
            "report": self.report(outlet, day),
            "when": self.when(happening, day),
            **self.provenance(day),
        }
        place = happening.place if rng.random() < 0.8 else rng.choice(_PLACES)
        seed = int(happening.event_id[1:])
        match happening.kind:
            case "death":
                return Death(person=happening.person, where=place, **common)
            case "wounding":
                return Wounding(person=happening.person, where=place, **common)
            case "attack":
                return Attack(
                    where=place,
                    attacker=_GROUPS[seed % len(_GROUPS)],
                    killed=self.estimate(seed % 40),
                    **common,
                )
            case "capture":
                return Capture(
                    captor=_GROUPS[seed % len(_GROUPS)],
                    captives=f"{seed % 5 + 2} soldiers",
                    count=self.estimate(seed % 5 + 2),
                    where=place,
                    **common,
                )
            case "statement":
                return Statement(
                    speaker=happening.person,
                    summary=f"On {happening.place}",
                    **common,
                )
            case "visit":
                return Visit(visitor=happening.person, where=place, **common)
            case _:
                return CasualtyReport(
                    group=_GROUPS[seed % len(_GROUPS)],
                    killed=self.estimate(seed % 90),
                    **common,
                )

    def response_report(self, happening: _Happening, today: dt.date) -> Report:
        return self.report(self.rng.choice(_OUTLETS), self.published(happening, today))

    def denial(self, today: dt.date) -> Event:
        happening = self.pick()
        return Denial(
            event_id=happening.event_id,
            report=self.response_report(happening, today),
            denied_by=self.rng.choice(_OUTLETS).name,
        )

    def confirmation(self, today: dt.date) -> Event:
        happening = self.pick()
        return Confirmation(
            event_id=happening.event_id,
            report=self.response_report(happening, today),
            confirmed_by=self.rng.choice(_OUTLETS).name,
        )

    def retraction(self, today: dt.date) -> Event | None:
        return self.own_response(Retraction, today)

    def correction(self, today: dt.date) -> Event | None:
        return self.own_response(Correction, today)

    def own_response(
        self, kind: type[Retraction] | type[Correction], today: dt.date
    ) -> Event | None:
        # A source takes back its own claim, in a later report.
        happening = self.pick()
        if not happening.outlets:  # pragma: no cover - every happening has a claim
            return None
        outlet = self.rng.choice(happening.outlets)
        published = max(self.published(happening, today), happening.published)
        published += dt.timedelta(days=1)
        return kind(
            event_id=happening.event_id,
            report=self.report(outlet, min(published, today + dt.timedelta(days=1))),
            reason="new information",
        )

    def same_as(self, today: dt.date) -> Event | None:
        first, second = self.pick(), self.pick()
        if first is second:
            return None
        self.merged.append((first.event_id, second.event_id))
        return SameAs(
            event_id=first.event_id,
            other_event_id=second.event_id,
            report=self.report(Source("Analyst", kind="analyst"), today),
        )

    def split(self, today: dt.date) -> Event | None:
        if not self.merged:
            return None
        first, second = self.merged.pop(self.rng.randrange(len(self.merged)))
        return Split(
            event_id=first,
            other_event_id=second,
            report=self.report(Source("Analyst", kind="analyst"), today),
        )

    def amendment(self, today: dt.date) -> Event | None:
        if not self.ids:  # pragma: no cover - the first entry is a claim
            return None
        # The analyst voids one of their recent entries.
        seq = self.rng.randint(max(1, len(self.ids) - 500), len(self.ids))
        return Amendment(
            event_id=self.ids[seq - 1],
            voids=seq,
            reason="mis-encoded",
            report=self.report(Source("Analyst", kind="analyst"), today),
        )


def generate(size: int, *, seed: int = SEED, mix: Mix = MIX) -> list[Event]:
    """Return *size* events that make a valid log, the same for the same arguments.

    >>> events = generate(50)
    >>> len(events), events[0].event_id
    (50, 'h0000001')
    >>> generate(50) == events
    True
    """
    return list(stream(size, seed=seed, mix=mix))


def stream(size: int, *, seed: int = SEED, mix: Mix = MIX) -> Iterator[Event]:
    """Yield the events `generate` returns, one by one, holding none of them.

    For logs too big to hold in memory (ten million claims).

    >>> list(stream(50)) == generate(50)
    True
    """
    return _Generator(size, seed, mix).run()


def clock(start: dt.datetime | None = None) -> Callable[[], dt.datetime]:
    """Return a deterministic clock that ticks one millisecond per call."""
    first = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ticks = itertools.count()
    return lambda: first + dt.timedelta(milliseconds=next(ticks))


def claims(events: list[Event]) -> list[tuple[str, str, str, str, tuple[Any, ...]]]:
    """Return each event as a plain tuple, for the floors.

    Each tuple is (event_id, type tag, published day in ISO, outlet name,
    facts as (name, value) pairs with values made hashable text).
    """
    rows = []
    for event in events:
        facts = tuple(
            (name, value if isinstance(value, str) else str(value))
            for name, value in event.facts().items()
        )
        report = event.report
        rows.append(
            (
                event.event_id,
                event.event_type,
                report.published_day.isoformat(),
                report.outlet.name,
                facts,
            )
        )
    return rows
