"""Every unverified verdict says why, and never that nobody has measured the claim."""

from __future__ import annotations

import pytest

from releases.scoring import Coverage, score_claim
from releases.scoring.coverage import REASONS
from tests.scoring.builders import AS_OF, EXPERIMENTAL, claim, context_claim, measurement

PREFIX = "Acme AI claimed 60.0% on Reasoning QA for Orca-2-Instruct; "


@pytest.mark.parametrize(
    ("coverage", "reason", "words"),
    [
        (
            Coverage(),
            "no_tracked_source",
            "none of the leaderboards claimsdb tracks measures Reasoning QA",
        ),
        (
            Coverage(sources_measuring=("HELM", "Vals AI")),
            "not_this_model",
            "none of the leaderboards claimsdb tracks has measured the public model on it (HELM and "
            "Vals AI measure Reasoning QA, not this model)",
        ),
        (
            Coverage(sources_measuring=("Vals AI",), names_in_review=(("Vals AI", "acme/orca-2"),)),
            "name_in_review",
            'Vals AI lists "acme/orca-2", a name waiting for an analyst to confirm it is this model',
        ),
    ],
)
def test_the_reason_and_its_sentence(coverage: Coverage, reason: str, words: str) -> None:
    scored = score_claim(claim(60.0), [], AS_OF, coverage=coverage)
    assert (scored.verdict, scored.reason) == ("unverified", reason)
    assert scored.explanation.startswith(PREFIX)
    assert words in scored.explanation
    assert scored.explanation.endswith(": unverified.")
    assert reason in REASONS


def test_a_figure_only_from_the_unreleased_build_keeps_its_sentence() -> None:
    own = measurement(58.0, variant=EXPERIMENTAL, evaluator="Epoch AI")
    scored = score_claim(claim(60.0, variant=EXPERIMENTAL), [own], AS_OF, coverage=Coverage())
    assert scored.reason == "only_unreleased_build"
    assert "a build users cannot get" in scored.explanation


def test_a_context_window_without_a_test_of_this_model_names_the_tests() -> None:
    scored = score_claim(
        context_claim(10_000_000), [], AS_OF, coverage=Coverage(sources_measuring=("NoLiMa",))
    )
    assert scored.reason == "not_this_model"
    assert scored.explanation == (
        "Acme AI claimed a 10M-token context window for Orca-2-Instruct; none of the leaderboards "
        "claimsdb tracks has published a long-context test of the public model (NoLiMa test "
        "other models): unverified."
    )


def test_checked_and_not_comparable_claims() -> None:
    checked = score_claim(claim(60.0), [measurement(59.0)], AS_OF, coverage=Coverage())
    assert checked.reason == ""
    sliced = score_claim(
        claim(60.0), [measurement(59.0, conditions={"language": "te"})], AS_OF, coverage=Coverage()
    )
    assert (sliced.verdict, sliced.reason) == ("not_comparable", "other_conditions")


def test_without_the_facts_no_reason_is_invented() -> None:
    scored = score_claim(claim(60.0), [], AS_OF)
    assert scored.reason == ""
    assert "none of the leaderboards claimsdb tracks has measured the public model on it" in (
        scored.explanation
    )
