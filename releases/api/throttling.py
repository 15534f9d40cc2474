"""Rate limits through the default cache (Redis when REDIS_URL is set), read from settings at
request time so a deployment or a test can change them (API_ANON_RATE, API_USER_RATE).

A client's window opens at its first request and lasts the rate's period; the window's count is
one counter in the cache (`incr_window`, see `claimsdb.cache`), so a check costs one round trip
whatever the rate. (DRF's SimpleRateThrottle keeps a list of every request's time and reads and
rewrites it whole on each request: 600 floats a request at the anonymous rate.)

A process takes its requests from the shared counter a few at a time (`RESERVED_SHARE` of the
limit, at most `MAX_RESERVED`) and counts them off locally, so most requests make no round trip
at all: on this machine a Redis round trip costs as much as the rest of a 304. A limit under
`RESERVED_SHARE` requests is counted one by one, exactly. Above it a client is refused at the
latest at its limit, and at the earliest by what the other processes hold reserved for it and
did not use (3 workers x 6 of 600 a minute: 18 requests, 3% early).

A refused request gets 429 with Retry-After: the seconds until its window closes.

Cached anonymous reads are answered before DRF runs (`releases.api.caching`); they are counted
here all the same, once (`COUNTED`).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
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


# Reservations are at most this share of a limit, and this many requests.
RESERVED_SHARE = 100
MAX_RESERVED = 50
# Clients a process keeps reservations for; past it the closed windows are dropped.
MAX_RESERVATIONS = 10_000


@dataclass
class _Reservation:
    closes_at: float  # time.monotonic()
    left: int
    limit: int  # the limit it was taken under: a changed rate voids it


_reservations: dict[str, _Reservation] = {}
_reservations_lock = threading.Lock()


def incr_window(key: str, seconds: int, by: int = 1) -> tuple[int, float]:
    counter = getattr(cache, "incr_window", None)
    if counter is None:  # a cache backend configured without our window counter
        return incr_window_with_cache_api(cache, key, seconds, by)
    result: tuple[int, float] = counter(key, seconds, by)
    return result


def take_request(key: str, limit: int, seconds: int) -> tuple[bool, float]:
    """Count one request of `key` against `limit` per `seconds`: (allowed, seconds until the
    window closes). From this process's reservation when it holds one, else from the cache."""
    now = time.monotonic()
    with _reservations_lock:
        held = _reservations.get(key)
        if held is not None and held.left > 0 and now < held.closes_at and held.limit == limit:
            held.left -= 1
            return True, held.closes_at - now
    batch = max(1, min(MAX_RESERVED, limit // RESERVED_SHARE))
    count, left = incr_window(key, seconds, batch)
    # Of the batch just counted, the requests still within the limit are this process's.
    granted = min(batch, limit - (count - batch))
    if granted <= 0:
        return False, left
    with _reservations_lock:
        if len(_reservations) >= MAX_RESERVATIONS:
            for stale in [k for k, r in _reservations.items() if r.closes_at <= now]:
                del _reservations[stale]
        _reservations[key] = _Reservation(closes_at=now + left, left=granted - 1, limit=limit)
    return True, left


def forget_reservations() -> None:
    """Drop this process's reservations (a test that changes the rates, or clears the cache)."""
    with _reservations_lock:
        _reservations.clear()


def anonymous_ident_key(request: Any) -> str:
    """Per client address, as DRF reads it (REMOTE_ADDR, or X-Forwarded-For behind
    NUM_PROXIES); it reads only `META`, so a Django request will do as well as DRF's."""
    return f"throttle:anon:{BaseThrottle().get_ident(request)}"


def count_anonymous_request(request: HttpRequest) -> bool:
    """Count an anonymous request against API_ANON_RATE; False when it is over the limit. A
    counted request is marked so that the throttles below do not count it again."""
    limit, seconds = parse_rate(settings.API_ANON_RATE)
    allowed, _ = take_request(anonymous_ident_key(request), limit, seconds)
    if allowed:
        setattr(request, COUNTED, True)
    return allowed


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
        allowed, left = take_request(key, limit, seconds)
        if not allowed:
            self._wait = left
        return allowed

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
