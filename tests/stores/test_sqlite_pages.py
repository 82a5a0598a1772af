"""A small SQLite log's pages are checked whole when it is opened.

A damaged page of an index lets a query pass over rows with no error at all,
which the hash chain checked on every row read cannot see: a log of up to
``SMALL_LOG_BYTES`` is read whole by ``PRAGMA quick_check`` on open and
refused if damaged; a bigger one is left to ``timeline check``.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import CorruptLogError
from timeline.stores import SQLiteStore, _sqlite_connect


def _corpus_page(
    tmp_path: Path, name: str
) -> tuple[Path, bytearray, int, dict[str, int]]:
    # The corpus as a SQLite log, its bytes, and where the root page of the
    # table or index *name* starts, with the root page of each by name.
    path = tmp_path / "corpus.sqlite"
    with SQLiteStore(path) as store:
        store.append(list(load_corpus()))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        roots = dict(connection.execute("SELECT name, rootpage FROM sqlite_master"))
        (size,) = connection.execute("PRAGMA page_size").fetchone()
    return path, bytearray(path.read_bytes()), (roots[name] - 1) * size, roots


def _index_lost_a_row(tmp_path: Path) -> Path:
    # The corpus as a SQLite log whose index of happening ids says it holds
    # one row fewer than it does: SQLite then skips that row, silently.
    _, data, header, _ = _corpus_page(tmp_path, "entries_event_id")
    assert data[header] == 10  # a leaf page of an index: the whole index
    cells = int.from_bytes(data[header + 3 : header + 5], "big")
    data[header + 3 : header + 5] = (cells - 1).to_bytes(2, "big")
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(bytes(data))
    with closing(sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)) as connection:
        (indexed,) = connection.execute(
            "SELECT count(*) FROM entries INDEXED BY entries_event_id "
            "WHERE event_id > ''"
        ).fetchone()
    assert indexed == len(load_corpus()) - 1  # the damage hides a row
    return damaged


@pytest.mark.parametrize("mode", ["r", "a"])
def test_a_small_log_with_a_damaged_index_is_refused_on_open(tmp_path, mode):
    """Read-only or not: a corrupt log error naming the file and the command."""
    damaged = _index_lost_a_row(tmp_path)
    with pytest.raises(CorruptLogError, match="timeline check") as raised:
        EventLog.open(damaged, mode=mode)
    assert str(damaged) in str(raised.value)


def test_the_commands_refuse_it_in_one_line(tmp_path, capsys):
    """Never an answer missing the row the index lost."""
    damaged = _index_lost_a_row(tmp_path)
    assert main(["history", "asapov-death", "--log", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the database is damaged" in err


def test_a_bigger_log_is_not_read_whole_and_check_still_finds_it(
    tmp_path, monkeypatch, capsys
):
    """Above the size, opening reads no page it needs not; `check` reads all."""
    damaged = _index_lost_a_row(tmp_path)
    monkeypatch.setattr(_sqlite_connect, "SMALL_LOG_BYTES", 0)
    with EventLog.open(damaged, mode="r") as log:
        assert log.last_seq == len(load_corpus())
    assert main(["check", str(damaged)]) == 1
    assert str(damaged) in capsys.readouterr().err


def test_a_child_pointer_to_another_tree_is_refused_in_one_line(tmp_path, capsys):
    """SQLite's own error while checking is the one said, on one line."""
    path, data, header, roots = _corpus_page(tmp_path, "entries")
    assert data[header] == 5  # an interior page of the table
    # Its right-most child now points into the index of happening ids.
    data[header + 8 : header + 12] = roots["entries_event_id"].to_bytes(4, "big")
    path.write_bytes(bytes(data))
    assert main(["known", "--on", "2017-10-05", "--log", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "database disk image is malformed" in err


def test_many_problems_are_said_as_the_first_and_how_many_more(tmp_path):
    """A page whose cells all read out of order: one line for all of them."""
    path, data, header, _ = _corpus_page(tmp_path, "entries_event_id")
    data[header] = 13  # a leaf page of a table, where an index leaf was
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptLogError, match=r"out of order and \d+ more") as raised:
        EventLog.open(path, mode="r")
    assert "\n" not in str(raised.value)


def test_a_log_that_vanished_is_left_to_the_reads(tmp_path):
    """No file to measure: nothing to check here, and nothing raised."""
    with closing(sqlite3.connect(":memory:")) as connection:
        _sqlite_connect.check_pages(connection, tmp_path / "gone.sqlite")
