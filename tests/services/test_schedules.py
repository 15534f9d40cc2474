"""The beat schedule follows the sources in the database."""

from __future__ import annotations

import json

from django_celery_beat.models import IntervalSchedule, PeriodicTask

from releases.models import LeaderboardSource
from releases.services.schedules import REFRESH_TASK, expire_seconds, source_schedules_sync


def test_each_source_gets_a_refresh_entry_that_expires_before_the_next_run(source) -> None:
    summary = source_schedules_sync()
    sources = LeaderboardSource.objects.all()
    assert summary.created == sources.count() >= 8
    arena = source("lmarena-text")
    task = PeriodicTask.objects.get(name="refresh leaderboard: lmarena-text")
    assert task.task == REFRESH_TASK
    assert json.loads(task.args) == [arena.pk]
    assert task.interval.every == arena.refresh_interval_hours
    assert task.interval.period == IntervalSchedule.HOURS
    assert 0 < task.expire_seconds < arena.refresh_interval_hours * 3600


def test_syncing_again_changes_nothing_and_follows_edits(source) -> None:
    source_schedules_sync()
    again = source_schedules_sync()
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    arena = source("lmarena-text")
    arena.enabled = False
    arena.refresh_interval_hours = 6
    arena.save()
    changed = source_schedules_sync()
    assert changed.updated == 1
    task = PeriodicTask.objects.get(name="refresh leaderboard: lmarena-text")
    assert task.enabled is False and task.interval.every == 6
    assert task.expire_seconds == expire_seconds(6) < 6 * 3600


def test_a_deleted_sources_entry_is_removed(source) -> None:
    source_schedules_sync()
    nolima = source("nolima")
    nolima.aliases.all().delete()
    nolima.candidates.all().delete()
    nolima.delete()
    assert source_schedules_sync().removed == 1
    assert not PeriodicTask.objects.filter(name="refresh leaderboard: nolima").exists()


def test_expiry_leaves_a_margin_of_at_least_a_minute() -> None:
    assert expire_seconds(1) == 3600 - 360
    assert expire_seconds(24) == 24 * 3600 - int(24 * 3600 * 0.1)


def test_one_daily_full_recompute_entry(db) -> None:
    from releases.services.schedules import DAILY_RECOMPUTE_NAME, DAILY_RECOMPUTE_TASK

    source_schedules_sync()
    source_schedules_sync()
    [entry] = PeriodicTask.objects.filter(task=DAILY_RECOMPUTE_TASK)
    assert entry.name == DAILY_RECOMPUTE_NAME and entry.enabled
    assert (entry.interval.every, entry.interval.period) == (24, IntervalSchedule.HOURS)
    assert json.loads(entry.args) == []
    # The task it names exists and takes no arguments.
    from releases.tasks import recompute_all_gaps

    assert recompute_all_gaps.name == DAILY_RECOMPUTE_TASK
