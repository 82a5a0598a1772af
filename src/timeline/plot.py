# SPDX-License-Identifier: MIT
"""A static picture of what was known on one knowledge date, as SVG.

`render_svg` draws the happenings of a `timeline.knowledge.Knowledge` on a
valid-time axis: one row per happening, one band per reported date spanning
every day the date allows (a month-precision visit spans its month, "over
the summer" spans the summer), conflicting dates side by side in a hatched
style and each labelled with its sources, withdrawn claims dashed and struck
through, denied happenings marked. It is the picture `timeline.html` makes
interactive, fixed at one date, for papers and documentation.

The SVG is written by hand with the standard library; it has no scripts and
no external references, so it can be embedded anywhere.

.. versionadded:: 0.1.0
"""

import bisect
import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

import attrs

from timeline._entry import Entry
from timeline.dates import FuzzyDate
from timeline.events import Correction, Retraction
from timeline.knowledge import Happening, Knowledge, Status, Value

__all__ = ["render_svg"]

# -- Layout shared with timeline.html -------------------------------------------

_MIN_PAD_DAYS = 2
_PAD_SHARE = 200  # the axis extends by 1/200 of its span on each side
_MAX_YEAR_TICKS = 60
_MAX_MONTH_TICKS = 240
_TICK_GAP = 0.09  # the least distance between two labelled ticks, of the axis
_LABEL_ROOM = 0.4  # a label needs this much of the axis beside its band
_SUMMARY_LENGTH = 110
_LAST_TICK = 0.94  # a tick label further right is drawn before its tick
_MONTHS_PER_YEAR = 12


@attrs.frozen
class _Scale:
    """A monotone, compressed valid-time axis.

    Every day where a drawn date starts or ends is a break; between two
    breaks the axis is linear, and each stretch gets a width that grows with
    the logarithm of its days. So single days stay visible across years,
    while order and overlap are drawn exactly.
    """

    breaks: tuple[int, ...]
    xs: tuple[float, ...]

    @classmethod
    def covering(cls, dates: Iterable[FuzzyDate]) -> "_Scale":
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
class _Lane:
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
        """Return the text drawn beside the band."""
        if self.date is None:
            return "no date reported"
        phrase = f" “{self.date.phrase}”" if self.date.phrase else ""
        mark = {"conflict": "≠ ", "withdrawn": f"{self.note}: "}.get(self.kind, "")
        return f"{mark}{self.date}{phrase} · {'; '.join(self.sources)}"

    def spans(self, scale: _Scale) -> tuple[tuple[float, float], ...]:
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
class _Row:
    """One happening as drawn: its title, summary, marks and lanes."""

    happening: Happening
    summary: str
    notes: tuple[tuple[str, str], ...]  # (the response's event type, the words)
    lanes: tuple[_Lane, ...]

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


def _clean(text: str) -> str:
    """Return *text* with the characters XML and HTML cannot hold replaced."""
    return _UNPRINTABLE.sub("\ufffd", text)


