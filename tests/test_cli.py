import contextlib
import datetime as dt
import doctest
import importlib
import io
import json
import os
import pkgutil
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline import EventLog, FuzzyDate, TimelineError
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.model.events import (
    Confirmation,
    Correction,
    Death,
    Denial,
    Retraction,
    SameAs,
    Visit,
)
from timeline.model.sources import Source
from timeline.stores import JsonlStore
from timeline.strategies import logs
from timeline.views.records import knowledge_record, source_record

from .helpers import MOVED, FakeClock, day, report

D = dt.date.fromisoformat
ROOT = Path(__file__).parents[1]
WIDTH = 100


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return its exit code, stdout and stderr."""
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def known_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    """Return the --json document of ``timeline known``."""
    code, out, err = run(capsys, "known", *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def contested_log(path: Path) -> Path:
    """Write a small log with every kind of response and a merge; return its path."""
    alpha = report("Alpha", D("2017-09-24"))
    beta = report("Beta", D("2017-09-25"))
    gamma = report("Gamma", dt.datetime(2017, 9, 26, 8, 30, tzinfo=dt.UTC))
    later = report("Alpha", D("2017-10-02"))
    with EventLog.open(path, clock=FakeClock()) as log:
        log.extend(
            [
                Death(
                    event_id="x-death", report=alpha, person="X", when=day("2017-09-23")
                ),
                Death(
                    event_id="x-death",
                    report=beta,
                    person="X",
                    when=FuzzyDate.month(2017, 9),
                    attribution=[Source("Agency"), Source("Ministry")],
                ),
                Death(
                    event_id="x-death", report=gamma, person="X", when=day("2017-09-21")
                ),
                Death(
                    event_id="x-death", report=beta, person="X", when=day("2017-09-21")
                ),
                Death(event_id="x-dies", report=beta, person="X"),
                Visit(event_id="y-visit", report=alpha, visitor="Y"),
                Visit(event_id="y-visit", report=beta, visitor="W"),
                Denial(event_id="y-visit", report=gamma, denied_by="Y"),
                Confirmation(event_id="x-death", report=later, confirmed_by="Beta"),
                SameAs(event_id="x-death", other_event_id="x-dies", report=later),
                Retraction(event_id="y-visit", report=later, quote="We erred."),
                Visit(event_id="v-visit", report=alpha, visitor="V"),
                Visit(
                    event_id="z-visit",
                    report=alpha,
                    visitor="Z",
                    when=day("2017-09-10"),
                ),
                Visit(
                    event_id="z-visit",
                    report=beta,
                    visitor="Z",
                    when=FuzzyDate.month(2017, 9),
                    quote="Z visited in September.",
                ),
                Confirmation(event_id="z-visit", report=beta, confirmed_by="Z"),
                Correction(event_id="v-visit", report=later),
                Visit(event_id="v-visit", report=later, visitor="V", host="H"),
            ]
        )
    return path


@pytest.fixture
def contested(tmp_path):
    """A stored log with merges, denials, retractions, corrections, conflicts."""
    return str(contested_log(tmp_path / "contested.jsonl"))


class TestKnown:
    """``timeline known``: what was known on a date."""

    def test_nothing_of_asapov_s_death_on_sept_27(self, capsys):
        """Before DEBKA Weekly's report of Sept. 28, nothing was known of it."""
        document = known_json(capsys, "--on", "2017-09-27", "--about", "asapov-death")

        assert document["happenings"] == []

    def test_the_date_of_asapov_s_death_is_in_conflict_on_oct_5(self, capsys):
        """Sept. 23 per DEBKA Weekly against Sept. 24 per Military Times citing TASS."""
        document = known_json(capsys, "--on", "2017-10-05", "--about", "asapov-death")
        (death,) = document["happenings"]
        when = death["fields"]["when"]
        stated = [
            (value["value"]["edtf"], claim["outlet"], claim["attribution"])
            for value in when["values"]
            for claim in value["claims"]
        ]

        assert (death["event_id"], death["status"], when["in_conflict"]) == (
            "asapov-death",
            "disputed",
            True,
        )
        assert stated == [
            ("2017-09-23", "DEBKA Weekly", []),
            ("2017-09-23", "DEBKA Weekly", []),  # the colonels', by the same shell
            ("2017-09-24", "Military Times", ["TASS"]),
        ]

    @pytest.mark.parametrize(
        ("on", "known"), [("2016-06-17", False), ("2016-06-18", True)]
    )
    def test_shoigu_s_damascus_visit_is_known_from_june_18(self, capsys, on, known):
        """EA WorldView reported the visit on 2016-06-18, not before."""
        document = known_json(capsys, "--on", on, "--about", "shoigu-damascus-visit")

        assert bool(document["happenings"]) is known

    def test_text_shows_the_conflict_side_by_side(self, capsys):
        """Each conflicting value is printed with who said it, published when."""
        code, out, _ = run(
            capsys, "known", "--on", "2017-10-05", "--about", "asapov-death"
        )

        assert code == 0
        assert out.splitlines() == [
            "Known on 2017-10-05: reports published on or before it, log entries "
            "up to seq 121.",
            '1 of 80 happenings known match "asapov-death": 1 disputed.',
            "",
            "asapov-death  [death]  DISPUTED (conflict: when)",
            "    when       CONFLICT: 2 values",
            '               - 2017-09-23 "on Sept. 23"   per DEBKA Weekly, '
            "published 2017-09-28 (2 claims)",
            '               - 2017-09-24 "on Sept. 24"   per Military Times '
            "(citing TASS), published 2017-10-04",
            "               contradicts: 2017-09-23 and 2017-09-24 share no possible "
            "day",
            "    actors     Valery Asapov",
            "    cause      mortar attack",
            "    person     Valery Asapov",
            "    where      Deir ez-Zour",
            "    linked     caused by asapov-command-post-shelling, per DEBKA Weekly, "
            "published 2017-09-28",
            "    linked     same cause as asapov-colonels-deaths (same date), per "
            "DEBKA Weekly, published",
            "                   2017-09-28",
            "    linked     answered by putin-shoigu-retribution-vow, per DEBKA "
            "Weekly, published 2017-09-28",
            "    claims     per DEBKA Weekly, published 2017-09-28",
            "               per DEBKA Weekly (citing Russian Ministry of Defense), "
            "published 2017-09-28",
            "               per Military Times (citing TASS), published 2017-10-04",
        ]

    def test_a_denial_is_marked_with_who_denied_it(self, capsys):
        """The Russian denial of Amaq's capture claim is shown with its chain."""
        _, out, _ = run(capsys, "known", "--on", "2017-10-05", "--about", "al-Shula")

        assert "amaq-capture  [capture]  DENIED" in out
        assert (
            "    DENIAL     per Military Times (citing Reuters -> Russian Ministry of "
            "Defense), published" in out
        )

    def test_about_ignores_case_and_reads_quotes(self, capsys):
        """--about matches ids, types, actors, places, quotes and notes."""
        by_quote = known_json(capsys, "--on", "2017-10-05", "--about", "SECONDED")
        by_actor = known_json(capsys, "--on", "2017-10-05", "--about", "fedyanin")

        assert [h["event_id"] for h in by_quote["happenings"]] == [
            "asapov-5th-corps-command"
        ]
        # The casualty report's note names Fedyanin as one of its two dead.
        assert [h["event_id"] for h in by_actor["happenings"]] == [
            "deir-ez-zor-senior-officer-losses",
            "fedyanin-death",
            "fedyanin-wounding",
        ]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Russian Ministry of Defense", None),
            ("TASS", ["asapov-death", "fedyanin-death", "fedyanin-wounding"]),
            ("Military Times", None),
        ],
    )
    def test_about_finds_outlets_and_attributions(self, capsys, text, expected):
        """Every happening an outlet, or any source of a chain, reported is found."""
        everything = known_json(capsys, "--on", "2017-10-05")
        document = known_json(capsys, "--on", "2017-10-05", "--about", text)
        found = {h["event_id"] for h in document["happenings"]}

        cited = {
            h["event_id"]
            for h in everything["happenings"]
            for claim in h["claims"] + h["withdrawn"] + h["responses"]
            if text in (claim["outlet"], *claim["attribution"])
        }
        assert cited
        assert cited <= found
        if expected is not None:
            assert set(expected) <= found

    def test_full_shows_each_claim_with_its_quote_and_note(self, capsys):
        """--full prints every claim on its own, its quote and the note under it."""
        code, out, _ = run(
            capsys, "known", "--on", "2017-10-05", "--about", "asapov-death", "--full"
        )
        plain = run(capsys, "known", "--on", "2017-10-05", "--about", "asapov-death")

        assert code == 0
        text = " ".join(line.strip() for line in out.splitlines())
        assert '"The death on Sept. 23 of Russian Lt. Gen Valery Asapov, 51"' in text
        assert "note: Lt. Gen., 51;" in text
        assert '"Russian Gen. Valery Asapov was killed in a mortar attack' in text
        assert "The death on Sept. 23" not in plain[1]

    def test_about_an_id_names_that_happening_alone(self, capsys):
        """An id is that happening, though another's note cites the id."""
        by_id = known_json(capsys, "--on", "2017-10-05", "--about", "ASAPOV-death")
        by_text = known_json(capsys, "--on", "2017-10-05", "--about", "asapov-deat")

        assert [h["event_id"] for h in by_id["happenings"]] == ["asapov-death"]
        assert [h["event_id"] for h in by_text["happenings"]] == [
            "asapov-death",
            "deir-ez-zor-senior-officer-losses",
        ]

    def test_json_has_the_documented_keys(self, capsys):
        """The --json document has the keys docs/cli.md lists, in that order."""
        document = known_json(capsys, "--on", "2017-10-05")
        happening = document["happenings"][0]
        field = next(iter(happening["fields"].values()))
        claim = happening["claims"][0]

        assert list(document) == [
            "kind",
            "version",
            "as_of",
            "seq",
            "about",
            "aliases",
            "happenings",
        ]
        assert (document["kind"], document["version"], len(document["happenings"])) == (
            "knowledge",
            1,
            80,
        )
        assert list(happening) == [
            "event_id",
            "event_ids",
            "event_types",
            "status",
            "statuses",
            "when",
            "first_known",
            "conflicts",
            "differences",
            "fields",
            "claims",
            "withdrawn",
            "responses",
            "verdicts",
            "links",
        ]
        assert list(field) == ["name", "kind", "in_conflict", "values", "pairs"]
        assert list(field["values"][0]) == ["value", "text", "first_known", "claims"]
        assert list(field["values"][0]["claims"][0]) == [
            "seq",
            "outlet",
            "attribution",
            "claimant",
            "published",
            "citation",
            "hedge",
            "wording",
        ]
        disputed = known_json(capsys, "--on", "2017-10-05", "--about", "asapov-death")
        (pair,) = disputed["happenings"][0]["fields"]["when"]["pairs"]
        assert list(pair) == ["values", "texts", "relation", "reason", "verdict"]
        assert list(claim)[7:] == [
            "recorded_at",
            "event_id",
            "event_type",
            "role",
            "published_range",
            "title",
            "url",
            "quote",
            "reliability",
            "credibility",
            "note",
            "facts",
        ]

    def test_seq_pins_the_system_time(self, capsys):
        """--seq N counts only the first N entries of the log."""
        document = known_json(capsys, "--on", "2017-10-05", "--seq", "0")

        assert (document["seq"], document["happenings"]) == (0, [])

    def test_nothing_known_says_so(self, capsys):
        """On a day before every report, the answer is an explicit nothing."""
        _, out, _ = run(capsys, "known", "--on", "2000-01-01")

        assert out.splitlines()[1] == "0 happenings known."

    def test_every_response_kind_and_a_merge_are_shown(self, capsys, contested):
        """Merged ids, confirmations, corrections, retractions and withdrawn claims."""
        _, out, _ = run(capsys, "known", "--on", "2017-10-05", "--log", contested)

        assert out.splitlines() == [
            "Known on 2017-10-05: reports published on or before it, log entries up "
            "to seq 17.",
            "4 happenings known: 1 denied, 1 disputed, 1 corrected, 1 confirmed.",
            "",
            "v-visit  [visit]  CORRECTED",
            "    when        not stated",
            "    host        H",
            "    visitor     V",
            "    CORRECTION  per Alpha, published 2017-10-02",
            "    withdrawn   per Alpha, published 2017-09-24 (no longer stands)",
            "    claims      per Alpha, published 2017-10-02",
            "",
            "x-death  [death]  DISPUTED, CONFIRMED (conflict: when)",
            "    merged        x-death, x-dies",
            "    when          CONFLICT: 3 values",
            "                  - 2017-09-23   per Alpha, published 2017-09-24",
            "                  - 2017-09      per Beta (citing Agency -> Ministry), "
            "published 2017-09-25",
            "                  - 2017-09-21",
            "                      per Beta, published 2017-09-25",
            "                      per Gamma, published 2017-09-26T08:30:00+00:00",
            "                  refines: 2017-09-23 lies within 2017-09",
            "                  contradicts: 2017-09-23 and 2017-09-21 share no "
            "possible day",
            "                  refines: 2017-09-21 lies within 2017-09",
            "    person        X",
            "    CONFIRMATION  per Alpha, published 2017-10-02",
            "    claims        per Alpha, published 2017-09-24",
            "                  per Beta (citing Agency -> Ministry), "
            "published 2017-09-25",
            "                  per Beta, published 2017-09-25 (2 claims)",
            "                  per Gamma, published 2017-09-26T08:30:00+00:00",
            "",
            "y-visit  [visit]  DENIED",
            "    when        not stated",
            "    visitor     W",
            "    DENIAL      per Gamma, published 2017-09-26T08:30:00+00:00",
            "    RETRACTION  per Alpha, published 2017-10-02",
            '                "We erred."',
            "    withdrawn   per Alpha, published 2017-09-24 (no longer stands)",
            "    claims      per Beta, published 2017-09-25",
            "",
            "z-visit  [visit]  CONFIRMED",
            "    when          refines: 2 values",
            "                  - 2017-09-10   per Alpha, published 2017-09-24",
            "                  - 2017-09      per Beta, published 2017-09-25",
            "                  refines: 2017-09-10 lies within 2017-09",
            "    visitor       Z",
            "    CONFIRMATION  per Beta, published 2017-09-25",
            "    claims        per Alpha, published 2017-09-24",
            "                  per Beta, published 2017-09-25",
        ]


