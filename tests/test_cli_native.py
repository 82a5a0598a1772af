"""The commands answer a SQLite log from the database, as they answer the corpus."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.cli import main
from timeline.stores import SQLiteStore
from timeline.strategies import logs

COMMANDS = [
    ["known", "--on", "2017-10-04"],
    ["known", "--on", "2017-10-04", "--about", "asapov-death"],
    ["known", "--on", "2017-10-04", "--about", "ASAPOV-DEATH"],
    ["known", "--on", "2017-10-04", "--about", "TASS"],
    ["known", "--on", "2017-10-04", "--about", "tass", "--seq", "20"],
    ["known", "--on", "2017-09-28", "--about", "de", "--full"],
    ["known", "--on", "2017-10-04", "--source", "TASS", "--about", "death"],
    ["conflicts"],
    ["conflicts", "--on", "2017-09-30", "--about", "asapov"],
    ["diff", "2017-09-27", "2017-10-04"],
    ["history", "asapov-death"],
    ["history", "asapov-deth"],
]


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the bundled corpus, exported to a SQLite log."""
    path = tmp_path_factory.mktemp("native-cli") / "corpus.sqlite"
    assert main(["export", str(path)]) == 0
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("as_json", [False, True])
def test_a_sqlite_log_answers_as_the_corpus_it_holds(
    capsys, corpus_db, command, as_json
):
    """Text and JSON, every command, byte for byte (the log's name apart)."""
    extra = ["--json"] if as_json else []
    capsys.readouterr()
    expected = (main([*command, *extra]), *capsys.readouterr())
    found = (main([*command, "--log", str(corpus_db), *extra]), *capsys.readouterr())

    assert found == tuple(
        part.replace("the bundled corpus", str(corpus_db))
        if isinstance(part, str)
        else part
        for part in expected
    )


@settings(
    max_examples=10,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(log=logs(), on=st.dates(dt.date(2017, 9, 1), dt.date(2017, 10, 31)))
def test_known_about_counts_what_the_log_knew(tmp_path_factory, capsys, log, on):
    """The headline's count of known happenings is the loaded log's."""
    path = tmp_path_factory.mktemp("count") / "log.sqlite"
    with SQLiteStore(path) as store:
        if len(log):
            store.append(list(log))
    capsys.readouterr()
    assert (
        main(["known", "--on", on.isoformat(), "--about", "alpha", "--log", str(path)])
        == 0
    )
    out, _ = capsys.readouterr()
    total = len(log.as_of(on))
    assert f" of {total:,} happening" in out
