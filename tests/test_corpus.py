import datetime as dt
import importlib.resources
import re
from pathlib import Path

import pytest

from timeline import Entry, EventLog, FuzzyDate, Report, Source
from timeline.corpus import load_corpus
from timeline.errors import AmbiguousNameError
from timeline.model.dates import Certainty
from timeline.model.events import (
    Appointment,
    Capture,
    CasualtyReport,
    Death,
    Denial,
    Estimate,
    Related,
    Revelation,
    Role,
    SameEntity,
    Verdict,
)
from timeline.projections import EntityState
from timeline.serialization import Codec

SEED_OF_OUTLET = {
    "DEBKA Weekly": "000_f29e87307f2d7eb1.txt",
    "Military Times": "003_391cadf3114f6a5b.txt",
    "EA WorldView": "004_ce767dfc941cdb53.txt",
}
PUBLISHED = {
    "EA WorldView": (
        dt.date(2016, 6, 18),
        (dt.date(2016, 6, 18), dt.date(2016, 6, 19)),
    ),
    "DEBKA Weekly": (
        dt.date(2017, 9, 28),
        (dt.date(2017, 9, 28), dt.date(2017, 10, 4)),
    ),
    "Military Times": (
        dt.date(2017, 10, 4),
        (dt.date(2017, 10, 4), dt.date(2017, 10, 10)),
    ),
}
# Phrases the parser does not read, so the corpus builds their dates by hand;
# docs/corpus.md says how each was read.
HAND_BUILT = frozenset(
    {
        "after an alleged strike Sept. 25",
        "on the same day",
        "recently",
        "since its intervention last September",
        "then",
        "within the last couple of weeks",
    }
)
CORPUS = load_corpus()
ENTRIES = tuple(CORPUS.entries())
ANALYST = Report(
    outlet=Source("Analyst", kind="analyst"),
    published=dt.date(2017, 10, 5),
    title="People the corpus names two ways",
)
"""The analyst's own report, of the judgements not read in one article."""
FROM_ARTICLES = tuple(entry for entry in ENTRIES if entry.event.report != ANALYST)
DATED = tuple(
    (entry, when) for entry in ENTRIES if (when := entry.event.when) is not None
)


def seed_text(seeds: Path, entry: Entry) -> str:
    """Return the text of the article *entry*'s report was encoded from.

    *seeds* is the folder of articles, from the `seeds` fixture, which skips
    a test where the folder is not beside the repository.
    """
    name = SEED_OF_OUTLET[entry.event.report.outlet.name]
    return (seeds / name).read_text(encoding="utf-8")


def known_on(day: dt.date) -> list[Entry]:
    """Return the entries whose report was public on *day*."""
    return [entry for entry in ENTRIES if entry.event.report.published_day <= day]


def test_the_corpus_has_one_report_per_seed_article(seeds):
    """Each seed article is one report, and every claim cites one of them."""
    reports = {entry.event.report for entry in FROM_ARTICLES}

    assert sorted(report.outlet.name for report in reports) == sorted(SEED_OF_OUTLET)
    assert sorted(SEED_OF_OUTLET.values()) == sorted(
        p.name for p in seeds.glob("*.txt")
    )


def test_reports_are_dated_to_the_earliest_day_their_text_allows():
    """Each report's day is the first of the range its text leaves open."""
    reports = {entry.event.report for entry in FROM_ARTICLES}

    dating = {r.outlet.name: (r.published, r.published_range) for r in reports}

    assert dating == PUBLISHED


def test_every_quote_appears_verbatim_in_its_article(seeds):
    """Quotes are copied exactly, curly quotes and typos included."""
    missing = [
        (entry.seq, entry.event.quote)
        for entry in FROM_ARTICLES
        if entry.event.quote is None or entry.event.quote not in seed_text(seeds, entry)
    ]

    assert missing == []


def test_every_date_keeps_the_articles_phrase_and_publication_anchor(seeds):
    """A claim's when records the article's own words, resolved on its publication."""
    wrong = [
        (entry.seq, when)
        for entry, when in DATED
        if when.phrase is None
        or when.phrase not in seed_text(seeds, entry)
        or when.anchor != entry.event.report.published_day
    ]

    assert wrong == []


def test_parsed_dates_are_what_the_parser_reads_from_the_phrase():
    """Every date not built by hand is exactly FuzzyDate.parse of its phrase."""
    differing = [
        entry.seq
        for entry, when in DATED
        if when.phrase not in HAND_BUILT
        and FuzzyDate.parse(str(when.phrase), anchor=entry.event.report.published_day)
        != when
    ]

    assert differing == []


