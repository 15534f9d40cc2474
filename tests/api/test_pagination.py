"""Claims are paged on their ids first (`IdsFirstPagePagination`): every page holds exactly the
claims the ordered list has at that place, in that order, on the curated claims."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from releases.api.representations import RECENT_COUNTS, RecentValues
from releases.models import Claim


def pages(client: APIClient, query: str, *, size: int, count: int) -> list[int]:
    seen: list[int] = []
    for page in range(1, count + 1):
        body = client.get(f"{query}page_size={size}&page={page}").json()
        seen.extend(item["id"] for item in body["results"])
    return seen


def test_each_page_is_the_ordered_lists_slice_in_order_newest_first(catalogue) -> None:  # type: ignore[no-untyped-def]
    ordered = list(
        Claim.objects.filter(status=Claim.Status.PUBLISHED)
        .order_by("-id")
        .values_list("id", flat=True)
    )
    client = APIClient()
    assert client.get("/api/v1/claims/").json()["count"] == len(ordered)
    assert pages(client, "/api/v1/claims/?", size=40, count=3) == ordered[:120]


def test_claims_list_by_release_and_benchmark_name_when_asked(catalogue) -> None:  # type: ignore[no-untyped-def]
    ordered = list(
        Claim.objects.filter(status=Claim.Status.PUBLISHED)
        # Claims without a benchmark last, as the API orders them on every database (SQLite
        # puts NULL first by default, PostgreSQL last).
        .order_by("release__name", F("benchmark__name").asc(nulls_last=True), "id")
        .values_list("id", flat=True)
    )
    client = APIClient()
    query = "/api/v1/claims/?ordering=release,benchmark&"
    assert pages(client, query, size=40, count=3) == ordered[:120]


def test_a_page_serializes_only_the_claims_no_earlier_page_showed(catalogue) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    whole = client.get("/api/v1/claims/?page_size=30").json()["results"]
    # Another listing of the same claims (another URL, so not the cached response): every
    # claim comes from the per-claim cache, and no row is read beyond the count and the ids.
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/claims/?page_size=30&vendor=").json()["results"]
    assert again == whole
    assert len(queries) == 2, [q["sql"] for q in queries]
    # A page that overlaps: only its new claims are read (with their prefetches).
    with CaptureQueriesContext(connection) as queries:
        shifted = client.get("/api/v1/claims/?page_size=20&page=2").json()["results"]
    assert shifted[:10] == whole[20:30]
    row_reads = [q["sql"] for q in queries if q["sql"].startswith('SELECT "releases_claim"."id", ')]
    assert len(row_reads) == 1
    listed = re.search(r'"releases_claim"\."id" IN \(([\d, ]+)\)', row_reads[0])
    assert listed is not None
    assert {int(pk) for pk in listed.group(1).split(", ")} == {i["id"] for i in shifted[10:]}


def test_ordering_and_filters_apply_before_the_page_is_chosen(catalogue) -> None:  # type: ignore[no-untyped-def]
    query = "/api/v1/claims/?vendor=meta&ordering=-stated_value"
    client = APIClient()
    whole = [item["id"] for item in client.get(f"{query}&page_size=200").json()["results"]]
    assert len(whole) > 20
    page = client.get(f"{query}&page_size=10&page=2").json()["results"]
    assert [item["id"] for item in page] == whole[10:20]
    values = [item["stated_value"] for item in page]
    assert values == sorted(values, key=lambda v: (v is None, -(v or 0)))


def test_a_json_page_joined_from_encoded_claims_is_what_the_serializer_gives(catalogue) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.get("/api/v1/claims/?page_size=7&page=2")  # the encodings are cached...
    body = client.get("/api/v1/claims/?page_size=7&page=2&vendor=").json()  # ...and joined
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["previous"].endswith("/api/v1/claims/?page_size=7&vendor=")
    assert body["next"].endswith("/api/v1/claims/?page=3&page_size=7&vendor=")
    # Each item is the claim as its own page (the serializer, no cache of the list) shows it.
    for item in body["results"]:
        assert client.get(f"/api/v1/claims/{item['id']}/").json() == item
    empty = client.get("/api/v1/claims/?vendor=nobody").json()
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}


def test_every_page_ordering_and_format_of_one_filter_shares_one_count(catalogue) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    first = client.get("/api/v1/claims/?vendor=meta&page_size=5").json()
    for later in (
        "/api/v1/claims/?vendor=meta&page_size=5&page=2",
        "/api/v1/claims/?vendor=meta&page_size=7&ordering=-stated_value",
    ):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(later).json()
        assert body["count"] == first["count"]
        assert not any("COUNT(*)" in q["sql"] for q in queries), later
    # Another filter is counted afresh, and its count is its own.
    with CaptureQueriesContext(connection) as queries:
        other = client.get("/api/v1/claims/?vendor=deepseek&page_size=5").json()
    assert any("COUNT(*)" in q["sql"] for q in queries)
    assert (
        other["count"]
        == Claim.objects.filter(status="published", release__vendor__slug="deepseek").count()
    )
    assert (
        first["count"]
        == Claim.objects.filter(status="published", release__vendor__slug="meta").count()
    )


def test_a_process_keeps_the_claims_it_listed_last_and_drops_the_oldest() -> None:
    recent = RecentValues(3)
    recent.set_many({"a": 1, "b": 2, "c": 3})
    assert recent.get_many(["a", "x"]) == {"a": 1}  # "a" is now the most recent
    recent.set_many({"d": 4})
    assert recent.get_many(["a", "b", "c", "d"]) == {"a": 1, "c": 3, "d": 4}  # "b" went


def test_a_listing_reads_claims_this_process_listed_before_without_the_shared_cache(
    catalogue,
) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    first = client.get("/api/v1/claims/?page_size=20").json()["results"]
    cache.clear()  # the shared cache forgets them; the process does not
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/claims/?page_size=20&vendor=").json()["results"]
    assert again == first
    assert not any(q["sql"].startswith('SELECT "releases_claim"."id", ') for q in queries)


def test_a_process_keeps_the_count_of_a_listing_it_counted_at_this_version(catalogue) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    first = client.get("/api/v1/claims/?vendor=meta&page_size=5").json()
    cache.clear()  # the shared cache forgets the count; this process does not
    with CaptureQueriesContext(connection) as queries:
        later = client.get("/api/v1/claims/?vendor=meta&page_size=5&page=2").json()
    assert later["count"] == first["count"]
    assert not any("COUNT(*)" in q["sql"] for q in queries)
    # Another process (here: this one, having forgotten) counts again, and finds the same.
    RECENT_COUNTS.clear()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/claims/?vendor=meta&page_size=5&page=3").json()
    assert any("COUNT(*)" in q["sql"] for q in queries)
    assert again["count"] == first["count"]


def test_a_pages_ids_are_chosen_joining_only_what_its_filters_and_order_name(catalogue) -> None:  # type: ignore[no-untyped-def]
    def ids_query(path: str) -> str:
        with CaptureQueriesContext(connection) as queries:
            assert APIClient().get(path).status_code == 200
        chosen = [
            q["sql"]
            for q in queries
            if re.match(r'SELECT (DISTINCT )?"releases_claim"."id" AS "pk" FROM', q["sql"])
        ]
        assert len(chosen) == 1, [q["sql"] for q in queries]
        return chosen[0]

    assert "JOIN" not in ids_query("/api/v1/claims/?page_size=5")
    by_vendor = ids_query("/api/v1/claims/?page_size=5&vendor=meta&nonce=1")
    assert '"releases_vendor"' in by_vendor
    assert '"releases_citation"' not in by_vendor and '"releases_benchmark"' not in by_vendor
    by_gap = ids_query("/api/v1/claims/?page_size=5&ordering=gap&nonce=2")
    assert '"releases_gapscore"' in by_gap and '"releases_vendor"' not in by_gap
