"""The fast paths of the Knowledge fold change no answer and leave no trace."""

import datetime as dt
import gc
from typing import ClassVar

import attrs
import pytest

from timeline import Event, EventLog
from timeline.events import SameAs, Split
from timeline.knowledge import build_knowledge

from .helpers import FakeClock, report


@attrs.frozen(kw_only=True)
class Rumour(Event):
    """A user type that states its facts in a form of its own."""

    event_type: ClassVar[str] = "test_rumour"

    gist: str

    def facts(self) -> dict[str, object]:
        """Return the gist in capitals, as this type's facts."""
        return {"gist": self.gist.upper()}


def test_a_type_that_states_its_facts_itself_is_asked():
    """A class overriding facts() has its own facts in Knowledge."""
    log = EventLog(clock=FakeClock())
    log.append(Rumour(event_id="r", report=report("A", dt.date(2017, 1, 1)), gist="x"))

    (value,) = log.as_of(dt.date(2017, 1, 1))["r"].fields["gist"].values

    assert value.value == "X"


@pytest.mark.parametrize("enabled", [True, False])
def test_folding_leaves_the_garbage_collector_as_it_was(enabled):
    """The collector is paused while folding, then left on or off as it was."""
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        build_knowledge([], as_of=dt.date(2017, 1, 1))

        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_split_known_before_an_earlier_merge_does_not_undo_it():
    """Merges and splits count in knowledge order, not in the order appended."""
    log = EventLog(clock=FakeClock())
    for event_id in ("a", "b"):
        log.append(
            Rumour(event_id=event_id, report=report("A", dt.date(2017, 1, 1)), gist="x")
        )
    log.append(
        SameAs(
            event_id="a", other_event_id="b", report=report("A", dt.date(2017, 1, 9))
        )
    )
    log.append(
        Split(event_id="a", other_event_id="b", report=report("A", dt.date(2017, 1, 5)))
    )
    day = dt.date(2017, 1, 10)

    merged = log.happening("b", as_of=day)

    assert merged == log.as_of(day)["b"]
    assert merged is not None
    assert merged.event_ids == {"a", "b"}
