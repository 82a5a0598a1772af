"""Codec.checked_envelope: an envelope known to read back as its entry, or None.

Whatever it is given, a checked envelope must be exactly `entry_to_dict`'s,
plain JSON, and read back as the entry; None is always allowed, and must
come back whenever the generated checks cannot tell.
"""

import contextlib
import copy
import datetime as dt
import enum
import functools
import json
import zoneinfo
from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import pytest
from cattrs.fns import identity
from hypothesis import given
from hypothesis import strategies as st

import timeline.serialization._writers as serialization
from timeline import Entry, Event, FuzzyDate
from timeline.corpus import load_corpus
from timeline.errors import InvalidEntryError, TimelineError
from timeline.model import _event as events_module
from timeline.model.dates import Precision
from timeline.model.events import (
    Amendment,
    Attack,
    Death,
    Estimate,
    Link,
    Related,
    SameAs,
    registered_event_types,
)
from timeline.model.sources import Credibility, Reliability, Report, Source
from timeline.serialization import Codec, make_converter
from timeline.serialization._converter import _unstructure_fixed_tuple
from timeline.stores._records import check_reads_back, is_plain_json
from timeline.strategies import estimates, events, fuzzy_dates, reports, sources

from .helpers import day, report

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
MT = report("Military Times", dt.date(2017, 10, 4))
BUILT_IN = sorted(
    (
        cls
        for cls in registered_event_types().values()
        if cls.__module__ == "timeline.model.events"
    ),
    key=lambda cls: cls.event_type,
)


def shape(value: object) -> object:
    """Return *value* with the type of everything in it, and the order of keys."""
    if type(value) is dict:
        return ("dict", [(shape(key), shape(item)) for key, item in value.items()])
    if isinstance(value, list | tuple) and type(value) in (list, tuple):
        return (type(value), [shape(item) for item in value])
    return (type(value), repr(value))


def agrees(codec: Codec, entry: object) -> dict[str, Any] | None:
    """Return checked_envelope(entry), asserting all it promises when not None."""
    checked = codec.checked_envelope(entry)  # type: ignore[arg-type]
    if checked is not None:
        assert isinstance(entry, Entry)
        envelope = codec.entry_to_dict(entry)
        assert shape(checked) == shape(envelope)
        assert is_plain_json(checked)
        assert codec.entry_from_dict(json.loads(json.dumps(checked))) == entry
        check_reads_back(codec, entry, checked, where="test")
    return checked


# -- Values forced past the validators ----------------------------------------


class Text(str):
    """A string that is not exactly a str."""

    __slots__ = ()


class Whole(int):
    """A number that is not exactly an int."""

    __slots__ = ()


class Day(dt.date):
    """A day that is not exactly a date, and writes itself as another."""

    __slots__ = ()

    def isoformat(self) -> str:
        """Return a day that is not this one."""
        return "1999-01-01"


class Later(FuzzyDate):
    """A fuzzy date that is not exactly a FuzzyDate."""

    __slots__ = ()


class Grade(enum.IntEnum):
    """An enum of numbers that are Credibility's values."""

    ONE = 1
    TWO = 2


def forced(value: object, path: tuple[str, ...], new: object) -> object:
    """Return a copy of *value* with the attribute at *path* set to *new*.

    Every object on the way is copied, so nothing a codec may have seen or
    cached is changed; validators never see *new*.
    """
    twin = copy.copy(value)
    head, *rest = path
    inner = new if not rest else forced(getattr(value, head), tuple(rest), new)
    object.__setattr__(twin, head, inner)
    return twin


# An estimate with no figure, which its constructor refuses (figures out of
# order it keeps, marked: see test_an_estimate_out_of_order_is_vouched_for).
NO_FIGURES = forced(forced(Estimate(low=1, high=5), ("low",), None), ("high",), None)

ZONES = st.builds(
    dt.timezone, st.integers(-86_399, 86_399).map(lambda s: dt.timedelta(seconds=s))
)
ODD_ZONES = st.one_of(
    st.builds(
        dt.timezone,
        st.integers(-999_999, 999_999).map(lambda us: dt.timedelta(microseconds=us)),
    ),
    st.sampled_from(["Europe/London", "America/New_York"]).map(zoneinfo.ZoneInfo),
)
MOMENTS = st.datetimes(timezones=ZONES)
RANGED = reports().flatmap(
    lambda report: st.tuples(
        st.dates(max_value=report.published_day),
        st.dates(min_value=report.published_day),
    ).map(lambda pair: attrs.evolve(report, published_range=pair))
)
"""Reports published on a day inferred within a range, as in the corpus."""
EVENTS = events(types=BUILT_IN) | events(types=BUILT_IN, reports=RANGED)


