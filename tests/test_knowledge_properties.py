"""The defining properties of a knowledge-time log, proved with Hypothesis."""

import datetime as dt
from collections.abc import Iterable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, EventLog, FuzzyDate
from timeline.errors import InvalidEntryError
from timeline.model.comparers import canonical
from timeline.model.events import (
    Amendment,
    Confirmation,
    Death,
    Denial,
    Event,
    Related,
    Role,
    SameAs,
    Split,
    registered_event_types,
)
from timeline.model.sources import Report, Source
from timeline.projections import (
    KnowledgeIndex,
    build_knowledge,
    diff,
    history,
)
from timeline.projections import index as index_module
from timeline.projections.fields import same_value, value_key
from timeline.serialization import Codec
from timeline.strategies import events, logs, reports

from .helpers import FakeClock

FIRST, LAST = dt.date(2017, 9, 1), dt.date(2017, 10, 31)
IDS = ("alpha", "beta", "gamma", "delta")
days = st.dates(min_value=FIRST - dt.timedelta(days=1), max_value=LAST)
outlets = st.sampled_from([Source("Alpha Times"), Source("Beta Agency")])
CLAIM_TYPES = [
    cls for cls in registered_event_types().values() if cls.role is Role.CLAIM
]


def claims(*, first=FIRST, last=LAST):
    """Claims about a few happenings, published between *first* and *last*."""
    return events(
        types=CLAIM_TYPES,
        event_ids=st.sampled_from(IDS),
        reports=reports(min_value=first, max_value=last, outlets=outlets),
        when=st.sampled_from(
            [FuzzyDate.exact(FIRST + dt.timedelta(days=n)) for n in range(3)]
        ),
    )


def plain(value):
    """Return a value without provenance: the phrase is not part of a date."""
    if isinstance(value, FuzzyDate):
        return attrs.evolve(value, phrase=None, anchor=None)
    return value


def shape(knowledge):
    """Return an answer with seq numbers taken out, to compare across logs."""
    return {
        happening.event_id: (
            happening.event_ids,
            happening.statuses,
            {
                name: sorted(
                    (
                        repr(plain(value.value)),
                        sorted(repr(entry.event) for entry in value.claims),
                    )
                    for value in field.values
                )
                for name, field in happening.fields.items()
            },
        )
        for happening in knowledge
    }


@given(logs(), days, st.data())
def test_later_publications_never_change_an_earlier_answer(log, day, data):
    """Appending claims and responses published after D leaves as_of(D) alone."""
    before = log.as_of(day)
    later = reports(
        min_value=day + dt.timedelta(days=1), max_value=LAST + dt.timedelta(1)
    )
    for _ in range(data.draw(st.integers(1, 5))):
        known = sorted(log.event_ids)
        kinds: list[type[Event]] = [Denial, Confirmation] if known else []
        event = data.draw(
            claims(first=day + dt.timedelta(days=1), last=LAST + dt.timedelta(1))
            | events(
                types=kinds or CLAIM_TYPES,
                event_ids=st.sampled_from(known or IDS),
                reports=later,
            )
        )
        log.append(event)

    assert log.as_of(day).happenings == before.happenings


@given(logs(), days, st.data())
def test_an_answer_pinned_to_a_system_time_never_changes(log, day, data):
    """Whatever is appended later, amendments included, as_of(D, seq=N) stands."""
    pinned = log.last_seq
    before = log.as_of(day, seq=pinned)
    for _ in range(data.draw(st.integers(1, 5))):
        if log.last_seq and data.draw(st.booleans()):
            target = log[data.draw(st.integers(1, log.last_seq))]
            event: Event = Amendment(
                event_id=target.event.event_id,
                voids=target.seq,
                reason="re-read",
                report=data.draw(reports(min_value=FIRST, max_value=LAST)),
            )
        else:
            event = data.draw(claims())
        log.append(event)

    assert log.as_of(day, seq=pinned) == before


@given(st.lists(claims(), max_size=12), st.randoms(use_true_random=False), days)
def test_the_order_of_independent_claims_does_not_matter(batch, random, day):
    """Claims appended in any order give the same answer."""
    shuffled = list(batch)
    random.shuffle(shuffled)
    first, second = EventLog(clock=FakeClock()), EventLog(clock=FakeClock())
    first.extend(batch)
    second.extend(shuffled)

    assert shape(first.as_of(day)) == shape(second.as_of(day))


@given(logs(), days, st.data())
def test_the_index_answers_as_a_full_rebuild_does(log, day, data):
    """A point query through the index equals the happening of a full rebuild."""
    entries = list(log)
    seq = data.draw(st.none() | st.integers(0, max(log.last_seq, 0)))
    index = KnowledgeIndex()
    for entry in entries:
        index.extend([entry])  # incrementally, one entry at a time
    full = build_knowledge(entries, as_of=day, seq=seq)

    for event_id in IDS:
        assert index.happening(event_id, as_of=day, seq=seq) == full.get(event_id)


