# SPDX-License-Identifier: MIT
"""See a log: a self-contained HTML timeline with a knowledge-date slider.

`render_html` writes one HTML page that needs nothing at view time: its
style, script and data are inline, and it fetches nothing. The page draws
the happenings on a valid-time axis like `timeline.views.plot.render_svg`, and a
slider over knowledge dates replays what was known on any day: every
snapshot is computed here, in Python, with `timeline.EventLog.as_of`, so the
page only shows and hides rows. Hovering, focusing or clicking a date shows
its reports, attribution chains and quotes.

`render_table` gives the HTML tables that notebooks show for
`timeline.projections.Knowledge`,
`timeline.projections.Happening` and
`timeline.projections.FieldValues`.

.. versionadded:: 0.1.0
"""

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator

from timeline.log import EventLog
from timeline.model.entry import Entry
from timeline.model.events import Rebuttal
from timeline.projections import FieldValues, Happening, Knowledge, Status, display
from timeline.views._drawing import (
    LABEL_ROOM,
    LAST_TICK,
    Lane,
    Row,
    Scale,
    Tally,
    chain_of,
    clean,
    css_class,
    dates_of,
    headline,
    in_own_words,
    ordered,
    row_of,
    rows_of,
)

__all__ = ["render_html", "render_table"]

_TABLE_ROWS = 100


def _esc(value: object) -> str:
    return html.escape(clean(str(value)))


