"""The database itself rejects bad rows (IntegrityError), whatever wrote them.

The suite runs on PostgreSQL (`make test`); `test_the_suite_runs_on_postgresql` makes sure of it.
The SQLite triggers are exercised by the run-path test in test_run_path.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from releases.models import (
    Benchmark,
    Citation,
    Claim,
    Measurement,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    Vendor,
)
from tests.factories import (
    BenchmarkFactory,
    CitationFactory,
    ClaimFactory,
    MeasurementFactory,
    ReleaseFactory,
    SourceFactory,
    VariantFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


def rejected(make) -> None:  # type: ignore[no-untyped-def]
    """Run `make` in a savepoint and require the database to refuse it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_suite_runs_on_postgresql() -> None:
    assert connection.vendor == "postgresql", "run the suite with `make test` (PostgreSQL)"


# --- unique slugs -----------------------------------------------------------------------------


def test_slugs_are_unique() -> None:
    vendor = VendorFactory(slug="meta")
    rejected(lambda: Vendor.objects.create(name="Meta again", slug="meta"))
    release = ReleaseFactory(slug="llama-4-maverick", vendor=vendor)
    rejected(
        lambda: ModelRelease.objects.create(vendor=vendor, name="Other", slug="llama-4-maverick")
    )
    VariantFactory(slug="maverick-instruct", release=release)
    rejected(
        lambda: ModelVariant.objects.create(release=release, name="Other", slug="maverick-instruct")
    )
    BenchmarkFactory(slug="gpqa-diamond")
    rejected(lambda: Benchmark.objects.create(slug="gpqa-diamond", name="GPQA", unit="percent"))


def test_an_alias_means_one_variant_globally_and_per_source() -> None:
    variant, other = VariantFactory(), VariantFactory()
    source = SourceFactory()
    ModelAlias.objects.create(name="Llama 4 Maverick", variant=variant)
    # Normalised: case and spacing do not make a new name.
    rejected(lambda: ModelAlias.objects.create(name="llama  4 maverick", variant=other))
    ModelAlias.objects.create(name="maverick", variant=variant, source=source)
    rejected(lambda: ModelAlias.objects.create(name="Maverick", variant=other, source=source))


# --- measurements -----------------------------------------------------------------------------


def test_one_measurement_per_source_name_benchmark_conditions_and_date() -> None:
    first = MeasurementFactory(raw_model_name="llama-4-maverick", conditions={"shots": 0})
    duplicate = {
        "source": first.source,
        "snapshot": first.snapshot,
        "benchmark": first.benchmark,
        "raw_model_name": "llama-4-maverick",
        "value": 51.0,
        "as_of": first.as_of,
        "evaluator": "x",
    }
    # Same conditions written in another order and case are the same conditions.
    rejected(lambda: Measurement.objects.create(**duplicate, conditions={"SHOTS": 0}))
    # Other conditions or another date are another measurement.
    Measurement.objects.create(**duplicate, conditions={"shots": 5})
    Measurement.objects.create(
        **{**duplicate, "as_of": dt.date(2025, 5, 24)}, conditions={"shots": 0}
    )


def test_an_uncertainty_interval_must_contain_its_value() -> None:
    rejected(lambda: MeasurementFactory(value=50.0, ci_low=51.0, ci_high=60.0))
    rejected(lambda: MeasurementFactory(value=50.0, ci_low=40.0, ci_high=49.0))
    rejected(lambda: MeasurementFactory(value=50.0, std_error=-1.0))
    rejected(lambda: MeasurementFactory(value=50.0, sample_size=0))
    assert MeasurementFactory(value=50.0, ci_low=40.0, ci_high=60.0).pk


def test_a_measurement_must_lie_within_its_benchmark_bounds() -> None:
    percent = BenchmarkFactory(min_value=0, max_value=100)
    rejected(lambda: MeasurementFactory(benchmark=percent, value=100.5))
    rejected(lambda: MeasurementFactory(benchmark=percent, value=-0.1))
    inside = MeasurementFactory(benchmark=percent, value=100.0)
    # Updates are checked too, not only inserts.
    rejected(lambda: Measurement.objects.filter(pk=inside.pk).update(value=140.0))
    unbounded = BenchmarkFactory(unit=Benchmark.Unit.ELO, min_value=None, max_value=None)
    assert MeasurementFactory(benchmark=unbounded, value=1416.6).pk


