"""The table of first days, which counts a SQLite log's happenings, is derived data.

It is built with the log, kept in each append's transaction, built again
by a writable open of a log it does not cover, and never trusted when it
does not cover the whole log: every count equals the loaded log's.
"""

import datetime as dt
import itertools
import sqlite3
from collections import Counter
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.log import Entry
from timeline.model.events import (
    Amendment,
    AnalystEntry,
    Event,
    Revocation,
    SameAs,
    Split,
)
from timeline.projections.fold import voided_by
from timeline.stores import (
    ProblemKind,
    SQLiteStore,
    Store,
    _sqlite_firsts,
    as_of,
    check,
    count,
)
from timeline.stores._sqlite_lookups import analyst_tags
from timeline.strategies import logs

from ..helpers import report
from .test_queries import claim

days = st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 10, 31))
_NAMES = itertools.count()

firsts_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # Shrinking a drawn log writes a database per try: see test_queries.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory for this module's databases."""
    return tmp_path_factory.mktemp("firsts")


def _table(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return dict(
            connection.execute(
                f"SELECT event_id, day FROM {_sqlite_firsts.FIRSTS_TABLE}"  # noqa: S608
            )
        )


def _days(path: Path) -> dict[int, int]:
    with closing(sqlite3.connect(path)) as connection:
        return dict(
            connection.execute(
                f"SELECT day, ids FROM {_sqlite_firsts.DAYS_TABLE} WHERE ids != 0"  # noqa: S608
            )
        )


def _truth(path: Path) -> dict[str, int]:
    # What the table must hold: each id's earliest day among the claims
    # and responses that no live amendment voids, worked out from the
    # entries as the in-memory log folds them.
    with SQLiteStore(path, read_only=True) as store:
        entries = list(store.read())
    voided = voided_by(entry for entry in entries if isinstance(entry.event, Amendment))
    firsts: dict[str, int] = {}
    for entry in entries:
        if isinstance(entry.event, AnalystEntry) or entry.seq in voided:
            continue
        day = entry.event.report.published_day
        number = day.year * 10000 + day.month * 100 + day.day
        firsts[entry.event.event_id] = min(
            firsts.get(entry.event.event_id, number), number
        )
    return firsts


def _covered(path: Path) -> int | None:
    with closing(sqlite3.connect(path)) as connection:
        return _sqlite_firsts.covered(connection, analyst_tags())


def append_in_batches(store: Store, entries: list[Entry], cuts: Iterable[int]) -> None:
    """Append *entries* to *store* in batches ending at *cuts*."""
    start = 0
    for end in [*sorted(set(cuts)), len(entries)]:
        if entries[start:end]:
            store.append(entries[start:end])
            start = end


def _stored(log: EventLog, path: Path, cuts: list[int]) -> None:
    # Appends *log*'s entries to a new SQLite log in batches ending at *cuts*.
    with SQLiteStore(path) as store:
        append_in_batches(store, list(log), cuts)


@firsts_settings
@given(log=logs(), cuts=st.lists(st.integers(0, 30), max_size=4), known=days)
def test_the_table_follows_every_batch_and_counts_as_the_loaded_log(
    directory, log, cuts, known
):
    """Kept in each transaction, it holds each id's first day, and counts right."""
    path = directory / f"{next(_NAMES)}.sqlite"
    _stored(log, path, cuts)
    assert _covered(path) == len(log)
    assert _table(path) == _truth(path)
    assert _days(path) == dict(Counter(_truth(path).values()))
    with closing(sqlite3.connect(path)) as connection:
        assert _sqlite_firsts.wrong_judgements(connection, analyst_tags()) == []
        judged = connection.execute(
            f"SELECT count(*) FROM {_sqlite_firsts.JUDGEMENTS_TABLE}"  # noqa: S608
        ).fetchone()[0]
    assert judged == sum(
        entry.event.event_type in _sqlite_firsts.JUDGEMENT_TAGS for entry in log
    )
    with EventLog.open(path, mode="r") as stored:
        assert stored.count(known) == len(log.as_of(known))
        assert stored.aliases(known) == log.as_of(known).aliases


def _damage(path: Path, statement: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(statement)


@pytest.mark.parametrize(
    "statements",
    [
        # A log made before the table existed.
        [
            "DROP TABLE timeline_firsts",
            "DELETE FROM timeline_derived WHERE name LIKE 'firsts %'",
        ],
        # A log an older timeline appended to: the table lags behind.
        [
            "UPDATE timeline_derived SET last_seq = last_seq - 1 "
            "WHERE name LIKE 'firsts %'"
        ],
        # A table built when other analyst types were registered.
        ["UPDATE timeline_derived SET name = 'firsts []' WHERE name LIKE 'firsts %'"],
    ],
    ids=["missing", "behind", "other-types"],
)
@firsts_settings
@given(log=logs(max_size=12).filter(lambda log: len(log) >= 2))
def test_a_table_not_covering_the_log_is_never_used_and_is_built_again(
    directory, statements, log
):
    """Read-only, the count reads the entries; a writable open rebuilds it."""
    path = directory / f"{next(_NAMES)}.sqlite"
    _stored(log, path, [])
    # Wrong rows too, which a table that is not trusted must not count.
    _damage(path, f"DELETE FROM {_sqlite_firsts.FIRSTS_TABLE}")  # noqa: S608
    _damage(path, "DELETE FROM timeline_voided")
    for statement in statements:
        _damage(path, statement)
    assert _covered(path) != len(log)
    known = max(entry.event.report.published_day for entry in log)
    with EventLog.open(path, mode="r") as stored:
        assert stored.count(known) == len(log.as_of(known))
        assert stored.aliases(known) == log.as_of(known).aliases
    with EventLog.open(path) as stored:
        assert stored.count(known) == len(log.as_of(known))
    assert _covered(path) == len(log)
    assert _table(path) == _truth(path)


@firsts_settings
@given(log=logs(max_size=12).filter(lambda log: len(log) >= 2))
def test_a_table_behind_the_log_is_not_kept_by_later_appends(directory, log):
    """An append after a lagging table leaves it lagging, never half right."""
    entries = list(log)
    path = directory / f"{next(_NAMES)}.sqlite"
    with SQLiteStore(path) as store:
        store.append(entries[:-1])
        _damage(
            path,
            "UPDATE timeline_derived SET last_seq = 0 WHERE name LIKE 'firsts %'",
        )
        store.append(entries[-1:])
    assert _covered(path) == 0


@firsts_settings
@given(log=logs(max_size=12).filter(lambda log: len(log) >= 1), data=st.data())
def test_a_wrong_row_is_found(directory, log, data):
    """Each row changed, removed or added is named; a right table has none."""
    path = directory / f"{next(_NAMES)}.sqlite"
    _stored(log, path, [])
    with closing(sqlite3.connect(path)) as connection:
        assert _sqlite_firsts.wrong(connection, analyst_tags()) == []
    assume(_truth(path))  # every claim voided: no row to damage
    event_id = data.draw(st.sampled_from(sorted(_truth(path))))
    damage = data.draw(
        st.sampled_from(
            [
                "UPDATE timeline_firsts SET day = day + 1 WHERE event_id = ?",
                "DELETE FROM timeline_firsts WHERE event_id = ?",
                "INSERT INTO timeline_firsts VALUES (? || '-extra', 20170901)",
            ]
        )
    )
    with closing(sqlite3.connect(path)) as connection:
        with connection:
            connection.execute(damage, (event_id,))
        found = _sqlite_firsts.wrong(connection, analyst_tags())
    assert [each.removesuffix("-extra") for each in found] == [event_id]


@firsts_settings
@given(log=logs(max_size=12).filter(lambda log: len(log) >= 1), data=st.data())
def test_a_wrong_day_is_found(directory, log, data):
    """A day's count of first reports changed is named; a right table has none."""
    path = directory / f"{next(_NAMES)}.sqlite"
    _stored(log, path, [])
    with closing(sqlite3.connect(path)) as connection:
        assert _sqlite_firsts.wrong_days(connection, analyst_tags()) == []
    assume(_days(path))  # every claim voided: no day to damage
    day = data.draw(st.sampled_from(sorted(_days(path))))
    with closing(sqlite3.connect(path)) as connection:
        with connection:
            connection.execute(
                "UPDATE timeline_first_days SET ids = ids + 1 WHERE day = ?", (day,)
            )
        assert _sqlite_firsts.wrong_days(connection, analyst_tags()) == [day]


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (
            "UPDATE timeline_firsts SET day = day + 1",
            "the table of first days is wrong for happening",
        ),
        (
            "UPDATE timeline_first_days SET ids = ids + 1",
            "the count of happenings first reported on day",
        ),
        (
            # A merge where the log holds a claim.
            "INSERT INTO timeline_judgements VALUES (1, 'same_as', 'a', 'b', 20170901)",
            "the table of merges and amendments is wrong",
        ),
    ],
)
def test_check_finds_wrong_tables_and_rebuild_puts_them_right(
    tmp_path, capsys, damage, said
):
    """A problem of the index kind naming the table; --rebuild makes it again."""
    path = tmp_path / "log.sqlite"
    assert main(["export", str(path)]) == 0
    _damage(path, damage)
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    shown = capsys.readouterr()
    assert said in shown.out + shown.err
    assert "the log itself is intact" in shown.out + shown.err
    report = check(path)
    assert {problem.kind for problem in report.problems} == {ProblemKind.INDEX}
    assert main(["check", "--rebuild", str(path)]) == 0
    assert check(path).ok
    assert _table(path) == _truth(path)
    assert _days(path) == dict(Counter(_truth(path).values()))


