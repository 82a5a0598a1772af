"""Run the benchmark suite and write docs/performance.md.

Usage::

    pip install -e '.[bench]'
    python -m benchmarks.run [--sizes 10000,100000,1000000] [--out docs/performance.md]

Every size generates its log deterministically (`benchmarks.generate`), then
measures, in this one process and on this one machine: timeline (append in
memory and durably to JSON Lines and SQLite, load, build, point query, full
``as_of``, ``diff``, memory, disk), the two floors, and eventsourcing (when
installed). Raw figures go to ``--json`` too, so ``--from-json`` can rewrite
the report without measuring again.
"""

import argparse
import datetime as dt
import gc
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import measure
from benchmarks.generate import SEED, START, claims, generate
from benchmarks.report import write_report
from timeline import EventLog
from timeline.model.events import Event

__all__ = ["main", "run_size"]

Results = dict[str, Any]

_OUT = Path("docs/performance.md")
_STORE_PROBES = 20
_HISTORIES = 100
"""Point queries read from SQLite: each scans the table once, so fewer."""
_RESULTS = Path("benchmarks/results.json")


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_size(
    size: int,
    workdir: Path,
    *,
    rival: bool = True,
    probes: int = 1000,
    say: Callable[[str], None] = _say,
) -> Results:
    """Measure everything at *size* claims; files go under *workdir*."""
    # The machine may be shared: the best of several runs is the one least
    # disturbed by others, and small sizes are cheap to repeat.
    repeat = 5 if size <= 10_000 else 3 if size <= 100_000 else 1
    figures: Results = {"size": size}
    say(f"{size}: generating")
    events = generate(size)
    rows = claims(events)
    days = sorted(event.report.published_day for event in events)
    last, middle = days[-1], days[len(days) // 2]
    figures["as_of_day"] = middle.isoformat()

    jsonl, sqlite = workdir / f"log-{size}.jsonl", workdir / f"log-{size}.sqlite"
    say(f"{size}: timeline durable append")
    # Before the log in memory is built, so the process holds what it holds
    # when eventsourcing appends: the events and their rows, no other log.
    # (A second log of a million entries alive makes the collector's full
    # pass a quarter slower and the append about a tenth.)
    figures["append_jsonl"] = _append_durable(events, jsonl, repeat)
    figures["append_sqlite"] = _append_durable(events, sqlite, repeat)
    figures["disk_jsonl"] = measure.disk_bytes(jsonl)
    figures["disk_sqlite"] = measure.disk_bytes(sqlite)

    say(f"{size}: timeline append in memory")
    # Appends are repeated like the rest (the first in a process also
    # generates the codec's code for each event class); the last log stays.
    timings = []
    for _ in range(repeat):
        elapsed, log = measure.append_memory(events)
        timings.append(elapsed)
    figures["append_memory"] = min(timings)

    say(f"{size}: timeline load")
    figures["load_jsonl"] = min(measure.load(jsonl)[0] for _ in range(repeat))
    figures["load_sqlite"] = min(measure.load(sqlite)[0] for _ in range(repeat))
    say(f"{size}: floors")
    figures["floor_loop"] = min(measure.floor_loop(rows)[0] for _ in range(repeat))
    figures["floor_json"] = min(measure.floor_json(jsonl)[0] for _ in range(repeat))

    say(f"{size}: timeline queries")
    figures["build"] = min(measure.build(log, last) for _ in range(repeat))
    asked = measure.probes(log, probes)
    figures |= _point_queries(log, asked)
    figures["as_of"] = min(measure.full_as_of(log, middle) for _ in range(repeat))
    week_before = middle - dt.timedelta(days=7)
    figures["as_of_step"] = min(
        measure.full_as_of(log, middle, after=week_before) for _ in range(repeat)
    )
    since = middle - dt.timedelta(days=30)
    figures["diff_cold"] = min(
        measure.diff(log, since, middle, warm=False) for _ in range(repeat)
    )
    # Cheap to repeat at any size: after the first, the log's checkpoint is
    # already at *middle*.
    figures["diff"] = min(
        measure.diff(log, since, middle, warm=True) for _ in range(max(repeat, 3))
    )
    del log
    gc.collect()

    say(f"{size}: timeline queries read from SQLite, not loaded")
    figures |= _store_queries(sqlite, asked, middle, repeat)

    say(f"{size}: resident memory")
    gained, loaded = measure.resident_bytes(sqlite)
    figures["resident"] = gained
    figures["resident_entries"] = loaded

    if rival:
        figures |= _rival(
            events,
            rows=rows,
            workdir=workdir,
            middle=middle,
            asked=asked[:100],
            say=say,
        )
    for path in (jsonl, sqlite):
        path.unlink()
    return figures


def _point_queries(log: EventLog, asked: Sequence[measure.Probe]) -> Results:
    # One happening as of a date, and one happening's history, from the
    # loaded log.
    measure.point_queries(log, asked[: len(asked) // 10])  # warm up
    timings = sorted(measure.point_queries(log, asked))
    histories = measure.histories(log, [event_id for event_id, _ in asked[:_HISTORIES]])
    return {
        "point_median": measure.median(timings),
        "point_p95": timings[int(len(timings) * 0.95)],
        "history_median": measure.median(histories),
    }


def _store_queries(
    path: Path, asked: Sequence[measure.Probe], middle: dt.date, repeat: int
) -> Results:
    # `timeline.stores.happening`, `history` and `as_of` on the SQLite log,
    # unloaded.
    timings = measure.store_point_queries(path, asked[:_STORE_PROBES])
    histories = measure.store_histories(
        path, [event_id for event_id, _ in asked[:_STORE_PROBES]]
    )
    return {
        "store_point_median": measure.median(timings),
        "store_history_median": measure.median(histories),
        "store_as_of": min(measure.store_as_of(path, middle) for _ in range(repeat)),
    }


def _append_durable(events: Sequence[Event], path: Path, repeat: int) -> float:
    # The best of *repeat* appends, each to a new file at *path*, which the
    # last one leaves for the loads.
    timings = []
    for _ in range(repeat):
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink()
        timings.append(measure.append_durable(events, path))
    return min(timings)


def _rival(
    events: Sequence[Event],
    *,
    rows: Sequence[Any],
    workdir: Path,
    middle: dt.date,
    asked: Sequence[measure.Probe],
    say: Callable[[str], None],
) -> Results:
    from benchmarks import rival  # noqa: PLC0415  # needs the bench extra

    size = len(events)
    figures: Results = {}
    say(f"{size}: eventsourcing (POPO) append, replay, scan")
    app = rival.open_application()
    start = time.perf_counter()
    ids = rival.append(app, rows, batch=measure.BATCH)
    figures["es_append_popo"] = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    rival.replay(app, ids)
    figures["es_replay_popo"] = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    rival.state_as_of(app, middle.isoformat())
    figures["es_scan_popo"] = time.perf_counter() - start
    timings = []
    for event_id, day in asked:
        start = time.perf_counter()
        rival.point_as_of(app, event_id, day.isoformat())
        timings.append(time.perf_counter() - start)
    figures["es_point_popo"] = measure.median(timings)
    del app
    gc.collect()

    say(f"{size}: eventsourcing (SQLite) append, replay, scan")
    path = workdir / f"es-{size}.sqlite"
    app = rival.open_application(str(path))
    start = time.perf_counter()
    ids = rival.append(app, rows, batch=measure.BATCH)
    figures["es_append_sqlite"] = time.perf_counter() - start
    figures["es_disk_sqlite"] = measure.disk_bytes(path)
    gc.collect()
    start = time.perf_counter()
    rival.replay(app, ids)
    figures["es_replay_sqlite"] = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    rival.state_as_of(app, middle.isoformat())
    figures["es_scan_sqlite"] = time.perf_counter() - start
    app.close()
    for leftover in workdir.glob(f"es-{size}.sqlite*"):
        leftover.unlink()
    return figures


def machine() -> dict[str, str]:
    """Return what the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:  # pragma: no cover - not Linux
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        rival = importlib.metadata.version("eventsourcing")
    except importlib.metadata.PackageNotFoundError:
        rival = "not installed"
    root = Path(__file__).resolve().parent.parent
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if commit and changed:
        commit += " with uncommitted changes"
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory / 2**30:.0f} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "eventsourcing": rival,
        "commit": commit or "unknown",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; return 0."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="comma-separated log sizes, in claims",
    )
    parser.add_argument("--out", default=_OUT, type=Path)
    parser.add_argument(
        "--json",
        default=None,
        type=Path,
        help="raw figures; benchmarks/results.json for the default --out, "
        "else beside --out",
    )
    parser.add_argument(
        "--from-json", action="store_true", help="only rewrite the report"
    )
    parser.add_argument("--no-rival", action="store_true", help="skip eventsourcing")
    parser.add_argument("--workdir", type=Path, default=None)
    arguments = parser.parse_args(argv)
    if arguments.json is None:
        arguments.json = (
            _RESULTS if arguments.out == _OUT else arguments.out.with_suffix(".json")
        )
    if arguments.from_json:
        stored = json.loads(arguments.json.read_text(encoding="utf-8"))
    else:
        sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
        given = list(sys.argv[1:] if argv is None else argv)
        command = " ".join(["python -m benchmarks.run", *given])
        stored = {
            "machine": machine(),
            "seed": SEED,
            "start": START.isoformat(),
            "command": command,
            "runs": [],
        }
        with tempfile.TemporaryDirectory(dir=arguments.workdir) as workdir:
            for size in sizes:
                stored["runs"].append(
                    run_size(size, Path(workdir), rival=not arguments.no_rival)
                )
                arguments.json.write_text(
                    json.dumps(stored, indent=2) + "\n", encoding="utf-8"
                )
    write_report(stored, arguments.out)
    _say(f"wrote {arguments.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
