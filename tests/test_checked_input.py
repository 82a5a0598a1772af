"""Values check the types of their fields where they are built, and say which."""

import datetime as dt
import enum
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal, NewType, TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Event, EventLog, FuzzyDate
from timeline.errors import InvalidEntryError
from timeline.model import _checks
from timeline.model.events import (
    Amendment,
    CasualtyReport,
    Death,
    Estimate,
    Revocation,
    SameAs,
    Split,
    Statement,
    Within,
    registered_event_types,
)
from timeline.model.sources import Report, Source
from timeline.serialization import Codec
from timeline.strategies import events

from .helpers import day, report

MT = report("Military Times", dt.date(2017, 10, 4))
THURSDAY = dt.date(2017, 9, 21)


ASAPOV = Death(event_id="asapov-death", report=MT, person="Asapov")


def death(**fields: Any) -> Death:
    """Return a death claim by Military Times with *fields* changed."""
    return attrs.evolve(ASAPOV, **fields)


class Mood(enum.Enum):
    """How a truce holds."""

    CALM = "calm"
    TENSE = "tense"


@attrs.frozen(kw_only=True)
class Truce(Event):
    """A user-declared type, registered, with fields of the kinds timeline stores."""

    event_type: ClassVar[str] = "test_checked_truce"

    parties: tuple[str, ...] = ()
    broken: bool = False
    violations: Estimate | None = None
    signed: FuzzyDate | None = None
    mediator: Source | None = None
    mood: Mood | None = None


UserId = NewType("UserId", str)
T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Shapes(Event):
    """A user type, not registered, with a field of every annotation checked."""

    event_type: ClassVar[str] = "_test_checked_shapes"

    share: float = 0.5
    count: int = 0
    kind: Literal["truce", "armistice"] = "truce"
    mode: Literal["a", "b"] | None = None
    days: frozenset[dt.date] = frozenset()
    tallies: Mapping[str, int] = attrs.field(factory=dict)
    labels: list[str] = attrs.field(factory=list)
    kinds: type[Event] = Event
    pair: tuple[str, int] = ("a", 1)
    empty: tuple[()] = ()
    notes: tuple[str | None, ...] = ()
    nested: tuple[tuple[str, ...], ...] = ()
    extras: tuple = ()  # type: ignore[type-arg]
    moment: dt.datetime | None = None
    day: dt.date | None = None
    code: int | str | None = None
    nothing: None = None
    ident: UserId = UserId("u")
    anything: Any = None
    maybe: object | None = None
    thing: T | None = None  # type: ignore[valid-type]
    computed: int = attrs.field(init=False, default=0)


@attrs.frozen(kw_only=True)
class Haunted(Event):
    """A user type naming a class its module does not define."""

    event_type: ClassVar[str] = "_test_checked_haunted"

    ghost: "NoSuchName | None" = None  # type: ignore[name-defined]  # noqa: F821


@attrs.frozen(kw_only=True)
class Noted(Event):
    """A user type with a post-init of its own, which relies on the check."""

    event_type: ClassVar[str] = "_test_checked_noted"

    def __attrs_post_init__(self) -> None:
        """Refuse a date that is not exact: it needs a FuzzyDate to ask."""
        if self.when is not None and not self.when.is_exact:
            msg = "Noted.when must be exact"
            raise ValueError(msg)


# -- What the issue listed -----------------------------------------------------


def test_a_phrase_for_when_is_refused_with_the_way_to_parse_it():
    """A str date names the field, the value, and FuzzyDate.parse."""
    expected = (
        "Death.when must be a FuzzyDate or None, got str 'on Thursday': "
        "use FuzzyDate.parse('on Thursday', anchor=report.published)"
    )

    with pytest.raises(TypeError) as caught:
        death(when="on Thursday")

    assert str(caught.value) == expected


def test_a_day_for_when_is_the_exact_date_of_that_day():
    """A datetime.date converts, losing nothing."""
    claim = death(when=THURSDAY)

    assert claim.when == FuzzyDate.exact(THURSDAY)


def test_a_datetime_for_when_is_refused_and_says_why():
    """A time of day is not a valid-time date: refused, not truncated."""
    with pytest.raises(TypeError, match=r"Death\.when .* got datetime .* days"):
        death(when=dt.datetime(2017, 9, 21, 9, 30, tzinfo=dt.UTC))


