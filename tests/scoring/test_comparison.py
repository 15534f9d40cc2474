"""Comparison claims: "Orca 2 beats Heron 5", from the measured ordering of both models."""

from __future__ import annotations

import math
from datetime import date

import pytest

from releases.scoring import score_claim
from releases.scoring.comparison import (
    COMPARISON_HOLDS_ABOVE,
    COMPARISON_SUBSTANTIAL_BELOW,
    FAILED,
    HELD,
    LEVEL,
)
from releases.scoring.inputs import Release, Variant
from releases.scoring.method import (
    HOLDS,
    OVERSTATED,
    SINGLE_SOURCE,
    SUBSTANTIALLY_OVERSTATED,
    UNVERIFIED,
    VARIANT_MISMATCH,
)
from tests.scoring.builders import (
    AS_OF,
    EXPERIMENTAL,
    HERON,
    INSTRUCT,
    RIVAL_VARIANT,
    RIVAL_VENDOR,
    VENDOR,
    comparison_claim,
    elo_benchmark,
    measurement,
    percent_benchmark,
    rank_benchmark,
    score_benchmark,
)


def _pair(own, theirs, benchmark=None, *, evaluator="Epoch AI", own_se=None, their_se=None, **kw):
    """The same evaluator's figures for both models on one benchmark."""
    benchmark = benchmark or percent_benchmark()
    return [
        measurement(own, benchmark, evaluator=evaluator, std_error=own_se, **kw),
        measurement(
            theirs, benchmark, variant=RIVAL_VARIANT, evaluator=evaluator, std_error=their_se, **kw
        ),
    ]


def _outcomes(scored):
    return [(c.benchmark, c.outcome) for c in scored.comparisons]


def test_thresholds():
    assert COMPARISON_HOLDS_ABOVE == 0.5
    assert COMPARISON_SUBSTANTIAL_BELOW == 0.25


@pytest.mark.parametrize(
    ("own", "theirs", "outcome"),
    [
        (70.0, 60.0, HELD),  # z = 10 / sqrt(2) = 7.1
        (55.0, 60.0, FAILED),  # z = -3.5
        (61.0, 60.0, LEVEL),  # z = 0.7
    ],
)
def test_outcome_by_z_when_uncertainty_is_known(own, theirs, outcome):
    scored = score_claim(comparison_claim(), _pair(own, theirs, own_se=1.0, their_se=1.0), AS_OF)
    (comparison,) = scored.comparisons
    assert comparison.z == pytest.approx((own - theirs) / math.sqrt(2))
    assert comparison.outcome == outcome
    assert (comparison.own, comparison.theirs) == (own, theirs)
    assert comparison.difference == pytest.approx(own - theirs)
    assert comparison.rival == "Heron 5"


def test_z_at_the_significance_line():
    just_below = _pair(62.8, 60.0, own_se=1.0, their_se=1.0)  # z = 1.98
    just_above = _pair(62.9, 60.0, own_se=1.0, their_se=1.0)  # z = 2.05
    assert score_claim(comparison_claim(), just_below, AS_OF).comparisons[0].outcome == LEVEL
    assert score_claim(comparison_claim(), just_above, AS_OF).comparisons[0].outcome == HELD


def test_a_large_difference_within_the_uncertainty_is_level():
    rows = _pair(70.0, 60.0, own_se=5.0, their_se=5.0)  # 10 points, z = 1.41
    assert score_claim(comparison_claim(), rows, AS_OF).comparisons[0].outcome == LEVEL


@pytest.mark.parametrize(
    ("own", "theirs", "outcome"),
    [
        (63.5, 60.0, HELD),
        (62.5, 60.0, LEVEL),
        (63.0, 60.0, LEVEL),  # exactly the "holds" band: not beyond it
        (57.5, 60.0, LEVEL),
        (56.5, 60.0, FAILED),
    ],
)
def test_outcome_by_the_threshold_band_when_uncertainty_is_unknown(own, theirs, outcome):
    (comparison,) = score_claim(comparison_claim(), _pair(own, theirs), AS_OF).comparisons
    assert comparison.z is None
    assert comparison.outcome == outcome


@pytest.mark.parametrize(
    ("own", "theirs", "outcome"),
    [(1310.0, 1288.0, HELD), (1300.0, 1288.0, LEVEL), (1260.0, 1288.0, FAILED)],
)
def test_elo_band_is_rating_points(own, theirs, outcome):
    rows = _pair(own, theirs, elo_benchmark(), evaluator="Chat Arena")
    assert score_claim(comparison_claim(), rows, AS_OF).comparisons[0].outcome == outcome


