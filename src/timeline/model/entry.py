# SPDX-License-Identifier: MIT
"""The log entry: one claim stamped with the log's system time.

Public as ``timeline.Entry`` and ``timeline.log.Entry``.
"""

import datetime as dt

import attrs

from timeline.model.events import Event

__all__ = ["Entry"]


@attrs.frozen(weakref_slot=False)
class Entry:
    """One claim as our log holds it, stamped with the log's own system time.

    Args:
        seq: Position in the log, from 1, strictly increasing.
        recorded_at: When the log accepted it (aware, UTC); never decreases
            along *seq*.
        event: The claim itself.

    .. versionadded:: 0.1.0
    """

    seq: int
    recorded_at: dt.datetime
    event: Event
