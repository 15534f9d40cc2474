"""Conditional GETs and the response cache, both keyed on the data version.

Every read carries an ETag and a Last-Modified derived from the data version, the counter that
every import, recompute and edit advances after it commits. A client that sends back the
ETag (If-None-Match) or the date (If-Modified-Since) gets 304. Otherwise a rendered response is
looked up in the default cache: repeated reads of unchanged data skip the queries and the
serializers. An entry holds the version it was rendered at and is used only at that version;
when the version moves on, the next read renders and replaces it.

The key holds the full path with its query, the negotiated format and media type (`?format=csv`
or an Accept header; `application/json; indent=4` renders differently from plain JSON), and
the audience (analysts may list drafts, so their responses are kept apart from the public's).

A response is kept twice: as rendered, and for clients that accept gzip (locust, browsers,
`curl --compressed`), compressed once when it is kept rather than on every request. JSON and
CSV only: HTML pages of the browsable API may hold a CSRF token, and compressing a secret
beside text an attacker chooses is what BREACH reads. Both carry `Vary: Accept-Encoding`.

Anonymous GETs are answered before DRF runs (`answer_cached_reads_first`): for a 304 or a cached
body, authentication, permissions, content negotiation and the throttle classes have nothing to
decide that the key does not already hold. They are still counted against the anonymous rate
limit. The rate count and the version are most often in the process already
(`releases.api.throttling`, `data_version_local`): a 304 then costs no round trip, a cached
body one (Redis), and neither a query. Anything else (a token, a session, a miss, a write)
goes through DRF.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.exceptions import NotAcceptable
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from releases.api.throttling import count_anonymous_request
from releases.services.data_version import DataVersionInfo, data_version_local

# Larger rendered bodies (a page of 200 measurements in CSV is ~60 kB) are not worth a
# round-trip to the cache's memory; bulk readers use the export.
MAX_CACHED_BYTES = 1_000_000
# Headers a cached response is replayed with, besides its body. Vary and Allow are DRF's.
REPLAYED_HEADERS = ("Content-Type", "Content-Disposition", "Link", "Vary", "Allow")
# Smaller bodies gain nothing from compression that is worth the header.
MIN_COMPRESSED_BYTES = 1024
COMPRESSED_TYPES = ("application/json", "text/csv")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Set on a request whose version and cache entry were looked up before DRF ran (a miss), so
# that the DRF pass does not look them up again.
LOOKED_UP = "claimsdb_read_lookup"


@dataclass(frozen=True)
class ReadVersion:
    version: DataVersionInfo
    etag: str
    cache_key: str

    @property
    def last_modified(self) -> str:
        return http_date(self.version.changed_at.timestamp())


@dataclass(frozen=True)
class CachedResponse:
    version: int
    content: bytes
    headers: dict[str, str]


class _ShortCircuit(Exception):
    """Carries a response decided before the handler runs (a 304, or a cached body)."""

    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response


def audience(request: Request) -> str:
    user = request.user
    if user is not None and user.is_authenticated and user.has_perm("releases.view_claim"):
        return "analyst"
    return "public"


def is_plainly_anonymous(request: HttpRequest) -> bool:
    """No token and no session cookie: the request can only be read as the public's."""
    return "HTTP_AUTHORIZATION" not in request.META and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _digest(audience_name: str, rendered_as: str, request: HttpRequest) -> str:
    return hashlib.sha256(
        f"{audience_name}|{rendered_as}|{request.get_full_path()}".encode()
    ).hexdigest()[:24]


def _accepts_gzip(request: HttpRequest) -> bool:
    # As Django's GZipMiddleware reads the header.
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _keys(request: HttpRequest, audience_name: str, rendered_as: str) -> tuple[str, str]:
    """The read's digest (its ETag's) and the key of the copy this client takes."""
    digest = _digest(audience_name, rendered_as, request)
    encoding = ":gzip" if _accepts_gzip(request) else ""
    return digest, f"api:read:{digest}{encoding}"


def _compressible(content: bytes, headers: dict[str, str]) -> bool:
    content_type = headers.get("Content-Type", "")
    return len(content) >= MIN_COMPRESSED_BYTES and content_type.startswith(COMPRESSED_TYPES)


def _for_gzip(plain: CachedResponse, *, level: int) -> CachedResponse:
    """What a client that accepts gzip gets: `plain` compressed, where that is worth it."""
    if not _compressible(plain.content, plain.headers):
        return plain
    compressed = gzip.compress(plain.content, compresslevel=level, mtime=0)
    if len(compressed) >= len(plain.content):
        return plain
    return CachedResponse(plain.version, compressed, {**plain.headers, "Content-Encoding": "gzip"})


