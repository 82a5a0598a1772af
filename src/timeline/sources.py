# SPDX-License-Identifier: MIT
"""Deprecated since 0.2.0, gone in 0.3.0: moved to `timeline.model.sources`."""

from timeline._moved import moved
from timeline.model import sources as _new

__getattr__ = moved(__name__, _new)
