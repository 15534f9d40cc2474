"""Free-text search over a few text columns: PostgreSQL's full text search where the database is
PostgreSQL (stemmed words, `websearch` syntax: "quoted phrases", -exclusions, or), a
case-insensitive match of every word on SQLite."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

# English stemming suits model cards and quotes; names match whole words either way.
SEARCH_CONFIG = "english"


def text_search(queryset: QuerySet, *, fields: Sequence[str], text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.annotate(_search=SearchVector(*fields, config=SEARCH_CONFIG)).filter(
            _search=SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        )
    matches = Q()
    for word in text.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        matches &= any_field
    return queryset.filter(matches).distinct()
