"""What each template shows, built from a selector's rows: charts, words, links. No queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from releases.models import Claim, GapScore, Measurement
from releases.reports import TrackRecord
from releases.scoring import method
from releases.scoring.context_window import LONG_CONTEXT_BENCHMARKS
from releases.scoring.inputs import PERCENT, TOKENS
from releases.web import charts
from releases.web.formatting import date_words, gap_words, value_words
from releases.web.selectors import ClaimPage, ClaimRow, ReleasePage
from releases.web.verdicts import FLAG_LABELS, GROUPS, flag_meanings, verdict_style

# Shares of a track record are shown only from this many checked claims: "100% held" from one
# claim says nothing.
MIN_CHECKED_FOR_SHARES = 5


def claim_title(claim: Claim) -> str:
    """ "Meta: 1417 on LMArena text arena rating, Llama 4 Maverick"."""
    vendor = claim.release.vendor.name
    if claim.benchmark is not None and claim.stated_value is not None:
        stated = value_words(claim.stated_value, claim.benchmark.unit)
        if claim.kind == Claim.Kind.CONTEXT_WINDOW:
            return f"{vendor}: a {stated} context window for {claim.release.name}"
        return f"{vendor}: {stated} on {claim.benchmark.name} for {claim.release.name}"
    return f"{vendor}: {claim.get_kind_display().lower()} claim about {claim.release.name}"


def stated_words(claim: Claim) -> str:
    if claim.stated_value is None or claim.benchmark is None:
        return claim.stated_text or "–"
    return value_words(claim.stated_value, claim.benchmark.unit)


def measured_words(claim: Claim, score: GapScore | None) -> str:
    if score is None or score.aggregate is None or claim.benchmark is None:
        return "–"
    unit = TOKENS if claim.kind == Claim.Kind.CONTEXT_WINDOW else claim.benchmark.unit
    return value_words(score.aggregate, unit)


def score_gap_words(claim: Claim, score: GapScore | None) -> str:
    if score is None or claim.benchmark is None:
        return "–"
    unit = TOKENS if claim.kind == Claim.Kind.CONTEXT_WINDOW else claim.benchmark.unit
    if claim.kind == Claim.Kind.COMPARISON:
        return "–"
    return gap_words(
        score.gap, score.gap_relative, unit, (score.inputs or {}).get("win_probability")
    )


def flags_explained(score: GapScore | None) -> list[dict[str, str]]:
    if score is None:
        return []
    meanings = flag_meanings()
    return [
        {"name": flag, "label": FLAG_LABELS.get(flag, flag), "meaning": meanings.get(flag, "")}
        for flag in score.flags or ()
    ]


def row_context(row: ClaimRow) -> dict[str, Any]:
    return {
        "claim": row.claim,
        "score": row.score,
        "style": row.style,
        "title": claim_title(row.claim),
        "stated": stated_words(row.claim),
        "measured": measured_words(row.claim, row.score),
        "gap": score_gap_words(row.claim, row.score),
        "flags": flags_explained(row.score),
    }


# --- Release ----------------------------------------------------------------------------------


def release_context(page: ReleasePage) -> dict[str, Any]:
    rows = [row_context(row) for row in page.rows]
    groups: list[dict[str, Any]] = []
    for key, title, meaning in GROUPS:
        members = [r for r in rows if r["style"].group == key]
        groups.append({"key": key, "title": title, "meaning": meaning, "rows": members})
    chart_rows = [
        r
        for r in rows
        if r["claim"].benchmark is not None
        and r["claim"].benchmark.unit == PERCENT
        and r["claim"].kind == Claim.Kind.BENCHMARK_SCORE
        and r["score"] is not None
        and r["score"].aggregate is not None
    ]
    chart = charts.dumbbell_chart(
        [
            charts.DumbbellInput(
                label=f"{r['claim'].benchmark.name}",
                stated=r["claim"].stated_value,
                measured=r["score"].aggregate,
                css=r["style"].css,
            )
            for r in chart_rows
        ]
    )
    return {
        "release": page.release,
        "variants": page.variants,
        "groups": groups,
        "counts": {g["key"].replace("-", "_"): len(g["rows"]) for g in groups},
        "summary": "; ".join(f"{len(g['rows'])} {g['title'].lower()}" for g in groups if g["rows"]),
        "total": len(rows),
        "chart": chart,
        "chart_rows": chart_rows,
    }


# --- Claim ------------------------------------------------------------------------------------


def _interval(m: Measurement) -> tuple[float | None, float | None]:
    if m.ci_low is not None and m.ci_high is not None:
        return m.ci_low, m.ci_high
    if m.std_error is not None:
        return m.value - method.Z_95 * m.std_error, m.value + method.Z_95 * m.std_error
    return None, None


def _timeline(claim: Claim, measurements: Sequence[Measurement]) -> charts.TimelineChart | None:
    if claim.stated_value is None or claim.benchmark is None:
        return None
    on_claim = [m for m in measurements if m.benchmark_id == claim.benchmark_id]
    shown = [m for m in on_claim if m.role != "other"] or on_claim  # type: ignore[attr-defined]
    figures = []
    for m in shown:
        low, high = _interval(m)
        figures.append(
            charts.TimelineInput(
                day=m.as_of,
                value=m.value,
                low=low,
                high=high,
                label=f"{m.evaluator}, {m.raw_model_name}",
                role=m.role,  # type: ignore[attr-defined]
            )
        )
    return charts.timeline_chart(
        stated=claim.stated_value,
        stated_label=value_words(claim.stated_value, claim.benchmark.unit),
        unit_label=claim.benchmark.get_unit_display(),
        figures=figures,
    )


def _length_curves(claim: Claim, measurements: Sequence[Measurement]) -> charts.CurveChart | None:
    curves: dict[tuple[str, str, str], list[tuple[int, float]]] = defaultdict(list)
    for m in measurements:
        length = (m.conditions or {}).get("context_tokens")
        if m.benchmark.slug in LONG_CONTEXT_BENCHMARKS and isinstance(length, int | float):
            key = (m.evaluator, m.benchmark.name, m.variant.name if m.variant else m.raw_model_name)
            curves[key].append((int(length), m.value))
    return charts.length_curve_chart(
        [(f"{bench}, {variant}", points) for (_, bench, variant), points in sorted(curves.items())],
        stated_tokens=claim.stated_value,
        stated_label=stated_words(claim),
    )


ROLE_WORDS = {
    "used": "used in the verdict",
    "context": "shown as context (an unreleased build or another checkpoint; not in the verdict)",
    "other": "not used (other conditions, another part of the benchmark, or superseded)",
}


def _by_test_and_length(m: Measurement) -> tuple:
    length = (m.conditions or {}).get("context_tokens")
    return (
        m.benchmark.name,
        m.variant.name if m.variant else m.raw_model_name,
        length if isinstance(length, int | float) else -1,
    )


def claim_context(page: ClaimPage) -> dict[str, Any]:
    claim, score = page.claim, page.score
    is_context_window = claim.kind == Claim.Kind.CONTEXT_WINDOW
    if is_context_window:
        # Read as curves: each test's lengths in order, shortest first.
        page.measurements.sort(key=_by_test_and_length)
    return {
        **row_context(ClaimRow(claim, score)),
        "history": [{"score": s, "style": verdict_style(s.verdict)} for s in page.history],
        "measurements_in_verdict": [m for m in page.measurements if m.role != "other"],  # type: ignore[attr-defined]
        "measurements_other": [m for m in page.measurements if m.role == "other"],  # type: ignore[attr-defined]
        "role_words": ROLE_WORDS,
        "revisions": page.revisions,
        "compared_with": page.compared_with,
        "timeline": None if is_context_window else _timeline(claim, page.measurements),
        "curves": _length_curves(claim, page.measurements) if is_context_window else None,
        "is_context_window": is_context_window,
        "context_figures": (score.inputs or {}).get("context", []) if score else [],
        # Shown as context because the figure is for one public checkpoint and only another
        # was measured (a base-model figure, an instruct measurement), not an unreleased build.
        "context_is_other_checkpoint": bool(claim.variant and claim.variant.is_public),
        "related_figures": _related_figures(claim, score),
        "notes": (score.inputs or {}).get("notes", []) if score else [],
        "method_version_current": method.METHOD_VERSION,
        # The method's own threshold, so the page and the verdict cannot disagree.
        "beyond_uncertainty": (
            score is not None and score.z is not None and abs(score.z) >= method.Z_SIGNIFICANT
        ),
    }


def _related_figures(claim: Claim, score: GapScore | None) -> list[dict[str, Any]]:
    """Figures on benchmarks only related to the claim's (another subset, language or
    re-grading), as the score stored them: shown beside the verdict, never in it."""
    if score is None:
        return []
    unit = claim.benchmark.unit if claim.benchmark else None
    return [
        {
            "evaluator": u["evaluator"],
            "benchmark": u.get("benchmark_name") or u.get("benchmark", ""),
            "benchmark_slug": u.get("benchmark", ""),
            "relation": u.get("relation", ""),
            "variant": u.get("variant", ""),
            "value": value_words(u["value"], unit),
            "date": date_words(dt.date.fromisoformat(u["as_of"]))
            if u.get("as_of_known", True)
            else "date unknown",
        }
        for u in (score.inputs or {}).get("related", [])
    ]


# --- Vendor -----------------------------------------------------------------------------------


def vendor_totals(records: Sequence[TrackRecord]) -> dict[str, int]:
    fields = (
        "claims", "scored", "checked", "holds", "overstated", "substantially_overstated",
        "understated", "unverified", "not_comparable",
    )  # fmt: skip
    return {name: sum(getattr(r, name) for r in records) for name in fields}
