"""Several writers on one log: nothing lost, duplicated or interleaved.

Writers in separate processes append at once to one JSON Lines file or one
SQLite database; then every claim is there exactly once, seqs run 1..n, each
batch is contiguous and each writer's batches are in its order. Examples in
one process pin the mechanism: a log takes in what others appended, under
the store's write lock, before it stamps its own batch.
"""

import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from timeline import Entry, EventLog
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    DanglingReferenceError,
)
from timeline.model.events import Death, Denial
from timeline.stores import MemoryStore, SharedStore, check, open_store

from .helpers import FakeClock, day, report
from .stores.test_memory import CoreOnlyStore
from .writer_process import DONE, WriterServer, claim, writer

WRITERS = 4
BATCHES = 15
SUFFIXES = [".jsonl", ".sqlite"]
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = report("TASS", dt.date(2017, 9, 24))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WriterServer]:
    """Start one server that forks every writer of this module."""
    directory = tmp_path_factory.mktemp("server")
    started = WriterServer(directory / "stderr.txt")
    yield started
    started.close()


def death(event_id: str = "asapov-death") -> Death:
    """Return a claim that Asapov died."""
    return Death(
        event_id=event_id, report=TASS, person="Valery Asapov", when=day("2017-09-24")
    )


@pytest.mark.parametrize("optimistic", [False, True], ids=["plain", "expected_seq"])
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_writers_in_several_processes_lose_and_mix_nothing(
    tmp_path, server, suffix, optimistic
):
    """Every claim of every writer is stored once, its batch whole and in order."""
    rng = random.Random(f"{suffix}{optimistic}")
    path, acks = tmp_path / f"log{suffix}", tmp_path / "acks.txt"
    EventLog.open(path).close()  # Created first, so no writer races to create it.
    plans = {
        f"w{n}": [rng.randint(1, 3) for _ in range(BATCHES)] for n in range(WRITERS)
    }
    server.start(
        *(
            writer(path, acks, label, batches, optimistic=optimistic)
            for label, batches in plans.items()
        )
    )

    ends = server.reap()

    assert ends == [DONE] * WRITERS, server.errors()
    assert check(path).ok
    with open_store(path, create=False) as store:
        entries = list(store.read())
    assert [entry.seq for entry in entries] == list(range(1, len(entries) + 1))
    moments = [entry.recorded_at for entry in entries]
    assert moments == sorted(moments)
    for label, batches in plans.items():
        mine = [entry for entry in entries if entry.event.event_id.startswith(label)]
        made = [
            claim(label, number, index)
            for number, size in enumerate(batches)
            for index in range(size)
        ]
        assert [entry.event for entry in mine] == made
        for number, size in enumerate(batches):
            seqs = [
                e.seq for e in mine if e.event.event_id.split("/")[1] == str(number)
            ]
            assert seqs == list(range(seqs[0], seqs[0] + size))
    assert len(entries) == sum(map(sum, plans.values()))
    acknowledged = acks.read_text(encoding="utf-8").splitlines()
    assert sorted(acknowledged) == sorted(
        f"{e.seq} {e.event.event_id}" for e in entries
    )
    assert server.errors() == ""


def two_logs(kind: str, tmp_path: Path) -> tuple[EventLog, EventLog]:
    """Return two logs over one store, as two processes would hold them."""
    if kind == "memory":
        shared = MemoryStore()
        return EventLog(store=shared), EventLog(store=shared)
    if kind == "third-party":
        core_only = CoreOnlyStore()
        return EventLog(store=core_only), EventLog(store=core_only)
    path = tmp_path / f"log.{kind}"
    return EventLog.open(path), EventLog.open(path)


KINDS = ["jsonl", "sqlite", "memory", "third-party"]


@pytest.mark.parametrize("kind", KINDS)
class TestTwoWriters:
    """Two logs over one store append in turn, as two processes would."""

    def test_each_append_follows_the_others(self, tmp_path, kind):
        """Appending without expected_seq takes in the other's entries first."""
        first, second = two_logs(kind, tmp_path)
        with first, second:
            first.append(death())
            entry = second.append(
                Denial(event_id="asapov-death", report=TASS, denied_by="MoD")
            )
            first.append(death("capture"))

            assert entry.seq == 2
            assert [e.seq for e in second] == [1, 2]
            assert list(first) == [*second, first[3]]
            assert first.event_ids == {"asapov-death", "capture"}

    def test_a_stale_expected_seq_is_a_conflict(self, tmp_path, kind):
        """A stale expected_seq is refused, and the log then knows the true end."""
        first, second = two_logs(kind, tmp_path)
        with first, second:
            first.append(death())

            with pytest.raises(
                ConcurrencyError,
                match="expected the log to end at seq 0, but it ends at 1",
            ):
                second.append(death("capture"), expected_seq=0)
            assert second.last_seq == 1
            assert second.append(death("capture"), expected_seq=1).seq == 2
            assert first.store is not None
            assert len(list(first.store.read())) == 2

    def test_references_are_checked_against_the_others_entries(self, tmp_path, kind):
        """A claim may answer a happening only another writer has logged."""
        first, second = two_logs(kind, tmp_path)
        with first, second:
            first.append(death("capture"))

            denial = second.append(
                Denial(event_id="capture", report=TASS, denied_by="MoD")
            )

            assert denial.seq == 2


