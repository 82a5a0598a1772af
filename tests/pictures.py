"""Logs to look at (the corpus with a retracted visit, every shape); pages read."""

import datetime as dt
import json
import re
from typing import Any

from timeline import EventLog, FuzzyDate, Source
from timeline.corpus import load_corpus
from timeline.model.dates import Season
from timeline.model.events import (
    Attack,
    Confirmation,
    Correction,
    Death,
    Denial,
    Retraction,
    Statement,
    Visit,
)
from timeline.model.sources import Credibility, Reliability, Report

from .helpers import FakeClock

D = dt.date.fromisoformat
WIRE = Source("Example Wire")
"""A made-up outlet: its visit is not in the seed articles."""


def seen_log() -> EventLog:
    """Return the corpus plus a visit "in September" that its outlet retracts.

    Example Wire reports on 2017-09-30 that Shoigu visited Deir ez-Zour in
    September 2017, and retracts the report on 2017-10-02.
    """
    log = load_corpus()
    log.extend(
        [
            Visit(
                event_id="shoigu-deir-ez-zour-visit",
                report=Report(outlet=WIRE, published=D("2017-09-30")),
                when=FuzzyDate.month(2017, 9).with_phrase(
                    "in September", anchor=D("2017-09-30")
                ),
                where="Deir ez-Zour",
                visitor="Sergei Shoigu",
                quote="Shoigu visited Deir ez-Zour in September.",
            ),
            Retraction(
                event_id="shoigu-deir-ez-zour-visit",
                report=Report(outlet=WIRE, published=D("2017-10-02")),
                reason="the visit was to Hmeimim",
                quote="An earlier report that Shoigu visited Deir ez-Zour was wrong.",
            ),
        ]
    )
    return log


def _report(outlet: str, day: str, **kwargs: object) -> Report:
    return Report(outlet=Source(outlet), published=D(day), **kwargs)  # type: ignore[arg-type]


def shapes_log() -> EventLog:
    """Return a made-up log holding every kind of date and every mark drawn.

    Exact, month, season, "one of", open-ended and undated dates; a
    conflict; a denial, a confirmation, a retraction and a correction; a
    report with a title, URL, inferred publication range and grading.
    """
    alpha = _report(
        "Alpha Times",
        "2020-03-02",
        title="What happened",
        url="https://example.org/a?x=1&y=<2>",
        published_range=(D("2020-03-02"), D("2020-03-04")),
    )
    beta = _report("Beta Agency", "2020-03-05")
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(
                event_id="death",
                report=alpha,
                person="A. Person",
                when=FuzzyDate.exact(D("2020-02-20")).with_phrase(
                    "on Feb. 20", anchor=D("2020-03-02")
                ),
                quote="He died on Feb. 20.",
                reliability=Reliability.B,
                credibility=Credibility.PROBABLY_TRUE,
                note="read from the caption",
            ),
            Death(
                event_id="death",
                report=beta,
                person="A. Person",
                when=FuzzyDate.exact(D("2020-02-21")),
                attribution=[Source("Gamma Wire"), Source("a ministry")],
            ),
            Visit(
                event_id="month-visit",
                report=alpha,
                visitor="B. Visitor",
                when=FuzzyDate.month(2020, 2),
            ),
            Attack(
                event_id="summer-attack",
                report=alpha,
                attacker="C",
                when=FuzzyDate.season(2019, Season.SUMMER).with_phrase(
                    "over the summer", anchor=D("2020-03-02")
                ),
            ),
            Statement(
                event_id="one-of",
                report=alpha,
                speaker="D",
                when=FuzzyDate.one_of(D("2020-02-10"), D("2020-02-12")),
            ),
            Statement(
                event_id="until",
                report=alpha,
                speaker="E",
                when=FuzzyDate.until(D("2019-01-15")),
            ),
            Statement(
                event_id="since",
                report=beta,
                speaker="F",
                when=FuzzyDate.since(D("2020-02-25")),
            ),
            Statement(event_id="undated", report=alpha, speaker="G"),
            Attack(event_id="denied", report=alpha, attacker="H"),
            Denial(
                event_id="denied",
                report=beta,
                denied_by="the H ministry",
                attribution=[Source("the H ministry")],
            ),
            Attack(
                event_id="confirmed",
                report=alpha,
                attacker="I",
                when=FuzzyDate.exact(D("2020-02-01")),
            ),
            Confirmation(
                event_id="confirmed", report=beta, confirmed_by="the I ministry"
            ),
            Statement(
                event_id="retracted",
                report=alpha,
                speaker="J",
                when=FuzzyDate.exact(D("2020-02-05")),
            ),
            Statement(event_id="retracted", report=alpha, speaker="J", quote="J said"),
            Confirmation(
                event_id="retracted", report=beta, confirmed_by="the J office"
            ),
            Retraction(
                event_id="retracted", report=_report("Alpha Times", "2020-03-06")
            ),
            Statement(
                event_id="corrected",
                report=beta,
                speaker="K",
                when=FuzzyDate.exact(D("2020-02-06")),
            ),
            Correction(
                event_id="corrected",
                report=_report("Beta Agency", "2020-03-06"),
                reason="wrong day",
            ),
            Statement(
                event_id="corrected",
                report=_report("Beta Agency", "2020-03-06"),
                speaker="K",
                when=FuzzyDate.exact(D("2020-02-07")),
            ),
        ]
    )
    return log


MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*"  # the digits of a number but its last


def joined(data: dict[str, Any], refs: str) -> str:
    """Return the HTML of a list of fragments, as the page's script joins it."""
    parts, out, number = data["parts"], [], 0
    for digit in refs:
        if digit in MORE:
            number = number * 32 + MORE.index(digit)
            continue
        number = number * 32 + int(digit, 32)
        out.append(
            parts[number]
            if number < len(parts)
            else joined(data, data["groups"][number - len(parts)])
        )
        number = 0
    return "".join(out)


def rows_drawn(text: str) -> str:
    """Return the page *text* with every row drawn, as its script draws them."""
    found = re.search(r'id="timeline-data">(.*?)</script>', text, re.DOTALL)
    data = json.loads(found[1]) if found else {"rows": {}}
    return re.sub(
        r'(<li hidden data-key="(\w+)"[^>]*>)(</li>)',
        lambda row: row[1] + joined(data, data["rows"][row[2]]) + row[3],
        text,
    )
