"""The helpers the stores share: plain JSON, splicing, parsing."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.serialization import Codec
from timeline.stores import _sqlite_rows
from timeline.stores._records import (
    ENVELOPE_KEYS,
    canonical_json,
    canonical_text,
    envelope_parts,
    is_plain_json,
    parse_json,
)

from .contract import FEW, entry_lists


class Text(str):
    """A string of a class of its own."""

    __slots__ = ()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(JSON)
def test_what_json_gives_is_plain(value):
    """Anything json.loads returns is plain: its text gives it back as is."""
    assert is_plain_json(value)
    assert is_plain_json(json.loads(json.dumps(value)))


@pytest.mark.parametrize(
    "value",
    [
        (1, 2),
        {"a": [1, (2,)]},
        {1: "a"},
        {"a": {None: 1}},
        [math.nan],
        {"a": [1, math.inf]},
        Text("a"),
        {"a": [Text("b")]},
        {"a": {"b": b"bytes"}},
        [[1, 2], [3, {1.5, 2.5}]],
    ],
)
def test_what_json_would_change_is_not_plain(value):
    """Tuples, odd keys, NaN, subclasses and non-JSON types are not plain."""
    assert not is_plain_json(value)


@FEW
@given(entry_lists(min_size=1, max_size=3), st.integers(0, 3))
def test_a_spliced_record_is_its_canonical_json(entries, more):
    """Splicing the canonical payload into the parts is canonical_json."""
    for entry in entries:
        envelope = Codec().entry_to_dict(entry)
        parts = envelope_parts(envelope)
        assert parts is not None
        seq, recorded_at, type_, version = parts
        body = canonical_json(envelope["payload"])
        record = {**envelope, "more": more} if more else envelope

        text = canonical_text(body, recorded_at, type_, version, seq, more=more)

        assert text == canonical_json(record)


def test_only_the_codecs_envelope_is_spliced():
    """Other keys, another order or other types are left to canonical_json."""
    envelope = dict.fromkeys(ENVELOPE_KEYS, "x") | {"seq": 1, "schema_version": 1}

    assert envelope_parts(envelope) == (1, "x", "x", 1)
    assert envelope_parts(dict(reversed(envelope.items()))) is None
    assert envelope_parts(envelope | {"extra": 1}) is None
    assert envelope_parts(envelope | {"seq": True}) is None
    assert envelope_parts(envelope | {"type": Text("x")}) is None


@given(JSON.map(json.dumps))
def test_parsing_is_json_loads(text):
    """Parsing gives what json.loads gives, whitespace around it or not."""
    assert parse_json(text) == json.loads(text)
    assert parse_json(f" {text}\n") == json.loads(text)
    assert parse_json(f"{text}\n", end=len(text)) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "Expecting value"),
        ('{"a": 1} {}', "Extra data"),
        ('{"a": NaN}', "NaN is not a number timeline writes"),
        ("[-Infinity]", "-Infinity is not a number timeline writes"),
        ('{"a": ', "Expecting value"),
    ],
)
def test_parsing_refuses_as_json_loads_does(text, match):
    """Errors are json.loads' own, and NaN and the infinities are refused."""
    with pytest.raises(ValueError, match=match):
        parse_json(text)


@given(
    st.lists(
        st.tuples(
            st.text(),
            st.sampled_from(["2017-10-04T00:00:00+00:00", 'a "time"\n', ""]),
            st.sampled_from(["claim", "Attack", 'odd "type"\t']),
            st.integers(),
            st.integers(),
        ),
        max_size=5,
    ),
    st.integers(0, 3),
)
def test_a_row_text_is_the_spliced_text_whatever_it_keeps(rows, bound):
    """A row's text is canonical_text's, with or without strings kept quoted."""
    quoted: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as patch:
        # A small table is cleared as it fills: the texts stay the same.
        patch.setattr(_sqlite_rows, "_QUOTED_MAX", bound)
        for payload, recorded_at, type_, version, seq in rows:
            body = json.dumps(payload)
            expected: str | None = canonical_text(
                body, recorded_at, type_, version, seq
            )
            if "\\u" in body:
                expected = None
            for kept in (None, quoted):
                text = _sqlite_rows.row_text(
                    seq, recorded_at, type_, version, body, quoted=kept
                )
                assert text == expected
    assert len(quoted) <= max(bound, 1)


def test_a_row_of_other_types_has_no_text():
    """Columns of types timeline does not write give no text to check."""
    good: tuple[object, ...] = (1, "2017-10-04T00:00:00+00:00", "claim", 1, "{}")
    rows = [good]
    for index, odd in enumerate((True, b"t", None, "1", b"{}")):
        rows.append((*good[:index], odd, *good[index + 1 :]))
    for number, (seq, recorded_at, type_, version, body) in enumerate(rows):
        empty: dict[str, str] = {}
        for kept in (None, empty):
            text = _sqlite_rows.row_text(
                seq, recorded_at, type_, version, body, quoted=kept
            )
            assert (text is None) == (number > 0)
