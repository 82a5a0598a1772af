"""The analyst's entries: places within places, verdicts, revocations, laws."""

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from timeline import Entry, Event, EventLog, FuzzyDate
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import (
    DanglingReferenceError,
    InvalidEntryError,
)
from timeline.model import _event as events_module
from timeline.model.comparers import canonical
from timeline.model.events import (
    Amendment,
    AnalystEntry,
    Attack,
    Death,
    Estimate,
    Revocation,
    Role,
    SameAs,
    Split,
    Verdict,
    Within,
)
from timeline.model.relations import Kind, Relation
from timeline.model.sources import Source
from timeline.projections import (
    FieldValues,
    IndexSnapshot,
    KnowledgeIndex,
    Value,
    build_knowledge,
    diff,
    history,
)
from timeline.serialization import read_gazetteer
from timeline.stores import SQLiteStore, as_of, happening
from timeline.strategies import logs
from timeline.views.html import render_table
from timeline.views.plot import render_svg
from timeline.views.records import (
    conflicts_record,
    diff_record,
    happening_record,
    summary_record,
    value_record,
    wording,
)

from .helpers import FakeClock, day, report

SAME, REFINES, COMPATIBLE, DIFFERS, CONTRADICTS = Relation
ANALYST = "Analyst"
OCT = dt.date(2017, 10, 1)


def relations(happening, name):
    """Return (relation, reason) of each two values of a field of a happening."""
    return [(pair.relation, pair.reason) for pair in happening.fields[name].pairs]


def attack_log():
    """Return a log of one attack placed "near Palmyra" and in "Homs province"."""
    log = EventLog(clock=FakeClock())
    log.append(
        Attack(event_id="bombing", report=report("A", OCT), where="near Palmyra")
    )
    log.append(
        Attack(event_id="bombing", report=report("B", OCT), where="Homs province")
    )
    return log


def within(published, place="Palmyra", broader="Homs province"):
    """Return the analyst's Within entry, made on *published*."""
    return Within(
        event_id=f"place:{place}",
        place=place,
        within=broader,
        report=report(ANALYST, published),
    )


class TestWithin:
    """A place within another makes two reports of them refine, from its date on."""

    def test_a_place_within_another_refines_it_from_its_knowledge_date(self):
        """A place within another refines it from its knowledge date."""
        log = attack_log()
        log.append(within(dt.date(2017, 10, 3)))

        before = log.as_of(dt.date(2017, 10, 2))["bombing"]
        after = log.as_of(dt.date(2017, 10, 3))["bombing"]

        assert [relation for relation, _ in relations(before, "where")] == [DIFFERS]
        assert relations(after, "where") == [
            (REFINES, '"near Palmyra" lies within "Homs province"')
        ]

    def test_a_revocation_takes_it_back_from_its_own_date(self):
        """A revocation takes it back from its own date."""
        log = attack_log()
        judged = log.append(within(dt.date(2017, 10, 3)))
        log.append(
            Revocation(
                event_id="place:Palmyra",
                revokes=judged.seq,
                reason="another Palmyra",
                report=report(ANALYST, dt.date(2017, 10, 5)),
            )
        )

        def relation_on(day_):
            return relations(log.as_of(day_)["bombing"], "where")[0][0]

        assert relation_on(dt.date(2017, 10, 4)) is REFINES
        assert relation_on(dt.date(2017, 10, 5)) is DIFFERS
        assert (
            log.happening("bombing", as_of=dt.date(2017, 10, 5))
            == log.as_of(dt.date(2017, 10, 5))["bombing"]
        )

    def test_an_amendment_voids_it_in_system_time(self):
        """An amendment voids it in system time."""
        log = attack_log()
        judged = log.append(within(dt.date(2017, 10, 3)))
        log.append(
            Amendment(
                event_id="place:Palmyra",
                voids=judged.seq,
                reason="typed into the wrong log",
                report=report(ANALYST, dt.date(2017, 10, 9)),
            )
        )

        now = log.as_of(dt.date(2017, 10, 4))["bombing"]
        then = log.as_of(dt.date(2017, 10, 4), seq=judged.seq)["bombing"]

        assert relations(now, "where")[0][0] is DIFFERS
        assert relations(then, "where")[0][0] is REFINES

    def test_a_within_names_no_happening(self):
        """A within names no happening."""
        log = attack_log()
        log.append(within(dt.date(2017, 10, 3)))

        assert log.event_ids == {"bombing"}
        assert summary_record(list(log))["happenings"] == 1
        assert "place:Palmyra" not in log.as_of(dt.date(2017, 10, 3))
        with pytest.raises(DanglingReferenceError, match="place:Palmyra"):
            log.history("place:Palmyra")

    def test_history_steps_on_the_day_a_within_changes_the_answer(self):
        """History steps on the day a within changes the answer."""
        log = attack_log()
        log.append(within(dt.date(2017, 10, 3)))

        steps = log.history("bombing")

        assert [day_ for day_, _ in steps] == [OCT, dt.date(2017, 10, 3)]


