# SPDX-License-Identifier: MIT
"""The command line's text output, made from the records of `timeline.views.records`.

The command line prints what these functions return: every happening as a
block of aligned lines, at most `WIDTH` characters wide, each value with
the claims behind it, in each source's own words.

.. versionadded:: 0.2.0
"""

import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from timeline.projections import Status
from timeline.views.records import status_text

__all__ = [
    "WIDTH",
    "conflicts_text",
    "count",
    "diff_text",
    "history_text",
    "knowledge_text",
    "source_text",
]

WIDTH = 100
"""The widest line of text output, in characters."""

_Record = dict[str, Any]


def count(number: int, singular: str, plural: str | None = None) -> str:
    """Return "*number* *singular*", or the plural when not one."""
    word = singular if number == 1 else (plural or f"{singular}s")
    return f"{number} {word}"


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Wrap *text* to WIDTH, *first* before the first line and *rest* before others."""
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _status(record: _Record) -> str:
    return status_text(Status(value) for value in record["statuses"])


def _headline(happening: _Record) -> str:
    types = ", ".join(happening["event_types"])
    conflicts = happening["conflicts"]
    disputed = f" (conflict: {', '.join(conflicts)})" if conflicts else ""
    return f"{happening['event_id']}  [{types}]  {_status(happening)}{disputed}"


def _one_line(happening: _Record) -> list[str]:
    """Return a happening on one line: first known, status, id, types, when."""
    status = status_text([Status(happening["status"])])
    when = happening["when"]
    dated = f"  when {when['edtf']}" if when is not None else ""
    text = (
        f"{happening['first_known']}  {status:<9}  {happening['event_id']}  "
        f"[{', '.join(happening['event_types'])}]{dated}"
    )
    return _wrap(text, "  ", " " * 27)


def _citations(claims: Sequence[_Record]) -> list[tuple[str, str]]:
    """Return each distinct citation once, with its day, counting claims sharing it."""
    counts: dict[tuple[str, str], int] = {}
    for claim in claims:
        key = (claim["citation"], claim["published"][:10])
        counts[key] = counts.get(key, 0) + 1
    return [
        (text if number == 1 else f"{text} ({number} claims)", day)
        for (text, day), number in counts.items()
    ]


def _worded(value: _Record) -> tuple[str, list[_Record]]:
    """Return a value's text, and its claims each cited in its own words.

    When every claim words the value alike, the text is the value's, in
    those words, and the claims are as they are. Otherwise each source's
    own words go before its citation, and the text is the value alone: the
    date's EDTF form, or the first wording of a text.
    """
    claims: list[_Record] = value["claims"]
    wordings = {claim.get("wording") for claim in claims}
    if len(wordings) <= 1:
        return value["text"], claims
    stated = value["value"]
    bare = stated["edtf"] if isinstance(stated, dict) and "edtf" in stated else None
    cited = [
        {
            **claim,
            "citation": (
                claim["citation"]
                if claim.get("wording") is None
                else f'"{claim["wording"]}" {claim["citation"]}'
            ),
        }
        for claim in claims
    ]
    return bare or value["text"], cited


def _mark(first_known: str, new_on: str | None) -> str:
    return "+ " if first_known == new_on else "  "


def _value_lines(
    values: Sequence[_Record], indent: str, new_on: str | None = None
) -> Iterator[str]:
    """Yield each value with the claims behind it, side by side where they fit.

    Each claim is cited in its own words where the claims word a value
    differently.
    """
    worded = [_worded(value) for value in values]
    column = max(len(text) for text, _ in worded)
    for value, (text, claims) in zip(values, worded, strict=True):
        mark = _mark(value["first_known"], new_on)
        lead = f"{mark}{indent}- "
        citations = [citation for citation, _ in _citations(claims)]
        line = f"{lead}{text:<{column}}   {citations[0]}"
        if len(citations) == 1 and len(line) <= WIDTH:
            yield line
            continue
        yield from _wrap(text, lead, " " * len(lead))
        for citation in citations:
            yield from _wrap(citation, " " * (len(lead) + 2), " " * (len(lead) + 6))


def _pair_lines(pairs: Sequence[_Record], indent: str) -> Iterator[str]:
    """Yield how each two values relate, and why: one wrapped line a pair."""
    for pair in pairs:
        yield from _wrap(
            f"{pair['relation']}: {pair['reason']}", indent, indent + "    "
        )


# The word a field's values are summed up by: the farthest of their
# relations, contradicting ones aside (those make it a CONFLICT).
_RELATION_WORDS = ("same", "refines", "compatible", "differs")


def _relation_word(field: _Record) -> str:
    if field["in_conflict"]:
        return "CONFLICT"
    found = {pair["relation"] for pair in field["pairs"]}
    return max(found, key=_RELATION_WORDS.index, default="compatible")


def _happening_text(
    happening: _Record, *, new_on: str | None = None, full: bool = False
) -> list[str]:
    """Return a happening as a block: headline, fields, responses, claims.

    With *full*, each claim stands on its own with its quote and note;
    otherwise claims of one citation are counted on one line.
    """
    fields: dict[str, _Record] = happening["fields"]
    labels = [*fields, "merged", "claims", "withdrawn", "raw", "linked"]
    labels += [response["event_type"] for response in happening["responses"]]
    width = min(max(len(label) for label in labels), 16)

    def label(name: str, mark: str = "  ") -> str:
        return f"{mark}  {name:<{width}}  "

    lines = [_headline(happening)]
    if len(happening["event_ids"]) > 1:
        merged = ", ".join(happening["event_ids"])
        lines += _wrap(merged, label("merged"), " " * len(label("")))
    if "when" not in fields:
        lines.append(f"{label('when')}not stated")
    for name in sorted(fields, key=lambda name: (name != "when", name)):
        field = fields[name]
        values = field["values"]
        if len(values) == 1:
            mark = _mark(values[0]["first_known"], new_on)
            lines += _wrap(values[0]["text"], label(name, mark), " " * len(label("")))
            continue
        lines.append(f"{label(name)}{_relation_word(field)}: {len(values)} values")
        lines += _value_lines(values, " " * (width + 4), new_on)
        lines += _pair_lines(field["pairs"], " " * (width + 6))
    for response in happening["responses"]:
        mark = _mark(response["published"][:10], new_on)
        kind = response["event_type"].upper()
        lines += _wrap(
            _response_text(response), label(kind, mark), " " * len(label(""))
        )
        if response["quote"]:
            lines += _wrap(
                f'"{response["quote"]}"', " " * len(label("")), " " * len(label(""))
            )
    for link in happening.get("links", ()):
        mark = _mark(link["published"][:10], new_on)
        shared = " (same date)" if link["facts"].get("same_when") else ""
        lines += _wrap(
            f"{link['phrase']} {link['other']}{shared}, {link['citation']}",
            label("linked", mark),
            " " * (len(label("")) + 4),
        )
    for withdrawn in happening["withdrawn"]:
        mark = _mark(withdrawn["published"][:10], new_on)
        lines += _wrap(
            f"{withdrawn['citation']} (no longer stands)",
            label("withdrawn", mark),
            " " * len(label("")),
        )
    lines += _raw_lines(happening["claims"], label, new_on)
    if full:
        for index, claim in enumerate(happening["claims"]):
            name = "claims" if index == 0 else ""
            day = claim["published"][:10]
            lines += _wrap(
                claim["citation"],
                label(name, _mark(day, new_on)),
                " " * (len(label("")) + 4),
            )
            lines += _claim_words(claim, " " * (len(label("")) + 2))
        return lines
    for index, (text, day) in enumerate(_citations(happening["claims"])):
        name = "claims" if index == 0 else ""
        lines += _wrap(
            text, label(name, _mark(day, new_on)), " " * (len(label("")) + 4)
        )
    return lines


def _response_text(response: _Record) -> str:
    # A rebuttal is one side of a dispute: who rebutted, and what they said,
    # before whose report it is.
    facts = response["facts"]
    if "rebutted_by" not in facts:
        return str(response["citation"])
    summary = f": {facts['summary']}" if facts.get("summary") else ""
    return f"by {facts['rebutted_by']}{summary}; {response['citation']}"


def _raw_lines(
    claims: Sequence[_Record], label: Callable[[str, str], str], new_on: str | None
) -> list[str]:
    # The claims of types this process does not know, marked as such, each
    # with its stored fields as text: they state no facts above.
    lines = []
    indent = " " * len(label("", "  "))
    for claim in claims:
        raw = claim.get("unregistered")
        if raw is None:
            continue
        text = f"{claim['event_type']} (unregistered type), {claim['citation']}"
        mark = _mark(claim["published"][:10], new_on)
        lines += _wrap(text, label("raw", mark), indent + "    ")
        for name, value in raw["fields"].items():
            lines += _wrap(f"{name}: {value}", indent + "  ", indent + "    ")
    return lines


def _claim_words(claim: _Record, indent: str) -> list[str]:
    # A claim's own words and the encoder's note, under its citation.
    lines = []
    if claim["quote"]:
        lines += _wrap(f'"{claim["quote"]}"', indent, indent + " ")
    grades = [
        f"{name} {claim[name]}"
        for name in ("reliability", "credibility")
        if claim[name] is not None
    ]
    if grades:
        lines.append(f"{indent}graded: {', '.join(grades)}")
    if claim["note"]:
        lines += _wrap(f"note: {claim['note']}", indent, indent + "      ")
    return lines


def knowledge_text(record: _Record, *, total: int, full: bool = False) -> Iterator[str]:
    """Yield the lines of ``timeline known``: a headline, then each happening."""
    happenings: list[_Record] = record["happenings"]
    about = record["about"]
    yield from _wrap(
        f"Known on {record['as_of']}: reports published on or before it, "
        f"log entries up to seq {record['seq']}.",
        "",
        "",
    )
    if about is None:
        shown = f"{count(total, 'happening')} known"
    else:
        shown = (
            f'{len(happenings)} of {count(total, "happening")} known match "{about}"'
        )
        aliases = record.get("aliases") or []
        if aliases:
            # The analyst's judgement widened the search: say so.
            also = " or ".join(f'"{name}"' for name in aliases)
            shown += f" or, as the analyst judged the same entity's, {also}"
    counts = dict.fromkeys(Status, 0)
    for happening in happenings:
        counts[Status(happening["status"])] += 1
    tally = ", ".join(
        f"{number} {status.value}" for status, number in counts.items() if number
    )
    yield from _wrap(
        f"{shown}{': ' if tally else '.'}{tally}{'.' if tally else ''}", "", ""
    )
    for happening in happenings:
        yield ""
        yield from _happening_text(happening, full=full)


def source_text(record: _Record) -> Iterator[str]:
    """Yield the lines of ``timeline known --source``: what one source said."""
    accounts: list[_Record] = record["accounts"]
    about = record["about"]
    yield from _wrap(
        f"Known on {record['as_of']}: reports published on or before it, "
        f"log entries up to seq {record['seq']}.",
        "",
        "",
    )
    kinds = ("claims", "withdrawn", "responses")
    counts = {kind: sum(len(account[kind]) for account in accounts) for kind in kinds}
    entries = sum(counts.values())
    matching = "" if about is None else f' that match "{about}"'
    tally = ", ".join(
        count(counts[kind], singular, plural)
        for kind, singular, plural in (
            ("claims", "live claim", None),
            ("withdrawn", "withdrawn claim", None),
            ("responses", "response", None),
        )
        if counts[kind]
    )
    yield from _wrap(
        f'"{record["source"]}" appears in {count(entries, "entry", "entries")} '
        f"about {len(accounts)} of {count(record['happenings'], 'happening')} "
        f"known{matching}{': ' if tally else '.'}{tally}{'.' if tally else ''}",
        "",
        "",
    )
    for account in accounts:
        yield ""
        yield from _account_text(account)


def _account_text(account: _Record) -> list[str]:
    """Return one source's entries about a happening: headline, then each entry."""
    entries = [
        *(("claim", entry) for entry in account["claims"]),
        *(("withdrawn", entry) for entry in account["withdrawn"]),
        *((entry["event_type"].upper(), entry) for entry in account["responses"]),
    ]
    names = [name for _, entry in entries for name in entry["texts"]]
    width = min(max(len(name) for name in [*names, "when"]), 16)
    column = max(len(label) for label, _ in [*entries, ("withdrawn", None)])
    lines = [_headline(account)]
    body = " " * (column + 6)
    for label, entry in entries:
        text = entry["citation"]
        if label == "withdrawn":
            text += " (no longer stands)"
        lines += _wrap(text, f"    {label:<{column}}  ", body)
        texts: dict[str, str] = entry["texts"]
        for name in sorted(texts, key=lambda name: (name != "when", name)):
            lines += _wrap(
                texts[name],
                f"{body}  {name:<{width}}  ",
                " " * (len(body) + width + 4),
            )
        if entry["quote"]:
            lines += _wrap(f'"{entry["quote"]}"', body, body)
    return lines


