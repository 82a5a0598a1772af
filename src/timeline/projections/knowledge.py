# SPDX-License-Identifier: MIT
"""The `Knowledge` projection: the state of the record as of a knowledge date.

`Knowledge` holds what the record says of each happening as of a knowledge
date and a system time, and answers from it: one happening by any of its
ids, the happenings a text matches, the open conflicts, the happenings in
the order of valid time (`timeline.projections.Chronology`), the day a fact
first became known, what the record says of a person on a day of valid
time (`timeline.projections.EntityState`), and what one source stated,
denied or was quoted on (`timeline.projections.SourceAccount`).
`build_knowledge` folds log entries into it. `Slot`, the answer of the
deprecated `Knowledge.timeline`, stays here for one release.

.. versionadded:: 0.2.0
"""

import datetime as dt
import importlib
import warnings
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from timeline.errors import DanglingReferenceError, MissingExtraError
from timeline.model.dates import FuzzyDate
from timeline.model.entry import Entry
from timeline.model.relations import name_words
from timeline.model.sources import Source
from timeline.projections import display
from timeline.projections.chronology import Chronology, chronology_of
from timeline.projections.entities import (
    EntityState,
    course_of,
    entities_of,
    identify,
    matching,
    relevant,
    state_on,
)
from timeline.projections.fields import fields_of, same_value
from timeline.projections.happening import Conflict, Happening
from timeline.projections.provenance import SourceAccount, accounts_of

__all__ = ["Knowledge", "Slot"]


@attrs.frozen
class Slot:
    """Happenings whose order among themselves the record leaves uncertain.

    Every happening in a slot is certainly before every happening in the
    next slot; within a slot they are listed by their earliest possible day.

    .. versionadded:: 0.1.0
    .. deprecated:: 0.2.0
       Goes in 0.3.0 with `Knowledge.timeline`; see `Knowledge.chronology`.
    """

    happenings: tuple[Happening, ...]

    @property
    def certain_order(self) -> bool:
        """Return whether the slot holds one happening, so its place is certain."""
        return len(self.happenings) == 1