def render_html(
    log: EventLog,
    *,
    about: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Return a self-contained HTML page that replays *log* over knowledge dates.

    The page replays the record on every day on which some report was
    published (nothing changes in between), from the day before the first
    report to the last. It draws each state of each happening once, with
    the spans of days it is shown, so its size and the time to make it
    grow with what changed from day to day, not with the days times the
    happenings known (`EventLog.as_of` rebuilds only what a day changed,
    and shares the rest). Its slider moves one day at a time; the
    buttons beside it jump from one report day to the next. The address may
    name a day, ``page.html#asof=2017-09-27``, and the page keeps it up to
    date, so a view can be linked. Without JavaScript the page shows the
    last day.

    Args:
        log: The log to replay.
        about: Only the happenings that `Happening.matches` this text.
        progress: Called after each day is replayed with how many days are
            done and how many there are.

    Returns:
        The page: HTML with its style, script and data inline.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *progress*; each state of a happening drawn once.
    """
    days = sorted({entry.event.report.published_day for entry in log})
    replay = _Replay()
    about_day = _About(log, about) if about is not None else None
    for done, day in enumerate(days, start=1):
        knowledge = log.as_of(day)
        replay.show(knowledge.happenings if about_day is None else about_day(knowledge))
        if progress is not None:
            progress(done, len(days))
    drawn = replay.drawn()
    scale = Scale.covering(dates_of(row for row, _ in drawn))
    parts = _Parts()
    keys: dict[tuple[tuple[str, ...], tuple[tuple[int, ...], ...]], str] = {}
    spans: dict[str, list[int]] = {}
    details: dict[str, list[list[int]]] = {}
    made: list[tuple[str, Row, tuple[str, ...]]] = []
    for row, days_of_row in drawn:
        body = tuple(_row_parts(row, scale))
        shown = tuple(parts.refs(fragments) for fragments in _details(row))
        if (body, shown) not in keys:
            keys[body, shown] = key = f"r{len(keys)}"
            spans[key] = []
            details[key] = [list(refs) for refs in shown]
            made.append((key, row, body))
        spans[keys[body, shown]] += days_of_row
    for key, days_shown in spans.items():
        spans[key] = _joined(days_shown)
    # Rows start hidden unless the last day shows them, so the page reads
    # right without script, in print and before the script has run. Only
    # the last day's rows are written out: the others are fragments, most
    # of them shared with other states, that the script joins when a day
    # first shows the row.
    visible = {key for key, shown in spans.items() if shown and shown[-1] == len(days)}
    bodies: dict[str, list[int]] = {}
    dated: list[str] = []
    undated: list[str] = []
    for key, row, body in made:
        if key in visible:
            item = _row_item(key, row, "".join(body))
        else:
            bodies[key] = list(parts.refs(body))
            item = _row_item(key, row, "").replace("<li ", "<li hidden ", 1)
        (dated if row.dated else undated).append(item)
    start = days[0] - dt.timedelta(days=1) if days and days[0] > dt.date.min else None
    first = start or (days[0] if days else dt.date(1970, 1, 1))
    last = days[-1] if days else first
    data = {
        "start": first.isoformat(),
        "days": [day.isoformat() for day in days],
        "spans": spans,
        "summaries": replay.summaries,
        "rows": bodies,
        "details": details,
        "parts": parts.table(),
        "empty": "nothing was reported yet" if days else "the log holds no reports",
    }
    heading = "Timeline of reports" + (f" about “{about}”" if about else "")
    final = replay.summaries[-1] if days else ""
    return _PAGE.format(
        title=_esc(heading),
        heading=_esc(heading),
        max=(last - first).days,
        last=last.isoformat(),
        ticks="".join(
            f'<option value="{(day - first).days}" label="{day}"></option>'
            for day in days
        ),
        summary=_esc(f"As of {last}: {final or data['empty']}."),
        axis=_axis(scale),
        grid="".join(
            f'<span style="left:{x * 100:.3f}%"></span>' for x, _ in scale.ticks()
        ),
        dated="\n".join(dated),
        undated="\n".join(undated),
        style=_STYLE,
        data=_script_safe(json.dumps(data, ensure_ascii=False)),
        script=_SCRIPT,
    )


def _script_safe(text: str) -> str:
    # JSON inside <script>: no "</" can end the script and no "<!--" can
    # change how it is read. In JSON "<" only stands inside strings, where
    # "\\/" is "/" and "\\u003c" is "<"; the other "<" of the details'
    # HTML stay one byte each.
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


class _Parts:
    # The fragments of HTML the details of a page are made of, each
    # distinct one held once. The states of a happening repeat most of
    # their claims, relations and notes, and the lanes of a row their
    # relations and notes: each detail is a list of indexes into this
    # table, which the script joins when the detail is shown.

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    def refs(self, fragments: Iterable[str]) -> tuple[int, ...]:
        index = self._index
        return tuple(index.setdefault(fragment, len(index)) for fragment in fragments)

    def table(self) -> list[str]:
        return list(self._index)


class _About:
    # `Knowledge.about` for every day of a page, each happening searched
    # once for each set of texts (the text and the names the analyst judged
    # its entity's): days share the happenings they did not change, and
    # searching every happening known on every day grew with days times
    # happenings. A text that is the id of no entry is never an id on any
    # day, so only then is the search the whole answer.

    def __init__(self, log: EventLog, about: str) -> None:
        self._about = about
        folded = about.casefold()
        self._names_an_id = any(
            entry.event.event_id.casefold() == folded for entry in log
        )
        self._found: dict[int, tuple[Happening, dict[tuple[str, ...], bool]]] = {}

    def __call__(self, knowledge: Knowledge) -> tuple[Happening, ...]:
        if self._names_an_id:
            return knowledge.about(self._about)
        texts = (self._about, *knowledge.aliases_of(self._about))
        shown = []
        for happening in knowledge.happenings:
            _, found = self._found.setdefault(id(happening), (happening, {}))
            if texts not in found:
                found[texts] = any(happening.matches(text) for text in texts)
            if found[texts]:
                shown.append(happening)
        return tuple(shown)


class _Replay:
    # The happenings a page shows day by day, each distinct one drawn once.
    # Days patched from the day before share the happenings that did not
    # change (`EventLog.as_of`), so what is drawn and counted, and what the
    # page holds, grows with the changes, not with days times happenings.

    def __init__(self) -> None:
        # By id() of the happening, which its row keeps alive, so no id is
        # reused while the page is made.
        self._rows: dict[int, tuple[Row, list[int]]] = {}
        self._shown: dict[int, Happening] = {}
        self._tally = Tally()
        self._day = 0
        self.summaries: list[str] = []

    def show(self, happenings: Iterable[Happening]) -> None:
        # The next day shows *happenings*: each span of days a happening is
        # shown opens and closes as a pair of day indexes, the end excluded.
        now = {id(happening): happening for happening in happenings}
        before = self._shown
        for gone in before.keys() - now.keys():
            self._rows[gone][1].append(self._day)
            self._tally.remove(before[gone])
        for new in now.keys() - before.keys():
            happening = now[new]
            if new not in self._rows:
                self._rows[new] = (row_of(happening), [])
            self._rows[new][1].append(self._day)
            self._tally.add(happening)
        self._shown = now
        self.summaries.append(self._tally.headline())
        self._day += 1

    def drawn(self) -> tuple[tuple[Row, list[int]], ...]:
        # Every row drawn, in the page's order, with its spans of days;
        # call it once, after the last day.
        for still in self._shown:
            self._rows[still][1].append(self._day)
        self._shown = {}
        spans = {id(row): shown for row, shown in self._rows.values()}
        return tuple(
            (row, spans[id(row)])
            for row in ordered(row for row, _ in self._rows.values())
        )


def _joined(shown: list[int]) -> list[int]:
    # Spans of days as sorted [start, end, start, end, ...], with spans
    # that touch made one.
    pairs = sorted(zip(shown[::2], shown[1::2], strict=True))
    out: list[int] = []
    for first, end in pairs:
        if out and out[-1] == first:
            out[-1] = end
        else:
            out += [first, end]
    return out


def _row_item(key: str, row: Row, body: str) -> str:
    css = " ".join(["row", *(f"status-{mark}" for mark in row.marks)])
    event_id = _esc(row.happening.event_id)
    return f'<li data-key="{key}" class="{css}" data-event-id="{event_id}">{body}</li>'


def _axis(scale: Scale) -> str:
    return "".join(
        f'<span class="tick{" end" if x > LAST_TICK else ""}" '
        f'style="left:{x:.3%}">{_esc(label)}</span>'
        for x, label in scale.ticks()
    )


def _row_parts(row: Row, scale: Scale) -> list[str]:
    # The row's head, then its lanes, in fragments other states share.
    happening = row.happening
    marks = "".join(f'<span class="mark {mark}">{mark}</span>' for mark in row.marks)
    notes = "".join(
        f'<p class="note {css_class(kind)}">{_esc(note)}</p>'
        for kind, note in row.notes
    )
    notes += "".join(
        f'<p class="note link">{_esc(_link_text(phrase, other, entry))}</p>'
        for phrase, other, entry in happening.related()
    )
    head = (
        '<div class="head">'
        f'<button type="button" class="title" data-detail="h">'
        f"{_esc(happening.event_id)}</button>{marks}"
        f'<p class="summary">{_esc(row.summary)}</p>{notes}</div>'
    )
    lanes = [_lane_html(index, lane, scale) for index, lane in enumerate(row.lanes)]
    return [head, '<div class="track">', *lanes, "</div>"]


def _details(row: Row) -> Iterator[list[str]]:
    # What the panel shows for the row's title, then for each of its lanes,
    # as fragments of HTML.
    yield _happening_parts(row.happening)
    for lane in row.lanes:
        yield _lane_detail(lane, row)


def _link_text(phrase: str, other: str, entry: Entry) -> str:
    # A link between happenings as the page says it: "caused by
    # fedyanin-wounding", whether the two share their dates, and who said
    # so when.
    shared = " (same date)" if getattr(entry.event, "same_when", False) else ""
    day = entry.event.report.published_day
    return f"{phrase} {other}{shared}: {chain_of(entry)}, {day}"


def _stretch(css: str, start: float, end: float) -> str:
    # Round the edges, not the width, so that touching bands still touch.
    left, right = round(start * 100, 3), round(end * 100, 3)
    style = f"left:{left:.3f}%;width:{right - left:.3f}%"
    return f'<span class="{css}" style="{style}"></span>'


def _lane_html(index: int, lane: Lane, scale: Scale) -> str:
    spans = lane.spans(scale)
    bands = "".join(_stretch("band", start, end) for start, end in spans)
    if len(spans) > 1:
        bands += _stretch("oneof", spans[0][0], spans[-1][1])
    opens = ""
    if lane.date is not None:
        opens += " open-start" if lane.date.earliest is None else ""
        opens += " open-end" if lane.date.latest is None else ""
    start, end = (spans[0][0], spans[-1][1]) if spans else (0.0, 0.0)
    if 1 - end >= LABEL_ROOM:
        place = f"left:calc({end:.3%} + 6px);max-width:calc({1 - end:.3%} - 8px)"
    elif start >= LABEL_ROOM:
        place = f"right:calc({1 - start:.3%} + 6px);max-width:calc({start:.3%} - 8px)"
    else:
        place = f"left:calc({start:.3%} + 6px);max-width:calc({1 - start:.3%} - 8px)"
    when = f' data-when="{_esc(lane.date)}"' if lane.date is not None else ""
    tip = _esc(_lane_tip(lane))
    return (
        f'<button type="button" class="lane {lane.kind}{opens}" data-detail="{index}"'
        f'{when} title="{tip}">{bands}'
        f'<span class="label" style="{place}">{_esc(lane.label)}</span></button>'
    )


def _lane_tip(lane: Lane) -> str:
    lines = [lane.label]
    for entry in lane.claims:
        quote = f": “{entry.event.quote}”" if entry.event.quote else ""
        lines.append(f"{chain_of(entry)}, {entry.event.report.published_day}{quote}")
    return "\n".join(lines)


def _lane_detail(lane: Lane, row: Row) -> list[str]:
    # In pieces a page's details share: the labels of a row's lanes stand
    # in every detail of the row, as its title or among the conflicting.
    out = [f"<h2>{_esc(row.happening.event_id)}</h2>", "<h3>", _esc(lane.label)]
    out.append("</h3>")
    if lane.kind == "conflict":
        others = [
            _esc(other.label)
            for other in row.lanes
            if other.kind == "conflict" and other != lane
        ]
        out.append('<p class="conflict-note">In conflict with: ')
        for number, other in enumerate(others):
            out += [other] if number == 0 else ["; ", other]
        out.append(". Neither is chosen.</p>")
    elif lane.kind == "withdrawn":
        out.append(
            f'<p class="note">This claim was {_esc(lane.note)} by its source.</p>'
        )
    out.extend(
        f'<p class="relation {css_class(relation)}">{_esc(name)}: '
        f"<strong>{_esc(relation)}</strong>: {_esc(reason)}</p>"
        for name, relation, reason in row.relations
    )
    out.extend(
        f'<p class="note {css_class(kind)}">{_esc(note)}</p>'
        for kind, note in row.notes
    )
    out.extend(_claims(lane.claims))
    return out


# Schemes a click may follow. Anything else (javascript:, data:, vbscript:,
# a scheme hidden behind leading spaces or control characters, which
# browsers strip) is shown as text, never as a link.
_SAFE_URL = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)


def _link(url: str) -> str:
    # The address as a link only where following it cannot run code.
    if _SAFE_URL.match(url):
        return f'<a href="{_esc(url)}">{_esc(url)}</a>'
    return f'<span class="url">{_esc(url)}</span>'


def _claims(entries: Iterable[Entry]) -> list[str]:
    return ['<ul class="claims">', *(_claim(entry) for entry in entries), "</ul>"]


def _claim(entry: Entry) -> str:
    event = entry.event
    report = event.report
    parts = [
        f'<li><p class="chain">{_esc(chain_of(entry))}</p>',
        f'<p class="report">{_esc(report.outlet)}, published {_esc(report.published)}',
    ]
    if report.published_range is not None:
        low, high = report.published_range
        parts.append(f" (dated from its text: {low} to {high})")
    if report.title:
        parts.append(f" — <cite>{_esc(report.title)}</cite>")
    if report.url:
        parts.append(f" {_link(report.url)}")
    parts.append("</p>")
    if event.when is not None:
        phrase = f" “{event.when.phrase}”" if event.when.phrase else ""
        parts.append(
            f'<p class="when">{_esc(event.event_type)}, when: '
            f"{_esc(event.when)}{_esc(phrase)}</p>"
        )
    else:
        parts.append(f'<p class="when">{_esc(event.event_type)}, no date given</p>')
    if isinstance(event, Rebuttal):
        summary = f": {event.summary}" if event.summary else ""
        parts.append(
            f'<p class="party">rebutted by {_esc(event.rebutted_by)}{_esc(summary)}</p>'
        )
    if event.quote:
        parts.append(f"<blockquote>“{_esc(event.quote)}”</blockquote>")
    if event.hedge is not None:
        parts.append(f'<p class="hedge">hedged by the report: {event.hedge.value}</p>')
    grades = [
        f"{name} {value.value}"
        for name, value in (
            ("reliability", event.reliability),
            ("credibility", event.credibility),
        )
        if value is not None
    ]
    if grades:
        parts.append(f'<p class="grade">{_esc(", ".join(grades))}</p>')
    if event.note:
        parts.append(f'<p class="encoder">Note: {_esc(event.note)}</p>')
    parts.append(f'<p class="seq">log entry {entry.seq}</p></li>')
    return "".join(parts)


# -- Tables for notebooks -------------------------------------------------------


def render_table(item: Knowledge | Happening | FieldValues) -> str:
    """Return *item* as an HTML table fragment, as a notebook displays it.

    A `Knowledge` is one row per happening, in timeline order (dated ones by
    their dates, then undated ones), the first 100 of them; a `Happening`
    is its fields, then its claims, responses and withdrawn claims; a
    `FieldValues` is one row per value. Values in conflict are marked ``≠``.

    .. versionadded:: 0.1.0
    """
    if isinstance(item, Knowledge):
        return _knowledge_table(item)
    if isinstance(item, Happening):
        return _happening_table(item)
    return _field_table(item)


def _values(field: FieldValues) -> str:
    return "".join(_value_lines(field))


def _value_lines(field: FieldValues) -> list[str]:
    # `_values` line by line, each after the first with its "<br>": the
    # states of a happening share the lines they did not change.
    mark = "≠ " if field.in_conflict else ""
    shown = [
        in_own_words(field.name, value.value, value.claims) for value in field.values
    ]
    lines = [
        f"{mark}{_esc(text)} <small>({_esc('; '.join(sources))})</small>"
        for text, sources in shown
    ]
    lines += [
        f"<small>{_esc(pair.relation.value)}: {_esc(pair.reason)}</small>"
        for pair in field.pairs
    ]
    return lines[:1] + [f"<br>{line}" for line in lines[1:]]


def _knowledge_table(knowledge: Knowledge) -> str:
    rows = rows_of(knowledge.happenings)
    body = []
    for row in rows[:_TABLE_ROWS]:
        happening = row.happening
        field = happening.fields.get("when")
        when = _values(field) if field is not None else "—"
        chains = {chain_of(entry) for entry in happening.claims}
        body.append(
            f"<tr><td><code>{_esc(happening.event_id)}</code></td>"
            f"<td>{_esc(', '.join(happening.event_types))}</td>"
            f"<td>{_esc(happening.status.value)}</td><td>{when}</td>"
            f"<td>{_esc(row.summary)}</td>"
            f"<td>{_esc('; '.join(sorted(chains)))}</td>"
            f"<td>{happening.first_known}</td></tr>"
        )
    if len(rows) > _TABLE_ROWS:
        more = len(rows) - _TABLE_ROWS
        body.append(f'<tr><td colspan="7">… and {more} more</td></tr>')
    caption = (
        f"Knowledge as of {knowledge.as_of} (log seq {knowledge.seq}): "
        f"{headline(knowledge, knowledge.happenings)}"
    )
    return (
        f'<table class="timeline-knowledge"><caption>{_esc(caption)}</caption>'
        "<thead><tr><th>happening</th><th>type</th><th>status</th><th>when</th>"
        "<th>facts</th><th>sources</th><th>first known</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _happening_table(happening: Happening) -> str:
    return "".join(_happening_parts(happening))


def _happening_parts(happening: Happening) -> list[str]:
    # `render_table` of a happening in pieces: a page's details share them.
    statuses = ", ".join(
        status.value for status in Status if status in happening.statuses
    )
    caption = (
        f"{happening.event_id}: {', '.join(happening.event_types)} ({statuses}), "
        f"first known {happening.first_known}"
    )
    parts = [
        '<div class="timeline-happening">',
        f'<p class="timeline-caption"><strong>{_esc(caption)}</strong></p>',
    ]
    if happening.fields:
        parts.append("<table><tbody>")
        for name, field in happening.fields.items():
            parts += [f"<tr><th>{_esc(name)}</th><td>", *_value_lines(field)]
            parts.append("</td></tr>")
        parts.append("</tbody></table>")
    for title, entries in (
        ("Claims", happening.claims),
        ("Responses", happening.responses),
        ("Withdrawn by their source", happening.withdrawn),
    ):
        if entries:
            parts += [f"<h4>{title}</h4>", *_claims(entries)]
    links = happening.related()
    if links:
        parts.append('<h4>Links</h4><ul class="links">')
        parts.extend(
            f"<li><p>{_esc(_link_text(phrase, other, entry))}</p>"
            + (
                f"<blockquote>“{_esc(entry.event.quote)}”</blockquote>"
                if entry.event.quote
                else ""
            )
            + "</li>"
            for phrase, other, entry in links
        )
        parts.append("</ul>")
    parts.append("</div>")
    return parts


def _field_table(field: FieldValues) -> str:
    state = "in conflict" if field.in_conflict else "settled"
    if not field.in_conflict and field.pairs:
        state = f"not in conflict ({field.kind.value})"
    mark = "≠ " if field.in_conflict else ""
    rows = []
    for value in field.values:
        text, sources = in_own_words(field.name, value.value, value.claims)
        rows.append(
            f"<tr><td>{mark}{_esc(text)}</td><td>{_esc('; '.join(sources))}</td>"
            f"<td>{value.first_known}</td></tr>"
        )
    notes = "".join(
        f'<tr><td colspan="3">{_esc(pair.relation.value)}: '
        f"{_esc(pair.reason)}</td></tr>"
        for pair in field.pairs
    )
    return (
        f'<table class="timeline-field"><caption>{_esc(field.name)}: {state}'
        "</caption><thead><tr><th>value</th><th>sources</th><th>first known</th>"
        f"</tr></thead><tbody>{''.join(rows)}{notes}</tbody></table>"
    )


# -- The page -------------------------------------------------------------------

_STYLE = """
:root { --title: 18rem; --ink: #1f2328; --muted: #57606a; --line: #eaecf0;
  --band: #2e90fa; --band-edge: #175cd3; --conflict: #b54708; --denied: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--ink); background: #fff; }
header { position: sticky; top: 0; z-index: 2; background: #fff;
  border-bottom: 1px solid #d0d5dd; padding: .6rem 1rem .4rem; }
h1 { font-size: 1.15rem; margin: 0 0 .4rem; }
.controls { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
.controls input[type=range] { flex: 1 1 20rem; min-width: 12rem; }
#asof-date { font: 600 1.05rem ui-monospace, monospace; min-width: 7.5rem; }
#summary { margin: .3rem 0; color: var(--muted); }
.legend { display: flex; gap: 1.1rem; flex-wrap: wrap; font-size: 12px;
  color: var(--muted); margin: 0; padding: 0; list-style: none; }
.legend .band { position: static; display: inline-block; width: 1.6rem;
  vertical-align: middle; margin-right: .3rem; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 19rem; gap: 1rem;
  padding: 0 1rem 2rem; }
.axis { position: sticky; top: var(--header, 8rem); z-index: 1; background: #fff;
  height: 1.6rem; border-bottom: 1px solid #d0d5dd; }
.scale { position: relative; height: 100%; margin-left: var(--title); }
.tick { position: absolute; bottom: 2px; font-size: 11px; color: var(--muted);
  padding-left: 3px; border-left: 1px solid #d0d5dd; white-space: nowrap; }
.tick.end { transform: translateX(-100%); padding: 0 3px 0 0; border-left: 0;
  border-right: 1px solid #d0d5dd; }
section[data-rows] { position: relative; }
.grid { position: absolute; top: 0; bottom: 0; left: var(--title); right: 0;
  pointer-events: none; }
.undated-list { display: grid; gap: 0 1rem;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.undated-list .row { display: block; }
.undated-list .lane { height: 1.2rem; }
.grid span { position: absolute; top: 0; bottom: 0;
  border-left: 1px solid var(--line); }
h2.section { font-size: .95rem; margin: 1rem 0 .2rem; color: var(--muted); }
ol.rows, ul.rows { list-style: none; margin: 0; padding: 0; }
.row { display: grid; grid-template-columns: var(--title) minmax(0, 1fr);
  border-bottom: 1px solid var(--line); padding: .25rem 0; break-inside: avoid; }
.row[hidden] { display: none; }
.head { padding-right: .6rem; min-width: 0; }
.title { font: 600 13px ui-monospace, monospace; border: 0; background: none;
  padding: 0; color: var(--ink); cursor: pointer; text-align: left;
  overflow-wrap: anywhere; }
.summary { margin: 0; color: var(--muted); font-size: 12px; }
.note { margin: 0; color: var(--muted); font-size: 12px; }
.note.denial, .note.retraction { color: var(--denied); }
.note.correction { color: #6941c6; } .note.confirmation { color: #067647; }
.mark { font-size: 10px; font-weight: 700; text-transform: uppercase;
  letter-spacing: .04em; margin-left: .4rem; padding: 0 .3rem; border-radius: 3px;
  border: 1px solid currentColor; }
.mark.disputed { color: var(--conflict); } .mark.denied { color: var(--denied); }
.mark.retracted { color: var(--denied); } .mark.corrected { color: #6941c6; }
.mark.confirmed { color: #067647; }
.track { position: relative; min-width: 0; }
.lane { position: relative; display: block; width: 100%; height: 1.35rem;
  border: 0; background: none; padding: 0; cursor: pointer; font: inherit;
  color: inherit; }
.lane:hover, .lane.selected { background: #f2f4f7; }
.title:focus-visible, .lane:focus-visible, button:focus-visible {
  outline: 2px solid #175cd3; outline-offset: 1px; }
.band { position: absolute; top: .3rem; height: .75rem; min-width: 6px;
  background: var(--band); opacity: .8; border: 1px solid var(--band-edge);
  border-radius: 2px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.oneof { position: absolute; top: .65rem; border-top: 2px dotted var(--band-edge); }
.open-start .band { border-left: 0; border-radius: 0 2px 2px 0;
  background: linear-gradient(90deg, #fff, var(--band) 2rem); }
.open-end .band { border-right: 0; border-radius: 2px 0 0 2px;
  background: linear-gradient(270deg, #fff, var(--band) 2rem); }
.label { position: absolute; top: .1rem; font-size: 12px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.conflict .band { background: repeating-linear-gradient(45deg, #fef0c7 0 3px,
  #dc6803 3px 5px); border: 2px solid var(--conflict); }
.conflict .label { color: #93370d; font-weight: 650; }
.withdrawn .band { background: none; border: 1px dashed #667085; }
.withdrawn .label { color: #667085; text-decoration: line-through; }
.status-denied .band { border: 2px solid var(--denied); }
.status-denied .head { border-left: 3px solid var(--denied); padding-left: .4rem; }
.undated .label { color: #667085; font-style: italic; }
aside { position: sticky; top: var(--header, 8rem); align-self: start;
  max-height: calc(100vh - 9rem); overflow: auto; border: 1px solid #d0d5dd;
  border-radius: 6px; padding: .6rem .8rem; font-size: 13px; margin-top: 1.6rem; }
aside h2 { font-size: 1rem; margin: 0; font-family: ui-monospace, monospace; }
aside h3 { font-size: .95rem; margin: .2rem 0 .4rem; }
.claims { padding-left: 1rem; } .claims li { margin-bottom: .6rem; }
.claims p { margin: .1rem 0; } .chain { font-weight: 600; }
blockquote { margin: .2rem 0; padding-left: .6rem; border-left: 3px solid #d0d5dd;
  font-style: italic; }
.seq, .encoder, .grade { color: var(--muted); font-size: 12px; }
.conflict-note { color: #93370d; font-weight: 600; }
.relation.contradicts strong { color: var(--conflict); }
aside table { border-collapse: collapse; font-size: 12px; }
aside caption { text-align: left; font-weight: 600; }
aside th, aside td { text-align: left; vertical-align: top; padding: .1rem .3rem;
  border-bottom: 1px solid var(--line); }
@media (max-width: 1000px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  aside { position: static; max-height: none; }
  :root { --title: 14rem; }
}
@media print {
  header, .axis, aside { position: static; }
  .controls button, .controls input, #help { display: none; }
  aside:not(:has(h2)) { display: none; }
  .layout { grid-template-columns: minmax(0, 1fr); }
  .lane:hover, .lane.selected { background: none; }
  body { font-size: 11px; }
}
"""

_SCRIPT = """
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  const slider = document.getElementById("asof");
  const output = document.getElementById("asof-date");
  const summary = document.getElementById("summary");
  const panel = document.getElementById("detail");
  const rows = new Map();
  for (const row of document.querySelectorAll("li[data-key]")) {
    rows.set(row.dataset.key, row);
  }
  const start = Date.parse(data.start + "T00:00:00Z");
  const dayOf = (n) => new Date(start + n * 864e5).toISOString().slice(0, 10);
  const offsetOf = (day) =>
    Math.round((Date.parse(day + "T00:00:00Z") - start) / 864e5);
  function show(n) {
    if (!Number.isFinite(n)) n = +slider.max;
    n = Math.min(Math.max(n, +slider.min), +slider.max);
    const day = dayOf(n);
    let index = -1;
    data.days.forEach((known, i) => { if (known <= day) index = i; });
    // The rows stand in the order every day draws them; a day shows those
    // one of whose spans [start, end) of day indexes holds it.
    for (const [key, row] of rows) {
      const spans = data.spans[key];
      let on = false;
      for (let i = 0; i < spans.length && !on; i += 2) {
        on = spans[i] <= index && index < spans[i + 1];
      }
      if (on && key in data.rows) {
        // A row the last day does not show is drawn when first shown.
        row.innerHTML = data.rows[key].map((i) => data.parts[i]).join("");
        delete data.rows[key];
      }
      row.hidden = !on;
    }
    for (const list of document.querySelectorAll("section[data-rows]")) {
      list.hidden = !list.querySelector("li[data-key]:not([hidden])");
    }
    slider.value = String(n);
    slider.setAttribute("aria-valuetext", day);
    output.value = day;
    summary.textContent = `As of ${day}: ` +
      (index < 0 ? data.empty : data.summaries[index]) + ".";
    document.body.dataset.asof = day;
    try { history.replaceState(null, "", "#asof=" + day); } catch (e) { /* file: */ }
  }
  function jump(step) {
    const day = dayOf(+slider.value);
    const days = step < 0 ? data.days.filter((d) => d < day).reverse() :
      data.days.filter((d) => d > day);
    show(days.length ? offsetOf(days[0]) : (step < 0 ? +slider.min : +slider.max));
  }
  slider.addEventListener("input", () => show(+slider.value));
  document.getElementById("previous").addEventListener("click", () => jump(-1));
  document.getElementById("next").addEventListener("click", () => jump(1));
  function detail(event) {
    const button = event.target.closest && event.target.closest("[data-detail]");
    if (!button) return;
    // The detail's fragments, shared with other rows and days, joined.
    const which = button.dataset.detail;
    const refs = data.details[button.closest("li").dataset.key][
      which === "h" ? 0 : 1 + Number(which)];
    const template = document.createElement("template");
    template.innerHTML = refs.map((i) => data.parts[i]).join("");
    panel.replaceChildren(template.content);
    for (const old of document.querySelectorAll(".selected")) {
      old.classList.remove("selected");
    }
    button.classList.add("selected");
  }
  for (const kind of ["click", "focusin", "mouseover"]) {
    document.addEventListener(kind, detail);
  }
  const header = document.querySelector("header");
  const fit = () => document.documentElement.style.setProperty(
    "--header", header.offsetHeight + "px");
  window.addEventListener("resize", fit);
  fit();
  const wanted = /asof=(\\d{4}-\\d{2}-\\d{2})/.exec(location.hash);
  show(wanted ? offsetOf(wanted[1]) : +slider.max);
  window.addEventListener("hashchange", () => {
    const again = /asof=(\\d{4}-\\d{2}-\\d{2})/.exec(location.hash);
    if (again) show(offsetOf(again[1]));
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="timeline">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{heading}</h1>
<div class="controls">
<label for="asof">Knowledge date</label>
<button type="button" id="previous" title="Previous report day">◀ report</button>
<input type="range" id="asof" min="0" max="{max}" step="1" value="{max}"
 list="report-days" aria-valuetext="{last}">
<button type="button" id="next" title="Next report day">report ▶</button>
<output id="asof-date" for="asof">{last}</output>
</div>
<datalist id="report-days">{ticks}</datalist>
<p id="summary" aria-live="polite">{summary}</p>
<ul class="legend" aria-label="Legend">
<li><span class="band"></span>reported date: spans every day it allows</li>
<li class="conflict"><span class="band"></span>≠ conflicting values</li>
<li class="withdrawn"><span class="band"></span>retracted or corrected</li>
<li class="status-denied"><span class="band"></span>denied</li>
<li id="help">Arrow keys move the slider a day. The time axis is compressed:
 order and overlap are exact, lengths are not.</li>
</ul>
<noscript><p>Without JavaScript this page shows the last day only.</p></noscript>
</header>
<div class="layout">
<main class="chart">
<section data-rows="dated" aria-label="Dated happenings">
<div class="axis" aria-hidden="true"><div class="scale">{axis}</div></div>
<div class="grid" aria-hidden="true">{grid}</div>
<ol class="rows">
{dated}
</ol>
</section>
<section data-rows="undated" aria-label="Undated happenings">
<h2 class="section">No date reported</h2>
<ul class="rows undated-list">
{undated}
</ul>
</section>
</main>
<aside id="detail" aria-live="polite" aria-label="Reports">
<p>Click, hover or focus a date or a happening to see its reports,
attribution chains and quotes.</p>
</aside>
</div>
<script type="application/json" id="timeline-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""


for _drawn in (Knowledge, Happening, FieldValues):
    display.html_table.register(_drawn, render_table)
