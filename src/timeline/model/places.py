# SPDX-License-Identifier: MIT
"""Places: which place lies within which, as the analyst and gazetteers say.

Two reports that put a happening "near Palmyra" and in "Homs province" do
not disagree if Palmyra lies in Homs province, but nothing in the words says
so. The analyst says it with a `timeline.model.events.Within` entry, or
loads a gazetteer of many (`timeline.serialization.read_gazetteer`); the
projections gather those known on a knowledge date into `Places`, which the
place comparer (`timeline.model.comparers`) asks.

Names are matched as `timeline.model.relations.folded` text, after a
leading "in" or "at"; "near", "outside", "around", "on the outskirts of"
or a compass direction ("north of") mark the vicinity of a place, which
lies within whatever holds the place itself.

>>> places = Places([("Palmyra", "Homs province"), ("Homs province", "Syria")])
>>> places.chain("near Palmyra", "Syria")
('near Palmyra', 'Homs province', 'Syria')
>>> places.within("Syria", "Palmyra")
False

.. versionadded:: 0.2.0
"""

import functools
import re
from collections.abc import Iterable

from timeline.model.relations import folded

__all__ = ["NO_PLACES", "Places", "read_place"]

_SAME_PLACE = ("in ", "at ", "inside ")
_VICINITY = tuple(
    f"{word} "
    for word in (
        "near",
        "nearby",
        "close to",
        "outside",
        "outside of",
        "around",
        "on the outskirts of",
        "the outskirts of",
        "outskirts of",
        *(
            f"{direction} of"
            for direction in (
                "north",
                "south",
                "east",
                "west",
                "northeast",
                "northwest",
                "southeast",
                "southwest",
                "north-east",
                "north-west",
                "south-east",
                "south-west",
            )
        ),
    )
)


_READING = re.compile(
    "(?:(?P<near>{})|{})(?P<name>.+)".format(
        "|".join(map(re.escape, sorted(_VICINITY, key=len, reverse=True))),
        "|".join(map(re.escape, _SAME_PLACE)),
    )
)


@functools.lru_cache(maxsize=8192)
def read_place(text: str) -> tuple[str, bool]:
    """Return the place *text* names, folded, and whether it names its vicinity.

    >>> read_place("Near  PALMYRA")
    ('palmyra', True)
    >>> read_place("in Deir ez-Zour")
    ('deir ez-zour', False)

    .. versionadded:: 0.2.0
    """
    name = folded(text)
    found = _READING.fullmatch(name)
    if found is None:
        return name, False
    return found["name"], found["near"] is not None


class Places:
    """Which places lie within which: pairs of (place, the place holding it).

    Containment is transitive: a place within a province within a country
    lies within the country. Two places each within the other are one place
    under two names (that is how a gazetteer's aliases are read).

    Args:
        pairs: (place, broader place) pairs, as written; names are matched
            as `read_place` reads them.

    .. versionadded:: 0.2.0
    """

    __slots__ = ("_chains", "_parents", "_spelling")

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        parents: dict[str, set[str]] = {}
        spelling: dict[str, str] = {}
        for place, broader in pairs:
            inner, outer = read_place(place)[0], read_place(broader)[0]
            for name, written in ((inner, place), (outer, broader)):
                # The smallest spelling, so that the reasons given do not
                # depend on the order the pairs came in.
                if name not in spelling or written < spelling[name]:
                    spelling[name] = written
            if inner != outer:
                parents.setdefault(inner, set()).add(outer)
        self._parents = {name: tuple(sorted(up)) for name, up in parents.items()}
        self._spelling = spelling
        self._chains: dict[tuple[str, str], tuple[str, ...] | None] = {}

    def __len__(self) -> int:
        """Return how many places are said to lie within another."""
        return len(self._parents)

    def __repr__(self) -> str:
        return f"<Places: {len(self)} places within others>"

    def chain(self, place: str, broader: str) -> tuple[str, ...] | None:
        """Return the places from *place* up to *broader*, or None if not within it.

        The first and last items are *place* and *broader* as given; those
        between are spelled as the pairs spell them. A place is not within
        itself: ask `read_place` whether two names are one.
        """
        if not self._parents:
            return None
        start, end = read_place(place)[0], read_place(broader)[0]
        key = (start, end)
        if key not in self._chains:
            self._chains[key] = self._walk(start, end)
        found = self._chains[key]
        if found is None:
            return None
        return (place, *(self._spelling[name] for name in found[1:-1]), broader)

    def within(self, place: str, broader: str) -> bool:
        """Return whether *place* lies within *broader*, directly or through others."""
        return self.chain(place, broader) is not None

    def _walk(self, start: str, end: str) -> tuple[str, ...] | None:
        # Breadth first, parents in sorted order: the shortest chain, and
        # the same one however the pairs were ordered.
        if start == end or start not in self._parents:
            return None
        came_from: dict[str, str] = {start: start}
        frontier = [start]
        while frontier:
            following = []
            for name in frontier:
                for parent in self._parents.get(name, ()):
                    if parent in came_from:
                        continue
                    came_from[parent] = name
                    if parent == end:
                        path = [end]
                        while path[-1] != start:
                            path.append(came_from[path[-1]])
                        return tuple(reversed(path))
                    following.append(parent)
            frontier = following
        return None


NO_PLACES = Places()
"""No place known to lie within another."""