def _published_days(log: EventLog) -> list[dt.date]:
    # Every day an entry was published on, and the day before the first.
    found = sorted({entry.event.report.published_day for entry in log})
    return [found[0] - dt.timedelta(days=1), *found] if found else []


@firsts_settings
@given(log=logs(max_size=30), cuts=st.lists(st.integers(0, 30), max_size=4))
def test_every_day_counts_as_the_loaded_log_through_voids_and_merges(
    directory, log, cuts
):
    """Amendments of amendments, merges, splits and revocations: each day is right.

    The tables kept batch by batch equal the tables built whole, and the
    count read from them equals the loaded log's on every day.
    """
    path = directory / f"{next(_NAMES)}.sqlite"
    _stored(log, path, cuts)
    with closing(sqlite3.connect(path)) as connection:
        assert _sqlite_firsts.wrong_voided(connection, analyst_tags()) == []
        assert _sqlite_firsts.wrong_corrections(connection, analyst_tags()) == []
    with EventLog.open(path, mode="r") as stored:
        for known in _published_days(log):
            assert stored.count(known) == len(log.as_of(known))


def _merged_and_voided() -> list[Entry]:
    # Claims about a, b and c; a merged with b, c's only claim voided, and a
    # split of b from a revoked: a count of 1 from the 25th.
    log = EventLog(clock=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    log.extend(
        claim(0, event_id, published).event
        for event_id, published in [
            ("a", "2017-09-23"),
            ("b", "2017-09-24"),
            ("c", "2017-09-24"),
        ]
    )
    tass = report("TASS", dt.date(2017, 9, 25))
    log.append(SameAs(event_id="a", other_event_id="b", report=tass))
    log.append(Amendment(event_id="c", voids=3, reason="typo", report=tass))
    split = log.append(Split(event_id="b", other_event_id="a", report=tass))
    log.append(Revocation(event_id="b", revokes=split.seq, reason="no", report=tass))
    return list(log)


def test_voids_and_merges_count_in_an_example(tmp_path):
    """The example's counts, day by day, from the tables."""
    path = tmp_path / "log.sqlite"
    with SQLiteStore(path) as store:
        store.append(_merged_and_voided())
    with EventLog.open(path, mode="r") as stored:
        counts = [stored.count(dt.date(2017, 9, day)) for day in (22, 23, 24, 25)]
    assert counts == [0, 1, 2, 1]


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        ("INSERT INTO timeline_voided VALUES (1)", "the table of voided entries"),
        ("DELETE FROM timeline_voided", "the table of voided entries"),
        (
            "UPDATE timeline_corrections SET delta = delta + 1",
            "the count of merged happenings is wrong on day 20170925",
        ),
        (
            "UPDATE timeline_correction_days SET delta = delta - 1",
            "the count of merged happenings is wrong on day 20170925",
        ),
    ],
)
def test_check_finds_wrong_voids_and_corrections(tmp_path, damage, said):
    """Each is an index problem naming the table; --rebuild makes it right."""
    path = tmp_path / "log.sqlite"
    with SQLiteStore(path) as store:
        store.append(_merged_and_voided())
    with closing(sqlite3.connect(path)) as connection:
        assert _sqlite_firsts.problems(connection, analyst_tags(), "x") == []
    _damage(path, damage)
    assert main(["check", str(path)]) == 1
    problems = check(path).problems
    assert any(said in str(problem) for problem in problems), problems
    assert {problem.kind for problem in problems} == {ProblemKind.INDEX}
    assert main(["check", "--rebuild", str(path)]) == 0
    assert check(path).ok
    with EventLog.open(path, mode="r") as stored:
        assert stored.count(dt.date(2017, 9, 25)) == 1


