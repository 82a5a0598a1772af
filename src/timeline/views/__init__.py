# SPDX-License-Identifier: MIT
"""Views: what people read, made from projections.

The top library layer (see docs/design.md): it imports everything below and
nothing imports it but the package itself and the command line.

- `timeline.views.records`: flat, JSON-ready records and the ``--json`` documents;
- `timeline.views.html`: the self-contained page and notebook tables;
- `timeline.views.plot`: the SVG timeline.

Importing this package registers the HTML tables and records on
`timeline.projections.display`, the seam the projections call.

.. versionadded:: 0.2.0
"""

from timeline.views import html, plot, records

__all__ = ["html", "plot", "records"]
