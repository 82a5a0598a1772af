"""The tables that count a PostgreSQL log's happenings are derived data.

Kept in each append's transaction, built by the owner's writable open of a
log they do not cover, verified by ``check`` and made again by
``--rebuild``, and never trusted when they do not cover the whole log:
every count equals the loaded log's, as for SQLite (tests/stores/test_firsts.py).
"""

import datetime as dt
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ..pg import import_psycopg
from .contract import SERVER_EXAMPLES

psycopg = import_psycopg()  # skips without it, and fails on CI

from timeline import EventLog
from timeline.cli import main
from timeline.log import Entry
from timeline.model.events import Amendment, Event
from timeline.stores import ProblemKind, as_of, check, count
from timeline.stores import _pg_counts as counts
from timeline.stores._pg_schema import TABLE
from timeline.stores.postgresql import PostgreSQLStore
from timeline.strategies import logs

from ..helpers import FakeClock, report
from .test_firsts import (
    IRREGULAR,
    _merged_and_voided,
    _published_days,
    append_in_batches,
    irregular,
)
from .test_postgresql_native import Native, _database  # noqa: F401  # its fixture
from .test_queries import claim


class Counting(Native):
    """Tests against the class's own database, a schema per log."""

    def batched(self, entries: list[Entry], cuts: Iterable[int] = ()) -> str:
        """Return the URL of a new log holding *entries*, batches ending at *cuts*."""
        url = self.fresh()
        with PostgreSQLStore(url) as store:
            append_in_batches(store, entries, cuts)
        return url

    def in_log(self, url: str, statement: str) -> None:
        """Run *statement* in the log's schema, as the superuser."""
        schema = url.rpartition("%3D")[2]
        self.execute(f"SET search_path TO {schema}; {statement}")

    def granted(self, url: str, privileges: str) -> str:
        """Return the URL of a new role granted *privileges* on the log's table."""
        return self.role(url, f"GRANT {privileges} ON {{schema}}.{TABLE} TO {{role}}")

    def problems(self, url: str) -> list[str]:
        """Return what `_pg_counts.problems` finds, as the owner."""
        with PostgreSQLStore(url, read_only=True) as store, store._reading() as c:
            return counts.problems(c, "x")


def _d() -> Event:
    # A claim about d, reported on the 25th.
    return claim(0, "d", "2017-09-25").event


def _counted(url: str, day: dt.date) -> int | None:
    with PostgreSQLStore(url, read_only=True) as store:
        return store.count_happenings(published_until=day, seq_until=len(store))


