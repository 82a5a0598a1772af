# SPDX-License-Identifier: MIT
"""Old import paths of names that moved in 0.2.0, kept for one release.

Each old module (``timeline.events``, ``timeline.knowledge``, ...) is a
shim whose module ``__getattr__`` comes from `moved`: every name still
resolves, with a `DeprecationWarning` that names the new path.
"""

import types
import warnings
from collections.abc import Callable

__all__ = ["moved"]


def moved(old: str, new: types.ModuleType) -> Callable[[str], object]:
    """Return a module ``__getattr__`` forwarding *old*'s names to *new*.

    Args:
        old: The old module's name, for the messages.
        new: The module the names live in now.
    """

    def __getattr__(name: str) -> object:  # noqa: N807 - a module __getattr__
        try:
            value = getattr(new, name)
        except AttributeError:
            msg = f"module {old!r} has no attribute {name!r}"
            raise AttributeError(msg) from None
        warnings.warn(
            f"{old} is deprecated since 0.2.0 and goes in 0.3.0: "
            f"import {name} from {new.__name__}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return __getattr__
