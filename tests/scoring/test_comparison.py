"""Comparison claims: "Orca 2 beats Heron 5", from the measured ordering of both models."""

from __future__ import annotations

import math
from datetime import date

import pytest

from releases.scoring import score_claim
from releases.scoring.comparison import (
    AGGREGATE_INDICES,
    COMPARISON_BEHIND_ABOVE,
    COMPARISON_BEHIND_AT_LEAST,
    COMPARISON_HOLDS_ABOVE,
    FAILED,
    HELD,
    LEVEL,
    rival_versions,
    verdict_from_counts,
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
    assert COMPARISON_BEHIND_ABOVE == 0.5
    assert COMPARISON_BEHIND_AT_LEAST == 2


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
    # Behind on the one benchmark compared: too little to say it trails across the board.
    assert scored.verdict == OVERSTATED


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
        ([HELD, HELD, HELD, FAILED], HOLDS),  # ahead on 3 of 4
        ([HELD, HELD, LEVEL, FAILED], OVERSTATED),  # ahead on exactly half: not more than half
        ([HELD, LEVEL, LEVEL, FAILED], OVERSTATED),
        # Behind 1, level 7, ahead 2: mostly level, not "substantially" anything.
        ([FAILED, *[LEVEL] * 7, HELD, HELD], OVERSTATED),
        ([LEVEL], OVERSTATED),  # level is not "beats", nor behind
        ([FAILED], OVERSTATED),  # one benchmark behind is too little for "substantially"
        ([FAILED, FAILED], SUBSTANTIALLY_OVERSTATED),
        ([FAILED, FAILED, LEVEL], SUBSTANTIALLY_OVERSTATED),  # behind on more than half
        ([FAILED, FAILED, LEVEL, HELD], OVERSTATED),  # behind on exactly half
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
        "Acme AI claimed Orca 2 beats Heron 5; "
        "independent measurements on 4 benchmarks put it ahead in 2 of 4 head-to-head comparisons (behind in 1, level in 1): against "
        "Heron 5 (heron-5-2025-05-13), ahead on Bench 0, Bench 1, level on Bench 2, behind on "
        "Bench 3: overstated."
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
    # The verdict is the worst rival's: holds against Heron 5, overstated against Kite 3.
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


# --- What counts as a benchmark, and like for like -------------------------------------------------


@pytest.mark.parametrize("slug", AGGREGATE_INDICES)
def test_an_aggregate_index_never_counts_as_a_benchmark(slug):
    index = score_benchmark(slug, "An index")
    rows = _pair(140.0, 120.0, index) + _pair(61.0, 60.0)
    scored = score_claim(comparison_claim(), rows, AS_OF)
    assert _outcomes(scored) == [("reasoning-qa", LEVEL)]


def test_both_models_come_from_one_publication_of_the_leaderboard():
    bench = percent_benchmark("livebench", "LiveBench")
    # The rival was last listed in an older release; the claimant only in a newer one.
    rows = [
        measurement(70.0, bench, evaluator="LiveBench", publication=2, as_of=date(2025, 4, 25)),
        measurement(
            50.0,
            bench,
            variant=RIVAL_VARIANT,
            evaluator="LiveBench",
            publication=1,
            as_of=date(2025, 4, 2),
        ),
    ]
    assert score_claim(comparison_claim(), rows, AS_OF).comparisons == ()
    # Once one release lists both, that release is compared, whatever the other rows say.
    rows += [
        measurement(58.0, bench, evaluator="LiveBench", publication=1, as_of=date(2025, 4, 2)),
    ]
    (comparison,) = score_claim(comparison_claim(), rows, AS_OF).comparisons
    assert (comparison.own, comparison.theirs, comparison.outcome) == (58.0, 50.0, HELD)


def test_the_newest_publication_holding_both_is_used():
    bench = percent_benchmark()
    rows = [
        measurement(70.0, bench, publication=1, as_of=date(2025, 3, 1)),
        measurement(60.0, bench, variant=RIVAL_VARIANT, publication=1, as_of=date(2025, 3, 1)),
        measurement(60.0, bench, publication=2, as_of=date(2025, 5, 1)),
        measurement(61.0, bench, variant=RIVAL_VARIANT, publication=2, as_of=date(2025, 5, 1)),
    ]
    (comparison,) = score_claim(comparison_claim(), rows, AS_OF).comparisons
    assert (comparison.own, comparison.theirs) == (60.0, 61.0)


MAY_2024 = Variant(id=41, name="heron-5-2024-05-13", is_public=True, released_on=date(2024, 5, 13))
NOV_2024 = Variant(id=42, name="heron-5-2024-11-20", is_public=True, released_on=date(2024, 11, 20))
MAY_2025 = Variant(id=43, name="heron-5-2025-05-13", is_public=True, released_on=date(2025, 5, 13))
DATED_HERON = Release(name="Heron 5", vendor=RIVAL_VENDOR, variants=(MAY_2024, NOV_2024, MAY_2025))


@pytest.mark.parametrize(
    ("claimed_on", "expected"),
    [
        (date(2025, 4, 8), (NOV_2024,)),  # the newest released by then
        (date(2024, 11, 20), (NOV_2024,)),  # released that day
        (date(2024, 6, 1), (MAY_2024,)),
        (date(2024, 1, 1), (MAY_2024, NOV_2024, MAY_2025)),  # none yet: no version preferred
        (None, (MAY_2024, NOV_2024, MAY_2025)),  # no claim date: every public version
    ],
)
def test_a_rival_is_compared_in_the_version_current_at_the_claims_date(claimed_on, expected):
    assert rival_versions(DATED_HERON, claimed_on) == expected


def test_the_sentence_names_the_rivals_version_and_why():
    bench = percent_benchmark()
    rows = [
        measurement(70.0, bench),
        measurement(80.0, bench, variant=MAY_2024),  # an older GPT-4o-like version: not used
        measurement(60.0, bench, variant=NOV_2024),
    ]
    claim = comparison_claim((DATED_HERON,), claimed_on=date(2025, 4, 8))
    scored = score_claim(claim, rows, AS_OF)
    [comparison] = scored.comparisons
    assert (comparison.theirs, comparison.rival_variant) == (60.0, "heron-5-2024-11-20")
    assert "against heron-5-2024-11-20 (the version current on 8 April 2025)" in (
        scored.explanation
    )
    assert "ahead on Reasoning QA" in scored.explanation


def test_the_claims_own_words_are_quoted():
    claim = comparison_claim(scope_words="across a broad range of widely reported benchmarks")
    scored = score_claim(claim, _pair(70.0, 60.0), AS_OF)
    assert "“across a broad range of widely reported benchmarks”" in scored.explanation


@pytest.mark.parametrize(
    ("ahead", "behind", "compared", "verdict"),
    [
        (0, 0, 0, UNVERIFIED),
        (2, 1, 3, HOLDS),
        (2, 2, 4, OVERSTATED),
        (0, 2, 3, SUBSTANTIALLY_OVERSTATED),
        (0, 1, 1, OVERSTATED),
    ],
)
def test_verdict_from_counts(ahead, behind, compared, verdict):
    assert verdict_from_counts(ahead, behind, compared) == verdict