class TestCounts(Counting):
    """Every count read from the tables equals the loaded log's."""

    @SERVER_EXAMPLES
    @given(log=logs(max_size=30), cuts=st.lists(st.integers(0, 30), max_size=4))
    def test_every_day_counts_as_the_loaded_log_through_voids_and_merges(
        self, log, cuts
    ):
        """Amendments of amendments, merges, splits, revocations, in random batches.

        The tables kept batch by batch equal the tables built whole, and
        the count read from them equals the loaded log's on every day.
        """
        url = self.batched(list(log), cuts)
        assert self.problems(url) == []
        with PostgreSQLStore(url, read_only=True) as store:
            last = len(store)
            for known in _published_days(log):
                counted = store.count_happenings(published_until=known, seq_until=last)
                assert counted == len(log.as_of(known))
                assert count(store, known) == counted

    def test_voids_and_merges_count_in_an_example(self):
        """Merged, voided and revoked, an entry a batch: the counts, day by day."""
        url = self.batched(_merged_and_voided(), range(1, 7))
        assert self.problems(url) == []
        days = [dt.date(2017, 9, day) for day in (22, 23, 24, 25)]
        assert [_counted(url, day) for day in days] == [0, 1, 2, 1]
        with PostgreSQLStore(url, read_only=True) as store:
            assert store.voided_among([1, 3, 5], seq_until=len(store)) == {3}
            assert store.voided_among([3], seq_until=1) is None
            assert store.count_happenings(published_until=days[-1], seq_until=1) is None

    def test_a_chain_of_amendments_voids_and_restores_down_the_chain(self):
        """Each amendment in a batch of its own: voided, restored, voided again."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [claim(0, "a", "2017-09-23").event, claim(0, "b", "2017-09-24").event]
        )
        tass = report("TASS", dt.date(2017, 9, 25))
        for voids in (1, 3, 4):  # a's claim, then each amendment before
            log.append(Amendment(event_id="a", voids=voids, reason="typo", report=tass))
        entries = list(log)
        url = self.batched(entries, list(range(1, len(entries))))
        assert self.problems(url) == []
        with PostgreSQLStore(url, read_only=True) as store:
            assert store.voided_among(range(1, 6), seq_until=5) == {1, 4}
        for known in _published_days(log):
            assert _counted(url, known) == len(log.as_of(known))

    @pytest.mark.parametrize("voids", IRREGULAR)
    def test_amendments_the_rules_refuse_count_as_the_fold_does(self, voids):
        """Given straight to the store, batch by batch, the tables follow the fold."""
        entries = irregular(voids)
        url = self.batched(entries, list(range(1, 7)))
        assert self.problems(url) == []
        days = sorted({entry.event.report.published_day for entry in entries})
        with PostgreSQLStore(url, read_only=True) as store:
            for day in days:
                counted = store.count_happenings(published_until=day, seq_until=7)
                assert counted == len(as_of(store, day))


_DAMAGE = [
    ("DELETE FROM timeline_firsts WHERE event_id = 'a'", "for happening 'a'"),
    ("UPDATE timeline_firsts SET day = day + 1", "for happening 'a'"),
    ("UPDATE timeline_first_days SET ids = ids + 1", "first reported on day 20170923"),
    ("DELETE FROM timeline_judgements WHERE seq = 5", "seq 5: the table of merges"),
    ("UPDATE timeline_judgements SET target = 'z' WHERE seq = 4", "seq 4: the table"),
    ("INSERT INTO timeline_voided VALUES (1)", "seq 1: the table of voided"),
    ("DELETE FROM timeline_voided", "seq 3: the table of voided"),
    (
        "UPDATE timeline_corrections SET delta = delta + 1",
        "merged happenings is wrong on day 20170925",
    ),
    (
        "UPDATE timeline_correction_days SET delta = delta - 1",
        "merged happenings is wrong on day 20170925",
    ),
]


class TestCheck(Counting):
    """check finds each table wrong, --rebuild makes it right; stale is not used."""

    @pytest.mark.parametrize(("damage", "said"), _DAMAGE)
    def test_check_names_what_is_wrong_and_rebuild_mends_it(self, damage, said):
        """An INDEX problem naming the id, day or seq; then clean, counting right."""
        url = self.batched(_merged_and_voided())
        assert check(url).ok
        self.in_log(url, damage)
        assert main(["check", url]) == 1
        problems = check(url).problems
        assert any(said in str(problem) for problem in problems), problems
        assert {problem.kind for problem in problems} == {ProblemKind.INDEX}
        assert main(["check", "--rebuild", url]) == 0
        assert check(url).ok
        assert _counted(url, dt.date(2017, 9, 25)) == 1

    def test_a_stale_marker_is_not_trusted_and_the_owner_builds_again(self):
        """Tables behind the log are not used; the owner's writable open builds them."""
        url = self.batched(_merged_and_voided())
        day = dt.date(2017, 9, 25)
        with PostgreSQLStore(url) as store:
            self.in_log(url, "UPDATE timeline_derived SET last_seq = last_seq - 1")
            store.append([Entry(8, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), _d())])
            assert store.count_happenings(published_until=day, seq_until=8) is None
        assert _counted(url, day) is None
        assert check(url).ok  # tables not used are no problem
        with EventLog.open(url, mode="r") as log:
            assert log.count(day) == 2  # counted from the entries
        with PostgreSQLStore(url) as store:  # the owner's writable open
            assert store.count_happenings(published_until=day, seq_until=8) == 2
        self.in_log(url, "DELETE FROM timeline_derived")
        assert _counted(url, day) is None
        with PostgreSQLStore(url, read_only=True) as store, store._reading() as c:
            assert counts.covered(c, ["x"]) is None
            assert counts.problems(c, "x") == []

    def test_an_older_log_is_given_the_tables_by_its_owner(self):
        """A log made before the tables: counted from its entries until written to."""
        url = self.batched(_merged_and_voided())
        self.in_log(
            url,
            "DROP TABLE timeline_derived, timeline_firsts, timeline_first_days, "
            "timeline_judgements, timeline_voided, timeline_corrections, "
            "timeline_correction_days",
        )
        day = dt.date(2017, 9, 25)
        assert _counted(url, day) is None
        with EventLog.open(url, mode="r") as log:
            assert log.count(day) == 1
        with EventLog.open(url, clock=FakeClock()) as log:
            assert _counted(url, day) == 1
            log.append(claim(0, "d", "2017-09-25").event)
        assert _counted(url, day) == 2
        assert check(url).ok


class TestRoles(Counting):
    """A reader counts from the tables; a writer keeps them; others are not trusted."""

    def test_roles_granted_before_the_tables_were_made(self):
        """The owner grants on the tables what the log's table grants."""
        url = self.batched(_merged_and_voided())
        reader = self.granted(url, "SELECT")
        writer = self.granted(url, "SELECT, INSERT")
        self.in_log(url, "DELETE FROM timeline_derived")
        with PostgreSQLStore(url):
            pass  # the owner builds them again, granting as the table grants
        day = dt.date(2017, 9, 25)
        assert _counted(reader, day) == 1
        with EventLog.open(writer, clock=FakeClock()) as log:
            log.append(claim(0, "d", "2017-09-25").event)
        assert _counted(reader, day) == 2
        with PostgreSQLStore(reader, read_only=True) as store:
            assert store.voided_among([3], seq_until=8) == {3}
        assert check(reader).ok

    def test_roles_granted_after_the_tables_were_made(self):
        """Not granted the tables: a reader counts from the entries.

        A writer leaves them behind the log, unused until the owner opens it.
        """
        url = self.batched(_merged_and_voided())
        reader = self.granted(url, "SELECT")
        writer = self.granted(url, "SELECT, INSERT")
        day = dt.date(2017, 9, 25)
        assert _counted(reader, day) is None
        with PostgreSQLStore(reader, read_only=True) as store:
            assert store.voided_among([3], seq_until=7) is None
        with EventLog.open(reader, mode="r") as log:
            assert log.count(day) == 1
        assert check(reader).ok
        # Granted the mark of what the tables cover, but not the tables.
        schema = url.rpartition("%3D")[2]
        name = reader.partition("user=")[2].partition("&")[0]
        self.execute(f"GRANT SELECT ON {schema}.timeline_derived TO {name}")
        assert _counted(reader, day) is None
        assert check(reader).ok
        with EventLog.open(writer, clock=FakeClock()) as log:
            log.append(claim(0, "d", "2017-09-25").event)
            assert log.count(day) == 2
        assert _counted(url, day) is None  # behind the log: not used
        with EventLog.open(url, mode="r") as log:
            assert log.count(day) == 2
        with PostgreSQLStore(url):
            pass
        assert _counted(url, day) == 2
