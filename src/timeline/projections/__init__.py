# SPDX-License-Identifier: MIT
"""Projections: pure folds of entries into what was known.

The second layer (see docs/design.md): it imports the model and nothing
above it. `timeline.projections.display` is the seam through which the view
layer draws projections without a projection importing a view.

.. versionadded:: 0.2.0
"""

__all__: list[str] = []
