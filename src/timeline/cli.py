# SPDX-License-Identifier: MIT
"""The ``timeline`` command: ask a log what was known on any date.

Run ``timeline --help`` (or ``python -m timeline --help``) for the
subcommands. Each reads the bundled corpus (`timeline.corpus.load_corpus`)
unless ``--log PATH`` names a stored log, asks the public API, and prints
the answer as text for people or, with ``--json``, as the documents of
`timeline.views.records` for programs.

Exit codes: 0 when the command did what was asked; 1 when it could not
(a `timeline.TimelineError`, such as a corrupt log, or a file that cannot be
read or written), with one line on stderr; 2 for a command line that is
wrong (an unknown option, a missing argument, a date that is not a day),
also with one line on stderr; 130 when interrupted with Ctrl-C, again with
one line, after whatever it was writing has been rolled back or removed.

.. versionadded:: 0.1.0
"""

import argparse
import contextlib
import datetime as dt
import difflib
import itertools
import json
import os
import re
import signal
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import timeline
from timeline._cli_data import add_import_commands
from timeline._progress import Bar, delay_from
from timeline.corpus import load_corpus
from timeline.errors import (
    CorruptLogError,
    DanglingReferenceError,
    TimelineError,
    TornTailWarning,
)
from timeline.log import EventLog
from timeline.model.discovery import (
    ENTRY_POINT_GROUP,
    ENVIRONMENT_VARIABLE,
    discover_event_types,
)
from timeline.projections import Knowledge
from timeline.stores import (
    Problem,
    ProblemKind,
    backend_for,
    check,
    open_store,
    rebuild_index,
    repair,
)
from timeline.stores._urls import is_database_url, without_password
from timeline.views.arrow import write_parquet
from timeline.views.html import render_html
from timeline.views.plot import render_svg
from timeline.views.records import (
    conflicts_record,
    diff_record,
    history_record,
    knowledge_record,
    source_record,
    summary_record,
    unregistered_record,
)
from timeline.views.text import (
    conflicts_text,
    count,
    diff_text,
    history_text,
    knowledge_text,
    source_text,
)

__all__ = ["main"]

"""The widest line the text output prints, quotes and values wrapped to fit."""

_CORPUS = "the bundled corpus"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_Record = dict[str, Any]
_Progress = Callable[[int, int], None]
_SIDE_FILES = ("-wal", "-shm", "-journal")  # of a SQLite database
_EXPORT_BATCH = 10_000
"""Entries per append while exporting to a file: the bar moves between them."""


