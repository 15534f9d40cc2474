"""`manage.py import_bundled [--json]`: import every bundled leaderboard snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from releases.services.bundled import bundled_snapshots_import
from releases.services.leaderboard_import import ImportFailed


class Command(BaseCommand):
    help = "Import every leaderboard snapshot bundled in fixtures/leaderboards/ (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=Path(settings.BASE_DIR) / "fixtures" / "leaderboards"
        )
        parser.add_argument("--json", action="store_true", help="Print the summaries as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summaries = bundled_snapshots_import(
                leaderboards_dir=options["dir"], progress=lambda m: self.stderr.write(m)
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        s.as_dict() | {"changed_measurement_ids": len(s.changed_measurement_ids)}
                        for s in summaries
                    ]
                )
            )
            return
        created = sum(s.created for s in summaries)
        updated = sum(s.updated for s in summaries)
        unchanged = sum(s.unchanged for s in summaries)
        unresolved = {name for s in summaries for name in s.unresolved}
        self.stdout.write(
            f"{len(summaries)} bundled snapshots: {created:,} measurements created, "
            f"{updated:,} updated, {unchanged:,} unchanged; {len(unresolved):,} unresolved names"
        )
