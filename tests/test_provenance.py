"""Who said it: outlets and claimants, and what one source stated or denied."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, EventLog
from timeline.corpus import load_corpus
from timeline.model.events import Confirmation, Death, Denial, Retraction
from timeline.model.sources import Source
from timeline.projections import SourceAccount
from timeline.strategies import logs

from .helpers import FakeClock, day, report

D = dt.date.fromisoformat
DEBKA = report("DEBKA Weekly", D("2017-09-28"))
MT = report("Military Times", D("2017-10-04"))
LATER = report("Military Times", D("2017-10-10"))
OCT_4 = load_corpus().as_of(D("2017-10-04"))
days = st.dates(min_value=D("2017-08-31"), max_value=D("2017-10-31"))


def seqs(accounts: tuple[SourceAccount, ...]) -> dict[str, tuple[list[int], ...]]:
    """Return each account's claims, withdrawn claims and responses, as seqs."""
    return {
        account.happening.event_id: (
            [entry.seq for entry in account.claims],
            [entry.seq for entry in account.withdrawn],
            [entry.seq for entry in account.responses],
        )
        for account in accounts
    }


class TestOutletsAndClaimants:
    """A value names who published it and who originally said it, apart."""

    def test_the_outlet_published_and_the_claimant_said_it(self):
        """Military Times published Sept. 24; TASS, which it cites, said it."""
        values = OCT_4["asapov-death"].fields["when"].values

        assert [
            ([s.name for s in value.outlets], [s.name for s in value.claimants])
            for value in values
        ] == [
            (["DEBKA Weekly"], ["DEBKA Weekly"]),
            (["Military Times"], ["TASS"]),
        ]

    def test_sources_still_works_with_a_warning(self):
        """The old name gives the claimants, and says which name to use."""
        value = OCT_4["asapov-death"].fields["when"].values[1]

        with pytest.warns(DeprecationWarning, match=r"use Value\.claimants"):
            sources = value.sources

        assert sources == value.claimants == (Source("TASS", kind="state media"),)


class TestBySource:
    """`Knowledge.by_source`: what a source stated, denied or was quoted on."""

    def test_the_ministry_s_denial_is_found_at_the_end_of_a_chain(self):
        """Reuters quoting the Russian Ministry of Defense: the denial is its own."""
        accounts = OCT_4.by_source(" russian  ministry OF defense ")

        (capture,) = (a for a in accounts if a.happening.event_id == "amaq-capture")
        assert seqs((capture,)) == {"amaq-capture": ([], [], [85])}
        assert capture.source == " russian  ministry OF defense "
        assert capture.entries == capture.responses
        assert len(accounts) == 15

    def test_an_outlet_is_a_source(self):
        """Everything DEBKA Weekly published, as of the day it was published."""
        accounts = (
            load_corpus().as_of(D("2017-09-28")).by_source(Source("DEBKA Weekly"))
        )

        assert sum(len(account.claims) for account in accounts) == 36
        assert all(
            entry.event.report.outlet.name == "DEBKA Weekly"
            for account in accounts
            for entry in account.entries
        )

    def test_nobody_said_nothing(self):
        """A source named nowhere has no accounts."""
        assert OCT_4.by_source("nobody") == ()

    def test_withdrawn_claims_and_responses_are_kept_as_such(self):
        """A retracted claim, the retraction and a party's denial are each named."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [
                Death(
                    event_id="d",
                    report=MT,
                    person="X",
                    when=day("2017-09-30"),
                    attribution=[Source("TASS")],
                ),
                Death(event_id="d", report=DEBKA, person="X", when=day("2017-09-23")),
                Denial(event_id="d", report=DEBKA, denied_by="tass"),
                Confirmation(event_id="d", report=DEBKA, confirmed_by="Someone"),
                Retraction(event_id="d", report=LATER),
            ]
        )
        knowledge = log.as_of(D("2017-10-10"))

        assert seqs(knowledge.by_source("TASS")) == {"d": ([], [1], [3])}
        assert seqs(knowledge.by_source("Military Times")) == {"d": ([], [1], [5])}
        assert seqs(knowledge.by_source("someone")) == {"d": ([], [], [4])}


def names(entry: Entry) -> set[str]:
    """Return the names an entry gives its sources, folded."""
    event = entry.event
    found = [event.report.outlet.name, *(source.name for source in event.attribution)]
    found += [
        party
        for party in (
            getattr(event, "denied_by", None),
            getattr(event, "confirmed_by", None),
        )
        if party is not None
    ]
    return {" ".join(name.split()).casefold() for name in found}


@given(logs(), days, st.data())
def test_by_source_finds_every_entry_naming_the_source_and_no_other(log, on, data):
    """Each entry is in a source's accounts exactly when it names that source."""
    knowledge = log.as_of(on)
    everyone = sorted(
        {
            name
            for happening in knowledge
            for entry in happening.claims
            for name in names(entry)
        }
    )
    name = data.draw(st.sampled_from([*everyone, "nobody"]))
    wanted = " ".join(name.split()).casefold()

    accounts = knowledge.by_source(f"  {name} ")

    found = {entry.seq for account in accounts for entry in account.entries}
    assert found == {
        entry.seq
        for happening in knowledge
        for entry in happening.claims + happening.withdrawn + happening.responses
        if wanted in names(entry)
    }
    assert [account.happening for account in accounts] == [
        happening
        for happening in knowledge
        if any(account.happening is happening for account in accounts)
    ]
