"""SWE-bench: every split a benchmark, the model from the tags, the system as a condition."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseError
from tests.importers.conftest import natural_keys, only, parsed

FILE = "swebench/leaderboards.json"


def rows():
    return parsed("swebench", FILE)


def test_every_split_is_its_own_benchmark() -> None:
    assert len(rows()) == 301
    assert Counter(row.benchmark for row in rows()) == {
        "swe-bench-bash-only": 23,
        "swe-bench-test": 22,
        "swe-bench-verified": 151,
        "swe-bench-lite": 84,
        "swe-bench-multimodal": 21,
    }


@pytest.mark.parametrize("benchmark", ["swe-bench-bash-only", "swe-bench-verified"])
@pytest.mark.parametrize(
    ("model", "resolved"),
    [("llama-4-maverick-instruct", 21.04), ("llama-4-scout-instruct", 9.06)],
)
def test_llama_4_rows(benchmark: str, model: str, resolved: float) -> None:
    row = only(rows(), raw_model_name=model, benchmark=benchmark)
    assert row.value == pytest.approx(resolved)
    assert row.as_of == dt.date(2025, 7, 20)
    assert row.conditions == {"system": "mini-SWE-agent", "attempts": "1"}
    assert row.metadata["agent"] == "mini-SWE-agent"
    assert row.metadata["mini-swe-agent_version"] == "0.0.0"


def test_the_system_is_kept_apart_from_the_model() -> None:
    row = only(rows(), raw_model_name="llama-4-maverick-instruct", benchmark="swe-bench-verified")
    assert row.metadata["name"] == "mini-SWE-agent + Llama 4 Maverick Instruct"
    # "Org:" repeats on this row.
    assert row.metadata["orgs"] == ["Meta", "SWE-agent"]
    assert row.metadata["cost"] == pytest.approx(156.85, abs=0.01)
    bash = only(rows(), raw_model_name="llama-4-maverick-instruct", benchmark="swe-bench-bash-only")
    assert bash.metadata["name"] == "Llama 4 Maverick Instruct"


def test_null_costs_are_left_out_and_links_kept_as_given() -> None:
    test_rows = [row for row in rows() if row.benchmark == "swe-bench-test"]
    assert all("cost" not in row.metadata for row in test_rows)
    multimodal = [row for row in rows() if row.benchmark == "swe-bench-multimodal"]
    # `logs` is null or false in Multimodal: false is what the file says, null is left out.
    assert {row.metadata.get("logs", "absent") for row in multimodal} == {False, "absent"}
    assert any(isinstance(row.metadata.get("site"), list) for row in rows())


def test_a_row_without_a_model_tag_is_named_after_the_system() -> None:
    row = only(rows(), raw_model_name="Honeycomb", benchmark="swe-bench-test")
    assert row.conditions["system"] == "Honeycomb"
    assert "models" not in row.metadata


def test_a_system_on_several_models_is_named_after_all_of_them() -> None:
    multi = [row for row in rows() if len(row.metadata.get("models", [])) > 1]
    assert multi
    for row in multi:
        assert row.raw_model_name == " + ".join(row.metadata["models"])


def test_attempts_separate_runs_of_one_system() -> None:
    entropo = [
        row
        for row in rows()
        if row.benchmark == "swe-bench-verified" and row.metadata["name"].startswith("EntroPO")
    ]
    assert sorted(row.conditions["attempts"] for row in entropo) == ["1", "2+"]
    keys = natural_keys(rows())
    assert len(keys) == len(set(keys))


def parse(data: object) -> list:
    return get_importer("swebench").parse(json.dumps(data).encode(), file_name="lb.json")


def result(**fields: object) -> dict:
    return {"name": "Agent + M", "resolved": 10.0, "date": "2025-01-02", "tags": [], **fields}


def test_an_unknown_split_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"unknown leaderboard 'Java'"):
        parse({"leaderboards": [{"name": "Java", "results": [result()]}]})


def test_an_unknown_shape_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file lb.json.*unknown shape"):
        parse([result()])


def test_a_missing_score_names_the_row_and_field() -> None:
    bad = result()
    del bad["resolved"]
    with pytest.raises(ParseError) as excinfo:
        parse({"leaderboards": [{"name": "Lite", "results": [result(), bad]}]})
    assert excinfo.value.row == "Lite #2 (Agent + M)"
    assert excinfo.value.field == "resolved"


def test_a_non_numeric_score_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"field 'resolved': not a number"):
        parse({"leaderboards": [{"name": "Lite", "results": [result(resolved="n/a%")]}]})


def test_a_null_score_is_not_measured() -> None:
    assert parse({"leaderboards": [{"name": "Lite", "results": [result(resolved=None)]}]}) == []