def test_names_in_an_attribution_list_become_sources():
    """A list of names is a tuple of sources."""
    claim = death(attribution=["TASS", Source("Russian MoD")])

    assert claim.attribution == (Source("TASS"), Source("Russian MoD"))


def test_a_single_name_for_attribution_is_refused_not_spelled_out():
    """A str is not a tuple: it would become its letters."""
    with pytest.raises(TypeError, match=r"Death\.attribution .*wrap it.*\('TASS',\)"):
        death(attribution="TASS")


def test_an_item_of_the_wrong_type_is_named_by_its_index():
    """The message points at the item, not only the field."""
    with pytest.raises(TypeError, match=r"Death\.attribution\[1\] must be a Source"):
        death(attribution=[Source("TASS"), 3])


def test_a_whole_number_for_an_estimate_is_exactly_that_many():
    """killed=39 holds Estimate.exactly(39)."""
    claim = CasualtyReport(event_id="x", report=MT, group="troops", killed=39)  # type: ignore[arg-type]

    assert claim.killed == Estimate.exactly(39)


@pytest.mark.parametrize(
    ("killed", "error", "match"),
    [
        (True, TypeError, r"CasualtyReport\.killed .* got bool True: a bool is not"),
        (2.5, TypeError, r"CasualtyReport\.killed .* got float 2\.5: a count"),
        ("39", TypeError, r"CasualtyReport\.killed must be an Estimate or None"),
        (-1, InvalidEntryError, r"CasualtyReport\.killed .* int -1 .* >= 0"),
    ],
)
def test_what_is_not_a_count_is_refused_for_an_estimate(killed, error, match):
    """A bool is not a count, nor is a fraction; a negative count is a bad value."""
    with pytest.raises(error, match=match):
        CasualtyReport(event_id="x", report=MT, group="troops", killed=killed)


def test_an_outlet_name_is_the_outlet():
    """Report(outlet="A") holds Source("A")."""
    assert Report(outlet="A", published=THURSDAY).outlet == Source("A")  # type: ignore[arg-type]


def test_a_blank_outlet_name_is_refused_naming_the_field():
    """The source's own refusal is given, with the report's field."""
    with pytest.raises(InvalidEntryError, match=r"Report\.outlet .*Source\.name"):
        Report(outlet=" ", published=THURSDAY)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [SameAs, Split])
def test_a_happening_is_never_merged_with_or_split_from_itself(cls):
    """Both fields are named."""
    with pytest.raises(
        InvalidEntryError,
        match=rf"{cls.__name__}\.other_event_id .* {cls.__name__}\.event_id",
    ):
        cls(event_id="a", other_event_id="a", report=MT)


def test_converted_claims_are_folded_and_stored():
    """What a constructor accepts goes through a log, a fold and a file."""
    claims = [
        death(when=THURSDAY, attribution=["TASS"]),
        CasualtyReport(event_id="x", report=MT, group="troops", killed=39),  # type: ignore[arg-type]
    ]
    log = EventLog()
    log.extend(claims)

    known = log.as_of(MT.published_day)
    with tempfile.TemporaryDirectory() as directory:
        with EventLog.open(Path(directory) / "log.jsonl") as stored:
            stored.extend(claims)
        with EventLog.open(Path(directory) / "log.jsonl") as reopened:
            assert [entry.event for entry in reopened] == claims

    assert known["asapov-death"].fields["when"].settled is not None


# -- Other fields and values ---------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"person": None}, r"Death\.person must be a str, got NoneType None"),
        ({"where": ["Hama"]}, r"Death\.where must be a str or None, got list"),
        ({"actors": ("a", 1)}, r"Death\.actors\[1\] must be a str, got int 1"),
        ({"quote": b"q"}, r"Death\.quote must be a str or None, got bytes b'q'"),
        ({"report": {"outlet": "A"}}, r"Death\.report must be a Report, got dict"),
        ({"credibility": 2}, r"Death\.credibility .* use Credibility\.PROBABLY_TRUE"),
        ({"reliability": "Z"}, r"Death\.reliability must be a Reliability or None"),
    ],
)
def test_wrong_types_are_refused_naming_class_field_and_value(fields, match):
    """The message says where, what came and what is wanted."""
    with pytest.raises(TypeError, match=match):
        death(**fields)


def test_a_long_value_is_cut_short_in_the_message():
    """A huge value does not flood the message."""
    with pytest.raises(TypeError, match=r"Death\.where .*, got list \['x{50,}\.\.\.$"):
        death(where=["x" * 1000])


