"""One builder per admin-registered model, for tests that walk the whole admin.

The factories in tests/factories.py cover most models; the rest are built here. Each builder
makes a new, distinct row every call, so a test can create several of a kind.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from django.db.models import Model
from django.utils import timezone

from releases import models
from tests import factories

_sequence = itertools.count(1)


def build_model_alias() -> models.ModelAlias:
    n = next(_sequence)
    return models.ModelAlias.objects.create(
        name=f"leaderboard-name-{n}", variant=factories.VariantFactory()
    )


def build_benchmark_alias() -> models.BenchmarkAlias:
    n = next(_sequence)
    return models.BenchmarkAlias.objects.create(
        name=f"Bench alias {n}", benchmark=factories.BenchmarkFactory()
    )


def build_reported_figure() -> models.ReportedFigure:
    n = next(_sequence)
    return models.ReportedFigure.objects.create(
        citation=factories.CitationFactory(),
        reported_by=factories.VendorFactory(),
        subject_name=f"Other model {n}",
        subject_release=factories.ReleaseFactory(),
        benchmark=factories.BenchmarkFactory(),
        value=61.5,
        value_text="61.5",
    )


def build_claim_revision() -> models.ClaimRevision:
    return models.ClaimRevision.objects.create(
        claim=factories.ClaimFactory(),
        field="stated_value",
        old_value=69.8,
        new_value=70.1,
        old_citation=factories.CitationFactory(),
        new_citation=factories.CitationFactory(),
    )


def build_alias_candidate() -> models.AliasCandidate:
    n = next(_sequence)
    return models.AliasCandidate.objects.create(
        source=factories.SourceFactory(),
        raw_name=f"model-{n}-fp8",
        suggested_variant=factories.VariantFactory(),
        score=91.0,
    )


def build_gap_score(claim: models.Claim | None = None, **fields: object) -> models.GapScore:
    values: dict[str, object] = {
        "claim": claim or factories.ClaimFactory(),
        "method_version": "1",
        "computed_at": timezone.now(),
        "as_of": dt.date(2025, 4, 7),
        "verdict": models.GapScore.Verdict.OVERSTATED,
        "gap": 4.2,
        "explanation": "The release scores 4.2 points below the stated value.",
    }
    values.update(fields)
    return models.GapScore.objects.create(**values)


BUILDERS: dict[type[Model], Callable[[], Model]] = {
    models.Vendor: factories.VendorFactory,
    models.ModelRelease: factories.ReleaseFactory,
    models.ModelVariant: factories.VariantFactory,
    models.ModelAlias: build_model_alias,
    models.Benchmark: factories.BenchmarkFactory,
    models.BenchmarkAlias: build_benchmark_alias,
    models.Citation: factories.CitationFactory,
    models.Claim: factories.ClaimFactory,
    models.ReportedFigure: build_reported_figure,
    models.ClaimRevision: build_claim_revision,
    models.LeaderboardSource: factories.SourceFactory,
    models.Snapshot: factories.SnapshotFactory,
    models.Measurement: factories.MeasurementFactory,
    models.AliasCandidate: build_alias_candidate,
    models.GapScore: build_gap_score,
}


def build(model: type[Model]) -> Model:
    try:
        builder = BUILDERS[model]
    except KeyError:
        raise AssertionError(
            f"No builder for {model.__name__}: add one to tests/admin/builders.py so the admin "
            "tests cover it."
        ) from None
    return builder()
