import datetime as dt
import enum
import json
from typing import ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import EventLog, FuzzyDate
from timeline.corpus import load_corpus
from timeline.model.events import Death, Estimate, Event, Retraction
from timeline.model.sources import Credibility, Reliability, Report, Source
from timeline.projections import Status
from timeline.strategies import fuzzy_dates, logs
from timeline.views.records import (
    FORMAT_VERSION,
    citation,
    claim_rows,
    conflicts_record,
    date_record,
    diff_record,
    entry_record,
    happening_record,
    history_record,
    json_value,
    knowledge_record,
    source_record,
    status_text,
    summary_record,
    value_text,
)

from .helpers import FakeClock, day, report

D = dt.date.fromisoformat
CORPUS = load_corpus()
days = st.dates(min_value=D("2017-08-31"), max_value=D("2017-11-01"))


def round_trips(record: object) -> bool:
    """Return whether *record* comes back from JSON unchanged."""
    back: object = json.loads(json.dumps(record))
    return back == record


@settings(max_examples=30, deadline=None)
@given(logs(max_size=15), days)
def test_knowledge_record_is_json_and_keeps_every_value_and_claim(log, on):
    """Every value of every field, and every live claim behind it, is in the record."""
    knowledge = log.as_of(on)

    record = knowledge_record(knowledge)

    assert round_trips(record)
    assert [h["event_id"] for h in record["happenings"]] == [
        h.event_id for h in knowledge
    ]
    for happening, stored in zip(knowledge, record["happenings"], strict=True):
        assert stored["status"] == happening.status.value
        assert [c["seq"] for c in stored["claims"]] == [e.seq for e in happening.claims]
        for name, field in happening.fields.items():
            values = stored["fields"][name]["values"]
            assert [[c["seq"] for c in v["claims"]] for v in values] == [
                [entry.seq for entry in value.claims] for value in field.values
            ]


@settings(max_examples=20, deadline=None)
@given(logs(max_size=15), days, days)
def test_diff_and_conflicts_records_are_json(log, first, second):
    """The diff and conflicts documents survive a JSON round trip."""
    since, until = sorted([first, second])

    diff = diff_record(log.diff(since, until))
    conflicts = conflicts_record(log.as_of(until))

    assert round_trips(diff)
    assert round_trips(conflicts)
    assert len(conflicts["conflicts"]) == len(log.as_of(until).conflicts())


@settings(max_examples=20, deadline=None)
@given(logs(max_size=15))
def test_history_record_has_a_step_per_change(log):
    """One step per day that changed what was known, each a happening record."""
    for event_id in sorted(log.event_ids)[:2]:
        steps = log.history(event_id)

        record = history_record(event_id, steps)

        assert round_trips(record)
        assert [step["as_of"] for step in record["steps"]] == [
            day.isoformat() for day, _ in steps
        ]


@settings(max_examples=20, deadline=None)
@given(logs(max_size=15), days, st.sampled_from(["Alpha Times", "beta agency", "x"]))
def test_source_record_is_json_and_lists_each_entry_naming_the_source(log, on, name):
    """Each account keeps the source's entries, each with its facts as text."""
    knowledge = log.as_of(on)

    record = source_record(knowledge, name)

    assert round_trips(record)
    accounts = knowledge.by_source(name)
    assert [a["event_id"] for a in record["accounts"]] == [
        account.happening.event_id for account in accounts
    ]
    for account, stored in zip(accounts, record["accounts"], strict=True):
        for kind in ("claims", "withdrawn", "responses"):
            assert [e["seq"] for e in stored[kind]] == [
                entry.seq for entry in getattr(account, kind)
            ]
            assert [e["texts"] for e in stored[kind]] == [
                {n: value_text(v) for n, v in entry.event.facts().items()}
                for entry in getattr(account, kind)
            ]


def test_source_record_about_a_text():
    """--about keeps only the accounts of happenings matching the text."""
    record = source_record(CORPUS.as_of(D("2017-10-04")), "TASS", about="fedyanin")

    assert [a["event_id"] for a in record["accounts"]] == [
        "fedyanin-death",
        "fedyanin-wounding",
    ]
    assert record["accounts"][0]["statuses"] == ["reported"]
    assert record["accounts"][0]["when"]["edtf"] == "2017-10-01"
    assert (record["about"], record["source"]) == ("fedyanin", "TASS")


@given(fuzzy_dates())
def test_date_record_holds_the_date(date):
    """EDTF, bounds, precision, choices, phrase and anchor are all kept."""
    record = date_record(date)

    assert round_trips(record)
    assert FuzzyDate.from_edtf(record["edtf"]).earliest == date.earliest
    assert (record["precision"], record["phrase"]) == (
        date.precision.value,
        date.phrase,
    )
    assert record["choices"] == sorted(day.isoformat() for day in date.choices)


class Colour(enum.Enum):
    """An enum a user's event type might hold."""

    RED = "red"


@attrs.frozen
class Pair:
    """An attrs value a user's event type might hold."""

    left: int
    right: int | None = None