def _css(name: str) -> str:
    """Return *name* as a CSS class name: letters, digits, ``-`` and ``_`` only."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _chain(entry: Entry) -> str:
    event = entry.event
    return " → ".join(
        source.name for source in (event.report.outlet, *event.attribution)
    )


def _chains(entries: Iterable[Entry]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_chain(entry) for entry in entries))


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, FuzzyDate) and value.phrase:
        return f"{value} “{value.phrase}”"
    return str(value)


def _fact(name: str, value: object) -> str:
    # Counts mean nothing without their field: "killed 3", not "3".
    return _text(value) if isinstance(value, str | tuple) else f"{name} {value}"


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
    chain = f" ({_chain(response)})" if event.attribution else ""
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


def _lanes(happening: Happening) -> tuple[_Lane, ...]:
    lanes: list[_Lane] = []
    field = happening.fields.get("when")
    if field is not None:
        kind = "conflict" if field.in_conflict else "value"
        lanes.extend(_value_lane(value, kind) for value in field.values)
    for claim in happening.withdrawn:
        if claim.event.when is not None:
            note = _withdrawn_by(happening, claim)
            lanes.append(
                _Lane("withdrawn", claim.event.when, _chains([claim]), (claim,), note)
            )
    if not lanes:
        claims = happening.claims + happening.withdrawn
        return (_Lane("undated", None, _chains(claims), claims),)
    return tuple(lanes)


def _value_lane(value: Value, kind: str) -> _Lane:
    date: FuzzyDate = value.value  # type: ignore[assignment]
    return _Lane(kind, date, _chains(value.claims), value.claims)


def _row(happening: Happening) -> _Row:
    notes = tuple(
        (response.event.event_type, _describe(response))
        for response in happening.responses
    )
    return _Row(happening, _summary(happening), notes, _lanes(happening))


def _hull(row: _Row) -> FuzzyDate:
    dates = [lane.date for lane in row.lanes if lane.date is not None]
    span = dates[0]
    for date in dates[1:]:
        span = span.hull(date)
    return span


def _rows(happenings: Iterable[Happening]) -> tuple[_Row, ...]:
    """Return the rows: dated ones by their span of dates, then the undated ones."""
    rows = [_row(happening) for happening in happenings]
    dated = sorted(
        (row for row in rows if row.dated),
        key=lambda row: (_hull(row).sort_key, row.happening.event_id),
    )
    undated = sorted(
        (row for row in rows if not row.dated), key=lambda row: row.happening.event_id
    )
    return (*dated, *undated)


def _dates(rows: Iterable[_Row]) -> Iterator[FuzzyDate]:
    for row in rows:
        for lane in row.lanes:
            if lane.date is not None:
                yield lane.date


def _headline(knowledge: Knowledge, shown: Sequence[Happening]) -> str:
    reports = {
        entry.event.report
        for happening in shown
        for entry in happening.claims + happening.withdrawn + happening.responses
    }
    conflicts = sum(len(happening.conflicts) for happening in shown)
    denied = sum(Status.DENIED in happening.statuses for happening in shown)
    withdrawn = sum(
        bool(happening.statuses & {Status.RETRACTED, Status.CORRECTED})
        for happening in shown
    )
    return (
        f"{_count(len(shown), 'happening')} known from {_count(len(reports), 'report')}"
        f"; {_count(conflicts, 'open conflict')}; {denied} denied"
        f"; {withdrawn} retracted or corrected"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# -- SVG ------------------------------------------------------------------------

_WIDTH = 1100
_MARGIN = 16
_TITLE_WIDTH = 330
_TRACK_X = _MARGIN + _TITLE_WIDTH + 14
_TRACK_WIDTH = _WIDTH - _TRACK_X - _MARGIN
_LANE = 18
_ROW_GAP = 8
_CHAR = 6.2  # the width of a character at the 11px label size, roughly
_SUMMARY_CHARS = int(_TITLE_WIDTH / 5.6)

_STYLE = """
text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; fill: #1f2328; }
.title { font-size: 13px; font-weight: 600; }
.summary, .note, .axis text, .legend text, .headline { font-size: 11px; }
.summary, .axis text { fill: #57606a; }
.note { fill: #57606a; } .note.denial, .note.retraction { fill: #b42318; }
.note.correction { fill: #6941c6; } .note.confirmation { fill: #067647; }
.mark { font-size: 10px; font-weight: 700; letter-spacing: .04em; }
.mark.disputed { fill: #b54708; } .mark.denied, .mark.retracted { fill: #b42318; }
.mark.corrected { fill: #6941c6; } .mark.confirmed { fill: #067647; }
.label { font-size: 11px; }
.band { fill: #2e90fa; fill-opacity: .75; stroke: #175cd3; }
.conflict .band { fill: url(#hatch); stroke: #b54708; stroke-width: 1.5; }
.conflict .label { fill: #93370d; font-weight: 600; }
.withdrawn .band { fill: none; stroke: #667085; stroke-dasharray: 3 2; }
.withdrawn .label { fill: #667085; text-decoration: line-through; }
.denied .band { stroke: #b42318; stroke-width: 2; }
.undated .label { fill: #667085; font-style: italic; }
.grid { stroke: #eaecf0; } .rule { stroke: #d0d5dd; }
.oneof { stroke: #175cd3; stroke-dasharray: 1 2; }
"""


def render_svg(knowledge: Knowledge, *, about: str | None = None) -> str:
    """Return an SVG picture of *knowledge*: its happenings on a valid-time axis.

    Each happening is a row, titled with its id, statuses and a summary of
    its facts; each reported date is a band over every day it allows, with
    the date, the source's phrase and the chains of sources behind it. Dates
    in conflict are hatched and marked ``≠``; claims their source withdrew
    are dashed and struck through; denials are named under the title.
    Undated happenings follow the dated ones. The time axis is compressed:
    order and overlap are exact, lengths are not to scale.

    Args:
        knowledge: What was known, e.g. ``log.as_of(date)``.
        about: Only the happenings that `Happening.matches` this text.

    Returns:
        A standalone SVG document, with no scripts and no external links.

    .. versionadded:: 0.1.0
    """
    shown = knowledge.about(about) if about is not None else knowledge.happenings
    rows = _rows(shown)
    scale = _Scale.covering(_dates(rows))
    heading = f"What was known on {knowledge.as_of}"
    if about is not None:
        heading += f", about “{about}”"
    parts: list[str] = []
    y = _MARGIN + 14
    parts.append(_svg_text(_MARGIN, y, heading, "title"))
    y += 18
    parts.append(_svg_text(_MARGIN, y, _headline(knowledge, shown), "headline"))
    y += 12
    parts.append(_legend(y))
    y += 34
    body: list[str] = []
    top = y + 14
    y = top + 6
    for row in rows:
        body.append(_svg_row(row, scale, y))
        y += _row_height(row)
    if not rows:
        body.append(
            _svg_text(_TRACK_X, y + 12, "nothing was known on this date", "summary")
        )
        y += _LANE
    parts.append(_axis(scale, top, y))
    parts.extend(body)
    height = y + _MARGIN
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" '
        f'role="img" aria-label={quoteattr(_clean(heading))}>\n'
        f"<title>{_esc(heading)}</title>\n"
        f"<style>{_STYLE}</style>\n"
        '<defs><pattern id="hatch" width="5" height="5" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="5" height="5" fill="#fef0c7"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#dc6803" stroke-width="2.5"/>'
        "</pattern></defs>\n"
        '<rect width="100%" height="100%" fill="#fff"/>\n'
        + "\n".join(parts)
        + "\n</svg>\n"
    )


def _esc(text: str) -> str:
    return escape(_clean(text))


def _svg_text(x: float, y: float, text: str, css: str, *, anchor: str = "") -> str:
    end = ' text-anchor="end"' if anchor == "end" else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{css}"{end}>{_esc(text)}</text>'


def _legend(y: float) -> str:
    items = [
        ('<rect class="band" x="{x}" y="{top}" width="26" height="10"/>', "reported"),
        (
            '<g class="conflict"><rect class="band" x="{x}" y="{top}" width="26" '
            'height="10"/></g>',
            "≠ conflicting values",
        ),
        (
            '<g class="withdrawn"><rect class="band" x="{x}" y="{top}" width="26" '
            'height="10"/></g>',
            "retracted or corrected",
        ),
        (
            '<g class="denied"><rect class="band" x="{x}" y="{top}" width="26" '
            'height="10"/></g>',
            "denied",
        ),
    ]
    out = ['<g class="legend">']
    x = float(_MARGIN)
    for shape, text in items:
        out.append(shape.format(x=x, top=y + 2))
        out.append(_svg_text(x + 32, y + 11, text, "summary"))
        x += 44 + len(text) * _CHAR
    note = "Bands span every day a date allows; the time axis is compressed."
    out.append(_svg_text(x + 10, y + 11, note, "summary"))
    out.append("</g>")
    return "".join(out)


def _axis(scale: _Scale, top: float, bottom: float) -> str:
    out = ['<g class="axis">']
    out.append(
        f'<line class="rule" x1="{_TRACK_X}" y1="{top}" '
        f'x2="{_TRACK_X + _TRACK_WIDTH}" y2="{top}"/>'
    )
    for x, label in scale.ticks():
        px = _TRACK_X + x * _TRACK_WIDTH
        out.append(
            f'<line class="grid" x1="{px:.1f}" y1="{top}" x2="{px:.1f}" '
            f'y2="{bottom:.1f}"/>'
        )
        if x > _LAST_TICK:  # no room after it: end the label at the tick
            out.append(_svg_text(px - 2, top - 4, label, "", anchor="end"))
        else:
            out.append(_svg_text(px + 2, top - 4, label, ""))
    out.append("</g>")
    return "".join(out)


def _row_height(row: _Row) -> int:
    title_lines = 2 + len(row.notes)
    return max(title_lines, len(row.lanes)) * _LANE + _ROW_GAP


def _svg_row(row: _Row, scale: _Scale, y: float) -> str:
    happening = row.happening
    css = " ".join(["row", *(f"status-{mark}" for mark in row.marks)])
    out = [
        f'<g class="{css}" data-event-id={quoteattr(_clean(happening.event_id))}>',
        f'<line class="grid" x1="{_MARGIN}" y1="{y - 4:.1f}" '
        f'x2="{_WIDTH - _MARGIN}" y2="{y - 4:.1f}"/>',
    ]
    # The marks follow the title in one <text>, so the viewer places them
    # after it, whatever the font's widths.
    marks = "".join(
        f'<tspan class="mark {mark}" dx="8">{mark.upper()}</tspan>'
        for mark in row.marks
    )
    out.append(
        f'<text x="{_MARGIN}" y="{y + 11:.1f}" class="title">'
        f"{_esc(happening.event_id)}{marks}</text>"
    )
    summary = row.summary
    if len(summary) > _SUMMARY_CHARS:
        summary = summary[: _SUMMARY_CHARS - 1].rstrip() + "…"
    out.append(_svg_text(_MARGIN, y + 11 + _LANE, summary, "summary"))
    for index, (kind, note) in enumerate(row.notes):
        text = note if len(note) <= _SUMMARY_CHARS else note[: _SUMMARY_CHARS - 1] + "…"
        line = y + 11 + _LANE * (2 + index)
        out.append(_svg_text(_MARGIN, line, text, f"note {_css(kind)}"))
    denied = Status.DENIED in happening.statuses
    for index, lane in enumerate(row.lanes):
        out.append(_svg_lane(lane, scale, y + index * _LANE, denied=denied))
    out.append("</g>")
    return "\n".join(out)


def _svg_lane(lane: _Lane, scale: _Scale, y: float, *, denied: bool) -> str:
    css = " ".join(["lane", lane.kind, *(["denied"] if denied else [])])
    attributes = f'class="{css}"'
    if lane.date is not None:
        attributes += f" data-when={quoteattr(str(lane.date))}"
    attributes += f" data-sources={quoteattr(_clean('; '.join(lane.sources)))}"
    out = [f"<g {attributes}>", f"<title>{_esc(_tooltip(lane))}</title>"]
    spans = lane.spans(scale)
    for start, end in spans:
        px = _TRACK_X + start * _TRACK_WIDTH
        width = max((end - start) * _TRACK_WIDTH, 3.0)
        out.append(
            f'<rect class="band" x="{px:.1f}" y="{y + 4:.1f}" '
            f'width="{width:.1f}" height="10" rx="2"/>'
        )
    if len(spans) > 1:
        first, last = spans[0][0], spans[-1][1]
        out.append(
            f'<line class="oneof" x1="{_TRACK_X + first * _TRACK_WIDTH:.1f}" '
            f'y1="{y + 9:.1f}" x2="{_TRACK_X + last * _TRACK_WIDTH:.1f}" '
            f'y2="{y + 9:.1f}"/>'
        )
    out.extend(_arrows(lane.date, y))
    start, end = (spans[0][0], spans[-1][1]) if spans else (0.0, 0.0)
    out.append(_place_label(lane.label, start, end, y))
    out.append("</g>")
    return "".join(out)


def _arrows(date: FuzzyDate | None, y: float) -> Iterator[str]:
    if date is not None and date.earliest is None:
        x = _TRACK_X
        yield f'<path class="band" d="M{x - 6},{y + 9} l6,-6 v12 z"/>'
    if date is not None and date.latest is None:
        x = _TRACK_X + _TRACK_WIDTH
        yield f'<path class="band" d="M{x + 6},{y + 9} l-6,-6 v12 z"/>'


def _place_label(text: str, start: float, end: float, y: float) -> str:
    baseline = y + 13
    if 1 - end >= _LABEL_ROOM:
        x, room, anchor = end, 1 - end, ""
    elif start >= _LABEL_ROOM:
        x, room, anchor = start, start, "end"
    else:
        x, room, anchor = start, 1 - start, ""
    fits = int((room * _TRACK_WIDTH - 8) / _CHAR)
    if len(text) > fits:
        text = text[: max(fits - 1, 0)].rstrip() + "…"
    offset = -5 if anchor else 5
    px = _TRACK_X + x * _TRACK_WIDTH + offset
    return _svg_text(px, baseline, text, "label", anchor=anchor)


def _tooltip(lane: _Lane) -> str:
    lines = [lane.label]
    for entry in lane.claims:
        report = entry.event.report
        quote = f": “{entry.event.quote}”" if entry.event.quote else ""
        lines.append(f"{_chain(entry)}, {report.published_day}{quote}")
    return "\n".join(lines)
