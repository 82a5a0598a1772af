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
from collections import Counter
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
from timeline.views._page import PAGE, SCRIPT, STYLE

__all__ = ["render_html", "render_table"]

_TABLE_ROWS = 100

# A piece of a page's HTML: a text, or a group of pieces held once.
Fragment = str | tuple["Fragment", ...]


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
    and shares the rest). Each distinct fragment of HTML the states share
    (a claim, a relation, a lane, a list of sources) is held once in the
    page's data; the script puts a detail together when it is opened, and
    a row the last day does not show when a day first shows it. Its slider
    moves one day at a time; the buttons beside it jump from one report day
    to the next. The address may name a day,
    ``page.html#asof=2017-09-27``, and the page keeps it up to date, so a
    view can be linked. Without JavaScript the page shows the last day,
    written out in full.

    Args:
        log: The log to replay.
        about: Only the happenings that `Happening.matches` this text.
        progress: Called after each day is replayed with how many days are
            done and how many there are.

    Returns:
        The page: HTML with its style, script and data inline.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 *progress*; each state of a happening drawn
       once; details and rows put together by the script from shared fragments.
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
    keys: dict[tuple[tuple[Fragment, ...], tuple[tuple[int, ...], ...]], str] = {}
    spans: dict[str, list[int]] = {}
    details: dict[str, tuple[tuple[int, ...], ...]] = {}
    made: list[tuple[str, Row, tuple[Fragment, ...]]] = []
    for row, days_of_row in drawn:
        labels = [_label(lane) for lane in row.lanes]
        body = tuple(_row_parts(row, scale, labels))
        shown = tuple(parts.refs(fragments) for fragments in _details(row, labels))
        if (body, shown) not in keys:
            keys[body, shown] = key = f"r{len(keys)}"
            spans[key] = []
            details[key] = shown
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
    bodies: dict[str, tuple[int, ...]] = {}
    dated: list[str] = []
    undated: list[str] = []
    for key, row, body in made:
        if key in visible:
            item = _row_item(key, row, "".join(_flat(body)))
        else:
            bodies[key] = parts.refs(body)
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
        **parts.table(
            [*bodies.values(), *(r for shown in details.values() for r in shown)]
        ),
        "rows": {key: parts.encode(refs) for key, refs in bodies.items()},
        "details": {
            key: [parts.encode(refs) for refs in shown]
            for key, shown in details.items()
        },
        "empty": "nothing was reported yet" if days else "the log holds no reports",
    }
    heading = "Timeline of reports" + (f" about “{about}”" if about else "")
    final = replay.summaries[-1] if days else ""
    return PAGE.format(
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
        style=STYLE,
        data=_script_safe(json.dumps(data, ensure_ascii=False)),
        script=SCRIPT,
    )


def _script_safe(text: str) -> str:
    # JSON inside <script>: no "</" can end the script and no "<!--" can
    # change how it is read. In JSON "<" only stands inside strings, where
    # \/ is "/" and \u003c is "<"; the other "<" of the details'
    # HTML stay one byte each.
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


class _Parts:
    # The fragments of HTML the details of a page are made of, each
    # distinct one held once. The states of a happening repeat most of
    # their claims, relations and notes, and the lanes of a row their
    # relations and notes: each detail is a list of indexes into this
    # table, which the script joins when the detail is shown. A group (a
    # tuple of fragments, such as a lane or a row's relations) is held once
    # too, as the indexes of its fragments, and counts as one index where
    # it is used. The texts are numbered first, then the groups, each the
    # most used first, and a list is written as its numbers in `_code`:
    # the most used take one or two characters.

    def __init__(self) -> None:
        self._texts: dict[str, int] = {}
        self._groups: dict[tuple[int, ...], int] = {}
        self._codes: dict[int, str] = {}

    def refs(self, fragments: Iterable[Fragment]) -> tuple[int, ...]:
        # A text is its index, from 0; a group -1 - its index.
        texts, groups = self._texts, self._groups
        return tuple(
            texts.setdefault(fragment, len(texts))
            if isinstance(fragment, str)
            else -1 - groups.setdefault(self.refs(fragment), len(groups))
            for fragment in fragments
        )

    def table(self, lists: Iterable[tuple[int, ...]]) -> dict[str, list[str]]:
        # The texts and groups, numbered by how often *lists* (every list
        # the page will `encode`) and the groups use them; call it after the
        # last `refs`.
        used = Counter(ref for refs in lists for ref in refs)
        for refs in self._groups:
            used.update(refs)
        texts = sorted(range(len(self._texts)), key=lambda ref: -used[ref])
        groups = sorted(
            range(-1, -1 - len(self._groups), -1), key=lambda ref: -used[ref]
        )
        self._codes = {ref: _code(number) for number, ref in enumerate(texts + groups)}
        every_text = list(self._texts)
        every_group = list(self._groups)
        return {
            "parts": [every_text[ref] for ref in texts],
            "groups": [self.encode(every_group[-1 - ref]) for ref in groups],
        }

    def encode(self, refs: Iterable[int]) -> str:
        codes = self._codes
        return "".join(codes[ref] for ref in refs)


# A number is written in base 32, most significant digit first: its last
# digit is one of _LAST, the others of _MORE. So the numbers of a list need
# no separator, and a number under 32 is one character, under 1,024 two.
_LAST = "0123456789abcdefghijklmnopqrstuv"
_MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*"


def _code(number: int) -> str:
    digits = [_LAST[number % 32]]
    number //= 32
    while number:
        digits.append(_MORE[number % 32])
        number //= 32
    return "".join(reversed(digits))


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


