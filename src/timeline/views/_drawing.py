# SPDX-License-Identifier: MIT
"""The drawing both pictures share: the valid-time axis, rows and lanes.

`timeline.views.plot` draws these as a static SVG and `timeline.views.html`
as an interactive page; what a row shows, where a band starts and ends on
the axis, and the headline above it are decided here once, so the two
pictures never disagree. Public within the package, not documented API.

.. versionadded:: 0.2.0
"""

import bisect
import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence

import attrs

from timeline.model.dates import FuzzyDate
from timeline.model.entry import Entry
from timeline.model.events import Correction, Retraction
from timeline.projections import Happening, Knowledge, Status, Value
from timeline.views.records import wording

__all__ = [
    "LABEL_ROOM",
    "LAST_TICK",
    "Lane",
    "Row",
    "Scale",
    "Tally",
    "chain_of",
    "clean",
    "css_class",
    "dates_of",
    "headline",
    "ordered",
    "row_of",
    "rows_of",
    "text_of",
]

_MIN_PAD_DAYS = 2
_PAD_SHARE = 200  # the axis extends by 1/200 of its span on each side
_MAX_YEAR_TICKS = 60
_MAX_MONTH_TICKS = 240
_TICK_GAP = 0.09  # the least distance between two labelled ticks, of the axis
LABEL_ROOM = 0.4  # a label needs this much of the axis beside its band
_SUMMARY_LENGTH = 110
LAST_TICK = 0.94  # a tick label further right is drawn before its tick
_MONTHS_PER_YEAR = 12


