"""A person's state over valid time: what the record supports, and why."""

import datetime as dt
import itertools

import attrs
from hypothesis import given
from hypothesis import strategies as st

from timeline import Entry, EventLog, FuzzyDate
from timeline.model.dates import Certainty
from timeline.model.events import Death, Denial, Retraction, Role, Wounding
from timeline.model.sources import Source
from timeline.projections import EntityState
from timeline.strategies import logs

from .helpers import FakeClock, day, report

D = dt.date.fromisoformat
DEBKA = report("DEBKA Weekly", D("2017-09-28"))
MT = report("Military Times", D("2017-10-04"))
LATER = report("DEBKA Weekly", D("2017-10-10"))
days = st.dates(min_value=D("2017-08-31"), max_value=D("2017-10-31"))


def said(answer: EntityState) -> tuple[object, ...]:
    """Return an answer as (state, certainty, because, against, withdrawn) seqs."""
    return (
        answer.state,
        answer.certainty,
        [entry.seq for entry in answer.because],
        [entry.seq for entry in answer.against],
        [entry.seq for entry in answer.withdrawn],
    )


def asapov(*more):
    """Return Asapov's death, Sept. 23 per DEBKA, Sept. 24 per MT citing TASS."""
    log = EventLog(clock=FakeClock())
    log.extend(
        [
            Death(
                event_id="asapov-death",
                report=DEBKA,
                person="Valery Asapov",
                when=day("2017-09-23"),
            ),
            Death(
                event_id="asapov-death",
                report=MT,
                person="Valery Asapov",
                when=day("2017-09-24"),
                attribution=[Source("TASS")],
            ),
            *more,
        ]
    )
    return log