def _kept_copies(plain: CachedResponse, cache_key: str) -> dict[str, CachedResponse]:
    """The entries to keep for a rendered response: as it is, and for gzip clients (compressed
    once, hard: it is read many times)."""
    plain_key = cache_key.removesuffix(":gzip")
    return {plain_key: plain, f"{plain_key}:gzip": _for_gzip(plain, level=6)}


def rendered_as(renderer: Any, media_type: str) -> str:
    return f"{renderer.format}|{media_type}"


class _NegotiationInput:
    """What DRF's content negotiation reads of a request, from a Django request."""

    def __init__(self, request: HttpRequest) -> None:
        self.query_params = request.GET
        self.META = request.META


def _negotiate_early(
    request: HttpRequest, renderers: list[Any], format_suffix: str | None
) -> str | None:
    """The format and media type DRF will render this request as; None if it will refuse."""
    try:
        renderer, media_type = DefaultContentNegotiation().select_renderer(
            _NegotiationInput(request),  # type: ignore[arg-type]
            renderers,
            format_suffix,
        )
    except NotAcceptable:
        return None
    return rendered_as(renderer, media_type)


def _look_up(
    request: HttpRequest, audience_name: str, rendered: str, *, kept: bool = True
) -> tuple[ReadVersion, CachedResponse | None]:
    """The read's version (this process's copy, see `data_version_local`) and, unless the
    request is conditional or its URL is never `kept`, its cached response at that version."""
    digest, cache_key = _keys(request, audience_name, rendered)
    version = data_version_local()
    read = ReadVersion(version=version, etag=f'W/"{version.number}-{digest}"', cache_key=cache_key)
    # A conditional GET is most often answered 304: the body is fetched only if it is not.
    fetch = kept and not _is_conditional(request)
    entry = _current(cache.get(cache_key), version) if fetch else None
    return read, entry


def parameters_read(
    *,
    filterset_class: Any,
    filter_backends: Any,
    paginator: Any,
    query_params_read: tuple[str, ...],
) -> frozenset[str]:
    """The query parameters a view reads: its filters', its paginator's, its ordering's,
    `format` and those it reads itself. A response is kept only when its URL names no other
    (see `DataVersionCacheMixin`), and so a URL that names another is never looked up."""
    read = {api_settings.URL_FORMAT_OVERRIDE or "format", *query_params_read}
    if filterset_class is not None:
        read.update(filterset_class.base_filters)
    if any(issubclass(backend, OrderingFilter) for backend in filter_backends or ()):
        read.add(api_settings.ORDERING_PARAM)
    for name in ("page_query_param", "page_size_query_param", "cursor_query_param"):
        if value := getattr(paginator, name, None):
            read.add(value)
    return frozenset(read)


def _is_kept(request: HttpRequest, read: frozenset[str]) -> bool:
    return all(name in read for name in request.GET)


def _current(stored: object, version: DataVersionInfo) -> CachedResponse | None:
    if isinstance(stored, CachedResponse) and stored.version == version.number:
        return stored
    return None


def _is_conditional(request: HttpRequest) -> bool:
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [part.strip() for part in header.split(",")]
    # Weak comparison (RFC 9110 13.1.2): W/"x" and "x" match for a conditional GET.
    bare = etag.removeprefix("W/")
    return "*" in candidates or any(c.removeprefix("W/") == bare for c in candidates)


def is_not_modified(request: HttpRequest, read: ReadVersion) -> bool:
    # META, not `request.headers`: that builds a dict of every header on first use.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # If-None-Match, when present, decides alone (RFC 9110 13.2.2).
        return _etag_matches(if_none_match, read.etag)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(read.version.changed_at.timestamp()) <= since


def stamp(response: HttpResponseBase, read: ReadVersion, audience_name: str) -> None:
    response["ETag"] = read.etag
    response["Last-Modified"] = read.last_modified
    # Shared caches may keep public reads; each use revalidates with the ETag (cheap: a 304).
    visibility = "public" if audience_name == "public" else "private"
    response["Cache-Control"] = f"{visibility}, max-age=0, must-revalidate"


def _cached_answer(
    request: HttpRequest, read: ReadVersion, entry: CachedResponse | None, audience_name: str
) -> HttpResponseBase | None:
    """The 304 or the cached response for this read, None when the view has to render it."""
    if is_not_modified(request, read):
        response = HttpResponse(status=304)
        # What a 200 for this read varies on (RFC 9110 15.4.5): DRF's Accept, and ours.
        response["Vary"] = "Accept, Accept-Encoding"
    else:
        if entry is None and _is_conditional(request):
            # A validator that no longer matches: now the body is wanted.
            entry = _current(cache.get(read.cache_key), read.version)
        if entry is None:
            return None
        response = HttpResponse(entry.content, headers=entry.headers)
    # As SessionMiddleware marks every response of a view that read the session: the answer
    # depends on it (an analyst's session reads drafts), and the early answer never reads it.
    patch_vary_headers(response, ("Cookie",))
    stamp(response, read, audience_name)
    return response