def verdict(relation, *, published=dt.date(2017, 10, 3), values=None, field="target"):
    """Return the analyst's verdict on the two targets of the attack log."""
    return Verdict(
        event_id="bombing",
        field=field,
        values=values or ("a convoy", "A  number of soldiers"),
        relation=relation,
        reason="read both",
        report=report(ANALYST, published),
    )


def targets_log():
    """Return a log of one attack with two targets that only differ."""
    log = EventLog(clock=FakeClock())
    for outlet, target in (("A", "a convoy"), ("B", "a number of soldiers")):
        log.append(
            Attack(
                event_id="bombing",
                report=report(outlet, OCT),
                target=target,
                when=day("2017-09-2" + str(len(outlet) + 2 + (outlet == "B"))),
            )
        )
    return log


class TestVerdict:
    """The analyst promotes a difference to a conflict, or dismisses it."""

    def test_a_difference_is_shown_and_is_no_conflict(self):
        """A difference is shown and is no conflict."""
        found = targets_log().as_of(OCT)["bombing"]

        assert found.fields["target"].in_conflict is False
        assert [field.name for field in found.conflicts] == ["when"]
        assert happening_record(found)["differences"] == ["target"]

    def test_promoted_it_is_a_conflict_with_the_analyst_s_reason(self):
        """Promoted it is a conflict with the analyst's reason."""
        log = targets_log()
        entry = log.append(verdict(CONTRADICTS))

        found = log.as_of(dt.date(2017, 10, 3))["bombing"]

        (pair,) = found.fields["target"].pairs
        assert (pair.relation, pair.verdict) == (CONTRADICTS, entry)
        assert pair.reason == f"the analyst's verdict (entry {entry.seq}): read both"
        assert [field.name for field in found.conflicts] == ["target", "when"]
        assert found.verdicts == (entry,)
        assert happening_record(found)["differences"] == []
        assert log.as_of(OCT)["bombing"].fields["target"].in_conflict is False

    def test_dismissed_it_is_compatible(self):
        """Dismissed it is compatible."""
        log = targets_log()
        log.append(verdict(CONTRADICTS))
        log.append(verdict(COMPATIBLE, published=dt.date(2017, 10, 4)))

        on_3, on_4 = (
            log.as_of(dt.date(2017, 10, n))["bombing"].fields["target"] for n in (3, 4)
        )

        assert (on_3.pairs[0].relation, on_4.pairs[0].relation) == (
            CONTRADICTS,
            COMPATIBLE,
        )

    def test_the_last_by_knowledge_date_holds_whatever_the_order_appended(self):
        """The last by knowledge date holds whatever the order appended."""
        log = targets_log()
        log.append(verdict(COMPATIBLE, published=dt.date(2017, 10, 4)))
        log.append(verdict(CONTRADICTS, published=dt.date(2017, 10, 3)))

        found = log.as_of(dt.date(2017, 10, 5))["bombing"]

        assert found.fields["target"].pairs[0].relation is COMPATIBLE

    def test_a_verdict_cannot_hide_a_contradiction(self):
        """A verdict cannot hide a contradiction."""
        log = targets_log()
        log.append(
            verdict(COMPATIBLE, field="when", values=("2017-09-25", "2017-09-26"))
        )

        found = log.as_of(dt.date(2017, 10, 3))["bombing"]

        assert found.fields["when"].in_conflict is True
        assert found.fields["when"].pairs[0].verdict is None

    def test_a_verdict_holds_for_what_is_merged_with_its_happening(self):
        """A verdict holds for what is merged with its happening."""
        log = targets_log()
        log.append(Death(event_id="other", report=report("C", OCT), person="X"))
        log.append(
            SameAs(
                event_id="other",
                other_event_id="bombing",
                report=report(ANALYST, OCT),
            )
        )
        log.append(verdict(CONTRADICTS))

        found = log.as_of(dt.date(2017, 10, 3))["other"]

        assert found.fields["target"].in_conflict is True

    @pytest.mark.parametrize(
        ("values", "relation"),
        [
            (("a", "A"), CONTRADICTS),
            (("a",), CONTRADICTS),
            (("a", "b"), Relation.REFINES),
        ],
    )
    def test_a_verdict_names_two_wordings_and_promotes_or_dismisses(
        self, values, relation
    ):
        """A verdict names two wordings and promotes or dismisses."""
        with pytest.raises(InvalidEntryError, match="Verdict"):
            verdict(relation, values=values)


