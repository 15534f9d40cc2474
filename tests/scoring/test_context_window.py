"""Context-window claims: effective length on long-context curves, gap in doublings."""

from __future__ import annotations

import math
from datetime import date

import pytest

from releases.scoring import score_claim
from releases.scoring.context_window import (
    EFFECTIVE_LENGTH_FRACTION,
    LENGTH_RULES,
    RULER_THRESHOLD,
    effective_length,
    peer_shortfalls,
    ruler_effective_length,
    score_context_window,
)
from releases.scoring.inputs import Peers
from releases.scoring.method import (
    HOLDS,
    OVERSTATED,
    SINGLE_SOURCE,
    STALE,
    SUBSTANTIALLY_OVERSTATED,
    UNDERSTATED,
    UNVERIFIED,
    VARIANT_MISMATCH,
)
from tests.scoring.builders import (
    AS_OF,
    BASE,
    EXPERIMENTAL,
    FICTION,
    NOLIMA,
    ORCA_WITH_BASE,
    OTHER,
    RULER,
    VENDOR,
    context_claim,
    curve,
    measurement,
    percent_benchmark,
)

TEN_MILLION = 10_000_000
LENGTHS = (1000, 2000, 4000, 8000, 16000, 32000, 60000, 120000)

# --- effective_length -----------------------------------------------------------------------------


def test_fraction_is_nolimas():
    assert EFFECTIVE_LENGTH_FRACTION == 0.85


def test_effective_length_is_the_last_length_before_the_first_failure():
    # Threshold 0.85 x 80 = 68.
    assert effective_length(80.0, {1000: 79.0, 2000: 70.0, 4000: 60.0, 8000: 40.0}) == (
        2000,
        "exact",
    )


def test_the_threshold_itself_passes():
    assert effective_length(80.0, {1000: 75.0, 2000: 68.0, 4000: 67.9}) == (2000, "exact")
    assert effective_length(100.0, {1000: 85.0, 2000: 84.99}) == (1000, "exact")


def test_upper_bound_when_even_the_shortest_length_fails():
    assert effective_length(80.0, {1000: 60.0, 2000: 70.0}) == (1000, "upper")


def test_lower_bound_when_the_longest_length_passes():
    assert effective_length(80.0, {1000: 79.0, 2000: 75.0, 4000: 70.0}) == (4000, "lower")


def test_a_recovery_after_a_failure_does_not_count():
    assert effective_length(80.0, {1000: 79.0, 2000: 50.0, 4000: 80.0}) == (1000, "exact")


def test_lengths_are_walked_in_order_whatever_the_mapping_order():
    assert effective_length(80.0, {8000: 40.0, 1000: 79.0, 4000: 60.0, 2000: 70.0}) == (
        2000,
        "exact",
    )


def test_a_curve_needs_a_length():
    with pytest.raises(ValueError):
        effective_length(80.0, {})


# --- score_context_window -------------------------------------------------------------------------


def _relative(effective: int, *, base: float = 90.0, evaluator: str = "Long Context Lab", **kwargs):
    """A curve on a relative-rule test (NoLiMa's), its base at 0 tokens, passing up to
    `effective` and failing after it."""
    scores = {n: (base - 2 if n <= effective else base * 0.5) for n in LENGTHS}
    return curve(base, scores, benchmark=NOLIMA, style="fiction", evaluator=evaluator, **kwargs)


def _nolima(effective: int, *, base: float = 95.0, evaluator: str = "NoLiMa", **kwargs):
    scores = {n: (base - 5 if n <= effective else base * 0.6) for n in LENGTHS[:6]}
    return curve(base, scores, benchmark=NOLIMA, evaluator=evaluator, **kwargs)


def test_a_base_at_zero_tokens():
    rows = _relative(16000)
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert scored.aggregate == 16000
    assert scored.gap == pytest.approx(math.log2(TEN_MILLION / 16000))
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED
    (used,) = scored.used
    assert (used.evaluator, used.benchmark, used.bound) == (
        "Long Context Lab",
        NOLIMA.slug,
        "exact",
    )
    assert used.benchmark_name == "NoLiMa"
    assert set(used.measurement_ids) == {m.id for m in rows}
    assert scored.flags == (SINGLE_SOURCE,)


def test_nolima_base_marked_as_base():
    scored = score_claim(context_claim(128_000), _nolima(8000), AS_OF)
    assert scored.aggregate == 8000
    assert scored.gap == pytest.approx(4.0)
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED
    assert scored.used[0].bound == "exact"


