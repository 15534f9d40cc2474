"""A measurement of the model at another numeric precision than the vendor's.

Vendors evaluate their full-precision weights (Meta: "all reported evaluations and testing were
conducted on bf16 models"); some evaluators run a quantized checkpoint (HELM's and Epoch's
Maverick is the FP8 one). It is the same model, so the measurement is comparable, but a reader
should know: the score carries the precision-differs flag and the sentence says so.

A measurement's precision is its `precision` condition when the source states one, else the
precision its own model name states ("...-Instruct-FP8", "-fp8"): that is the source's word, not
a guess about which model it is. A claim's is its `precision` condition, else full precision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from releases.conditions import canonical_conditions
from releases.scoring.inputs import ClaimInput, MeasuredFigure, Score

PRECISION_DIFFERS = "precision_differs"

# Spellings of one precision; 16- and 32-bit floats are the vendors' full precision.
_SPELLINGS = {"bfloat16": "bf16", "float16": "fp16", "half": "fp16", "float32": "fp32"}
FULL_PRECISION = frozenset({"bf16", "fp16", "fp32"})
# A precision written as the last part of a model name ("-FP8", "_int4").
_IN_NAME = re.compile(r"[-_/ ](fp8|int8|int4|fp4|bf16|fp16)$", re.IGNORECASE)


def _normalised(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().casefold()
    return _SPELLINGS.get(text, text) or None


def measured_precision(m: MeasuredFigure) -> str | None:
    stated = _normalised(canonical_conditions(m.conditions).get("precision"))
    if stated:
        return stated
    match = _IN_NAME.search(m.model_name.strip())
    return match.group(1).casefold() if match else None


def claimed_precision(conditions: Mapping[str, Any]) -> str | None:
    return _normalised(canonical_conditions(conditions).get("precision"))


def precision_differs(claim: ClaimInput, used: Iterable[MeasuredFigure]) -> list[str]:
    """The precisions, other than the claim's, of the measurements a verdict used (sorted)."""
    claimed = claimed_precision(claim.conditions)
    other = set()
    for m in used:
        measured = measured_precision(m)
        if measured is None:
            continue
        if claimed is not None:
            if measured != claimed:
                other.add(measured)
        elif measured not in FULL_PRECISION:
            other.add(measured)
    return sorted(other)


def precision_sentence(sentence: str, score: Score, precisions: list[str]) -> str:
    """The sentence with the other precision said before its verdict ("...: the claim holds.")."""
    if not precisions or PRECISION_DIFFERS not in score.flags:
        return sentence
    head, colon, verdict = sentence.rpartition(": ")
    if not colon:
        return sentence
    written = " and ".join(p.upper() for p in precisions)
    # "an FP8", "a BF16": the article goes with the letter's sound.
    article = "an" if written[0] in "AEFHILMNORSX" else "a"
    return (
        f"{head} (measured on {article} {written} checkpoint, another precision than the "
        f"full-precision weights vendors evaluate){colon}{verdict}"
    )
