import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from timeline import Entry, Event, EventLog, TimelineError
from timeline.stores import read_known

from .contract import claims

SUFFIXES = (".jsonl", ".sqlite")
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


class FileLogsMatchTheMemoryLog(RuleBasedStateMachine):
    """Logs kept in files answer exactly like the log kept in memory.

    Batches, valid or not, go to every log; the file logs are closed and
    reopened at random; after every step each one must hold what the memory
    log holds, in memory and on disk.
    """

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.TemporaryDirectory()
        self.now = START
        self.model = EventLog(clock=self.clock)
        self.paths = self.locations(Path(self.directory.name))
        self.logs = {
            name: EventLog.open(path, clock=self.clock)
            for name, path in self.paths.items()
        }

    def locations(self, directory: Path) -> dict[str, str | Path]:
        """Return where each stored log is kept, by a name for the backend."""
        return {suffix: directory / f"log{suffix}" for suffix in SUFFIXES}

    def pick(self, which: int) -> str:
        """Return the name of one of the stored logs."""
        names = sorted(self.logs)
        return names[which % len(names)]

    def clock(self) -> dt.datetime:
        """Return the machine's time, shared by every log."""
        return self.now

    @rule(batch=st.lists(claims(), max_size=4), minutes=st.integers(0, 600))
    def append(self, batch, minutes):
        """Every log accepts the same batches, or refuses them the same way."""
        self.now += dt.timedelta(minutes=minutes)
        expected = _attempt(self.model, batch)
        event(
            f"batch outcome: {expected[0] if expected[0] is not Entry else 'accepted'}"
        )

        for log in self.logs.values():
            assert _attempt(log, batch) == expected

    @rule(which=st.integers(0, 5))
    def reopen(self, which):
        """Closing and reopening a file log loses and changes nothing."""
        suffix = self.pick(which)
        self.logs[suffix].close()
        self.logs[suffix] = EventLog.open(self.paths[suffix], clock=self.clock)

    @rule(
        which=st.integers(0, 5),
        published_until=st.none()
        | st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
        seq_until=st.none() | st.integers(0, 30),
    )
    def ask_the_store(self, which, published_until, seq_until):
        """A store answers knowledge queries like a filter over the memory log."""
        store = self.logs[self.pick(which)].store
        assert store is not None

        found = read_known(store, published_until=published_until, seq_until=seq_until)

        assert list(found) == [
            entry
            for entry in self.model.entries(seq=seq_until)
            if published_until is None
            or entry.event.report.published_day <= published_until
        ]

    @rule(
        known=st.dates(dt.date(2017, 9, 1), dt.date(2017, 10, 31)),
        seq=st.none() | st.integers(0, 30),
        text=st.sampled_from(["asapov", "TASS", "death", "a", "Military Times"]),
    )
    def ask_the_logs(self, known, seq, text):
        """Every log answers as the memory log does: SQLite from its indexes."""
        expected = self.model.as_of(known, seq=seq)
        for log in self.logs.values():
            assert log.as_of(known, seq=seq) == expected
            assert log.about(text, as_of=known, seq=seq) == expected.about(text)
            for event_id in sorted(self.model.event_ids):
                assert log.happening(event_id, as_of=known, seq=seq) == (
                    self.model.happening(event_id, as_of=known, seq=seq)
                )
                assert log.history(event_id) == self.model.history(event_id)
                assert log.first_known(event_id, as_of=known) == (
                    self.model.as_of(known).first_known(event_id)
                )

    @invariant()
    def every_log_holds_what_the_memory_log_holds(self):
        """In memory and on disk, every file log equals the memory log."""
        expected: list[Entry] = list(self.model)
        for log in self.logs.values():
            assert log.store is not None
            assert list(log) == expected
            assert log.event_ids == self.model.event_ids
            assert list(log.store.read()) == expected

    def teardown(self):
        """Close the files and remove them."""
        for log in self.logs.values():
            log.close()
        self.directory.cleanup()


def _attempt(log: EventLog, batch: list[Event]) -> tuple[object, ...]:
    """Return what extending *log* by *batch* gave: its entries, or its error."""
    try:
        entries = log.extend(batch)
    except TimelineError as error:
        return (type(error).__name__, str(error))
    return (Entry, *entries)


FileLogsMatchTheMemoryLog.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestFileLogsMatchTheMemoryLog = FileLogsMatchTheMemoryLog.TestCase
