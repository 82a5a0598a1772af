import datetime as dt
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given

from timeline import Entry, Event, FuzzyDate
from timeline.errors import (
    InvalidDateError,
    InvalidEntryError,
    TimelineError,
    UnknownEventTypeError,
)
from timeline.events import Capture, Death, Estimate, registered_event_types
from timeline.serialization import Codec
from timeline.sources import Credibility, Reliability, Report, Source
from timeline.strategies import events

from .helpers import report

DATA = Path(__file__).parent / "data"
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
MT = report("Military Times", dt.date(2017, 10, 4))


@attrs.frozen(kw_only=True)
class Sighting(Event):
    """A user-declared type with a field of its own, for the round trips."""

    event_type: ClassVar[str] = "test_sighting"

    observer: str
    count: Estimate | None = None


@given(events())
def test_round_trips_every_event_type(event):
    """Any registered event, user-declared ones included, survives a round trip."""
    codec = Codec()

    assert codec.event_from_dict(codec.event_to_dict(event)) == event


@given(events())
def test_entries_round_trip_through_one_json_line(event):
    """An entry survives being written as one line of JSON and read back."""
    codec = Codec()
    entry = Entry(7, START, event)

    line = codec.dumps(entry)

    assert "\n" not in line
    assert codec.loads(line) == entry


def test_user_declared_types_are_generated():
    """The shipped strategy covers types declared outside the library."""
    assert "test_sighting" in registered_event_types()


def test_envelope_shape_is_stable():
    """The stored shape: tag, version and payload; empty fields left out."""
    claim = Death(
        event_id="asapov-death",
        report=Report(outlet=Source("Military Times"), published=dt.date(2017, 10, 4)),
        person="Valery Asapov",
        when=FuzzyDate.exact(dt.date(2017, 9, 24)),
        attribution=[Source("TASS", kind="state media")],
        reliability=Reliability.B,
        credibility=Credibility.POSSIBLY_TRUE,
    )

    assert Codec().entry_to_dict(Entry(1, START, claim)) == {
        "seq": 1,
        "recorded_at": "2026-11-21T09:00:00+00:00",
        "type": "death",
        "schema_version": 1,
        "payload": {
            "event_id": "asapov-death",
            "report": {"outlet": {"name": "Military Times"}, "published": "2017-10-04"},
            "when": "2017-09-24",
            "attribution": [{"name": "TASS", "kind": "state media"}],
            "reliability": "B",
            "credibility": 3,
            "person": "Valery Asapov",
        },
    }


def test_phrase_and_anchor_are_kept_with_the_edtf():
    """A date read from a phrase keeps the phrase and the day it was read against."""
    when = FuzzyDate.parse("on Saturday", anchor=dt.date(2016, 6, 18))
    claim = Death(event_id="x", report=MT, person="y", when=when)
    codec = Codec()

    payload = codec.event_to_dict(claim)["payload"]

    assert payload["when"] == {
        "edtf": "2016-06-18",
        "phrase": "on Saturday",
        "anchor": "2016-06-18",
    }
    assert codec.event_from_dict(codec.event_to_dict(claim)) == claim


def test_aware_publication_time_round_trips():
    """A publication time keeps its offset."""
    published = dt.datetime(
        2017, 10, 4, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4))
    )
    claim = Death(
        event_id="x",
        report=Report(outlet=Source("MT"), published=published),
        person="y",
    )
    codec = Codec()

    assert (
        codec.event_from_dict(codec.event_to_dict(claim)).report.published == published
    )


def _envelope(**payload_changes: Any) -> dict[str, Any]:
    envelope = Codec().event_to_dict(
        Capture(
            event_id="amaq-capture",
            report=MT,
            captor="ISIS",
            captives="Russian soldiers",
            count=Estimate.exactly(2),
        )
    )
    envelope["payload"].update(payload_changes)
    return envelope


