"""A torn final append of a JSON Lines log: read-only readers read what is intact."""

import datetime as dt
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import _warning_printer, main
from timeline.errors import CorruptLogError, TornLogWarning
from timeline.model.events import Death
from timeline.stores import JsonlStore

from ..helpers import FakeClock, day, report


def death(event_id: str) -> Death:
    """Return a claim of a death, published 2017-09-24."""
    return Death(
        event_id=event_id,
        report=report("TASS", dt.date(2017, 9, 24)),
        person=event_id,
        when=day("2017-09-23"),
    )


def written(path: Path, batches: list[list[str]]) -> list[int]:
    """Append one batch of deaths per item; return where each batch ends."""
    ends = []
    with EventLog.open(path, clock=FakeClock()) as log:
        for batch in batches:
            log.extend(death(event_id) for event_id in batch)
            ends.append(path.stat().st_size)
    return ends


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(1, 3), min_size=1, max_size=5), data=st.data())
def test_a_read_only_open_reads_every_intact_batch(tmp_path_factory, sizes, data):
    """Cut anywhere inside the last batch, a reader keeps the batches before it."""
    path = tmp_path_factory.mktemp("torn") / "log.jsonl"
    batches = [[f"h{n}-{k}" for k in range(size)] for n, size in enumerate(sizes)]
    ends = written(path, batches)
    start = ends[-2] if len(ends) > 1 else 0
    cut = data.draw(st.integers(start + 1, ends[-1] - 1))
    path.write_bytes(path.read_bytes()[:cut])

    with pytest.warns(TornLogWarning) as caught:
        log = EventLog.open(path, mode="r")
    with log:
        held = [entry.event.event_id for entry in log]
        assert log.store is not None
        assert len(log.store) == len(held)

    assert held == [event_id for batch in batches[:-1] for event_id in batch]
    (warning,) = caught
    assert f"torn tail at byte {start}" in str(warning.message)
    assert f"timeline check --repair {path}" in str(warning.message)


def test_the_warning_is_given_once_per_open(tmp_path):
    """Asking the store again reads the same prefix, silently."""
    path = tmp_path / "log.jsonl"
    written(path, [["a"], ["b"]])
    path.write_bytes(path.read_bytes()[:-5])

    with pytest.warns(TornLogWarning):
        store = JsonlStore(path, read_only=True)
    with store, warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [entry.seq for entry in store.read()] == [1]
        assert len(store) == 1


def test_a_writable_open_still_refuses_a_torn_log(tmp_path):
    """Appending after a torn tail would bury it: the writer must repair first."""
    path = tmp_path / "log.jsonl"
    written(path, [["a"], ["b", "c"]])
    path.write_bytes(path.read_bytes()[:-5])

    with pytest.raises(CorruptLogError, match="interrupted"):
        EventLog.open(path)


def test_commands_read_the_intact_prefix_and_check_fails(tmp_path, capsys):
    """Known answers with a one-line warning; check still exits 1."""
    path = tmp_path / "log.jsonl"
    ends = written(path, [["a"], ["b"]])
    path.write_bytes(path.read_bytes()[:-5])
    capsys.readouterr()

    code = main(["known", "--on", "2017-09-30", "--log", str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "1 happening known" in out
    assert err == (
        f"timeline known: warning: {path}: an interrupted append left a torn tail "
        f"at byte {ends[0]}; reading the 1 intact entries before it. Repair it "
        f"with: timeline check --repair {path}\n"
    )
    assert main(["check", str(path)]) == 1


def test_other_warnings_are_shown_as_python_shows_them():
    """Only the torn tail's warning is the command's one line."""
    shown = []
    printer = _warning_printer("timeline", lambda *args: shown.append(args))

    printer("careful", UserWarning, "file.py", 1)

    assert shown == [("careful", UserWarning, "file.py", 1)]