@attrs.frozen
class Knowledge:
    """The state of the record as of a knowledge date and a system time.

    Build it with ``EventLog.as_of(date)`` or `build_knowledge`.

    Args:
        as_of: The knowledge date: reports published on or before it count.
        seq: The system time: entries up to this seq count.
        happenings: What the record says of each happening: a tuple, in the
            order of their ids (the smallest id of a merged happening names
            it). To find one by id, any id merged into it included, index
            the knowledge itself: ``knowledge["asapov-death"]``, or
            ``"asapov-death" in knowledge``.
        aliases: The analyst's `timeline.model.events.SameEntity` entries
            that count as of this date (known, not revoked, not voided), in
            log order: the names of one entity, which `state_of`,
            `states_of`, `about` and `aliases_of` use.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The *aliases* field.
    """

    as_of: dt.date
    seq: int
    happenings: tuple[Happening, ...]
    aliases: tuple[Entry, ...] = ()
    _index: Mapping[str, Happening] = attrs.field(
        init=False, eq=False, repr=False, alias="_index"
    )

    def __attrs_post_init__(self) -> None:
        index = {event_id: h for h in self.happenings for event_id in h.event_ids}
        object.__setattr__(self, "_index", MappingProxyType(index))

    @classmethod
    def _indexed(
        cls,
        as_of: dt.date,
        seq: int,
        happenings: tuple[Happening, ...],
        index: dict[str, Happening],
        aliases: tuple[Entry, ...] = (),
    ) -> "Knowledge":
        # A Knowledge whose id index the caller has already built (patched
        # from another Knowledge's), skipping the rebuild in __init__.
        knowledge = cls.__new__(cls)
        for name, value in (
            ("as_of", as_of),
            ("seq", seq),
            ("happenings", happenings),
            ("aliases", aliases),
            ("_index", MappingProxyType(index)),
        ):
            object.__setattr__(knowledge, name, value)
        return knowledge

    def __len__(self) -> int:
        return len(self.happenings)

    def __iter__(self) -> Iterator[Happening]:
        return iter(self.happenings)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._index

    def __getitem__(self, event_id: str) -> Happening:
        """Return the happening *event_id*, or the merged happening holding it.

        Raises:
            DanglingReferenceError: If nothing of it was known as of this date.
        """
        try:
            return self._index[event_id]
        except KeyError:
            msg = f"nothing was known of {event_id!r} as of {self.as_of}"
            raise DanglingReferenceError(msg) from None

    def get(self, event_id: str) -> Happening | None:
        """Return the happening *event_id*, or None if nothing was known of it."""
        return self._index.get(event_id)

    def about(self, text: str) -> tuple[Happening, ...]:
        """Return the happening whose id *text* is, or those that mention it.

        An id (any id merged into a happening, case ignored) names that
        happening alone, though other happenings' notes or quotes may cite
        it; any other text returns every happening that `Happening.matches`
        it, or one of its `aliases_of`, in the order of their ids. It is a
        search, and may return several: ``"Valery"`` finds every Valery.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> log = load_corpus()
        >>> def found(day):
        ...     return [h.event_id for h in log.as_of(day).about("Sergey Shoigu")]
        >>> found(dt.date(2017, 10, 4))
        ['putin-shoigu-accuse-us', 'putin-shoigu-retribution-vow']
        >>> len(found(dt.date(2017, 10, 5)))  # and those naming Sergei Shoigu
        8

        .. versionchanged:: 0.2.0
           Searches the names the analyst judged the same entity's too.
        """
        named = self._index.get(text) or next(
            (h for h in self.happenings if text.casefold() in _folded(h.event_ids)),
            None,
        )
        if named is not None:
            return (named,)
        texts = (text, *self.aliases_of(text))
        return tuple(
            h for h in self.happenings if any(h.matches(each) for each in texts)
        )

    def aliases_of(self, name: str) -> tuple[str, ...]:
        """Return the other names the analyst judged the entity of *name* to have.

        The judgements are the *aliases* (`timeline.model.events.SameEntity`
        entries) that count as of this date. A name matches a name they
        join if it has the same words (`timeline.model.relations.name_words`:
        case and spacing ignored), or, when none has, if its words are all
        among that name's: ``"Shoigu"`` matches ``"Sergei Shoigu"``. The
        other names of every entity it matches are returned, sorted; the
        empty tuple when no judgement names it.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> log = load_corpus()
        >>> log.as_of(dt.date(2017, 10, 5)).aliases_of("sergey shoigu")
        ('Sergei Shoigu',)
        >>> log.as_of(dt.date(2017, 10, 4)).aliases_of("Sergey Shoigu")
        ()

        .. versionadded:: 0.2.0
        """
        if not self.aliases:
            return ()
        spellings: dict[tuple[str, ...], set[str]] = {}
        for entry in self.aliases:
            for each in (entry.event.name, entry.event.other_name):  # type: ignore[attr-defined]
                spellings.setdefault(name_words(each), set()).add(each)
        wanted = name_words(name)
        groups = entities_of(spellings, self.aliases)
        return tuple(
            sorted(
                each
                for group in matching(groups, wanted, spellings)
                for key in group
                if key != wanted
                for each in spellings[key]
            )
        )

    def conflicts(self) -> tuple[Conflict, ...]:
        """Return every open conflict: each field on which two live values contradict.

        Each `Conflict` names the pairs of values that contradict and why;
        values that only differ in wording are not a conflict (see
        `timeline.projections.FieldValues.in_conflict`).
        """
        return tuple(
            Conflict(happening, field)
            for happening in self.happenings
            for field in happening.conflicts
        )

    def links(self) -> tuple[Entry, ...]:
        """Return every link between happenings that holds, in the order known.

        Each is a `timeline.model.events.Related` entry known as of this
        date, neither revoked nor voided; a happening's own, read from
        either side, are `Happening.related`.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> for entry in load_corpus().as_of(dt.date(2016, 6, 18)).links():
        ...     link = entry.event
        ...     print(link.event_id, link.relation.phrase, link.other_event_id)
        timoshenkov-wounding caused by palmyra-car-bombing
        timoshenkov-death caused by timoshenkov-wounding

        .. versionadded:: 0.2.0
        """
        found = {entry.seq: entry for h in self.happenings for entry in h.links}
        return tuple(
            sorted(
                found.values(),
                key=lambda entry: (entry.event.report.published_day, entry.seq),
            )
        )

    def chronology(self) -> Chronology:
        """Return the happenings in valid-time order, as far as the record fixes it.

        The dated happenings come in layers: each goes in the first layer
        after every happening whose date is certainly before its own (see
        `timeline.FuzzyDate.before`), so whatever is certainly before
        something comes before it, and happenings of one layer may have
        happened in any order. A wide date does not blur the order of the
        precise ones it overlaps: as of 2016-06-18 the corpus's "11 deaths
        since its intervention last September" shares an early layer with
        what it overlaps, and Timoshenkov's wounding on June 15 comes a
        layer before his death on June 16.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> order = load_corpus().as_of(dt.date(2016, 6, 18)).chronology()
        >>> [order.layer_of(h) for h in ("timoshenkov-wounding", "timoshenkov-death")]
        [2, 3]
        >>> wide = "russian-military-deaths-in-syria"
        >>> order.layer_of(wide), order.reach(wide), len(order.layers)
        (0, 5, 6)

        .. versionadded:: 0.2.0
        """
        return chronology_of(self.happenings)

    def timeline(self) -> tuple[tuple[Slot, ...], tuple[Happening, ...]]:
        """Return the dated happenings in slots of certain order, and the undated ones.

        Happenings whose possible dates overlap share a slot, and so do
        the happenings chained by such overlaps: one wide date (an open
        end, "since last September") puts all it overlaps, and all that
        overlaps those, in one slot of uncertain order.

        .. deprecated:: 0.2.0
           Goes in 0.3.0: use `chronology`, whose layers keep the order
           of precise dates that a wide one overlaps.
        """
        warnings.warn(
            "Knowledge.timeline() is deprecated since 0.2.0 and goes in 0.3.0: "
            "use Knowledge.chronology(), whose layers keep the certain order "
            "that a wide date hides in one slot",
            DeprecationWarning,
            stacklevel=2,
        )
        dated = sorted(
            (h for h in self.happenings if h.when is not None),
            key=lambda h: (h.when.sort_key, h.event_id),  # type: ignore[union-attr]
        )
        slots: list[list[Happening]] = []
        reach: dt.date | None = None
        open_end = False
        for happening in dated:
            when: FuzzyDate = happening.when  # type: ignore[assignment]
            starts = when.earliest
            if slots and (
                open_end or starts is None or reach is None or starts <= reach
            ):
                slots[-1].append(happening)
            else:
                slots.append([happening])
                reach, open_end = None, False
            if when.latest is None:
                open_end = True
            elif reach is None or when.latest > reach:
                reach = when.latest
        undated = tuple(h for h in self.happenings if h.when is None)
        return tuple(Slot(tuple(slot)) for slot in slots), undated

    def first_known(
        self, event_id: str, field: str | None = None, value: object = None
    ) -> dt.date | None:
        """Return the day a happening, a field of it, or one value first became known.

        A claim its outlet later retracted or corrected still made what it
        stated known on its day, as `Happening.first_known` counts it. A
        value is found in any wording of it ("Mortar attack" for "mortar
        attack").
        Returns None when it was not known as of this knowledge date.
        """
        happening = self.get(event_id)
        if happening is None:
            return None
        if field is None:
            return happening.first_known
        values = (
            fields_of(happening.claims + happening.withdrawn).get(field)
            if happening.withdrawn
            else happening.fields.get(field)
        )
        if values is None:
            return None
        kind = values.kind
        days = [
            candidate.first_known
            for candidate in values.values
            if value is None or same_value(kind, candidate.value, value)
        ]
        return min(days, default=None)

    def state_of(self, entity: str, *, on: dt.date) -> EntityState:
        """Return what the record says of *entity*'s state on the valid-time day *on*.

        *entity* is a name of a person (or a party), matched by its whole
        words, case and spacing ignored (`timeline.model.relations.name_words`)
        against the names the record knows: the person of every death and
        wounding claim, the actors of every claim and the sources of every
        attribution chain. A name the record knows whole is that name's
        entity; any other names the entity one of whose names has all its
        words (``"Asapov"`` is Valery Asapov). The names the analyst judged
        one entity's (`timeline.model.events.SameEntity`, the *aliases*
        counting as of this date) are one entity: the claims naming any of
        them count, and the answer's *names* and *aliases* say which. A name
        that several entities answer to is an error, never a silent pick.
        The most severe state that a live claim possibly
        dates on or before *on* is the answer, with the claims it rests on
        (its *because*). It is certain only when nothing in the record
        leaves it open: every live claim about that change dates it
        certainly on or before *on*, and no party denied the happening.
        Otherwise it is only possible, and its *against* names the live
        claims that date it later and the denials. Every death claim about
        one person tells one death; a wounding is one a happening, as a
        person may be wounded twice. Claims their own source retracted or
        corrected no longer count, and its *withdrawn* names them.

        As of 2017-10-04 the corpus dates Asapov's death Sept. 23 (DEBKA
        Weekly) and Sept. 24 (Military Times, citing TASS):

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> oct_4 = load_corpus().as_of(dt.date(2017, 10, 4))
        >>> sept_23 = oct_4.state_of("Valery Asapov", on=dt.date(2017, 9, 23))
        >>> sept_23.state, sept_23.certainty.name
        ('dead', 'POSSIBLY')
        >>> [entry.event.report.outlet.name for entry in sept_23.because]
        ['DEBKA Weekly']
        >>> [entry.event.claimant.name for entry in sept_23.against]
        ['TASS']
        >>> oct_4.state_of("Valery Asapov", on=dt.date(2017, 9, 24)).certainty.name
        'CERTAINLY'

        Several entities answer to "Valery", and none is picked:

        >>> from timeline.errors import AmbiguousNameError
        >>> try:
        ...     oct_4.state_of("Valery", on=dt.date(2017, 9, 24))
        ... except AmbiguousNameError as error:
        ...     print(error.candidates)
        (('Valery Asapov',), ('Valery Fedyanin',), ('Valery Gerasimov',))

        Raises:
            AmbiguousNameError: If several entities answer to *entity*; its
                *candidates* lists them.

        .. versionchanged:: 0.2.0
           A live claim dating the change later, or a denial, leaves the
           state only possible; before, one claim dating it early enough
           made it certain. Names are matched by whole words, and the
           analyst's `timeline.model.events.SameEntity` entries join
           names; before, *entity* matched any person whose name held it,
           so that "Valery" mixed three men.
        """
        who = identify(self.happenings, self.aliases, entity)
        return state_on(relevant(self.happenings, who), entity, who, on)

    def states_of(self, entity: str) -> tuple[EntityState, ...]:
        """Return every change of *entity*'s state over valid time, first to last.

        Each answer is what `state_of` says from its *on* day until the
        next answer's: the state, its certainty, and the claims for and
        against it. Days before the first answer are unknown. *entity*
        is matched as `state_of` matches it.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> oct_4 = load_corpus().as_of(dt.date(2017, 10, 4))
        >>> for answer in oct_4.states_of("Valery Asapov"):
        ...     outlets = [entry.event.report.outlet.name for entry in answer.because]
        ...     print(answer.on, answer.state, answer.certainty.value, outlets)
        2017-09-23 dead possibly ['DEBKA Weekly']
        2017-09-24 dead certainly ['DEBKA Weekly', 'Military Times']

        Raises:
            AmbiguousNameError: If several entities answer to *entity*.

        .. versionadded:: 0.2.0
        """
        who = identify(self.happenings, self.aliases, entity)
        return course_of(relevant(self.happenings, who), entity, who)

    def by_source(self, source: str | Source) -> tuple[SourceAccount, ...]:
        """Return what *source* stated, denied or was quoted on, happening by happening.

        A source is found wherever an entry names it: as the outlet that
        published it, anywhere in its attribution chain (as a source the
        outlet cites, or as the claimant at its end), or as the party that
        made a denial or confirmation. Names are compared ignoring case and
        spacing. Each `SourceAccount` holds, for one happening, the live
        claims, the withdrawn claims and the responses the source appears
        in; happenings it does not appear in are left out.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> oct_4 = load_corpus().as_of(dt.date(2017, 10, 4))
        >>> [account.happening.event_id for account in oct_4.by_source("tass")][:3]
        ['asapov-command-post-shelling', 'asapov-death', 'fedyanin-death']

        .. versionadded:: 0.2.0
        """
        return accounts_of(self.happenings, source)

    def _repr_html_(self) -> str:
        """Return one row per happening as an HTML table, as notebooks display it."""
        return display.html_table(self)

    def to_records(self) -> list[dict[str, Any]]:
        """Return one flat, JSON-ready record per claim, for tables and data frames.

        See `timeline.views.records.claim_rows` for the keys.
        """
        return display.claim_records(self)

    def to_arrow(self) -> Any:
        """Return the live claims as a pyarrow Table, one row per claimed field value.

        See `timeline.views.arrow.knowledge_table` for the columns.

        Raises:
            MissingExtraError: If pyarrow is not installed; install the
                ``contested-timeline[arrow]`` extra.

        .. versionadded:: 0.2.0
        """
        return display.arrow_table(self)

    def to_dataframe(self) -> Any:
        """Return `to_records` as a pandas DataFrame, one row per claim.

        Raises:
            MissingExtraError: If pandas is not installed; install the
                ``contested-timeline[pandas]`` extra.
        """
        try:
            pandas = importlib.import_module("pandas")
        except ImportError as error:
            msg = (
                "Knowledge.to_dataframe() needs pandas: "
                "pip install 'contested-timeline[pandas]'"
            )
            raise MissingExtraError(msg) from error
        return pandas.DataFrame(self.to_records())


def _folded(event_ids: frozenset[str]) -> set[str]:
    return {event_id.casefold() for event_id in event_ids}
