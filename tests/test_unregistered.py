"""Entries of types this process does not know: kept, shown as raw claims, written back.

Raw entries are made here as a process without the declaring module meets
them: the stored envelope of a claim, its tag changed to one no class claims
and a field of the type's own added, read by the codec.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from timeline import Entry, EventLog
from timeline.cli import main
from timeline.errors import InvalidEntryError, UnknownEventTypeError
from timeline.model.events import Amendment, Death, Event, Revocation
from timeline.model.sources import Report, Source
from timeline.model.unregistered import UnregisteredEvent, declared_by
from timeline.projections import build_knowledge
from timeline.serialization import Codec
from timeline.stores import (
    JsonlStore,
    MemoryStore,
    SQLiteStore,
    as_of,
    check,
    happening,
    history,
)
from timeline.strategies import events, logs

START = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
DEBKA = Report(outlet=Source("DEBKA Weekly"), published=dt.date(2017, 9, 28))
TAGS = ("decoration", "medal")


def raw(
    event: Event,
    tag: str = "decoration",
    *,
    extra: object = "Order of Courage",
    event_id: str | None = None,
) -> UnregisteredEvent:
    """Return *event* as a process without *tag*'s class reads it."""
    envelope = Codec().event_to_dict(event)
    envelope["type"] = tag
    envelope["payload"]["award"] = extra
    if event_id is not None:
        envelope["payload"]["event_id"] = event_id
    found = Codec().event_from_dict(json.loads(json.dumps(envelope)))
    assert isinstance(found, UnregisteredEvent)
    return found


def asapov(event_id: str = "asapov-medal") -> UnregisteredEvent:
    """Return a raw claim of an award to Asapov."""
    return raw(Death(event_id=event_id, report=DEBKA, person="Valery Asapov"))


# -- Reading and writing ---------------------------------------------------------


def test_an_unknown_tag_is_read_as_a_raw_claim():
    """The tag, version and payload are kept; event_id and report are read."""
    event = asapov()

    assert (event.event_type, event.stored_version) == ("decoration", 1)
    assert (event.event_id, event.report) == ("asapov-medal", DEBKA)
    assert event.fields == {"award": '"Order of Courage"', "person": '"Valery Asapov"'}
    assert list(event.fields) == ["award", "person"]
    assert event.facts() == {}
    assert UnregisteredEvent.event_type == "_unregistered"


def test_a_raw_claim_is_written_back_exactly():
    """The envelope written is the one read, in canonical key order."""
    envelope: dict[str, Any] = {
        "seq": 1,
        "recorded_at": START.isoformat(),
        "type": "decoration",
        "schema_version": 3,
        "payload": {
            "zeta": [1, 2.5, None, {"a": "é", "b": True}],
            "report": {"outlet": {"name": "TASS"}, "published": "2017-09-24"},
            "event_id": "x",
        },
    }
    codec = Codec()

    entry = codec.entry_from_dict(envelope)

    assert codec.entry_to_dict(entry) == envelope
    assert codec.dumps(entry) == json.dumps(
        {**envelope, "payload": dict(sorted(envelope["payload"].items()))},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert codec.checked_envelope(entry) is None


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"event_id": " "}, "event_id must be a non-blank string"),
        ({"event_id": 5}, "event_id"),
        ({"report": "TASS"}, r"\(unregistered type 'decoration'\) payload"),
    ],
)
def test_what_every_type_stores_alike_must_read(change, match):
    """A raw entry without a readable event_id or report is refused by name."""
    envelope = Codec().event_to_dict(
        Death(event_id="x", report=DEBKA, person="Valery Asapov")
    )
    envelope["type"] = "decoration"
    envelope["payload"].update(change)

    with pytest.raises(InvalidEntryError, match=match):
        Codec().event_from_dict(envelope, where="line 3")


@pytest.mark.parametrize("version", [0, "1", None])
def test_a_raw_entry_needs_a_schema_version(version):
    """The stored version is checked as for any entry."""
    envelope = {**Codec().event_to_dict(asapov()), "schema_version": version}

    with pytest.raises(InvalidEntryError, match="schema_version must be a whole"):
        Codec().event_from_dict(envelope)


