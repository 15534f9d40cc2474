"""Pages for bounded lists, cursors for the lists that grow without bound.

A page number is handy for vendors, releases, benchmarks and claims (hundreds to thousands of
rows, browsed and jumped into). Measurements, snapshots and gap history grow with every import:
a cursor keeps each page one indexed range scan however deep the reader goes, and never skips or
repeats a row when new ones arrive between two pages.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    page_size_query_description = "Items per page (at most the server's API_MAX_PAGE_SIZE, 200)."

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return settings.API_MAX_PAGE_SIZE


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
