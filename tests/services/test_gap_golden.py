"""Golden cases: the real claims scored on the real snapshots, through the real importers.

The curated claims and the bundled leaderboard snapshots are loaded once for this module (as
`make run` loads them), inside a transaction rolled back at the end. Nothing here is a hand-made
measurement: if an importer, an alias or the method changes a verdict, these tests say which.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from releases.models import Claim, GapScore, Measurement
from releases.services.gap_scores import gap_scores_recompute
from tests.services.conftest import SCORED_AS_OF

TODAY = SCORED_AS_OF
LAUNCH_WEEK = dt.date(2025, 4, 10)


def _claim(**filters) -> Claim:  # type: ignore[no-untyped-def]
    return Claim.objects.get(status=Claim.Status.PUBLISHED, **filters)


def _current(claim: Claim) -> GapScore:
    return GapScore.objects.get(claim=claim, is_current=True)


@pytest.fixture
def arena_claim(real_data, db) -> Claim:  # type: ignore[no-untyped-def]
    return _claim(release__slug="llama-4-maverick", kind=Claim.Kind.ARENA_RATING)


@pytest.fixture
def scout_context(real_data, db) -> Claim:  # type: ignore[no-untyped-def]
    return _claim(release__slug="llama-4-scout", kind=Claim.Kind.CONTEXT_WINDOW)


@pytest.fixture
def maverick_gpqa(real_data, db) -> Claim:  # type: ignore[no-untyped-def]
    return _claim(
        variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond", stated_value=69.8
    )


@pytest.fixture
def comparison(real_data, db) -> Claim:  # type: ignore[no-untyped-def]
    return _claim(release__slug="llama-4-maverick", kind=Claim.Kind.COMPARISON)


def test_every_published_claim_has_one_current_verdict(real_data, db) -> None:
    published = Claim.objects.filter(status=Claim.Status.PUBLISHED)
    assert published.count() == 150
    assert GapScore.objects.filter(is_current=True).count() == 150
    assert not published.exclude(gap_scores__is_current=True).exists()


def test_every_gap_can_be_checked_by_hand_from_the_measurements_listed(real_data, db) -> None:
    """A reader can redo every figure score: the measurements listed give the aggregate."""
    for score in GapScore.objects.filter(is_current=True, claim__kind__in=Claim.NUMERIC_KINDS[:2]):
        if score.gap is None:
            continue
        listed = set(score.measurement_ids)
        used = score.inputs["used"]
        assert listed >= {i for u in used for i in u["measurement_ids"]}
        values = dict(Measurement.objects.filter(pk__in=listed).values_list("pk", "value"))
        for u in used:
            assert values[u["measurement_ids"][0]] == pytest.approx(u["value"])
        if len(used) == 1:
            assert score.aggregate == pytest.approx(used[0]["value"])
            stated = score.claim.stated_value
            sign = 1 if score.claim.benchmark.higher_is_better else -1
            assert score.gap == pytest.approx(sign * (stated - score.aggregate))


def test_maverick_launch_arena_rating_is_overstated_against_the_released_model(arena_claim) -> None:
    score = _current(arena_claim)
    assert arena_claim.stated_value == 1417
    assert score.verdict in {"overstated", "substantially_overstated"}
    assert "variant_mismatch" in score.flags
    [used] = score.inputs["used"]
    measured = Measurement.objects.get(pk=used["measurement_ids"][0])
    # Scored against the model users get, LMArena's newest rating of it ...
    assert measured.variant.slug == "llama-4-maverick-instruct"
    assert measured.raw_model_name == "llama-4-maverick-17b-128e-instruct"
    assert measured.as_of == dt.date(2025, 12, 11)
    assert score.gap == pytest.approx(1417 - measured.value)
    # ... with the experimental build's own rating shown as context, not used.
    [context] = score.inputs["context"]
    assert Measurement.objects.get(pk=context["measurement_ids"][0]).variant.slug == (
        "llama-4-maverick-experimental"
    )
    assert "unreleased Llama-4-Maverick-03-26-Experimental" in score.explanation
    assert "head-to-head votes" in score.explanation


def test_scout_ten_million_token_context_is_substantially_overstated(scout_context) -> None:
    score = _current(scout_context)
    assert scout_context.stated_value == 10_000_000
    assert score.verdict == "substantially_overstated"
    lengths = {u["evaluator"]: (u["value"], u["bound"]) for u in score.inputs["used"]}
    # NoLiMa: base 81.7, 1K 72.3 (>= 85%), 2K 61.8 (< 85%): effective 1K, as NoLiMa prints.
    assert lengths["Adobe Research"] == (1000, "exact")
    # Fiction.LiveBench: 0 tokens 62.5, 400 tokens 52.0 (< 85% of 62.5): under 400.
    assert lengths["Fiction.LiveBench"] == (400, "upper")
    assert score.gap > 13  # more than 13 doublings between the claim and what works
    assert "10M-token context window" in score.explanation


def test_maverick_gpqa_diamond_holds_against_epoch(maverick_gpqa) -> None:
    score = _current(maverick_gpqa)
    assert score.verdict == "holds"
    [used] = score.inputs["used"]
    assert used["evaluator"] == "Epoch AI"
    assert used["value"] == pytest.approx(66.9823232323)
    assert score.gap == pytest.approx(69.8 - 66.9823232323)
    assert abs(score.z) < 2
    assert "Epoch AI measured 67.0%" in score.explanation


def test_a_benchmark_no_source_measures_is_unverified(real_data, db) -> None:
    claim = _claim(variant__slug="llama-4-maverick-instruct", benchmark__slug="mmlu-pro")
    assert not Measurement.objects.filter(benchmark__slug="mmlu-pro").exists()
    score = _current(claim)
    assert score.verdict == "unverified"
    assert score.measurement_ids == []
    # No tracked source measures MMLU-Pro on this branch's bundled data: it says so, and never
    # that nobody has measured it.
    assert score.inputs["reason"] == "no_tracked_source"
    assert "none of the leaderboards claimsdb tracks measures MMLU-Pro" in score.explanation


def test_beats_gpt4o_comparison_counts_the_benchmarks_on_which_it_held(comparison) -> None:
    score = _current(comparison)
    assert {r.slug for r in comparison.compared_with.all()} >= {"gpt-4o"}
    assert score.verdict in {"holds", "overstated", "substantially_overstated"}
    outcomes = [c["outcome"] for c in score.inputs["comparisons"]]
    held = outcomes.count("held")
    match = re.search(r"ahead in (\d+) of (\d+)", score.explanation)
    assert match is not None, score.explanation
    assert (int(match[1]), int(match[2])) == (held, len(outcomes))
    assert any(c["rival"] == "GPT-4o" for c in score.inputs["comparisons"])
    assert score.gap == pytest.approx(1 - held / len(outcomes))


def test_launch_week_verdicts_are_those_its_data_supported(real_data, db) -> None:
    """As of 10 April 2025 LMArena had rated only the experimental build, NoLiMa and
    Fiction.LiveBench had not published Llama 4, and Epoch had measured GPQA Diamond."""
    summary = gap_scores_recompute(as_of=LAUNCH_WEEK)
    assert summary.recomputed == 150
    arena = _current(_claim(release__slug="llama-4-maverick", kind=Claim.Kind.ARENA_RATING))
    assert arena.verdict == "unverified"
    assert "variant_mismatch" in arena.flags
    [context] = arena.inputs["context"]
    assert context["value"] == pytest.approx(1416.5816841191147)
    assert context["as_of"] == "2025-04-07"
    scout = _current(_claim(release__slug="llama-4-scout", kind=Claim.Kind.CONTEXT_WINDOW))
    assert scout.verdict == "unverified"
    gpqa = _current(
        _claim(variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond")
    )
    assert gpqa.verdict == "holds"
    assert all(
        Measurement.objects.get(pk=pk).as_of <= LAUNCH_WEEK
        for score in GapScore.objects.filter(is_current=True)
        for pk in score.measurement_ids
    )
    # Back to today: the launch-week rows stay in the history, today's are current again.
    gap_scores_recompute(as_of=TODAY)
    assert _current(arena.claim).verdict == "substantially_overstated"
    assert arena.claim.gap_scores.count() == 3
