import datetime as dt
import hashlib
import itertools
import json
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given

from ..pg import import_psycopg

psycopg = import_psycopg()  # skips without it, and fails on CI

from timeline import EventLog
from timeline.cli import main
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidEntryError,
    ReadOnlyLogError,
    StoreError,
)
from timeline.model.events import Death, SameAs
from timeline.stores import (
    JsonlStore,
    ProblemKind,
    SQLiteStore,
    check,
    open_store,
    repair,
)
from timeline.stores._pg_schema import TEXT_TABLE
from timeline.stores._sqlite_rows import SELECT
from timeline.stores.postgresql import _MERGES, TABLE, PostgreSQLStore
from timeline.strategies import logs

from ..helpers import report
from ..pg import Cluster
from ..writer_process import DONE, WriterServer, claim, writer
from .contract import SERVER_EXAMPLES, SealedStoreContract, SharedStoreContract
from .entries import MT, ReversedCodec, death, rekeying_codec
from .test_queries import _assert_answers_equal, days, pins
from .test_stateful import FileLogsMatchTheMemoryLog

_SCHEMAS = itertools.count()


@pytest.fixture(scope="class", autouse=True)
def _database(request: pytest.FixtureRequest, postgresql_cluster: Cluster) -> None:
    """Give each test class a database of its own, and the cluster."""
    request.cls.cluster = postgresql_cluster
    request.cls.url = postgresql_cluster.database()
    # The state machine is not the test class Hypothesis makes of it.
    PostgreSQLLogsMatchTheMemoryLog.cluster = postgresql_cluster
    PostgreSQLLogsMatchTheMemoryLog.url = request.cls.url


def in_schema(url: str, schema: str) -> str:
    """Return *url* with *schema* first on its search_path."""
    return f"{url}&options=-csearch_path%3D{schema}"


