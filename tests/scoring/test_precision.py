"""A checkpoint at another precision is comparable, and flagged."""

from __future__ import annotations

import dataclasses

from releases.scoring import score_claim
from releases.scoring.precision import measured_precision, precision_differs
from tests.scoring.builders import AS_OF, claim, measurement


def test_precision_from_the_condition_or_the_sources_own_model_name() -> None:
    fp8_name = dataclasses.replace(measurement(60.0), model_name="Orca-2-Instruct-FP8")
    assert measured_precision(fp8_name) == "fp8"
    assert measured_precision(measurement(60.0, conditions={"precision": "bfloat16"})) == "bf16"
    assert measured_precision(measurement(60.0)) is None
    # "fp8" inside a name is not a precision suffix.
    assert (
        measured_precision(dataclasses.replace(measurement(60.0), model_name="fp8-coder-7b"))
        is None
    )


def test_fp8_is_flagged_against_an_unstated_or_bf16_claim_and_full_precision_is_not() -> None:
    fp8 = measurement(60.0, conditions={"precision": "fp8"})
    fp16 = measurement(60.0, conditions={"precision": "float16"})
    assert precision_differs(claim(61.0), [fp8]) == ["fp8"]
    assert precision_differs(claim(61.0), [fp16]) == []
    assert precision_differs(claim(61.0, conditions={"precision": "bf16"}), [fp16]) == ["fp16"]
    assert precision_differs(claim(61.0, conditions={"precision": "fp8"}), [fp8]) == []


def test_the_verdict_uses_it_and_the_sentence_says_so() -> None:
    fp8 = dataclasses.replace(measurement(66.0, std_error=1.0), model_name="Orca-2-Instruct-FP8")
    scored = score_claim(claim(67.0), [fp8], AS_OF)
    assert scored.verdict == "holds"
    assert "precision_differs" in scored.flags
    assert "(measured on an FP8 checkpoint, another precision than the full-precision weights" in (
        scored.explanation
    )
    assert scored.explanation.endswith(": the claim holds.")
    plain = score_claim(claim(67.0), [measurement(66.0, std_error=1.0)], AS_OF)
    assert "precision_differs" not in plain.flags
