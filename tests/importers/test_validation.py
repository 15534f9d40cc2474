"""The row schema every parsed row is checked against (pure: no database, no clock)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from releases.importers.base import ParsedRow, ParseError, ParseResult, RowSchema
from releases.importers.validation import read_validated, row_rejection

TODAY = dt.date(2026, 12, 1)
GOOD = ParsedRow(
    raw_model_name="Llama 4 Maverick — “instruct” é",
    benchmark="aider-polyglot",
    value=15.6,
    as_of=dt.date(2025, 4, 6),
    conditions={"edit_format": "whole", "context_tokens": 1000, "cot": True},
    ci_low=14.0,
    ci_high=17.0,
    std_error=0.5,
    sample_size=225,
    metadata={"cost": 1.5, "route": "x/y"},
    row=3,
)
SCHEMA = RowSchema(require_as_of=True, value_ranges={"aider-polyglot": (0.0, 100.0)})


def field_rejected(**changes: object) -> str | None:
    rejection = row_rejection(
        dataclasses.replace(GOOD, **changes), SCHEMA, today=TODAY, file_name="f.yml"
    )
    if rejection is None:
        return None
    assert (rejection.file_name, rejection.row) == ("f.yml", 3)
    return rejection.field


def test_a_good_row_passes() -> None:
    assert field_rejected() is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"raw_model_name": "a\x00b"}, "raw_model_name"),
        ({"raw_model_name": "line\nbreak"}, "raw_model_name"),
        ({"raw_model_name": "zero\u200bwidth"}, "raw_model_name"),
        ({"raw_model_name": "lone \udc80"}, "raw_model_name"),
        ({"raw_model_name": " \t "}, "raw_model_name"),
        ({"raw_model_name": "x" * 256}, "raw_model_name"),
        ({"raw_model_name": {"a": 1}}, "raw_model_name"),
        ({"raw_model_name": 42}, "raw_model_name"),
        ({"value": float("nan")}, "value"),
        ({"value": True}, "value"),
        ({"value": 100.5}, "value"),
        ({"value": 1e300}, "value"),
        ({"ci_low": 16.0}, "ci_low"),
        ({"ci_high": 15.0}, "ci_high"),
        ({"std_error": -0.1}, "std_error"),
        ({"sample_size": 0}, "sample_size"),
        ({"sample_size": 10**12}, "sample_size"),
        ({"sample_size": 2.5}, "sample_size"),
        ({"as_of": None}, "as_of"),
        ({"as_of": dt.date(2999, 1, 1)}, "as_of"),
        ({"as_of": dt.date(1999, 12, 31)}, "as_of"),
        ({"conditions": {"edit_format": "x" * 600}}, "conditions"),
        ({"conditions": {"edit_format": ["a", "list"]}}, "conditions"),
        ({"conditions": {"edit_format": "nul\x00"}}, "conditions"),
        ({"evaluator": "e" * 201}, "evaluator"),
        ({"metadata": {"note": "nul\x00"}}, "metadata"),
        ({"metadata": {"set": {1, 2}}}, "metadata"),
        ({"metadata": {"big": "x" * 30_000}}, "metadata"),
        ({"metadata": {"huge": 10**30}}, "metadata"),
    ],
)
def test_a_row_breaking_the_schema_is_rejected_naming_its_field(changes, field) -> None:
    assert field_rejected(**changes) == field


def test_a_row_one_day_ahead_passes_for_time_zones() -> None:
    assert field_rejected(as_of=TODAY + dt.timedelta(days=1)) is None


class _Rows:
    """An importer stub whose parse returns the rows it was given."""

    row_schema = SCHEMA

    def __init__(self, rows: list[ParsedRow]) -> None:
        self.rows = rows

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        return ParseResult(self.rows)


def test_a_few_bad_rows_are_skipped_and_many_reject_the_file() -> None:
    good = [dataclasses.replace(GOOD, raw_model_name=f"m{i}", row=i) for i in range(40)]
    bad = [dataclasses.replace(GOOD, raw_model_name=f"b{i}\x00", row=100 + i) for i in range(4)]
    result = read_validated(_Rows(good + bad[:3]), b"", file_name="f", today=TODAY)  # type: ignore[arg-type]
    assert len(result) == 40 and [s.row for s in result.skipped] == [100, 101, 102]
    with pytest.raises(ParseError, match="rejected whole"):
        read_validated(_Rows(good[:10] + bad), b"", file_name="f", today=TODAY)  # type: ignore[arg-type]
