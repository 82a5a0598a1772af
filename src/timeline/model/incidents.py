# SPDX-License-Identifier: MIT
"""Incidents: events of political violence and unrest as event datasets code them.

Conflict-event datasets such as UCDP's Georeferenced Event Dataset (GED) and
ACLED code each event with its kind, the two sides, the dead (in all and by
side), and the place. `Incident` holds those facts as one source gives them;
`timeline.importers` makes one claim of it per source a dataset cites.

.. versionadded:: 0.2.0
"""

from typing import ClassVar

import attrs

from timeline.model.events import Estimate, Event

__all__ = ["Incident"]


@attrs.frozen(kw_only=True, weakref_slot=False)
class Incident(Event):
    """An event of organized violence, or of unrest, as an event dataset codes it.

    Args:
        kind: What kind of event the dataset says it is: UCDP's type of
            violence ("state-based conflict", "non-state conflict",
            "one-sided violence"), ACLED's event type and sub-event type
            ("Protests: Peaceful protest").
        side_a: The first side, as the dataset names it (UCDP's side A,
            ACLED's actor 1). Neither dataset implies who attacked whom.
        side_b: The other side, if any.
        conflict_name: The conflict the event belongs to, as the dataset
            names it (UCDP's ``conflict_name``).
        deaths: The dead in all: low, best and high figures as given, out
            of order included (see `Estimate.consistent`).
        deaths_side_a: The dead of side A.
        deaths_side_b: The dead of side B.
        deaths_civilians: The civilians killed.
        deaths_unknown: The dead whose side is not known.
        country: The country where it happened.
        coordinates: Where it happened as a WKT point, ``POINT (lon lat)``,
            kept as text so that no figure is rounded.
        place_precision: How precisely the dataset knows the place, in its
            own code and words (``"where_prec 1: exact location"``).

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "incident"

    kind: str
    side_a: str | None = None
    side_b: str | None = None
    conflict_name: str | None = None
    deaths: Estimate | None = None
    deaths_side_a: Estimate | None = None
    deaths_side_b: Estimate | None = None
    deaths_civilians: Estimate | None = None
    deaths_unknown: Estimate | None = None
    country: str | None = None
    coordinates: str | None = None
    place_precision: str | None = None
