"""The sentence a journalist quotes: one per verdict kind, and figures as readers write them."""

from __future__ import annotations

from datetime import date

import pytest

from releases.scoring import score_claim
from releases.scoring.explanation import VERDICT_WORDS, explain, format_value
from releases.scoring.inputs import ELO, PERCENT, QUALITATIVE, RANK, SCORE, TOKENS, Claim, Score
from releases.scoring.method import (
    HOLDS,
    NOT_COMPARABLE,
    OVERSTATED,
    SUBSTANTIALLY_OVERSTATED,
    UNDERSTATED,
    UNVERIFIED,
    VARIANT_MISMATCH,
)
from tests.scoring.builders import (
    AS_OF,
    EXPERIMENTAL,
    ORCA,
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
        "Acme AI claimed 69.8% on Reasoning QA for Orca 2; Epoch AI measured 68.9% ± 1.5 on "
        "Orca-2-Instruct (20 April 2025), 0.9 points below the claim: the claim holds."
    )


def test_overstated():
    sentence = _sentence(claim(69.8), [measurement(64.3, evaluator="Vals AI")], OVERSTATED)
    assert sentence.startswith("Acme AI claimed 69.8% on Reasoning QA for Orca 2; ")
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
        "orca-2-chat-experimental-0326; Chat Arena measured 1288 ± 3.6 on Orca-2-Instruct"
    )
    assert "129 rating points below the claim" in sentence
    assert "would win 68% of head-to-head votes" in sentence
    assert (
        "; the unreleased build itself had Chat Arena 1410 ± 3.6 on orca-2-chat-experimental-0326"
        in sentence
    )
    assert sentence.endswith(": substantially overstated.")


def test_understated():
    sentence = _sentence(claim(60.0), [measurement(68.9, evaluator="Epoch AI")], UNDERSTATED)
    assert "Epoch AI measured 68.9% on Orca-2-Instruct" in sentence
    assert "8.9 points above the claim" in sentence
    assert sentence.endswith(": understated (the model did better than claimed).")


def test_unverified():
    sentence = _sentence(claim(60.0), [], UNVERIFIED)
    assert sentence == (
        "Acme AI claimed 60.0% on Reasoning QA for Orca 2; none of the leaderboards claimsdb "
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
    assert sentence.startswith("Acme AI claimed 1417 on Chat Arena for Orca 2; ")
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
    assert ", and the newest measurement dates from 3 March 2024: the claim holds." in sentence


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
    rows = curve(90.0, {1000: 89.0, 16000: 88.0, 32000: 40.0})
    sentence = _sentence(context_claim(10_000_000), rows, SUBSTANTIALLY_OVERSTATED)
    assert sentence == (
        "Acme AI claimed a 10M-token context window for Orca 2; independent long-context tests "
        "put its effective length at 16K tokens on Fiction.LiveBench (Fiction.LiveBench, "
        "Orca-2-Instruct), 9.3 doublings short of the claim: substantially overstated."
    )


def test_context_window_bounds_are_worded():
    lower = _sentence(
        context_claim(10_000_000), curve(90.0, {1000: 89.0, 120000: 88.0}), UNVERIFIED
    )
    assert "at least 120K tokens (the longest length tested)" in lower
    upper = _sentence(
        context_claim(10_000_000), curve(90.0, {1000: 40.0}), SUBSTANTIALLY_OVERSTATED
    )
    assert "under 1K tokens" in upper


def test_context_window_unverified():
    sentence = _sentence(context_claim(10_000_000), [], UNVERIFIED)
    assert sentence == (
        "Acme AI claimed a 10M-token context window for Orca 2; none of the leaderboards "
        "claimsdb tracks has published a long-context test of the public model: unverified."
    )


def test_context_window_understated_is_not_a_negative_shortfall():
    rows = curve(90.0, {1000: 89.0, 128000: 88.0, 256000: 10.0})
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
        "ahead in 1 of 2 head-to-head comparisons (behind in 0, level in 1): overstated."
    )


def test_comparison_unverified():
    sentence = _sentence(comparison_claim(), [], UNVERIFIED)
    assert sentence == (
        "Acme AI claimed Orca 2 beats Heron 5; none of the leaderboards claimsdb tracks has "
        "measured both on the "
        "same benchmark: unverified."
    )


def test_qualitative():
    qualitative = Claim(id=9, kind=QUALITATIVE, release=ORCA, stated_text="best in class")
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