def test_every_hand_built_date_is_used():
    """The list of phrases the parser cannot read names only phrases in use."""
    phrases = {when.phrase for _, when in DATED}

    assert phrases >= HAND_BUILT


def test_no_claim_dates_a_happening_after_its_report():
    """No claim knows the future: every day its when allows is published or before."""
    late = [
        (entry.seq, str(when))
        for entry, when in DATED
        if when.latest is None or when.latest > entry.event.report.published_day
    ]

    assert late == []


def test_event_ids_are_readable_kebab_case():
    """Happening ids are lowercase words joined by hyphens."""
    odd = sorted(
        event_id
        for event_id in CORPUS.event_ids
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", event_id)
    )

    assert odd == []


def test_asapov_death_is_one_happening_told_with_two_days():
    """DEBKA Weekly's Sept. 23 and Military Times' Sept. 24 via TASS are both kept."""
    dated_deaths = {
        (
            entry.event.report.outlet.name,
            tuple(source.name for source in entry.event.attribution),
            str(when),
        )
        for entry, when in DATED
        if isinstance(entry.event, Death) and entry.event.event_id == "asapov-death"
    }

    assert dated_deaths == {
        ("DEBKA Weekly", (), "2017-09-23"),
        ("Military Times", ("TASS",), "2017-09-24"),
    }


def test_the_three_valerys_stay_apart():
    """Asapov, Fedyanin and Gerasimov never share a happening as its subject."""
    people: dict[str, set[str]] = {}
    for entry in ENTRIES:
        for name in ("person", "speaker"):
            value = getattr(entry.event, name, None)
            if isinstance(value, str) and value.startswith("Valery"):
                people.setdefault(entry.event.event_id, set()).add(value)

    assert all(len(names) == 1 for names in people.values())
    assert people["asapov-death"] == {"Valery Asapov"}
    assert people["fedyanin-death"] == {"Valery Fedyanin"}
    assert people["gerasimov-funeral-speech"] == {"Valery Gerasimov"}


def test_eleven_troops_and_eleven_refugees_are_different_happenings():
    """Russia's count of its dead and the refugees shot at the border stay apart."""
    elevens = {
        entry.event.event_id: type(entry.event).__name__
        for entry in ENTRIES
        for name in ("killed", "count")
        if isinstance(getattr(entry.event, name, None), Estimate)
        and getattr(entry.event, name).low == 11
    }

    assert elevens == {
        "russian-military-deaths-in-syria": CasualtyReport.__name__,
        "khirbet-al-joz-refugee-shooting": "Attack",
    }


def test_the_russian_denial_answers_amaq_s_capture_claim():
    """The denial, via Reuters, names the capture happening, which precedes it."""
    (denial,) = (entry for entry in ENTRIES if isinstance(entry.event, Denial))
    captures = [
        entry.seq
        for entry in ENTRIES
        if isinstance(entry.event, Capture) and entry.event.event_id == "amaq-capture"
    ]

    assert denial.event.event_id == "amaq-capture"
    assert [source.name for source in denial.event.attribution] == [
        "Reuters",
        "Russian Ministry of Defense",
    ]
    assert captures
    assert max(captures) < denial.seq


def test_gerasimov_reveals_asapov_s_secret_command():
    """The revelation is about the command happening, which is also claimed."""
    (revelation,) = (
        entry.event
        for entry in ENTRIES
        if isinstance(entry.event, Revelation)
        and entry.event.revealed_by == "Valery Gerasimov"
    )
    commands = [
        entry.event
        for entry in ENTRIES
        if isinstance(entry.event, Appointment)
        and entry.event.event_id == revelation.event_id
    ]

    assert [(c.person, c.organization) for c in commands] == [
        ("Valery Asapov", "Syrian Fifth Attack Troop Corps")
    ]
    assert revelation.report.outlet.name == "DEBKA Weekly"


def test_responses_come_after_the_happenings_they_answer():
    """The log order is valid: a response never precedes its happening's first claim."""
    claims = [entry for entry in ENTRIES if entry.event.role is Role.CLAIM]
    first_claim = {entry.event.event_id: entry.seq for entry in reversed(claims)}

    misplaced = [
        entry.seq
        for entry in ENTRIES
        if entry.event.role is not Role.CLAIM
        # The happenings it answers or judges (a name is none).
        and any(
            first_claim.get(event_id, entry.seq) >= entry.seq
            for event_id in entry.event.referenced_event_ids()
        )
    ]

    assert misplaced == []


