"""The cache backends claimsdb configures: Django's, plus a window counter for rate limits.

Both add `incr_window(key, seconds, by=1)`: count `by` requests in a window that opens at the
first request and lasts `seconds`; return the count so far and the seconds until the window
closes (what Retry-After says). On Redis that is one round trip (SET NX EX, INCRBY, PTTL in one
Lua script); elsewhere it is the cache API's add and incr.

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


def incr_window_with_cache_api(
    cache: BaseCache, key: str, seconds: int, by: int = 1
) -> tuple[int, float]:
    """The window counter for any Django cache: a count key and a key holding when the window
    opened, both expiring with the window."""
    now = time.time()
    cache.add(f"{key}:opened", now, seconds)
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key, by)
    except ValueError:
        # The window closed between add and incr: this request opens the next one.
        cache.add(key, 0, seconds)
        count = cache.incr(key, by)
    opened = cache.get(f"{key}:opened", now)
    return count, max(0.0, opened + seconds - now)


class LocMemCache(DjangoLocMemCache):
    def incr_window(self, key: str, seconds: int, by: int = 1) -> tuple[int, float]:
        return incr_window_with_cache_api(self, key, seconds, by)


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


# The window counter in one command, atomic: a window that expired between
# opening it and counting in it would otherwise leave a counter with no expiry (a client locked
# out for good).
_WINDOW_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
return {count, redis.call('PTTL', KEYS[1])}
"""


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _OneClientPerPool
        self._window_scripts: dict[int, Any] = {}

    def incr_window(self, key: str, seconds: int, by: int = 1) -> tuple[int, float]:
        name = self.make_and_validate_key(key)
        client = self._cache.get_client(name, write=True)
        script = self._window_scripts.get(id(client))
        if script is None:
            script = self._window_scripts[id(client)] = client.register_script(_WINDOW_SCRIPT)
        count, left_ms = script(keys=[name], args=[seconds, by])
        return int(count), max(0.0, left_ms / 1000)