class TestRevocationRules:
    """A revocation names its judgement's id and takes back judgements only."""

    def test_it_must_name_the_judgement_s_id(self):
        """It must name the judgement's id."""
        log = attack_log()
        judged = log.append(within(dt.date(2017, 10, 3)))

        with pytest.raises(InvalidEntryError, match="names happening 'bombing'"):
            log.append(
                Revocation(
                    event_id="bombing",
                    revokes=judged.seq,
                    reason="x",
                    report=report(ANALYST, OCT),
                )
            )

    @pytest.mark.parametrize("target", [1, 3, 5])
    def test_only_judgements_are_revoked(self, target):
        """Only judgements are revoked."""
        log = attack_log()
        log.append(
            Amendment(
                event_id="bombing", voids=2, reason="x", report=report(ANALYST, OCT)
            )
        )
        judged = log.append(within(OCT))
        log.append(
            Revocation(
                event_id=judged.event.event_id,
                revokes=judged.seq,
                reason="x",
                report=report(ANALYST, OCT),
            )
        )
        event_id = log[target].event.event_id

        with pytest.raises(InvalidEntryError, match="which is no judgement"):
            log.append(
                Revocation(
                    event_id=event_id,
                    revokes=target,
                    reason="x",
                    report=report(ANALYST, OCT),
                )
            )

    def test_a_revocation_of_a_merge_parts_what_it_joined(self):
        """A revocation of a merge parts what it joined."""
        log = targets_log()
        log.append(Death(event_id="other", report=report("C", OCT), person="X"))
        merge = log.append(
            SameAs(
                event_id="other",
                other_event_id="bombing",
                report=report(ANALYST, OCT),
            )
        )
        log.append(
            Revocation(
                event_id="other",
                revokes=merge.seq,
                reason="two happenings",
                report=report(ANALYST, dt.date(2017, 10, 4)),
            )
        )

        assert log.as_of(dt.date(2017, 10, 3))["other"].event_ids == {
            "other",
            "bombing",
        }
        assert log.as_of(dt.date(2017, 10, 4))["other"].event_ids == {"other"}
        assert (
            log.happening("bombing", as_of=dt.date(2017, 10, 4))
            == (log.as_of(dt.date(2017, 10, 4))["bombing"])
        )

    def test_a_revoked_split_joins_again(self):
        """A revoked split joins again."""
        log = targets_log()
        log.append(Death(event_id="other", report=report("C", OCT), person="X"))
        log.append(
            SameAs(event_id="other", other_event_id="bombing", report=report("Z", OCT))
        )
        split = log.append(
            Split(
                event_id="other",
                other_event_id="bombing",
                report=report(ANALYST, dt.date(2017, 10, 2)),
            )
        )
        log.append(
            Revocation(
                event_id="other",
                revokes=split.seq,
                reason="one happening after all",
                report=report(ANALYST, dt.date(2017, 10, 3)),
            )
        )

        sizes = [
            len(log.as_of(dt.date(2017, 10, n))["other"].event_ids) for n in (1, 2, 3)
        ]

        assert sizes == [2, 1, 2]


