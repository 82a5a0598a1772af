"""The stores' JSON through orjson: the json module's text and values, faster.

A hash seals the canonical JSON of each record, defined as ``json.dumps``
writes it; orjson may write a record only where its text is exactly that,
and read one only where its values are exactly ``json.loads``'.
"""

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.stores._records import canonical_json, canonical_payload

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
    assert canonical_payload(payload) == canonical_json(payload)


@given(st.integers(max_value=-(2**63) - 1) | st.integers(min_value=2**64))
def test_a_number_orjson_cannot_hold_goes_to_json(number):
    """Beyond 64 bits orjson refuses; the text is still json's."""
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(number)

    assert canonical_payload({"n": number}) == f'{{"n":{number}}}'


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\U0001f600\ud83d"])
def test_a_lone_surrogate_goes_to_json_which_keeps_it(text):
    """Orjson refuses a lone surrogate; json writes it, and UTF-8 refuses it later."""
    written = canonical_payload({"quote": text})

    assert written == canonical_json({"quote": text})
    with pytest.raises(UnicodeEncodeError):
        written.encode("utf-8")


def test_every_character_below_the_surrogates_is_escaped_as_json_escapes_it():
    """Control characters, quotes, backslashes, DEL and the line separators."""
    everything = "".join(map(chr, range(0xD800)))

    assert canonical_payload({"t": everything}) == canonical_json({"t": everything})
