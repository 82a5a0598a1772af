"""Links between happenings (`Related`): who says so, dates by reference, undoing."""

import datetime as dt
import json
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import DanglingReferenceError, InvalidEntryError
from timeline.model import _event as events_module
from timeline.model.events import (
    Amendment,
    Attack,
    Death,
    Event,
    Link,
    Related,
    Revocation,
    Role,
    SameAs,
)
from timeline.projections import KnowledgeIndex, build_knowledge
from timeline.projections.fields import value_key
from timeline.stores import MemoryStore, happening
from timeline.strategies import events, logs
from timeline.views.html import render_html, render_table
from timeline.views.records import happening_record

from .helpers import FakeClock, day, report

FIRST, LAST = dt.date(2017, 9, 1), dt.date(2017, 10, 31)
days = st.dates(min_value=FIRST - dt.timedelta(days=1), max_value=LAST)


def shell_log() -> EventLog:
    """Return a shelling dated two ways, and a death no report dates."""
    log = EventLog(clock=FakeClock())
    log.append(
        Attack(event_id="shelling", report=report("A", FIRST), when=day("2017-09-23"))
    )
    log.append(
        Attack(event_id="shelling", report=report("B", FIRST), when=day("2017-09-24"))
    )
    log.append(Death(event_id="death", report=report("C", FIRST), person="Asapov"))
    return log


def same_shell(published: dt.date, **kwargs: object) -> Related:
    """Return "killed by the same shell", stated by outlet C on *published*."""
    return Related(
        event_id="death",
        other_event_id="shelling",
        relation=Link.CAUSED_BY,
        same_when=True,
        report=report("C", published),
        quote="killed by the same shell",
        **kwargs,  # type: ignore[arg-type]
    )


def dates(log: EventLog, event_id: str, on: dt.date) -> list[str]:
    """Return the dates a happening's when holds on a day, as EDTF."""
    field = log.as_of(on)[event_id].fields.get("when")
    return [] if field is None else [str(value.value) for value in field.values]


class TestTheEntry:
    """A link is an analyst entry whose report is whoever states the link."""

    def test_it_is_an_analyst_entry_naming_two_happenings(self):
        """It names two happenings, each of which must be logged."""
        link = same_shell(FIRST)

        assert link.role is Role.ANALYST
        assert link.revocable
        assert link.referenced_event_ids() == ("death", "shelling")

    def test_a_happening_linked_with_itself_is_refused(self):
        """Nothing is linked with itself."""
        with pytest.raises(InvalidEntryError, match="must name another happening"):
            Related(
                event_id="a",
                other_event_id="a",
                relation=Link.PART_OF,
                report=report("A", FIRST),
            )

    def test_a_link_to_a_happening_not_logged_is_refused(self):
        """The happenings a link names must already be in the log."""
        log = shell_log()
        missing = Related(
            event_id="death",
            other_event_id="offensive",
            relation=Link.PART_OF,
            report=report("C", FIRST),
        )

        with pytest.raises(DanglingReferenceError, match="offensive"):
            log.append(missing)

    @pytest.mark.parametrize(
        ("relation", "phrase", "inverse"),
        [
            (Link.SAME_CAUSE, "same cause as", "same cause as"),
            (Link.PART_OF, "part of", "includes"),
            (Link.CAUSED_BY, "caused by", "caused"),
            (Link.IN_RESPONSE_TO, "in response to", "answered by"),
        ],
    )
    def test_each_relation_reads_both_ways(self, relation, phrase, inverse):
        """Each relation has a phrase from either side."""
        assert (relation.phrase, relation.inverse_phrase) == (phrase, inverse)

    def test_the_relation_must_be_a_link(self):
        """A relation given as text is refused by name."""
        with pytest.raises(TypeError, match=r"Related\.relation"):
            Related(
                event_id="a",
                other_event_id="b",
                relation="caused_by",  # type: ignore[arg-type]
                report=report("A", FIRST),
            )


