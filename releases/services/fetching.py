"""Fetch a source's live URL for real: timeouts, a size cap, conditional GET, retries.

Transient failures (a timeout, a dropped connection, HTTP 5xx or 429) are retried here, with
exponential backoff, and only here: the Celery task does not retry a failed fetch (the next
scheduled refresh tries again), so a failing source is fetched at most ATTEMPTS times per run.
Anything else fails at once. A response is read as a stream and abandoned as soon as its
decoded bytes pass the size cap (a gzip body of 200 KB can decode to 200 MB), or the whole fetch
passes its deadline (a server that drips a byte every second never trips the read timeout).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpcore
import httpx

from releases.services.url_safety import (
    HostNotResolvedError,
    PinnedAddressBackend,
    UnsafeURLError,
    check_fetchable,
)

# Generous for today's files (the largest bundled snapshot is 1.3 MB; SWE-bench's live file
# passes 4 MB with per-instance details) while stopping a misbehaving server early.
MAX_BODY_BYTES = 64 * 1024 * 1024
TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=10.0, pool=5.0)
ATTEMPTS = 3
BACKOFF_SECONDS = 1.0
# The most one fetch_url() call may take, all attempts and backoff included.
DEADLINE_SECONDS = 120.0
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
    client: httpx.Client,
    url: str,
    *,
    etag: str,
    last_modified: str,
    max_bytes: int,
    deadline: float,
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
            # iter_bytes decodes Content-Encoding as it goes: the cap counts what is kept.
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        f"{url} sent more than the {max_bytes:,}-byte cap (decoded)",
                        permanent=True,
                    )
                if time.monotonic() > deadline:
                    raise FetchError(f"{url} did not finish within the fetch deadline")
                chunks.append(chunk)
            body = b"".join(chunks)
            return FetchResult(
                url=url, status=response.status_code, body=body, headers=dict(response.headers)
            )
    except UnsafeURLError as exc:
        # Raised where the connection is opened (PinnedAddressBackend), past the request hook.
        raise FetchError(str(exc), permanent=True) from None
    except HostNotResolvedError as exc:
        raise FetchError(str(exc)) from None
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out fetching {url}: {exc.__class__.__name__}") from exc
    except (httpx.TransportError, httpx.DecodingError) as exc:
        # Connection refused or reset, a body cut short (fewer bytes than Content-Length), or a
        # body that does not decode as its Content-Encoding says.
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}: {exc}") from exc


def _pinned_transport() -> httpx.HTTPTransport:
    """httpx's own transport, its connection pool opening sockets through PinnedAddressBackend.

    httpx takes no network backend of its own (encode/httpx#1319), so the transport's pool is
    replaced by an equal one with the backend set; `test_a_rebinding_answer_cannot_move_the_
    connection` fails if a future httpx stops using it."""
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        network_backend=PinnedAddressBackend(),
    )
    return transport


def _refuse_unsafe_destination(request: httpx.Request) -> None:
    """Run before every request, the first and each redirect hop (see url_safety): a clear
    refusal before any connection is attempted. The address a connection actually uses is
    checked again where it is opened (PinnedAddressBackend)."""
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
    attempts: int | None = None,
    backoff_seconds: float | None = None,
    deadline_seconds: float | None = None,
    timeout: httpx.Timeout = TIMEOUT,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """GET `url`, retrying transient failures up to `attempts` times with exponential backoff,
    all within `deadline_seconds` (defaults: the module's ATTEMPTS, BACKOFF_SECONDS and
    DEADLINE_SECONDS, read at call time)."""
    attempts = ATTEMPTS if attempts is None else attempts
    backoff_seconds = BACKOFF_SECONDS if backoff_seconds is None else backoff_seconds
    deadline_seconds = DEADLINE_SECONDS if deadline_seconds is None else deadline_seconds
    deadline = time.monotonic() + deadline_seconds
    with httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        transport=_pinned_transport(),
        event_hooks={"request": [_refuse_unsafe_destination]},
    ) as client:
        for attempt in range(1, attempts + 1):
            try:
                return _get_once(
                    client,
                    url,
                    etag=etag,
                    last_modified=last_modified,
                    max_bytes=max_bytes,
                    deadline=deadline,
                )
            except FetchError as exc:
                pause = backoff_seconds * 2 ** (attempt - 1)
                if exc.permanent or attempt == attempts or time.monotonic() + pause > deadline:
                    raise
                sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover
