"""What the /methodology/ page shows: the scoring's own constants, and worked examples.

Nothing here decides anything. Every number the page shows is either read from
`releases.scoring` when the page is rendered (module attributes, looked up at call time, so the
page always shows what the code does), or computed by calling `releases.scoring.score_claim` on
the stored claims and measurements the examples name (`examples` holds only their narration;
`releases.services.worked_examples` loads their inputs through the recompute's own reader), so
a worked example is the stored verdict, step by step.

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from releases.methodology.examples import EXAMPLES, ExampleSpec
from releases.methodology.rules import (
    UNIT_NAMES,
    constants,
    flag_rows,
    format_number,
    format_share,
    format_threshold,
    threshold_rows,
    verdict_rows,
)
from releases.methodology.worked import ExampleInputs, worked

__all__ = [
    "EXAMPLES",
    "UNIT_NAMES",
    "ExampleInputs",
    "ExampleSpec",
    "format_number",
    "format_share",
    "format_threshold",
    "page_context",
]


def page_context(examples: Sequence[ExampleInputs] = ()) -> dict[str, Any]:
    """Everything the methodology template renders; `examples` are the loaded worked examples."""
    return {
        "c": constants(),
        "thresholds": threshold_rows(),
        "verdicts": verdict_rows(),
        "flags": flag_rows(),
        "examples": [worked(example) for example in examples],
        "examples_missing": [
            spec.title for spec in EXAMPLES if spec.slug not in {e.spec.slug for e in examples}
        ],
    }
