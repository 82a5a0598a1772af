"""PostgreSQL: timeline's store against eventsourcing's recorder, on one server.

Usage::

    pip install -e '.[bench,postgresql]'
    python -m benchmarks.postgresql [--sizes 100000,1000000]

It starts a throwaway cluster (initdb and pg_ctl, as the tests do:
`tests.pg.Cluster`), with the server's default durability (``fsync`` on),
and stops it at the end; each library gets a database of its own on it.
For every size, on the same generated claims (`benchmarks.generate`):

- append: timeline's ``EventLog.extend`` into a log opened by URL, and
  eventsourcing's ``Application.save`` with its PostgreSQL recorder, both in
  batches of 1,000 claims, each batch one committed transaction;
- cold point query: one happening as of one day, asked of a store just
  opened (no log loaded, nothing cached in the process): timeline's
  `timeline.stores.happening` through the table's indexes, eventsourcing's
  read of the aggregate's events (`benchmarks.rival.point_as_of`).

The figures go into docs/performance.md, between the marks below, and to
``--json``.
"""

import argparse
import datetime as dt
import gc
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from benchmarks import measure, rival
from benchmarks.generate import claims, clock, generate
from timeline import EventLog, stores
from timeline.stores.postgresql import PostgreSQLStore

__all__ = ["main"]

START_MARK = "<!-- postgresql benchmark: start -->"
STOP_MARK = "<!-- postgresql benchmark: stop -->"
_BATCH = 1000
_PROBES = 200


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _timeline(url: str, events: Sequence[Any]) -> tuple[float, list[measure.Probe]]:
    start = time.perf_counter()
    with EventLog.open(url, clock=clock()) as log:
        for first in range(0, len(events), _BATCH):
            log.extend(events[first : first + _BATCH])
        elapsed = time.perf_counter() - start
        return elapsed, measure.probes(log, _PROBES)


def _timeline_points(url: str, asked: Sequence[measure.Probe]) -> tuple[float, float]:
    # The median of each query on a store just opened, without and with
    # opening it (connecting).
    alone, opened = [], []
    for event_id, day in asked:
        gc.collect()
        start = time.perf_counter()
        with PostgreSQLStore(url, create=False, read_only=True) as store:
            middle = time.perf_counter()
            stores.happening(store, event_id, as_of=day)
            end = time.perf_counter()
        alone.append(end - middle)
        opened.append(end - start)
    return statistics.median(alone), statistics.median(opened)


def _rival_env(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": query.get("host", parts.hostname or "localhost"),
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": query.get("user", parts.username or "postgres"),
        "POSTGRES_PASSWORD": parts.password or "unused",  # trust
    }


def _rival(url: str, rows: Sequence[Any], asked: Sequence[measure.Probe]) -> Any:
    from eventsourcing.application import Application  # noqa: PLC0415

    env = _rival_env(url)
    app: Application[Any] = Application(env=env)
    start = time.perf_counter()
    rival.append(app, rows, batch=_BATCH)
    appended = time.perf_counter() - start
    app.close()
    alone = []
    for event_id, day in asked:
        cold: Application[Any] = Application(env=env)
        gc.collect()
        begin = time.perf_counter()
        rival.point_as_of(cold, event_id, day.isoformat())
        alone.append(time.perf_counter() - begin)
        cold.close()
    return appended, statistics.median(alone)


def run_size(size: int, timeline_url: str, rival_url: str) -> dict[str, Any]:
    """Measure both libraries at *size* claims, each in its own database."""
    _say(f"{size:,} claims: generating")
    events = generate(size)
    rows = claims(events)
    _say("timeline: appending")
    appended, asked = _timeline(timeline_url, events)
    _say("timeline: point queries")
    alone, opened = _timeline_points(timeline_url, asked)
    _say("eventsourcing: appending, point queries")
    rival_appended, rival_alone = _rival(rival_url, rows, asked)
    return {
        "size": size,
        "timeline_append_per_s": size / appended,
        "rival_append_per_s": size / rival_appended,
        "timeline_point_ms": alone * 1000,
        "timeline_point_with_connect_ms": opened * 1000,
        "rival_point_ms": rival_alone * 1000,
    }


def render(runs: Sequence[dict[str, Any]], server: str) -> str:
    """Return the Markdown table of *runs*."""
    lines = [
        f"Measured {dt.date.today().isoformat()} on {server}; "  # noqa: DTZ011
        f"appends in batches of {_BATCH:,}, each one committed transaction; "
        f"point queries the median of {_PROBES}, each on a store just opened.",
        "",
        "| claims | timeline append | eventsourcing append | ratio "
        "| timeline point query | (with connecting) | eventsourcing point query |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        ratio = run["timeline_append_per_s"] / run["rival_append_per_s"]
        lines.append(
            f"| {run['size']:,} | {run['timeline_append_per_s']:,.0f}/s "
            f"| {run['rival_append_per_s']:,.0f}/s | {ratio:.1f}x "
            f"| {run['timeline_point_ms']:.2f} ms "
            f"| {run['timeline_point_with_connect_ms']:.2f} ms "
            f"| {run['rival_point_ms']:.2f} ms |"
        )
    return "\n".join(lines)


def write(body: str, out: Path) -> None:
    """Put *body* between the marks in *out*, adding them at the end if missing."""
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if START_MARK not in text:
        text = text.rstrip("\n") + f"\n\n{START_MARK}\n{STOP_MARK}\n"
    head, rest = text.split(START_MARK, 1)
    _, tail = rest.split(STOP_MARK, 1)
    out.write_text(f"{head}{START_MARK}\n{body}\n{STOP_MARK}{tail}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the PostgreSQL benchmark and write its figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.postgresql")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from tests.pg import Cluster, find_bindir  # noqa: PLC0415

    bindir = find_bindir()
    if bindir is None:
        parser.error("no PostgreSQL server binaries (initdb, pg_ctl) found")
    cluster = Cluster(bindir, durable=True)
    cluster.start()
    try:
        ((version,),) = cluster.execute("SHOW server_version")
        runs = []
        for size in (int(text) for text in args.sizes.split(",")):
            runs.append(run_size(size, cluster.database(), cluster.database()))
            _say(json.dumps(runs[-1]))
    finally:
        cluster.stop()
    server = f"PostgreSQL {version} (fsync on), a local Unix socket"
    if args.json is not None:
        args.json.write_text(json.dumps(runs, indent=2), encoding="utf-8")
    write(render(runs, server), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