def test_the_gap_is_in_doublings_against_the_thresholds():
    assert score_claim(context_claim(32000), _nolima(16000), AS_OF).verdict == HOLDS
    assert score_claim(context_claim(64000), _nolima(16000), AS_OF).verdict == OVERSTATED
    assert score_claim(context_claim(128_000), _nolima(16000), AS_OF).verdict == (
        SUBSTANTIALLY_OVERSTATED
    )
    assert score_claim(context_claim(4000), _nolima(16000), AS_OF).verdict == UNDERSTATED


def test_median_across_evaluators_in_doublings():
    rows = _relative(16000) + _nolima(2000)
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    # The median of log2(2000) and log2(16000), back in tokens: their geometric mean.
    assert scored.aggregate == pytest.approx(math.sqrt(2000 * 16000))
    assert scored.gap == pytest.approx(math.log2(TEN_MILLION) - (math.log2(32_000_000) / 2))
    assert scored.spread == 14000
    assert [u.evaluator for u in scored.used] == ["Long Context Lab", "NoLiMa"]
    assert SINGLE_SOURCE not in scored.flags


def test_median_of_three_evaluators_is_the_middle_one():
    rows = _relative(32000) + _nolima(2000) + _nolima(8000, evaluator="Third Lab")
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert scored.aggregate == pytest.approx(8000)


def test_one_evaluator_counts_once_with_its_longest_curve():
    # The same evaluator ran two public variants and two benchmarks: the reading most generous
    # to the vendor counts, once.
    rows = (
        _relative(4000, evaluator="Long Context Lab")
        + _relative(16000, evaluator="Long Context Lab", variant=BASE)
        + _nolima(8000, evaluator="Long Context Lab")
    )
    scored = score_claim(
        context_claim(TEN_MILLION, variant=None, release=ORCA_WITH_BASE), rows, AS_OF
    )
    assert [(u.evaluator, u.value, u.variant) for u in scored.used] == [
        ("Long Context Lab", 16000.0, BASE.name)
    ]


def test_unverified_when_every_test_stopped_while_passing():
    rows = _relative(10**9) + _nolima(10**9)  # passes every length tested
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert {u.bound for u in scored.used} == {"lower"}
    # A bound is never used as a value: no aggregate, no doublings.
    assert scored.aggregate is None and scored.gap is None
    assert scored.verdict == UNVERIFIED
    assert scored.notes == ("every test stopped while the model still passed",)


def test_a_lower_bound_at_or_beyond_the_claim_holds():
    scored = score_claim(context_claim(120_000), _relative(10**9), AS_OF)
    assert scored.used[0].bound == "lower"
    assert scored.verdict == HOLDS


def test_a_lower_bound_next_to_an_exact_length_is_judged():
    rows = _relative(10**9) + _nolima(2000)
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED


def test_unverified_when_the_model_failed_even_the_shortest_length_yet_would_hold():
    rows = curve(90.0, {1000: 40.0, 2000: 30.0}, benchmark=NOLIMA, style="fiction")
    scored = score_claim(context_claim(1000), rows, AS_OF)
    assert scored.used[0].bound == "upper"
    assert scored.verdict == UNVERIFIED
    assert scored.notes == ("the model failed even the shortest length tested",)
    # Against a large claim, an upper bound is enough to judge.
    assert score_claim(context_claim(TEN_MILLION), rows, AS_OF).verdict == (
        SUBSTANTIALLY_OVERSTATED
    )


def test_each_curve_is_read_at_its_latest_date():
    old = _relative(60000, as_of=date(2025, 4, 8))
    new = _relative(8000, as_of=date(2025, 5, 20))
    scored = score_claim(context_claim(TEN_MILLION), old + new, AS_OF)
    assert scored.aggregate == 8000
    assert set(scored.used[0].measurement_ids) == {m.id for m in new}
    # As of a date before the new curve, the old one stands.
    before = score_claim(context_claim(TEN_MILLION), old + new, date(2025, 5, 1))
    assert before.aggregate == pytest.approx(60000)


def test_no_curve_is_unverified():
    scored = score_claim(context_claim(TEN_MILLION), [], AS_OF)
    assert scored.verdict == UNVERIFIED
    assert scored.used == ()


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(_relative(16000, evaluator=VENDOR), id="the vendor's own curve"),
        pytest.param(_relative(16000, variant=OTHER), id="another release"),
        pytest.param(_relative(16000, as_of=date(2025, 7, 1)), id="after as_of"),
        pytest.param(_relative(16000)[1:], id="no base score"),
        pytest.param(_relative(16000)[:1], id="only a base score"),
        pytest.param(
            [measurement(80.0, percent_benchmark(), conditions={"context_tokens": 8000})],
            id="not a long-context test",
        ),
    ],
)
def test_what_is_not_an_independent_curve(rows):
    assert score_claim(context_claim(TEN_MILLION), rows, AS_OF).verdict == UNVERIFIED


