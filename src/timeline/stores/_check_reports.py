# SPDX-License-Identifier: MIT
"""What a check of a stored log found, and what a repair did: plain values.

Private: the public names live in `timeline.stores`; `check`, `repair` and
``rebuild_index`` (in ``timeline.stores._check``) make them.
"""

import enum
from pathlib import Path

import attrs

__all__ = [
    "SQLITE_SUFFIXES",
    "Anchor",
    "CheckReport",
    "Problem",
    "ProblemKind",
    "RepairReport",
]

SQLITE_SUFFIXES = frozenset({".sqlite", ".db"})
"""The suffixes of a SQLite log's file."""


class ProblemKind(enum.Enum):
    """What is wrong with a stored log, which decides what can be done about it.

    .. versionadded:: 0.1.0
    """

    TORN = "torn"
    """An append cut short by a crash: a final line without its newline, or
    a batch without its last lines. Never acknowledged, so nothing committed
    is lost; `repair` moves it to a side file."""
    TAMPERED = "tampered"
    """The hash chain breaks: an entry was edited, removed, inserted or
    moved, or entries were cut from the end of an anchored log."""
    GARBLED = "garbled"
    """Bytes that are not a record: not UTF-8, not JSON, not an object, a
    wrong batch count, or a database SQLite itself finds damaged."""
    UNREADABLE = "unreadable"
    """A correctly sealed record this code cannot read: a value out of range,
    a schema version newer than the code, or an unknown type when the codec
    does not keep such entries as raw claims."""
    INVALID = "invalid"
    """Entries that read back but break the log's rules: a reference to a
    missing happening or entry, or recorded_at going back."""
    INDEX = "index"
    """Derived data that does not match the entries: a row of a SQLite or
    PostgreSQL log's text index (behind ``--about``) missing, stale or extra.
    The log itself is intact; `rebuild_index` rebuilds the index from it.

    .. versionadded:: 0.2.0
    """


@attrs.frozen
class Problem:
    """One thing wrong with a stored log, and where it starts.

    Args:
        kind: What is wrong.
        message: Says what and where (file, line or seq), for people.
        seq: The first seq affected: the tampered, garbled or invalid entry,
            or the first entry of a torn append.
        offset: In a JSON Lines file, the byte where the bad part starts.

    .. versionadded:: 0.1.0
    """

    kind: ProblemKind
    message: str
    seq: int | None = None
    offset: int | None = None


@attrs.frozen
class Anchor:
    """An entry's seq and chain hash, noted somewhere the log's editors cannot reach.

    The hash of entry *seq* seals it and every entry before it. A log whose
    entries were all rewritten, hashes included, or cut after *seq*, still
    has a consistent chain; only a hash noted elsewhere (in a publication, a
    commit message, a second machine) shows it changed. Take one from
    the ``anchor`` of a `CheckReport` and pass it to `check` later.

    Args:
        seq: The entry's seq.
        hash: Its chain hash, as the store keeps it.

    .. versionadded:: 0.1.0
    """

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@attrs.frozen
class CheckReport:
    """What `check` found in a stored log.

    Args:
        path: The file checked, or the URL of the database checked
            (without its password).
        entries: How many entries passed every check: the committed,
            intact, valid beginning of the log.
        anchor: The seq and hash of the last of them, None for none.
        problems: What is wrong, in the order found; empty for a sound log.
        intact_bytes: For a JSON Lines file, how many leading bytes hold
            complete batches; None for a database.

    .. versionadded:: 0.1.0
    """

    path: Path | str
    entries: int
    anchor: Anchor | None
    problems: tuple[Problem, ...] = ()
    intact_bytes: int | None = None

    @property
    def ok(self) -> bool:
        """Return whether the log is sound: no problem found."""
        return not self.problems

    @property
    def first_bad_seq(self) -> int | None:
        """Return the lowest seq any problem names, or None."""
        seqs = [problem.seq for problem in self.problems if problem.seq is not None]
        return min(seqs, default=None)

    @property
    def torn(self) -> Problem | None:
        """Return the torn tail, if the log has one."""
        found = [p for p in self.problems if p.kind is ProblemKind.TORN]
        return found[0] if found else None

    def __str__(self) -> str:
        head = f"{self.path}: {self.entries} entries"
        if self.anchor is not None:
            head += f", last {self.anchor}"
        if self.ok:
            return f"{head}; ok"
        lines = [f"{head}; {len(self.problems)} problem(s):"]
        lines += [f"  {p.kind.value}: {p.message}" for p in self.problems]
        return "\n".join(lines)


@attrs.frozen
class RepairReport:
    """What `repair` did to a stored log.

    Args:
        path: The file repaired, or the database's URL.
        before: The check before repairing.
        after: The check after repairing; the same as *before* if nothing
            was done.
        side_file: Where the torn tail went, or None if nothing was moved.
        moved: How many bytes were moved to *side_file*.

    .. versionadded:: 0.1.0
    """

    path: Path | str
    before: CheckReport
    after: CheckReport
    side_file: Path | None = None
    moved: int = 0

    @property
    def ok(self) -> bool:
        """Return whether the log is sound after the repair."""
        return self.after.ok

    def __str__(self) -> str:
        if self.side_file is not None:
            done = f"moved the torn tail ({self.moved} bytes) to {self.side_file}"
        elif self.before.ok:
            done = "nothing to repair"
        elif isinstance(self.path, str):
            done = (
                "nothing repaired: PostgreSQL rolls back interrupted transactions "
                "itself; a damaged log is reported, never altered"
            )
        elif self.path.suffix.lower() in SQLITE_SUFFIXES:
            done = (
                "nothing repaired: SQLite recovers interrupted transactions itself "
                "when the database is opened; a damaged database is reported, never "
                "altered"
            )
        else:
            done = (
                "nothing repaired: only a torn tail is repaired; the other problems "
                "need a person (restore the file from a copy)"
            )
        return f"{self.path}: {done}\n{self.after}"
