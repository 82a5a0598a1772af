import datetime as dt
from typing import ClassVar

import attrs
import pytest

from timeline import EventLog, FuzzyDate
from timeline.errors import DanglingReferenceError, InvalidDateError
from timeline.model import _event as events_module
from timeline.model.dates import Certainty
from timeline.model.events import (
    Amendment,
    Capture,
    Confirmation,
    Correction,
    Death,
    Denial,
    Estimate,
    Event,
    Retraction,
    Revelation,
    Role,
    SameAs,
    Split,
    Visit,
    Wounding,
    _Response,
)
from timeline.model.sources import Reliability, Report, Source
from timeline.projections import (
    Status,
    earliest_report,
    history,
    latest_report,
    most_reliable_source,
    most_sources,
)

from .helpers import FakeClock, day, report

D = dt.date.fromisoformat
DEBKA = report("DEBKA Weekly", D("2017-09-28"))
MT = report("Military Times", D("2017-10-04"))
LATER = report("Military Times", D("2017-11-01"))


def asapov_log():
    """The founding conflict: Sept. 23 per DEBKA, Sept. 24 per MT citing TASS."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(
                event_id="asapov-death",
                report=DEBKA,
                person="Valery Asapov",
                when=day("2017-09-23"),
                reliability=Reliability.C,
            ),
            Death(
                event_id="asapov-death",
                report=MT,
                person="Valery Asapov",
                when=day("2017-09-24"),
                attribution=[Source("TASS")],
                reliability=Reliability.B,
            ),
        ]
    )
    return log


class TestKnowledgeDate:
    """Only reports published on or before the knowledge date count."""

    def test_nothing_is_known_before_the_first_report(self):
        """As of Sept. 27 nobody had reported Asapov's death (to this log)."""
        knowledge = asapov_log().as_of(D("2017-09-27"))

        assert "asapov-death" not in knowledge
        assert len(knowledge) == 0

    def test_the_publication_day_itself_counts(self):
        """As of Sept. 28 DEBKA's report is known: one date, no conflict."""
        knowledge = asapov_log().as_of(D("2017-09-28"))

        field = knowledge["asapov-death"].fields["when"]
        assert [value.value for value in field.values] == [day("2017-09-23")]
        assert not field.in_conflict
        assert knowledge["asapov-death"].status is Status.REPORTED

    def test_a_conflict_keeps_both_values_and_their_sources(self):
        """As of Oct. 4 both dates stand side by side, each with its source."""
        knowledge = asapov_log().as_of(D("2017-10-04"))

        field = knowledge["asapov-death"].fields["when"]
        assert field.in_conflict
        assert [
            (v.value, v.outlets, v.claimants, v.first_known) for v in field.values
        ] == [
            (
                day("2017-09-23"),
                (Source("DEBKA Weekly"),),
                (Source("DEBKA Weekly"),),
                D("2017-09-28"),
            ),
            (
                day("2017-09-24"),
                (Source("Military Times"),),
                (Source("TASS"),),
                D("2017-10-04"),
            ),
        ]
        assert knowledge["asapov-death"].status is Status.DISPUTED
        assert [c.field.name for c in knowledge.conflicts()] == ["when"]

    def test_unknown_happening_is_an_error_naming_it(self):
        """Asking about a happening nobody reported says so."""
        with pytest.raises(DanglingReferenceError, match="'nobody' as of 2017-10-04"):
            asapov_log().as_of(D("2017-10-04"))["nobody"]

    def test_as_of_must_be_a_date(self):
        """A string is not a knowledge date."""
        with pytest.raises(InvalidDateError, match="as_of must be a date"):
            asapov_log().as_of("2017-10-04")