class TestDatesByReference:
    """With same_when, each happening holds the other's dates, from the link's day."""

    def test_the_death_follows_the_shelling_s_dates_and_its_conflict(self):
        """A happening no report dates takes the other's dates, and its conflict."""
        log = shell_log()
        log.append(same_shell(dt.date(2017, 9, 5)))

        death = log.as_of(dt.date(2017, 9, 5))["death"]

        assert [str(value.value) for value in death.fields["when"].values] == [
            "2017-09-23",
            "2017-09-24",
        ]
        assert death.fields["when"].in_conflict
        assert death.status.name == "DISPUTED"
        outlets = [
            [entry.event.report.outlet.name for entry in value.claims]
            for value in death.fields["when"].values
        ]
        assert outlets == [["A"], ["B"]]

    def test_the_link_never_counts_before_its_knowledge_date(self):
        """Before the link is published, the death is undated."""
        log = shell_log()
        log.append(same_shell(dt.date(2017, 9, 5)))

        assert dates(log, "death", dt.date(2017, 9, 4)) == []
        assert log.as_of(dt.date(2017, 9, 4))["death"].links == ()

    def test_both_happenings_show_the_link_from_their_side(self):
        """Knowledge and each happening expose the link, read from either side."""
        log = shell_log()
        link = log.append(same_shell(FIRST))
        known = log.as_of(FIRST)

        assert known.links() == (link,)
        assert known["death"].related() == (("caused by", "shelling", link),)
        assert known["shelling"].related() == (("caused", "death", link),)

    def test_a_revoked_link_lends_nothing_from_the_revocation_s_date(self):
        """A source taking the link back is recorded as its revocation."""
        log = shell_log()
        link = log.append(same_shell(FIRST))
        log.append(
            Revocation(
                event_id="death",
                revokes=link.seq,
                reason="C now says he died later, of his wounds",
                report=report("C", dt.date(2017, 9, 10)),
            )
        )

        assert dates(log, "death", dt.date(2017, 9, 9)) == ["2017-09-23", "2017-09-24"]
        assert dates(log, "death", dt.date(2017, 9, 10)) == []
        assert log.as_of(dt.date(2017, 9, 10))["shelling"].links == ()

    def test_an_amended_link_is_gone_in_system_time(self):
        """An amendment voids a mis-encoded link; a pinned answer still shows it."""
        log = shell_log()
        link = log.append(same_shell(FIRST))
        before = log.last_seq
        log.append(
            Amendment(
                event_id="death",
                voids=link.seq,
                reason="wrong happening",
                report=report("Analyst", FIRST),
            )
        )

        assert log.as_of(FIRST)["death"].links == ()
        assert log.as_of(FIRST, seq=before)["death"].links == (link,)

    def test_links_chain_and_merges_count(self):
        """Dates pass along a chain of links, through a merged happening too."""
        log = shell_log()
        log.append(Death(event_id="colonel", report=report("D", FIRST), person="X"))
        log.append(Death(event_id="colonels", report=report("D", FIRST), person="Y"))
        log.append(same_shell(FIRST))
        log.append(
            Related(
                event_id="colonel",
                other_event_id="death",
                relation=Link.SAME_CAUSE,
                same_when=True,
                report=report("D", FIRST),
            )
        )
        log.append(
            SameAs(
                event_id="colonel", other_event_id="colonels", report=report("D", FIRST)
            )
        )
        entries = list(log)
        full = build_knowledge(entries, as_of=FIRST)
        index = KnowledgeIndex(entries)

        assert [str(v.value) for v in full["colonels"].fields["when"].values] == [
            "2017-09-23",
            "2017-09-24",
        ]
        for event_id in ("shelling", "death", "colonel"):
            assert index.happening(event_id, as_of=FIRST) == full[event_id]
        assert (
            happening(MemoryStore(entries), "colonels", as_of=FIRST) == full["colonels"]
        )

    def test_a_happening_not_yet_known_passes_dates_on(self):
        """A link through a happening nobody has reported yet still chains dates."""
        log = shell_log()
        later = dt.date(2017, 10, 1)
        log.append(Death(event_id="unknown", report=report("D", later), person="Y"))
        for one, other in (("death", "unknown"), ("unknown", "shelling")):
            log.append(
                Related(
                    event_id=one,
                    other_event_id=other,
                    relation=Link.SAME_CAUSE,
                    same_when=True,
                    report=report("C", FIRST),
                )
            )
        entries = list(log)
        full = build_knowledge(entries, as_of=FIRST)

        assert "unknown" not in full
        assert dates(log, "death", FIRST) == ["2017-09-23", "2017-09-24"]
        assert KnowledgeIndex(entries).happening("death", as_of=FIRST) == full["death"]

    def test_undated_or_merged_happenings_lend_nothing(self):
        """An undated happening lends no date; a link within one merge is inert."""
        log = shell_log()
        log.append(Death(event_id="other", report=report("D", FIRST), person="Y"))
        log.append(
            SameAs(event_id="death", other_event_id="other", report=report("D", FIRST))
        )
        for other in ("other", "shelling"):
            log.append(
                Related(
                    event_id="death",
                    other_event_id=other,
                    relation=Link.PART_OF,
                    same_when=True,
                    report=report("C", FIRST),
                )
            )
        undated = EventLog(clock=FakeClock())
        undated.append(Death(event_id="x", report=report("A", FIRST), person="X"))
        undated.append(Death(event_id="y", report=report("A", FIRST), person="Y"))
        undated.append(
            Related(
                event_id="x",
                other_event_id="y",
                relation=Link.SAME_CAUSE,
                same_when=True,
                report=report("A", FIRST),
            )
        )

        assert dates(log, "other", FIRST) == ["2017-09-23", "2017-09-24"]
        merged = log.as_of(FIRST)["other"]
        assert len(merged.links) == 2  # each once, though both ids are merged
        assert KnowledgeIndex(list(log)).happening("other", as_of=FIRST) == merged
        assert dates(undated, "x", FIRST) == []
        index = KnowledgeIndex(list(undated))
        assert index.happening("x", as_of=FIRST) == undated.as_of(FIRST)["x"]

    def test_a_link_without_same_when_lends_no_dates(self):
        """Other links are shown, and leave the dates alone."""
        log = shell_log()
        log.append(
            Related(
                event_id="death",
                other_event_id="shelling",
                relation=Link.CAUSED_BY,
                report=report("C", FIRST),
            )
        )

        assert dates(log, "death", FIRST) == []
        assert len(log.as_of(FIRST)["death"].links) == 1


