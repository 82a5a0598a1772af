"""Importing again: a claim the log already holds is left out.

A team imports this week's ACLED export into the log of last week's, or a
GED release into the log of the one before: only what is new goes in.
"""

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.importers import read_acled, read_ucdp_ged

from .helpers import FakeClock

RELEASED = dt.date(2023, 6, 1)
GED = "ucdp-ged-23.1-sample-200.csv"
ACLED = "acled-2022-sample-200.csv"


def events(log: EventLog) -> list[str]:
    """Return the log's events as sortable text, one per entry."""
    return sorted(repr(entry.event) for entry in log.entries())


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_the_same_release_imported_twice_adds_nothing(
    shared_data, tmp_path, capsys, suffix
):
    """The second run leaves the log as it was, and says why on stderr."""
    log = tmp_path / f"ged{suffix}"
    argv = ["import", "ucdp-ged", str(shared_data / GED), "--log", str(log)]
    assert main([*argv, "--released", "2023-06-01"]) == 0
    capsys.readouterr()
    before = log.read_bytes()

    code = main([*argv, "--released", "2023-06-01", "--json"])

    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert code == 0
    assert (document["claims"], document["held"], document["first_seq"]) == (
        0,
        279,
        None,
    )
    assert captured.err == (
        f"timeline import ucdp-ged: note: the log already holds every claim of "
        f"{shared_data / GED} (279 claims): nothing was imported\n"
    )
    assert log.read_bytes() == before


def test_an_export_with_changed_rows_adds_only_those(shared_data, tmp_path, capsys):
    """Rows ACLED changed since (a new timestamp) are new reports; the rest is held."""
    first = tmp_path / "week1.csv"
    second = tmp_path / "week2.csv"
    with (shared_data / ACLED).open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        header, rows = reader.fieldnames, list(reader)
    assert header is not None
    changed = [dict(row) for row in rows]
    for row in changed[:3]:
        row["timestamp"] = str(int(row["timestamp"]) + 86_400)
        row["fatalities"] = str(int(row["fatalities"]) + 1)
    for path, table in ((first, rows[:150]), (second, changed)):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        path.write_text(out.getvalue(), encoding="utf-8")
    log = tmp_path / "acled.sqlite"
    assert main(["import", "acled", str(first), "--log", str(log)]) == 0
    capsys.readouterr()

    assert main(["import", "acled", str(second), "--log", str(log), "--json"]) == 0

    document = json.loads(capsys.readouterr().out)
    batch = read_acled(second)
    renewed = {f"acled-{row['event_id_cnty']}" for row in changed[:3] + changed[150:]}
    new = [claim for claim in batch.claims if claim.event_id in renewed]
    assert document["claims"] == len(new)
    assert document["held"] == len(batch.claims) - len(new)
    with EventLog.open(log, mode="r") as stored:
        expected = EventLog(clock=FakeClock())
        expected.extend(read_acled(first).claims)
        expected.extend(new)
        assert events(stored) == events(expected)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_importing_a_part_then_the_whole_is_importing_the_whole(shared_data, data):
    """Whatever part went in first, the log ends holding the file's claims once."""
    batch = read_ucdp_ged(shared_data / GED, released=RELEASED)
    part = data.draw(
        st.lists(st.sampled_from(range(len(batch.claims))), unique=True), label="part"
    )
    log = EventLog(clock=FakeClock())
    log.extend([batch.claims[index] for index in sorted(part)])
    again = data.draw(st.booleans(), label="import the whole twice")

    batch.append_to(log)
    if again:
        batch.append_to(log)

    once = EventLog(clock=FakeClock())
    once.extend(batch.claims)
    assert events(log) == events(once)