class _CommandError(Exception):
    """A command that cannot complete for a reason outside timeline's errors."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: what is wrong, and where to look.
        if message.startswith("unrecognized arguments:") and "--types" in message:
            # A program-wide option, given after the command.
            message += "; --types goes before the command: timeline --types MODULE ..."
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``timeline`` command with *argv* and return its exit code.

    Args:
        argv: The arguments after the program name; ``sys.argv[1:]`` when
            None.

    Returns:
        0 on success, 1 when the command failed (message on stderr), 2 for
        a wrong command line.

    .. versionadded:: 0.1.0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits for --help and usage errors.
        return 0 if stop.code in (0, None) else 2
    run: Callable[[argparse.Namespace], None] = args.run
    with warnings.catch_warnings():
        # A torn tail read past is said in one line, as errors are.
        warnings.simplefilter("always", TornTailWarning)
        warnings.showwarning = _warning_printer(args.prog, warnings.showwarning)
        return _run(args, run)


def _warning_printer(prog: str, show: Callable[..., None]) -> Callable[..., None]:
    def printer(
        message: Warning | str, category: type[Warning], *rest: Any, **kw: Any
    ) -> None:
        if issubclass(category, TornTailWarning):
            print(f"{prog}: warning: {message}", file=sys.stderr)
        else:
            show(message, category, *rest, **kw)

    return printer


def _run(args: argparse.Namespace, run: Callable[[argparse.Namespace], None]) -> int:
    try:
        modules = [
            name for names in args.type_modules for name in names.split(",") if name
        ]
        if modules:
            _import_types(modules)
        run(args)
    except KeyboardInterrupt:
        # Ctrl-C: whatever was being written was rolled back or removed on
        # the way out (see _export and the stores), so say so in one line.
        _fail(args.prog, "interrupted; nothing was left half-written")
        return _INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``timeline known ... | head``): stop quietly,
        # and keep Python from complaining when it flushes stdout at exit.
        _silence_stdout()
        return 1
    except (TimelineError, _CommandError) as error:
        _fail(args.prog, str(error))
        return 1
    except OSError as error:
        _fail(args.prog, _describe_os_error(error))
        return 1
    return 0


def _import_types(modules: list[str]) -> None:
    # As ``python -m`` would: a module in the current folder is found too,
    # after everything installed; the folder is on the path only meanwhile.
    here = os.getcwd()
    added = here not in sys.path and "" not in sys.path
    if added:
        sys.path.append(here)
    try:
        discover_event_types(
            modules, entry_points=False, environ={}, named_by="--types"
        )
    finally:
        if added:
            sys.path.remove(here)


_INTERRUPTED = 128 + signal.SIGINT  # 130, as shells report Ctrl-C


def _fail(prog: str, message: str) -> None:
    # One line on stderr, whatever the message holds.
    text = " ".join(line.strip() for line in message.splitlines() if line.strip())
    print(f"{prog}: error: {text}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="timeline",
        description=(
            "Ask a log of reports what was known on any date: every value "
            "reported, who said it and when, conflicts and denials kept."
        ),
        epilog=(
            "Without --log, commands read the bundled corpus of three articles "
            "(2016-06-18, 2017-09-28, 2017-10-04). Exit codes: 0 ok, 1 the command "
            "failed (message on stderr), 2 wrong command line, 130 interrupted."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {timeline.__version__}"
    )
    parser.add_argument(
        "--types",
        dest="type_modules",
        metavar="MODULE",
        action="append",
        default=[],
        help="import MODULE, which declares event types of your own, before "
        "reading logs (repeat, or separate with commas; also the "
        f"{ENVIRONMENT_VARIABLE} setting and '{ENTRY_POINT_GROUP}' entry points)",
    )
    commands = parser.add_subparsers(
        title="commands", dest="command", required=True, metavar="COMMAND"
    )

    log = _Parser(add_help=False)
    log.add_argument(
        "--log",
        metavar="PATH",
        help="a stored log (.jsonl, .sqlite or .db, or a postgresql:// URL) "
        "instead of the bundled corpus",
    )
    as_json = _Parser(add_help=False)
    as_json.add_argument(
        "--json",
        action="store_true",
        help="print a JSON document instead of text (see the docs' CLI page)",
    )
    about = _Parser(add_help=False)
    about.add_argument(
        "--about",
        metavar="TEXT",
        help="only happenings whose id, type, actors, places or quotes contain TEXT "
        "(case ignored)",
    )
    quiet = _Parser(add_help=False)
    quiet.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar on stderr (there is none when stderr is not a terminal)",
    )
    pin = _Parser(add_help=False)
    pin.add_argument(
        "--seq",
        type=_seq,
        metavar="N",
        help="pin the system time: only log entries up to seq N count",
    )

    known = commands.add_parser(
        "known",
        parents=[log, about, pin, as_json],
        help="what was known on a date",
        description="Show what was known on a date: every happening reported in "
        "reports published on or before it, each value with who said it.",
    )
    known.add_argument(
        "--on", type=_date, required=True, metavar="DATE", help="knowledge date"
    )
    known.add_argument(
        "--full",
        action="store_true",
        help="show each claim on its own, with its quote and the encoder's note",
    )
    known.add_argument(
        "--source",
        metavar="NAME",
        help="only what the source NAME stated, denied or was quoted on: the "
        "entries naming it as outlet, anywhere in the attribution chain, or as "
        "the party denying or confirming (case and spacing ignored)",
    )
    known.set_defaults(run=_known)

    conflicts = commands.add_parser(
        "conflicts",
        parents=[log, about, pin, as_json],
        help="open conflicts on a date",
        description="List the fields on which live claims disagree.",
    )
    conflicts.add_argument(
        "--on",
        type=_date,
        metavar="DATE",
        help="knowledge date (default: the day of the latest report in the log)",
    )
    conflicts.set_defaults(run=_conflicts)

    diff = commands.add_parser(
        "diff",
        parents=[log, as_json],
        help="what became known between two dates",
        description="Show what became known after FROM, up to and including TO.",
    )
    diff.add_argument("since", type=_date, metavar="FROM", help="earlier date")
    diff.add_argument("until", type=_date, metavar="TO", help="later date")
    diff.set_defaults(run=_diff)

    history = commands.add_parser(
        "history",
        parents=[log, as_json],
        help="how knowledge of one happening evolved",
        description="Show what was known of one happening on each day it changed.",
    )
    history.add_argument("event_id", metavar="EVENT_ID", help="the happening's id")
    history.set_defaults(run=_history)

    check = commands.add_parser(
        "check",
        parents=[as_json, quiet],
        help="validate a stored log",
        description="Read a stored log and check it whole: every entry decodes, "
        "every reference resolves, the hash chain is intact.",
    )
    check.add_argument(
        "path", metavar="PATH", help="the log file, or a postgresql:// URL"
    )
    check.add_argument(
        "--repair",
        action="store_true",
        help="first move a torn tail (an append cut short by a crash) to a side "
        "file PATH.torn-TIME; nothing else is ever changed",
    )
    check.add_argument(
        "--rebuild",
        action="store_true",
        help="first rebuild what a SQLite log derives from its entries (the text "
        "index behind --about, the tables counting happenings), in one "
        "transaction; the entries are never changed",
    )
    check.set_defaults(run=_check)

    export = commands.add_parser(
        "export",
        parents=[log, quiet],
        help="write the log to a new .jsonl, .sqlite or .parquet file, or to an "
        "empty PostgreSQL log",
        description="Write every entry of the log in use (the bundled corpus by "
        "default) to a new log file, to extend with EventLog.open(OUT), or to a "
        "Parquet file with one row per stated fact, for DuckDB, pandas or Spark "
        "(needs pyarrow), or to a postgresql:// URL, whose log must be empty. An "
        "existing file is never overwritten.",
    )
    export.add_argument(
        "out",
        metavar="OUT",
        help="the new file: .jsonl, .sqlite, .db or .parquet; or a postgresql:// URL",
    )
    export.set_defaults(run=_export)

    _add_picture_commands(commands, log=log, about=about, quiet=quiet)
    add_import_commands(commands, as_json=as_json, date=_date)
    for subparser in (known, conflicts, diff, history, check, export):
        subparser.set_defaults(prog=subparser.prog)
    return parser


def _date(text: str) -> dt.date:
    if not _DAY.fullmatch(text):
        msg = f"{text!r} is not a day: expected YYYY-MM-DD"
        raise argparse.ArgumentTypeError(msg)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        msg = f"{text!r} is not a day: {error}"
        raise argparse.ArgumentTypeError(msg) from None


def _seq(text: str) -> int:
    if not text.isdigit():
        msg = f"{text!r} is not a seq: expected a whole number >= 0"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


# -- Reading and writing logs -------------------------------------------------


def _load(
    path: str | None, *, option: str | None = "--log", load: bool = False
) -> EventLog:
    """Return the log at *path*, or the corpus; close it when done.

    Opened read-only: asking never needs write access. A SQLite log is
    not loaded (unless *load*): its questions are answered by the
    database (see `EventLog.open`); a JSON Lines log is read whole and
    checked.
    """
    if path is None:
        return load_corpus()
    try:
        return EventLog.open(path, mode="r", load=load)
    except FileNotFoundError:
        msg = (
            f"{path}: no such file"
            if option is None
            else f"{option} {path}: no such file"
        )
        raise _CommandError(msg) from None


def _source(path: str | None) -> str:
    # What messages call the log: a database by its URL without the password.
    if path is None:
        return _CORPUS
    return without_password(path) if is_database_url(path) else path


def _describe_os_error(error: OSError) -> str:
    where = "" if error.filename is None else f"{error.filename}: "
    return f"{where}{error.strerror or error}"


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _progress(
    args: argparse.Namespace, *, unit: str = "entries"
) -> contextlib.AbstractContextManager[_Progress | None]:
    """Return a progress bar on stderr, or None without a terminal or with --quiet.

    Only the bar is drawn here: the library calls it (see ``timeline._progress``).
    """
    if args.quiet or not sys.stderr.isatty():
        return contextlib.nullcontext()
    try:
        width: int | None = os.get_terminal_size(sys.stderr.fileno()).columns
    except OSError:  # pragma: no cover - a terminal that does not say its size
        width = None
    return Bar(
        args.prog,
        stream=sys.stderr,
        unit=unit,
        delay=delay_from(os.environ),
        width=width or None,
    )


def _print_json(record: _Record) -> None:
    print(json.dumps(record, indent=2, ensure_ascii=False))


def _print(lines: Iterable[str]) -> None:
    for line in lines:
        print(line)


# -- Commands -----------------------------------------------------------------


def _known(args: argparse.Namespace) -> None:
    with _load(args.log) as log:
        if args.source is not None:
            knowledge = log.as_of(args.on, seq=args.seq)
            record = source_record(knowledge, args.source, about=args.about)
            if args.json:
                _print_json(record)
                return
            _print(source_text(record))
            return
        if args.about is None:
            knowledge = log.as_of(args.on, seq=args.seq)
            total = len(knowledge)
        else:
            # Only the happenings the text finds are built (through the
            # database's text index for a SQLite log), and the others
            # counted.
            found = log.about(args.about, as_of=args.on, seq=args.seq)
            end = log.last_seq
            pin = end if args.seq is None else max(min(args.seq, end), 0)
            aliases = log.aliases(args.on, seq=args.seq)
            knowledge = Knowledge(args.on, pin, found, aliases)
            # The headline's count, which --json does not print.
            total = 0 if args.json else log.count(args.on, seq=args.seq)
    record = knowledge_record(knowledge, about=args.about)
    if args.json:
        _print_json(record)
        return
    _print(knowledge_text(record, total=total, full=args.full))


def _conflicts(args: argparse.Namespace) -> None:
    with _load(args.log) as log:
        on = args.on if args.on is not None else _latest_day(log)
        record = conflicts_record(log.as_of(on, seq=args.seq), about=args.about)
    if args.json:
        _print_json(record)
        return
    _print(conflicts_text(record))


def _latest_day(log: EventLog) -> dt.date:
    latest = log.last_published
    return dt.date.min if latest is None else latest


def _diff(args: argparse.Namespace) -> None:
    with _load(args.log) as log:
        record = diff_record(log.diff(args.since, args.until))
    if args.json:
        _print_json(record)
        return
    _print(diff_text(record))


def _history(args: argparse.Namespace) -> None:
    with _load(args.log) as log:
        try:
            steps = log.history(args.event_id)
        except DanglingReferenceError:
            ids = sorted(log.event_ids)
            close = difflib.get_close_matches(args.event_id, ids, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            msg = f"no entry of {_source(args.log)} is about {args.event_id!r}{hint}"
            raise _CommandError(msg) from None
    record = history_record(args.event_id, steps)
    if args.json:
        _print_json(record)
        return
    _print(history_text(record))


_SEQS_SHOWN = 5  # of the entries of an unregistered type, in a warning


def _check(args: argparse.Namespace) -> None:
    # The checks are those of loading the log; --repair first moves a torn
    # tail aside (timeline.stores.repair), the one damage a crash leaves.
    shown = _source(args.path)
    database = is_database_url(args.path)
    document: _Record = {"kind": "check", "version": 1, "path": shown}
    if args.repair and Path(args.path).is_file():
        repaired = repair(args.path)
        side_file = repaired.side_file
        document["torn_tail_moved_to"] = None if side_file is None else str(side_file)
        if side_file is not None and not args.json:
            kept = count(repaired.after.entries, "committed entry", "committed entries")
            print(
                f"repaired: {args.path}: moved the {repaired.moved} bytes no append "
                f"committed to {side_file}; the log keeps its {kept}"
            )
    try:
        if args.rebuild and (database or Path(args.path).is_file()):
            with _progress(args) as progress:
                rebuilt = rebuild_index(args.path, progress=progress)
            document["index_rebuilt"] = rebuilt
            if rebuilt is not None and not args.json:
                print(
                    f"rebuilt: {shown}: the text index, from "
                    f"{count(rebuilt, 'entry', 'entries')}"
                )
            elif not args.json:
                _note(args, f"{shown} keeps no text index: nothing to rebuild")
        if database or Path(args.path).is_file():
            # Read-only and exhaustive: the first bad seq, the torn offset.
            jsonl = not database and Path(args.path).suffix.lower() == ".jsonl"
            # A database's rows: its entries, and those of its text index.
            unit = "bytes" if jsonl else "rows"
            with _progress(args, unit=unit) as progress:
                report = check(args.path, progress=progress)
            if not report.ok:
                # The first problem is where the intact log ends (or, when
                # the log is intact, the first row of its index that is not
                # right): name it.
                raise CorruptLogError(_check_failure(report.problems))
        # Loaded whole, to check it as any log is checked when loaded.
        with _load(args.path, option=None, load=True) as log:
            summary = summary_record(tuple(log.entries()))
            # Entries of types this process does not know are intact, kept
            # and shown as raw claims: a warning saying what would read
            # them, not an error (docs/cli.md).
            unregistered = unregistered_record(log.entries())
    except (TimelineError, _CommandError, OSError) as error:
        if args.json:
            message = (
                _describe_os_error(error) if isinstance(error, OSError) else str(error)
            )
            _print_json({**document, "ok": False, "error": message})
        raise
    if args.json:
        extra = {"unregistered": unregistered} if unregistered else {}
        _print_json({**document, "ok": True, "error": None, **summary, **extra})
        return
    for found in unregistered:
        seqs = ", ".join(map(str, found["seqs"][:_SEQS_SHOWN]))
        more = ", ..." if found["entries"] > _SEQS_SHOWN else ""
        print(
            f"warning: {args.path}: "
            f"{count(found['entries'], 'entry', 'entries')} of the unregistered "
            f"type {found['type']!r} (seq {seqs}{more}), kept and shown as raw "
            f"claims: {found['advice']}",
            file=sys.stderr,
        )
    span = (
        f", published {summary['first_published']} to {summary['last_published']}"
        if summary["entries"]
        else ""
    )
    print(
        f"ok: {shown}: {count(summary['entries'], 'entry', 'entries')}, "
        f"{count(summary['happenings'], 'happening')}{span}; every entry decodes, "
        "every reference resolves, the hash chain is intact"
    )


def _check_failure(problems: Sequence[Problem]) -> str:
    # The first problem says where the intact log ends; a wrong text index
    # (the log intact) may have several wrong rows: all that were named.
    first = problems[0]
    seqs = [str(problem.seq) for problem in problems if problem.seq is not None]
    if first.kind is not ProblemKind.INDEX or len(problems) == 1:
        return first.message
    more = "" if len(seqs) == len(problems) else " and more"
    return f"{first.message} (wrong rows: seq {', '.join(seqs)}{more})"


def _export(args: argparse.Namespace) -> None:
    with _load(args.log) as log:
        if is_database_url(args.out):
            _export_to_database(log, args)
        else:
            _export_log(log, args)


def _export_log(log: EventLog, args: argparse.Namespace) -> None:
    out = Path(args.out)
    if out.suffix.lower() == ".parquet":
        write_parquet(log.to_arrow(), out)
        print(
            f"wrote {count(len(log), 'entry', 'entries')} of {_source(args.log)} to "
            f"{out}, one row per stated fact; read it with DuckDB, pandas or Spark"
        )
        return
    backend_for(out)  # a name no store writes is refused before anything is made
    try:
        # Claim the name first, so that no existing file is ever replaced.
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except FileExistsError:
        msg = (
            f"{out}: the file exists; export writes a new log and never overwrites one"
        )
        raise _CommandError(msg) from None
    # Written beside it in batches, for the bar to move, and renamed onto it
    # once whole: a crash leaves a partial copy under another name, never a
    # log that looks complete.
    partial = _claim_partial(out)
    try:
        with _progress(args) as progress, open_store(partial, create=False) as store:
            total, done, entries = len(log), 0, iter(log.entries())
            while batch := tuple(itertools.islice(entries, _EXPORT_BATCH)):
                store.append(batch)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        os.replace(partial, out)
    except BaseException:
        for path in (partial, *(Path(f"{partial}{end}") for end in _SIDE_FILES)):
            path.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
        raise
    print(
        f"wrote {count(len(log), 'entry', 'entries')} of {_source(args.log)} to "
        f"{out}; extend it with EventLog.open({str(out)!r})"
    )


def _claim_partial(out: Path) -> Path:
    # A new, empty file beside *out*, never one left by an earlier crash.
    for number in itertools.count(1):
        partial = out.with_name(
            f".{out.stem}.partial-{os.getpid()}-{number}{out.suffix}"
        )
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return partial
    raise AssertionError  # pragma: no cover - itertools.count never ends


def _export_to_database(log: EventLog, args: argparse.Namespace) -> None:
    # Into a new log, or an empty one the owner made for it: never onto
    # entries already there. One transaction: all of it, or nothing.
    shown = _source(args.out)
    with open_store(args.out) as store:
        held = len(store)
        if held:
            msg = (
                f"{shown}: the log holds {count(held, 'entry', 'entries')}; export "
                "writes a new log and never appends to one"
            )
            raise _CommandError(msg)
        store.append(tuple(log.entries()))
    print(
        f"wrote {count(len(log), 'entry', 'entries')} of {_source(args.log)} to "
        f"{shown}; extend it with EventLog.open(URL)"
    )


def _add_picture_commands(
    commands: "argparse._SubParsersAction[_Parser]",
    *,
    log: _Parser,
    about: _Parser,
    quiet: _Parser,
) -> None:
    page = commands.add_parser(
        "html",
        parents=[log, about, quiet],
        help="write a self-contained HTML timeline with a knowledge-date slider",
        description="Write one HTML page, with nothing to fetch when viewed, that "
        "draws the happenings on a time axis and replays what was known on any "
        "day with a slider. Its name must end in .html; an existing page is "
        "replaced.",
    )
    page.add_argument("out", metavar="OUT.html", help="the page to write")
    page.set_defaults(run=_html, prog=page.prog)
    picture = commands.add_parser(
        "plot",
        parents=[log, about],
        help="draw what was known on a date as an SVG picture",
        description="Draw the happenings known on a date on a time axis, as SVG, "
        "for papers and docs. Its name must end in .svg; an existing picture is "
        "replaced.",
    )
    picture.add_argument(
        "--on",
        type=_date,
        metavar="DATE",
        help="knowledge date (default: the day of the latest report in the log)",
    )
    picture.add_argument("out", metavar="OUT.svg", help="the picture to write")
    picture.set_defaults(run=_plot, prog=picture.prog)


def _html(args: argparse.Namespace) -> None:
    out = Path(args.out)
    if out.suffix.lower() not in {".html", ".htm"}:
        # Never a log, or any other file, replaced by a page by mistake.
        msg = f"{out}: the page is HTML, so its name must end in .html"
        raise _CommandError(msg)
    with _load(args.log, load=True) as log, _progress(args, unit="days") as progress:
        page = render_html(log, about=args.about, progress=progress)
        _write_whole(out, page)
        days = sorted({entry.event.report.published_day for entry in log})
        matched = (
            None
            if args.about is None or not days
            else len(log.as_of(days[-1]).about(args.about))
        )
    span = f" from {days[0]} to {days[-1]}" if days else ""
    print(f"wrote {out}: what {_source(args.log)} knew on each day{span}")
    if matched == 0:
        _note(args, f"no happening known on {days[-1]} matches {args.about!r}")


def _write_whole(out: Path, text: str) -> None:
    # Beside it, then renamed onto it: a crash or Ctrl-C leaves the file
    # that was there, never half a page.
    partial = _claim_partial(out)
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _note(args: argparse.Namespace, message: str) -> None:
    print(f"{args.prog}: note: {message}", file=sys.stderr)


def _plot(args: argparse.Namespace) -> None:
    out = Path(args.out)
    if out.suffix.lower() != ".svg":
        msg = (
            f"{out}: PNG is not supported; write an .svg and convert it (for "
            "example with rsvg-convert, or a browser)"
            if out.suffix.lower() == ".png"
            else f"{out}: the picture is SVG, so its name must end in .svg"
        )
        raise _CommandError(msg)
    with _load(args.log) as log:
        on = args.on if args.on is not None else _latest_day(log)
        knowledge = log.as_of(on)
    _write_whole(out, render_svg(knowledge, about=args.about))
    print(f"wrote {out}: what {_source(args.log)} knew on {on}")
    if args.about is not None and not knowledge.about(args.about):
        _note(args, f"no happening known on {on} matches {args.about!r}")
