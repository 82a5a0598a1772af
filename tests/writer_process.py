"""Writer processes for the reliability tests, forked by a server process.

The tests start this file once with ``python tests/writer_process.py`` (see
`WriterServer`). The server imports timeline once and then forks a fresh
writer for each request: forking costs a millisecond where starting Python
costs a hundred, so the tests can kill writers at hundreds of points. A
writer opens a log with `timeline.EventLog.open`, appends claims made by
`claim`, and notes each batch in an acknowledgement file once ``extend`` has
returned, until it is done or killed.

A writer can kill itself (SIGKILL) at a chosen point of the write path: after
writing the first *keep* bytes of its *write*-th ``os.write``, or just before
or after its *fsync*-th ``os.fsync``. Nothing in the writer runs under
coverage: it dies by SIGKILL or ``os._exit``, before coverage could save.
"""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from timeline import EventLog
from timeline.errors import ConcurrencyError
from timeline.model.events import Statement
from timeline.model.sources import Report, Source

KILLED = f"killed by signal {int(signal.SIGKILL)}"
"""How `WriterServer.reap` reports a writer that was killed."""
DONE = "exited 0"
"""How `WriterServer.reap` reports a writer that finished its batches."""


def claim(label: str, batch: int, index: int) -> Statement:
    """Return item *index* of batch *batch* of the writer labelled *label*.

    Its content depends only on the arguments, which its event_id spells, so
    `expected` can tell a complete claim from a partial or garbled one. The
    lengths vary, and some text is not ASCII.
    """
    published = dt.date(2017, 9, 1) + dt.timedelta(days=batch % 60)
    return Statement(
        event_id=f"{label}/{batch}/{index}",
        report=Report(outlet=Source(f"Outlet {index}"), published=published),
        speaker="Sprecher " + "ü" * (batch % 7),
        quote="x" * ((batch * 31 + index * 7) % 300),
    )


def expected(event_id: str) -> Statement:
    """Return the claim whose event_id is *event_id*, as `claim` made it."""
    label, batch, index = event_id.rsplit("/", 2)
    return claim(label, int(batch), int(index))


def writer(
    path: Path,
    acks: Path,
    label: str,
    batches: Sequence[int],
    *,
    optimistic: bool = False,
    tear: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the request for one writer.

    Args:
        path: The log to append to.
        acks: The file where the writer notes ``seq event_id`` per entry
            once its batch is appended.
        label: Names the writer in its claims' event_ids.
        batches: How many claims each batch holds.
        optimistic: Append with ``expected_seq=log.last_seq``, retrying on
            `timeline.errors.ConcurrencyError`, instead of without.
        tear: Where the writer kills itself: ``{"write": n, "keep": k}``
            or ``{"fsync": n, "when": "before" | "after"}``.
    """
    return {
        "path": str(path),
        "acks": str(acks),
        "label": label,
        "batches": list(batches),
        "optimistic": optimistic,
        "tear": tear,
    }


class WriterServer:
    """The tests' handle on a server process that forks writers.

    Args:
        log: Where the server and its writers write their stderr.
    """

    def __init__(self, log: Path) -> None:
        self._stderr = log.open("w", encoding="utf-8")
        self._process = subprocess.Popen(  # noqa: S603  # our own script
            [sys.executable, str(Path(__file__))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            bufsize=1,
        )
        self._log = log

    def start(self, *writers: dict[str, Any]) -> list[int]:
        """Fork *writers*, released together once all exist; return their pids.

        Each pid stays reserved (its process unreaped) until `reap`, so it is
        safe to kill in between.
        """
        return list(self._ask({"op": "write", "writers": list(writers)})["pids"])

    def reap(self) -> list[str]:
        """Wait for the writers of the last `start` and return how each ended."""
        return list(self._ask({"op": "reap"})["ends"])

    def errors(self) -> str:
        """Return what the server and its writers wrote to stderr."""
        return self._log.read_text(encoding="utf-8")

    def close(self) -> None:
        """Stop the server, which exits when its input ends."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)
        assert self._process.stdout is not None
        self._process.stdout.close()
        self._stderr.close()

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        assert answer, self._log.read_text(encoding="utf-8")
        result: dict[str, Any] = json.loads(answer)
        return result


# Everything below runs in the server and its writers, outside coverage.


def _serve(
    requests: IO[str], answers: IO[str]
) -> None:  # pragma: no cover - the server
    pids: list[int] = []
    for line in requests:
        request = json.loads(line)
        if request["op"] == "write":
            pids = _fork(request["writers"])
            answer: dict[str, Any] = {"pids": pids}
        else:
            answer = {"ends": [_end(pid) for pid in pids]}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def _fork(writers: list[dict[str, Any]]) -> list[int]:  # pragma: no cover - the server
    gate, release = os.pipe()
    pids = []
    for request in writers:
        pid = os.fork()
        if pid == 0:
            os.close(release)
            code = 1
            try:
                os.read(gate, 1)  # Returns once the server closes its end.
                _write(request)
                code = 0
            except BaseException:  # report anything, then exit
                traceback.print_exc()
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(gate)
    os.close(release)
    return pids


def _end(pid: int) -> str:  # pragma: no cover - the server
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exited {os.WEXITSTATUS(status)}"


def _write(request: dict[str, Any]) -> None:  # pragma: no cover - a writer
    if request["tear"] is not None:
        _tear(request["tear"])
    label = request["label"]
    with (
        EventLog.open(request["path"]) as log,
        Path(request["acks"]).open("a", encoding="utf-8") as acks,
    ):
        for number, size in enumerate(request["batches"]):
            events = [claim(label, number, index) for index in range(size)]
            while True:
                expected_seq = log.last_seq if request["optimistic"] else None
                try:
                    entries = log.extend(events, expected_seq=expected_seq)
                except ConcurrencyError:
                    continue
                break
            acks.write("".join(f"{e.seq} {e.event.event_id}\n" for e in entries))
            acks.flush()


def _tear(tear: dict[str, Any]) -> None:  # pragma: no cover - a writer
    counts = {"write": 0, "fsync": 0}
    real_write, real_fsync = os.write, os.fsync

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def write(fd: int, data: Any) -> int:
        counts["write"] += 1
        if counts["write"] == tear.get("write"):
            real_write(fd, bytes(data)[: tear["keep"]])
            die()
        return real_write(fd, data)

    def fsync(fd: Any) -> None:
        counts["fsync"] += 1
        at = counts["fsync"] == tear.get("fsync")
        if at and tear["when"] == "before":
            die()
        real_fsync(fd)
        if at:
            die()

    patched: dict[str, Callable[..., Any]] = {"write": write, "fsync": fsync}
    for name, function in patched.items():
        setattr(os, name, function)


if __name__ == "__main__":  # pragma: no cover - the server's entry point
    _serve(sys.stdin, sys.stdout)
