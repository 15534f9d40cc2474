"""What `import_bundled` (as `make run` runs it) leaves in the database: every bundled snapshot,
read on the real data state (`real_data`: the curated data and every bundled file imported by
`bundled_snapshots_import`, then scored), so the import runs once per test process, not per test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from releases.models import Measurement, Snapshot
from releases.services.bundled import bundled_snapshots_import
from tests.services.test_leaderboard_import import LEADERBOARDS, LLAMA_4_NAMES

pytestmark = pytest.mark.usefixtures("real_data")


def test_every_bundled_snapshot_resolves_the_llama_4_names(db) -> None:  # type: ignore[no-untyped-def]
    for raw_name, variant_slug in LLAMA_4_NAMES.items():
        measurements = Measurement.objects.filter(raw_model_name=raw_name)
        assert measurements.exists(), raw_name
        assert set(measurements.values_list("variant__slug", flat=True)) == {variant_slug}, raw_name
    # A second run finds every body already imported.
    again = bundled_snapshots_import(leaderboards_dir=LEADERBOARDS)
    assert again and {s.status for s in again} == {"unchanged"}


def test_bundled_files_without_dates_take_the_date_of_their_copy(db) -> None:  # type: ignore[no-untyped-def]
    # leaderboard-text.json names no date; SOURCES.md dates its copy 2025-12-11.
    snapshot = Snapshot.objects.get(file_name="leaderboard-text.json")
    assert snapshot.as_of == dt.date(2025, 12, 11)
    maverick = Measurement.objects.get(
        snapshot=snapshot,
        raw_model_name="llama-4-maverick-17b-128e-instruct",
        benchmark__slug="lmarena-text",
        conditions_key="{}",
    )
    assert maverick.value == pytest.approx(1288.7, abs=0.05)
    assert maverick.as_of == dt.date(2025, 12, 11)


def test_a_bundled_import_reads_every_batch3_family(db) -> None:  # type: ignore[no-untyped-def]
    def rows(source: str) -> int:
        return Snapshot.objects.filter(source__slug=source).aggregate(n=Sum("rows_parsed"))["n"]

    assert rows("eee-helm-capabilities") == 340
    assert rows("eee-helm-mmlu") == 15
    assert rows("eee-helm-lite") == 272
    assert rows("eee-hfopenllm-v2") == 314
    assert rows("swallow") == 1598
    assert rows("zeroeval") == 55 + 44 + 38 + 60
    # ZeroEval and Swallow carry no dates: they take the dates of their copies.
    assert set(
        Measurement.objects.filter(source__slug="swallow").values_list("as_of", flat=True)
    ) == {dt.date(2026, 5, 7)}
    assert Measurement.objects.filter(source__slug="zeroeval", benchmark__slug="gsm8k").values_list(
        "as_of", flat=True
    ).distinct().get() == dt.date(2024, 9, 15)
    # Epoch's whole export: no row a developer reported is a measurement.
    epoch = Measurement.objects.filter(source__slug="epoch")
    assert epoch.filter(benchmark__slug="math-level-5").count() == 108
    assert epoch.filter(benchmark__slug="mmlu", evaluator="Stanford CRFM HELM").count() == 60
    assert not epoch.filter(metadata__source__icontains="report").exists()
    assert not epoch.filter(benchmark__slug__in=["bbh", "hle", "arc-agi-2"]).exists()
