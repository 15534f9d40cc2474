"""Refresh a source from its live URL: fetch (conditional GET), then import what came back."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import urlparse

from django.utils import timezone

from releases.importers import get_importer
from releases.models import LeaderboardSource, Snapshot
from releases.services.fetching import FetchError, FetchResult, fetch_url
from releases.services.leaderboard_import import ImportSummary, Progress, leaderboard_import

Fetcher = Callable[..., FetchResult]

# Response headers worth keeping with a snapshot; the rest is noise (and may be large).
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "date", "server")


def source_refresh(
    *, source_id: int, fetch: Fetcher = fetch_url, progress: Progress | None = None
) -> ImportSummary:
    """Fetch the source's live data and import it. Raises FetchError (recorded as a failed
    snapshot, earlier data untouched) or ImportFailed."""
    source = LeaderboardSource.objects.get(pk=source_id)
    importer = get_importer(source.importer)
    urls = importer.live_urls(source.live_url)
    fetched_at = timezone.now()
    try:
        first = fetch(urls[0], etag=source.etag, last_modified=source.last_modified)
        if first.not_modified:
            LeaderboardSource.objects.filter(pk=source.pk).update(
                last_fetched_at=fetched_at, last_error=""
            )
            return ImportSummary(source=source.slug, sha256="", status="not_modified")
        bodies = [first.body] + [fetch(url).body for url in urls[1:]]
    except Exception as exc:
        # Whatever went wrong (FetchError, or something the fetcher did not foresee), the source
        # shows it as a failed snapshot, never as a traceback and a healthy-looking source.
        failure = (
            exc
            if isinstance(exc, FetchError)
            else FetchError(f"could not fetch: {exc.__class__.__name__}: {exc}", permanent=True)
        )
        Snapshot.objects.create(
            source=source,
            fetched_at=fetched_at,
            url=urls[0],
            status=Snapshot.Status.FAILED,
            error=str(failure),
            http_status=failure.status,
        )
        LeaderboardSource.objects.filter(pk=source.pk).update(
            last_error=str(failure), last_fetched_at=fetched_at
        )
        if failure is exc:
            raise
        raise failure from exc

    headers = {k: v for k, v in first.headers.items() if k.lower() in KEPT_HEADERS}
    summary = leaderboard_import(
        source_id=source.pk,
        raw=importer.combine_bodies(urls, bodies),
        file_name=posixpath.basename(urlparse(urls[0]).path),
        url=urls[0],
        fetched_at=fetched_at,
        http_status=first.status,
        headers=headers,
        progress=progress,
    )
    # Validators are saved only after a successful import: a body that failed to parse must be
    # fetched in full again next time, not answered with 304.
    LeaderboardSource.objects.filter(pk=source.pk).update(
        etag=first.headers.get("etag", ""), last_modified=first.headers.get("last-modified", "")
    )
    return summary