@pytest.mark.parametrize("share", [0.0, 0.25, 1.0])
@given(logs(), st.data())
def test_stepping_through_dates_answers_as_a_full_rebuild_does(share, log, data):
    """Each full query from the last one's checkpoint equals a full rebuild.

    Share 1.0 patches the checkpoint whatever changed, 0.0 only when nothing
    did, 0.25 is the default; appends between queries drop the checkpoint.
    """
    entries = list(log)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(entries)), max_size=2)))
    index = KnowledgeIndex()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "_PATCH_SHARE", share)
        for start, stop in zip([0, *cuts], [*cuts, len(entries)], strict=True):
            index.extend(entries[start:stop])
            for day in data.draw(st.lists(days, min_size=1, max_size=4)):
                answer = index.as_of(day)
                full = build_knowledge(entries[:stop], as_of=day)
                assert answer == full
                assert dict(answer._index) == dict(full._index)


@pytest.mark.parametrize("share", [0.25, 1.0])
@given(logs(), st.lists(st.tuples(days, days), min_size=1, max_size=3))
def test_a_diff_from_a_checkpoint_equals_one_from_full_rebuilds(share, log, windows):
    """EventLog.diff, which starts from the log's last answer, equals diff()."""
    entries = list(log)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "_PATCH_SHARE", share)
        for first, second in windows:
            since, until = sorted((first, second))
            assert log.diff(since, until) == diff(entries, since, until)


@given(logs(), days, days)
def test_a_diff_names_what_no_happening_known_before_held(log, first, second):
    """New values and conflicts: those no earlier happening sharing an id had.

    The oracle compares the two folds directly: for each happening known at
    *until*, every happening known at *since* that shares one of its ids
    (before a merge, several; after a split, the one they shared). A value
    is new when none of theirs is the same value of the field, as the field
    compares its values (``same_value``: actors in any order, with repeats,
    are one value).
    """
    since, until = sorted((first, second))
    entries = list(log)
    before = build_knowledge(entries, as_of=since)
    after = build_knowledge(entries, as_of=until)
    key = value_key
    values, conflicts = set(), set()
    for happening in after:
        olds = [old for old in before if old.event_ids & happening.event_ids]
        if any(old is happening for old in olds):
            continue
        disputed = {field.name for old in olds for field in old.conflicts}
        for name, field in happening.fields.items():
            held = [
                value.value
                for old in olds
                if name in old.fields
                for value in old.fields[name].values
            ]
            values |= {
                (happening.event_id, name, key(value.value))
                for value in field.values
                if not any(same_value(field.kind, value.value, was) for was in held)
            }
        conflicts |= {
            (happening.event_id, field.name)
            for field in happening.conflicts
            if field.name not in disputed
        }

    change = diff(entries, since, until)

    assert {(root, name, key(v.value)) for root, name, v in change.new_values} == values
    assert {(c.happening.event_id, c.field.name) for c in change.new_conflicts} == (
        conflicts
    )
    assert len(change.new_values) == len(values)


def test_a_split_brings_back_no_value_its_merge_held_as_the_same():
    """Actors with a repeat, held as one value while merged, are not new once split.

    Found by the property above with its full count of examples: its oracle
    compared values exactly, where the fold holds ``("Sergey Shoigu",)`` and
    ``("Sergey Shoigu", "Sergey Shoigu")`` as one value of the actors.
    """
    sept, octo = dt.date(2017, 9, 1), dt.date(2017, 10, 1)
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(
                event_id="alpha",
                report=Report(outlet=Source("TASS"), published=sept),
                person="Sergei Shoigu",
                actors=("Sergey Shoigu",),
            ),
            Death(
                event_id="beta",
                report=Report(outlet=Source("RIA"), published=sept),
                person="Sergei Shoigu",
                actors=("Sergey Shoigu", "Sergey Shoigu"),
            ),
            SameAs(
                event_id="alpha",
                report=Report(outlet=Source("analyst"), published=sept),
                other_event_id="beta",
            ),
            Split(
                event_id="alpha",
                report=Report(outlet=Source("analyst"), published=octo),
                other_event_id="beta",
            ),
        ]
    )

    assert len(log.as_of(sept)["alpha"].fields["actors"].values) == 1
    change = diff(list(log), sept, dt.date(2017, 10, 25))

    assert [name for _, name, _ in change.new_values if name == "actors"] == []
    assert {h.event_id for h in log.as_of(dt.date(2017, 10, 25))} == {"alpha", "beta"}


