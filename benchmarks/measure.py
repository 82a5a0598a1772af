"""Each measurement, as a function of a prepared log: timeline's and the floors'.

Every function returns seconds (or bytes) and asserts nothing about them;
`benchmarks.run` turns them into per-claim figures and ratios.
"""

import datetime as dt
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import clock
from timeline import EventLog, stores
from timeline.model.events import Event
from timeline.projections import KnowledgeIndex, build_knowledge
from timeline.projections import diff as knowledge_diff

__all__ = [
    "BATCH",
    "Probe",
    "append_durable",
    "append_memory",
    "best_of",
    "build",
    "diff",
    "disk_bytes",
    "floor_json",
    "floor_loop",
    "full_as_of",
    "histories",
    "load",
    "point_queries",
    "probes",
    "resident_bytes",
    "store_as_of",
    "store_histories",
    "store_point_queries",
]

BATCH = 1000
"""Entries per batched append, for timeline and eventsourcing alike."""

Probe = tuple[str, dt.date]


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """Return the fastest of *repeat* timings of *action*, in seconds."""
    timings = []
    for _ in range(max(repeat, 1)):
        gc.collect()
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def _extend_in_batches(log: EventLog, events: Sequence[Event]) -> None:
    for start in range(0, len(events), BATCH):
        log.extend(events[start : start + BATCH])


def append_memory(events: Sequence[Event]) -> tuple[float, EventLog]:
    """Return the time to append *events* in batches to a log in memory, and the log."""
    log = EventLog(clock=clock())
    start = time.perf_counter()
    _extend_in_batches(log, events)
    return time.perf_counter() - start, log


def append_durable(events: Sequence[Event], path: Path) -> float:
    """Return the time to append *events* in batches to a new file store at *path*.

    The suffix picks the store; every batch is on disk before the next.
    """
    start = time.perf_counter()
    with EventLog.open(path, clock=clock()) as log:
        _extend_in_batches(log, events)
    return time.perf_counter() - start


def load(path: Path) -> tuple[float, int]:
    """Return the time to open the stored log at *path*, and its length.

    Opening reads every entry, verifies the hash chain, decodes and checks
    every entry and indexes it.
    """
    start = time.perf_counter()
    with EventLog.open(path, load=True) as log:
        elapsed = time.perf_counter() - start
        return elapsed, len(log)


def build(log: EventLog, as_of: dt.date) -> float:
    """Return the time to fold the whole log into `Knowledge` as of *as_of*."""
    entries = list(log)
    start = time.perf_counter()
    build_knowledge(entries, as_of=as_of)
    return time.perf_counter() - start


def probes(log: EventLog, count: int, *, seed: int = 7) -> list[Probe]:
    """Return *count* (happening id, knowledge date) pairs to ask the log about.

    Each date falls within three weeks after the happening's first entry
    was published, when most of what is known of it arrives.
    """
    rng = random.Random(seed)
    entries = list(log)
    chosen = []
    for _ in range(count):
        entry = entries[rng.randrange(len(entries))]
        published = entry.event.report.published_day
        chosen.append(
            (entry.event.event_id, published + dt.timedelta(days=rng.randint(0, 21)))
        )
    return chosen


def point_queries(log: EventLog, asked: Sequence[Probe]) -> list[float]:
    """Return the time of each point query (one happening as of one date)."""
    timings = []
    happening = log.happening
    for event_id, day in asked:
        start = time.perf_counter()
        happening(event_id, as_of=day)
        timings.append(time.perf_counter() - start)
    return timings


def histories(log: EventLog, event_ids: Sequence[str]) -> list[float]:
    """Return the time of each ``history`` of one happening, from the loaded log."""
    timings = []
    for event_id in event_ids:
        start = time.perf_counter()
        log.history(event_id)
        timings.append(time.perf_counter() - start)
    return timings


def store_histories(path: Path, event_ids: Sequence[str]) -> list[float]:
    """Return the time of each history of one happening read from the store at *path*.

    `timeline.stores.history`, each from a store just opened.
    """
    timings = []
    for event_id in event_ids:
        gc.collect()
        start = time.perf_counter()
        with stores.open_store(path, create=False) as store:
            stores.history(store, event_id)
        timings.append(time.perf_counter() - start)
    return timings


def store_point_queries(path: Path, asked: Sequence[Probe]) -> list[float]:
    """Return the time of each point query read from the store at *path*.

    `timeline.stores.happening`, each query from a store just opened.
    """
    timings = []
    for event_id, day in asked:
        gc.collect()
        start = time.perf_counter()
        with stores.open_store(path, create=False) as store:
            stores.happening(store, event_id, as_of=day)
        timings.append(time.perf_counter() - start)
    return timings


