"""Pages for bounded lists, cursors for the lists that grow without bound.

A page number is handy for vendors, releases, benchmarks and claims (hundreds to thousands of
rows, browsed and jumped into). Measurements, snapshots and gap history grow with every import:
a cursor keeps each page one indexed range scan however deep the reader goes, and never skips or
repeats a row when new ones arrive between two pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import BasePagination, CursorPagination, PageNumberPagination
from rest_framework.request import Request

from releases.api.renderers import EncodedJSON, JSONRenderer
from releases.api.representations import kept_count


class PagePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    page_size_query_description = "Items per page (at most the server's API_MAX_PAGE_SIZE, 200)."

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE


class CountKeptPaginator(DjangoPaginator):
    """Django's paginator, its count kept in the cache under `count_key` when given."""

    def __init__(self, *args: Any, count_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        def counted() -> int:
            return int(DjangoPaginator.count.func(self))  # type: ignore[attr-defined]

        if self.count_key is None:
            return counted()
        return kept_count(self.count_key, counted)


class IdsFirstPagePagination(PagePagination):
    """Page numbers over a wide queryset: the page's ids are chosen on the sort columns alone,
    then only those rows are read, with their joins and prefetches.

    Sorting 10,000 claims by release and benchmark name with every joined column (vendor,
    variant, benchmark, citation) took 35 ms of an uncached 50-claim page; choosing the ids on
    the sort columns takes 10 ms, and reading 50 rows by id next to nothing."""

    _count_key: str | None = None

    def paginate_ids(
        self, queryset: QuerySet, request: Request, view: Any = None, *, count_key: str = ""
    ) -> list[int]:
        """The page's ids, in order: an ids query, and a count unless the cache holds it under
        `count_key` (every page of a listing has the same count; see `listing_count_key`)."""
        self._count_key = count_key or None
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        return list(ids or [])

    def django_paginator_class(self, object_list: Any, per_page: int) -> DjangoPaginator:  # type: ignore[override]
        return CountKeptPaginator(object_list, per_page, count_key=self._count_key)

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any] | None:
        ids = self.paginate_ids(queryset, request, view)
        rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
        return [rows[pk] for pk in ids if pk in rows]


def paginated_json(paginator: BasePagination, encoded_items: list[bytes]) -> EncodedJSON:
    """The JSON of `paginator.get_paginated_response(items)` from the items' encodings, for
    any of DRF's paginators once it has chosen the page: its own keys (a count, the links),
    then the results, last, as DRF writes them."""
    data = paginator.get_paginated_response([]).data
    assert list(data)[-1] == "results", list(data)
    head = JSONRenderer().render({key: value for key, value in data.items() if key != "results"})
    opening = head[:-1] + (b"," if head != b"{}" else b"")
    return EncodedJSON(opening + b'"results":[' + b",".join(encoded_items) + b"]}")


class NewestFirstCursorPagination(CursorPagination):
    """Cursor over a unique, indexed ordering; the views set `ordering` for their model."""

    page_size = 50
    page_size_query_param = "page_size"
    ordering: str | tuple[str, ...] = "-id"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE


class MeasurementCursorPagination(NewestFirstCursorPagination):
    ordering = "-id"


class SnapshotCursorPagination(NewestFirstCursorPagination):
    ordering = ("-fetched_at", "-id")


class GapHistoryCursorPagination(NewestFirstCursorPagination):
    ordering = ("-computed_at", "-id")