class TestKnownBySource:
    """``timeline known --source NAME``: what a source stated, denied or was quoted."""

    def test_tass_behind_military_times(self, capsys):
        """A source cited by an outlet is found, with what the claim states."""
        code, out, err = run(
            capsys,
            "known",
            "--on",
            "2017-10-04",
            "--source",
            "tass",
            "--about",
            "asapov-d",
        )

        assert (code, err) == (0, "")
        assert out.splitlines() == [
            "Known on 2017-10-04: reports published on or before it, log entries up "
            "to seq 121.",
            '"tass" appears in 1 entry about 1 of 80 happenings known that match '
            '"asapov-d": 1 live claim.',
            "",
            "asapov-death  [death]  DISPUTED (conflict: when)",
            "    claim      per Military Times (citing TASS), published 2017-10-04",
            '                 when    2017-09-24 "on Sept. 24"',
            "                 actors  Valery Asapov",
            "                 cause   mortar attack",
            "                 person  Valery Asapov",
            '               "Russian Gen. Valery Asapov was killed in a mortar attack '
            "on Sept. 24, according to",
            '               Russian state-run media TASS."',
        ]

    def test_withdrawn_claims_and_responses(self, capsys, contested):
        """An outlet's retracted claims and its own responses are named as such."""
        _, out, _ = run(
            capsys,
            "known",
            "--on",
            "2017-10-05",
            "--log",
            contested,
            "--source",
            "Alpha",
        )

        assert out.splitlines()[1:8] == [
            '"Alpha" appears in 8 entries about 4 of 4 happenings known: 3 live '
            "claims, 2 withdrawn claims, 3",
            "responses.",
            "",
            "v-visit  [visit]  CORRECTED",
            "    claim       per Alpha, published 2017-10-02",
            "                  host     H",
            "                  visitor  V",
        ]
        assert out.splitlines()[8:10] == [
            "    withdrawn   per Alpha, published 2017-09-24 (no longer stands)",
            "                  visitor  V",
        ]

    def test_a_party_denying_is_a_source(self, capsys, contested):
        """The party named by a denial is found though no chain cites it."""
        _, out, _ = run(
            capsys, "known", "--on", "2017-10-05", "--log", contested, "--source", "Y"
        )

        assert out.splitlines()[1:] == [
            '"Y" appears in 1 entry about 1 of 4 happenings known: 1 response.',
            "",
            "y-visit  [visit]  DENIED",
            "    DENIAL     per Gamma, published 2017-09-26T08:30:00+00:00",
            "                 denied_by  Y",
        ]

    def test_a_source_named_nowhere(self, capsys):
        """A source no entry names appears in nothing, and the command says so."""
        _, out, _ = run(capsys, "known", "--on", "2017-10-04", "--source", "nobody")

        assert out.splitlines()[1:] == [
            '"nobody" appears in 0 entries about 0 of 80 happenings known.'
        ]

    def test_json_is_the_source_record(self, capsys):
        """--json prints the documented "source" document."""
        document = known_json(
            capsys, "--on", "2017-10-04", "--source", "Russian Ministry of Defense"
        )

        assert document == source_record(
            load_corpus().as_of(D("2017-10-04")), "Russian Ministry of Defense"
        )
        assert list(document) == [
            "kind",
            "version",
            "as_of",
            "seq",
            "about",
            "source",
            "happenings",
            "accounts",
        ]
        assert (
            document["kind"],
            document["happenings"],
            len(document["accounts"]),
        ) == (
            "source",
            80,
            15,
        )


