"""`check` verifies a PostgreSQL log's text index, and `rebuild_index` rebuilds it.

The text index is the table ``timeline_entries_text`` (one row per entry,
under pg_trgm's trigram index). Its rows are damaged here as its owner
may damage them, behind the store's back; `check` names each wrong seq,
says the log itself is intact, and ``timeline check --rebuild`` mends it.
"""

import itertools
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..pg import import_psycopg

psycopg = import_psycopg()  # skips without it, and fails on CI

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import CorruptLogError, ReadOnlyLogError, StoreError
from timeline.model.entry import Entry
from timeline.stores import IndexedStore, ProblemKind, check, rebuild_index
from timeline.stores._pg_check import scanned_rows
from timeline.stores._pg_rows import stored_texts
from timeline.stores._pg_schema import TABLE, TEXT_TABLE
from timeline.stores._sqlite_text import entry_text
from timeline.stores.postgresql import PostgreSQLStore
from timeline.strategies import logs

from ..helpers import FakeClock
from ..pg import Cluster
from .test_index_check import _answers, _expected
from .test_native import quoting
from .test_postgresql import in_schema
from .test_postgresql_native import _database  # noqa: F401  # each class's own
from .test_text_types import assert_found_either_way, copied, source_log

CORPUS = tuple(load_corpus().entries())
_SCHEMAS = itertools.count()
_ROLES = itertools.count()


class Checked:
    """Logs in schemas of the class's database, damaged as their owner may."""

    cluster: ClassVar[Cluster]
    url: ClassVar[str]

    def execute(self, statement: str, *parameters: object) -> list[tuple[Any, ...]]:
        """Run *statement* as the superuser, who owns the logs."""
        return self.cluster.execute(statement, *parameters, url=self.url)

    def holding(self, entries: tuple[Entry, ...] | list[Entry]) -> str:
        """Return the URL of a new log, in a schema of its own, holding *entries*."""
        schema = f"checked_{next(_SCHEMAS)}"
        self.execute(f"CREATE SCHEMA {schema}")
        url = in_schema(self.url, schema)
        with PostgreSQLStore(url) as store:
            if entries:
                store.append(list(entries))
        return url

    def text(self, url: str, statement: str, *parameters: object) -> None:
        """Run *statement* on the text index of the log at *url* (``{text}``)."""
        schema = url.rpartition("%3D")[2]
        self.execute(statement.format(text=f"{schema}.{TEXT_TABLE}"), *parameters)

    def role(self, url: str, grants: str) -> str:
        """Create a login role granted *grants* on the log's table; return its URL."""
        schema = url.rpartition("%3D")[2]
        name = f"checked_role_{next(_ROLES)}"
        self.execute(
            f"CREATE ROLE {name} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {name}; "
            f"GRANT {grants} ON {schema}.{TABLE} TO {name}"
        )
        return url.replace("user=postgres", f"user={name}")


def _missing(test: Checked, url: str) -> int:
    entry = next(e for e in CORPUS[:-1] if "asapov" in entry_text(e))
    test.text(url, "DELETE FROM {text} WHERE seq = %s", entry.seq)
    return entry.seq


def _first_missing(test: Checked, url: str) -> int:
    test.text(url, "DELETE FROM {text} WHERE seq = 1")
    return 1


def _stale(test: Checked, url: str) -> int:
    test.text(url, "UPDATE {text} SET text = 'says something else' WHERE seq = 5")
    return 5


def _extra(test: Checked, url: str) -> int:
    test.text(url, "INSERT INTO {text} VALUES (%s, 'no entry')", len(CORPUS) + 7)
    return len(CORPUS) + 7


def _zero(test: Checked, url: str) -> int:
    test.text(url, "INSERT INTO {text} VALUES (0, 'no entry has seq 0')")
    return 0


DAMAGES = {
    "missing": _missing,
    "first missing": _first_missing,
    "stale": _stale,
    "extra": _extra,
    "seq 0": _zero,
}


