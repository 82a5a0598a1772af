"""Rebuttals dispute what an accusation says; hedges keep a claim at a distance."""

import datetime as dt
import itertools
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import DanglingReferenceError
from timeline.importers import read_sheet
from timeline.model.events import (
    Accusation,
    Denial,
    Rebuttal,
    Retraction,
    Role,
    Statement,
    registered_event_types,
)
from timeline.model.sources import Credibility, Hedge, Reliability
from timeline.projections import Status
from timeline.serialization import Codec
from timeline.stores import JsonlStore, MemoryStore, SQLiteStore, Store
from timeline.strategies import events, logs
from timeline.views.html import render_html
from timeline.views.records import (
    citation,
    claim_rows,
    happening_record,
    knowledge_record,
)
from timeline.views.text import knowledge_text

from .helpers import FakeClock, day, report

CORPUS = load_corpus()
OBSTACLE = "russian-mod-statement-us-obstacle"
OCT_4 = dt.date(2017, 10, 4)
DATA = Path(__file__).parent / "data"


def accusation(published: dt.date) -> Accusation:
    """Return the Ministry's accusation, as a report of *published* tells it."""
    return Accusation(
        event_id="aiding-isis",
        report=report("Military Times", published),
        accuser="Russian Ministry of Defense",
        accused="United States",
        allegation="aiding ISIS",
    )


def rebuttal(published: dt.date, **fields: object) -> Rebuttal:
    """Return the coalition's rebuttal of it, published on *published*."""
    return Rebuttal(
        event_id="aiding-isis",
        report=report("Military Times", published),
        rebutted_by="Operation Inherent Resolve",
        **fields,  # type: ignore[arg-type]
    )


# -- The corpus: Col. Dillon's rebuttal of the Russian Ministry's statement ------


def test_dillon_s_rebuttal_disputes_the_ministry_s_statement():
    """Both sides: the Ministry's claims, and the coalition's rebuttal, each dated."""
    happening = CORPUS.as_of(OCT_4)[OBSTACLE]

    (entry,) = happening.rebuttals
    rebuttal = entry.event
    assert isinstance(rebuttal, Rebuttal)
    assert (happening.status, happening.conflicts) == (Status.DISPUTED, ())
    assert [claim.seq for claim in happening.claims] == [76, 79]
    assert {claim.event.claimant.name for claim in happening.claims} == {
        "Military Times",
        "Russian Ministry of Defense",
    }
    assert entry.seq == 112
    assert (rebuttal.rebutted_by, rebuttal.claimant.name) == (
        "Operation Inherent Resolve",
        "Ryan Dillon",
    )
    assert (rebuttal.quote or "").startswith("“To say the Coalition is an obstacle")
    assert {claim.event.report.published_day for claim in happening.claims} == {OCT_4}
    assert entry.event.report.published_day == OCT_4


def test_before_the_rebuttal_was_recorded_the_statement_is_only_reported():
    """Pinned to the log before entry 112, nothing disputes the statement."""
    happening = CORPUS.as_of(OCT_4, seq=111)[OBSTACLE]

    assert (happening.status, happening.rebuttals) == (Status.REPORTED, ())


def test_the_rebuttal_follows_the_verdicts_and_is_the_corpus_s_only_one():
    """Appended after the verdicts; Dillon's words stay a statement of their own."""
    rebuttals = [entry for entry in CORPUS if isinstance(entry.event, Rebuttal)]

    assert [(entry.seq, entry.event.event_id) for entry in rebuttals] == [
        (112, OBSTACLE)
    ]
    # then the analyst's SameEntity (113) and the links the articles state
    assert CORPUS.last_seq == 121
    assert CORPUS.as_of(OCT_4)["oir-response-to-russian-mod"].status is Status.REPORTED


def test_the_coalition_is_found_as_the_rebutting_party():
    """by_source finds the party named by rebutted_by, and the spokesman quoted."""
    knowledge = CORPUS.as_of(OCT_4)

    (account,) = knowledge.by_source("Operation Inherent Resolve")
    quoted = {a.happening.event_id: a for a in knowledge.by_source("Ryan Dillon")}

    assert account.happening.event_id == OBSTACLE
    assert [entry.seq for entry in account.responses] == [112]
    assert [entry.seq for entry in quoted[OBSTACLE].responses] == [112]