class TestConflicts:
    """``timeline conflicts``: the open conflicts on a date."""

    def test_defaults_to_the_latest_report(self, capsys):
        """Without --on, every report of the log counts."""
        code, out, _ = run(capsys, "conflicts")

        assert code == 0
        assert out.splitlines()[0] == (
            "Open conflicts on 2017-10-05 (log entries up to seq 121): 5, in 4 "
            "happenings."
        )
        assert "asapov-death  [death]  DISPUTED" in out

    def test_json_on_a_date_about_a_text(self, capsys):
        """--on and --about narrow the list; --json prints the documented keys."""
        code, out, _ = run(
            capsys, "conflicts", "--on", "2017-09-28", "--about", "Asapov", "--json"
        )
        document = json.loads(out)

        assert code == 0
        assert list(document) == [
            "kind",
            "version",
            "as_of",
            "seq",
            "about",
            "conflicts",
        ]
        assert [(c["event_id"], c["field"]) for c in document["conflicts"]] == [
            ("asapov-command-post-shelling", "target")
        ]
        assert list(document["conflicts"][0]) == [
            "event_id",
            "event_types",
            "status",
            "field",
            "values",
            "pairs",
        ]

    def test_text_about_a_text(self, capsys):
        """The heading names the filter."""
        _, out, _ = run(capsys, "conflicts", "--on", "2016-06-18", "--about", "convoy")

        assert out.splitlines()[0] == (
            'Open conflicts about "convoy" on 2016-06-18 (log entries up to seq 121): '
            "1, in 1 happening."
        )

    def test_an_empty_log_has_none(self, capsys, tmp_path):
        """A log without entries has no conflicts, and says so."""
        JsonlStore(tmp_path / "empty.jsonl").close()

        code, out, _ = run(capsys, "conflicts", "--log", str(tmp_path / "empty.jsonl"))

        assert (code, out.splitlines()[0]) == (
            0,
            "Open conflicts on 0001-01-01 (log entries up to seq 0): 0, in 0 "
            "happenings.",
        )


