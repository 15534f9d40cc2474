"""`manage.py load_curated [--json] [--fixtures-dir PATH]`: load the curated real data.

Safe to re-run: rows are upserted by natural key and only saved when a field differs, so a
second run reports everything unchanged and adds no history. Bad data writes nothing and exits
non-zero with a message naming the file and record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from releases.curated.loading import curated_data_load
from releases.curated.reading import CuratedDataError
from releases.curated.writing import CuratedDataSummary


class Command(BaseCommand):
    help = "Load the curated releases, benchmarks, sources, aliases, citations and claims."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fixtures-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Directory holding curated/ and documents/ (default: <BASE_DIR>/fixtures).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON object with the counts on stdout (progress goes to stderr).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_json: bool = options["json"]
        # With --json, stdout carries only the JSON object, so a script can parse it.
        progress_stream = self.stderr if as_json else self.stdout
        try:
            summary = curated_data_load(
                fixtures_dir=options["fixtures_dir"], progress=progress_stream.write
            )
        except CuratedDataError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), sort_keys=True))
        else:
            self.stdout.write(_table(summary))


def _table(summary: CuratedDataSummary) -> str:
    lines = [f"{'model':<20} {'created':>8} {'updated':>8} {'unchanged':>10}"]
    for name, counts in summary.counts.items():
        lines.append(f"{name:<20} {counts.created:>8} {counts.updated:>8} {counts.unchanged:>10}")
    lines.append("changed" if summary.changed else "nothing changed")
    return "\n".join(lines)