def test_known_shows_both_sides(capsys):
    """The text names who rebutted and what they said, beside whose claims."""
    assert main(["known", "--on", "2017-10-04", "--about", OBSTACLE]) == 0
    out = capsys.readouterr().out

    assert f"{OBSTACLE}  [statement]  DISPUTED" in out
    assert (
        "    REBUTTAL   by Operation Inherent Resolve: to say the coalition is an "
        "obstacle to defeating ISIS\n"
        "               is absurd; per Military Times (citing Ryan Dillon), "
        "published 2017-10-04\n"
    ) in out
    assert (
        "    claims     per Military Times, published 2017-10-04\n"
        "               per Military Times (citing Russian Ministry of Defense), "
        "published 2017-10-04\n"
    ) in out


def test_the_json_record_keeps_the_rebuttal_among_the_responses():
    """--json: the status and the rebuttal's facts, as any response's."""
    record = happening_record(CORPUS.as_of(OCT_4)[OBSTACLE])

    (response,) = record["responses"]
    assert (record["status"], record["statuses"]) == (
        "disputed",
        ["disputed", "reported"],
    )
    assert (response["event_type"], response["role"]) == ("rebuttal", "response")
    assert response["facts"] == {
        "rebutted_by": "Operation Inherent Resolve",
        "summary": "to say the coalition is an obstacle to defeating ISIS is absurd",
    }


def test_the_html_page_names_the_rebutting_party():
    """The response's card says who rebutted, and what."""
    page = render_html(CORPUS, about=OBSTACLE)

    assert (
        "rebutted by Operation Inherent Resolve: to say the coalition is an "
        "obstacle to defeating ISIS is absurd"
    ) in page


# -- The fold ------------------------------------------------------------------


def test_a_rebuttal_counts_from_its_publication_day_not_before():
    """Disputed from the day the rebuttal was published; reported until then."""
    log = EventLog(clock=FakeClock())
    log.append(accusation(dt.date(2017, 10, 4)))
    log.append(rebuttal(dt.date(2017, 10, 6), summary="absurd"))

    assert log.as_of(dt.date(2017, 10, 5))["aiding-isis"].status is Status.REPORTED
    assert log.as_of(dt.date(2017, 10, 6))["aiding-isis"].status is Status.DISPUTED


def test_a_rebuttal_is_not_a_denial():
    """The accusation was made: a rebuttal disputes it, a denial denies it."""
    log = EventLog(clock=FakeClock())
    log.append(accusation(OCT_4))
    log.append(rebuttal(OCT_4))
    rebutted = log.as_of(OCT_4)["aiding-isis"]
    log.append(
        Denial(event_id="aiding-isis", report=report("TASS", OCT_4), denied_by="X")
    )

    assert rebutted.statuses == {Status.DISPUTED, Status.REPORTED}
    assert rebutted.denials == ()
    assert log.as_of(OCT_4)["aiding-isis"].status is Status.DENIED


def test_a_rebuttal_of_a_retracted_accusation_disputes_nothing():
    """With no live claim left, the rebuttal stays on record and disputes nothing."""
    log = EventLog(clock=FakeClock())
    log.append(accusation(OCT_4))
    log.append(rebuttal(OCT_4))
    log.append(
        Retraction(
            event_id="aiding-isis",
            report=report("Military Times", dt.date(2017, 10, 5)),
        )
    )
    happening = log.as_of(dt.date(2017, 10, 5))["aiding-isis"]

    assert happening.statuses == {Status.RETRACTED, Status.REPORTED}
    assert len(happening.rebuttals) == 1


def test_a_rebuttal_needs_the_happening_it_answers():
    """Like every response, it refers to a happening already in the log."""
    with pytest.raises(DanglingReferenceError, match="aiding-isis"):
        EventLog().append(rebuttal(OCT_4))


DAYS = st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 11, 1))


@given(log=logs(types=[Accusation, Statement]), published=DAYS, known=DAYS)
def test_a_rebuttal_never_counts_before_its_publication_day(log, published, known):
    """Disputed only by a conflict, or by a rebuttal published by then of live claims.

    Besides the rebuttals the log draws, one more is published on *published*
    about the first happening the log knows.
    """
    if log.event_ids:
        log.append(
            Rebuttal(
                event_id=min(log.event_ids),
                report=report("Delta Wire", published),
                rebutted_by="Delta",
            )
        )
    for happening in log.as_of(known).happenings:
        days = [entry.event.report.published_day for entry in happening.rebuttals]
        assert all(day <= known for day in days)
        rebutted = bool(days) and bool(happening.claims)
        assert (Status.DISPUTED in happening.statuses) == (
            rebutted or bool(happening.conflicts)
        )