class TestResolution:
    """No winner unless asked; when asked, a choice and its reason."""

    def test_policies_choose_and_explain(self):
        """Each policy names its choice and why."""
        field = asapov_log().as_of(D("2017-10-04"))["asapov-death"].fields["when"]

        reliable = field.resolve(most_reliable_source)
        first = field.resolve(earliest_report)
        last = field.resolve(latest_report)

        assert (reliable.value.value, reliable.reason) == (
            day("2017-09-24"),
            "2017-09-24: best source reliability B",
        )
        assert first.value.value == day("2017-09-23")
        assert "DEBKA Weekly" in first.reason
        assert last.value.value == day("2017-09-24")

    def test_a_tie_is_not_decided(self):
        """One source each: most-sources declines to choose, and says why."""
        field = asapov_log().as_of(D("2017-10-04"))["asapov-death"].fields["when"]

        resolution = field.resolve(most_sources)

        assert resolution.value is None
        assert resolution.reason.startswith("no decision: tie between")

    def test_most_sources_counts_claimants(self):
        """Two claimants beat one."""
        log = asapov_log()
        log.append(
            Death(
                event_id="asapov-death",
                report=LATER,
                person="Valery Asapov",
                when=day("2017-09-24"),
                attribution=[Source("Interfax")],
            )
        )
        field = log.as_of(D("2017-11-01"))["asapov-death"].fields["when"]

        resolution = field.resolve(most_sources)

        assert resolution.value.value == day("2017-09-24")
        assert "2 source(s): TASS, Interfax" in resolution.reason


def capture_log():
    """Return a log holding Amaq's claim of two captured soldiers."""
    log = EventLog(clock=FakeClock())
    log.append(
        Capture(
            event_id="amaq-capture",
            report=MT,
            captor="ISIS",
            captives="Russian soldiers",
            count=Estimate.exactly(2),
            attribution=[Source("Amaq")],
        )
    )
    return log


class TestStatus:
    """Status is what the replay says, never a stored field."""

    def test_denial_by_another_party(self):
        """The Russian MoD denies Amaq's claim: denied, the claim still visible."""
        log = capture_log()
        log.append(
            Denial(
                event_id="amaq-capture",
                report=MT,
                denied_by="Russian Ministry of Defence",
                attribution=[Source("Reuters"), Source("Russian Ministry of Defence")],
            )
        )

        happening = log.as_of(D("2017-10-04"))["amaq-capture"]

        assert happening.status is Status.DENIED
        assert [e.event.denied_by for e in happening.denials] == [
            "Russian Ministry of Defence"
        ]
        assert happening.fields["count"].values[0].value == Estimate.exactly(2)

    def test_denial_is_unknown_before_it_was_published(self):
        """A denial published later does not colour an earlier knowledge date."""
        log = capture_log()
        log.append(
            Denial(event_id="amaq-capture", report=LATER, denied_by="Russian MoD")
        )

        assert log.as_of(D("2017-10-04"))["amaq-capture"].status is Status.REPORTED
        assert log.as_of(D("2017-11-01"))["amaq-capture"].status is Status.DENIED

    def test_retraction_by_the_source_itself(self):
        """A source withdrawing its only claim: retracted, kept, not live."""
        log = capture_log()
        log.append(
            Retraction(event_id="amaq-capture", report=LATER, reason="video misread")
        )

        happening = log.as_of(D("2017-11-01"))["amaq-capture"]

        assert happening.status is Status.RETRACTED
        assert happening.claims == ()
        assert [e.seq for e in happening.withdrawn] == [1]
        assert happening.fields == {}

    def test_retraction_by_one_source_leaves_the_others(self):
        """DEBKA retracting leaves Military Times' date standing, and no conflict."""
        log = asapov_log()
        log.append(
            Retraction(
                event_id="asapov-death", report=report("DEBKA Weekly", D("2017-10-10"))
            )
        )

        happening = log.as_of(D("2017-10-10"))["asapov-death"]

        assert happening.status is Status.REPORTED
        assert [v.value for v in happening.fields["when"].values] == [day("2017-09-24")]

    def test_correction_supersedes_the_outlet_s_earlier_claim(self):
        """DEBKA corrects Sept. 23 to Sept. 24: corrected, the conflict gone."""
        log = asapov_log()
        fix = report("DEBKA Weekly", D("2017-10-10"))
        log.extend(
            [
                Correction(event_id="asapov-death", report=fix, reason="date"),
                Death(
                    event_id="asapov-death",
                    report=fix,
                    person="Valery Asapov",
                    when=day("2017-09-24"),
                ),
            ]
        )

        happening = log.as_of(D("2017-10-10"))["asapov-death"]

        assert happening.status is Status.CORRECTED
        assert not happening.conflicts
        assert [e.event.report.published for e in happening.withdrawn] == [
            D("2017-09-28")
        ]

    def test_confirmation(self):
        """A confirmation by a party confirms."""
        log = capture_log()
        log.append(
            Confirmation(event_id="amaq-capture", report=LATER, confirmed_by="Kremlin")
        )

        assert log.as_of(D("2017-11-01"))["amaq-capture"].status is Status.CONFIRMED


