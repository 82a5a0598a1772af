import datetime as dt
from typing import ClassVar

import attrs
import pytest

from timeline import Event
from timeline.errors import InvalidEntryError, UnknownEventTypeError
from timeline.model.events import (
    PROVENANCE_FIELDS,
    Death,
    Denial,
    Estimate,
    Role,
    SameAs,
    event_type_for,
    registered_event_types,
)
from timeline.model.sources import Source

from .helpers import day, report

MT = report("Military Times", dt.date(2017, 10, 4))


@attrs.frozen(kw_only=True)
class Ceasefire(Event):
    """A user-declared type, declared here exactly as a user would."""

    event_type: ClassVar[str] = "test_ceasefire"

    parties: tuple[str, ...] = attrs.field(converter=tuple)


def test_user_declared_type_registers_itself():
    """Subclassing Event is all it takes to declare a type."""
    assert registered_event_types()["test_ceasefire"] is Ceasefire


def test_builtin_types_have_stable_tags():
    """The stored tags of the built-in types do not follow class names."""
    assert event_type_for("casualty_report").__name__ == "CasualtyReport"


def test_unknown_tag_is_a_lookup_error():
    """An unknown tag names itself and lists what is known."""
    with pytest.raises(UnknownEventTypeError, match=r"'parade'.*death"):
        event_type_for("parade")


def test_type_without_its_own_tag_is_refused():
    """A subclass that inherits its tag would be stored as its parent."""
    with pytest.raises(TypeError, match="must set its own event_type"):

        @attrs.frozen(kw_only=True)
        class Funeral(Death):
            cemetery: str


def test_tag_cannot_be_taken_twice():
    """Two classes cannot share one stored tag."""
    with pytest.raises(TypeError, match="'death' is already registered"):

        @attrs.frozen(kw_only=True)
        class OtherDeath(Event):
            event_type: ClassVar[str] = "death"


def test_claimant_is_the_end_of_the_attribution_chain():
    """Military Times citing TASS quoting the MoD: the MoD makes the claim."""
    claim = Death(
        event_id="asapov-death",
        report=MT,
        person="Valery Asapov",
        attribution=[Source("TASS"), Source("Russian Ministry of Defence")],
    )

    assert claim.claimant == Source("Russian Ministry of Defence")


def test_claimant_defaults_to_the_outlet():
    """An unattributed claim is the outlet's own."""
    claim = Death(event_id="asapov-death", report=MT, person="Valery Asapov")

    assert claim.claimant == Source("Military Times")


def test_facts_leave_out_provenance_and_empty_fields():
    """Facts are what was claimed, not who claimed it."""
    claim = Death(
        event_id="asapov-death",
        report=MT,
        person="Valery Asapov",
        when=day("2017-09-24"),
        quote="was killed",
    )

    assert claim.facts() == {"when": day("2017-09-24"), "person": "Valery Asapov"}
    assert not PROVENANCE_FIELDS & set(Death.fact_fields())


def test_roles_group_the_types():
    """Denials answer a happening; merges are the analyst's."""
    assert (Death.role, Denial.role, SameAs.role) == (
        Role.CLAIM,
        Role.RESPONSE,
        Role.ANALYST,
    )


def test_responses_reference_their_happening():
    """A denial must be about a happening the log holds."""
    denial = Denial(event_id="amaq-capture", report=MT, denied_by="Russian MoD")

    assert denial.referenced_event_ids() == ("amaq-capture",)


@pytest.mark.parametrize("event_id", ["", "  ", 7])
def test_blank_event_id_is_refused(event_id):
    """Every claim names its happening."""
    with pytest.raises(InvalidEntryError, match=r"Death\.event_id"):
        Death(event_id=event_id, report=MT, person="Valery Asapov")


class TestEstimate:
    """Casualty figures as low, best and high."""

    def test_exactly_sets_all_three(self):
        """'65 troops' is 65 at every bound."""
        assert Estimate.exactly(65) == Estimate(low=65, best=65, high=65)

    def test_prints_plainly(self):
        """An exact figure prints as a number, a range with its labels."""
        assert (str(Estimate.exactly(2)), str(Estimate(low=11))) == ("2", "low 11")

    @pytest.mark.parametrize(
        ("figures", "match"),
        [
            ({}, "at least one"),
            ({"best": -1}, r"Estimate\.best must be a whole number >= 0, got -1"),
            ({"low": True}, r"Estimate\.low"),
            ({"high": 2.5}, r"Estimate\.high"),
        ],
    )
    def test_bad_figures_are_refused(self, figures, match):
        """Figures are whole and non-negative, and at least one is given."""
        with pytest.raises(InvalidEntryError, match=match):
            Estimate(**figures)

    @pytest.mark.parametrize(
        ("figures", "consistent"),
        [
            ({"low": 334, "best": 333, "high": 3}, False),
            ({"low": 4, "best": 4, "high": 3}, False),
            ({"low": 5, "high": 3}, False),
            ({"best": 7, "high": 6}, False),
            ({"low": 3, "best": 3, "high": 5}, True),
            ({"low": 3, "high": 5}, True),
            ({"best": 9}, True),
        ],
    )
    def test_figures_out_of_order_are_kept_and_marked(self, figures, consistent):
        """A source's figures out of order are kept as given, and marked."""
        estimate = Estimate(**figures)

        assert (estimate.low, estimate.best, estimate.high) == (
            figures.get("low"),
            figures.get("best"),
            figures.get("high"),
        )
        assert estimate.consistent is consistent
        assert str(estimate).endswith("(inconsistent: out of order)") is not consistent

    def test_an_inconsistent_estimate_prints_its_figures_and_the_mark(self):
        """The text shows every figure as given, then the mark."""
        text = str(Estimate(low=334, best=333, high=3))

        assert text == "low 334, best 333, high 3 (inconsistent: out of order)"
