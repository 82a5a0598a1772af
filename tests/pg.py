"""A throwaway PostgreSQL cluster for tests: initdb and pg_ctl in a temporary folder.

The server listens on a Unix socket in that folder only (no TCP), with
``trust`` authentication, and runs as the ``postgres`` user when the tests
run as root (PostgreSQL refuses to run as root). `Cluster.database` makes a
fresh database from a template, so each test starts from nothing.
"""

import glob
import importlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

NO_SERVER = (
    "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql "
    "package, as .ci/run does, to run the PostgreSQL tests"
)
TEMPLATE = "timeline_template"


NO_PSYCOPG = (
    "psycopg is not installed: pip install -e '.[postgresql]' to run the "
    "PostgreSQL tests"
)


def import_psycopg() -> Any:
    """Return the psycopg module; skip the tests without it, or fail them on CI.

    CI installs the ``postgresql`` extra, so there (with $CI set) a missing
    psycopg fails rather than skips unseen, as a missing server does.
    """
    try:
        return importlib.import_module("psycopg")
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(NO_PSYCOPG)
        pytest.skip(NO_PSYCOPG, allow_module_level=True)


def find_bindir() -> Path | None:
    """Return the folder holding initdb and pg_ctl, or None if there is none."""
    found = shutil.which("initdb")
    if found is not None:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    return Path(versions[-1]).parent if versions else None


class Cluster:
    """A PostgreSQL cluster of its own, started in a temporary folder."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        self.bindir = bindir
        # Tests need no durability; benchmarks measure the server as shipped.
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="timeline-pg-"))
        self.data = self.root / "data"
        self.owner = None
        if os.geteuid() == 0:
            self.owner = pwd.getpwnam("postgres")
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
        self.names = itertools.count()

    def _run(self, *command: str) -> None:
        prefix = [] if self.owner is None else ["runuser", "-u", "postgres", "--"]
        subprocess.run(  # noqa: S603  # the arguments are the tests' own
            [*prefix, *command],
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self) -> None:
        """Create the cluster and start its server."""
        self._run(
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        options = (
            "-c listen_addresses='' "
            f"-c unix_socket_directories='{self.root}' "
            "-c max_connections=60"
        )
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.data),
            "--options",
            options,
            "--log",
            str(self.root / "server.log"),
            "--wait",
            "start",
        )
        self.execute(f"CREATE DATABASE {TEMPLATE}")

    def stop(self) -> None:
        """Stop the server at once and remove the folder."""
        try:
            self._run(
                str(self.bindir / "pg_ctl"),
                "--pgdata",
                str(self.data),
                "--mode",
                "immediate",
                "--wait",
                "stop",
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", *, user: str = "postgres") -> str:
        """Return the URL of *database* on this cluster, for *user*."""
        return f"postgresql:///{database}?host={self.root}&user={user}"

    def database(self) -> str:
        """Create a fresh database from the template and return its URL."""
        name = f"timeline_{next(self.names)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def execute(
        self, statement: str, *parameters: object, url: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Run *statement* as the superuser, outside any store; return its rows.

        Several statements, separated by semicolons, return the last one's.
        """
        import psycopg  # noqa: PLC0415  # only where psycopg is installed

        with psycopg.connect(url or self.url(), autocommit=True) as connection:
            cursor = connection.execute(statement, parameters or None)
            rows = cursor.fetchall() if cursor.description else []
            while cursor.nextset():  # several statements: the last one's rows
                rows = cursor.fetchall() if cursor.description else []
            return rows