class TestDiff:
    """``timeline diff FROM TO``: what became known in between."""

    def test_the_military_times_report(self, capsys):
        """Oct. 4 adds Sept. 24 to Asapov's death, which becomes disputed."""
        code, out, _ = run(capsys, "diff", "2017-09-28", "2017-10-04")

        assert code == 0
        assert "  asapov-death  when" in out
        assert (
            '      - 2017-09-24 "on Sept. 24"   per Military Times (citing TASS), '
            "published 2017-10-04" in out
        )
        assert "  asapov-death: reported -> DISPUTED" in out
        assert "  2017-10-04  DENIED     amaq-capture  [capture]" in out

    def test_json(self, capsys):
        """--json prints the documented keys."""
        code, out, _ = run(capsys, "diff", "2017-09-27", "2017-09-28", "--json")
        document = json.loads(out)

        assert code == 0
        assert list(document) == [
            "kind",
            "version",
            "since",
            "until",
            "new_happenings",
            "new_values",
            "new_conflicts",
            "status_changes",
        ]
        assert "asapov-death" in {h["event_id"] for h in document["new_happenings"]}

    def test_dates_in_the_wrong_order_fail(self, capsys):
        """FROM after TO is an error of the command, exit 1."""
        code, out, err = run(capsys, "diff", "2017-10-05", "2017-09-01")

        assert (code, out) == (1, "")
        assert err == (
            "timeline diff: error: diff from 2017-10-05 to 2017-09-01: the first date "
            "is after the second\n"
        )


