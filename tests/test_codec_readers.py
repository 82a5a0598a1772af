"""The codec's direct readers decode exactly what its cattrs converter decodes."""

import datetime as dt
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, Event
from timeline.errors import TimelineError
from timeline.model.events import Attack, Estimate
from timeline.model.sources import Report, Source
from timeline.serialization import Codec, make_converter
from timeline.strategies import events

from .helpers import day, report

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@attrs.frozen(kw_only=True)
class Tally(Event):
    """A user-declared type with a field the direct readers leave to cattrs."""

    event_type: ClassVar[str] = "test_reader_tally"

    counted: bool = False


@attrs.frozen(kw_only=True)
class Either(Event):
    """A user-declared type with an optional union of two types."""

    event_type: ClassVar[str] = "test_reader_either"

    pair: tuple[str, bool] | None = None
    figure: int | str | None = None


def outcome(codec: Codec, payload: object, cls: type[Event]) -> tuple[str, object]:
    """Return what decoding gives: the event, or the error's type and message."""
    version = cls.schema_version
    envelope = {"type": cls.event_type, "schema_version": version, "payload": payload}
    try:
        return "event", codec.event_from_dict(envelope)
    except (TimelineError, TypeError, ValueError) as error:
        return type(error).__name__, str(error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


@given(events())
def test_direct_readers_decode_what_cattrs_decodes(event):
    """Every event of every type reads back equal, with and without the readers."""
    direct, plain = Codec(), Codec(make_converter())
    envelope = direct.event_to_dict(event)

    assert direct.event_from_dict(envelope) == plain.event_from_dict(envelope) == event


@given(events(), st.data())
def test_a_damaged_payload_fails_as_cattrs_fails(event, data):
    """Whatever is put in a field, or left out, both paths agree to the letter."""
    direct, plain = Codec(), Codec(make_converter())
    payload: dict[str, Any] = direct.event_to_dict(event)["payload"]
    paths = [[key] for key in payload] + [
        [key, inner]
        for key, value in payload.items()
        if isinstance(value, dict)
        for inner in value
    ]
    path = data.draw(st.sampled_from(paths))
    target = payload
    for key in path[:-1]:
        target = target[key]
    if data.draw(st.booleans()):
        target[path[-1]] = data.draw(json_values)
    else:
        del target[path[-1]]

    expected = outcome(plain, payload, type(event))

    assert outcome(direct, payload, type(event)) == expected


@pytest.mark.parametrize(
    "change",
    [
        {"extra": 1},
        {"report": {"outlet": {"name": "A", "kind": 3}, "published": "2017-10-04"}},
        {"report": {"outlet": "A", "published": "2017-10-04"}},
        {"report": {"outlet": {"name": "A"}, "published": "2017-10-04T09:00"}},
        {"report": {"outlet": {"name": "A"}, "published": 20171004}},
        {
            "report": {
                "outlet": {"name": "A"},
                "published": "2017-10-04",
                "published_range": ["2017-10-03"],
            }
        },
        {
            "report": {
                "outlet": {"name": "A"},
                "published": "2017-10-04",
                "published_range": "2017-10-03",
            }
        },
        {"when": {"edtf": "2017-09", "phrase": 3}},
        {"when": ["2017-09"]},
        {"when": "2017-13"},
        {"killed": {"best": True}},
        {"killed": {"best": "3"}},
        {"killed": [3]},
        {"actors": "ab"},
        {"reliability": "Z"},
        {"credibility": True},
        {"attacker": 3},
    ],
)
def test_refusals_are_explained_as_cattrs_explains_them(change):
    """A payload the readers refuse is decoded by cattrs, errors and all."""
    payload = (
        Codec().event_to_dict(
            Attack(event_id="a", report=report("A", dt.date(2017, 10, 4)))
        )["payload"]
        | change
    )

    expected = outcome(Codec(make_converter()), payload, Attack)

    assert outcome(Codec(), payload, Attack) == expected


@pytest.mark.parametrize(
    "event",
    [
        Tally(event_id="t", report=report("A", dt.date(2017, 1, 1)), counted=True),
        Either(event_id="e", report=report("A", dt.date(2017, 1, 1)), figure=3),
        Either(event_id="e", report=report("A", dt.date(2017, 1, 1)), pair=("a", True)),
    ],
)
def test_types_the_readers_do_not_know_go_to_cattrs(event):
    """A user type with a field the readers do not read still round-trips."""
    codec = Codec()

    assert codec.event_from_dict(codec.event_to_dict(event)) == event


def test_equal_values_read_twice_are_shared():
    """Sources, days, fuzzy dates, estimates and short texts are read once."""
    codec = Codec()
    quote = "a long quote that is certainly longer than sixty-four characters, yes"
    attack = Attack(
        event_id="a",
        report=report("A", dt.date(2017, 10, 4)),
        when=day("2017-09-23").with_phrase("on Saturday", anchor=dt.date(2017, 9, 25)),
        killed=Estimate(best=3),
        attacker="Somebody",
        quote=quote,
    )
    first, second = (
        codec.entry_from_dict(codec.entry_to_dict(Entry(seq, START, attack)))
        for seq in (1, 2)
    )
    one: Any = first.event
    two: Any = second.event

    assert one == two == attack
    assert one.report.outlet is two.report.outlet
    assert one.report.published is two.report.published
    assert one.when is two.when
    assert one.killed is two.killed
    assert one.attacker is two.attacker
    assert first.recorded_at is second.recorded_at


def test_shared_values_are_forgotten_past_a_bound(monkeypatch):
    """The tables of shared values are emptied when full, and reads stay right."""
    monkeypatch.setattr("timeline.serialization._readers._SHARED_MAX", 1)
    codec = Codec()
    attacks = [
        Attack(
            event_id="a",
            report=Report(outlet=Source(name), published=dt.date(2017, 10, n)),
            when=day(f"2017-09-{n:02d}"),
            killed=Estimate(best=n),
            attacker=name,
        )
        for n, name in ((1, "One"), (2, "Two"), (3, "Three"))
    ]

    read = [codec.event_from_dict(codec.event_to_dict(attack)) for attack in attacks]

    assert read == attacks


def test_a_codec_with_a_converter_of_its_own_reads_through_it():
    """Given a converter, the codec reads every value through that converter."""
    codec = Codec(make_converter())
    entry = Entry(
        1, START, Attack(event_id="a", report=report("A", dt.date(2017, 1, 1)))
    )

    assert codec.entry_from_dict(codec.entry_to_dict(entry)) == entry
