"""Faults a team meets: a full disk, a file size limit, read-only media, Ctrl-C.

A full disk is made for real where the tests run as root on Linux (a small
tmpfs, as CI runs them); a file size limit (RLIMIT_FSIZE, which makes writes
fail with EFBIG) needs no privilege and runs everywhere, in a child process.
"""

import datetime as dt
import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from timeline import EventLog
from timeline.cli import main
from timeline.errors import StorageError, StorageFullError
from timeline.model.events import Statement
from timeline.stores import check

from .helpers import report

SUFFIXES = [".jsonl", ".sqlite"]
DISK_BYTES = 512 * 1024
PUBLISHED = dt.date(2017, 9, 1)


def statement(number: int, size: int = 400) -> Statement:
    """Return claim *number*, with a quote of *size* characters."""
    return Statement(
        event_id=f"s{number}",
        report=report("Alpha", PUBLISHED),
        speaker="spokesman",
        quote="q" * size,
    )


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """Return a folder on a fresh tmpfs of 512 KiB, unmounted afterwards."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("a real full disk needs root on Linux (CI runs as root)")
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        pytest.skip("no mount command to make a small disk with")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(  # noqa: S603 - fixed arguments
        [mount, "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run([umount, str(disk)], check=True)  # noqa: S603


def fill_until_refused(log: EventLog) -> StorageError:
    """Append batches of ten claims until the store refuses one; return why."""
    for number in range(100_000):
        try:
            log.extend(statement(number * 10 + index) for index in range(10))
        except StorageError as error:
            return error
    pytest.fail("the disk never filled")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_full_disk_refuses_the_batch_and_loses_nothing(small_disk, suffix):
    """The append fails with StorageFullError; the log stays valid and grows again."""
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (DISK_BYTES // 4))
    path = small_disk / f"log{suffix}"
    with EventLog.open(path) as log:
        error = fill_until_refused(log)
        held = list(log.entries())

        assert isinstance(error, StorageFullError)
        assert isinstance(error, OSError)
        assert error.errno == errno.ENOSPC
        assert error.filename == str(path)
        assert str(path) in str(error)
        assert "was not appended" in str(error)
        assert check(path).ok
        with EventLog.open(path) as reread:
            assert list(reread.entries()) == held

        filler.unlink()
        log.append(statement(-1))
    assert check(path).ok
    with EventLog.open(path) as reread:
        assert len(reread) == len(held) + 1


CHILD = textwrap.dedent(
    """
    import json, resource, signal, sys
    from timeline import EventLog
    from timeline.errors import StorageError
    from tests.test_reliability_faults import statement

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    path, limit = sys.argv[1], int(sys.argv[2])
    with EventLog.open(path) as log:
        log.append(statement(0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        number = 1
        while True:
            try:
                log.extend(statement(number * 10 + i) for i in range(10))
            except StorageError as error:
                print(json.dumps({
                    "type": type(error).__name__,
                    "oserror": isinstance(error, OSError),
                    "errno": error.errno,
                    "filename": error.filename,
                    "message": str(error),
                    "held": len(log),
                }))
                break
            number += 1
    """
)


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_file_size_limit_refuses_the_batch_and_loses_nothing(tmp_path, suffix):
    """Writes failing with EFBIG are a StorageError; the log stays valid."""
    path = tmp_path / f"log{suffix}"
    child = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", CHILD, str(path), str(200_000)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[1],
    )
    assert (child.returncode, child.stderr) == (0, "")
    refused = json.loads(child.stdout)

    assert refused["oserror"]
    assert refused["filename"] == str(path)
    assert "was not appended" in refused["message"]
    if suffix == ".jsonl":
        # The file system's own EFBIG reaches the store as it is.
        assert (refused["type"], refused["errno"]) == ("StorageFullError", errno.EFBIG)
    else:
        # SQLite reports EFBIG as a write error, without the errno.
        assert refused["type"] in {"StorageError", "StorageFullError"}
    assert check(path).ok
    with EventLog.open(path) as log:
        assert len(log) == refused["held"]
        log.append(statement(-1))
    assert check(path).ok


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_export_onto_a_full_disk_is_one_line_and_leaves_nothing(
    small_disk, suffix, capsys
):
    """``timeline export`` on a full disk exits 1, one line, no file left."""
    (small_disk / "filler").write_bytes(b"\0" * (DISK_BYTES - 16 * 1024))
    out = small_disk / f"corpus{suffix}"

    code = main(["export", str(out)])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("timeline export: error: ")
    assert "was not appended" in captured.err
    assert "Traceback" not in captured.err
    assert not out.exists()