def conflicts_text(record: _Record) -> Iterator[str]:
    """Yield the lines of ``timeline conflicts``: each open conflict."""
    conflicts: list[_Record] = record["conflicts"]
    about = record["about"]
    matching = "" if about is None else f' about "{about}"'
    names = {conflict["event_id"] for conflict in conflicts}
    yield from _wrap(
        f"Open conflicts{matching} on {record['as_of']} (log entries up to seq "
        f"{record['seq']}): {len(conflicts)}, in {count(len(names), 'happening')}.",
        "",
        "",
    )
    current = None
    for conflict in conflicts:
        if conflict["event_id"] != current:
            current = conflict["event_id"]
            yield ""
            types = ", ".join(conflict["event_types"])
            status = status_text([Status(conflict["status"])])
            yield f"{current}  [{types}]  {status}"
        yield f"    {conflict['field']}: {len(conflict['values'])} values"
        yield from _value_lines(conflict["values"], "    ")
        yield from _pair_lines(conflict["pairs"], "      ")


def diff_text(record: _Record) -> Iterator[str]:
    """Yield the lines of ``timeline diff``: what became known."""
    yield (
        f"Became known after {record['since']}, up to and including {record['until']}:"
    )
    new: list[_Record] = record["new_happenings"]
    new_ids = {happening["event_id"] for happening in new}
    yield ""
    yield f"New happenings: {len(new)}"
    for happening in sorted(new, key=lambda h: (h["first_known"], h["event_id"])):
        yield from _one_line(happening)
    values = [item for item in record["new_values"] if item["event_id"] not in new_ids]
    yield ""
    yield f"New values of happenings known before: {len(values)}"
    for item in values:
        yield f"  {item['event_id']}  {item['field']}"
        yield from _value_lines([item["value"]], "    ")
    yield ""
    yield f"New conflicts: {len(record['new_conflicts'])}"
    for conflict in record["new_conflicts"]:
        yield f"  {conflict['event_id']}  {conflict['field']}"
        yield from _value_lines(conflict["values"], "    ")
        yield from _pair_lines(conflict["pairs"], "      ")
    yield ""
    yield f"Status changes: {len(record['status_changes'])}"
    for change in record["status_changes"]:
        before = status_text([Status(change["before"])])
        after = status_text([Status(change["after"])])
        yield f"  {change['event_id']}: {before} -> {after}"


def history_text(record: _Record) -> Iterator[str]:
    """Yield the lines of ``timeline history``: one block a step."""
    steps: list[_Record] = record["steps"]
    yield from _wrap(
        f"History of {record['event_id']}: {count(len(steps), 'step')}, one per day "
        "that changed what was known (+ marks what it added).",
        "",
        "",
    )
    previous: str | None = None
    for step in steps:
        happening = step["happening"]
        status = _status(happening)
        was = f" (was {previous})" if previous not in (None, status) else ""
        previous = status
        yield ""
        yield f"== {step['as_of']}: {status}{was}"
        yield from _happening_text(happening, new_on=step["as_of"])
