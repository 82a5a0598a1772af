# SPDX-License-Identifier: MIT
"""Answers as plain data: `Knowledge` and its parts as JSON-ready dicts.

Every function here is pure: it takes timeline's values and returns dicts,
lists, strings, numbers, booleans and None, ready for ``json.dumps``, a
template or a data frame. Nothing is chosen or dropped on the way: every
value of every field keeps the claims behind it. The ``timeline`` command's
``--json`` output is made of these records, and its documentation (the
command-line page) is the reference for their keys; new keys may be added
in a later version, existing ones keep their name and meaning while
`FORMAT_VERSION` stays the same.

>>> import datetime as dt, json
>>> from timeline.corpus import load_corpus
>>> knowledge = load_corpus().as_of(dt.date(2017, 10, 5))
>>> record = happening_record(knowledge["asapov-death"])
>>> record["status"], record["conflicts"]
('disputed', ['when'])
>>> when = record["fields"]["when"]
>>> for value in when["values"]:
...     print(value["text"], "|", value["claims"][0]["citation"])
2017-09-23 "on Sept. 23" | per DEBKA Weekly, published 2017-09-28
2017-09-24 "on Sept. 24" | per Military Times (citing TASS), published 2017-10-04
>>> [(pair["relation"], pair["reason"]) for pair in when["pairs"]]
[('contradicts', '2017-09-23 and 2017-09-24 share no possible day')]
>>> json.loads(json.dumps(record)) == record
True

.. versionadded:: 0.1.0
"""

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import attrs

from timeline.model.dates import FuzzyDate
from timeline.model.entry import Entry
from timeline.model.events import Estimate, Event, Role
from timeline.model.unregistered import UnregisteredEvent, declared_by
from timeline.projections import (
    Conflict,
    FieldValues,
    Happening,
    Knowledge,
    KnowledgeDiff,
    SourceAccount,
    Status,
    Value,
    ValuePair,
    display,
)

__all__ = [
    "FORMAT_VERSION",
    "account_record",
    "citation",
    "citation_record",
    "claim_rows",
    "conflict_record",
    "conflicts_record",
    "date_record",
    "diff_record",
    "entry_record",
    "field_record",
    "happening_record",
    "history_record",
    "json_value",
    "knowledge_record",
    "pair_record",
    "source_record",
    "status_text",
    "summary_record",
    "unregistered_record",
    "value_record",
    "value_text",
    "wording",
]

FORMAT_VERSION = 1
"""The version of the record shapes, written as ``"version"`` in documents."""


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def date_record(date: FuzzyDate) -> dict[str, Any]:
    """Return a fuzzy date as a record of its EDTF form, bounds and provenance.

    Keys: ``edtf`` (see `timeline.FuzzyDate.to_edtf`); ``earliest`` and
    ``latest`` (ISO days, None where the range is open); ``precision``
    (``"day"``, ``"month"``, ``"season"`` or ``"year"``); ``choices`` (the
    candidate days of a "one of" date, else empty); ``phrase`` and
    ``anchor`` (the report's words and the day they were read against, or
    None).

    >>> date_record(FuzzyDate.month(2017, 9))["edtf"]
    '2017-09'

    .. versionadded:: 0.1.0
    """
    return {
        "edtf": date.to_edtf(),
        "earliest": _day(date.earliest),
        "latest": _day(date.latest),
        "precision": date.precision.value,
        "choices": [day.isoformat() for day in sorted(date.choices)],
        "phrase": date.phrase,
        "anchor": _day(date.anchor),
    }


