"""The first HTML page of a log: time and size of `timeline.views.html.render_html`.

Usage::

    python -m benchmarks.page [--sizes 1000,3000,10000]

For each size, a log of generated claims (`benchmarks.generate`) is made in
memory and drawn once, as ``timeline html`` does; each size prints one
line of JSON: the claims, the report days the page replays, the
happenings known on the last day, the page's size in bytes and the
seconds taken. The figures go into docs/performance.md by hand, with the
load of the machine they ran on; no test asserts them.
"""

import argparse
import json
import time
from collections.abc import Sequence

from benchmarks.generate import clock, generate
from timeline import EventLog
from timeline.views.html import render_html

__all__ = ["main", "measure"]


def measure(size: int) -> dict[str, float]:
    """Return the figures of one page drawn from *size* generated claims."""
    log = EventLog(clock=clock())
    log.extend(generate(size))
    days = sorted({entry.event.report.published_day for entry in log})
    start = time.perf_counter()
    page = render_html(log)
    seconds = time.perf_counter() - start
    return {
        "claims": size,
        "days": len(days),
        "happenings": len(log.as_of(days[-1])) if days else 0,
        "bytes": len(page.encode()),
        "seconds": round(seconds, 2),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Draw one page for each of ``--sizes``; print each one's figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page")
    parser.add_argument("--sizes", default="1000,3000,10000")
    args = parser.parse_args(argv)
    for size in (int(text) for text in args.sizes.split(",")):
        print(json.dumps(measure(size)), flush=True)


if __name__ == "__main__":  # pragma: no cover
    main()
