# SPDX-License-Identifier: MIT
"""Chronology: happenings in the order of valid time, as far as the record fixes it.

Reported dates are fuzzy, so the record orders happenings only partly: one
happening is *certainly before* another when every day its date allows is
before every day the other's allows (`timeline.FuzzyDate.before` is
`Certainty.CERTAINLY`). A `Chronology` lays that partial order out in
`Layer` items: each happening goes in the first layer after every
happening certainly before it. So whatever is certainly before something
comes before it, nothing in one layer is certainly before another of the
same layer, and a wide date ("since its intervention last September")
stays in the first layer it can take without drawing the precise dates it
overlaps into one unordered heap.

.. versionadded:: 0.2.0
"""

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from timeline.model.dates import FuzzyDate
from timeline.projections.happening import Happening

__all__ = ["Chronology", "Layer"]


@attrs.frozen
class Layer:
    """Happenings none of which is certainly before another of them.

    Every happening of a layer after the first is certainly after at least
    one happening of the layer before it, and after every happening
    certainly before it, which all lie in earlier layers. It need not come
    after every happening of the earlier layers: a wide date may overlap
    later layers (see `Chronology`).

    Args:
        happenings: The layer's happenings, by their earliest possible day,
            then their latest, then id.

    .. versionadded:: 0.2.0
    """

    happenings: tuple[Happening, ...]

    def __len__(self) -> int:
        return len(self.happenings)

    def __iter__(self) -> Iterator[Happening]:
        return iter(self.happenings)


@attrs.frozen
class Chronology:
    """The dated happenings in layers of the valid-time order, and the undated ones.

    The layers are those of the partial order "certainly before" on the
    happenings' dates (`Happening.when`, the span of every date reported
    for one): a happening's layer is one more than the highest layer of the
    happenings certainly before it, or the first when none is. Listing the
    layers in turn (`happenings`) therefore puts whatever is certainly
    before something before it. Happenings in one layer may have happened in
    any order.

    A layer says only that its happenings come after something in the layer
    before, not after all of it: "11 deaths since September 2015"
    (2015-09-01/2016-06-18) sits in an early layer beside what it overlaps,
    while a wounding on June 15 and a death on June 16 of 2016 fall in
    layers of their own, in that order. `reach` tells how far such a date
    extends.

    Build it with `Knowledge.chronology`.

    Args:
        layers: The dated happenings, layer by layer.
        undated: The happenings no live claim dates, in the order given
            (by id, from a `Knowledge`).

    .. versionadded:: 0.2.0
    """

    layers: tuple[Layer, ...]
    undated: tuple[Happening, ...]

    @property
    def happenings(self) -> tuple[Happening, ...]:
        """Return the dated happenings layer by layer, keeping every certain order."""
        return tuple(happening for layer in self.layers for happening in layer)

    def layer_of(self, event_id: str) -> int | None:
        """Return the index of *event_id*'s layer; None if undated or unknown."""
        for index, layer in enumerate(self.layers):
            for happening in layer:
                if event_id in happening.event_ids:
                    return index
        return None

    def reach(self, event_id: str) -> int | None:
        """Return the last layer *event_id* may overlap; None if undated or unknown.

        That is the highest layer holding a happening the one asked about is
        not certainly before: a precise date reaches little further than its
        own layer, a wide one as far as the happenings it may follow. A date
        open at its end reaches the last layer.
        """
        first = self.layer_of(event_id)
        if first is None:
            return None
        last = next(
            _when(h).latest for h in self.layers[first] if event_id in h.event_ids
        )
        if last is None:
            return len(self.layers) - 1
        reach = first
        for index in range(first + 1, len(self.layers)):
            if any(_earliest(h) <= last for h in self.layers[index]):
                reach = index
        return reach


def _when(happening: Happening) -> FuzzyDate:
    when = happening.when
    if when is None:  # pragma: no cover - only dated happenings are laid out
        msg = f"{happening.event_id} is undated"
        raise ValueError(msg)
    return when


def _earliest(happening: Happening) -> dt.date:
    earliest = _when(happening).earliest
    return dt.date.min if earliest is None else earliest


def chronology_of(happenings: Iterable[Happening]) -> Chronology:
    # One pass in order of earliest possible day. A happening certainly
    # before another ends before the other starts, so it starts earlier and
    # has its layer already; the happenings ending before the current one
    # starts are taken in order of their last day, keeping the highest
    # layer among them. O(n log n) in the happenings.
    dated: list[Happening] = []
    undated: list[Happening] = []
    for happening in happenings:
        (undated if happening.when is None else dated).append(happening)
    dated.sort(key=lambda h: (_when(h).sort_key, h.event_id))
    ending = sorted(
        (last, index)
        for index, h in enumerate(dated)
        if (last := _when(h).latest) is not None
    )
    ends = [last for last, _ in ending]
    layer_of = [0] * len(dated)
    highest = -1  # the highest layer among the happenings ended so far
    taken = 0
    for index, happening in enumerate(dated):
        starts = _when(happening).earliest
        if starts is None:
            continue  # nothing is certainly before an open start
        done = bisect.bisect_left(ends, starts)
        while taken < done:
            highest = max(highest, layer_of[ending[taken][1]])
            taken += 1
        layer_of[index] = highest + 1
    layers: list[list[Happening]] = [[] for _ in range(max(layer_of, default=-1) + 1)]
    for index, happening in enumerate(dated):
        layers[layer_of[index]].append(happening)
    return Chronology(tuple(Layer(tuple(layer)) for layer in layers), tuple(undated))
