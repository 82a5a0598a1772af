# SPDX-License-Identifier: MIT
"""The event base class, its roles and its registry of stored tags.

Private: every name here is public as ``timeline.model.events``'s. The
claims, responses and the analyst's entries are declared on top of it, in
``timeline.model.events`` and ``timeline.model._analyst``.
"""

import enum
import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from timeline.errors import InvalidEntryError, UnknownEventTypeError
from timeline.model._checks import check_fields
from timeline.model.dates import FuzzyDate
from timeline.model.discovery import (
    ENTRY_POINT_GROUP,
    ENVIRONMENT_VARIABLE,
    discover_event_types,
)
from timeline.model.relations import Kind, fact
from timeline.model.sources import Credibility, Hedge, Reliability, Report, Source

__all__ = [
    "PROVENANCE_FIELDS",
    "Event",
    "Role",
    "event_type_for",
    "registered_event_types",
]

_REGISTRY: dict[str, type["Event"]] = {}

PROVENANCE_FIELDS = frozenset(
    {
        "event_id",
        "report",
        "attribution",
        "quote",
        "reliability",
        "credibility",
        "hedge",
        "note",
    }
)
"""Fields that say who claimed something, not what was claimed."""


class Role(enum.Enum):
    """What an entry does to the record, which decides how projections fold it.

    .. versionadded:: 0.1.0
    """

    CLAIM = "claim"
    """A report of a happening and its facts (an attack, a death, a statement)."""
    RESPONSE = "response"
    """A party's response to an existing happening: denial, confirmation,
    or a source's own retraction or correction."""
    ANALYST = "analyst"
    """The analyst's own bookkeeping (an `AnalystEntry`): merging or
    splitting happenings, placing a place within another, judging two
    wordings, revoking a judgement, voiding a mis-encoded entry."""


