"""The sentence a journalist quotes: one per verdict kind, and figures as readers write them."""

from __future__ import annotations

from datetime import date

import pytest

from releases.scoring import score_claim
from releases.scoring.explanation import VERDICT_WORDS, explain
from releases.scoring.inputs import (
    ELO,
    PERCENT,
    QUALITATIVE,
    RANK,
    SCORE,
    TOKENS,
    ClaimInput,
    Score,
)
from releases.scoring.method import (
    HOLDS,
    NOT_COMPARABLE,
    OVERSTATED,
    SUBSTANTIALLY_OVERSTATED,
    UNDERSTATED,
    UNVERIFIED,
    VARIANT_MISMATCH,
)
from releases.scoring.units import format_value
from tests.scoring.builders import (
    AS_OF,
    BASE,
    EXPERIMENTAL,
    NOLIMA,
    ORCA,
    ORCA_WITH_BASE,
    RIVAL_VARIANT,
    claim,
    comparison_claim,
    context_claim,
    curve,
    elo_benchmark,
    measurement,
    rank_benchmark,
    score_benchmark,
)

ARENA = elo_benchmark()


def _sentence(the_claim, rows, verdict):
    scored = score_claim(the_claim, rows, AS_OF)
    assert scored.verdict == verdict
    assert scored.explanation == explain(the_claim, scored, AS_OF)
    sentence = scored.explanation
    assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence
    assert sentence.endswith(f": {VERDICT_WORDS[verdict]}.")
    return sentence


def test_holds():
    sentence = _sentence(
        claim(69.8), [measurement(68.9, evaluator="Epoch AI", std_error=1.5)], HOLDS
    )
    assert sentence == (
        "Acme AI claimed 69.8% on Reasoning QA for Orca-2-Instruct; Epoch AI measured 68.9% "
        "(± 1.5, one standard error) on Orca-2-Instruct (20 April 2025), 0.9 points below the "
        "claim: the claim holds."
    )


def test_overstated():
    sentence = _sentence(claim(69.8), [measurement(64.3, evaluator="Vals AI")], OVERSTATED)
    assert sentence.startswith("Acme AI claimed 69.8% on Reasoning QA for Orca-2-Instruct; ")
    assert "Vals AI measured 64.3% on Orca-2-Instruct (20 April 2025)" in sentence
    assert "5.5 points below the claim: overstated." in sentence


def test_substantially_overstated_with_the_unreleased_build():
    rows = [
        measurement(1288.0, ARENA, evaluator="Chat Arena", ci=(1281.0, 1295.0)),
        measurement(
            1410.0, ARENA, variant=EXPERIMENTAL, evaluator="Chat Arena", ci=(1403.0, 1417.0)
        ),
    ]
    sentence = _sentence(claim(1417.0, ARENA, variant=EXPERIMENTAL), rows, SUBSTANTIALLY_OVERSTATED)
    assert sentence.startswith(
        "Acme AI claimed 1417 on Chat Arena for Orca 2, a figure from the unreleased "
        "orca-2-chat-experimental-0326; Chat Arena measured 1288 (95% interval 1281–1295) on "
        "Orca-2-Instruct"
    )
    assert "129 rating points below the claim" in sentence
    assert "would win 68% of head-to-head votes" in sentence
    # The build's own interval holds the claimed 1417: it did score what the vendor said.
    assert (
        "; the unreleased build did score what Acme AI said: Chat Arena rated it 1410 "
        "(95% interval 1403–1417) on 20 April 2025"
    ) in sentence
    assert sentence.endswith(": substantially overstated.")


def test_understated():
    sentence = _sentence(claim(60.0), [measurement(68.9, evaluator="Epoch AI")], UNDERSTATED)
    assert "Epoch AI measured 68.9% on Orca-2-Instruct" in sentence
    assert "8.9 points above the claim" in sentence
    assert sentence.endswith(": understated (the model did better than claimed).")


def test_unverified():
    sentence = _sentence(claim(60.0), [], UNVERIFIED)
    assert sentence == (
        "Acme AI claimed 60.0% on Reasoning QA for Orca-2-Instruct; none of the leaderboards claimsdb "
        "tracks has measured the public model on it: unverified."
    )


def test_unverified_with_only_the_unreleased_build_measured():
    rows = [measurement(1410.0, ARENA, variant=EXPERIMENTAL, evaluator="Chat Arena")]
    sentence = _sentence(claim(1417.0, ARENA, variant=EXPERIMENTAL), rows, UNVERIFIED)
    assert "a figure from the unreleased orca-2-chat-experimental-0326" in sentence
    assert (
        "(Chat Arena measured 1410 on orca-2-chat-experimental-0326 (20 April 2025), a build users cannot get)"
        in sentence
    )


