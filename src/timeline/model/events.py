# SPDX-License-Identifier: MIT
"""Typed claims: the event base class, its registry and the built-in types.

Every entry in a log is one report's account of one happening. The happening
is named by ``event_id``, shared by every claim about it, so two outlets that
disagree about the day General Asapov died make two claims with one id.

Every event checks the types of its fields as it is built, from their
annotations, and refuses a wrong one with a message naming the field (see
`Event`); the check is generated once per class, so a type declared by a user
is checked like the built-in ones.
"""

import enum
import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from timeline.errors import InvalidEntryError, UnknownEventTypeError
from timeline.model._checks import NOT_CONVERTED, check_fields, register
from timeline.model.dates import FuzzyDate
from timeline.model.discovery import (
    ENTRY_POINT_GROUP,
    ENVIRONMENT_VARIABLE,
    discover_event_types,
)
from timeline.model.sources import Credibility, Reliability, Report, Source

__all__ = [
    "PROVENANCE_FIELDS",
    "Accusation",
    "Acknowledgement",
    "Amendment",
    "Appointment",
    "Attack",
    "Capture",
    "CasualtyReport",
    "Confirmation",
    "Correction",
    "Death",
    "Denial",
    "Deployment",
    "Estimate",
    "Event",
    "Formation",
    "Meeting",
    "Responsibility",
    "Retraction",
    "Revelation",
    "Role",
    "SameAs",
    "Split",
    "Statement",
    "TerritorialChange",
    "Threat",
    "Visit",
    "Wounding",
    "event_type_for",
    "registered_event_types",
]

_REGISTRY: dict[str, type["Event"]] = {}

