import datetime as dt
import enum
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, Event, FuzzyDate
from timeline.errors import (
    InvalidDateError,
    InvalidEntryError,
    TimelineError,
    UnknownEventTypeError,
)
from timeline.model import _edtf
from timeline.model import _event as events_module
from timeline.model.events import Capture, Death, Estimate, registered_event_types
from timeline.model.sources import Credibility, Reliability, Report, Source
from timeline.serialization import Codec, make_converter
from timeline.strategies import events, fuzzy_dates

from .helpers import day, report

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
        with pytest.raises(InvalidEntryError, match=r"at least one of.*\$\.count"):
            Codec().event_from_dict(_envelope(count={}))

    def test_an_estimate_out_of_order_reads_back_as_given(self):
        """Figures out of order are a fact about the source: stored, read, kept."""
        codec = Codec()
        event = codec.event_from_dict(_envelope(count={"low": 5, "high": 2}))

        assert isinstance(event, Capture)
        assert event.count is not None
        assert (event.count.low, event.count.high, event.count.consistent) == (
            5,
            2,
            False,
        )
        assert codec.event_to_dict(event)["payload"]["count"] == {"low": 5, "high": 2}

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
        if cls.__module__ in {"timeline.model.events", "timeline.model.incidents"}
    }

    assert builtin <= {path.name for path in GOLDEN}


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: path.stem)
def test_golden_files_still_load_and_encode_to_the_same_bytes(path):
    """Stored shapes outlive code: old files load, and re-encode identically."""
    stored = json.loads(path.read_text(encoding="utf-8"))
    codec = Codec()

    event = codec.event_from_dict(stored, where=path.name)

    assert json.loads(json.dumps(codec.event_to_dict(event))) == stored


# -- The codec's own direct readers and writers --------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


def outcome(codec: Codec, data: object) -> tuple[str, object]:
    """Return what decoding an entry gives: the entry, or the error and message."""
    try:
        return "entry", codec.entry_from_dict(data, where="line 5")
    except (TimelineError, TypeError, ValueError) as error:
        return type(error).__name__, str(error)


def paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Return the path of every key and item inside *value*, nested ones too."""
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value)  # type: ignore[arg-type]
    for key, inner in items:
        found.append((*path, key))
        if isinstance(inner, dict | list):
            found += paths(inner, (*path, key))
    return found


@given(events(), st.data())
def test_a_damaged_entry_fails_or_reads_as_cattrs_reads_it(event, data):
    """Anything put anywhere in an entry, or left out, reads as through cattrs.

    The direct codec has read the entry whole first, so what it shares from
    it cannot stand in for what is now there.
    """
    direct = Codec()
    record = direct.entry_to_dict(Entry(3, START, event))
    assert direct.entry_from_dict(record) == Entry(3, START, event)
    damaged = json.loads(json.dumps(record))
    path = data.draw(st.sampled_from(paths(damaged)))
    target = damaged
    for key in path[:-1]:
        target = target[key]
    if data.draw(st.booleans()):
        target[path[-1]] = data.draw(json_values)
    else:
        del target[path[-1]]

    expected = outcome(Codec(make_converter()), damaged)

    assert outcome(direct, damaged) == expected


@given(events(), st.datetimes(timezones=st.timezones()))
def test_entries_are_written_as_cattrs_writes_them(event, moment):
    """The direct writers give the converter's envelope: keys, order and types."""
    entry = Entry(2, moment, event)

    written = Codec().entry_to_dict(entry)
    expected = Codec(make_converter()).entry_to_dict(entry)

    assert repr(written) == repr(expected)


@given(fuzzy_dates())
def test_fuzzy_dates_are_written_as_their_edtf_reads_back(value):
    """A date is its EDTF text, with the precision only where EDTF loses it.

    A date that releases up to 0.2 could hold is spelt as they spelt it
    (``..2017-10-01``, ranges of years in days), so that stored files keep
    their bytes; any other as `FuzzyDate.to_edtf` writes it.
    """
    if value.qualifier is None and value.notation is None:
        edtf = _edtf.write(
            value.earliest,
            value.latest,
            value.precision.value,
            None,
            value.choices,
            legacy=True,
        )
    else:
        edtf = value.to_edtf()
    same_precision = FuzzyDate.from_edtf(edtf).precision is value.precision
    data = {"edtf": edtf}
    if not same_precision:
        data["precision"] = value.precision.value
    if value.phrase is not None:
        data["phrase"] = value.phrase
    if value.anchor is not None:
        data["anchor"] = value.anchor.isoformat()
    plain = value.phrase is None and value.anchor is None and same_precision

    written = Codec().converter.unstructure(value)

    assert written == (edtf if plain else data)
    claim = Death(event_id="x", report=MT, person="y", when=value)
    assert Codec().event_from_dict(Codec().event_to_dict(claim)) == claim


