"""Names of one entity: the analyst's SameEntity, matching names, and ambiguity."""

import datetime as dt
import json
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.errors import AmbiguousNameError, InvalidEntryError
from timeline.model.events import Death, Event, Revocation, SameEntity, Wounding
from timeline.model.relations import name_words
from timeline.model.sources import Report, Source
from timeline.projections import Knowledge, build_knowledge
from timeline.serialization import Codec
from timeline.strategies import logs

from .helpers import FakeClock, day, report

D = dt.date.fromisoformat
WIRE = report("Example Wire", D("2017-09-28"))
PEOPLE = ("Sergei Shoigu", "Sergey Shoigu", "sergey  SHOIGU", "Valery Asapov", "Valery")
"""The names `timeline.strategies.logs` gives people, and a few more to ask."""
ASKED = (*PEOPLE, "Shoigu", "asapov", "nobody")
days = st.dates(min_value=D("2017-08-31"), max_value=D("2017-11-30"))


def analyst(published: dt.date) -> Report:
    """Return the analyst's own report, published on *published*."""
    return Report(outlet=Source("Analyst", kind="analyst"), published=published)


def same(name: str, other: str, published: dt.date) -> SameEntity:
    """Return the judgement that *name* and *other* are one entity's."""
    return SameEntity(
        event_id=f"entity:{name}",
        name=name,
        other_name=other,
        report=analyst(published),
    )


def copied(log: EventLog, *more: Event) -> EventLog:
    """Return a new log holding *log*'s events, then *more*, in one batch.

    Logs copied alike stamp their common entries alike, so they compare.
    """
    copy = EventLog(clock=FakeClock())
    copy.extend([*(entry.event for entry in log), *more])
    return copy


def answers(knowledge: Knowledge, on: dt.date) -> list[object]:
    """Return every answer about people *knowledge* gives, for each name asked."""
    said: list[object] = [[entry.event for entry in knowledge.aliases]]
    for name in ASKED:
        try:
            state: object = knowledge.state_of(name, on=on)
            course: object = knowledge.states_of(name)
        except AmbiguousNameError as error:
            state = course = error.candidates
        said += [
            state,
            course,
            knowledge.aliases_of(name),
            [happening.event_id for happening in knowledge.about(name)],
        ]
    return said


def wounded(event_id: str, person: str, when: str) -> Wounding:
    """Return a wire's claim that *person* was wounded on *when*."""
    return Wounding(event_id=event_id, report=WIRE, person=person, when=day(when))


# -- Examples -----------------------------------------------------------------


def test_a_same_entity_joins_two_spellings_from_its_knowledge_date():
    """Claims naming either spelling count for both once the judgement is known."""
    log = EventLog(clock=FakeClock())
    log.append(wounded("w", "Sergei Shoigu", "2017-09-20"))
    judgement = log.append(same("Sergei Shoigu", "Sergey Shoigu", D("2017-10-05")))

    before = log.as_of(D("2017-10-04")).state_of("Sergey Shoigu", on=D("2017-09-21"))
    after = log.as_of(D("2017-10-05")).state_of("Sergey Shoigu", on=D("2017-09-21"))

    assert (before.state, before.names, before.aliases) == ("unknown", (), ())
    assert after.state == "wounded"
    assert after.names == ("Sergei Shoigu", "Sergey Shoigu")
    assert after.aliases == (judgement,)
    assert after.entity == "Sergey Shoigu"


