"""The reality gap: pure functions from a claim and measurements to a score, a verdict and a sentence.

- `method`: the method itself, its constants and thresholds, step by step (start here);
- `figures`: a stated benchmark score or arena rating;
- `context_window`: a stated context length, against effective length on long-context tests;
- `comparison`: "beats model X", from the measured ordering of both models;
- `explanation`: the sentence every interface shows;
- `windows`: a benchmark scored over the claim's window of problem dates (LiveCodeBench);
- `related`: figures on related benchmarks, shown beside a verdict and never in it;
- `precision`: the flag for a measurement at another numeric precision than the vendor's;
- `coverage`: why a claim could not be checked;
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
from releases.scoring.coverage import Coverage, coverage_sentence, unverified_reason
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
from releases.scoring.precision import PRECISION_DIFFERS, precision_differs, precision_sentence
from releases.scoring.related import related_context
from releases.scoring.windows import windowed_figures

__all__ = ["METHOD_VERSION", "Coverage", "score_claim"]


def score_claim(
    claim: ClaimInput,
    measurements: Iterable[MeasuredFigure],
    as_of: date,
    *,
    peers: Mapping[str, Peers] | None = None,
    coverage: Coverage | None = None,
) -> Score:
    """Score one claim as of a date, with its explanation.

    `measurements` may hold more than the claim needs (other benchmarks, other releases); each
    kind of claim picks the ones that are comparable. `coverage` (what the tracked leaderboards
    hold for the claim) only explains an unverified verdict; it never changes one. `peers` (by
    long-context benchmark slug) puts a context-window shortfall beside every tested model's.
    The result depends only on the arguments: not on their order, not on duplicated rows, not
    on the time of day.
    """
    rows = list(measurements)
    other_precisions: list[str] = []
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
        rows = windowed_figures(claim, rows)
        score = score_figure(claim, rows, as_of)
        used_ids = {i for u in score.used for i in u.measurement_ids}
        other_precisions = precision_differs(claim, (m for m in rows if m.id in used_ids))
        if other_precisions:
            score = dataclasses.replace(score, flags=(*score.flags, PRECISION_DIFFERS))
        score = dataclasses.replace(score, related=related_context(claim, rows, as_of))
    score = dataclasses.replace(score, reason=unverified_reason(claim, score, coverage))
    explanation = precision_sentence(explain(claim, score, as_of), score, other_precisions)
    explanation = coverage_sentence(claim, score, coverage, explanation)
    return dataclasses.replace(score, explanation=explanation)
