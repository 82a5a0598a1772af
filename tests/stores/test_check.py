import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from timeline import Entry
from timeline.cli import main
from timeline.errors import StoreError
from timeline.model.events import Death, Denial
from timeline.serialization import Codec
from timeline.stores import (
    JsonlStore,
    ProblemKind,
    SQLiteStore,
    check,
    rebuild_index,
    repair,
)

from ..helpers import day, report
from .test_jsonl import seal

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = report("TASS", dt.date(2017, 9, 24))
NOON = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)


def death(seq: int, event_id: str = "asapov-death") -> Entry:
    """Return entry *seq*: a death reported by TASS."""
    event = Death(
        event_id=event_id, report=TASS, person="Valery Asapov", when=day("2017-09-24")
    )
    return Entry(seq, START, event)


def denial(seq: int, event_id: str) -> Entry:
    """Return entry *seq*: a denial that *event_id* happened."""
    return Entry(seq, START, Denial(event_id=event_id, report=TASS, denied_by="MoD"))


def jsonl(tmp_path: Path, *batches: list[Entry]) -> Path:
    """Return a new JSON Lines log holding *batches*."""
    path = tmp_path / "log.jsonl"
    with JsonlStore(path) as store:
        for batch in batches:
            store.append(batch)
    return path


def database(tmp_path: Path, entries: list[Entry]) -> Path:
    """Return a new SQLite log holding *entries*, its WAL folded in."""
    path = tmp_path / "log.sqlite"
    with SQLiteStore(path) as store:
        store.append(entries)
    execute(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def execute(path: Path, sql: str, *parameters: object) -> list[Any]:
    """Run *sql* on the database at *path* behind the store's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        return connection.execute(sql, parameters).fetchall()


def append_line(path: Path, record: Any) -> None:
    """Append *record* to a JSON Lines file as one line."""
    with path.open("ab") as file:
        file.write(json.dumps(record).encode() + b"\n")


def clock() -> dt.datetime:
    """Return noon, always: side files made by two repairs collide."""
    return NOON


class TestCheck:
    """`check` reports what is wrong, by kind and seq, and changes nothing."""

    @pytest.mark.parametrize("make", [jsonl, database])
    def test_a_sound_log(self, tmp_path, make):
        """A sound log is ok, and its anchor is its last entry."""
        path = make(tmp_path, [death(1), death(2)])
        before = path.read_bytes()

        report_ = check(path)

        assert report_.ok
        assert report_.first_bad_seq is None
        assert report_.torn is None
        assert report_.entries == 2
        assert report_.anchor is not None
        assert str(report_) == f"{path}: 2 entries, last {report_.anchor}; ok"
        assert str(report_.anchor) == f"2:{report_.anchor.hash}"
        assert path.read_bytes() == before

    def test_an_empty_log(self, tmp_path):
        """An empty file is an empty log, with no anchor."""
        path = tmp_path / "empty.jsonl"
        path.touch()

        report_ = check(path)

        assert (report_.ok, report_.entries, report_.anchor) == (True, 0, None)
        assert str(report_) == f"{path}: 0 entries; ok"

    def test_a_torn_line(self, tmp_path):
        """A final line without its newline is torn where its batch starts."""
        path = jsonl(tmp_path, [death(1)], [death(2), death(3)])
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:2]) + lines[2][:10])

        report_ = check(path)

        assert report_.torn == report_.problems[0]
        assert (report_.torn.seq, report_.torn.offset) == (2, len(lines[0]))
        assert report_.intact_bytes == len(lines[0])
        assert report_.entries == 1
        assert f"torn: {path} line 3: torn final line" in str(report_)

    @pytest.mark.parametrize(
        ("raw", "match"),
        [
            (b"{not json\n", "line 2: not a JSON record"),
            (b"NaN\n", "NaN is not a number timeline writes"),
            (b"\xff\n", "line 2: not a JSON record"),
            (b"[1]\n", "line 2: expected a JSON object, got list"),
        ],
    )
    def test_a_garbled_line(self, tmp_path, raw, match):
        """Bytes that are not a record are garbled, named by line and offset."""
        path = jsonl(tmp_path, [death(1)])
        size = path.stat().st_size
        with path.open("ab") as file:
            file.write(raw)

        (problem,) = check(path).problems

        assert problem.kind is ProblemKind.GARBLED
        assert (problem.seq, problem.offset) == (2, size)
        assert match in problem.message

    def test_a_wrong_batch_count(self, tmp_path):
        """A sealed count of lines to come that does not count down is garbled."""
        path = jsonl(tmp_path, [death(1)])
        record: dict[str, Any] = json.loads(path.read_bytes())
        next_record = {**record, "seq": 2, "more": "1"}
        del next_record["hash"]
        next_record["hash"] = seal(record["hash"], next_record)
        append_line(path, next_record)

        (problem,) = check(path).problems

        assert problem.kind is ProblemKind.GARBLED
        assert "'more' should count" in problem.message

    def test_a_sealed_record_of_an_unknown_type(self, tmp_path):
        """A record of an unknown type is unreadable to a strict codec, by seq."""
        path = jsonl(tmp_path, [death(1)])
        record: dict[str, Any] = json.loads(path.read_bytes())
        del record["hash"]
        record["type"] = "plugin_only"
        record["hash"] = seal("", record)
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")

        (problem,) = check(path, codec=Codec(keep_unregistered=False)).problems

        assert (problem.kind, problem.seq) == (ProblemKind.UNREADABLE, 1)
        assert "'plugin_only'" in problem.message
        # By default the record is kept as a raw claim: the log is sound.
        assert check(path).ok

    @pytest.mark.parametrize("make", [jsonl, database])
    def test_a_reference_to_a_missing_happening(self, tmp_path, make):
        """Entries that break the log's rules are invalid from the first of them."""
        path = make(tmp_path, [death(1), denial(2, "capture"), death(3)])

        report_ = check(path)

        assert [(p.kind, p.seq) for p in report_.problems] == [(ProblemKind.INVALID, 2)]
        assert "refers to happening 'capture'" in report_.problems[0].message
        assert report_.entries == 1

    def test_an_anchor_that_still_holds(self, tmp_path):
        """A log grown since its anchor was noted is ok."""
        path = jsonl(tmp_path, [death(1)])
        anchor = check(path).anchor
        with JsonlStore(path) as store:
            store.append([death(2)])

        assert check(path, anchor=anchor).ok

    def test_an_anchor_before_the_damage(self, tmp_path):
        """Damage after the anchored entry is reported where it is, and only there."""
        path = jsonl(tmp_path, [death(1)])
        anchor = check(path).anchor
        with JsonlStore(path) as store:
            store.append([death(2)])
        with path.open("ab") as file:
            file.write(b"garbage\n")

        report_ = check(path, anchor=anchor)

        assert [(p.kind, p.seq) for p in report_.problems] == [(ProblemKind.GARBLED, 3)]

    def test_an_anchor_after_the_damage(self, tmp_path):
        """Damage before the anchored entry is not reported twice."""
        path = jsonl(tmp_path, [death(1)], [death(2)])
        anchor = check(path).anchor
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(lines[1])

        report_ = check(path, anchor=anchor)

        assert [(p.kind, p.seq) for p in report_.problems] == [
            (ProblemKind.TAMPERED, 1)
        ]

    def test_an_unknown_suffix(self, tmp_path):
        """Only the stores' suffixes are checked."""
        path = tmp_path / "log.txt"
        path.touch()

        with pytest.raises(StoreError, match=r"log\.txt'.*no store backend"):
            check(path)

    def test_a_missing_file(self, tmp_path):
        """A missing log is an error, and nothing is created."""
        path = tmp_path / "missing.sqlite"

        with pytest.raises(FileNotFoundError, match=r"missing\.sqlite"):
            check(path)
        assert not path.exists()


class TestCheckSQLite:
    """`check` reads a database with SQLite's integrity check and the chain."""

    def test_an_empty_file(self, tmp_path):
        """An empty file is SQLite's empty database, and left empty."""
        path = tmp_path / "empty.sqlite"
        path.touch()

        assert check(path).ok
        assert path.read_bytes() == b""

    def test_an_empty_database(self, tmp_path):
        """A database without tables is an empty log, as SQLiteStore makes it one."""
        path = tmp_path / "empty.db"
        execute(path, "CREATE TABLE t (x)")
        execute(path, "DROP TABLE t")

        assert check(path).ok

    @pytest.mark.parametrize(
        ("content", "match"),
        [
            (b"\x00", "no SQLite header"),
            (b"SQLite format 3\x00" + b"\xff" * 200, "SQLite cannot read it"),
        ],
    )
    def test_a_file_that_is_not_a_database(self, tmp_path, content, match):
        """Bytes that are not a database are garbled, and left alone."""
        path = tmp_path / "garbage.sqlite"
        path.write_bytes(content)

        (problem,) = check(path).problems

        assert problem.kind is ProblemKind.GARBLED
        assert match in problem.message
        assert path.read_bytes() == content

    def test_someone_elses_database(self, tmp_path):
        """A database with other tables is not a timeline log."""
        path = tmp_path / "other.db"
        execute(path, "CREATE TABLE accounts (id INTEGER)")

        (problem,) = check(path).problems

        assert "not a timeline log this code reads (tables: accounts" in str(problem)

    def test_a_damaged_index(self, tmp_path):
        """Damage SQLite's own integrity check finds is reported."""
        path = database(tmp_path, [death(n, f"death-{n:03}") for n in range(1, 5)])
        ((root,),) = execute(
            path, "SELECT rootpage FROM sqlite_master WHERE name = 'entries_event_id'"
        )
        data = bytearray(path.read_bytes())
        at = data.index(b"death-002", (root - 1) * 4096)
        data[at : at + 9] = b"death-999"
        path.write_bytes(bytes(data))

        (problem,) = check(path).problems

        assert problem.kind is ProblemKind.GARBLED
        assert "missing from index entries_event_id" in problem.message

    @pytest.mark.parametrize(
        ("sql", "kind", "match"),
        [
            (
                "UPDATE entries SET body = '{' WHERE seq = 2",
                ProblemKind.GARBLED,
                "body",
            ),
            (
                "UPDATE entries SET event_id = 'x' WHERE seq = 2",
                ProblemKind.TAMPERED,
                "index columns",
            ),
            ("DELETE FROM entries WHERE seq = 2", ProblemKind.TAMPERED, "missing"),
            (
                "UPDATE entries SET recorded_at = '2030-01-01T00:00:00+00:00' "
                "WHERE seq = 2",
                ProblemKind.TAMPERED,
                "hash mismatch",
            ),
        ],
    )
    def test_a_bad_row(self, tmp_path, sql, kind, match):
        """A bad row is named by its seq, and the rows before it are intact."""
        path = database(tmp_path, [death(1), death(2), death(3)])
        execute(path, sql)

        report_ = check(path)

        assert [(p.kind, p.seq) for p in report_.problems] == [(kind, 2)]
        assert match in report_.problems[0].message
        assert report_.entries == 1

    def test_a_sealed_row_of_an_unknown_type(self, tmp_path):
        """A row this code cannot decode is unreadable, named by seq."""
        path = database(tmp_path, [death(1)])
        ((recorded_at, version, body),) = execute(
            path, "SELECT recorded_at, schema_version, body FROM entries"
        )
        record = {
            "seq": 1,
            "recorded_at": recorded_at,
            "type": "plugin_only",
            "schema_version": version,
            "payload": json.loads(str(body)),
        }
        execute(
            path,
            "UPDATE entries SET type = 'plugin_only', hash = ?",
            bytes.fromhex(seal("", record)),
        )

        (problem,) = check(path, codec=Codec(keep_unregistered=False)).problems

        assert (problem.kind, problem.seq) == (ProblemKind.UNREADABLE, 1)
        assert "'plugin_only'" in problem.message
        # By default the record is kept as a raw claim: the log is sound.
        # Its row of the text index was made from the row as first stored
        # (its type then): stale, whatever types the check knows, until
        # rebuilt from the row as it is.
        (stale,) = check(path).problems
        assert (stale.kind, stale.seq) == (ProblemKind.INDEX, 1)
        assert rebuild_index(path) == 1
        assert check(path).ok


class TestRepair:
    """`repair` moves a torn tail aside, and nothing else."""

    def torn(self, tmp_path: Path) -> tuple[Path, bytes, bytes]:
        """Return a log with a torn batch, its intact part and its torn tail."""
        path = jsonl(tmp_path, [death(1)], [death(2), death(3)])
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(b"".join(lines[:2]) + lines[2][:10])
        return path, lines[0], lines[1] + lines[2][:10]

    def test_the_torn_tail_goes_to_a_side_file(self, tmp_path):
        """The side file and the log together hold every original byte."""
        path, intact, tail = self.torn(tmp_path)

        repaired = repair(path, clock=clock)

        assert repaired.ok
        assert repaired.before.torn is not None
        assert repaired.side_file == path.with_name(
            "log.jsonl.torn-20261121T120000000000Z"
        )
        assert repaired.side_file.read_bytes() == tail
        assert path.read_bytes() == intact
        assert repaired.moved == len(tail)
        assert repaired.after.entries == 1
        assert str(repaired).startswith(
            f"{path}: moved the torn tail ({len(tail)} bytes) to {repaired.side_file}\n"
        )

    def test_a_second_side_file_does_not_overwrite_the_first(self, tmp_path):
        """Two repairs in one instant keep both tails."""
        path, _, tail = self.torn(tmp_path)
        first = repair(path, clock=clock).side_file
        with path.open("ab") as file:
            file.write(b'{"seq":2')

        second = repair(path, clock=clock).side_file

        assert first is not None
        assert second is not None
        assert second == first.with_name(f"{first.name}-2")
        assert (first.read_bytes(), second.read_bytes()) == (tail, b'{"seq":2')

    def test_a_sound_log_is_left_alone(self, tmp_path):
        """Nothing to repair, nothing written."""
        path = jsonl(tmp_path, [death(1)])
        before = path.read_bytes()

        repaired = repair(path)

        assert (repaired.ok, repaired.side_file, repaired.moved) == (True, None, 0)
        assert str(repaired).startswith(f"{path}: nothing to repair\n")
        assert path.read_bytes() == before

    def test_other_damage_is_reported_not_repaired(self, tmp_path):
        """A tampered log is left exactly as it is."""
        path = jsonl(tmp_path, [death(1)], [death(2)])
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(lines[1] + lines[0])

        repaired = repair(path)

        assert not repaired.ok
        assert repaired.side_file is None
        assert "only a torn tail is repaired" in str(repaired)
        assert path.read_bytes() == lines[1] + lines[0]

    def test_a_database_is_never_altered(self, tmp_path):
        """SQLite recovers its own transactions; repair only reports."""
        path = database(tmp_path, [death(1), death(2)])
        execute(path, "DELETE FROM entries WHERE seq = 1")
        before = path.read_bytes()

        repaired = repair(path)

        assert not repaired.ok
        assert "SQLite recovers interrupted transactions itself" in str(repaired)
        assert path.read_bytes() == before


class TestCheckCommand:
    """``timeline check --repair PATH``: repair a torn tail, then check."""

    def test_a_torn_tail_is_moved_then_the_log_checked(self, tmp_path, capsys):
        """The repair is reported, and the repaired log checks out."""
        path, intact, tail = TestRepair().torn(tmp_path)

        code = main(["check", "--repair", str(path)])

        out = capsys.readouterr().out
        (side,) = tmp_path.glob("log.jsonl.torn-*")
        assert code == 0
        assert out.startswith(
            f"repaired: {path}: moved the {len(tail)} bytes no append committed to "
            f"{side}; the log keeps its 1 committed entry\nok: "
        )
        assert (path.read_bytes(), side.read_bytes()) == (intact, tail)

    def test_json_names_the_side_file(self, tmp_path, capsys):
        """With --json, the document says where the tail went, or that none did."""
        path, _, _ = TestRepair().torn(tmp_path)

        main(["check", "--repair", "--json", str(path)])
        main(["check", "--repair", "--json", str(path)])

        first, second = capsys.readouterr().out.split("\n}\n", 1)
        (side,) = tmp_path.glob("log.jsonl.torn-*")
        assert json.loads(first + "}")["torn_tail_moved_to"] == str(side)
        assert json.loads(second)["torn_tail_moved_to"] is None

    def test_other_damage_fails_the_check(self, tmp_path, capsys):
        """What repair leaves alone is reported as by a plain check."""
        path = jsonl(tmp_path, [death(1)], [death(2)])
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(lines[1] + lines[0])

        code = main(["check", "--repair", str(path)])

        assert code == 1
        assert f"{path} line 1: hash mismatch" in capsys.readouterr().err
        assert path.read_bytes() == lines[1] + lines[0]

    def test_a_missing_file_is_reported_as_by_check(self, tmp_path, capsys):
        """--repair adds nothing to the error about a missing file."""
        path = tmp_path / "missing.jsonl"

        code = main(["check", "--repair", str(path)])

        assert code == 1
        assert (
            capsys.readouterr().err == f"timeline check: error: {path}: no such file\n"
        )
