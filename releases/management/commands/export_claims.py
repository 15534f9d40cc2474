"""`manage.py export_claims [--format json|csv] [--output PATH]`.

Every published claim with its current verdict: release, variant and benchmark slugs, kind,
stated value, unit, conditions, verdict, gap, z, flags, explanation, method version and the ids
of the measurements used. JSON (the default) is a list of objects with exactly the keys of
`releases.reports.EXPORT_FIELDS`; CSV has those columns under a header row, lists joined with
";" and conditions as compact JSON. A claim not scored yet has a null verdict (JSON) or an empty
one (CSV). Output goes to stdout unless --output names a file; the count goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from releases.csv_export import SafeCsvWriter
from releases.reports import EXPORT_FIELDS, claim_export_rows, export_csv_cell

FORMATS = ("json", "csv")
# Columns that hold figures: a negative gap stays a number; every other cell is neutralised
# against formula injection (see releases.csv_export).
NUMERIC_FIELDS = ("id", "stated", "gap", "z")


class Command(BaseCommand):
    help = "Export every published claim with its current verdict, as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        # Not `choices=`: an unknown format must be a CommandError, which call_command raises
        # as such (argparse's own error would exit instead).
        parser.add_argument("--format", default="json", help="json (default) or csv.")
        parser.add_argument(
            "--output", metavar="PATH", help="Write to this file instead of standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"].lower()
        if fmt not in FORMATS:
            raise CommandError(f"unknown --format {options['format']!r}; use json or csv")
        rows = claim_export_rows()
        if options["output"]:
            path = Path(options["output"])
            try:
                with path.open("w", encoding="utf-8", newline="") as out:
                    count = _write(fmt, rows, out)
            except OSError as exc:
                raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
            self.stderr.write(f"exported {count} published claims to {path}")
            return
        try:
            count = _write(fmt, rows, _Unterminated(self.stdout))
        except BrokenPipeError:
            # The reader stopped early (`export_claims | head`): not a failure of the export.
            # Point stdout at /dev/null so that Python's final flush does not fail again.
            rows.close()
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        self.stderr.write(f"exported {count} published claims")


class _Unterminated:
    """self.stdout adds a line ending to each write(); the export writes its own."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


def _write(fmt: str, rows: Any, out: IO[str] | _Unterminated) -> int:
    count = 0
    if fmt == "json":
        # Written item by item, so a large export is never held in memory whole.
        out.write("[")
        for count, row in enumerate(rows, start=1):
            out.write(",\n  " if count > 1 else "\n  ")
            out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n]\n" if count else "]\n")
        return count
    writer = SafeCsvWriter(out, header=EXPORT_FIELDS, numeric_columns=NUMERIC_FIELDS)
    return writer.writerows(
        [export_csv_cell(name, row[name]) for name in EXPORT_FIELDS] for row in rows
    )