@given(
    st.lists(events(types=[Death], event_ids=st.just("one")), min_size=1, max_size=4),
    st.lists(events(types=[Death], event_ids=st.just("other")), min_size=1, max_size=4),
    days,
    days,
)
def test_linked_happenings_share_their_dates_and_conflicts(ones, others, linked, asked):
    """With same_when, both sides hold the same dates, and agree on conflict.

    Before the link is known each holds its own dates only: the link never
    counts before its knowledge date.
    """
    log = EventLog(clock=FakeClock())
    log.extend([*ones, *others])
    log.append(
        Related(
            event_id="one",
            other_event_id="other",
            relation=Link.SAME_CAUSE,
            same_when=True,
            report=report("Analyst", linked),
        )
    )
    known = log.as_of(asked)
    index = KnowledgeIndex(list(log))

    def keys(event_id: str) -> set[object]:
        found = known.get(event_id)
        field = None if found is None else found.fields.get("when")
        return set() if field is None else {value_key(v.value) for v in field.values}

    def own(event_id: str) -> set[object]:
        # The dates of a happening's own claims known on the day.
        claims = [entry for entry in log if entry.event.role is Role.CLAIM]
        found = build_knowledge(claims, as_of=asked).get(event_id)
        field = None if found is None else found.fields.get("when")
        return set() if field is None else {value_key(v.value) for v in field.values}

    for event_id in ("one", "other"):
        assert index.happening(event_id, as_of=asked) == known.get(event_id)
    if asked >= linked and "one" in known and "other" in known:
        assert keys("one") == keys("other") == own("one") | own("other")
        one, other = known["one"].fields.get("when"), known["other"].fields.get("when")
        assert (one is None) == (other is None)
        if one is not None and other is not None:
            assert one.in_conflict == other.in_conflict
    else:
        assert keys("one") == own("one")
        assert keys("other") == own("other")


@given(logs(), days)
def test_no_link_nor_lent_date_counts_before_it_is_known(log, asked):
    """Every link a happening shows, and every claim behind its dates, is known."""
    for found in log.as_of(asked):
        assert all(entry.event.report.published_day <= asked for entry in found.links)
        when = found.fields.get("when")
        for value in when.values if when is not None else ():
            assert all(
                entry.event.report.published_day <= asked for entry in value.claims
            )


