"""factory_boy factories for the domain, with realistic defaults."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from releases import models


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ModelRelease

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Model {n}")
    slug = factory.Sequence(lambda n: f"model-{n}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ModelVariant

    release = factory.SubFactory(ReleaseFactory)
    name = factory.Sequence(lambda n: f"Model {n} Instruct")
    slug = factory.Sequence(lambda n: f"model-{n}-instruct")
    kind = models.ModelVariant.Kind.INSTRUCT
    is_public = True


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Benchmark

    slug = factory.Sequence(lambda n: f"bench-{n}")
    name = factory.Sequence(lambda n: f"Bench {n}")
    unit = models.Benchmark.Unit.PERCENT
    higher_is_better = True
    min_value = 0.0
    max_value = 100.0


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Citation

    url = factory.Sequence(lambda n: f"https://example.org/card-{n}.md")
    title = factory.Sequence(lambda n: f"Model card {n}")
    publisher = "Example"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Claim

    release = factory.SubFactory(ReleaseFactory)
    variant = factory.SubFactory(VariantFactory, release=factory.SelfAttribute("..release"))
    kind = models.Claim.Kind.BENCHMARK_SCORE
    benchmark = factory.SubFactory(BenchmarkFactory)
    stated_value = 69.8
    stated_text = "69.8"
    quote = "GPQA Diamond | 0 | accuracy | 69.8"
    citation = factory.SubFactory(CitationFactory)
    status = models.Claim.Status.PUBLISHED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LeaderboardSource
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    name = factory.Sequence(lambda n: f"Source {n}")
    importer = factory.SelfAttribute("slug")
    evaluator = "Example Evals"
    live_url = factory.Sequence(lambda n: f"https://example.org/leaderboard-{n}.json")


class SnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Snapshot

    source = factory.SubFactory(SourceFactory)
    fetched_at = factory.LazyFunction(timezone.now)
    status = models.Snapshot.Status.IMPORTED
    sha256 = "0" * 64
    raw = b"{}"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Measurement

    snapshot = factory.SubFactory(SnapshotFactory)
    source = factory.SelfAttribute("snapshot.source")
    benchmark = factory.SubFactory(BenchmarkFactory)
    raw_model_name = factory.Sequence(lambda n: f"model-{n}")
    value = 50.0
    as_of = dt.date(2025, 4, 7)
    evaluator = "Example Evals"
