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
from timeline.model._checks import check_fields
from timeline.model._estimates import Estimate
from timeline.model.dates import FuzzyDate
from timeline.model.discovery import (
    ENTRY_POINT_GROUP,
    ENVIRONMENT_VARIABLE,
    discover_event_types,
)
from timeline.model.relations import Kind, Relation, fact, folded
from timeline.model.sources import Credibility, Reliability, Report, Source

__all__ = [
    "PROVENANCE_FIELDS",
    "Accusation",
    "Acknowledgement",
    "Amendment",
    "AnalystEntry",
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
    "Revocation",
    "Role",
    "SameAs",
    "Split",
    "Statement",
    "TerritorialChange",
    "Threat",
    "Verdict",
    "Visit",
    "Within",
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
    where: str | None = fact(Kind.PLACE, default=None)
    actors: tuple[str, ...] = fact(Kind.SET, default=(), converter=_tuple_of_str)
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


_discovered: list[tuple[str, ...]] = []  # what the one discovery imported


# --- Happenings -------------------------------------------------------------


@attrs.frozen(kw_only=True, weakref_slot=False)
class Attack(Event):
    """An attack: a strike, a shelling, a bombing, a raid.

    Compared as: *attacker*, *target* and *method* are text; *killed* and
    *wounded* ranges.

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

    Compared as: *speaker*, *summary* and *audience* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "statement"

    speaker: str
    summary: str | None = None
    audience: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Visit(Event):
    """A visit by someone to a place or a host.

    Compared as: *visitor*, *host* and *purpose* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "visit"

    visitor: str
    host: str | None = None
    purpose: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Meeting(Event):
    """A meeting or conference between parties (the *actors*).

    Compared as: *topic* and *medium* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "meeting"

    topic: str | None = None
    medium: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Death(Event):
    """A person's death.

    Compared as: *person* and *cause* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "death"

    person: str
    cause: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Wounding(Event):
    """A person's wounding.

    Compared as: *person* and *cause* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "wounding"

    person: str
    cause: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class CasualtyReport(Event):
    """A count of casualties for a group over some period.

    Compared as: *group* is text; *killed*, *wounded* and *captured* are ranges.

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

    Compared as: *accuser*, *accused* and *allegation* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "accusation"

    accuser: str
    accused: str
    allegation: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class Threat(Event):
    """A party threatening or vowing action against another.

    Compared as: *threatener*, *threatened* and *action* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "threat"

    threatener: str
    threatened: str | None = None
    action: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Responsibility(Event):
    """A party claiming responsibility for a happening.

    Compared as: *claimed_by* and *deed* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "responsibility"

    claimed_by: str
    deed: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Capture(Event):
    """People captured, taken prisoner or kidnapped.

    Compared as: *captor* and *captives* are text; *count* is a range.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "capture"

    captor: str
    captives: str
    count: Estimate | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Acknowledgement(Event):
    """An official acknowledgement that something happened.

    Compared as: *acknowledged_by* and *subject* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "acknowledgement"

    acknowledged_by: str
    subject: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class Revelation(Event):
    """The disclosure of something that had been kept secret.

    Compared as: *revealed_by* and *secret* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "revelation"

    revealed_by: str
    secret: str


@attrs.frozen(kw_only=True, weakref_slot=False)
class TerritorialChange(Event):
    """Ground changing hands: a capture of villages, a siege broken.

    Compared as: *territory* is a place; *taken_by* and *taken_from* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "territorial_change"

    territory: str = fact(Kind.PLACE)
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


# --- Analyst entries: one family ---------------------------------------------


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
class AnalystEntry(Event):
    """The analyst's own bookkeeping: a judgement about the record, not a claim.

    An analyst entry has knowledge time, as a claim has: its *report* is
    what prompted it (an article, a review of the file, a gazetteer), and
    it counts in answers from that report's publication on. It is undone in
    one of two ways, for two reasons:

    - a `Revocation` takes back a judgement (a `SameAs`, `Split`, `Within`
      or `Verdict`) from the revocation's own knowledge date on: the
      analyst learned better, and answers as of earlier dates keep the
      judgement;
    - an `Amendment` voids any entry that was mis-encoded, in system time:
      answers pinned to a seq before the amendment keep it, later ones never
      see it, whatever the knowledge date.

    ``revocable`` is False on the entries a revocation may not take back:
    revocations and amendments themselves. The how-to on analyst entries
    shows each, and how a new kind of judgement joins the family.

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "_analyst"
    role: ClassVar[Role] = Role.ANALYST
    revocable: ClassVar[bool] = True


@attrs.frozen(kw_only=True, weakref_slot=False)
class SameAs(AnalystEntry):
    """The analyst's judgement that *event_id* and *other_event_id* are one happening.

    Their claims are joined from this entry's knowledge date on.

    Raises:
        InvalidEntryError: If *other_event_id* is *event_id*.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       A happening the same as itself is refused.
    """

    event_type: ClassVar[str] = "same_as"

    other_event_id: str = attrs.field(validator=_other_happening)

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return both happenings: each must already be logged."""
        return (self.event_id, self.other_event_id)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Split(AnalystEntry):
    """The analyst's judgement that the two happenings are not one after all.

    It parts every earlier `SameAs` of the pair (by knowledge date, then
    seq) from its knowledge date on; a later `SameAs` joins them again. A
    `Revocation` of one `SameAs` parts only what that merge joined.

    Raises:
        InvalidEntryError: If *other_event_id* is *event_id*.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       A happening split from itself is refused.
    """

    event_type: ClassVar[str] = "split"

    other_event_id: str = attrs.field(validator=_other_happening)

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return both happenings: each must already be logged."""
        return (self.event_id, self.other_event_id)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Within(AnalystEntry):
    """The analyst's judgement that the place *place* lies within the place *within*.

    From its knowledge date on, a claim placing a happening in *place*, or
    near it, refines one placing it in *within* (see
    `timeline.model.places`), where without it the two only differ.
    Containment is transitive, and two places each within the other are one
    place under two names. Its *event_id* names the judgement, not a
    happening: ``"place:Palmyra"`` is the convention
    `timeline.serialization.read_gazetteer` follows.

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "within"

    place: str = attrs.field(validator=_non_blank_id)
    within: str = attrs.field(validator=_non_blank_id)


def _two_wordings(
    instance: "Verdict", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    del instance, attribute
    if (
        not isinstance(value, tuple | list)
        or len(value) != 2  # noqa: PLR2004
        or not all(isinstance(text, str) for text in value)
        or folded(value[0]) == folded(value[1])
    ):
        msg = f"Verdict.values must be two different wordings, got {value!r}"
        raise InvalidEntryError(msg)


def _promote_or_dismiss(
    instance: "Verdict", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    del instance, attribute
    if value not in (Relation.CONTRADICTS, Relation.COMPATIBLE):
        msg = (
            "Verdict.relation must be Relation.CONTRADICTS (promote) or "
            f"Relation.COMPATIBLE (dismiss), got {value!r}"
        )
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Verdict(AnalystEntry):
    """The analyst's judgement of two values that differ in a way timeline cannot judge.

    Two wordings of a field that only differ (`Relation.DIFFERS`: "shelling"
    and "mortar attack") are shown side by side, and are no conflict. A
    verdict with ``relation=Relation.CONTRADICTS`` promotes the pair to a
    conflict; one with ``relation=Relation.COMPATIBLE`` dismisses the
    difference. It counts from its knowledge date on, for the happening
    *event_id* and whatever is merged with it; of several verdicts on one
    pair, the last (by knowledge date, then seq) holds. *values* are
    matched as `timeline.model.relations.folded` text, written as the
    command line prints them; a pair that does not differ keeps its own
    relation.

    Args:
        field: The field's name (``"target"``).
        values: The two values, in either order.
        relation: `Relation.CONTRADICTS` or `Relation.COMPATIBLE`.
        reason: Why, in the analyst's words.

    Raises:
        InvalidEntryError: If *values* are not two different wordings, or
            *relation* is neither of those two.

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "verdict"

    field: str = attrs.field(validator=_non_blank_id)
    values: tuple[str, ...] = attrs.field(
        converter=_tuple_of_str, validator=_two_wordings
    )
    relation: Relation = attrs.field(validator=_promote_or_dismiss)
    reason: str

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return the happening judged: it must already be logged."""
        return (self.event_id,)


def _seq(instance: Event, attribute: "attrs.Attribute[Any]", value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = (
            f"{type(instance).__name__}.{attribute.name} must be the seq of an "
            f"earlier entry, got {value!r}"
        )
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Revocation(AnalystEntry):
    """The analyst taking back their judgement *revokes* (a seq), in knowledge time.

    The judgement (a `SameAs`, `Split`, `Within` or `Verdict`) stops
    counting in answers as of this entry's knowledge date and later; answers
    as of earlier dates keep it. *event_id* must be the judgement's own. A
    revocation is not itself revoked: judge again instead. To remove an
    entry that was mis-encoded, use `Amendment`.

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "revocation"
    revocable: ClassVar[bool] = False

    revokes: int = attrs.field(validator=_seq)
    reason: str

    def referenced_seqs(self) -> tuple[int, ...]:
        """Return the judgement revoked: it must already be logged."""
        return (self.revokes,)


@attrs.frozen(kw_only=True, weakref_slot=False)
class Amendment(AnalystEntry):
    """The analyst voiding their own mis-encoded entry *voids* (a seq).

    This is a correction in system time, not in knowledge time: queries
    pinned to a system time before this entry still see the voided entry,
    and later ones do not, whatever the knowledge date. Append the correctly
    encoded claim after it. Any entry can be voided, an amendment too, which
    restores what it voided.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "amendment"
    revocable: ClassVar[bool] = False

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

    Compared as: *person*, *post*, *organization* and *appointed_by* are text.

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

    Compared as: *destination* is a place; *forces*, *deployed_by* and
    *purpose* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "deployment"

    forces: str
    destination: str | None = fact(Kind.PLACE, default=None)
    deployed_by: str | None = None
    purpose: str | None = None


@attrs.frozen(kw_only=True, weakref_slot=False)
class Formation(Event):
    """A unit, group or force being formed, and who backs it.

    Compared as: *unit*, *formed_by*, *backed_by* and *purpose* are text.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "formation"

    unit: str
    formed_by: str | None = None
    backed_by: str | None = None
    purpose: str | None = None
