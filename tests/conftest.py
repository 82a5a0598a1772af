# SPDX-License-Identifier: MIT
from hypothesis import HealthCheck, settings

# Speed is measured by the benchmarks, never asserted by tests: no deadline.
# Drawing a whole log is slow next to drawing one value, and slower still on a
# loaded two-core machine; that is no defect of the code under test, so the
# too-slow health check is off too. Every other health check stays on.
_RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

settings.register_profile("dev", _RELAXED, max_examples=20)
settings.register_profile("thorough", _RELAXED, max_examples=2_000)
settings.register_profile("default", _RELAXED)
settings.register_profile(
    "ci",
    settings.get_profile("ci"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Choose a profile with `pytest --hypothesis-profile=dev`. When $CI is set,
# Hypothesis loads the "ci" profile (derandomized, no database) itself, and
# re-registering "ci" or "default" reloads it, so no profile is loaded here.