@pytest.mark.parametrize(
    ("own", "outcome"), [(8.5, HELD), (8.3, LEVEL), (7.5, FAILED), (7.7, LEVEL)]
)
def test_score_band_is_relative_to_the_rival(own, outcome):
    # 5% of the rival's 8.0 is 0.4.
    rows = _pair(own, 8.0, score_benchmark())
    assert score_claim(comparison_claim(), rows, AS_OF).comparisons[0].outcome == outcome


def test_ranks_are_skipped():
    rows = _pair(2.0, 9.0, rank_benchmark(), evaluator="Chat Arena")
    scored = score_claim(comparison_claim(), rows, AS_OF)
    assert scored.comparisons == ()
    assert scored.verdict == UNVERIFIED


def test_category_scoped_measurements_are_skipped():
    rows = _pair(70.0, 50.0, conditions={"category": "coding"}) + _pair(
        60.0, 50.0, elo_benchmark("sliced"), conditions={"context_tokens": 8000}
    )
    scored = score_claim(comparison_claim(), rows, AS_OF)
    assert scored.comparisons == ()
    assert scored.verdict == UNVERIFIED


def test_only_evaluators_that_measured_both_sides():
    both = _pair(70.0, 60.0, evaluator="Vals AI")
    own_only = measurement(40.0, evaluator="Epoch AI")
    rival_only = measurement(90.0, variant=RIVAL_VARIANT, evaluator="Artificial Analysis")
    scored = score_claim(comparison_claim(), [*both, own_only, rival_only], AS_OF)
    (comparison,) = scored.comparisons
    assert (comparison.own, comparison.theirs) == (70.0, 60.0)
    assert comparison.measurement_ids == tuple(sorted(m.id for m in both))
    # A comparison keeps its measurements on each Comparison, not in Score.used.
    assert scored.used == ()
    assert scored.measurement_ids == comparison.measurement_ids
    assert SINGLE_SOURCE in scored.flags


def test_no_evaluator_in_common_is_unverified():
    rows = [
        measurement(70.0, evaluator="Epoch AI"),
        measurement(60.0, variant=RIVAL_VARIANT, evaluator="Vals AI"),
    ]
    scored = score_claim(comparison_claim(), rows, AS_OF)
    assert scored.verdict == UNVERIFIED
    assert "none of the leaderboards claimsdb tracks has measured both" in scored.explanation


@pytest.mark.parametrize("evaluator", [VENDOR, RIVAL_VENDOR.lower()])
def test_neither_vendor_judges_the_race(evaluator):
    rows = _pair(70.0, 60.0, evaluator=evaluator)
    assert score_claim(comparison_claim(), rows, AS_OF).verdict == UNVERIFIED


def test_the_latest_figures_as_of_the_date():
    old = _pair(70.0, 60.0, as_of=date(2025, 4, 10))
    new = _pair(58.0, 60.0, as_of=date(2025, 5, 10))
    assert _outcomes(score_claim(comparison_claim(), old + new, AS_OF)) == [("reasoning-qa", LEVEL)]
    assert _outcomes(score_claim(comparison_claim(), old + new, date(2025, 5, 1))) == [
        ("reasoning-qa", HELD)
    ]


def test_several_evaluators_are_aggregated_per_side():
    rows = _pair(70.0, 60.0, evaluator="Epoch AI", own_se=2.0, their_se=2.0) + _pair(
        66.0, 64.0, evaluator="Vals AI", own_se=2.0, their_se=2.0
    )
    (comparison,) = score_claim(comparison_claim(), rows, AS_OF).comparisons
    assert comparison.own == pytest.approx(68.0)
    assert comparison.theirs == pytest.approx(62.0)
    assert comparison.z == pytest.approx(6.0 / math.sqrt(2 + 2))
    assert comparison.outcome == HELD


def test_a_named_benchmark_limits_the_comparison():
    arena = elo_benchmark()
    rows = _pair(70.0, 60.0) + _pair(1250.0, 1300.0, arena, evaluator="Chat Arena")
    scored = score_claim(comparison_claim(benchmark=arena), rows, AS_OF)
    assert _outcomes(scored) == [(arena.slug, FAILED)]
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED


def _benchmarks_with(outcomes):
    """One benchmark per wanted outcome, with no uncertainty (the threshold band decides)."""
    rows = []
    for index, outcome in enumerate(outcomes):
        own = {HELD: 70.0, LEVEL: 60.0, FAILED: 50.0}[outcome]
        rows += _pair(own, 60.0, percent_benchmark(f"bench-{index}", f"Bench {index}"))
    return rows


@pytest.mark.parametrize(
    ("outcomes", "verdict"),
    [
        ([HELD], HOLDS),
        ([HELD, HELD, HELD, FAILED], HOLDS),  # 0.75
        ([HELD, HELD, LEVEL, FAILED], OVERSTATED),  # exactly 0.5: not more than half
        ([HELD, LEVEL, LEVEL, FAILED], OVERSTATED),  # exactly 0.25
        ([HELD, LEVEL, LEVEL, LEVEL, FAILED], SUBSTANTIALLY_OVERSTATED),  # 0.2
        ([LEVEL], SUBSTANTIALLY_OVERSTATED),  # level is not "beats"
        ([FAILED, FAILED], SUBSTANTIALLY_OVERSTATED),
    ],
)
def test_verdict_from_the_share_held(outcomes, verdict):
    scored = score_claim(comparison_claim(), _benchmarks_with(outcomes), AS_OF)
    assert sorted(c.outcome for c in scored.comparisons) == sorted(outcomes)
    share = outcomes.count(HELD) / len(outcomes)
    assert scored.aggregate == pytest.approx(share)
    assert scored.gap == pytest.approx(1 - share)
    assert scored.verdict == verdict


def test_explanation_names_the_count():
    scored = score_claim(comparison_claim(), _benchmarks_with([HELD, HELD, LEVEL, FAILED]), AS_OF)
    assert scored.explanation == (
        "Acme AI claimed Orca 2 beats Heron 5; independent measurements on 4 benchmarks put it "
        "ahead in 2 of 4 head-to-head comparisons (behind in 1, level in 1): overstated."
    )


def test_each_rival_is_compared():
    other_variant = Variant(id=31, name="Kite-3-Instruct", is_public=True)
    kite = Release(name="Kite 3", vendor="Kite Co", variants=(other_variant,))
    rows = [*_pair(70.0, 60.0), measurement(75.0, variant=other_variant, evaluator="Epoch AI")]
    scored = score_claim(comparison_claim((HERON, kite)), rows, AS_OF)
    assert [(c.rival, c.outcome) for c in scored.comparisons] == [
        ("Heron 5", HELD),
        ("Kite 3", FAILED),
    ]
    assert scored.verdict == OVERSTATED
    assert "beats Heron 5 and Kite 3" in scored.explanation


def test_only_public_variants_of_either_side():
    rows = [
        measurement(80.0, variant=EXPERIMENTAL, evaluator="Epoch AI"),
        measurement(60.0, variant=RIVAL_VARIANT, evaluator="Epoch AI"),
        measurement(58.0, variant=INSTRUCT, evaluator="Epoch AI"),
    ]
    scored = score_claim(comparison_claim(), rows, AS_OF)
    assert [(c.own, c.outcome) for c in scored.comparisons] == [(58.0, LEVEL)]
    mismatch = score_claim(comparison_claim(variant=EXPERIMENTAL), rows, AS_OF)
    assert VARIANT_MISMATCH in mismatch.flags


def test_like_for_like_conditions():
    rows = [
        measurement(70.0, evaluator="Epoch AI", conditions={"shots": 5}),
        measurement(60.0, variant=RIVAL_VARIANT, evaluator="Epoch AI", conditions={"shots": 0}),
    ]
    assert score_claim(comparison_claim(), rows, AS_OF).comparisons == ()
    # With both views available, the default view (the fewest stated conditions) is preferred.
    rows += _pair(61.0, 60.0)
    (comparison,) = score_claim(comparison_claim(), rows, AS_OF).comparisons
    assert comparison.own == 61.0


@pytest.mark.parametrize(
    ("own", "theirs", "benchmark"),
    [(8.4, 8.0, score_benchmark()), (64.4, 61.4, percent_benchmark())],
)
def test_a_difference_exactly_on_the_band_is_level(own, theirs, benchmark):
    rows = _pair(own, theirs, benchmark)
    assert score_claim(comparison_claim(), rows, AS_OF).comparisons[0].outcome == LEVEL
