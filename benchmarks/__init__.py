"""Benchmarks of timeline against eventsourcing and plain-Python floors.

Run them with ``python -m benchmarks.run``; they are not part of the tests.
"""
