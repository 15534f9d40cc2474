"""Epoch AI Benchmarking Hub: single CSVs and the ZIP the live URL serves."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseError
from tests.importers.conftest import BUNDLED, natural_keys, only, parse_result, parsed

MAVERICK_CHUTES = "chutes/Llama-4-Maverick-17B-128E-Instruct"
SCOUT_CHUTES = "chutes/Llama-4-Scout-17B-16E Instruct"


def test_file_names_give_the_benchmark() -> None:
    expected = {
        "gpqa_diamond.csv": "gpqa-diamond",
        "swe_bench_bash.csv": "swe-bench-bash-only",
        "aider_polyglot_external.csv": "aider-polyglot",
        "live_bench_external.csv": "livebench",
        "fictionlivebench_external.csv": "fiction-livebench",
        "epoch_capabilities_index.csv": "epoch-capabilities-index",
    }
    for name, benchmark in expected.items():
        assert {row.benchmark for row in parsed("epoch", f"epoch/{name}")} == {benchmark}


def test_row_counts_and_skips() -> None:
    counts = {
        name: (len(parsed("epoch", f"epoch/{name}")), len(parsed("epoch", f"epoch/{name}").skipped))
        for name in (
            "gpqa_diamond.csv",
            "swe_bench_bash.csv",
            "aider_polyglot_external.csv",
            "live_bench_external.csv",
            "fictionlivebench_external.csv",
            "epoch_capabilities_index.csv",
        )
    }
    assert counts == {
        "gpqa_diamond.csv": (157, 0),
        "swe_bench_bash.csv": (33, 0),
        # 77 rows, 5 without a model version.
        "aider_polyglot_external.csv": (72, 5),
        # 64 rows x 7 scores; 10 without a model version, 2 versions given twice (4 rows).
        "live_bench_external.csv": ((64 - 10 - 4) * 7, 12),
        # 62 rows, 1 without a model version; blank context cells are not measured.
        "fictionlivebench_external.csv": (595, 1),
        # 591 rows, of which 348 have an ECI score.
        "epoch_capabilities_index.csv": (348, 0),
    }


def test_rows_without_a_model_version_are_reported() -> None:
    skipped = parsed("epoch", "epoch/aider_polyglot_external.csv").skipped
    assert {s.row for s in skipped} == {3, 38, 49, 55, 66}
    assert all("empty 'Model version'" in s.reason for s in skipped)


def test_gpqa_fractions_become_percent() -> None:
    row = only(
        parsed("epoch", "epoch/gpqa_diamond.csv"),
        raw_model_name="Llama-4-Maverick-17B-128E-Instruct-FP8",
    )
    assert row.value == pytest.approx(66.98, abs=0.005)
    assert row.std_error == pytest.approx(2.8245, abs=1e-4)
    assert row.as_of == dt.date(2025, 4, 8)  # "Started at"
    assert row.evaluator is None  # Epoch's own run
    scout = only(
        parsed("epoch", "epoch/gpqa_diamond.csv"), raw_model_name="Llama-4-Scout-17B-16E-Instruct"
    )
    assert scout.value == pytest.approx(51.83, abs=0.005)


def test_a_start_time_shared_by_many_rows_is_a_placeholder_not_a_date() -> None:
    rows = parsed("epoch", "epoch/gpqa_diamond.csv")
    # 57 of 157 rows start at 2025-01-27T00:00:00.000Z: not when those models ran.
    undated = [row for row in rows if not row.as_of_known]
    assert len(undated) == 57
    assert all(row.as_of is None for row in undated)  # the file's date stands in, as a bound
    assert dt.date(2025, 1, 27) not in {row.as_of for row in rows}
    gpt4o = only(rows, raw_model_name="gpt-4o-2024-08-06")
    assert (gpt4o.as_of, gpt4o.as_of_known) == (None, False)
    # A run with its own start time keeps it.
    maverick = only(rows, raw_model_name="Llama-4-Maverick-17B-128E-Instruct-FP8")
    assert (maverick.as_of, maverick.as_of_known) == (dt.date(2025, 4, 8), True)


def test_a_few_runs_started_in_one_second_keep_their_date() -> None:
    from releases.importers.epoch import PLACEHOLDER_AFTER_ROWS

    header = b"Model version,mean_score,stderr,Started at,id\n"
    lines = b"".join(
        b"m%d,0.5,0.01,2025-03-01T10:00:00.000Z,r%d\n" % (i, i)
        for i in range(PLACEHOLDER_AFTER_ROWS)
    )
    rows = parse_result("epoch", header + lines, "gpqa_diamond.csv")
    assert {(row.as_of, row.as_of_known) for row in rows} == {(dt.date(2025, 3, 1), True)}
    one_more = lines + b"mx,0.5,0.01,2025-03-01T10:00:00.000Z,rx\n"
    rows = parse_result("epoch", header + one_more, "gpqa_diamond.csv")
    assert {(row.as_of, row.as_of_known) for row in rows} == {(None, False)}


def test_swe_bench_bash_is_republished_from_swe_bench() -> None:
    rows = parsed("epoch", "epoch/swe_bench_bash.csv")
    maverick = only(rows, raw_model_name="Llama-4-Maverick-17B-128E-Instruct")
    assert maverick.value == pytest.approx(21.04)
    assert maverick.evaluator == "SWE-bench"
    assert maverick.as_of == dt.date(2025, 7, 20)
    assert only(rows, raw_model_name="Llama-4-Scout-17B-16E-Instruct").value == pytest.approx(9.06)


def test_aider_is_already_percent_and_keeps_the_edit_format() -> None:
    rows = parsed("epoch", "epoch/aider_polyglot_external.csv")
    row = only(rows, raw_model_name="Llama-4-Maverick-17B-128E-Instruct")
    assert row.value == pytest.approx(15.6)
    assert row.conditions == {"edit_format": "whole"}
    assert row.evaluator == "Aider"
    assert row.metadata["id"] == "rectZuHXsjT3SSoQ8"
    qwen = [r for r in rows if r.raw_model_name == "Qwen2.5-Coder-32B-Instruct"]
    assert sorted(r.conditions["edit_format"] for r in qwen) == ["diff", "whole"]


def test_fiction_livebench_has_a_row_per_context_length() -> None:
    rows = parsed("epoch", "epoch/fictionlivebench_external.csv")
    maverick = {
        r.conditions["context_tokens"]: r.value for r in rows if r.raw_model_name == MAVERICK_CHUTES
    }
    assert maverick[120_000] == pytest.approx(36.4)
    assert maverick[0] == pytest.approx(100.0)
    assert maverick[400] == pytest.approx(56.0)
    assert maverick[1000] == pytest.approx(50.0)
    assert maverick[8000] == pytest.approx(48.0)
    assert maverick[32_000] == pytest.approx(44.0)
    assert maverick[60_000] == pytest.approx(32.0)
    assert 192_000 not in maverick  # blank: not measured
    scout = only(rows, raw_model_name=SCOUT_CHUTES, conditions={"context_tokens": 120_000})
    assert scout.value == pytest.approx(27.3)
    assert scout.evaluator == "Fiction.LiveBench"
    assert {r.conditions["context_tokens"] for r in rows} == {
        0,
        400,
        1000,
        2000,
        4000,
        8000,
        16_000,
        32_000,
        60_000,
        120_000,
        192_000,
    }


def test_livebench_averages_use_livebench_category_names() -> None:
    rows = parsed("epoch", "epoch/live_bench_external.csv")
    gemini = [r for r in rows if r.raw_model_name == "gemini-2.5-pro-exp-03-25"]
    assert only(gemini, conditions={}).value == pytest.approx(82.35)
    assert only(gemini, conditions={"category": "Data Analysis"}).value == pytest.approx(79.89)
    assert {r.evaluator for r in rows} == {"LiveBench"}
    # No date of evaluation: the LiveBench release the scores belong to.
    assert gemini[0].as_of == dt.date(2024, 11, 25)


def test_two_entries_mapped_to_one_version_are_dropped_as_ambiguous() -> None:
    result = parsed("epoch", "epoch/live_bench_external.csv")
    assert not [r for r in result if r.raw_model_name == "claude-3-7-sonnet-20250219"]
    reasons = [s.reason for s in result.skipped if "claude-3-7-sonnet-20250219" in s.reason]
    assert len(reasons) == 1 and "claude-3-7-sonnet-thinking" in reasons[0]


def test_one_model_under_several_ids_stays_several_names() -> None:
    eci = parsed("epoch", "epoch/epoch_capabilities_index.csv")
    names = {r.raw_model_name for r in eci if "llama-4" in r.raw_model_name.lower()}
    assert names == {
        "Llama-4-Maverick-17B-128E-Instruct-FP8",
        "Llama-4-Maverick-17B-128E-Instruct",
        "Llama-4-Scout-17B-16E-Instruct",
        MAVERICK_CHUTES,
        SCOUT_CHUTES,
    }
    assert {r.evaluator for r in eci} == {None}


def test_multi_line_quoted_fields_are_read() -> None:
    row = only(
        parsed("epoch", "epoch/aider_polyglot_external.csv"), raw_model_name="Qwen3-235B-A22B"
    )
    assert row.value == pytest.approx(59.6)


def test_keys_are_unique_within_each_file() -> None:
    for path in sorted((BUNDLED / "epoch").glob("*.csv")):
        keys = natural_keys(parsed("epoch", f"epoch/{path.name}"))
        assert len(keys) == len(set(keys)), path.name


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_zip_reads_known_files_and_reports_unknown_ones() -> None:
    files = {
        f"benchmark_data/{path.name}": path.read_bytes()
        for path in sorted((BUNDLED / "epoch").iterdir())
    }
    files["benchmark_data/new_layout.csv"] = b"Model version,Score\nm,0.1\n"
    result = parse_result("epoch", zip_of(files), "benchmark_data.zip")
    singles = sum(
        len(parsed("epoch", f"epoch/{path.name}")) for path in (BUNDLED / "epoch").glob("*.csv")
    )
    assert len(result) == singles
    unknown = [s for s in result.skipped if s.reason == "layout not recognised, not parsed"]
    assert [s.file_name for s in unknown] == ["new_layout.csv"]
    assert Counter(s.file_name for s in result.skipped)["README.md"] == 0


def test_a_zip_without_known_files_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file benchmark_data.zip.*unknown shape"):
        get_importer("epoch").parse(
            zip_of({"other.csv": b"a\n1\n"}), file_name="benchmark_data.zip"
        )


def test_an_unknown_file_name_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"unknown Epoch file 'new_layout.csv'"):
        get_importer("epoch").parse(b"Model version,Score\nm,1\n", file_name="new_layout.csv")


def test_a_missing_column_is_an_error() -> None:
    with pytest.raises(ParseError) as excinfo:
        get_importer("epoch").parse(b"Model version,stderr\nm,0.1\n", file_name="gpqa_diamond.csv")
    assert (excinfo.value.file_name, excinfo.value.field) == ("gpqa_diamond.csv", "mean_score")


def test_a_non_numeric_score_names_file_row_and_column() -> None:
    raw = b"Model version,mean_score,stderr\na,0.5,0.01\nb,good,0.01\n"
    with pytest.raises(ParseError) as excinfo:
        get_importer("epoch").parse(raw, file_name="gpqa_diamond.csv")
    assert (excinfo.value.file_name, excinfo.value.row, excinfo.value.field) == (
        "gpqa_diamond.csv",
        2,
        "mean_score",
    )


def test_a_percent_in_a_fraction_file_is_an_error_not_a_100x_score() -> None:
    with pytest.raises(ParseError, match=r"expected a fraction"):
        get_importer("epoch").parse(
            b"Model version,mean_score,stderr\na,66.98,0.01\n", file_name="gpqa_diamond.csv"
        )
