# SPDX-License-Identifier: MIT
"""Finding the modules that declare a user's own event types.

An event type is registered when its class is created, so a program reads a
log of user types once the module declaring them is imported. Programs that
do not import it themselves (the command line, a notebook reading a
colleague's log) find it in three ways, all of which `discover_event_types`
follows:

- an entry point in the group ``timeline.event_types`` of any installed
  distribution, naming the module (in the user's ``pyproject.toml``)::

      [project.entry-points."timeline.event_types"]
      decorations = "mypackage.events"

- the ``TIMELINE_TYPES`` environment variable, module names separated by
  commas, for scripts: ``TIMELINE_TYPES=mypackage.events timeline known``;
- ``timeline --types mypackage.events COMMAND``, on the command line.

A stored tag no registered class claims triggers one discovery (entry points
and ``TIMELINE_TYPES``) before its entries are kept as raw claims (see
`timeline.model.unregistered`), so a program rarely needs to call this
itself.

.. versionadded:: 0.2.0
"""

import importlib
import os
from collections.abc import Iterable, Mapping

from timeline.errors import UnknownEventTypeError

__all__ = ["ENTRY_POINT_GROUP", "ENVIRONMENT_VARIABLE", "discover_event_types"]

ENTRY_POINT_GROUP = "timeline.event_types"
"""The entry-point group whose entries name modules that declare event types."""

ENVIRONMENT_VARIABLE = "TIMELINE_TYPES"
"""The environment variable listing such modules, separated by commas."""


def discover_event_types(
    modules: Iterable[str] = (),
    *,
    environ: Mapping[str, str] | None = None,
    entry_points: bool = True,
    named_by: str = "the caller",
) -> tuple[str, ...]:
    """Import every module that declares event types; return their names.

    Args:
        modules: Modules named by the caller, such as ``--types`` gives.
        environ: Where ``TIMELINE_TYPES`` is read; `os.environ` when None.
        entry_points: Whether to load the ``timeline.event_types`` entry
            points of the installed distributions.
        named_by: What errors say named *modules* (``"--types"`` for the
            command line).

    Raises:
        UnknownEventTypeError: If a named module cannot be imported; the
            message names it and where it was named.
    """
    environ = os.environ if environ is None else environ
    named = [(name, named_by) for name in modules]
    named += [
        (name.strip(), ENVIRONMENT_VARIABLE)
        for name in environ.get(ENVIRONMENT_VARIABLE, "").split(",")
        if name.strip()
    ]
    if entry_points:
        # Imported here: a process that finds every type it reads never
        # needs it, and it costs a cold start (see docs/performance.md).
        from importlib import metadata  # noqa: PLC0415

        named += [
            (point.value.partition(":")[0], f"entry point {point.name!r}")
            for point in metadata.entry_points(group=ENTRY_POINT_GROUP)
        ]
    imported: dict[str, None] = {}
    for name, where in named:
        try:
            importlib.import_module(name)
        except ImportError as error:
            missing = isinstance(error, ModuleNotFoundError) and error.name == name
            hint = "; is its folder on Python's path (PYTHONPATH)?" if missing else ""
            msg = (
                f"cannot import {name!r}, named by {where}, to read its event "
                f"types: {error}{hint}"
            )
            raise UnknownEventTypeError(msg) from error
        imported[name] = None
    return tuple(imported)
