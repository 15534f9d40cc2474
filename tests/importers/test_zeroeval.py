"""ZeroEval: one file per benchmark, percentages as strings, providers and partial runs."""

from __future__ import annotations

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseResult
from tests.importers.conftest import BUNDLED, catalogue_importer, natural_keys, only, read


def parsed(name: str) -> ParseResult:
    result = catalogue_importer("zeroeval").parse(read(f"zeroeval/{name}"), file_name=name)
    assert isinstance(result, ParseResult)
    return result


def test_mmlu_redux_examples_of_sources_batch3() -> None:
    rows = parsed("mmlu-redux.summary.json")
    assert len(rows) == 55
    assert {row.benchmark for row in rows} == {"mmlu-redux"}
    for model, value in [
        ("Qwen2.5-72B-Instruct", 85.57),
        ("Meta-Llama-3.1-70B-Instruct", 82.97),
        ("gpt-4o-2024-05-13", 88.01),
    ]:
        row = only(rows, raw_model_name=model)
        assert row.value == pytest.approx(value)
        assert (row.sample_size, row.conditions) == (2778, {"shots": 0, "decoding": "greedy"})


def test_each_provider_of_one_model_is_its_own_name() -> None:
    names = {row.raw_model_name for row in parsed("mmlu-redux.summary.json")}
    assert {
        "Llama-3.1-405B-Inst@sambanova",
        "Llama-3.1-405B-Inst-fp8@together",
        "Llama-3.1-405B-Inst@hyperbolic",
    } <= names


def test_a_partial_run_is_reported_and_not_stored() -> None:
    result = parsed("math-l5.summary.json")
    assert len(result) == 38 and {r.benchmark for r in result} == {"math-level-5"}
    assert "Meta-Llama-3.1-70B-Instruct@hyperbolic" not in {r.raw_model_name for r in result}
    assert any("(425 of 721 items)" in s.reason for s in result.skipped)


def test_zebra_grid_reads_puzzle_accuracy() -> None:
    rows = parsed("zebra-grid.summary.json")
    row = only(rows, raw_model_name="o1-preview-2024-09-12")
    assert (row.benchmark, row.value, row.sample_size) == ("zebralogic", 71.4, 1000)
    assert row.metadata["cell_acc"] == "75.14"
    # Some models were run greedy and sampling: two figures, two conditions.
    sonnet = [r for r in rows if r.raw_model_name == "claude-3-5-sonnet-20240620"]
    assert {r.conditions["decoding"] for r in sonnet} == {"greedy", "sampling"}


def test_a_file_no_benchmark_claims_and_the_summary_are_reported() -> None:
    crux = parsed("crux.summary.json")
    assert list(crux) == [] and "'zeroeval/crux.summary.json'" in crux.skipped[0].reason
    summary = parsed("summary.json")
    assert list(summary) == [] and summary.skipped


def test_a_refresh_fetches_every_benchmark_file_and_parses_them_as_one() -> None:
    importer = catalogue_importer("zeroeval")
    live = "https://raw.githubusercontent.com/yuchenlin/ZeroEval/main/result_dirs/mmlu-redux.summary.json"
    urls = importer.live_urls(live)
    assert urls[0] == live and len(urls) == 5
    bodies = [(BUNDLED / "zeroeval" / url.rsplit("/", 1)[1]).read_bytes() for url in urls]
    raw = importer.combine_bodies(urls, bodies)
    assert raw == importer.combine_bodies(list(reversed(urls)), list(reversed(bodies)))
    rows = importer.parse(raw, file_name="mmlu-redux.summary.json")
    assert len(rows) == 55 + 44 + 38 + 60
    assert len(set(natural_keys(rows))) == len(rows)
    assert get_importer("zeroeval").bundled_inputs(BUNDLED)[0][0] == "crux.summary.json"
