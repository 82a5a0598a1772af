# SPDX-License-Identifier: MIT
"""Pausing the cyclic garbage collector while a log is read, checked or appended.

A base module, below every layer: the log and the stores both use it.
"""

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collection_paused"]


@contextlib.contextmanager
def collection_paused(*, kept_old: bool = False) -> Iterator[None]:
    """Pause the cyclic collector for the block, as it was before afterwards.

    Folding or reading a log creates many objects and no garbage cycles,
    while the log holds millions of objects that the cyclic collector would
    traverse again and again for nothing; reference counting still frees
    every temporary.

    With *kept_old*, what the block made and kept (entries read, to be
    held as long as the log) is counted with the oldest objects when it
    ends, as if it had survived the young collections it skipped: they
    would only have walked it to find it alive, in one long pause when
    the collector resumes (0.05 s after reading 50,000 entries). Young
    objects of the caller's are counted old with it. Left as they are if
    the program froze objects of its own (`gc.freeze`), which this would
    thaw.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if kept_old and not gc.get_freeze_count():
            # Both move whole generations at once; neither walks them.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