def test_a_list_of_actors_is_a_tuple():
    """A list where a tuple is declared converts, item for item."""
    assert death(actors=["a", "b"]).actors == ("a", "b")


def test_a_value_of_a_subclass_is_taken_as_it_is():
    """A subclass of the declared type fits: nothing is converted."""

    class Name(str):
        __slots__ = ()

    actors = (Name("Russia"),)
    claim = death(person=Name("Asapov"), actors=actors)

    assert type(claim.person) is Name
    assert claim.actors is actors


def test_evolve_checks_too():
    """attrs.evolve builds anew, so it is checked like the constructor."""
    with pytest.raises(TypeError, match=r"Statement\.speaker"):
        attrs.evolve(Statement(event_id="s", report=MT, speaker="MoD"), speaker=7)  # type: ignore[arg-type]


def test_an_amendment_voids_a_whole_number_only():
    """A bool is not a seq: its own validator says so, naming the field."""
    with pytest.raises(InvalidEntryError, match=r"Amendment\.voids"):
        Amendment(event_id="a", report=MT, voids=True, reason="typo")


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Source("TASS", kind=1), r"Source\.kind must be a str or None"),  # type: ignore[arg-type]
        (
            lambda: Report(outlet=Source("A"), published=THURSDAY, title=3),  # type: ignore[arg-type]
            r"Report\.title must be a str or None, got int 3",
        ),
        (
            lambda: Report(
                outlet=Source("A"),
                published=THURSDAY,
                published_range=(THURSDAY, dt.datetime(2017, 9, 22, tzinfo=dt.UTC)),
            ),
            r"Report\.published_range\[1\] must be a datetime\.date",
        ),
        (
            lambda: day("2017-09-21").with_phrase(3, anchor=None),  # type: ignore[arg-type]
            r"FuzzyDate\.phrase must be a str or None, got int 3",
        ),
    ],
)
def test_sources_reports_and_dates_check_their_fields_too(build, match):
    """The values a claim holds are checked as they are built."""
    with pytest.raises(TypeError, match=match):
        build()


def test_a_list_for_a_published_range_is_a_pair():
    """A pair given as a list converts to a tuple."""
    friday = THURSDAY + dt.timedelta(days=1)
    ranged = Report(
        outlet=Source("A"),
        published=THURSDAY,
        published_range=[THURSDAY, friday],  # type: ignore[arg-type]
    )

    assert ranged.published_range == (THURSDAY, friday)


# -- The user's own types ------------------------------------------------------