def test_a_revocation_takes_the_judgement_back_from_its_own_date():
    """Revoked, the two spellings are two entities again, but not before."""
    log = EventLog(clock=FakeClock())
    log.append(wounded("w", "Sergei Shoigu", "2017-09-20"))
    judgement = log.append(same("Sergei Shoigu", "Sergey Shoigu", D("2017-10-05")))
    log.append(
        Revocation(
            event_id=judgement.event.event_id,
            revokes=judgement.seq,
            reason="two men after all",
            report=analyst(D("2017-10-09")),
        )
    )

    def state(as_of: str) -> str:
        knowledge = log.as_of(D(as_of))
        return knowledge.state_of("Sergey Shoigu", on=D("2017-09-21")).state

    assert [state(d) for d in ("2017-10-04", "2017-10-08", "2017-10-09")] == [
        "unknown",
        "wounded",
        "unknown",
    ]
    assert log.as_of(D("2017-10-09")).aliases == ()


def test_judgements_chain_into_one_entity():
    """A = B and B = C make one entity of all three names."""
    log = EventLog(clock=FakeClock())
    log.append(wounded("w", "Sergei Shoigu", "2017-09-20"))
    log.append(same("Sergei Shoigu", "Sergey Shoigu", D("2017-10-05")))
    log.append(same("Sergey Shoigu", "S. K. Shoigu", D("2017-10-06")))

    knowledge = log.as_of(D("2017-10-06"))
    answer = knowledge.state_of("s k shoigu", on=D("2017-09-21"))

    assert answer.state == "wounded"
    assert answer.names == ("S. K. Shoigu", "Sergei Shoigu", "Sergey Shoigu")
    assert knowledge.aliases_of("S. K. Shoigu") == ("Sergei Shoigu", "Sergey Shoigu")


def test_deaths_under_two_joined_names_are_one_death():
    """Every death claim about one entity tells one death, whatever the spelling."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(
                event_id="a",
                report=WIRE,
                person="Valery Asapov",
                when=day("2017-09-23"),
            ),
            Death(
                event_id="b",
                report=WIRE,
                person="Valeriy Asapov",
                when=day("2017-09-24"),
            ),
            same("Valery Asapov", "Valeriy Asapov", D("2017-10-05")),
        ]
    )

    apart = log.as_of(D("2017-10-04")).state_of("Valery Asapov", on=D("2017-09-23"))
    joined = log.as_of(D("2017-10-05")).state_of("Valery Asapov", on=D("2017-09-23"))

    assert apart.certainty.name == "CERTAINLY"
    assert (joined.certainty.name, [e.seq for e in joined.against]) == ("POSSIBLY", [2])


def test_a_name_the_record_knows_whole_wins_over_longer_ones():
    """A name known whole ("Valery") is its entity, though others hold the word."""
    log = EventLog(clock=FakeClock())
    log.append(wounded("w", "Valery Asapov", "2017-09-20"))
    log.append(wounded("v", "Valery Fedyanin", "2017-09-22"))
    with pytest.raises(AmbiguousNameError) as raised:
        log.as_of(D("2017-10-05")).state_of("valery", on=D("2017-09-25"))
    log.append(wounded("x", "Valery", "2017-09-24"))

    answer = log.as_of(D("2017-10-05")).state_of("valery", on=D("2017-09-25"))

    assert raised.value.name == "valery"
    assert raised.value.candidates == (("Valery Asapov",), ("Valery Fedyanin",))
    assert answer.names == ("Valery",)
    assert [entry.seq for entry in answer.because] == [3]


def test_words_match_in_any_order_and_case():
    """A partial name matches by whole words, case and order ignored."""
    log = EventLog(clock=FakeClock())
    log.append(wounded("w", "Lt. Gen. Valery Asapov", "2017-09-20"))
    knowledge = log.as_of(D("2017-10-05"))

    def names(asked: str) -> tuple[str, ...]:
        return knowledge.state_of(asked, on=D("2017-09-21")).names

    assert names("ASAPOV valery") == ("Lt. Gen. Valery Asapov",)
    assert names("Asap") == ()  # not a whole word


def test_an_ambiguous_name_lists_every_candidate_and_pickles():
    """The error names each entity and what to do; it survives a pickle."""
    with pytest.raises(AmbiguousNameError) as raised:
        load_corpus().as_of(D("2017-10-05")).states_of("Valery")

    error = raised.value
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own bytes

    assert isinstance(error, LookupError)
    assert "Valery Asapov; Valery Fedyanin; Valery Gerasimov" in str(error)
    assert "SameEntity" in str(error)
    assert (copy.name, copy.candidates, str(copy)) == (
        error.name,
        error.candidates,
        str(error),
    )


def test_candidates_show_the_names_joined():
    """An entity of several names is listed with all of them."""
    log = EventLog(clock=FakeClock())
    log.append(wounded("w", "Sergei Shoigu", "2017-09-20"))
    log.append(wounded("v", "Sergei Lavrov", "2017-09-20"))
    log.append(same("Sergei Shoigu", "Sergey Shoigu", D("2017-10-05")))

    with pytest.raises(AmbiguousNameError) as raised:
        log.as_of(D("2017-10-05")).state_of("Sergei", on=D("2017-09-21"))

    assert raised.value.candidates == (
        ("Sergei Lavrov",),
        ("Sergei Shoigu", "Sergey Shoigu"),
    )
    assert "Sergei Shoigu = Sergey Shoigu" in str(raised.value)


def test_about_searches_the_aliases_known_as_of_the_date():
    """The corpus's Sergey Shoigu is found under Sergei from Oct. 5 on."""
    log = load_corpus()
    oct_4, oct_5 = log.as_of(D("2017-10-04")), log.as_of(D("2017-10-05"))

    before = [h.event_id for h in oct_4.about("Sergey Shoigu")]
    after = [h.event_id for h in oct_5.about("Sergey Shoigu")]

    assert before == ["putin-shoigu-accuse-us", "putin-shoigu-retribution-vow"]
    assert set(before) < set(after)
    assert "shoigu-damascus-visit" in after
    assert oct_5.aliases_of("Shoigu") == ("Sergei Shoigu", "Sergey Shoigu")
    assert oct_5.aliases_of("Valery") == ()


