# SPDX-License-Identifier: MIT
"""The analyst's entries: one family of judgements about the record.

Private: every name here is public as ``timeline.model.events``'s. The
how-to "Record the analyst's judgements" shows each member, and how a new
kind of judgement joins the family.
"""

import enum
from typing import Any, ClassVar

import attrs

from timeline.errors import InvalidEntryError
from timeline.model._event import Event, Role, _non_blank_id, _tuple_of_str
from timeline.model.relations import Relation, folded, name_words

__all__ = [
    "Amendment",
    "AnalystEntry",
    "Link",
    "Related",
    "Revocation",
    "SameAs",
    "SameEntity",
    "Split",
    "Verdict",
    "Within",
]

# --- Analyst entries: one family ---------------------------------------------


def _other_happening(
    instance: "SameAs | Split | Related",
    attribute: "attrs.Attribute[Any]",
    value: object,
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

    - a `Revocation` takes back a judgement (a `SameAs`, `Split`, `Within`,
      `SameEntity`, `Verdict` or `Related`) from the revocation's own
      knowledge date on: the analyst learned better, and answers as of
      earlier dates keep the judgement;
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


def _other_name(
    instance: "SameEntity", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    _non_blank_id(instance, attribute, value)
    words = name_words(value)  # type: ignore[arg-type]
    if not words or not name_words(instance.name):
        # Nothing would match it: names are matched by their words.
        msg = (
            "SameEntity.name and SameEntity.other_name must each hold a word, "
            f"got {instance.name!r} and {value!r}"
        )
        raise InvalidEntryError(msg)
    if words == name_words(instance.name):
        # Always a slip: a name is one entity with itself already.
        msg = (
            "SameEntity.other_name must be another name than SameEntity.name, "
            f"got {instance.name!r} and {value!r}"
        )
        raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True, weakref_slot=False)
class SameEntity(AnalystEntry):
    """The analyst's judgement that *name* and *other_name* name one entity.

    One person spelt two ways ("Sergei Shoigu" and "Sergey Shoigu"), or
    named by a title or a nickname: from this entry's knowledge date on,
    `timeline.projections.Knowledge.state_of` and ``states_of`` count
    the claims naming either as claims about one entity, and
    `timeline.projections.Knowledge.about` searches for both. Judgements
    chain: a name the same as a second, the same as a third, makes one
    entity of all three. Names are compared by their whole words
    (`timeline.model.relations.name_words`), so case and spacing do not
    matter. Its *event_id* names the judgement, not a happening:
    ``"entity:"`` and one of the names is the convention. A `Revocation`
    takes it back.

    Args:
        name: One name, as the record spells it.
        other_name: Another name of the same entity.

    Raises:
        InvalidEntryError: If *other_name* is *name* (their words are the
            same), or either holds no word (a letter or a digit).

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "same_entity"

    name: str = attrs.field(validator=_non_blank_id)
    other_name: str = attrs.field(validator=_other_name)


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


class Link(enum.Enum):
    """How one happening relates to another, in a `Related` entry.

    Each reads from the entry's *event_id* to its *other_event_id*:
    ``Related(event_id="fedyanin-death", other_event_id="fedyanin-wounding",
    relation=Link.CAUSED_BY)`` is "Fedyanin's death was caused by his
    wounding".

    .. versionadded:: 0.2.0
    """

    SAME_CAUSE = "same_cause"
    """Both have one cause: "wounded by the same shell that killed Asapov"."""
    PART_OF = "part_of"
    """It is a part of the other: "during the offensive"."""
    CAUSED_BY = "caused_by"
    """The other caused it: "succumbed to wounds he received when..."."""
    IN_RESPONSE_TO = "in_response_to"
    """It answers the other: "in retaliation for", "in response to"."""

    @property
    def phrase(self) -> str:
        """Return the relation read from *event_id*: ``"caused by"``."""
        return _PHRASES[self][0]

    @property
    def inverse_phrase(self) -> str:
        """Return the relation read from *other_event_id*: ``"caused"``."""
        return _PHRASES[self][1]


_PHRASES = {
    Link.SAME_CAUSE: ("same cause as", "same cause as"),
    Link.PART_OF: ("part of", "includes"),
    Link.CAUSED_BY: ("caused by", "caused"),
    Link.IN_RESPONSE_TO: ("in response to", "answered by"),
}


@attrs.frozen(kw_only=True, weakref_slot=False)
class Related(AnalystEntry):
    """A link between two happenings: *event_id* is *relation* *other_event_id*.

    Whoever states the link is its report: the article that says
    "succumbed to wounds he received when his vehicle struck a landmine"
    (with its attribution chain and quote, as on a claim), or the
    analyst's own note for a link no source states. Either way it counts
    from that report's publication day on, and is undone as every analyst
    entry is: a `Revocation` (the link no longer holds, from a later
    knowledge date: the analyst learned better, or the source took it
    back) or an `Amendment` (it was mis-encoded).

    With ``same_when=True`` the happening's date is given by reference
    ("killed by the same shell"): from this entry's knowledge date on, the
    *when* of each of the two happenings holds every date reported for
    either (the claims behind each date kept), so the one follows the
    other's date, and a conflict on one's date shows on both. Such links
    chain: happenings linked this way, directly or through others, share
    their dates.

    Args:
        other_event_id: The other happening.
        relation: How *event_id* relates to it (`Link`).
        same_when: Whether the two happened at one time.

    Raises:
        InvalidEntryError: If *other_event_id* is *event_id*.

    .. versionadded:: 0.2.0
    """

    event_type: ClassVar[str] = "related"

    other_event_id: str = attrs.field(validator=_other_happening)
    relation: Link
    same_when: bool = False

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return both happenings: each must already be logged."""
        return (self.event_id, self.other_event_id)


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

    The judgement (a `SameAs`, `Split`, `Within`, `SameEntity`, `Verdict` or
    `Related`) stops
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


# Shown, pickled and documented under the public path users import.
for _public in (
    AnalystEntry,
    SameAs,
    Split,
    Within,
    SameEntity,
    Verdict,
    Link,
    Related,
    Revocation,
    Amendment,
):
    _public.__module__ = "timeline.model.events"