class TestCheck(Checked):
    """check reads the text index with the entries, in one snapshot."""

    def test_a_sound_index_passes(self):
        """The index of the corpus as appended matches its entries."""
        url = self.holding(CORPUS)

        assert check(url).ok

    @settings(
        max_examples=min(10, settings().max_examples),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )
    @given(log=logs(max_size=8).filter(len), data=st.data())
    def test_any_log_as_appended_passes_and_any_stale_row_is_named(self, log, data):
        """No text is a false alarm, and a row made stale is named by its seq."""
        entries = tuple(log.entries())
        url = self.holding(entries)
        assert check(url).ok
        entry = data.draw(st.sampled_from(entries))
        self.text(
            url,
            "UPDATE {text} SET text = text || '§damaged§' WHERE seq = %s",
            entry.seq,
        )

        report = check(url)

        assert [p.seq for p in report.problems] == [entry.seq]
        assert report.problems[0].kind is ProblemKind.INDEX

    def test_texts_copy_escapes_read_back_as_written(self):
        """Backslashes, tabs, newlines and returns in a text: stored as they are."""
        url = self.holding([])
        quote = "a\\b\tc\nd\re \\N"
        with EventLog.open(url, clock=FakeClock()) as log:
            log.extend([quoting("a", quote), quoting("b", "plain")])
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("\\b\tc\nd\re \\n", seq_until=2) == {"a"}
        assert check(url).ok

    @pytest.mark.parametrize("damage", sorted(DAMAGES))
    def test_check_names_the_wrong_row_and_rebuild_puts_it_right(self, capsys, damage):
        """A damaged index is a problem naming the seq; --rebuild fixes answers."""
        url = self.holding(CORPUS)
        seq = DAMAGES[damage](self, url)

        report = check(url)
        code = main(["check", url])
        failed = capsys.readouterr()
        rebuilt = main(["check", "--rebuild", url])
        fixed = capsys.readouterr()

        assert {p.kind for p in report.problems} == {ProblemKind.INDEX}
        assert [p.seq for p in report.problems] == [seq]
        assert report.entries == len(CORPUS)  # the log itself is intact
        assert code == 1
        assert f"seq {seq}: the text index" in failed.err
        assert "the log itself is intact" in failed.err
        assert failed.out == ""
        assert rebuilt == 0
        assert fixed.out.startswith(
            f"rebuilt: {url}: the text index, from {len(CORPUS)} entries\nok: "
        )
        assert check(url).ok
        assert _answers(url) == _expected()

    def test_an_append_during_the_check_is_not_taken_for_damage(self):
        """The index is read in the snapshot the entries were read in."""
        url = self.holding(CORPUS[:3])
        with scanned_rows(url) as (rows, verify, counted):
            entries = [row[0] for row in rows]
            with EventLog.open(url, clock=FakeClock()) as log:
                log.append(quoting("z", "Interfax"))  # seq 4, and its text
            found = verify(CORPUS[:3])
            assert counted() == []  # nor are the tables of counts

        assert entries == [1, 2, 3]
        assert found == {}
        assert check(url).ok

    def test_rows_missing_after_the_last_are_no_problem(self):
        """An index behind the log answers nothing wrong: the next append catches up."""
        url = self.holding(CORPUS)
        self.text(url, "DELETE FROM {text} WHERE seq > 10")

        assert check(url).ok
        assert _answers(url) == _expected()

    def test_several_wrong_rows_are_all_named(self):
        """Each wrong row is a problem of its own, up to ten, then one for the rest."""
        url = self.holding(CORPUS)
        self.text(url, "DELETE FROM {text} WHERE seq BETWEEN 3 AND 17")

        report = check(url)

        assert [p.seq for p in report.problems] == [*range(3, 13), None]
        assert (
            "also wrong for 5 more seq(s) after seq 12" in report.problems[-1].message
        )

    def test_the_index_of_a_damaged_log_is_not_judged(self):
        """A broken chain is the problem; the index is beside the point."""
        url = self.holding(CORPUS)
        schema = url.rpartition("%3D")[2]
        self.text(url, "DELETE FROM {text} WHERE seq = 2")
        self.execute(
            "SET session_replication_role = replica; "  # noqa: S608
            f"UPDATE {schema}.{TABLE} SET hash = '\\x00' WHERE seq = 3"
        )

        report = check(url)

        assert [p.kind for p in report.problems] == [ProblemKind.TAMPERED]
        with pytest.raises(CorruptLogError, match="only rebuilt from an intact log"):
            rebuild_index(url)

    def test_a_role_not_granted_the_index_checks_the_log_alone(self):
        """A reader granted the log's table only: the index is not judged."""
        url = self.holding(CORPUS)
        self.text(url, "DELETE FROM {text} WHERE seq = 2")
        self.text(url, "REVOKE ALL ON {text} FROM PUBLIC")
        reader = self.role(url, "SELECT")

        assert check(reader).ok
        assert not check(url).ok


