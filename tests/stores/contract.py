"""The behaviour every store must have, run once per backend.

A backend proves itself by subclassing `StoreContract` in a ``Test<Backend>``
class and implementing `StoreContract.make_store`; a store kept in files also
implements `StoreContract.reopen`. A store that several writers can append to
at once (a `timeline.stores.SharedStore`) subclasses `SharedStoreContract`
instead, and one sealed by a hash chain also `SealedStoreContract`, which
needs `SealedStoreContract.tamper`.
"""

import datetime as dt
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from timeline import Entry, Event
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidDateError,
    InvalidEntryError,
    StoreError,
)
from timeline.model.events import registered_event_types
from timeline.stores import SharedStore, Store, read_after, read_known
from timeline.strategies import events

# File stores fsync on every append, so examples are kept few, and disk
# latency is no reason to fail. Each contract test runs once per backend
# class (differing executors): an example saved by one backend's failure and
# replayed on another is still a valid test of the same contract.
FEW = settings(
    max_examples=min(25, settings().max_examples),  # the profile's count, if fewer
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
# The property tests that write a log on a PostgreSQL server per example:
# as few, and shrinking is left to the memory store's tests, which draw the
# same logs (each try would write a log on the server).
SERVER_EXAMPLES = settings(
    max_examples=min(25, settings().max_examples),  # the profile's count, if fewer
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)

_IDS = st.sampled_from(["asapov-death", "capture", "Ünïcode ☃ id"])
_OFFSETS = st.sampled_from(
    [
        dt.UTC,
        dt.timezone(dt.timedelta(hours=3)),
        dt.timezone(-dt.timedelta(hours=9, minutes=30)),
    ]
)


def claims() -> st.SearchStrategy[Event]:
    """Return a strategy for claims of the built-in types about a few happenings.

    User-declared types that other test modules register are left out, so
    the examples do not depend on which tests run in the same session.
    """
    built_in = [
        cls
        for cls in registered_event_types().values()
        if cls.__module__ == "timeline.model.events"
    ]
    return events(types=built_in, event_ids=_IDS)


@st.composite
def entry_lists(
    draw: st.DrawFn, *, min_size: int = 0, max_size: int = 8
) -> list[Entry]:
    """Return a strategy for entries numbered from 1, stamped at aware times."""
    drawn = draw(st.lists(claims(), min_size=min_size, max_size=max_size))
    moments = st.datetimes(
        min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001  # bounds of aware draws
        max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=_OFFSETS,
    )
    return [Entry(seq, draw(moments), claim) for seq, claim in enumerate(drawn, 1)]


def renumber(entries: list[Entry], *, start: int = 1) -> list[Entry]:
    """Return *entries* numbered from *start*, otherwise unchanged."""
    return [
        Entry(seq, entry.recorded_at, entry.event)
        for seq, entry in enumerate(entries, start)
    ]


class StoreContract:
    """Mixed into one ``Test<Backend>Store`` class per backend."""

    def make_store(self) -> Store:
        """Return a new, empty store.

        A plain method, not a fixture: every Hypothesis example needs a
        fresh store, and @given tests cannot use function-scoped fixtures.
        """
        raise NotImplementedError

    def reopen(self, store: Store) -> Store:
        """Close *store* and return it opened again from what it stored.

        A store without storage of its own is its own reopening.
        """
        return store

    def read_reopened(self, store: Store) -> list[Entry]:
        """Return what *store* holds once reopened, closing the reopened store."""
        with self.reopen(store) as reopened:
            return list(reopened.read())

    @FEW
    @given(batches=st.lists(entry_lists(max_size=4), max_size=3))
    def test_reads_back_what_was_appended(self, batches: list[list[Entry]]) -> None:
        """Entries come back in seq order, unchanged, however they were batched."""
        entries = renumber([entry for batch in batches for entry in batch])
        with self.make_store() as store:
            start = 0
            for batch in batches:
                store.append(entries[start : start + len(batch)])
                start += len(batch)

            assert list(store.read()) == entries
            assert len(store) == len(entries)

    @FEW
    @given(entries=entry_lists(max_size=6), more=entry_lists(min_size=1, max_size=3))
    def test_reopening_returns_the_same_entries(
        self, entries: list[Entry], more: list[Entry]
    ) -> None:
        """What was stored survives closing and opening, and appends continue."""
        with self.make_store() as store:
            store.append(entries)
            with self.reopen(store) as reopened:
                assert list(reopened.read()) == entries
                later = renumber(more, start=len(entries) + 1)
                reopened.append(later)

                assert self.read_reopened(reopened) == entries + later

    @FEW
    @given(
        entries=entry_lists(max_size=4),
        batch=entry_lists(min_size=2, max_size=4),
        data=st.data(),
    )
    def test_a_failing_batch_stores_nothing(
        self, entries: list[Entry], batch: list[Entry], data: st.DataObject
    ) -> None:
        """One bad item in a batch keeps the whole batch out."""
        batch = renumber(batch, start=len(entries) + 1)
        bad = data.draw(st.integers(1, len(batch) - 1), label="bad")
        spoil, error = data.draw(st.sampled_from(_SPOILERS), label="spoil")
        batch[bad] = spoil(batch[bad])
        with self.make_store() as store:
            store.append(entries)

            with pytest.raises(error):
                store.append(batch)
            assert list(store.read()) == entries
            assert len(store) == len(entries)
            assert self.read_reopened(store) == entries

    @FEW
    @given(entries=entry_lists(max_size=4), batch=entry_lists(min_size=1, max_size=3))
    def test_a_stale_batch_is_a_concurrency_error(
        self, entries: list[Entry], batch: list[Entry]
    ) -> None:
        """A batch that does not start right after the last seq is refused."""
        batch = renumber(batch, start=len(entries) + 1)
        with self.make_store() as store:
            store.append(entries)
            store.append(batch)

            with pytest.raises(ConcurrencyError):
                store.append(batch)
            assert list(store.read()) == entries + batch

    @FEW
    @given(
        entries=entry_lists(max_size=6),
        more=entry_lists(max_size=3),
        seq=st.integers(-2, 12),
    )
    def test_read_after_equals_slicing_read(
        self, entries: list[Entry], more: list[Entry], seq: int
    ) -> None:
        """The entries above a seq are the tail of `read`, before and after appends."""
        later = renumber(more, start=len(entries) + 1)
        with self.make_store() as store:
            store.append(entries)
            assert read_after(store, seq) == entries[max(seq, 0) :]
            store.append(later)

            assert read_after(store, seq) == (entries + later)[max(seq, 0) :]
            with pytest.raises(TypeError, match="whole number"):
                read_after(store, 1.0)  # type: ignore[arg-type]

    def test_an_empty_batch_changes_nothing(self) -> None:
        """Appending no entries is allowed and stores nothing."""
        with self.make_store() as store:
            store.append([])

            assert list(store.read()) == []
            assert len(store) == 0

    @FEW
    @given(
        entries=entry_lists(max_size=8),
        published_until=st.none() | st.dates(),
        seq_until=st.none() | st.integers(-2, 10) | st.integers(),
        data=st.data(),
    )
    def test_read_known_equals_filtering_read(
        self,
        entries: list[Entry],
        published_until: dt.date | None,
        seq_until: int | None,
        data: st.DataObject,
    ) -> None:
        """Filtering by knowledge date, happening and seq is the obvious filter."""
        ids = sorted({entry.event.event_id for entry in entries} | {"never-reported"})
        event_ids = data.draw(st.none() | st.frozensets(st.sampled_from(ids)))
        with self.make_store() as store:
            store.append(entries)
            expected = [
                entry
                for entry in store.read()
                if (
                    published_until is None
                    or entry.event.report.published_day <= published_until
                )
                and (event_ids is None or entry.event.event_id in event_ids)
                and (seq_until is None or entry.seq <= seq_until)
            ]

            found = read_known(
                store,
                published_until=published_until,
                event_ids=event_ids,
                seq_until=seq_until,
            )

            assert list(found) == expected

    @pytest.mark.parametrize(
        ("filters", "error"),
        [
            (
                {"published_until": dt.datetime(2017, 10, 5, tzinfo=dt.UTC)},
                InvalidDateError,
            ),
            ({"published_until": "2017-10-05"}, InvalidDateError),
            ({"event_ids": "asapov-death"}, TypeError),
            ({"event_ids": ["asapov-death", 7]}, TypeError),
            ({"seq_until": True}, TypeError),
            ({"seq_until": 2.0}, TypeError),
        ],
    )
    def test_read_known_refuses_filters_that_mean_something_else(
        self, filters: dict[str, object], error: type[Exception]
    ) -> None:
        """A datetime, a lone string or a float is refused, not misread."""
        with self.make_store() as store, pytest.raises(error, match="must be"):
            read_known(store, **filters)  # type: ignore[arg-type]

    def test_a_closed_store_refuses_every_call_but_close(self) -> None:
        """Using a closed store is a clear error; closing twice is fine."""
        store = self.make_store()
        with store:
            pass

        store.close()
        for call in (
            lambda: store.append([]),
            store.read,
            lambda: len(store),
            lambda: read_known(store),
            lambda: read_after(store, 0),
        ):
            with pytest.raises(StoreError, match="closed"):
                call()


class SealedStoreContract(StoreContract):
    """The contract of a store whose records are sealed by a hash chain."""

    def tamper(self, store: Store, seq: int) -> None:
        """Edit the stored record of entry *seq* behind the store's back."""
        raise NotImplementedError

    @FEW
    @given(entries=entry_lists(min_size=1, max_size=5), data=st.data())
    def test_the_hash_chain_catches_an_edited_record(
        self, entries: list[Entry], data: st.DataObject
    ) -> None:
        """Editing one stored record makes reading fail at that record."""
        seq = data.draw(st.integers(1, len(entries)), label="seq")
        with self.make_store() as store:
            store.append(entries)

            self.tamper(store, seq)

            with pytest.raises(CorruptLogError, match=rf"(line|seq) {seq}\b"):
                self.read_reopened(store)


class SharedStoreContract(StoreContract):
    """The contract of a store several writers can append to at once."""

    def make_store(self) -> SharedStore:
        """Return a new, empty store."""
        raise NotImplementedError

    def share(self, store: SharedStore) -> SharedStore:
        """Return another store over what *store* stores, as another writer has.

        A store without storage of its own is shared as itself.
        """
        return store

    @FEW
    @given(
        entries=entry_lists(max_size=6),
        batch=entry_lists(max_size=3),
        data=st.data(),
    )
    def test_build_gets_what_others_appended(
        self, entries: list[Entry], batch: list[Entry], data: st.DataObject
    ) -> None:
        """*build* gets the entries above its seq; its batch goes after them."""
        seen = data.draw(st.integers(0, len(entries)), label="seen")
        batch = renumber(batch, start=len(entries) + 1)
        handed: list[Entry] = []

        def build(others: Sequence[Entry]) -> list[Entry]:
            handed.extend(others)
            return batch

        with self.make_store() as store, self.share(store) as other:
            other.append(entries)

            appended = store.append_after(seen, build)

            assert handed == entries[seen:]
            assert appended == batch
            assert self.read_reopened(store) == entries + batch

    @FEW
    @given(entries=entry_lists(min_size=1, max_size=4), batch=entry_lists(min_size=1))
    def test_a_batch_that_ignores_the_others_is_refused(
        self, entries: list[Entry], batch: list[Entry]
    ) -> None:
        """A batch numbered as if nobody else had appended is a ConcurrencyError."""
        with self.make_store() as store, self.share(store) as other:
            other.append(entries)

            with pytest.raises(ConcurrencyError):
                store.append_after(0, lambda _: batch)
            assert self.read_reopened(store) == entries

    @FEW
    @given(entries=entry_lists(max_size=4))
    def test_a_failing_build_stores_nothing(self, entries: list[Entry]) -> None:
        """What *build* raises reaches the caller, and nothing is written."""

        def build(others: Sequence[Entry]) -> list[Entry]:
            msg = f"refused after {len(others)} entries"
            raise ValueError(msg)

        with self.make_store() as store:
            store.append(entries)

            with pytest.raises(ValueError, match=f"after {len(entries)} entries"):
                store.append_after(0, build)
            assert self.read_reopened(store) == entries

    def test_an_empty_batch_from_build_writes_nothing(self) -> None:
        """A build that returns no entries appends none."""
        with self.make_store() as store:
            assert store.append_after(0, lambda _: []) == []
            assert len(store) == 0

    def test_a_closed_store_refuses_append_after(self) -> None:
        """Appending to a closed shared store is a clear error."""
        store = self.make_store()
        store.close()

        with pytest.raises(StoreError, match="closed"):
            store.append_after(0, lambda _: [])


def _wrong_seq(entry: Entry) -> Entry:
    return Entry(entry.seq + 1, entry.recorded_at, entry.event)


def _naive(entry: Entry) -> Entry:
    return Entry(entry.seq, entry.recorded_at.replace(tzinfo=None), entry.event)


def _not_an_event(entry: Entry) -> Entry:
    return Entry(entry.seq, entry.recorded_at, "Asapov died")  # type: ignore[arg-type]


_SPOILERS: list[tuple[Callable[[Entry], Entry], type[Exception]]] = [
    (_wrong_seq, InvalidEntryError),
    (_naive, InvalidDateError),
    (_not_an_event, InvalidEntryError),
]