def test_a_codec_that_does_not_keep_them_refuses_them():
    """keep_unregistered=False restores the refusal naming the three ways."""
    envelope = Codec().event_to_dict(asapov())

    with pytest.raises(UnknownEventTypeError, match=r"'decoration'.*TIMELINE_TYPES"):
        Codec(keep_unregistered=False).event_from_dict(envelope)


def test_a_raw_claim_of_a_registered_tag_cannot_be_made():
    """Once the type is registered, its class reads the log; no raw copy is made."""
    with pytest.raises(ValueError, match="'death' is registered"):
        attrs.evolve(asapov(), stored_type="death")


@pytest.mark.parametrize("text", ["[1]", "not json", '"x"'])
def test_the_stored_payload_is_a_json_object(text):
    """The payload text must be that of an object."""
    with pytest.raises(ValueError, match="stored_payload must be the text of a JSON"):
        attrs.evolve(asapov(), stored_payload=text)


def test_a_new_entry_of_an_unknown_class_stays_refused():
    """Without its class there is no new entry; a class of no tag is refused."""

    @attrs.frozen(kw_only=True)
    class Abstract(Event):
        event_type = "_abstract_here"

    log = EventLog()
    with pytest.raises(UnknownEventTypeError, match="not a registered event type"):
        log.append(Abstract(event_id="x", report=DEBKA))
    assert len(log) == 0


def test_a_raw_claim_is_carried_into_another_log():
    """A copy of a log made through the API keeps the raw entries."""
    log = EventLog()
    log.extend([Death(event_id="x", report=DEBKA, person="Asapov"), asapov()])

    copy = EventLog()
    copy.extend(entry.event for entry in log.entries())

    assert [entry.event for entry in copy.entries()] == [
        entry.event for entry in log.entries()
    ]


# -- The property: nothing lost, nothing else changed ---------------------------


@st.composite
def mixed(draw: st.DrawFn) -> tuple[list[Entry], list[Event]]:
    """Return a log's entries with raw ones mixed in, and the raw events."""
    base = draw(logs(max_size=12))
    originals = [entry.event for entry in base.entries()]
    raws = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(originals)),
                events(),
                st.sampled_from(TAGS),
                st.sampled_from(["raw-1", "raw-2", "alpha"]),
                st.none() | st.text(max_size=5) | st.integers() | st.booleans(),
            ),
            max_size=5,
        )
    )
    inserted: dict[int, list[Event]] = {}
    for position, event, tag, event_id, extra in raws:
        found = raw(event, tag, extra=extra, event_id=event_id)
        inserted.setdefault(position, []).append(found)
    ordered: list[Event] = []
    new_seq: dict[int, int] = {}
    for index in range(len(originals) + 1):
        ordered.extend(inserted.get(index, ()))
        if index < len(originals):
            ordered.append(originals[index])
            new_seq[index + 1] = len(ordered)
    # The analyst's entries name seqs, which the raw ones moved.
    for number, event in enumerate(ordered):
        if isinstance(event, Amendment):
            ordered[number] = attrs.evolve(event, voids=new_seq[event.voids])
        elif isinstance(event, Revocation):
            ordered[number] = attrs.evolve(event, revokes=new_seq[event.revokes])
    log = EventLog()
    log.extend(ordered)
    return list(log.entries()), [e for e in ordered if type(e) is UnregisteredEvent]


def stores(directory: Path) -> Iterator[tuple[str, Any]]:
    """Yield a new store of each kind, and how to open it again."""
    yield "memory", MemoryStore()
    yield "jsonl", JsonlStore(directory / "log.jsonl")
    yield "sqlite", SQLiteStore(directory / "log.sqlite")