class TestWhatLowersCertainty:
    """A disagreeing claim, a denial or a fuzzy date leave a state only possible."""

    def test_a_denial_leaves_a_death_possible(self):
        """A death denied is possible at best, and the denial is named."""
        log = asapov(Denial(event_id="asapov-death", report=LATER, denied_by="Russia"))

        answer = log.as_of(D("2017-10-10")).state_of("Asapov", on=D("2017-09-30"))

        assert said(answer) == ("dead", Certainty.POSSIBLY, [1, 2], [3], [])

    def test_a_death_filed_under_two_ids_is_one_death(self):
        """Two unmerged death claims about one person still disagree."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [
                Death(event_id="a", report=DEBKA, person="X", when=day("2017-09-23")),
                Death(event_id="b", report=MT, person=" x ", when=day("2017-09-30")),
            ]
        )

        answer = log.as_of(D("2017-10-04")).state_of("x", on=D("2017-09-25"))

        assert said(answer) == ("dead", Certainty.POSSIBLY, [1], [2], [])

    def test_each_wounding_is_its_own(self):
        """Wounded twice: certainly wounded after the first, whatever the second."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [
                Wounding(event_id="a", report=MT, person="X", when=day("2017-09-01")),
                Wounding(event_id="b", report=MT, person="X", when=day("2017-09-30")),
            ]
        )

        answer = log.as_of(D("2017-10-04")).state_of("x", on=D("2017-09-25"))

        assert said(answer) == ("wounded", Certainty.CERTAINLY, [1], [], [])

    def test_a_fuzzy_death_is_only_possible(self):
        """A death some time in September possibly happened by Sept. 25."""
        log = EventLog(clock=FakeClock())
        log.append(
            Death(event_id="d", report=MT, person="X", when=FuzzyDate.month(2017, 9))
        )

        answer = log.as_of(D("2017-10-04")).state_of("x", on=D("2017-09-25"))

        assert said(answer) == ("dead", Certainty.POSSIBLY, [1], [], [])

    def test_a_possible_death_outranks_a_certain_wounding(self):
        """The most severe state possible is the answer, however uncertain."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [
                Wounding(event_id="w", report=MT, person="X", when=day("2017-09-01")),
                Death(
                    event_id="d", report=MT, person="X", when=FuzzyDate.month(2017, 9)
                ),
            ]
        )

        course = log.as_of(D("2017-10-04")).states_of("X")

        assert [(answer.on, *said(answer)) for answer in course] == [
            (D("2017-09-01"), "dead", Certainty.POSSIBLY, [2], [], []),
            (D("2017-09-30"), "dead", Certainty.CERTAINLY, [2], [], []),
        ]


class TestWithdrawn:
    """Claims their own source took back no longer count, and are named."""

    def test_a_retracted_date_leaves_the_other(self):
        """DEBKA retracts its Sept. 23: dead certainly from Sept. 24, per TASS."""
        log = asapov(Retraction(event_id="asapov-death", report=LATER))
        knowledge = log.as_of(D("2017-10-10"))

        course = knowledge.states_of("Asapov")

        assert [(answer.on, *said(answer)) for answer in course] == [
            (D("2017-09-23"), "unknown", Certainty.NOT, [], [], [1]),
            (D("2017-09-24"), "dead", Certainty.CERTAINLY, [2], [], [1]),
        ]

    def test_a_retracted_death_is_unknown_and_named(self):
        """When every claim of a death is withdrawn, the state is unknown again."""
        log = EventLog(clock=FakeClock())
        log.extend(
            [
                Wounding(
                    event_id="w", report=DEBKA, person="X", when=day("2017-09-20")
                ),
                Death(event_id="d", report=DEBKA, person="X", when=day("2017-09-23")),
                Retraction(event_id="d", report=LATER),
            ]
        )
        knowledge = log.as_of(D("2017-10-10"))

        answer = knowledge.state_of("X", on=D("2017-09-25"))

        assert said(answer) == ("wounded", Certainty.CERTAINLY, [1], [], [2])
        assert said(log.as_of(D("2017-10-09")).state_of("X", on=D("2017-09-25"))) == (
            "dead",
            Certainty.CERTAINLY,
            [2],
            [],
            [],
        )


def test_an_undated_death_says_nothing_of_a_day():
    """A death with no date places no state on any day."""
    log = EventLog(clock=FakeClock())
    log.append(Death(event_id="d", report=MT, person="X"))
    knowledge = log.as_of(D("2017-10-04"))

    assert knowledge.state_of("x", on=D("2017-09-25")).state == "unknown"
    assert knowledge.states_of("x") == ()


def test_an_entity_state_built_as_before_still_works():
    """The fields added in 0.2.0 default to empty."""
    answer = EntityState("X", D("2017-09-25"), "unknown", Certainty.NOT, ())

    assert (answer.against, answer.withdrawn) == ((), ())


# -- Properties ---------------------------------------------------------------

STATE_KINDS = {"dead": Death, "wounded": Wounding}


def folded(name: str) -> str:
    """Return a name with case and spacing folded: x, y and nobody as state_of."""
    return " ".join(name.split()).casefold()


def who(entry: Entry) -> str:
    """Return the folded person of a death or wounding claim."""
    assert isinstance(entry.event, Death | Wounding)
    return folded(entry.event.person)


@st.composite
def questions(draw):
    """Draw a log of deaths and woundings, a knowledge date, a day and a name.

    The generated people are renamed "X" or "Y" (by the parity of their
    name's length), so that claims about one person meet often, and are
    the only names the record knows: no claim names actors or sources.
    (An empty name matches both, and is ambiguous: see
    test_entity_names.py.)
    """
    drawn = draw(logs(types=[Death, Wounding], event_ids=("alpha", "beta", "gamma")))
    log = EventLog(clock=FakeClock())
    for entry in drawn.entries():
        event = entry.event
        if isinstance(event, Death | Wounding):
            event = attrs.evolve(event, person="xY"[len(event.person) % 2])
        if event.role is Role.CLAIM or isinstance(event, Denial | Retraction):
            event = attrs.evolve(event, actors=(), attribution=())
        log.append(event)
    entity = draw(st.sampled_from(["X", "x", "Y", "nobody"]))
    as_of = draw(st.just(D("2017-10-31")) | days)
    return log, as_of, draw(days), entity


def possibly_by(entry: Entry, on: dt.date) -> bool:
    """Return whether a claim's date possibly falls on or before *on*."""
    assert entry.event.when is not None
    earliest = entry.event.when.earliest
    return earliest is None or earliest <= on


def certainly_by(entry: Entry, on: dt.date) -> bool:
    """Return whether a claim's date certainly falls on or before *on*."""
    assert entry.event.when is not None
    latest = entry.event.when.latest
    return latest is not None and latest <= on


def telling(knowledge, entity, kind):
    """Return (happening, entry) for each live dated claim of *kind* about *entity*."""
    return [
        (happening, entry)
        for happening in knowledge
        for entry in happening.claims
        if isinstance(entry.event, kind)
        and entry.event.when is not None
        and folded(entity) == who(entry)
    ]


@given(questions())
def test_never_certain_when_a_live_claim_or_a_denial_disagrees(question):
    """A certain state rests on claims no live claim or denial contradicts."""
    log, as_of, on, entity = question
    knowledge = log.as_of(as_of)

    answer = knowledge.state_of(entity, on=on)

    if answer.certainty is Certainty.CERTAINLY:
        kind = STATE_KINDS[answer.state]
        told = telling(knowledge, entity, kind)
        for entry in answer.because:
            same = [
                (happening, other)
                for happening, other in told
                if who(other) == who(entry)
                and (kind is Death or entry in happening.claims)
            ]
            assert all(certainly_by(other, on) for _, other in same)
            assert all(not happening.denials for happening, _ in same)


@given(questions())
def test_the_answer_names_the_claims_it_rests_on(question):
    """Every claim for an answer is live and dated on or before the day asked."""
    log, as_of, on, entity = question
    knowledge = log.as_of(as_of)
    live = {entry.seq for happening in knowledge for entry in happening.claims}
    responses = {entry.seq for happening in knowledge for entry in happening.denials}
    taken_back = {entry.seq for happening in knowledge for entry in happening.withdrawn}

    answer = knowledge.state_of(entity, on=on)

    if answer.state == "unknown":
        assert (answer.certainty, answer.because, answer.against) == (
            Certainty.NOT,
            (),
            (),
        )
        assert not any(
            possibly_by(entry, on)
            for kind in STATE_KINDS.values()
            for _, entry in telling(knowledge, entity, kind)
        )
    else:
        assert answer.because
        for entry in answer.because:
            assert entry.seq in live
            assert isinstance(entry.event, STATE_KINDS[answer.state])
            assert possibly_by(entry, on)
            if answer.certainty is Certainty.CERTAINLY:
                assert certainly_by(entry, on)
        for entry in answer.against:
            assert entry.seq in responses or (
                entry.seq in live and not possibly_by(entry, on)
            )
    assert all(entry.seq in taken_back for entry in answer.withdrawn)


@given(questions())
def test_the_course_is_the_answer_of_every_day(question):
    """Each day's answer is the course's last step on or before it."""
    log, as_of, on, entity = question
    knowledge = log.as_of(as_of)

    course = knowledge.states_of(entity)
    answer = knowledge.state_of(entity, on=on)

    steps = [step for step in course if step.on <= on]
    if steps:
        assert said(steps[-1]) == said(answer)
    else:
        assert said(answer) == ("unknown", Certainty.NOT, [], [], [])
    for step in course:
        assert step == knowledge.state_of(entity, on=step.on)
    assert all(said(a) != said(b) for a, b in itertools.pairwise(course))
