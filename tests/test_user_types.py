"""A user's own event types everywhere: the command line finds their module.

Each case runs in a fresh interpreter, since registering a type is for the
life of a process: the one that writes the log declares the type, the ones
that read it find the declaring module by ``--types``, ``TIMELINE_TYPES`` or
a ``timeline.event_types`` entry point of an installed distribution.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

MEDALS = textwrap.dedent(
    '''
    """Event types of a user's own: medals."""
    from typing import ClassVar
    import attrs
    from timeline import Event

    @attrs.frozen(kw_only=True)
    class Medal(Event):
        """A person awarded a medal."""
        event_type: ClassVar[str] = "medal"
        person: str
        honour: str | None = None
    '''
)
WRITE = textwrap.dedent(
    """
    import datetime as dt, sys
    from medals import Medal
    from timeline import EventLog, Report, Source
    with EventLog.open(sys.argv[1]) as log:
        log.append(Medal(
            event_id="asapov-medal",
            report=Report(
                outlet=Source("DEBKA Weekly"), published=dt.date(2017, 9, 28)
            ),
            person="Valery Asapov",
            honour="Order of Courage",
        ))
    """
)


def python(
    folder: Path, *argv: str, **environ: str
) -> subprocess.CompletedProcess[str]:
    """Run Python with *folder* on its path and *environ* added."""
    path = os.pathsep.join(
        part for part in (str(folder), os.environ.get("PYTHONPATH", "")) if part
    )
    env = {**os.environ, "PYTHONPATH": path, **environ}
    env.pop("TIMELINE_TYPES", None) if "TIMELINE_TYPES" not in environ else None
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=folder,
    )


@pytest.fixture(scope="module")
def medal_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a folder holding the module medals, and a log of one medal."""
    folder = tmp_path_factory.mktemp("user")
    (folder / "medals.py").write_text(MEDALS, encoding="utf-8")
    log = folder / "medals.jsonl"
    written = python(folder, "-c", WRITE, str(log))
    assert (written.returncode, written.stderr) == (0, "")
    return folder, log


def known(
    folder: Path, log: Path, *options: str, **environ: str
) -> subprocess.CompletedProcess[str]:
    """Ask ``timeline known`` about the log, as JSON."""
    return python(
        folder,
        "-m",
        "timeline",
        *options,
        "known",
        "--on",
        "2017-10-01",
        "--json",
        "--log",
        str(log),
        **environ,
    )


def test_a_log_of_unregistered_types_says_how_to_register_them(medal_log):
    """Without the module, the log reads; check names the tag and the three ways."""
    folder, log = medal_log

    happening = medal_happening(known(folder, log))
    checked = python(folder, "-m", "timeline", "check", str(log))

    claims: list[dict[str, object]] = happening["claims"]  # type: ignore[assignment]
    (claim,) = claims
    assert (claim["event_type"], claim["facts"]) == ("medal", {})
    assert claim["unregistered"] == {
        "schema_version": 1,
        "fields": {"honour": '"Order of Courage"', "person": '"Valery Asapov"'},
    }
    assert checked.returncode == 0
    assert checked.stdout.startswith(f"ok: {log}: 1 entry")
    assert checked.stderr.count("\n") == 1
    assert "1 entry of the unregistered type 'medal' (seq 1)" in checked.stderr
    for way in ("timeline.event_types", "TIMELINE_TYPES", "--types MODULE"):
        assert way in checked.stderr


def test_check_names_an_entry_point_that_cannot_be_imported(medal_log, tmp_path):
    """A declaring distribution whose module is missing is named as the candidate."""
    _, log = medal_log
    site = tmp_path / "site"
    info = site / "medals_package-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: medals-package\nVersion: 1.0\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(
        "[timeline.event_types]\nmedals = medalz\n", encoding="utf-8"
    )

    happening = medal_happening(known(site, log))
    checked = python(site, "-m", "timeline", "check", "--json", str(log))

    assert happening["event_types"] == ["medal"]
    assert checked.returncode == 0
    (found,) = json.loads(checked.stdout)["unregistered"]
    assert found["advice"].startswith(
        "'medal' may be declared by medalz (entry point 'medals' of "
        "medals-package), which cannot be imported: No module named 'medalz'"
    )


def medal_happening(answer: subprocess.CompletedProcess[str]) -> dict[str, object]:
    """Return the one happening of the answer, checking it succeeded."""
    assert (answer.returncode, answer.stderr) == (0, "")
    document: dict[str, list[dict[str, object]]] = json.loads(answer.stdout)
    (happening,) = document["happenings"]
    return happening


def test_types_names_the_module_on_the_command_line(medal_log):
    """``timeline --types medals`` reads the log."""
    folder, log = medal_log

    happening = medal_happening(known(folder, log, "--types", "medals"))

    assert happening["event_id"] == "asapov-medal"


def test_the_setting_names_the_module_for_scripts(medal_log):
    """``TIMELINE_TYPES=medals`` reads the log, found when the tag is missed."""
    folder, log = medal_log

    happening = medal_happening(known(folder, log, TIMELINE_TYPES="os, medals"))

    assert happening["event_id"] == "asapov-medal"


def test_an_entry_point_of_an_installed_distribution_names_the_module(
    medal_log, tmp_path
):
    """A distribution's ``timeline.event_types`` entry point is found."""
    _, log = medal_log
    site = tmp_path / "site"
    info = site / "medals_package-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: medals-package\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[timeline.event_types]\nmedals = medals\n", encoding="utf-8"
    )
    (site / "medals.py").write_text(MEDALS, encoding="utf-8")

    happening = medal_happening(known(site, log))

    assert happening["event_id"] == "asapov-medal"


def test_a_module_that_cannot_be_imported_is_one_line(medal_log):
    """A misspelt module is named, with where it was named."""
    folder, log = medal_log

    refused = known(folder, log, "--types", "medalz")

    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1
    assert "cannot import 'medalz', named by --types" in refused.stderr
    assert "is its folder on Python's path (PYTHONPATH)?" in refused.stderr
