"""Swallow: English and Japanese results, benchmarks named by the catalogue's aliases."""

from __future__ import annotations

from functools import cache

import pytest

from releases.importers.base import ParseError, ParseResult
from tests.importers.conftest import catalogue_importer, natural_keys, only, read

SCOUT = "meta-llama/Llama-4-Scout-17B-16E-Instruct"
SCOUT_BASE = "meta-llama/Llama-4-Scout-17B-16E"


@cache
def parsed() -> ParseResult:
    result = catalogue_importer("swallow").parse(read("swallow/model.yml"), file_name="model.yml")
    assert isinstance(result, ParseResult)
    return result


def test_every_model_and_mapped_task_is_read_once() -> None:
    rows = parsed()
    # 118 models: 68 post-trained with 11 mapped tasks, 50 base models with 17.
    assert len({row.raw_model_name for row in rows}) == 118
    assert len(rows) == 68 * 11 + 50 * 17
    assert len(set(natural_keys(rows))) == len(rows)


def test_the_examples_of_sources_batch3() -> None:
    rows = parsed()
    for model, benchmark, value in [
        (SCOUT, "mmlu-pro", 74.4),
        (SCOUT, "math-500", 83.4),
        (SCOUT, "mmlu-prox-ja", 68.7),
        (SCOUT_BASE, "mmlu", 78.0),
        (SCOUT_BASE, "math", 52.2),
        (SCOUT_BASE, "mgsm-ja", 76.0),
        (SCOUT_BASE, "jmmlu", 73.6),
    ]:
        assert only(rows, raw_model_name=model, benchmark=benchmark).value == pytest.approx(value)


def test_en_post_mifevalja_is_ifbench_and_ja_post_mifevalja_is_m_ifeval_ja() -> None:
    rows = parsed()
    assert only(rows, raw_model_name=SCOUT, benchmark="ifbench").value == pytest.approx(37.2)
    assert only(rows, raw_model_name=SCOUT, benchmark="m-ifeval-ja").value == pytest.approx(61.1)
    assert not [row for row in rows if row.benchmark == "ifeval"]


def test_japanese_benchmarks_are_never_their_english_namesakes() -> None:
    rows = parsed()
    japanese = only(rows, raw_model_name=SCOUT, benchmark="gpqa-main-ja")
    assert japanese.metadata["section"] == "ja_post"
    assert {r.benchmark for r in rows if r.metadata["section"].startswith("ja_")}.isdisjoint(
        {"mmlu-pro", "mmlu", "mgsm", "gpqa-diamond", "humaneval"}
    )


def test_unstated_subsets_windows_and_averages_are_reported_not_guessed() -> None:
    result = parsed()
    scout = [r for r in result if r.raw_model_name == SCOUT]
    # The English GPQA subset is not stated; "LCB v6" is not a vendor's problem window.
    assert not [
        r for r in scout if r.benchmark.startswith("gpqa-diamond") or r.benchmark == "livecodebench"
    ]
    reasons = {s.reason for s in result.skipped if s.reason.startswith(SCOUT)}
    assert f"{SCOUT}: no benchmark in the catalogue has the alias 'swallow/en_post/GPQA'" in reasons
    assert f"{SCOUT}: no benchmark in the catalogue has the alias 'swallow/en_post/LCB'" in reasons
    assert not [r for r in result if r.metadata["key"] == "avg"]


def test_rows_carry_no_date_of_their_own() -> None:
    # An entry's `date` is the model's release, not the evaluation: rows take the file's date.
    assert {row.as_of for row in parsed()} == {None}


def test_a_score_above_one_is_an_error_naming_the_model_and_key() -> None:
    raw = b"- id: m\n  model_id: m\n  results:\n    en_pre:\n      MMLU: 78\n"
    with pytest.raises(ParseError, match="from 0 to 1") as excinfo:
        catalogue_importer("swallow").parse(raw, file_name="model.yml")
    assert (excinfo.value.row, excinfo.value.field) == ("m", "en_pre.MMLU")