def test_a_claim_from_the_experimental_build_is_scored_on_the_public_model():
    rows = _relative(16000) + _relative(120000, variant=EXPERIMENTAL, evaluator="Other Lab")
    scored = score_claim(context_claim(TEN_MILLION, variant=EXPERIMENTAL), rows, AS_OF)
    assert scored.aggregate == 16000
    assert VARIANT_MISMATCH in scored.flags
    none = score_claim(context_claim(TEN_MILLION, variant=EXPERIMENTAL), [], AS_OF)
    assert none.flags == (VARIANT_MISMATCH,)


def test_stale_curve():
    scored = score_claim(
        context_claim(TEN_MILLION), _relative(16000, as_of=date(2024, 1, 5)), AS_OF
    )
    assert STALE in scored.flags


def test_a_claim_needs_a_positive_length():
    with pytest.raises(ValueError):
        score_context_window(context_claim(0), [], AS_OF)


def test_curves_under_different_settings_are_not_mixed():
    cot_base = curve(90.0, {}, benchmark=NOLIMA, evaluator="NoLiMa", conditions={"cot": True})
    no_cot_base = curve(60.0, {}, benchmark=NOLIMA, evaluator="NoLiMa", conditions={"cot": False})
    scores_no_cot = {1000: 58.0, 2000: 55.0, 4000: 50.0, 8000: 45.0}  # effective 2000
    scores_cot = {1000: 88.0, 2000: 85.0, 4000: 80.0, 8000: 70.0}  # effective 4000
    # The rows of both curves interleave by id: the cot base first, then the no-cot lengths.
    no_cot = curve(
        60.0, scores_no_cot, benchmark=NOLIMA, evaluator="NoLiMa", conditions={"cot": False}
    )[1:]
    cot = curve(90.0, scores_cot, benchmark=NOLIMA, evaluator="NoLiMa", conditions={"cot": True})[
        1:
    ]
    rows = cot_base + no_cot_base + no_cot + cot
    scored = score_claim(context_claim(128_000), rows, AS_OF)
    # Either curve's reading would do (the method prefers the longer); a mix of the two would not.
    assert scored.aggregate == pytest.approx(4000) or scored.aggregate == pytest.approx(2000)


@pytest.mark.parametrize(
    ("stated", "effective", "expected"),
    [
        (240_000, 120_000, HOLDS),  # one doubling: gap 1.0000000000000007
        (1_024_000, 128_000, SUBSTANTIALLY_OVERSTATED),  # three doublings: gap 2.9999999999999982
    ],
)
def test_a_gap_of_exactly_a_threshold_in_doublings(stated, effective, expected):
    rows = curve(90.0, {effective: 89.0, 2 * effective: 20.0}, benchmark=NOLIMA, style="fiction")
    scored = score_claim(context_claim(stated), rows, AS_OF)
    assert scored.used[0].value == effective
    assert scored.verdict == expected


def test_one_evaluator_spelled_two_ways_counts_once():
    rows = _relative(1000, evaluator="Epoch AI") + _nolima(16000, evaluator="epoch ai")
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert SINGLE_SOURCE in scored.flags
    assert len(scored.used) == 1
    assert scored.aggregate == pytest.approx(16000)


# --- Each benchmark read with its authors' rule ----------------------------------------------------


def test_each_long_context_benchmark_has_its_authors_rule():
    assert LENGTH_RULES["nolima"].threshold(80.0) == pytest.approx(EFFECTIVE_LENGTH_FRACTION * 80)
    assert LENGTH_RULES["ruler"].threshold(None) == RULER_THRESHOLD == 85.6
    assert LENGTH_RULES["nolima"].threshold(None) is None  # no base, no relative rule
    assert not LENGTH_RULES["fiction-livebench"].derives_length
    assert LENGTH_RULES["fiction-livebench"].threshold(62.5) is None


def _ruler(scores, **kwargs):
    """RULER rows as its importer stores them: one per length, no base row."""
    return [
        measurement(
            value, RULER, evaluator="NVIDIA RULER", conditions={"context_tokens": n}, **kwargs
        )
        for n, value in scores.items()
    ]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # Llama3.1-70B's row in RULER's README: 96.5 95.8 95.4 94.8 88.4 66.6 -> 64K.
        (
            {4000: 96.5, 8000: 95.8, 16000: 95.4, 32000: 94.8, 64000: 88.4, 128000: 66.6},
            (64000, "exact"),
        ),
        ({4000: 85.6, 8000: 90.0}, (4000, "upper")),  # the bar itself does not beat the bar
        ({4000: 85.7, 8000: 85.6}, (4000, "exact")),
        ({4000: 95.0, 128000: 90.0}, (128000, "lower")),  # ">128K"
    ],
)
def test_ruler_effective_length_is_the_absolute_threshold(scores, expected):
    assert ruler_effective_length(scores) == expected


