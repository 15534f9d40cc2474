"""The fetcher's limits against a local server (issue 10: retries in one layer; issue 12 point 4:
decoded bytes, an overall deadline)."""

from __future__ import annotations

import gzip
import time

import httpx
import pytest

from releases.models import LeaderboardSource, Snapshot
from releases.services import fetching
from releases.services.fetching import FetchError, fetch_url
from tests.http_server import Reply

PATH = "/aider/polyglot_leaderboard.yml"


def test_the_size_cap_counts_decoded_bytes_not_wire_bytes(leaderboard_server) -> None:
    body = gzip.compress(b"\0" * 2_000_000)
    assert len(body) < 10_000
    url = leaderboard_server.serve("/bomb", Reply(body=body, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="cap") as raised:
        fetch_url(url, max_bytes=1_000_000, attempts=1)
    assert raised.value.permanent
    # Under the cap, the decoded body is what comes back.
    assert fetch_url(url, max_bytes=3_000_000, attempts=1).body == b"\0" * 2_000_000


def test_a_dripping_server_is_abandoned_at_the_deadline(leaderboard_server) -> None:
    # One byte every 0.2 s never trips the read timeout (1 s); only the overall deadline stops it.
    url = leaderboard_server.serve("/drip", Reply(body=b"x" * 200, drip=0.2))
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        fetch_url(url, timeout=httpx.Timeout(1.0), deadline_seconds=1.5, backoff_seconds=0.0)
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_a_failing_source_is_fetched_attempts_times_in_all(
    source, leaderboard_server, monkeypatch, settings
) -> None:
    """Retries live in the fetcher only: the refresh task does not retry on top of it."""
    from releases.tasks import refresh_source

    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(fetching, "BACKOFF_SECONDS", 0.0)
    polyglot = source("aider-polyglot")
    LeaderboardSource.objects.filter(pk=polyglot.pk).update(
        live_url=leaderboard_server.serve(PATH, Reply(status=503))
    )
    result = refresh_source.delay(polyglot.pk).get()
    assert result["status"] == "failed"
    assert len(leaderboard_server.requests) == fetching.ATTEMPTS == 3
    failed = Snapshot.objects.get(source=polyglot, status=Snapshot.Status.FAILED)
    assert "HTTP 503" in failed.error
