"""The stores' JSON through orjson: the json module's text and values, faster.

A hash seals the canonical JSON of each record, defined as ``json.dumps``
writes it; orjson may write a record only where its text is exactly that,
and read one only where its values are exactly ``json.loads``'.
"""

import datetime as dt
from typing import Any, ClassVar

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import Event, EventLog
from timeline.model import _event as events_module
from timeline.model.sources import Report, Source
from timeline.stores._records import (
    canonical_checked,
    canonical_json,
    parse_fast,
    parse_json,
)

# What `Codec.checked_envelope` vouches a payload holds: dicts with string
# keys, lists, strings, whole numbers and None, of exactly these types.
whole_numbers = st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from(
    [-(2**63) - 1, -(2**63), 2**63 - 1, 2**63, 2**64 - 1, 2**64]
)
# Any code point but the surrogates, which UTF-8 cannot hold.
texts = st.text(st.characters(exclude_categories=["Cs"]))
plain = st.recursive(
    st.none() | whole_numbers | texts,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4)
    ),
    max_leaves=20,
)
payloads = st.dictionaries(texts, plain, max_size=6)


@given(payloads)
def test_a_vouched_payload_is_written_as_json_writes_it(payload):
    """Key order, escapes and numbers: the text is canonical_json's, byte for byte."""
    assert canonical_checked(payload) == canonical_json(payload)


@given(st.integers(max_value=-(2**63) - 1) | st.integers(min_value=2**64))
def test_a_number_orjson_cannot_hold_goes_to_json(number):
    """Beyond 64 bits orjson refuses; the text is still json's."""
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(number)

    assert canonical_checked({"n": number}) == f'{{"n":{number}}}'


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\U0001f600\ud83d"])
def test_a_lone_surrogate_goes_to_json_which_keeps_it(text):
    """Orjson refuses a lone surrogate; json writes it, and UTF-8 refuses it later."""
    written = canonical_checked({"quote": text})

    assert written == canonical_json({"quote": text})
    with pytest.raises(UnicodeEncodeError):
        written.encode("utf-8")


def test_every_character_below_the_surrogates_is_escaped_as_json_escapes_it():
    """Control characters, quotes, backslashes, DEL and the line separators."""
    everything = "".join(map(chr, range(0xD800)))

    assert canonical_checked({"t": everything}) == canonical_json({"t": everything})


@attrs.frozen(kw_only=True)
class Tally(Event):
    """A user type with a whole number, which generated readers read."""

    event_type: ClassVar[str] = "_test_fast_json_tally"

    count: int


@attrs.frozen(kw_only=True)
class Reading(Event):
    """A user type with a float and a field of any type: no generated reader."""

    event_type: ClassVar[str] = "_test_fast_json_reading"

    gauge: float
    raw: Any = None


TASS = Report(outlet=Source("TASS"), published=dt.date(2017, 9, 24))
HUGE = [2**64, 2**64 + 1, -(2**63) - 1, 10**30]


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
@pytest.mark.parametrize("number", HUGE)
def test_a_whole_number_beyond_64_bits_reads_back_as_that_number(
    tmp_path, monkeypatch, suffix, number
):
    """As orjson reads it, a float, no generated reader takes it: json reads it."""
    for cls in (Tally, Reading):  # registered for this test only
        monkeypatch.setitem(events_module._REGISTRY, cls.event_type, cls)
    events: list[Event] = [
        Tally(event_id="t", report=TASS, count=number),
        Reading(event_id="r", report=TASS, gauge=1.5, raw=number),
        Reading(event_id="r", report=TASS, gauge=1e16, raw=[number, "x"]),
    ]
    path = tmp_path / f"log{suffix}"
    with EventLog.open(path) as log:
        log.extend(events)

    with EventLog.open(path) as reopened:
        read: list[Any] = [entry.event for entry in reopened]

    assert read == events
    assert type(read[0].count) is int
    assert type(read[1].raw) is int
    assert type(read[2].raw[0]) is int


@given(plain)
def test_orjson_reads_what_json_reads_but_numbers_beyond_64_bits(value):
    """The one difference `parse_fast` documents, and no other."""
    text = canonical_json({"v": value})

    assert parse_fast(text) == parse_json(text) or _beyond_64_bits(value)


def _beyond_64_bits(value: object) -> bool:
    if isinstance(value, int):
        return not -(2**63) <= value < 2**64
    if isinstance(value, list):
        return any(map(_beyond_64_bits, value))
    if isinstance(value, dict):
        return any(map(_beyond_64_bits, value.values()))
    return False


@pytest.mark.parametrize(
    "text", ['{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '{"a":"\\ud800"}']
)
def test_orjson_refuses_what_json_would_read(text):
    """The stores then read the line the checked way, which decides."""
    with pytest.raises(ValueError, match=r"."):
        parse_fast(text)
