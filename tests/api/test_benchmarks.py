"""The benchmark resource says which benchmarks are only related (issue 13: "benchmarks (with
related benchmarks)"), on the curated catalogue."""

from __future__ import annotations

from rest_framework.test import APIClient

from releases.models import Benchmark


def test_a_benchmark_lists_the_benchmarks_only_related_to_it(catalogue) -> None:  # type: ignore[no-untyped-def]
    body = APIClient().get("/api/v1/benchmarks/gpqa-diamond/").json()

    assert body["related_to"] is None and body["relation"] == ""
    related = {item["slug"]: item for item in body["related_benchmarks"]}
    expected = Benchmark.objects.filter(related_to__slug="gpqa-diamond")
    assert set(related) == set(expected.values_list("slug", flat=True))
    assert "gpqa-main" in related
    main = Benchmark.objects.get(slug="gpqa-main")
    assert related["gpqa-main"]["relation"] == main.relation != ""
    assert related["gpqa-main"]["url"].endswith("/api/v1/benchmarks/gpqa-main/")


def test_a_related_benchmark_names_what_it_is_related_to_and_how(catalogue) -> None:  # type: ignore[no-untyped-def]
    body = APIClient().get("/api/v1/benchmarks/mmlu-redux/").json()

    assert body["related_to"]["slug"] == "mmlu"
    assert body["related_to"]["url"].endswith("/api/v1/benchmarks/mmlu/")
    assert body["relation"] == "verified_regrading"
    listed = {
        item["slug"]: item
        for item in APIClient().get("/api/v1/benchmarks/?page_size=500").json()["results"]
    }
    assert listed["mmlu-redux"]["related_to"]["slug"] == "mmlu"
    assert "mmlu-redux" in {b["slug"] for b in listed["mmlu"]["related_benchmarks"]}
