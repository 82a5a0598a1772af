"""A torn tail of a JSON Lines log hides nothing committed from readers.

An append cut short (a crash, a full disk) leaves a final line without its
newline, or a batch without its last lines. Appending and ``timeline check``
refuse such a log until ``timeline check --repair`` moves the tail aside;
reading it (a read-only open, every command that only asks) reads the
committed entries before the tear and warns once.
"""

import itertools
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.errors import CorruptLogError, TornTailWarning
from timeline.stores import JsonlStore

from .entries import death

_FILES = itertools.count()


def _stored(directory: Path, sizes: list[int]) -> tuple[Path, list[int]]:
    """Return a log appended in batches of *sizes*, and the byte each batch ends at."""
    path = directory / f"log-{next(_FILES)}.jsonl"
    seqs = itertools.count(1)
    ends = []
    with JsonlStore(path) as store:
        for size in sizes:
            store.append([death(next(seqs)) for _ in range(size)])
            ends.append(path.stat().st_size)
    return path, ends


def _read_only(path: Path) -> tuple[list[int], list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with JsonlStore(path, read_only=True) as store:
            seqs = [entry.seq for entry in store.read()]
            assert len(store) == len(seqs)  # a second read warns no more
    return seqs, caught


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=5),
    data=st.data(),
)
def test_a_read_only_open_reads_every_batch_committed_before_a_cut(
    tmp_path, sizes, data
):
    """Wherever the file is cut, readers get exactly the whole batches before it."""
    path, ends = _stored(tmp_path, sizes)
    whole = path.read_bytes()
    cut = data.draw(st.integers(0, len(whole)), label="cut")
    path.write_bytes(whole[:cut])

    seqs, caught = _read_only(path)

    committed = sum(size for size, end in zip(sizes, ends, strict=True) if end <= cut)
    assert seqs == list(range(1, committed + 1))
    intact = max([0, *(end for end in ends if end <= cut)])
    if cut == intact:
        assert caught == []
    else:
        [warning] = caught
        assert warning.category is TornTailWarning
        assert f"committed entries before byte {intact}." in str(warning.message)
        assert f"timeline check --repair {path}" in str(warning.message)
        with pytest.raises(CorruptLogError, match="intact up to byte"):
            JsonlStore(path)  # a writer still refuses it
    assert path.read_bytes() == whole[:cut]


def _torn(tmp_path: Path) -> Path:
    path, _ = _stored(tmp_path, [1, 2])
    with path.open("ab") as file:
        file.write(b'{"seq":4,"recorded_at":"2026-')
    return path


def test_event_log_open_read_only_reads_the_committed_entries(tmp_path):
    """``EventLog.open(path, mode="r")`` answers from what was committed."""
    path = _torn(tmp_path)

    with pytest.warns(TornTailWarning, match="reading the 3 committed entries"):
        log = EventLog.open(path, mode="r")
    with log:
        assert [entry.seq for entry in log] == [1, 2, 3]


def test_commands_that_ask_warn_once_and_check_still_fails(tmp_path, capsys):
    """``known`` answers with one warning line; ``check`` exits 1 until repaired."""
    path = _torn(tmp_path)
    size = path.stat().st_size

    assert main(["known", "--on", "2017-10-01", "--log", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "asapov-death" in out
    [line] = err.splitlines()
    assert line.startswith(f"timeline known: warning: {path}: torn final line at byte ")
    assert line.endswith(f"Repair with: timeline check --repair {path}")

    assert main(["check", str(path)]) == 1
    assert "torn final line" in capsys.readouterr().err
    assert path.stat().st_size == size

    assert main(["check", "--repair", str(path)]) == 0
    capsys.readouterr()
    assert main(["known", "--on", "2017-10-01", "--log", str(path)]) == 0
    assert capsys.readouterr().err == ""