class TestMerges:
    """Same-as joins two happenings from its knowledge date on; split undoes it."""

    def log(self):
        """Return the Asapov log with a second id for the death, merged Nov. 1."""
        log = asapov_log()
        log.append(
            Death(
                event_id="general-killed",
                report=MT,
                person="Valery Asapov",
                when=day("2017-09-24"),
            )
        )
        log.append(
            SameAs(
                event_id="asapov-death", other_event_id="general-killed", report=LATER
            )
        )
        return log

    def test_joined_from_the_merge_date_on(self):
        """Before the merge two happenings; after, one with every claim."""
        log = self.log()

        before = log.as_of(D("2017-10-31"))
        after = log.as_of(D("2017-11-01"))

        assert len(before) == 2
        assert len(after) == 1
        assert after["general-killed"] is after["asapov-death"]
        assert after["asapov-death"].event_ids == {"asapov-death", "general-killed"}
        assert len(after["asapov-death"].claims) == 3

    def test_split_undoes_a_merge(self):
        """A later split separates them again."""
        log = self.log()
        log.append(
            Split(
                event_id="general-killed",
                other_event_id="asapov-death",
                report=report("Analyst", D("2017-11-02")),
            )
        )

        assert len(log.as_of(D("2017-11-02"))) == 2


class TestSystemTime:
    """An analyst's amendment changes later answers, never earlier ones."""

    def test_amendment_voids_only_from_its_seq_on(self):
        """Pinned before the amendment, the mis-encoded value is still there."""
        log = asapov_log()
        log.append(
            Amendment(
                event_id="asapov-death", voids=1, reason="wrong date read", report=LATER
            )
        )
        log.append(
            Death(
                event_id="asapov-death",
                report=DEBKA,
                person="Valery Asapov",
                when=day("2017-09-24"),
            )
        )

        now = log.as_of(D("2017-10-04"))
        audit = log.as_of(D("2017-10-04"), seq=2)

        assert not now["asapov-death"].conflicts
        assert audit["asapov-death"].fields["when"].in_conflict
        assert audit.seq == 2

    def test_voiding_an_amendment_restores_the_entry(self):
        """An amendment voided in turn no longer voids anything."""
        log = asapov_log()
        log.append(
            Amendment(event_id="asapov-death", voids=1, reason="x", report=LATER)
        )
        log.append(
            Amendment(event_id="asapov-death", voids=3, reason="undo", report=LATER)
        )

        assert log.as_of(D("2017-10-04"))["asapov-death"].fields["when"].in_conflict


