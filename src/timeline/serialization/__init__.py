# SPDX-License-Identifier: MIT
"""Entries to JSON-ready envelopes and back, through cattrs, with upcasting.

Every stored entry is one envelope::

    {
        "seq": 1,
        "recorded_at": "2026-11-21T09:00:00+00:00",
        "type": "death",
        "schema_version": 1,
        "payload": {...},
    }

The ``type`` tag, never a class or module name, picks the class; nothing read
from storage is ever imported or evaluated. Payloads written by an older
``schema_version`` pass through the class's ``upcasters`` before structuring.

The package, by concept (by the layer rule in docs/design.md, it imports
only ``timeline.errors`` and ``timeline.model``):

- ``_codec``: `Codec`, the envelope, upcasting and the errors it explains;
- ``_converter``: `make_converter()`, the cattrs converter that defines how
  each value is written and read;
- ``_generate``: the code generator behind the fast readers and writers, and
  why it exists (a design note with the benchmark);
- ``_readers`` and ``_writers``: the readers, writers and checked writers it
  generates, which do exactly what the converter does, only faster;
- ``_gazetteer``: `read_gazetteer`, a CSV of places within places read into
  the analyst's `timeline.model.events.Within` entries.
"""

from timeline.serialization._codec import Codec
from timeline.serialization._converter import make_converter
from timeline.serialization._gazetteer import read_gazetteer

__all__ = ["Codec", "make_converter", "read_gazetteer"]
