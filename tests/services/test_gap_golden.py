"""Golden cases: the real claims scored on the real snapshots, through the real importers.

The curated claims and the bundled leaderboard snapshots are loaded once for this module (as
`make run` loads them), inside a transaction rolled back at the end. Nothing here is a hand-made
measurement: if an importer, an alias or the method changes a verdict, these tests say which.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from releases.models import Claim, GapScore, Measurement
from releases.services.gap_scores import gap_scores_recompute
from tests.conftest import PUBLISHED_CLAIMS
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
    assert published.count() == PUBLISHED_CLAIMS
    assert GapScore.objects.filter(is_current=True).count() == PUBLISHED_CLAIMS
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


def test_the_1417_sentence_reads_the_build_at_the_claims_date(arena_claim) -> None:
    score = _current(arena_claim)
    [context] = score.inputs["context"]
    # The build's rating nearest the claim's date (7 April 2025), not its later 1394 (24 May).
    assert context["as_of"] == "2025-04-07"
    assert context["value"] == pytest.approx(1416.5816841191147)
    assert (context["ci_low"], context["ci_high"]) == pytest.approx(
        (1404.9460568599302, 1429.2209314093607)
    )
    sentence = score.explanation
    assert "the unreleased build did score what Meta said" in sentence
    assert "LMArena rated it 1417 (95% interval 1405–1429) on 7 April 2025" in sentence
    # The released model, far lower, with LMArena's own interval, not a derived "±".
    assert "1289 (95% interval 1284–1293) on Llama 4 Maverick (instruction tuned)" in sentence
    assert "128 rating points below the claim" in sentence
    assert "1394" not in sentence and "±" not in sentence


def test_scout_ten_million_token_context_is_substantially_overstated(scout_context) -> None:
    score = _current(scout_context)
    assert scout_context.stated_value == 10_000_000
    assert score.verdict == "substantially_overstated"
    # NoLiMa's own rule: base 81.7, 1K 72.3 (>= 85%), 2K 61.8 (< 85%): effective 1K, as NoLiMa prints.
    [used] = score.inputs["used"]
    assert (used["evaluator"], used["benchmark"], used["value"], used["bound"]) == (
        "Adobe Research",
        "nolima",
        1000,
        "exact",
    )
    assert score.gap == pytest.approx(math.log2(10_000_000 / 1000))
    assert "10M-token context window" in score.explanation
    assert "1K tokens on NoLiMa" in score.explanation
    assert "13.3 doublings short of the claim" in score.explanation
    # Beside every model NoLiMa's authors tested: all miss their claimed length by >= 4 doublings
    # (GPT-4o: 128K claimed, 8K effective); Scout's 13.3 is the largest shortfall.
    [peers] = score.inputs["peers"]
    assert peers["benchmark"] == "nolima"
    assert min(peers["shortfalls"]) == pytest.approx(4.0)
    assert len(peers["shortfalls"]) == 12  # the rows with an exact effective length, not "<1K"
    assert "misses its claimed length, by 4.0 to 13.3 doublings" in score.explanation
    assert "this one, 13.3, is the largest of them" in score.explanation
    # Fiction.LiveBench has no published rule: its scores per length, and no effective length.
    [shown] = score.inputs["curves"]
    assert shown["benchmark"] == "fiction-livebench"
    points = {int(n): v for n, v in shown["points"]}
    assert points[0] == pytest.approx(62.5)
    assert points[400] == pytest.approx(52.0)
    assert points[120000] == pytest.approx(27.3)
    assert "publishes no effective-length rule" in score.explanation
    assert "62.5% at 0 tokens, 52.0% at 400" in score.explanation
    assert "under 400" not in score.explanation
    # Epoch's mirror gives no date for Fiction.LiveBench: none is printed.
    assert "2026" not in score.explanation


def test_maverick_one_million_token_context_reads_nolima_and_shows_fiction_livebench(
    real_data, db
) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(release__slug="llama-4-maverick", kind=Claim.Kind.CONTEXT_WINDOW)
    score = _current(claim)
    assert claim.stated_value == 1_000_000
    [used] = score.inputs["used"]
    # NoLiMa: base 90.1 (x0.85: 76.6), 1K 81.6, 2K 78.3, 4K 68.8: effective 2K.
    assert (used["benchmark"], used["value"], used["bound"]) == ("nolima", 2000, "exact")
    assert score.gap == pytest.approx(math.log2(1_000_000 / 2000))
    assert score.verdict == "substantially_overstated"
    [shown] = score.inputs["curves"]
    points = {int(n): v for n, v in shown["points"]}
    # Maverick's Fiction.LiveBench curve, flat from 400 to 32K, is shown as published.
    assert points[400] == pytest.approx(56.0) and points[32000] == pytest.approx(44.0)
    assert "under 400" not in score.explanation
    assert "2026" not in score.explanation


def test_maverick_gpqa_diamond_holds_against_epoch(maverick_gpqa) -> None:
    score = _current(maverick_gpqa)
    assert score.verdict == "holds"
    [used] = score.inputs["used"]
    assert used["evaluator"] == "Epoch AI"
    assert used["value"] == pytest.approx(66.9823232323)
    assert score.gap == pytest.approx(69.8 - 66.9823232323)
    assert abs(score.z) < 2
    assert "Epoch AI measured 67.0%" in score.explanation


def test_the_gpqa_sentence_names_variant_conditions_uncertainty_and_why_stale(
    maverick_gpqa,
) -> None:  # type: ignore[no-untyped-def]
    sentence = _current(maverick_gpqa).explanation
    assert sentence.startswith(
        "Meta claimed 69.8% on GPQA Diamond (0-shot) for Llama 4 Maverick (instruction tuned);"
    )
    assert "67.0% (± 2.8, one standard error)" in sentence
    assert "(8 April 2025)" in sentence  # Epoch's own start time for this run
    assert "the newest independent measurement is over a year old (8 April 2025)" in sentence


def test_scouts_and_mavericks_gpqa_claims_are_told_apart(real_data, db) -> None:  # type: ignore[no-untyped-def]
    scout = _claim(
        variant__slug="llama-4-scout-instruct", benchmark__slug="gpqa-diamond", stated_value=57.2
    )
    sentence = _current(scout).explanation
    assert "for Llama 4 Scout (instruction tuned)" in sentence
    assert "51.8% (± 3.2, one standard error)" in sentence


def test_a_benchmark_no_source_measures_is_unverified(real_data, db) -> None:
    # ChartQA: measured by none of the bundled families (SOURCES-batch3.md, "Still measured by
    # nobody here"). MMLU-Pro, the example here before batch 3, is now measured by HELM.
    claim = _claim(variant__slug="llama-4-maverick-instruct", benchmark__slug="chartqa")
    assert not Measurement.objects.filter(benchmark__slug="chartqa").exists()
    score = _current(claim)
    assert score.verdict == "unverified"
    assert score.measurement_ids == []
    # No tracked source measures ChartQA in the bundled data: it says so, and never that
    # nobody has measured it.
    assert score.inputs["reason"] == "no_tracked_source"
    assert "none of the leaderboards claimsdb tracks measures ChartQA" in score.explanation


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


def test_the_comparison_is_like_for_like_and_says_so(comparison) -> None:
    score = _current(comparison)
    compared = score.inputs["comparisons"]
    # An aggregate index is not a benchmark.
    assert "epoch-capabilities-index" not in {c["benchmark"] for c in compared}
    for c in compared:
        rows = Measurement.objects.filter(pk__in=c["measurement_ids"])
        # One publication of the leaderboard for both models.
        assert len({m.snapshot_id for m in rows}) == 1, c
        if c["benchmark"] == "livebench":
            assert len({m.as_of for m in rows}) == 1, c  # one LiveBench release
    # GPT-4o in the version current at the claim's date (8 April 2025): 2024-11-20.
    gpt4o = [c for c in compared if c["rival"] == "GPT-4o"]
    assert gpt4o and {c["rival_variant"] for c in gpt4o} == {"gpt-4o-2024-11-20"}
    sentence = score.explanation
    assert "“across a broad range of widely reported benchmarks”" in sentence
    assert "against gpt-4o-2024-11-20 (the version current on 8 April 2025)" in sentence
    for c in compared:
        assert c["benchmark_name"] in sentence
    # A record of mostly level comparisons is overstated, not substantially overstated.
    assert score.verdict == "overstated"


def test_no_sentence_prints_a_placeholder_or_a_mirrors_date(real_data, db) -> None:  # type: ignore[no-untyped-def]
    """Every current sentence, against every measurement it rests on whose date is unknown."""
    from releases.scoring.units import format_date

    # The placeholder start time of 57 Epoch GPQA Diamond rows is not a date of measurement.
    placeholders = Measurement.objects.filter(
        source__slug="epoch", benchmark__slug="gpqa-diamond", as_of_known=False
    )
    assert placeholders.count() == 57
    assert not Measurement.objects.filter(
        source__slug="epoch", benchmark__slug="gpqa-diamond", as_of=dt.date(2025, 1, 27)
    ).exists()
    # Epoch's copy of Fiction.LiveBench gives no date: none of its rows has one.
    assert not Measurement.objects.filter(
        benchmark__slug="fiction-livebench", as_of_known=True
    ).exists()
    checked = 0
    for score in GapScore.objects.filter(is_current=True):
        assert "27 January 2025" not in score.explanation
        # The figures it rests on, and the related benchmarks' figures shown beside it.
        shown = set(score.measurement_ids) | {
            pk for u in (score.inputs or {}).get("related", []) for pk in u["measurement_ids"]
        }
        unknown = Measurement.objects.filter(pk__in=shown, as_of_known=False)
        for day in set(unknown.values_list("as_of", flat=True)):
            known = Measurement.objects.filter(pk__in=shown, as_of_known=True, as_of=day)
            if not known.exists():  # the same day may be another, dated measurement's
                assert format_date(day) not in score.explanation, score.explanation
                assert day.isoformat() not in score.explanation
                checked += 1
    assert checked >= 2  # the Scout and Maverick context windows at least


def test_launch_week_verdicts_are_those_its_data_supported(real_data, db) -> None:
    """As of 10 April 2025 LMArena had rated only the experimental build, NoLiMa and
    Fiction.LiveBench had not published Llama 4, and Epoch had measured GPQA Diamond."""
    summary = gap_scores_recompute(as_of=LAUNCH_WEEK)
    assert summary.recomputed == PUBLISHED_CLAIMS
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


def test_a_plain_gpqa_column_is_not_compared_with_gpqa_diamond(real_data, db) -> None:  # type: ignore[no-untyped-def]
    """simple-evals writes "GPQA" without the subset, as Qwen's post does: one rule for both."""
    claim = _claim(variant__slug="gpt-4o-2024-08-06", benchmark__slug="gpqa", stated_value=53.1)
    score = _current(claim)
    assert score.verdict == "unverified"
    assert score.measurement_ids == []
    # Epoch's GPQA Diamond run of the same model exists, and is another benchmark.
    assert Measurement.objects.filter(
        variant__slug="gpt-4o-2024-08-06", benchmark__slug="gpqa-diamond"
    ).exists()
