"""The files the commands write, and the one-line errors of what they need.

Found by a user's audit: ``timeline html mylog.sqlite`` replaced a log with
a page; a missing optional extra escaped as a traceback; an export to a name
no store writes named a temporary file; ``--types`` did not find a module in
the current folder, as ``python -m`` does.
"""

import datetime as dt
import sys
from pathlib import Path

import pytest

from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.views.html import render_html
from timeline.views.plot import render_svg

CORPUS = load_corpus()


def leftovers(folder: Path) -> list[str]:
    """Return the names of files a write left beside its target."""
    return sorted(path.name for path in folder.glob(".*partial*"))


class TestPage:
    """``timeline html OUT.html`` writes a page, and only a page."""

    @pytest.mark.parametrize("name", ["log.jsonl", "log.sqlite", "notes.txt", "page"])
    def test_a_name_that_is_not_a_page_is_refused(self, tmp_path, capsys, name):
        """A log given as OUT is left as it was, and the error says why."""
        out = tmp_path / name
        assert main(["export", str(tmp_path / "log.jsonl")]) == 0
        if not out.exists():
            out.write_bytes(b"kept")
        before = out.read_bytes()
        capsys.readouterr()

        code = main(["html", str(out)])

        assert code == 1
        assert out.read_bytes() == before
        assert capsys.readouterr().err == (
            f"timeline html: error: {out}: the page is HTML, so its name must end "
            "in .html\n"
        )

    @pytest.mark.parametrize("name", ["page.html", "PAGE.HTM"])
    def test_a_page_replaces_a_page_whole(self, tmp_path, name):
        """An existing page is replaced, and nothing is left beside it."""
        out = tmp_path / name
        out.write_text("an older page", encoding="utf-8")

        assert main(["html", str(out)]) == 0

        assert out.read_text(encoding="utf-8") == render_html(CORPUS)
        assert leftovers(tmp_path) == []

    def test_an_about_that_matches_nothing_says_so(self, tmp_path, capsys):
        """The page is written, and a note on stderr says it holds nothing."""
        out = tmp_path / "none.html"

        code = main(["html", "--about", "no such subject", str(out)])

        assert code == 0
        captured = capsys.readouterr()
        assert captured.out.startswith(f"wrote {out}: ")
        assert captured.err == (
            "timeline html: note: no happening known on 2017-10-05 matches "
            "'no such subject'\n"
        )

    def test_an_about_that_matches_says_nothing_more(self, tmp_path, capsys):
        """A page about a subject the log holds has no note."""
        assert main(["html", "--about", "Asapov", str(tmp_path / "a.html")]) == 0

        assert capsys.readouterr().err == ""


class TestPicture:
    """``timeline plot OUT.svg``."""

    def test_an_about_that_matches_nothing_says_so(self, tmp_path, capsys):
        """The picture is drawn, and the note names the day it was asked about."""
        out = tmp_path / "none.svg"

        code = main(["plot", "--on", "2017-09-28", "--about", "nobody", str(out)])

        assert code == 0
        assert out.read_text(encoding="utf-8") == render_svg(
            CORPUS.as_of(dt.date(2017, 9, 28)), about="nobody"
        )
        assert capsys.readouterr().err == (
            "timeline plot: note: no happening known on 2017-09-28 matches 'nobody'\n"
        )
        assert leftovers(tmp_path) == []


class TestExport:
    """An export to a name no store writes."""

    @pytest.mark.parametrize("name", ["claims.csv", "claims"])
    def test_the_error_names_the_file_asked_for(self, tmp_path, capsys, name):
        """Not the temporary name beside it; nothing is left behind."""
        out = tmp_path / name

        code = main(["export", str(out)])

        assert code == 1
        err = capsys.readouterr().err
        assert err.startswith(f"timeline export: error: {str(out)!r}: no store backend")
        assert "partial" not in err
        assert list(tmp_path.iterdir()) == []


class TestMissingExtras:
    """An optional extra that is not installed is one line, not a traceback."""

    def test_parquet_without_pyarrow(self, tmp_path, capsys, monkeypatch):
        """The export names the extra to install, and writes nothing."""
        monkeypatch.setitem(sys.modules, "pyarrow", None)

        code = main(["export", str(tmp_path / "claims.parquet")])

        assert code == 1
        assert capsys.readouterr().err == (
            "timeline export: error: Arrow tables and Parquet files need pyarrow: "
            "pip install 'contested-timeline[arrow]'\n"
        )
        assert list(tmp_path.iterdir()) == []

    def test_a_workbook_without_openpyxl(self, tmp_path, capsys, monkeypatch):
        """The import names the extra, or CSV, and the log is not touched."""
        monkeypatch.setitem(sys.modules, "openpyxl", None)
        sheet = tmp_path / "claims.xlsx"
        sheet.write_bytes(b"PK\x03\x04 not read")
        log = tmp_path / "log.jsonl"

        code = main(["import", "sheet", str(sheet), "--log", str(log)])

        assert code == 1
        assert capsys.readouterr().err == (
            "timeline import sheet: error: reading .xlsx needs openpyxl: pip install "
            "'contested-timeline[xlsx]', or save the sheet as CSV\n"
        )
        assert not log.exists()


class TestCheck:
    """``timeline check --rebuild`` on a log that keeps no index says so."""

    def test_rebuild_of_a_json_lines_log(self, tmp_path, capsys):
        """A note says there was nothing to rebuild; the check still runs."""
        log = tmp_path / "log.jsonl"
        assert main(["export", str(log)]) == 0
        before = log.read_bytes()
        capsys.readouterr()

        code = main(["check", "--rebuild", str(log)])

        assert code == 0
        captured = capsys.readouterr()
        assert captured.err == (
            f"timeline check: note: {log} keeps no text index: nothing to rebuild\n"
        )
        assert captured.out.startswith(f"ok: {log}: ")
        assert log.read_bytes() == before


def test_types_are_found_in_the_current_folder(tmp_path, capsys, monkeypatch):
    """``--types`` imports a module of the current folder; the path is restored."""
    (tmp_path / "audit_probe.py").write_text("FOUND = True\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "audit_probe", raising=False)
    path = list(sys.path)

    code = main(["--types", "audit_probe", "known", "--on", "2017-09-01"])

    assert (code, capsys.readouterr().err) == (0, "")
    assert sys.modules["audit_probe"].__file__ == str(tmp_path / "audit_probe.py")
    assert sys.path == path


def test_types_after_the_command_says_where_it_goes(capsys):
    """``--types`` is the program's option: the usage error shows its place."""
    code = main(["known", "--on", "2017-10-05", "--types", "mine"])

    assert code == 2
    assert capsys.readouterr().err == (
        "timeline: error: unrecognized arguments: --types mine; --types goes before "
        "the command: timeline --types MODULE ... (see 'timeline --help')\n"
    )