def fedyanin_log():
    """Return a log of Fedyanin's wounding and death, and a September visit."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Wounding(
                event_id="fedyanin-wounded",
                report=MT,
                person="Valery Fedyanin",
                when=day("2017-09-22"),
            ),
            Death(
                event_id="fedyanin-death",
                report=MT,
                person="Valery Fedyanin",
                when=day("2017-10-01"),
            ),
            Visit(
                event_id="visit",
                report=MT,
                visitor="Someone",
                when=FuzzyDate.month(2017, 9),
            ),
        ]
    )
    return log


class TestEntityState:
    """State over valid time, as the record of a knowledge date says."""

    @pytest.mark.parametrize(
        ("on", "state", "certainty"),
        [
            ("2017-09-21", "unknown", Certainty.NOT),
            ("2017-09-25", "wounded", Certainty.CERTAINLY),
            ("2017-10-01", "dead", Certainty.CERTAINLY),
        ],
    )
    def test_fedyanin(self, on, state, certainty):
        """As of Oct. 5: wounded Sept. 22, dead Oct. 1, unknown before."""
        knowledge = fedyanin_log().as_of(D("2017-10-05"))

        answer = knowledge.state_of("fedyanin", on=D(on))

        assert (answer.state, answer.certainty) == (state, certainty)

    def test_unknown_before_it_was_reported(self):
        """As of Oct. 3 the record says nothing of him."""
        answer = (
            fedyanin_log()
            .as_of(D("2017-10-03"))
            .state_of("Fedyanin", on=D("2017-09-25"))
        )

        assert answer.state == "unknown"

    def test_a_fuzzy_death_is_only_possible(self):
        """A death some time in September possibly happened by Sept. 25."""
        log = EventLog(clock=FakeClock())
        log.append(
            Death(event_id="d", report=MT, person="X", when=FuzzyDate.month(2017, 9))
        )

        answer = log.as_of(D("2017-10-04")).state_of("x", on=D("2017-09-25"))

        assert (answer.state, answer.certainty) == ("dead", Certainty.POSSIBLY)


class TestTimeline:
    """Happenings in order of valid time, uncertainty respected (deprecated)."""

    def test_a_month_is_not_placed_before_a_day_it_may_follow(self):
        """The September visit shares a slot with the Sept. 22 wounding."""
        knowledge = fedyanin_log().as_of(D("2017-10-05"))

        with pytest.warns(DeprecationWarning, match=r"use Knowledge\.chronology\(\)"):
            slots, undated = knowledge.timeline()

        assert [[h.event_id for h in slot.happenings] for slot in slots] == [
            ["visit", "fedyanin-wounded"],
            ["fedyanin-death"],
        ]
        assert [slot.certain_order for slot in slots] == [False, True]
        assert undated == ()


class TestQueries:
    """Diff, first known, history and about."""

    def test_diff_names_what_became_known(self):
        """Between Sept. 28 and Oct. 4 a new value and a new conflict appeared."""
        change = asapov_log().diff(D("2017-09-28"), D("2017-10-04"))

        assert change.new_happenings == ()
        assert [(h, f, v.value) for h, f, v in change.new_values] == [
            ("asapov-death", "when", day("2017-09-24"))
        ]
        assert [c.field.name for c in change.new_conflicts] == ["when"]
        assert change.status_changes == (
            ("asapov-death", Status.REPORTED, Status.DISPUTED),
        )
        assert change

    def test_diff_of_a_quiet_period_is_empty(self):
        """Nothing published between two dates: an empty, falsy diff."""
        assert not asapov_log().diff(D("2017-10-05"), D("2017-10-20"))

    def test_diff_refuses_backwards_dates(self):
        """The first date must not follow the second."""
        with pytest.raises(InvalidDateError, match="first date is after"):
            asapov_log().diff(D("2017-10-04"), D("2017-09-28"))

    def test_first_known_of_a_revealed_secret(self):
        """Asapov's command became known when Gerasimov's revelation was reported."""
        log = EventLog(clock=FakeClock())
        log.append(
            Revelation(
                event_id="asapov-command",
                report=DEBKA,
                revealed_by="Valery Gerasimov",
                secret="Asapov commanded the Syrian Fifth Corps",  # noqa: S106
                when=day("2017-09-28"),
            )
        )

        knowledge = log.as_of(D("2017-10-05"))

        assert knowledge.first_known("asapov-command") == D("2017-09-28")
        assert knowledge.first_known(
            "asapov-command", "revealed_by", "Valery Gerasimov"
        ) == D("2017-09-28")
        assert knowledge.first_known("asapov-command", "casualties") is None
        assert knowledge.first_known("elsewhere") is None

    def test_history_steps_through_each_change(self):
        """Known Sept. 28 with one date, disputed from Oct. 4."""
        steps = asapov_log().history("asapov-death")

        assert [(day_, h.status) for day_, h in steps] == [
            (D("2017-09-28"), Status.REPORTED),
            (D("2017-10-04"), Status.DISPUTED),
        ]

    def test_history_follows_merges_made_before_the_happening_joined(self):
        """A claim about a happening merged in earlier is a step of the group.

        z and y are merged first, x and y later; a claim about z published
        after both merges changes what is known of x, so it is a step.
        """
        log = EventLog(clock=FakeClock())
        log.append(Death(event_id="z", report=report("A", D("2020-01-01")), person="P"))
        log.append(Death(event_id="y", report=report("A", D("2020-01-02")), person="P"))
        log.append(
            SameAs(
                event_id="y", other_event_id="z", report=report("A", D("2020-01-03"))
            )
        )
        log.append(Death(event_id="x", report=report("A", D("2020-01-04")), person="P"))
        log.append(
            SameAs(
                event_id="x", other_event_id="y", report=report("A", D("2020-01-05"))
            )
        )
        log.append(
            Death(
                event_id="z",
                report=report("B", D("2020-01-06")),
                person="P",
                cause="shot",
            )
        )

        steps = log.history("x")

        assert [day_ for day_, _ in steps] == [
            D("2020-01-04"),
            D("2020-01-05"),
            D("2020-01-06"),
        ]
        assert steps[-1][1].event_ids == frozenset({"x", "y", "z"})
        assert [v.value for v in steps[-1][1].fields["cause"].values] == ["shot"]
        assert steps == history(list(log), "x")

    def test_history_of_an_unknown_happening(self):
        """No entry about it: an error naming it."""
        with pytest.raises(DanglingReferenceError, match="'nothing'"):
            asapov_log().history("nothing")

    def test_about_matches_ids_people_and_quotes(self):
        """Search is case-insensitive over ids, types, actors, places and quotes."""
        knowledge = fedyanin_log().as_of(D("2017-10-05"))

        assert [h.event_id for h in knowledge.about("FEDYANIN")] == [
            "fedyanin-death",
            "fedyanin-wounded",
        ]
        assert [h.event_id for h in knowledge.about("visit")] == ["visit"]


def death(event_id: str, outlet: str, published: str, when: str | None = None) -> Death:
    """Return a death of X, dated *when*, by *outlet* on *published*."""
    return Death(
        event_id=event_id,
        person="X",
        when=None if when is None else day(when),
        report=report(outlet, D(published)),
    )


def analyst(cls: type[SameAs | Split], published: str) -> SameAs | Split:
    """Return the analyst's *cls* (SameAs or Split) of alpha and beta."""
    return cls(
        event_id="alpha",
        other_event_id="beta",
        report=report("analyst", D(published)),
    )


