"""A claim sheet is a set of rows: their order, and the rows the log would refuse."""

import collections
import csv
import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.errors import DanglingReferenceError, InvalidInputError
from timeline.importers import Batch, Reject, read_sheet, sheet_columns
from timeline.model.events import Death, Denial, Event, Role, SameAs
from timeline.model.sources import Report, Source

from .test_importers import ged_file
from .test_importers_acled import acled_file

COLUMNS = sheet_columns("death", "denial")


def claim(event_id: str, published: str = "2023-02-01", **cells: str) -> dict[str, str]:
    """Return the row of a death claim about *event_id*."""
    return {
        "event_id": event_id,
        "type": "death",
        "outlet": "Wire",
        "published": published,
        "person": "Bob",
        **cells,
    }


def denial(
    event_id: str, published: str = "2023-02-02", **cells: str
) -> dict[str, str]:
    """Return the row of a denial of *event_id*."""
    return {
        "event_id": event_id,
        "type": "denial",
        "outlet": "Other",
        "published": published,
        "denied_by": "Bob's family",
        **cells,
    }


def sheet(
    folder: Path,
    *rows: dict[str, str],
    columns: tuple[str, ...] = COLUMNS,
    name: str = "sheet.csv",
) -> Path:
    """Write *rows* as a claim sheet."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    """Run the command line; return its exit code, stdout and stderr."""
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def events(path: Path) -> list[Event]:
    """Return the events of the log at *path*, in seq order."""
    with EventLog.open(path, mode="r") as log:
        return [entry.event for entry in log]


# -- 1. A response before its claim --------------------------------------------


@pytest.mark.parametrize("day", ["2023-02-01", "2023-02-02"])
def test_a_denial_above_its_claim_is_imported_after_it(tmp_path, capsys, day):
    """The rows' order is the analyst's; the log gets the claim first."""
    path = sheet(tmp_path, denial("z-death", day), claim("z-death"))
    out = tmp_path / "log.jsonl"

    code, text, err = run(capsys, "import", "sheet", path, "--log", out)

    assert (code, err) == (0, "")
    assert "2 rows, 2 claims about 1 happening, seq 1 to 2" in text
    assert [type(event) for event in events(out)] == [Death, Denial]


def test_rows_go_in_by_publication_day_stable_on_row_order(tmp_path):
    """Later days after earlier ones; rows of one day as typed."""
    path = sheet(
        tmp_path,
        claim("c", "2023-03-01"),
        claim("a", "2023-01-01"),
        claim("b", "2023-03-01"),
        denial("a", "2023-01-01"),
    )

    batch = read_sheet(path)

    assert [(c.event_id, c.event_type) for c in batch.claims] == [
        ("a", "death"),
        ("a", "denial"),
        ("c", "death"),
        ("b", "death"),
    ]
    assert [origin[0] for origin in batch.origins] == [3, 5, 2, 4]
    log = EventLog()
    assert len(log.extend(batch.claims)) == 4  # As read: no reordering needed.


def test_a_denial_of_a_happening_the_log_holds(tmp_path, capsys):
    """A response in one sheet to a claim imported from another."""
    out = tmp_path / "log.sqlite"
    first = sheet(tmp_path, claim("q"), name="claims.csv")
    second = sheet(tmp_path, denial("q", "2023-01-01"), name="denials.csv")

    assert run(capsys, "import", "sheet", first, "--log", out)[0] == 0
    code, text, err = run(capsys, "import", "sheet", second, "--log", out)

    assert (code, err) == (0, "")
    assert "seq 2 to 2" in text


# -- 2. A refusal names the file, the row, the line and the column --------------


def test_a_dangling_denial_is_refused_by_file_row_line_and_column(tmp_path, capsys):
    """The log's seqs are no sheet's rows: the message says where to look."""
    path = sheet(
        tmp_path,
        claim("a", quote="two\nlines"),
        denial("no-such-event"),
    )
    out = tmp_path / "log.jsonl"

    code, text, err = run(capsys, "import", "sheet", path, "--log", out)

    assert (code, text) == (1, "")
    assert err == (
        f"timeline import sheet: error: {path}: 1 row of 2 cannot become claims, "
        "so nothing was imported: row 3 (line 4), column event_id: denial refers "
        "to happening 'no-such-event', which no row of the file and no entry of "
        "the log reports (to import the rest, write these to a file with "
        "--rejects FILE.csv, or call append_to(log, partial=True))\n"
    )
    assert not out.exists()


def test_an_existing_log_is_left_byte_for_byte(tmp_path, capsys):
    """All or nothing: the good row is not appended either."""
    out = tmp_path / "log.jsonl"
    assert (
        run(capsys, "import", "sheet", sheet(tmp_path, claim("a")), "--log", out)[0]
        == 0
    )
    before = out.read_bytes()
    path = sheet(tmp_path, claim("b"), denial("c"), name="more.csv")

    code, _, err = run(capsys, "import", "sheet", path, "--log", out)

    assert code == 1
    assert "row 3, column event_id: denial refers to happening 'c'" in err
    assert out.read_bytes() == before


def test_append_to_refuses_with_the_row(tmp_path):
    """The library says the same as the command."""
    batch = read_sheet(sheet(tmp_path, denial("x")))
    log = EventLog()

    with pytest.raises(InvalidInputError, match=r"row 2, column event_id: denial"):
        batch.append_to(log)
    assert log.last_seq == 0
    assert batch.append_to(log, partial=True) == ()


# -- 3. With --rejects, such a row is one more reject ----------------------------


def test_with_rejects_a_dangling_row_is_written_out(tmp_path, capsys):
    """The rest is imported; the reason is the same as without --rejects."""
    path = sheet(
        tmp_path,
        denial("z"),
        claim("z"),
        denial("nobody"),
        denial("y"),
        claim("y", "2023-02-31"),
        claim("w"),
    )
    out = tmp_path / "log.jsonl"
    rejects = tmp_path / "rejects.csv"

    code, text, err = run(
        capsys, "import", "sheet", path, "--log", out, "--rejects", rejects
    )

    assert (code, err) == (0, "")
    assert "6 rows, 3 claims about 2 happenings" in text
    assert "3 rows rejected" in text
    with rejects.open(encoding="utf-8") as file:
        written = list(csv.DictReader(file))
    assert [
        (row["reject_row"], row["reject_column"], row["reject_reason"])
        for row in written
    ] == [
        (
            "4",
            "event_id",
            "denial refers to happening 'nobody', which no row of the file and "
            "no entry of the log reports",
        ),
        (
            "5",
            "event_id",
            "denial refers to happening 'y', which only rejected rows report (row 6)",
        ),
        ("6", "published", "'2023-02-31' is not a day: day is out of range for month"),
    ]
    assert [row["event_id"] for row in written] == ["nobody", "y", "y"]
    assert [(e.event_id, e.event_type) for e in events(out)] == [
        ("z", "death"),
        ("w", "death"),
        ("z", "denial"),
    ]


def test_json_counts_the_rejects_the_log_refused(tmp_path, capsys):
    """first_rejects holds them, with their row, line and column."""
    path = sheet(tmp_path, claim("a"), denial("b"))
    out = tmp_path / "log.jsonl"

    code, text, _ = run(
        capsys,
        "import",
        "sheet",
        path,
        "--log",
        out,
        "--rejects",
        tmp_path / "r.csv",
        "--json",
    )

    assert code == 0
    assert '"rejects": 1' in text
    assert '"column": "event_id"' in text
    assert '"first_seq": 1' in text


# -- 7. Nothing to import ------------------------------------------------------


def test_a_header_alone_imports_nothing_and_says_so(tmp_path, capsys):
    """Exit 0, as for any import; a note on stderr, and no empty log made."""
    path = sheet(tmp_path)
    out = tmp_path / "log.jsonl"

    code, text, err = run(capsys, "import", "sheet", path, "--log", out)

    assert code == 0
    assert "0 rows, 0 claims about 0 happenings" in text
    assert err == (
        f"timeline import sheet: note: {path} has 0 rows, only a header: "
        "nothing was imported\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("dataset", "write"),
    [("ucdp-ged", ged_file), ("acled", acled_file)],
)
def test_the_datasets_say_the_same_of_a_header_alone(tmp_path, capsys, dataset, write):
    """UCDP GED and ACLED files with no rows: the same note, exit 0."""
    path = write(tmp_path)
    out = tmp_path / "log.jsonl"

    code, _, err = run(capsys, "import", dataset, path, "--log", out)

    assert code == 0
    assert "has 0 rows, only a header: nothing was imported" in err
    assert not out.exists()


def test_a_header_alone_leaves_an_existing_log(tmp_path, capsys):
    """An existing log is neither changed nor removed."""
    out = tmp_path / "log.jsonl"
    assert (
        run(capsys, "import", "sheet", sheet(tmp_path, claim("a")), "--log", out)[0]
        == 0
    )
    before = out.read_bytes()

    code, _, err = run(
        capsys, "import", "sheet", sheet(tmp_path, name="e.csv"), "--log", out
    )

    assert code == 0
    assert "0 rows" in err
    assert out.read_bytes() == before


@pytest.mark.parametrize("bad", [claim("a", "someday"), denial("a")])
def test_every_row_rejected_imports_nothing_and_says_so(tmp_path, capsys, bad):
    """Rejected on reading or by the log's rules: no log made, a note."""
    path = sheet(tmp_path, bad)
    out = tmp_path / "log.sqlite"
    rejects = tmp_path / "rejects.csv"

    code, text, err = run(
        capsys, "import", "sheet", path, "--log", out, "--rejects", rejects
    )

    assert code == 0
    assert "1 row rejected, written to" in text
    assert err == (
        f"timeline import sheet: note: no row of {path} became a claim "
        "(1 row rejected): nothing was imported\n"
    )
    assert rejects.exists()
    assert list(tmp_path.glob("log.sqlite*")) == []


