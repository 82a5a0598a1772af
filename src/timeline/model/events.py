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

from typing import ClassVar

import attrs

from timeline.model._analyst import (
    Amendment,
    AnalystEntry,
    Link,
    Related,
    Revocation,
    SameAs,
    SameEntity,
    Split,
    Verdict,
    Within,
)
from timeline.model._estimates import Estimate
from timeline.model._event import (
    PROVENANCE_FIELDS,
    Event,
    Role,
    event_type_for,
    registered_event_types,
)
from timeline.model.relations import Kind, fact

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
    "Link",
    "Meeting",
    "Rebuttal",
    "Related",
    "Responsibility",
    "Retraction",
    "Revelation",
    "Revocation",
    "Role",
    "SameAs",
    "SameEntity",
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
class Rebuttal(_Response):
    """A party rejecting what the claims of *event_id* say, not that it was said.

    An accusation, a statement or a threat is a happening of its own:
    somebody said something. A `Denial` would say that it did not take
    place as reported; a rebuttal grants that it was said and disputes what
    it says. "To say the Coalition is an obstacle to defeating ISIS is
    absurd", said the coalition's spokesman of the Russian Ministry of
    Defense's statement: a rebuttal of that statement, by Operation
    Inherent Resolve.

    It is a response, like a denial, rather than a field of the rebutting
    party's own `Statement`, so that it answers the happening it names: the
    happening shows it among its responses, is ``DISPUTED`` from the
    rebuttal's publication on (not before), with both sides (its claims,
    who made them and when each became known; the rebuttal, by whom and
    when), and whatever reads one happening (``Knowledge.by_source``, the
    stores' point queries, ``timeline history``) reads it with the rest.
    The rebutting party's words, when they say more, stay a `Statement` of
    their own.

    Args:
        rebutted_by: The party rejecting the claims.
        summary: What the rebuttal says, in a few words.

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "rebuttal"

    rebutted_by: str
    summary: str | None = None


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
    `Retraction`: by the times of day when both reports give one. So a
    corrected story in a report of its own, published the same day as the
    correction with a day alone, counts as earlier and is superseded too
    (the order within the day is unknown, and the order of appending never
    decides what was known): give both reports their times of day, or
    make the corrected claims in the correction's own report.

    .. versionadded:: 0.1.0
    """

    event_type: ClassVar[str] = "correction"

    reason: str | None = None


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
