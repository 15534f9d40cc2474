"""`manage.py import_leaderboard SLUG [--file PATH] [--as-of DATE] [--json]`.

With --file, imports that file (as the source's importer reads it); without, fetches the source's
live URL. Prints progress and a summary; --json prints the summary as one JSON object. Exits
non-zero with the error on bad input, leaving earlier data untouched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from releases.importers import get_importer
from releases.importers.base import ParseError
from releases.management.arguments import date_argument
from releases.models import LeaderboardSource
from releases.services.fetching import FetchError
from releases.services.leaderboard_import import ImportFailed, leaderboard_import
from releases.services.refresh import source_refresh

SUMMARY_KEYS = ("source", "sha256", "rows", "created", "updated", "unchanged", "unresolved")


class Command(BaseCommand):
    help = "Import one leaderboard file, or fetch and import the source's live URL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Leaderboard source slug, e.g. lmarena-text.")
        parser.add_argument(
            "--file",
            type=Path,
            help="Import this file (or, for Every Eval Ever, a directory of documents) instead "
            "of fetching.",
        )
        parser.add_argument(
            "--as-of",
            help="Date the file's data describes, for files whose rows and name carry none.",
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        try:
            source = LeaderboardSource.objects.get(slug=options["slug"])
        except LeaderboardSource.DoesNotExist:
            known = ", ".join(LeaderboardSource.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"no leaderboard source {options['slug']!r} (known: {known})"
            ) from None

        # Progress goes to stderr so that --json leaves stdout to the summary alone.
        def progress(message: str) -> None:
            self.stderr.write(message)

        as_of = date_argument(options["as_of"]) if options["as_of"] else None
        try:
            if options["file"] is not None:
                path: Path = options["file"]
                # A directory is read by importers that take one (Every Eval Ever documents).
                if not path.exists():
                    raise CommandError(f"no such file: {path}")
                try:
                    raw = get_importer(source.importer).read_file(path)
                except ParseError as exc:
                    raise CommandError(f"{source.slug}: {exc}") from None
                summary = leaderboard_import(
                    source_id=source.pk,
                    raw=raw,
                    file_name=path.name,
                    as_of=as_of,
                    progress=progress,
                )
            else:
                if as_of is not None:
                    raise CommandError(
                        "--as-of applies to --file imports; a fetch is dated by its time"
                    )
                summary = source_refresh(source_id=source.pk, progress=progress)
        except (ImportFailed, FetchError) as exc:
            raise CommandError(f"{source.slug}: {exc}") from None

        if as_json:
            data = summary.as_dict()
            self.stdout.write(
                json.dumps(
                    {key: data[key] for key in SUMMARY_KEYS}
                    | {
                        "status": summary.status,
                        "as_of": summary.as_of,
                        "snapshot": summary.snapshot_id,
                        "skipped": summary.skipped,
                        "held_reason": summary.held_reason,
                    }
                )
            )
            return
        if summary.status == "held":
            self.stdout.write(
                f"{summary.source}: held for review as snapshot {summary.snapshot_id}, nothing "
                f"applied: {summary.held_reason}. An analyst applies it from the snapshot admin."
            )
            return
        self.stdout.write(
            f"{summary.source}: {summary.status}, sha256 {summary.sha256[:12]}, "
            f"{summary.rows:,} rows: {summary.created:,} created, {summary.updated:,} updated, "
            f"{summary.unchanged:,} unchanged; {len(summary.unresolved):,} unresolved names; "
            f"{summary.rows_skipped:,} rows skipped (reasons above and on the snapshot)"
            + (
                f" ({summary.candidates_queued} queued for review)"
                if summary.candidates_queued
                else ""
            )
        )