class TestOwnWords:
    """Each source's own words go beside that source."""

    @pytest.fixture
    def log(self):
        """The corpus, and Reuters dating Asapov's death "on Saturday"."""
        log = load_corpus()
        log.append(
            Death(
                event_id="asapov-death",
                report=report("Reuters", dt.date(2017, 9, 28)),
                person="Valery Asapov",
                when=FuzzyDate.parse("on Saturday", anchor=dt.date(2017, 9, 28)),
            )
        )
        return log

    def test_the_text_output_puts_each_wording_by_its_source(
        self, log, tmp_path, capsys
    ):
        """The text output puts each wording by its source."""
        path = tmp_path / "log.jsonl"
        with EventLog.open(path) as stored:
            stored.extend([entry.event for entry in log])

        main(
            [
                "known",
                "--on",
                "2017-10-05",
                "--about",
                "asapov-death",
                "--log",
                str(path),
            ]
        )
        out = capsys.readouterr().out.splitlines()

        assert out[5:9] == [
            "               - 2017-09-23",
            # The colonels' death, killed by the same shell, lends its date.
            '                   "on Sept. 23" per DEBKA Weekly, published 2017-09-28 '
            "(2 claims)",
            '                   "on Saturday" per Reuters, published 2017-09-28',
            '               - 2017-09-24 "on Sept. 24"   per Military Times '
            "(citing TASS), published 2017-10-04",
        ]

    def test_the_records_keep_each_claim_s_wording(self, log):
        """The records keep each claim's wording."""
        found = log.as_of(dt.date(2017, 10, 5))["asapov-death"]

        (first, _) = happening_record(found)["fields"]["when"]["values"]

        assert [(claim["outlet"], claim["wording"]) for claim in first["claims"]] == [
            ("DEBKA Weekly", "on Sept. 23"),
            ("DEBKA Weekly", "on Sept. 23"),  # the colonels', by the same shell
            ("Reuters", "on Saturday"),
        ]

    def test_the_picture_labels_each_source_with_its_words(self, log):
        """The picture labels each source with its words."""
        svg = render_svg(log.as_of(dt.date(2017, 10, 5)), about="asapov-death")

        assert "≠ 2017-09-23 · “on Sept. 23” DEBKA Weekly; “on Saturday” Reuters" in svg
        assert "≠ 2017-09-24 “on Sept. 24” · Military Times → TASS" in svg

    def test_text_of_one_value_in_other_cases_is_one_value(self):
        """Text of one value in other cases is one value."""
        log = EventLog(clock=FakeClock())
        for outlet, method in (("A", "mortar attack"), ("B", "Mortar  attack")):
            log.append(Attack(event_id="a", report=report(outlet, OCT), method=method))

        field = log.as_of(OCT)["a"].fields["method"]

        assert [value.value for value in field.values] == ["mortar attack"]
        assert len(field.values[0].claims) == 2
        assert log.as_of(OCT).first_known("a", "method", "MORTAR attack") == OCT