def test_the_packaged_file_round_trips_through_the_codec_byte_for_byte():
    """Every line decodes and re-encodes to itself, with fixed system times."""
    codec = Codec()
    text = (
        importlib.resources.files("timeline")
        .joinpath("data", "corpus.jsonl")
        .read_text(encoding="utf-8")
    )
    lines = text.splitlines()
    start = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)

    entries = [codec.loads(line) for line in lines]

    assert [codec.dumps(entry) for entry in entries] == lines
    assert text == "\n".join(lines) + "\n"
    assert [entry.recorded_at for entry in entries] == [
        start + dt.timedelta(seconds=entry.seq) for entry in entries
    ]
    assert tuple(entries) == ENTRIES


def test_load_corpus_returns_a_fresh_log_each_time():
    """Extending one loaded corpus does not change the next one."""
    mine = load_corpus()
    mine.append(ENTRIES[0].event)

    assert len(load_corpus()) == len(ENTRIES) == len(mine) - 1
    assert isinstance(mine, EventLog)


@pytest.mark.parametrize(
    ("day", "event_id", "known"),
    [
        (dt.date(2017, 9, 27), "asapov-death", False),
        (dt.date(2017, 9, 28), "asapov-death", True),
        (dt.date(2016, 6, 17), "shoigu-damascus-visit", False),
        (dt.date(2016, 6, 18), "shoigu-damascus-visit", True),
        (dt.date(2017, 10, 3), "amaq-capture", False),
        (dt.date(2017, 10, 4), "amaq-capture", True),
    ],
)
def test_what_is_known_depends_on_publication_not_on_when(day, event_id, known):
    """A happening is known only once a report of it is public."""
    ids = {entry.event.event_id for entry in known_on(day)}

    assert (event_id in ids) is known


def test_as_of_october_5_asapov_s_death_date_is_in_conflict():
    """On 2017-10-05 both reported days of Asapov's death are on record."""
    days = {
        str(entry.event.when)
        for entry in known_on(dt.date(2017, 10, 5))
        if entry.event.event_id == "asapov-death" and entry.event.when is not None
    }

    assert days == {"2017-09-23", "2017-09-24"}


# Every conflict of the corpus, on each day a report was published, with the
# relation of its values and whence it comes: the dates contradict by
# themselves; the two targets only differ as text, and are conflicts by the
# analyst's verdicts (entries 110 and 111), which read the articles.
CONFLICTS = {
    dt.date(2016, 6, 18): [("palmyra-car-bombing", "target", "verdict 110")],
    dt.date(2017, 9, 28): [
        ("asapov-command-post-shelling", "target", "verdict 111"),
        ("palmyra-car-bombing", "target", "verdict 110"),
    ],
    dt.date(2017, 10, 4): [
        # Killed by the same shell (entry 113): Asapov's dates are theirs.
        (
            "asapov-colonels-deaths",
            "when",
            "2017-09-23 and 2017-09-24 share no possible day",
        ),
        ("asapov-command-post-shelling", "target", "verdict 111"),
        (
            "asapov-command-post-shelling",
            "when",
            "2017-09-23 and 2017-09-24 share no possible day",
        ),
        ("asapov-death", "when", "2017-09-23 and 2017-09-24 share no possible day"),
        ("palmyra-car-bombing", "target", "verdict 110"),
    ],
}


@pytest.mark.parametrize("day", sorted(CONFLICTS))
def test_the_corpus_conflicts_are_where_its_sources_disagree(day):
    """Only contradicting values conflict: dates apart, and what the analyst judged."""
    found = [
        (
            conflict.happening.event_id,
            conflict.field.name,
            f"verdict {pair.verdict.seq}" if pair.verdict else pair.reason,
        )
        for conflict in CORPUS.as_of(day).conflicts()
        for pair in conflict.pairs
    ]

    assert found == CONFLICTS[day]


def test_without_the_verdicts_the_targets_only_differ():
    """Pinned before the verdicts, the two targets are wording that differs."""
    knowledge = CORPUS.as_of(dt.date(2017, 10, 4), seq=109)

    assert [(c.happening.event_id, c.field.name) for c in knowledge.conflicts()] == [
        ("asapov-command-post-shelling", "when"),
        ("asapov-death", "when"),
    ]
    for event_id in ("asapov-command-post-shelling", "palmyra-car-bombing"):
        target = knowledge[event_id].fields["target"]
        assert [pair.relation.value for pair in target.pairs] == ["differs"]