def json_value(value: object) -> Any:
    """Return a fact's value as JSON-ready data.

    A `timeline.FuzzyDate` becomes a `date_record`; a string, number,
    boolean or None stays as it is; an enum member becomes its value; a
    date or datetime its ISO form; a tuple, list or set a list (a set
    sorted); a mapping a dict with string keys; an attrs instance, such as
    an `timeline.model.events.Estimate`, a dict of its fields that are not None
    (and, for an estimate whose figures are out of order, ``"inconsistent":
    true``). Anything else becomes its ``str()``.

    >>> json_value(("Valery Asapov", "ISIS"))
    ['Valery Asapov', 'ISIS']
    >>> from timeline.model.events import Estimate
    >>> json_value(Estimate(low=11))
    {'low': 11}
    >>> json_value(Estimate(low=4, best=4, high=3))
    {'low': 4, 'best': 4, 'high': 3, 'inconsistent': True}

    .. versionadded:: 0.1.0
    """
    match value:
        case FuzzyDate():
            return date_record(value)
        case None | bool() | int() | float() | str():
            return value
        case enum.Enum():
            return json_value(value.value)
        case dt.date():
            return value.isoformat()
        case tuple() | list():
            return [json_value(item) for item in value]
        case set() | frozenset():
            return sorted((json_value(item) for item in value), key=repr)
        case Mapping():
            return {str(key): json_value(item) for key, item in value.items()}
        case _ if attrs.has(type(value)):
            cls = cast("type[attrs.AttrsInstance]", type(value))
            record = {
                field.name: json_value(getattr(value, field.name))
                for field in attrs.fields(cls)
                if getattr(value, field.name) is not None
            }
            if isinstance(value, Estimate) and not value.consistent:
                record["inconsistent"] = True
            return record
        case _:
            return str(value)


def value_text(value: object) -> str:
    """Return a fact's value as one line of text, as the command line shows it.

    A fuzzy date is its EDTF form followed by the report's own words in
    double quotes; a tuple is its items joined by commas; anything else is
    its ``str()``.

    >>> import datetime as dt
    >>> value_text(FuzzyDate.parse("on Saturday", anchor=dt.date(2016, 6, 18)))
    '2016-06-18 "on Saturday"'

    .. versionadded:: 0.1.0
    """
    if isinstance(value, FuzzyDate):
        edtf = value.to_edtf()
        return edtf if value.phrase is None else f'{edtf} "{value.phrase}"'
    if isinstance(value, tuple | list):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def wording(entry: Entry, field: str) -> str | None:
    """Return a claim's own words for the value of *field* it states, or None.

    The phrase of a date (``"on Saturday"``), the text of a string as the
    claim wrote it, `value_text` of anything else; None when the claim
    states no value of *field*, or a date in no words of its own.

    >>> import datetime as dt
    >>> from timeline.corpus import load_corpus
    >>> claim = load_corpus()[1]
    >>> wording(claim, "when"), wording(claim, "where")
    ('on Saturday', 'Damascus')

    .. versionadded:: 0.2.0
    """
    value = entry.event.facts().get(field)
    if value is None:
        return None
    if isinstance(value, FuzzyDate):
        return value.phrase
    return value if isinstance(value, str) else value_text(value)


def _published(entry: Entry) -> str:
    return entry.event.report.published.isoformat()


def citation(entry: Entry) -> str:
    """Return who made a claim and when it became public, in words.

    The outlet, then the attribution chain it gives, outermost first:
    ``per Military Times (citing Reuters -> Russian Ministry of Defense),
    published 2017-10-04``; then, when the report hedges the claim, how
    (see `timeline.model.sources.Hedge`): ``per Military Times, published
    2017-10-04 [alleged]``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The hedge, in brackets.
    """
    event = entry.event
    chain = " -> ".join(source.name for source in event.attribution)
    citing = f" (citing {chain})" if chain else ""
    hedge = "" if event.hedge is None else f" [{event.hedge.value}]"
    return (
        f"per {event.report.outlet.name}{citing}, published {_published(entry)}{hedge}"
    )


def citation_record(entry: Entry) -> dict[str, Any]:
    """Return who made a claim and when: the first keys of an `entry_record`.

    Keys: ``seq``, ``outlet``, ``attribution`` (names, outermost first),
    ``claimant`` (the end of the chain, else the outlet), ``published``
    (ISO day, or aware datetime when the report gives the hour),
    ``citation`` (`citation`) and ``hedge`` (how the report hedges the
    claim, a `timeline.model.sources.Hedge` value such as ``"alleged"``, or
    None when it states it flat).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``hedge``.
    """
    event = entry.event
    return {
        "seq": entry.seq,
        "outlet": event.report.outlet.name,
        "attribution": [source.name for source in event.attribution],
        "claimant": event.claimant.name,
        "published": _published(entry),
        "citation": citation(entry),
        "hedge": None if event.hedge is None else event.hedge.value,
    }


