# SPDX-License-Identifier: MIT
"""Pausing the cyclic garbage collector while a log is read, checked or appended.

A base module, below every layer: the log and the stores both use it.
"""

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collection_paused"]


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, as it was before afterwards.

    Folding or reading a log creates many objects and no garbage cycles,
    while the log holds millions of objects that the cyclic collector would
    traverse again and again for nothing; reference counting still frees
    every temporary.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
