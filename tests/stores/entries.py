"""Entries shared by the file-store tests."""

import datetime as dt
from typing import Any

from timeline import Entry
from timeline.model.events import Death
from timeline.model.sources import Report, Source
from timeline.serialization import Codec, make_converter

from ..helpers import day, report

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = report("TASS", dt.date(2017, 9, 24))
MT = report("Military Times", dt.date(2017, 10, 4))


def death(seq: int, source: Report = TASS, event_id: str = "asapov-death") -> Entry:
    """Return entry *seq*: a death reported by *source*."""
    event = Death(
        event_id=event_id, report=source, person="Valery Asapov", when=day("2017-09-24")
    )
    return Entry(seq, START, event)


def miscast(person: object) -> Death:
    """Return a death whose *person* is forced past the constructor's check.

    Constructors refuse a value of the wrong type; a store must refuse one
    that got in anyway (through ``object.__setattr__``, say) all the same.
    """
    event = Death(event_id="x", report=TASS, person="Valery Asapov")
    object.__setattr__(event, "person", person)
    return event


def rekeying_codec() -> Codec:
    """Return a codec that writes a source as a dict with whole-number keys.

    Its entries decode equal to what was written, but the canonical JSON
    of what is read back is not the one written: JSON turns the keys into
    text, and text sorts "10" before "2".
    """
    converter = make_converter()
    converter.register_unstructure_hook(
        Source, lambda source: {2: source.name, 10: "rekeyed"}
    )
    converter.register_structure_hook(
        Source, lambda value, _: Source(value.get(2, value.get("2")))
    )
    return Codec(converter)


class Name(str):
    """A string of a class of its own: JSON reads it back as a plain string."""

    __slots__ = ()


class ReversedCodec(Codec):
    """A codec writing the envelope's keys in reverse order."""

    def entry_to_dict(self, entry: Entry) -> dict[str, Any]:
        """Return the envelope, its keys reversed."""
        return dict(reversed(super().entry_to_dict(entry).items()))


class PaddedCodec(Codec):
    """A codec adding *extra* to every envelope."""

    def __init__(self, **extra: object) -> None:
        super().__init__()
        self.extra = extra

    def entry_to_dict(self, entry: Entry) -> dict[str, Any]:
        """Return the envelope and the extra keys."""
        return super().entry_to_dict(entry) | self.extra