class TestHistory:
    """``timeline history EVENT_ID``: the evolution of one happening."""

    def test_asapov_s_death_step_by_step(self, capsys):
        """Reported on Sept. 28, disputed from Oct. 4; + marks each day's news."""
        code, out, _ = run(capsys, "history", "asapov-death")
        lines = out.splitlines()

        assert code == 0
        assert "== 2017-09-28: reported" in lines
        assert "== 2017-10-04: DISPUTED (was reported)" in lines
        assert (
            '+              - 2017-09-24 "on Sept. 24"   per Military Times (citing '
            "TASS), published 2017-10-04" in lines
        )

    def test_json(self, capsys):
        """--json prints one step per day that changed the answer."""
        code, out, _ = run(capsys, "history", "asapov-death", "--json")
        document = json.loads(out)

        assert code == 0
        assert list(document) == ["kind", "version", "event_id", "steps"]
        assert [step["as_of"] for step in document["steps"]] == [
            "2017-09-28",
            "2017-10-04",
        ]
        assert list(document["steps"][0]) == ["as_of", "happening"]

    def test_a_status_that_holds_is_not_repeated(self, capsys, contested):
        """A step whose status did not change prints no "was"."""
        _, out, _ = run(capsys, "history", "x-death", "--log", contested)

        assert [line for line in out.splitlines() if line.startswith("==")] == [
            "== 2017-09-24: reported",
            "== 2017-09-25: DISPUTED (was reported)",
            "== 2017-09-26: DISPUTED",
            "== 2017-10-02: DISPUTED, CONFIRMED (was DISPUTED)",
        ]

    @pytest.mark.parametrize(
        ("event_id", "message"),
        [
            (
                "asapov",
                "timeline history: error: no entry of the bundled corpus is about "
                "'asapov'; did you mean asapov-death?\n",
            ),
            (
                "zzz",
                "timeline history: error: no entry of the bundled corpus is about "
                "'zzz'\n",
            ),
        ],
    )
    def test_an_unknown_id_suggests_close_ones(self, capsys, event_id, message):
        """An id no entry names fails with exit 1 and, if any, close ids."""
        code, _, err = run(capsys, "history", event_id)

        assert (code, err) == (1, message)