def test_claims_of_one_report_share_it_and_its_attribution():
    """Equal reports and attributions read close together are one object."""
    codec = Codec()
    tass = (Source("TASS", kind="agency"),)
    claims = [
        Death(event_id=f"d{n}", report=MT, person=f"P{n}", attribution=tass)
        for n in range(3)
    ]
    other = report("Other", dt.date(2017, 10, 5))
    records = [
        codec.entry_to_dict(Entry(seq, START, claim))
        for seq, claim in enumerate([claims[0], claims[1], claims[1], claims[2]], 1)
    ]
    records[2]["payload"]["report"] = Codec().event_to_dict(
        Death(event_id="x", report=other, person="y")
    )["payload"]["report"]

    read: list[Any] = [codec.entry_from_dict(record).event for record in records]

    assert read[0].report is read[1].report is read[3].report == MT
    assert read[2].report == other
    assert read[0].attribution is read[3].attribution == tass


def test_equal_times_in_two_time_zones_stay_apart():
    """Reports published at one instant, stated in two offsets, keep their own."""
    codec = Codec()
    instant = dt.datetime(2017, 10, 4, 18, 30, tzinfo=dt.UTC)
    offsets = [dt.UTC, dt.timezone(dt.timedelta(hours=-4))]
    claims = [
        Death(
            event_id="x",
            report=Report(outlet=Source("MT"), published=instant.astimezone(zone)),
            person="y",
        )
        for zone in offsets
    ]

    read = [codec.event_from_dict(codec.event_to_dict(claim)) for claim in claims]

    assert [claim.report.published.isoformat() for claim in read] == [
        "2017-10-04T18:30:00+00:00",
        "2017-10-04T14:30:00-04:00",
    ]


def test_a_value_the_writers_cannot_write_fails_as_in_cattrs():
    """A field forced to hold what its type refuses fails in both codecs alike."""
    claim = Death(event_id="x", report=MT, person="y")
    # The constructor refuses it now: only a value forced in gets this far.
    object.__setattr__(claim, "when", "2017")

    for codec in (Codec(), Codec(make_converter())):
        with pytest.raises(AttributeError, match="earliest"):
            codec.entry_to_dict(Entry(1, START, claim))
        with pytest.raises(AttributeError, match="earliest"):
            codec.event_to_dict(claim)


def test_dates_read_from_phrases_share_their_days():
    """Two phrases for one day make two dates on the same day objects."""
    codec = Codec()
    anchor = dt.date(2017, 9, 25)
    whens = [
        day("2017-09-23").with_phrase(phrase, anchor=anchor)
        for phrase in ("on Saturday", "two days ago", "on Saturday")
    ]

    read: list[Any] = [
        codec.event_from_dict(
            Codec().event_to_dict(Death(event_id="x", report=MT, person="y", when=when))
        ).when
        for when in whens
    ]

    assert read == whens
    assert read[0] is read[2]
    assert read[0].earliest is read[1].earliest is read[1].latest
    assert read[0].anchor is read[1].anchor


def test_equal_phrases_and_names_are_shared_past_a_full_table(monkeypatch):
    """A name in use stays shared when the table of strings fills up."""
    monkeypatch.setattr("timeline.serialization._readers._SHARED_MAX", 2)
    codec = Codec()
    when = day("2017-09-23").with_phrase("on Saturday", anchor=dt.date(2017, 9, 25))
    claims = [
        Death(event_id=f"death {n}", report=MT, person="Asapov", when=when)
        for n in range(5)
    ]

    read: list[Any] = [
        codec.event_from_dict(Codec().event_to_dict(claim)) for claim in claims
    ]

    assert read == claims
    assert all(claim.person is read[0].person for claim in read)
    assert all(claim.when.phrase is read[0].when.phrase for claim in read)


# Types with a leading underscore in their tag are not registered, so other
# tests' strategies never draw them: each test here registers them itself.


def _same(text: str | None) -> str | None:
    return text


