"""How a loaded log holds its index: built in one pass, it answers as if grown.

An empty index given many entries at once (a log loading its store) keeps
each happening's entries in a tuple of their exact number instead of a list
grown one append at a time; these tests pin that nothing else changes.
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import EventLog
from timeline.errors import InvalidEntryError
from timeline.model.events import Death
from timeline.projections import KnowledgeIndex
from timeline.strategies import logs

from .helpers import FakeClock, report

IDS = ("alpha", "beta", "gamma", "delta")
days = st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 10, 31))


def grown(entries):
    """Return an index given *entries* one at a time, as appends give them."""
    index = KnowledgeIndex()
    for entry in entries:
        index.extend([entry])
    return index


@given(logs(), days)
def test_an_index_built_at_once_holds_what_one_grown_by_appends_does(log, day):
    """Same happenings in the same order, same entries, same answers."""
    entries = list(log)
    at_once = KnowledgeIndex(entries)
    one_by_one = grown(entries)

    assert at_once.snapshot() == one_by_one.snapshot()
    assert list(at_once.event_ids()) == list(one_by_one.event_ids())
    for event_id in IDS:
        assert at_once.happening(event_id, as_of=day) == one_by_one.happening(
            event_id, as_of=day
        )
    assert at_once.as_of(day) == one_by_one.as_of(day)


@given(logs(), days, st.data())
def test_a_loaded_log_appended_to_answers_as_one_never_reloaded(log, day, data):
    """Appending to a happening a load indexed in one pass extends it as usual."""
    entries = list(log)
    cut = data.draw(st.integers(0, len(entries)))
    loaded = EventLog(entries[:cut], clock=FakeClock())
    for entry in entries[cut:]:
        loaded._accept([entry])  # the entries keep their seq and system time

    assert _index_of(loaded).snapshot() == grown(entries).snapshot()
    for event_id in IDS:
        assert loaded.happening(event_id, as_of=day) == log.happening(
            event_id, as_of=day
        )
    assert loaded.as_of(day) == log.as_of(day)


def test_a_load_appended_to_after_it_keeps_every_entry_in_seq_order():
    """The first append to a happening indexed in one pass keeps what it held."""
    published = dt.date(2017, 9, 24)
    log = EventLog(clock=FakeClock())
    for outlet in ("TASS", "RIA", "Interfax"):
        log.append(
            Death(event_id="d", report=report(outlet, published), person="V. Asapov")
        )
    loaded = EventLog(list(log), clock=FakeClock())

    loaded.append(Death(event_id="d", report=report("BBC", published), person="V."))
    loaded.append(Death(event_id="d", report=report("AP", published), person="V."))

    (entries,) = (found for _, found in _index_of(loaded).snapshot().by_event)
    assert [entry.seq for entry in entries] == [1, 2, 3, 4, 5]
    happening = loaded.happening("d", as_of=published)
    assert happening is not None
    assert len(happening.claims) == 5


def test_an_entry_out_of_order_in_one_pass_keeps_what_preceded_it():
    """As when grown entry by entry: the entries before the refused one stay."""
    published = dt.date(2017, 9, 24)
    log = EventLog(clock=FakeClock())
    for event_id in ("a", "b", "a"):
        log.append(
            Death(event_id=event_id, report=report("TASS", published), person="x")
        )
    first, second, third = log
    index = KnowledgeIndex()

    with pytest.raises(InvalidEntryError, match="seq 1 does not follow seq 2"):
        index.extend([first, second, first, third])

    assert index.last_seq == 2
    assert index.snapshot().by_event == (("a", (first,)), ("b", (second,)))
    index.extend([third])
    assert index.snapshot().by_event == (("a", (first, third)), ("b", (second,)))


def _index_of(log: EventLog) -> KnowledgeIndex:
    """Return the index a loaded log keeps its entries in."""
    index: KnowledgeIndex = log._answers._index  # type: ignore[attr-defined]
    return index
