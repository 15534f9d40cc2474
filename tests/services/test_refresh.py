"""Refreshing a source from its live URL, against a local server that serves the real snapshots.

After every failure the earlier measurements are unchanged and the source shows the error.
"""

from __future__ import annotations

import functools

import httpx
import pytest

from releases.models import LeaderboardSource, Measurement, Snapshot
from releases.services.fetching import FetchError, fetch_url
from releases.services.refresh import source_refresh
from tests.conftest import FIXTURES_DIR
from tests.http_server import Reply

POLYGLOT = (FIXTURES_DIR / "leaderboards" / "aider" / "polyglot_leaderboard.yml").read_bytes()
PATH = "/aider/polyglot_leaderboard.yml"

# No real waiting in tests: backoff is recorded, not slept.
fast_fetch = functools.partial(
    fetch_url, timeout=httpx.Timeout(1.0), backoff_seconds=0.0, sleep=lambda seconds: None
)


@pytest.fixture
def polyglot(source, leaderboard_server):  # type: ignore[no-untyped-def]
    """The aider-polyglot source pointed at the local server, already imported once."""
    source_ = source("aider-polyglot")
    leaderboard_server.serve(PATH, Reply(body=POLYGLOT, headers={"ETag": '"v1"'}))
    LeaderboardSource.objects.filter(pk=source_.pk).update(live_url=leaderboard_server.url(PATH))
    summary = source_refresh(source_id=source_.pk, fetch=fast_fetch)
    assert summary.created == 69
    source_.refresh_from_db()
    return source_


def state(source) -> dict:  # type: ignore[no-untyped-def]
    return {
        (m.raw_model_name, m.benchmark_id, m.conditions_key, m.as_of): (m.value, m.snapshot_id)
        for m in Measurement.objects.filter(source=source)
    }


def test_a_200_is_archived_with_its_headers_and_validators(polyglot, leaderboard_server) -> None:
    snapshot = Snapshot.objects.get(source=polyglot, status=Snapshot.Status.IMPORTED)
    assert bytes(snapshot.raw) == POLYGLOT
    assert snapshot.http_status == 200
    assert snapshot.headers["etag"] == '"v1"'
    assert polyglot.etag == '"v1"'
    assert Measurement.objects.get(source=polyglot, raw_model_name="Llama 4 Maverick").value == 15.6


def test_a_304_sends_the_etag_and_changes_nothing(polyglot, leaderboard_server) -> None:
    before, snapshots = state(polyglot), Snapshot.objects.count()
    leaderboard_server.serve(PATH, Reply(status=304))
    summary = source_refresh(source_id=polyglot.pk, fetch=fast_fetch)
    assert summary.status == "not_modified"
    assert leaderboard_server.requests[-1][1].get("If-None-Match") == '"v1"'
    assert state(polyglot) == before and Snapshot.objects.count() == snapshots


def test_a_500_then_success_is_retried_and_imported(polyglot, leaderboard_server) -> None:
    changed = POLYGLOT.replace(b"pass_rate_2: 15.6", b"pass_rate_2: 15.7", 1)
    assert changed != POLYGLOT
    leaderboard_server.serve(PATH, Reply(status=500), Reply(body=changed))
    summary = source_refresh(source_id=polyglot.pk, fetch=fast_fetch)
    assert summary.updated == 1
    assert [path for path, _ in leaderboard_server.requests[-2:]] == [PATH, PATH]


@pytest.mark.parametrize(
    ("reply", "permanent", "fetch"),
    [
        (Reply(status=503), False, fast_fetch),
        (Reply(body=POLYGLOT, delay=2.0), False, fast_fetch),  # read timeout (1 s)
        (Reply(body=POLYGLOT, truncate=True), False, fast_fetch),
        (Reply(body=POLYGLOT), True, functools.partial(fast_fetch, max_bytes=1000)),
        (Reply(status=404), True, fast_fetch),
    ],
    ids=["server-error", "timeout", "truncated", "over-size-cap", "not-found"],
)
def test_a_failed_fetch_is_recorded_and_loses_nothing(
    polyglot, leaderboard_server, reply, permanent, fetch
) -> None:
    before = state(polyglot)
    leaderboard_server.serve(PATH, reply)
    with pytest.raises(FetchError) as raised:
        source_refresh(source_id=polyglot.pk, fetch=fetch)
    assert raised.value.permanent is permanent
    failed = Snapshot.objects.filter(source=polyglot, status=Snapshot.Status.FAILED).latest()
    assert failed.error == str(raised.value)
    polyglot.refresh_from_db()
    assert polyglot.last_error == failed.error
    assert state(polyglot) == before


def test_a_malformed_body_fails_the_import_and_loses_nothing(polyglot, leaderboard_server) -> None:
    from releases.services.leaderboard_import import ImportFailed

    before = state(polyglot)
    leaderboard_server.serve(PATH, Reply(body=b"{ this is not yaml: [", headers={"ETag": '"v2"'}))
    with pytest.raises(ImportFailed):
        source_refresh(source_id=polyglot.pk, fetch=fast_fetch)
    assert state(polyglot) == before
    polyglot.refresh_from_db()
    assert polyglot.last_error
    # The validators of the bad body are not kept: the next fetch asks for the full file again.
    assert polyglot.etag == '"v1"'


def test_the_refresh_task_runs_in_process_without_a_broker(polyglot, leaderboard_server) -> None:
    from releases.tasks import refresh_source

    changed = POLYGLOT.replace(b"pass_rate_2: 15.6", b"pass_rate_2: 15.8", 1)
    leaderboard_server.serve(PATH, Reply(body=changed))
    result = refresh_source.delay(polyglot.pk).get()
    assert result["status"] == "imported" and result["updated"] == 1
    assert len(result["changed_measurement_ids"]) == 1