class TestRebuild(Checked):
    """rebuild_index makes the text index afresh, in one transaction."""

    def test_it_returns_how_many_entries_it_indexed_and_keeps_grants(self):
        """Roles granted the log's table may still read and write the index."""
        url = self.holding(CORPUS[:5])
        reader = self.role(url, "SELECT")
        writer = self.role(url, "SELECT, INSERT")
        with EventLog.open(url, clock=FakeClock()):
            pass  # the owner grants the index as the table is granted

        assert rebuild_index(url) == 5

        with EventLog.open(writer, clock=FakeClock()) as log:
            log.append(quoting("z", "as Interfax said"))
        with EventLog.open(reader, mode="r") as log:
            store = log.store
            assert isinstance(store, IndexedStore)
            assert store.search("interfax", seq_until=6) == {"z"}
        assert check(url).ok

    def test_a_lost_index_is_made_again(self):
        """A dropped table of texts (and its trigram index) is made afresh."""
        url = self.holding(CORPUS)
        self.text(url, "DROP TABLE {text}")

        assert check(url).ok  # no index: nothing to judge
        assert rebuild_index(url) == len(CORPUS)
        assert check(url).ok
        assert _answers(url) == _expected()

    def test_only_the_owner_rebuilds(self):
        """A writer role may append, not drop the index: the error says so."""
        url = self.holding(CORPUS[:3])
        writer = self.role(url, "SELECT, INSERT")

        with pytest.raises(ReadOnlyLogError, match="only the owner"):
            rebuild_index(writer)
        assert check(url).ok

    def test_without_pg_trgm_nothing_is_rebuilt(self):
        """An owner who may not create pg_trgm has no index, and gets none."""
        database = self.cluster.database()  # pg_trgm not installed there
        name = f"checked_owner_{next(_ROLES)}"
        self.cluster.execute(
            f"CREATE ROLE {name} LOGIN; GRANT CREATE ON SCHEMA public TO {name}",
            url=database,
        )
        owner = database.replace("user=postgres", f"user={name}")
        with EventLog.open(owner, clock=FakeClock()) as log:
            log.append(quoting("a", "Interfax"))

        assert rebuild_index(owner) is None
        assert main(["check", "--rebuild", owner]) == 0
        assert check(owner).ok

    def test_no_log_there_is_a_store_error(self):
        """Rebuilding never creates a log."""
        schema = f"checked_{next(_SCHEMAS)}"
        self.execute(f"CREATE SCHEMA {schema}")

        with pytest.raises(StoreError, match="no timeline log there"):
            rebuild_index(in_schema(self.url, schema))

    def test_an_empty_log_checks_clean_and_rebuilds_to_nothing(self):
        """No entries: no rows, no problem."""
        url = self.holding([])

        assert check(url).ok
        assert rebuild_index(url) == 0
        assert check(url).ok


class TestWrittenWithoutTypes(Checked):
    """A user's type exported without its module, as test_text_types does to SQLite.

    Found by a reader that has the module, and judged the same by `check`
    either way; a row an older timeline wrote from the writer's types is
    named stale, and ``--rebuild`` mends it.
    """

    def exported(self, tmp_path: Any, *, with_types: bool) -> tuple[Any, str]:
        """Return the audit's JSON Lines log and a new log it was exported to."""
        jsonl = source_log(tmp_path / "deco.jsonl")
        schema = f"checked_{next(_SCHEMAS)}"
        self.execute(f"CREATE SCHEMA {schema}")
        url = in_schema(self.url, schema)
        copied(jsonl, url, with_types=with_types)
        return jsonl, url

    @pytest.mark.parametrize("with_types", [True, False], ids=["types", "no-types"])
    def test_a_user_type_is_found_whoever_wrote_the_log(
        self, tmp_path, capsys, with_types
    ):
        """Written with or without the types, read with or without: as in memory."""
        jsonl, url = self.exported(tmp_path, with_types=with_types)
        capsys.readouterr()

        assert_found_either_way(jsonl, url)

    def test_a_row_an_older_timeline_wrote_is_stale_until_rebuilt(
        self, tmp_path, capsys
    ):
        """The row held only the envelope of an entry its writer could not read."""
        jsonl, url = self.exported(tmp_path, with_types=False)
        self.text(
            url,
            "UPDATE {text} SET text = %s WHERE seq = 2",
            "asapov-decoration\x1f_test_text_decoration\x1fexample wire",
        )

        report = check(url)
        assert [(p.kind, p.seq) for p in report.problems] == [(ProblemKind.INDEX, 2)]
        assert main(["check", "--rebuild", url]) == 0
        capsys.readouterr()
        assert_found_either_way(jsonl, url)

    def test_a_body_that_is_not_json_is_a_corrupt_row(self):
        """The texts are read from the stored body: text not JSON names its seq."""
        with pytest.raises(CorruptLogError, match="seq 3: body is not JSON"):
            stored_texts([(3, "death", "{not json")])
