"""What the /methodology/ page shows: the scoring's own constants, and worked examples on real data.

Nothing here decides anything. Every number the page shows is either read from
`releases.scoring` when the page is rendered (module attributes, looked up at call time, so the
page always shows what the code does), or computed by calling `releases.scoring.score_claim` on
the examples below. The examples' inputs are real figures quoted from the bundled snapshots in
fixtures/leaderboards/ (the comment beside each names its file), and
tests/test_methodology_page.py re-parses each one with the real importer, so the page cannot
quote a number the data does not hold.

Pure: no database, no clock.
"""

from __future__ import annotations

from typing import Any

from releases.methodology.examples import EXAMPLES, Example, QuotedFigure, gap_text, worked_examples
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

__all__ = [
    "EXAMPLES",
    "UNIT_NAMES",
    "Example",
    "QuotedFigure",
    "format_number",
    "format_share",
    "format_threshold",
    "gap_text",
    "page_context",
]


def page_context() -> dict[str, Any]:
    """Everything the methodology template renders."""
    return {
        "c": constants(),
        "thresholds": threshold_rows(),
        "verdicts": verdict_rows(),
        "flags": flag_rows(),
        "examples": worked_examples(),
    }
