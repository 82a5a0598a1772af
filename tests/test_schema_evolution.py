"""Schema evolution: logs written under an old schema load and answer as before.

A user type is declared at version 1, logs of it are stored in both file
formats, and the type is then evolved to version 2: one field renamed
through an upcaster, one field added with a default. The old files load
unchanged (their hashes still seal the version 1 bytes), every answer of
``as_of`` is the same as before under the field's new name, and new entries
are appended after the old ones without rewriting them.

Built-in types are pinned by the golden files in ``tests/data`` (see
``tests/test_serialization.py``), which must never be removed.
"""

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import Event, EventLog, FuzzyDate
from timeline.errors import DanglingReferenceError
from timeline.model.events import Confirmation, Correction, Denial, Retraction, SameAs
from timeline.model.sources import Report, Source
from timeline.projections import Knowledge
from timeline.stores import JsonlStore, SQLiteStore, check
from timeline.strategies import events, reports

from .helpers import FakeClock

TAG = "test_evolving_sighting"
RENAMED = {"spotter": "observer"}
FIRST, LAST = dt.date(2017, 9, 20), dt.date(2017, 10, 5)
IDS = st.sampled_from(["convoy-a", "convoy-b", "convoy-c"])
REPORTS = reports(
    min_value=FIRST,
    max_value=LAST,
    outlets=st.sampled_from([Source("Alpha Times"), Source("Beta Agency")]),
)
SUFFIXES = (".jsonl", ".sqlite")


def upcast_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    """Rename *spotter* to *observer*; *heading* takes its default."""
    return {RENAMED.get(key, key): value for key, value in payload.items()}


def declare(version: int) -> Any:
    """Declare the sighting type at schema *version*, replacing the other one.

    Both classes have one module and qualified name, so the registry lets
    the later declaration take the tag over, as a new release of a user's
    code would.
    """
    if version == 1:

        @attrs.frozen(kw_only=True)
        class Sighting(Event):
            """A convoy seen by someone: version 1."""

            event_type: ClassVar[str] = TAG

            spotter: str
            vehicles: int

        return Sighting

    @attrs.frozen(kw_only=True)
    class Sighting(Event):  # type: ignore[no-redef]  # the same class, evolved
        """A convoy seen by someone: version 2 renames *spotter* and adds *heading*."""

        event_type: ClassVar[str] = TAG
        schema_version: ClassVar[int] = 2
        upcasters: ClassVar = MappingProxyType({1: upcast_v1_to_v2})

        observer: str
        vehicles: int
        heading: str | None = None

    return Sighting


def answer(knowledge: Knowledge, renamed: Mapping[str, str]) -> tuple[object, ...]:
    """Return everything *knowledge* says, fields called by their *renamed* names."""
    return tuple(
        (
            happening.event_id,
            happening.event_ids,
            happening.status,
            happening.statuses,
            happening.first_known,
            [entry.seq for entry in happening.claims],
            [entry.seq for entry in happening.withdrawn],
            [entry.seq for entry in happening.responses],
            sorted(
                (
                    renamed.get(name, name),
                    [
                        (value.value, [e.seq for e in value.claims])
                        for value in field.values
                    ],
                    field.in_conflict,
                )
                for name, field in happening.fields.items()
            ),
        )
        for happening in knowledge
    )


def answers(log: EventLog, renamed: Mapping[str, str]) -> dict[object, object]:
    """Return the answers of *log* on every day that matters, at every seq."""
    days = {FIRST - dt.timedelta(days=1), *(e.event.report.published_day for e in log)}
    return {
        (day, seq): answer(log.as_of(day, seq=seq), renamed)
        for day in sorted(days)
        for seq in (None, *range(len(log)))
    }


@st.composite
def old_logs(draw: st.DrawFn, sighting: type[Event]) -> EventLog:
    """Return a log of sightings, the responses to them and merges of them."""
    sightings = events(
        types=[sighting],
        event_ids=IDS,
        reports=REPORTS,
        when=st.one_of(st.just(FuzzyDate.exact(FIRST)), st.none()),
    )
    others = events(
        types=[Denial, Confirmation, Retraction, Correction, SameAs],
        event_ids=IDS,
        reports=REPORTS,
    )
    log = EventLog(clock=FakeClock())
    for event in draw(
        st.lists(sightings | sightings | others, min_size=1, max_size=10)
    ):
        try:
            log.append(event)
        except DanglingReferenceError:
            continue  # A response to a happening not logged yet.
    return log


def store(log: EventLog, path: Path) -> bytes:
    """Store *log* at *path*; return the file's bytes."""
    backend = JsonlStore if path.suffix == ".jsonl" else SQLiteStore
    with backend(path) as stored:
        stored.append(list(log))
    return path.read_bytes()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_old_logs_answer_as_before_after_the_type_evolves(tmp_path_factory, data):
    """Renaming a field through an upcaster and adding one changes no answer."""
    log = data.draw(old_logs(declare(1)), label="log")
    directory = tmp_path_factory.mktemp("evolution")
    paths = [directory / f"log{suffix}" for suffix in SUFFIXES]
    written = {path: store(log, path) for path in paths}
    before = answers(log, RENAMED)

    sighting = declare(2)

    for path in paths:
        with EventLog.open(path, clock=FakeClock()) as reopened:
            assert answers(reopened, {}) == before
            for old, new in zip(log, reopened, strict=True):
                if new.event.event_type == TAG:
                    assert type(new.event) is sighting
                    fields = attrs.asdict(new.event, recurse=False)
                    assert fields["observer"] == attrs.asdict(old.event)["spotter"]
                    assert fields["heading"] is None
            reopened.append(
                sighting(
                    event_id="convoy-z",
                    report=Report(outlet=Source("Gamma Post"), published=LAST),
                    observer="drone",
                    vehicles=3,
                    heading="north",
                )
            )
        assert check(path).ok
    jsonl = paths[0]
    assert jsonl.read_bytes().startswith(written[jsonl])