def entry_record(entry: Entry) -> dict[str, Any]:
    """Return a log entry as a record: provenance first, then the stated facts.

    Keys: those of `citation_record`, then ``recorded_at`` (the log's
    system time, ISO aware datetime), ``event_id``, ``event_type``, ``role``
    (``"claim"``, ``"response"`` or ``"analyst"``), ``published_range``
    (``[first, last]`` ISO days when the publication day is inferred, else
    None), ``title``, ``url``, ``quote``, ``reliability`` (Admiralty letter
    or None), ``credibility`` (1 to 6 or None), ``note``, and ``facts``:
    each stated fact by field name, as `json_value`. An entry of a type
    this process does not know (a
    `timeline.model.unregistered.UnregisteredEvent`, whose ``event_type``
    is the stored tag and which states no facts) also has
    ``unregistered``: its stored ``schema_version`` and ``fields`` (each
    field of the payload but ``event_id`` and ``report``, as JSON text).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``unregistered``.
    """
    event = entry.event
    report = event.report
    published_range = (
        None
        if report.published_range is None
        else [day.isoformat() for day in report.published_range]
    )
    return {
        **citation_record(entry),
        "recorded_at": entry.recorded_at.isoformat(),
        "event_id": event.event_id,
        "event_type": event.event_type,
        "role": event.role.value,
        "published_range": published_range,
        "title": report.title,
        "url": report.url,
        "quote": event.quote,
        "reliability": None if event.reliability is None else event.reliability.value,
        "credibility": None if event.credibility is None else int(event.credibility),
        "note": event.note,
        "facts": {name: json_value(value) for name, value in event.facts().items()},
        **_unregistered_record(event),
    }


def _unregistered_record(event: Event) -> dict[str, Any]:
    # An entry of a type this process does not know: its stored fields,
    # under a key only such entries have.
    if not isinstance(event, UnregisteredEvent):
        return {}
    return {
        "unregistered": {
            "schema_version": event.stored_version,
            "fields": event.fields,
        }
    }


def value_record(value: Value, *, field: str | None = None) -> dict[str, Any]:
    """Return one reported value with the claims that state it.

    Keys: ``value`` (`json_value`), ``text`` (`value_text`, in the words of
    the first claim), ``first_known`` (the ISO day it first became known)
    and ``claims`` (a `citation_record` per live claim stating it, in the
    order they became known). With *field*, each claim's record also has
    ``wording``: that claim's own words for the value (`wording`), which
    may differ from another's ("on Saturday", "on Sept. 23"; "Mortar
    attack", "mortar attack").

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       *field*, and the claims' ``wording``.
    """
    claims = [citation_record(entry) for entry in value.claims]
    if field is not None:
        for record, entry in zip(claims, value.claims, strict=True):
            record["wording"] = wording(entry, field)
    return {
        "value": json_value(value.value),
        "text": value_text(value.value),
        "first_known": value.first_known.isoformat(),
        "claims": claims,
    }


def pair_record(pair: ValuePair, values: Sequence[Value]) -> dict[str, Any]:
    """Return how two values of a field relate, and why.

    Keys: ``values`` (the indexes of the two values in *values*, the
    earlier first), ``texts`` (their `value_text`), ``relation``
    (``"same"``, ``"refines"``, ``"compatible"``, ``"differs"`` or
    ``"contradicts"``), ``reason`` (in words) and ``verdict``: None, or
    when the analyst's verdict decided the relation, ``{"seq",
    "published", "prompted_by", "reason"}`` (its log entry, its knowledge
    day, the outlet of the report that prompted it, and the analyst's
    words).

    .. versionadded:: 0.2.0
    """
    verdict = pair.verdict
    return {
        "values": [values.index(pair.first), values.index(pair.second)],
        "texts": [value_text(pair.first.value), value_text(pair.second.value)],
        "relation": pair.relation.value,
        "reason": pair.reason,
        "verdict": None
        if verdict is None
        else {
            "seq": verdict.seq,
            "published": _published(verdict),
            "prompted_by": verdict.event.report.outlet.name,
            "reason": getattr(verdict.event, "reason", None),
        },
    }


