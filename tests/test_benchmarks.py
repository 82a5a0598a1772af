"""The benchmark suite still runs: each measurement at a tiny size, no timing."""

import json
from typing import Any

import pytest
from benchmarks import measure
from benchmarks.generate import claims, clock, generate
from benchmarks.report import START_MARK, STOP_MARK, targets, write_report
from benchmarks.run import main, run_size

from timeline import EventLog

pytestmark = pytest.mark.slow  # whole benchmark runs: .ci/run selects them
SIZE = 200
TIMELINE_FIGURES = {
    "append_memory",
    "append_jsonl",
    "append_sqlite",
    "load_jsonl",
    "load_sqlite",
    "build",
    "point_median",
    "point_p95",
    "as_of",
    "store_point_median",
    "store_history_median",
    "history_median",
    "store_as_of",
    "diff",
    "resident",
    "disk_jsonl",
    "disk_sqlite",
    "floor_loop",
    "floor_json",
}


def quiet(_: str) -> None:
    """Say nothing."""


def test_the_generator_is_deterministic_and_makes_a_valid_log():
    """The same size gives the same claims, and a log accepts every one."""
    events = generate(SIZE)
    log = EventLog(clock=clock())
    log.extend(events)

    assert generate(SIZE) == events
    assert len(log) == SIZE
    assert len(claims(events)) == SIZE


def test_generated_logs_have_the_realistic_mix():
    """A log holds several sources per happening, responses, merges and amendments."""
    events = generate(2000)
    tags = {event.event_type for event in events}
    happenings = {event.event_id for event in events}

    assert {"denial", "confirmation", "same_as", "amendment"} <= tags
    assert len(events) / len(happenings) > 3


def test_every_timeline_measurement_runs(tmp_path):
    """Every timeline and floor figure is measured at a tiny size."""
    figures = run_size(SIZE, tmp_path, rival=False, probes=20, say=quiet)

    assert set(figures) >= TIMELINE_FIGURES
    assert figures["resident_entries"] == SIZE
    assert list(tmp_path.iterdir()) == []


def test_the_eventsourcing_comparison_runs(tmp_path):
    """The eventsourcing side measures append, replay and the as-of scan."""
    pytest.importorskip("eventsourcing")
    figures = run_size(SIZE, tmp_path, rival=True, probes=20, say=quiet)

    assert {"es_append_popo", "es_replay_popo", "es_scan_popo"} <= set(figures)
    assert {"es_append_sqlite", "es_replay_sqlite", "es_scan_sqlite"} <= set(figures)


def test_the_report_keeps_what_was_written_by_hand(tmp_path):
    """Rewriting the report replaces only the generated part, and draws the plot."""
    figures = run_size(SIZE, tmp_path, rival=False, probes=20, say=quiet)
    stored: dict[str, Any] = {
        "machine": {"cpu": "test", "commit": "abc", "date": "2026-01-01"},
        "seed": 1,
        "command": "python -m benchmarks.run",
        "runs": [figures, {**figures, "size": SIZE * 10}],
    }
    out = tmp_path / "performance.md"
    out.write_text(
        f"# Title\n\nBy hand.\n\n{START_MARK}\nstale figures\n{STOP_MARK}\n\nAfter.\n"
    )

    write_report(stored, out)

    text = out.read_text()
    assert text.startswith("# Title\n\nBy hand.")
    assert text.endswith("After.\n")
    assert "stale figures" not in text
    assert (tmp_path / "_static" / "performance.svg").read_text().startswith("<svg")
    assert len(targets(stored["runs"])) > 10


def test_the_command_rewrites_a_report_from_stored_figures(tmp_path):
    """--from-json writes a fresh report without measuring again."""
    figures = run_size(SIZE, tmp_path, rival=False, probes=20, say=quiet)
    results = tmp_path / "results.json"
    results.write_text(
        json.dumps(
            {
                "machine": {"cpu": "test", "commit": "abc", "date": "2026-01-01"},
                "seed": 1,
                "command": "python -m benchmarks.run",
                "runs": [figures],
            }
        )
    )
    out = tmp_path / "docs" / "performance.md"

    code = main(["--from-json", "--json", str(results), "--out", str(out)])

    assert code == 0
    assert START_MARK in out.read_text()


def test_a_run_elsewhere_keeps_its_figures_beside_its_report(tmp_path):
    """With --out elsewhere, the raw figures go beside it, not over the stored ones."""
    out = tmp_path / "report.md"

    main(
        ["--sizes", "100", "--no-rival", "--out", str(out), "--workdir", str(tmp_path)]
    )

    assert json.loads(out.with_suffix(".json").read_text())["runs"][0]["size"] == 100


def test_the_floors_fold_every_claim(tmp_path):
    """Both floors read every claim they are given."""
    events = generate(SIZE)
    happenings = len({event.event_id for event in events})
    path = tmp_path / "log.jsonl"
    measure.append_durable(events, path)

    assert measure.floor_loop(claims(events))[1] == happenings
    assert measure.floor_json(path)[1] == happenings
    assert measure.disk_bytes(path) > SIZE * 100


def test_the_import_benchmark_runs_and_rewrites_its_section(shared_data, tmp_path):
    """At 300 rows, once: the section is written, then replaced, never asserted on."""
    from benchmarks import importing  # noqa: PLC0415

    out = tmp_path / "performance.md"
    out.write_text("# Performance\n\nKept.\n", encoding="utf-8")
    sample = shared_data / "ucdp-ged-23.1-sample-200.csv"
    argv = ["--rows", "300", "--repeat", "1", "--sample", str(sample)]

    assert importing.main([*argv, "--out", str(out)]) == 0
    assert importing.main([*argv, "--out", str(out)]) == 0

    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Performance\n\nKept.\n\n## Importing UCDP GED\n")
    assert text.count(importing.START_MARK) == 1
    assert "300 rows of UCDP GED (414 claims), one run" in text


def test_the_native_benchmark_asks_a_kept_log_again(tmp_path):
    """With --keep, a second run asks the log the first made, without making it."""
    from benchmarks import native  # noqa: PLC0415

    kept, out = tmp_path / "kept", tmp_path / "native.json"
    argv = ["--sizes", "2000", "--keep", str(kept), "--json", str(out)]
    assert native.main(argv) == 0
    (made,) = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert native.main(argv) == 0
    (asked,) = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert "append_per_second" in made
    assert "reused" not in made
    assert asked["reused"] is True
    assert "append_per_second" not in asked
    assert {key: asked[key] for key in ("event_id", "day", "as_of_day")} == {
        key: made[key] for key in ("event_id", "day", "as_of_day")
    }
    assert (kept / "big-2000.sqlite").exists()


def test_the_page_benchmark_draws_a_page(capsys):
    """At 200 claims: one line of figures, which describe the page drawn."""
    from benchmarks import page  # noqa: PLC0415

    page.main(["--sizes", "200"])

    figures = json.loads(capsys.readouterr().out)
    assert figures["claims"] == 200
    assert 0 < figures["happenings"] <= 200
    assert 0 < figures["days"] <= 200
    assert figures["bytes"] > figures["happenings"] * 100
