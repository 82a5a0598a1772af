import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, EventLog, TimelineError
from timeline.errors import (
    ConcurrencyError,
    DanglingReferenceError,
    InvalidDateError,
    InvalidEntryError,
    UnknownEventTypeError,
)
from timeline.model.events import Amendment, Death, Denial, SameAs
from timeline.strategies import events

from .helpers import FakeClock, day, report

DEBKA = report("DEBKA Weekly", dt.date(2017, 9, 28))
MT = report("Military Times", dt.date(2017, 10, 4))
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def death(event_id="asapov-death", source=DEBKA, when="2017-09-23"):
    """Return a claim of Asapov's death."""
    return Death(
        event_id=event_id, report=source, person="Valery Asapov", when=day(when)
    )


def test_append_stamps_seq_and_system_time():
    """The log numbers entries from 1 and stamps them with its clock, in UTC."""
    log = EventLog(clock=FakeClock(START))

    first = log.append(death())
    second = log.append(death(source=MT, when="2017-09-24"))

    assert (first.seq, second.seq) == (1, 2)
    assert second.recorded_at == START + dt.timedelta(minutes=1)
    assert list(log) == [first, second]
    assert log[2] is second


def test_recorded_at_never_decreases_when_the_clock_steps_back():
    """A clock stepping backwards does not make system time go backwards."""
    times = iter([START, START - dt.timedelta(hours=1)])
    log = EventLog(clock=lambda: next(times))

    log.append(death())
    later = log.append(death(source=MT))

    assert later.recorded_at == START


def test_recorded_at_is_converted_to_utc():
    """System time is kept in UTC whatever zone the clock answers in."""
    plus_two = dt.timezone(dt.timedelta(hours=2))
    log = EventLog(clock=lambda: dt.datetime(2026, 11, 21, 11, 0, tzinfo=plus_two))

    entry = log.append(death())

    assert entry.recorded_at.utcoffset() == dt.timedelta(0)
    assert entry.recorded_at == START


def test_naive_clock_is_refused_and_nothing_is_appended():
    """A clock without a zone is a bug the log will not paper over."""
    log = EventLog(clock=lambda: dt.datetime(2026, 11, 21, 9, 0))  # noqa: DTZ001

    with pytest.raises(InvalidDateError, match="the clock's time must be an aware"):
        log.append(death())
    assert len(log) == 0


def test_a_bad_batch_is_rejected_whole():
    """The third event refers to a missing happening, so none of the three lands."""
    log = EventLog(clock=FakeClock())
    log.append(death())
    batch = [
        death(source=MT, when="2017-09-24"),
        Denial(event_id="asapov-death", report=MT, denied_by="nobody"),
        Denial(event_id="amaq-capture", report=MT, denied_by="Russian MoD"),
    ]

    with pytest.raises(DanglingReferenceError, match=r"seq 4.*'amaq-capture'"):
        log.extend(batch)
    assert [entry.seq for entry in log] == [1]


def test_a_batch_may_refer_to_its_own_earlier_events():
    """A claim and its denial can arrive together, claim first."""
    log = EventLog(clock=FakeClock())

    log.extend(
        [
            death(event_id="capture"),
            Denial(event_id="capture", report=MT, denied_by="Russian MoD"),
        ]
    )

    assert log.last_seq == 2


def test_same_as_needs_both_happenings():
    """A merge with a happening nobody reported is dangling."""
    log = EventLog(clock=FakeClock())
    log.append(death())

    with pytest.raises(DanglingReferenceError, match="'asapov-killed'"):
        log.append(
            SameAs(event_id="asapov-death", other_event_id="asapov-killed", report=MT)
        )


class TestAmendment:
    """Voiding a mis-encoded entry."""

    def test_must_void_an_earlier_entry(self):
        """An amendment of an entry that does not exist is dangling."""
        log = EventLog(clock=FakeClock())
        log.append(death())

        with pytest.raises(DanglingReferenceError, match="seq 5"):
            log.append(
                Amendment(event_id="asapov-death", report=MT, voids=5, reason="x")
            )

    def test_must_name_the_voided_happening(self):
        """The amendment and the entry it voids are about the same happening."""
        log = EventLog(clock=FakeClock())
        log.extend([death(), death(event_id="other")])

        with pytest.raises(InvalidEntryError, match="entry 2 is about 'other'"):
            log.append(
                Amendment(event_id="asapov-death", report=MT, voids=2, reason="x")
            )

    def test_may_void_an_entry_of_its_own_batch(self):
        """An encoder can fix a slip before the batch lands."""
        log = EventLog(clock=FakeClock())

        log.extend(
            [
                death(),
                Amendment(event_id="asapov-death", report=MT, voids=1, reason="typo"),
            ]
        )

        assert len(log) == 2

    def test_seq_must_be_a_positive_number(self):
        """Only a seq can be voided."""
        with pytest.raises(InvalidEntryError, match="got 'one'"):
            Amendment(event_id="x", report=MT, voids="one", reason="x")  # type: ignore[arg-type]


