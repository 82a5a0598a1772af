"""Readers take in what other writers append: `EventLog.refresh` and `follow`.

Two logs over one store stand for two processes, a writer and a reader; a
thread stands for a writer on another machine while the reader follows.
Nothing here waits on a clock to assert: `follow` is given an idle time far
longer than any append takes, and the tests count what it yields.
"""

import datetime as dt
import threading

import pytest

from timeline import Entry, Event, EventLog
from timeline.errors import DanglingReferenceError, StoreError
from timeline.model.events import Death, Denial
from timeline.model.sources import Report
from timeline.stores import MemoryStore, read_after, wait_for_entries

from .helpers import FakeClock, day, report
from .stores.test_memory import CoreOnlyStore

TASS = report("TASS", dt.date(2017, 9, 24))
MT = report("Military Times", dt.date(2017, 10, 4))
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
# Long enough for any append on a loaded machine: the tests never reach it
# unless something is broken, and then they end instead of hanging.
PATIENCE = 60.0


def death(event_id: str = "asapov-death", source: Report = TASS) -> Death:
    """Return a claim that Asapov died."""
    return Death(
        event_id=event_id, report=source, person="Valery Asapov", when=day("2017-09-24")
    )


@pytest.fixture(params=["jsonl", "sqlite", "memory", "third-party", "postgresql"])
def where(request, tmp_path):
    """Return where a shared log is kept: a file, a database, None for memory."""
    kind = request.param
    if kind in {"memory", "third-party"}:
        request.getfixturevalue("shared")
        return None
    return (
        request.getfixturevalue("postgresql")
        if kind == "postgresql"
        else tmp_path / f"log.{kind}"
    )


@pytest.fixture
def shared(request):
    """Return the store two logs in memory share."""
    kind = request.node.callspec.params["where"]
    return MemoryStore() if kind == "memory" else CoreOnlyStore()


@pytest.fixture
def pair(request, where):
    """Return a writer's log and a reader's log over one store."""
    if where is None:
        shared = request.getfixturevalue("shared")
        logs = (EventLog(store=shared, clock=FakeClock()), EventLog(store=shared))
    else:
        EventLog.open(where).close()
        logs = (EventLog.open(where, clock=FakeClock()), EventLog.open(where, mode="r"))
    yield logs
    for log in logs:
        log.close()


def test_refresh_takes_in_what_another_writer_appended(pair):
    """A reader sees a writer's entries after refreshing, and answers with them."""
    writer, reader = pair
    written = writer.extend([death(), death(source=MT)])

    assert len(reader) == 0
    assert reader.refresh() == written
    assert list(reader) == list(writer)
    assert reader.as_of(dt.date(2017, 10, 5)) == writer.as_of(dt.date(2017, 10, 5))
    assert reader.refresh() == ()


def test_follow_yields_what_was_appended_then_stops_when_idle(pair):
    """Entries already appended are yielded at once; then idle ends the loop."""
    writer, reader = pair
    written = writer.extend([death(), death(source=MT)])

    assert tuple(reader.follow(idle=0)) == written
    assert tuple(reader.follow(idle=0, poll=0.01)) == ()


def test_follow_wakes_for_a_writer_elsewhere(pair, where):
    """A follower yields each batch another writer appends while it waits."""
    writer, reader = pair
    appended = threading.Event()
    batches: list[list[Event]] = [
        [death()],
        [
            death(source=MT),
            Denial(event_id="asapov-death", report=MT, denied_by="Russian MoD"),
        ],
    ]

    def write() -> None:
        # A connection per thread, as SQLite wants: a writer elsewhere.
        log = writer if where is None else EventLog.open(where, clock=FakeClock())
        for batch in batches:
            log.extend(batch)
        if where is not None:
            log.close()
        appended.set()

    seen: list[Entry] = []
    thread = threading.Thread(target=write)
    thread.start()
    try:
        for entry in reader.follow(idle=PATIENCE, poll=0.01):
            seen.append(entry)
            if len(seen) == 3:
                break
    finally:
        thread.join()

    assert appended.is_set()
    writer.refresh()
    assert seen == list(writer)
    assert list(reader) == list(writer)


def test_a_log_in_memory_has_nothing_to_follow():
    """Without a store there is nothing to take in, and following ends at once."""
    log = EventLog()
    log.append(death())

    assert log.refresh() == ()
    assert list(log.follow()) == []


def test_another_writers_invalid_entry_is_refused_by_refresh():
    """Entries that break the log's rules are named, and nothing is taken in."""
    store = MemoryStore()
    reader = EventLog(store=store)
    store.append(
        [Entry(1, START, Denial(event_id="nobody", report=MT, denied_by="Russian MoD"))]
    )

    with pytest.raises(DanglingReferenceError, match="another writer's entries"):
        reader.refresh()
    assert len(reader) == 0


def test_waiting_on_a_store_that_cannot_notify_polls_it():
    """A store without notifications is asked its length until it grows."""
    store = MemoryStore()
    store.append([Entry(1, START, death())])

    assert wait_for_entries(store, 0, timeout=None)
    assert not wait_for_entries(store, 1, timeout=0)
    assert not wait_for_entries(store, 1, timeout=0.02, poll=0.01)


def test_read_after_refuses_a_seq_that_is_not_a_number():
    """A seq must be a whole number."""
    with pytest.raises(TypeError, match="whole number"):
        read_after(MemoryStore(), True)


def test_a_closed_store_refuses_refresh(tmp_path):
    """Refreshing a closed log is a clear error."""
    log = EventLog.open(tmp_path / "log.sqlite")
    log.close()

    with pytest.raises(StoreError, match="closed"):
        log.refresh()
