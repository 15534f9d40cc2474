"""Aider polyglot and edit leaderboards."""

from __future__ import annotations

import datetime as dt

import pytest

from releases.importers import get_importer
from releases.importers.aider import model_route
from releases.importers.base import ParseError
from tests.importers.conftest import natural_keys, only, parsed

POLYGLOT = "aider/polyglot_leaderboard.yml"
EDIT = "aider/edit_leaderboard.yml"


def test_it_reads_every_run() -> None:
    assert len(parsed("aider-polyglot", POLYGLOT)) == 69
    assert len(parsed("aider-edit", EDIT)) == 98


def test_the_llama_4_maverick_run() -> None:
    row = only(parsed("aider-polyglot", POLYGLOT), raw_model_name="Llama 4 Maverick")
    assert row.benchmark == "aider-polyglot"
    assert row.value == pytest.approx(15.6)
    assert row.conditions == {"edit_format": "whole"}
    assert row.as_of == dt.date(2025, 4, 6)
    assert row.sample_size == 225
    assert row.metadata["pass_rate_1"] == pytest.approx(4.4)
    assert row.metadata["model_route"] == "nvidia_nim/meta/llama-4-maverick-17b-128e-instruct"


def test_digit_only_commit_hashes_keep_their_leading_zero() -> None:
    hashes = {row.metadata["commit_hash"] for row in parsed("aider-polyglot", POLYGLOT)}
    assert {"0282574", "5318380"} <= hashes
    assert all(isinstance(value, str) for value in hashes)


def test_a_missing_cost_is_left_out_not_zero() -> None:
    row = only(parsed("aider-polyglot", POLYGLOT), raw_model_name="qwen-max-2025-01-25")
    assert "total_cost" not in row.metadata
    yaml_with_null = b"- model: m\n  edit_format: diff\n  pass_rate_2: 10.0\n  total_cost: null\n"
    (null_row,) = get_importer("aider-polyglot").parse(yaml_with_null)
    assert "total_cost" not in null_row.metadata


def test_a_zero_cost_is_kept() -> None:
    row = only(parsed("aider-polyglot", POLYGLOT), raw_model_name="Llama 4 Maverick")
    assert row.metadata["total_cost"] == 0


def test_one_model_twice_is_two_edit_formats() -> None:
    rows = [
        row
        for row in parsed("aider-polyglot", POLYGLOT)
        if row.raw_model_name == "Qwen2.5-Coder-32B-Instruct"
    ]
    assert sorted(row.conditions["edit_format"] for row in rows) == ["diff", "whole"]
    for relative, slug in ((POLYGLOT, "aider-polyglot"), (EDIT, "aider-edit")):
        keys = natural_keys(parsed(slug, relative))
        assert len(keys) == len(set(keys))


def test_dates_load_as_dates_and_released_is_kept_as_text() -> None:
    rows = parsed("aider-edit", EDIT)
    assert all(isinstance(row.as_of, dt.date) for row in rows)
    assert sum("released" in row.metadata for row in rows) == 30
    assert sum("_released" in row.metadata for row in rows) == 10
    opus = only(rows, raw_model_name="claude-3-opus-20240229", conditions={"edit_format": "diff"})
    assert opus.metadata["_released"] == "2024-02-29"
    assert opus.metadata["commit_hash"] == "f4b1797-dirty, f4b1797"


def test_reasoning_effort_and_editor_model_are_kept() -> None:
    rows = parsed("aider-polyglot", POLYGLOT)
    assert sum("reasoning_effort" in row.metadata for row in rows) == 7
    assert sum("editor_model" in row.metadata for row in rows) == 3


@pytest.mark.parametrize(
    ("command", "route"),
    [
        ("aider --model gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18"),
        ("aider --architect --model r1 --editor-model sonnet", "r1"),
        ("OPENAI_API_BASE=https://x/v1 aider --model openai/qwen-max", "openai/qwen-max"),
        (
            "aider --model openai/Qwen/Qwen2.5-Coder-32B-Instruct # via hyperbolic",
            "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
        ),
        ("aider --opus", None),
        ("(via glhf.chat)", None),
    ],
)
def test_the_model_route_comes_from_the_command(command: str, route: str | None) -> None:
    assert model_route(command) == route


def parse(text: str) -> list:
    return get_importer("aider-polyglot").parse(text.encode(), file_name="board.yml")


def test_an_unknown_shape_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"file board.yml.*unknown shape"):
        parse("model: m\npass_rate_2: 1\n")


def test_a_missing_key_names_row_and_field() -> None:
    with pytest.raises(ParseError) as excinfo:
        parse(
            "- model: a\n  edit_format: diff\n  pass_rate_2: 1.0\n- model: b\n  edit_format: diff\n"
        )
    assert (excinfo.value.file_name, excinfo.value.row, excinfo.value.field) == (
        "board.yml",
        2,
        "pass_rate_2",
    )


def test_a_non_numeric_score_is_an_error() -> None:
    with pytest.raises(ParseError, match=r"row 1, field 'pass_rate_2': not a number"):
        parse("- model: a\n  edit_format: diff\n  pass_rate_2: lots\n")