def test_the_verdicts_and_the_links_are_the_analyst_s_entries_from_the_articles():
    """The analyst's judgements read in the articles: two verdicts, then links."""
    analyst = [entry for entry in FROM_ARTICLES if entry.event.role is Role.ANALYST]
    verdicts = [entry for entry in analyst if isinstance(entry.event, Verdict)]

    assert [(entry.seq, entry.event.event_id) for entry in verdicts] == [
        (110, "palmyra-car-bombing"),
        (111, "asapov-command-post-shelling"),
    ]
    assert [entry.seq for entry in analyst] == [110, 111, *range(114, 122)]
    assert all(isinstance(entry.event, Related) for entry in analyst[2:])
    assert all(
        entry.event.relation.value == "contradicts"  # type: ignore[attr-defined]
        for entry in verdicts
    )


def test_sergei_and_sergey_shoigu_are_one_man_from_the_analyst_s_judgement(seeds):
    """Entry 113 joins two spellings, dated after both articles that use them."""
    texts = {
        outlet: (seeds / name).read_text(encoding="utf-8")
        for outlet, name in SEED_OF_OUTLET.items()
    }
    assert "Russian Defense Minister Sergei Shoigu" in texts["EA WorldView"]
    assert "Defense Minister Sergey Shoigu" in texts["DEBKA Weekly"]
    judged = [entry for entry in ENTRIES if entry.event.report == ANALYST]
    spelt_in = [PUBLISHED[outlet][1][1] for outlet in ("EA WorldView", "DEBKA Weekly")]

    assert judged == [ENTRIES[112]]
    (entry,) = judged
    assert isinstance(entry.event, SameEntity)
    assert (entry.seq, entry.event.name, entry.event.other_name) == (
        113,
        "Sergei Shoigu",
        "Sergey Shoigu",
    )
    assert all(ANALYST.published > last for last in spelt_in)


def test_shoigu_is_ambiguous_until_the_analyst_joins_his_names():
    """Before Oct. 5 the two spellings are two entities; from then on, one."""
    on = dt.date(2017, 9, 28)
    with pytest.raises(AmbiguousNameError) as raised:
        CORPUS.as_of(dt.date(2017, 10, 4)).state_of("Shoigu", on=on)

    answer = CORPUS.as_of(dt.date(2017, 10, 5)).state_of("shoigu", on=on)

    assert raised.value.candidates == (("Sergei Shoigu",), ("Sergey Shoigu",))
    assert answer.names == ("Sergei Shoigu", "Sergey Shoigu")
    assert [entry.seq for entry in answer.aliases] == [113]
    assert answer.state == "unknown"


def test_the_three_valerys_are_an_ambiguous_name():
    """Valery is three men: state_of lists them rather than pick one."""
    with pytest.raises(AmbiguousNameError) as raised:
        CORPUS.as_of(dt.date(2017, 10, 5)).state_of("Valery", on=dt.date(2017, 10, 1))

    assert raised.value.candidates == (
        ("Valery Asapov",),
        ("Valery Fedyanin",),
        ("Valery Gerasimov",),
    )


# -- Answers over valid time, and by source ------------------------------------


def said(answer: EntityState) -> tuple[object, ...]:
    """Return a state as (state, certainty, because, against, withdrawn) seqs."""
    return (
        answer.state,
        answer.certainty,
        [entry.seq for entry in answer.because],
        [entry.seq for entry in answer.against],
        [entry.seq for entry in answer.withdrawn],
    )


def course(day: dt.date, entity: str) -> list[tuple[object, ...]]:
    """Return every change of *entity*'s state as known on *day*, with its first day."""
    return [
        (answer.on, *said(answer)) for answer in CORPUS.as_of(day).states_of(entity)
    ]


@pytest.mark.parametrize(
    ("on", "answer"),
    [
        (dt.date(2017, 9, 22), ("unknown", Certainty.NOT, [], [], [])),
        (dt.date(2017, 9, 23), ("dead", Certainty.POSSIBLY, [41], [89], [])),
        (dt.date(2017, 9, 24), ("dead", Certainty.CERTAINLY, [41, 89], [], [])),
        (dt.date(2017, 10, 10), ("dead", Certainty.CERTAINLY, [41, 89], [], [])),
    ],
)
def test_asapov_is_possibly_dead_on_sept_23_and_certainly_on_sept_24(on, answer):
    """As of Oct. 4: Sept. 23 per DEBKA Weekly, against Sept. 24 per TASS."""
    knowledge = CORPUS.as_of(dt.date(2017, 10, 4))

    assert said(knowledge.state_of("Valery Asapov", on=on)) == answer


