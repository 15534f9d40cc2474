"""Golden cases for batch 3: the curated claims scored on the bundled HELM, Swallow and ZeroEval
files, through the real importers (loaded once for the module, as `make run` loads them)."""

from __future__ import annotations

import math

import pytest

from releases.models import Claim, GapScore, Measurement

HELM = "Stanford CRFM HELM"


def _claim(**filters) -> Claim:  # type: ignore[no-untyped-def]
    return Claim.objects.get(status=Claim.Status.PUBLISHED, **filters)


def _current(claim: Claim) -> GapScore:
    return GapScore.objects.get(claim=claim, is_current=True)


def _used_by(score: GapScore) -> dict[str, dict]:
    return {u["evaluator"]: u for u in score.inputs["used"]}


def test_maverick_mmlu_pro_is_checked_against_helm(real_data, db) -> None:
    claim = _claim(variant__slug="llama-4-maverick-instruct", benchmark__slug="mmlu-pro")
    assert claim.stated_value == 80.5
    score = _current(claim)
    assert score.verdict == "holds"
    [used] = score.inputs["used"]
    measurement = Measurement.objects.get(pk=used["measurement_ids"][0])
    # HELM's FP8 checkpoint of the released instruct model, MMLU-Pro on a 1,000-question sample.
    assert (used["evaluator"], used["value"]) == (HELM, pytest.approx(81.0))
    assert measurement.raw_model_name == "meta/llama-4-maverick-17b-128e-instruct-fp8"
    assert measurement.sample_size == 1000
    # The sample's binomial uncertainty, in points: sqrt(p(1-p)/n).
    assert used["std_error"] == pytest.approx(100 * math.sqrt(0.81 * 0.19 / 1000))
    assert score.gap == pytest.approx(80.5 - 81.0)
    assert score.z == pytest.approx(-0.5 / (used["std_error"] * math.sqrt(2)))
    # HELM ran it with chain of thought; the card does not say: comparable, flagged.
    assert "conditions_mismatch" in score.flags


def test_scout_mmlu_pro_is_checked_against_helm_and_swallow(real_data, db) -> None:
    claim = _claim(variant__slug="llama-4-scout-instruct", benchmark__slug="mmlu-pro")
    assert claim.stated_value == 74.3
    score = _current(claim)
    assert score.verdict == "holds"
    used = _used_by(score)
    assert used[HELM]["value"] == pytest.approx(74.2)
    assert Measurement.objects.get(pk=used[HELM]["measurement_ids"][0]).sample_size == 1000
    swallow = used["Swallow LLM team (Institute of Science Tokyo)"]
    assert swallow["value"] == pytest.approx(74.4)
    # Swallow states no uncertainty: the median of the two, 74.3.
    assert score.aggregate == pytest.approx(74.3)
    assert score.gap == pytest.approx(0.0, abs=1e-9)


def test_deepseek_v3_mmlu_is_checked_against_helm_mmlu(real_data, db) -> None:
    claim = _claim(variant__slug="deepseek-v3-chat", benchmark__slug="mmlu")
    assert claim.stated_value == 88.5
    score = _current(claim)
    assert score.verdict != "unverified"
    used = _used_by(score)
    assert used[HELM]["value"] == pytest.approx(87.2)
    measurement = Measurement.objects.get(pk=used[HELM]["measurement_ids"][0])
    assert (measurement.source.slug, measurement.raw_model_name) == (
        "eee-helm-mmlu",
        "deepseek-ai/deepseek-v3",
    )
    assert measurement.conditions == {"shots": 5}


def test_scout_gpqa_diamond_never_uses_helm_gpqa_main(real_data, db) -> None:
    claim = _claim(variant__slug="llama-4-scout-instruct", benchmark__slug="gpqa-diamond")
    score = _current(claim)
    assert Measurement.objects.filter(
        benchmark__slug="gpqa-main", variant__slug="llama-4-scout-instruct"
    ).exists()
    assert {u["benchmark"] for u in score.inputs["used"]} <= {"gpqa-diamond"}
    used_ids = {i for u in score.inputs["used"] for i in u["measurement_ids"]}
    assert not Measurement.objects.filter(pk__in=used_ids, benchmark__slug="gpqa-main").exists()


def test_qwen_mmlu_redux_is_checked_against_zeroeval(real_data, db) -> None:
    claims = Claim.objects.filter(
        status=Claim.Status.PUBLISHED,
        variant__slug="qwen2-5-72b-instruct",
        benchmark__slug="mmlu-redux",
    )
    assert claims.exists()
    for claim in claims:
        score = _current(claim)
        assert "ZeroEval" in _used_by(score), claim.pk
        assert _used_by(score)["ZeroEval"]["value"] == pytest.approx(85.57)