# -- 4. A column of a type not registered ----------------------------------------


def test_columns_of_an_unregistered_type_say_to_name_its_module(tmp_path, capsys):
    """The module that declares the type may just not be imported."""
    columns = (*COLUMNS, "test_rows_honour")
    path = sheet(tmp_path, claim("a"), columns=columns)

    code, _, err = run(capsys, "import", "sheet", path, "--log", tmp_path / "l.jsonl")

    assert code == 1
    assert "no event type has the column test_rows_honour" in err
    assert "(timeline --types MODULE import sheet ...)" in err


def test_sheet_template_of_an_unregistered_type_says_the_same(capsys):
    """As import sheet does, sheet-template names --types."""
    code, _, err = run(capsys, "sheet-template", "test_rows_decoration")

    assert code == 1
    assert "(timeline --types MODULE sheet-template ...)" in err


# -- 5. Yes-or-no fields -------------------------------------------------------


@attrs.frozen(kw_only=True)
class Decoration(Event):
    """The how-to's type: a person awarded an honour, posthumously or not."""

    event_type: ClassVar[str] = "test_rows_decoration_bool"
    person: str
    honour: str | None = None
    posthumous: bool = False
    confirmed: bool | None = None


@attrs.frozen(kw_only=True)
class Vote(Event):
    """A type whose yes-or-no field is required."""

    event_type: ClassVar[str] = "test_rows_vote"
    passed: bool


