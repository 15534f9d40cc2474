"""A claim known only from reporting says so in its sentence: "as reported by The Verge"."""

from __future__ import annotations

import dataclasses

from releases.scoring import score_claim
from tests.scoring.builders import (
    AS_OF,
    EXPERIMENTAL,
    claim,
    comparison_claim,
    context_claim,
    elo_benchmark,
    measurement,
)


def test_a_reported_figure_names_who_reported_it() -> None:
    arena = elo_benchmark()
    reported = dataclasses.replace(
        claim(1417.0, arena, variant=EXPERIMENTAL), reported_by="The Verge"
    )
    rows = [measurement(1288.0, arena, evaluator="Chat Arena", ci=(1281.0, 1295.0))]

    sentence = score_claim(reported, rows, AS_OF).explanation

    assert sentence.startswith("Acme AI, as reported by The Verge, claimed 1417 on Chat Arena")


def test_reported_comparison_and_context_claims_name_who_reported_them() -> None:
    for made in (comparison_claim(), context_claim(10_000_000)):
        reported = dataclasses.replace(made, reported_by="The Verge")
        assert "Acme AI, as reported by The Verge, claimed " in (
            score_claim(reported, [], AS_OF).explanation
        )
        # The vendor's own document needs no attribution.
        assert "as reported by" not in score_claim(made, [], AS_OF).explanation
