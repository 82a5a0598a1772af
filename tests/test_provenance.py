"""Who said it: outlets and claimants."""

import datetime as dt

import pytest

from timeline.corpus import load_corpus
from timeline.model.sources import Source

D = dt.date.fromisoformat
OCT_4 = load_corpus().as_of(D("2017-10-04"))


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