def decoration(**cells: str) -> dict[str, str]:
    """Return a row of a Decoration."""
    return {
        "event_id": "asapov-decoration",
        "type": Decoration.event_type,
        "outlet": "DEBKA Weekly",
        "published": "2017-09-28",
        "person": "Valery Asapov",
        **cells,
    }


def test_a_bool_field_is_a_column():
    """sheet-template writes it; no longer refused."""
    assert sheet_columns(Decoration.event_type)[-3:] == (
        "honour",
        "posthumous",
        "confirmed",
    )


@pytest.mark.parametrize(
    ("cell", "value"),
    [("true", True), ("TRUE", True), (" True ", True), ("false", False), ("", False)],
)
def test_true_and_false_in_any_case(tmp_path, cell, value):
    """As spreadsheets write them; an empty cell is the field's default."""
    columns = sheet_columns(Decoration.event_type)
    batch = read_sheet(sheet(tmp_path, decoration(posthumous=cell), columns=columns))

    assert batch.rejects == ()
    (made,) = batch.claims
    assert isinstance(made, Decoration)
    assert made.posthumous is value
    assert made.confirmed is None


@pytest.mark.parametrize("cell", ["yes", "1", "t", "no", "0"])
def test_any_other_spelling_is_a_reject_naming_the_column(tmp_path, cell):
    """Never guessed: the row and column, and the spellings allowed."""
    columns = sheet_columns(Decoration.event_type)
    batch = read_sheet(sheet(tmp_path, decoration(confirmed=cell), columns=columns))

    (reject,) = batch.rejects
    assert str(reject) == f"row 2, column confirmed: {cell!r}: expected true or false"


