"""Celery tasks: thin wrappers that take ids and call services.

Every task is idempotent: a body already imported stops at its sha256 and rows are upserted on
their natural key, so a task run twice, or killed and redelivered (acks_late), leaves the same data.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5)
def refresh_source(self, source_id: int) -> dict:
    """Fetch one source's live URL and import it. Safe to re-run.

    Transient fetch failures are retried with exponential backoff; permanent ones (HTTP 4xx, a
    body over the size cap) and unreadable bodies are recorded on the source and not retried.
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
    except FetchError as exc:
        if exc.permanent:
            logger.warning("refresh_source(%s): %s", source_id, exc)
            return {"source_id": source_id, "status": "failed", "error": str(exc)}
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
    except ImportFailed as exc:
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
    return {"claim_ids": len(claim_ids), **summary.as_json()}


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def recompute_all_gaps() -> dict:
    """Recompute every published claim as of today (run daily by beat). Writes only changes."""
    from releases.services.gap_scores import gap_scores_recompute

    return gap_scores_recompute().as_json()
