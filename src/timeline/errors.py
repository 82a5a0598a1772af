# SPDX-License-Identifier: MIT
"""Exceptions raised by timeline: one root, each also a familiar builtin."""

__all__ = [
    "AmbiguousNameError",
    "ConcurrencyError",
    "CorruptLogError",
    "DanglingReferenceError",
    "InvalidDateError",
    "InvalidEntryError",
    "InvalidInputError",
    "MissingExtraError",
    "ReadOnlyLogError",
    "StorageError",
    "StorageFullError",
    "StoreError",
    "TimelineError",
    "TornTailWarning",
    "UnknownEventTypeError",
]


class TimelineError(Exception):
    """Root of every error timeline raises on purpose.

    Catch this to handle any failure of the library without catching bugs.

    .. versionadded:: 0.1.0
    """


class InvalidDateError(TimelineError, ValueError):
    """A date, range or phrase that cannot be a real day, or cannot be resolved.

    .. versionadded:: 0.1.0
    """


class InvalidEntryError(TimelineError, ValueError):
    """A claim or stored entry whose shape or values are wrong.

    The message names where (line, seq or field path) and what was found.

    .. versionadded:: 0.1.0
    """


class InvalidInputError(TimelineError, ValueError):
    """Input from outside a log, such as a CSV file, that cannot become claims.

    The message names the file and, when one value is at fault, its row and
    column. Nothing of the input was appended.

    .. versionadded:: 0.2.0
    """


class UnknownEventTypeError(TimelineError, LookupError):
    """A type tag that no registered event class claims.

    .. versionadded:: 0.1.0
    """


class DanglingReferenceError(TimelineError, LookupError):
    """An entry refers to a happening or entry that the log does not hold.

    .. versionadded:: 0.1.0
    """


class AmbiguousNameError(TimelineError, LookupError):
    """A name that several entities of the record answer to, where one was asked for.

    `timeline.projections.Knowledge.state_of` raises it rather than pick one:
    "Valery" in the bundled corpus is Valery Asapov, Valery Fedyanin or
    Valery Gerasimov. Name one in full, or, if two of the names are one
    person, say so with a `timeline.model.events.SameEntity`.

    Args:
        name: The name asked for.
        candidates: Each entity it could be, as the names the record knows
            it by (several when the analyst judged them one), sorted.

    .. versionadded:: 0.2.0
    """

    def __init__(self, name: str, candidates: tuple[tuple[str, ...], ...]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(" = ".join(names) for names in candidates)
        super().__init__(
            f"{name!r} names {len(candidates)} entities: {listed}; "
            "name one in full, or record that two are one with a SameEntity"
        )

    def __reduce__(self) -> tuple[type["AmbiguousNameError"], tuple[object, ...]]:
        return type(self), (self.name, self.candidates)


class MissingExtraError(TimelineError, ImportError):
    """A call needs an optional extra that is not installed.

    The message names the extra to install (``contested-timeline[arrow]``,
    ``[xlsx]``, ``[pandas]``). A subclass of ``ImportError``, so ``except
    ImportError`` keeps catching it; the ``timeline`` command says it in
    one line.

    .. versionadded:: 0.2.0
    """


class CorruptLogError(TimelineError, ValueError):
    """A stored log that cannot be read back as written: torn, edited or garbled.

    .. versionadded:: 0.1.0
    """


class ConcurrencyError(TimelineError, RuntimeError):
    """An append whose expected position no longer matches the log.

    .. versionadded:: 0.1.0
    """


class StoreError(TimelineError, ValueError):
    """A store used wrongly: a path no backend handles, or a store already closed.

    .. versionadded:: 0.1.0
    """


class StorageError(TimelineError, OSError):
    """The file system refused to write a batch: nothing of it was appended.

    The log is as it was before the append, and stays readable and valid.
    A subclass of ``OSError``, so ``except OSError`` keeps catching it;
    ``errno`` and ``filename`` say what failed and where, and the message
    says it in words.

    .. versionadded:: 0.2.0
    """

    def __str__(self) -> str:
        return self.strerror or super().__str__()


class StorageFullError(StorageError):
    """No room for a batch: a full disk, a quota, or a file size limit.

    ``errno`` is ``ENOSPC``, ``EDQUOT`` or ``EFBIG``. Nothing of the batch
    was appended; once space is freed, appending works again.

    .. versionadded:: 0.2.0
    """


class ReadOnlyLogError(StoreError):
    """An append to a log opened read-only, or kept where it cannot be written.

    .. versionadded:: 0.2.0
    """


class TornTailWarning(UserWarning):
    """A log read only up to its torn final line, which an interrupted append left.

    Read-only opens of a JSON Lines log (``EventLog.open(path, mode="r")``
    and the ``timeline`` commands that only ask) read the committed entries
    before the tear and warn once; ``timeline check`` still fails on such
    a log, and ``timeline check --repair`` moves the torn tail aside.

    .. versionadded:: 0.2.0
    """