def test_a_required_bool_must_be_given(tmp_path):
    """Left empty, a required field is named."""
    columns = sheet_columns(Vote.event_type)
    row = {**decoration(), "type": Vote.event_type, "person": ""}
    batch = read_sheet(sheet(tmp_path, row, columns=columns))

    (reject,) = batch.rejects
    assert str(reject) == f"row 2, column passed: {Vote.event_type} needs a passed"


# -- Batches made by hand, and references in other fields ---------------------


@attrs.frozen(kw_only=True)
class Endorsement(Event):
    """A response that answers the happening named in another field."""

    event_type: ClassVar[str] = "test_rows_endorsement"
    role: ClassVar[Role] = Role.RESPONSE
    endorses: str

    def referenced_event_ids(self) -> tuple[str, ...]:
        """Return the happening endorsed, and its sequel."""
        return (self.endorses, f"{self.endorses}-sequel")


WIRE = Report(outlet=Source("Wire"), published=dt.date(2023, 2, 1))


def test_a_reference_in_another_column_is_named(tmp_path):
    """The column that holds the id; none when no column holds it."""
    columns = sheet_columns("death", Endorsement.event_type)
    row = {**claim("e"), "type": Endorsement.event_type, "person": "", "endorses": "a"}
    batch = read_sheet(sheet(tmp_path, row, claim("a"), columns=columns))

    settled = batch.settled()

    assert [(r.row, r.column, r.reason) for r in settled.rejects] == [
        (
            2,
            None,
            f"{Endorsement.event_type} refers to happening 'a-sequel', which no "
            "row of the file and no entry of the log reports",
        )
    ]
    row = {**row, "endorses": "b"}
    batch = read_sheet(sheet(tmp_path, row, columns=columns))
    assert [r.column for r in batch.settled().rejects] == ["endorses"]


def test_a_batch_without_rows_leaves_the_refusal_to_the_log():
    """No origins, no row to reject: the log refuses, as it always did."""
    made = Denial(event_id="x", report=WIRE, denied_by="Bob")
    batch = Batch("hand", "sheet", (), 1, [made], [])

    assert batch.settled().claims == (made,)
    with pytest.raises(DanglingReferenceError):
        batch.append_to(EventLog())


def test_a_batch_without_references_is_returned_as_it_is(tmp_path):
    """The usual dataset: nothing to order, nothing asked of the log."""
    batch = read_sheet(sheet(tmp_path, claim("b"), claim("a")))

    assert batch.settled() is batch


# -- The property: a set of rows -------------------------------------------------

IDS = ("a", "b", "c")
DAYS = ("2023-02-01", "2023-02-02", "2023-02-03")


@st.composite
def rows(draw: st.DrawFn) -> list[dict[str, str]]:
    """Draw claims, responses and bad claims about a few happenings."""
    made = []
    for number in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["claim", "denial", "bad"]))
        event_id = draw(st.sampled_from(IDS))
        day = draw(st.sampled_from(DAYS))
        note = f"row {number}"  # Tells equal rows apart.
        if kind == "claim":
            made.append(claim(event_id, day, note=note))
        elif kind == "denial":
            made.append(denial(event_id, day, note=note))
        else:
            made.append(claim(event_id, "2023-02-30", note=note))
    return made


def accepted(drawn: list[dict[str, str]], logged: set[str]) -> collections.Counter[str]:
    """The rows the import must take: good claims, and answered denials."""
    good = [r for r in drawn if r["type"] == "death" and r["published"] in DAYS]
    claimed = {r["event_id"] for r in good} | logged
    return collections.Counter(
        r["note"]
        for r in drawn
        if r in good or (r["type"] == "denial" and r["event_id"] in claimed)
    )


@given(drawn=rows(), order=st.randoms(use_true_random=False), logged=st.booleans())
def test_any_row_order_imports_the_same_entries(drawn, order, logged):
    """Shuffled or sorted by day: the same claims stored, the same rows rejected."""
    shuffled = list(drawn)
    order.shuffle(shuffled)
    by_day = sorted(drawn, key=lambda row: row["published"])
    known = {"c"} if logged else set()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for number, rows_ in enumerate([shuffled, by_day]):
            log = EventLog()
            if logged:
                log.append(Death(event_id="c", report=WIRE, person="Carl"))
            batch = read_sheet(sheet(Path(folder), *rows_, name=f"{number}.csv"))
            entries = batch.append_to(log, partial=True)
            settled = batch.settled(log.event_ids)
            results.append(
                (
                    collections.Counter(entry.event for entry in entries),
                    sorted(
                        (r.values[COLUMNS.index("note")], r.column)
                        for r in settled.rejects
                    ),
                    collections.Counter(entry.event.note for entry in entries),
                )
            )
    (first, first_rejects, notes), (second, second_rejects, _) = results
    assert first == second
    assert first_rejects == second_rejects
    assert notes == accepted(drawn, known)


