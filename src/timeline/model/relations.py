# SPDX-License-Identifier: MIT
r"""Relations: how two reported values of one field stand to each other.

Two reports of one happening often give a field different values. Whether
that is a disagreement depends on what kind of value the field holds: two
lists of actors that name different parties can both be true, two death
tolls whose ranges do not meet cannot. Each fact field therefore has a
`Kind`, declared with `fact` or read from its annotation (see
`timeline.model.comparers.kind_of`), and the comparer of that kind says
which `Relation` two of its values have, and why, as a `Comparison`.

Only `Relation.CONTRADICTS` puts a field in conflict. `Relation.DIFFERS`
is shown, as different wording, and the analyst may judge it either way
with a `timeline.model.events.Verdict`.

>>> Comparison(Relation.REFINES, "15 lies within 10-20").conflicts
False
>>> folded("  Mortar\N{NO-BREAK SPACE}ATTACK ")
'mortar attack'

.. versionadded:: 0.2.0
"""

import enum
import functools
import re
import unicodedata
from typing import Any

import attrs

__all__ = [
    "KIND_KEY",
    "Comparison",
    "Kind",
    "Relation",
    "fact",
    "folded",
    "name_words",
]

KIND_KEY = "timeline.kind"
"""The key of a field's `Kind` in its attrs metadata."""


class Relation(enum.Enum):
    """How two values of one field stand to each other, from closest to farthest.

    Every relation is symmetric: a value refines another exactly when the
    other is refined by it, and the `Comparison`'s reason says which of the
    two is the more precise.

    .. versionadded:: 0.2.0
    """

    SAME = "same"
    """The same value, in other words (another case, another order of names)."""
    REFINES = "refines"
    """One is a more precise form of the other: a subset of its actors, a
    range inside its range, a place inside its place, a date inside its date."""
    COMPATIBLE = "compatible"
    """Both can be true at once: overlapping ranges or dates, lists of actors
    that each name someone the other does not."""
    DIFFERS = "differs"
    """Different wording that cannot be compared mechanically: shown side by
    side, never a conflict unless the analyst says so."""
    CONTRADICTS = "contradicts"
    """They cannot both be true: ranges or dates that share nothing, two
    different values of a closed vocabulary."""


@attrs.frozen
class Comparison:
    """The relation of two values, and the reason for it in words.

    Args:
        relation: How the two values stand to each other.
        reason: Why, naming the values: ``"15 lies within 10-20"``.

    .. versionadded:: 0.2.0
    """

    relation: Relation
    reason: str

    @property
    def conflicts(self) -> bool:
        """Return whether the two values cannot both be true."""
        return self.relation is Relation.CONTRADICTS


class Kind(enum.Enum):
    """What a fact field holds, which decides how two of its values compare.

    .. versionadded:: 0.2.0
    """

    SET = "set"
    """Names in no particular order (who took part): one list inside another
    refines it, lists that share names or not are compatible; names are
    compared as `TEXT` is."""
    RANGE = "range"
    """A count, exact or as a range (an `timeline.model.events.Estimate`, or
    a whole number): a range inside another refines it, overlapping ranges
    are compatible, ranges that share no count contradict."""
    TEXT = "text"
    """Free text: the same words (after `folded`) are the same value, other
    words differ."""
    VOCABULARY = "vocabulary"
    """A value from a closed list (an enum, a boolean, a status): two
    different values contradict."""
    PLACE = "place"
    """A place name: compared as `TEXT`, except that a place the analyst has
    said lies within another (`timeline.model.events.Within`) refines it."""
    DATE = "date"
    """A `timeline.FuzzyDate`: a date inside another refines it, dates
    sharing a possible day are compatible, dates sharing none contradict."""
    EXACT = "exact"
    """Anything else: equal values are the same, others differ. A tuple
    whose order may matter is compared so unless declared a `SET`."""


def fact(kind: Kind | str, **field_arguments: Any) -> Any:
    """Return an attrs field whose values compare as *kind*.

    Use it to declare the fields of an event type of your own, where the
    annotation alone would say the wrong thing: a tuple of names that is a
    set, a string that is a place or comes from a closed list.

    >>> import attrs
    >>> @attrs.frozen(kw_only=True)
    ... class Patrol:  # an event type of your own subclasses timeline.Event
    ...     route: tuple[str, ...] = fact("set", default=())
    >>> from timeline.model.comparers import kind_of
    >>> kind_of(Patrol, "route")
    <Kind.SET: 'set'>

    Args:
        kind: The field's kind, or its value (``"set"``, ``"place"``...).
        field_arguments: Passed on to ``attrs.field`` (``default``,
            ``converter``, ``validator``...).

    Raises:
        ValueError: If *kind* names no `Kind`.

    .. versionadded:: 0.2.0
    """
    metadata = dict(field_arguments.pop("metadata", None) or {})
    metadata[KIND_KEY] = Kind(kind)
    return attrs.field(metadata=metadata, **field_arguments)


_QUOTES = str.maketrans(
    {
        "\N{LEFT SINGLE QUOTATION MARK}": "'",
        "\N{RIGHT SINGLE QUOTATION MARK}": "'",
        "\N{LEFT DOUBLE QUOTATION MARK}": '"',
        "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
    }
)


@functools.lru_cache(maxsize=8192)
def folded(text: str) -> str:
    """Return *text* in the form two texts are compared in.

    Unicode compatibility normalisation (NFKC), case folding, curly quotes
    made straight, and runs of white space made one space, none at either
    end. The source's own wording is kept wherever it is shown; this form
    only decides whether two wordings are the same.

    .. versionadded:: 0.2.0
    """
    normal = unicodedata.normalize("NFKC", text)
    normal = unicodedata.normalize("NFKC", normal.casefold()).translate(_QUOTES)
    return " ".join(normal.split())


def name_words(name: str) -> tuple[str, ...]:
    """Return the whole words of *name*, as names of people and parties are matched.

    The words are those of `folded` *name* (case ignored), split at
    anything that is not a letter or a digit: ``"Bashar al-Assad"`` is
    ``("bashar", "al", "assad")``. Two names with the same words are one
    name; a name matches another whose words include all of its own, in any
    order (``"Asapov"``, ``"asapov valery"`` and ``"Valery Asapov"`` all
    match ``"Valery Asapov"``).

    >>> name_words("Sergei  SHOIGU")
    ('sergei', 'shoigu')

    .. versionadded:: 0.2.0
    """
    return tuple(_WORD.findall(folded(name)))


_WORD = re.compile(r"[^\W_]+")
"""A run of letters and digits."""