def test_not_comparable():
    rows = [measurement(1288.0, ARENA, evaluator="Chat Arena", conditions={"style_control": True})]
    sentence = _sentence(claim(1417.0, ARENA), rows, NOT_COMPARABLE)
    assert sentence.startswith("Acme AI claimed 1417 on Chat Arena for Orca-2-Instruct; ")
    assert "exist only under other conditions" in sentence


def test_several_evaluators_are_named_with_the_combined_figure():
    rows = [
        measurement(64.3, evaluator="Epoch AI"),
        measurement(66.1, evaluator="Vals AI", as_of=date(2025, 5, 2)),
    ]
    sentence = _sentence(claim(69.8), rows, OVERSTATED)
    assert (
        "2 independent evaluators measured 65.2% combined "
        "(Epoch AI 64.3% on Orca-2-Instruct, Vals AI 66.1% on Orca-2-Instruct)"
    ) in sentence


def test_a_stale_measurement_is_dated():
    rows = [measurement(69.0, evaluator="Epoch AI", as_of=date(2024, 3, 3))]
    sentence = _sentence(claim(69.8), rows, HOLDS)
    assert (
        ", and the newest independent measurement is over a year old (3 March 2024): the claim "
        "holds."
    ) in sentence


def test_scores_and_ranks_in_their_own_terms():
    score = _sentence(
        claim(8.4, score_benchmark()),
        [measurement(6.5, score_benchmark(), evaluator="Judge Lab")],
        SUBSTANTIALLY_OVERSTATED,
    )
    assert "Acme AI claimed 8.4 on Writing Index" in score
    assert "29% below the claim" in score
    rank = _sentence(
        claim(2.0, rank_benchmark()),
        [measurement(7.0, rank_benchmark(), evaluator="Chat Arena")],
        OVERSTATED,
    )
    assert "Acme AI claimed #2 on Chat Arena rank" in rank
    assert "Chat Arena measured #7" in rank
    assert "5 places below the claim" in rank


def test_context_window():
    rows = curve(90.0, {1000: 89.0, 16000: 88.0, 32000: 40.0}, benchmark=NOLIMA, evaluator="Lab")
    sentence = _sentence(context_claim(10_000_000), rows, SUBSTANTIALLY_OVERSTATED)
    assert sentence == (
        "Acme AI claimed a 10M-token context window for Orca-2-Instruct; by each test's own rule, "
        "independent long-context tests put its effective length at 16K tokens on NoLiMa (Lab, "
        "Orca-2-Instruct, 20 April 2025), 9.3 doublings short of the claim: substantially "
        "overstated."
    )


def test_context_window_bounds_are_worded():
    lower = _sentence(
        context_claim(10_000_000),
        curve(90.0, {1000: 89.0, 120000: 88.0}, benchmark=NOLIMA),
        UNVERIFIED,
    )
    assert "at least 120K tokens (the longest length tested)" in lower
    upper = _sentence(
        context_claim(10_000_000),
        curve(90.0, {1000: 40.0}, benchmark=NOLIMA),
        SUBSTANTIALLY_OVERSTATED,
    )
    assert "under 1K tokens" in upper
    # A bound is not a value: no doublings are printed from it.
    assert "doublings" not in lower and "doublings" not in upper


def test_context_window_unverified():
    sentence = _sentence(context_claim(10_000_000), [], UNVERIFIED)
    assert sentence == (
        "Acme AI claimed a 10M-token context window for Orca-2-Instruct; none of the leaderboards "
        "claimsdb tracks has published a long-context test of the public model: unverified."
    )


def test_context_window_understated_is_not_a_negative_shortfall():
    rows = curve(90.0, {1000: 89.0, 128000: 88.0, 256000: 10.0}, benchmark=NOLIMA)
    sentence = _sentence(context_claim(32_000), rows, UNDERSTATED)
    assert "-2.0 doublings" not in sentence


def test_comparison():
    rows = [
        measurement(70.0, evaluator="Epoch AI"),
        measurement(60.0, variant=RIVAL_VARIANT, evaluator="Epoch AI"),
        measurement(1300.0, ARENA, evaluator="Chat Arena"),
        measurement(1290.0, ARENA, variant=RIVAL_VARIANT, evaluator="Chat Arena"),
    ]
    sentence = _sentence(comparison_claim(), rows, OVERSTATED)
    assert sentence == (
        "Acme AI claimed Orca 2 beats Heron 5; independent measurements on 2 benchmarks put it "
        "ahead in 1 of 2 head-to-head comparisons (behind in 0, level in 1): against Heron 5 "
        "(heron-5-2025-05-13), ahead on Reasoning QA, level on Chat Arena: overstated."
    )