def test_unregistered_class_is_refused():
    """Only registered event types can be logged."""

    class Unregistered(Death):
        # A plain subclass escapes attrs (and so the registry).
        pass

    log = EventLog(clock=FakeClock())
    with pytest.raises(UnknownEventTypeError, match="Unregistered is not a registered"):
        log.append(Unregistered(event_id="x", report=MT, person="y"))


def test_a_non_event_is_refused():
    """Anything but an Event is an invalid entry."""
    log = EventLog(clock=FakeClock())

    with pytest.raises(InvalidEntryError, match="expected an Event, got str"):
        log.append("Asapov died")  # type: ignore[arg-type]


def test_expected_seq_guards_against_a_concurrent_writer():
    """An append expecting a stale end of log fails and appends nothing."""
    log = EventLog(clock=FakeClock())
    log.append(death(), expected_seq=0)

    with pytest.raises(ConcurrencyError, match="expected the log to end at seq 0"):
        log.append(death(source=MT), expected_seq=0)
    assert log.last_seq == 1


class TestEntries:
    """Reading the log as it stood at an earlier system time."""

    def test_by_seq(self):
        """Pinning to seq N shows the first N entries."""
        log = EventLog(clock=FakeClock())
        log.extend([death(), death(source=MT)])

        assert [e.seq for e in log.entries(seq=1)] == [1]
        assert [e.seq for e in log.entries(seq=0)] == []

    def test_by_recorded_at(self):
        """Pinning to a time shows what had been recorded by then, inclusive."""
        log = EventLog(clock=FakeClock(START))
        log.append(death())
        log.append(death(source=MT))

        assert [e.seq for e in log.entries(recorded_at=START)] == [1]
        assert len(list(log.entries(recorded_at=START - dt.timedelta(seconds=1)))) == 0

    def test_naive_recorded_at_is_refused(self):
        """System time queries need an aware time."""
        log = EventLog(clock=FakeClock())

        with pytest.raises(InvalidDateError, match="recorded_at must be an aware"):
            list(log.entries(recorded_at=dt.datetime(2026, 1, 1)))  # noqa: DTZ001


@pytest.mark.parametrize("seq", [0, 2, "1", True])
def test_missing_seq_is_a_dangling_reference(seq):
    """Only existing entries can be looked up."""
    log = EventLog(clock=FakeClock())
    log.append(death())

    with pytest.raises(DanglingReferenceError, match=r"holds 1\.\.1"):
        log[seq]


class TestRestore:
    """Starting a log from entries read back from storage."""

    def test_keeps_seq_and_recorded_at(self):
        """Restored entries are the entries that were stored."""
        original = EventLog(clock=FakeClock())
        original.extend([death(), death(source=MT)])

        restored = EventLog(list(original))

        assert list(restored) == list(original)
        assert restored.event_ids == frozenset({"asapov-death"})
        assert repr(restored) == "<EventLog of 2 entries>"

    def test_refuses_gaps(self):
        """A missing seq in stored entries is corruption, not something to skip."""
        entries = [Entry(1, START, death()), Entry(3, START, death())]

        with pytest.raises(InvalidEntryError, match="expected seq 2"):
            EventLog(entries)

    def test_refuses_time_going_backwards(self):
        """Stored system time must not decrease along seq."""
        entries = [Entry(1, START, death()), Entry(2, START - dt.timedelta(1), death())]

        with pytest.raises(InvalidEntryError, match="is before the previous"):
            EventLog(entries)


@given(st.lists(events(), max_size=8), st.lists(events(), max_size=8))
def test_appending_never_changes_earlier_entries(first, second):
    """Whatever is appended later, the entries already there stay as they were."""
    log = EventLog(clock=FakeClock())
    accepted = _append_what_is_valid(log, first)
    before = list(log)

    _append_what_is_valid(log, second)

    assert list(log)[: len(before)] == before
    assert [entry.event for entry in before] == accepted


@given(st.lists(events(), max_size=8), st.lists(events(), min_size=1, max_size=8))
def test_a_rejected_batch_leaves_the_log_unchanged(first, batch):
    """Whether a batch lands or not, the log holds all of it or none of it."""
    log = EventLog(clock=FakeClock())
    _append_what_is_valid(log, first)
    before = list(log)

    try:
        log.extend(batch)
    except TimelineError:
        assert list(log) == before
    else:
        assert [entry.event for entry in log][len(before) :] == batch


def _append_what_is_valid(log, candidates):
    accepted = []
    for event in candidates:
        try:
            log.append(event)
        except TimelineError:
            continue
        accepted.append(event)
    return accepted
