"""Conditional GETs and the response cache, both keyed on the data version.

Every read carries an ETag and a Last-Modified derived from `data_version()`, the counter that
every import, recompute and edit advances after it commits. A client that sends back the
ETag (If-None-Match) or the date (If-Modified-Since) gets 304 for the price of one
primary-key read. Otherwise a rendered response is looked up in the default cache under the
same version: repeated reads of unchanged data skip the queries and the serializers. When the
version moves on, old entries are never read again and expire on their own.

The key holds the full path with its query, the rendered format, and the audience (analysts
may list drafts, so their responses are kept apart from the public's).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBase
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.request import Request
from rest_framework.response import Response

from releases.services.data_version import DataVersionInfo, data_version

# Larger rendered bodies (a page of 200 measurements in CSV is ~60 kB) are not worth a
# round-trip to the cache's memory; bulk readers use the export.
MAX_CACHED_BYTES = 1_000_000
# Headers a cached response is replayed with, besides its body and content type.
REPLAYED_HEADERS = ("Content-Disposition", "Link")


@dataclass(frozen=True)
class ReadVersion:
    version: DataVersionInfo
    etag: str
    cache_key: str

    @property
    def last_modified(self) -> str:
        return http_date(self.version.changed_at.timestamp())


class _ShortCircuit(Exception):
    """Carries a response decided before the handler runs (a 304, or a cached body)."""

    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response


def audience(request: Request) -> str:
    user = request.user
    if user is not None and user.is_authenticated and user.has_perm("releases.view_claim"):
        return "analyst"
    return "public"


def read_version(request: Request, *, fmt: str) -> ReadVersion:
    version = data_version()
    digest = hashlib.sha256(
        f"{audience(request)}|{fmt}|{request.get_full_path()}".encode()
    ).hexdigest()[:24]
    return ReadVersion(
        version=version,
        etag=f'W/"{version.number}-{digest}"',
        cache_key=f"api:v{version.number}:{digest}",
    )


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [part.strip() for part in header.split(",")]
    # Weak comparison (RFC 9110 13.1.2): W/"x" and "x" match for a conditional GET.
    bare = etag.removeprefix("W/")
    return "*" in candidates or any(c.removeprefix("W/") == bare for c in candidates)


def is_not_modified(request: Request, read: ReadVersion) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        # If-None-Match, when present, decides alone (RFC 9110 13.2.2).
        return _etag_matches(if_none_match, read.etag)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(read.version.changed_at.timestamp()) <= since


def stamp(response: HttpResponseBase, read: ReadVersion, request: Request) -> None:
    response["ETag"] = read.etag
    response["Last-Modified"] = read.last_modified
    # Shared caches may keep public reads; each use revalidates with the ETag (cheap: a 304).
    visibility = "public" if audience(request) == "public" else "private"
    response["Cache-Control"] = f"{visibility}, max-age=0, must-revalidate"


class DataVersionCacheMixin:
    """For API views: 304 on a matching validator, a cached body on a hit, else run the view
    and keep what it rendered. Only GET and HEAD are touched; writes pass straight through."""

    _read: ReadVersion | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Authentication, permissions, throttling and content negotiation come first: a
        # cached answer is still counted against the rate limit, and the format is known.
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._read = None
        if request.method not in ("GET", "HEAD"):
            return
        read = read_version(request, fmt=request.accepted_renderer.format)
        self._read = read
        if is_not_modified(request, read):
            response = HttpResponse(status=304)
            stamp(response, read, request)
            raise _ShortCircuit(response)
        cached = cache.get(read.cache_key)
        if cached is not None:
            content, content_type, headers = cached
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers.items():
                response[name] = value
            stamp(response, read, request)
            raise _ShortCircuit(response)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _ShortCircuit):
            return exc.response
        return super().handle_exception(exc)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        read = self._read
        if read is None or response.status_code != 200:
            return response
        if response.status_code == 200 and "ETag" not in response:
            stamp(response, read, request)
        if isinstance(response, Response) and not response.streaming:
            response.render()
            content = response.content
            if len(content) <= MAX_CACHED_BYTES:
                headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
                cache.set(read.cache_key, (content, response["Content-Type"], headers))
        return response
