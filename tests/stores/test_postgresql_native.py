"""A log answering from PostgreSQL answers exactly as the log in memory.

`PostgreSQLStore` is an `IndexedStore`: `EventLog.open` keeps a log there
without loading it, every question is asked of the server (a happening's
entries in one statement, texts through pg_trgm's trigram index), and the
answers are those of the loaded log.
"""

import datetime as dt
import itertools
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from ..pg import import_psycopg
from .contract import SERVER_EXAMPLES

psycopg = import_psycopg()  # skips without it, and fails on CI

from timeline import EventLog
from timeline.cli import main
from timeline.errors import CorruptLogError, DanglingReferenceError, StoreError
from timeline.model.events import Link, Related, SameAs
from timeline.stores import IndexedStore, check
from timeline.stores._answers import StoredAnswers
from timeline.stores._pg_schema import LAYOUT, OLD_LAYOUT, TABLE, TEXT_TABLE
from timeline.stores.postgresql import PostgreSQLStore
from timeline.strategies import logs

from ..helpers import FakeClock, report
from ..pg import Cluster
from ..test_cli_native import COMMANDS
from .test_native import IDS, START_DAY, _outcome, days, death, pins, quoting, texts
from .test_postgresql import HOSTILE, in_schema

_SCHEMAS = itertools.count()
_ROLES = itertools.count()


@pytest.fixture(scope="class", autouse=True)
def _database(request: pytest.FixtureRequest, postgresql_cluster: Cluster) -> None:
    """Give each test class a database of its own, and the cluster."""
    request.cls.cluster = postgresql_cluster
    request.cls.url = postgresql_cluster.database()


class Native:
    """Tests against the class's own database, a schema per log."""

    cluster: ClassVar[Cluster]
    url: ClassVar[str]

    def execute(
        self, statement: str, *parameters: object, url: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Run *statement* as the superuser behind any store's back."""
        return self.cluster.execute(statement, *parameters, url=url or self.url)

    def fresh(self) -> str:
        """Return the URL of a new, empty schema in the class's database."""
        schema = f"native_{next(_SCHEMAS)}"
        self.execute(f"CREATE SCHEMA {schema}")
        return in_schema(self.url, schema)

    def holding(self, log: EventLog) -> str:
        """Return the URL of a new log holding *log*'s entries."""
        url = self.fresh()
        with PostgreSQLStore(url) as store:
            if len(log):
                store.append(list(log))
        return url

    def role(self, url: str, *grants: str) -> str:
        """Create a login role granted *grants* on the log at *url*; return its URL."""
        schema = url.rpartition("%3D")[2]
        name = f"native_role_{next(_ROLES)}"
        self.execute(
            f"CREATE ROLE {name} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {name}"
        )
        for grant in grants:
            self.execute(grant.format(schema=schema, role=name))
        return url.replace("user=postgres", f"user={name}")


class TestAnswers(Native):
    """Every answer read from the server equals the loaded log's."""

    @SERVER_EXAMPLES
    @given(log=logs(), known=days, pin=pins, text=texts)
    def test_every_answer_from_the_server_equals_the_loaded_log(
        self, log, known, pin, text
    ):
        """as_of, count, happening, history, about, first_known and diff."""
        with EventLog.open(self.holding(log), mode="r") as stored:
            assert isinstance(stored._answers, StoredAnswers)
            assert list(stored) == list(log)
            assert stored.event_ids == log.event_ids
            assert stored.last_published == log.last_published
            assert stored.as_of(known, seq=pin) == log.as_of(known, seq=pin)
            assert stored.count(known, seq=pin) == len(log.as_of(known, seq=pin))
            assert stored.about(text, as_of=known, seq=pin) == log.as_of(
                known, seq=pin
            ).about(text)
            since, until = sorted((known, known + dt.timedelta(days=9)))
            assert stored.diff(since, until) == log.diff(since, until)
            for event_id in IDS:
                assert stored.happening(
                    event_id, as_of=known, seq=pin
                ) == log.happening(event_id, as_of=known, seq=pin)
                assert _outcome(stored.history, event_id) == _outcome(
                    log.history, event_id
                )
                assert stored.first_known(event_id, as_of=known, seq=pin) == (
                    log.as_of(known, seq=pin).first_known(event_id)
                )

    @settings(
        max_examples=min(10, settings().max_examples),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    @given(log=logs(max_size=20))
    def test_appending_through_the_server_accepts_and_refuses_as_the_loaded_log(
        self, log
    ):
        """Replayed event by event, then again in reverse: the same outcomes."""
        model = EventLog(clock=FakeClock())
        with EventLog.open(self.fresh(), clock=FakeClock()) as stored:
            assert isinstance(stored._answers, StoredAnswers)
            events = [entry.event for entry in log]
            for batch in [[event] for event in events] + [[e] for e in events[::-1]]:
                assert _outcome(stored.extend, batch) == _outcome(model.extend, batch)
            assert _outcome(stored.extend, events) == _outcome(model.extend, events)
            assert list(stored) == list(model)

    def test_a_happening_is_gathered_with_its_merges_and_links(self):
        """The pin, and every entry an answer about a happening reads."""
        url = self.fresh()
        with EventLog.open(url, clock=FakeClock()) as log:
            log.extend([death("a"), death("b"), death("c"), death("d")])
            log.append(
                SameAs(
                    event_id="a", other_event_id="b", report=report("MoD", START_DAY)
                )
            )
            log.append(
                Related(
                    event_id="c",
                    other_event_id="b",
                    relation=Link.CAUSED_BY,
                    report=report("MoD", START_DAY),
                )
            )
            store = log.store
            assert isinstance(store, PostgreSQLStore)
            pin, entries = store.entries_about("a", seq=None) or (0, [])
            assert pin == 6
            assert [entry.seq for entry in entries] == [1, 2, 3, 5, 6]
            assert store.entries_about("d", seq=3) == (3, [])
            assert store.entries_about("a", seq=-5) == (0, [])
            assert store.entries_about("a", seq=2**70) == (6, entries)
            assert store.entry_at(6) == log[6]
            with pytest.raises(DanglingReferenceError, match="no entry with seq 9"):
                store.entry_at(9)


class TestTextIndex(Native):
    """pg_trgm's trigram index finds what a text may be about, or says it cannot."""

    def test_search_finds_exactly_the_entries_holding_a_text(self):
        """Case ignored, inside words, each id once; short texts are not searched."""
        url = self.fresh()
        with EventLog.open(url, clock=FakeClock()) as log:
            log.extend(
                [
                    death("a"),
                    quoting("b", "as Interfax said"),
                    quoting("c", "100% of_it \\ said"),
                ]
            )
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("INTERFAX", seq_until=3) == {"b"}
            assert store.search("interfax", seq_until=1) == set()
            assert store.search("% of_", seq_until=3) == {"c"}
            assert store.search("0%_", seq_until=3) == set()
            assert store.search("\\ s", seq_until=3) == {"c"}
            assert store.search("in", seq_until=3) is None
            assert store.search("x\x00yz", seq_until=3) is None
            assert store.search("b\ud800c", seq_until=3) is None
            for text in ("interfax", "% of", "in", "\\"):
                assert log.about(text, as_of=START_DAY) == log.as_of(START_DAY).about(
                    text
                )

    def test_without_pg_trgm_searches_read_the_log(self):
        """An owner who may not create the extension gets a log without the index."""
        database = self.cluster.database()  # pg_trgm not installed there
        name = f"native_owner_{next(_ROLES)}"
        self.execute(
            f"CREATE ROLE {name} LOGIN; GRANT CREATE ON SCHEMA public TO {name}",
            url=database,
        )
        owner = database.replace("user=postgres", f"user={name}")
        with EventLog.open(owner, clock=FakeClock()) as log:
            log.extend([death("a"), quoting("b", "as Interfax said")])
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=2) is None
            found = log.about("INTERFAX", as_of=START_DAY)
            assert [h.event_id for h in found] == ["b"]
        assert self.execute("SELECT to_regclass(%s)", TEXT_TABLE, url=database) == [
            (None,)
        ]
        assert check(owner).ok

    def test_a_reader_searches_and_a_writer_indexes(self):
        """Roles granted on the log's table are granted on the text index too."""
        url = self.fresh()
        with EventLog.open(url, clock=FakeClock()) as log:
            log.append(quoting("a", "as Interfax said"))
        reader = self.role(url, f"GRANT SELECT ON {{schema}}.{TABLE} TO {{role}}")
        writer = self.role(
            url, f"GRANT SELECT, INSERT ON {{schema}}.{TABLE} TO {{role}}"
        )
        self._drop_text(url)
        with EventLog.open(url, clock=FakeClock()):
            pass  # the owner builds it again, granting what the table grants
        with EventLog.open(writer, clock=FakeClock()) as log:
            log.append(quoting("b", "Interfax again"))
        with EventLog.open(reader, mode="r") as log:
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=2) == {"a", "b"}
            found = log.about("interfax", as_of=START_DAY)
            assert [h.event_id for h in found] == ["a", "b"]

    def test_an_index_behind_the_log_is_caught_up_by_the_next_append(self):
        """Entries a role could not index are added by the next that can."""
        url = self.fresh()
        with EventLog.open(url, clock=FakeClock()) as log:
            log.append(quoting("a", "Interfax"))
        # Roles granted the log's table only, after the index was made.
        table = f"GRANT SELECT ON {{schema}}.{TABLE} TO {{role}}"
        writer = self.role(
            url, table, f"GRANT INSERT ON {{schema}}.{TABLE} TO {{role}}"
        )
        reader = self.role(url, table)
        with EventLog.open(writer, clock=FakeClock()) as log:
            log.append(quoting("b", "Interfax too"))
            found = log.about("interfax", as_of=START_DAY)
            assert [h.event_id for h in found] == ["a", "b"]
        with EventLog.open(url, mode="r") as log:
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=1) == {"a"}
            assert store.search("interfax", seq_until=2) is None
        with EventLog.open(url, clock=FakeClock()) as log:
            log.append(quoting("c", "no agency"))
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=3) == {"a", "b"}
        with EventLog.open(reader, mode="r") as log:
            # No grant on the text index: the log is read instead.
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=3) is None
            found = log.about("interfax", as_of=START_DAY)
            assert [h.event_id for h in found] == ["a", "b"]

    def test_an_index_ahead_of_the_log_is_never_used(self):
        """Texts of seqs the log does not hold make the index wrong: the log is read."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        with EventLog.open(url, clock=FakeClock()) as log:
            log.append(quoting("a", "Interfax"))
        self.execute(
            f"INSERT INTO {schema}.{TEXT_TABLE} VALUES (7, 'interfax')"  # noqa: S608
        )
        with EventLog.open(url, clock=FakeClock()) as log:
            log.append(quoting("b", "Interfax too"))
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=2) is None
            found = log.about("interfax", as_of=START_DAY)
            assert [h.event_id for h in found] == ["a", "b"]

    def test_a_server_failing_a_search_is_a_store_error(self):
        """A dropped connection is named, as for every other question."""
        with PostgreSQLStore(self.fresh()) as store:
            self.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'timeline'"
            )
            with pytest.raises(StoreError, match="PostgreSQL failed"):
                store.search("interfax", seq_until=0)

    def _drop_text(self, url: str) -> None:
        schema = url.rpartition("%3D")[2]
        self.execute(f"DROP TABLE {schema}.{TEXT_TABLE}")


class TestEarlierLayout(Native):
    """A log written before the store answered by itself still opens, and answers."""

    def made_by_layout_1(self, *, link: bool) -> str:
        """Return a log as layout 1 left it: no text index, links without other id."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        with EventLog.open(url, clock=FakeClock()) as log:
            log.extend([death("a"), death("b"), quoting("c", "Interfax")])
            if link:
                log.append(
                    Related(
                        event_id="c",
                        other_event_id="b",
                        relation=Link.CAUSED_BY,
                        report=report("MoD", START_DAY),
                    )
                )
        self.execute(
            f"DROP TABLE {schema}.{TEXT_TABLE}; "  # noqa: S608
            "SET session_replication_role = replica; "
            f"UPDATE {schema}.{TABLE} SET other_event_id = NULL "
            "WHERE type = 'related'; "
            f"COMMENT ON TABLE {schema}.{TABLE} IS '{OLD_LAYOUT}'"
        )
        return url

    def comment(self, url: str) -> str:
        """Return the comment on the log's table."""
        schema = url.rpartition("%3D")[2]
        ((comment,),) = self.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')", f"{schema}.{TABLE}"
        )
        return str(comment)

    @pytest.mark.parametrize("link", [False, True])
    def test_it_answers_read_only_as_it_is_and_is_upgraded_by_its_owner(self, link):
        """Read-only nothing changes; a writable open adds the index and layout 2."""
        url = self.made_by_layout_1(link=link)
        with EventLog.open(url, mode="r", load=True) as loaded:
            model = EventLog(list(loaded))
        with EventLog.open(url, mode="r") as log:
            store = log.store
            assert isinstance(store, PostgreSQLStore)
            assert store.entries_about("b", seq=None) is None
            assert store.search("interfax", seq_until=len(log)) is None
            for event_id in ("a", "b", "c"):
                assert log.history(event_id) == model.history(event_id)
            assert log.about("interfax", as_of=START_DAY) == model.as_of(
                START_DAY
            ).about("interfax")
        assert self.comment(url) == OLD_LAYOUT

        with EventLog.open(url) as log:
            store = log.store
            assert isinstance(store, PostgreSQLStore)
            assert store.search("interfax", seq_until=len(log)) == {"c"}
            assert (store.entries_about("b", seq=None) is None) is link
            for event_id in ("a", "b", "c"):
                assert log.history(event_id) == model.history(event_id)
        assert self.comment(url) == (OLD_LAYOUT if link else LAYOUT)
        assert check(url).ok

    def test_a_damaged_row_leaves_it_as_it_was_and_readable(self):
        """An upgrade that fails (the texts of an edited row) changes nothing."""
        url = self.made_by_layout_1(link=False)
        schema = url.rpartition("%3D")[2]
        self.execute(
            "SET session_replication_role = replica; "  # noqa: S608
            f"UPDATE {schema}.{TABLE} SET body = replace(body, 'Interfax', 'Interfaks')"
        )
        with EventLog.open(url) as log:
            store = log.store
            assert isinstance(store, PostgreSQLStore)
            assert store.search("interfax", seq_until=3) is None
            assert len(log) == 3
        assert self.comment(url) == OLD_LAYOUT

    def test_a_layout_this_code_does_not_know_is_refused(self):
        """The comment names the layout: an unknown one is not read."""
        url = self.fresh()
        schema = url.rpartition("%3D")[2]
        PostgreSQLStore(url).close()
        self.execute(f"COMMENT ON TABLE {schema}.{TABLE} IS 'timeline log, layout 9'")
        with pytest.raises(CorruptLogError, match="layout 9"):
            PostgreSQLStore(url)


class TestHostile(Native):
    """Hostile ids and texts through the lookups, the gathering and the search."""

    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_ids_and_text_through_every_native_path(self, text):
        """Each is data: found by itself, never by SQL it spells."""
        url = self.fresh()
        with EventLog.open(url, clock=FakeClock()) as log:
            log.extend([quoting(text, text), death("other")])
            log.append(
                SameAs(
                    event_id=text,
                    other_event_id="other",
                    report=report(text, START_DAY),
                )
            )
        with EventLog.open(url, mode="r") as log:
            store = log.store
            assert isinstance(store, PostgreSQLStore)
            assert store.holds_happening(text, seq_until=3)
            assert not store.holds_happening(text + "'", seq_until=3)
            assert store.held_happenings([text, "x'--"], seq_until=3) == {text}
            assert set(store.happening_ids(seq_until=3)) == {text, "other"}
            assert (
                store.count_happening_ids(
                    published_until=START_DAY, seq_until=3, voided=[], event_ids=[text]
                )
                == 1
            )
            _, entries = store.entries_about(text, seq=None) or (0, [])
            assert [entry.seq for entry in entries] == [1, 2, 3]
            if len(text.casefold()) >= 3:
                assert store.search(text, seq_until=3) == {text}
            found = log.about(text, as_of=START_DAY)
            assert [sorted(h.event_ids) for h in found] == [sorted([text, "other"])]
            assert log.happening(text, as_of=START_DAY) is not None


class TestCommandLine(Native):
    """Every command answers a PostgreSQL log as it answers the corpus it holds."""

    @pytest.fixture(scope="class")
    @classmethod
    def corpus_url(cls) -> str:
        """Return a schema holding the bundled corpus."""
        schema = f"native_{next(_SCHEMAS)}"
        cls.cluster.execute(f"CREATE SCHEMA {schema}", url=cls.url)
        url = in_schema(cls.url, schema)
        assert main(["export", url]) == 0
        return url

    @pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
    def test_a_database_answers_as_the_corpus_it_holds(
        self, capsys, corpus_url, command
    ):
        """Text and JSON, byte for byte, the log's name apart."""
        for extra in ([], ["--json"]):
            capsys.readouterr()
            expected = (main([*command, *extra]), *capsys.readouterr())
            found = (
                main([*command, "--log", corpus_url, *extra]),
                *capsys.readouterr(),
            )
            assert found == tuple(
                part.replace("the bundled corpus", corpus_url)
                if isinstance(part, str)
                else part
                for part in expected
            )
