"""Every Eval Ever: the real HELM and Open LLM v2 documents, both schema versions, any leaderboard."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from releases.importers import get_importer
from releases.importers.base import ParseError, ParseResult
from releases.importers.eee import EveryEvalEverImporter, documents_zip
from releases.names import normalize_name
from tests.importers.conftest import BUNDLED, catalogue_importer, natural_keys, only

DATA = BUNDLED / "eee" / "data"


@cache
def bundled(leaderboard: str) -> ParseResult:
    importer = catalogue_importer(f"eee-{leaderboard}")
    ((name, raw),) = importer.bundled_inputs(BUNDLED)
    result = importer.parse(raw, file_name=name)
    assert isinstance(result, ParseResult)
    return result


def _document(folder: str) -> dict[str, Any]:
    (path,) = (DATA / folder).glob("*.json")
    return json.loads(path.read_bytes())


@pytest.mark.parametrize(
    ("leaderboard", "documents", "rows"),
    [
        # Five scenarios of 68 models. 91 Lite models on three benchmarks, less one GSM8K of -1.
        ("helm-capabilities", 68, 68 * 5),
        ("helm-mmlu", 15, 15),
        ("helm-lite", 91, 91 * 3 - 1),
        # 64 documents on five mapped evaluations, less six failed runs (0.0).
        ("hfopenllm-v2", 64, 64 * 5 - 6),
    ],
)
def test_each_leaderboard_reads_every_bundled_document(
    leaderboard: str, documents: int, rows: int
) -> None:
    folder = DATA / leaderboard.replace("-", "_")
    assert len(list(folder.rglob("*.json"))) == documents
    result = bundled(leaderboard)
    assert len(result) == rows
    assert len(set(natural_keys(result))) == rows


def test_the_helm_capabilities_examples_of_sources_batch3() -> None:
    rows = bundled("helm-capabilities")
    maverick = "meta/llama-4-maverick-17b-128e-instruct-fp8"
    scout = "meta/llama-4-scout-17b-16e-instruct"
    expected = {
        (maverick, "mmlu-pro"): 81.0,
        (maverick, "gpqa-main"): 65.0,
        (maverick, "ifeval"): 90.8,
        (scout, "mmlu-pro"): 74.2,
        (scout, "gpqa-main"): 50.7,
        (scout, "ifeval"): 81.8,
        ("deepseek-ai/deepseek-v3", "mmlu-pro"): 72.3,
        ("deepseek-ai/deepseek-v3", "ifeval"): 83.2,
    }
    for (model, benchmark), value in expected.items():
        assert only(rows, raw_model_name=model, benchmark=benchmark).value == pytest.approx(value)


def test_helm_mmlu_pro_is_a_1000_question_sample_with_chain_of_thought_and_no_examples() -> None:
    row = only(
        bundled("helm-capabilities"),
        raw_model_name="meta/llama-4-scout-17b-16e-instruct",
        benchmark="mmlu-pro",
    )
    assert row.sample_size == 1000
    assert row.conditions == {"shots": 0, "cot": True}
    assert row.evaluator == "Stanford CRFM HELM"
    assert row.metadata["generation"]["subset"] == "all"
    # The date Every Eval Ever read HELM's published table; no date of evaluation is given.
    assert row.as_of == dt.date(2026, 2, 11)


def test_helm_gpqa_is_gpqa_main_never_diamond() -> None:
    rows = bundled("helm-capabilities")
    assert {row.benchmark for row in rows if row.metadata["evaluation"] == "GPQA"} == {"gpqa-main"}
    assert not [row for row in rows if row.benchmark == "gpqa-diamond"]
    row = only(rows, raw_model_name="deepseek-ai/deepseek-v3", benchmark="gpqa-main")
    assert row.metadata["generation"]["subset"] == "gpqa_main"
    assert row.sample_size == 446


def test_helm_mmlu_all_subjects_is_mmlu_and_the_subjects_are_reported_not_stored() -> None:
    result = bundled("helm-mmlu")
    row = only(result, raw_model_name="deepseek-ai/deepseek-v3")
    assert (row.benchmark, row.value, row.conditions) == ("mmlu", pytest.approx(87.2), {"shots": 5})
    # A mean over 114 runs of 57 subjects: its "# eval" is not an item count.
    assert row.sample_size is None
    assert any("'helm_mmlu/Abstract Algebra'" in s.reason for s in result.skipped)


def test_helm_lite_mmlu_and_math_are_slices_and_not_imported_as_those_benchmarks() -> None:
    result = bundled("helm-lite")
    assert {row.benchmark for row in result} == {"gsm8k", "medqa", "openbookqa"}
    reasons = " ".join(s.reason for s in result.skipped)
    assert "'helm_lite/MMLU'" in reasons and "'helm_lite/MATH'" in reasons


def test_a_missing_value_written_minus_one_is_reported_not_stored() -> None:
    result = bundled("helm-lite")
    phi = "microsoft/phi-3-small-8k-instruct"
    assert not [r for r in result if r.raw_model_name == phi and r.benchmark == "gsm8k"]
    assert any(phi in s.reason and "missing" in s.reason for s in result.skipped)


def test_open_llm_duplicate_runs_at_other_precisions_are_distinct_conditions() -> None:
    rows = bundled("hfopenllm-v2")
    model = "meta-llama/Meta-Llama-3-8B-Instruct"
    bf16 = only(
        rows, raw_model_name=model, benchmark="ifeval", conditions={"precision": "bfloat16"}
    )
    fp16 = only(rows, raw_model_name=model, benchmark="ifeval", conditions={"precision": "float16"})
    assert (bf16.value, fp16.value) == (pytest.approx(74.08), pytest.approx(47.82))
    assert bf16.evaluator == "Hugging Face"


def test_a_failed_open_llm_run_is_reported_and_skipped() -> None:
    result = bundled("hfopenllm-v2")
    assert not [
        r for r in result if r.raw_model_name == "THUDM/glm-4-9b-chat" and r.benchmark == "ifeval"
    ]
    failed = [s for s in result.skipped if "failed run" in s.reason]
    assert len(failed) == 6
    assert any(s.reason.startswith("THUDM/glm-4-9b-chat:") and s.row == "IFEval" for s in failed)


def test_open_llm_examples_are_raw_accuracies() -> None:
    rows = bundled("hfopenllm-v2")
    qwen = "Qwen/Qwen2.5-72B-Instruct"
    assert only(rows, raw_model_name=qwen, benchmark="ifeval").value == pytest.approx(86.38)
    assert only(rows, raw_model_name=qwen, benchmark="mmlu-pro").value == pytest.approx(56.26)
    # The leaderboard does not say which GPQA subset it ran: not imported as any GPQA.
    assert not [r for r in rows if r.benchmark.startswith("gpqa")]


def test_rows_are_keyed_on_the_model_id_not_the_file_name(tmp_path: Path) -> None:
    """The datastore renames every file between commits: the rows must not change."""
    source = DATA / "helm_capabilities" / "meta"
    renamed = tmp_path / "helm_capabilities" / "meta"
    for path in source.rglob("*.json"):
        target = renamed / path.parent.name / "0000-renamed.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    importer = catalogue_importer("eee-helm-capabilities")
    before = importer.parse(documents_zip(source.parent), file_name="a.zip")
    after = importer.parse(importer.read_file(renamed.parent), file_name="b.zip")
    meta = [r for r in before if r.raw_model_name.startswith("meta/")]
    assert meta and natural_keys(meta) == natural_keys(after)
    assert [r.value for r in meta] == [r.value for r in after]


def test_a_single_document_and_a_list_of_documents_read_like_the_zip() -> None:
    importer = catalogue_importer("eee-helm-capabilities")
    scout = _document("helm_capabilities/meta/llama-4-scout-17b-16e-instruct")
    deepseek = _document("helm_capabilities/deepseek-ai/deepseek-v3")
    single = importer.parse(json.dumps(scout).encode(), file_name="scout.json")
    listed = importer.parse(json.dumps([scout, deepseek]).encode(), file_name="two.json")
    assert {r.raw_model_name for r in single} == {"meta/llama-4-scout-17b-16e-instruct"}
    assert len(listed) == 10
    assert {(r.raw_model_name, r.benchmark, r.value) for r in single} <= {
        (r.raw_model_name, r.benchmark, r.value) for r in bundled("helm-capabilities")
    }


def test_documents_of_another_leaderboard_are_reported_not_read() -> None:
    importer = catalogue_importer("eee-helm-capabilities")
    mmlu = _document("helm_mmlu/deepseek-ai/deepseek-v3")
    scout = _document("helm_capabilities/meta/llama-4-scout-17b-16e-instruct")
    result = importer.parse(json.dumps([scout, mmlu]).encode(), file_name="mixed.json")
    assert {r.benchmark for r in result} >= {"mmlu-pro"} and "mmlu" not in {
        r.benchmark for r in result
    }
    assert any("'helm_mmlu'" in s.reason for s in result.skipped)
    with pytest.raises(ParseError, match="no Every Eval Ever document"):
        importer.parse(json.dumps(mmlu).encode(), file_name="mmlu.json")


def _legacy_document() -> dict[str, Any]:
    """A schema 0.1.0 document, in the layout SOURCES-batch3.md gives: top-level source_data as a
    list of URLs, metric names with a suffix, efficiency and general-information figures as
    results of their own ("Mean score" twice), and -1.0 for a missing value."""
    url = "https://storage.googleapis.com/crfm-helm-public/capabilities/benchmark_output/releases/v1.15.0/groups/core_scenarios.json"
    fraction = {
        "lower_is_better": False,
        "score_type": "continuous",
        "min_score": 0.0,
        "max_score": 1.0,
    }
    seconds = {"lower_is_better": True, "score_type": "continuous", "min_score": 0.0}
    count = {"lower_is_better": False, "score_type": "continuous", "min_score": 0.0}

    def result(name: str, score: float, config: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "evaluation_name": name,
            "metric_config": config,
            "score_details": {"score": score},
            **extra,
        }

    return {
        "schema_version": "0.1.0",
        "evaluation_id": "helm_capabilities/meta_llama-4-scout-17b-16e-instruct/1760000000.0",
        "retrieved_timestamp": "1760000000.0",
        "source_data": [url],
        "source_metadata": {
            "source_name": "helm_capabilities",
            "source_type": "documentation",
            "source_organization_name": "crfm",
            "evaluator_relationship": "third_party",
        },
        "model_info": {"name": "Llama 4 Scout", "id": "meta/llama-4-scout-17b-16e-instruct"},
        "evaluation_results": [
            result("Mean score", 0.65, fraction),
            result("Mean score", 7.3, seconds),
            result(
                "MMLU-Pro - COT correct",
                0.742,
                fraction,
                generation_config={
                    "additional_details": {"subset": "all", "use_chain_of_thought": "true"}
                },
            ),
            result("MMLU-Pro - Observed inference time (s)", 5.1, seconds),
            result("MMLU-Pro - # eval", 1000.0, count),
            result("MMLU-Pro - # train", 0.0, count),
            result("GPQA - COT correct", 0.507, fraction),
            result("IFEval - IFEval Strict Acc", -1.0, fraction),
        ],
    }


def test_the_older_schema_0_1_0_is_read_too() -> None:
    importer = catalogue_importer("eee-helm-capabilities")
    result = importer.parse(json.dumps(_legacy_document()).encode(), file_name="legacy.json")
    rows = {row.benchmark: row for row in result}
    assert set(rows) == {"mmlu-pro", "gpqa-main"}
    mmlu_pro = rows["mmlu-pro"]
    assert mmlu_pro.value == pytest.approx(74.2)
    assert mmlu_pro.conditions == {"shots": 0, "cot": True}
    assert mmlu_pro.sample_size == 1000
    assert mmlu_pro.metadata["metric"] == "COT correct"
    assert mmlu_pro.metadata["source_urls"][0].endswith("core_scenarios.json")
    assert mmlu_pro.as_of == dt.date(2025, 10, 9)
    reasons = [s.reason for s in result.skipped]
    # The -1.0 IFEval, and "Mean score" in seconds (the accuracy one has no alias).
    assert any("missing" in r for r in reasons)
    assert any("efficiency" in r for r in reasons)


def test_a_leaderboard_with_no_code_imports_through_catalogue_aliases(tmp_path: Path) -> None:
    """A datastore folder this project has no code for: a slug and an alias are enough."""
    document = {
        "schema_version": "0.2.0",
        "evaluation_id": "global-mmlu-lite/deepseek_deepseek-r1/1760000000.0",
        "retrieved_timestamp": "1760000000.0",
        "evaluation_timestamp": "2025-09-01",
        "source_metadata": {
            "source_name": "Global MMLU Lite",
            "source_type": "documentation",
            "source_organization_name": "Kaggle",
            "evaluator_relationship": "third_party",
        },
        "model_info": {"name": "DeepSeek-R1", "id": "deepseek-ai/deepseek-r1"},
        "evaluation_results": [
            {
                "evaluation_name": "Global MMLU Lite",
                "source_data": {
                    "dataset_name": "global-mmlu-lite",
                    "source_type": "url",
                    "url": ["https://example.org"],
                },
                "metric_config": {"lower_is_better": False, "min_score": 0.0, "max_score": 1.0},
                "score_details": {
                    "score": 0.8,
                    "uncertainty": {
                        "standard_error": {"value": 0.01},
                        "confidence_interval": {
                            "lower": 0.78,
                            "upper": 0.82,
                            "confidence_level": 0.95,
                        },
                        "num_samples": 400,
                    },
                },
            }
        ],
    }
    folder = tmp_path / "global-mmlu-lite" / "deepseek-ai" / "deepseek-r1"
    folder.mkdir(parents=True)
    (folder / "x.json").write_text(json.dumps(document))
    importer = get_importer("eee-global-mmlu-lite")
    assert isinstance(importer, EveryEvalEverImporter)
    assert importer.slug == "eee-global-mmlu-lite"
    raw = importer.read_file(tmp_path / "global-mmlu-lite")
    # No alias yet: reported, nothing guessed.
    with_none = importer.parse(raw, file_name="g.zip")
    assert (
        list(with_none) == [] and "global-mmlu-lite/Global MMLU Lite" in with_none.skipped[0].reason
    )
    # An analyst adds the alias (in the admin); the same bytes now import.
    importer.benchmark_aliases = {
        normalize_name("global-mmlu-lite/Global MMLU Lite"): "mmmlu-non-english"
    }
    (row,) = importer.parse(raw, file_name="g.zip")
    assert (row.benchmark, row.value, row.evaluator) == ("mmmlu-non-english", 80.0, "Kaggle")
    assert (row.std_error, row.ci_low, row.ci_high, row.sample_size) == (1.0, 78.0, 82.0, 400)
    assert row.as_of == dt.date(2025, 9, 1)


def test_a_first_party_document_is_not_a_measurement() -> None:
    document = _document("helm_capabilities/meta/llama-4-scout-17b-16e-instruct")
    document["source_metadata"]["evaluator_relationship"] = "first_party"
    result = catalogue_importer("eee-helm-capabilities").parse(json.dumps(document).encode())
    assert list(result) == []
    assert "first_party" in result.skipped[0].reason


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema_version="9.0.0"), "schema version"),
        (lambda d: d["model_info"].pop("id"), "model id"),
        (lambda d: d["evaluation_results"][1]["score_details"].update(score=81), "above max_score"),
        (
            lambda d: d["evaluation_results"][1]["score_details"].update(score="high"),
            "not a number",
        ),
    ],
)
def test_a_broken_document_names_the_file_and_field(change: Any, message: str) -> None:
    document = _document("helm_capabilities/meta/llama-4-scout-17b-16e-instruct")
    change(document)
    with pytest.raises(ParseError, match=message) as excinfo:
        catalogue_importer("eee-helm-capabilities").parse(
            json.dumps(document).encode(), file_name="d.json"
        )
    assert excinfo.value.file_name == "d.json"


def test_the_bundled_zip_is_the_same_bytes_every_time() -> None:
    importer = get_importer("eee-helm-mmlu")
    assert importer.bundled_inputs(BUNDLED) == importer.bundled_inputs(BUNDLED)
    ((name, raw),) = importer.bundled_inputs(BUNDLED)
    assert name == "helm_mmlu.zip"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert len(archive.namelist()) == 15
        assert all(n.startswith("helm_mmlu/") for n in archive.namelist())
