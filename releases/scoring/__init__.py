"""The reality gap: pure functions from a claim and measurements to a score, a verdict and a sentence.

- `method`: the method itself, its constants and thresholds, step by step (start here);
- `figures`: a stated benchmark score or arena rating;
- `context_window`: a stated context length, against effective length on long-context tests;
- `comparison`: "beats model X", from the measured ordering of both models;
- `explanation`: the sentence every interface shows;
- `inputs`: the plain dataclasses all of them read and return.

No ORM, no I/O, no clock: `as_of` is passed in. `releases.services.gap_scores` loads the inputs
from the database and stores the results.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date

from releases.scoring.comparison import score_comparison
from releases.scoring.context_window import score_context_window
from releases.scoring.explanation import explain
from releases.scoring.figures import score_figure
from releases.scoring.inputs import (
    COMPARISON,
    CONTEXT_WINDOW,
    QUALITATIVE,
    ClaimInput,
    MeasuredFigure,
    Peers,
    Score,
)
from releases.scoring.method import METHOD_VERSION, UNVERIFIED

__all__ = ["METHOD_VERSION", "score_claim"]


def score_claim(
    claim: ClaimInput,
    measurements: Iterable[MeasuredFigure],
    as_of: date,
    *,
    peers: Mapping[str, Peers] | None = None,
) -> Score:
    """Score one claim as of a date, with its explanation.

    `measurements` may hold more than the claim needs (other benchmarks, other releases); each
    kind of claim picks the ones that are comparable. The result depends only on the arguments:
    not on their order, not on duplicated rows, not on the time of day. `peers` (by long-context
    benchmark slug) puts a context-window shortfall beside every tested model's.
    """
    rows = list(measurements)
    if claim.kind == COMPARISON:
        score = score_comparison(claim, rows, as_of)
    elif claim.kind == QUALITATIVE or claim.stated_value is None:
        score = Score(verdict=UNVERIFIED)
    elif claim.kind == CONTEXT_WINDOW:
        score = (
            score_context_window(claim, rows, as_of, peers=peers or {})
            if claim.stated_value > 0
            else Score(verdict=UNVERIFIED)
        )
    elif claim.benchmark is None:
        score = Score(verdict=UNVERIFIED)
    else:
        score = score_figure(claim, rows, as_of)
    return dataclasses.replace(score, explanation=explain(claim, score, as_of))