NEAR: list[Callable[[Any], object]] = [
    Text,
    Whole,
    float,
    bool,
    str.encode,
    lambda value: value - 1,
    list,
    lambda value: value[:1],
    lambda value: (*value, *value),
    lambda value: Day(value.year, value.month, value.day),
    lambda value: dt.datetime.combine(value, dt.time(), dt.UTC).replace(tzinfo=None),
    lambda value: value.isoformat(),
    lambda value: value.value,
    lambda value: value.name,
]
"""Ways to make a value close to another in kind, where they apply."""


def variants(original: object) -> st.SearchStrategy[object]:
    """Return values close to *original* in kind but not exactly of its type."""
    close: list[object] = [None, (), [], {}, " ", "", -1, Grade.ONE]
    for near in NEAR:
        with contextlib.suppress(Exception):
            close.append(near(original))
    return st.sampled_from(close)


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 2),
    st.floats(),
    st.text(max_size=3),
    st.builds(Text, st.text(max_size=3)),
    st.builds(Whole, st.integers(0, 3)),
    st.dates(),
    st.dates().map(lambda d: Day(d.year, d.month, d.day)),
    st.datetimes(),
    MOMENTS,
    st.datetimes(timezones=ODD_ZONES),
    st.sampled_from([*Reliability, *Credibility, *Precision, *Grade]),
    st.tuples(st.text(max_size=2)),
    st.lists(st.text(max_size=2), max_size=2),
    st.frozensets(st.dates(), max_size=3),
    st.tuples(sources()),
    sources(),
    estimates(),
    fuzzy_dates(),
    st.builds(Report, outlet=sources(), published=st.dates()),
)


def paths(entry: Entry) -> list[tuple[str, ...]]:
    """Return the path to every attribute of *entry*, nested records included."""
    found: list[tuple[str, ...]] = [("seq",), ("recorded_at",), ("event",)]

    def walk(value: Any, prefix: tuple[str, ...]) -> None:
        if not attrs.has(type(value)):
            return
        for field in attrs.fields(type(value)):
            path = (*prefix, field.name)
            found.append(path)
            walk(getattr(value, field.name), path)

    walk(entry.event, ("event",))
    return found


# -- Properties ---------------------------------------------------------------


@given(EVENTS, st.integers(1, 10**12), MOMENTS)
def test_entries_of_the_built_in_types_are_checked(event, seq, moment):
    """Every well-typed entry gets its envelope, and it is entry_to_dict's."""
    entry = Entry(seq, moment, event)

    assert agrees(Codec(), entry) is not None


@given(EVENTS, st.data())
def test_a_value_forced_past_the_validators_is_never_passed(event, data):
    """Whatever is forced in anywhere, an envelope returned reads back as the entry."""
    entry = Entry(1, START, event)
    path = data.draw(st.sampled_from(paths(entry)))
    original = getattr(entry, path[0])
    for name in path[1:]:
        original = getattr(original, name)
    new = data.draw(st.one_of(variants(original), HOSTILE))

    agrees(Codec(), forced(entry, path, new))


@given(EVENTS, st.data())
def test_a_codec_checks_many_entries_in_turn(event, data):
    """Tables of dates and stamps shared between entries change nothing."""
    codec = Codec()
    entries = [Entry(1, START, event), Entry(2, START, event)]
    # Its readers built first, or its checkers: the same.
    assert codec.entry_from_dict(codec.entry_to_dict(entries[0])) == entries[0]
    for seq in (3, 4):
        other = data.draw(EVENTS)
        entries.append(Entry(seq, data.draw(MOMENTS), other))

    for entry in entries:
        assert agrees(codec, entry) is not None


@given(EVENTS)
def test_records_checked_by_call_write_the_same(event):
    """Records spelled out in the checker, or checked by a call, agree."""
    entry = Entry(1, START, event)
    inlined = Codec().checked_envelope(entry)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serialization, "_INLINED_DEPTH", 0)
        called = agrees(Codec(), entry)

    assert called is not None
    assert called == inlined


# -- Built-in types, hostile values: None -------------------------------------