class TestCheck:
    """``timeline check PATH``: validate a stored log."""

    @pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
    def test_an_exported_corpus_is_valid(self, capsys, tmp_path, suffix):
        """Both formats pass, with a one-line summary."""
        path = tmp_path / f"corpus{suffix}"
        run(capsys, "export", str(path))

        code, out, _ = run(capsys, "check", str(path))

        assert (code, out) == (
            0,
            f"ok: {path}: 121 entries, 80 happenings, published 2016-06-18 to "
            "2017-10-05; every entry decodes, every reference resolves, the hash chain "
            "is intact\n",
        )

    def test_an_empty_log_is_valid(self, capsys, tmp_path):
        """A log without entries passes, and has no span."""
        JsonlStore(tmp_path / "empty.jsonl").close()

        code, out, _ = run(capsys, "check", str(tmp_path / "empty.jsonl"))

        assert (code, out) == (
            0,
            f"ok: {tmp_path / 'empty.jsonl'}: 0 entries, 0 happenings; every entry "
            "decodes, every reference resolves, the hash chain is intact\n",
        )

    def test_an_edited_line_is_named(self, capsys, tmp_path):
        """A line edited by hand breaks the hash chain there: exit 1, one line."""
        path = tmp_path / "log.jsonl"
        run(capsys, "export", str(path))
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[2] = lines[2].replace("EA WorldView", "EA WorldVue")
        path.write_text("".join(lines), encoding="utf-8")

        code, out, err = run(capsys, "check", str(path))

        assert (code, out) == (1, "")
        assert err.startswith(f"timeline check: error: {path} line 3: ")
        assert err.count("\n") == 1

    def test_json_reports_success(self, capsys, tmp_path):
        """--json prints the summary with ok true."""
        path = tmp_path / "log.sqlite"
        run(capsys, "export", str(path))

        code, out, _ = run(capsys, "check", str(path), "--json")

        assert code == 0
        assert json.loads(out) == {
            "kind": "check",
            "version": 1,
            "path": str(path),
            "ok": True,
            "error": None,
            "entries": 121,
            "last_seq": 121,
            "happenings": 80,
            "first_published": "2016-06-18",
            "last_published": "2017-10-05",
        }

    def test_json_reports_failure(self, capsys, tmp_path):
        """--json prints ok false and the error, and still exits 1."""
        path = tmp_path / "missing.jsonl"

        code, out, err = run(capsys, "check", str(path), "--json")

        assert code == 1
        assert json.loads(out) == {
            "kind": "check",
            "version": 1,
            "path": str(path),
            "ok": False,
            "error": f"{path}: no such file",
        }
        assert err == f"timeline check: error: {path}: no such file\n"

    def test_json_reports_an_unreadable_path(self, capsys, tmp_path):
        """A path that cannot be read is reported as the system says it."""
        path = tmp_path / "folder.jsonl"
        path.mkdir()

        code, out, err = run(capsys, "check", str(path), "--json")

        assert code == 1
        assert json.loads(out)["error"] == f"{path}: Is a directory"
        assert err == f"timeline check: error: {path}: Is a directory\n"


class TestExport:
    """``timeline export OUT``: write the log in use to a new file."""

    @pytest.mark.parametrize("suffix", [".jsonl", ".sqlite", ".db"])
    def test_the_export_answers_as_the_corpus_does(self, capsys, tmp_path, suffix):
        """Queries on the exported file equal queries on the bundled corpus."""
        path = tmp_path / f"mine{suffix}"
        code, out, _ = run(capsys, "export", str(path))

        exported = known_json(capsys, "--on", "2017-10-05", "--log", str(path))

        assert (code, out) == (
            0,
            f"wrote 121 entries of the bundled corpus to {path}; extend it with "
            f"EventLog.open({str(path)!r})\n",
        )
        assert exported == known_json(capsys, "--on", "2017-10-05")

    def test_the_export_can_be_extended(self, capsys, tmp_path):
        """The new file is a log: EventLog.open appends to it."""
        path = tmp_path / "mine.jsonl"
        run(capsys, "export", str(path))
        with EventLog.open(path) as log:
            log.append(
                Denial(
                    event_id="asapov-death",
                    report=report("Kremlin", D("2017-10-06")),
                    denied_by="Kremlin",
                )
            )

        document = known_json(
            capsys, "--on", "2017-10-06", "--log", str(path), "--about", "asapov-death"
        )

        assert document["happenings"][0]["statuses"] == [
            "denied",
            "disputed",
            "reported",
        ]

    def test_an_existing_file_is_never_overwritten(self, capsys, tmp_path):
        """Exit 1 and a clear message; the file is left as it was."""
        path = tmp_path / "mine.jsonl"
        path.write_text("keep me", encoding="utf-8")

        code, out, err = run(capsys, "export", str(path))

        assert (code, out, path.read_text(encoding="utf-8")) == (1, "", "keep me")
        assert err == (
            f"timeline export: error: {path}: the file exists; export writes a new "
            "log and never overwrites one\n"
        )

    def test_an_unknown_suffix_leaves_nothing_behind(self, capsys, tmp_path):
        """A suffix no store handles fails, and the file is not created."""
        path = tmp_path / "mine.txt"

        code, _, err = run(capsys, "export", str(path))

        assert (code, path.exists()) == (1, False)
        assert "no store backend for suffix '.txt'" in err

    def test_a_missing_directory_is_named(self, capsys, tmp_path):
        """A file that cannot be created is reported as the system says it."""
        path = tmp_path / "nowhere" / "mine.jsonl"

        code, _, err = run(capsys, "export", str(path))

        assert (code, err) == (
            1,
            f"timeline export: error: {path}: No such file or directory\n",
        )

    def test_exports_a_stored_log(self, capsys, tmp_path, contested):
        """With --log, the stored log is copied, not the corpus."""
        path = tmp_path / "copy.sqlite"

        code, out, _ = run(capsys, "export", str(path), "--log", contested)

        assert (code, out.split(" of ")[0]) == (0, "wrote 17 entries")
        assert f"of {contested} to" in out