@attrs.frozen(kw_only=True)
class Checked(Event):
    """A user type whose fields have validators, converters and hooks of their own."""

    event_type: ClassVar[str] = "_test_checked"

    count: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    label: str | None = attrs.field(default=None, converter=_same)
    either: str | None
    during: dt.date | None = None
    sizes: tuple[int, ...] = ()
    grades: tuple[Reliability, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.either == "refused":
            msg = "Checked.either must not be 'refused'"
            raise InvalidEntryError(msg)


@attrs.frozen(kw_only=True)
class Made(Event):
    """A user type with a default made anew for each instance."""

    event_type: ClassVar[str] = "_test_made"

    sizes: tuple[int, ...] = attrs.field(factory=tuple)


class Mixed(enum.Enum):
    """An enum of a number and a string."""

    ONE = 1
    TWO = "two"


@attrs.frozen(kw_only=True)
class Mixing(Event):
    """A user type with an enum of values of two types."""

    event_type: ClassVar[str] = "_test_mixing"

    mixed: Mixed | None = None


@attrs.frozen(kw_only=True)
class Flagged(Event):
    """A user type with a list of values the direct readers do not read."""

    event_type: ClassVar[str] = "_test_flagged"

    flags: tuple[bool, ...] = ()


@attrs.frozen(kw_only=True)
class Spread(Estimate):
    """An estimate with a default made anew for each instance."""

    notes: tuple[str, ...] = attrs.field(factory=tuple, kw_only=True)


@attrs.frozen(kw_only=True)
class Spreading(Event):
    """A user type holding an estimate the direct writers leave to cattrs."""

    event_type: ClassVar[str] = "_test_spreading"

    spread: Spread | None = None


@attrs.frozen(kw_only=True, init=False)
class Handmade(Event):
    """A user type with an ``__init__`` of its own."""

    event_type: ClassVar[str] = "_test_handmade"

    mark: str = "x"

    def __init__(self, **fields: Any) -> None:
        self.__attrs_init__(**fields)


@attrs.frozen(kw_only=True)
class Prepared(Event):
    """A user type with a hook run before its fields are set."""

    event_type: ClassVar[str] = "_test_prepared"

    mark: str = "x"

    def __attrs_pre_init__(self) -> None:
        """Do nothing, but be there."""


@attrs.frozen(kw_only=True, slots=False)
class Unslotted(Event):
    """A user type whose instances keep a dict."""

    event_type: ClassVar[str] = "_test_unslotted"

    mark: str = "x"


@attrs.frozen(kw_only=True)
class Aware(Event):
    """A user type with a converter that needs the instance."""

    event_type: ClassVar[str] = "_test_aware"

    mark: str = attrs.field(
        default="x",
        converter=attrs.Converter(  # type: ignore[misc]  # unknown to mypy's plugin
            lambda value, _: value, takes_self=True
        ),
    )


@attrs.frozen(kw_only=True)
class Ahead(Event):
    """A user type naming a type that does not exist."""

    event_type: ClassVar[str] = "_test_ahead"

    later: "Nowhere | None" = None  # type: ignore[name-defined]  # noqa: F821


USER_TYPES = (
    Checked,
    Made,
    Mixing,
    Flagged,
    Spreading,
    Handmade,
    Prepared,
    Unslotted,
    Aware,
    Ahead,
)


@pytest.fixture
def registered(monkeypatch):
    """Register the types above for the test."""
    for cls in USER_TYPES:
        monkeypatch.setitem(events_module._REGISTRY, cls.event_type, cls)


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    "event",
    [
        Checked(event_id="c", report=MT, count=3, label="l", either=None),
        Checked(event_id="c", report=MT, either="e", during=dt.date(2017, 9, 1)),
        Checked(
            event_id="c", report=MT, either=None, sizes=(1, 2), grades=(Reliability.A,)
        ),
        Made(event_id="m", report=MT, sizes=(1, 2)),
        Mixing(event_id="m", report=MT, mixed=Mixed.TWO),
        Flagged(event_id="f", report=MT, flags=(True,)),
        Spreading(event_id="s", report=MT, spread=Spread(best=2, notes=("n",))),
        Handmade(event_id="h", report=MT, mark="y"),
        Prepared(event_id="p", report=MT, mark="y"),
        Unslotted(event_id="u", report=MT, mark="y"),
        Aware(event_id="a", report=MT, mark="y"),
    ],
)
def test_user_types_read_and_write_as_through_cattrs(event):
    """Validators, converters, hooks and fields readers leave to cattrs all hold."""
    direct, plain = Codec(), Codec(make_converter())
    entry = Entry(4, START, event)
    record = direct.entry_to_dict(entry)

    assert repr(record) == repr(plain.entry_to_dict(entry))
    assert direct.entry_from_dict(record) == plain.entry_from_dict(record) == entry


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    "change",
    [
        {"count": -1},
        {"either": "refused"},
        {"either": 3},
        {"during": "2017-13-01"},
        {"sizes": [1, True]},
        {"grades": ["A", "Z"]},
        {"attribution": "TASS"},
        {"attribution": [{"name": " "}]},
    ],
)
def test_user_types_are_refused_as_through_cattrs(change):
    """A user type's own checks refuse what they refuse, in cattrs' words."""
    record = Codec().entry_to_dict(
        Entry(4, START, Checked(event_id="c", report=MT, either=None))
    )
    record["payload"] |= change

    expected = outcome(Codec(make_converter()), record)

    assert expected[0] != "entry"
    assert outcome(Codec(), record) == expected


@pytest.mark.usefixtures("registered")
def test_a_type_naming_nothing_is_left_to_cattrs():
    """A type whose hints name nothing fails to be read or written as in cattrs."""
    entry = Entry(1, START, Ahead(event_id="a", report=MT))
    record = {
        "seq": 1,
        "recorded_at": START.isoformat(),
        "type": Ahead.event_type,
        "schema_version": 1,
        "payload": {"event_id": "a", "report": Codec().converter.unstructure(MT)},
    }

    for codec in (Codec(), Codec(make_converter())):
        with pytest.raises(NameError, match="Nowhere"):
            codec.entry_to_dict(entry)
        with pytest.raises(NameError, match="Nowhere"):
            codec.entry_from_dict(record)
