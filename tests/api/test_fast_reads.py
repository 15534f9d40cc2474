"""Anonymous reads answered before DRF, the data version through the cache, and the window
counter behind the rate limits, on the local-memory cache and on a real Redis."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claimsdb.cache import LocMemCache, RedisCache
from releases.api import throttling
from releases.api.throttling import take_request
from releases.services.data_version import (
    DATA_VERSION_CACHE_KEY,
    DATA_VERSION_LOCAL_SECONDS,
    data_version,
    data_version_advance_now,
    data_version_cached,
    data_version_local,
)
from tests.api.conftest import World, token_client
from tests.conftest import TEST_REDIS_URL

# What a cached answer must carry exactly as the rendered one does.
SAME_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Content-Type", "Vary", "Allow")


def test_a_cached_answer_carries_the_headers_the_rendered_one_did(
    anonymous: APIClient, world: World
) -> None:
    rendered = anonymous.get("/api/v1/claims/?page_size=2")
    with CaptureQueriesContext(connection) as queries:
        cached = anonymous.get("/api/v1/claims/?page_size=2")
    assert len(queries) == 0
    assert cached.content == rendered.content
    assert {h: cached[h] for h in SAME_HEADERS} == {h: rendered[h] for h in SAME_HEADERS}
    assert set(cached.headers) == set(rendered.headers)


def test_a_304_before_drf_matches_the_one_drf_gives(
    anonymous: APIClient, analyst_client: APIClient, world: World
) -> None:
    etag = anonymous.get("/api/v1/vendors/")["ETag"]
    early = anonymous.get("/api/v1/vendors/", HTTP_IF_NONE_MATCH=etag)
    # With a session cookie the request goes through DRF (it may be an analyst's).
    anonymous.cookies["sessionid"] = "not-a-session"
    through_drf = anonymous.get("/api/v1/vendors/", HTTP_IF_NONE_MATCH=etag)
    assert early.status_code == through_drf.status_code == 304
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert early[header] == through_drf[header], header


def test_an_analysts_read_is_never_answered_from_the_publics_entry(
    anonymous: APIClient, analyst_client: APIClient, world: World
) -> None:
    public = anonymous.get("/api/v1/claims/?status=draft")
    analyst = analyst_client.get("/api/v1/claims/?status=draft")
    assert public.json()["count"] == 0
    assert analyst.json()["count"] == 1  # the world's draft
    assert public["ETag"] != analyst["ETag"]
    assert analyst["Cache-Control"].startswith("private")


def test_each_format_has_its_own_entry_and_etag(anonymous: APIClient, world: World) -> None:
    as_json = anonymous.get("/api/v1/claims/", HTTP_ACCEPT="application/json")
    as_csv = anonymous.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")
    again_csv = anonymous.get("/api/v1/claims/", HTTP_ACCEPT="text/csv")
    assert as_json["Content-Type"].startswith("application/json")
    assert as_csv["Content-Type"].startswith("text/csv") and again_csv.content == as_csv.content
    assert as_json["ETag"] != as_csv["ETag"]


@pytest.mark.parametrize("cached", [True, False], ids=["cached", "rendered"])
def test_every_anonymous_read_is_counted_once(
    cached: bool, anonymous: APIClient, world: World, settings: Any
) -> None:
    settings.API_ANON_RATE = "4/minute"
    if cached:
        anonymous.get("/api/v1/vendors/")  # fills the entry, and counts as one of the four
    else:
        anonymous.get("/api/v1/benchmarks/")
    # Cached: answered before DRF. Rendered: a miss there (counted), then DRF (not again).
    path = "/api/v1/vendors/" if cached else "/api/v1/vendors/?n={}"
    statuses = [anonymous.get(path.format(i)).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_version_is_read_through_the_cache_and_an_advance_replaces_it(
    world: World,
) -> None:
    before = data_version_cached()
    with CaptureQueriesContext(connection) as queries:
        assert data_version_cached() == before
    assert len(queries) == 0
    data_version_advance_now()
    after = data_version_cached()
    assert after.number == before.number + 1 == data_version().number


def test_a_stale_copy_of_the_version_expires(world: World, settings: Any) -> None:
    current = data_version()
    cache.set(DATA_VERSION_CACHE_KEY, (current.number - 1, 0.0), 1)
    assert data_version_cached().number == current.number - 1
    time.sleep(1.1)
    assert data_version_cached() == current


# --- The window counter -----------------------------------------------------------------------


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    backend = RedisCache(TEST_REDIS_URL, {"KEY_PREFIX": "claimsdb-test-window"})
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture(params=["locmem", "redis"])
def counter_cache(request: pytest.FixtureRequest) -> Any:
    if request.param == "locmem":
        return LocMemCache("window-test", {})
    return request.getfixturevalue("redis_cache")


def test_the_window_counts_from_its_first_request_and_closes(counter_cache: Any) -> None:
    counts = [counter_cache.incr_window("k", 1) for _ in range(3)]
    assert [c for c, _ in counts] == [1, 2, 3]
    assert all(0 < left <= 1 for _, left in counts)
    assert counter_cache.incr_window("other", 1)[0] == 1  # a key of its own
    time.sleep(1.1)
    assert counter_cache.incr_window("k", 1)[0] == 1  # a new window


def test_the_redis_backend_keeps_one_client_per_pool(redis_cache: RedisCache) -> None:
    client = redis_cache._cache.get_client("x", write=True)
    assert redis_cache._cache.get_client("y", write=True) is client
    redis_cache.set("x", b"v")
    assert redis_cache.get("x") == b"v"


def test_a_token_read_goes_through_drf_and_counts_against_the_token(
    analyst: Any, world: World, settings: Any
) -> None:
    settings.API_USER_RATE = "2/minute"
    client, _ = token_client(analyst)
    assert [client.get("/api/v1/vendors/").status_code for _ in range(3)] == [200, 200, 429]


def test_one_representation_has_one_etag_whatever_the_accept_header_says(
    anonymous: APIClient, world: World
) -> None:
    """The key is the negotiated format: a client that sends no Accept and one that sends
    */* (curl) or application/json get the same body under the same validator."""
    tags = {
        anonymous.get("/api/v1/vendors/", **accept)["ETag"]
        for accept in ({}, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "application/json"})
    }
    assert len(tags) == 1
    etag = tags.pop()
    revalidated = anonymous.get("/api/v1/vendors/", HTTP_ACCEPT="*/*", HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304
    indented = anonymous.get("/api/v1/vendors/", HTTP_ACCEPT="application/json; indent=4")
    assert indented["ETag"] != etag and b"\n    " in indented.content