def test_a_chain_of_amendments_voids_and_restores_down_the_chain(tmp_path):
    """Voiding the amendment that voided an amendment voids its target again.

    Each in a batch of its own, so each is taken in by the tables' own
    bookkeeping, and every day counts as the loaded log.
    """
    log = EventLog(clock=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    log.extend([claim(0, "a", "2017-09-23").event, claim(0, "b", "2017-09-24").event])
    tass = report("TASS", dt.date(2017, 9, 25))
    for voids in (1, 3, 4):  # a's claim, then each amendment before
        log.append(Amendment(event_id="a", voids=voids, reason="typo", report=tass))
    path = tmp_path / "log.sqlite"
    with SQLiteStore(path) as store:
        for entry in log:
            store.append([entry])
            with closing(sqlite3.connect(path)) as connection:
                assert _sqlite_firsts.wrong_voided(connection, analyst_tags()) == []
    assert _sqlite_voided(path) == {1, 4}  # 5 voids 4, so 3 voids 1 again
    with EventLog.open(path, mode="r") as stored:
        for known in _published_days(log):
            assert stored.count(known) == len(log.as_of(known))
    assert _table(path) == _truth(path) == {"b": 20170924}


def _sqlite_voided(path: Path) -> set[int]:
    with closing(sqlite3.connect(path)) as connection:
        return _sqlite_firsts.voided(connection)


def irregular(voids: list[tuple[int, int]]) -> list[Entry]:
    """Return seven entries, claims but for the amendments (seq, voids) *voids*."""
    tass = report("TASS", dt.date(2017, 9, 25))
    amendments = dict(voids)
    entries = []
    for seq in range(1, 8):
        if seq in amendments:
            event: Event = Amendment(
                event_id="a", voids=amendments[seq], reason="typo", report=tass
            )
        else:
            event = claim(0, "ab"[seq % 2], f"2017-09-{20 + seq}").event
        entries.append(Entry(seq, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), event))
    return entries


