# SPDX-License-Identifier: MIT
"""The bundled example corpus: three articles on Syria, encoded claim by claim.

The corpus is the founding use case of timeline, and what the ``timeline``
command reads when no log is given. It holds every claim of three reports:

- EA WorldView, 2016-06-18: Shoigu's visit to Damascus, the death of Andrey
  Timoshenkov near Palmyra, the Russian strikes at al-Tanf.
- DEBKA Weekly, 2017-09-28: the death of Lt. Gen. Valery Asapov at Deir
  ez-Zour on Sept. 23, and Gerasimov's revelation that Asapov had secretly
  commanded the Syrian Fifth Corps.
- Military Times, 2017-10-04: Asapov killed on Sept. 24 according to TASS,
  Amaq's claim of two captured Russian soldiers and the Russian denial, the
  death of Col. Valery Fedyanin.

The data is ``timeline/data/corpus.jsonl``, one entry envelope (see
`timeline.serialization.Codec`) per line, in log order. How each report was
dated, and a list of the happenings, are in the documentation's corpus page.

.. versionadded:: 0.1.0
"""

import importlib.resources

from timeline.log import EventLog
from timeline.serialization import Codec

__all__ = ["load_corpus"]

_FILE = "corpus.jsonl"


def load_corpus() -> EventLog:
    """Return a new log holding the bundled corpus, checked like any stored log.

    Each call reads the packaged file again and returns an independent log,
    which the caller may extend.

    >>> log = load_corpus()
    >>> sorted({entry.event.report.outlet.name for entry in log})
    ['Analyst', 'DEBKA Weekly', 'EA WorldView', 'Military Times']
    >>> sorted(
    ...     str(entry.event.when)
    ...     for entry in log
    ...     if entry.event.event_id == "asapov-death" and entry.event.when
    ... )
    ['2017-09-23', '2017-09-24']

    Raises:
        InvalidEntryError: If a line of the packaged file is not a valid
            entry; the message names the line. This means a broken install.

    .. versionadded:: 0.1.0
    """
    codec = Codec()
    text = (
        importlib.resources.files("timeline")
        .joinpath("data", _FILE)
        .read_text(encoding="utf-8")
    )
    return EventLog(
        codec.loads(line, where=f"{_FILE} line {number}")
        for number, line in enumerate(text.splitlines(), start=1)
    )