def test_rulers_rule_ignores_the_models_own_short_context_score():
    # A weak model scoring 80 everywhere would pass NoLiMa's relative rule at every length;
    # RULER's absolute bar fails it at the shortest.
    rows = _ruler({4000: 80.0, 8000: 80.0, 16000: 80.0})
    scored = score_claim(context_claim(128_000), rows, AS_OF)
    [used] = scored.used
    assert (used.benchmark, used.value, used.bound) == ("ruler", 4000, "upper")
    assert scored.gap is None  # a bound is no value


def test_a_ruler_curve_gives_the_gap_in_doublings():
    rows = _ruler({4000: 96.5, 8000: 95.8, 16000: 95.4, 32000: 94.8, 64000: 88.4, 128000: 66.6})
    scored = score_claim(context_claim(128_000), rows, AS_OF)
    assert scored.aggregate == 64000
    assert scored.gap == pytest.approx(1.0)
    assert scored.verdict == HOLDS


def _fiction_livebench(**kwargs):
    # Scout's row in Epoch's copy of Fiction.LiveBench: 0 tokens 62.5, 400 tokens 52.0, ...
    return curve(62.5, {400: 52.0, 1000: 50.0, 120000: 27.3}, benchmark=FICTION, **kwargs)


def test_fiction_livebench_derives_no_effective_length_and_is_shown_per_length():
    rows = _fiction_livebench()
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert scored.verdict == UNVERIFIED
    assert scored.used == ()
    [shown] = scored.curves
    assert shown.points == ((0, 62.5), (400, 52.0), (1000, 50.0), (120000, 27.3))
    assert set(shown.measurement_ids) == {m.id for m in rows}
    assert set(scored.measurement_ids) == {m.id for m in rows}
    assert "62.5% at 0 tokens, 52.0% at 400" in scored.explanation
    assert "publishes no effective-length rule" in scored.explanation
    assert "under 400" not in scored.explanation


def test_fiction_livebench_beside_a_rule_based_verdict():
    rows = _fiction_livebench() + _nolima(1000)
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert [u.benchmark for u in scored.used] == ["nolima"]
    assert scored.aggregate == 1000
    assert [c.benchmark for c in scored.curves] == ["fiction-livebench"]
    assert scored.verdict == SUBSTANTIALLY_OVERSTATED


def test_a_bound_never_enters_the_median_or_the_doublings():
    # An exact 2K on NoLiMa and "under 4K" on RULER: the median is of the exact one alone.
    rows = _nolima(2000) + _ruler({4000: 50.0, 8000: 40.0})
    scored = score_claim(context_claim(TEN_MILLION), rows, AS_OF)
    assert {u.bound for u in scored.used} == {"exact", "upper"}
    assert scored.aggregate == 2000
    assert scored.gap == pytest.approx(math.log2(TEN_MILLION / 2000))


# --- The shortfall beside every model the benchmark's authors tested -------------------------------


def test_peer_shortfalls_leave_out_bounds_and_unclaimed_lengths():
    rows = [
        (8000, 128_000, False),
        (1000, 128_000, True),
        (2000, None, False),
        (4000, 200_000, False),
    ]
    assert peer_shortfalls(rows) == pytest.approx((4.0, math.log2(50)))  # sorted


def test_the_sentence_puts_the_shortfall_beside_the_authors_table():
    peers = {"nolima": Peers("nolima", "NoLiMa", (4.0, 6.0, 6.0, 9.0))}
    scored = score_claim(context_claim(TEN_MILLION), _nolima(1000), AS_OF, peers=peers)
    assert scored.peers == (peers["nolima"],)
    assert (
        "every one of the 4 models NoLiMa's authors tested with an exact effective length misses "
        "its claimed length, by 4.0 to 9.0 doublings, median 6.0; this one, 13.3, is the largest "
        "of them"
    ) in scored.explanation
    middle = score_claim(context_claim(128_000), _nolima(2000), AS_OF, peers=peers)
    assert "this one, 6.0, is more than 1 of the 4" in middle.explanation


def test_peers_of_a_benchmark_not_used_are_not_said():
    peers = {"nolima": Peers("nolima", "NoLiMa", (4.0, 6.0))}
    rows = _ruler({4000: 96.5, 8000: 95.8, 16000: 70.0})
    scored = score_claim(context_claim(128_000), rows, AS_OF, peers=peers)
    assert scored.peers == ()
    assert "authors tested" not in scored.explanation
