# SPDX-License-Identifier: MIT
"""A static picture of what was known on one knowledge date, as SVG.

`render_svg` draws the happenings of a `timeline.projections.Knowledge` on a
valid-time axis: one row per happening, one band per reported date spanning
every day the date allows (a month-precision visit spans its month, "over
the summer" spans the summer), conflicting dates side by side in a hatched
style and each labelled with its sources, withdrawn claims dashed and struck
through, denied happenings marked. It is the picture `timeline.views.html` makes
interactive, fixed at one date, for papers and documentation.

The SVG is written by hand with the standard library; it has no scripts and
no external references, so it can be embedded anywhere.

.. versionadded:: 0.1.0
"""

from collections.abc import Iterator

from timeline.model.dates import FuzzyDate
from timeline.projections import Knowledge, Status
from timeline.views._drawing import (
    LABEL_ROOM,
    LAST_TICK,
    Lane,
    Row,
    Scale,
    chain_of,
    clean,
    css_class,
    dates_of,
    headline,
    rows_of,
)

__all__ = ["render_svg"]


# `xml.sax.saxutils.escape` and `quoteattr`, written out: that module imports
# urllib.request, http.client and ssl, which every process importing
# timeline paid for (see docs/performance.md). A test keeps them equal.
def _escape(data: str) -> str:
    """Return *data* with ``&``, ``<`` and ``>`` written as XML entities."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _quoteattr(data: str) -> str:
    """Return *data* escaped and quoted as an XML attribute value."""
    data = _escape(data).replace("\n", "&#10;").replace("\r", "&#13;")
    data = data.replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))


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
    rows = rows_of(shown)
    scale = Scale.covering(dates_of(rows))
    heading = f"What was known on {knowledge.as_of}"
    if about is not None:
        heading += f", about “{about}”"
    parts: list[str] = []
    y = _MARGIN + 14
    parts.append(_svg_text(_MARGIN, y, heading, "title"))
    y += 18
    parts.append(_svg_text(_MARGIN, y, headline(knowledge, shown), "headline"))
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
        f'role="img" aria-label={_quoteattr(clean(heading))}>\n'
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
    return _escape(clean(text))


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


def _axis(scale: Scale, top: float, bottom: float) -> str:
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
        if x > LAST_TICK:  # no room after it: end the label at the tick
            out.append(_svg_text(px - 2, top - 4, label, "", anchor="end"))
        else:
            out.append(_svg_text(px + 2, top - 4, label, ""))
    out.append("</g>")
    return "".join(out)


def _row_height(row: Row) -> int:
    title_lines = 2 + len(row.notes)
    return max(title_lines, len(row.lanes)) * _LANE + _ROW_GAP


def _svg_row(row: Row, scale: Scale, y: float) -> str:
    happening = row.happening
    css = " ".join(["row", *(f"status-{mark}" for mark in row.marks)])
    out = [
        f'<g class="{css}" data-event-id={_quoteattr(clean(happening.event_id))}>',
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
        out.append(_svg_text(_MARGIN, line, text, f"note {css_class(kind)}"))
    denied = Status.DENIED in happening.statuses
    for index, lane in enumerate(row.lanes):
        out.append(_svg_lane(lane, scale, y + index * _LANE, denied=denied))
    out.append("</g>")
    return "\n".join(out)


def _svg_lane(lane: Lane, scale: Scale, y: float, *, denied: bool) -> str:
    css = " ".join(["lane", lane.kind, *(["denied"] if denied else [])])
    attributes = f'class="{css}"'
    if lane.date is not None:
        attributes += f" data-when={_quoteattr(str(lane.date))}"
    attributes += f" data-sources={_quoteattr(clean('; '.join(lane.sources)))}"
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
    if 1 - end >= LABEL_ROOM:
        x, room, anchor = end, 1 - end, ""
    elif start >= LABEL_ROOM:
        x, room, anchor = start, start, "end"
    else:
        x, room, anchor = start, 1 - start, ""
    fits = int((room * _TRACK_WIDTH - 8) / _CHAR)
    if len(text) > fits:
        text = text[: max(fits - 1, 0)].rstrip() + "…"
    offset = -5 if anchor else 5
    px = _TRACK_X + x * _TRACK_WIDTH + offset
    return _svg_text(px, baseline, text, "label", anchor=anchor)


def _tooltip(lane: Lane) -> str:
    lines = [lane.label]
    for entry in lane.claims:
        report = entry.event.report
        quote = f": “{entry.event.quote}”" if entry.event.quote else ""
        lines.append(f"{chain_of(entry)}, {report.published_day}{quote}")
    return "\n".join(lines)
