"""Tamper evidence: `check` names the first bad seq of any edit behind the log's back.

Every stored entry is sealed by a hash over its content and the hash of the
entry before it. Editing, removing, inserting or reordering entries breaks
the chain where the change starts, and `timeline.stores.check` names that
seq. Removing entries from the end leaves a shorter, consistent chain, and
rewriting every hash after an edit leaves a consistent forgery: only an
`timeline.stores.Anchor` noted earlier catches those.
"""

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import Entry, EventLog
from timeline.errors import CorruptLogError
from timeline.model.events import Death
from timeline.stores import (
    Anchor,
    JsonlStore,
    ProblemKind,
    SQLiteStore,
    check,
)
from timeline.strategies import logs

from .helpers import FakeClock, day, report

FEW = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
EDITS = ["event_id", "recorded_at", "hash", "type"]


TAMPERS = [
    *(("edit", edit) for edit in EDITS),
    ("delete", ""),
    ("insert", ""),
    ("reorder", ""),
]


@st.composite
def tamperings(draw: st.DrawFn, op: str) -> tuple[list[Entry], int, int, int]:
    """Return entries, the seqs *op* acts on (i, j), and the first bad seq.

    Entry *i* is edited or removed; a copy of entry *j* is inserted before
    entry *i* (so a copy of *i* itself first differs from the original one
    after it); or entries *i* and *j* trade places.
    """
    log = draw(logs(max_size=8).filter(lambda log: len(log) >= 2))
    entries = list(log)
    n = len(entries)
    if op == "insert":
        i = draw(st.integers(1, n + 1), label="at")
        j = draw(st.integers(1, n), label="copy of")
    elif op == "reorder":
        i, j = sorted(
            draw(st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True))
        )
    else:
        i = j = draw(st.integers(1, n), label="seq")
    first_bad = i + 1 if op == "insert" and i == j else i
    return entries, i, j, first_bad


def seal(previous: str, record: dict[str, Any]) -> str:
    """Return the hash of *record* after *previous*, as the format defines it."""
    canonical = json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


def edited(record: dict[str, Any], edit: str) -> dict[str, Any]:
    """Return *record* with one value changed and its hash kept."""
    changed: dict[str, Any] = json.loads(json.dumps(record))
    if edit == "event_id":
        changed["payload"]["event_id"] += " (edited)"
    elif edit == "recorded_at":
        changed["recorded_at"] = "2030-01-01T00:00:00+00:00"
    elif edit == "hash":
        changed["hash"] = seal("", {"forged": True})
    else:
        changed["type"] = "statement" if changed["type"] != "statement" else "visit"
    return changed


def tamper_lines(lines: list[bytes], op: str, i: int, j: int, edit: str) -> list[bytes]:
    """Return the lines of a JSON Lines log after *op*."""
    changed = list(lines)
    if op == "edit":
        record = edited(json.loads(lines[i - 1]), edit)
        changed[i - 1] = json.dumps(record).encode() + b"\n"
    elif op == "delete":
        del changed[i - 1]
    elif op == "insert":
        changed.insert(i - 1, lines[j - 1])
    else:
        changed[i - 1], changed[j - 1] = lines[j - 1], lines[i - 1]
    return changed


