# SPDX-License-Identifier: MIT
"""Views: what people read, made from projections.

The top library layer (see docs/design.md): it imports everything below and
nothing imports it but the package itself and the command line.

- `timeline.views.records`: flat, JSON-ready records and the ``--json`` documents;
- `timeline.views.html`: the self-contained page and notebook tables;
- `timeline.views.plot`: the SVG timeline;
- `timeline.views.arrow`: Arrow tables and Parquet files, for DuckDB,
  pandas and Spark (with the ``contested-timeline[arrow]`` extra).

Importing this package registers the HTML tables, records and Arrow tables on
`timeline.projections.display`, the seam the projections call.

.. versionadded:: 0.2.0
"""

from timeline.views import arrow, html, plot, records

__all__ = ["arrow", "html", "plot", "records"]
