# SPDX-License-Identifier: MIT
r"""Importers: claims from the files people already keep, conflict-event datasets first.

Each reader turns a file into a `Batch` of claims and appends nothing;
`Batch.append_to` then appends them to a log in one batch, all of them or
none:

- `read_ucdp_ged`: UCDP's Georeferenced Event Dataset (GED), as released.
  One happening per event, ``ucdp-<id>``, and one claim per source,
  published on the source's date.
- `read_acled`: ACLED's export. One happening per event, ``acled-<id>``,
  and one claim per source it names, published when ACLED last changed the
  row.
- `read_sheet`: a claim sheet, one row per claim, as an analyst encodes an
  article in a spreadsheet; `sheet_columns` and `write_sheet_template` give
  the columns for some event types.

Nothing is dropped silently. A source's figures are facts about the source,
kept as given: an estimate out of order is kept, and marked (see
`timeline.model.events.Estimate.consistent`). A row that cannot become a
claim (no id, an impossible date, a count that is not a number) is a
`Reject` naming its row, column and reason; `Batch.append_to` refuses the
whole batch if there is one, unless told to import the rest, and
`Batch.write_rejects` writes them to a CSV file to fix and import again.

A file that is not a table of the expected shape is refused whole with
`timeline.errors.InvalidInputError`, naming the file and the line: text that
is not in the stated encoding (UTF-8 by default), a missing column, a
column named twice, a value longer than 128 KiB or a line longer than 1 MiB.

One event of UCDP GED 23.1 (event 212386; UCDP, Uppsala University, CC BY
4.0: Sundberg and Melander 2013; Davies, Pettersson and Öberg 2023), its
columns cut to those the import reads, and its figures as released, out of
order:

>>> import datetime as dt, pathlib, tempfile
>>> from timeline import EventLog
>>> from timeline.importers import read_ucdp_ged
>>> path = pathlib.Path(tempfile.mkdtemp()) / "ged.csv"
>>> _ = path.write_text(
...     "id,relid,type_of_violence,conflict_name,side_a,side_b,source_article,"
...     "source_office,source_date,source_headline,source_original,where_prec,"
...     "where_coordinates,where_description,adm_1,adm_2,country,event_clarity,"
...     "date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
...     "deaths_unknown,best,high,low\n"
...     "212386.0,AFG-2015-1-327-68.5,1.0,Afghanistan: Government,"
...     "Government of Afghanistan,Taleban,,Xinhua News Agency,2015-01-12,"
...     "24 militants killed in fresh operations: Afghan gov't,Interior Ministry,"
...     "4.0,Parwan province,,Parwan province,,Afghanistan,2.0,2.0,2015-01-11,"
...     "2015-01-12,0.0,3.0,0.0,0.0,3.0,3.0,4.0\n",
...     encoding="utf-8",
... )
>>> batch = read_ucdp_ged(path)
>>> batch.rows, len(batch.claims), batch.happenings, batch.rejects
(1, 1, 1, ())
>>> log = EventLog()
>>> _ = batch.append_to(log)
>>> "ucdp-212386" in log.as_of(dt.date(2015, 1, 11))
False
>>> deaths = log.as_of(dt.date(2015, 1, 12))["ucdp-212386"].fields["deaths"]
>>> print(deaths.values[0].value)
low 4, best 3, high 3 (inconsistent: out of order)

.. versionadded:: 0.2.0
"""

from timeline.importers._acled import read_acled
from timeline.importers._sheets import read_sheet, sheet_columns, write_sheet_template
from timeline.importers._table import Batch, Reject
from timeline.importers._ucdp import read_ucdp_ged

__all__ = [
    "Batch",
    "Reject",
    "read_acled",
    "read_sheet",
    "read_ucdp_ged",
    "sheet_columns",
    "write_sheet_template",
]