def execute(path: Path, *statements: str) -> None:
    """Run *statements* on the database at *path* behind the store's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for statement in statements:
            connection.execute(statement)


def tamper_rows(path: Path, op: str, i: int, j: int, edit: str) -> None:
    """Do *op* to the rows of a SQLite log."""
    columns = {
        "event_id": "body = json_set(body, '$.event_id', 'edited')",
        "recorded_at": "recorded_at = '2030-01-01T00:00:00+00:00'",
        "hash": f"hash = '{'0' * 64}'",
        "type": "type = 'forged'",
    }
    if op == "edit":
        execute(path, f"UPDATE entries SET {columns[edit]} WHERE seq = {i}")  # noqa: S608
    elif op == "delete":
        execute(path, f"DELETE FROM entries WHERE seq = {i}")  # noqa: S608
    elif op == "insert":
        execute(
            path,
            f"CREATE TEMP TABLE copy AS SELECT * FROM entries WHERE seq = {j}",  # noqa: S608
            f"UPDATE entries SET seq = -seq WHERE seq >= {i}",  # noqa: S608
            "UPDATE entries SET seq = 1 - seq WHERE seq < 0",
            f"UPDATE copy SET seq = {i}",  # noqa: S608
            "INSERT INTO entries SELECT * FROM copy",
        )
    else:
        execute(
            path,
            f"UPDATE entries SET seq = 0 WHERE seq = {i}",  # noqa: S608
            f"UPDATE entries SET seq = {i} WHERE seq = {j}",  # noqa: S608
            f"UPDATE entries SET seq = {j} WHERE seq = 0",  # noqa: S608
        )


def assert_named(path: Path, anchor: Anchor, first_bad: int) -> None:
    """Assert that checking *path* names *first_bad*, changing nothing."""
    before = path.read_bytes()

    report = check(path, anchor=anchor)

    assert report.first_bad_seq == first_bad, report
    assert report.problems[0].kind is ProblemKind.TAMPERED
    assert f" {first_bad}" in report.problems[0].message
    assert report.entries == first_bad - 1
    assert path.read_bytes() == before


@pytest.mark.parametrize(("op", "edit"), TAMPERS)
@FEW
@given(data=st.data())
def test_check_names_the_first_tampered_line(tmp_path_factory, op, edit, data):
    """An edited, removed, inserted or moved line is named by its seq."""
    entries, i, j, first_bad = data.draw(tamperings(op))
    path = tmp_path_factory.mktemp("jsonl") / "log.jsonl"
    with JsonlStore(path) as store:
        for entry in entries:
            store.append([entry])
    anchor = check(path).anchor
    assert anchor is not None
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(tamper_lines(lines, op, i, j, edit)))

    assert_named(path, anchor, first_bad)
    if op != "delete" or i < len(entries):
        with pytest.raises(CorruptLogError, match=rf"line {first_bad}\b"):
            JsonlStore(path)


@pytest.mark.parametrize(("op", "edit"), TAMPERS)
@FEW
@given(data=st.data())
def test_check_names_the_first_tampered_row(tmp_path_factory, op, edit, data):
    """An edited, removed, inserted or renumbered row is named by its seq."""
    entries, i, j, first_bad = data.draw(tamperings(op))
    path = tmp_path_factory.mktemp("sqlite") / "log.sqlite"
    with SQLiteStore(path) as store:
        store.append(entries)
    anchor = check(path).anchor
    assert anchor is not None
    tamper_rows(path, op, i, j, edit)

    assert_named(path, anchor, first_bad)
    if op != "delete" or i < len(entries):
        with pytest.raises(CorruptLogError), SQLiteStore(path) as store:
            store.read()


def rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply *change* to line 2 of a JSON Lines log and re-seal every hash after."""
    records = [json.loads(line) for line in path.read_bytes().splitlines()]
    change(records[1])
    previous = ""
    for record in records:
        del record["hash"]
        record["hash"] = previous = seal(previous, record)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_a_forged_chain_is_caught_only_against_an_anchor(tmp_path):
    """Re-sealing every hash after an edit is consistent, but not the anchored chain."""
    path = tmp_path / "log.jsonl"
    with JsonlStore(path) as store:
        store.append(list(_three_entries()))
    anchor = check(path).anchor
    assert anchor is not None

    rewrite(path, lambda record: record["payload"].update(event_id="forged"))

    assert check(path).ok
    report = check(path, anchor=anchor)
    assert report.first_bad_seq == 3
    assert "was rewritten along with every later hash" in report.problems[0].message


def test_an_anchor_beyond_a_torn_batch_reports_the_cut_too(tmp_path):
    """Lines cut from a committed batch look torn, and the anchor says they were cut."""
    path = tmp_path / "log.jsonl"
    with JsonlStore(path) as store:
        store.append(list(_three_entries()))
    anchor = check(path).anchor
    assert anchor is not None
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2]))

    report = check(path, anchor=anchor)

    assert [(p.kind, p.seq) for p in report.problems] == [
        (ProblemKind.TORN, 1),
        (ProblemKind.TAMPERED, 1),
    ]
    assert "anchored at seq 3: entries were cut" in report.problems[1].message


def _three_entries() -> list[Entry]:
    # A valid log of three claims about three happenings.
    log = EventLog(clock=FakeClock())
    for n in range(3):
        log.append(
            Death(
                event_id=f"death-{n}",
                report=report("TASS", dt.date(2017, 9, 24)),
                person="Valery Asapov",
                when=day("2017-09-24"),
            )
        )
    return list(log)
