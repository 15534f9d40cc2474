"""`manage.py sync_schedules`: one beat entry per leaderboard source, from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from releases.services.schedules import source_schedules_sync


class Command(BaseCommand):
    help = "Create or update the Celery beat entry of every leaderboard source (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = source_schedules_sync()
        self.stdout.write(
            f"beat schedule: {summary.created} created, {summary.updated} updated, "
            f"{summary.removed} removed"
        )
