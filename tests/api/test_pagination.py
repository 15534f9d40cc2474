"""Claims are paged on their ids first (`IdsFirstPagePagination`): every page holds exactly the
claims the ordered list has at that place, in that order, on the curated claims."""

from __future__ import annotations

from rest_framework.test import APIClient

from releases.models import Claim


def test_each_page_is_the_ordered_lists_slice_in_order(catalogue) -> None:  # type: ignore[no-untyped-def]
    ordered = list(
        Claim.objects.filter(status=Claim.Status.PUBLISHED)
        .order_by("release__name", "benchmark__name", "id")
        .values_list("id", flat=True)
    )
    client = APIClient()
    seen: list[int] = []
    for page in (1, 2, 3):
        body = client.get(f"/api/v1/claims/?page_size=40&page={page}").json()
        assert body["count"] == len(ordered)
        seen.extend(item["id"] for item in body["results"])
    assert seen == ordered[:120]


def test_ordering_and_filters_apply_before_the_page_is_chosen(catalogue) -> None:  # type: ignore[no-untyped-def]
    query = "/api/v1/claims/?vendor=meta&ordering=-stated_value"
    client = APIClient()
    whole = [item["id"] for item in client.get(f"{query}&page_size=200").json()["results"]]
    assert len(whole) > 20
    page = client.get(f"{query}&page_size=10&page=2").json()["results"]
    assert [item["id"] for item in page] == whole[10:20]
    values = [item["stated_value"] for item in page]
    assert values == sorted(values, key=lambda v: (v is None, -(v or 0)))