class TestFoundByTheHunt:
    """Cases an oracle-based search found: each contradicted a docstring."""

    def test_a_correction_keeps_its_outlets_update_published_later_that_day(self):
        """Two times of day decide which claims a withdrawal takes back."""
        mt = Source("Military Times")
        at = [dt.datetime(2017, 10, 4, hour, tzinfo=dt.UTC) for hour in (9, 10)]
        log = EventLog(clock=FakeClock())
        log.append(death("d", "Military Times", "2017-10-01", "2017-09-23"))
        log.append(Correction(event_id="d", report=Report(outlet=mt, published=at[0])))
        update = Report(outlet=mt, published=at[1], title="update")
        log.append(
            Death(event_id="d", person="X", when=day("2017-09-24"), report=update)
        )

        happening = log.as_of(D("2017-10-05"))["d"]

        assert [entry.seq for entry in happening.claims] == [3]
        assert [entry.seq for entry in happening.withdrawn] == [1]
        assert [v.value for v in happening.fields["when"].values] == [day("2017-09-24")]

    def test_with_a_day_alone_a_claim_of_the_same_day_is_taken_back(self):
        """The order within a day unknown, the outlet's claim counts as earlier."""
        log = EventLog(clock=FakeClock())
        log.append(death("d", "Amaq", "2017-09-24"))
        notice = report("Amaq", D("2017-09-24"), title="Retraction")
        log.append(Retraction(event_id="d", report=notice))

        happening = log.as_of(D("2017-09-24"))["d"]

        assert happening.claims == ()
        assert Status.RETRACTED in happening.statuses

    def test_a_denial_holds_only_while_a_claim_stands(self):
        """Its only claim corrected away, a denied happening is no longer DENIED."""
        log = EventLog(clock=FakeClock())
        log.append(death("d", "Amaq", "2017-09-24"))
        denial = Denial(
            event_id="d", denied_by="MoD", report=report("TASS", D("2017-09-25"))
        )
        log.append(denial)
        assert Status.DENIED in log.as_of(D("2017-09-25"))["d"].statuses
        log.append(Correction(event_id="d", report=report("Amaq", D("2017-09-26"))))

        happening = log.as_of(D("2017-09-26"))["d"]

        assert happening.statuses == {Status.REPORTED, Status.CORRECTED}

    def test_first_known_counts_claims_later_retracted(self):
        """Known on the 24th through DEBKA, whatever DEBKA said after."""
        log = EventLog(clock=FakeClock())
        log.append(death("d", "DEBKA", "2017-09-24", "2017-09-23"))
        log.append(death("d", "TASS", "2017-09-26", "2017-09-23"))
        log.append(Retraction(event_id="d", report=report("DEBKA", D("2017-09-28"))))
        knowledge = log.as_of(D("2017-09-30"))

        assert knowledge["d"].withdrawn != ()
        assert knowledge.first_known("d") == D("2017-09-24")
        assert knowledge.first_known("d", "when") == D("2017-09-24")
        assert knowledge.first_known("d", "when", day("2017-09-23")) == D("2017-09-24")
        assert knowledge.first_known("d", "when", day("2017-09-22")) is None

    def test_about_matches_the_types_of_responses(self):
        """A denied happening is found by "denial"; an absent type finds nothing."""
        log = EventLog(clock=FakeClock())
        log.append(death("d", "Amaq", "2017-09-24"))
        denial = Denial(
            event_id="d", denied_by="MoD", report=report("TASS", D("2017-09-25"))
        )
        log.append(denial)
        knowledge = log.as_of(D("2017-09-25"))

        assert [h.event_id for h in knowledge.about("DENIAL")] == ["d"]
        assert knowledge.about("correction") == ()

    def test_a_diff_across_a_merge_reports_nothing_known_before(self):
        """The two dates of beta and their conflict were known before alpha joined."""
        log = EventLog(clock=FakeClock())
        log.append(death("alpha", "DEBKA", "2017-09-24"))
        log.append(death("beta", "DEBKA", "2017-09-24", "2017-09-23"))
        log.append(death("beta", "TASS", "2017-09-25", "2017-09-24"))
        log.append(analyst(SameAs, "2017-09-28"))

        change = log.diff(D("2017-09-26"), D("2017-09-30"))

        assert change.new_values == ()
        assert change.new_conflicts == ()
        assert change.new_happenings == ()
        # alpha's own status changes: it is now disputed.
        assert change.status_changes == (("alpha", Status.REPORTED, Status.DISPUTED),)

    def test_a_diff_across_a_split_reports_no_conflict_known_before(self):
        """The conflict of beta was open inside the merged happening named alpha."""
        log = EventLog(clock=FakeClock())
        log.append(death("alpha", "DEBKA", "2017-09-20"))
        log.append(death("beta", "DEBKA", "2017-09-20", "2017-09-19"))
        log.append(analyst(SameAs, "2017-09-22"))
        log.append(death("beta", "TASS", "2017-09-24", "2017-09-18"))
        log.append(analyst(Split, "2017-09-28"))
        before = log.as_of(D("2017-09-26"))
        assert [(h.event_id, [f.name for f in h.conflicts]) for h in before] == [
            ("alpha", ["when"])
        ]

        change = log.diff(D("2017-09-26"), D("2017-09-30"))

        assert change.new_conflicts == ()
        assert change.new_values == ()


