# SPDX-License-Identifier: MIT
"""The model: the values a log holds, and nothing that reads or stores them.

The bottom layer (see the layer rule in docs/design.md). It imports only
`timeline.errors`:

- `timeline.model.dates`: `FuzzyDate`, the valid-time clock;
- `timeline.model.sources`: `Source` and `Report`, the knowledge-time clock;
- `timeline.model.relations`: how two values of a field relate (`Relation`),
  and the kinds of fields (`Kind`);
- `timeline.model.places`: which place lies within which;
- `timeline.model.events`: the typed claims, the analyst's entries and
  their registry;
- `timeline.model.incidents`: `Incident`, an event as conflict-event
  datasets code it (imported here, so its type is always registered);
- `timeline.model.comparers`: the comparer of each kind of field;
- `timeline.model.entry`: `Entry`, a claim stamped with system time;
- `timeline.model.rules`: what a log accepts.

.. versionadded:: 0.2.0
"""

from timeline.model import (
    _languages,
    _phrases,
    dates,
    incidents,  # noqa: F401  (imported to register the Incident type)
)

__all__: list[str] = []

# `FuzzyDate.parse` reads English with the rules in ``_phrases``, and other
# languages with ``_languages``; both build FuzzyDates and so import
# ``dates``. Rather than import them back, ``dates`` is handed the readers
# here, before any caller can reach it (see "The phrase reader" at the end of
# timeline.model.dates).
dates._read_phrases_with(_phrases.read_phrase, _languages.read_in)