@attrs.frozen
class Scale:
    """A monotone, compressed valid-time axis.

    Every day where a drawn date starts or ends is a break; between two
    breaks the axis is linear, and each stretch gets a width that grows with
    the logarithm of its days. So single days stay visible across years,
    while order and overlap are drawn exactly.
    """

    breaks: tuple[int, ...]
    xs: tuple[float, ...]

    @classmethod
    def covering(cls, dates: Iterable[FuzzyDate]) -> "Scale":
        """Return the axis on which every one of *dates* is drawn."""
        points: set[int] = set()
        for date in dates:
            if date.earliest is not None:
                points.add(date.earliest.toordinal())
            if date.latest is not None:
                points.add(date.latest.toordinal() + 1)
            for choice in date.choices:
                points |= {choice.toordinal(), choice.toordinal() + 1}
        if not points:
            return cls((0, 1), (0.0, 1.0))
        low, high = min(points), max(points)
        pad = max(_MIN_PAD_DAYS, (high - low) // _PAD_SHARE)
        breaks = sorted(points | {low - pad, high + pad})
        widths = [
            math.log2(1 + end - start) for start, end in itertools.pairwise(breaks)
        ]
        total = sum(widths)
        xs = tuple(x / total for x in itertools.accumulate(widths, initial=0.0))
        return cls(tuple(breaks), xs)

    def x(self, ordinal: int) -> float:
        """Return the position of the start of day *ordinal*, from 0 to 1."""
        last = len(self.breaks) - 2
        index = min(max(bisect.bisect_right(self.breaks, ordinal) - 1, 0), last)
        start, end = self.breaks[index], self.breaks[index + 1]
        share = (ordinal - start) / (end - start)
        return self.xs[index] + share * (self.xs[index + 1] - self.xs[index])

    def ticks(self) -> tuple[tuple[float, str], ...]:
        """Return labelled ticks: year starts first, then month starts, spaced out."""
        first = max(self.breaks[0], 1)
        last = min(self.breaks[-1], dt.date.max.toordinal())
        if first >= last:
            return ()
        start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
        years = range(start.year, end.year + 1)
        step = math.ceil(len(years) / _MAX_YEAR_TICKS)
        years_at = [
            (self.x(dt.date(year, 1, 1).toordinal()), str(year))
            for year in years[::step]
            if first <= dt.date(year, 1, 1).toordinal() <= last
        ]
        months_at = []
        count = (end.year - start.year) * _MONTHS_PER_YEAR + end.month - start.month
        if count <= _MAX_MONTH_TICKS:
            for number in range(1, count + 1):
                year, month = divmod(start.month - 1 + number, _MONTHS_PER_YEAR)
                if month:
                    day = dt.date(start.year + year, month + 1, 1)
                    months_at.append((self.x(day.toordinal()), f"{day:%Y-%m}"))
        chosen: list[tuple[float, str]] = []
        for x, label in years_at:
            if _distance(x, chosen) >= _TICK_GAP:
                chosen.append((x, label))
        # Months go where the axis has most room first, so the stretches the
        # compression widens (where the record is dense) get their labels.
        while months_at:
            best = max(months_at, key=lambda tick: _distance(tick[0], chosen))
            if _distance(best[0], chosen) < _TICK_GAP:
                break
            chosen.append(best)
            months_at.remove(best)
        return tuple(sorted(chosen))


def _distance(x: float, ticks: Sequence[tuple[float, str]]) -> float:
    return min((abs(x - other) for other, _ in ticks), default=math.inf)


@attrs.frozen
class Lane:
    """One drawn date of a happening: a value of its ``when``, or a withdrawn claim.

    *kind* is ``"value"``, ``"conflict"`` (a value of a field in conflict),
    ``"withdrawn"`` (a claim its own source retracted or corrected) or
    ``"undated"`` (the happening has no reported date).
    """

    kind: str
    date: FuzzyDate | None
    sources: tuple[str, ...]
    claims: tuple[Entry, ...]
    note: str = ""

    @property
    def label(self) -> str:
        """Return the text drawn beside the band: the date, and who gave it how.

        Where the claims word the date differently, each source's own words
        go beside that source.
        """
        start, sources = self.label_parts
        return start + "; ".join(sources)

    @property
    def label_parts(self) -> tuple[str, tuple[str, ...]]:
        """Return the `label` as its start and its sources, which ``"; "`` joins."""
        if self.date is None:
            return "no date reported", ()
        mark = {"conflict": "≠ ", "withdrawn": f"{self.note}: "}.get(self.kind, "")
        text, sources = in_own_words("when", self.date, self.claims)
        return f"{mark}{text} · ", sources

    def spans(self, scale: Scale) -> tuple[tuple[float, float], ...]:
        """Return the drawn stretches: one per choice of a "one of" date, else one."""
        date = self.date
        if date is None:
            return ()
        if date.choices:
            return tuple(
                (scale.x(day.toordinal()), scale.x(day.toordinal() + 1))
                for day in sorted(date.choices)
            )
        start = 0.0 if date.earliest is None else scale.x(date.earliest.toordinal())
        end = 1.0 if date.latest is None else scale.x(date.latest.toordinal() + 1)
        return ((start, end),)


@attrs.frozen
class Row:
    """One happening as drawn: its title, summary, marks and lanes."""

    happening: Happening
    summary: str
    notes: tuple[tuple[str, str], ...]  # (the response's event type, the words)
    lanes: tuple[Lane, ...]

    @property
    def relations(self) -> tuple[tuple[str, str, str], ...]:
        """Return how each two values of each field relate: (field, relation, why)."""
        return tuple(
            (name, pair.relation.value, pair.reason)
            for name, field in sorted(self.happening.fields.items())
            for pair in field.pairs
        )

    @property
    def dated(self) -> bool:
        """Return whether any lane has a date."""
        return self.lanes[0].kind != "undated"

    @property
    def marks(self) -> tuple[str, ...]:
        """Return the status words shown beside the title."""
        return tuple(
            status.value
            for status in Status
            if status in self.happening.statuses and status is not Status.REPORTED
        )


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """Return *text* with the characters XML and HTML cannot hold replaced."""
    return _UNPRINTABLE.sub("\ufffd", text)


def css_class(name: str) -> str:
    """Return *name* as a CSS class name: letters, digits, ``-`` and ``_`` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def chain_of(entry: Entry) -> str:
    """Return the claim's attribution chain: outlet, then whom it cites."""
    event = entry.event
    return " → ".join(
        source.name for source in (event.report.outlet, *event.attribution)
    )


def _chains(entries: Iterable[Entry]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(chain_of(entry) for entry in entries))


def in_own_words(
    name: str, value: object, claims: Sequence[Entry]
) -> tuple[str, tuple[str, ...]]:
    """Return a value of the field *name* as text, and the sources of *claims*.

    When the claims word the value alike, the text is `text_of` the value
    and the sources are their chains. Otherwise the text is the value alone
    (a date without words) and each source comes with its own words.
    """
    words = [wording(entry, name) for entry in claims]
    if len(set(words)) <= 1:
        return text_of(value), _chains(claims)
    text = str(value) if isinstance(value, FuzzyDate) else text_of(value)
    return text, tuple(
        dict.fromkeys(
            f"“{words}” {chain_of(entry)}" if words else chain_of(entry)
            for entry, words in zip(claims, words, strict=True)
        )
    )


def text_of(value: object) -> str:
    """Return a field value as the pictures print it."""
    if isinstance(value, tuple):
        return ", ".join(text_of(item) for item in value)
    if isinstance(value, FuzzyDate) and value.phrase:
        return f"{value} “{value.phrase}”"
    return str(value)


def _fact(name: str, value: object) -> str:
    # Counts mean nothing without their field: "killed 3", not "3".
    return text_of(value) if isinstance(value, str | tuple) else f"{name} {value}"


def _label(event_type: str) -> str:
    return event_type.replace("_", " ").capitalize()


def _summary(happening: Happening) -> str:
    # A happening whose every claim was withdrawn has no fields: summarise
    # what the withdrawn claims said.
    fields: dict[str, list[object]] = {}
    for entry in happening.claims or happening.withdrawn:
        for name, value in entry.event.facts().items():
            seen = fields.setdefault(name, [])
            if value not in seen:
                seen.append(value)
    parts = [
        " ≠ ".join(_fact(name, value) for value in values)
        for name, values in sorted(fields.items())
        if name not in {"when", "actors"}
    ]
    kinds = ", ".join(_label(tag) for tag in happening.event_types)
    text = f"{kinds}: {'; '.join(parts)}" if parts else kinds
    if len(text) > _SUMMARY_LENGTH:
        text = text[: _SUMMARY_LENGTH - 1].rstrip() + "…"
    return text


_VERBS = {
    "denial": "denied",
    "rebuttal": "rebutted",
    "confirmation": "confirmed",
    "retraction": "retracted",
    "correction": "corrected",
}


def _describe(response: Entry) -> str:
    event = response.event
    facts = event.facts()
    who = next(
        (str(value) for name, value in facts.items() if name.endswith("_by")),
        event.claimant.name,
    )
    reason = facts.get("reason")
    because = f": {reason}" if reason else ""
    verb = _VERBS.get(event.event_type, _label(event.event_type).lower())
    chain = f" ({chain_of(response)})" if event.attribution else ""
    return f"{verb} by {who}, {event.report.published_day}{chain}{because}"


def _withdrawn_by(happening: Happening, claim: Entry) -> str:
    for response in happening.responses:
        event = response.event
        if (
            isinstance(event, Retraction | Correction)
            and event.report.outlet == claim.event.report.outlet
            and event.report.published_day >= claim.event.report.published_day
            and event.report != claim.event.report
        ):
            return "retracted" if isinstance(event, Retraction) else "corrected"
    return "withdrawn"  # pragma: no cover - a withdrawn claim always has its response


def _lanes(happening: Happening) -> tuple[Lane, ...]:
    lanes: list[Lane] = []
    field = happening.fields.get("when")
    if field is not None:
        kind = "conflict" if field.in_conflict else "value"
        lanes.extend(_value_lane(value, kind) for value in field.values)
    for claim in happening.withdrawn:
        if claim.event.when is not None:
            note = _withdrawn_by(happening, claim)
            lanes.append(
                Lane("withdrawn", claim.event.when, _chains([claim]), (claim,), note)
            )
    if not lanes:
        claims = happening.claims + happening.withdrawn
        return (Lane("undated", None, _chains(claims), claims),)
    return tuple(lanes)


def _value_lane(value: Value, kind: str) -> Lane:
    date: FuzzyDate = value.value  # type: ignore[assignment]
    return Lane(kind, date, _chains(value.claims), value.claims)


def row_of(happening: Happening) -> Row:
    """Return the row that draws *happening*."""
    notes = tuple(
        (response.event.event_type, _describe(response))
        for response in happening.responses
    )
    return Row(happening, _summary(happening), notes, _lanes(happening))


def _hull(row: Row) -> FuzzyDate:
    dates = [lane.date for lane in row.lanes if lane.date is not None]
    span = dates[0]
    for date in dates[1:]:
        span = span.hull(date)
    return span


def rows_of(happenings: Iterable[Happening]) -> tuple[Row, ...]:
    """Return the rows: dated ones by their span of dates, then the undated ones."""
    return ordered([row_of(happening) for happening in happenings])


def ordered(rows: Iterable[Row]) -> tuple[Row, ...]:
    """Return *rows* in the order a picture draws them.

    Dated rows come first, by their span of dates, then the undated ones;
    ties by happening id. The order depends on each row alone, so a picture
    that shows some of the rows on a day shows them in this order.
    """
    rows = list(rows)
    dated = sorted(
        (row for row in rows if row.dated),
        key=lambda row: (_hull(row).sort_key, row.happening.event_id),
    )
    undated = sorted(
        (row for row in rows if not row.dated), key=lambda row: row.happening.event_id
    )
    return (*dated, *undated)


def dates_of(rows: Iterable[Row]) -> Iterator[FuzzyDate]:
    """Yield every date the *rows* draw, for `Scale.covering`."""
    for row in rows:
        for lane in row.lanes:
            if lane.date is not None:
                yield lane.date


def headline(knowledge: Knowledge, shown: Sequence[Happening]) -> str:
    """Return the line above a picture: reports, happenings, conflicts."""
    tally = Tally()
    for happening in shown:
        tally.add(happening)
    return tally.headline()


class Tally:
    """The figures of `headline`, over happenings added and taken away.

    A page that replays days keeps one, adding the happenings a day shows
    anew and taking away those it no longer shows, so that each day's line
    costs what changed since the day before.
    """

    def __init__(self) -> None:
        """Start with nothing shown."""
        self._reports: dict[object, int] = {}
        self._happenings = 0
        self._conflicts = 0
        self._denied = 0
        self._withdrawn = 0

    def add(self, happening: Happening, sign: int = 1) -> None:
        """Count *happening* in; with *sign* -1, count it out again."""
        reports = self._reports
        for report in {
            entry.event.report
            for entry in happening.claims + happening.withdrawn + happening.responses
        }:
            held = reports.get(report, 0) + sign
            if held:
                reports[report] = held
            else:
                del reports[report]
        self._happenings += sign
        self._conflicts += sign * len(happening.conflicts)
        self._denied += sign * (Status.DENIED in happening.statuses)
        self._withdrawn += sign * bool(
            happening.statuses & {Status.RETRACTED, Status.CORRECTED}
        )

    def remove(self, happening: Happening) -> None:
        """Count *happening* out: it was added before."""
        self.add(happening, -1)

    def headline(self) -> str:
        """Return the line for what is counted now."""
        return (
            f"{_count(self._happenings, 'happening')} known from "
            f"{_count(len(self._reports), 'report')}"
            f"; {_count(self._conflicts, 'open conflict')}; {self._denied} denied"
            f"; {self._withdrawn} retracted or corrected"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
