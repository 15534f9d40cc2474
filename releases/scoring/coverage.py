"""Why a claim could not be checked, in words an analyst can act on and a reader understands.

"Unverified" alone reads as "nobody has measured this", which claimsdb cannot know: it knows only
the leaderboards it tracks. So every unverified verdict carries a reason, and its sentence says
"none of the leaderboards claimsdb tracks has measured ...", never that nobody has:

- `no_tracked_source`: no tracked leaderboard measures this benchmark at all (add a source);
- `not_this_model`: some do, but not this model (they are named);
- `name_in_review`: a tracked leaderboard lists a name that may be this model, waiting in the
  review queue (accept or reject the candidate);
- `only_related`: only related benchmarks were measured (another subset, language, re-grading),
  which are shown and never used;
- `only_unreleased_build`: measured only on a build users cannot get;
- `tests_inconclusive`: long-context tests stopped short of the claim, or failed everywhere;
- `other_conditions` (not comparable): measured, but under other conditions or another slice;
- `other_checkpoint` (not comparable): measured only on another public checkpoint of the release
  (the instruct model for a base-model figure), which is shown and never compared;
- `no_common_benchmark` (comparisons) and `not_a_figure` (qualitative claims, no stated value).

Pure: the facts about the tracked data (`Coverage`) are loaded by the service and passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from releases.scoring.explanation import (
    VERDICT_WORDS,
    claimed_words,
    context_claimed_words,
    date_words,
    format_value,
)
from releases.scoring.inputs import COMPARISON, CONTEXT_WINDOW, QUALITATIVE, ClaimInput, Score, Used
from releases.scoring.method import NOT_COMPARABLE, UNVERIFIED

NO_TRACKED_SOURCE = "no_tracked_source"
NOT_THIS_MODEL = "not_this_model"
NAME_IN_REVIEW = "name_in_review"
ONLY_RELATED = "only_related"
ONLY_UNRELEASED_BUILD = "only_unreleased_build"
TESTS_INCONCLUSIVE = "tests_inconclusive"
OTHER_CONDITIONS = "other_conditions"
OTHER_CHECKPOINT = "other_checkpoint"
NO_COMMON_BENCHMARK = "no_common_benchmark"
NOT_A_FIGURE = "not_a_figure"

# What an analyst reads in the coverage report, per reason.
REASONS = {
    NO_TRACKED_SOURCE: "no tracked leaderboard measures this benchmark",
    NOT_THIS_MODEL: "tracked leaderboards measure this benchmark, but not this model",
    NAME_IN_REVIEW: "a name that may be this model waits in the review queue",
    ONLY_RELATED: "only related benchmarks are measured (shown beside the verdict)",
    ONLY_UNRELEASED_BUILD: "measured only on a build users cannot get",
    TESTS_INCONCLUSIVE: "the long-context tests cannot settle the claim",
    OTHER_CONDITIONS: "measured only under other conditions or on another slice",
    OTHER_CHECKPOINT: "measured only on another checkpoint of the release (shown beside it)",
    NO_COMMON_BENCHMARK: "no tracked leaderboard measures both models on one benchmark",
    NOT_A_FIGURE: "the claim states no figure to check",
}

TRACKED = "none of the leaderboards claimsdb tracks"


@dataclass(frozen=True)
class Coverage:
    """What the tracked leaderboards hold that bears on one claim, beyond comparable figures.

    `sources_measuring`: names of the tracked sources that measure the claim's benchmark (for a
    context-window claim, a long-context test) on any model. `names_in_review`: (source name, raw
    name) pairs of pending alias candidates for the claim's release whose rows measure it.
    """

    sources_measuring: tuple[str, ...] = ()
    names_in_review: tuple[tuple[str, str], ...] = ()


def unverified_reason(claim: ClaimInput, score: Score, coverage: Coverage | None) -> str:
    """The reason code for an unverified or not-comparable score; "" for a checked one.

    Without `coverage` (the facts were not loaded) only the reasons the score itself shows are
    given; the others need to know what the tracked leaderboards hold, and are left empty.
    """
    if score.verdict == NOT_COMPARABLE:
        return OTHER_CHECKPOINT if score.context else OTHER_CONDITIONS
    if score.verdict != UNVERIFIED:
        return ""
    if claim.kind == QUALITATIVE or claim.stated_value is None:
        return NOT_A_FIGURE
    if claim.kind == COMPARISON:
        return NO_COMMON_BENCHMARK
    if score.used:
        return TESTS_INCONCLUSIVE
    if score.context:
        return ONLY_UNRELEASED_BUILD
    if coverage is not None and coverage.names_in_review:
        return NAME_IN_REVIEW
    if score.related:
        return ONLY_RELATED
    if coverage is None:
        return ""
    if coverage.sources_measuring:
        return NOT_THIS_MODEL
    return NO_TRACKED_SOURCE


def coverage_sentence(
    claim: ClaimInput, score: Score, coverage: Coverage | None, sentence: str
) -> str:
    """The explanation with the reason an unverified claim was not checked, and with the
    related benchmarks' figures beside any figure claim's verdict."""
    if score.verdict == UNVERIFIED and score.reason and claim.kind not in (QUALITATIVE, COMPARISON):
        coverage = coverage or Coverage()
        rewritten = _unverified(claim, score, coverage)
        if rewritten:
            return rewritten
    if score.related and score.verdict != UNVERIFIED:
        ending = f": {VERDICT_WORDS[score.verdict]}."
        if sentence.endswith(ending):
            related = _related_list(score.related, claim)
            return (
                f"{sentence.removesuffix(ending)}; related, not in the verdict: {related}{ending}"
            )
    return sentence


def _unverified(claim: ClaimInput, score: Score, coverage: Coverage) -> str | None:
    verdict = VERDICT_WORDS[UNVERIFIED]
    if claim.kind == CONTEXT_WINDOW:
        if score.reason == TESTS_INCONCLUSIVE or claim.stated_value is None:
            return None  # the context-window sentence already says what the tests found
        claimed = context_claimed_words(claim)
        found = f"{TRACKED} has published a long-context test of the public model"
        if score.reason == NAME_IN_REVIEW:
            found += f" yet: {_in_review(coverage)}"
        elif coverage.sources_measuring:
            found += f" ({_names(coverage.sources_measuring)} test other models)"
        return f"{claimed}; {found}: {verdict}."
    if claim.benchmark is None or claim.stated_value is None:
        return None
    benchmark = claim.benchmark
    claimed = claimed_words(claim)
    reason = score.reason
    if reason == ONLY_UNRELEASED_BUILD:
        return None  # explained with the unreleased build's figures already
    if reason == NAME_IN_REVIEW:
        body = f"{TRACKED} has a confirmed measurement of the public model on it yet: " + (
            _in_review(coverage)
        )
    elif reason == ONLY_RELATED:
        body = (
            f"{TRACKED} has measured the public model on {benchmark.name} itself, only on "
            f"related benchmarks, which never enter the verdict: "
            f"{_related_list(score.related, claim)}"
        )
    elif reason == NOT_THIS_MODEL:
        body = (
            f"{TRACKED} has measured the public model on it "
            f"({_names(coverage.sources_measuring)} measure {benchmark.name}, not this model)"
        )
    else:
        body = f"{TRACKED} measures {benchmark.name}"
    return f"{claimed}; {body}: {verdict}."


def _in_review(coverage: Coverage) -> str:
    listed = "; ".join(f'{source} lists "{name}"' for source, name in coverage.names_in_review)
    plural = len(coverage.names_in_review) > 1
    return (
        f"{listed}, {'names' if plural else 'a name'} waiting for an analyst to confirm "
        f"{'they are' if plural else 'it is'} this model"
    )


def _names(names: Sequence[str]) -> str:
    names = sorted(set(names))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _related_list(related: Sequence[Used], claim: ClaimInput) -> str:
    unit = claim.benchmark.unit if claim.benchmark else "percent"
    return "; ".join(
        f"{u.evaluator} measured {format_value(u.value, unit)} on {u.benchmark_name} "
        f"({u.relation}) for {u.variant}{date_words(u.as_of, u.as_of_known)}"
        for u in related
    )