@settings(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(mixed())
def test_raw_entries_round_trip_through_every_store_and_export(drawn):
    """Every store and an export keep every entry, raw ones exactly as stored."""
    entries, _ = drawn
    codec = Codec()
    envelopes = [codec.entry_to_dict(entry) for entry in entries]
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        for name, store in stores(directory):
            with store:
                store.append(entries)
                read = list(store.read())
            if name != "memory":
                opened = JsonlStore if name == "jsonl" else SQLiteStore
                with opened(directory / f"log.{name}", create=False) as again:
                    read = list(again.read())
                assert check(directory / f"log.{name}").ok
            assert read == entries
            assert [codec.entry_to_dict(entry) for entry in read] == envelopes
        # An export, as `timeline export` makes it: a new log of the entries.
        code = main(
            [
                "export",
                "--log",
                str(directory / "log.sqlite"),
                str(directory / "export.jsonl"),
            ]
        )
        assert code == 0
        with JsonlStore(directory / "export.jsonl", create=False) as exported:
            assert list(exported.read()) == entries


@settings(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    mixed(), st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 11, 1))
)
def test_raw_entries_change_no_answer_about_the_registered_happenings(drawn, day):
    """The fold with raw entries answers as without them, plus the raw claims.

    A raw claim is listed among its happening's claims (or withdrawn ones)
    and states no facts: the fields, their conflicts and the other claims
    are those of the log without it. Its store's point queries agree.
    """
    entries, raws = drawn
    registered = [e for e in entries if type(e.event) is not UnregisteredEvent]
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "log.sqlite")
        with store:
            store.append(entries)
            after = EventLog(store=store).as_of(day)
            assert as_of(store, day) == after
            for known in after:
                assert happening(store, known.event_id, as_of=day) == known
                assert history(store, known.event_id) == EventLog(store=store).history(
                    known.event_id
                )
    before = build_knowledge(registered, as_of=day)

    for known in before:
        found = after[known.event_id]
        assert found.fields == known.fields
        assert found.conflicts == known.conflicts
        assert found.responses == known.responses
        assert registered_only(found.claims) == known.claims
        assert registered_only(found.withdrawn) == known.withdrawn
    # A happening no raw claim is about is answered exactly as before.
    untouched = [
        known
        for known in before
        if not any(event.event_id in after[known.event_id].event_ids for event in raws)
    ]
    assert [after[known.event_id] for known in untouched] == untouched
    shown = {
        claim.seq
        for known in after
        for claim in (*known.claims, *known.withdrawn)
        if type(claim.event) is UnregisteredEvent
    }
    assert shown == {
        entry.seq
        for entry in entries
        if type(entry.event) is UnregisteredEvent
        and entry.event.report.published_day <= day
    }


def registered_only(claims: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Return the claims of registered types."""
    return tuple(c for c in claims if type(c.event) is not UnregisteredEvent)


# -- The how-to's example, for real ---------------------------------------------

HOW_TO = Path(__file__).parent.parent / "docs" / "how-to" / "declare-an-event-type.md"


def pycon_code(block: str) -> str:
    """Return the code of a pycon block: its prompts and continuations."""
    return "\n".join(
        line[4:] for line in block.splitlines() if line.startswith((">>> ", "... "))
    ).replace("\n...", "\n")


def the_program(text: str) -> str:
    """Return the how-to's write_decorations.py, as the page lists it."""
    after = text.split("`write_decorations.py`:\n\n```python\n")[1]
    return after.split("```", maxsplit=1)[0]


def test_the_how_to_program_declares_the_page_s_class():
    """The listed program and the page's pycon declare the same Decoration."""
    text = HOW_TO.read_text(encoding="utf-8")
    declare = pycon_code(text.split("```pycon\n")[1].split("```")[0])
    listed = the_program(text).split("class Decoration")[1].split("\n\n\n")[0]

    assert body(declare.split("class Decoration")[1]) == body(listed)


def body(code: str) -> list[str]:
    """Return the lines of *code* that hold something, without indentation."""
    return [line.strip() for line in code.splitlines() if line.strip()]


def test_the_how_to_decoration_log_reads_without_its_module(tmp_path):
    """A process without the module shows raw claims, as the how-to shows."""
    text = HOW_TO.read_text(encoding="utf-8")
    (tmp_path / "write_decorations.py").write_text(the_program(text), encoding="utf-8")
    console = text.split("```console\n")[1].split("```")[0]
    commands = [part.splitlines() for part in console.split("$ ")[1:]]

    assert commands[0][0].startswith("python write_decorations.py")
    written = run_python(tmp_path, "write_decorations.py")
    assert (written.returncode, written.stderr, written.stdout) == (0, "", "")
    for command, *shown in commands[1:]:
        argv = command.split()[1:]
        ran = run_python(tmp_path, "-m", "timeline", *argv)
        assert ran.returncode == 0
        assert (ran.stderr + ran.stdout).splitlines() == shown


def test_the_how_to_sheet_of_the_type(tmp_path):
    """With --types, sheet-template prints what the page shows."""
    text = HOW_TO.read_text(encoding="utf-8")
    program = the_program(text)
    declared = program.split("\n\ndebka")[0] + "\n"
    (tmp_path / "mytypes.py").write_text(declared, encoding="utf-8")
    block = text.split("## Fill a claim sheet of your type")[1]
    command, shown = block.split("```text\n$ ")[1].split("```")[0].splitlines()

    ran = run_python(tmp_path, "-m", "timeline", *command.split()[1:])

    assert (ran.returncode, ran.stderr, ran.stdout) == (0, "", shown + "\n")


def run_python(folder: Path, *argv: str) -> "subprocess.CompletedProcess[str]":
    """Run Python in *folder*, with no module of user types named."""
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_TYPES"}
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=folder,
    )


