# SPDX-License-Identifier: MIT
"""The log's clock: injectable, so tests can pass a fake."""

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
"""A callable returning the current time as an aware datetime."""


def utc_now() -> dt.datetime:
    """Return the current time in UTC, aware."""
    return dt.datetime.now(dt.UTC)