def answer_cached_reads_first(view: Callable[..., HttpResponseBase]) -> Callable[..., Any]:
    """Wrap a DRF view so that an anonymous GET with a current validator or a cached response
    is answered without it (see the module's docstring)."""
    view_class: Any = getattr(view, "cls", None)
    initkwargs: dict[str, Any] = getattr(view, "initkwargs", {})

    def setting(name: str) -> Any:
        # An action may have its own (@action(renderer_classes=..., pagination_class=...)).
        return initkwargs[name] if name in initkwargs else getattr(view_class, name, None)

    renderers = [renderer() for renderer in setting("renderer_classes")]
    pagination_class = setting("pagination_class")
    params_read = parameters_read(
        filterset_class=setting("filterset_class"),
        filter_backends=setting("filter_backends"),
        paginator=pagination_class() if pagination_class else None,
        query_params_read=setting("query_params_read") or (),
    )

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "GET" or not is_plainly_anonymous(request):
            return view(request, *args, **kwargs)
        if not _is_kept(request, params_read) and not _is_conditional(request):
            # Never kept, so never found: DRF renders it (and counts it).
            return view(request, *args, **kwargs)
        rendered = _negotiate_early(request, renderers, kwargs.get("format"))
        if rendered is None:
            return view(request, *args, **kwargs)  # DRF answers 406
        if not count_anonymous_request(request):
            return view(request, *args, **kwargs)  # over the limit: DRF answers 429
        read, entry = _look_up(request, "public", rendered)
        response = _cached_answer(request, read, entry, "public")
        if response is not None:
            return response
        setattr(request, LOOKED_UP, read)
        return view(request, *args, **kwargs)

    return wrapped


class DataVersionCacheMixin:
    """For API views: 304 on a matching validator, a cached body on a hit, else run the view
    and keep what it rendered. Only GET and HEAD are touched; writes pass straight through.

    A response is kept only when the view reads every query parameter of its URL (its filters,
    its paginator's, `format`, and `query_params_read`). A parameter nothing reads changes
    nothing but the page links, which carry it along, so its URL would be one more copy of the
    same data: a client appending a cache-buster to every request would fill the cache. Such
    a URL is not looked up either (before DRF or in it), since nothing can be found for it: it
    is rendered as if there were no cache, and still answers 304 to its own validator."""

    _read: ReadVersion | None = None
    _audience: str = "public"
    # Parameters a view reads itself, beyond its filterset's and its paginator's.
    query_params_read: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        return answer_cached_reads_first(super().as_view(*args, **kwargs))  # type: ignore[misc]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Authentication, permissions, throttling and content negotiation come first: a
        # cached answer is still counted against the rate limit, and the format is known.
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._read = None
        if request.method not in ("GET", "HEAD"):
            return
        self._audience = audience(request)
        rendered = rendered_as(request.accepted_renderer, request.accepted_media_type)
        _, cache_key = _keys(request._request, self._audience, rendered)
        looked_up = getattr(request._request, LOOKED_UP, None)
        if looked_up is not None and looked_up.cache_key == cache_key:
            # Looked up before DRF ran, and missed: no second round trip for the same answer.
            self._read = looked_up
            return
        kept = _is_kept(request._request, self._parameters_read)
        read, entry = _look_up(request._request, self._audience, rendered, kept=kept)
        self._read = read
        response = _cached_answer(request._request, read, entry, self._audience)
        if response is not None:
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
        if "ETag" not in response:
            stamp(response, read, self._audience)
        if not isinstance(response, Response) or response.streaming:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        response.render()
        headers = {n: response[n] for n in REPLAYED_HEADERS if n in response}
        plain = CachedResponse(read.version.number, response.content, headers)
        if _is_kept(request._request, self._parameters_read) and (
            len(plain.content) <= MAX_CACHED_BYTES
        ):
            copies = _kept_copies(plain, read.cache_key)
            cache.set_many(copies)
            served = copies[read.cache_key]
        else:
            # Not kept: sent as rendered. Compressing it for this answer alone (level 1, a
            # tenth of the bytes) cost the server more than it saved anyone (make bench).
            served = plain
        if served is not plain:
            response.content = served.content
            response["Content-Encoding"] = "gzip"
        return response

    @cached_property
    def _parameters_read(self) -> frozenset[str]:
        # Once per request (a view instance serves one): read by `initial` and by
        # `finalize_response`.
        return parameters_read(
            filterset_class=getattr(self, "filterset_class", None),
            filter_backends=getattr(self, "filter_backends", ()),
            paginator=getattr(self, "paginator", None),
            query_params_read=self.query_params_read,
        )
