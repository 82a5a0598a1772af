# SPDX-License-Identifier: MIT
"""Deprecated since 0.2.0, gone in 0.3.0: moved to `timeline.projections`."""

from timeline import projections as _new
from timeline._moved import moved

__getattr__ = moved(__name__, _new)
