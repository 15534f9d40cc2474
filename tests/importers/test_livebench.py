"""LiveBench: per-task scores from the table, averages computed as the site does."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections import Counter
from functools import cache
from statistics import fmean

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseError, ParseResult
from releases.importers.livebench import bundle_release, category_averages
from tests.importers.conftest import natural_keys, only, parse_result, read

MAVERICK_APRIL_25 = "llama4-maverick-instruct-basic"


def bundle(release: str) -> bytes:
    return bundle_release(
        read(f"livebench/table_{release}.csv"),
        read(f"livebench/categories_{release}.json"),
        release,
    )


@cache
def rows(release: str) -> ParseResult:
    return parse_result("livebench", bundle(release), f"livebench_{release}.zip")


def test_the_bundle_is_deterministic() -> None:
    assert (
        hashlib.sha256(bundle("2025_04_25")).digest()
        == hashlib.sha256(bundle("2025_04_25")).digest()
    )
    names = zipfile.ZipFile(io.BytesIO(bundle("2025_04_25"))).namelist()
    assert names == ["table_2025_04_25.csv", "categories_2025_04_25.json"]


@pytest.mark.parametrize(
    ("release", "models", "tasks", "categories"),
    [("2025_04_02", 63, 18, 6), ("2025_04_25", 57, 17, 6)],
)
def test_every_cell_average_and_global(
    release: str, models: int, tasks: int, categories: int
) -> None:
    kinds = Counter(tuple(row.conditions) for row in rows(release))
    assert kinds == {("task",): models * tasks, ("category",): models * categories, (): models}
    assert rows(release).skipped == []
    keys = natural_keys(rows(release))
    assert len(keys) == len(set(keys))


def test_llama_4_task_scores_in_the_april_25_release() -> None:
    maverick = [row for row in rows("2025_04_25") if row.raw_model_name == MAVERICK_APRIL_25]
    expected = {
        "AMPS_Hard": 77.0,
        "code_completion": 47.826,
        "code_generation": 60.563,
        "connections": 52.333,
        "zebra_puzzle": 49.5,
    }
    for task, value in expected.items():
        assert only(maverick, conditions={"task": task}).value == pytest.approx(value)
    assert all(row.as_of == dt.date(2025, 4, 25) for row in maverick)
    assert all(row.metadata == {"release": "2025-04-25"} for row in maverick)


def test_llama_4_averages_follow_the_rule() -> None:
    maverick = [row for row in rows("2025_04_25") if row.raw_model_name == MAVERICK_APRIL_25]
    tasks = {row.conditions["task"]: row.value for row in maverick if "task" in row.conditions}
    categories = json.loads(read("livebench/categories_2025_04_25.json"))
    coding = only(maverick, conditions={"category": "Coding"}).value
    assert coding == pytest.approx((47.826 + 60.563) / 2)
    averages = {
        name: fmean(tasks[task] for task in category_tasks)
        for name, category_tasks in categories.items()
    }
    for name, average in averages.items():
        assert only(maverick, conditions={"category": name}).value == pytest.approx(average)
    assert only(maverick, conditions={}).value == pytest.approx(fmean(averages.values()))
    assert only(maverick, conditions={}).value == pytest.approx(55.1855, abs=1e-4)


def test_the_same_model_had_another_id_in_the_april_2_release() -> None:
    names = {row.raw_model_name for row in rows("2025_04_02")}
    assert "llama-4-maverick-17b-128e-instruct" in names
    assert MAVERICK_APRIL_25 not in names


def test_renamed_tasks_follow_their_release() -> None:
    april_2 = {row.conditions.get("task") for row in rows("2025_04_02")}
    april_25 = {row.conditions.get("task") for row in rows("2025_04_25")}
    assert {"LCB_generation", "coding_completion", "cta"} <= april_2
    assert {"code_generation", "code_completion"} <= april_25 and "cta" not in april_25


def test_a_row_with_cells_left_out_is_skipped_and_reported() -> None:
    result = rows("2026_01_08")
    names = {row.raw_model_name for row in result}
    assert len(names) == 126
    assert "nemotron-3-super-120b-a12b" not in names
    (skipped,) = result.skipped
    assert skipped.row == 110
    assert "21 cells for 24 columns" in skipped.reason
    # Seven categories, among them the new "Agentic Coding".
    assert only(
        result, raw_model_name="minimax-m2.7", conditions={"category": "Agentic Coding"}
    ).value == pytest.approx(fmean([45.0, 75.0, 30.0]))


def test_an_incomplete_category_gets_no_average() -> None:
    categories = {"A": ["a1", "a2"], "B": ["b1"]}
    assert category_averages({"a1": 10.0, "b1": 30.0}, categories) == ({"B": 30.0}, ["A"])
    table = b"model,a1,a2,b1\nm,10,,30\n"
    result = parse_result(
        "livebench", bundle_release(table, json.dumps(categories).encode(), "2025_01_01")
    )
    assert sorted(str(row.conditions) for row in result) == [
        "{'category': 'B'}",
        "{'task': 'a1'}",
        "{'task': 'b1'}",
    ]
    assert "category 'A'" in result.skipped[0].reason


def test_the_date_comes_from_the_release_name() -> None:
    importer = get_importer("livebench")
    assert importer.as_of_from_file_name("table_2025_04_25.csv") == dt.date(2025, 4, 25)


def small(table: bytes, categories: object = None) -> bytes:
    return bundle_release(table, json.dumps(categories or {"A": ["a1"]}).encode(), "2025_01_01")


def test_an_unknown_shape_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file table.csv.*unknown shape"):
        get_importer("livebench").parse(b"model,a1\nm,1\n", file_name="table.csv")
    with pytest.raises(ParseError, match=r"the first column must be 'model'"):
        get_importer("livebench").parse(small(b"name,a1\nm,1\n"))


def test_a_task_missing_from_the_table_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file table_2025_01_01.csv.*tasks the table lacks: a2"):
        get_importer("livebench").parse(small(b"model,a1\nm,1\n", {"A": ["a1", "a2"]}))


def test_a_non_numeric_score_names_file_line_and_task() -> None:
    with pytest.raises(ParseError) as excinfo:
        get_importer("livebench").parse(small(b"model,a1\nm,1\nn,high\n"))
    assert (excinfo.value.file_name, excinfo.value.row, excinfo.value.field) == (
        "table_2025_01_01.csv",
        3,
        "a1",
    )
