"""The batch-3 sources refresh from their live URL (here, a local server serving the real
snapshots): archived with their raw bytes, parsed, upserted, and idempotent."""

from __future__ import annotations

import functools

import httpx
import pytest

from releases.importers import get_importer
from releases.models import LeaderboardSource, Measurement, Snapshot
from releases.services.fetching import fetch_url
from releases.services.refresh import source_refresh
from tests.conftest import FIXTURES_DIR
from tests.http_server import Reply

fast_fetch = functools.partial(
    fetch_url, timeout=httpx.Timeout(5.0), backoff_seconds=0.0, sleep=lambda seconds: None
)

FILES = {
    "evalplus": "evalplus/results.json",
    "ruler": "ruler/README.md",
    "livecodebench": "livecodebench/performances_generation.json",
    "vals": "vals/scores_excerpt.csv",
}


@pytest.mark.parametrize("slug", sorted(FILES))
def test_a_refresh_archives_parses_and_writes_once(slug, source, leaderboard_server) -> None:  # type: ignore[no-untyped-def]
    body = (FIXTURES_DIR / "leaderboards" / FILES[slug]).read_bytes()
    path = "/" + FILES[slug]
    leaderboard_server.serve(path, Reply(body=body, headers={"ETag": '"v1"'}))
    source_ = source(slug)
    LeaderboardSource.objects.filter(pk=source_.pk).update(live_url=leaderboard_server.url(path))

    summary = source_refresh(source_id=source_.pk, fetch=fast_fetch)
    expected = len(get_importer(slug).parse(body, file_name=path.rsplit("/", 1)[1]))
    assert (summary.status, summary.created) == ("imported", expected)
    snapshot = Snapshot.objects.get(pk=summary.snapshot_id)
    assert bytes(snapshot.raw) == body
    assert Measurement.objects.filter(source=source_).count() == expected

    # The same bytes again: nothing is written.
    leaderboard_server.serve(path, Reply(body=body))
    again = source_refresh(source_id=source_.pk, fetch=fast_fetch)
    assert again.status == "unchanged"
    assert Measurement.objects.filter(source=source_).count() == expected


def test_vals_rows_resolve_through_the_curated_aliases(source, leaderboard_server) -> None:  # type: ignore[no-untyped-def]
    body = (FIXTURES_DIR / "leaderboards" / FILES["vals"]).read_bytes()
    leaderboard_server.serve("/scores.csv", Reply(body=body))
    vals = source("vals")
    LeaderboardSource.objects.filter(pk=vals.pk).update(
        live_url=leaderboard_server.url("/scores.csv")
    )
    summary = source_refresh(source_id=vals.pk, fetch=fast_fetch)
    maverick = Measurement.objects.get(
        source=vals,
        raw_model_name="fireworks/llama4-maverick-instruct-basic",
        benchmark__slug="mgsm",
        conditions_key="{}",
    )
    assert maverick.variant.slug == "llama-4-maverick-instruct"
    assert (maverick.value, maverick.std_error, str(maverick.as_of)) == (
        92.436,
        1.635,
        "2026-01-09",
    )
    assert maverick.evaluator == "Vals AI"
    # Names of models claimsdb has no release for stay unresolved, never attached on a guess.
    assert "openai/o1-2024-12-17" in summary.unresolved
    assert not Measurement.objects.filter(
        source=vals, raw_model_name="openai/o1-2024-12-17", variant__isnull=False
    ).exists()
    # Kimi K2, served by Together, resolves through its curated alias (issue 14, point 5).
    assert "together/moonshotai/Kimi-K2-Instruct" not in summary.unresolved
    kimi = Measurement.objects.filter(
        source=vals, raw_model_name="together/moonshotai/Kimi-K2-Instruct"
    )
    assert set(kimi.values_list("variant__slug", flat=True)) == {"kimi-k2-instruct"}