class PostgreSQLTest:
    """Tests against the class's own database."""

    cluster: ClassVar[Cluster]
    url: ClassVar[str]

    def execute(
        self, statement: str, *parameters: object, url: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Run *statement* as the superuser behind any store's back."""
        return self.cluster.execute(statement, *parameters, url=url or self.url)

    def fresh(self) -> str:
        """Return the URL of a new, empty schema in the class's database."""
        schema = f"log_{next(_SCHEMAS)}"
        self.execute(f"CREATE SCHEMA {schema}")
        return in_schema(self.url, schema)


class TestPostgreSQLStore(PostgreSQLTest, SealedStoreContract, SharedStoreContract):
    """Run the store contract against `PostgreSQLStore`, a schema per store."""

    def make_store(self):
        """Return a store in a new schema."""
        return PostgreSQLStore(self.fresh())

    def reopen(self, store):
        """Close the store and connect again."""
        store.close()
        return PostgreSQLStore(store._conninfo)

    def share(self, store):
        """Connect a second time, as another writer would."""
        return PostgreSQLStore(store._conninfo)

    def tamper(self, store, seq):
        """Change the happening id inside row *seq*'s body, past the trigger."""
        url = store._conninfo
        schema = url.rpartition("%3D")[2]
        self.execute(
            "SET session_replication_role = replica; "  # noqa: S608
            f"UPDATE {schema}.{TABLE} SET body = "
            'regexp_replace(body, \'"event_id":"[^"]*"\', \'"event_id":"edited"\') '
            f"WHERE seq = {int(seq)}",
        )


class TestFormat(PostgreSQLTest):
    """The table as other tools see it."""

    def test_rows_hold_what_a_sqlite_row_holds(self, tmp_path):
        """Same columns, same values, same hashes as SQLite and JSON Lines."""
        entries = [death(1), death(2, MT), death(3)]
        url = self.fresh()
        with (
            PostgreSQLStore(url) as store,
            SQLiteStore(tmp_path / "same.sqlite") as sqlite,
            JsonlStore(tmp_path / "same.jsonl") as jsonl,
        ):
            for entry in entries:
                store.append([entry])
                sqlite.append([entry])
                jsonl.append([entry])
        schema = url.rpartition("%3D")[2]
        rows = self.execute(
            f"SELECT {SELECT} FROM {schema}.{TABLE} ORDER BY seq"  # noqa: S608
        )
        import sqlite3  # noqa: PLC0415

        with sqlite3.connect(tmp_path / "same.sqlite") as connection:
            expected = connection.execute(
                "SELECT * FROM entries ORDER BY seq"
            ).fetchall()
        assert rows == expected
        lines = jsonl.path.read_text(encoding="utf-8").splitlines()
        assert [row[-1].hex() for row in rows] == [
            json.loads(line)["hash"] for line in lines
        ]
        assert (
            rows[0][-1]
            == hashlib.sha256(
                (
                    '{"payload":'
                    + rows[0][6]
                    + ',"recorded_at":"2026-11-21T09:00:00+00:00",'
                    '"schema_version":1,"seq":1,"type":"death"}'
                ).encode()
            ).digest()
        )

    def test_knowledge_queries_use_the_indexes(self):
        """Filtering by knowledge day, happening or seq is served by an index."""
        url = self.fresh()
        PostgreSQLStore(url).close()
        schema = url.rpartition("%3D")[2]
        for condition in ("published_day <= 1", "event_id = 'x'", "seq > 5"):
            plan = self.execute(
                "SET enable_seqscan = off; EXPLAIN SELECT * FROM "  # noqa: S608
                f"{schema}.{TABLE} WHERE {condition}"
            )
            assert "Index" in str(plan), plan

    def test_rows_are_never_updated_or_deleted(self):
        """The trigger refuses UPDATE, DELETE and TRUNCATE, even to the owner."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        with PostgreSQLStore(url) as store:
            store.append([death(1)])
        for statement in (
            f"UPDATE {schema}.{TABLE} SET event_id = 'x'",  # noqa: S608
            f"DELETE FROM {schema}.{TABLE}",  # noqa: S608
            f"TRUNCATE {schema}.{TABLE}",
        ):
            with pytest.raises(psycopg.Error, match="append-only"):
                self.execute(statement)
        with PostgreSQLStore(url) as store:
            assert list(store.read()) == [death(1)]

    def test_several_logs_live_in_one_database_by_schema(self):
        """Each schema on the search_path holds a log of its own."""
        first, second = self.fresh(), self.fresh()
        with PostgreSQLStore(first) as one, PostgreSQLStore(second) as two:
            one.append([death(1)])
            two.append([death(1, MT), death(2)])

            assert len(one) == 1
            assert len(two) == 2


class TestOpening(PostgreSQLTest):
    """Opening by URL, and what it refuses."""

    def test_eventlog_opens_a_url(self):
        """EventLog.open takes a postgresql:// URL, and appends survive."""
        url = self.fresh()
        with EventLog.open(url) as log:
            log.append(death(1).event)
            written = list(log)
        with EventLog.open(url, mode="r") as log:
            assert list(log) == written
            assert isinstance(log.store, PostgreSQLStore)

    def test_open_store_takes_either_scheme(self):
        """postgres:// is libpq's other spelling of postgresql://."""
        url = self.fresh().replace("postgresql://", "postgres://", 1)
        with open_store(url) as store:
            assert isinstance(store, PostgreSQLStore)

    def test_a_missing_log_read_only_is_refused(self):
        """Reading only never creates the table; its absence is named."""
        url = self.fresh()
        with pytest.raises(StoreError, match="no timeline log there"):
            EventLog.open(url, mode="r")
        with pytest.raises(StoreError, match="no timeline log there"):
            PostgreSQLStore(url, create=False)
        assert self.execute("SELECT to_regclass(%s)", f"{TABLE}", url=url) == [(None,)]

    def test_appending_to_a_read_only_store_is_refused(self):
        """mode='r' reads, and says why it will not append."""
        url = self.fresh()
        PostgreSQLStore(url).close()
        with (
            EventLog.open(url, mode="r") as log,
            pytest.raises(ReadOnlyLogError, match="read-only"),
        ):
            log.append(death(1).event)

    def test_a_table_of_another_kind_is_not_read(self):
        """A table called timeline_entries that is not a log is refused, unchanged."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        self.execute(f"CREATE TABLE {schema}.{TABLE} (seq int)")
        with pytest.raises(CorruptLogError, match="not a timeline log"):
            PostgreSQLStore(url)

    def test_a_url_that_is_not_postgresql_is_refused(self):
        """The store takes only database URLs."""
        with pytest.raises(StoreError, match="not a postgresql:// URL"):
            PostgreSQLStore("log.sqlite")

    def test_errors_never_show_the_password(self):
        """A server that cannot be reached is named by its URL, password left out."""
        url = "postgresql://ana:s3cr%40t@/news?host=/nonexistent&password=hunter2"
        with pytest.raises(StoreError, match="cannot connect") as raised:
            EventLog.open(url)
        message = str(raised.value)
        assert "postgresql://ana@/news?host=/nonexistent:" in message
        assert "s3cr" not in message
        assert "hunter2" not in message

    def test_the_repr_never_shows_the_password(self):
        """The repr and url show the URL without its password."""
        url = self.fresh().replace("postgresql:///", "postgresql://postgres:pw@/")
        with PostgreSQLStore(url) as store:
            assert ":pw@" not in repr(store)
            assert "pw" not in store.url.partition("?")[0].partition("@")[0]


class TestWriting(PostgreSQLTest):
    """Appends, as the server sees them."""

    def test_a_nul_in_an_indexed_column_is_refused_whole(self):
        """PostgreSQL text cannot hold NUL: the batch is refused, nothing stored."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        with PostgreSQLStore(url) as store:
            with pytest.raises(InvalidEntryError, match="NUL"):
                store.append([death(1), death(2, event_id="a\x00b")])
            assert len(store) == 0
            # Its texts, sent to the index before the rows were encoded, too.
            texts = f"SELECT count(*) FROM {schema}.{TEXT_TABLE}"  # noqa: S608
            assert self.execute(texts) == [(0,)]
            store.append([death(1)])
        assert self.execute(texts) == [(1,)]
        assert check(url).ok

    def test_a_merge_whose_text_holds_an_escaped_nul_is_stored(self):
        """The index of merges reads bodies as json, which keeps an escaped NUL."""
        tass = report("TA\x00SS", dt.date(2017, 9, 25))
        merge = SameAs(event_id="asapov-death", other_event_id="other", report=tass)
        entries = [
            death(1),
            death(2, event_id="other"),
            type(death(1))(3, death(1).recorded_at, merge),
        ]
        with PostgreSQLStore(self.fresh()) as store:
            store.append(entries)
            assert list(store.read()) == entries
            assert store.merges_naming({"other"}, seq_until=3) == entries[2:]
            bad = SameAs(event_id="asapov-death", other_event_id="o\x00", report=tass)
            with pytest.raises(InvalidEntryError, match="other_event_id holds the NUL"):
                store.append([type(death(1))(4, death(1).recorded_at, bad)])

    def test_a_writer_that_skips_the_lock_meets_the_primary_key(self):
        """A row inserted behind the store's back makes its append stale."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        with PostgreSQLStore(url) as store, PostgreSQLStore(url) as other:
            other.append([death(1)])
            with pytest.raises(ConcurrencyError):
                store.append([death(1, MT)])
            assert self.execute(f"SELECT count(*) FROM {schema}.{TABLE}") == [(1,)]  # noqa: S608

    def test_a_closed_store_refuses_wait_and_read_after(self):
        """Every call but close needs an open store."""
        store = PostgreSQLStore(self.fresh())
        store.close()
        for call in (lambda: store.wait(0, 0), lambda: store.read_after(0)):
            with pytest.raises(StoreError, match="closed"):
                call()

    def test_recorded_at_is_kept_as_written(self):
        """An offset other than UTC survives the round trip."""
        moment = dt.datetime(
            2026, 1, 2, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=3))
        )
        entry = death(1)
        entry = type(entry)(1, moment, entry.event)
        with PostgreSQLStore(self.fresh()) as store:
            store.append([entry])
            assert list(store.read()) == [entry]
            assert store.read_after(0) == [entry]
            assert store.read_after(1) == []
            assert store.read_after(7) == []


class TestCommandLine(PostgreSQLTest):
    """--log, export and check take a postgresql:// URL."""

    def test_export_then_ask_then_check(self, capsys):
        """The corpus exported into PostgreSQL answers as it does in memory."""
        url = self.fresh()

        assert main(["export", url]) == 0
        assert main(["known", "--on", "2017-10-05", "--json"]) == 0
        expected = capsys.readouterr().out.partition("\n")[2]
        assert main(["known", "--on", "2017-10-05", "--json", "--log", url]) == 0
        assert capsys.readouterr().out == expected
        assert main(["check", url]) == 0
        assert capsys.readouterr().out.startswith(f"ok: {url}: ")

        report = check(url)
        assert report.ok
        assert report.path == url
        assert repair(url).after == report
        assert "nothing to repair" in str(repair(url))

    def test_export_never_appends_to_a_log(self, capsys):
        """A log that holds entries is not extended by export."""
        url = self.fresh()
        with PostgreSQLStore(url) as store:
            store.append([death(1)])

        assert main(["export", url]) == 1
        assert "holds 1 entry" in capsys.readouterr().err
        with PostgreSQLStore(url) as store:
            assert len(store) == 1

    def test_check_names_the_edited_seq(self, capsys):
        """An edited row fails check at its seq; repair leaves it alone."""
        url = self.fresh()
        with PostgreSQLStore(url) as store:
            store.append([death(1), death(2, MT), death(3)])
        schema = url.rpartition("%3D")[2]
        self.execute(
            "SET session_replication_role = replica; "  # noqa: S608
            f"UPDATE {schema}.{TABLE} SET body = replace(body, 'Asapov', 'Asap0v') "
            "WHERE seq = 2"
        )

        assert main(["check", url, "--json"]) == 1
        document = json.loads(capsys.readouterr().out)
        assert document["ok"] is False
        assert "seq 2" in document["error"]
        report = repair(url)
        assert report.before.first_bad_seq == 2
        assert "PostgreSQL rolls back" in str(report)

    def test_check_of_a_table_that_is_not_a_log(self):
        """A foreign table is reported as garbled, not read."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        self.execute(f"CREATE TABLE {schema}.{TABLE} (seq int)")

        report = check(url)
        assert [p.kind for p in report.problems] == [ProblemKind.GARBLED]

    def test_the_password_never_reaches_the_output(self, capsys):
        """Messages name the log by its URL without the password."""
        url = self.fresh().replace("postgresql:///", "postgresql://postgres:pw@/")
        assert main(["export", url]) == 0
        assert main(["check", url, "--json"]) == 0
        assert main(["history", "nobody", "--log", url]) == 1
        assert main(["check", url + "&password=hunter2"]) == 0
        out, err = capsys.readouterr()
        assert ":pw@" not in out + err
        assert "hunter2" not in out + err
        assert "postgresql://postgres@/" in out
        assert "postgresql://postgres@/" in err


# A writer that stops inside its append transaction, its rows sent but not
# committed, holding the log's write lock, says so, and waits to be killed.
_STALLED_WRITER = """
import sys, time
import psycopg
from timeline import EventLog
from tests.writer_process import claim

real = psycopg.Connection.execute

def execute(self, query, params=None, **kwargs):
    if isinstance(query, str) and "pg_notify" in query:
        print("inside", flush=True)
        time.sleep(600)
    return real(self, query, params, **kwargs)

psycopg.Connection.execute = execute
with EventLog.open(sys.argv[1]) as log:
    log.extend([claim("killed", 0, index) for index in range(3)])
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WriterServer]:
    """Start one server that forks every writer of this module."""
    started = WriterServer(tmp_path_factory.mktemp("server") / "stderr.txt")
    yield started
    started.close()


