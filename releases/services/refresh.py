"""Refresh a source from its live URL: fetch (conditional GET), then import what came back.

A live URL whose importer reads it as a folder listing (`Importer.read_listing`, the Every Eval
Ever datastore) is followed page by page, every listed file downloaded and checked against the
listing, and the files imported as one deterministic ZIP: the same files give the same snapshot.
"""

from __future__ import annotations

import posixpath
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urlparse

from django.utils import timezone

from releases.importers import get_importer
from releases.importers.archives import deterministic_zip, listed_file_mismatch
from releases.importers.base import Importer, ListedFile, Listing, ParseError
from releases.models import LeaderboardSource, Snapshot
from releases.services.fetching import MAX_BODY_BYTES, FetchError, FetchResult, fetch_url
from releases.services.leaderboard_import import ImportSummary, Progress, leaderboard_import

Fetcher = Callable[..., FetchResult]

# Response headers worth keeping with a snapshot; the rest is noise (and may be large).
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "date", "server")
# A listing's snapshot is the ZIP of its files: the listing page's type and length are not its.
LISTING_KEPT_HEADERS = tuple(h for h in KEPT_HEADERS if not h.startswith("content-"))
# A progress line every this many files of a listing.
PROGRESS_EVERY_FILES = 20


@dataclass(frozen=True)
class ListingLimits:
    """How far a refresh follows a folder listing: far above the bundled folders (15 to 91
    documents) while stopping a runaway listing. The files together may weigh what one fetched
    body may (fetching.MAX_BODY_BYTES), since they become one snapshot. One file per request:
    `download_workers` requests run at once so a folder of thousands fits the task's time limit."""

    max_pages: int = 100
    max_files: int = 10_000
    max_bytes: int = MAX_BODY_BYTES
    download_workers: int = 4


def source_refresh(
    *,
    source_id: int,
    fetch: Fetcher = fetch_url,
    progress: Progress | None = None,
    listing_limits: ListingLimits | None = None,
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
        listing = _read_listing(importer, urls[0], first)
        if listing is not None:
            raw = _listed_files_zip(
                importer,
                urls[0],
                listing,
                fetch=fetch,
                limits=listing_limits or ListingLimits(),
                progress=progress,
            )
        else:
            bodies = [first.body] + [fetch(url).body for url in urls[1:]]
            raw = importer.combine_bodies(urls, bodies)
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

    kept = KEPT_HEADERS if listing is None else LISTING_KEPT_HEADERS
    headers = {k: v for k, v in first.headers.items() if k.lower() in kept}
    summary = leaderboard_import(
        source_id=source.pk,
        raw=raw,
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


def _read_listing(importer: Importer, url: str, page: FetchResult) -> Listing | None:
    try:
        return importer.read_listing(url, page.body, page.headers)
    except ParseError as exc:
        raise FetchError(str(exc), permanent=True, status=page.status) from None


def _listed_files_zip(
    importer: Importer,
    listing_url: str,
    listing: Listing,
    *,
    fetch: Fetcher,
    limits: ListingLimits,
    progress: Progress | None,
) -> bytes:
    """Every file of the listing whose first page is `listing`, fetched and checked, as one ZIP
    under the names the listing gives. Raises FetchError (permanent) past a limit, on a file
    whose bytes are not the listing's, and on a page that is not a listing."""
    listed: dict[str, ListedFile] = {}
    url, pages = listing_url, 1
    while True:
        for file in listing.files:
            if file.name in listed:
                raise FetchError(f"{url}: {file.name} is listed twice", permanent=True)
            listed[file.name] = file
        if len(listed) > limits.max_files:
            raise FetchError(
                f"{listing_url}: the listing names more than the {limits.max_files:,}-file cap",
                permanent=True,
            )
        if listing.next_url is None:
            break
        if pages >= limits.max_pages:
            raise FetchError(
                f"{listing_url}: the listing runs past the {limits.max_pages:,}-page cap",
                permanent=True,
            )
        url = listing.next_url
        pages += 1
        next_listing = _read_listing(importer, url, fetch(url))
        if next_listing is None:
            raise FetchError(f"{url}: page {pages} of the listing is not a listing", permanent=True)
        listing = next_listing

    if not listed:
        raise FetchError(f"{listing_url}: the listing names no file to import", permanent=True)
    declared = sum(file.size or 0 for file in listed.values())
    if declared > limits.max_bytes:
        raise FetchError(
            f"{listing_url}: the listed files declare {declared:,} bytes, over the "
            f"{limits.max_bytes:,}-byte cap on one snapshot",
            permanent=True,
        )
    say = progress or (lambda message: None)
    members: list[tuple[str, bytes]] = []
    total = 0
    downloads = _downloads(list(listed.values()), fetch=fetch, workers=limits.download_workers)
    for count, (file, body) in enumerate(downloads, start=1):
        total += len(body)
        if total > limits.max_bytes:
            raise FetchError(
                f"{listing_url}: the listed files pass the {limits.max_bytes:,}-byte cap on one "
                "snapshot",
                permanent=True,
            )
        if (mismatch := listed_file_mismatch(file, body)) is not None:
            raise FetchError(
                f"{file.name} ({file.url}) is not the listed file: {mismatch}", permanent=True
            )
        members.append((file.name, body))
        if count % PROGRESS_EVERY_FILES == 0 or count == len(listed):
            say(f"fetched {count}/{len(listed)} files")
    return deterministic_zip(members)


def _downloads(
    files: list[ListedFile], *, fetch: Fetcher, workers: int
) -> Iterator[tuple[ListedFile, bytes]]:
    """(file, body) in the files' order, `workers` fetches at a time. At most twice that many
    bodies wait in memory; when the caller stops (a cap, a mismatch), what has not started is
    cancelled."""
    queue = iter(files)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending: deque[tuple[ListedFile, Future[FetchResult]]] = deque(
            (file, pool.submit(fetch, file.url)) for file in islice(queue, 2 * max(1, workers))
        )
        try:
            while pending:
                file, future = pending.popleft()
                body = future.result().body
                if (following := next(queue, None)) is not None:
                    pending.append((following, pool.submit(fetch, following.url)))
                yield file, body
        finally:
            for _, waiting in pending:
                waiting.cancel()