def field_record(field: FieldValues) -> dict[str, Any]:
    """Return every value reported for one field, how they relate, and if they conflict.

    Keys: ``name``; ``kind`` (see `timeline.model.relations.Kind`);
    ``in_conflict`` (whether two values contradict: see
    `timeline.projections.FieldValues`); ``values`` (a `value_record` each,
    in the order they became known, its claims' own ``wording`` included);
    and ``pairs`` (a `pair_record` for each two values, empty for one).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``kind``, ``pairs`` and the claims' ``wording``.
    """
    return {
        "name": field.name,
        "kind": field.kind.value,
        "in_conflict": field.in_conflict,
        "values": [value_record(value, field=field.name) for value in field.values],
        "pairs": [pair_record(pair, field.values) for pair in field.pairs],
    }


def status_text(statuses: Iterable[Status]) -> str:
    """Return statuses as the command line shows them, strongest first.

    ``reported`` when nothing else is known; otherwise the other statuses
    in capitals, so that a disputed or denied happening stands out.

    >>> status_text([Status.REPORTED, Status.DISPUTED, Status.DENIED])
    'DENIED, DISPUTED'

    .. versionadded:: 0.1.0
    """
    held = set(statuses)
    marked = [
        status.value.upper()
        for status in Status
        if status in held and status is not Status.REPORTED
    ]
    return ", ".join(marked) or Status.REPORTED.value


def happening_record(happening: Happening) -> dict[str, Any]:
    """Return what the record says of one happening, every value and claim kept.

    Keys: ``event_id``; ``event_ids`` (every id merged into it, sorted);
    ``event_types`` (most common first); ``status`` (the strongest);
    ``statuses`` (every status the replay supports, strongest first);
    ``when`` (the `date_record` of the span of every reported date, or
    None); ``first_known`` (ISO day); ``conflicts`` (names of the fields in
    conflict); ``differences`` (names of the fields with values worded
    differently that nothing has judged); ``fields`` (a `field_record` by
    field name, sorted); ``claims``, ``withdrawn`` and ``responses`` (an
    `entry_record` each: the live claims, the claims their source retracted
    or corrected, and the denials, rebuttals, confirmations, retractions
    and corrections); ``verdicts`` (an `entry_record` of each of the
    analyst's verdicts on it that holds); and ``links`` (each link between
    it and another happening that holds, from either side: the
    `entry_record` of the `timeline.model.events.Related` entry with
    ``phrase``, the relation read from this happening, ``"caused by"`` or
    ``"caused"``, and ``other``, the other happening's id).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``differences``, ``verdicts`` and ``links``.
    """
    when = happening.when
    return {
        "event_id": happening.event_id,
        "event_ids": sorted(happening.event_ids),
        "event_types": list(happening.event_types),
        "status": happening.status.value,
        "statuses": [status.value for status in Status if status in happening.statuses],
        "when": None if when is None else date_record(when),
        "first_known": happening.first_known.isoformat(),
        "conflicts": [field.name for field in happening.conflicts],
        "differences": [
            name for name, field in happening.fields.items() if field.differing
        ],
        "fields": {
            name: field_record(field) for name, field in happening.fields.items()
        },
        "claims": [entry_record(entry) for entry in happening.claims],
        "withdrawn": [entry_record(entry) for entry in happening.withdrawn],
        "responses": [entry_record(entry) for entry in happening.responses],
        "verdicts": [entry_record(entry) for entry in happening.verdicts],
        "links": [
            {**entry_record(entry), "phrase": phrase, "other": other}
            for phrase, other, entry in happening.related()
        ],
    }


def _document(kind: str, **content: Any) -> dict[str, Any]:
    return {"kind": kind, "version": FORMAT_VERSION, **content}