def test_comparison_unverified():
    sentence = _sentence(comparison_claim(), [], UNVERIFIED)
    assert sentence == (
        "Acme AI claimed Orca 2 beats Heron 5; none of the leaderboards claimsdb tracks has "
        "measured both on the "
        "same benchmark: unverified."
    )


def test_qualitative():
    qualitative = ClaimInput(id=9, kind=QUALITATIVE, release=ORCA, stated_text="best in class")
    assert _sentence(qualitative, [], UNVERIFIED) == (
        "Acme AI made a qualitative claim about Orca 2; claimsdb scores only figures and "
        "comparisons: unverified."
    )


def test_the_sentence_comes_from_the_score_alone():
    # explain() reads only the claim and the score: a stored score explains itself again.
    the_claim = claim(69.8)
    scored = score_claim(the_claim, [measurement(64.3, evaluator="Vals AI")], AS_OF)
    stored = Score(
        verdict=scored.verdict,
        flags=scored.flags,
        aggregate=scored.aggregate,
        gap=scored.gap,
        used=scored.used,
    )
    assert explain(the_claim, stored, AS_OF) == scored.explanation


def test_every_verdict_has_words():
    assert set(VERDICT_WORDS) == {
        HOLDS,
        OVERSTATED,
        SUBSTANTIALLY_OVERSTATED,
        UNDERSTATED,
        UNVERIFIED,
        NOT_COMPARABLE,
    }
    assert VARIANT_MISMATCH not in VERDICT_WORDS


# --- format_value ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (69.8, PERCENT, "69.8%"),
        (70.0, PERCENT, "70.0%"),
        (16.04, PERCENT, "16.0%"),
        (1417.0, ELO, "1417"),
        (1417.4, ELO, "1417"),
        (10_000_000, TOKENS, "10M tokens"),
        (1_000_000, TOKENS, "1M tokens"),
        (128_000, TOKENS, "128K tokens"),
        (131_072, TOKENS, "131K tokens"),
        (1_500, TOKENS, "1.5K tokens"),
        (512, TOKENS, "512 tokens"),
        (3, RANK, "#3"),
        (3.0, RANK, "#3"),
        (8.4, SCORE, "8.4"),
        (8.0, SCORE, "8"),
        (1234.6, SCORE, "1235"),
    ],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text


@pytest.mark.parametrize("value", [999_500, 999_999.9999])
def test_format_value_never_uses_scientific_notation(value):
    assert "e+" not in format_value(value, TOKENS)


def test_the_claimed_half_names_the_variant_and_the_conditions():
    base = claim(85.5, variant=BASE, release=ORCA_WITH_BASE, conditions={"shots": 5})
    sentence = _sentence(base, [], UNVERIFIED)
    assert sentence.startswith("Acme AI claimed 85.5% on Reasoning QA (5-shot) for Orca-2-Base;")
    instruct = claim(80.0, conditions={"shots": 0, "cot": True, "metric": "accuracy"})
    sentence = _sentence(instruct, [], UNVERIFIED)
    assert "on Reasoning QA (cot... " not in sentence
    assert "(with chain of thought, 0-shot) for Orca-2-Instruct" in sentence


def test_plus_minus_is_always_said_to_be_one_standard_error():
    sentence = _sentence(claim(69.8), [measurement(68.9, std_error=1.5)], HOLDS)
    assert "± 1.5, one standard error" in sentence


def test_a_published_interval_is_shown_as_such_not_as_a_derived_standard_error():
    sentence = _sentence(claim(69.8), [measurement(68.9, ci=(66.0, 71.8))], HOLDS)
    assert "68.9% (95% interval 66.0–71.8)" in sentence
    assert "±" not in sentence


def test_an_unknown_date_is_never_printed():
    rows = [measurement(68.9, std_error=1.5, as_of=date(2025, 5, 19), as_of_known=False)]
    sentence = _sentence(claim(69.8), rows, HOLDS)
    assert "2025" not in sentence and "19 May" not in sentence
    stale = [measurement(69.0, as_of=date(2024, 3, 3), as_of_known=False)]
    sentence = _sentence(claim(69.8), stale, HOLDS)
    assert "is over a year old: the claim holds." in sentence
    assert "2024" not in sentence
