"""Each step of the method (`releases.scoring.method`), on small hand-made inputs."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, timedelta

import pytest

from releases.scoring import score_claim
from releases.scoring.inputs import (
    BENCHMARK_SCORE,
    ELO,
    PERCENT,
    QUALITATIVE,
    RANK,
    SCORE,
    TOKENS,
    ClaimInput,
    Release,
    Variant,
)
from releases.scoring.method import (
    CONDITIONS_MISMATCH,
    HOLDS,
    MIN_STD_ERROR,
    NOT_COMPARABLE,
    OVERSTATED,
    SINGLE_SOURCE,
    STALE,
    STALE_AFTER,
    SUBSTANTIALLY_OVERSTATED,
    THRESHOLD_DECIMALS,
    THRESHOLDS,
    UNDERSTATED,
    UNVERIFIED,
    VARIANT_MISMATCH,
    Z_95,
    Z_SIGNIFICANT,
    aggregate,
    compare_conditions,
    latest_per_evaluator,
    relative_gap,
    signed_gap,
    standard_error,
    target_variants,
    verdict_for_gap,
    win_probability,
    z_score,
)
from tests.scoring.builders import (
    AS_OF,
    BASE,
    EXPERIMENTAL,
    INSTRUCT,
    ORCA,
    ORCA_WITH_BASE,
    OTHER,
    VENDOR,
    claim,
    elo_benchmark,
    measurement,
    percent_benchmark,
    rank_benchmark,
    score_benchmark,
    tokens_benchmark,
)

# --- 1. compare_conditions ------------------------------------------------------------------------


def test_no_conditions_on_either_side_are_the_same():
    assert compare_conditions({}, {}) == "same"


@pytest.mark.parametrize(
    ("key", "value", "other"),
    [
        ("category", "coding", "math"),
        ("context_tokens", 8000, 16000),
        ("task", "zebra_puzzle", "spatial"),
        ("language", "python", "rust"),
        ("subset", "diamond", "main"),
    ],
)
def test_scope_keys_must_match_exactly(key, value, other):
    assert compare_conditions({key: value}, {key: value}) == "same"
    assert compare_conditions({key: value}, {key: other}) == "incompatible"
    # Absent means the whole benchmark: a slice is not the whole, on either side.
    assert compare_conditions({key: value}, {}) == "incompatible"
    assert compare_conditions({}, {key: value}) == "incompatible"


def test_scope_values_are_compared_as_plain_text():
    assert compare_conditions({"context_tokens": 8000}, {"context_tokens": "8000"}) == "same"
    assert compare_conditions({" Category ": "Coding "}, {"category": "coding"}) == "same"


@pytest.mark.parametrize(
    ("key", "value", "other"),
    [
        ("shots", 5, 0),
        ("cot", True, False),
        ("pass@k", 1, 5),
        ("attempts", 1, 2),
        ("tools", True, False),
        ("style_control", True, False),
    ],
)
def test_material_settings_equal_ok_different_incompatible(key, value, other):
    assert compare_conditions({key: value}, {key: value}) == "same"
    assert compare_conditions({key: value}, {key: other}) == "incompatible"


@pytest.mark.parametrize("key", ["shots", "cot", "pass@k", "attempts", "tools"])
def test_material_setting_on_one_side_only_is_unconfirmed(key):
    assert compare_conditions({key: 1}, {}) == "unconfirmed"
    assert compare_conditions({}, {key: 1}) == "unconfirmed"


def test_material_settings_written_differently_are_the_same():
    assert compare_conditions({"shots": 0}, {"shots": "0"}) == "same"
    assert compare_conditions({"cot": True}, {"cot": "true"}) == "same"
    assert compare_conditions({"tools": False}, {"tools": " False "}) == "same"


def test_numerically_equal_settings_are_the_same():
    assert compare_conditions({"shots": 5}, {"shots": 5.0}) == "same"


def test_style_control_defaults_to_false():
    # An LMArena style-controlled figure is not the plain view a launch post quoted.
    assert compare_conditions({}, {"style_control": True}) == "incompatible"
    assert compare_conditions({"style_control": True}, {}) == "incompatible"
    # The plain view stated explicitly is the default: same, not merely unconfirmed.
    assert compare_conditions({}, {"style_control": False}) == "same"
    assert compare_conditions({"style_control": "true"}, {"style_control": True}) == "same"


def test_descriptive_keys_are_shown_not_matched():
    assert compare_conditions({"metric": "accuracy"}, {"metric": "pass rate"}) == "same"
    assert compare_conditions({}, {"edit_format": "diff", "scaffold": "agentless"}) == "same"


def test_empty_condition_values_are_absent():
    assert compare_conditions({"shots": None, "category": ""}, {}) == "same"


def test_scope_mismatch_wins_over_an_unconfirmed_setting():
    assert compare_conditions({"shots": 5}, {"category": "coding"}) == "incompatible"


def test_unconfirmed_and_incompatible_settings_together_are_incompatible():
    assert compare_conditions({"shots": 5, "cot": True}, {"cot": False}) == "incompatible"


# --- 2. target_variants ---------------------------------------------------------------------------


def test_a_public_variant_is_its_own_target():
    assert target_variants(claim(70.0, variant=INSTRUCT)) == ((INSTRUCT,), False)


def test_an_experimental_variant_is_scored_on_the_public_ones_with_a_mismatch():
    assert target_variants(claim(70.0, variant=EXPERIMENTAL)) == ((INSTRUCT,), True)
    assert target_variants(claim(70.0, variant=EXPERIMENTAL, release=ORCA_WITH_BASE)) == (
        (INSTRUCT, BASE),
        True,
    )


def test_a_claim_about_the_release_is_scored_on_every_public_variant():
    assert target_variants(claim(70.0, variant=None, release=ORCA_WITH_BASE)) == (
        (INSTRUCT, BASE),
        False,
    )


def test_an_unreleased_model_has_no_targets():
    hidden = Variant(id=40, name="preview", is_public=False)
    release = Release(name="Preview", vendor=VENDOR, variants=(hidden,))
    assert target_variants(claim(70.0, variant=None, release=release)) == ((), False)
    assert target_variants(claim(70.0, variant=hidden, release=release)) == ((), True)


# --- 3. latest_per_evaluator ----------------------------------------------------------------------


def test_latest_measurement_per_evaluator():
    rows = [
        measurement(60.0, evaluator="Epoch AI", as_of=date(2025, 4, 10)),
        measurement(62.0, evaluator="Epoch AI", as_of=date(2025, 5, 10)),
        measurement(58.0, evaluator="Vals AI", as_of=date(2025, 5, 20)),
        measurement(57.0, evaluator="Vals AI", as_of=date(2025, 4, 1)),
    ]
    chosen = latest_per_evaluator(rows, AS_OF)
    assert [(m.evaluator, m.value) for m in chosen] == [("Epoch AI", 62.0), ("Vals AI", 58.0)]


def test_latest_is_as_of_the_date():
    rows = [
        measurement(60.0, as_of=date(2025, 4, 10)),
        measurement(62.0, as_of=date(2025, 5, 10)),
    ]
    assert [m.value for m in latest_per_evaluator(rows, date(2025, 5, 9))] == [60.0]
    assert [m.value for m in latest_per_evaluator(rows, date(2025, 5, 10))] == [62.0]
    assert latest_per_evaluator(rows, date(2025, 4, 9)) == []


def test_evaluator_names_are_normalised():
    rows = [
        measurement(60.0, evaluator="Epoch AI", as_of=date(2025, 4, 10)),
        measurement(62.0, evaluator="  epoch   ai ", as_of=date(2025, 5, 10)),
    ]
    assert [m.value for m in latest_per_evaluator(rows, AS_OF)] == [62.0]


def test_a_republished_copy_counts_once_and_the_copy_with_uncertainty_wins():
    # The evaluator published 16.0 without an interval; an aggregator republished it later with
    # a standard error. One measurement, not a newer one.
    original = measurement(16.0, evaluator="Aider", as_of=date(2025, 4, 10), source="aider")
    copy = measurement(
        16.0, evaluator="Aider", as_of=date(2025, 5, 2), std_error=1.6, source="epoch"
    )
    for rows in ([original, copy], [copy, original]):
        assert latest_per_evaluator(rows, AS_OF) == [copy]


def test_a_republished_copy_without_uncertainty_keeps_the_earliest():
    original = measurement(16.0, evaluator="Aider", as_of=date(2025, 4, 10), source="aider")
    copy = measurement(16.0, evaluator="Aider", as_of=date(2025, 5, 2), source="epoch")
    assert latest_per_evaluator([copy, original], AS_OF) == [original]


def test_several_rows_on_the_latest_date_give_the_median():
    day = date(2025, 5, 1)
    rows = [measurement(v, evaluator="Vals AI", as_of=day) for v in (61.0, 55.0, 58.0)]
    assert [m.value for m in latest_per_evaluator(rows, AS_OF)] == [58.0]
    # With an even number, the lower of the two middle rows (an actual row, not a mean).
    rows.append(measurement(64.0, evaluator="Vals AI", as_of=day))
    assert [m.value for m in latest_per_evaluator(rows, AS_OF)] == [58.0]


def test_nothing_to_choose_from():
    assert latest_per_evaluator([], AS_OF) == []


def test_a_rerun_returning_to_an_earlier_value_is_still_the_latest():
    rows = [
        measurement(1290.0, elo_benchmark(), evaluator="Chat Arena", as_of=date(2025, 4, 6)),
        measurement(1296.0, elo_benchmark(), evaluator="Chat Arena", as_of=date(2025, 4, 20)),
        measurement(1290.0, elo_benchmark(), evaluator="Chat Arena", as_of=date(2025, 5, 18)),
    ]
    (chosen,) = latest_per_evaluator(rows, AS_OF)
    assert chosen.value == 1290.0
    assert chosen.as_of == date(2025, 5, 18)


# --- 4. standard_error ----------------------------------------------------------------------------


def test_stated_standard_error_comes_first():
    assert (
        standard_error(
            70.0, percent_benchmark(item_count=198), std_error=1.2, ci_low=60.0, ci_high=80.0
        )
        == 1.2
    )


def test_standard_error_from_a_95_percent_interval():
    se = standard_error(1417.0, elo_benchmark(), ci_low=1410.0, ci_high=1424.0)
    assert se == pytest.approx(14.0 / (2 * 1.959963984540054))
    assert se == pytest.approx(3.5715, abs=1e-4)
    assert pytest.approx(1.96, abs=1e-3) == Z_95


def test_a_degenerate_interval_is_no_uncertainty():
    assert standard_error(1417.0, elo_benchmark(), ci_low=1417.0, ci_high=1417.0) is None
    assert standard_error(1417.0, elo_benchmark(), ci_low=1410.0) is None


def test_binomial_standard_error_from_the_sample_size():
    se = standard_error(70.0, percent_benchmark(), sample_size=200)
    assert se == pytest.approx(100 * math.sqrt(0.7 * 0.3 / 200))
    assert se == pytest.approx(3.2404, abs=1e-4)


def test_binomial_standard_error_from_the_item_count():
    se = standard_error(70.0, percent_benchmark(item_count=200))
    assert se == pytest.approx(3.2404, abs=1e-4)
    # The source's own sample size wins over the benchmark's item count.
    assert standard_error(70.0, percent_benchmark(item_count=200), sample_size=50) == (
        pytest.approx(100 * math.sqrt(0.21 / 50))
    )


def test_binomial_keeps_half_an_item_away_from_zero_and_one_hundred():
    low = standard_error(0.0, percent_benchmark(), sample_size=100)
    high = standard_error(100.0, percent_benchmark(), sample_size=100)
    assert low == pytest.approx(100 * math.sqrt(0.005 * 0.995 / 100))
    assert high == pytest.approx(low)
    assert low > 0


def test_no_binomial_outside_percentages_and_none_when_unknown():
    assert standard_error(1417.0, elo_benchmark(), sample_size=5000) is None
    assert standard_error(8.4, score_benchmark(), sample_size=200) is None
    assert standard_error(70.0, percent_benchmark()) is None


# --- 5. aggregate ---------------------------------------------------------------------------------


def test_inverse_variance_weighting_when_every_uncertainty_is_known():
    # Weights 1/2^2 = 0.25 and 1/4^2 = 0.0625: (60*0.25 + 64*0.0625) / 0.3125 = 19 / 0.3125.
    value, se, spread = aggregate([60.0, 64.0], [2.0, 4.0])
    assert value == pytest.approx(60.8)
    assert se == pytest.approx(math.sqrt(1 / 0.3125))
    assert se == pytest.approx(1.78885, abs=1e-5)
    assert spread == pytest.approx(4.0)


def test_inverse_variance_weighting_of_three():
    # Weights 1, 1/4, 1/9: (50 + 56/4 + 62/9) / (1 + 1/4 + 1/9) = 70.8889 / 1.36111.
    value, se, spread = aggregate([50.0, 56.0, 62.0], [1.0, 2.0, 3.0])
    assert value == pytest.approx((50 + 14 + 62 / 9) / (1 + 0.25 + 1 / 9))
    assert value == pytest.approx(52.0816, abs=1e-4)
    assert se == pytest.approx(math.sqrt(1 / (1 + 0.25 + 1 / 9)))
    assert spread == pytest.approx(12.0)


def test_median_when_any_uncertainty_is_unknown():
    assert aggregate([60.0, 70.0, 64.0], [1.0, None, 2.0]) == (64.0, None, 10.0)
    # An even number: the mean of the two middle values.
    assert aggregate([60.0, 70.0, 64.0, 66.0], [None] * 4) == (65.0, None, 10.0)


def test_one_figure_is_its_own_aggregate():
    assert aggregate([1288.0], [4.5]) == (1288.0, 4.5, 0.0)
    assert aggregate([1288.0], [None]) == (1288.0, None, 0.0)


def test_a_zero_standard_error_does_not_divide_by_zero():
    value, se, _ = aggregate([50.0, 60.0], [0.0, 1.0])
    assert value == pytest.approx(50.0)
    assert se == pytest.approx(MIN_STD_ERROR)


def test_nothing_to_aggregate():
    with pytest.raises(ValueError):
        aggregate([], [])


# --- 6. signed_gap, relative_gap, win_probability, z_score ----------------------------------------


def test_gap_in_points_for_percentages():
    assert signed_gap(69.8, 64.3, percent_benchmark()) == pytest.approx(5.5)
    assert signed_gap(60.0, 64.3, percent_benchmark()) == pytest.approx(-4.3)


def test_gap_for_a_lower_is_better_percentage():
    error_rate = percent_benchmark("hallucination-rate", higher_is_better=False)
    # Claimed 5% errors, measured 8%: the claim flatters the model by 3 points.
    assert signed_gap(5.0, 8.0, error_rate) == pytest.approx(3.0)


def test_gap_in_rating_points_for_elo():
    assert signed_gap(1417.0, 1288.0, elo_benchmark()) == 129.0


def test_gap_in_native_units_for_scores():
    assert signed_gap(8.4, 7.9, score_benchmark()) == pytest.approx(0.5)


def test_gap_in_places_for_ranks():
    # A claimed #2 measured #7 is 5 places.
    assert signed_gap(2.0, 7.0, rank_benchmark()) == 5.0
    assert signed_gap(7.0, 2.0, rank_benchmark()) == -5.0


def test_gap_in_doublings_for_tokens():
    assert signed_gap(1_048_576, 131_072, tokens_benchmark()) == pytest.approx(3.0)
    assert signed_gap(10_000_000, 16_000, tokens_benchmark()) == pytest.approx(
        math.log2(625), rel=1e-12
    )
    assert signed_gap(128_000, 128_000, tokens_benchmark()) == 0.0
    # A measured length below one token is one token.
    assert signed_gap(1024, 0.0, tokens_benchmark()) == pytest.approx(10.0)


def test_relative_gap_for_percentages_and_scores_only():
    assert relative_gap(70.0, 50.0, percent_benchmark()) == pytest.approx(0.4)
    assert relative_gap(8.4, 8.0, score_benchmark()) == pytest.approx(0.05)
    assert relative_gap(1417.0, 1288.0, elo_benchmark()) is None
    assert relative_gap(2.0, 7.0, rank_benchmark()) is None
    assert relative_gap(1e6, 1e5, tokens_benchmark()) is None
    assert relative_gap(10.0, 0.0, percent_benchmark()) is None


def test_win_probability():
    assert win_probability(0) == 0.5
    assert win_probability(400) == pytest.approx(10 / 11)
    assert win_probability(-400) == pytest.approx(1 / 11)
    # The reasons the Elo thresholds give: 20 points is 53%, 70 points is 60%.
    assert round(win_probability(THRESHOLDS[ELO][0]), 2) == 0.53
    assert round(win_probability(THRESHOLDS[ELO][1]), 2) == 0.60


def test_z_score():
    assert z_score(6.0, 4.0, 3.0) == pytest.approx(1.2)
    # A claim with no uncertainty is taken to be as uncertain as the measurement.
    assert z_score(6.0, None, 3.0) == pytest.approx(6.0 / math.sqrt(18))
    assert z_score(6.0, 0.0, 3.0) == pytest.approx(2.0)
    assert z_score(6.0, 4.0, None) is None
    assert z_score(6.0, 0.0, 0.0) is None


# --- 7. verdict_for_gap ---------------------------------------------------------------------------


# The smallest step that counts: gaps are compared at THRESHOLD_DECIMALS, so that float error
# in a subtraction cannot push an exact threshold across the line.
_STEP = 10.0 ** -(THRESHOLD_DECIMALS - 1)


def _above(x: float) -> float:
    return x + _STEP


def _below(x: float) -> float:
    return x - _STEP


@pytest.mark.parametrize("unit", [PERCENT, ELO, TOKENS, RANK])
def test_verdict_around_each_threshold(unit):
    holds, substantial = THRESHOLDS[unit]
    expected = [
        (0.0, HOLDS),
        (holds, HOLDS),
        (_above(holds), OVERSTATED),
        (_below(substantial), OVERSTATED),
        (substantial, SUBSTANTIALLY_OVERSTATED),
        (substantial * 5, SUBSTANTIALLY_OVERSTATED),
        (-holds, HOLDS),
        (_below(-holds), UNDERSTATED),
        (-substantial * 5, UNDERSTATED),
    ]
    assert [(gap, verdict_for_gap(gap, None, None, unit)) for gap, _ in expected] == expected


def test_thresholds_per_unit():
    assert THRESHOLDS == {
        PERCENT: (3.0, 10.0),
        ELO: (20.0, 70.0),
        TOKENS: (1.0, 3.0),
        RANK: (2.0, 10.0),
        SCORE: (0.05, 0.20),
    }
    assert Z_SIGNIFICANT == 2.0


def test_scores_are_judged_on_the_relative_gap():
    assert verdict_for_gap(100.0, 0.05, None, SCORE) == HOLDS
    assert verdict_for_gap(0.1, _above(0.05), None, SCORE) == OVERSTATED
    assert verdict_for_gap(0.1, 0.20, None, SCORE) == SUBSTANTIALLY_OVERSTATED
    assert verdict_for_gap(-0.1, -0.06, None, SCORE) == UNDERSTATED


def test_a_gap_within_the_uncertainty_holds():
    assert verdict_for_gap(15.0, None, _below(Z_SIGNIFICANT), PERCENT) == HOLDS
    assert verdict_for_gap(15.0, None, Z_SIGNIFICANT, PERCENT) == SUBSTANTIALLY_OVERSTATED
    assert verdict_for_gap(150.0, None, 1.5, ELO) == HOLDS
    assert verdict_for_gap(-20.0, None, -1.5, PERCENT) == HOLDS
    assert verdict_for_gap(-20.0, None, -2.5, PERCENT) == UNDERSTATED


def test_a_significant_z_does_not_override_the_holds_band():
    assert verdict_for_gap(2.5, None, 8.0, PERCENT) == HOLDS


# --- Whole figures through score_claim: flags and the public model --------------------------------


def test_a_figure_checked_against_two_evaluators():
    scored = score_claim(
        claim(69.8),
        [
            measurement(66.0, evaluator="Epoch AI", std_error=2.0),
            measurement(64.0, evaluator="Vals AI", std_error=4.0),
        ],
        AS_OF,
    )
    assert scored.aggregate == pytest.approx((66 / 4 + 64 / 16) / (1 / 4 + 1 / 16))
    assert scored.gap == pytest.approx(69.8 - scored.aggregate)
    assert scored.z == pytest.approx(scored.gap / math.sqrt(2 * scored.measured_std_error**2))
    assert scored.verdict == HOLDS  # 4.2 points, but z = 1.66
    assert scored.flags == ()
    assert [u.evaluator for u in scored.used] == ["Epoch AI", "Vals AI"]
    assert scored.win_probability is None


def test_an_arena_rating_gets_a_win_probability():
    scored = score_claim(
        claim(1417.0, elo_benchmark()),
        [measurement(1288.0, elo_benchmark(), evaluator="Chat Arena", ci=(1281.0, 1295.0))],
        AS_OF,
    )
    assert scored.gap == 129.0
    assert scored.win_probability == pytest.approx(1 / (1 + 10 ** (-129 / 400)))
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED


def test_stale_flag_after_the_named_limit():
    assert timedelta(days=365) == STALE_AFTER
    just_fresh = score_claim(claim(70.0), [measurement(69.0, as_of=AS_OF - STALE_AFTER)], AS_OF)
    stale = score_claim(
        claim(70.0), [measurement(69.0, as_of=AS_OF - STALE_AFTER - timedelta(days=1))], AS_OF
    )
    assert STALE not in just_fresh.flags
    assert STALE in stale.flags
    assert stale.verdict == HOLDS


def test_stale_looks_at_the_newest_measurement():
    old = measurement(69.0, evaluator="Epoch AI", as_of=date(2023, 1, 5))
    new = measurement(68.0, evaluator="Vals AI", as_of=date(2025, 3, 1))
    assert STALE not in score_claim(claim(70.0), [old, new], AS_OF).flags


def test_single_source_flag():
    one = score_claim(claim(70.0), [measurement(69.0, evaluator="Epoch AI")], AS_OF)
    spelled_twice = score_claim(
        claim(70.0),
        [
            measurement(69.0, evaluator="Epoch AI", as_of=date(2025, 4, 1)),
            measurement(68.0, evaluator="epoch ai", as_of=date(2025, 5, 1)),
        ],
        AS_OF,
    )
    two = score_claim(
        claim(70.0),
        [measurement(69.0, evaluator="Epoch AI"), measurement(68.0, evaluator="Vals AI")],
        AS_OF,
    )
    assert SINGLE_SOURCE in one.flags
    assert SINGLE_SOURCE in spelled_twice.flags
    assert SINGLE_SOURCE not in two.flags


def test_conditions_mismatch_flag_when_a_setting_is_stated_on_one_side():
    scored = score_claim(claim(70.0, conditions={"shots": 5}), [measurement(69.0)], AS_OF)
    assert scored.verdict == HOLDS
    assert CONDITIONS_MISMATCH in scored.flags


def test_the_vendors_own_figures_are_not_measurements():
    rows = [measurement(70.0, evaluator=VENDOR), measurement(70.0, evaluator=" acme  AI")]
    assert score_claim(claim(70.0), rows, AS_OF).verdict == UNVERIFIED


def test_other_benchmarks_and_other_releases_are_ignored():
    rows = [
        measurement(40.0, percent_benchmark("other-qa", "Other QA")),
        measurement(40.0, variant=OTHER),
        measurement(69.5),
    ]
    scored = score_claim(claim(70.0), rows, AS_OF)
    assert scored.aggregate == 69.5
    assert [u.measurement_ids for u in scored.used] == [(rows[2].id,)]


def test_variant_mismatch_with_context_from_the_experimental_build():
    arena = elo_benchmark()
    public = measurement(1288.0, arena, evaluator="Chat Arena", ci=(1281.0, 1295.0))
    experimental = measurement(
        1410.0, arena, variant=EXPERIMENTAL, evaluator="Chat Arena", ci=(1403.0, 1417.0)
    )
    scored = score_claim(claim(1417.0, arena, variant=EXPERIMENTAL), [public, experimental], AS_OF)
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED
    assert VARIANT_MISMATCH in scored.flags
    # Scored on the public model only; the experimental build is context.
    assert scored.aggregate == 1288.0
    assert [(u.variant, u.value) for u in scored.used] == [(INSTRUCT.name, 1288.0)]
    assert [(u.variant, u.value) for u in scored.context] == [(EXPERIMENTAL.name, 1410.0)]
    assert scored.measurement_ids == tuple(sorted((public.id, experimental.id)))


def test_only_the_experimental_build_measured_is_unverified_with_context():
    arena = elo_benchmark()
    experimental = measurement(1410.0, arena, variant=EXPERIMENTAL, evaluator="Chat Arena")
    scored = score_claim(claim(1417.0, arena, variant=EXPERIMENTAL), [experimental], AS_OF)
    assert scored.verdict == UNVERIFIED
    assert scored.flags == (VARIANT_MISMATCH,)
    assert [u.value for u in scored.context] == [1410.0]
    assert scored.gap is None


def test_a_figure_for_one_public_checkpoint_is_never_scored_on_another():
    # The vendor stated a figure for the base model; evaluators tested only the instruct model:
    # another model on another set-up (Llama 4 Scout's base MMLU-Pro 58.2 against Swallow's
    # instruct 74.4 read "understated"). Shown beside the claim, never compared with it.
    base_claim = claim(70.0, variant=BASE, release=ORCA_WITH_BASE, claimed_on=date(2025, 4, 5))
    rows = [measurement(62.0), measurement(90.0, as_of=date(2025, 5, 25))]
    scored = score_claim(base_claim, rows, AS_OF)
    assert scored.verdict == NOT_COMPARABLE
    assert scored.flags == (VARIANT_MISMATCH,)
    assert scored.gap is None and scored.aggregate is None and scored.used == ()
    # The other checkpoint's figure nearest the claim's date, as for an unreleased build.
    assert [(u.value, u.variant) for u in scored.context] == [(62.0, INSTRUCT.name)]
    assert scored.reason == "other_checkpoint"
    assert "another checkpoint of Orca 2" in scored.explanation
    assert "Epoch AI measured 62.0% on Orca-2-Instruct" in scored.explanation
    assert scored.explanation.endswith(": not comparable.")


def test_a_figure_for_one_public_checkpoint_is_scored_on_that_checkpoint_when_measured():
    rows = [measurement(62.0), measurement(69.5, variant=BASE, evaluator="Vals AI")]
    scored = score_claim(claim(70.0, variant=BASE, release=ORCA_WITH_BASE), rows, AS_OF)
    assert scored.verdict == HOLDS
    assert [u.value for u in scored.used] == [69.5]
    assert VARIANT_MISMATCH not in scored.flags and scored.context == ()


def test_a_release_claim_is_scored_on_every_public_variant():
    rows = [
        measurement(62.0, evaluator="Epoch AI"),
        measurement(66.0, variant=BASE, evaluator="Vals AI"),
    ]
    scored = score_claim(claim(70.0, variant=None, release=ORCA_WITH_BASE), rows, AS_OF)
    assert scored.aggregate == 64.0
    assert VARIANT_MISMATCH not in scored.flags


@pytest.mark.parametrize(
    ("claimed", "measured"),
    [
        ({}, {"style_control": True}),  # a plain arena claim, a style-controlled figure
        ({}, {"category": "coding"}),  # the whole benchmark, one category of it
        ({"shots": 5}, {"shots": 0}),
    ],
)
def test_not_comparable_when_only_incompatible_data_exists(claimed, measured):
    scored = score_claim(
        claim(1417.0, elo_benchmark(), conditions=claimed),
        [measurement(1288.0, elo_benchmark(), evaluator="Chat Arena", conditions=measured)],
        AS_OF,
    )
    assert scored.verdict == NOT_COMPARABLE
    assert scored.gap is None
    assert scored.used == ()


def test_comparable_data_beats_incompatible_data():
    arena = elo_benchmark()
    rows = [
        measurement(1300.0, arena, evaluator="Chat Arena", conditions={"style_control": True}),
        measurement(1280.0, arena, evaluator="Chat Arena", conditions={"style_control": False}),
    ]
    scored = score_claim(claim(1290.0, arena), rows, AS_OF)
    assert scored.aggregate == 1280.0
    assert scored.verdict == HOLDS


def test_no_data_at_all_is_unverified():
    scored = score_claim(claim(70.0), [], AS_OF)
    assert scored.verdict == UNVERIFIED
    assert scored.flags == ()


def test_a_qualitative_claim_is_unverified():
    qualitative = ClaimInput(id=5, kind=QUALITATIVE, release=ORCA, stated_text="best in class")
    assert score_claim(qualitative, [measurement(70.0)], AS_OF).verdict == UNVERIFIED


@pytest.mark.parametrize("benchmark", [None, percent_benchmark()])
def test_a_figure_claim_without_a_figure_is_unverified(benchmark):
    incomplete = ClaimInput(id=6, kind=BENCHMARK_SCORE, release=ORCA, benchmark=benchmark)
    assert score_claim(incomplete, [measurement(70.0)], AS_OF).verdict == UNVERIFIED


def test_a_single_decimal_gap_just_inside_the_band():
    assert score_claim(claim(72.8), [measurement(69.8)], AS_OF).verdict == HOLDS


def test_a_gap_of_exactly_the_holds_threshold_holds():
    assert score_claim(claim(64.4), [measurement(61.4)], AS_OF).verdict == HOLDS


def test_a_gap_of_exactly_the_substantial_threshold_is_substantial():
    assert score_claim(claim(69.6), [measurement(59.6)], AS_OF).verdict == (
        SUBSTANTIALLY_OVERSTATED
    )


def test_rows_differing_only_in_conditions_are_not_duplicates():
    # Found by hypothesis: two rows of one evaluator on one date, same value, one stating
    # shots and one not. Duplicating either, in any order, must give the same score.
    plain = measurement(0.0, evaluator="Epoch AI", as_of=date(2024, 1, 1))
    with_shots = measurement(
        0.0, evaluator="Epoch AI", as_of=date(2024, 1, 1), conditions={"shots": 5}
    )
    other = measurement(0.1, evaluator="Artificial Analysis", as_of=date(2024, 1, 1))
    stated = claim(0.0)
    reference = score_claim(stated, [plain, with_shots, other], AS_OF)
    for rows in (
        [with_shots, plain, other],
        [plain, dataclasses.replace(plain, id=999_001), with_shots, other],
        [with_shots, dataclasses.replace(with_shots, id=999_002), plain, other],
    ):
        assert score_claim(stated, rows, AS_OF) == reference