class TestConcurrency(PostgreSQLTest):
    """Writers in several processes, one killed mid-transaction, and a reader."""

    def test_writers_lose_and_mix_nothing_when_one_is_killed(self, tmp_path, server):
        """Every committed claim is there once, in whole batches, seq gapless."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        EventLog.open(url).close()
        stalled = subprocess.Popen(  # noqa: S603  # our own script
            [sys.executable, "-c", _STALLED_WRITER, url],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[2],
        )
        assert stalled.stdout is not None
        assert stalled.stdout.readline() == "inside\n"
        snapshots: list[list[int]] = []
        done = threading.Event()

        def read() -> None:
            # Each snapshot a reader takes is a gapless prefix of the log.
            with psycopg.connect(url, autocommit=True) as connection:
                while not done.is_set():
                    rows = connection.execute(
                        f"SELECT seq FROM {schema}.{TABLE} ORDER BY seq"  # noqa: S608
                    ).fetchall()
                    snapshots.append([seq for (seq,) in rows])

        reader = threading.Thread(target=read)
        reader.start()
        rng = random.Random(4)
        plans = {f"w{n}": [rng.randint(1, 4) for _ in range(10)] for n in range(4)}
        acks = tmp_path / "acks.txt"
        server.start(
            *(writer(url, acks, label, sizes) for label, sizes in plans.items())  # type: ignore[arg-type]
        )
        stalled.send_signal(signal.SIGKILL)
        stalled.wait()
        stalled.stdout.close()
        try:
            assert server.reap() == [DONE] * len(plans), server.errors()
        finally:
            done.set()
            reader.join()

        assert check(url).ok
        with PostgreSQLStore(url) as store:
            entries = list(store.read())
        assert [entry.seq for entry in entries] == list(range(1, len(entries) + 1))
        assert not [e for e in entries if e.event.event_id.startswith("killed")]
        for label, sizes in plans.items():
            mine = [e for e in entries if e.event.event_id.startswith(f"{label}/")]
            assert [e.event for e in mine] == [
                claim(label, number, index)
                for number, size in enumerate(sizes)
                for index in range(size)
            ]
            for number, size in enumerate(sizes):
                seqs = [
                    e.seq for e in mine if e.event.event_id.split("/")[1] == str(number)
                ]
                assert seqs == list(range(seqs[0], seqs[0] + size))
        acknowledged = acks.read_text(encoding="utf-8").splitlines()
        assert sorted(acknowledged) == sorted(
            f"{e.seq} {e.event.event_id}" for e in entries
        )
        assert snapshots
        for seqs in snapshots:
            assert seqs == list(range(1, len(seqs) + 1))


_ROLES = itertools.count()
HOSTILE = [
    "'; DROP TABLE timeline_entries; --",
    "quote \" and ' and \\ backslash",
    "semi;colon$$dollar$$ %s %(name)s {}",
    "Ünïcode ☃ \U0001d518 \u202e right-to-left",
    "line\nbreak\ttab\r",
]


class TestAccess(PostgreSQLTest):
    """A read-only role and an append-only writer role, as the how-to sets them up."""

    def roles(self, url: str) -> tuple[str, str]:
        """Create a reader and a writer role for the log at *url*; return their URLs."""
        schema = url.rpartition("%3D")[2]
        number = next(_ROLES)
        reader, writer = f"timeline_reader_{number}", f"timeline_writer_{number}"
        self.execute(
            f"CREATE ROLE {reader} LOGIN; CREATE ROLE {writer} LOGIN; "
            f"GRANT USAGE ON SCHEMA {schema} TO {reader}, {writer}; "
            f"GRANT SELECT ON {schema}.{TABLE} TO {reader}; "
            f"GRANT SELECT, INSERT ON {schema}.{TABLE} TO {writer}"
        )
        return (
            url.replace("user=postgres", f"user={reader}"),
            url.replace("user=postgres", f"user={writer}"),
        )

    def test_a_reader_asks_but_cannot_append(self):
        """The read-only role reads and follows; its append is refused by name."""
        url = self.fresh()
        with EventLog.open(url) as owner:
            owner.append(death(1).event)
        as_reader, _ = self.roles(url)

        with EventLog.open(as_reader) as log:
            assert len(log) == 1
            assert log.happening("asapov-death", as_of=dt.date(2017, 10, 5))
            with pytest.raises(ReadOnlyLogError, match="may not append"):
                log.append(death(2, MT).event)
            assert len(log) == 1
        with EventLog.open(url) as owner:
            assert len(owner) == 1

    def test_a_reader_cannot_create_a_log(self):
        """Where no log exists, a role without CREATE is told to ask the owner."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        role = f"timeline_nobody_{next(_ROLES)}"
        self.execute(
            f"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {role}"
        )

        with pytest.raises(ReadOnlyLogError, match="may not create one"):
            EventLog.open(url.replace("user=postgres", f"user={role}"))

    def test_a_writer_appends_but_never_updates_or_deletes(self):
        """Grants refuse UPDATE and DELETE; granted anyway, the trigger refuses."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        PostgreSQLStore(url).close()
        _, as_writer = self.roles(url)
        writer_role = as_writer.rpartition("user=")[2].partition("&")[0]

        with EventLog.open(as_writer) as log:
            log.extend([death(1).event, death(2, MT).event])
        for statement in (
            f"UPDATE {schema}.{TABLE} SET event_id = 'x'",  # noqa: S608
            f"DELETE FROM {schema}.{TABLE}",  # noqa: S608
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="denied"):
                self.execute(statement, url=as_writer)
        self.execute(f"GRANT UPDATE, DELETE ON {schema}.{TABLE} TO {writer_role}")
        for statement in (
            f"UPDATE {schema}.{TABLE} SET event_id = 'x'",  # noqa: S608
            f"DELETE FROM {schema}.{TABLE}",  # noqa: S608
        ):
            with pytest.raises(
                psycopg.errors.InsufficientPrivilege, match="append-only"
            ):
                self.execute(statement, url=as_writer)
        assert check(url).ok
        assert check(url).entries == 2


class TestHostileInput(PostgreSQLTest):
    """Ids and text that would break SQL spliced by hand go through as data."""

    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_ids_and_text_round_trip(self, text, capsys):
        """Append, read, query by id, follow and the CLI all take them as data."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        event = Death(
            event_id=text,
            report=report(text, dt.date(2017, 9, 24)),
            person=text + "\x00nul",
        )
        with EventLog.open(url) as log, EventLog.open(url, mode="r") as reader:
            (entry,) = log.extend([event])
            assert reader.refresh() == (entry,)
            store = log.store
            assert isinstance(store, PostgreSQLStore)
            assert list(store.read()) == [entry]
            assert list(store.read_known(event_ids=[text, "x'--"])) == [entry]
            assert list(store.read_known(event_ids=["x'--"])) == []
            assert store.read_after(0) == [entry]
            assert log.happening(text, as_of=dt.date(2017, 10, 5)) is not None
        assert main(["history", text, "--log", url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)
        assert self.execute(f"SELECT event_id FROM {schema}.{TABLE}") == [(text,)]  # noqa: S608
        assert check(url).ok


class PostgreSQLLogsMatchTheMemoryLog(FileLogsMatchTheMemoryLog):
    """The stateful test of the file stores, with a PostgreSQL log beside them."""

    cluster: ClassVar[Cluster]
    url: ClassVar[str]

    def locations(self, directory: Path) -> dict[str, str | Path]:
        """Return the file logs' paths and a new schema's URL."""
        schema = f"log_{next(_SCHEMAS)}"
        self.cluster.execute(f"CREATE SCHEMA {schema}", url=self.url)
        return {
            **super().locations(directory),
            "postgresql": in_schema(self.url, schema),
        }


PostgreSQLLogsMatchTheMemoryLog.TestCase.settings = (
    FileLogsMatchTheMemoryLog.TestCase.settings
)
TestPostgreSQLLogsMatchTheMemoryLog = PostgreSQLLogsMatchTheMemoryLog.TestCase


class TestQueries(PostgreSQLTest):
    """Answers read from PostgreSQL through its indexes equal the loaded log's."""

    @SERVER_EXAMPLES
    @given(log=logs(), known=days, pin=pins)
    def test_answers_equal_the_loaded_log(self, log, known, pin):
        """as_of, happening and history, merges and types by index."""
        _assert_answers_equal(PostgreSQLStore(self.fresh()), log, known, pin)

    def test_merges_are_found_by_either_id_through_the_index(self):
        """The other id a merge names is indexed, and asked by the index's terms."""
        url = self.fresh()
        PostgreSQLStore(url).close()
        schema = url.rpartition("%3D")[2]
        plan = self.execute(
            "SET enable_seqscan = off; EXPLAIN SELECT seq FROM "  # noqa: S608
            f"{schema}.{TABLE} WHERE {_MERGES} AND other_event_id = ANY('{{a}}')"
        )
        assert f"{TABLE}_merged_with" in str(plan)


class TestFailures(PostgreSQLTest):
    """What the server says goes to the caller as a timeline error, named."""

    def test_a_schema_that_does_not_exist_is_named(self):
        """Creating the log where the search_path leads nowhere fails clearly."""
        with pytest.raises(StoreError, match="PostgreSQL failed: no schema"):
            PostgreSQLStore(in_schema(self.url, "no_such_schema"))

    def test_a_codec_of_its_own_is_checked_the_slow_way(self):
        """Envelopes the codec does not vouch for are decoded before writing."""
        url = self.fresh()
        with PostgreSQLStore(url, codec=ReversedCodec()) as store:
            store.append([death(1)])
            assert list(store.read()) == [death(1)]
        with (
            PostgreSQLStore(url, codec=rekeying_codec()) as store,
            pytest.raises(InvalidEntryError, match="would not read back"),
        ):
            store.append([death(2)])

    def test_without_psycopg_a_url_says_which_extra(self, monkeypatch):
        """A missing psycopg is named, with the extra that brings it."""
        monkeypatch.setitem(sys.modules, "timeline.stores.postgresql", None)
        with pytest.raises(StoreError, match=r"contested-timeline\[postgresql\]"):
            open_store(self.url)

    def test_wait_returns_whether_an_entry_came(self):
        """Waiting ends with the entries there, or after the timeout without."""
        with PostgreSQLStore(self.fresh()) as store:
            assert not store.wait(0, timeout=0.01)
            store.append([death(1)])
            assert store.wait(0, timeout=0)
            assert not store.wait(1, timeout=0.01)

    def test_a_dropped_connection_is_a_store_error(self):
        """A backend the server ends is named by the URL, with what it said."""
        with PostgreSQLStore(self.fresh()) as store:
            self.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'timeline'"
            )
            with pytest.raises(StoreError, match="PostgreSQL failed"):
                len(store)
            with pytest.raises(StoreError, match="PostgreSQL failed"):
                store.append([death(1)])

    def test_a_missing_row_is_named(self):
        """A row removed behind the trigger's back breaks the chain at its seq."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        with PostgreSQLStore(url) as store:
            store.append([death(1), death(2, MT), death(3)])
            self.execute(
                "SET session_replication_role = replica; "  # noqa: S608
                f"DELETE FROM {schema}.{TABLE} WHERE seq = 2"
            )
            with pytest.raises(CorruptLogError, match="seq 2: the row is missing"):
                store.read_after(2)
            with pytest.raises(CorruptLogError, match="seq 3: seq 2 before it"):
                list(store.read_known(seq_until=5))
            with pytest.raises(TypeError, match="whole number"):
                store.read_after("2")  # type: ignore[arg-type]

    def test_a_server_that_refuses_writes_is_a_read_only_log(self):
        """A session the server holds read-only refuses the append, unchanged."""
        url = self.fresh()
        PostgreSQLStore(url).close()
        schema = url.rpartition("%3D")[2]
        read_only = (
            f"{self.url}&options=-csearch_path%3D{schema}"
            "%20-cdefault_transaction_read_only%3Don"
        )
        with PostgreSQLStore(read_only) as store:
            with pytest.raises(ReadOnlyLogError, match="accepts no writes"):
                store.append([death(1)])
            assert len(store) == 0

    def test_import_into_a_database(self, tmp_path, capsys):
        """The import command takes a URL for --log, and shows it without password."""
        url = self.fresh().replace("postgresql:///", "postgresql://postgres:pw@/")
        path = tmp_path / "sheet.csv"
        assert main(["sheet-template", "death", "--out", str(path)]) == 0
        with path.open("a", encoding="utf-8") as sheet:
            sheet.write(
                ",".join(
                    {
                        "type": "death",
                        "event_id": "asapov-death",
                        "outlet": "TASS",
                        "published": "2017-09-24",
                        "person": "Valery Asapov",
                    }.get(column, "")
                    for column in path.read_text(encoding="utf-8").strip().split(",")
                )
                + "\n"
            )
        capsys.readouterr()

        assert main(["import", "sheet", str(path), "--log", url, "--json"]) == 0
        document = json.loads(capsys.readouterr().out)
        assert ":pw@" not in document["log"]
        assert document["claims"] == 1