def knowledge_record(
    knowledge: Knowledge, *, about: str | None = None
) -> dict[str, Any]:
    """Return what was known on a knowledge date, as a document.

    Keys: ``kind`` (``"knowledge"``), ``version`` (`FORMAT_VERSION`),
    ``as_of`` (ISO day), ``seq`` (the last log entry counted), ``about``
    (the filter text, or None), ``aliases`` (the other names *about* was
    searched under, by the analyst's judgement that they name its entity:
    `timeline.projections.Knowledge.aliases_of`) and ``happenings`` (a
    `happening_record` each, by id).

    Args:
        knowledge: The projection, e.g. from ``EventLog.as_of``.
        about: Keep only the happenings that match this text, or one of
            its aliases (see `timeline.projections.Knowledge.about`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The ``aliases`` key.
    """
    happenings = knowledge.happenings if about is None else knowledge.about(about)
    return _document(
        "knowledge",
        as_of=knowledge.as_of.isoformat(),
        seq=knowledge.seq,
        about=about,
        aliases=[] if about is None else list(knowledge.aliases_of(about)),
        happenings=[happening_record(happening) for happening in happenings],
    )


def _statement_record(entry: Entry) -> dict[str, Any]:
    return {
        **entry_record(entry),
        "texts": {
            name: value_text(value) for name, value in entry.event.facts().items()
        },
    }


def account_record(account: SourceAccount) -> dict[str, Any]:
    """Return what one source stated, denied or was quoted on about one happening.

    Keys: ``event_id``, ``event_ids``, ``event_types``, ``status``,
    ``statuses``, ``when`` and ``conflicts``, as in `happening_record`; then
    ``claims``, ``withdrawn`` and ``responses``: an `entry_record` for each
    entry the source appears in (see
    `timeline.projections.SourceAccount`), with one more key, ``texts``:
    each stated fact by field name, as `value_text`.

    .. versionadded:: 0.2.0
    """
    happening = account.happening
    when = happening.when
    return {
        "event_id": happening.event_id,
        "event_ids": sorted(happening.event_ids),
        "event_types": list(happening.event_types),
        "status": happening.status.value,
        "statuses": [status.value for status in Status if status in happening.statuses],
        "when": None if when is None else date_record(when),
        "conflicts": [field.name for field in happening.conflicts],
        "claims": [_statement_record(entry) for entry in account.claims],
        "withdrawn": [_statement_record(entry) for entry in account.withdrawn],
        "responses": [_statement_record(entry) for entry in account.responses],
    }


def source_record(
    knowledge: Knowledge, source: str, *, about: str | None = None
) -> dict[str, Any]:
    """Return what one source stated, denied or was quoted on, as a document.

    Keys: ``kind`` (``"source"``), ``version``, ``as_of``, ``seq``,
    ``about`` (as in `knowledge_record`), ``source`` (the name as asked),
    ``happenings`` (how many happenings were known) and ``accounts`` (an
    `account_record` for each happening the source appears in, by id).

    Args:
        knowledge: The projection, e.g. from ``EventLog.as_of``.
        source: The source's name; case and spacing are ignored (see
            `timeline.projections.Knowledge.by_source`).
        about: Keep only the happenings that match this text (see
            `timeline.projections.Happening.matches`).

    >>> import datetime as dt
    >>> from timeline.corpus import load_corpus
    >>> record = source_record(load_corpus().as_of(dt.date(2017, 10, 4)), "TASS")
    >>> for account in record["accounts"][:2]:
    ...     print(account["event_id"], account["claims"][0]["texts"]["when"])
    asapov-command-post-shelling 2017-09-24 "on Sept. 24"
    asapov-death 2017-09-24 "on Sept. 24"

    .. versionadded:: 0.2.0
    """
    accounts = [
        account
        for account in knowledge.by_source(source)
        if about is None or account.happening.matches(about)
    ]
    return _document(
        "source",
        as_of=knowledge.as_of.isoformat(),
        seq=knowledge.seq,
        about=about,
        source=source,
        happenings=len(knowledge),
        accounts=[account_record(account) for account in accounts],
    )


