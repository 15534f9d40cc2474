"""The shared reading of absent values and numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from releases.importers.base import ParseError, ParseResult, SkippedRow, date_in, parse_score


@pytest.mark.parametrize("cell", ["", "  ", "N/A", "n/a", "-", "—", "⏳", "null", None])
def test_absent_cells_are_not_measured(cell: object) -> None:
    assert parse_score(cell, file_name="f", row=1, field="x") is None


@pytest.mark.parametrize(
    ("cell", "value"), [("0", 0.0), (" 15.6 ", 15.6), (21.04, 21.04), (7, 7.0)]
)
def test_numbers_are_read(cell: object, value: float) -> None:
    assert parse_score(cell, file_name="f", row=1, field="x") == value


@pytest.mark.parametrize("cell", ["high", "12%", True, "nan", "inf", [1]])
def test_anything_else_is_an_error_naming_file_row_and_field(cell: object) -> None:
    with pytest.raises(ParseError) as excinfo:
        parse_score(cell, file_name="f.csv", row=3, field="score")
    assert str(excinfo.value).startswith("file f.csv, row 3, field 'score': not a")


def test_a_parse_result_is_a_list_of_rows_with_the_skips_beside_it() -> None:
    result = ParseResult([], [SkippedRow("empty name", file_name="f.csv", row=2)])
    assert result == [] and isinstance(result, list)
    assert result.skipped[0].row == 2


def test_dates_in_text() -> None:
    assert date_in("2026-04-15T14:03:19.000Z") == dt.date(2026, 4, 15)
    assert date_in("LiveBench-2024-11-25") == dt.date(2024, 11, 25)
    assert date_in("table_2025_04_25.csv") == dt.date(2025, 4, 25)
    assert date_in("soon") is None