@pytest.mark.parametrize(
    ("name", "other"),
    [("Sergei Shoigu", "Sergei Shoigu"), ("Sergei Shoigu", " sergei   SHOIGU ")],
)
def test_a_name_the_same_as_itself_is_refused(name, other):
    """Nothing is joined to itself: a slip, named in the message."""
    with pytest.raises(InvalidEntryError, match="another name"):
        same(name, other, D("2017-10-05"))


@pytest.mark.parametrize(
    ("name", "other"),
    [
        (" ", "Sergey Shoigu"),
        ("Sergei Shoigu", ""),
        ("--", "Sergey Shoigu"),
        ("Sergei Shoigu", "(?)"),
    ],
)
def test_a_name_without_a_word_is_refused(name, other):
    """Both names must be given, each with a word to match it by."""
    with pytest.raises(InvalidEntryError):
        same(name, other, D("2017-10-05"))


def test_name_words_fold_case_and_split_at_punctuation():
    """Whole words, case folded, hyphens and dots apart."""
    assert name_words("Bashar al-Assad") == ("bashar", "al", "assad")
    assert name_words("Lt. Gen. VALERY") == ("lt", "gen", "valery")
    assert name_words("--") == ()


# -- Properties ---------------------------------------------------------------

names_of_one = st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)).filter(
    lambda pair: name_words(pair[0]) != name_words(pair[1])
)
people_logs = logs(types=[Death, Wounding], event_ids=("alpha", "beta", "gamma"))


@given(people_logs, days, days, st.lists(st.tuples(names_of_one, days), max_size=3))
def test_an_alias_never_leaks_before_its_knowledge_date(log, as_of, on, later):
    """Judgements published after a date change no answer as of that date."""
    base = copied(log)
    extended = copied(
        log,
        *(
            same(name, other, max(published, as_of + dt.timedelta(1)))
            for (name, other), published in later
        ),
    )

    assert answers(extended.as_of(as_of), on) == answers(base.as_of(as_of), on)