# -- Hedges --------------------------------------------------------------------

HEDGED = {
    22: Hedge.POSSIBLE,
    26: Hedge.RUMOURED,
    62: Hedge.CLAIMED,
    84: Hedge.CLAIMED,
    94: Hedge.ALLEGED,
    95: Hedge.ALLEGED,
}
GRADED = {
    22: (Reliability.F, None),
    26: (Reliability.F, Credibility.CANNOT_BE_JUDGED),
    30: (Reliability.F, Credibility.CANNOT_BE_JUDGED),
    81: (Reliability.D, None),
    82: (Reliability.D, Credibility.DOUBTFUL),
    84: (Reliability.D, Credibility.DOUBTFUL),
}


def test_the_corpus_marks_where_the_articles_hedge():
    """Six claims, each hedged in its own quote's words; docs/corpus.md says why."""
    words = {
        Hedge.POSSIBLE: "may have been",
        Hedge.RUMOURED: "Claims are circulating",
        Hedge.CLAIMED: "claim",
        Hedge.ALLEGED: "alleged",
    }
    hedged = {entry.seq: entry.event.hedge for entry in CORPUS if entry.event.hedge}

    assert hedged == HEDGED
    for seq, hedge in hedged.items():
        assert words[hedge] in (CORPUS[seq].event.quote or "")


def test_the_corpus_grades_what_the_articles_support():
    """Admiralty grades: unnamed sources F, Amaq's claims D, its capture doubtful."""
    graded = {
        entry.seq: (entry.event.reliability, entry.event.credibility)
        for entry in CORPUS
        if entry.event.reliability or entry.event.credibility
    }

    assert graded == GRADED


def test_known_shows_the_hedge_beside_the_claim(capsys):
    """In brackets after the citation, wherever the claim is cited."""
    assert main(["known", "--on", "2017-10-04", "--about", "sdf-sept-25"]) == 0
    out = capsys.readouterr().out

    assert "claims     per Military Times, published 2017-10-04 [alleged]" in out


def test_the_records_and_the_page_keep_the_hedge():
    """--json has "hedge" with each claim, the table rows too; the page says it."""
    knowledge = CORPUS.as_of(OCT_4)
    record = happening_record(knowledge["khirbet-al-joz-refugee-shooting"])
    rows = [row for row in claim_rows(knowledge) if row["seq"] in (26, 27)]
    page = render_html(CORPUS, about="khirbet")

    assert [claim["hedge"] for claim in record["claims"]] == ["rumoured", None]
    killed = record["fields"]["killed"]["values"][0]["claims"]
    assert [(claim["seq"], claim["hedge"]) for claim in killed] == [(26, "rumoured")]
    assert [row["hedge"] for row in rows] == ["rumoured", None]
    assert "hedged by the report: rumoured" in page
    assert "reliability F, credibility 6" in page


def test_a_value_says_how_its_claims_are_hedged():
    """Value.hedges lists each hedge once; hedged when no claim states it flat."""
    knowledge = CORPUS.as_of(OCT_4)
    shooting = knowledge["khirbet-al-joz-refugee-shooting"].fields
    capture = knowledge["amaq-capture"].fields

    (killed,) = shooting["killed"].values
    (captor,) = capture["captor"].values
    assert (killed.hedges, killed.hedged) == ((Hedge.RUMOURED,), True)
    assert (captor.hedges, captor.hedged) == ((Hedge.CLAIMED,), False)
    assert (shooting["where"].values[0].hedges, shooting["where"].values[0].hedged) == (
        (),
        False,
    )


def test_the_citation_brackets_the_hedge():
    """Who, when, and how hedged, in words."""
    assert citation(CORPUS[95]) == "per Military Times, published 2017-10-04 [alleged]"
    assert citation(CORPUS[96]).endswith("published 2017-10-04")


def test_a_sheet_row_may_say_how_the_article_hedges(tmp_path):
    """The hedge column takes a Hedge value, in any case; anything else is refused."""
    path = tmp_path / "sheet.csv"
    path.write_text(
        "event_id,type,outlet,published,hedge,attacker\n"
        "strike,attack,Military Times,2017-10-04,Alleged,Russian aircraft\n"
        "strike,attack,Military Times,2017-10-04,maybe,Russian aircraft\n",
        encoding="utf-8",
    )

    batch = read_sheet(path)

    assert [claim.hedge for claim in batch.claims] == [Hedge.ALLEGED]
    (reject,) = batch.rejects
    assert (reject.row, reject.column) == (3, "hedge")
    assert "expected one of alleged, claimed, unconfirmed, rumoured, possible" in (
        reject.reason
    )