class TestRecords:
    """conflicts(), the records and the diff say why two values conflict."""

    def test_a_conflict_names_its_contradicting_pairs(self):
        """A conflict names its contradicting pairs."""
        knowledge = load_corpus().as_of(dt.date(2017, 10, 4))
        (conflict,) = [
            c for c in knowledge.conflicts() if c.happening.event_id == "asapov-death"
        ]

        assert [(pair.relation, pair.reason) for pair in conflict.pairs] == [
            (CONTRADICTS, "2017-09-23 and 2017-09-24 share no possible day")
        ]
        (record,) = [
            c
            for c in conflicts_record(knowledge)["conflicts"]
            if c["event_id"] == "asapov-death"
        ]
        assert record["pairs"][0]["reason"] == (
            "2017-09-23 and 2017-09-24 share no possible day"
        )

    def test_the_diff_gives_the_reason_of_a_new_conflict(self):
        """The diff gives the reason of a new conflict."""
        log = load_corpus()

        found = diff_record(diff(list(log), dt.date(2017, 9, 30), dt.date(2017, 10, 4)))

        reasons = {
            (c["event_id"], c["field"]): [p["reason"] for p in c["pairs"]]
            for c in found["new_conflicts"]
        }
        assert reasons == {
            # Killed by the shell that killed Asapov: his dates are theirs.
            ("asapov-colonels-deaths", "when"): [
                "2017-09-23 and 2017-09-24 share no possible day"
            ],
            ("asapov-command-post-shelling", "when"): [
                "2017-09-23 and 2017-09-24 share no possible day"
            ],
            ("asapov-death", "when"): [
                "2017-09-23 and 2017-09-24 share no possible day"
            ],
        }
        json.dumps(found)


class TestGazetteer:
    """A gazetteer file becomes Within entries, refused line by line when wrong."""

    def test_a_file_is_read(self, tmp_path):
        """A file is read."""
        path = tmp_path / "places.csv"
        path.write_text(
            "\ufeffname,parent,aliases\nPalmyra,Homs province,Tadmur\n\nSyria,,\n",
            encoding="utf-8",
        )

        found = read_gazetteer(path, report=report("GeoNames", OCT))

        assert [(entry.place, entry.within) for entry in found] == [
            ("Palmyra", "Homs province"),
            ("Tadmur", "Palmyra"),
            ("Palmyra", "Tadmur"),
        ]
        log = attack_log()
        log.extend(found)
        assert relations(log.as_of(OCT)["bombing"], "where")[0][0] is REFINES

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            (",Syria", "needs the place's name"),
            ("a,b,c,d", "expected name, parent, aliases"),
            ("Homs,homs", "cannot lie within itself"),
        ],
    )
    def test_a_bad_row_is_named(self, line, message):
        """A bad row is named."""
        with pytest.raises(InvalidEntryError, match=f"gazetteer line 2: .*{message}"):
            read_gazetteer(["Palmyra,Homs", line], report=report("GeoNames", OCT))


# -- The laws -----------------------------------------------------------------------

days = st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 11, 1))


def pairs_of(knowledge_or_happening):
    """Return every field's pairs as plain data: relation, reason, verdict seq."""
    happenings = (
        [knowledge_or_happening]
        if not hasattr(knowledge_or_happening, "happenings")
        else knowledge_or_happening.happenings
    )
    return {
        (h.event_id, name): [
            (
                pair.relation,
                pair.reason,
                None if pair.verdict is None else pair.verdict.seq,
            )
            for pair in field.pairs
        ]
        for h in happenings
        if h is not None
        for name, field in h.fields.items()
    }


@given(logs(), days)
def test_a_field_is_in_conflict_exactly_when_two_of_its_values_contradict(log, on):
    """The one-pass conflict check agrees with comparing every pair."""
    for found in log.as_of(on):
        for field in found.fields.values():
            assert field.in_conflict is any(
                pair.relation is CONTRADICTS for pair in field.pairs
            )
            assert all(pair.relation is CONTRADICTS for pair in field.contradicting)


@given(logs(), days)
def test_every_path_gives_the_same_relations_and_reasons(log, on):
    """The fold, the index, a snapshot and a point query compare values alike."""
    entries = list(log)
    folded = build_knowledge(entries, as_of=on)
    expected = pairs_of(folded)

    assert pairs_of(log.as_of(on)) == expected
    resumed = KnowledgeIndex.from_snapshot(KnowledgeIndex(entries).snapshot())
    assert pairs_of(resumed.as_of(on)) == expected
    for found in folded:
        point = log.happening(found.event_id, as_of=on)
        assert pairs_of(point) == pairs_of(found)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(logs(), days)
