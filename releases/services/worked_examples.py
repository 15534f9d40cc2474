"""Reading the methodology page's worked examples: the stored claims and their scores' inputs.

Each example names a curated claim (`releases.methodology.examples`). Its inputs are read with
the recompute's own reader (`gap_inputs.claim_inputs`) as of the date its current score is as
of, so scoring them again gives the stored score: the page explains the verdict readers see,
not a copy of it. An example whose claim is not loaded, not scored yet or has no gap is left
out.
"""

from __future__ import annotations

from releases.methodology import EXAMPLES, ExampleInputs, ExampleSpec
from releases.models import Claim, GapScore, Measurement
from releases.services.gap_inputs import claim_inputs, length_peers


def worked_examples_load() -> list[ExampleInputs]:
    examples = []
    for spec in EXAMPLES:
        loaded = worked_example_load(spec)
        if loaded is not None:
            examples.append(loaded)
    return examples


def worked_example_claim(spec: ExampleSpec) -> Claim | None:
    claims = Claim.objects.filter(
        status=Claim.Status.PUBLISHED,
        release__slug=spec.release_slug,
        kind=spec.kind,
        benchmark__slug=spec.benchmark_slug,
        stated_value=spec.stated_value,
    )
    if spec.variant_slug:
        claims = claims.filter(variant__slug=spec.variant_slug)
    return claims.order_by("pk").first()


def worked_example_load(spec: ExampleSpec) -> ExampleInputs | None:
    claim = worked_example_claim(spec)
    if claim is None:
        return None
    current = GapScore.objects.filter(claim=claim, is_current=True).first()
    # An example explains a computed gap; a claim without one (data not imported yet, a
    # snapshot held for review) is left out rather than explained with nothing.
    if current is None or current.gap is None:
        return None
    found = claim_inputs(claim_id=claim.pk, as_of=current.as_of)
    if found is None:
        return None
    claim_input, figures = found
    provenance = {
        pk: f"{source}: {file_name}" if file_name else source
        for pk, source, file_name in Measurement.objects.filter(
            pk__in=current.measurement_ids
        ).values_list("pk", "source__slug", "snapshot__file_name")
    }
    return ExampleInputs(
        spec=spec,
        claim=claim_input,
        figures=tuple(figures),
        as_of=current.as_of,
        provenance=provenance,
        peers=length_peers(as_of=current.as_of) if claim.kind == Claim.Kind.CONTEXT_WINDOW else {},
    )
