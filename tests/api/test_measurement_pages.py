"""Measurements are paged by cursor on their ids first: a page's ids (and the ordering's
columns, all a cursor reads) are chosen joined only to what a filter names, then each
measurement's representation is taken from the per-item cache or serialized, by id. On every
bundled snapshot, imported as `make run` does."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from releases.api.representations import RECENT
from releases.models import Measurement, ModelRelease, ModelVariant, Snapshot
from releases.services.data_version import data_version_advance_now

BENCHMARK = "gpqa-diamond"


def walk(client: APIClient, path: str) -> list[dict[str, Any]]:
    """Every item of a cursor listing, following its `next` links."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"}
        items.extend(body["results"])
        url = body["next"]
    return items


def test_cursor_pages_hold_every_measurement_once_in_order(real_data, db) -> None:  # type: ignore[no-untyped-def]
    expected = list(
        Measurement.objects.filter(benchmark__slug=BENCHMARK)
        .order_by("-id")
        .values_list("id", flat=True)
    )
    assert len(expected) > 25  # several pages of 10
    client = APIClient()
    walked = walk(client, f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=10")
    assert [item["id"] for item in walked] == expected
    by_date = walk(
        client, f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=10&ordering=as_of"
    )
    assert sorted(item["id"] for item in by_date) == sorted(expected)
    dates = [item["as_of"] for item in by_date]
    assert dates == sorted(dates)


def test_a_listed_measurement_is_what_its_own_page_shows(real_data, db) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    listed = client.get(f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=8").json()
    assert len(listed["results"]) == 8
    for item in listed["results"]:
        assert client.get(f"/api/v1/measurements/{item['id']}/").json() == item
    # CSV reads the same representations: one row per listed measurement, in order.
    csv = client.get(f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=8&format=csv")
    lines = csv.content.decode().splitlines()
    header = lines[0].split(",")
    ids = [line.split(",")[header.index("id")] for line in lines[1:]]
    assert ids == [str(item["id"]) for item in listed["results"]]


def test_a_page_reads_only_the_rows_of_measurements_not_already_encoded(real_data, db) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    first = client.get(f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=20").json()
    # Another URL (not the cached response) listing the same measurements.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(
            f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=20&evaluator="
        ).json()
    assert again["results"] == first["results"]
    sql = [q["sql"] for q in queries if "releases_measurement" in q["sql"]]
    assert len(sql) == 1, sql  # the ids, and no row
    # The ids are chosen from the measurements alone: the slug was read as an id.
    assert "JOIN" not in sql[0]
    # Forgotten by the process and the shared cache: the rows are read again, by id.
    cache.clear()
    RECENT.clear()
    with CaptureQueriesContext(connection) as queries:
        fresh = client.get(
            f"/api/v1/measurements/?benchmark={BENCHMARK}&page_size=20&evaluator=&n=1"
        ).json()
    assert fresh["results"] == first["results"]
    assert any('"releases_snapshot"' in q["sql"] for q in queries)


def test_snapshot_pages_in_an_order_with_ties_hold_every_snapshot_once(real_data, db) -> None:  # type: ignore[no-untyped-def]
    expected = sorted(Snapshot.objects.values_list("id", flat=True))
    assert len(expected) > 10
    walked = walk(APIClient(), "/api/v1/snapshots/?ordering=fetched_at&page_size=4")
    assert sorted(item["id"] for item in walked) == expected
    assert len(walked) == len(expected)


def test_slug_filters_compare_ids_and_read_a_renamed_slug_at_the_next_version(
    real_data, db
) -> None:  # type: ignore[no-untyped-def]
    measured = Measurement.objects.filter(variant__isnull=False).select_related(
        "variant__release", "benchmark"
    )[0]
    release = measured.variant.release
    old_slug = release.slug
    expected = set(
        Measurement.objects.filter(
            variant__release=release, benchmark=measured.benchmark
        ).values_list("id", flat=True)
    )
    client = APIClient()

    def listed(slug: str) -> set[int]:
        body = client.get(
            f"/api/v1/measurements/?release={slug}&benchmark={measured.benchmark.slug}"
        ).json()
        return {item["id"] for item in body["results"]}

    with CaptureQueriesContext(connection) as queries:
        assert listed(old_slug) == expected
    ids_query = 'SELECT "releases_measurement"."id" AS "id", "releases_measurement"."as_of"'
    chosen = [q["sql"] for q in queries if q["sql"].startswith(ids_query)]
    assert len(chosen) == 1
    # Nor joined to the variants: the release was read as its variants' ids.
    joined = ('"releases_modelrelease"', '"releases_benchmark"', '"releases_modelvariant"')
    assert not any(table in chosen[0] for table in joined), chosen[0]
    assert listed("no-such-release") == set()
    # A rename is an edit: it advances the data version once its transaction commits, and
    # slugs are read again under the new version. This test's transaction never commits, and
    # may already hold an advance from the data's setup (one per transaction): advance here
    # as that commit would (without this, the test failed when run alone).
    release.slug = f"{old_slug}-renamed"
    release.save()
    data_version_advance_now()  # forgets this process's copy of the version too
    assert listed(f"{old_slug}-renamed") == expected
    assert listed(old_slug) == set()
    # A new variant is an edit too: its measurements are listed under the release at once.
    other = Measurement.objects.filter(benchmark=measured.benchmark).exclude(
        variant__release=release
    )[0]
    variant = ModelVariant.objects.create(release=release, name="new build", slug="new-build")
    Measurement.objects.filter(pk=other.pk).update(variant=variant)
    data_version_advance_now()
    assert listed(f"{old_slug}-renamed") == expected | {other.pk}
    # A release without variants lists nothing.
    bare = ModelRelease.objects.create(
        vendor=release.vendor,
        name="No variants yet",
        slug="no-variants-yet",
        announced_on=release.announced_on,
    )
    assert listed(bare.slug) == set()
