"""Small builders for `releases.scoring` inputs, so scoring tests read short.

Every name and number here is synthetic: a vendor "Acme AI" with a release "Orca 2" (a public
instruct model, a public base model and an unreleased experimental chat build), a rival
"Heron 5" by "Bolt Labs", and leaderboards that look like the real ones without being them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from releases.scoring.inputs import (
    ARENA_RATING,
    BENCHMARK_SCORE,
    COMPARISON,
    CONTEXT_WINDOW,
    ELO,
    PERCENT,
    RANK,
    SCORE,
    TOKENS,
    Benchmark,
    ClaimInput,
    MeasuredFigure,
    Release,
    Variant,
)

AS_OF = date(2025, 6, 1)
VENDOR = "Acme AI"
RIVAL_VENDOR = "Bolt Labs"

INSTRUCT = Variant(id=1, name="Orca-2-Instruct", is_public=True)
EXPERIMENTAL = Variant(id=2, name="orca-2-chat-experimental-0326", is_public=False)
BASE = Variant(id=3, name="Orca-2-Base", is_public=True)
# A model of another release, for "measurements of other releases".
OTHER = Variant(id=9, name="Unrelated-7B", is_public=True)
RIVAL_VARIANT = Variant(id=21, name="heron-5-2025-05-13", is_public=True)

ORCA = Release(name="Orca 2", vendor=VENDOR, variants=(INSTRUCT, EXPERIMENTAL))
ORCA_WITH_BASE = Release(name="Orca 2", vendor=VENDOR, variants=(INSTRUCT, EXPERIMENTAL, BASE))
HERON = Release(name="Heron 5", vendor=RIVAL_VENDOR, variants=(RIVAL_VARIANT,))

_ids = itertools.count(1)


def next_id() -> int:
    return next(_ids)


# --- Benchmarks ---------------------------------------------------------------------------------


def percent_benchmark(
    slug: str = "reasoning-qa",
    name: str = "Reasoning QA",
    *,
    item_count: int | None = None,
    higher_is_better: bool = True,
) -> Benchmark:
    return Benchmark(slug, name, PERCENT, higher_is_better, item_count)


def elo_benchmark(slug: str = "chat-arena", name: str = "Chat Arena") -> Benchmark:
    return Benchmark(slug, name, ELO, True)


def score_benchmark(
    slug: str = "writing-index", name: str = "Writing Index", *, higher_is_better: bool = True
) -> Benchmark:
    return Benchmark(slug, name, SCORE, higher_is_better)


def tokens_benchmark(
    slug: str = "recall-length", name: str = "Recall length", *, higher_is_better: bool = True
) -> Benchmark:
    return Benchmark(slug, name, TOKENS, higher_is_better)


def rank_benchmark(slug: str = "chat-arena-rank", name: str = "Chat Arena rank") -> Benchmark:
    return Benchmark(slug, name, RANK, False)


# The long-context tests the context-window scoring reads (slugs it recognises).
FICTION = Benchmark("fiction-livebench", "Fiction.LiveBench", PERCENT)
NOLIMA = Benchmark("nolima", "NoLiMa", PERCENT)
RULER = Benchmark("ruler", "RULER", PERCENT)


# --- Claims -------------------------------------------------------------------------------------


def claim(
    stated: float | None,
    benchmark: Benchmark | None = None,
    *,
    variant: Variant | None = INSTRUCT,
    release: Release = ORCA,
    kind: str | None = None,
    conditions: Mapping[str, Any] | None = None,
    stated_std_error: float | None = None,
    id: int = 1,
    claimed_on: date | None = None,
) -> ClaimInput:
    """A figure claim; an arena rating for an Elo benchmark, else a benchmark score."""
    benchmark = percent_benchmark() if benchmark is None else benchmark
    if kind is None:
        kind = ARENA_RATING if benchmark.unit == ELO else BENCHMARK_SCORE
    return ClaimInput(
        id=id,
        kind=kind,
        release=release,
        variant=variant,
        benchmark=benchmark,
        stated_value=stated,
        stated_std_error=stated_std_error,
        conditions=dict(conditions or {}),
        claimed_on=claimed_on,
    )


def context_claim(
    tokens: float, *, variant: Variant | None = INSTRUCT, release: Release = ORCA, id: int = 2
) -> ClaimInput:
    return ClaimInput(
        id=id,
        kind=CONTEXT_WINDOW,
        release=release,
        variant=variant,
        benchmark=tokens_benchmark("context-window", "Context window"),
        stated_value=tokens,
    )


def comparison_claim(
    rivals: Iterable[Release] = (HERON,),
    *,
    benchmark: Benchmark | None = None,
    variant: Variant | None = None,
    release: Release = ORCA,
    id: int = 3,
    claimed_on: date | None = None,
    scope_words: str = "",
) -> ClaimInput:
    return ClaimInput(
        id=id,
        kind=COMPARISON,
        release=release,
        variant=variant,
        benchmark=benchmark,
        stated_text="beats Heron 5 across widely reported benchmarks",
        compared_with=tuple(rivals),
        claimed_on=claimed_on,
        scope_words=scope_words,
    )


# --- Measurements -------------------------------------------------------------------------------


def measurement(
    value: float,
    benchmark: Benchmark | None = None,
    *,
    variant: Variant | int = INSTRUCT,
    evaluator: str = "Epoch AI",
    as_of: date = date(2025, 4, 20),
    conditions: Mapping[str, Any] | None = None,
    std_error: float | None = None,
    ci: tuple[float, float] | None = None,
    sample_size: int | None = None,
    id: int | None = None,
    source: str = "",
    publication: int | None = None,
    as_of_known: bool = True,
) -> MeasuredFigure:
    variant_id = variant if isinstance(variant, int) else variant.id
    return MeasuredFigure(
        id=next_id() if id is None else id,
        benchmark=percent_benchmark() if benchmark is None else benchmark,
        variant_id=variant_id,
        value=value,
        as_of=as_of,
        evaluator=evaluator,
        conditions=dict(conditions or {}),
        std_error=std_error,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        sample_size=sample_size,
        source=source,
        model_name="" if isinstance(variant, int) else variant.name,
        publication=publication,
        as_of_known=as_of_known,
    )


def curve(
    base: float,
    scores: Mapping[int, float],
    *,
    benchmark: Benchmark = FICTION,
    style: str | None = None,
    variant: Variant | int = INSTRUCT,
    evaluator: str = "Fiction.LiveBench",
    as_of: date = date(2025, 4, 20),
    conditions: Mapping[str, Any] | None = None,
) -> list[MeasuredFigure]:
    """One long-context curve: a short-context base score and a score per tested length.

    style "fiction" puts the base at context_tokens 0 (Fiction.LiveBench's 0-token column);
    "nolima" marks it {"context": "base"} (NoLiMa's Base Score column). By default the style
    follows the benchmark.
    """
    style = style or ("nolima" if benchmark.slug == NOLIMA.slug else "fiction")
    extra = dict(conditions or {})
    base_conditions = {"context": "base"} if style == "nolima" else {"context_tokens": 0}
    rows = [
        measurement(
            base,
            benchmark,
            variant=variant,
            evaluator=evaluator,
            as_of=as_of,
            conditions={**extra, **base_conditions},
        )
    ]
    for length, value in scores.items():
        rows.append(
            measurement(
                value,
                benchmark,
                variant=variant,
                evaluator=evaluator,
                as_of=as_of,
                conditions={**extra, "context_tokens": length},
            )
        )
    return rows