# -- The command line, in this process -------------------------------------------


@pytest.fixture
def raw_log(tmp_path: Path) -> Path:
    """Return a log of a death and two raw claims, one about the death."""
    path = tmp_path / "mixed.jsonl"
    with EventLog.open(path) as log:
        log.extend(
            [
                Death(event_id="asapov-death", report=DEBKA, person="Valery Asapov"),
                asapov(),
                asapov("asapov-death"),
            ]
        )
    return path


def test_known_marks_raw_claims(raw_log, capsys):
    """Each raw claim is shown under its happening, marked, with its fields."""
    code = main(["known", "--on", "2017-09-28", "--log", str(raw_log)])
    out, err = capsys.readouterr()

    assert (code, err) == (0, "")
    assert out.splitlines()[3:] == [
        "asapov-death  [death, decoration]  reported",
        "    when       not stated",
        "    person     Valery Asapov",
        "    raw        decoration (unregistered type), per DEBKA Weekly, published "
        "2017-09-28",
        '                 award: "Order of Courage"',
        '                 person: "Valery Asapov"',
        "    claims     per DEBKA Weekly, published 2017-09-28 (2 claims)",
        "",
        "asapov-medal  [decoration]  reported",
        "    when       not stated",
        "    raw        decoration (unregistered type), per DEBKA Weekly, published "
        "2017-09-28",
        '                 award: "Order of Courage"',
        '                 person: "Valery Asapov"',
        "    claims     per DEBKA Weekly, published 2017-09-28",
    ]


def test_check_passes_and_warns(raw_log, capsys):
    """The log is intact: check exits 0, and says what would read the type."""
    code = main(["check", str(raw_log)])
    out, err = capsys.readouterr()
    json_code = main(["check", str(raw_log), "--json"])
    document = json.loads(capsys.readouterr().out)

    assert (code, json_code) == (0, 0)
    assert out.startswith(f"ok: {raw_log}: 3 entries, 2 happenings")
    assert err == (
        f"warning: {raw_log}: 2 entries of the unregistered type 'decoration' "
        "(seq 2, 3), kept and shown as raw claims: no installed package declares "
        "'decoration'; pass --types MODULE or set TIMELINE_TYPES, or name the "
        "module in an entry point of the group 'timeline.event_types'\n"
    )
    assert document["ok"] is True
    assert document["unregistered"] == [
        {
            "type": "decoration",
            "entries": 2,
            "seqs": [2, 3],
            "advice": declared_by(["decoration"])["decoration"],
        }
    ]


def test_check_shows_a_few_seqs_of_many(tmp_path, capsys):
    """A warning names the first five entries of a type."""
    path = tmp_path / "many.jsonl"
    with EventLog.open(path) as log:
        log.extend(asapov(f"medal-{n}") for n in range(7))

    main(["check", str(path)])

    assert (
        "7 entries of the unregistered type 'decoration' (seq 1, 2, 3, 4, 5, ...)"
        in (capsys.readouterr().err)
    )


def test_an_installed_declarer_that_cannot_be_imported_is_named(tmp_path, monkeypatch):
    """An entry point whose module is missing is the candidate named."""
    info = tmp_path / "medals_package-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: medals-package\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[timeline.event_types]\nmedals = no_such_medals_module\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))

    advice = declared_by(["medal", "decoration"])

    assert advice["medal"] == (
        "'medal' may be declared by no_such_medals_module (entry point 'medals' of "
        "medals-package), which cannot be imported: No module named "
        "'no_such_medals_module': fix it"
    )
    assert advice["decoration"].startswith("'decoration' may be declared by")