def test_the_bulk_upsert_is_held_to_the_bounds_on_insert_and_on_update() -> None:
    """The import's one-statement upsert (INSERT ... ON CONFLICT DO UPDATE) is checked too: on
    PostgreSQL by the statement-level triggers, once per statement over the rows written."""
    from django.utils import timezone

    from releases.services.measurement_upsert import MeasurementRecord, measurements_upsert

    percent = BenchmarkFactory(min_value=0, max_value=100)
    stored = MeasurementFactory(benchmark=percent, value=50.0)

    def record(value: float, name: str) -> MeasurementRecord:
        return MeasurementRecord(
            benchmark_id=percent.pk,
            raw_model_name=name,
            variant_id=None,
            value=value,
            ci_low=None,
            ci_high=None,
            std_error=None,
            sample_size=None,
            conditions=stored.conditions,
            conditions_key=stored.conditions_key,
            as_of=stored.as_of,
            evaluator="x",
            metadata={},
        )

    def upsert(*records: MeasurementRecord) -> None:
        measurements_upsert(
            source_id=stored.source_id,
            snapshot_id=stored.snapshot_id,
            records=list(records),
            now=timezone.now(),
        )

    rejected(lambda: upsert(record(40.0, "fine"), record(140.0, "new, out of bounds")))
    rejected(lambda: upsert(record(140.0, stored.raw_model_name)))  # an update
    assert Measurement.objects.get(pk=stored.pk).value == 50.0
    assert not Measurement.objects.filter(raw_model_name="fine").exists()
    upsert(record(60.0, stored.raw_model_name), record(70.0, "fine"))
    assert Measurement.objects.get(pk=stored.pk).value == 60.0


def test_narrowing_a_benchmarks_bounds_cannot_strand_stored_values() -> None:
    benchmark = BenchmarkFactory(min_value=0, max_value=100)
    MeasurementFactory(benchmark=benchmark, value=80.0)
    rejected(lambda: Benchmark.objects.filter(pk=benchmark.pk).update(max_value=1.0))
    Benchmark.objects.filter(pk=benchmark.pk).update(max_value=90.0)


# --- claims -----------------------------------------------------------------------------------


def test_a_claims_stated_value_must_lie_within_its_benchmark_bounds() -> None:
    percent = BenchmarkFactory(min_value=0, max_value=100)
    rejected(lambda: ClaimFactory(benchmark=percent, stated_value=698.0))


def test_a_published_claim_needs_a_citation_and_a_quote() -> None:
    rejected(lambda: ClaimFactory(status=Claim.Status.PUBLISHED, citation=None))
    rejected(lambda: ClaimFactory(status=Claim.Status.PUBLISHED, quote=""))
    draft = ClaimFactory(status=Claim.Status.DRAFT, citation=None, quote="")
    rejected(lambda: Claim.objects.filter(pk=draft.pk).update(status=Claim.Status.PUBLISHED))


def test_a_claim_known_from_reporting_may_rest_on_the_reportings_words() -> None:
    reporting = CitationFactory(is_secondary=True, primary_url="https://example.org/post")
    # The reporting quoted none of the vendor's words: its own sentence is the evidence.
    claim = ClaimFactory(
        status=Claim.Status.PUBLISHED, citation=reporting, quote="", reported_text="It said 9."
    )
    assert claim.pk
    rejected(lambda: Claim.objects.filter(pk=claim.pk).update(reported_text=""))


def test_a_quotes_byte_range_has_both_ends_in_order() -> None:
    rejected(lambda: ClaimFactory(quote_start=10, quote_end=None))
    rejected(lambda: ClaimFactory(quote_start=10, quote_end=5))
    assert ClaimFactory(quote_start=10, quote_end=10).pk


def test_a_numeric_claim_needs_a_benchmark_and_a_value() -> None:
    rejected(lambda: ClaimFactory(kind=Claim.Kind.BENCHMARK_SCORE, benchmark=None))
    rejected(lambda: ClaimFactory(kind=Claim.Kind.CONTEXT_WINDOW, stated_value=None))
    comparison = ClaimFactory(kind=Claim.Kind.COMPARISON, benchmark=None, stated_value=None)
    assert comparison.pk


def test_a_secondary_citation_names_the_primary_page() -> None:
    rejected(lambda: CitationFactory(is_secondary=True, primary_url=""))
    assert CitationFactory(is_secondary=True, primary_url="https://ai.meta.com/blog/").pk


def test_the_same_document_version_is_cited_once() -> None:
    citation = CitationFactory()
    citation.archive(b"# Model card\n")
    citation.save()
    twin = Citation(url=citation.url, title="again")
    twin.archive(b"# Model card\n")
    rejected(twin.save)
    newer = Citation(url=citation.url, title="edited card")
    newer.archive(b"# Model card, edited\n")
    newer.save()


# --- releases ---------------------------------------------------------------------------------


def test_active_parameters_cannot_exceed_the_total() -> None:
    rejected(lambda: ReleaseFactory(total_params_b=109, active_params_b=400))
    assert ReleaseFactory(total_params_b=400, active_params_b=17).pk
