"""Golden cases for the batch-3 leaderboards (EvalPlus, RULER, LiveCodeBench, Vals), and the
coverage report, on the real claims and every bundled snapshot through the real importers."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from releases.models import Claim, GapScore, Measurement
from releases.scoring.coverage import REASONS
from tests.conftest import PUBLISHED_CLAIMS

# What the bundled data checks: 12 claims before batch 3, and 18 more with it (HELM, Swallow,
# ZeroEval and Vals; see the per-family assertions below). Method 2.1 no longer scores a figure
# for one checkpoint against another's measurements, which took 6 away (DeepSeek-V3 base MMLU,
# HumanEval and MGSM against the chat model; Llama 4 Scout base MMLU-Pro and Qwen2.5-72B-Instruct
# MATH and HumanEval against the other checkpoint): they are not comparable now, shown as context.
CHECKED = 30
PUBLISHED = PUBLISHED_CLAIMS
# The claims whose only measurements are of another checkpoint (method 2.1).
OTHER_CHECKPOINT = {
    ("deepseek-v3-base", "mmlu", 87.1),
    ("deepseek-v3-base", "humaneval", 65.2),
    ("deepseek-v3-base", "mgsm", 79.8),
    ("llama-4-scout-base", "mmlu-pro", 58.2),
    ("qwen2-5-72b-instruct", "math", 83.1),
    ("qwen2-5-72b-instruct", "humaneval", 86.6),
}


def _claim(**filters) -> Claim:  # type: ignore[no-untyped-def]
    return Claim.objects.get(status=Claim.Status.PUBLISHED, **filters)


def _current(claim: Claim) -> GapScore:
    return GapScore.objects.get(claim=claim, is_current=True)


def _key(claim_id: int) -> tuple[str, str, float | None]:
    """A claim as (variant or release, benchmark or kind, stated value): ids differ per database."""
    claim = Claim.objects.select_related("variant", "benchmark", "release").get(pk=claim_id)
    subject = claim.variant.slug if claim.variant else claim.release.slug
    return (subject, claim.benchmark.slug if claim.benchmark else claim.kind, claim.stated_value)


def test_maverick_mgsm_holds_against_vals(real_data, db) -> None:
    claim = _claim(variant__slug="llama-4-maverick-instruct", benchmark__slug="mgsm")
    score = _current(claim)
    assert claim.stated_value == 92.3
    assert score.verdict == "holds"
    [used] = score.inputs["used"]
    measured = Measurement.objects.get(pk=used["measurement_ids"][0])
    assert (measured.source.slug, measured.raw_model_name, measured.value) == (
        "vals",
        "fireworks/llama4-maverick-instruct-basic",
        92.436,
    )
    assert measured.conditions == {}  # Vals' overall MGSM, not one language
    assert score.aggregate == pytest.approx(92.436)
    assert score.gap == pytest.approx(92.3 - 92.436)
    assert "Vals AI measured 92.4% (± 1.6, one standard error)" in score.explanation


def test_scout_mgsm_is_scored_on_vals_overall_never_on_one_language(real_data, db) -> None:
    score = _current(_claim(variant__slug="llama-4-scout-instruct", benchmark__slug="mgsm"))
    assert score.verdict == "holds"
    [used] = score.inputs["used"]
    assert used["value"] == pytest.approx(87.964)
    languages = Measurement.objects.filter(
        source__slug="vals",
        raw_model_name__contains="Llama-4-Scout",
        conditions__has_key="language",
    )
    assert languages.count() == 7
    assert not set(languages.values_list("pk", flat=True)) & set(score.measurement_ids)


def test_a_related_benchmark_is_shown_never_used(real_data, db) -> None:
    mbpp = _current(_claim(variant__slug="deepseek-v3-base", benchmark__slug="mbpp"))
    assert (mbpp.verdict, mbpp.inputs["reason"]) == ("unverified", "only_related")
    assert {u["benchmark"] for u in mbpp.inputs["related"]} == {"mbpp-evalplus", "mbpp-plus"}
    assert mbpp.measurement_ids == [] and mbpp.aggregate is None
    assert "only on related benchmarks, which never enter the verdict" in mbpp.explanation

    # DeepSeek-V3's base-model HumanEval figure: EvalPlus ran the chat model, another checkpoint
    # (shown as context, never compared); HumanEval+ is shown as related, never used.
    humaneval = _current(_claim(variant__slug="deepseek-v3-base", benchmark__slug="humaneval"))
    assert (humaneval.verdict, humaneval.inputs["reason"]) == ("not_comparable", "other_checkpoint")
    assert humaneval.inputs["used"] == [] and humaneval.aggregate is None
    [context] = humaneval.inputs["context"]
    assert (context["benchmark"], context["value"]) == ("humaneval", 91.5)
    assert context["variant"] == "DeepSeek-V3 (chat)"
    [related] = humaneval.inputs["related"]
    assert (related["benchmark"], related["value"]) == ("humaneval-plus", 86.6)
    assert related["measurement_ids"][0] not in humaneval.measurement_ids
    assert "related, not in the verdict: EvalPlus measured 86.6% on HumanEval+" in (
        humaneval.explanation
    )


def test_a_figure_for_one_checkpoint_is_never_scored_on_another(real_data, db) -> None:
    """Method 2.1: Scout's base-model MMLU-Pro 58.2 (5-shot) against Swallow's instruct 74.4 read
    "understated"; Qwen2.5-72B-Instruct's MATH 83.1 against the base model's 62.6 would read
    "substantially overstated". Neither is the same model: not comparable, the other shown."""
    found = set()
    for score in GapScore.objects.filter(is_current=True, inputs__reason="other_checkpoint"):
        found.add(_key(score.claim_id))
        assert score.verdict == "not_comparable" and score.flags == ["variant_mismatch"]
        assert score.measurement_ids == [
            c for u in score.inputs["context"] for c in u["measurement_ids"]
        ]
        assert score.gap is None and score.inputs["used"] == []
        assert "another checkpoint of" in score.explanation
    assert found == OTHER_CHECKPOINT
    scout = _current(_claim(variant__slug="llama-4-scout-base", benchmark__slug="mmlu-pro"))
    assert (
        "Swallow LLM team (Institute of Science Tokyo) measured 74.4% on Llama 4 Scout (instruction tuned)"
        in scout.explanation
    )
    assert "a different model from Llama 4 Scout (pre-trained)" in scout.explanation


def test_an_lcb_claim_without_a_window_is_not_scored_on_any_window(real_data, db) -> None:
    for claim in Claim.objects.filter(
        status=Claim.Status.PUBLISHED, release__slug="deepseek-v3", benchmark__slug="livecodebench"
    ):
        assert "date_range" not in claim.conditions
        score = _current(claim)
        assert (score.verdict, score.inputs["reason"]) == ("not_comparable", "other_conditions")
        assert score.measurement_ids == []


def test_every_unverified_verdict_says_why_and_never_that_nobody_measured(real_data, db) -> None:
    for score in GapScore.objects.filter(
        is_current=True, verdict__in=["unverified", "not_comparable"]
    ):
        assert score.inputs["reason"] in REASONS, score.claim_id
        assert "no independent evaluator" not in score.explanation
        assert "nobody" not in score.explanation
    # Maverick's ChartQA claim: no tracked leaderboard measures ChartQA. (Qwen2.5-72B's base MMLU,
    # the example before batch 3's HELM and Swallow files, is now checked.)
    chartqa = _current(_claim(variant__slug="llama-4-maverick-instruct", benchmark__slug="chartqa"))
    assert chartqa.inputs["reason"] == "no_tracked_source"
    assert "none of the leaderboards claimsdb tracks" in chartqa.explanation


def test_coverage_report_counts_the_checked_claims_and_what_each_new_family_checks(
    real_data, db
) -> None:
    out = StringIO()
    call_command("coverage_report", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["claims"], report["scored"], report["checked"]) == (
        PUBLISHED,
        PUBLISHED,
        CHECKED,
    )
    by_source = {s: {_key(i) for i in ids} for s, ids in report["checked_by_source"].items()}
    assert by_source["vals"] == {
        ("llama-4-maverick-instruct", "mgsm", 92.3),
        ("llama-4-scout-instruct", "mgsm", 90.6),
        ("deepseek-v3-chat", "aime-2024", 39.2),
        ("deepseek-r1", "aime-2024", 79.8),
    }
    # EvalPlus measured DeepSeek-V3's chat model; the one claim on it is the base model's.
    assert "evalplus" not in by_source
    # No claim states a window LiveCodeBench covers for a model it tests (its 16 models have no
    # Llama 4 and no Qwen2.5; DeepSeek-V3's claims state no window), and no context-window claim
    # is about a model RULER tests independently.
    assert "livecodebench" not in by_source and "ruler" not in by_source
    assert sum(report["by_reason"].values()) == PUBLISHED - CHECKED
    assert report["by_reason"]["other_checkpoint"] == len(OTHER_CHECKPOINT)
    groups = {
        (release["release"], benchmark["benchmark"])
        for release in report["releases"]
        for benchmark in release["benchmarks"]
    }
    assert ("llama-4-maverick", "mgsm") in groups

    text = StringIO()
    call_command("coverage_report", stdout=text)
    assert f"{PUBLISHED} published claims, {PUBLISHED} scored, {CHECKED} checked" in text.getvalue()
    assert "by vals" in text.getvalue()
