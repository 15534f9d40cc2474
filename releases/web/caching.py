"""Public pages cached per data version, with ETag and Last-Modified from it.

Every import, recompute and edit advances the data version (`releases.services.data_version`),
so a page rendered for version N is right for as long as the version is N: the cache key and
the ETag carry the number and nothing has to be invalidated. A hit costs one primary-key read
(the version); a revalidation from a browser or a proxy costs the same and sends no body.

Pages are the same for every visitor (no user-specific content, search is a GET form), which is
what makes one cached copy per URL right.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from releases.services.data_version import DataVersionInfo, data_version

# Cached pages outlive no data version, but an abandoned version's pages should not sit in a
# shared Redis forever.
PAGE_CACHE_SECONDS = 24 * 3600
# Response headers a cached copy keeps (the rest are set again by the middleware).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")

View = Callable[..., HttpResponseBase]


def page_etag(version: DataVersionInfo) -> str:
    return f'"dv{version.etag_part}"'


def _cache_key(version: DataVersionInfo, request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"claimsdb:page:{version.number}:{path}"


def cached_per_data_version(view: View) -> View:
    """Serve GET and HEAD from the cache of the current data version; answer 304 when the
    client's copy is current. Only 200 responses are cached."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = data_version()
        etag = page_etag(version)
        last_modified = int(version.changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _validated(not_modified, etag, last_modified)
        key = _cache_key(version, request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response: HttpResponseBase = HttpResponse(content, headers=headers)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            assert isinstance(response, HttpResponse)  # pages are never streamed
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            cache.set(key, (response.content, headers), PAGE_CACHE_SECONDS)
        return _validated(response, etag, last_modified)

    return wrapped


def _validated(response: HttpResponseBase, etag: str, last_modified: int) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Revalidate every time: a 304 is cheap, and a page must not outlive the data it shows.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