class TestJsonValue:
    """`json_value` turns any fact into JSON-ready data."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, None),
            (True, True),
            (3, 3),
            (1.5, 1.5),
            ("text", "text"),
            (Colour.RED, "red"),
            (Credibility.CONFIRMED, 1),
            (D("2017-09-23"), "2017-09-23"),
            (
                dt.datetime(2017, 9, 23, 8, tzinfo=dt.UTC),
                "2017-09-23T08:00:00+00:00",
            ),
            (("a", 1), ["a", 1]),
            (["a"], ["a"]),
            (frozenset({"b", "a"}), ["a", "b"]),
            ({"a": 1, 2: Colour.RED}, {"a": 1, "2": "red"}),
            (Estimate(low=11), {"low": 11}),
            (Pair(1), {"left": 1}),
            (object, "<class 'object'>"),
        ],
        ids=repr,
    )
    def test_values(self, value, expected):
        """Each kind of value becomes the documented JSON shape."""
        assert json_value(value) == expected

    def test_a_fuzzy_date_is_a_date_record(self):
        """A fuzzy date becomes its date record."""
        date = FuzzyDate.month(2017, 9)

        assert json_value(date) == date_record(date)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            FuzzyDate.parse("on Sept. 23", anchor=D("2017-09-28")),
            '2017-09-23 "on Sept. 23"',
        ),
        (FuzzyDate.month(2017, 9), "2017-09"),
        (("Valery Asapov", "ISIS"), "Valery Asapov, ISIS"),
        (Colour.RED, "red"),
        (Estimate(low=11), "low 11"),
        (65, "65"),
    ],
    ids=repr,
)
def test_value_text(value, expected):
    """Values read as one line: dates with the report's words."""
    assert value_text(value) == expected


class TestCitation:
    """`citation` says who made a claim and when it became public."""

    def test_the_outlet_s_own_claim(self):
        """Without attribution, only the outlet is named."""
        entry = CORPUS[41]

        assert citation(entry) == "per DEBKA Weekly, published 2017-09-28"

    def test_an_attribution_chain(self):
        """The chain is given outermost first."""
        denial = next(entry for entry in CORPUS if entry.event.event_type == "denial")

        assert citation(denial) == (
            "per Military Times (citing Reuters -> Russian Ministry of Defense), "
            "published 2017-10-04"
        )

    def test_a_publication_time(self):
        """An aware datetime is given whole."""
        log = EventLog(clock=FakeClock())
        published = dt.datetime(2017, 9, 24, 6, 30, tzinfo=dt.UTC)
        entry = log.append(
            Death(
                event_id="x",
                person="X",
                report=Report(outlet=Source("Wire"), published=published),
            )
        )

        assert citation(entry) == "per Wire, published 2017-09-24T06:30:00+00:00"


def test_entry_record_keeps_grading_and_the_publication_range():
    """Reliability, credibility and an inferred publication range are recorded."""
    log = EventLog(clock=FakeClock())
    entry = log.append(
        Death(
            event_id="asapov-death",
            person="Valery Asapov",
            when=day("2017-09-24"),
            report=report(
                "Military Times",
                D("2017-10-04"),
                published_range=(D("2017-10-04"), D("2017-10-10")),
                title="Title",
                url="https://example.org",
            ),
            attribution=[Source("TASS")],
            reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE,
            note="as TASS said",
        )
    )

    record = entry_record(entry)

    assert record == {
        "seq": 1,
        "outlet": "Military Times",
        "attribution": ["TASS"],
        "claimant": "TASS",
        "published": "2017-10-04",
        "citation": "per Military Times (citing TASS), published 2017-10-04",
        "hedge": None,
        "recorded_at": "2026-11-21T09:00:00+00:00",
        "event_id": "asapov-death",
        "event_type": "death",
        "role": "claim",
        "published_range": ["2017-10-04", "2017-10-10"],
        "title": "Title",
        "url": "https://example.org",
        "quote": None,
        "reliability": "B",
        "credibility": 2,
        "note": "as TASS said",
        "facts": {
            "when": date_record(day("2017-09-24")),
            "person": "Valery Asapov",
        },
    }


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.REPORTED], "reported"),
        ([Status.REPORTED, Status.CONFIRMED, Status.DISPUTED], "DISPUTED, CONFIRMED"),
        ([Status.RETRACTED], "RETRACTED"),
    ],
)
def test_status_text(statuses, expected):
    """Statuses other than reported stand out in capitals, strongest first."""
    assert status_text(statuses) == expected


def test_happening_record_of_the_asapov_conflict():
    """Both dates of Asapov's death are kept, each with its source."""
    record = happening_record(CORPUS.as_of(D("2017-10-05"))["asapov-death"])

    assert record["statuses"] == ["disputed", "reported"]
    assert record["when"]["edtf"] == "2017-09-23/2017-09-24"
    assert [
        (value["text"], [claim["citation"] for claim in value["claims"]])
        for value in record["fields"]["when"]["values"]
    ] == [
        (
            '2017-09-23 "on Sept. 23"',
            # Asapov's own, and the colonels' killed by the same shell.
            ["per DEBKA Weekly, published 2017-09-28"] * 2,
        ),
        (
            '2017-09-24 "on Sept. 24"',
            ["per Military Times (citing TASS), published 2017-10-04"],
        ),
    ]


def test_an_undated_happening_has_no_when():
    """A happening no claim dates has ``when`` None."""
    record = happening_record(CORPUS.as_of(D("2017-10-05"))["amaq-capture"])

    assert (record["when"], record["status"]) == (None, "denied")


def test_knowledge_record_about_a_text():
    """``about`` keeps the matching happenings and is recorded."""
    record = knowledge_record(CORPUS.as_of(D("2017-10-05")), about="Fedyanin")

    assert (record["kind"], record["version"], record["about"]) == (
        "knowledge",
        FORMAT_VERSION,
        "Fedyanin",
    )
    assert [h["event_id"] for h in record["happenings"]] == [
        "deir-ez-zor-senior-officer-losses",  # its note names Fedyanin
        "fedyanin-death",
        "fedyanin-wounding",
    ]


def test_conflicts_record_about_a_text():
    """``about`` keeps the conflicts of matching happenings."""
    record = conflicts_record(CORPUS.as_of(D("2017-10-05")), about="Palmyra")

    assert [(c["event_id"], c["field"]) for c in record["conflicts"]] == [
        ("palmyra-car-bombing", "target")
    ]


def test_diff_record_of_the_military_times_report():
    """Oct. 4 brings Sept. 24, a new conflict and a status change."""
    record = diff_record(CORPUS.diff(D("2017-09-28"), D("2017-10-04")))

    assert {
        "event_id": "asapov-death",
        "before": "reported",
        "after": "disputed",
    } in record["status_changes"]
    assert ("asapov-death", "when") in {
        (c["event_id"], c["field"]) for c in record["new_conflicts"]
    }
    assert ("asapov-death", "when", '2017-09-24 "on Sept. 24"') in {
        (v["event_id"], v["field"], v["value"]["text"]) for v in record["new_values"]
    }


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        (
            (),
            {
                "entries": 0,
                "last_seq": 0,
                "happenings": 0,
                "first_published": None,
                "last_published": None,
            },
        ),
        (
            tuple(CORPUS),
            {
                "entries": 121,
                "last_seq": 121,
                "happenings": 80,
                "first_published": "2016-06-18",
                "last_published": "2017-10-05",
            },
        ),
    ],
    ids=["empty", "corpus"],
)
def test_summary_record(entries, expected):
    """Size and span of a log, None where there is nothing."""
    assert summary_record(entries) == expected


@attrs.frozen(kw_only=True)
class Broadcast(Event):
    """A user-declared type with a field named like a column of `claim_rows`."""

    event_type: ClassVar[str] = "test_records_broadcast"

    outlet: str


class TestClaimRows:
    """`claim_rows` flattens knowledge to one row per claim."""

    def test_a_row_per_claim_withdrawn_claim_and_response(self):
        """Every claim of every happening has a row, responses included."""
        knowledge = CORPUS.as_of(D("2017-10-05"))

        rows = claim_rows(knowledge)

        assert len(rows) == sum(
            len(h.claims) + len(h.withdrawn) + len(h.responses) for h in knowledge
        )
        assert {row["role"] for row in rows} == {"claim", "response"}
        assert all(round_trips(row) for row in rows)

    def test_a_fact_named_like_a_column_is_prefixed(self):
        """A fact that would overwrite a column is kept under ``fact_<name>``."""
        log = EventLog(clock=FakeClock())
        log.append(
            Broadcast(
                event_id="x",
                outlet="Radio X",
                when=day("2017-09-23"),
                report=report("A", D("2017-09-24")),
            )
        )

        (row,) = claim_rows(log.as_of(D("2017-09-24")))

        assert (row["outlet"], row["fact_outlet"], row["when"]) == (
            "A",
            "Radio X",
            "2017-09-23",
        )

    def test_withdrawn_claims_have_their_role(self):
        """A retracted claim is a ``withdrawn`` row."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [
                Death(event_id="x", person="X", report=report("A", D("2017-09-24"))),
                Retraction(event_id="x", report=report("A", D("2017-09-25"))),
            ]
        )

        rows = claim_rows(log.as_of(D("2017-09-25")))

        assert [(row["role"], row["when"]) for row in rows] == [
            ("withdrawn", None),
            ("response", None),
        ]


def test_claim_rows_hold_the_note_title_and_url():
    """Nothing a claim holds is left out of its row."""
    rows = claim_rows(CORPUS.as_of(D("2017-10-05")))
    death = [row for row in rows if row["event_id"] == "asapov-death"]

    assert {"note", "title", "url", "quote"} <= set(death[0])
    assert death[0]["note"].startswith("Lt. Gen., 51;")
    assert all(row["quote"] for row in death)
