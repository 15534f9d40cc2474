"""NVIDIA RULER README table."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from releases.importers.base import ParseError
from tests.importers.conftest import natural_keys, only, parse_result, parsed

FILE = "ruler/README.md"
LENGTHS = (4000, 8000, 16000, 32000, 64000, 128000)


def rows():
    return parsed("ruler", FILE)


def test_rows_that_start_with_a_link_are_read_and_author_rows_are_not() -> None:
    # 45 table rows: Llama2 (one score, no effective length), 32 independent rows with six
    # scores each (EXAONE's "-" is on a skipped author row), 12 author-reported "*" rows.
    assert Counter(row.benchmark for row in rows()) == {
        "ruler": 1 + 32 * 6,
        "ruler-effective-length": 32,
    }
    assert len(rows().skipped) == 12
    assert all("own authors" in s.reason for s in rows().skipped)
    names = {row.raw_model_name for row in rows()}
    assert not [name for name in names if "*" in name]
    assert not {"Jamba-1.5-large (94B/398B)", "Qwen3-14B (14B)", "FILM-7B (7B)"} & names
    keys = natural_keys(rows())
    assert len(keys) == len(set(keys))


def test_same_names_are_told_apart_by_size() -> None:
    llama_70b = only(rows(), raw_model_name="Llama3.1 (70B)", benchmark="ruler-effective-length")
    llama_8b = only(rows(), raw_model_name="Llama3.1 (8B)", benchmark="ruler-effective-length")
    assert (llama_70b.value, llama_70b.metadata["claimed_tokens"]) == (64000, 128000)
    assert (llama_8b.value, llama_8b.metadata["claimed_tokens"]) == (32000, 128000)
    assert llama_70b.metadata["link"].endswith("Meta-Llama-3.1-70B-Instruct")
    glm = only(rows(), raw_model_name="GLM4 (9B)", benchmark="ruler-effective-length")
    assert (glm.value, glm.metadata["claimed_length"]) == (64000, "1M")
    assert only(rows(), raw_model_name="Mistral-Nemo", benchmark="ruler-effective-length")


def test_per_length_rows_have_nolimas_shape() -> None:
    score = only(
        rows(),
        raw_model_name="Llama3.1 (70B)",
        benchmark="ruler",
        conditions={"context_tokens": 128000},
    )
    assert score.value == 66.6
    assert score.metadata == {"above_threshold": False}
    underlined = only(
        rows(),
        raw_model_name="Llama3.1 (70B)",
        benchmark="ruler",
        conditions={"context_tokens": 64000},
    )
    assert (underlined.value, underlined.metadata["above_threshold"]) == (88.4, True)
    llama2 = only(rows(), raw_model_name="Llama2 (7B)")
    assert (llama2.benchmark, llama2.value, llama2.conditions) == (
        "ruler",
        85.6,
        {"context_tokens": 4000},
    )


def test_bounds_ranks_and_summaries() -> None:
    # Gemini's link target holds parentheses of its own: the name is still only the link text.
    gemini = only(rows(), raw_model_name="Gemini-1.5-pro", benchmark="ruler-effective-length")
    assert "(Preview%20only)" in gemini.metadata["link"]
    assert (gemini.value, gemini.metadata["bound"], gemini.metadata["as_written"]) == (
        128000,
        "lower",
        ">128K",
    )
    lwm = only(rows(), raw_model_name="LWM (7B)", benchmark="ruler-effective-length")
    assert (lwm.value, lwm.metadata["bound"]) == (4000, "upper")
    assert lwm.metadata["weighted_average_inc"] == 69.9
    assert lwm.metadata["weighted_average_inc_rank"] == 25
    # " 32K" with a leading space, and "(20th)" after a space inside the cell.
    alpaca = only(rows(), raw_model_name="LongAlpaca (13B)", benchmark="ruler-effective-length")
    assert alpaca.metadata["claimed_tokens"] == 32000
    internlm = only(rows(), raw_model_name="InternLM2.5 (7B)", benchmark="ruler-effective-length")
    assert (
        internlm.metadata["weighted_average_inc"],
        internlm.metadata["weighted_average_inc_rank"],
    ) == (77.8, 20)


def _rulers_rule(scores: dict[int, float], threshold: float) -> tuple[int, str]:
    """RULER's effective length: the longest tested length, walking up from the shortest, whose
    score is at least the threshold (the README underlines Llama2's own 85.6 as passing)."""
    passed = None
    for length in sorted(scores):
        if scores[length] < threshold:
            break
        passed = length
    if passed is None:
        return min(scores), "upper"
    return passed, "lower" if passed == max(scores) else "exact"


def test_the_printed_effective_length_is_what_the_85_6_threshold_gives() -> None:
    curves: dict[str, dict[int, float]] = defaultdict(dict)
    marks = []
    for row in rows():
        if row.benchmark == "ruler":
            curves[row.raw_model_name][row.conditions["context_tokens"]] = row.value
            if row.raw_model_name != "Llama2 (7B)":  # the bar itself, written plain
                marks.append((row.value, row.metadata["above_threshold"]))
    effective = [row for row in rows() if row.benchmark == "ruler-effective-length"]
    assert {row.metadata["threshold"] for row in effective} == {85.6}
    # Llama2-7B at 4K, the threshold's source, is the bar itself.
    assert curves["Llama2 (7B)"] == {4000: 85.6}
    for row in effective:
        assert set(curves[row.raw_model_name]) == set(LENGTHS), row.raw_model_name
        expected = _rulers_rule(curves[row.raw_model_name], row.metadata["threshold"])
        assert (row.value, row.metadata["bound"]) == expected, row.raw_model_name
    # And the underlining agrees with the bar on every independent score.
    assert all(underlined == (value >= 85.6) for value, underlined in marks)


def test_a_file_without_the_table_or_with_a_bad_cell_is_refused() -> None:
    with pytest.raises(ParseError, match="Claimed Length"):
        parse_result("ruler", b"# RULER\n\nno table here\n", "README.md")
    header = "|Models|Claimed Length|Effective Length|4K|8K|\n|:---:|:---:|:---:|:---:|:---:|\n"
    with pytest.raises(ParseError) as excinfo:
        parse_result("ruler", (header + "[M](u) (7B)|32K|4K|90.1|abc|\n").encode(), "README.md")
    assert (excinfo.value.row, excinfo.value.field) == (3, "8K")
