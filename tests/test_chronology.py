"""The valid-time order of happenings: layers of what is certainly before what."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from timeline import EventLog, FuzzyDate
from timeline.model.dates import Certainty
from timeline.model.events import Death, Visit, Wounding
from timeline.projections import Chronology, Happening, Layer
from timeline.strategies import logs

from .helpers import FakeClock, day, report

D = dt.date.fromisoformat
MT = report("Military Times", D("2017-10-04"))
days = st.dates(min_value=D("2017-08-31"), max_value=D("2017-10-31"))


def ids(chronology: Chronology) -> list[list[str]]:
    """Return the ids of each layer's happenings."""
    return [[happening.event_id for happening in layer] for layer in chronology.layers]


def certainly_before(first: Happening, second: Happening) -> bool:
    """Return whether the first happening's date is certainly before the second's."""
    assert first.when is not None
    assert second.when is not None
    return first.when.before(second.when) is Certainty.CERTAINLY


@given(logs(), days)
def test_whatever_is_certainly_before_something_comes_before_it(log, on):
    """A happening certainly before another is in an earlier layer, and listed first."""
    order = log.as_of(on).chronology()
    dated = order.happenings
    layer = {h.event_id: order.layer_of(h.event_id) for h in dated}

    misplaced = [
        (first.event_id, second.event_id)
        for i, first in enumerate(dated)
        for j, second in enumerate(dated)
        if certainly_before(first, second)
        and not (layer[first.event_id] < layer[second.event_id] and i < j)
    ]

    assert misplaced == []


@given(logs(), days)
def test_each_happening_is_in_the_first_layer_after_all_certainly_before_it(log, on):
    """No layer holds a certain order, and each layer follows the one before."""
    layers = log.as_of(on).chronology().layers

    for index, layer in enumerate(layers):
        assert not any(certainly_before(a, b) for a in layer for b in layer)
        if index:
            assert all(
                any(certainly_before(a, b) for a in layers[index - 1]) for b in layer
            )


@given(logs(), days)
def test_every_happening_is_placed_once(log, on):
    """The layers hold the dated happenings, the undated ones are apart, none lost."""
    knowledge = log.as_of(on)

    order = knowledge.chronology()

    placed = [h.event_id for h in order.happenings + order.undated]
    assert sorted(placed) == sorted(h.event_id for h in knowledge)
    assert all(h.when is not None for h in order.happenings)
    assert all(h.when is None for h in order.undated)
    assert all(len(layer) > 0 for layer in order.layers)


@given(logs(), days)
def test_a_happening_reaches_the_last_layer_it_is_not_certainly_before(log, on):
    """`reach` is the last layer holding a happening the one asked about may follow."""
    order = log.as_of(on).chronology()

    for happening in order.happenings:
        overlapping = [
            index
            for index, layer in enumerate(order.layers)
            for other in layer
            if not certainly_before(happening, other)
        ]
        assert order.reach(happening.event_id) == max(overlapping)


def test_an_open_ended_date_does_not_join_what_follows_it():
    """A death "since Sept. 1" may follow anything; Sept. 20 still precedes Sept. 30."""
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
            Visit(event_id="d", report=MT, visitor="W"),
        ]
    )

    order = log.as_of(D("2017-10-04")).chronology()

    assert ids(order) == [["a", "b"], ["c"]]
    assert [h.event_id for h in order.undated] == ["d"]
    assert (order.layer_of("a"), order.reach("a")) == (0, 1)
    assert (order.layer_of("b"), order.reach("b")) == (0, 0)


def test_a_month_is_not_placed_before_a_day_it_may_follow():
    """A September visit and a wounding on Sept. 22 share a layer; Oct. 1 follows."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Wounding(event_id="wounded", report=MT, person="X", when=day("2017-09-22")),
            Death(event_id="dead", report=MT, person="X", when=day("2017-10-01")),
            Visit(
                event_id="visit",
                report=MT,
                visitor="Y",
                when=FuzzyDate.month(2017, 9),
            ),
        ]
    )

    order = log.as_of(D("2017-10-04")).chronology()

    assert ids(order) == [["visit", "wounded"], ["dead"]]
    assert [list(layer) for layer in order.layers] == [
        list(layer.happenings) for layer in order.layers
    ]


def test_an_open_start_is_in_the_first_layer():
    """Nothing is certainly before a date "up to Sept. 25"."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(event_id="early", report=MT, person="X", when=day("2017-09-01")),
            Death(
                event_id="open",
                report=MT,
                person="Y",
                when=FuzzyDate.until(D("2017-09-25")),
            ),
            Death(event_id="late", report=MT, person="Z", when=day("2017-09-30")),
        ]
    )

    order = log.as_of(D("2017-10-04")).chronology()

    assert ids(order) == [["open", "early"], ["late"]]
    assert order.reach("open") == 0


def test_nothing_is_placed_for_an_unknown_or_undated_happening():
    """`layer_of` and `reach` say None for a happening that has no layer."""
    log = EventLog(clock=FakeClock())
    log.append(Visit(event_id="undated", report=MT, visitor="W"))

    order = log.as_of(D("2017-10-04")).chronology()

    assert order == Chronology(layers=(), undated=order.undated)
    assert (order.layer_of("undated"), order.reach("undated")) == (None, None)
    assert (order.layer_of("nobody"), order.reach("nobody")) == (None, None)
    assert Layer(()).happenings == ()
