"""The commands that take a while draw a progress bar on a terminal, and only there.

Each command runs in a process of its own with stderr on a real
pseudo-terminal, on a pipe, or on the terminal with ``--quiet``; stdout is a
pipe throughout and must be the same each time. The bar's delay is set to
zero, so that it shows whatever the machine's speed: no test here depends
on time.
"""

import contextlib
import functools
import os
import pty
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from benchmarks.generate import clock, generate

from timeline import EventLog
from timeline.cli import main
from timeline.stores import check
from timeline.views.html import render_html

_Result = tuple[int, bytes, bytes]

SIZE = 1_500
"""Entries: more than the 1,024 rows between two calls of check's callback."""
SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC.parent


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite log of SIZE generated entries, and a copy as JSON Lines."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    with EventLog.open(path, clock=clock()) as log:
        log.extend(generate(SIZE))
    with EventLog.open(path.with_suffix(".jsonl"), clock=clock()) as log:
        log.extend(generate(SIZE))
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite log of a few entries, for the page (one snapshot a day)."""
    path = tmp_path_factory.mktemp("small") / "small.sqlite"
    with EventLog.open(path, clock=clock()) as log:
        log.extend(generate(60))
    return path


def _run(arguments: list[str], *, terminal: bool) -> tuple[int, bytes, bytes]:
    # stdout on a pipe; stderr on a pseudo-terminal or a pipe.
    environment = {
        **os.environ,
        "TIMELINE_PROGRESS_DELAY": "0",
        "PYTHONPATH": os.pathsep.join([str(SRC), str(ROOT)]),
    }
    command = [sys.executable, "-m", "timeline", *arguments]
    if not terminal:
        done = subprocess.run(  # noqa: S603  # this Python, this package
            command, capture_output=True, env=environment, check=False
        )
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    chunks: list[bytes] = []
    # Drained as it is written: a full terminal would block the command.
    reader = threading.Thread(target=_drain, args=(leader, chunks))
    with subprocess.Popen(  # noqa: S603  # this Python, this package
        command, stdout=subprocess.PIPE, stderr=follower, env=environment
    ) as process:
        os.close(follower)
        reader.start()
        assert process.stdout is not None
        out = process.stdout.read()
        code = process.wait()
    reader.join()
    os.close(leader)
    return code, out, b"".join(chunks)


def _drain(leader: int, chunks: list[bytes]) -> None:
    # Until the terminal is gone (an OSError once the process has exited).
    with contextlib.suppress(OSError):
        chunks.extend(iter(functools.partial(os.read, leader, 65536), b""))


def _outputs(arguments: list[str], fresh: Path | None = None) -> list[_Result]:
    # The command on a terminal, on a pipe, and quiet on a terminal; an
    # output file it writes (*fresh*) is removed between runs.
    runs = []
    for terminal, extra in ((True, []), (False, []), (True, ["--quiet"])):
        if fresh is not None:
            fresh.unlink(missing_ok=True)
        runs.append(_run([*arguments[:1], *extra, *arguments[1:]], terminal=terminal))
    return runs


def _assert_bar_only_on_the_terminal(runs: list[_Result], unit: str) -> None:
    (code, out, err), (piped_code, piped_out, piped_err), quiet = runs
    assert code == piped_code == quiet[0] == 0
    assert out == piped_out == quiet[1]  # stdout never holds any of it
    assert b"\r\x1b[K" in err
    assert b" 100%  " in err
    assert f" {unit}".encode() in err
    assert err.endswith(b"\n")
    assert piped_err == b""
    assert quiet[2] == b""


def test_check_draws_a_bar_on_a_terminal_only(big):
    """Check of a SQLite log counts its rows, entries then index rows."""
    runs = _outputs(["check", str(big)])

    _assert_bar_only_on_the_terminal(runs, "rows")
    assert runs[0][1].startswith(f"ok: {big}: {SIZE} entries".encode())


def test_check_of_a_json_lines_log_counts_bytes(big):
    """A JSON Lines file is read by the byte."""
    runs = _outputs(["check", str(big.with_suffix(".jsonl"))])

    _assert_bar_only_on_the_terminal(runs, "MB")


def test_export_draws_a_bar_on_a_terminal_only(big):
    """Export counts the entries written."""
    out = big.with_name("copy.sqlite")

    runs = _outputs(["export", "--log", str(big), str(out)], fresh=out)

    _assert_bar_only_on_the_terminal(runs, "entries")
    assert runs[0][1].startswith(f"wrote {SIZE} entries of {big}".encode())
    assert not list(big.parent.glob(".copy*"))  # no partial copy is left


def test_html_draws_a_bar_on_a_terminal_only(small):
    """The page counts the days it replays."""
    out = small.with_name("page.html")

    runs = _outputs(["html", "--log", str(small), str(out)], fresh=out)

    _assert_bar_only_on_the_terminal(runs, "days")


def test_rebuild_draws_a_bar_too(big, tmp_path):
    """With --rebuild, check draws one bar for the rebuild, one for the check."""
    copy = tmp_path / "copy.sqlite"
    with (
        closing(sqlite3.connect(big)) as source,
        closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)

    code, out, err = _run(["check", "--rebuild", str(copy)], terminal=True)

    assert code == 0
    assert out.startswith(f"rebuilt: {copy}: the text index, from ".encode())
    assert err.count(b" 100%  ") == 2
    assert err.count(b"\n") == 2


def test_export_never_writes_onto_a_partial_file_left_by_a_crash(tmp_path, capsys):
    """A hidden file of the name export would use is left alone."""
    out = tmp_path / "copy.jsonl"
    left = tmp_path / f".copy.partial-{os.getpid()}-1.jsonl"
    left.write_bytes(b"left by a crash\n")

    code = main(["export", str(out)])

    assert code == 0
    assert capsys.readouterr().out.startswith("wrote 121 entries")
    assert left.read_bytes() == b"left by a crash\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [left.name, out.name]


def _calls() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    calls: list[tuple[int, int]] = []
    return calls, lambda done, total: calls.append((done, total))


def test_check_calls_back_now_and_then(big):
    """Every 1,024 rows or lines, and at the end of each index chunk, in order."""
    rows, on_row = _calls()
    read, on_byte = _calls()

    assert check(big, progress=on_row).ok
    assert check(big.with_suffix(".jsonl"), progress=on_byte).ok

    assert [done for done, _ in rows] == [1024, SIZE + 1024, 2 * SIZE]
    assert {total for _, total in rows} == {2 * SIZE}
    ((done, total),) = read
    assert 0 < done < total == big.with_suffix(".jsonl").stat().st_size


def test_the_page_calls_back_once_a_day(small):
    """render_html counts the days it replays."""
    calls, progress = _calls()

    with EventLog.open(small, mode="r") as log:
        render_html(log, progress=progress)
        days = len({entry.event.report.published_day for entry in log})

    assert calls == [(done, days) for done in range(1, days + 1)]


def test_export_draws_on_a_terminal_in_process(tmp_path, monkeypatch, capsys):
    """The same bar, with the command run in this process and stderr a terminal."""
    leader, follower = pty.openpty()
    chunks: list[bytes] = []
    monkeypatch.setenv("TIMELINE_PROGRESS_DELAY", "0")
    with open(follower, "w", encoding="utf-8") as terminal:
        monkeypatch.setattr(sys, "stderr", terminal)
        code = main(["export", str(tmp_path / "copy.jsonl")])
    _drain(leader, chunks)
    os.close(leader)

    assert code == 0
    assert capsys.readouterr().out.startswith("wrote 121 entries")
    assert b"timeline export: [####################] 100%" in b"".join(chunks)
