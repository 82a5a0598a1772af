# SPDX-License-Identifier: MIT
"""Provenance: what one source stated, denied or was quoted on.

A source appears in an entry in three places. The report's *outlet*
published it. The *attribution* chain names whom the outlet cites,
outermost first, and its end is the entry's *claimant*, the original
source: who said it in the first place (the outlet itself when it cites
nobody). A denial, rebuttal or confirmation also names the party
responding (*denied_by*, *rebutted_by*, *confirmed_by*).
`Knowledge.by_source` finds a source in any of these places and returns,
happening by happening, a `SourceAccount` of the entries it appears in.

.. versionadded:: 0.2.0
"""

from collections.abc import Iterable

import attrs

from timeline.model.entry import Entry
from timeline.model.sources import Source
from timeline.projections.happening import Happening

__all__ = ["SourceAccount"]


@attrs.frozen
class SourceAccount:
    """What one source stated, denied or was quoted on about one happening.

    Each entry is listed whole, with its outlet and attribution chain, so
    where the source stands in it can be read off: as the outlet, as a
    source the outlet cites, or as the claimant at the end of the chain.

    Args:
        source: The source's name, as asked.
        happening: What the record says of the happening, every claim and
            response included, not only the source's.
        claims: The live claims the source appears in, in the order they
            became known.
        withdrawn: The claims it appears in that their own outlet retracted
            or corrected: they no longer count, and are kept as such.
        responses: The denials, rebuttals, confirmations, retractions and
            corrections it appears in, or that it made.

    .. versionadded:: 0.2.0
    """

    source: str
    happening: Happening
    claims: tuple[Entry, ...]
    withdrawn: tuple[Entry, ...]
    responses: tuple[Entry, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Return every entry the source appears in: claims, withdrawn, responses."""
        return self.claims + self.withdrawn + self.responses


def folded(name: str) -> str:
    """Return *name* as source names are compared: case and spacing ignored."""
    return " ".join(name.split()).casefold()


# The fields of responses that name the party responding.
_PARTIES = ("denied_by", "rebutted_by", "confirmed_by")


def names_in(entry: Entry) -> frozenset[str]:
    """Return the folded names of every source *entry* names (see the module)."""
    event = entry.event
    names = {folded(event.report.outlet.name)}
    names.update(folded(source.name) for source in event.attribution)
    for field in _PARTIES:
        party = getattr(event, field, None)
        if isinstance(party, str):
            names.add(folded(party))
    return frozenset(names)


def accounts_of(
    happenings: Iterable[Happening], source: str | Source
) -> tuple[SourceAccount, ...]:
    """Return `Knowledge.by_source` for *happenings*."""
    name = source.name if isinstance(source, Source) else source
    wanted = folded(name)
    accounts = []
    for happening in happenings:
        claims, withdrawn, responses = (
            tuple(entry for entry in entries if wanted in names_in(entry))
            for entries in (happening.claims, happening.withdrawn, happening.responses)
        )
        if claims or withdrawn or responses:
            accounts.append(
                SourceAccount(name, happening, claims, withdrawn, responses)
            )
    return tuple(accounts)