class TestErrors:
    """Exit codes and messages."""

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (
                ["known", "--on", "2017-02-30"],
                "timeline known: error: argument --on: '2017-02-30' is not a day: day "
                "is out of range for month (see 'timeline known --help')",
            ),
            (
                ["known", "--on", "Oct. 5"],
                "timeline known: error: argument --on: 'Oct. 5' is not a day: expected "
                "YYYY-MM-DD (see 'timeline known --help')",
            ),
            (
                ["diff", "2017-09-01", "20171005"],
                "timeline diff: error: argument TO: '20171005' is not a day: expected "
                "YYYY-MM-DD (see 'timeline diff --help')",
            ),
            (
                ["known", "--on", "2017-10-05", "--seq", "-1"],
                "timeline known: error: argument --seq: '-1' is not a seq: expected a "
                "whole number >= 0 (see 'timeline known --help')",
            ),
            (
                ["known"],
                "timeline known: error: the following arguments are required: --on "
                "(see 'timeline known --help')",
            ),
            (
                [],
                "timeline: error: the following arguments are required: COMMAND (see "
                "'timeline --help')",
            ),
        ],
    )
    def test_a_wrong_command_line_is_exit_2_and_one_line(self, capsys, argv, message):
        """Usage errors print one line saying what is wrong, and where."""
        code, out, err = run(capsys, *argv)

        assert (code, out, err) == (2, "", message + "\n")

    def test_a_missing_log_is_named(self, capsys, tmp_path):
        """--log naming no file: exit 1, and the file is not created."""
        path = tmp_path / "missing.sqlite"

        code, out, err = run(capsys, "known", "--on", "2017-10-05", "--log", str(path))

        assert (code, out, path.exists()) == (1, "", False)
        assert err == f"timeline known: error: --log {path}: no such file\n"

    def test_a_corrupt_log_is_a_timeline_error(self, capsys, tmp_path):
        """A log that does not read back fails with exit 1, naming the line."""
        path = tmp_path / "bad.jsonl"
        path.write_text("not json\n", encoding="utf-8")

        code, _, err = run(capsys, "history", "x", "--log", str(path))

        assert code == 1
        assert err.startswith(f"timeline history: error: {path} line 1: not a JSON")
        assert err.count("\n") == 1

    def test_a_message_of_several_lines_is_printed_on_one(self, capsys, monkeypatch):
        """However an error's message is written, stderr gets one line."""

        def broken():
            """Fail with a message on two lines."""
            msg = "the corpus is broken:\n  line 3: not JSON\n"
            raise TimelineError(msg)

        monkeypatch.setattr("timeline.cli.load_corpus", broken)

        code, _, err = run(capsys, "conflicts")

        assert (code, err) == (
            1,
            "timeline conflicts: error: the corpus is broken: line 3: not JSON\n",
        )

    def test_help_is_exit_0(self, capsys):
        """--help prints the commands and succeeds."""
        code, out, _ = run(capsys, "--help")

        assert code == 0
        assert "known" in out
        assert "export" in out

    def test_version(self, capsys):
        """--version prints the installed distribution's version."""
        code, out, _ = run(capsys, "--version")

        assert (code, out.count(".")) == (0, 2)

    def test_a_closed_pipe_stops_quietly(self, monkeypatch, tmp_path):
        """``timeline known ... | head``: no traceback, stdout silenced, exit 1."""
        with (tmp_path / "stdout").open("w") as target:

            class ClosedPipe(io.StringIO):
                """A stdout whose reader has gone away."""

                def write(self, text):
                    """Fail as a closed pipe does."""
                    raise BrokenPipeError(32, "Broken pipe")

                def fileno(self):
                    """Return the descriptor to silence."""
                    return target.fileno()

            monkeypatch.setattr(sys, "stdout", ClosedPipe())

            code = main(["known", "--on", "2017-10-05"])
            silenced = os.path.samestat(os.fstat(target.fileno()), os.stat(os.devnull))

        assert (code, silenced) == (1, True)