class TestTheCorpus:
    """The links the three articles state."""

    def test_the_corpus_holds_the_links_the_articles_state(self):
        """Each link is the article's, with its quote and attribution."""
        links = [
            (
                entry.seq,
                entry.event.event_id,
                entry.event.relation.phrase,
                entry.event.other_event_id,
                entry.event.claimant.name,
            )
            for entry in load_corpus()
            if isinstance(entry.event, Related)
        ]

        assert links == [
            (
                114,
                "asapov-death",
                "caused by",
                "asapov-command-post-shelling",
                "DEBKA Weekly",
            ),
            (
                115,
                "asapov-colonels-deaths",
                "same cause as",
                "asapov-death",
                "DEBKA Weekly",
            ),
            (
                116,
                "putin-shoigu-retribution-vow",
                "in response to",
                "asapov-death",
                "DEBKA Weekly",
            ),
            (
                117,
                "timoshenkov-wounding",
                "caused by",
                "palmyra-car-bombing",
                "Russian Ministry of Defense",
            ),
            (
                118,
                "timoshenkov-death",
                "caused by",
                "timoshenkov-wounding",
                "Russian Ministry of Defense",
            ),
            (119, "fedyanin-death", "caused by", "fedyanin-wounding", "TASS"),
            (
                120,
                "russian-strike-on-sdf-sept-25",
                "part of",
                "russian-alleged-bombings-two-occasions",
                "Military Times",
            ),
            (
                121,
                "sdf-retaliation-threat",
                "in response to",
                "russian-strike-on-sdf-sept-25",
                "SDF general command",
            ),
        ]

    def test_the_colonels_deaths_show_the_conflict_on_asapov_s(self):
        """Killed by the same shell: the colonels' deaths hold Asapov's two dates."""
        known = load_corpus().as_of(dt.date(2017, 10, 4))
        colonels = known["asapov-colonels-deaths"]

        assert [str(value.value) for value in colonels.fields["when"].values] == [
            "2017-09-23",
            "2017-09-24",
        ]
        assert colonels.fields["when"].in_conflict
        assert (
            not load_corpus()
            .as_of(dt.date(2017, 9, 28))["asapov-colonels-deaths"]
            .fields["when"]
            .in_conflict
        )

    def test_known_shows_the_links(self, capsys):
        """`timeline known` shows each link, from both sides, with who said it."""
        main(["known", "--on", "2017-10-04", "--about", "fedyanin-death"])
        out = capsys.readouterr().out

        assert (
            "linked     caused by fedyanin-wounding, per Military Times (citing "
            "TASS), published 2017-10-04"
        ) in out

    def test_json_and_records_include_the_links(self, capsys):
        """--json and the records give each link with its phrase and its other side."""
        main(["known", "--on", "2017-10-04", "--about", "fedyanin-wounding", "--json"])
        (found,) = json.loads(capsys.readouterr().out)["happenings"]
        record = happening_record(
            load_corpus().as_of(dt.date(2017, 10, 4))["fedyanin-wounding"]
        )

        assert found["links"] == record["links"]
        ((link,),) = [record["links"]]
        assert (link["phrase"], link["other"], link["seq"]) == (
            "caused",
            "fedyanin-death",
            119,
        )
        assert link["facts"]["relation"] == "caused_by"

    def test_the_html_page_and_table_show_the_links(self):
        """The page and a happening's table name the link and who said it."""
        log = load_corpus()
        known = log.as_of(dt.date(2017, 10, 4))

        page = render_html(log, about="sdf-retaliation-threat")
        table = render_table(known["sdf-retaliation-threat"])

        assert (
            "in response to russian-strike-on-sdf-sept-25: "
            "Military Times → SDF general command, 2017-10-04"
        ) in page
        assert "<h4>Links</h4>" in table
        assert "We emphasize that we will not stay silent" in table


def test_a_checkpoint_rebuilds_the_happenings_that_share_dates():
    """A claim about Asapov's death rebuilds the colonels', which share its dates."""
    log = load_corpus()
    log.append(
        Death(
            event_id="asapov-death",
            report=report("Example Wire", dt.date(2017, 10, 6)),
            person="Valery Asapov",
            when=day("2017-09-25"),
        )
    )
    entries = list(log)
    index = KnowledgeIndex(entries)
    index.as_of(dt.date(2017, 10, 5))

    stepped = index.as_of(dt.date(2017, 10, 6))  # from the checkpoint

    assert stepped == build_knowledge(entries, as_of=dt.date(2017, 10, 6))
    colonels = stepped["asapov-colonels-deaths"].fields["when"]
    assert [str(value.value) for value in colonels.values][-1] == "2017-09-25"


@attrs.frozen(kw_only=True)
class Hearsay(Event):
    """A user type whose facts leave out its date."""

    event_type: ClassVar[str] = "_test_links_hearsay"

    def facts(self) -> dict[str, object]:
        """Return no facts: the date it carries is not one."""
        return {}


def test_a_claim_whose_facts_leave_out_its_date_lends_none(monkeypatch):
    """Only dates a claim states as facts are shared, as fields_of reads them."""
    monkeypatch.setitem(events_module._REGISTRY, Hearsay.event_type, Hearsay)
    log = shell_log()
    log.append(
        Hearsay(event_id="death", report=report("D", FIRST), when=day("2017-09-30"))
    )
    log.append(same_shell(FIRST))

    assert dates(log, "death", FIRST) == ["2017-09-23", "2017-09-24"]
    assert dates(log, "shelling", FIRST) == ["2017-09-23", "2017-09-24"]
