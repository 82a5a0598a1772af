# SPDX-License-Identifier: MIT
"""Projections: pure folds of entries into what was known.

The second layer (see docs/design.md): it imports the model and nothing
above it. Import every name from here (``from timeline.projections import
Knowledge``); each is defined, and documented, in the module of its concept:

- `timeline.projections.fields`: `Value` and `FieldValues`, every value
  reported for a field, `ValuePair`, how two of them relate, and the
  resolution policies with their `Resolution`;
- `timeline.projections.happening`: `Happening`, its `Status`, `Conflict`,
  and `searched_texts`, what `Happening.matches` searches in an entry;
- `timeline.projections.knowledge`: `Knowledge`, the answer as of a date
  (and `Slot`, deprecated);
- `timeline.projections.chronology`: `Chronology` and its `Layer` items,
  the happenings in the order of valid time;
- `timeline.projections.entities`: `EntityState`, a person's state on a
  day of valid time;
- `timeline.projections.provenance`: `SourceAccount`, what one source
  stated, denied or was quoted on;
- `timeline.projections.fold`: `build_knowledge`, the fold every answer is
  defined by;
- `timeline.projections.index`: `KnowledgeIndex` and `IndexSnapshot`,
  answers without a replay;
- `timeline.projections.comparison`: `timeline.projections.diff`, what
  became known between two dates, and its `KnowledgeDiff`;
- `timeline.projections.evolution`: `timeline.projections.history`, how
  knowledge of one happening evolved.

``timeline.projections.display`` is the seam through which the view layer
draws projections without a projection importing a view.

.. versionadded:: 0.2.0
"""

from timeline.projections.chronology import Chronology, Layer
from timeline.projections.comparison import KnowledgeDiff, diff
from timeline.projections.entities import EntityState
from timeline.projections.evolution import history
from timeline.projections.fields import (
    FieldValues,
    Resolution,
    Value,
    ValuePair,
    earliest_report,
    latest_report,
    most_reliable_source,
    most_sources,
)
from timeline.projections.fold import build_knowledge
from timeline.projections.happening import Conflict, Happening, Status, searched_texts
from timeline.projections.index import IndexSnapshot, KnowledgeIndex
from timeline.projections.knowledge import Knowledge, Slot
from timeline.projections.provenance import SourceAccount

__all__ = [
    "Chronology",
    "Conflict",
    "EntityState",
    "FieldValues",
    "Happening",
    "IndexSnapshot",
    "Knowledge",
    "KnowledgeDiff",
    "KnowledgeIndex",
    "Layer",
    "Resolution",
    "Slot",
    "SourceAccount",
    "Status",
    "Value",
    "ValuePair",
    "build_knowledge",
    "diff",
    "earliest_report",
    "history",
    "latest_report",
    "most_reliable_source",
    "most_sources",
    "searched_texts",
]
