"""Epoch's whole export: every file of a recognised layout, benchmarks from the catalogue, and
no row that a vendor reported about its own (or another's) model stored as a measurement."""

from __future__ import annotations

import pytest

from releases.importers import get_importer
from releases.importers.epoch import INDEPENDENT_SOURCES
from releases.names import normalize_name
from tests.importers.conftest import (
    BUNDLED,
    curated_benchmark_aliases,
    natural_keys,
    only,
    parse_result,
    parsed,
    read,
)
from tests.importers.test_epoch import zip_of

MAVERICK_FP8 = "Llama-4-Maverick-17B-128E-Instruct-FP8"
MAVERICK = "Llama-4-Maverick-17B-128E-Instruct"
SCOUT = "Llama-4-Scout-17B-16E-Instruct"

OWN_RUNS = {
    "math_level_5.csv": ("math-level-5", 108),
    "otis_mock_aime_2024_2025.csv": ("otis-mock-aime-2024-2025", 130),
    "frontiermath.csv": ("frontiermath", 89),
    "frontiermath_tier_4.csv": ("frontiermath-tier-4", 59),
    "simpleqa_verified.csv": ("simpleqa-verified", 41),
    "chess_puzzles.csv": ("chess-puzzles", 31),
}
EXTERNAL = {
    # file: (benchmark, rows kept, evaluators)
    "arc_agi_external.csv": ("arc-agi", 61, {"ARC Prize"}),
    "terminalbench_external.csv": ("terminal-bench-2", 69, {"Terminal-Bench"}),
    "mmlu_external.csv": ("mmlu", 60, {"Stanford CRFM HELM"}),
    "gsm8k_external.csv": ("gsm8k", 26, {"Stanford CRFM HELM"}),
    "bbh_external.csv": ("bbh", 0, set()),
    "hle_external.csv": ("hle", 0, set()),
    "arc_agi_2_external.csv": ("arc-agi-2", 0, set()),
}


@pytest.mark.parametrize(("name", "expected"), OWN_RUNS.items())
def test_files_of_epochs_own_runs_are_read_by_their_shared_header(
    name: str, expected: tuple[str, int]
) -> None:
    rows = parsed("epoch", f"epoch/{name}")
    assert ({row.benchmark for row in rows}, len(rows)) == ({expected[0]}, expected[1])
    assert {row.evaluator for row in rows} == {None}  # Epoch's own runs
    assert len(set(natural_keys(rows))) == len(rows)


def test_math_level_5_examples_of_sources_batch3() -> None:
    rows = parsed("epoch", "epoch/math_level_5.csv")
    maverick = only(rows, raw_model_name=MAVERICK_FP8)
    assert maverick.value == pytest.approx(73.01737160120846)
    assert maverick.std_error == pytest.approx(1.083573699636281)
    assert only(rows, raw_model_name=SCOUT).value == pytest.approx(62.27341389728097)


@pytest.mark.parametrize(("name", "expected"), EXTERNAL.items())
def test_external_files_keep_only_rows_an_independent_leaderboard_measured(
    name: str, expected: tuple[str, int, set[str]]
) -> None:
    result = parsed("epoch", f"epoch/{name}")
    benchmark, kept, evaluators = expected
    assert len(result) == kept
    assert {row.benchmark for row in result} <= {benchmark}
    assert {row.evaluator for row in result} == evaluators
    for row in result:
        assert normalize_name(row.metadata["source"]) in INDEPENDENT_SOURCES


def test_no_vendor_sourced_row_becomes_a_measurement() -> None:
    for name in EXTERNAL:
        result = parsed("epoch", f"epoch/{name}")
        assert not [r for r in result if "report" in r.metadata.get("source", "").casefold()]
    # DeepSeek's report on Qwen2.5 (bbh_external) is a vendor's figure, reported and not kept.
    bbh = parsed("epoch", "epoch/bbh_external.csv")
    assert any(
        s.reason.startswith("'Qwen2.5-72B': Source 'DeepSeek-V3 Technical Report'")
        for s in bbh.skipped
    )
    # 92 rows: 4 without a model version, every other one from a developer's report.
    assert sum("report by a model's developer" in s.reason for s in bbh.skipped) == 92 - 4


