"""Where services hand work to the Celery workers.

This is the one services module that imports `releases.tasks`, at module level (tasks import
the services they call inside their functions), so the direction of dependencies stays
tasks -> services everywhere else; the import-linter contract in pyproject.toml allows this
module alone. Work is queued once the current transaction commits, so a worker never sees
inputs that were rolled back.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from releases.tasks import recompute_gaps


def gap_recompute_schedule(*, claim_ids: Collection[int]) -> list[int]:
    """Recompute these claims in a worker once the current transaction commits.

    Without a broker the task runs in-process (eager); with one, a worker picks it up. Either
    way it runs only if the transaction that changed the inputs commits.
    """
    ids = sorted(set(claim_ids))
    if ids:
        transaction.on_commit(lambda: recompute_gaps.delay(ids))
    return ids
