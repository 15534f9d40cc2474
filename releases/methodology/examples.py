"""The worked examples' narration: which curated claim each explains, and what it teaches.

No figures here. An example's inputs are the stored claim and the measurements its current
score used, loaded by `releases.services.worked_examples` through the same reader the recompute
uses, and scored by the same `score_claim`: the page and the stored verdict are one computation.
`releases.methodology.worked` turns them into the steps the page prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExampleSpec:
    """A worked example: its narration and the curated claim it is about.

    The claim is found by release, kind, benchmark and stated value, as
    fixtures/curated/claims/ defines it.
    """

    slug: str
    title: str
    lesson: str
    said_where: str  # where the vendor stated the figure
    release_slug: str
    kind: str
    benchmark_slug: str
    stated_value: float
    variant_slug: str | None = None


EXAMPLES: tuple[ExampleSpec, ...] = (
    ExampleSpec(
        slug="gpqa",
        title="A claim that holds: Llama 4 Maverick on GPQA Diamond",
        lesson="A gap inside the threshold, checked against one evaluator's own run.",
        said_where="Meta, Llama 4 model card, instruction-tuned models table",
        release_slug="llama-4-maverick",
        kind="benchmark_score",
        benchmark_slug="gpqa-diamond",
        stated_value=69.8,
        variant_slug="llama-4-maverick-instruct",
    ),
    ExampleSpec(
        slug="arena",
        title="A figure from a build users cannot get: Llama 4 Maverick's arena rating",
        lesson="The claim is scored against the released model; the unreleased build's own "
        "rating, read at the claim's date, is shown as context, and the verdict carries the "
        "variant-mismatch flag.",
        said_where="Meta's launch post, as The Verge reported it; the rating came from the "
        "unreleased Llama-4-Maverick-03-26-Experimental",
        release_slug="llama-4-maverick",
        kind="arena_rating",
        benchmark_slug="lmarena-text",
        stated_value=1417,
    ),
    ExampleSpec(
        slug="context",
        title="A context window: Llama 4 Scout's 10M tokens",
        lesson="Each long-context test read with its own authors' rule: NoLiMa gives an "
        "effective length, Fiction.LiveBench publishes no rule and is shown per length.",
        said_where="Meta, Llama 4 model card, model table (“Context length: 10M”)",
        release_slug="llama-4-scout",
        kind="context_window",
        benchmark_slug="context-window",
        stated_value=10_000_000,
    ),
)