@given(people_logs, names_of_one, days, days, days)
def test_two_names_judged_one_get_one_answer(log, pair, published, as_of, on):
    """From its knowledge date on, both names of a judgement are asked alike."""
    name, other = pair
    log.append(same(name, other, published))
    knowledge = log.as_of(as_of)

    first = knowledge.state_of(name, on=on)
    second = knowledge.state_of(other, on=on)

    if as_of >= published:
        assert first.names == second.names
        assert (first.state, first.certainty, first.because, first.against) == (
            second.state,
            second.certainty,
            second.because,
            second.against,
        )
        assert log[log.last_seq] in first.aliases
    else:
        assert log[log.last_seq] not in first.aliases + second.aliases


@given(people_logs, names_of_one, st.tuples(days, days), days, days)
def test_a_revoked_alias_stops_counting_from_the_revocation(
    log, pair, knowledge_dates, as_of, on
):
    """Before the judgement, and from its revocation on, answers are as without it."""
    published, revoked = sorted(knowledge_dates)
    judgement = same(pair[0], pair[1], published)
    base, judged = copied(log), copied(log, judgement)
    revocation = Revocation(
        event_id=judgement.event_id,
        revokes=judged.last_seq,
        reason="on reflection",
        report=analyst(revoked),
    )
    undone = copied(log, judgement, revocation)

    expected = base if as_of < published or as_of >= revoked else judged

    assert answers(undone.as_of(as_of), on) == answers(expected.as_of(as_of), on)


@given(people_logs, days)
def test_the_index_and_the_fold_know_the_same_aliases(log, as_of):
    """A log's answer (its index, its checkpoint) keeps the fold's aliases."""
    log.as_of(as_of - dt.timedelta(days=20))  # a checkpoint to patch from

    assert log.as_of(as_of).aliases == build_knowledge(log, as_of=as_of).aliases


def test_a_stored_name_the_same_as_itself_is_refused_on_reading():
    """A line joining a name to itself is refused, naming the entry and why."""
    codec = Codec()
    entry = load_corpus()[113]
    line = codec.dumps(entry).replace('"Sergey Shoigu"', '"SERGEI  shoigu"')

    with pytest.raises(InvalidEntryError, match=r"seq 113.*another name"):
        codec.loads(line)
    assert codec.loads(codec.dumps(entry)) == entry


def test_a_forced_name_is_never_written_unchecked():
    """The checked writer refuses a SameEntity forced past its validators."""
    codec = Codec()
    entry = load_corpus()[113]
    for forced in ("sergei shoigu", "--"):
        event = SameEntity(
            event_id="entity:x",
            name="Sergei Shoigu",
            other_name="Sergey Shoigu",
            report=entry.event.report,
        )
        object.__setattr__(event, "other_name", forced)

        assert codec.checked_envelope(Entry(1, entry.recorded_at, event)) is None
    assert codec.checked_envelope(entry) is not None


def test_known_about_says_which_names_it_searched(capsys):
    """The headline and the JSON name the aliases the search used, by date."""
    assert main(["known", "--on", "2017-10-05", "--about", "Sergey Shoigu"]) == 0
    after = capsys.readouterr().out
    assert main(["known", "--on", "2017-10-04", "--about", "Sergey Shoigu"]) == 0
    before = capsys.readouterr().out
    main(["known", "--on", "2017-10-05", "--about", "sergey shoigu", "--json"])
    document = json.loads(capsys.readouterr().out)

    assert " ".join(after.splitlines()[1:3]).startswith(
        '8 of 80 happenings known match "Sergey Shoigu" or, as the analyst judged '
        'the same entity\'s, "Sergei Shoigu": '
    )
    assert before.splitlines()[1] == (
        '2 of 80 happenings known match "Sergey Shoigu": 2 reported.'
    )
    assert (document["aliases"], len(document["happenings"])) == (["Sergei Shoigu"], 8)