def test_a_user_type_converts_like_the_built_in_ones():
    """Declared annotations are all it takes: Estimate, FuzzyDate, Source, tuple."""
    truce = Truce(
        event_id="t",
        report=MT,
        parties=["Russia", "Turkey"],  # type: ignore[arg-type]
        violations=3,  # type: ignore[arg-type]
        signed=THURSDAY,  # type: ignore[arg-type]
        mediator="UN",  # type: ignore[arg-type]
    )

    assert (truce.parties, truce.violations, truce.signed, truce.mediator) == (
        ("Russia", "Turkey"),
        Estimate.exactly(3),
        FuzzyDate.exact(THURSDAY),
        Source("UN"),
    )


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"broken": 1}, r"Truce\.broken must be a bool, got int 1"),
        ({"mood": "calm"}, r"Truce\.mood must be a Mood or None, .* use Mood\.CALM"),
        ({"parties": {"a": 1}}, r"Truce\.parties must be a tuple of str, got dict"),
    ],
)
def test_a_user_type_refuses_wrong_types(fields, match):
    """Bool, enum and tuple fields of a user type are checked."""
    with pytest.raises(TypeError, match=match):
        Truce(event_id="t", report=MT, **fields)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"share": 1}, {"share": 1.0}),
        ({"days": {THURSDAY}}, {"days": frozenset({THURSDAY})}),
        ({"pair": ["b", 2]}, {"pair": ("b", 2)}),
        ({"kind": "armistice"}, {"kind": "armistice"}),
        ({"tallies": {"a": 1}}, {"tallies": {"a": 1}}),
        ({"anything": object}, {"anything": object}),
        ({"maybe": 1, "thing": 2}, {"maybe": 1, "thing": 2}),
        ({"mode": "b", "code": "x"}, {"mode": "b", "code": "x"}),
        ({"labels": ["a"], "kinds": Death}, {"labels": ["a"], "kinds": Death}),
        ({"notes": ["a", None]}, {"notes": ("a", None)}),
        ({"nested": [["a"], ("b",)]}, {"nested": (("a",), ("b",))}),
        ({"extras": [1, "a"]}, {"extras": (1, "a")}),
        ({"day": THURSDAY, "moment": dt.datetime(2017, 9, 21, tzinfo=dt.UTC)}, {}),
    ],
)
def test_every_annotation_shape_takes_what_fits(fields, expected):
    """Floats, literals, frozensets, pairs, mappings and Any take their values."""
    shapes = Shapes(event_id="s", report=MT, **fields)

    assert {name: getattr(shapes, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("fields", "error", "match"),
    [
        ({"share": "0.5"}, TypeError, r"Shapes\.share must be a float, got str"),
        ({"share": True}, TypeError, r"Shapes\.share must be a float, got bool"),
        ({"count": True}, TypeError, r"Shapes\.count .* bool True: a bool is not"),
        ({"count": 1.0}, TypeError, r"Shapes\.count must be an int, got float"),
        ({"kind": "peace"}, InvalidEntryError, r"Shapes\.kind must be one of 'truce'"),
        ({"kind": 1}, TypeError, r"Shapes\.kind must be one of 'truce', 'armistice'"),
        ({"days": [THURSDAY]}, TypeError, r"Shapes\.days must be a frozenset of"),
        ({"days": {"x"}}, TypeError, r"Shapes\.days item must be a datetime\.date"),
        ({"tallies": {"a": "1"}}, TypeError, r"Shapes\.tallies\['a'\] must be an int"),
        ({"tallies": {1: 1}}, TypeError, r"Shapes\.tallies key 1 must be a str"),
        ({"tallies": [("a", 1)]}, TypeError, r"Shapes\.tallies must be a Mapping"),
        ({"pair": ("b",)}, TypeError, r"Shapes\.pair .*: it has 1 items, not 2"),
        ({"pair": ("b", "2")}, TypeError, r"Shapes\.pair\[1\] must be an int"),
        (
            {"day": dt.datetime(2017, 9, 21, tzinfo=dt.UTC)},
            TypeError,
            r"Shapes\.day .*\.date\(\)",
        ),
        ({"moment": THURSDAY}, TypeError, r"Shapes\.moment must be a datetime\."),
        ({"share": 2**60 + 1}, TypeError, r"Shapes\.share must be a float, got int"),
        ({"mode": "c"}, InvalidEntryError, r"Shapes\.mode must be one of 'a', 'b'"),
        ({"labels": ["a", 1]}, TypeError, r"Shapes\.labels\[1\] must be a str"),
        ({"labels": ("a",)}, TypeError, r"Shapes\.labels must be a list\[str\]"),
        ({"kinds": "Death"}, TypeError, r"Shapes\.kinds must be a type\[Event\]"),
        ({"empty": ("a",)}, TypeError, r"Shapes\.empty .*: it has 1 items, not 0"),
        ({"notes": "x"}, TypeError, r"a tuple of \(str or None\), got str 'x': wrap"),
        ({"nested": [[1]]}, TypeError, r"Shapes\.nested\[0\]\[0\] must be a str"),
        ({"code": 1.5}, TypeError, r"Shapes\.code must be an int or a str or None"),
        ({"nothing": 1}, TypeError, r"Shapes\.nothing must be None, got int 1"),
        ({"ident": 3}, TypeError, r"Shapes\.ident must be a str, got int 3"),
    ],
)
def test_every_annotation_shape_refuses_what_does_not(fields, error, match):
    """Each shape refuses a wrong type, naming the field or the item."""
    with pytest.raises(error, match=match):
        Shapes(event_id="s", report=MT, **fields)


def test_what_cannot_be_resolved_is_not_checked():
    """A field whose annotation names nothing takes anything; the others are checked."""
    assert Haunted(event_id="h", report=MT, ghost=3).ghost == 3
    with pytest.raises(TypeError, match=r"Haunted\.where must be a str or None"):
        Haunted(event_id="h", report=MT, where=3)  # type: ignore[arg-type]


def test_a_user_post_init_sees_checked_values():
    """The check runs before the type's own post-init, converting first."""
    noted = Noted(event_id="n", report=MT, when=THURSDAY)  # type: ignore[arg-type]

    assert noted.when == day("2017-09-21")
    with pytest.raises(TypeError, match=r"Noted\.when"):
        Noted(event_id="n", report=MT, when="Thursday")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be exact"):
        Noted(event_id="n", report=MT, when=FuzzyDate.month(2017, 9))


# -- The property --------------------------------------------------------------

WRONG = [
    "text",
    7,
    2.5,
    None,
    ["text"],
    {"key": 1},
    object(),
    b"bytes",
    THURSDAY,
    dt.datetime(2017, 9, 21, 9, 30, tzinfo=dt.UTC),
    True,
    (),
]
"""Values to put where they may not belong: of every kind the issue names."""


CONVERSIONS: dict[type, list[Any]] = {
    dt.date: [FuzzyDate.exact],
    int: [Estimate.exactly, float],
    str: [Source],
    list: [tuple, lambda items: tuple(map(Source, items))],
}
"""The lossless conversions documented, by the type of the value converted."""


def lossless(value: Any) -> list[object]:
    """Return what *value* may become in a field: itself, or a lossless conversion."""
    return [value, *(convert(value) for convert in CONVERSIONS.get(type(value), []))]


def checked_types() -> list[type[Event]]:
    """Return the built-in event types and the user type declared here."""
    return sorted(
        (
            cls
            for cls in registered_event_types().values()
            if cls.__module__ == "timeline.model.events" or cls is Truce
        ),
        key=lambda cls: cls.event_type,
    )


def logged(event: Event) -> list[Event]:
    """Return claims a log must hold before *event*, then *event*."""
    before: list[Event] = [
        Death(event_id=event_id, report=MT, person="Asapov")
        for event_id in event.referenced_event_ids()
    ]
    before += [
        Death(event_id=event.event_id, report=MT, person="Asapov")
        for _ in range(max(event.referenced_seqs(), default=0))
    ]
    if isinstance(event, Revocation) and before:
        # A revocation takes back a judgement: the entry it names is one.
        before[-1] = Within(
            event_id=event.event_id, report=MT, place="Palmyra", within="Syria"
        )
    return [*before, event]


def variants(event: Event, name: str) -> tuple[list[Event], list[str]]:
    """Return *event* with each value of WRONG that field *name* takes, and why not."""
    accepted, refused = [], []
    for value in WRONG:
        changes: dict[str, Any] = {name: value}
        try:
            changed = attrs.evolve(event, **changes)
        except (TypeError, ValueError) as error:
            refused.append(str(error))
        else:
            assert getattr(changed, name) in lossless(value)
            accepted.append(changed)
    return accepted, refused


@given(events(types=checked_types()), st.data())
def test_any_wrong_type_in_any_field_is_refused_naming_it_or_converted(event, data):
    """A wrong type never gets into a log to crash a fold or a store later."""
    cls = type(event)
    name = data.draw(st.sampled_from([f.name for f in attrs.fields(cls) if f.init]))

    accepted, refused = variants(event, name)

    assert all(f"{cls.__name__}.{name}" in message for message in refused)
    with tempfile.TemporaryDirectory() as directory:
        for number, changed in enumerate(accepted):
            claims = logged(changed)
            log = EventLog()
            log.extend(claims)
            log.as_of(dt.date(9999, 12, 31))
            path = Path(directory) / f"log-{number}.jsonl"
            with EventLog.open(path) as stored:
                stored.extend(claims)
            with EventLog.open(path) as reopened:
                assert [entry.event for entry in reopened] == claims


@given(events(types=checked_types()))
def test_a_valid_claim_is_built_unchanged(event):
    """The check changes nothing that fits: a copy is equal, field for field."""
    copy = attrs.evolve(event)

    assert copy == event
    assert all(
        getattr(copy, field.name) is getattr(event, field.name)
        for field in attrs.fields(type(event))
    )


def test_the_codec_reads_claims_without_the_check(monkeypatch):
    """Stored values are checked by the readers: loading skips the field check."""
    claim = death(when=THURSDAY, attribution=["TASS"])
    envelope = Codec().event_to_dict(claim)

    def refuse(instance: object) -> None:
        raise AssertionError(instance)

    monkeypatch.setitem(_checks._CHECKS, Death, refuse)
    with pytest.raises(AssertionError):
        attrs.evolve(claim)

    assert Codec().event_from_dict(envelope) == claim