@given(drawn=rows(), order=st.randoms(use_true_random=False))
def test_without_rejects_a_refused_sheet_leaves_the_log(drawn, order):
    """All or nothing: the log's bytes are unchanged on any refusal."""
    shuffled = list(drawn)
    order.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "log.jsonl"
        with EventLog.open(out) as log:
            log.append(Death(event_id="c", report=WIRE, person="Carl"))
        before = out.read_bytes()
        path = sheet(Path(folder), *shuffled)
        code = main(["import", "sheet", str(path), "--log", str(out)])
        taken = sum(accepted(shuffled, {"c"}).values())
        if taken == len(shuffled):
            assert code == 0
            assert len(events(out)) == 1 + len(shuffled)
        else:
            assert code == 1
            assert out.read_bytes() == before


# -- The how-to's examples print what they show ---------------------------------

DOCS = Path(__file__).parent.parent / "docs" / "how-to"
HOW_TO = DOCS / "import-a-dataset.md"


def shown(command: str) -> str:
    """Return what the how-to shows *command* printing, in a text block."""
    text = HOW_TO.read_text(encoding="utf-8")
    after = text.split(f"$ {command}\n", 1)[1]
    return after.split("```", 1)[0]


def test_the_how_to_sheet_examples(tmp_path, capsys, monkeypatch):
    """The shipped sheet, then a denial of a happening nobody reports."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "military-times-losses.csv").write_bytes(
        (DOCS / "military-times-losses.csv").read_bytes()
    )
    death = claim(
        "asapov-death", "2017-09-24", outlet="TASS", person="Valery Asapov"
    ) | {"cause": "mortar attack"}
    denied = denial(
        "asapov-captured",
        "2017-10-05",
        outlet="Russian Ministry of Defense",
        denied_by="Russian Ministry of Defense",
    )
    sheet(tmp_path, death, denied, name="denials.csv")

    for command in (
        "timeline import sheet military-times-losses.csv --log mine.jsonl",
        "timeline import sheet denials.csv --log mine.jsonl",
    ):
        main(command.split()[1:])
        out, err = capsys.readouterr()
        assert out + err == shown(command)


def test_the_how_to_fixed_csv_example(shared_data, tmp_path, capsys, monkeypatch):
    """The UCDP sample with row 14's date_start mistyped."""
    monkeypatch.chdir(tmp_path)
    with (shared_data / "ucdp-ged-23.1-sample-200.csv").open(
        encoding="utf-8", newline=""
    ) as file:
        records = list(csv.reader(file))
    records[13][records[0].index("date_start")] = "2015-02-30"
    with (tmp_path / "fixed.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(records)
    command = (
        "timeline import ucdp-ged fixed.csv --log ged.sqlite --released 2023-06-01"
    )

    main(command.split()[1:])
    out, err = capsys.readouterr()

    assert out + err == shown(command)


def test_a_row_of_several_claims_goes_in_whole():
    """A row's claims (and an analyst's entry) go in together, after their claim."""
    later = Report(outlet=Source("Other"), published=dt.date(2023, 2, 2))
    first = (2, 2, ("a", "a denial, and the analyst's merge"))
    both = (3, 3, ("b", "2 claims"))
    made = [
        Denial(event_id="a", report=later, denied_by="Bob"),
        SameAs(event_id="a", other_event_id="b", report=later),
        Death(event_id="b", report=WIRE, person="Bob"),
        Death(event_id="a", report=WIRE, person="Al"),
    ]
    batch = Batch(
        "hand.csv",
        "sheet",
        ("event_id", "note"),
        4,
        made,
        [Reject(5, 5, None, "too short", ())],
        [first, first, both, both],
    )

    settled = batch.settled()

    assert settled.claims == (made[2], made[3], made[0], made[1])
    assert [origin[0] for origin in settled.origins] == [3, 3, 2, 2]
    assert settled.rejects == batch.rejects
    log = EventLog()
    assert len(batch.append_to(log, partial=True)) == 4