DEATH = Death(event_id="d", report=MT, person="Valery Asapov", when=day("2017-09-24"))
ATTACK = Attack(
    event_id="a",
    report=MT,
    when=FuzzyDate.between(dt.date(2017, 9, 1), dt.date(2017, 9, 3)),
    actors=("x", "y"),
    attribution=(Source("TASS"), Source("MoD", kind="ministry")),
    reliability=Reliability.B,
    credibility=Credibility.DOUBTFUL,
    killed=Estimate(low=1, high=5),
)
UNTIL = attrs.evolve(DEATH, when=FuzzyDate.until(dt.date(2017, 9, 24)))
STATED = attrs.evolve(
    DEATH,
    when=attrs.evolve(
        FuzzyDate.one_of(dt.date(2017, 9, 1), dt.date(2017, 9, 5)),
        precision=Precision.MONTH,
    ),
)
RANGED_MT = attrs.evolve(MT, published_range=(dt.date(2017, 10, 3), MT.published))
INFERRED = attrs.evolve(DEATH, report=RANGED_MT)
VOIDING = Amendment(event_id="d", report=MT, voids=1, reason="typo")
MERGING = SameAs(event_id="d", other_event_id="e", report=MT)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "event", [DEATH, UNTIL, STATED, ATTACK, VOIDING, MERGING, INFERRED]
)
def test_the_examples_are_checked(event):
    """The examples below differ from these, which pass, in one value."""
    assert agrees(Codec(), Entry(1, START, event)) is not None


@pytest.mark.parametrize(
    ("event", "path", "new"),
    [
        (DEATH, ("event_id",), Text("d")),
        (DEATH, ("event_id",), "  "),
        (DEATH, ("person",), 7),
        (DEATH, ("person",), None),
        (DEATH, ("report", "outlet", "name"), Text("MT")),
        (DEATH, ("report", "outlet", "name"), " "),
        (DEATH, ("report", "outlet", "kind"), 1),
        (DEATH, ("report", "title"), b"title"),
        (DEATH, ("report", "published"), START.replace(tzinfo=None)),
        (DEATH, ("report", "published"), Day(2017, 10, 4)),
        (DEATH, ("report", "published"), "2017-10-04"),
        (
            DEATH,
            ("report", "published"),
            dt.datetime(2021, 10, 31, 1, 30, tzinfo=LONDON),
        ),
        (
            DEATH,
            ("report", "published"),
            dt.datetime(2017, 10, 4, tzinfo=dt.timezone(dt.timedelta(microseconds=1))),
        ),
        (DEATH, ("report", "published_range"), (dt.date(2017, 1, 1),) * 2),
        (DEATH, ("report", "published_range"), (MT.published,) * 3),
        (DEATH, ("report", "published_range"), (MT.published,)),
        (DEATH, ("report", "published_range"), [MT.published, MT.published]),
        (DEATH, ("report", "published_range"), (MT.published, "2017-10-05")),
        (DEATH, ("report", "published_range"), (MT.published, Day(2017, 10, 5))),
        (
            DEATH,
            ("report", "published_range"),
            (MT.published, dt.datetime(2017, 10, 5, tzinfo=dt.UTC)),
        ),
        (INFERRED, ("report", "published"), dt.date(2017, 10, 5)),
        (
            INFERRED,
            ("report", "published"),
            dt.datetime(2017, 10, 2, 23, tzinfo=dt.UTC),
        ),
        (DEATH, ("when",), dt.date(2017, 9, 24)),
        (DEATH, ("when",), Later(dt.date(2017, 9, 24), None, precision=Precision.DAY)),
        (DEATH, ("when", "earliest"), Day(2017, 9, 24)),
        (DEATH, ("when", "latest"), dt.date(2017, 9, 23)),
        (DEATH, ("when", "latest"), dt.datetime(2017, 9, 24, tzinfo=dt.UTC)),
        (DEATH, ("when", "precision"), "day"),
        (DEATH, ("when", "phrase"), Text("on Sunday")),
        (DEATH, ("when", "choices"), {dt.date(2017, 9, 24)}),
        (DEATH, ("when", "choices"), frozenset([dt.date(2017, 9, 1)] * 1)),
        (UNTIL, ("when", "latest"), None),
        (STATED, ("when", "choices"), frozenset([dt.date(2017, 9, 1)])),
        (ATTACK, ("when", "latest"), dt.date(2017, 8, 31)),
        (ATTACK, ("actors",), ["x", "y"]),
        (ATTACK, ("actors",), ("x", Text("y"))),
        (ATTACK, ("attribution",), [Source("TASS")]),
        (ATTACK, ("attribution",), ("TASS",)),
        (ATTACK, ("reliability",), "B"),
        (ATTACK, ("credibility",), 4),
        (ATTACK, ("credibility",), Grade.TWO),
        (ATTACK, ("killed",), NO_FIGURES),
        (ATTACK, ("killed", "low"), -1),
        (ATTACK, ("killed", "low"), True),
        (ATTACK, ("killed", "high"), 2.5),
        (ATTACK, ("killed", "high"), float("nan")),
        (VOIDING, ("voids",), True),
        (VOIDING, ("voids",), -1),
        (VOIDING, ("voids",), Whole(1)),
        (VOIDING, ("voids",), float("inf")),
    ],
)
def test_a_forced_value_is_refused(event, path, new):
    """A value of the wrong type, or one a reader refuses, gets None."""
    assert (
        agrees(Codec(), forced(Entry(1, START, event), ("event", *path), new)) is None
    )


