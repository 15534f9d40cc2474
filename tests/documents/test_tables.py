"""The table reader on small tables made for each quirk the stored documents have."""

from __future__ import annotations

import pytest

from releases.documents.tables import clean_cell, read_tables, split_pipe_row


def test_it_reads_a_pipe_table_with_header_and_rows() -> None:
    text = "intro\n\n| Model | MMLU |\n|---|---|\n| A | 80.1 |\n| B | **82.0** |\n\nafter\n"

    [table] = read_tables(text)

    assert table.index == 1
    assert table.kind == "markdown"
    assert table.line == 3
    assert table.header == ("Model", "MMLU")
    assert table.rows == (("A", "80.1"), ("B", "**82.0**"))


def test_it_accepts_rows_without_leading_or_trailing_pipes() -> None:
    text = "Model | Prompt | MMLU\n:---: | :--- | ---:\n| o1 | n/a | 91.8 |\no3 | n/a | 92.9\n"

    [table] = read_tables(text)

    assert table.header == ("Model", "Prompt", "MMLU")
    assert table.rows == (("o1", "n/a", "91.8"), ("o3", "n/a", "92.9"))


def test_it_accepts_any_separator_style_and_a_short_separator() -> None:
    text = "| A | B | C |\n| --- |-------------|\n| 1 | 2 | 3 |\n"

    [table] = read_tables(text)

    assert table.header == ("A", "B", "C")
    assert table.rows == (("1", "2", "3"),)


def test_it_keeps_ragged_rows_as_written() -> None:
    # A quote of the row must match the document, so rows are neither padded nor cut.
    text = "| Model | X |\n|---|---|\n| **o3** | | |\n| o1 | 1.0\n"

    [table] = read_tables(text)

    assert table.rows == (("**o3**", "", ""), ("o1", "1.0"))


def test_blank_and_whitespace_cells_become_empty_strings() -> None:
    text = "| Datasets | A | B |\n| :-- | :-: | :-: |\n| ***General*** |   |\t\t|  \t\n| MMLU | 1 | 2 |\n"

    [table] = read_tables(text)

    assert table.rows[0] == ("***General***", "", "")
    assert table.rows[1] == ("MMLU", "1", "2")


def test_it_skips_tables_inside_html_comments() -> None:
    text = (
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        "<!-- hidden\n| C | D |\n|---|---|\n| 3 | 4 | -->\n\n"
        "| E | F |\n|---|---|\n| 5 | 6 |\n"
    )

    tables = read_tables(text)

    assert [t.header for t in tables] == [("A", "B"), ("E", "F")]
    assert [t.index for t in tables] == [1, 2]
    assert tables[1].line == 10


def test_it_skips_pipes_in_fenced_code() -> None:
    text = "```\n| A | B |\n|---|---|\n```\n"

    assert read_tables(text) == []


def test_html_rowspan_repeats_the_cell_into_each_row_it_covers() -> None:
    text = """<table>
  <tr><th>Model</th><th>Data</th><th>Params</th></tr>
  <tr><td>Scout</td><td rowspan="2">A mix of data</td><td>109B</td></tr>
  <tr><td>Maverick</td><td>400B</td></tr>
</table>"""

    [table] = read_tables(text)

    assert table.kind == "html"
    assert table.header == ("Model", "Data", "Params")
    assert table.rows == (
        ("Scout", "A mix of data", "109B"),
        ("Maverick", "A mix of data", "400B"),
    )


def test_html_colspan_repeats_the_cell_into_each_column_it_covers() -> None:
    text = """<table>
<tr><th>Bench</th><th>L3 70B</th><th>L3 405B</th><th>Scout</th></tr>
<tr><td>ChartQA</td><td colspan="2"> No multimodal support </td><td>83.4</td></tr>
<tr><td>DocVQA</td><td colspan="2">  </td><td>89.4</td></tr>
</table>"""

    [table] = read_tables(text)

    assert table.rows == (
        ("ChartQA", "No multimodal support", "No multimodal support", "83.4"),
        ("DocVQA", "", "", "89.4"),
    )


def test_html_rowspan_and_colspan_together_fill_a_block() -> None:
    text = """<table>
<tr><th>a</th><th>b</th><th>c</th></tr>
<tr><td rowspan="2" colspan="2">X</td><td>1</td></tr>
<tr><td>2</td></tr>
</table>"""

    [table] = read_tables(text)

    assert table.rows == (("X", "X", "1"), ("X", "X", "2"))


def test_a_multi_line_cell_is_collapsed_to_one_line() -> None:
    text = """<table>
<tr><th>Benchmark</th><th>Params</th></tr>
<tr><td> LiveCodeBench
(10/01/2024-02/01/2025)
 </td><td>17B (Activated)
        109B (Total)
    </td></tr>
</table>"""

    [table] = read_tables(text)

    assert table.rows == (
        ("LiveCodeBench (10/01/2024-02/01/2025)", "17B (Activated) 109B (Total)"),
    )


def test_markup_inside_cells_is_kept() -> None:
    text = (
        '<table><tr><th>x</th></tr><tr><td>see <a href="https://e.org">here</a></td></tr></table>\n\n'
        "| y |\n|---|\n| <ins>72.3<ins> |\n| *35.5* |\n"
    )

    html, markdown = read_tables(text)

    assert html.rows == (('see <a href="https://e.org">here</a>',),)
    assert markdown.rows == (("<ins>72.3<ins>",), ("*35.5*",))


def test_html_and_pipe_tables_are_numbered_together_in_document_order() -> None:
    text = (
        "<table><tr><th>first</th></tr><tr><td>1</td></tr></table>\n\n"
        "| second |\n|---|\n| 2 |\n\n"
        "<table>\n<tr><th>third</th></tr>\n<tr><td>| not a pipe row |</td></tr>\n</table>\n"
    )

    tables = read_tables(text)

    assert [(t.index, t.kind, t.header) for t in tables] == [
        (1, "html", ("first",)),
        (2, "markdown", ("second",)),
        (3, "html", ("third",)),
    ]
    assert tables[2].rows == (("| not a pipe row |",),)


def test_html_entities_are_decoded() -> None:
    [table] = read_tables("<table><tr><th>Reasoning &amp; Knowledge</th></tr></table>")

    assert table.header == ("Reasoning & Knowledge",)


def test_clean_cell_and_split_pipe_row() -> None:
    assert clean_cell("  a \t b\n c  ") == "a b c"
    assert split_pipe_row("| a | b \\| c |") == ["a", "b | c"]
    assert split_pipe_row("a|b") == ["a", "b"]


def test_a_huge_colspan_is_clamped_as_browsers_clamp_it() -> None:
    from releases.documents.tables import MAX_COLSPAN

    (table,) = read_tables('<table><tr><td colspan="200000000">x</td></tr></table>')
    assert table.header == ("x",) * MAX_COLSPAN


def test_a_table_over_the_cell_cap_is_refused() -> None:
    from releases.documents.tables import TableTooLarge

    rows = "<tr><td colspan='1000'>x</td></tr>" * 300
    with pytest.raises(TableTooLarge):
        read_tables(f"<table>{rows}</table>")


def test_a_document_read_again_is_not_parsed_again(monkeypatch) -> None:
    from releases.documents import tables

    text = "| a | b |\n|---|---|\n| 1 | 2 |\n<!-- unique: cache test -->\n"
    first = read_tables(text)
    monkeypatch.setattr(tables, "_read_tables", lambda text: pytest.fail("parsed again"))
    assert read_tables(text) == first