def test_an_open_ended_date_shares_a_slot_with_everything_after_it():
    """A death "since Sept. 1" may follow any later happening: one slot."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(
                event_id="a",
                report=MT,
                person="X",
                when=FuzzyDate.since(D("2017-09-01")),
            ),
            Death(event_id="b", report=MT, person="Y", when=day("2017-09-20")),
            Death(event_id="c", report=MT, person="Z", when=day("2017-09-30")),
        ]
    )

    with pytest.warns(DeprecationWarning, match="deprecated since 0.2.0"):
        slots, _ = log.as_of(D("2017-10-04")).timeline()

    assert [[h.event_id for h in slot.happenings] for slot in slots] == [
        ["a", "b", "c"]
    ]


def test_an_undated_death_says_nothing_of_a_given_day():
    """A death with no date cannot place the person's state on a day."""
    log = EventLog(clock=FakeClock())
    log.append(Death(event_id="d", report=MT, person="X"))

    answer = log.as_of(D("2017-10-04")).state_of("x", on=D("2017-09-25"))

    assert answer.state == "unknown"


def test_python_dash_m_timeline_runs_the_command_line(capsys):
    """``python -m timeline`` is the same command line, in process."""
    import runpy  # noqa: PLC0415
    import sys  # noqa: PLC0415

    argv = sys.argv
    sys.argv = ["timeline", "known", "--on", "2017-09-27", "--about", "asapov-death"]
    try:
        with pytest.raises(SystemExit) as exit_:
            runpy.run_module("timeline", run_name="__main__", alter_sys=True)
    finally:
        sys.argv = argv

    assert exit_.value.code == 0
    assert "0 of 32 happenings" in capsys.readouterr().out


