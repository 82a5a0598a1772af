# SPDX-License-Identifier: MIT
"""A one-line progress bar on a terminal, for the commands that take a while.

Private to the command line. The library's long tasks (`timeline.stores.check`,
`timeline.stores.rebuild_index`, `timeline.views.html.render_html`) take a
*progress* callback, called now and then with how much is done and how much
there is in all; a `Bar` is such a callback that draws it:

``check: [##########----------]  50%  25,000/50,000 entries  4,210/s  ETA 0:05``

It redraws the line in place (a carriage return) at most ten times a second, so the work
goes no slower for it, starts only once the task has taken half a second, so
a quick command shows nothing, and ends with a newline when the task is done.
Interrupted (Ctrl-C, an error), it clears its line, so the message that
follows starts at the left and no half-drawn bar is left behind.
"""

import math
import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self, TextIO

__all__ = ["DELAY", "DELAY_VARIABLE", "Bar", "delay_from"]

DELAY = 0.5
"""Seconds a task runs before its bar appears: none for a quick command."""
DELAY_VARIABLE = "TIMELINE_PROGRESS_DELAY"
"""The environment variable that sets the delay, in seconds (0: at once)."""
_INTERVAL = 0.1
"""The shortest time between two draws: ten a second at most."""
_CELLS = 20
"""The width of the bar itself, in characters."""
_CLEAR = "\r\x1b[K"
"""Back to the start of the line, and erase it."""


def delay_from(environ: dict[str, str] | os._Environ[str]) -> float:
    """Return the delay *environ* sets, or `DELAY` when it sets none (or nonsense)."""
    text = environ.get(DELAY_VARIABLE, "")
    try:
        value = float(text)
    except ValueError:
        return DELAY
    return value if math.isfinite(value) and value >= 0 else DELAY


class Bar:
    """A progress bar drawn on *stream*, called as ``bar(done, total)``.

    Use it as a context manager: leaving the block ends the line (with the
    final count when the task finished, cleared when it was interrupted).

    Args:
        label: What is being done, shown first (the command's name).
        stream: Where to draw: a terminal.
        unit: What *done* and *total* count (``"bytes"`` is shown in MB).
        clock: Seconds, monotonic; `time.monotonic` by default.
        delay: Seconds before the first draw.
        interval: Shortest time between two draws.
        width: The terminal's width: longer lines are cut to fit, since a
            line that wraps cannot be redrawn in place. None: no limit.
    """

    def __init__(
        self,
        label: str,
        *,
        stream: TextIO,
        unit: str = "entries",
        clock: Callable[[], float] = time.monotonic,
        delay: float = DELAY,
        interval: float = _INTERVAL,
        width: int | None = None,
    ) -> None:
        self._label = label
        self._stream = stream
        self._unit = unit
        self._clock = clock
        self._delay = delay
        self._interval = interval
        self._width = width
        self._start = clock()
        self._next = self._start + delay
        self._done = 0
        self._total = 0
        self._drawn: int | None = None  # how much was done at the last draw

    def __call__(self, done: int, total: int) -> None:
        """Note that *done* of *total* are done, and redraw if it is time to."""
        self._done, self._total = done, total
        now = self._clock()
        if now >= self._next:
            self._next = now + self._interval
            self._draw(now)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._drawn is None:
            return
        if kind is None:
            # Done: whatever the task last said, all of it is.
            self._done = max(self._done, self._total)
            if self._drawn != self._done:
                self._draw(self._clock())
            self._stream.write("\n")
        else:
            self._stream.write(_CLEAR)
        self._stream.flush()

    def line(self, now: float) -> str:
        """Return the line the bar shows at time *now*."""
        done, total = self._done, self._total
        fraction = min(done / total, 1.0) if total > 0 else 0.0
        filled = round(fraction * _CELLS)
        bar = "#" * filled + "-" * (_CELLS - filled)
        elapsed = now - self._start
        rate = done / elapsed if elapsed > 0 else 0.0
        parts = [
            f"{self._label}: [{bar}] {fraction:4.0%}",
            f"{self._amount(done)}/{self._amount(total)} {self._shown_unit}",
        ]
        if rate > 0:
            parts.append(f"{self._amount(round(rate))}{self._rate_unit}/s")
            if done < total:
                parts.append(f"ETA {_duration((total - done) / rate)}")
        line = "  ".join(parts)
        return line if self._width is None else line[: max(self._width - 1, 0)]

    @property
    def _rate_unit(self) -> str:
        return " MB" if self._unit == "bytes" else ""

    @property
    def _shown_unit(self) -> str:
        return "MB" if self._unit == "bytes" else self._unit

    def _amount(self, number: int) -> str:
        if self._unit == "bytes":
            return f"{number / 1e6:,.1f}"
        return f"{number:,}"

    def _draw(self, now: float) -> None:
        self._stream.write(f"{_CLEAR}{self.line(now)}")
        self._stream.flush()
        self._drawn = self._done


def _duration(seconds: float) -> str:
    whole = math.ceil(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, seconds_left = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02}:{seconds_left:02}"
    return f"{minutes}:{seconds_left:02}"
