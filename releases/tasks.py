"""Celery tasks: thin wrappers that take ids and call services.

Every task is idempotent: a body already imported stops at its sha256 and rows are upserted on
their natural key, so a task run twice, or killed and redelivered (acks_late), leaves the same data.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_source(source_id: int) -> dict:
    """Fetch one source's live URL and import it. Safe to re-run.

    Not retried here: the fetcher already retries transient failures with backoff (retries live
    in one layer, so a failing source is fetched `fetching.ATTEMPTS` times, not that times the
    task's retries). A failed fetch or an unreadable body is recorded on the source as a failed
    snapshot, and the next scheduled refresh tries again.
    """
    # Services are imported here, not at module level: the services' trigger module imports
    # this one, and importing them at the top would make the two a cycle.
    from releases.models import LeaderboardSource
    from releases.services.fetching import FetchError
    from releases.services.leaderboard_import import ImportFailed
    from releases.services.refresh import source_refresh

    if not LeaderboardSource.objects.filter(pk=source_id, enabled=True).exists():
        logger.info("refresh_source(%s): source gone or disabled; nothing to do", source_id)
        return {"source_id": source_id, "status": "skipped"}
    try:
        summary = source_refresh(source_id=source_id)
    except (FetchError, ImportFailed) as exc:
        logger.warning("refresh_source(%s): %s", source_id, exc)
        return {"source_id": source_id, "status": "failed", "error": str(exc)}
    return {
        "source_id": source_id,
        "status": summary.status,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "changed_measurement_ids": summary.changed_measurement_ids,
    }


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_jitter=True,
    max_retries=5,
)
def recompute_gaps(self, claim_ids: list[int]) -> dict:
    """Recompute the gap scores of these claims as of today. Safe to re-run: a claim whose
    result did not change gets no new row. Retried when the database is briefly unavailable
    or a lock times out; real bugs fail loudly."""
    from releases.services.gap_scores import gap_scores_recompute

    summary = gap_scores_recompute(claim_ids=claim_ids)
    return {"claim_ids": len(claim_ids), **summary.as_json(), **_failures(summary.failed)}


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def recompute_all_gaps() -> dict:
    """Recompute every published claim as of today (run daily by beat). Writes only changes."""
    from releases.services.gap_scores import gap_scores_recompute

    summary = gap_scores_recompute()
    return {**summary.as_json(), **_failures(summary.failed)}


def _failures(failed: dict[int, str]) -> dict[str, dict[str, str]]:
    # Claims that could not be scored (the others were): in the result only when there are any.
    return (
        {"failed": {str(claim_id): error for claim_id, error in failed.items()}} if failed else {}
    )