def test_an_estimate_out_of_order_is_vouched_for():
    """Figures out of order are kept as given: the envelope reads back as written."""
    entry = forced(Entry(1, START, ATTACK), ("event", "killed", "high"), 0)

    assert agrees(Codec(), entry) is not None


@pytest.mark.parametrize(
    ("path", "new"),
    [
        (("seq",), 0),
        (("seq",), True),
        (("seq",), Whole(1)),
        (("recorded_at",), None),
        (("recorded_at",), START.replace(tzinfo=None)),
        (("recorded_at",), START.astimezone(LONDON)),
        (("recorded_at",), START.replace(tzinfo=dt.timezone(dt.timedelta(0, 0, 5)))),
        (("recorded_at",), START.date()),
        (("event",), "an event"),
        (("event",), object.__new__(Death)),
    ],
)
def test_a_forced_entry_value_is_refused(path, new):
    """The entry's own values are checked too."""
    entry = forced(Entry(1, START, DEATH), path, new)

    assert Codec().checked_envelope(entry) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event", "path", "new"),
    [
        (DEATH, ("event_id",), "  "),
        (
            DEATH,
            ("report", "published"),
            dt.datetime(2021, 10, 31, 1, 30, fold=1, tzinfo=LONDON),
        ),
        (
            DEATH,
            ("report", "published"),
            dt.datetime(2017, 10, 4, tzinfo=dt.timezone(dt.timedelta(microseconds=1))),
        ),
        (DEATH, ("when", "latest"), dt.date(2017, 9, 23)),
        (ATTACK, ("killed",), NO_FIGURES),
        (VOIDING, ("voids",), True),
        (VOIDING, ("voids",), -1),
        (MERGING, ("other_event_id",), "d"),
    ],
)
def test_some_refused_values_fail_the_full_check_too(event, path, new):
    """None is needed for these: decoding the envelope would refuse them."""
    codec = Codec()
    entry = forced(Entry(1, START, event), ("event", *path), new)
    envelope = json.loads(json.dumps(codec.entry_to_dict(entry)))  # type: ignore[arg-type]

    assert codec.checked_envelope(entry) is None  # type: ignore[arg-type]
    with pytest.raises((TimelineError, TypeError, ValueError)):
        check_reads_back(codec, entry, envelope, where="test")  # type: ignore[arg-type]


def test_every_entry_of_the_corpus_is_checked():
    """The bundled corpus, a published_range on every report, needs no decoding."""
    codec = Codec()
    log = load_corpus()

    assert all(
        entry.event.report.published_range
        for entry in log
        if entry.event.report.outlet.kind != "analyst"  # the analyst's own day
    )
    for entry in log:
        assert agrees(codec, entry) is not None


def test_a_published_range_is_written_as_a_list():
    """The converter writes a pair as JSON holds it: a list, not a tuple."""
    envelope = Codec().entry_to_dict(Entry(1, START, INFERRED))
    own = make_converter().unstructure(RANGED_MT, Report)

    assert envelope["payload"]["report"]["published_range"] == [
        "2017-10-03",
        "2017-10-04",
    ]
    assert own == envelope["payload"]["report"]
    assert is_plain_json(envelope)


def test_an_entry_of_a_subclass_is_refused():
    """A subclass of Entry does not read back as itself."""

    class Stamped(Entry):
        pass

    assert Codec().checked_envelope(Stamped(1, START, DEATH)) is None


def test_a_date_that_does_not_read_back_is_refused_each_time():
    """A date checked by reading it back is refused again from the table."""
    one_of = FuzzyDate.one_of(dt.date(2017, 9, 1), dt.date(2017, 9, 5))
    stated = attrs.evolve(one_of, precision=Precision.MONTH)
    # Choices that no longer span the bounds read back as other bounds.
    bad = forced(stated, ("earliest",), dt.date(2017, 8, 1))
    codec = Codec()

    for seq, when in enumerate([bad, bad, stated, stated], start=1):
        entry = Entry(seq, START, forced(DEATH, ("when",), when))  # type: ignore[arg-type]
        checked = agrees(codec, entry)
        assert (checked is None) is (when is bad)


