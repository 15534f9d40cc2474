"""Fetch a source's live URL for real: timeouts, a size cap, conditional GET, retries.

Transient failures (a timeout, a dropped connection, HTTP 5xx or 429) are retried with
exponential backoff; anything else fails at once. A response is read as a stream and abandoned
as soon as it passes the size cap, so a runaway body cannot exhaust memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from releases.services.url_safety import HostNotResolvedError, UnsafeURLError, check_fetchable

# Generous for today's files (the largest bundled snapshot is 1.3 MB; SWE-bench's live file
# passes 4 MB with per-instance details) while stopping a misbehaving server early.
MAX_BODY_BYTES = 64 * 1024 * 1024
TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0
USER_AGENT = "claimsdb/0.1 (+https://github.com/; leaderboard importer)"


class FetchError(Exception):
    """A fetch that failed. `permanent=False` means trying again later may succeed."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status


@dataclass
class FetchResult:
    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _get_once(
    client: httpx.Client, url: str, *, etag: str, last_modified: str, max_bytes: int
) -> FetchResult:
    request_headers = {"User-Agent": USER_AGENT}
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=request_headers) as response:
            if response.status_code == 304:
                return FetchResult(url=url, status=304, headers=dict(response.headers))
            if response.status_code >= 500 or response.status_code == 429:
                raise FetchError(
                    f"HTTP {response.status_code} from {url}", status=response.status_code
                )
            if response.status_code >= 400:
                raise FetchError(
                    f"HTTP {response.status_code} from {url}",
                    permanent=True,
                    status=response.status_code,
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{url} declares {int(declared):,} bytes, over the {max_bytes:,}-byte cap",
                    permanent=True,
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        f"{url} sent more than the {max_bytes:,}-byte cap", permanent=True
                    )
                chunks.append(chunk)
            body = b"".join(chunks)
            if response.headers.get("content-encoding"):
                # iter_raw kept the wire bytes; decode only after the cap was checked.
                body = httpx.Response(200, headers=response.headers, content=body).read()
            return FetchResult(
                url=url, status=response.status_code, body=body, headers=dict(response.headers)
            )
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out fetching {url}: {exc.__class__.__name__}") from exc
    except httpx.TransportError as exc:
        # Connection refused or reset, or a body cut short (fewer bytes than Content-Length).
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}: {exc}") from exc


def _refuse_unsafe_destination(request: httpx.Request) -> None:
    """Run before every request, the first and each redirect hop (see url_safety)."""
    try:
        check_fetchable(str(request.url))
    except UnsafeURLError as exc:
        raise FetchError(str(exc), permanent=True) from None
    except HostNotResolvedError as exc:
        raise FetchError(str(exc)) from None


def fetch_url(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int = MAX_BODY_BYTES,
    attempts: int = ATTEMPTS,
    backoff_seconds: float = BACKOFF_SECONDS,
    timeout: httpx.Timeout = TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """GET `url`, retrying transient failures `attempts` times with exponential backoff."""
    with httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        event_hooks={"request": [_refuse_unsafe_destination]},
    ) as client:
        for attempt in range(1, attempts + 1):
            try:
                return _get_once(
                    client, url, etag=etag, last_modified=last_modified, max_bytes=max_bytes
                )
            except FetchError as exc:
                if exc.permanent or attempt == attempts:
                    raise
                sleep(backoff_seconds * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover
