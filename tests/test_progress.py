"""The progress bar the CLI draws on a terminal, driven by a fake clock."""

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline._progress import DELAY, DELAY_VARIABLE, Bar, delay_from


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        """Return the time it was told."""
        return self.now


def _bar(**options: Any) -> tuple[Bar, io.StringIO, Clock]:
    stream, clock = io.StringIO(), Clock()
    return Bar("timeline check", stream=stream, clock=clock, **options), stream, clock


def test_nothing_is_drawn_before_the_delay():
    """A quick task shows nothing at all, not even a finished bar."""
    bar, stream, clock = _bar(delay=0.5)

    with bar:
        bar(10, 100)
        clock.now += 0.4
        bar(100, 100)

    assert stream.getvalue() == ""


def test_the_bar_shows_count_percentage_rate_and_time_left():
    """Done of total, the share, the rate so far and the time it implies."""
    bar, stream, clock = _bar(delay=0.5)

    with bar:
        clock.now += 2
        bar(25_000, 100_000)
        drawn = stream.getvalue()

    assert drawn == (
        "\r\x1b[Ktimeline check: [#####---------------]  25%  "
        "25,000/100,000 entries  12,500/s  ETA 0:06"
    )
    assert stream.getvalue().endswith("100%  100,000/100,000 entries  50,000/s\n")


def test_draws_are_throttled():
    """However often it is called, it redraws at most once an interval."""
    bar, stream, clock = _bar(delay=0, interval=0.1)

    with bar:
        for done in range(1, 1001):
            clock.now += 0.001
            bar(done, 1000)

    assert stream.getvalue().count("\r") == 10 + 1  # a second: ten, and the end


@given(steps=st.lists(st.floats(min_value=0, max_value=1), max_size=50))
def test_the_line_is_redrawn_in_place_and_ended_once(steps):
    """Any run: one line, redrawn with a carriage return, one newline at the end."""
    bar, stream, clock = _bar(delay=0)

    with bar:
        for done, step in enumerate(steps, start=1):
            clock.now += step
            bar(done, len(steps))

    text = stream.getvalue()
    assert text.count("\n") == (1 if steps else 0)
    assert "\n" not in text[:-1]
    assert text.count("\r") <= len(steps) + 1


def test_an_interrupted_task_leaves_no_half_drawn_bar():
    """Ctrl-C: the line is cleared, so the message after it starts clean."""
    bar, stream, _ = _bar(delay=0)

    with pytest.raises(KeyboardInterrupt):
        _interrupted(bar)

    assert stream.getvalue().endswith("\r\x1b[K")
    assert "\n" not in stream.getvalue()


def _interrupted(bar: Bar) -> None:
    with bar:
        bar(5, 100)
        raise KeyboardInterrupt


def test_a_finished_task_shows_all_of_it_done():
    """At the end the bar says 100%, whatever the task last said."""
    bar, stream, _ = _bar(delay=0)

    with bar:
        bar(1, 3)

    assert "100%  3/3 entries" in stream.getvalue().rpartition("\r")[2]


def test_bytes_are_counted_in_megabytes():
    """A file read by the byte shows MB, and MB a second."""
    bar, stream, clock = _bar(delay=0, unit="bytes")
    clock.now += 1

    bar(1_500_000, 3_000_000)

    assert "  1.5/3.0 MB  1.5 MB/s  ETA 0:01" in stream.getvalue()


def test_long_hours_and_an_empty_task():
    """Hours show as h:mm:ss; nothing to do is 0%, with no rate."""
    bar, _, clock = _bar(delay=0)
    clock.now += 1
    bar(1, 7201)
    slow = bar.line(clock.now)
    bar(0, 0)

    assert slow.endswith("ETA 2:00:00")
    assert bar.line(clock.now).endswith("  0%  0/0 entries")


def test_a_line_wider_than_the_terminal_is_cut():
    """A line that wrapped could not be redrawn in place."""
    bar, stream, _ = _bar(delay=0, width=30)

    bar(1, 2)

    assert stream.getvalue() == "\r\x1b[K" + "timeline check: [##########---"[:29]


@pytest.mark.parametrize(
    ("setting", "delay"),
    [("0", 0.0), ("2.5", 2.5), ("", DELAY), ("soon", DELAY), ("-1", DELAY)],
)
def test_the_delay_comes_from_the_environment(setting, delay):
    """TIMELINE_PROGRESS_DELAY sets it; anything but seconds >= 0 is ignored."""
    assert delay_from({DELAY_VARIABLE: setting}) == delay