def test_a_stored_entry_without_a_hedge_reads_and_writes_as_before():
    """Old payloads have no "hedge" key: read as None, written without it."""
    codec = Codec()
    stored = json.loads((DATA / "denial.v1.json").read_text(encoding="utf-8"))

    event = codec.event_from_dict(stored, where="denial.v1.json")

    assert event.hedge is None
    assert "hedge" not in codec.event_to_dict(event)["payload"]
    hedged = codec.event_to_dict(attrs.evolve(event, hedge=Hedge.UNCONFIRMED))
    assert hedged["payload"]["hedge"] == "unconfirmed"
    assert codec.event_from_dict(hedged, where="test") == attrs.evolve(
        event, hedge=Hedge.UNCONFIRMED
    )


def test_a_hedge_is_checked_as_the_event_is_built():
    """A string where a Hedge belongs is refused by name."""
    with pytest.raises(TypeError, match=r"Statement\.hedge"):
        Statement(
            event_id="x",
            report=report("A", OCT_4),
            speaker="B",
            hedge="alleged",  # type: ignore[arg-type]
        )


CLAIM_TYPES = [
    cls for cls in registered_event_types().values() if cls.role is Role.CLAIM
]
_FILES = itertools.count()


def _store(kind: str, directory: Path) -> Store:
    if kind == "memory":
        return MemoryStore()
    if kind == "jsonl":
        return JsonlStore(directory / f"{next(_FILES)}.jsonl")
    return SQLiteStore(directory / f"{next(_FILES)}.sqlite")


def _reopened(store: Store) -> Store:
    # The same file, opened anew, so what is read back comes from the disk.
    if isinstance(store, JsonlStore):
        return JsonlStore(store.path)
    assert isinstance(store, SQLiteStore)
    return SQLiteStore(store.path)


@pytest.mark.parametrize("kind", ["memory", "jsonl", "sqlite"])
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # Each example writes and syncs a file: shrinking would take minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    claims=st.lists(
        st.tuples(events(types=CLAIM_TYPES), st.none() | st.sampled_from(Hedge)),
        min_size=1,
        max_size=4,
    )
)
def test_a_hedge_round_trips_through_every_store(kind, tmp_path, claims):
    """Written and read back, every claim keeps its hedge, or its lack of one."""
    log = EventLog(clock=FakeClock())
    for event, hedge in claims:
        log.append(attrs.evolve(event, hedge=hedge))
    store = _store(kind, tmp_path)
    store.append(list(log))
    if kind != "memory":
        store.close()
        store = _reopened(store)
    with store:
        read = list(store.read())

    assert [entry.event.hedge for entry in read] == [hedge for _, hedge in claims]
    assert read == list(log)


def test_a_claim_built_with_a_hedge_keeps_it_in_the_fold():
    """The hedge is provenance: not a fact, and not compared."""
    log = EventLog(clock=FakeClock())
    flat = Statement(
        event_id="s", report=report("A", OCT_4), speaker="B", when=day("2017-10-03")
    )
    log.append(flat)
    log.append(attrs.evolve(flat, hedge=Hedge.ALLEGED, report=report("C", OCT_4)))

    (when,) = log.as_of(OCT_4)["s"].fields["when"].values
    assert "hedge" not in flat.facts()
    assert (when.hedges, when.hedged) == ((Hedge.ALLEGED,), False)


def test_known_full_shows_a_claim_s_grades(capsys):
    """--full: under each claim, its Admiralty grades when it has any."""
    assert (
        main(["known", "--on", "2017-10-04", "--about", "amaq-capture", "--full"]) == 0
    )
    out = capsys.readouterr().out

    assert out.count("graded: reliability D, credibility 4") == 2


def test_a_graded_claim_without_a_quote_or_note_shows_its_grades_alone():
    """The grades line stands on its own when the claim has no words to show."""
    log = EventLog(clock=FakeClock())
    log.append(
        attrs.evolve(
            accusation(OCT_4),
            reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE,
        )
    )
    lines = list(knowledge_text(knowledge_record(log.as_of(OCT_4)), total=1, full=True))

    assert lines[-2:] == [
        "    claims      per Military Times, published 2017-10-04",
        "                  graded: reliability B, credibility 2",
    ]