def test_dates_of_every_form_are_written_as_entry_to_dict_writes_them():
    """Days, ranges, months, choices, open ends, phrases: each is checked."""
    dates = [
        day("2017-09-24"),
        FuzzyDate.exact(dt.date(2017, 9, 24)).with_phrase("on Sunday", anchor=None),
        attrs.evolve(day("2017-09-24"), precision=Precision.MONTH),
        FuzzyDate.between(dt.date(2017, 9, 1), dt.date(2017, 9, 3)),
        FuzzyDate.between(dt.date(2017, 9, 1), dt.date(2017, 9, 3)).with_phrase(
            "early September", anchor=dt.date(2017, 10, 4)
        ),
        FuzzyDate.month(2017, 9),
        FuzzyDate.month(2017, 9).with_phrase("in September", anchor=None),
        FuzzyDate.one_of(dt.date(2017, 9, 1), dt.date(2017, 9, 5)),
        FuzzyDate.until(dt.date(2017, 9, 1)),
        FuzzyDate.since(dt.date(2017, 9, 1)),
        FuzzyDate.year(2017),
    ]
    codec = Codec()
    for seq, when in enumerate(dates * 2, start=1):
        entry = Entry(seq, START, attrs.evolve(DEATH, when=when))
        assert agrees(codec, entry) is not None


def test_a_date_of_a_subclass_never_changes_what_equal_dates_write():
    """Dates are written once for each distinct value: never for a subclass's."""
    first, last = dt.date(1234, 5, 6), dt.date(1234, 5, 8)
    shifted = FuzzyDate.between(Day(first.year, first.month, first.day), last)
    plain = FuzzyDate.between(first, last)
    codec = Codec()

    odd = codec.entry_to_dict(Entry(1, START, attrs.evolve(DEATH, when=shifted)))
    good = codec.entry_to_dict(Entry(2, START, attrs.evolve(DEATH, when=plain)))

    assert odd["payload"]["when"] == "1999-01-01/1234-05-08"
    assert good["payload"]["when"] == "1234-05-06/1234-05-08"
    assert (
        codec.checked_envelope(Entry(1, START, attrs.evolve(DEATH, when=shifted)))
        is None
    )


# -- Codecs that cannot tell ---------------------------------------------------


class Tracing(Codec):
    """A codec that changes how entries are encoded."""

    __slots__ = ()

    def entry_to_dict(self, entry: Entry) -> dict[str, Any]:
        """Return the envelope with a mark of its own."""
        return {**super().entry_to_dict(entry), "traced": True}


class Named(Codec):
    """A codec that changes nothing."""

    __slots__ = ()


def test_a_codec_with_a_converter_of_its_own_cannot_tell():
    """A converter given by the user may write anything."""
    assert Codec(make_converter()).checked_envelope(Entry(1, START, DEATH)) is None


def test_a_subclass_that_changes_encoding_cannot_tell():
    """Only a subclass that encodes and decodes as Codec does is checked."""
    entry = Entry(1, START, DEATH)

    assert Tracing().entry_to_dict(entry)["traced"]
    assert Tracing().checked_envelope(entry) is None
    assert agrees(Named(), entry) is not None


@attrs.frozen(kw_only=True)
class Noted(Event):
    """A user type with an optional day."""

    event_type: ClassVar[str] = "_test_guard_noted"

    on: dt.date | None = None


def _hooked(kind: Any, hook: Callable[[Any], Any]) -> Codec:
    """Return a codec whose converter writes *kind* (a type or a form) with *hook*."""
    codec = Codec()
    if isinstance(kind, type):
        codec.converter.register_unstructure_hook(kind, hook)
    else:
        codec.converter.register_unstructure_hook_func(
            lambda type_: type_ == kind, hook
        )
    return codec


