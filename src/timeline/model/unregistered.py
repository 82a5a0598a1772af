# SPDX-License-Identifier: MIT
"""Entries of types this process does not know, kept as raw claims.

A log written with a user's own event type (a ``Decoration``, say) may be
read where the module declaring it is not installed. Its entries are not
dropped, and the log is not refused: the codec reads each one as an
`UnregisteredEvent`, which keeps the stored type tag, schema version and
payload exactly, and reads from the payload what every event type stores
the same way: the happening's ``event_id``, the ``report`` and the rest of
the provenance (attribution, quote, note, reliability, credibility). So the
entry counts from its report's publication day like any claim, is listed
among its happening's claims as a raw claim (its fields shown as text),
states no facts (it never takes part in a conflict), and is written back,
by an export or a copy of the log, exactly as it was stored, so that the
hash chain still verifies.

A new entry of an unregistered type cannot be made without its class: an
`UnregisteredEvent` holds what a stored log held, made by the codec as it
reads the log, and a log accepts one only to carry it on (a copy of a log
made through the API, appending the events of another).
Once the module declaring the type is imported (see
`timeline.model.discovery`), the same log reads as the type's own events.

.. versionadded:: 0.2.0
"""

import importlib
import json
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from timeline.model._event import PROVENANCE_FIELDS, Event, registered_event_types
from timeline.model.discovery import ENTRY_POINT_GROUP, ENVIRONMENT_VARIABLE

__all__ = ["UnregisteredEvent", "declared_by"]


class _StoredTag(str):
    # The class's tag, "_unregistered" (a leading underscore keeps the class
    # out of the registry), that reads on an instance as the stored tag, so
    # that every view showing ``event.event_type`` shows "decoration".
    __slots__ = ()

    def __get__(self, instance: object, owner: type | None = None) -> str:
        if isinstance(instance, UnregisteredEvent):
            return instance.stored_type
        return self


@attrs.frozen(kw_only=True, weakref_slot=False)
class UnregisteredEvent(Event):
    """A stored entry whose type no class in this process claims, kept as stored.

    Made by `timeline.serialization.Codec` when it reads a stored entry
    whose tag is not registered; its *event_id*, *report* and the rest of
    its provenance are read from the payload as every event type stores
    them. Its ``event_type`` is the
    stored tag (the class's own, ``"_unregistered"``, is never stored).

    >>> import datetime as dt
    >>> from timeline.model.sources import Report, Source
    >>> raw = UnregisteredEvent(
    ...     event_id="asapov-death",
    ...     report=Report(outlet=Source("TASS"), published=dt.date(2017, 9, 24)),
    ...     stored_type="posthumous_award",
    ...     stored_version=1,
    ...     stored_payload='{"award":"Hero of Russia","event_id":"asapov-death"}',
    ... )
    >>> raw.event_type, raw.fields
    ('posthumous_award', {'award': '"Hero of Russia"'})
    >>> raw.facts()
    {}

    Args:
        event_id: The payload's ``event_id``.
        report: The payload's ``report``; *attribution*, *quote*,
            *reliability*, *credibility* and *note* are the payload's too.
        stored_type: The type tag as stored, such as ``"decoration"``.
        stored_version: The schema version as stored.
        stored_payload: The payload as stored, as canonical JSON text
            (compact, keys sorted), as the stores write it.

    Raises:
        InvalidEntryError: If *event_id* is blank.
        ValueError: If *stored_payload* is not the text of a JSON object,
            or *stored_type* names a registered type (read the log again:
            the type's own class reads it now).

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = _StoredTag("_unregistered")

    stored_type: str
    stored_version: int
    stored_payload: str

    def __attrs_post_init__(self) -> None:
        if self.stored_type in registered_event_types():
            msg = (
                f"event type {self.stored_type!r} is registered: read the log "
                "again to read its entries as that type"
            )
            raise ValueError(msg)
        try:
            payload = json.loads(self.stored_payload)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            msg = (
                "UnregisteredEvent.stored_payload must be the text of a JSON "
                f"object, got {self.stored_payload!r:.80}"
            )
            raise ValueError(msg)  # noqa: TRY004 - bad text, not a bad type

    @classmethod
    def fact_fields(cls) -> tuple[str, ...]:
        """Return no field: an entry read without its class states no facts."""
        return ()

    @property
    def payload(self) -> dict[str, Any]:
        """Return a fresh copy of the stored payload."""
        payload: dict[str, Any] = json.loads(self.stored_payload)
        return payload

    @property
    def fields(self) -> dict[str, str]:
        """Return the payload's fields but the provenance ones, as JSON text.

        The provenance fields (``PROVENANCE_FIELDS`` of `timeline.model.events`:
        *event_id*, *report*, *attribution*, *quote* ...) are read into the
        event's own.
        """
        return {
            name: json.dumps(value, ensure_ascii=False)
            for name, value in self.payload.items()
            if name not in PROVENANCE_FIELDS
        }


def declared_by(tags: Iterable[str]) -> dict[str, str]:
    """Return, for each tag, what would read entries of that type, in words.

    The stored tag names no module (nothing read from storage is imported),
    so the answer comes from the installed distributions: the entry points
    of the group ``timeline.event_types`` whose modules could not be
    imported are the candidates; with none, the words say how to name the
    module.

    >>> declared_by(["decoration"])["decoration"]  # doctest: +ELLIPSIS
    "no installed package declares 'decoration'; pass --types MODULE or set ..."
    """
    # Imported here, as in `timeline.model.discovery`: only a log holding
    # unknown types asks.
    from importlib import metadata  # noqa: PLC0415

    broken: list[str] = []
    for point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        module = point.value.partition(":")[0]
        try:
            importlib.import_module(module)
        except ImportError as error:
            dist = point.dist.name if point.dist is not None else "?"
            broken.append(
                f"{module} (entry point {point.name!r} of {dist}), which cannot "
                f"be imported: {error}"
            )
    advice: dict[str, str] = {}
    for tag in tags:
        if broken:
            advice[tag] = (
                f"{tag!r} may be declared by " + "; or ".join(broken) + ": fix it"
            )
        else:
            advice[tag] = (
                f"no installed package declares {tag!r}; pass --types MODULE or "
                f"set {ENVIRONMENT_VARIABLE}, or name the module in an entry point "
                f"of the group {ENTRY_POINT_GROUP!r}"
            )
    return advice
