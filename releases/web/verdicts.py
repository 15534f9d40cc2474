"""How a verdict is shown: a word, a shape and a colour, so colour never carries it alone.

Also the ClaimReview rating scale (schema.org): a number where the verdict places the claim on
a scale of truthfulness, none where it could not be checked (an unverified claim is not "half
true", and a number would say it is).
"""

from __future__ import annotations

from dataclasses import dataclass

from releases.methodology.rules import flag_rows
from releases.models import GapScore

V = GapScore.Verdict

# The ClaimReview scale: 1 (worst) to 5 (best).
RATING_WORST = 1
RATING_BEST = 5


@dataclass(frozen=True)
class VerdictStyle:
    name: str  # the stored verdict ("" for a claim not scored yet)
    label: str  # the word on the badge
    symbol: str  # the shape on the badge; decorative, the label says it in words
    css: str  # the badge's class: its colour
    rating: int | None  # on the ClaimReview scale, None where the claim could not be checked
    group: str  # the release page's group


# The release page's groups, in the order a reader asks about them.
GROUP_DID_NOT_HOLD = "did-not-hold"
GROUP_HELD = "held"
GROUP_BETTER = "better-than-claimed"
GROUP_UNCHECKED = "not-checked"
GROUP_NOT_SCORED = "not-scored"
GROUPS = (
    (
        GROUP_DID_NOT_HOLD,
        "Did not hold up",
        "Independent measurements put the model below the claim.",
    ),
    (GROUP_HELD, "Held up", "Independent measurements agree with the claim."),
    (
        GROUP_BETTER,
        "Better than claimed",
        "Independent measurements put the model above the claim.",
    ),
    (
        GROUP_UNCHECKED,
        "Could not be checked",
        "No comparable independent measurement of the public model yet.",
    ),
    (GROUP_NOT_SCORED, "Not scored yet", "Published, waiting for its first score."),
)

STYLES = {
    V.HOLDS: VerdictStyle(V.HOLDS, "Holds", "✓", "verdict-holds", 5, GROUP_HELD),
    V.UNDERSTATED: VerdictStyle(
        V.UNDERSTATED, "Understated", "▼", "verdict-understated", 4, GROUP_BETTER
    ),
    V.OVERSTATED: VerdictStyle(
        V.OVERSTATED, "Overstated", "▲", "verdict-overstated", 2, GROUP_DID_NOT_HOLD
    ),
    V.SUBSTANTIALLY_OVERSTATED: VerdictStyle(
        V.SUBSTANTIALLY_OVERSTATED,
        "Substantially overstated",
        "▲▲",
        "verdict-substantially-overstated",
        1,
        GROUP_DID_NOT_HOLD,
    ),
    V.UNVERIFIED: VerdictStyle(
        V.UNVERIFIED, "Unverified", "?", "verdict-unverified", None, GROUP_UNCHECKED
    ),
    V.NOT_COMPARABLE: VerdictStyle(
        V.NOT_COMPARABLE, "Not comparable", "≠", "verdict-not-comparable", None, GROUP_UNCHECKED
    ),
}
NOT_SCORED = VerdictStyle("", "Not scored yet", "…", "verdict-not-scored", None, GROUP_NOT_SCORED)

# Verdicts from worst to best for the claim, for "largest gaps" and sorting.
SEVERITY = (V.SUBSTANTIALLY_OVERSTATED, V.OVERSTATED)


def verdict_style(verdict: str | None) -> VerdictStyle:
    return STYLES.get(verdict or "", NOT_SCORED)  # type: ignore[call-overload]


def flag_meanings() -> dict[str, str]:
    """Flag name -> what it tells the reader, worded as on the methodology page."""
    return {row["name"]: row["meaning"] for row in flag_rows()}


FLAG_LABELS = {
    "variant_mismatch": "Variant mismatch",
    "conditions_mismatch": "Conditions mismatch",
    "single_source": "Single source",
    "stale": "Stale",
}