def test_a_stale_validator_gets_the_cached_body_without_a_query(
    anonymous: APIClient, world: World
) -> None:
    first = anonymous.get("/api/v1/claims/")
    with CaptureQueriesContext(connection) as queries:
        stale = anonymous.get("/api/v1/claims/", HTTP_IF_NONE_MATCH='W/"0-feedface"')
    assert stale.status_code == 200 and stale.content == first.content
    assert len(queries) == 0


def test_an_unacceptable_format_is_refused_by_drf_in_the_error_format(
    anonymous: APIClient, world: World
) -> None:
    refused = anonymous.get("/api/v1/vendors/", HTTP_ACCEPT="image/png")
    assert refused.status_code == 406
    assert refused.json()["code"] == "not_acceptable"


def test_a_url_with_a_parameter_nothing_reads_is_answered_but_not_kept(
    anonymous: APIClient, world: World
) -> None:
    busted = anonymous.get("/api/v1/claims/?page_size=2&_=1700000000")
    plain = anonymous.get("/api/v1/claims/?page_size=2")
    assert busted.status_code == plain.status_code == 200
    # The same claims; only the page links carry the parameter along.
    assert busted.json()["results"] == plain.json()["results"]
    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get("/api/v1/claims/?page_size=2&_=1700000000").status_code == 200
    assert len(queries) > 0  # rendered again: nothing was kept for it
    with CaptureQueriesContext(connection) as queries:
        anonymous.get("/api/v1/claims/?page_size=2")
    assert len(queries) == 0  # every parameter read: kept


def test_a_url_that_is_never_kept_is_never_looked_up_yet_revalidates(
    anonymous: APIClient, world: World, rf: Any
) -> None:
    from releases.api.caching import CachedResponse, _keys

    # An entry planted where the URL's answer would be kept is not read: the URL names a
    # parameter nothing reads, so nothing could ever have been kept for it.
    path = "/api/v1/claims/?page_size=2&_=1700000000"
    kept_path = "/api/v1/claims/?page_size=2"
    version = data_version_local().number
    for planted in (path, kept_path):
        _, key = _keys(rf.get(planted), "public", "json|application/json")
        planted_body = CachedResponse(
            version, b'{"planted": true}', {"Content-Type": "application/json"}
        )
        cache.set(key, planted_body)
    assert anonymous.get(kept_path).json() == {"planted": True}  # where a URL is looked up
    busted = anonymous.get(path)
    assert busted.status_code == 200 and "results" in busted.json()
    # Its own validator still gets a 304.
    again = anonymous.get(path, HTTP_IF_NONE_MATCH=busted["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/?vendor=meta&ordering=-id&page=1&page_size=5&format=json",
        "/api/v1/measurements/?benchmark=gpqa-diamond&page_size=5",
        "/api/v1/track-record/vendors/?year=2025&ordering=name&page=1",
        "/api/v1/vendors/?search=meta",
    ],
)
def test_urls_whose_parameters_are_all_read_are_kept(
    path: str, anonymous: APIClient, world: World
) -> None:
    assert anonymous.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get(path).status_code == 200
    assert len(queries) == 0