PROVENANCE_FIELDS = frozenset(
    {"event_id", "report", "attribution", "quote", "reliability", "credibility", "note"}
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
    """The analyst's own bookkeeping: merging or splitting happenings,
    voiding a mis-encoded entry."""


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
        note: The encoder's remark (why a date was read this way, say).

    Every field is checked against its annotation as the event is built, in
    subclasses too. A value that stands for exactly one value of the field's
    type is converted: a `datetime.date` for a `FuzzyDate` field (*when*)
    becomes ``FuzzyDate.exact(day)``; a ``str`` for a `Source` (an item of
    *attribution*, a report's outlet) becomes ``Source(name)``; an ``int``
    for an `Estimate` becomes ``Estimate.exactly(count)``; a list for a
    tuple becomes a tuple. Anything else of the wrong type is refused, a
    `datetime.datetime` for *when* (a valid-time date is days), a ``bool``
    for a number and a ``str`` for a tuple included.

    Raises:
        TypeError: If a field holds a value of the wrong type; the message
            names the class and field, what it got and what it wants, e.g.
            ``Death.when must be a FuzzyDate or None, got str 'on Thursday':
            use FuzzyDate.parse('on Thursday', anchor=report.published)``.
        InvalidEntryError: If *event_id* is blank, or a converted value is
            refused (a blank outlet name, a negative count).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Fields are checked and converted as the event is built.
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
    where: str | None = None
    actors: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    attribution: tuple[Source, ...] = attrs.field(
        default=(), converter=_tuple_of_sources
    )
    quote: str | None = None
    reliability: Reliability | None = None
    credibility: Credibility | None = None
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


_discovered: list[tuple[str, ...]] = []
"""What the one discovery of a process imported, once it ran."""


def _non_negative(
    instance: "Estimate", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    del instance
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < 0
    ):
        msg = f"Estimate.{attribute.name} must be a whole number >= 0, got {value!r}"
        raise InvalidEntryError(msg)


@attrs.frozen(weakref_slot=False)
class Estimate:
    """A count as a source gave it: a low, best and high figure, any may be missing.

    "At least 11" is ``Estimate(low=11)``; "65" is ``Estimate.exactly(65)``.
    Where an event's field wants an estimate, a plain whole number is taken
    for the exact figure: ``CasualtyReport(..., killed=39)`` holds
    ``Estimate.exactly(39)``.

    A source's figures are a fact about the source, so figures out of order
    (UCDP's low 334, best 333, high 3) are kept as given, and marked: such an
    estimate is not `Estimate.consistent`, and says so when printed.

    Raises:
        InvalidEntryError: If a figure is negative or not a whole number (a
            ``bool`` included), or none is given. Figures out of order are
            kept, and marked by `consistent`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Figures out of order are kept, and marked, instead of refused.
    """

    low: int | None = attrs.field(default=None, kw_only=True, validator=_non_negative)
    best: int | None = attrs.field(default=None, kw_only=True, validator=_non_negative)
    high: int | None = attrs.field(default=None, kw_only=True, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        figures = [f for f in (self.low, self.best, self.high) if f is not None]
        if not figures:
            msg = "Estimate needs at least one of low, best, high"
            raise InvalidEntryError(msg)

    @property
    def consistent(self) -> bool:
        """Whether the figures given are in order: low <= best <= high.

        >>> Estimate(low=334, best=333, high=3).consistent
        False

        .. versionadded:: 0.2.0
        """
        figures = [f for f in (self.low, self.best, self.high) if f is not None]
        return figures == sorted(figures)

    @classmethod
    def exactly(cls, count: int) -> "Estimate":
        """Return an estimate of exactly *count*."""
        return cls(low=count, best=count, high=count)

    def __str__(self) -> str:
        if self.low == self.best == self.high:
            return str(self.best)
        parts = [
            f"{label} {value}"
            for label, value in (
                ("low", self.low),
                ("best", self.best),
                ("high", self.high),
            )
            if value is not None
        ]
        text = ", ".join(parts)
        return text if self.consistent else f"{text} (inconsistent: out of order)"


def _estimate_from(value: object) -> object:
    # "39 killed" is exactly 39: the figure a source gives, at every bound.
    if isinstance(value, int) and not isinstance(value, bool):
        return Estimate.exactly(value)
    return NOT_CONVERTED


def _estimate_hint(value: object) -> str | None:
    if isinstance(value, bool):
        return "a bool is not a count"
    if isinstance(value, float):
        return "a count is a whole number; give a range as Estimate(low=..., high=...)"
    return None


register(Estimate, convert=_estimate_from, hint=_estimate_hint)


# --- Happenings -------------------------------------------------------------


@attrs.frozen(kw_only=True, weakref_slot=False)
class Attack(Event):
    """An attack: a strike, a shelling, a bombing, a raid.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "attack"

    attacker: str | None = None
    target: str | None = None
    method: str | None = None
    killed: Estimate | None = None
    wounded: Estimate | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Statement(Event):
    """Something a party said publicly: its content is the claim's *quote*.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "statement"

    speaker: str
    summary: str | None = None
    audience: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Visit(Event):
    """A visit by someone to a place or a host.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "visit"

    visitor: str
    host: str | None = None
    purpose: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Meeting(Event):
    """A meeting or conference between parties (the *actors*).

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "meeting"

    topic: str | None = None
    medium: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Death(Event):
    """A person's death.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "death"

    person: str
    cause: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Wounding(Event):
    """A person's wounding.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "wounding"

    person: str
    cause: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class CasualtyReport(Event):
    """A count of casualties for a group over some period.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "casualty_report"

    group: str
    killed: Estimate | None = None
    wounded: Estimate | None = None
    captured: Estimate | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Accusation(Event):
    """A party accusing another of something.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "accusation"

    accuser: str
    accused: str
    allegation: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class Threat(Event):
    """A party threatening or vowing action against another.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "threat"

    threatener: str
    threatened: str | None = None
    action: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Responsibility(Event):
    """A party claiming responsibility for a happening.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "responsibility"

    claimed_by: str
    deed: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Capture(Event):
    """People captured, taken prisoner or kidnapped.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "capture"

    captor: str
    captives: str
    count: Estimate | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Acknowledgement(Event):
    """An official acknowledgement that something happened.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "acknowledgement"

    acknowledged_by: str
    subject: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class Revelation(Event):
    """The disclosure of something that had been kept secret.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "revelation"

    revealed_by: str
    secret: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class TerritorialChange(Event):
    """Ground changing hands: a capture of villages, a siege broken.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "territorial_change"

    territory: str
    taken_by: str | None = None
    taken_from: str | None = None


# --- Responses: a party's answer to a happening already in the log ----------


@attrs.frozen(kw_only=True, weakref_slot=False)
class _Response(Event):
    # Not registered: the subclass hook only registers classes that set a tag.
    event_type: ClassVar[str] = "_response"
    role: ClassVar[Role] = Role.RESPONSE

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return the happening this entry answers: it must already be logged."""
        return (self.event_id,)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Denial(_Response):
    """A party denying that the happening *event_id* took place as reported.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "denial"

    denied_by: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class Confirmation(_Response):
    """A party confirming the happening *event_id*.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "confirmation"

    confirmed_by: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class Retraction(_Response):
    """The report's outlet withdrawing its earlier claims about *event_id*.

    Claims about *event_id* by ``report.outlet`` published before this
    report stop counting from its publication on; nothing is deleted. When
    both reports give a time of day, the times tell which came first; when
    either gives a day alone, another report of the same day counts as
    earlier.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "retraction"

    reason: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Correction(_Response):
    """The report's outlet correcting its earlier claims about *event_id*.

    Earlier claims by the same outlet are superseded from this report's
    publication on; the corrected values are the claims the outlet makes
    alongside, or after, this correction. Which came first is told as for
    `Retraction`: by the times of day when both reports give one.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "correction"

    reason: str | None = None


# --- Analyst entries ---------------------------------------------------------


def _other_happening(
    instance: "SameAs | Split", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    _non_blank_id(instance, attribute, value)
    if value == instance.event_id:
        # Always a slip: nothing is the same as, or apart from, itself.
        name = type(instance).__name__
        msg = (
            f"{name}.other_event_id must name another happening than "
            f"{name}.event_id, got {value!r} for both"
        )
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class SameAs(Event):
    """The analyst's judgement that *event_id* and *other_event_id* are one happening.

    Their claims are joined from this entry's knowledge date on.

    Raises:
        InvalidEntryError: If *other_event_id* is *event_id*.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       A happening the same as itself is refused.
    """

    event_type: ClassVar[str] = "same_as"
    role: ClassVar[Role] = Role.ANALYST

    other_event_id: str = attrs.field(validator=_other_happening)

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return both happenings: each must already be logged."""
        return (self.event_id, self.other_event_id)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Split(Event):
    """The analyst undoing an earlier `SameAs` between the two happenings.

    Raises:
        InvalidEntryError: If *other_event_id* is *event_id*.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       A happening split from itself is refused.
    """

    event_type: ClassVar[str] = "split"
    role: ClassVar[Role] = Role.ANALYST

    other_event_id: str = attrs.field(validator=_other_happening)

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return both happenings: each must already be logged."""
        return (self.event_id, self.other_event_id)


def _seq(
    instance: "Amendment", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    del instance, attribute
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"Amendment.voids must be the seq of an earlier entry, got {value!r}"
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Amendment(Event):
    """The analyst voiding their own mis-encoded entry *voids* (a seq).

    This is a correction in system time, not in knowledge time: queries
    pinned to a system time before this entry still see the voided entry,
    and later ones do not, whatever the knowledge date. Append the correctly
    encoded claim after it.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "amendment"
    role: ClassVar[Role] = Role.ANALYST

    voids: int = attrs.field(validator=_seq)
    reason: str

    def referenced_seqs(self) -> tuple[int, ...]:
        """Return the entry this amendment voids: it must already be logged."""
        return (self.voids,)


# --- Added for the bundled corpus ---------------------------------------------


@attrs.frozen(kw_only=True, weakref_slot=False)
class Appointment(Event):
    """Someone holding a post or a command; *when* is the tenure as reported.

    "Up until July 2015, Asapov commanded the 68th Army Corps" is an
    appointment of Asapov as commander of the 68th Army Corps, ``when`` being
    ``FuzzyDate.parse("Up until July 2015", ...)``.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "appointment"

    person: str
    post: str | None = None
    organization: str | None = None
    appointed_by: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Deployment(Event):
    """Forces, arms or equipment sent, moved or stationed somewhere.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "deployment"

    forces: str
    destination: str | None = None
    deployed_by: str | None = None
    purpose: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Formation(Event):
    """A unit, group or force being formed, and who backs it.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "formation"

    unit: str
    formed_by: str | None = None
    backed_by: str | None = None
    purpose: str | None = None
