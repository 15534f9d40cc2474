"""The beat schedule, derived from the leaderboard sources in the database.

One django-celery-beat PeriodicTask per source runs `refresh_source(source_id)` every
`refresh_interval_hours`. Each run expires a little before the next is due, so a backlog (beat
running while the workers are down) cannot pile up: stale runs are dropped, not executed late.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from releases.models import LeaderboardSource

REFRESH_TASK = "releases.tasks.refresh_source"
# Imports recompute the claims they touch; once a day every claim is recomputed as of the new
# date, because "stale" depends on the date alone.
DAILY_RECOMPUTE_TASK = "releases.tasks.recompute_all_gaps"
DAILY_RECOMPUTE_NAME = "recompute gap scores: daily"
TASK_NAME_PREFIX = "refresh leaderboard: "
# How long before the next run a pending one is dropped: a tenth of the interval, at least a minute.
EXPIRY_MARGIN_FRACTION = 0.1
MIN_EXPIRY_MARGIN_SECONDS = 60


def expire_seconds(interval_hours: int) -> int:
    interval = interval_hours * 3600
    return interval - max(MIN_EXPIRY_MARGIN_SECONDS, int(interval * EXPIRY_MARGIN_FRACTION))


@dataclass(frozen=True)
class ScheduleSyncSummary:
    created: int
    updated: int
    removed: int


@transaction.atomic
def source_schedules_sync() -> ScheduleSyncSummary:
    """Make the periodic tasks match the sources: one per source, enabled as the source is.
    Idempotent; tasks of deleted sources are removed."""
    created = updated = 0
    wanted: set[str] = set()
    for source in LeaderboardSource.objects.order_by("slug"):
        name = f"{TASK_NAME_PREFIX}{source.slug}"
        wanted.add(name)
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=source.refresh_interval_hours, period=IntervalSchedule.HOURS
        )
        fields = {
            "task": REFRESH_TASK,
            "interval": interval,
            "args": json.dumps([source.pk]),
            "kwargs": "{}",
            "enabled": source.enabled,
            "expire_seconds": expire_seconds(source.refresh_interval_hours),
            "description": f"Fetch {source.live_url} and import it ({source.name}).",
        }
        task = PeriodicTask.objects.filter(name=name).first()
        if task is None:
            PeriodicTask.objects.create(name=name, **fields)
            created += 1
        elif any(getattr(task, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(task, key, value)
            task.save()
            updated += 1
    daily, _ = IntervalSchedule.objects.get_or_create(every=24, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.update_or_create(
        name=DAILY_RECOMPUTE_NAME,
        defaults={
            "task": DAILY_RECOMPUTE_TASK,
            "interval": daily,
            "args": "[]",
            "kwargs": "{}",
            "enabled": True,
            "expire_seconds": expire_seconds(24),
            "description": "Recompute every published claim's gap score as of today.",
        },
    )
    stale = PeriodicTask.objects.filter(name__startswith=TASK_NAME_PREFIX).exclude(name__in=wanted)
    removed = stale.count()
    stale.delete()
    return ScheduleSyncSummary(created=created, updated=updated, removed=removed)
