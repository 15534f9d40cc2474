"""The cache backends claimsdb configures: Django's, plus a window counter for rate limits.

Both add `incr_window(key, seconds)`: count one request in a window that opens at the first
request and lasts `seconds`; return the count so far and the seconds until the window closes
(what Retry-After says). On Redis that is one round trip (SET NX EX, INCR, PTTL in one
MULTI); elsewhere it is the cache API's add and incr. `incr_window_get_many(key, seconds,
keys)` also reads `keys`, in the same round trip on Redis: what an API read served from the
cache needs (its rate count, the data version, the response) for one round trip.

The Redis backend also keeps one client per connection pool. Django's builds a new
`redis.Redis` for every operation, and building one fills a table of ~170 response callbacks:
0.07 ms each time, as much as the round trip itself on a cached API read.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache as DjangoLocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


def incr_window_with_cache_api(cache: BaseCache, key: str, seconds: int) -> tuple[int, float]:
    """The window counter for any Django cache: a count key and a key holding when the window
    opened, both expiring with the window."""
    now = time.time()
    cache.add(f"{key}:opened", now, seconds)
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        # The window closed between add and incr: this request opens the next one.
        cache.add(key, 0, seconds)
        count = cache.incr(key)
    opened = cache.get(f"{key}:opened", now)
    return count, max(0.0, opened + seconds - now)


class LocMemCache(DjangoLocMemCache):
    def incr_window(self, key: str, seconds: int) -> tuple[int, float]:
        return incr_window_with_cache_api(self, key, seconds)

    def incr_window_get_many(
        self, key: str, seconds: int, keys: list[str]
    ) -> tuple[int, float, dict[str, Any]]:
        return (*self.incr_window(key, seconds), self.get_many(keys))


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own get_client, with the client kept (django-stubs omit these privates).
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            # A client is thread-safe: it takes a connection from its pool per command.
            pool = self._get_connection_pool(index)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool

    def incr_window(self, key: str, seconds: int) -> tuple[int, float]:
        count, left, _ = self.incr_window_get_many(key, seconds, [])
        return count, left

    def incr_window_get_many(
        self, key: str, seconds: int, keys: list[str]
    ) -> tuple[int, float, dict[str, Any]]:
        name = self.make_and_validate_key(key)
        names = [self.make_and_validate_key(k) for k in keys]
        pipeline = self._cache.get_client(name, write=True).pipeline(transaction=True)
        pipeline.set(name, 0, ex=seconds, nx=True)
        pipeline.incr(name)
        pipeline.pttl(name)
        if names:
            pipeline.mget(names)
        replies = pipeline.execute()
        count, left_ms = replies[1], replies[2]
        values = replies[3] if names else []
        loads = self._cache._serializer.loads  # type: ignore[attr-defined]
        found = {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None}
        return int(count), max(0.0, left_ms / 1000), found
