"""The how-to's whole article (docs/how-to/encode-an-article.md), checked.

The claim sheet, imported with the command line, answers as the claims built
in Python do, and both say what the bundled corpus says of the article.
"""

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

from timeline import EventLog, FuzzyDate
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.stores import JsonlStore

DOCS = Path(__file__).parent.parent / "docs" / "how-to"
HOW_TO = DOCS / "encode-an-article.md"
SHEET = DOCS / "military-times-losses.csv"
SECTION = "## A whole article, with a sheet and with Python"


def section() -> str:
    """Return the how-to's section on the whole article."""
    text = HOW_TO.read_text(encoding="utf-8")
    return text.split(SECTION)[1].split("\n## ")[0]


def article() -> list[Any]:
    """Return the claims the section builds in Python, by running its code."""
    blocks = re.findall(r"```pycon\n(.*?)```", section(), re.DOTALL)
    code = "\n".join(
        line[4:]
        for block in blocks[:2]
        for line in block.splitlines()
        if line.startswith((">>> ", "... "))
    )
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 - the documentation's own example
    claims: list[Any] = namespace["article"]
    return claims


def test_the_sheet_imported_by_the_command_line_answers_as_python(
    tmp_path, monkeypatch, capsys
):
    """The command shown prints what is shown, and both logs answer alike."""
    shutil.copy(SHEET, tmp_path / SHEET.name)
    monkeypatch.chdir(tmp_path)
    shown = re.search(r"```text\n\$ timeline (.*?)\n(.*?)\n```", section(), re.DOTALL)
    assert shown is not None

    code = main(shown.group(1).split())
    out, err = capsys.readouterr()
    with JsonlStore(tmp_path / "losses.jsonl", create=False) as store:
        imported = list(store.read())
    by_python = EventLog(clock=lambda: imported[0].recorded_at)
    by_python.extend(article())
    by_sheet = EventLog(imported)

    assert (code, err) == (0, "")
    assert out == shown.group(2) + "\n"
    assert [entry.event for entry in imported] == article()
    for day in (dt.date(2017, 10, 3), dt.date(2017, 10, 4), dt.date(2026, 1, 1)):
        assert by_sheet.as_of(day) == by_python.as_of(day)


def days(facts: dict[str, object]) -> dict[str, object]:
    """Return *facts* with each date as its EDTF days, its wording left out."""
    return {
        name: value.to_edtf() if isinstance(value, FuzzyDate) else value
        for name, value in facts.items()
    }


def test_the_claims_are_those_of_the_corpus():
    """Each claim states what the corpus's claim of the same sentence states.

    The corpus was encoded from the seed article; it also names the sources'
    kinds and the report's publication range, which a sheet cannot, and
    keeps the phrase "within the last couple of weeks", which a sheet gives
    as the range it means.
    """
    corpus = [
        entry.event
        for entry in load_corpus().entries()
        if entry.event.report.outlet.name == "Military Times"
    ]

    for claim in article():
        (same,) = [
            event
            for event in corpus
            if (event.event_id, event.event_type, event.quote)
            == (claim.event_id, claim.event_type, claim.quote)
        ]
        assert days(same.facts()) == days(claim.facts())
        assert [source.name for source in same.attribution] == [
            source.name for source in claim.attribution
        ]
        assert same.report.published == claim.report.published
