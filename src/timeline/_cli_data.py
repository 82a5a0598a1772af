# SPDX-License-Identifier: MIT
"""The ``timeline`` commands that bring data in: ``import`` and ``sheet-template``.

Kept apart from `timeline.cli`, which adds them to its parser; like it, they
parse, call the public API (`timeline.importers`) and print.

Every import reads and checks the whole file before the log is touched, then
appends every claim in one batch: the log gains all of them or nothing. A
log that did not exist is created only by an import that succeeds.
"""

import argparse
import datetime as dt
import errno
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeline.errors import InvalidInputError
from timeline.importers import (
    Batch,
    read_acled,
    read_sheet,
    read_ucdp_ged,
    sheet_columns,
    write_sheet_template,
)
from timeline.log import EventLog
from timeline.model.entry import Entry
from timeline.model.events import registered_event_types
from timeline.stores._urls import is_database_url, without_password

__all__ = ["add_import_commands"]

_Reader = Callable[[argparse.Namespace], Batch]
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def add_import_commands(
    commands: "argparse._SubParsersAction[Any]",
    *,
    as_json: argparse.ArgumentParser,
    date: Callable[[str], dt.date],
) -> None:
    """Add ``import``, its formats, and ``sheet-template`` to *commands*."""
    command = commands.add_parser(
        "import",
        help="read a dataset's CSV file into a log (UCDP GED, ACLED, a claim sheet)",
        description="Read a file of another format into claims, and append them "
        "to a log in one batch: all of them, or, when a row cannot become a "
        "claim, none (unless --rejects names a file for such rows).",
    )
    command.set_defaults(prog=command.prog)
    formats = command.add_subparsers(
        title="formats", dest="format", required=True, metavar="FORMAT"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("file", metavar="FILE.csv", help="the file to read")
    common.add_argument(
        "--log",
        required=True,
        metavar="OUT",
        help="the log to append to (.jsonl, .sqlite or .db), created if missing",
    )
    common.add_argument(
        "--rejects",
        metavar="FILE.csv",
        help="import the rows that can become claims, and write the others to "
        "this new file, each with its row, column and reason",
    )
    common.add_argument(
        "--encoding",
        default="utf-8",
        metavar="NAME",
        help="the file's text encoding (default: utf-8)",
    )
    ucdp = formats.add_parser(
        "ucdp-ged",
        parents=[common, as_json],
        help="UCDP's Georeferenced Event Dataset, as released",
        description="One happening per GED event (ucdp-ID), one claim per "
        "source, published on the source's date; see the docs' how-to "
        "'Import a dataset'.",
    )
    ucdp.add_argument(
        "--released",
        type=date,
        metavar="DATE",
        help="the day the dataset was released: when events with no dated "
        "source became known (required when there are any)",
    )
    ucdp.set_defaults(run=_importing(_ucdp), prog=ucdp.prog)
    acled = formats.add_parser(
        "acled",
        parents=[common, as_json],
        help="ACLED's export",
        description="One happening per ACLED event (acled-ID), one claim per "
        "source it names, published when ACLED last changed the row; see the "
        "docs' how-to 'Import a dataset'.",
    )
    acled.set_defaults(run=_importing(_acled), prog=acled.prog)
    sheet = formats.add_parser(
        "sheet",
        parents=[common, as_json],
        help="a claim sheet (CSV or .xlsx): one row per claim (see sheet-template)",
        description="One claim per row, of the event type its 'type' column "
        "names, the date phrase read against the publication day; see "
        "'timeline sheet-template' for a type's columns.",
    )
    sheet.set_defaults(run=_importing(_sheet), prog=sheet.prog)
    template = commands.add_parser(
        "sheet-template",
        help="write an empty claim sheet with the columns of some event types",
        description="Write the header of a claim sheet (CSV) for claims of the "
        "given event types, to fill in a spreadsheet and read with 'timeline "
        "import sheet'. Printed, or written to a new file with --out.",
    )
    template.add_argument(
        "types", nargs="+", metavar="TYPE", help="event types, such as death attack"
    )
    template.add_argument(
        "--out", metavar="FILE.csv", help="write a new file instead of printing"
    )
    template.set_defaults(run=_template, prog=template.prog)


def _ucdp(args: argparse.Namespace) -> Batch:
    return read_ucdp_ged(args.file, released=args.released, encoding=args.encoding)


def _acled(args: argparse.Namespace) -> Batch:
    return read_acled(args.file, encoding=args.encoding)


def _sheet(args: argparse.Namespace) -> Batch:
    return read_sheet(args.file, encoding=args.encoding)


def _template(args: argparse.Namespace) -> None:
    known = registered_event_types()
    unknown = [name for name in args.types if name not in known]
    if unknown:
        msg = (
            f"unknown event type{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}; registered: {', '.join(sorted(known))}; "
            "for a type declared in your own module, name the module before "
            "the command (timeline --types MODULE sheet-template ...)"
        )
        raise InvalidInputError(msg)
    kinds = list(args.types)
    if args.out is None:
        print(",".join(sheet_columns(*kinds)))
        return
    try:
        columns = write_sheet_template(args.out, *kinds)
    except FileExistsError:
        msg = "the file exists; a sheet is never overwritten"
        raise FileExistsError(errno.EEXIST, msg, args.out) from None
    print(f"wrote {args.out}: an empty claim sheet of {len(columns)} columns")


def _importing(read: _Reader) -> Callable[[argparse.Namespace], None]:
    def run(args: argparse.Namespace) -> None:
        _import(args, read)

    return run


def _import(args: argparse.Namespace, read: _Reader) -> None:
    batch = read(args)
    refused = None if args.rejects is not None else batch.refusal()
    if refused is not None:
        raise refused
    database = is_database_url(args.log)
    out = args.log if database else Path(args.log)
    created = not database and not Path(out).exists()
    rejects = None if args.rejects is None else Path(args.rejects)
    if rejects is not None and rejects.exists():
        msg = "the rejects file exists; name a new one, it is never overwritten"
        raise FileExistsError(errno.EEXIST, msg, str(rejects))
    entries: tuple[Entry, ...] = ()
    try:
        if batch.claims:
            entries, batch = _append(args, batch, out)
        if rejects is not None:
            batch.write_rejects(rejects)
    except BaseException:
        if rejects is not None:
            rejects.unlink(missing_ok=True)
        if created:
            _remove_log(out)
        raise
    if created and not entries:
        _remove_log(out)  # A log is created only by an import that adds to it.
    if not entries:
        print(f"{args.prog}: note: {_nothing(batch)}", file=sys.stderr)
    document = {
        "kind": "import",
        "version": 1,
        **batch.summary(),
        "log": without_password(args.log) if database else os.fspath(out),
        "first_seq": entries[0].seq if entries else None,
        "last_seq": entries[-1].seq if entries else None,
        "rejects_file": None if rejects is None else os.fspath(rejects),
    }
    if args.json:
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return
    print(_summary_text(document))


def _append(
    args: argparse.Namespace, batch: Batch, out: str | Path
) -> tuple[tuple[Entry, ...], Batch]:
    # The claims in the order the log accepts; a row it would refuse (a
    # response to a happening nobody reports) is one more reject.
    with EventLog.open(out) as log:
        batch = batch.fitted(log)  # an import run again adds nothing
        refused = None if args.rejects is not None else batch.refusal()
        if refused is not None:
            raise refused
        return log.extend(batch.claims), batch


def _remove_log(out: str | Path) -> None:
    for path in (Path(out), *(Path(f"{out}{end}") for end in _SQLITE_SIDE_FILES)):
        path.unlink(missing_ok=True)


def _nothing(batch: Batch) -> str:
    # Why an import added nothing.
    if not batch.rows:
        return f"{batch.source} has 0 rows, only a header: nothing was imported"
    if batch.held and not batch.claims:
        return (
            f"the log already holds every claim of {batch.source} "
            f"({_count(batch.held, 'claim')}): nothing was imported"
        )
    return (
        f"no row of {batch.source} became a claim ({_count(batch.rows, 'row')} "
        "rejected): nothing was imported"
    )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    word = singular if number == 1 else (plural or f"{singular}s")
    return f"{number:,} {word}"


def _summary_text(document: dict[str, Any]) -> str:
    seqs = (
        f", seq {document['first_seq']} to {document['last_seq']}"
        if document["first_seq"] is not None
        else ""
    )
    text = (
        f"imported {document['file']} ({document['dataset']}) into "
        f"{document['log']}: {_count(document['rows'], 'row')}, "
        f"{_count(document['claims'], 'claim')} about "
        f"{_count(document['happenings'], 'happening')}{seqs}"
    )
    if document["held"]:
        text += f"; {_count(document['held'], 'claim')} the log already held, left out"
    if document["inconsistent_estimates"]:
        text += (
            f"; {_count(document['inconsistent_estimates'], 'estimate')} out of "
            "order, kept as given and marked inconsistent"
        )
    rejected = document["rejects"]
    if document["rejects_file"] is not None:
        text += (
            f"; {_count(rejected, 'row')} rejected, written to "
            f"{document['rejects_file']}"
        )
    return text