@given(logs())
def test_a_history_is_every_change_a_fold_on_each_day_shows(log):
    """history() and EventLog.history step exactly where a full fold changes.

    The oracle folds the whole log on every day any entry became known and
    keeps each day the happening differs from the day before; it knows
    nothing of merge chains or of which entries are about what.
    """
    entries = list(log)
    every_day = sorted({entry.event.report.published_day for entry in entries})
    for event_id in sorted(log.event_ids):
        expected: list[tuple[dt.date, object]] = []
        for day in every_day:
            found = build_knowledge(entries, as_of=day).get(event_id)
            if found is not None and (not expected or expected[-1][1] != found):
                expected.append((day, found))
        assert history(entries, event_id) == tuple(expected)
        assert log.history(event_id) == tuple(expected)


@given(logs(), days, st.data())
def test_a_snapshot_plus_the_tail_equals_a_full_rebuild(log, day, data):
    """Resuming from a snapshot and indexing the tail changes no answer."""
    entries = list(log)
    cut = data.draw(st.integers(0, len(entries)))
    resumed = KnowledgeIndex.from_snapshot(KnowledgeIndex(entries[:cut]).snapshot())
    resumed.extend(entries[cut:])
    full = build_knowledge(entries, as_of=day)

    assert resumed.last_seq == log.last_seq
    for event_id in IDS:
        assert resumed.happening(event_id, as_of=day) == full.get(event_id)


@given(logs(), days)
def test_a_save_load_round_trip_changes_no_answer(log, day):
    """Entries written as JSON lines and read back give the same knowledge."""
    codec = Codec()
    lines = [codec.dumps(entry) for entry in log]

    restored = EventLog([codec.loads(line) for line in lines])

    assert restored.as_of(day) == log.as_of(day)


@given(logs(), days)
def test_knowledge_never_holds_a_report_published_after_its_date(log, day):
    """Nothing from the future leaks into the past."""
    knowledge = log.as_of(day)

    for happening in knowledge:
        for entry in happening.claims + happening.withdrawn + happening.responses:
            assert entry.event.report.published_day <= day


@given(logs(), days)
def test_no_value_or_source_is_lost_and_every_value_is_traceable(log, day):
    """Every live claim's facts are in Knowledge, each traceable to log entries.

    A claim's value is kept as one of the field's values, in its canonical
    form: "Mortar attack" is kept with "mortar attack", the claim behind it.
    """
    knowledge = log.as_of(day)

    for happening in knowledge:
        for claim in happening.claims:
            for name, value in claim.event.facts().items():
                field = happening.fields[name]
                assert any(
                    canonical(field.kind, plain(found.value))
                    == canonical(field.kind, plain(value))
                    and claim in found.claims
                    for found in field.values
                )
        for field in happening.fields.values():
            for value in field.values:
                for entry in value.claims:
                    assert log[entry.seq] == entry


@given(logs())
def test_a_conflict_keeps_every_value(log):
    """An open conflict lists every distinct value its live claims state.

    Its dates are also those of the happenings a link with same_when ties
    it to (through any chain of links and merges), and none other.
    """
    knowledge = log.as_of(LAST)

    def stated(name: str, claims: Iterable[Entry]) -> set[object]:
        return {
            canonical(kind, plain(entry.event.facts()[name]))
            for entry in claims
            if name in entry.event.facts()
        }

    for conflict in knowledge.conflicts():
        kind = conflict.field.kind
        name = conflict.field.name
        shown = {canonical(kind, plain(v.value)) for v in conflict.field.values}
        own = stated(name, conflict.happening.claims)
        if name != "when":
            assert shown == own
            continue
        tied = _tied_by_dates(log, conflict.happening.event_ids)
        lent = [
            entry
            for happening in knowledge
            if happening.event_ids & tied
            for entry in happening.claims
        ]
        assert own <= shown <= own | stated(name, lent)


def _tied_by_dates(log: EventLog, event_ids: frozenset[str]) -> set[str]:
    # Every id some chain of merges and same_when links in the log, of any
    # date, ties to *event_ids*: a superset of those that lend dates.
    edges = [
        (entry.event.event_id, entry.event.other_event_id)
        for entry in log
        if isinstance(entry.event, SameAs)
        or (isinstance(entry.event, Related) and entry.event.same_when)
    ]
    tied = set(event_ids)
    grown = True
    while grown:
        grown = False
        for one, other in edges:
            if (one in tied) != (other in tied):
                tied |= {one, other}
                grown = True
    return tied


def test_the_index_refuses_entries_out_of_order():
    """Entries must be indexed in seq order: a repeat is an error, not a skip."""
    log = EventLog(clock=FakeClock())
    log.append(
        Death(
            event_id="a",
            report=Report(outlet=Source("A"), published=FIRST),
            person="x",
        )
    )
    index = KnowledgeIndex(log)

    with pytest.raises(InvalidEntryError, match="seq 1 does not follow seq 1"):
        index.extend(log)
