# SPDX-License-Identifier: MIT
"""Casualty figures as a source gives them: `Estimate`, low, best and high.

A value type of the model, apart from the events that hold it; public as
``timeline.model.events.Estimate``, where users import it.
"""

from typing import Any

import attrs

from timeline.errors import InvalidEntryError
from timeline.model._checks import NOT_CONVERTED, register

__all__ = ["Estimate"]


def _non_negative(
    instance: "Estimate", attribute: "attrs.Attribute[Any]", value: object
) -> None:
    del instance
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < 0
    ):
        msg = f"Estimate.{attribute.name} must be a whole number >= 0, got {value!r}"
        raise InvalidEntryError(msg)


@attrs.frozen(weakref_slot=False)
class Estimate:
    """A count as a source gave it: a low, best and high figure, any may be missing.

    "At least 11" is ``Estimate(low=11)``; "65" is ``Estimate.exactly(65)``.
    Where an event's field wants an estimate, a plain whole number is taken
    for the exact figure: ``CasualtyReport(..., killed=39)`` holds
    ``Estimate.exactly(39)``.

    A source's figures are a fact about the source, so figures out of order
    (UCDP's low 334, best 333, high 3) are kept as given, and marked: such an
    estimate is not `Estimate.consistent`, and says so when printed.

    Raises:
        InvalidEntryError: If a figure is negative or not a whole number (a
            ``bool`` included), or none is given. Figures out of order are
            kept, and marked by `consistent`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Figures out of order are kept, and marked, instead of refused.
    """

    low: int | None = attrs.field(default=None, kw_only=True, validator=_non_negative)
    best: int | None = attrs.field(default=None, kw_only=True, validator=_non_negative)
    high: int | None = attrs.field(default=None, kw_only=True, validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        figures = [f for f in (self.low, self.best, self.high) if f is not None]
        if not figures:
            msg = "Estimate needs at least one of low, best, high"
            raise InvalidEntryError(msg)

    @property
    def consistent(self) -> bool:
        """Whether the figures given are in order: low <= best <= high.

        >>> Estimate(low=334, best=333, high=3).consistent
        False

        .. versionadded:: 0.2.0
        """
        figures = [f for f in (self.low, self.best, self.high) if f is not None]
        return figures == sorted(figures)

    @classmethod
    def exactly(cls, count: int) -> "Estimate":
        """Return an estimate of exactly *count*."""
        return cls(low=count, best=count, high=count)

    def __str__(self) -> str:
        if self.low == self.best == self.high:
            return str(self.best)
        parts = [
            f"{label} {value}"
            for label, value in (
                ("low", self.low),
                ("best", self.best),
                ("high", self.high),
            )
            if value is not None
        ]
        text = ", ".join(parts)
        return text if self.consistent else f"{text} (inconsistent: out of order)"


def _estimate_from(value: object) -> object:
    # "39 killed" is exactly 39: the figure a source gives, at every bound.
    if isinstance(value, int) and not isinstance(value, bool):
        return Estimate.exactly(value)
    return NOT_CONVERTED


def _estimate_hint(value: object) -> str | None:
    if isinstance(value, bool):
        return "a bool is not a count"
    if isinstance(value, float):
        return "a count is a whole number; give a range as Estimate(low=..., high=...)"
    return None


register(Estimate, convert=_estimate_from, hint=_estimate_hint)
