import datetime as dt
import os

import pytest

from timeline import Entry, EventLog
from timeline.errors import (
    CorruptLogError,
    DanglingReferenceError,
    StoreError,
)
from timeline.model.events import Death, Denial
from timeline.model.sources import Report
from timeline.stores import JsonlStore, MemoryStore, SQLiteStore, open_store

from ..helpers import FakeClock, day, report

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = report("TASS", dt.date(2017, 9, 24))
MT = report("Military Times", dt.date(2017, 10, 4))
SUFFIXES = [".jsonl", ".sqlite", ".db"]


def death(source: Report = TASS, event_id: str = "asapov-death") -> Death:
    """Return a claim that Asapov died, by *source*."""
    return Death(
        event_id=event_id, report=source, person="Valery Asapov", when=day("2017-09-24")
    )


def denial(event_id: str = "capture") -> Denial:
    """Return a denial of the happening *event_id*."""
    return Denial(event_id=event_id, report=MT, denied_by="Russian MoD")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_open_creates_a_missing_file(tmp_path, suffix):
    """Opening a path that does not exist starts an empty log there."""
    path = tmp_path / f"log{suffix}"

    with EventLog.open(path) as log:
        assert len(log) == 0

    assert path.exists()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_appends_survive_reopening(tmp_path, suffix):
    """What was appended through one log is there when the file is opened again."""
    path = tmp_path / f"log{suffix}"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.append(death())
        log.extend([death(MT), denial("asapov-death")])
        written = list(log)

    with EventLog.open(path) as log:
        assert list(log) == written
        assert log.event_ids == {"asapov-death"}


def test_a_log_with_a_store_writes_through_it():
    """Each accepted batch reaches the store; refused ones do not."""
    store = MemoryStore()
    log = EventLog(clock=FakeClock(), store=store)

    log.append(death())
    with pytest.raises(DanglingReferenceError):
        log.append(denial())

    assert log.store is store
    assert list(store.read()) == list(log)


def test_an_empty_batch_does_not_touch_the_store():
    """Extending by nothing writes nothing, even to a closed store."""
    store = MemoryStore()
    log = EventLog(store=store)
    store.close()

    assert log.extend([]) == ()


def test_a_failed_store_write_leaves_the_log_unchanged(tmp_path, monkeypatch):
    """If the store cannot write a batch, the log takes in nothing of it."""
    path = tmp_path / "log.jsonl"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.append(death())

        def broken_fsync(fd):
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(os, "fsync", broken_fsync)
        with pytest.raises(OSError, match="Input/output"):
            log.append(denial("asapov-death"))
        assert [entry.seq for entry in log] == [1]
        assert log.event_ids == {"asapov-death"}


def test_a_closed_log_cannot_append_but_can_be_read(tmp_path):
    """Closing releases the file; the entries a loaded log read stay available."""
    with EventLog.open(tmp_path / "log.sqlite", clock=FakeClock(), load=True) as log:
        log.append(death())

    with pytest.raises(StoreError, match="closed"):
        log.append(death(MT))
    assert [entry.seq for entry in log] == [1]


def test_a_closed_log_answering_from_its_store_says_so(tmp_path):
    """A SQLite log that was not loaded has nothing to answer from once closed."""
    with EventLog.open(tmp_path / "log.sqlite", clock=FakeClock()) as log:
        log.append(death())
        assert [entry.seq for entry in log] == [1]

    with pytest.raises(StoreError, match="closed"):
        log.append(death(MT))
    with pytest.raises(StoreError, match="closed"):
        list(log)


def test_closing_a_log_in_memory_does_nothing():
    """A log without a store can be closed and used as a context manager."""
    with EventLog(clock=FakeClock()) as log:
        log.append(death())
    log.close()

    assert log.store is None
    assert log.append(death(MT)).seq == 2


def test_stored_entries_are_checked_and_the_store_named(tmp_path):
    """A stored log that breaks the log's rules is refused, naming the file."""
    path = tmp_path / "dangling.jsonl"
    with JsonlStore(path) as store:
        store.append([Entry(1, START, denial())])

    with pytest.raises(
        DanglingReferenceError,
        match=r"loading JsonlStore\(.*dangling\.jsonl'\): entry seq 1",
    ):
        EventLog.open(path)


def test_a_corrupt_file_is_refused_untouched(tmp_path):
    """Opening a damaged file raises and leaves its bytes alone."""
    path = tmp_path / "torn.jsonl"
    path.write_bytes(b'{"seq":1')

    with pytest.raises(CorruptLogError, match="torn final line at byte 0"):
        EventLog.open(path)
    assert path.read_bytes() == b'{"seq":1'


def test_entries_and_a_store_are_exclusive():
    """A log starts from given entries or from a store, not both."""
    entry = Entry(1, START, death())

    with pytest.raises(TypeError, match="not both"):
        EventLog([entry], store=MemoryStore())


def test_invalid_entries_without_a_store_are_reported_as_before():
    """Entries given directly keep the log's own error messages."""
    with pytest.raises(DanglingReferenceError, match=r"^entry seq 1: denial refers"):
        EventLog([Entry(1, START, denial())])


@pytest.mark.parametrize(
    ("name", "backend"),
    [("a.jsonl", JsonlStore), ("a.sqlite", SQLiteStore), ("a.db", SQLiteStore)],
)
def test_open_store_picks_the_backend_by_suffix(tmp_path, name, backend):
    """The file's suffix decides the backend."""
    with open_store(tmp_path / name) as store:
        assert type(store) is backend


@pytest.mark.parametrize("name", ["log.json", "log", "log.jsonl.bak"])
def test_open_store_refuses_other_suffixes(tmp_path, name):
    """An unknown suffix is an error naming the path, and no file is created."""
    path = tmp_path / name

    with pytest.raises(StoreError, match=rf"{name}'.*no store backend for suffix"):
        EventLog.open(path)
    assert not path.exists()


def test_open_store_can_refuse_to_create(tmp_path):
    """With create=False, a missing file is an error."""
    with pytest.raises(FileNotFoundError):
        open_store(tmp_path / "missing.jsonl", create=False)
