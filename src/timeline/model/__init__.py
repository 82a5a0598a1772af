# SPDX-License-Identifier: MIT
"""The model: the values a log holds, and nothing that reads or stores them.

The bottom layer (see the layer rule in docs/design.md). It imports only
`timeline.errors`:

- `timeline.model.dates`: `FuzzyDate`, the valid-time clock;
- `timeline.model.sources`: `Source` and `Report`, the knowledge-time clock;
- `timeline.model.events`: the typed claims and their registry;
- `timeline.model.entry`: `Entry`, a claim stamped with system time;
- `timeline.model.rules`: what a log accepts.

.. versionadded:: 0.2.0
"""

__all__: list[str] = []