class TestBadInput:
    """Malformed entries raise a precise TimelineError naming where and what."""

    def test_unknown_type(self):
        """An unknown tag is a lookup error naming the tag."""
        with pytest.raises(UnknownEventTypeError, match="'kidnapping'"):
            Codec().event_from_dict({**_envelope(), "type": "kidnapping"})

    def test_missing_field(self):
        """A missing required field is named with its path."""
        envelope = _envelope()
        del envelope["payload"]["captor"]

        with pytest.raises(InvalidEntryError, match=r"line 3 \(capture\).*captor"):
            Codec().event_from_dict(envelope, where="line 3")

    def test_impossible_date(self):
        """February 30 is named as an impossible date."""
        envelope = _envelope(
            report={"outlet": {"name": "MT"}, "published": "2017-02-30"}
        )

        with pytest.raises(
            InvalidDateError, match=r"2017-02-30.*\$\.report\.published"
        ):
            Codec().event_from_dict(envelope)

    def test_backwards_range(self):
        """A range whose earliest is after its latest is refused."""
        with pytest.raises(InvalidDateError, match="when"):
            Codec().event_from_dict(_envelope(when="2017-09-24/2017-09-23"))

    def test_naive_datetime(self):
        """A publication time without an offset is refused, not guessed."""
        envelope = _envelope(
            report={"outlet": {"name": "MT"}, "published": "2017-10-04T09:00"}
        )

        with pytest.raises(InvalidDateError, match="no UTC offset"):
            Codec().event_from_dict(envelope)

    def test_wrong_scalar_type(self):
        """A number where a name belongs is not silently turned into a string."""
        with pytest.raises(InvalidEntryError, match=r"expected str, got int 7.*captor"):
            Codec().event_from_dict(_envelope(captor=7))

    @pytest.mark.parametrize("actors", [{"ISIS": 1}, "ISIS", 7])
    def test_a_list_field_must_be_a_list(self, actors):
        """An object or a string is not read as a tuple of its keys or letters."""
        with pytest.raises(InvalidEntryError, match=r"expected a list.*\$\.actors"):
            Codec().event_from_dict(_envelope(actors=actors))

    def test_a_pair_must_have_two_items(self):
        """A publication range is exactly two days."""
        report = {"outlet": {"name": "MT"}, "published": "2017-10-04"}
        report["published_range"] = ["2017-10-04"]

        with pytest.raises(InvalidEntryError, match="a list of 2 items, got 1"):
            Codec().event_from_dict(_envelope(report=report))

    def test_extra_field(self):
        """An unexpected field is refused rather than dropped."""
        with pytest.raises(InvalidEntryError, match="captors"):
            Codec().event_from_dict(_envelope(captors="ISIS"))

    def test_bad_estimate(self):
        """A domain rule inside the payload surfaces as its own error."""
        with pytest.raises(InvalidEntryError, match=r"low <= best <= high.*\$\.count"):
            Codec().event_from_dict(_envelope(count={"low": 5, "high": 2}))

    @pytest.mark.parametrize(
        ("data", "match"),
        [
            ([], "expected a JSON object, got list"),
            ({"type": "capture"}, "missing schema_version, payload"),
            ({"type": 3, "schema_version": 1, "payload": {}}, "type must be a string"),
            (
                {"type": "capture", "schema_version": 1, "payload": []},
                "must be an object",
            ),
            (
                {"type": "capture", "schema_version": 0, "payload": {}},
                "schema_version must",
            ),
            (
                {"type": "capture", "schema_version": 9, "payload": {}},
                "newer than this",
            ),
        ],
    )
    def test_bad_envelope(self, data, match):
        """A malformed envelope says what is wrong with it."""
        with pytest.raises(InvalidEntryError, match=match):
            Codec().event_from_dict(data)

    @pytest.mark.parametrize(
        ("line", "error", "match"),
        [
            ("{", InvalidEntryError, "line 9: not valid JSON"),
            ('{"seq": NaN}', InvalidEntryError, "NaN is not a number"),
            ("[1]", InvalidEntryError, "line 9: expected a JSON object"),
            ('{"seq": 0}', InvalidEntryError, "seq must be a whole number >= 1, got 0"),
            (
                '{"seq": 2, "recorded_at": "x"}',
                InvalidDateError,
                r"seq 2\): recorded_at",
            ),
            ('{"seq": 2, "recorded_at": 5}', InvalidDateError, "got 5"),
            ("[" * 100_000, InvalidEntryError, "not valid JSON"),
        ],
    )
    def test_bad_line(self, line, error, match):
        """A bad line names its position."""
        with pytest.raises(error, match=match):
            Codec().loads(line, where="line 9")

    @pytest.mark.parametrize(
        "when",
        [
            5,
            {"edtf": 5},
            {"edtf": "2017", "colour": "red"},
            {"edtf": "2017", "phrase": 1},
        ],
    )
    def test_bad_fuzzy_date(self, when):
        """A fuzzy date must be EDTF, or an object around one."""
        with pytest.raises(TimelineError, match="when"):
            Codec().event_from_dict(_envelope(when=when))


@attrs.frozen(kw_only=True)
class Tally(Event):
    """A user type at version 3: v2 renamed 'n' to 'total', v3 added 'unit'."""

    event_type: ClassVar[str] = "test_tally"
    schema_version: ClassVar[int] = 3
    upcasters: ClassVar = MappingProxyType(
        {
            1: lambda payload: {
                **{k: v for k, v in payload.items() if k != "n"},
                "total": payload["n"],
            },
            2: lambda payload: {**payload, "unit": "people"},
        }
    )

    total: int
    unit: str


def test_upcasters_bring_old_payloads_to_the_current_version():
    """A version 1 payload is upcast twice before it is structured."""
    old = {
        "type": "test_tally",
        "schema_version": 1,
        "payload": {
            "event_id": "t",
            "report": {"outlet": {"name": "MT"}, "published": "2017-10-04"},
            "n": 11,
        },
    }

    event = Codec().event_from_dict(old)

    assert event == Tally(
        event_id="t", report=report("MT", dt.date(2017, 10, 4)), total=11, unit="people"
    )


def test_missing_upcaster_is_an_error():
    """A stored version with no way forward is refused, not half-read."""

    @attrs.frozen(kw_only=True)
    class Gapped(Event):
        event_type: ClassVar[str] = "test_gapped"
        schema_version: ClassVar[int] = 2

    with pytest.raises(InvalidEntryError, match="no upcaster from schema version 1"):
        Codec().event_from_dict(
            {"type": "test_gapped", "schema_version": 1, "payload": {}}
        )


GOLDEN = sorted(DATA.glob("*.json"))


def test_every_builtin_type_has_a_golden_file():
    """Each built-in type at its current version is pinned by a file in tests/data."""
    builtin = {
        f"{tag}.v{cls.schema_version}.json"
        for tag, cls in registered_event_types().items()
        if cls.__module__ == "timeline.events"
    }

    assert builtin <= {path.name for path in GOLDEN}


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.stem)
def test_golden_files_still_load_and_encode_to_the_same_bytes(path):
    """Stored shapes outlive code: old files load, and re-encode identically."""
    stored = json.loads(path.read_text(encoding="utf-8"))
    codec = Codec()

    event = codec.event_from_dict(stored, where=path.name)

    assert json.loads(json.dumps(codec.event_to_dict(event))) == stored