IRREGULAR = [
    [(3, 3)],  # an amendment voiding itself
    [(3, 5)],  # one voiding a later seq: a claim voided from the start
    [(3, 3), (4, 3), (6, 4)],  # then chains over the first
    [(3, 5), (6, 3), (7, 6)],
]
"""Amendments the log's rules refuse, (seq, voids)."""


@pytest.mark.parametrize("voids", IRREGULAR)
def test_amendments_the_rules_refuse_count_as_the_fold_does(tmp_path, voids):
    """Given straight to the store, without the log's rules, still right.

    The log refuses an amendment of itself or of a later seq; a store takes
    what it is given, and its tables then follow the fold's reading of it,
    batch by batch.
    """
    entries = irregular(voids)
    path = tmp_path / "log.sqlite"
    with SQLiteStore(path) as store:
        for entry in entries:
            store.append([entry])
    with closing(sqlite3.connect(path)) as connection:
        assert _sqlite_firsts.problems(connection, analyst_tags(), "x") == []
    # The log itself refuses these entries: the fold over what the store
    # holds (`timeline.stores.as_of`, which reads no derived table) is the
    # reference.
    days = sorted({entry.event.report.published_day for entry in entries})
    with SQLiteStore(path, read_only=True) as store:
        assert [count(store, day) for day in days] == [
            len(as_of(store, day)) for day in days
        ]