def conflict_record(conflict: Conflict) -> dict[str, Any]:
    """Return one open conflict: the happening, the field, every value, and why.

    Keys: ``event_id``, ``event_types`` and ``status`` (as in
    `happening_record`), ``field`` (the field's name), ``values`` (a
    `value_record` each, its claims' own ``wording`` included) and
    ``pairs`` (a `pair_record` for each two values that contradict).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``pairs`` and the claims' ``wording``.
    """
    happening = conflict.happening
    field = conflict.field
    return {
        "event_id": happening.event_id,
        "event_types": list(happening.event_types),
        "status": happening.status.value,
        "field": field.name,
        "values": [value_record(value, field=field.name) for value in field.values],
        "pairs": [pair_record(pair, field.values) for pair in conflict.pairs],
    }


def conflicts_record(
    knowledge: Knowledge, *, about: str | None = None
) -> dict[str, Any]:
    """Return the open conflicts on a knowledge date, as a document.

    Keys: ``kind`` (``"conflicts"``), ``version``, ``as_of``, ``seq``,
    ``about`` (as in `knowledge_record`) and ``conflicts`` (a
    `conflict_record` each, by happening id then field).

    .. versionadded:: 0.1.0
    """
    conflicts = [
        conflict
        for conflict in knowledge.conflicts()
        if about is None or conflict.happening.matches(about)
    ]
    return _document(
        "conflicts",
        as_of=knowledge.as_of.isoformat(),
        seq=knowledge.seq,
        about=about,
        conflicts=[conflict_record(conflict) for conflict in conflicts],
    )


def diff_record(diff: KnowledgeDiff) -> dict[str, Any]:
    """Return what became known between two knowledge dates, as a document.

    Keys: ``kind`` (``"diff"``), ``version``, ``since`` (exclusive) and
    ``until`` (inclusive) as ISO days; ``new_happenings`` (a
    `happening_record` each); ``new_values`` (``{"event_id", "field",
    "value"}`` with a `value_record`, values of new happenings included);
    ``new_conflicts`` (a `conflict_record` each); and ``status_changes``
    (``{"event_id", "before", "after"}`` with status values).

    .. versionadded:: 0.1.0
    """
    return _document(
        "diff",
        since=diff.since.isoformat(),
        until=diff.until.isoformat(),
        new_happenings=[happening_record(h) for h in diff.new_happenings],
        new_values=[
            {
                "event_id": event_id,
                "field": name,
                "value": value_record(value, field=name),
            }
            for event_id, name, value in diff.new_values
        ],
        new_conflicts=[conflict_record(conflict) for conflict in diff.new_conflicts],
        status_changes=[
            {"event_id": event_id, "before": before.value, "after": after.value}
            for event_id, before, after in diff.status_changes
        ],
    )


def history_record(
    event_id: str, steps: Sequence[tuple[dt.date, Happening]]
) -> dict[str, Any]:
    """Return how knowledge of one happening evolved, as a document.

    Keys: ``kind`` (``"history"``), ``version``, ``event_id`` (as asked)
    and ``steps``: one ``{"as_of", "happening"}`` per knowledge date on which
    what was known of it changed, with a `happening_record`.

    Args:
        event_id: The happening asked about.
        steps: What ``EventLog.history`` returns.

    .. versionadded:: 0.1.0
    """
    return _document(
        "history",
        event_id=event_id,
        steps=[
            {"as_of": day.isoformat(), "happening": happening_record(happening)}
            for day, happening in steps
        ],
    )


def summary_record(entries: Sequence[Entry]) -> dict[str, Any]:
    """Return the size and span of a log's entries.

    Keys: ``entries`` (how many), ``last_seq``, ``happenings`` (distinct
    ``event_id`` values of claims and responses), and ``first_published``
    and ``last_published`` (the ISO days of the earliest and latest report,
    None for no entries).

    .. versionadded:: 0.1.0
    """
    days = [entry.event.report.published_day for entry in entries]
    return {
        "entries": len(entries),
        "last_seq": entries[-1].seq if entries else 0,
        "happenings": len(
            {
                entry.event.event_id
                for entry in entries
                if entry.event.role is not Role.ANALYST
            }
        ),
        "first_published": _day(min(days, default=None)),
        "last_published": _day(max(days, default=None)),
    }