def test_recorded_at_never_decreases_across_writers(tmp_path):
    """A writer whose clock lags stamps no earlier than the entries it follows."""
    path = tmp_path / "log.jsonl"
    ahead = FakeClock(START + dt.timedelta(hours=1))
    with (
        EventLog.open(path, clock=ahead) as first,
        EventLog.open(path, clock=FakeClock(START)) as second,
    ):
        first.append(death())

        entry = second.append(death("capture"))

        assert entry.recorded_at == first[1].recorded_at


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_another_writers_invalid_entry_is_refused_and_nothing_written(tmp_path, suffix):
    """An entry that breaks the log's rules, written behind its back, stops appends."""
    path = tmp_path / f"log{suffix}"
    # The log's clock and the other writer's entry share one moment, so
    # only the dangling reference is wrong, whatever the day the test runs.
    with EventLog.open(path, clock=FakeClock(START)) as log, open_store(path) as raw:
        log.append(death())
        dangling = Denial(event_id="nobody-reported", report=TASS, denied_by="MoD")
        raw.append([Entry(2, START, dangling)])
        before = len(raw)

        with pytest.raises(
            DanglingReferenceError,
            match=r"taking in another writer's entries from .*entry seq 2",
        ):
            log.append(death("capture"))
        assert len(raw) == before
        assert log.last_seq == 1


def execute(path: Path, sql: str) -> None:
    """Run *sql* on the database at *path* behind the stores' backs."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(sql)


class TestSQLiteCatchingUp:
    """The rows another writer appended are checked before they are taken in."""

    def test_an_edited_row_is_refused(self, tmp_path):
        """A row edited after another writer appended it breaks the chain."""
        path = tmp_path / "log.sqlite"
        with EventLog.open(path) as first, EventLog.open(path) as second:
            first.extend([death(), death("capture")])
            execute(path, "UPDATE entries SET body = json_set(body, '$.person', 'x')")

            with pytest.raises(CorruptLogError, match="seq 1: hash mismatch"):
                second.append(death("third"))

    def test_a_missing_row_is_refused(self, tmp_path):
        """The row the log ends at, gone from the database, is reported."""
        path = tmp_path / "log.sqlite"
        with EventLog.open(path) as first, EventLog.open(path) as second:
            first.append(death())
            second.append(death("capture"))
            first.append(death("third"))
            execute(path, "DELETE FROM entries WHERE seq = 2")

            with pytest.raises(CorruptLogError, match="seq 2: the row is missing"):
                second.append(death("fourth"))


def test_every_built_in_store_is_shared(tmp_path):
    """The built-in stores all append under a write lock of their own."""
    stores = [MemoryStore(), *(open_store(tmp_path / f"x{s}") for s in SUFFIXES)]

    assert all(isinstance(store, SharedStore) for store in stores)
    for store in stores:
        store.close()


CREATORS = 8
CREATION_ROUNDS = 30


@pytest.mark.slow  # 30 rounds of 8 processes: .ci/run runs them
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_writers_creating_one_log_at_once_all_append(tmp_path, server, suffix):
    """N processes released at once on a missing path: each append lands.

    Whoever creates the log does it whole, in one transaction with its
    version; the others wait for it and then append, never calling a log
    that is still being created corrupt.
    """
    for round_number in range(CREATION_ROUNDS):
        path = tmp_path / f"log{round_number}{suffix}"
        acks = tmp_path / f"acks{round_number}.txt"
        labels = [f"c{n}" for n in range(CREATORS)]
        server.start(*(writer(path, acks, label, [1]) for label in labels))

        ends = server.reap()

        assert ends == [DONE] * CREATORS, (round_number, server.errors())
        with open_store(path, create=False) as store:
            stored = sorted(entry.event.event_id for entry in store.read())
        assert stored == sorted(f"{label}/0/0" for label in labels)
        assert check(path).ok
    assert server.errors() == ""
