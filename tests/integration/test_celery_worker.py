"""The refresh pipeline on the real services: a Celery worker on Redis, PostgreSQL, and a local
HTTP server playing the leaderboard. A worker killed with SIGKILL in the middle of an import
leaves the old data or the new, never a mix, and the redelivered task completes the import.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from releases.models import Claim, GapScore, LeaderboardSource, Measurement, Snapshot
from releases.permissions import sync_analyst_group
from releases.services.leaderboard_import import leaderboard_import
from tests.conftest import REPO_DIR, TEST_REDIS_URL
from tests.http_server import LOCAL_SERVER_HOST, LeaderboardServer, Reply

pytestmark = [
    pytest.mark.integration,
    # The worker is another process: it sees only committed data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_URL = TEST_REDIS_URL


@pytest.fixture(autouse=True, scope="module")
def _migration_data_restored(django_db_blocker):  # type: ignore[no-untyped-def]
    """A transactional test ends by flushing every table, the analyst group its data migration
    made included. Under xdist this module may run before other tests of its process (pytest-
    django's "transactional tests last" ordering holds only within one process's collection),
    which then found no analyst group; it is made again, as the migration makes it."""
    yield
    from django.apps import apps

    with django_db_blocker.unblock():
        sync_analyst_group(apps)


MODELS = 40_000  # large enough that the write takes seconds, so the kill lands inside it
PATH = "/data/leaderboard-text.json"


def arena_body(models: int, offset: float, extra: dict | None = None) -> bytes:
    return json.dumps(
        {
            "full": {
                **{
                    f"model-{i:06d}": {
                        "rating": 1000.0 + i % 500 + offset,
                        "rating_q025": 990.0 + i % 500 + offset,
                        "rating_q975": 1010.0 + i % 500 + offset,
                    }
                    for i in range(models)
                },
                **(extra or {}),
            }
        }
    ).encode()


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    if connection.vendor != "postgresql":
        pytest.fail("the worker integration test needs PostgreSQL (run `make test`)")
    queue = f"claimsdb-test-{uuid.uuid4().hex[:8]}"
    # The worker's own follow-up tasks (recompute_gaps after an import) go to its queue too.
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_DEFAULT_QUEUE": queue,
        # The worker fetches from the test's local server, on a loopback address.
        "CLAIMSDB_FETCH_ALLOWED_HOSTS": LOCAL_SERVER_HOST,
    }
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "claimsdb",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=REPO_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process, queue
    # Cold shutdown (SIGQUIT): every task the test sent has been awaited by now, so there is
    # nothing for a warm shutdown (SIGTERM, about 3 s for the prefork pool) to wait for.
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture
def arena(leaderboard_server: LeaderboardServer, catalogue: None) -> LeaderboardSource:
    source = LeaderboardSource.objects.get(slug="lmarena-text")
    LeaderboardSource.objects.filter(pk=source.pk).update(live_url=leaderboard_server.url(PATH))
    return source


def send_refresh(queue: str, source_id: int) -> None:
    client = Celery("claimsdb-test-client", broker=REDIS_URL)
    client.conf.task_serializer = "json"
    client.send_task("releases.tasks.refresh_source", args=[source_id], queue=queue)


def ratings(source: LeaderboardSource) -> set[float]:
    """The distinct offsets present: {0.0} is all old, {5.0} all new; both would be a mix."""
    values = Measurement.objects.filter(source=source, benchmark__slug="lmarena-text")
    return {
        round(v - (1000.0 + int(name[6:]) % 500), 3)
        for name, v in values.values_list("raw_model_name", "value")
    }


def active_measurement_write() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND query LIKE %s AND pid <> pg_backend_pid()",
            ["%INSERT INTO releases_measurement%"],
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_runs_refresh_source_into_postgresql(
    celery_worker, arena, leaderboard_server
) -> None:
    process, queue = celery_worker
    leaderboard_server.serve(PATH, Reply(body=arena_body(50, offset=0.0)))
    send_refresh(queue, arena.pk)
    wait_for(
        lambda: Snapshot.objects.filter(source=arena, status="imported").exists(),
        timeout=90,
        what="the import",
    )
    assert ratings(arena) == {0.0}
    assert Measurement.objects.filter(source=arena, benchmark__slug="lmarena-text").count() == 50
    # The same task again: the body is unchanged, so nothing is written and no snapshot added.
    send_refresh(queue, arena.pk)
    wait_for(lambda: len(leaderboard_server.requests) >= 2, timeout=60, what="the second fetch")
    time.sleep(1.0)
    assert Snapshot.objects.filter(source=arena).count() == 1
    assert process.poll() is None


def test_after_an_import_the_worker_recomputes_the_claims_it_touched(
    celery_worker, arena, leaderboard_server
) -> None:
    """refresh_source commits, then queues recompute_gaps(claim ids) for the worker to run."""
    _, queue = celery_worker
    claim = Claim.objects.get(kind="arena_rating", release__slug="llama-4-maverick")
    # The released Maverick under LMArena's id (a curated alias); the other 50 names are unknown.
    maverick = {
        "llama-4-maverick-17b-128e-instruct": {
            "rating": 1290.0,
            "rating_q025": 1286.0,
            "rating_q975": 1294.0,
        }
    }
    leaderboard_server.serve(PATH, Reply(body=arena_body(50, offset=0.0, extra=maverick)))
    send_refresh(queue, arena.pk)
    score = wait_for(
        lambda: GapScore.objects.filter(claim=claim, is_current=True).first(),
        timeout=90,
        what="the recompute after the import",
    )
    assert score.verdict == "substantially_overstated"
    assert score.gap == 1417 - 1290.0
    assert "variant_mismatch" in score.flags
    # Only the claims that can use an LMArena rating of Maverick were scored.
    time.sleep(1.0)
    assert set(GapScore.objects.values_list("claim_id", flat=True)) == set(
        Claim.objects.filter(
            status="published", release__slug="llama-4-maverick", benchmark__slug="lmarena-text"
        ).values_list("pk", flat=True)
    ) | set(
        Claim.objects.filter(
            status="published", kind="comparison", release__slug="llama-4-maverick"
        ).values_list("pk", flat=True)
    )


def test_a_worker_killed_mid_import_leaves_old_or_new_and_the_redelivery_completes(
    celery_worker, arena, leaderboard_server
) -> None:
    process, queue = celery_worker
    old = arena_body(MODELS, offset=0.0)
    leaderboard_import(source_id=arena.pk, raw=old, file_name="leaderboard-text.json")
    assert ratings(arena) == {0.0}
    new = arena_body(MODELS, offset=5.0)
    leaderboard_server.serve(PATH, Reply(body=new))

    send_refresh(queue, arena.pk)
    wait_for(active_measurement_write, timeout=120, what="the worker to start writing")
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert children, "no worker child process found"
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)

    # Until the redelivered task commits, readers see only the old data; after, only the new.
    seen: list[set[float]] = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        seen.append(ratings(arena))
        if seen[-1] == {5.0}:
            break
        time.sleep(0.2)
    assert all(state in ({0.0}, {5.0}) for state in seen), f"a mixed state was visible: {seen}"
    assert seen[-1] == {5.0}, "the redelivered task did not complete the import"
    assert {0.0} in seen[:2], "the kill did not land before the import committed"
    assert (
        Measurement.objects.filter(source=arena, benchmark__slug="lmarena-text").count() == MODELS
    )
    snapshots = Snapshot.objects.filter(source=arena, status="imported")
    assert (
        snapshots.count() == 2
    )  # the old one and the redelivered new one; the killed one left nothing
    assert process.poll() is None, "the worker's main process should survive a child's death"
