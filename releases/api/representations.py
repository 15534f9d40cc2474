"""Each claim's serialized form, cached per data version, for the claims list.

A listing's response is cached whole under its URL (`releases.api.caching`), but two listings
that differ in a filter, an ordering or a page share most of their claims: each of them would
run the serializer again for the same claim at the same version. So a list page picks its ids
(an ids query, and a count, which every page of the same filters shares and so is cached too),
then takes each claim's representation from the cache and serializes only the claims it does
not find. A representation is right for as long as the
data version is the one it was made at, so the key holds the version, as every API cache key
does. It also holds the scheme and host the links inside it were built with.

Each process also keeps the last 2,000 it used (`RECENT`): the claims of the first pages of
common listings are then read from memory, with no round trip to the shared cache. Counts are
kept the same way (`RECENT_COUNTS`, see `kept_count`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import cache


def listing_count_key(
    *,
    kind: str,
    version: int,
    audience: str,
    query: Mapping[str, list[str]],
    filters: Iterable[str],
) -> str:
    """The key of a listing's count: the same for every page, ordering and format of the same
    filters, audience (drafts are counted for analysts) and data version."""
    names = set(filters)
    filtered = sorted((name, sorted(values)) for name, values in query.items() if name in names)
    digest = hashlib.sha256(repr((audience, filtered)).encode()).hexdigest()[:24]
    return f"api:count:{kind}:{version}:{digest}"


def representation_keys(ids: Sequence[int], *, kind: str, version: int, base_url: str) -> list[str]:
    host = hashlib.sha256(base_url.encode()).hexdigest()[:12]
    return [f"api:{kind}:{version}:{host}:{pk}" for pk in ids]


class RecentValues:
    """The values this process used last, beside the shared cache: a page of claims that many
    listings share (the first page of every filter) costs no round trip. Bounded (least
    recently used out). Only for values that never change under their key: the keys here hold
    the data version, so an old version's entries are never read again and age out."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        with self._lock:
            found = {key: self._entries[key] for key in keys if key in self._entries}
            for key in found:
                self._entries.move_to_end(key)
        return found

    def set_many(self, values: Mapping[str, Any]) -> None:
        with self._lock:
            self._entries.update(values)
            for key in values:
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# 2,000 claims of ~2.5 kB: 5 MB a process.
RECENT = RecentValues(2000)
# A listing's count, per data version and filter set: a few bytes each.
RECENT_COUNTS = RecentValues(1000)


def kept_count(key: str, count: Callable[[], int]) -> int:
    """The count kept under `key` (a `listing_count_key`): from this process, then the shared
    cache, else `count()`, kept in both. The key holds the data version, so a kept count is
    never stale; a process reads a new version up to `data_version_local`'s quarter of a
    second late, as it does for everything else it serves."""
    kept = RECENT_COUNTS.get_many([key]).get(key)
    if isinstance(kept, int):
        return kept
    shared = cache.get(key)
    counted = shared if isinstance(shared, int) else int(count())
    if not isinstance(shared, int):
        cache.set(key, counted)
    RECENT_COUNTS.set_many({key: counted})
    return counted


def cached_representations(
    ids: Sequence[int],
    *,
    kind: str,
    version: int,
    base_url: str,
    serialize: Callable[[list[int]], dict[int, Any]],
) -> list[Any]:
    """The representations of `ids`, in their order: from this process's recent ones, then
    the shared cache, then `serialize(missing ids)` (id -> representation) for the rest, which
    are then kept in both."""
    keys = representation_keys(ids, kind=kind, version=version, base_url=base_url)
    found = RECENT.get_many(keys)
    if len(found) < len(keys):
        shared = cache.get_many([key for key in keys if key not in found])
        RECENT.set_many(shared)
        found.update(shared)
    missing = [pk for pk, key in zip(ids, keys, strict=True) if key not in found]
    if missing:
        made = serialize(missing)
        fresh = {key: made[pk] for pk, key in zip(ids, keys, strict=True) if pk in made}
        cache.set_many(fresh)
        RECENT.set_many(fresh)
        found.update(fresh)
    # A claim deleted between choosing the ids and reading the rows is left out.
    return [found[key] for key in keys if key in found]