def _label(lane: Lane) -> Fragment:
    # `Lane.label`, escaped, with its sources shared with the lane's other
    # states and with the values' sources in the happening's table.
    start, sources = lane.label_parts
    return (_esc(start), _listed([_esc(source) for source in sources]))


# A list longer than this many items is held as lists of this many, so that
# groups inside groups stay a few deep.
_LISTED = 64


def _listed(items: list[str]) -> Fragment:
    # "a; b; c" as a group that adds c to the group of "a; b": the lists a
    # page shows grow from state to state, and so share all but their end.
    chunks: list[Fragment] = []
    for at in range(0, len(items), _LISTED):
        chunk: Fragment = items[at]
        for item in items[at + 1 : at + _LISTED]:
            chunk = (chunk, "; ", item)
        chunks += [chunk] if at == 0 else ["; ", chunk]
    return tuple(chunks)


def _flat(fragments: Iterable[Fragment]) -> Iterator[str]:
    for fragment in fragments:
        if isinstance(fragment, str):
            yield fragment
        else:
            yield from _flat(fragment)


def _row_parts(row: Row, scale: Scale, labels: list[Fragment]) -> list[Fragment]:
    # The row's head, then its lanes, in fragments other states share.
    happening = row.happening
    marks = "".join(f'<span class="mark {mark}">{mark}</span>' for mark in row.marks)
    notes = [
        f'<p class="note {css_class(kind)}">{_esc(note)}</p>'
        for kind, note in row.notes
    ]
    notes += [
        f'<p class="note link">{_esc(_link_text(phrase, other, entry))}</p>'
        for phrase, other, entry in happening.related()
    ]
    head = (
        '<div class="head">'
        f'<button type="button" class="title" data-detail="h">'
        f"{_esc(happening.event_id)}</button>{marks}"
        f'<p class="summary">{_esc(row.summary)}</p>',
        *notes,
        "</div>",
    )
    lanes = [
        _lane_parts(index, lane, scale, labels[index])
        for index, lane in enumerate(row.lanes)
    ]
    return [head, '<div class="track">', *lanes, "</div>"]


def _details(row: Row, labels: list[Fragment]) -> Iterator[list[Fragment]]:
    # What the panel shows for the row's title, then for each of its lanes,
    # as fragments of HTML; *labels* are the lanes' labels, escaped.
    yield _happening_parts(row.happening)
    said = tuple(
        f'<p class="relation {css_class(relation)}">{_esc(name)}: '
        f"<strong>{_esc(relation)}</strong>: {_esc(reason)}</p>"
        for name, relation, reason in row.relations
    ) + tuple(
        f'<p class="note {css_class(kind)}">{_esc(note)}</p>'
        for kind, note in row.notes
    )
    for index in range(len(row.lanes)):
        yield _lane_detail(index, row, labels, said)


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


def _lane_parts(index: int, lane: Lane, scale: Scale, label: Fragment) -> Fragment:
    # One lane's button, as a group of fragments: its label and the lines
    # of its tooltip are shared with its other states and its details.
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
    tip = []  # the tooltip: the label, then each claim on a line of its own
    for entry in lane.claims:
        quote = f": “{entry.event.quote}”" if entry.event.quote else ""
        day = entry.event.report.published_day
        tip.append(_esc(f"\n{chain_of(entry)}, {day}{quote}"))
    return (
        f'<button type="button" class="lane {lane.kind}{opens}" data-detail="{index}"'
        f'{when} title="',
        label,
        *tip,
        f'">{bands}<span class="label" style="{place}">',
        label,
        "</span></button>",
    )


def _lane_detail(
    index: int, row: Row, labels: list[Fragment], said: tuple[str, ...]
) -> list[Fragment]:
    # In pieces a page's details share: the labels of a row's lanes stand
    # in every detail of the row, as its title or among the conflicting,
    # and *said*, the relations and notes of the row, in each of its lanes.
    lane = row.lanes[index]
    out: list[Fragment] = [f"<h2>{_esc(row.happening.event_id)}</h2>", "<h3>"]
    out += [labels[index], "</h3>"]
    if lane.kind == "conflict":
        others = [
            labels[number]
            for number, other in enumerate(row.lanes)
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
    if said:
        out.append(said)
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
    return "".join(_flat(_value_lines(field)))


def _value_lines(field: FieldValues) -> list[Fragment]:
    # `_values` line by line, each after the first with its "<br>": the
    # states of a happening share the lines they did not change, and the
    # lists of sources their start (`_listed`).
    mark = "≠ " if field.in_conflict else ""
    lines: list[Fragment] = []
    for value in field.values:
        text, sources = in_own_words(field.name, value.value, value.claims)
        listed = _listed([_esc(source) for source in sources])
        start = f"{'<br>' if lines else ''}{mark}{_esc(text)} <small>("
        lines.append((start, listed, ")</small>"))
    lines += [
        f"{'<br>' if lines or number else ''}<small>{_esc(pair.relation.value)}: "
        f"{_esc(pair.reason)}</small>"
        for number, pair in enumerate(field.pairs)
    ]
    return lines


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
    return "".join(_flat(_happening_parts(happening)))


def _happening_parts(happening: Happening) -> list[Fragment]:
    # `render_table` of a happening in pieces: a page's details share them.
    statuses = ", ".join(
        status.value for status in Status if status in happening.statuses
    )
    caption = (
        f"{happening.event_id}: {', '.join(happening.event_types)} ({statuses}), "
        f"first known {happening.first_known}"
    )
    parts: list[Fragment] = [
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


for _drawn in (Knowledge, Happening, FieldValues):
    display.html_table.register(_drawn, render_table)