# A list becomes a tuple, losing nothing. Anything else is left as it is
# for the field check to refuse by name: tuple() would make a string its
# letters, a dict its keys, a set an order of its own.
def _tuple_of_str(value: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else value


def _tuple_of_sources(
    value: list[Source] | tuple[Source, ...],
) -> tuple[Source, ...]:
    return tuple(value) if isinstance(value, list) else value


def _non_blank_id(
    instance: object, attribute: "attrs.Attribute[Any]", value: object
) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = (
            f"{type(instance).__name__}.{attribute.name} must be a non-blank string, "
            f"got {value!r}"
        )
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Event:
    """One report's account of one happening; the base of every log entry type.

    Subclass it to declare a type of your own: give it a stable
    ``event_type`` tag (stored in logs instead of the class name, so the class
    can be renamed or moved) and, when its shape changes, a higher
    ``schema_version`` and an entry in ``upcasters`` that turns a stored
    payload of the old version into one of the next version. Registration
    is automatic.

    Args:
        event_id: The happening this claim is about, shared by every claim
            about the same happening.
        report: The public account that made the claim; its publication is
            when the claim became known.
        when: When the happening took place, as the report states it.
        where: Where it took place, as the report names it.
        actors: Who took part, as the report names them.
        attribution: Whom the report attributes the claim to, outermost
            first: Military Times -> TASS -> Russian Ministry of Defence is
            ``(Source("TASS"), Source("Russian Ministry of Defence"))`` on a
            Military Times report.
        quote: The report's own words supporting the claim, verbatim.
        reliability: Admiralty grading of the source's reliability.
        credibility: Admiralty grading of this claim's credibility.
        hedge: How the report itself hedges the claim ("alleged", "claims
            are circulating"), or None when it states it flat. A marker of
            the source's own words, where *reliability* and *credibility*
            are the analyst's grades.
        note: The encoder's remark (why a date was read this way, say).

    Every field is checked against its annotation as the event is built, in
    subclasses too. A value standing for exactly one value of the field's
    type is converted (a `datetime.date` to ``FuzzyDate.exact(day)``, a
    ``str`` to ``Source(name)``, an ``int`` to ``Estimate.exactly(count)``,
    a list to a tuple); anything else of the wrong type is refused, a
    `datetime.datetime` for *when*, a ``bool`` for a number and a ``str``
    for a tuple included.

    Raises:
        TypeError: If a field holds a value of the wrong type; the message
            names the class and field, what it got and what it wants, e.g.
            ``Death.when must be a FuzzyDate or None, got str 'on Thursday':
            use FuzzyDate.parse('on Thursday', anchor=report.published)``.
        InvalidEntryError: If *event_id* is blank, or a converted value is
            refused (a blank outlet name, a negative count).

    Two claims' values of a fact field compare by the field's kind (see
    `timeline.model.relations`): *when* is a date, *where* a place, and
    *actors* a set of names, so a report naming fewer parties refines one
    naming more. Each type below lists the kinds of its own fields.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Fields are checked and converted as the event is built; *hedge*.
    """

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    upcasters: ClassVar[Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]]] = (
        MappingProxyType({})
    )
    role: ClassVar[Role] = Role.CLAIM

    event_id: str = attrs.field(validator=_non_blank_id)
    report: Report
    when: FuzzyDate | None = None
    where: str | None = fact(Kind.PLACE, default=None)
    actors: tuple[str, ...] = fact(Kind.SET, default=(), converter=_tuple_of_str)
    attribution: tuple[Source, ...] = attrs.field(
        default=(), converter=_tuple_of_sources
    )
    quote: str | None = None
    reliability: Reliability | None = None
    credibility: Credibility | None = None
    hedge: Hedge | None = None
    note: str | None = None

    # The check generated for the class of the instance: assigned, not
    # called from a method, to spare a call on every claim built.
    __attrs_post_init__ = check_fields

    @classmethod
    def __attrs_init_subclass__(cls) -> None:
        # Runs after attrs has built the final slotted class; a decorator
        # placed under @attrs.frozen would register a discarded draft.
        own = cls.__dict__.get("__attrs_post_init__")
        if own is not None and own is not check_fields:
            # A post-init of the subclass's own replaces the check: run the
            # check first, so that its code sees values of the declared types.
            cls.__attrs_post_init__ = _checked_first(own)  # type: ignore[assignment]
        tag = cls.__dict__.get("event_type")
        if isinstance(tag, str) and tag.startswith("_"):
            return  # A leading underscore marks an abstract, unregistered base.
        if not isinstance(tag, str) or not tag:
            msg = (
                f"{cls.__qualname__} must set its own event_type tag, e.g. "
                f'event_type: ClassVar[str] = "{cls.__name__.lower()}"'
            )
            raise TypeError(msg)
        known = _REGISTRY.get(tag)
        if known is not None and (known.__module__, known.__qualname__) != (
            cls.__module__,
            cls.__qualname__,
        ):
            msg = (
                f"event type {tag!r} is already registered to "
                f"{known.__module__}.{known.__qualname__}"
            )
            raise TypeError(msg)
        _REGISTRY[tag] = cls

    @property
    def claimant(self) -> Source:
        """Return who ultimately makes the claim: the end of the attribution chain."""
        return self.attribution[-1] if self.attribution else self.report.outlet

    @classmethod
    def fact_fields(cls) -> tuple[str, ...]:
        """Return the names of the fields that state facts about the happening."""
        return tuple(
            field.name
            for field in attrs.fields(cls)
            if field.name not in PROVENANCE_FIELDS
        )

    def facts(self) -> dict[str, object]:
        """Return this claim's stated facts: the fact fields that are not empty."""
        values = {name: getattr(self, name) for name in self.fact_fields()}
        return {
            name: value for name, value in values.items() if value not in (None, ())
        }

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return the happenings that must already be in the log for this entry."""
        return ()

    def referenced_seqs(self) -> tuple[int, ...]:
        """Return the log entries that must already exist for this entry."""
        return ()


def _checked_first(own: Callable[[Any], None]) -> Callable[[Any], None]:
    @functools.wraps(own)
    def post_init(self: Any) -> None:
        check_fields(self)
        own(self)

    return post_init


def registered_event_types() -> Mapping[str, type[Event]]:
    """Return every registered event type, by stored tag.

    .. versionadded:: 0.1.0
    """
    return MappingProxyType(_REGISTRY)


def event_type_for(tag: str) -> type[Event]:
    """Return the event class registered under *tag*.

    A tag no class claims first makes the modules that declare user types
    be looked for, once a process (see `timeline.model.discovery`).

    Raises:
        UnknownEventTypeError: If no class claims *tag*, even then.

    .. versionadded:: 0.1.0
    """
    # Typed as object: stored data may hold anything where a tag belongs.
    key: object = tag
    cls = _REGISTRY.get(key) if isinstance(key, str) else None
    if cls is None and isinstance(key, str) and not _discovered:
        _discovered.append(discover_event_types())
        cls = _REGISTRY.get(key)
    if cls is None:
        msg = (
            f"unknown event type {tag!r}; registered: {', '.join(sorted(_REGISTRY))}. "
            "Import the module that declares it, or name it: an entry point in "
            f"the group {ENTRY_POINT_GROUP!r}, the {ENVIRONMENT_VARIABLE} setting, "
            "or timeline --types MODULE"
        )
        raise UnknownEventTypeError(msg)
    return cls


_discovered: list[tuple[str, ...]] = []  # what the one discovery imported


# Shown, pickled and documented under the public path users import.
Event.__module__ = "timeline.model.events"
