# SPDX-License-Identifier: MIT
"""The page `timeline.views.html.render_html` fills in: its style, script and HTML.

The script shows the rows a day shows, drawing from the page's data (its
shared fragments of HTML) the rows the last day does not show and the
details a reader opens. Public within the package, not documented API.

.. versionadded:: 0.2.0
"""

__all__ = ["PAGE", "SCRIPT", "STYLE"]

STYLE = """
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

SCRIPT = """
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
  // The HTML of a list of fragments: numbers in base 32, each digit but
  // the last one of MORE, the last one of 0-9a-v; each a text of
  // data.parts or, after them, a group of data.groups.
  const MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*";
  function joined(refs) {
    let out = "";
    let number = 0;
    for (const digit of refs) {
      const more = MORE.indexOf(digit);
      if (more >= 0) {
        number = number * 32 + more;
        continue;
      }
      number = number * 32 + parseInt(digit, 32);
      out += number < data.parts.length ? data.parts[number] :
        joined(data.groups[number - data.parts.length]);
      number = 0;
    }
    return out;
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
        row.innerHTML = joined(data.rows[key]);
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
    const template = document.createElement("template");
    template.innerHTML = joined(data.details[button.closest("li").dataset.key][
      which === "h" ? 0 : 1 + Number(which)]);
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

PAGE = """<!DOCTYPE html>
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
