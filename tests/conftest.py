# SPDX-License-Identifier: MIT
import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .pg import NO_PSYCOPG, NO_SERVER, Cluster, find_bindir

# The articles the bundled corpus was encoded from live beside the repository,
# in ../shared/seeds/, which CI has and a clone of the repository does not.
SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
NO_SEEDS = (
    "the seed articles are not beside the repository: ../shared/seeds (CI has them)"
)

# Speed is measured by the benchmarks, never asserted by tests: no deadline.
# Drawing a whole log is slow next to drawing one value, and slower still on a
# loaded two-core machine; that is no defect of the code under test, so the
# too-slow health check is off too. Every other health check stays on.
_RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

settings.register_profile("dev", _RELAXED, max_examples=20)
settings.register_profile("thorough", _RELAXED, max_examples=2_000)
# The README's `python -m pytest` draws 10 examples a test, to stay under three
# minutes on two cores; modules that set a count of their own (the store
# contract, the fuzzing) cap it at the profile's. CI's profile draws
# Hypothesis's 100, and each module's own count.
settings.register_profile("default", _RELAXED, max_examples=10)
settings.register_profile(
    "ci",
    settings.get_profile("ci"),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Choose a profile with `pytest --hypothesis-profile=dev`. When $CI is set,
# Hypothesis loads the "ci" profile (derandomized, no database) itself, and
# re-registering "ci" or "default" reloads it, so no profile is loaded here.


@pytest.fixture
def seeds() -> Path:
    """Return the folder of seed articles, or skip the test where it is absent.

    CI has the folder, so there (with $CI set) its absence fails the test
    instead: the checks against the articles must not skip unseen.
    """
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(NO_SEEDS)
        pytest.skip(NO_SEEDS)
    return SEEDS


SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Return ../shared/data, the real samples (UCDP GED, ACLED); skip without it.

    The folder lies beside the repository, never in it (ACLED's terms do not
    let its rows be copied here), so a checkout alone does not have it; CI
    does.
    """
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_DATA} is absent, and CI must have it")
        pytest.skip(
            f"{SHARED_DATA} is absent: the real UCDP GED and ACLED samples live in "
            "../shared/data beside the repository"
        )
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgresql_cluster() -> Iterator[Cluster]:
    """Start a throwaway PostgreSQL cluster for the session; stop it at the end.

    initdb and pg_ctl in a temporary folder, on a Unix socket there (see
    tests/pg.py). Where no server binary or no psycopg is installed the
    tests that need it skip, saying so; CI has both (.ci/run installs
    them), so there (with $CI set) their absence fails the tests instead.
    """
    bindir = find_bindir()
    missing = NO_SERVER if bindir is None else None
    if missing is None and importlib.util.find_spec("psycopg") is None:
        missing = NO_PSYCOPG
    if missing is not None or bindir is None:
        if os.environ.get("CI"):
            pytest.fail(missing or NO_SERVER)
        pytest.skip(missing or NO_SERVER)
    cluster = Cluster(bindir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def postgresql(postgresql_cluster: Cluster) -> str:
    """Return the URL of a fresh, empty database on the session's cluster."""
    return postgresql_cluster.database()