def test_a_gzip_client_gets_the_kept_copy_compressed_once(
    anonymous: APIClient, world: World
) -> None:
    path = "/api/v1/claims/?page_size=50"
    first = anonymous.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    with CaptureQueriesContext(connection) as queries:
        compressed = anonymous.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert len(queries) == 0
    assert first["Content-Encoding"] == compressed["Content-Encoding"] == "gzip"
    assert compressed.content == first.content  # the kept copy, compressed when it was kept
    plain = anonymous.get(path)  # a client without gzip: as rendered
    assert "Content-Encoding" not in plain
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    assert compressed["ETag"] == plain["ETag"]
    for response in (first, compressed, plain):
        assert "Accept-Encoding" in response["Vary"]
    # Not kept (a parameter nothing reads): sent as rendered.
    busted = anonymous.get(f"{path}&_=1", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in busted
    assert json.loads(busted.content)["results"] == plain.json()["results"]
    revalidated = anonymous.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"])
    assert revalidated.status_code == 304 and "Accept-Encoding" in revalidated["Vary"]


def test_html_and_small_bodies_are_never_compressed(anonymous: APIClient, world: World) -> None:
    for path, accept in (
        ("/api/v1/claims/?page_size=50", "text/html"),  # the browsable page
        (f"/api/v1/vendors/{world.meta.slug}/", "application/json"),  # a few hundred bytes
    ):
        for _ in range(2):
            response = anonymous.get(path, HTTP_ACCEPT=accept, HTTP_ACCEPT_ENCODING="gzip")
            assert response.status_code == 200
            assert "Content-Encoding" not in response, path


# --- Reservations and the process's copy of the version ----------------------------------------


def test_a_process_takes_requests_from_the_shared_count_a_batch_at_a_time() -> None:
    key = "throttle:test:batch"
    # 1,000 a minute: batches of 10 (a hundredth of the limit).
    assert take_request(key, 1000, 60)[0]
    assert cache.get(key) == 10
    for _ in range(9):
        assert take_request(key, 1000, 60)[0]
    assert cache.get(key) == 10  # nine more, counted off locally
    assert take_request(key, 1000, 60)[0]
    assert cache.get(key) == 20


def test_a_small_limit_is_counted_one_by_one_exactly() -> None:
    key = "throttle:test:small"
    allowed = [take_request(key, 5, 60)[0] for _ in range(7)]
    assert allowed == [True] * 5 + [False] * 2
    assert cache.get(key) == 7


def test_processes_sharing_a_limit_never_pass_it_and_stop_short_by_at_most_their_reserves() -> None:
    key = "throttle:test:shared"
    limit, processes, batch = 600, 3, 6
    reserves: list[dict[str, Any]] = [{} for _ in range(processes)]
    allowed = 0
    for request in range(2 * limit):
        # Each process has its own reservations: swap them in around each request.
        own = reserves[request % processes]
        throttling._reservations.clear()
        throttling._reservations.update(own)
        allowed += take_request(key, limit, 60)[0]
        own.clear()
        own.update(throttling._reservations)
    assert limit - processes * batch <= allowed <= limit


def test_a_changed_rate_voids_the_reservation_taken_under_the_old_one(settings: Any) -> None:
    key = "throttle:test:rate"
    assert take_request(key, 10_000, 60)[0]  # reserves 50
    assert [take_request(key, 51, 60)[0] for _ in range(2)] == [True, False]


def test_the_process_keeps_the_version_a_quarter_second_and_forgets_it_on_an_advance(
    world: World,
) -> None:
    before = data_version_local()
    cache.delete(DATA_VERSION_CACHE_KEY)
    with CaptureQueriesContext(connection) as queries:
        assert data_version_local() == before  # from the process, no cache, no query
    assert len(queries) == 0
    data_version_advance_now()
    assert data_version_local().number == before.number + 1
    current = data_version_local()
    cache.set(DATA_VERSION_CACHE_KEY, (current.number + 5, 0.0), 10)
    assert data_version_local() == current
    time.sleep(DATA_VERSION_LOCAL_SECONDS + 0.05)
    assert data_version_local().number == current.number + 5
