"""Every list answers in the same number of queries for 5 items as for 50: no N+1."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from releases.api.representations import RECENT_COUNTS
from releases.models import ClaimRevision, ModelAlias
from releases.services.data_version import data_version_forget_local
from tests import factories
from tests.api.conftest import score


def grow(n: int, *, start: int) -> dict[str, Any]:
    """n of everything each list shows, each with the relations its serializer reads."""
    vendor = None
    for i in range(start, start + n):
        vendor = factories.VendorFactory(slug=f"v{i}", name=f"V{i}")
        release = factories.ReleaseFactory(vendor=vendor, slug=f"r{i}", name=f"R{i}")
        variant = factories.VariantFactory(release=release, slug=f"r{i}-it", name=f"R{i} it")
        source = factories.SourceFactory(slug=f"s{i}", name=f"S{i}")
        ModelAlias.objects.create(name=f"r{i}-alias", variant=variant, source=source)
        benchmark = factories.BenchmarkFactory(slug=f"b{i}", name=f"B{i}")
        benchmark.aliases.create(name=f"B{i} alias")
        rival = factories.ReleaseFactory(vendor=vendor, slug=f"rival{i}", name=f"Rival{i}")
        claim = factories.ClaimFactory(release=release, variant=variant, benchmark=benchmark)
        claim.compared_with.add(rival)
        snapshot = factories.SnapshotFactory(source=source, sha256=f"{i:064d}")
        measurement = factories.MeasurementFactory(
            snapshot=snapshot, benchmark=benchmark, variant=variant, raw_model_name=f"r{i}"
        )
        score(claim, measurement_ids=[measurement.pk], flags=["single_source"])
    assert vendor is not None
    # One claim's history and revisions grow too.
    target = factories.ClaimFactory()
    for i in range(n):
        score(
            target, is_current=(i == 0), computed_at=timezone.now() - dt.timedelta(hours=i + start)
        )
        ClaimRevision.objects.create(
            claim=target,
            field="stated_value",
            old_value=i,
            new_value=i + 1,
            old_citation=factories.CitationFactory(title=f"version {start}-{i}"),
            new_citation=target.citation,
        )
    return {"target": target}


LISTS = [
    "/api/v1/vendors/",
    "/api/v1/releases/",
    "/api/v1/variants/",
    "/api/v1/benchmarks/",
    "/api/v1/aliases/",
    "/api/v1/claims/",
    "/api/v1/claims/?format=csv",
    "/api/v1/citations/",
    "/api/v1/measurements/",
    "/api/v1/measurements/?format=csv",
    "/api/v1/sources/",
    "/api/v1/snapshots/",
    "/api/v1/track-record/vendors/",
    "/api/v1/track-record/releases/",
    "/api/v1/track-record/vendors/?year=2025",
    "{target}gap-history/",
    "{target}revisions/",
]


def count_queries(client: APIClient, path: str, *, items: int) -> int:
    separator = "&" if "?" in path else "?"
    # Warm up once (the data-version row and content types are created or cached on first
    # use), then empty the response cache so the counted request runs the view.
    client.get(f"{path}{separator}page_size=200")
    cache.clear()
    # The data grew without an edit advancing the version (factories write directly): the
    # count this process kept for the version is forgotten with the shared cache's.
    RECENT_COUNTS.clear()
    data_version_forget_local()  # so that every counted request reads the version once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}{separator}page_size=200")
    assert response.status_code == 200, response.content[:300]
    if "format=csv" not in path:
        body = response.json()
        listed = body["results"] if isinstance(body, dict) else body
        assert len(listed) >= items, (path, len(listed))
    return len(queries)


@pytest.mark.parametrize("as_analyst", [False, True], ids=["anonymous", "analyst"])
def test_every_list_page_costs_the_same_queries_for_5_items_as_for_50(
    db: Any, analyst: Any, as_analyst: bool
) -> None:
    """One test over every list (building 50 of everything once per list would take minutes);
    the assertion names each list whose count moved."""
    client = APIClient()
    if as_analyst:
        _, token = AuthToken.objects.create(user=analyst)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    small = grow(5, start=0)
    with_5 = {
        path: count_queries(
            client, path.format(target=f"/api/v1/claims/{small['target'].pk}/"), items=5
        )
        for path in LISTS
    }
    big = grow(45, start=5)
    with_50 = {
        path: count_queries(
            client, path.format(target=f"/api/v1/claims/{big['target'].pk}/"), items=45
        )
        for path in LISTS
    }
    moved = {path: (with_5[path], with_50[path]) for path in LISTS if with_5[path] != with_50[path]}
    assert moved == {}
