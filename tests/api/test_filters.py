"""One case per filter, on data where the filter keeps some rows and drops others."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from releases.api.filters import ClaimFilter
from releases.models import Claim
from tests.api.conftest import OLD_SHA256, World, results

# (filter query, the claim names it must return, exactly). Names: attributes of World.
CLAIM_FILTERS = [
    ("vendor=meta", {"gpqa_claim", "arena_claim"}),
    ("release=rocket", {"rocket_claim"}),
    ("variant=maverick-exp", {"arena_claim"}),
    ("benchmark=gpqa-diamond", {"gpqa_claim", "rocket_claim"}),
    ("kind=arena_rating", {"arena_claim"}),
    ("verdict=overstated", {"gpqa_claim"}),
    ("verdict=holds&verdict=unverified", {"arena_claim", "rocket_claim"}),
    ("flag=variant_mismatch", {"arena_claim"}),
    ("review=confirmed", {"gpqa_claim"}),
    ("review=proposed", {"arena_claim", "rocket_claim"}),
    ("gap_min=5", {"gpqa_claim"}),
    ("gap_max=0.5", {"arena_claim"}),
    ("z_min=1", {"gpqa_claim"}),
    ("z_max=1", {"arena_claim"}),
    ("claimed_after=2025-01-01", {"gpqa_claim", "arena_claim"}),
    ("claimed_before=2024-12-31", {"rocket_claim"}),
    ("search=forty", {"rocket_claim"}),
    ("search=Maverick GPQA", {"gpqa_claim"}),
]


@pytest.mark.parametrize(("query", "expected"), CLAIM_FILTERS, ids=[q for q, _ in CLAIM_FILTERS])
def test_each_claim_filter_keeps_exactly_the_matching_claims(
    anonymous: APIClient, world: World, query: str, expected: set[str]
) -> None:
    found = {item["id"] for item in results(anonymous.get(f"/api/v1/claims/?{query}"))}
    assert found == {getattr(world, name).pk for name in expected}


def test_the_citation_filter_keeps_the_claims_of_one_document(
    anonymous: APIClient, world: World
) -> None:
    citation = world.rocket_claim.citation_id
    found = {item["id"] for item in results(anonymous.get(f"/api/v1/claims/?citation={citation}"))}
    assert found == {world.rocket_claim.pk}  # the draft of the same document is not public


def test_drafts_are_listed_to_analysts_only(
    anonymous: APIClient, analyst_client: APIClient, world: World
) -> None:
    assert results(anonymous.get("/api/v1/claims/?status=draft")) == []
    found = {item["id"] for item in results(analyst_client.get("/api/v1/claims/?status=draft"))}
    assert found == {world.draft_claim.pk}


@pytest.mark.parametrize(
    ("ordering", "first", "last"),
    [
        ("gap", "arena_claim", "rocket_claim"),
        ("-z", "gpqa_claim", "rocket_claim"),
        ("-announced_on", "gpqa_claim", "rocket_claim"),
    ],
)
def test_claims_can_be_ordered(
    anonymous: APIClient, world: World, ordering: str, first: str, last: str
) -> None:
    ids = [item["id"] for item in results(anonymous.get(f"/api/v1/claims/?ordering={ordering}"))]
    assert (ids[0], ids[-1]) == (getattr(world, first).pk, getattr(world, last).pk)


MEASUREMENT_FILTERS = [
    ("benchmark=gpqa-diamond", {"m_gpqa_maverick", "m_gpqa_rocket"}),
    ("variant=rocket-base", {"m_gpqa_rocket"}),
    ("release=llama-4-maverick", {"m_gpqa_maverick", "m_arena_maverick"}),
    ("source=lmarena-text", {"m_arena_maverick", "m_unresolved"}),
    ("evaluator=epoch ai", {"m_gpqa_maverick", "m_gpqa_rocket"}),
    ("as_of_after=2025-04-08", {"m_gpqa_maverick"}),
    ("as_of_before=2024-12-31", {"m_gpqa_rocket"}),
    ("resolved=false", {"m_unresolved"}),
    ("resolved=true", {"m_gpqa_maverick", "m_gpqa_rocket", "m_arena_maverick"}),
    ("search=mystery", {"m_unresolved"}),
]


@pytest.mark.parametrize(
    ("query", "expected"), MEASUREMENT_FILTERS, ids=[q for q, _ in MEASUREMENT_FILTERS]
)
def test_each_measurement_filter_keeps_exactly_the_matching_measurements(
    anonymous: APIClient, world: World, query: str, expected: set[str]
) -> None:
    found = {item["id"] for item in results(anonymous.get(f"/api/v1/measurements/?{query}"))}
    assert found == {getattr(world, name).pk for name in expected}


def test_the_snapshot_filter_keeps_the_measurements_one_snapshot_wrote(
    anonymous: APIClient, world: World
) -> None:
    found = {
        item["id"]
        for item in results(
            anonymous.get(f"/api/v1/measurements/?snapshot={world.old_snapshot.pk}")
        )
    }
    assert found == {world.m_gpqa_maverick.pk, world.m_gpqa_rocket.pk}


def test_used_by_claim_lists_the_measurements_behind_the_current_verdict(
    anonymous: APIClient, world: World
) -> None:
    found = results(anonymous.get(f"/api/v1/measurements/?used_by_claim={world.gpqa_claim.pk}"))
    assert [item["id"] for item in found] == [world.m_gpqa_maverick.pk]


def test_ids_lists_the_named_measurements(anonymous: APIClient, world: World) -> None:
    ids = f"{world.m_gpqa_rocket.pk},{world.m_unresolved.pk}"
    found = {item["id"] for item in results(anonymous.get(f"/api/v1/measurements/?ids={ids}"))}
    assert found == {world.m_gpqa_rocket.pk, world.m_unresolved.pk}


OTHER_FILTERS: list[tuple[str, str, set[str]]] = [
    ("releases", "vendor=acme", {"rocket"}),
    ("releases", "architecture=moe", {"llama-4-maverick"}),
    ("releases", "announced_after=2025-01-01", {"llama-4-maverick"}),
    ("releases", "announced_before=2024-12-31", {"rocket"}),
    ("releases", "search=rocket", {"rocket"}),
    ("variants", "release=rocket", {"rocket-base"}),
    ("variants", "kind=experimental", {"maverick-exp"}),
    ("variants", "is_public=false", {"maverick-exp"}),
    ("benchmarks", "unit=elo", {"lmarena-text"}),
    ("benchmarks", "search=GPQA", {"gpqa-diamond"}),
    ("vendors", "search=acme", {"acme"}),
]


@pytest.mark.parametrize(
    ("endpoint", "query", "expected"), OTHER_FILTERS, ids=[f"{e}?{q}" for e, q, _ in OTHER_FILTERS]
)
def test_each_catalogue_filter_keeps_exactly_the_matching_rows(
    anonymous: APIClient, world: World, endpoint: str, query: str, expected: set[str]
) -> None:
    found = {item["slug"] for item in results(anonymous.get(f"/api/v1/{endpoint}/?{query}"))}
    assert found == expected


def test_sources_filter_on_enabled(anonymous: APIClient, world: World) -> None:
    world.evals_source.enabled = False
    world.evals_source.save()
    found = {item["slug"] for item in results(anonymous.get("/api/v1/sources/?enabled=false"))}
    assert found == {"evals"}


SNAPSHOT_FILTERS = [
    ("source=evals", {"old_snapshot"}),
    ("status=failed", {"new_snapshot"}),
    ("sha256=" + OLD_SHA256, {"old_snapshot"}),
]


@pytest.mark.parametrize(
    ("query", "expected"), SNAPSHOT_FILTERS, ids=[q[:20] for q, _ in SNAPSHOT_FILTERS]
)
def test_each_snapshot_filter_keeps_exactly_the_matching_snapshots(
    anonymous: APIClient, world: World, query: str, expected: set[str]
) -> None:
    found = {item["id"] for item in results(anonymous.get(f"/api/v1/snapshots/?{query}"))}
    assert found == {getattr(world, name).pk for name in expected}


def test_snapshots_filter_on_their_fetch_date(anonymous: APIClient, world: World) -> None:
    cut = (world.old_snapshot.fetched_at.replace(microsecond=0)).isoformat().replace("+00:00", "Z")
    before = {
        item["id"] for item in results(anonymous.get("/api/v1/snapshots/", {"fetched_before": cut}))
    }
    after = {
        item["id"] for item in results(anonymous.get("/api/v1/snapshots/", {"fetched_after": cut}))
    }
    assert before == set() or before == {world.old_snapshot.pk}
    assert world.new_snapshot.pk in after and world.new_snapshot.pk not in before


def test_track_record_by_year_counts_only_that_years_releases(
    anonymous: APIClient, world: World
) -> None:
    rows = {
        row["slug"]: row
        for row in results(anonymous.get("/api/v1/track-record/vendors/?year=2025"))
    }
    assert (rows["meta"]["claims"], rows["acme"]["claims"]) == (2, 0)
    rows = {
        row["slug"]: row
        for row in results(anonymous.get("/api/v1/track-record/vendors/?year=2024"))
    }
    assert (rows["meta"]["claims"], rows["acme"]["claims"]) == (0, 1)


def test_track_record_orders_by_a_share_with_empty_shares_last(
    anonymous: APIClient, world: World
) -> None:
    rows = results(anonymous.get("/api/v1/track-record/vendors/?ordering=-overstated_share"))
    assert [row["slug"] for row in rows] == ["meta", "acme"]
    assert rows[0]["overstated_share"] == 0.5 and rows[1]["overstated_share"] is None


def test_an_invalid_filter_value_is_a_400_in_the_error_format(
    anonymous: APIClient, world: World
) -> None:
    response = anonymous.get("/api/v1/claims/?verdict=splendid")
    assert response.status_code == 400
    body: dict[str, Any] = response.json()
    assert (body["status"], body["code"]) == (400, "invalid")
    assert "verdict" in body["errors"]


def test_a_list_that_names_no_filter_skips_the_filterset_and_one_that_does_not_is_filtered(
    anonymous: APIClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = ClaimFilter.__init__

    def counting_init(self: ClaimFilter, *args: Any, **kwargs: Any) -> None:
        built.append("filterset")
        original(self, *args, **kwargs)

    monkeypatch.setattr(ClaimFilter, "__init__", counting_init)
    unfiltered = anonymous.get("/api/v1/claims/?page_size=50").json()
    assert built == [] and unfiltered["count"] == Claim.objects.filter(status="published").count()
    by_gap = anonymous.get("/api/v1/claims/?gap_min=0").json()
    assert built == ["filterset"] and by_gap["count"] < unfiltered["count"]


def test_a_filter_sets_form_class_is_built_once_and_its_forms_share_nothing(db: Any) -> None:
    from releases.api.filters import MeasurementFilter

    assert MeasurementFilter().get_form_class() is MeasurementFilter().get_form_class()
    assert ClaimFilter().get_form_class() is not MeasurementFilter().get_form_class()
    refused = MeasurementFilter(data={"as_of_after": "not a date", "snapshot": "x"})
    accepted = MeasurementFilter(data={"as_of_after": "2025-01-01"})
    assert not refused.is_valid()
    assert set(refused.errors) == {"as_of_after", "snapshot"}
    assert accepted.is_valid(), accepted.errors
    assert accepted.form.fields["as_of_after"] is not refused.form.fields["as_of_after"]


def _every_filter_set() -> list[type]:
    from releases.api import filters as api_filters

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    found = [c for c in below(api_filters.FilterSet) if c.__module__ == api_filters.__name__]
    return [c for c in found if c._meta.model is not None]


@pytest.mark.parametrize("filter_set", _every_filter_set(), ids=lambda c: c.__name__)
def test_a_filter_set_sets_what_django_filters_own_init_sets_on_its_own_copies(
    db: Any, filter_set: type
) -> None:
    import django_filters.filterset

    data = {"search": "x"}
    ours = filter_set(data=data)
    stock = object.__new__(filter_set)
    django_filters.filterset.BaseFilterSet.__init__(stock, data=data)
    assert set(vars(ours)) == set(vars(stock))
    for name in vars(stock):
        if name not in ("filters", "queryset"):
            assert getattr(ours, name) == getattr(stock, name), name
    assert ours.queryset.model is stock.queryset.model
    other = filter_set(data=data)
    assert list(ours.filters) == list(stock.filters) == list(filter_set.base_filters)
    for name, filter_ in ours.filters.items():
        assert type(filter_) is type(stock.filters[name])
        # `_field` is the form field a filter builds on first use, copied along if built.
        assert vars(filter_).keys() - {"_field"} == vars(stock.filters[name]).keys() - {"_field"}
        assert filter_ is not filter_set.base_filters[name] and filter_ is not other.filters[name]
        assert filter_.parent is ours and other.filters[name].parent is other
        assert filter_.model is filter_set._meta.model
        if filter_.method is not None:  # finds its method through its own parent
            assert filter_.filter.f is filter_ and other.filters[name].filter.f is not filter_


def test_a_forms_fields_are_its_own_and_what_one_form_changes_stays_in_it(db: Any) -> None:
    from releases.api.filters import MeasurementFilter

    first, second = MeasurementFilter(data={}).form, MeasurementFilter(data={}).form
    form_class = MeasurementFilter().get_form_class()
    for name, field in first.fields.items():
        assert field is not second.fields[name] and field is not form_class.base_fields[name]
        assert type(field) is type(form_class.base_fields[name])
    first.fields["as_of_after"].required = True
    first.fields["as_of_after"].label = "changed"
    assert not second.fields["as_of_after"].required
    assert form_class.base_fields["as_of_after"].label != "changed"
    assert MeasurementFilter(data={}).is_valid()
