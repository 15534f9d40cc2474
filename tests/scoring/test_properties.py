"""Properties of the reality gap that must hold for any inputs (hypothesis).

Generated inputs look like real leaderboard rows: percentages 0-100 to one decimal, Elo ratings
800-1600, open-ended scores 0-10, context lengths in tokens; small standard errors, 95%
intervals or sample sizes, or no uncertainty at all; dates 2024-2026; several evaluators, some
spelled two ways; now and then a category or a setting that makes a row incomparable.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releases.scoring import score_claim
from releases.scoring.inputs import ELO, PERCENT, RANK, SCORE, TOKENS, Benchmark, MeasuredFigure
from releases.scoring.method import (
    HOLDS,
    OVERSTATED,
    SUBSTANTIALLY_OVERSTATED,
    UNDERSTATED,
    UNVERIFIED,
    Z_95,
)
from tests.scoring.builders import (
    BASE,
    EXPERIMENTAL,
    FICTION,
    HERON,
    INSTRUCT,
    NOLIMA,
    ORCA_WITH_BASE,
    OTHER,
    RIVAL_VARIANT,
    VENDOR,
    claim,
    comparison_claim,
    context_claim,
    elo_benchmark,
    percent_benchmark,
    rank_benchmark,
    score_benchmark,
    tokens_benchmark,
)

# No example database: these tests leave nothing behind in the working tree.
PROPERTY = settings(max_examples=100, deadline=None, database=None)
# The gap's monotony runs once per unit and direction (eight times): fewer examples each.
PER_UNIT = settings(max_examples=50, deadline=None, database=None)

EVALUATORS = (
    "Epoch AI",
    "epoch ai",  # the same evaluator, spelled as another source writes it
    "Artificial Analysis",
    "Vals AI",
    "LiveBench",
    "Scale SEAL",
    "Chat Arena",
)
VENDOR_SPELLINGS = (VENDOR, VENDOR.lower(), VENDOR.upper(), f"  {VENDOR} ", "Acme   AI")
DATES = st.dates(date(2024, 1, 1), date(2026, 12, 31))
AS_OF_DATES = st.dates(date(2024, 6, 1), date(2026, 12, 31))
# Mostly the plain view; sometimes a setting stated or a slice of the benchmark.
ROW_CONDITIONS = ({}, {}, {}, {}, {"shots": 5}, {"shots": 0}, {"category": "coding"})
ELO_CONDITIONS = ({}, {}, {"style_control": False}, {"style_control": True})
CLAIM_CONDITIONS = ({}, {}, {}, {"shots": 5})
LENGTHS = (1000, 2000, 4000, 8000, 16000, 32000, 60000, 120000)

FIGURE_BENCHMARKS = (
    percent_benchmark(),
    percent_benchmark("coding-bench", "Coding Bench", item_count=198),
    elo_benchmark(),
    score_benchmark(),
    tokens_benchmark(),
    rank_benchmark(),
)
SEVERITY = {UNDERSTATED: 0, HOLDS: 1, OVERSTATED: 2, SUBSTANTIALLY_OVERSTATED: 3}


def values(unit: str) -> st.SearchStrategy[float]:
    if unit == PERCENT:
        return st.integers(0, 1000).map(lambda x: x / 10)
    if unit == ELO:
        return st.integers(8000, 16000).map(lambda x: x / 10)
    if unit == SCORE:
        return st.integers(1, 1000).map(lambda x: x / 100)
    if unit == TOKENS:
        return st.integers(1_000, 10_000_000).map(float)
    if unit == RANK:
        return st.integers(1, 60).map(float)
    raise AssertionError(unit)


def std_errors(unit: str) -> st.SearchStrategy[float]:
    top = {PERCENT: 4.0, ELO: 12.0, SCORE: 0.5, TOKENS: 20_000.0, RANK: 3.0}[unit]
    return st.floats(top / 20, top, allow_nan=False, allow_infinity=False)


@st.composite
def uncertainty(draw, unit: str, value: float) -> dict:
    """No uncertainty, a standard error, a 95% interval or (percentages) a sample size."""
    kind = draw(st.sampled_from(("none", "std_error", "ci", "sample_size")))
    if kind == "std_error":
        return {"std_error": draw(std_errors(unit))}
    if kind == "ci":
        half = Z_95 * draw(std_errors(unit))
        return {"ci_low": value - half, "ci_high": value + half}
    if kind == "sample_size" and unit == PERCENT:
        return {"sample_size": draw(st.integers(30, 3000))}
    return {}


@st.composite
def rows_on(draw, benchmarks, variants, *, min_size=0, max_size=8) -> list[dict]:
    """MeasuredFigure fields (no id yet) on the given benchmarks and variants."""
    rows = []
    for _ in range(draw(st.integers(min_size, max_size))):
        benchmark = draw(st.sampled_from(benchmarks))
        value = draw(values(benchmark.unit))
        conditions = ELO_CONDITIONS if benchmark.unit == ELO else ROW_CONDITIONS
        rows.append(
            dict(
                benchmark=benchmark,
                variant_id=draw(st.sampled_from(variants)).id,
                value=value,
                as_of=draw(DATES),
                evaluator=draw(st.sampled_from(EVALUATORS)),
                conditions=dict(draw(st.sampled_from(conditions))),
                **draw(uncertainty(benchmark.unit, value)),
            )
        )
    return rows


@st.composite
def curve_rows(draw, *, min_curves=0, max_curves=4) -> list[dict]:
    """Whole long-context curves (and now and then half of one), as measurement fields."""
    rows = []
    for _ in range(draw(st.integers(min_curves, max_curves))):
        benchmark = draw(st.sampled_from((FICTION, NOLIMA)))
        common = {
            "benchmark": benchmark,
            "variant_id": draw(st.sampled_from((INSTRUCT, BASE, EXPERIMENTAL))).id,
            "as_of": draw(DATES),
            "evaluator": draw(st.sampled_from(EVALUATORS)),
        }
        base = draw(st.integers(300, 1000)) / 10
        if draw(st.integers(0, 9)):  # one curve in ten has no base score
            at = {"context": "base"} if benchmark is NOLIMA else {"context_tokens": 0}
            rows.append(dict(common, value=base, conditions=at))
        lengths = draw(st.lists(st.sampled_from(LENGTHS), min_size=1, max_size=8, unique=True))
        for length in sorted(lengths):
            score = draw(st.integers(0, 1000)) / 10
            rows.append(dict(common, value=score, conditions={"context_tokens": length}))
    return rows


def numbered(rows: list[dict]) -> list[MeasuredFigure]:
    return [MeasuredFigure(id=index, **row) for index, row in enumerate(rows, start=1)]


@st.composite
def figure_scenarios(draw, benchmark: Benchmark | None = None, *, min_rows=0):
    benchmark = benchmark or draw(st.sampled_from(FIGURE_BENCHMARKS))
    the_claim = claim(
        draw(values(benchmark.unit)),
        benchmark,
        variant=draw(st.sampled_from((INSTRUCT, EXPERIMENTAL, BASE, None))),
        release=ORCA_WITH_BASE,
        conditions=draw(st.sampled_from(CLAIM_CONDITIONS)),
        stated_std_error=draw(st.none() | std_errors(benchmark.unit)),
    )
    others = (benchmark, percent_benchmark("other-qa", "Other QA"))
    rows = draw(rows_on(others, (INSTRUCT, EXPERIMENTAL, BASE, OTHER), min_size=min_rows))
    return the_claim, rows


@st.composite
def context_scenarios(draw, *, min_rows=0):
    the_claim = context_claim(
        draw(st.sampled_from((128_000, 1_000_000, 10_000_000)) | values(TOKENS)),
        variant=draw(st.sampled_from((INSTRUCT, EXPERIMENTAL, None))),
        release=ORCA_WITH_BASE,
    )
    rows = draw(curve_rows(min_curves=1 if min_rows else 0))
    return the_claim, rows


@st.composite
def comparison_scenarios(draw, *, min_rows=0):
    benchmarks = (percent_benchmark(), elo_benchmark(), score_benchmark(), rank_benchmark())
    the_claim = comparison_claim(
        benchmark=draw(st.none() | st.sampled_from(benchmarks)),
        variant=draw(st.sampled_from((None, EXPERIMENTAL))),
        release=ORCA_WITH_BASE,
    )
    rows = []
    # Mostly pairs: one evaluator's figures for both models, as a leaderboard lists them.
    for pair in draw(
        rows_on(benchmarks, (INSTRUCT, INSTRUCT, BASE, EXPERIMENTAL), min_size=min_rows)
    ):
        rows.append(pair)
        if draw(st.integers(0, 4)):
            rival_value = draw(values(pair["benchmark"].unit))
            rows.append(
                dict(
                    pair,
                    variant_id=RIVAL_VARIANT.id,
                    value=rival_value,
                    **draw(uncertainty(pair["benchmark"].unit, rival_value)),
                )
            )
    return the_claim, rows


def scenarios(*, min_rows=0):
    """(claim, measurement fields) for every kind of scored claim."""
    return st.one_of(
        figure_scenarios(min_rows=min_rows),
        context_scenarios(min_rows=min_rows),
        comparison_scenarios(min_rows=min_rows),
    )


def _summary(score):
    return (score.verdict, score.flags, score.aggregate, score.spread, score.gap, score.z)


# --- A higher stated value never gives a smaller gap ---------------------------------------------


@pytest.mark.parametrize("higher_is_better", [True, False], ids=["higher-better", "lower-better"])
@pytest.mark.parametrize("unit", [PERCENT, ELO, SCORE, TOKENS])
@PER_UNIT
@given(data=st.data())
def test_a_higher_stated_value_never_gives_a_smaller_gap(unit, higher_is_better, data):
    benchmark = Benchmark(f"{unit}-bench", f"{unit} bench", unit, higher_is_better)
    the_claim, rows = data.draw(figure_scenarios(benchmark, min_rows=1))
    low, high = sorted(data.draw(st.lists(values(unit), min_size=2, max_size=2)))
    measurements = numbered(rows)
    as_of = data.draw(AS_OF_DATES)
    at_low = score_claim(dataclasses.replace(the_claim, stated_value=low), measurements, as_of)
    at_high = score_claim(dataclasses.replace(the_claim, stated_value=high), measurements, as_of)
    assert (at_low.gap is None) == (at_high.gap is None)
    if at_low.gap is None:
        return
    if higher_is_better:
        assert at_high.gap >= at_low.gap
    else:
        assert at_high.gap <= at_low.gap
    # The aggregate it is measured against does not depend on the claim.
    assert at_high.aggregate == at_low.aggregate


@PROPERTY
@given(data=st.data())
def test_a_higher_stated_context_window_never_gives_a_smaller_gap(data):
    the_claim, rows = data.draw(context_scenarios(min_rows=1))
    low, high = sorted(data.draw(st.lists(values(TOKENS), min_size=2, max_size=2)))
    measurements = numbered(rows)
    as_of = data.draw(AS_OF_DATES)
    at_low = score_claim(dataclasses.replace(the_claim, stated_value=low), measurements, as_of)
    at_high = score_claim(dataclasses.replace(the_claim, stated_value=high), measurements, as_of)
    assert (at_low.gap is None) == (at_high.gap is None)
    if at_low.gap is not None:
        assert at_high.gap >= at_low.gap


@PROPERTY
@given(data=st.data())
def test_a_higher_stated_value_never_gives_a_milder_verdict(data):
    # Understated < holds < overstated < substantially overstated, for higher-is-better units.
    benchmark = data.draw(st.sampled_from(FIGURE_BENCHMARKS[:5]))
    the_claim, rows = data.draw(figure_scenarios(benchmark, min_rows=1))
    low, high = sorted(data.draw(st.lists(values(benchmark.unit), min_size=2, max_size=2)))
    measurements = numbered(rows)
    as_of = data.draw(AS_OF_DATES)
    at_low = score_claim(dataclasses.replace(the_claim, stated_value=low), measurements, as_of)
    at_high = score_claim(dataclasses.replace(the_claim, stated_value=high), measurements, as_of)
    if at_low.verdict in SEVERITY:
        assert SEVERITY[at_high.verdict] >= SEVERITY[at_low.verdict]


# --- No independent measurement: unverified -------------------------------------------------------


@PROPERTY
@given(scenario=scenarios(), as_of=AS_OF_DATES)
def test_no_measurement_at_all_is_unverified(scenario, as_of):
    the_claim, _ = scenario
    score = score_claim(the_claim, [], as_of)
    assert score.verdict == UNVERIFIED
    assert score.gap is None
    assert score.used == ()


@PROPERTY
@given(scenario=scenarios(min_rows=1), as_of=AS_OF_DATES, data=st.data())
def test_only_the_vendors_own_figures_is_unverified(scenario, as_of, data):
    the_claim, rows = scenario
    spellings = st.sampled_from(VENDOR_SPELLINGS)
    rows = [dict(row, evaluator=data.draw(spellings)) for row in rows]
    score = score_claim(the_claim, numbered(rows), as_of)
    assert score.verdict == UNVERIFIED
    assert score.used == ()


@PROPERTY
@given(scenario=scenarios(min_rows=1), as_of=AS_OF_DATES, data=st.data())
def test_only_measurements_after_the_date_is_unverified(scenario, as_of, data):
    the_claim, rows = scenario
    later = st.integers(1, 800).map(lambda days: as_of + timedelta(days=days))
    rows = [dict(row, as_of=data.draw(later)) for row in rows]
    score = score_claim(the_claim, numbered(rows), as_of)
    assert score.verdict == UNVERIFIED
    assert score.used == ()
    assert score.context == ()


@PROPERTY
@given(scenario=scenarios(min_rows=1), as_of=AS_OF_DATES, data=st.data())
def test_only_measurements_of_other_releases_is_unverified(scenario, as_of, data):
    the_claim, rows = scenario
    elsewhere = st.sampled_from((OTHER.id, 77, 1000))
    rows = [dict(row, variant_id=data.draw(elsewhere)) for row in rows]
    score = score_claim(the_claim, numbered(rows), as_of)
    assert score.verdict == UNVERIFIED
    assert score.used == ()
    assert score.context == ()


# --- Duplicates and order -------------------------------------------------------------------------


@PROPERTY
@given(scenario=scenarios(min_rows=1), as_of=AS_OF_DATES, data=st.data())
def test_a_duplicated_measurement_does_not_move_the_result(scenario, as_of, data):
    the_claim, rows = scenario
    measurements = numbered(rows)
    original = score_claim(the_claim, measurements, as_of)
    picked = data.draw(st.sampled_from(measurements))
    # The copy's id sorts after every other row's, or before.
    copy = dataclasses.replace(picked, id=data.draw(st.sampled_from((len(measurements) + 1, 0))))
    with_copy = score_claim(the_claim, [*measurements, copy], as_of)
    twice = score_claim(the_claim, [*measurements, picked], as_of)
    assert _summary(with_copy) == _summary(original)
    assert _summary(twice) == _summary(original)
    assert with_copy.win_probability == original.win_probability
    assert [(c.outcome, c.own, c.theirs) for c in with_copy.comparisons] == [
        (c.outcome, c.own, c.theirs) for c in original.comparisons
    ]


@PROPERTY
@given(scenario=scenarios(min_rows=2), as_of=AS_OF_DATES, data=st.data())
def test_the_result_does_not_depend_on_the_order_of_measurements(scenario, as_of, data):
    the_claim, rows = scenario
    measurements = numbered(rows)
    shuffled = data.draw(st.permutations(measurements))
    assert score_claim(the_claim, shuffled, as_of) == score_claim(the_claim, measurements, as_of)


@PROPERTY
@given(scenario=scenarios(), as_of=AS_OF_DATES)
def test_the_same_inputs_always_give_the_same_result(scenario, as_of):
    the_claim, rows = scenario
    first = score_claim(the_claim, numbered(rows), as_of)
    again = score_claim(the_claim, numbered(rows), as_of)
    assert first == again
    assert first.explanation and first.explanation == again.explanation
    # A generator is read once, like a list.
    assert score_claim(the_claim, iter(numbered(rows)), as_of) == first


# --- The comparison claim, with the rival's vendor judging ---------------------------------------


@PROPERTY
@given(scenario=comparison_scenarios(min_rows=1), as_of=AS_OF_DATES, data=st.data())
def test_the_rivals_vendor_is_no_judge_either(scenario, as_of, data):
    the_claim, rows = scenario
    rows = [
        dict(row, evaluator=data.draw(st.sampled_from(("Bolt Labs", "bolt labs")))) for row in rows
    ]
    assert the_claim.compared_with == (HERON,)
    assert score_claim(the_claim, numbered(rows), as_of).verdict == UNVERIFIED


@PROPERTY
@given(scenario=scenarios(min_rows=1), as_of=AS_OF_DATES)
def test_a_score_rests_only_on_independent_measurements_of_the_claim_as_of_the_date(
    scenario, as_of
):
    the_claim, rows = scenario
    measurements = {m.id: m for m in numbered(rows)}
    score = score_claim(the_claim, measurements.values(), as_of)
    release_ids = {v.id for v in the_claim.release.variants}
    rival_ids = {v.id for r in the_claim.compared_with for v in r.public_variants}
    for used_id in score.measurement_ids:
        m = measurements[used_id]
        assert m.as_of <= as_of
        assert m.evaluator.strip().casefold() != VENDOR.casefold()
        assert m.variant_id in release_ids | rival_ids
    for used in (*score.used, *score.context):
        assert used.as_of <= as_of


# --- Comparisons: leaving out one benchmark moves a verdict by at most one grade -------------------

_GRADES = ("holds", "overstated", "substantially_overstated")
_OUTCOME_VALUES = {"held": 70.0, "level": 60.0, "failed": 50.0}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(_OUTCOME_VALUES)), st.sampled_from(sorted(_OUTCOME_VALUES))
        ),
        min_size=1,
        max_size=8,
    ),
    st.data(),
)
def test_removing_one_benchmark_cannot_flip_a_comparison_by_two_grades(outcomes, data):
    """Each benchmark has an outcome against each of two rivals; drop any one benchmark."""
    from releases.scoring.inputs import Release, Variant
    from tests.scoring.builders import AS_OF, measurement

    kite_variant = Variant(id=31, name="Kite-3-Instruct", is_public=True)
    kite = Release(name="Kite 3", vendor="Kite Co", variants=(kite_variant,))
    claim = comparison_claim((HERON, kite))

    def rows_for(kept):
        rows = []
        for index, (against_heron, against_kite) in kept:
            bench = Benchmark(f"bench-{index}", f"Bench {index}", PERCENT)
            rows.append(measurement(60.0, bench))
            rows.append(
                measurement(120.0 - _OUTCOME_VALUES[against_heron], bench, variant=RIVAL_VARIANT)
            )
            rows.append(
                measurement(120.0 - _OUTCOME_VALUES[against_kite], bench, variant=kite_variant)
            )
        return rows

    indexed = list(enumerate(outcomes))
    full = score_claim(claim, rows_for(indexed), AS_OF).verdict
    dropped = data.draw(st.integers(min_value=0, max_value=len(indexed) - 1))
    fewer = score_claim(claim, rows_for(indexed[:dropped] + indexed[dropped + 1 :]), AS_OF).verdict
    if full in _GRADES and fewer in _GRADES:
        assert abs(_GRADES.index(full) - _GRADES.index(fewer)) <= 1, (outcomes, dropped)
