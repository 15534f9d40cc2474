"""EvalPlus results.json."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from releases.importers.base import ParseError
from tests.importers.conftest import natural_keys, only, parse_result, parsed

FILE = "evalplus/results.json"


def rows():
    return parsed("evalplus", FILE)


def test_every_model_and_every_non_null_column_is_a_row() -> None:
    # 125 models; 36 have null mbpp and mbpp+ (not measured, never zero).
    assert Counter(row.benchmark for row in rows()) == {
        "humaneval": 125,
        "humaneval-plus": 125,
        "mbpp-evalplus": 89,
        "mbpp-plus": 89,
    }
    keys = natural_keys(rows())
    assert len(keys) == len(set(keys))
    assert not [
        row for row in rows() if row.raw_model_name == "Code-13B" and "mbpp" in row.benchmark
    ]


def test_display_names_keep_their_dates_and_the_example_values() -> None:
    assert (
        only(rows(), raw_model_name="DeepSeek-V3 (Nov 2024)", benchmark="humaneval").value == 91.5
    )
    gpt4o = only(rows(), raw_model_name="GPT 4o (Aug 2024)", benchmark="humaneval")
    assert gpt4o.value == 92.7
    assert gpt4o.as_of is None  # the file has no date of evaluation: the file's date is used
    assert (
        only(rows(), raw_model_name="DeepSeek-V3 (Nov 2024)", benchmark="humaneval-plus").value
        == 86.6
    )


def test_null_size_is_left_out_and_the_rest_kept_as_metadata() -> None:
    gemini = only(rows(), raw_model_name="Gemini 1.5 Pro 002", benchmark="humaneval")
    assert "size" not in gemini.metadata
    coder = only(rows(), raw_model_name="Qwen2.5-Coder-32B-Instruct", benchmark="mbpp-evalplus")
    assert coder.metadata["size"] == 32
    assert coder.metadata["prompted"] is True
    assert coder.metadata["open_data"] == "NONE"


def test_a_score_that_is_not_a_number_names_the_model_and_column() -> None:
    raw = json.dumps({"M (Jan 2025)": {"pass@1": {"humaneval": "high"}}}).encode()
    with pytest.raises(ParseError) as excinfo:
        parse_result("evalplus", raw, "results.json")
    assert excinfo.value.row == "M (Jan 2025)"
    assert excinfo.value.field == "pass@1.humaneval"


@pytest.mark.parametrize("raw", [b"[]", b"{}", b"not json", b'{"M": {"size": 7}}'])
def test_other_shapes_are_refused(raw: bytes) -> None:
    with pytest.raises(ParseError):
        parse_result("evalplus", raw, "results.json")