@pytest.mark.parametrize(
    ("kind", "hook", "refused"),
    [
        (str, str.upper, True),
        (int, str, True),
        (Reliability, lambda member: member.name, True),
        (FuzzyDate, str, True),
        (tuple[str, ...], tuple, True),
        (dt.date, identity, True),
        (dt.date | dt.datetime, identity, True),
        # The generated writers write dates as isoformat() whatever the hook.
        (dt.date, lambda value: "a day", False),
    ],
)
def test_a_converter_changed_before_first_use_is_trusted_no_further(
    kind, hook, refused
):
    """The checks trust only the hooks they know what the writers make of."""
    codec = _hooked(kind, hook)
    noted = Entry(2, START, Noted(event_id="n", report=MT, on=dt.date(2017, 9, 1)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(events_module._REGISTRY, Noted.event_type, Noted)
        results = [agrees(codec, Entry(1, START, ATTACK)), agrees(codec, noted)]

    assert (None in results) is refused


def test_a_pair_of_days_written_by_another_hook_is_refused():
    """The days of a published_range are written by the converter's hook."""
    codec = Codec()
    codec.converter.register_unstructure_hook(dt.date, lambda value: "a day")
    entry = Entry(1, START, INFERRED)

    assert codec.entry_to_dict(entry)["payload"]["report"]["published_range"] == [
        "a day",
        "a day",
    ]
    assert codec.checked_envelope(entry) is None


def test_a_stamp_that_would_not_read_back_is_refused(monkeypatch):
    """Should reading a recorded_at back ever disagree, the entry is refused."""
    monkeypatch.setattr(
        serialization,
        "_structure_aware_datetime",
        lambda value, _: START.replace(year=1),
    )

    assert Codec().checked_envelope(Entry(1, START, DEATH)) is None


def test_a_date_that_would_not_be_plain_json_is_refused(monkeypatch):
    """Should a fuzzy date ever be written as other than strings, it is refused."""
    monkeypatch.setattr(serialization, "_unstructure_fuzzy_date", lambda value: ("x",))
    event = attrs.evolve(DEATH, when=FuzzyDate.month(2017, 9))

    assert Codec().checked_envelope(Entry(1, START, event)) is None


# -- User-declared types ------------------------------------------------------
# Tags with a leading underscore are not registered: tests register them
# themselves, so that the strategies other tests draw from never see them.


class Mood(enum.Enum):
    """A user enum of strings."""

    CALM = "calm"
    TENSE = "tense"


@attrs.frozen(kw_only=True)
class Survey(Event):
    """A user type with fields of many kinds the checks know."""

    event_type: ClassVar[str] = "_test_guard_survey"

    taken: dt.date
    counted: int = 0
    unit: str = "people"
    mood: Mood = Mood.CALM
    sizes: tuple[int, ...] = ()
    on: dt.date | None = None
    outlets: tuple[Source, ...] = ()
    range: Estimate | None = None


@attrs.frozen(kw_only=True)
class Span(Estimate):
    """An estimate with a field of its own: its post-init is still Estimate's."""

    unit: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen(kw_only=True)
class Spanning(Event):
    """A user type holding an estimate of a subclass."""

    event_type: ClassVar[str] = "_test_guard_spanning"

    span: Span | None = None


@attrs.frozen(kw_only=True)
class Kind(Source):
    """A source with a field whose validator the checks do not know."""

    tag: str = attrs.field(
        default="t", kw_only=True, validator=attrs.validators.instance_of(str)
    )


@attrs.frozen(kw_only=True)
class Kinds(Event):
    """A user type with a tuple of such sources."""

    event_type: ClassVar[str] = "_test_guard_kinds"

    kinds: tuple[Kind, ...] = ()


@attrs.frozen(kw_only=True)
class Kindly(Event):
    """A user type with one such source."""

    event_type: ClassVar[str] = "_test_guard_kindly"

    kind: Kind | None = None


@attrs.frozen(kw_only=True)
class Valued(Event):
    """A user type with a validator the checks do not know."""

    event_type: ClassVar[str] = "_test_guard_valued"

    mark: str = attrs.field(validator=attrs.validators.max_len(9))


@attrs.frozen(kw_only=True)
class DateValued(Event):
    """A user type with a validator on a field that is not a string."""

    event_type: ClassVar[str] = "_test_guard_date_valued"

    on: dt.date = attrs.field(validator=attrs.validators.instance_of(dt.date))


@attrs.frozen(kw_only=True, eq=False)
class Unequal(Event):
    """A user type that compares as it likes."""

    event_type: ClassVar[str] = "_test_guard_unequal"

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


@attrs.frozen(kw_only=True)
class Folded(Event):
    """A user type comparing a field by a key."""

    event_type: ClassVar[str] = "_test_guard_folded"

    mark: str = attrs.field(eq=str.lower)


@attrs.frozen(kw_only=True)
class Prepared(Event):
    """A user type with a hook run before its fields are set."""

    event_type: ClassVar[str] = "_test_guard_prepared"

    def __attrs_pre_init__(self) -> None:
        """Do nothing, but be there."""


@attrs.frozen(kw_only=True)
class Finished(Event):
    """A user type with a post-init of its own."""

    event_type: ClassVar[str] = "_test_guard_finished"

    def __attrs_post_init__(self) -> None:
        """Do nothing, but be there."""


@attrs.frozen(kw_only=True)
class Demanding(Event):
    """A user type with an optional field that has no default."""

    event_type: ClassVar[str] = "_test_guard_demanding"

    mark: str | None


@attrs.frozen(kw_only=True)
class Dated(Event):
    """A user type with a field of dates the checks do not know."""

    event_type: ClassVar[str] = "_test_guard_dates"

    days: tuple[dt.date, ...]


@attrs.frozen(kw_only=True)
class Paired(Event):
    """A user type with a pair."""

    event_type: ClassVar[str] = "_test_guard_paired"

    pair: tuple[str, int]


@attrs.frozen(kw_only=True)
class FlaggedPair(Event):
    """A user type with a pair holding a kind the checks do not know."""

    event_type: ClassVar[str] = "_test_guard_flagged_pair"

    pair: tuple[dt.date, bool]


@attrs.frozen(kw_only=True)
class OddDefault(Event):
    """A user type whose default is not of its field's type."""

    event_type: ClassVar[str] = "_test_guard_odd_default"

    count: int = True


@attrs.frozen(kw_only=True)
class DateDefault(Event):
    """A user type whose default is a date."""

    event_type: ClassVar[str] = "_test_guard_date_default"

    on: dt.date = dt.date(2017, 1, 1)


@attrs.frozen(kw_only=True)
class LongDefault(Event):
    """A user type whose default tuple is not empty."""

    event_type: ClassVar[str] = "_test_guard_long_default"

    marks: tuple[str, ...] = ("a",)


@attrs.frozen(kw_only=True)
class Maybe(Event):
    """A user type with an optional field whose default is not None."""

    event_type: ClassVar[str] = "_test_guard_maybe"

    mark: str | None = "x"


@attrs.frozen(kw_only=True)
class Ratio(Event):
    """A user type with a field the direct readers leave to cattrs.

    A ``bool`` was one until the built-in `Related` had a flag of its own.
    """

    event_type: ClassVar[str] = "_test_guard_ratio"

    ratio: float = 0.5


@attrs.frozen(kw_only=True)
class Made(Event):
    """A user type with a default made anew each time: no direct writer."""

    event_type: ClassVar[str] = "_test_guard_made"

    marks: tuple[str, ...] = attrs.field(factory=tuple)


@attrs.frozen(kw_only=True)
class Versioned(Event):
    """A user type with a schema version no reader accepts."""

    event_type: ClassVar[str] = "_test_guard_versioned"
    schema_version: ClassVar[int] = 0


class Posing(Death):
    """Not an attrs class of its own: the tag "death" reads as Death."""

    __slots__ = ()


CHECKED_TYPES = (Survey, Spanning, Paired)
SPANS = estimates().map(
    lambda estimate: Span(low=estimate.low, best=estimate.best, high=estimate.high)
)
CHECKED_EVENTS = (
    events(types=[Survey])
    | st.builds(
        Spanning,
        event_id=st.just("s"),
        report=st.just(MT),
        span=st.none()
        | SPANS
        | st.builds(attrs.evolve, SPANS, unit=st.text(max_size=3)),
    )
    | st.builds(
        Paired,
        event_id=st.just("p"),
        report=RANGED,
        pair=st.tuples(st.text(max_size=3), st.integers(0, 9)),
    )
)
REFUSED_EVENTS = [
    Kinds(event_id="k", report=MT, kinds=(Kind("TASS"),)),
    Kindly(event_id="k", report=MT, kind=Kind("TASS")),
    Valued(event_id="v", report=MT, mark="m"),
    DateValued(event_id="v", report=MT, on=dt.date(2017, 1, 2)),
    Unequal(event_id="u", report=MT),
    Folded(event_id="f", report=MT, mark="M"),
    Prepared(event_id="p", report=MT),
    Finished(event_id="f", report=MT),
    Demanding(event_id="d", report=MT, mark=None),
    Dated(event_id="d", report=MT, days=(dt.date(2017, 1, 2),)),
    FlaggedPair(event_id="p", report=MT, pair=(dt.date(2017, 1, 2), True)),
    OddDefault(event_id="o", report=MT, count=2),
    DateDefault(event_id="d", report=MT),
    LongDefault(event_id="l", report=MT),
    Maybe(event_id="m", report=MT),
    Ratio(event_id="f", report=MT, ratio=0.25),
    Made(event_id="m", report=MT),
    Versioned(event_id="v", report=MT),
    Posing(event_id="p", report=MT, person="Asapov"),
]


@pytest.fixture
def registered(monkeypatch):
    """Register the user types above for the test."""
    for event in REFUSED_EVENTS:
        cls = type(event)
        if cls is not Posing:
            monkeypatch.setitem(events_module._REGISTRY, cls.event_type, cls)


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(
    "event", REFUSED_EVENTS, ids=lambda event: type(event).__name__
)
def test_user_types_the_checks_do_not_know_cannot_tell(event):
    """Validators, hooks, defaults and fields the checks do not know: None."""
    assert agrees(Codec(), Entry(1, START, event)) is None


@pytest.mark.usefixtures("registered")
def test_records_checked_by_call_are_refused_alike(monkeypatch):
    """A record the checks do not know is refused when not spelled out too."""
    monkeypatch.setattr(serialization, "_INLINED_DEPTH", 0)
    event = Kindly(event_id="k", report=MT, kind=Kind("TASS"))

    assert Codec().checked_envelope(Entry(1, START, event)) is None


@pytest.mark.usefixtures("registered")
def test_a_type_comparing_by_identity_fails_the_full_check_too():
    """None was needed: no copy read back equals an entry of it."""
    codec, entry = Codec(), Entry(1, START, Unequal(event_id="u", report=MT))

    with pytest.raises(InvalidEntryError, match="would read back as"):
        check_reads_back(codec, entry, codec.entry_to_dict(entry), where="test")


def test_an_unregistered_type_cannot_tell():
    """The readers would not find the class of its tag."""
    survey = Survey(event_id="s", report=MT, taken=dt.date(2017, 1, 1))

    assert Codec().checked_envelope(Entry(1, START, survey)) is None


@given(CHECKED_EVENTS, st.data())
def test_user_types_the_checks_know_are_checked(event, data):
    """A user type of fields the checks know is checked like the built-in ones."""
    entry = Entry(1, START, event)
    with pytest.MonkeyPatch.context() as patch:
        for cls in CHECKED_TYPES:
            patch.setitem(events_module._REGISTRY, cls.event_type, cls)
        assert agrees(Codec(), entry) is not None
        path = data.draw(st.sampled_from(paths(entry)))
        original = getattr(entry, path[0])
        for name in path[1:]:
            original = getattr(original, name)
        new = data.draw(st.one_of(variants(original), HOSTILE))
        agrees(Codec(), forced(entry, path, new))


@attrs.frozen(kw_only=True)
class RatedPair(Event):
    """A user type with a pair holding an enum, which the readers know."""

    event_type: ClassVar[str] = "_test_guard_rated_pair"

    pair: tuple[str, Reliability]


def _pair_entry(cls: type[Paired | RatedPair], pair: tuple[Any, ...]) -> Entry:
    return Entry(1, START, cls(event_id="p", report=MT, pair=pair))


@pytest.fixture
def pairs(monkeypatch):
    """Register the pair types for the test."""
    for cls in (Paired, RatedPair):
        monkeypatch.setitem(events_module._REGISTRY, cls.event_type, cls)


@pytest.mark.usefixtures("pairs")
def test_a_pair_of_kinds_the_checks_do_not_write_cannot_tell():
    """A fixed tuple of anything but strings, whole numbers and days: None."""
    entry = _pair_entry(RatedPair, ("a", Reliability.A))

    assert Codec().entry_from_dict(Codec().entry_to_dict(entry)) == entry
    assert agrees(Codec(), entry) is None


@pytest.mark.usefixtures("pairs")
@pytest.mark.parametrize(
    ("kind", "hook"), [(str, str.upper), (int, str), (tuple[str, int], list)]
)
def test_a_pair_written_by_other_hooks_cannot_tell(kind, hook):
    """Hooks for a pair or its items, registered before first use: None."""
    codec = _hooked(kind, hook)

    assert agrees(codec, _pair_entry(Paired, ("a", 1))) is None


@pytest.mark.usefixtures("pairs")
@pytest.mark.parametrize("items", ["fewer", "other"])
def test_a_pair_hook_made_by_hand_cannot_tell(items):
    """A tuple hook not made by the converter's factory from its own hooks."""
    codec = Codec()
    converter = codec.converter
    own = (converter.get_unstructure_hook(str), converter.get_unstructure_hook(int))
    hooks = own[:1] if items == "fewer" else (own[0], lambda value: value)
    converter.register_unstructure_hook_func(
        lambda type_: type_ == tuple[str, int],
        functools.partial(_unstructure_fixed_tuple, hooks),
    )

    assert codec.checked_envelope(_pair_entry(Paired, ("a", 1))) is None


@pytest.mark.parametrize("flag", [True, False])
def test_a_flag_is_checked_and_written_as_it_is(flag):
    """A bool field (a link's same_when) is checked by its exact class."""
    link = Related(
        event_id="a",
        other_event_id="b",
        relation=Link.PART_OF,
        same_when=flag,
        report=MT,
    )
    checked = agrees(Codec(), Entry(1, START, link))

    assert checked is not None
    assert checked["payload"].get("same_when", False) is flag
    forced = attrs.evolve(link)
    object.__setattr__(forced, "same_when", 1)
    assert agrees(Codec(), Entry(1, START, forced)) is None
