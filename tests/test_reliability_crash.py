"""Writers killed (SIGKILL) at hundreds of points lose nothing they acknowledged.

Each run forks a writer that appends batches of claims to a log and notes
each batch once ``extend`` has returned; the writer is killed at a point of
its write path (a torn write, just before or after ``fsync``) or after a
random delay. Then the log is checked, repaired if torn, and read: every
acknowledged entry is there, every entry is a complete claim, and the
repaired file and its side file hold every byte the writer left.
"""

import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from timeline.stores import ProblemKind, check, open_store, repair

from .writer_process import DONE, KILLED, WriterServer, expected, writer

pytestmark = pytest.mark.slow  # hundreds of killed writers: .ci/run selects them
TEAR_RUNS = 160
TIMED_RUNS = 60
RUNS_PER_LOG = 10  # Short logs keep every reopening cheap.


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WriterServer]:
    """Start one server that forks every writer of this module."""
    directory = tmp_path_factory.mktemp("server")
    started = WriterServer(directory / "stderr.txt")
    yield started
    started.close()


def acknowledged(acks: Path) -> dict[int, str]:
    """Return the seq and event_id of every entry the writers acknowledged."""
    if not acks.exists():
        return {}
    lines = acks.read_text(encoding="utf-8").splitlines()
    return {int(seq): event_id for seq, event_id in (line.split() for line in lines)}


def recover(
    path: Path, acks: Path, *, held: int, label: str, batches: list[int]
) -> int:
    """Check, repair and read *path*; assert nothing acknowledged is lost.

    *held* entries were there before writer *label* appended *batches*.
    Every entry it acknowledged must follow them, then either nothing or the
    whole batch it was appending when killed; every entry must be complete.
    Returns how many entries the log holds.
    """
    if not path.exists():
        return 0  # Killed before it created the file.
    before = path.read_bytes()
    report = check(path)
    assert {problem.kind for problem in report.problems} <= {ProblemKind.TORN}, report
    if report.torn is not None:
        assert report.torn.offset == report.intact_bytes
        repaired = repair(path)
        assert repaired.ok, repaired
        assert repaired.side_file is not None
        assert path.read_bytes() + repaired.side_file.read_bytes() == before
    with open_store(path, create=False) as store:
        entries = list(store.read())
    assert len(entries) == report.entries
    for entry in entries:
        assert entry.event == expected(entry.event.event_id)
    mine = {seq: id_ for seq, id_ in acknowledged(acks).items() if seq > held}
    assert [entries[seq - 1].event.event_id for seq in mine] == list(mine.values())
    done = len({event_id.split("/")[1] for event_id in mine.values()})
    in_flight = (
        [f"{label}/{done}/{i}" for i in range(batches[done])]
        if done < len(batches)
        else []
    )
    unacknowledged = [entry.event.event_id for entry in entries[held + len(mine) :]]
    assert unacknowledged in ([], in_flight)
    return len(entries)


def test_writers_torn_at_any_byte_lose_nothing_acknowledged(tmp_path, server):
    """A write cut at any byte, or a kill around fsync, loses no acknowledged entry."""
    rng = random.Random(6)
    torn = held = 0
    for run in range(TEAR_RUNS):
        group = run // RUNS_PER_LOG
        path, acks = tmp_path / f"log{group}.jsonl", tmp_path / f"acks{group}.txt"
        held = 0 if run % RUNS_PER_LOG == 0 else held
        batches = [rng.randint(1, 3) for _ in range(rng.randint(1, 4))]
        at = rng.randrange(len(batches))
        tear: dict[str, int | str]
        if rng.random() < 0.8:
            # One os.write per batch; a claim line is 300 to 1,000 bytes.
            tear = {"write": at + 1, "keep": rng.randint(0, 900 * batches[at])}
        else:
            tear = {"fsync": at + 1, "when": rng.choice(["before", "after"])}
        server.start(writer(path, acks, f"r{run}", batches, tear=tear))

        (end,) = server.reap()

        assert end in {KILLED, DONE}, server.errors()
        torn += path.exists() and check(path).torn is not None
        held = recover(path, acks, held=held, label=f"r{run}", batches=batches)
    assert torn > TEAR_RUNS // 4  # The runs did tear the file, and often.


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_writers_killed_at_random_moments_lose_nothing_acknowledged(
    tmp_path, server, suffix
):
    """A writer killed at any moment, opening or appending, loses nothing it acked."""
    rng = random.Random(suffix)
    held = 0
    for run in range(TIMED_RUNS):
        group = run // RUNS_PER_LOG
        path, acks = tmp_path / f"log{group}{suffix}", tmp_path / f"acks{group}.txt"
        held = 0 if run % RUNS_PER_LOG == 0 else held
        label = f"r{run}"
        batches = [rng.randint(1, 3) for _ in range(40)]
        (pid,) = server.start(writer(path, acks, label, batches))
        if run % 2:
            # Half the kills fall while appending, whatever the machine's speed.
            wait_for_an_acknowledgement(acks, label)
        time.sleep(rng.uniform(0, 0.03))
        # The server reaps the writer only when asked, so pid is still ours.
        os.kill(pid, signal.SIGKILL)

        (end,) = server.reap()

        assert end in {KILLED, DONE}, server.errors()
        held = recover(path, acks, held=held, label=label, batches=batches)


def wait_for_an_acknowledgement(acks: Path, label: str) -> None:
    """Return once writer *label* acknowledged an entry, or after ten seconds."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
        event_id.startswith(f"{label}/") for event_id in acknowledged(acks).values()
    ):
        time.sleep(0.001)