def test_a_sqlite_store_gives_the_same_relations_and_reasons(log, on):
    """Store-native answers compare values as the loaded log does."""
    with (
        tempfile.TemporaryDirectory() as directory,
        SQLiteStore(Path(directory) / "log.sqlite") as store,
    ):
        if len(log):
            store.append(list(log))
        assert pairs_of(as_of(store, on)) == pairs_of(log.as_of(on))
        for event_id in log.event_ids:
            assert pairs_of(happening(store, event_id, as_of=on)) == pairs_of(
                log.happening(event_id, as_of=on)
            )


def refining_claim(found, claim):
    """Return *claim* made to refine every value *found* holds, or None if it cannot.

    Each fact field keeps the claim's value where the field has one value;
    a date becomes one inside every reported date, actors every name
    reported; any other field with several values is left unstated, or the
    claim is given up when the field is required.
    """
    event = claim.event
    changes = {}
    for name in event.fact_fields():
        field = found.fields.get(name)
        if field is None or len(field.values) == 1:
            continue
        values = [value.value for value in field.values]
        if name == "when" and all(isinstance(v, FuzzyDate) for v in values):
            common = values[0]
            for value in values[1:]:
                common = common.intersection(value)
                if common is None:
                    return None
            changes[name] = common
        elif name == "actors":
            changes[name] = tuple(dict.fromkeys(n for v in values for n in v))
        else:
            default = attrs.fields_dict(type(event))[name].default
            if default is attrs.NOTHING:
                return None
            changes[name] = default
    return attrs.evolve(
        event,
        report=report("Refining Outlet", claim.event.report.published_day),
        attribution=(),
        **changes,
    )


@given(logs(), days, st.data())
def test_a_claim_that_only_refines_never_opens_a_conflict(log, on, data):
    """Adding a claim whose every value refines what is known changes no conflict."""
    before = log.as_of(on)
    candidates = [(h, c) for h in before for c in h.claims]
    assume(candidates)
    found, claim = data.draw(st.sampled_from(candidates))
    refining = refining_claim(found, claim)
    assume(refining is not None)
    log.append(refining)

    after = log.as_of(on)[found.event_id]

    for name, field in after.fields.items():
        old = found.fields.get(name)
        assert field.in_conflict is (old is not None and old.in_conflict), name
    assert after.statuses == found.statuses
    kind_values = {
        name: {canonical(field.kind, value.value) for value in field.values}
        for name, field in found.fields.items()
    }
    for name, field in after.fields.items():
        for value in field.values:
            if canonical(field.kind, value.value) not in kind_values.get(name, set()):
                assert all(
                    pair.relation in (SAME, REFINES)
                    for pair in field.pairs
                    if value in (pair.first, pair.second)
                )


def test_analyst_entries_round_trip_through_every_store(tmp_path):
    """Within, Verdict and Revocation are stored and read back unchanged."""
    log = targets_log()
    log.append(verdict(CONTRADICTS))
    judged = log.append(within(dt.date(2017, 10, 3)))
    log.append(
        Revocation(
            event_id="place:Palmyra",
            revokes=judged.seq,
            reason="x",
            report=report(ANALYST, dt.date(2017, 10, 4)),
        )
    )
    for suffix in (".jsonl", ".sqlite"):
        path = tmp_path / f"log{suffix}"
        with EventLog.open(path, clock=FakeClock()) as stored:
            stored.extend([entry.event for entry in log])
        with EventLog.open(path) as reopened:
            assert [e.event for e in reopened] == [e.event for e in log]
            assert pairs_of(reopened.as_of(dt.date(2017, 10, 5))) == pairs_of(
                log.as_of(dt.date(2017, 10, 5))
            )
    assert {entry.event.role for entry in log} == {Role.CLAIM, Role.ANALYST}
    assert isinstance(IndexSnapshot, type)
    assert Source(ANALYST).name == ANALYST


# -- Corners ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Sighting(Event):
    """A type of a user's own, with fields compared exactly."""

    event_type: ClassVar[str] = "_test_analyst_sighting"

    seen: FuzzyDate | str | None = None
    route: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Hunch(AnalystEntry):
    """An analyst entry of a kind the projections do not know."""

    event_type: ClassVar[str] = "_test_analyst_hunch"


