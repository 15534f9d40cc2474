"""Related benchmarks are shown beside a verdict, labelled, and never enter it."""

from __future__ import annotations

import pytest

from releases.scoring import Coverage, score_claim
from releases.scoring.inputs import Benchmark
from releases.scoring.related import relation_to
from tests.scoring.builders import AS_OF, claim, measurement

DIAMOND = Benchmark("gpqa-diamond", "GPQA Diamond", "percent")
MAIN = Benchmark(
    "gpqa-main",
    "GPQA (main set)",
    "percent",
    related_to="gpqa-diamond",
    relation="different question subset",
)
MATH = Benchmark("math", "MATH", "percent")
LEVEL_5 = Benchmark(
    "math-level-5",
    "MATH Level 5",
    "percent",
    related_to="math",
    relation="harder subset",
    related_to_name="MATH",
)
MATH_500 = Benchmark(
    "math-500", "MATH-500", "percent", related_to="math", relation="different question subset"
)


def test_relations_either_way_round_and_between_siblings() -> None:
    assert relation_to(DIAMOND, MAIN) == "different question subset vs GPQA Diamond"
    assert relation_to(MAIN, DIAMOND) == (
        "GPQA (main set) is the different question subset of this one"
    )
    assert relation_to(MATH_500, LEVEL_5) == (
        "harder subset vs MATH, as MATH-500 is a different question subset"
    )
    assert relation_to(DIAMOND, DIAMOND) is None
    assert relation_to(DIAMOND, MATH) is None


def test_a_related_figure_is_context_never_the_verdict() -> None:
    helm_main = measurement(50.7, MAIN, evaluator="Stanford CRFM HELM", std_error=2.0)
    epoch_diamond = measurement(58.0, DIAMOND, evaluator="Epoch AI", std_error=3.0)
    scored = score_claim(claim(57.2, DIAMOND), [helm_main, epoch_diamond], AS_OF)
    assert scored.verdict == "holds"
    assert [u.evaluator for u in scored.used] == ["Epoch AI"]
    assert scored.aggregate == pytest.approx(58.0)
    [related] = scored.related
    assert (related.benchmark, related.value, related.relation) == (
        "gpqa-main",
        50.7,
        "different question subset vs GPQA Diamond",
    )
    assert helm_main.id not in scored.measurement_ids
    assert "related, not in the verdict: Stanford CRFM HELM measured 50.7% on GPQA (main set)" in (
        scored.explanation
    )
    assert scored.explanation.endswith(": the claim holds.")


def test_only_related_measured_is_unverified_and_says_so() -> None:
    helm_main = measurement(50.7, MAIN, evaluator="Stanford CRFM HELM")
    scored = score_claim(claim(57.2, DIAMOND), [helm_main], AS_OF, coverage=Coverage())
    assert (scored.verdict, scored.reason) == ("unverified", "only_related")
    assert scored.aggregate is None
    assert (
        "none of the leaderboards claimsdb tracks has measured the public model on GPQA Diamond itself"
        in (scored.explanation)
    )
    assert "GPQA (main set) (different question subset vs GPQA Diamond)" in scored.explanation