def test_asapov_s_death_names_the_claims_for_each_step():
    """Possibly from Sept. 23 (DEBKA Weekly), certainly from Sept. 24 (and TASS)."""
    steps = CORPUS.as_of(dt.date(2017, 10, 4)).states_of("Valery Asapov")

    assert [
        [entry.event.claimant.name for entry in step.because] for step in steps
    ] == [["DEBKA Weekly"], ["DEBKA Weekly", "TASS"]]
    assert course(dt.date(2017, 10, 4), "Valery Asapov") == [
        (dt.date(2017, 9, 23), "dead", Certainty.POSSIBLY, [41], [89], []),
        (dt.date(2017, 9, 24), "dead", Certainty.CERTAINLY, [41, 89], [], []),
    ]


def test_as_of_sept_28_asapov_was_certainly_dead_on_sept_23():
    """Before the TASS report, DEBKA Weekly's Sept. 23 was all the record held."""
    assert course(dt.date(2017, 9, 28), "valery  ASAPOV") == [
        (dt.date(2017, 9, 23), "dead", Certainty.CERTAINLY, [41], [], []),
    ]


def test_fedyanin_was_wounded_sept_22_and_dead_oct_1():
    """As reported on Oct. 4, citing TASS."""
    assert course(dt.date(2017, 10, 4), "Fedyanin") == [
        (dt.date(2017, 9, 22), "wounded", Certainty.CERTAINLY, [92], [], []),
        (dt.date(2017, 10, 1), "dead", Certainty.CERTAINLY, [93], [], []),
    ]


def test_timoshenkov_was_wounded_june_15_and_dead_june_16():
    """As reported on 2016-06-18, citing the Russian Ministry of Defense."""
    assert course(dt.date(2016, 6, 18), "Timoshenkov") == [
        (dt.date(2016, 6, 15), "wounded", Certainty.CERTAINLY, [20], [], []),
        (dt.date(2016, 6, 16), "dead", Certainty.CERTAINLY, [21, 23], [], []),
    ]


def test_a_wide_date_does_not_swallow_timoshenkov_s_wounding_and_death():
    """As of 2016-06-18 the wounding (June 15) comes a layer before the death."""
    order = CORPUS.as_of(dt.date(2016, 6, 18)).chronology()
    wide = "russian-military-deaths-in-syria"  # since last September, to June 18

    wounded, died = (
        order.layer_of(event_id)
        for event_id in ("timoshenkov-wounding", "timoshenkov-death")
    )

    assert (order.layer_of(wide), wounded, died) == (0, 2, 3)
    assert order.reach(wide) == len(order.layers) - 1 == 5
    assert [
        [happening.event_id for happening in order.layers[index]] for index in (2, 3)
    ] == [
        [
            "shoigu-freij-dehghan-tehran-meeting",
            "rebel-advance-south-of-aleppo",
            "palmyra-car-bombing",
            "timoshenkov-wounding",
        ],
        ["al-tanf-strikes", "timoshenkov-death"],
    ]


def test_as_of_oct_4_the_dated_happenings_fall_in_17_layers():
    """38 dated happenings in 17 layers, 42 undated: not one slot for almost all."""
    order = CORPUS.as_of(dt.date(2017, 10, 4)).chronology()

    assert (len(order.happenings), len(order.layers), len(order.undated)) == (
        38,
        17,
        42,
    )


def test_tass_is_found_behind_military_times():
    """TASS published none of the reports, but Military Times cites it seven times."""
    accounts = CORPUS.as_of(dt.date(2017, 10, 4)).by_source("TASS")

    assert {
        account.happening.event_id: [entry.seq for entry in account.entries]
        for account in accounts
    } == {
        "asapov-command-post-shelling": [90],
        "asapov-death": [89],
        "fedyanin-death": [93],
        "fedyanin-wounding": [92],
        "lavrov-coalition-call": [102],
        "lavrov-nusra-untouchable": [103],
        "ryabkov-accuses-us-double-dealing": [91],
    }
    assert all(not account.withdrawn and not account.responses for account in accounts)


def test_the_ministry_s_denial_of_amaq_s_claim_is_its_own():
    """Quoted by Reuters in Military Times, the Ministry denied the capture."""
    accounts = CORPUS.as_of(dt.date(2017, 10, 4)).by_source(
        "Russian Ministry of Defense"
    )

    (capture,) = (a for a in accounts if a.happening.event_id == "amaq-capture")
    assert [(entry.seq, entry.event.event_type) for entry in capture.entries] == [
        (85, "denial")
    ]
