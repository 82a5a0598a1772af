"""Faults a team meets: a full disk, a file size limit, read-only media, Ctrl-C.

A full disk is made for real where the tests run as root on Linux (a small
tmpfs, as CI runs them); a file size limit (RLIMIT_FSIZE, which makes writes
fail with EFBIG) needs no privilege and runs everywhere, in a child process.
"""

import collections
import datetime as dt
import errno
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import ReadOnlyLogError, StorageError, StorageFullError
from timeline.model.events import Statement
from timeline.stores import check, open_store

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


# -- Read-only media and files ----------------------------------------------


def corpus_logs(folder: Path) -> dict[str, Path]:
    """Write the bundled corpus to folder/c.jsonl and folder/c.sqlite."""
    paths = {suffix: folder / f"c{suffix}" for suffix in SUFFIXES}
    entries = tuple(load_corpus().entries())
    for path in paths.values():
        with open_store(path) as store:
            store.append(entries)
    return paths


def bind_read_only(source: Path, target: Path) -> None:
    """Mount *source* again at *target*, read-only; skip where that is refused."""
    mount = shutil.which("mount")
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or mount is None:
        pytest.skip("a read-only mount needs root on Linux (CI runs as root)")
    target.mkdir()
    for options in (["--bind"], ["-o", "remount,ro,bind"]):
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [mount, *options, str(source), str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount read-only here: {done.stderr.strip()}")


@pytest.fixture
def read_only_logs(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Return the corpus as logs on a read-only mount, unmounted afterwards."""
    source = tmp_path / "source"
    source.mkdir()
    corpus_logs(source)
    target = tmp_path / "archive"
    bind_read_only(source, target)
    try:
        yield {suffix: target / f"c{suffix}" for suffix in SUFFIXES}
    finally:
        subprocess.run([shutil.which("umount") or "umount", str(target)], check=True)  # noqa: S603


COMMANDS = [
    ("known", "--on", "2017-10-05", "--json", "--log"),
    ("conflicts", "--json", "--log"),
    ("history", "asapov-death", "--json", "--log"),
    ("check", "--json"),
]


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_asking_a_log_on_read_only_media_needs_no_write(
    read_only_logs, suffix, command, capsys
):
    """Every read-only command answers from a read-only mount as from the corpus."""
    path = read_only_logs[suffix]

    code = main([*command, str(path)])
    archived, err = capsys.readouterr()

    assert (code, err) == (0, "")
    if command[0] != "check":
        main([*command[:-1]])
        assert archived == capsys.readouterr().out
    with pytest.raises(OSError, match="Read-only file system"):
        (path.parent / "probe").touch()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_log_on_read_only_media_opens_read_only_and_refuses_appends(
    read_only_logs, suffix
):
    """mode="r" answers; appending then, or opening to append, says why not."""
    path = read_only_logs[suffix]

    with pytest.raises(ReadOnlyLogError, match="read-only file system"):
        EventLog.open(path)
    with EventLog.open(path, mode="r") as log:
        assert log.as_of(dt.date(2017, 10, 5)) == load_corpus().as_of(
            dt.date(2017, 10, 5)
        )
        with pytest.raises(ReadOnlyLogError, match=r"opened read-only \(mode='r'\)"):
            log.append(statement(1))
        assert len(log) == len(load_corpus())


def test_committed_entries_in_a_wal_on_read_only_media_are_not_hidden(tmp_path):
    """A WAL holding entries SQLite cannot read there is an error, not a gap."""
    source = tmp_path / "source"
    source.mkdir()
    writer = EventLog.open(source / "c.sqlite")
    # SQLite checkpoints into the database when the last connection closes;
    # while this one is open, the entries wait in the WAL file.
    with closing(sqlite3.connect(source / "c.sqlite")) as keeper:
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
        writer.extend(statement(n) for n in range(3))
        copy = tmp_path / "copy"
        copy.mkdir()
        for name in ("c.sqlite", "c.sqlite-wal"):
            shutil.copyfile(source / name, copy / name)
        writer.close()
    target = tmp_path / "archive"
    bind_read_only(copy, target)
    try:
        assert (target / "c.sqlite-wal").stat().st_size > 0
        with pytest.raises(ReadOnlyLogError, match="write-ahead log"):
            EventLog.open(target / "c.sqlite", mode="r")
    finally:
        subprocess.run([shutil.which("umount") or "umount", str(target)], check=True)  # noqa: S603


def as_user(uid: int, *argv: str) -> tuple[int, str, str]:
    """Run the command line in a child process that runs as user *uid*.

    Forked, not started anew: the interpreter may live where that user
    cannot read. Return the exit code, stdout and stderr.
    """
    main(["known", "--on", "2017-10-05"])  # imports what the commands use
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child ends in os._exit
            code = 70
            try:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
                sys.stdout, sys.stderr = out, err
                code = main(list(argv))
            finally:
                out.flush()
                err.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), err.read()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_user_who_may_only_read_the_log_can_ask_it(suffix, capsys):
    """Run as a user without write access to the file or its folder."""
    if os.geteuid() != 0:
        pytest.skip("dropping to another user needs root (CI runs as root)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = corpus_logs(folder)[suffix]
        for item in folder.iterdir():
            item.chmod(0o444)
        folder.chmod(0o555)
        capsys.readouterr()

        known = as_user(65534, "known", "--on", "2017-10-05", "--log", str(path))
        checked = as_user(65534, "check", str(path))
        appended = as_user(65534, "export", str(folder / "out.jsonl"))

        assert known[0::2] == (0, "")
        assert "asapov-death" in known[1]
        assert checked[0::2] == (0, "")
        assert appended[0] == 1
        assert appended[2].count("\n") == 1
        assert sorted(item.name for item in folder.iterdir()) == ["c.jsonl", "c.sqlite"]


def test_an_unknown_mode_is_refused(tmp_path):
    """Only "a" and "r" are modes; nothing is created for a wrong one."""
    path = tmp_path / "log.jsonl"

    with pytest.raises(ValueError, match="mode must be 'a'"):
        EventLog.open(path, mode="w")  # type: ignore[arg-type]
    assert not path.exists()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_reading_a_missing_log_creates_nothing(tmp_path, suffix):
    """mode="r" never creates the file it was asked to read."""
    path = tmp_path / f"log{suffix}"

    with pytest.raises(FileNotFoundError):
        EventLog.open(path, mode="r")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_log_opened_read_only_sees_what_others_appended(tmp_path, suffix):
    """A reader opened with mode="r" beside a writer reads the writer's entries."""
    path = tmp_path / f"log{suffix}"
    with EventLog.open(path) as writer:
        writer.append(statement(1))
        with EventLog.open(path, mode="r") as reader:
            assert [entry.event for entry in reader.entries()] == [statement(1)]
            with pytest.raises(ReadOnlyLogError):
                reader.extend([statement(2)])
        writer.append(statement(2))
    assert check(path).ok


# -- Ctrl-C ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a JSON Lines log of 30,000 claims, long enough to interrupt."""
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    with open_store(path) as store:
        log = EventLog()
        log.extend(statement(number, size=40) for number in range(30_000))
        store.append(tuple(log.entries()))
    return path


# The command as ``python -m timeline`` runs it, saying on stderr when its
# imports are done: the delays count from there, so a machine slow to start
# Python (one loaded by other work) is not interrupted in the middle of
# ``import timeline``, where no program of ours runs yet.
_READY = "ready"
_COMMAND = (
    "import sys\n"
    "from timeline.cli import main\n"
    f"print({_READY!r}, file=sys.stderr, flush=True)\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def interrupt(argv: list[str], after: float) -> subprocess.CompletedProcess[str]:
    """Run the ``timeline`` command with *argv*; SIGINT it *after* s past start-up."""
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-c", _COMMAND, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert process.stderr.readline() == f"{_READY}\n"
    try:
        out, err = process.communicate(timeout=after)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


# From just after start-up to past the end, densest where the copy is written
# (about 0.5 to 1.2 s after the imports on a 2-core machine).
DELAYS = [round(0.1 + 0.15 * step, 2) for step in range(12)]


@pytest.mark.slow  # 24 interrupted exports of a big log: .ci/run runs them
@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("after", DELAYS)
def test_ctrl_c_during_export_leaves_the_target_whole_or_absent(
    big_log, tmp_path, suffix, after
):
    """SIGINT at any moment: exit 130 with one line, and no half-written log."""
    out = tmp_path / f"copy{suffix}"

    done = interrupt(["export", str(out), "--log", str(big_log)], after)

    if done.stdout.startswith("wrote "):
        # Finished before the signal came (which may then still stop the
        # interpreter on its way out): the copy is whole.
        assert check(out).ok
        with EventLog.open(out, mode="r") as copy:
            assert len(copy) == 30_000
        return
    assert done.returncode == 130, done.stderr
    assert (
        done.stderr
        == "timeline export: error: interrupted; nothing was left half-written\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == []


@pytest.mark.slow  # 12 interrupted repairs of a big log: .ci/run runs them
def test_ctrl_c_during_repair_leaves_the_log_as_it_was_or_repaired(big_log, tmp_path):
    """SIGINT during check --repair: the log is untouched or cut, never lost."""
    original = big_log.read_bytes()
    for after in DELAYS:
        torn = tmp_path / f"torn{after}.jsonl"
        torn.write_bytes(original + b'{"seq": 30001, "torn')

        done = interrupt(["check", str(torn), "--repair"], after)

        sides = sorted(tmp_path.glob(f"{torn.name}.torn-*"))
        if torn.read_bytes() == original:  # repaired
            assert [side.read_bytes() for side in sides] == [b'{"seq": 30001, "torn']
        else:
            assert torn.read_bytes() == original + b'{"seq": 30001, "torn'
            assert sides == []
            assert done.returncode == 130
        assert "Traceback" not in done.stderr


# -- Damaged databases ------------------------------------------------------------

DAMAGED_COPIES = 400
QUESTIONS = [
    ("known", "--on", "2017-10-05", "--json", "--log"),
    ("history", "asapov-death", "--json", "--log"),
    ("conflicts", "--on", "2017-10-05", "--json", "--log"),
]


def damage(data: bytes, rng: random.Random, path: Path) -> str:
    """Write a damaged copy of the database *data* to *path*; return how."""
    kind = rng.choice(["flip", "zero-page", "truncate", "edit-row"])
    damaged = bytearray(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    elif kind == "zero-page":
        page = rng.randrange(len(damaged) // 4096)
        damaged[page * 4096 : (page + 1) * 4096] = bytes(4096)
    elif kind == "truncate":
        del damaged[rng.randrange(len(damaged)) :]
    path.write_bytes(bytes(damaged))
    if kind == "edit-row":
        seq = rng.randint(1, 109)
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute(
                "UPDATE entries SET body = replace(body, 'a', 'o') WHERE seq = ?",
                (seq,),
            )
    return kind


def test_a_damaged_database_is_refused_or_answered_right(tmp_path, capsys):
    """Bit flips, zeroed pages, truncation, edited rows: no raw error escapes.

    Each command either answers exactly as on the undamaged log, or exits 1
    with one line naming the file; never a traceback, never a wrong answer.
    """
    source = corpus_logs(tmp_path)[".sqlite"]
    data = source.read_bytes()
    right = {}
    for question in QUESTIONS:
        assert main([*question, str(source)]) == 0
        right[question] = capsys.readouterr().out
    rng = random.Random(25)
    outcomes: collections.Counter[tuple[str, int]] = collections.Counter()
    for number in range(DAMAGED_COPIES):
        path = tmp_path / f"damaged{number}.sqlite"
        kind = damage(data, rng, path)
        for question in QUESTIONS:
            code = main([*question, str(path)])
            out, err = capsys.readouterr()
            outcomes[kind, code] += 1
            if code == 0:
                assert out == right[question], (number, kind, question)
            else:
                assert code == 1, (number, kind, err)
                assert err.count("\n") == 1, (number, kind, err)
                assert str(path) in err, (number, kind, err)
        path.unlink()
    # Each kind of damage was both tried and refused.
    assert {kind for kind, code in outcomes if code == 1} == {
        "flip",
        "zero-page",
        "truncate",
        "edit-row",
    }


def test_repair_of_a_sound_log_on_read_only_media_only_checks(read_only_logs, capsys):
    """``check --repair`` needs no write access when there is nothing to move."""
    path = read_only_logs[".jsonl"]

    code = main(["check", "--repair", str(path)])

    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert captured.out.startswith(f"ok: {path}: ")


def test_a_torn_log_on_read_only_media_is_refused_in_one_line(tmp_path, capsys):
    """The repair says why it cannot cut the file, and changes nothing."""
    source = tmp_path / "source"
    source.mkdir()
    log = corpus_logs(source)[".jsonl"]
    whole = log.read_bytes()
    log.write_bytes(whole[:-40])
    target = tmp_path / "archive"
    bind_read_only(source, target)
    try:
        code = main(["check", "--repair", str(target / log.name)])
        err = capsys.readouterr().err
    finally:
        subprocess.run([shutil.which("umount") or "umount", str(target)], check=True)  # noqa: S603

    assert code == 1
    assert err == (
        f"timeline check: error: {target / log.name}: cannot move its torn tail "
        "aside: the file cannot be written (Read-only file system); copy it "
        "somewhere writable and repair the copy\n"
    )
    assert log.read_bytes() == whole[:-40]
    assert sorted(item.name for item in source.iterdir()) == sorted(
        f"c{suffix}" for suffix in SUFFIXES
    )
