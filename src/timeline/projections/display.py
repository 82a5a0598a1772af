# SPDX-License-Identifier: MIT
"""The seam through which projections are shown, without knowing how.

`Knowledge`, `Happening` and `FieldValues` offer notebook display
(``_repr_html_``), `Knowledge.to_records` and `Knowledge.to_arrow` (and the
log `timeline.EventLog.to_arrow`) as thin methods, but drawing
them is the work of the view layer (`timeline.views`), which sits above the
projections and imports them. So the projections never import a view: they
call the two generic functions here, and `timeline.views` registers its
renderers on them when it is imported. ``import timeline`` imports
`timeline.views`, so the renderers are registered once the package is.

A view of one's own registers the same way::

    display.html_table.register(MyProjection, my_renderer)

.. versionadded:: 0.2.0
"""

import functools
import html
from typing import Any

__all__ = ["arrow_table", "claim_records", "html_table"]


@functools.singledispatch
def html_table(item: object) -> str:
    """Return *item* as an HTML table, as notebooks display it.

    Without a registered renderer for its type: the escaped ``repr`` in a
    ``<pre>`` block, which shows something and never runs markup.
    """
    return f"<pre>{html.escape(repr(item))}</pre>"


@functools.singledispatch
def claim_records(item: object) -> list[dict[str, Any]]:
    """Return one flat, JSON-ready record per claim of *item*.

    Raises:
        TypeError: If no view registered records for *item*'s type.
    """
    msg = f"no records view is registered for {type(item).__name__}"
    raise TypeError(msg)


@functools.singledispatch
def arrow_table(item: object) -> Any:
    """Return *item* as a pyarrow Table, one row per claimed field value.

    Raises:
        TypeError: If no view registered a table for *item*'s type.

    .. versionadded:: 0.2.0
    """
    msg = f"no Arrow view is registered for {type(item).__name__}"
    raise TypeError(msg)