def unregistered_record(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """Return the types of a log's entries that no class in this process claims.

    One record per stored tag, in the order first met: ``type``,
    ``entries`` (how many), ``seqs`` (theirs) and ``advice`` (what would
    read them, from `timeline.model.unregistered.declared_by`). Empty when
    every entry's type is registered.

    .. versionadded:: 0.2.0
    """
    seqs: dict[str, list[int]] = {}
    for entry in entries:
        event = entry.event
        if isinstance(event, UnregisteredEvent):
            seqs.setdefault(event.stored_type, []).append(entry.seq)
    advice = declared_by(seqs) if seqs else {}
    return [
        {"type": tag, "entries": len(found), "seqs": found, "advice": advice[tag]}
        for tag, found in seqs.items()
    ]


_ROW_KEYS = frozenset(
    {
        "event_id", "event_type", "status", "role", "in_conflict", "seq",
        "outlet", "attribution", "claimant", "published", "citation", "quote",
        "note", "hedge", "title", "url", "when", "when_earliest", "when_latest",
        "when_phrase",
    }
)  # fmt: skip


def claim_rows(knowledge: Knowledge) -> list[dict[str, Any]]:
    """Return one flat record per claim, for a table or a data frame.

    Rows follow the happenings by id, each happening's live claims first,
    then the claims their source withdrew, then the responses to it. Every
    value is a string, number, boolean or None. Keys: ``event_id``,
    ``event_type`` (the claim's own), ``status`` (the happening's, as in
    `happening_record`), ``role`` (``"claim"``, ``"withdrawn"`` or
    ``"response"``), ``in_conflict`` (whether a value this claim states is
    in conflict), ``seq``, ``outlet``, ``attribution`` (names joined by
    ``" -> "``), ``claimant``, ``published``, ``citation``, ``quote``,
    ``note`` (the encoder's remark), ``hedge`` (as in `citation_record`),
    ``title`` and ``url`` (the report's),
    ``when`` (EDTF, or None), ``when_earliest`` and ``when_latest`` (ISO
    days, None where open), ``when_phrase``; then each other stated fact
    under its field name, as `value_text` (``fact_`` is prefixed to a field
    name that is one of these keys).

    >>> import datetime as dt
    >>> from timeline.corpus import load_corpus
    >>> rows = claim_rows(load_corpus().as_of(dt.date(2017, 10, 4)))
    >>> for row in rows:
    ...     if row["event_id"] == "asapov-death" and row["when"]:
    ...         print(row["when"], row["citation"], row["in_conflict"])
    2017-09-23 per DEBKA Weekly, published 2017-09-28 True
    2017-09-24 per Military Times (citing TASS), published 2017-10-04 True

    .. versionadded:: 0.1.0
    """
    rows = []
    for happening in knowledge.happenings:
        conflicted = {
            entry.seq
            for field in happening.conflicts
            for value in field.values
            for entry in value.claims
        }
        for role, entries in (
            ("claim", happening.claims),
            ("withdrawn", happening.withdrawn),
            ("response", happening.responses),
        ):
            for entry in entries:
                event = entry.event
                when = event.when
                row: dict[str, Any] = {
                    "event_id": happening.event_id,
                    "event_type": event.event_type,
                    "status": happening.status.value,
                    "role": role,
                    "in_conflict": entry.seq in conflicted,
                    "seq": entry.seq,
                    "outlet": event.report.outlet.name,
                    "attribution": " -> ".join(s.name for s in event.attribution),
                    "claimant": event.claimant.name,
                    "published": _published(entry),
                    "citation": citation(entry),
                    "quote": event.quote,
                    "note": event.note,
                    "hedge": None if event.hedge is None else event.hedge.value,
                    "title": event.report.title,
                    "url": event.report.url,
                    "when": None if when is None else when.to_edtf(),
                    "when_earliest": None if when is None else _day(when.earliest),
                    "when_latest": None if when is None else _day(when.latest),
                    "when_phrase": None if when is None else when.phrase,
                }
                for name, value in event.facts().items():
                    if name != "when":
                        key = f"fact_{name}" if name in _ROW_KEYS else name
                        row[key] = value_text(value)
                rows.append(row)
    return rows


display.claim_records.register(Knowledge, claim_rows)