@pytest.mark.parametrize(
    "argv",
    [
        ["known", "--on", "2017-10-05"],
        ["known", "--on", "2017-10-05", "--source", "Russian Ministry of Defense"],
        ["conflicts"],
        ["diff", "2016-01-01", "2017-12-31"],
        ["history", "asapov-command-post-shelling"],
        ["history", "amaq-capture"],
    ],
    ids=" ".join,
)
def test_text_fits_100_columns_without_trailing_spaces(capsys, argv):
    """Every line of the corpus answers fits the width, with nothing trailing."""
    _, out, _ = run(capsys, *argv)

    assert [line for line in out.splitlines() if len(line) > WIDTH] == []
    assert [line for line in out.splitlines() if line != line.rstrip()] == []


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    log=logs(max_size=12),
    on=st.dates(min_value=D("2017-08-31"), max_value=D("2017-11-01")),
)
def test_json_is_the_records_of_the_answer(log, on):
    """For any stored log, --json prints exactly knowledge_record of as_of."""
    # Not capsys: a function-scoped fixture cannot serve every example.
    with _temporary_log(log) as path, _captured() as out:
        code = main(["known", "--on", on.isoformat(), "--log", path, "--json"])

    assert code == 0
    assert json.loads(out.getvalue()) == knowledge_record(log.as_of(on))


@contextlib.contextmanager
def _temporary_log(log: EventLog) -> Iterator[str]:
    """Write *log* to a new JSON Lines file; remove it afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        with JsonlStore(path) as store:
            store.append(tuple(log.entries()))
        yield str(path)


@contextlib.contextmanager
def _captured() -> Iterator[io.StringIO]:
    """Redirect stdout to a StringIO for the block."""
    stdout, sys.stdout = sys.stdout, io.StringIO()
    try:
        yield sys.stdout
    finally:
        sys.stdout = stdout


def test_python_m_timeline_works():
    """``python -m timeline`` runs the same command line."""
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "known", "--on", "2017-10-05", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert len(json.loads(result.stdout)["happenings"]) == 80


# -- Every console example in the docs and the README is run ---------------------

CONSOLE = re.compile(r"^```console\n(.*?)^```$", re.DOTALL | re.MULTILINE)
PROGRAMS = (["timeline"], ["python", "-m", "timeline"])


def sessions(block: str) -> list[tuple[list[str], str]] | None:
    """Return (arguments, output) pairs of a console block; None if not all timeline."""
    pairs = []
    for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
        command, _, output = chunk.partition("\n")
        words = shlex.split(command, comments=True)
        program = next((p for p in PROGRAMS if words[: len(p)] == p), None)
        if program is None:
            return None  # Another program (pip, a benchmark): shown, not run.
        pairs.append((words[len(program) :], output))
    return pairs


DOCUMENTS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "docs").glob("*/*.md")]
)
EXAMPLES = [
    pytest.param(pairs, id=f"{path.relative_to(ROOT)}:{line}")
    for path in DOCUMENTS
    for text in [path.read_text(encoding="utf-8")]
    for match in CONSOLE.finditer(text)
    for line in [text.count("\n", 0, match.start()) + 1]
    for pairs in [sessions(match.group(1))]
    if pairs is not None
]


@pytest.mark.parametrize("pairs", EXAMPLES)
def test_console_examples_in_the_docs_print_what_they_show(
    capsys, monkeypatch, tmp_path, pairs
):
    """Each ``$ timeline ...`` shown in the docs prints exactly the output shown."""
    monkeypatch.chdir(tmp_path)
    for argv, expected in pairs:
        main(argv)
        out, err = capsys.readouterr()

        assert out + err == expected


def test_the_readme_s_python_examples_run():
    """The README's ``pycon`` examples print what they show."""
    result = doctest.testfile(
        str(ROOT / "README.md"), module_relative=False, verbose=False, report=False
    )

    assert (result.failed, result.attempted > 0) == (0, True)


def test_every_public_module_has_a_reference_page():
    """Each public module of the package has its own page under docs/reference/."""
    modules = {
        name
        for _, name, _ in pkgutil.walk_packages(timeline.__path__, "timeline.")
        if not any(part.startswith("_") for part in name.split("."))
        and name not in MOVED
    }
    pages = {
        name
        for path in (ROOT / "docs" / "reference").glob("*.md")
        for name in re.findall(r"automodule:: ([\w.]+)", path.read_text("utf-8"))
    }
    # A module whose every name its package re-exports may be documented
    # there instead, under the one path users import (the stores' backends).
    reexported = {
        name
        for name in modules
        if name.count(".") > 1
        and set((module := importlib.import_module(name)).__all__)
        <= set(importlib.import_module(name.rpartition(".")[0]).__all__)
        and module.__all__
    }

    assert modules - reexported <= pages - {"timeline"} <= modules