def test_verdicts_name_values_of_any_kind_as_their_text(monkeypatch):
    """A verdict names a date, a tuple or an estimate as the command line prints it."""
    monkeypatch.setitem(events_module._REGISTRY, Sighting.event_type, Sighting)
    log = EventLog(clock=FakeClock())
    stated: list[dict[str, Any]] = [
        {"seen": FuzzyDate.month(2017, 9), "route": ("a", "b")},
        {"seen": "September", "route": ("b", "a")},
    ]
    for outlet, facts in zip("AB", stated, strict=True):
        log.append(Sighting(event_id="s", report=report(outlet, OCT), **facts))
    log.append(Attack(event_id="s", report=report("C", OCT), killed=Estimate(best=15)))
    log.append(Attack(event_id="s", report=report("D", OCT), killed=Estimate(best=16)))
    for field, values in (
        ("seen", ("2017-09", "september")),
        ("route", ("a, b", "b, a")),
        ("killed", ("best 15", "best 16")),
    ):
        log.append(
            Verdict(
                event_id="s",
                field=field,
                values=values,
                relation=CONTRADICTS,
                reason="no",
                report=report(ANALYST, OCT),
            )
        )

    found = log.as_of(OCT)["s"]

    assert [field.name for field in found.conflicts] == ["killed", "route", "seen"]


def test_an_analyst_entry_of_an_unknown_kind_changes_nothing(monkeypatch):
    """The fold and the index keep an analyst entry they do not know apart."""
    monkeypatch.setitem(events_module._REGISTRY, Hunch.event_type, Hunch)
    log = attack_log()
    log.append(Hunch(event_id="bombing", report=report(ANALYST, OCT)))

    assert log.as_of(OCT) == build_knowledge(list(log), as_of=OCT)
    assert log.happening("bombing", as_of=OCT) == log.as_of(OCT)["bombing"]


def test_an_index_fed_a_revocation_of_a_claim_ignores_it():
    """Unchecked entries (a store's raw rows) may revoke a claim: nothing follows."""
    log = attack_log()
    revocation = Revocation(
        event_id="bombing", revokes=1, reason="x", report=report(ANALYST, OCT)
    )
    entries = [*log, Entry(3, log[2].recorded_at, revocation)]
    index = KnowledgeIndex(entries)

    index.as_of(OCT)
    later = index.as_of(dt.date(2017, 10, 2))

    assert later == build_knowledge(entries, as_of=dt.date(2017, 10, 2))


def test_the_reference_history_refuses_an_id_only_analyst_entries_name():
    """projections.history, as the log's own, knows no happening of a Within's id."""
    log = attack_log()
    log.append(within(dt.date(2017, 10, 3)))

    with pytest.raises(DanglingReferenceError, match="place:Palmyra"):
        history(list(log), "place:Palmyra")
    assert history(list(log), "bombing") == log.history("bombing")


def test_a_field_built_by_hand_compares_its_values():
    """FieldValues built by hand compare as a happening's, with no context."""
    log = targets_log()
    values = log.as_of(OCT)["bombing"].fields["when"].values
    bare = [Value(value.value, ()) for value in values]

    field = FieldValues("when", values)

    assert field.in_conflict is True
    assert field == log.as_of(OCT)["bombing"].fields["when"]
    assert hash(field) == hash(FieldValues("when", values))
    assert field != "when"
    assert FieldValues("when", tuple(bare)).kind is Kind.DATE


def test_a_claim_without_the_field_has_no_wording_of_it():
    """wording() is None for a field the claim does not state."""
    claim = targets_log()[1]

    assert wording(claim, "where") is None
    assert wording(claim, "target") == "a convoy"
    value = targets_log().as_of(OCT)["bombing"].fields["target"].values[0]
    assert "wording" not in value_record(value)["claims"][0]


def test_a_notebook_table_says_a_field_is_not_in_conflict():
    """A field whose values only differ is shown with the pair's relation."""
    field = targets_log().as_of(OCT)["bombing"].fields["target"]

    table = render_table(field)

    assert "target: not in conflict (text)" in table
    assert "differs: " in table
