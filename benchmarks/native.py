"""Cold processes against a big SQLite log: questions answered by the database.

Usage::

    python -m benchmarks.native [--sizes 100000,1000000] [--json PATH] [--keep DIR]

For each size it generates the log (`benchmarks.generate`), appends it
durably to a new SQLite database with ``EventLog.open`` (batches of 1,000,
its text index maintained in the same transactions), and then times, each
in a new process, the best of three runs:

- ``timeline known --on DAY --about ID --log big.sqlite`` and ``timeline
  history ID --log big.sqlite``, beside the same commands on the bundled
  corpus, with each process's peak resident memory;
- the first full ``as_of`` of a cold process (open the log, ask for the
  median publication day), beside DuckDB answering the core of that
  question over the same claims in a database file of its own (``SELECT
  event_id, field, value, list(outlet), min(published) ... WHERE published
  <= D GROUP BY event_id, field, value``, fetched into Python), also from a
  cold process.

Prints the figures and writes them as JSON; docs/performance.md quotes
them. With ``--keep DIR`` the logs stay in DIR, and a later run asks those
it finds there again without making them (a ten-million-claim log takes
about twenty minutes to make). Needs DuckDB (the ``bench`` extra) for the
last comparison.
"""

import argparse
import contextlib
import datetime as dt
import importlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks import measure
from benchmarks.generate import claims, clock, stream
from timeline import EventLog
from timeline.model.events import Event
from timeline.stores import _sqlite_text

__all__ = ["main", "run_size"]

_REPEAT = 3
_PLAIN_UP_TO = 100_000
"""Up to this size, the append is also measured without the text index."""
_CORPUS_DAY = "2017-10-04"
_CORPUS_ID = "asapov-death"

_AS_OF = """
import sys, time, datetime as dt
start = time.perf_counter()
from timeline import EventLog
from timeline.model.events import Event
from timeline.stores import _sqlite_text
with EventLog.open(sys.argv[1], mode="r") as log:
    knowledge = log.as_of(dt.date.fromisoformat(sys.argv[2]))
print(time.perf_counter() - start, len(knowledge))
"""

_DUCKDB = """
import sys, time
start = time.perf_counter()
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
connection.execute("SET enable_progress_bar = false")
rows = connection.execute(
    "SELECT event_id, field, value, list(outlet), min(published) FROM facts "
    "WHERE published <= CAST(? AS DATE) GROUP BY event_id, field, value",
    [sys.argv[2]],
).fetchall()
print(time.perf_counter() - start, len(rows))
"""


def _environment() -> dict[str, str]:
    root = Path(__file__).resolve().parent.parent
    paths = [str(root / "src"), str(root)]
    paths += filter(None, [os.environ.get("PYTHONPATH")])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def cold(argv: Sequence[str]) -> str:
    """Run *argv* in a new process; return what it printed."""
    done = subprocess.run(  # noqa: S603  # our own interpreter and code
        list(argv), capture_output=True, env=_environment(), check=False
    )
    if done.returncode != 0:
        msg = f"{argv!r} failed: {done.stderr.decode()}"
        raise RuntimeError(msg)
    return done.stdout.decode()


_PEAK = """
import atexit, runpy, sys

def peak():
    # The high-water mark of this process's own memory: VmHWM, which
    # (unlike ru_maxrss) does not count the parent's pages at fork.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print(int(line.split()[1]) * 1024, file=sys.__stderr__)

atexit.register(peak)
sys.argv = ["timeline", *sys.argv[1:]]
runpy.run_module("timeline", run_name="__main__", alter_sys=True)
"""