def test_the_arc_agi_examples_and_rows_with_no_source() -> None:
    result = parsed("epoch", "epoch/arc_agi_external.csv")
    assert only(result, raw_model_name=MAVERICK).value == pytest.approx(4.4)
    assert only(result, raw_model_name=SCOUT).value == pytest.approx(0.5)
    # 56 of 119 rows leave Source empty: who measured them is unknown.
    assert sum("no Source stated" in s.reason for s in result.skipped) == 56


def test_hle_names_no_source_so_its_rows_are_reported_not_stored() -> None:
    result = parsed("epoch", "epoch/hle_external.csv")
    assert list(result) == []
    assert any(s.reason.startswith(f"'{MAVERICK}': no Source stated") for s in result.skipped)


def test_helm_republished_by_epoch_is_helm_with_its_shots() -> None:
    rows = parsed("epoch", "epoch/mmlu_external.csv")
    deepseek = only(rows, raw_model_name="DeepSeek-V3")
    assert (deepseek.value, deepseek.conditions, deepseek.evaluator) == (
        pytest.approx(87.2),
        {"shots": 5},
        "Stanford CRFM HELM",
    )


def test_terminal_bench_agents_padded_differently_are_one_agent() -> None:
    rows = parsed("epoch", "epoch/terminalbench_external.csv")
    agents = {row.conditions["agent"] for row in rows}
    assert "Terminus 2" in agents
    assert not [a for a in agents if a != a.strip() or "  " in a]


def test_a_file_no_benchmark_claims_is_reported_and_an_alias_imports_it() -> None:
    raw = read("epoch/math_level_5.csv")
    importer = get_importer("epoch")
    importer.benchmark_aliases = {
        k: v for k, v in curated_benchmark_aliases().items() if k != "epoch/math_level_5.csv"
    }
    result = importer.parse(raw, file_name="math_level_5.csv")
    assert list(result) == []
    assert "no benchmark in the catalogue has the alias 'epoch/math_level_5.csv'" in (
        result.skipped[-1].reason
    )
    importer.benchmark_aliases = curated_benchmark_aliases()
    assert len(importer.parse(raw, file_name="math_level_5.csv")) == 108


def test_a_new_file_of_a_known_layout_in_the_zip_is_read_once_an_alias_names_it() -> None:
    """The export grows: a file not in any list, of Epoch's own-runs layout, is recognised."""
    archive = zip_of(
        {
            "benchmark_data/some_new_benchmark.csv": read("epoch/math_level_5.csv"),
            "benchmark_data/gpqa_diamond.csv": read("epoch/gpqa_diamond.csv"),
            "benchmark_data/odd.csv": b"a,b\n1,2\n",
        }
    )
    importer = get_importer("epoch")
    importer.benchmark_aliases = curated_benchmark_aliases()
    result = importer.parse(archive, file_name="benchmark_data.zip")
    assert {row.benchmark for row in result} == {"gpqa-diamond"}
    reasons = {s.file_name: s.reason for s in result.skipped}
    assert "'epoch/some_new_benchmark.csv'" in reasons["some_new_benchmark.csv"]
    assert reasons["odd.csv"] == "layout not recognised, not parsed"
    importer.benchmark_aliases = {
        **curated_benchmark_aliases(),
        "epoch/some_new_benchmark.csv": "math-level-5",
    }
    again = importer.parse(archive, file_name="benchmark_data.zip")
    assert {row.benchmark for row in again} == {"gpqa-diamond", "math-level-5"}


def test_an_external_file_in_percent_is_reported_whole_not_stored_100x() -> None:
    raw = (
        b"Model version,Score,Release date,Source\n"
        b"m,0.5,2025-01-01,ARC Prize Leaderboard\n"
        b"n,45.0,2025-01-01,ARC Prize Leaderboard\n"
    )
    result = parse_result("epoch", raw, "arc_agi_external.csv")
    assert list(result) == []
    assert "not a fraction" in result.skipped[0].reason


def test_every_bundled_epoch_file_is_read_from_one_zip_like_one_by_one() -> None:
    files = {
        f"benchmark_data/{p.name}": p.read_bytes() for p in sorted((BUNDLED / "epoch").iterdir())
    }
    result = parse_result("epoch", zip_of(files), "benchmark_data.zip")
    singles = [
        r
        for p in sorted((BUNDLED / "epoch").glob("*.csv"))
        for r in parsed("epoch", f"epoch/{p.name}")
    ]
    assert sorted(natural_keys(result)) == sorted(natural_keys(singles))
    assert len(result) > 1500