def store_as_of(path: Path, day: dt.date) -> float:
    """Return the time of a full ``as_of(day)`` read from the store at *path*.

    `timeline.stores.as_of`, from a store just opened.
    """
    gc.collect()
    start = time.perf_counter()
    with stores.open_store(path, create=False) as store:
        stores.as_of(store, day)
    return time.perf_counter() - start


def full_as_of(log: EventLog, day: dt.date, *, after: dt.date | None = None) -> float:
    """Return the time of an ``as_of(day)`` query: every happening as of that date.

    Asked of a fresh index over the log's entries (built before the clock
    starts), so the query is the first it answers; with *after*, the index
    first answers as of *after*, untimed, and keeps that answer as its
    checkpoint, as a log does between queries.
    """
    index = KnowledgeIndex(log)
    if after is not None:
        index.as_of(after)
    start = time.perf_counter()
    index.as_of(day)
    return time.perf_counter() - start


def diff(log: EventLog, since: dt.date, until: dt.date, *, warm: bool) -> float:
    """Return the time of a diff from *since* to *until*.

    Cold, ``diff(entries, since, until)``: two full folds. Warm,
    ``log.diff(since, until)`` after the log answered as of *until*.
    """
    if not warm:
        entries = list(log)
        start = time.perf_counter()
        knowledge_diff(entries, since, until)
        return time.perf_counter() - start
    log.as_of(until)
    start = time.perf_counter()
    log.diff(since, until)
    return time.perf_counter() - start


def disk_bytes(path: Path) -> int:
    """Return the bytes a closed store takes on disk, side files included."""
    side = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    return sum(item.stat().st_size for item in [path, *side] if item.exists())


def floor_loop(
    rows: Sequence[tuple[str, str, str, str, tuple[Any, ...]]],
) -> tuple[float, int]:
    """Return the time to fold plain tuples into dicts, and the happenings folded.

    The floor of any fold: for each happening, for each field, each value
    with the outlets stating it. The cyclic garbage collector is paused, as
    timeline pauses it while folding and loading.
    """
    gc.disable()
    start = time.perf_counter()
    state: dict[str, dict[str, dict[str, list[str]]]] = {}
    for event_id, _kind, _published, outlet, facts in rows:
        fields = state.get(event_id)
        if fields is None:
            fields = state[event_id] = {}
        for name, value in facts:
            fields.setdefault(name, {}).setdefault(value, []).append(outlet)
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed, len(state)


_PROVENANCE = frozenset({"event_id", "report", "attribution", "quote"})
_PROVENANCE |= {"reliability", "credibility", "note"}


def floor_json(path: Path) -> tuple[float, int]:
    """Return the time to ``json.loads`` and fold each line, and the happenings.

    The fold is `floor_loop`'s, on the decoded dicts, the collector paused.
    """
    provenance = _PROVENANCE
    gc.disable()
    start = time.perf_counter()
    state: dict[str, dict[str, dict[str, list[str]]]] = {}
    with path.open("rb") as lines:
        for line in lines:
            record = json.loads(line)
            payload = record["payload"]
            outlet = payload["report"]["outlet"]["name"]
            fields = state.get(payload["event_id"])
            if fields is None:
                fields = state[payload["event_id"]] = {}
            for name, value in payload.items():
                if name not in provenance:
                    key = value if isinstance(value, str) else str(value)
                    fields.setdefault(name, {}).setdefault(key, []).append(outlet)
    elapsed = time.perf_counter() - start
    gc.enable()
    return elapsed, len(state)


def resident_bytes(path: Path) -> tuple[int, int]:
    """Return the resident memory a new process gains opening *path*, and the entries.

    Measured in a child process (so nothing else it did is counted): its
    resident set size after ``EventLog.open(path)`` and a garbage collection,
    minus before.
    """
    code = (
        "import gc, json, sys\n"
        "from benchmarks.measure import _rss\n"
        "import timeline.stores\n"
        "from timeline import EventLog\n"
        "gc.collect(); before = _rss()\n"
        "log = EventLog.open(sys.argv[1], load=True); log.close()\n"
        "gc.collect(); after = _rss()\n"
        "print(json.dumps([after - before, len(log)]))\n"
    )
    root = Path(__file__).resolve().parent.parent
    paths = [str(root), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    output = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-c", code, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    ).stdout
    gained, entries = json.loads(output)
    return int(gained), int(entries)


def _rss() -> int:
    # Linux: the second field of /proc/self/statm is resident pages.
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def median(values: Sequence[float]) -> float:
    """Return the median of *values*."""
    return statistics.median(values)
