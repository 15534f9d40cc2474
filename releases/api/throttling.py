"""Rate limits through the default cache (Redis when REDIS_URL is set), read from settings at
request time so a deployment or a test can change them (API_ANON_RATE, API_USER_RATE).

A client's window opens at its first request and lasts the rate's period; the window's count is
one counter in the cache (`incr_window`, see `claimsdb.cache`), so a check costs one round trip
whatever the rate. (DRF's SimpleRateThrottle keeps a list of every request's time and reads and
rewrites it whole on each request: 600 floats a request at the anonymous rate.)

A refused request gets 429 with Retry-After: the seconds until its window closes.

Cached anonymous reads are answered before DRF runs (`releases.api.caching`); they are counted
here all the same, once (`COUNTED`).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle

from claimsdb.cache import incr_window_with_cache_api

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Set on a request already counted against its limit, so that the DRF pass does not count it
# a second time.
COUNTED = "claimsdb_rate_counted"


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/minute" -> (600, 60). The period is read by its first letter, as DRF does."""
    number, _, period = rate.partition("/")
    return int(number), PERIOD_SECONDS[period.strip()[0].lower()]


def incr_window(key: str, seconds: int) -> tuple[int, float]:
    count, left, _ = incr_window_get_many(key, seconds, [])
    return count, left


def incr_window_get_many(key: str, seconds: int, keys: list[str]) -> tuple[int, float, dict]:
    """Count a request in its window and read `keys` (one round trip on our Redis backend)."""
    counter = getattr(cache, "incr_window_get_many", None)
    if counter is None:  # a cache backend configured without our window counter
        return (*incr_window_with_cache_api(cache, key, seconds), cache.get_many(keys))
    result: tuple[int, float, dict] = counter(key, seconds, keys)
    return result


def anonymous_ident_key(request: Any) -> str:
    """Per client address, as DRF reads it (REMOTE_ADDR, or X-Forwarded-For behind
    NUM_PROXIES); it reads only `META`, so a Django request will do as well as DRF's."""
    return f"throttle:anon:{BaseThrottle().get_ident(request)}"


def count_anonymous_request(request: HttpRequest, also_get: list[str]) -> dict | None:
    """Count an anonymous request against API_ANON_RATE and read `also_get` from the cache in
    the same round trip: what was found, or None when the request is over the limit. A
    counted request is marked so that the throttles below do not count it again."""
    limit, seconds = parse_rate(settings.API_ANON_RATE)
    count, _, found = incr_window_get_many(anonymous_ident_key(request), seconds, also_get)
    if count > limit:
        return None
    setattr(request, COUNTED, True)
    return found


class WindowRateThrottle(BaseThrottle):
    scope: str
    _wait: float | None = None

    def get_rate(self) -> str:
        raise NotImplementedError

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Any, view: Any) -> bool:
        if getattr(request, COUNTED, False):
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        limit, seconds = parse_rate(self.get_rate())
        count, left = incr_window(key, seconds)
        if count > limit:
            self._wait = left
            return False
        return True

    def wait(self) -> float | None:
        # Whole seconds, rounded up: "Retry-After: 0" would invite an immediate retry.
        return None if self._wait is None else max(1, math.ceil(self._wait))


class AnonymousRateThrottle(WindowRateThrottle):
    """Per client address, for requests without a user."""

    scope = "anon"

    def get_rate(self) -> str:
        return str(settings.API_ANON_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return anonymous_ident_key(request)


class TokenRateThrottle(WindowRateThrottle):
    """Per token for token requests (two tokens of one user are counted apart), per user for
    session requests."""

    scope = "token"

    def get_rate(self) -> str:
        return str(settings.API_USER_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        token_key = getattr(request.auth, "token_key", None)
        ident = f"token-{token_key}" if token_key else f"user-{request.user.pk}"
        return f"throttle:token:{ident}"
