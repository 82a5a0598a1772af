"""`check` verifies a SQLite log's text index, and `rebuild_index` rebuilds it."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import CorruptLogError
from timeline.model.entry import Entry
from timeline.stores import (
    ProblemKind,
    SQLiteStore,
    check,
    open_store,
    rebuild_index,
)
from timeline.stores import _sqlite_text as sqlite_text
from timeline.strategies import logs

from .contract import FEW

pytestmark = pytest.mark.skipif(
    not sqlite_text.has_fts5(sqlite3.connect(":memory:")),
    reason="this SQLite has no FTS5 trigram tokenizer, so logs keep no text index",
)

CORPUS = tuple(load_corpus().entries())
SEARCHED = ("asapov", "Amaq", "captur", "tass", "gerasimov")


def _write(path: Path, entries: tuple[Entry, ...] | list[Entry]) -> Path:
    with open_store(path) as store:
        store.append(tuple(entries))
    return path


def _run(path: Path, sql: str, *parameters: object) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(sql, parameters)


def _delete_row(path: Path, entry: Entry) -> None:
    # How a contentless FTS5 table forgets a row: given its text again.
    _run(
        path,
        "INSERT INTO entries_text (entries_text, rowid, text) VALUES ('delete', ?, ?)",
        entry.seq,
        sqlite_text.entry_text(entry),
    )


def _insert_row(path: Path, seq: int, text: str) -> None:
    _run(path, "INSERT INTO entries_text (rowid, text) VALUES (?, ?)", seq, text)


def _answers(path: Path | str) -> dict[str, list[str]]:
    # What `about` finds for each searched text, asked of the log at *path*
    # (a file, or a URL).
    with EventLog.open(path, mode="r") as log:
        day = log.last_published
        assert day is not None
        return {
            text: sorted(h.event_id for h in log.about(text, as_of=day))
            for text in SEARCHED
        }


def _expected() -> dict[str, list[str]]:
    log = load_corpus()
    day = log.last_published
    assert day is not None
    return {
        text: sorted(h.event_id for h in log.as_of(day).about(text))
        for text in SEARCHED
    }


def _missing(path: Path) -> int:
    entry = next(e for e in CORPUS if "asapov" in sqlite_text.entry_text(e))
    _delete_row(path, entry)
    return entry.seq


def _stale(path: Path) -> int:
    entry = CORPUS[4]
    _delete_row(path, entry)
    _insert_row(path, entry.seq, "an entry that says something else")
    return entry.seq


def _extra(path: Path) -> int:
    _insert_row(path, len(CORPUS) + 7, "no entry has this seq")
    return len(CORPUS) + 7


def _dropped(path: Path) -> int:
    _run(path, "DROP TABLE entries_text")
    return 1


def _mark_past_the_end(path: Path) -> int:
    _run(path, "UPDATE timeline_derived SET last_seq = last_seq + 5")
    return len(CORPUS) + 1


DAMAGES = {
    "missing": _missing,
    "stale": _stale,
    "extra": _extra,
    "dropped": _dropped,
    "mark": _mark_past_the_end,
}


def test_a_sound_index_passes(tmp_path):
    """The index of a log as appended matches its entries: check is ok."""
    path = _write(tmp_path / "log.sqlite", CORPUS)

    report = check(path)

    assert report.ok, report


@FEW
@given(log=logs(max_size=8).filter(len), data=st.data())
def test_any_index_as_appended_passes_and_any_stale_row_is_named(
    tmp_path_factory, log, data
):
    """No text is a false alarm, and a row made stale is named by its seq."""
    entries = tuple(log.entries())
    path = _write(tmp_path_factory.mktemp("index") / "log.sqlite", entries)
    assert check(path).ok
    entry = data.draw(st.sampled_from(entries))
    _delete_row(path, entry)
    _insert_row(path, entry.seq, sqlite_text.entry_text(entry) + "\x1f§damaged§")

    report = check(path)

    assert [p.seq for p in report.problems] == [entry.seq]
    assert report.problems[0].kind is ProblemKind.INDEX


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_check_names_the_wrong_row_and_rebuild_puts_it_right(tmp_path, capsys, damage):
    """A damaged index is a problem naming the seq; --rebuild fixes answers."""
    path = _write(tmp_path / "log.sqlite", CORPUS)
    seq = DAMAGES[damage](path)

    report = check(path)
    code = main(["check", str(path)])
    failed = capsys.readouterr()
    rebuilt = main(["check", "--rebuild", str(path)])
    fixed = capsys.readouterr()

    assert {p.kind for p in report.problems} == {ProblemKind.INDEX}
    assert report.problems[0].seq == seq
    assert report.entries == len(CORPUS)  # the log itself is intact
    assert code == 1
    assert f"seq {seq}: the text index" in failed.err
    assert "the log itself is intact" in failed.err
    assert failed.out == ""
    assert rebuilt == 0
    assert fixed.out.startswith(
        f"rebuilt: {path}: the text index, from {len(CORPUS)} entries\nok: "
    )
    assert check(path).ok
    assert _answers(path) == _expected()


def test_a_missing_row_hides_a_happening_until_rebuilt(tmp_path):
    """The damage matters: a search misses the entry its row no longer holds."""
    path = _write(tmp_path / "log.sqlite", CORPUS)
    texts = [sqlite_text.entry_text(entry) for entry in CORPUS]
    # Part of an id only one entry holds (the whole id is looked up as such).
    alone = next(
        entry
        for entry in CORPUS
        if sum(entry.event.event_id[1:].casefold() in text for text in texts) == 1
    )
    _delete_row(path, alone)

    damaged = _found(path, alone.event.event_id[1:])
    rebuilt = rebuild_index(path)

    assert damaged == []
    assert rebuilt == len(CORPUS)
    assert _found(path, alone.event.event_id[1:]) == [alone.event.event_id]


def _found(path: Path, text: str) -> list[str]:
    with EventLog.open(path, mode="r") as log:
        day = log.last_published
        assert day is not None
        return [h.event_id for h in log.about(text, as_of=day)]


def test_several_wrong_rows_are_all_named(tmp_path, capsys):
    """Each wrong row is a problem of its own, up to ten, then one for the rest."""
    path = _write(tmp_path / "log.sqlite", CORPUS)
    for seq in range(200, 215):
        _insert_row(path, seq, "nothing")

    report = check(path)
    code = main(["check", "--json", str(path)])
    document = capsys.readouterr().out

    assert [p.seq for p in report.problems] == [*range(200, 210), None]
    assert "also wrong for 5 more seq(s) after seq 209" in report.problems[-1].message
    assert code == 1
    assert '"ok": false' in document
    assert "wrong rows: seq 200, 201" in document


def test_the_json_document_says_the_index_was_rebuilt(tmp_path, capsys):
    """The JSON document of check --rebuild says how many entries it indexed."""
    path = _write(tmp_path / "log.sqlite", CORPUS)

    code = main(["check", "--rebuild", "--json", str(path)])

    assert code == 0
    assert f'"index_rebuilt": {len(CORPUS)}' in capsys.readouterr().out


def test_rebuild_reports_its_progress(tmp_path):
    """The callback counts entries read, then indexed, up to twice the log."""
    path = _write(tmp_path / "log.sqlite", CORPUS)
    calls: list[tuple[int, int]] = []

    rebuild_index(path, progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (2 * len(CORPUS), 2 * len(CORPUS))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_a_log_without_a_text_index_has_none_to_rebuild(tmp_path):
    """JSON Lines logs, layout-1 and empty databases: nothing is rebuilt."""
    jsonl = _write(tmp_path / "log.jsonl", CORPUS)
    empty = tmp_path / "empty.sqlite"
    empty.touch()

    assert rebuild_index(jsonl) is None
    assert rebuild_index(empty) is None
    assert check(jsonl).ok


def test_an_index_is_only_rebuilt_from_an_intact_log(tmp_path):
    """A damaged log is reported, and its index left alone."""
    path = _write(tmp_path / "log.sqlite", CORPUS)
    _run(path, "UPDATE entries SET hash = 'x' WHERE seq = 3")

    with pytest.raises(CorruptLogError, match="only rebuilt from an intact log"):
        rebuild_index(path)


def test_a_log_made_before_the_index_is_not_checked_for_one(tmp_path):
    """A log with no text index (an older timeline's) is sound without one."""
    path = _write(tmp_path / "log.sqlite", CORPUS)
    _run(path, "DROP TABLE entries_text")
    _run(path, "DROP TABLE timeline_derived")

    assert check(path).ok
    assert rebuild_index(path) == len(CORPUS)
    assert _answers(path) == _expected()


def test_check_reads_the_index_the_store_keeps(tmp_path):
    """A store opened and appended to keeps an index check finds sound."""
    path = tmp_path / "log.sqlite"
    with SQLiteStore(path) as store:
        store.append(CORPUS[:50])
        store.append(CORPUS[50:])

    assert check(path).ok


def test_a_database_that_is_no_log_is_reported_not_indexed(tmp_path):
    """A SQLite file of other tables: the check's problem, and no index made."""
    path = tmp_path / "other.sqlite"
    _run(path, "CREATE TABLE notes (text TEXT)")

    with pytest.raises(CorruptLogError, match="not a timeline log"):
        rebuild_index(path)