@attrs.frozen(kw_only=True)
class Rebuttal(_Response):
    """A user's own response type: neither a denial nor a withdrawal."""

    event_type: ClassVar[str] = "_test_rebuttal"


@attrs.frozen(kw_only=True)
class Bookmark(Event):
    """A user's own analyst entry about a happening, stating no fact."""

    event_type: ClassVar[str] = "_test_bookmark"
    role: ClassVar[Role] = Role.ANALYST


def test_responses_and_analyst_entries_of_user_types_change_no_status(monkeypatch):
    """A user's response is kept as a response; an analyst entry is no claim."""
    for cls in (Rebuttal, Bookmark):
        monkeypatch.setitem(events_module._REGISTRY, cls.event_type, cls)
    log = asapov_log()
    log.extend(
        [
            Rebuttal(event_id="asapov-death", report=LATER),
            Bookmark(event_id="asapov-death", report=LATER),
        ]
    )

    before = log.as_of(D("2017-10-31")).get("asapov-death")
    after = log.as_of(D("2017-11-01")).get("asapov-death")

    assert after.status is before.status
    assert after.claims == before.claims
    assert [entry.event for entry in after.responses[-1:]] == [
        Rebuttal(event_id="asapov-death", report=LATER)
    ]
    assert after.fields == before.fields
