# SPDX-License-Identifier: MIT
"""Exceptions raised by timeline: one root, each also a familiar builtin."""

__all__ = [
    "ConcurrencyError",
    "CorruptLogError",
    "DanglingReferenceError",
    "InvalidDateError",
    "InvalidEntryError",
    "InvalidInputError",
    "ReadOnlyLogError",
    "StorageError",
    "StorageFullError",
    "StoreError",
    "TimelineError",
    "TornLogWarning",
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


class TornLogWarning(UserWarning):
    """A log opened read-only ends in a torn append, left out of what is read.

    A crash during an append can leave part of its last line (or of its
    last batch) at the end of a JSON Lines file. A read-only open reads
    the intact entries before it and warns, naming the byte where the
    intact log ends and the command that repairs it; ``timeline check``
    still reports the file as damaged.

    .. versionadded:: 0.2.0
    """