def cold_with_memory(argv: Sequence[str]) -> tuple[float, int]:
    """Run ``timeline *argv*`` in a new process; return its wall time and peak RSS."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-c", _PEAK, *argv],
        capture_output=True,
        env=_environment(),
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        msg = f"{argv!r} failed: {done.stderr.decode()}"
        raise RuntimeError(msg)
    return elapsed, int(done.stderr.decode().split()[-1])


def _best(argv: Sequence[str]) -> dict[str, float]:
    runs = [cold_with_memory(argv) for _ in range(_REPEAT)]
    return {"seconds": min(t for t, _ in runs), "rss": max(m for _, m in runs)}


def _timed_inside(code: str, *args: str) -> float:
    # The best time a new process reports for its own work (imports
    # included), over the runs.
    return min(
        float(cold([sys.executable, "-c", code, *args]).split()[-2])
        for _ in range(_REPEAT)
    )


def run_size(size: int, workdir: Path, *, keep: bool = False) -> dict[str, Any]:
    """Measure the cold commands at *size* claims; files go under *workdir*.

    With *keep*, the databases and what the questions ask about stay in
    *workdir*, and a log found there already is asked again without
    being made (no append figures, then).
    """
    figures: dict[str, Any] = {"size": size}
    path = workdir / f"big-{size}.sqlite"
    duckdb_path = workdir / f"big-{size}.duckdb"
    asked = workdir / f"big-{size}.json"
    if keep and path.exists() and asked.exists():
        _say(f"{size}: the log kept in {workdir}, asked again")
        figures |= json.loads(asked.read_text(encoding="utf-8"))
        figures["reused"] = True
        # Opened for writing once, as a user's first append would: it
        # builds the derived tables an older timeline did not keep.
        start = time.perf_counter()
        with EventLog.open(path):
            pass
        figures["open_writable_seconds"] = time.perf_counter() - start
        return _ask(figures, path, duckdb_path, keep=keep)
    if size <= _PLAIN_UP_TO:
        _say(f"{size}: durable append to SQLite, no text index (as before)")
        plain = workdir / f"plain-{size}.sqlite"
        has_fts5 = _sqlite_text.has_fts5
        _sqlite_text.has_fts5 = lambda connection: False
        try:
            figures["append_plain_per_second"] = size / _append(
                stream(size), plain, None
            )
        finally:
            _sqlite_text.has_fts5 = has_fts5
        plain.unlink()
    _say(f"{size}: durable append to SQLite, text index maintained")
    shape = _Shape(size)
    figures["append_seconds"] = _append(
        shape.watch(stream(size)), path, _DuckDB.made(duckdb_path)
    )
    figures["append_per_second"] = size / figures["append_seconds"]
    figures["event_id"], figures["day"] = shape.middle_id, shape.last.isoformat()
    figures["as_of_day"] = shape.median().isoformat()
    if keep:
        question = {key: figures[key] for key in ("event_id", "day", "as_of_day")}
        asked.write_text(json.dumps(question) + "\n", encoding="utf-8")
    return _ask(figures, path, duckdb_path, keep=keep)


def _ask(
    figures: dict[str, Any], path: Path, duckdb_path: Path, *, keep: bool
) -> dict[str, Any]:
    # Times the cold commands against the log at *path*, into *figures*.
    size, event_id, on = figures["size"], figures["event_id"], figures["day"]
    figures["disk_bytes"] = measure.disk_bytes(path)
    _say(f"{size}: cold commands")
    figures["known_about"] = _best(
        ["known", "--on", on, "--about", event_id, "--log", str(path)]
    )
    figures["known_about_corpus"] = _best(
        ["known", "--on", _CORPUS_DAY, "--about", _CORPUS_ID]
    )
    figures["history"] = _best(["history", event_id, "--log", str(path)])
    figures["history_corpus"] = _best(["history", _CORPUS_ID])
    _say(f"{size}: first full as_of, cold, beside DuckDB")
    middle = figures["as_of_day"]
    figures["as_of_cold"] = _timed_inside(_AS_OF, str(path), middle)
    figures["duckdb_cold"] = (
        _timed_inside(_DUCKDB, str(duckdb_path), middle)
        if duckdb_path.exists()
        else None
    )
    if not keep:
        path.unlink()
        duckdb_path.unlink(missing_ok=True)
    return figures


class _Shape:
    # What the benchmark asks about, noted as the events stream by: the
    # latest and median publication days, and the middle event's id.

    def __init__(self, size: int) -> None:
        self.size = size
        self.days: Counter[dt.date] = Counter()
        self.middle_id = ""

    def watch(self, events: Iterable[Event]) -> Iterator[Event]:
        for index, event in enumerate(events):
            self.days[event.report.published_day] += 1
            if index == self.size // 2:
                self.middle_id = event.event_id
            yield event

    @property
    def last(self) -> dt.date:
        return max(self.days)

    def median(self) -> dt.date:
        seen = 0
        for day in sorted(self.days):
            seen += self.days[day]
            if seen > self.size // 2:
                return day
        return max(self.days)  # pragma: no cover  # the loop returns


class _DuckDB:
    # The same claims, as a flat table in a DuckDB file of its own, filled
    # in chunks as the events stream by (ten million do not fit in memory
    # as Python objects).

    _CHUNK = 100_000

    def __init__(self, path: Path) -> None:
        import duckdb  # noqa: PLC0415  # optional: the bench extra

        self._connection = duckdb.connect(str(path))
        self._connection.execute(
            "CREATE TABLE facts (event_id VARCHAR, field VARCHAR, value VARCHAR, "
            "outlet VARCHAR, published DATE)"
        )
        self._pending: list[Event] = []

    @classmethod
    def made(cls, path: Path) -> "_DuckDB | None":
        try:
            return cls(path)
        except ImportError:
            return None

    def add(self, events: Sequence[Event]) -> None:
        self._pending.extend(events)
        if len(self._pending) >= self._CHUNK:
            self.flush()

    def flush(self) -> None:
        pa = importlib.import_module("pyarrow")  # the bench extra has it
        columns: dict[str, list[Any]] = {
            name: [] for name in ("event_id", "field", "value", "outlet", "published")
        }
        for event_id, _, published, outlet, pairs in claims(self._pending):
            for field, value in pairs:
                for name, item in zip(
                    columns, (event_id, field, value, outlet, published), strict=True
                ):
                    columns[name].append(item)
        chunk = pa.table(columns)
        self._connection.register("chunk", chunk)
        self._connection.execute(
            "INSERT INTO facts SELECT event_id, field, value, outlet, "
            "CAST(published AS DATE) FROM chunk"
        )
        self._connection.unregister("chunk")
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        self._connection.close()


def _append(events: Iterable[Event], path: Path, duckdb: _DuckDB | None) -> float:
    # Durably, in batches of 1,000, each committed before the next; the
    # time of the appends alone, not of making the events.
    spent = 0.0
    with EventLog.open(path, clock=clock()) as log:
        items = iter(events)
        while batch := list(itertools.islice(items, 1000)):
            start = time.perf_counter()
            log.extend(batch)
            spent += time.perf_counter() - start
            if duckdb is not None:
                duckdb.add(batch)
    if duckdb is not None:
        duckdb.close()
    return spent


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurements; print and write them; return 0."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.native")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--json", type=Path, default=Path("benchmarks/native.json"))
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the logs in DIR, and ask those found there again without "
        "making them",
    )
    arguments = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
    runs = []
    with contextlib.ExitStack() as stack:
        if arguments.keep is not None:
            arguments.keep.mkdir(parents=True, exist_ok=True)
            workdir = str(arguments.keep)
        else:
            workdir = stack.enter_context(
                tempfile.TemporaryDirectory(dir=arguments.workdir)
            )
        for size in sizes:
            runs.append(run_size(size, Path(workdir), keep=arguments.keep is not None))
            arguments.json.write_text(
                json.dumps({"runs": runs}, indent=2) + "\n", encoding="utf-8"
            )
            print(json.dumps(runs[-1], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
