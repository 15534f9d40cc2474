"""Vals AI scores (the bundled excerpt of the public scrape)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from releases.importers.base import ParseError
from tests.importers.conftest import natural_keys, only, parse_result, parsed, read

FILE = "vals/scores_excerpt.csv"
MAVERICK = "fireworks/llama4-maverick-instruct-basic"
SCOUT = "together/meta-llama/Llama-4-Scout-17B-16E-Instruct"


def rows():
    return parsed("vals", FILE)


def test_fifty_lines_become_43_rows_and_7_reported_skips() -> None:
    assert len(read(FILE).decode().splitlines()) == 51  # the header and 50 lines
    assert Counter(row.benchmark for row in rows()) == {"mgsm": 34, "aime-2024": 8, "aime-2025": 1}
    keys = natural_keys(rows())
    assert len(keys) == len(set(keys))


def test_mmmu_titled_mmmu_pro_matches_neither_benchmark() -> None:
    assert not [row for row in rows() if row.benchmark in ("mmmu", "mmmu-pro")]
    skipped = rows().skipped
    assert len(skipped) == 7
    assert all("MMMU Pro" in s.reason and "analyst" in s.reason for s in skipped)
    assert [s.row for s in skipped] == list(range(45, 52))


def test_mgsm_overall_is_the_benchmark_and_each_language_a_condition() -> None:
    maverick = only(rows(), raw_model_name=MAVERICK, benchmark="mgsm", conditions={})
    assert (maverick.value, maverick.std_error) == (92.436, 1.635)
    assert maverick.as_of == dt.date(2026, 1, 9)
    scout = only(rows(), raw_model_name=SCOUT, benchmark="mgsm", conditions={})
    assert (scout.value, scout.std_error) == (87.964, 1.993)

    def language(code: str) -> float:
        return only(rows(), raw_model_name=SCOUT, conditions={"language": code}).value

    assert (language("en"), language("bn"), language("te")) == (96.4, 81.2, 78.4)
    scout_languages = {
        row.conditions["language"]
        for row in rows()
        if row.raw_model_name == SCOUT and "language" in row.conditions
    }
    assert scout_languages == {"bn", "de", "en", "sw", "te", "th", "zh"}
    assert (
        only(rows(), raw_model_name=SCOUT, conditions={"language": "te"}).metadata["task_name"]
        == "Telugu"
    )


def test_aime_years_are_separate_benchmarks_and_efforts_are_conditions() -> None:
    r1 = only(rows(), raw_model_name="fireworks/deepseek-r1", benchmark="aime-2024")
    assert (r1.value, r1.std_error, r1.as_of) == (77.5, 1.51, dt.date(2026, 4, 16))
    assert only(rows(), raw_model_name=MAVERICK, benchmark="aime-2025").value == 17.5
    o3_mini = only(rows(), raw_model_name="openai/o3-mini-2025-01-31", benchmark="aime-2024")
    assert o3_mini.conditions == {"reasoning_effort": "high"}
    assert o3_mini.metadata["rank"] == 30 and o3_mini.metadata["ranked"] == 96


def test_an_unmapped_benchmark_is_reported_not_guessed() -> None:
    header = read(FILE).decode().splitlines()[0]
    raw = f"{header}\nlegal_bench,LegalBench,2026-01-01,legal,overall,Overall,x/m,1,2,50,1,0,1,\n"
    result = parse_result("vals", raw.encode(), "scores.csv")
    assert list(result) == []
    assert [s.reason for s in result.skipped] == [
        "no catalogue benchmark for Vals' legal_bench/overall"
    ]


def test_a_bad_accuracy_names_its_line_and_a_missing_column_is_refused() -> None:
    header = read(FILE).decode().splitlines()[0]
    raw = f"{header}\nmgsm,MGSM,2026-01-09,math,overall,Overall,x/m,1,2,ninety,1,0,1,\n"
    with pytest.raises(ParseError) as excinfo:
        parse_result("vals", raw.encode(), "scores.csv")
    assert (excinfo.value.row, excinfo.value.field) == (2, "accuracy")
    with pytest.raises(ParseError, match="stderr"):
        parse_result("vals", b"benchmark,task,model,accuracy,benchmark_updated\n", "scores.csv")
