# SPDX-License-Identifier: MIT
from pathlib import Path

import pytest
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


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Return ../shared/data, the real samples (UCDP GED, ACLED); skip without it.

    The folder lies beside the repository, never in it (ACLED's terms do not
    let its rows be copied here), so a checkout alone does not have it; CI
    does.
    """
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"{SHARED_DATA} is absent: the real UCDP GED and ACLED samples live in "
            "../shared/data beside the repository"
        )
    return SHARED_DATA
