"""Recompute triggers, history and sign-off, on the real catalogue and snapshots."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from releases.models import Claim, GapScore, LeaderboardSource, Measurement
from releases.services.claims import claim_publish, claim_unpublish
from releases.services.data_version import data_version_advance_now
from releases.services.gap_scores import claims_affected_by, gap_scores_recompute
from releases.services.leaderboard_import import leaderboard_import
from tests.conftest import FIXTURES_DIR, PUBLISHED_CLAIMS
from tests.services.conftest import SCORED_AS_OF

TODAY = SCORED_AS_OF
GPQA_FILE = FIXTURES_DIR / "leaderboards" / "epoch" / "gpqa_diamond.csv"
# Maverick's row in Epoch's GPQA Diamond file: mean and its copy, as fractions.
MAVERICK_GPQA = b"Llama-4-Maverick-17B-128E-Instruct-FP8,0.6698232323232324,0.6698232323232324,"
MAVERICK_GPQA_EDITED = (
    b"Llama-4-Maverick-17B-128E-Instruct-FP8,0.6012345678901234,0.6012345678901234,"
)


def _current_ids() -> dict[int, int]:
    return dict(GapScore.objects.filter(is_current=True).values_list("claim_id", "id"))


def _edited_gpqa_import(**kwargs):  # type: ignore[no-untyped-def]
    raw = GPQA_FILE.read_bytes()
    assert raw.count(MAVERICK_GPQA) == 1
    return leaderboard_import(
        source_id=LeaderboardSource.objects.get(slug="epoch").pk,
        raw=raw.replace(MAVERICK_GPQA, MAVERICK_GPQA_EDITED),
        file_name=GPQA_FILE.name,
        as_of=dt.date(
            2026, 4, 19
        ),  # as the bundled copy is dated (fixtures/leaderboards_as_of.yaml)
        **kwargs,
    )


def test_a_second_recompute_writes_nothing(real_data, db, django_assert_max_num_queries) -> None:
    rows = GapScore.objects.count()
    # 8 to read the inputs, 2 for the long-context benchmarks' own tables of tested models (the
    # peers a context-window shortfall is put beside), and up to 3 for why unverified claims are
    # (sources per benchmark, pending names, what those names measure): fixed, whatever the
    # number of claims.
    with django_assert_max_num_queries(13):
        summary = gap_scores_recompute(as_of=TODAY)
    assert (summary.recomputed, summary.changed, summary.written) == (PUBLISHED_CLAIMS, 0, 0)
    assert GapScore.objects.count() == rows


def test_an_import_recomputes_only_the_claims_it_touches(
    real_data, db, django_capture_on_commit_callbacks, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = _current_ids()
    rows_before = GapScore.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = _edited_gpqa_import()
    # One row of the file changed, so one measurement was written ...
    assert summary.updated == 1 and summary.created == 0
    # ... and one task was queued, for the claims that can use it: Maverick's GPQA Diamond
    # claims and the comparison claim involving Maverick (as claimant or rival). (The other
    # callback advances the data version.)
    assert len([c for c in callbacks if c is not data_version_advance_now]) == 1
    expected = set(
        Claim.objects.filter(
            status="published", release__slug="llama-4-maverick", benchmark__slug="gpqa-diamond"
        ).values_list("pk", flat=True)
    ) | set(
        Claim.objects.filter(status="published", kind="comparison")
        .filter(release__slug="llama-4-maverick")
        .values_list("pk", flat=True)
    )
    assert summary.claims_to_recompute == len(expected)
    after = _current_ids()
    rewritten = {claim for claim in after if after[claim] != before[claim]}
    assert rewritten <= expected and rewritten
    assert GapScore.objects.count() - rows_before == len(rewritten)
    maverick = GapScore.objects.get(
        is_current=True,
        claim__variant__slug="llama-4-maverick-instruct",
        claim__benchmark__slug="gpqa-diamond",
    )
    assert maverick.aggregate == pytest.approx(60.12345678901234)
    assert maverick.verdict == "overstated"
    # Nothing else moved; a full recompute now has nothing to write.
    assert gap_scores_recompute(as_of=TODAY).written == 0


def test_an_import_through_the_task_queue_runs_recompute_gaps_with_claim_ids(
    real_data, db, django_capture_on_commit_callbacks, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from releases import tasks

    seen = []
    original = tasks.recompute_gaps.delay
    try:
        tasks.recompute_gaps.delay = lambda ids: seen.append(ids) or original(ids)  # type: ignore[method-assign]
        with django_capture_on_commit_callbacks(execute=True):
            _edited_gpqa_import()
    finally:
        tasks.recompute_gaps.delay = original  # type: ignore[method-assign]
    [claim_ids] = seen
    assert all(isinstance(pk, int) for pk in claim_ids)
    assert claim_ids == sorted(claim_ids)


def test_an_unchanged_import_schedules_nothing(real_data, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary = leaderboard_import(
            source_id=LeaderboardSource.objects.get(slug="epoch").pk,
            raw=GPQA_FILE.read_bytes(),
            file_name=GPQA_FILE.name,
        )
    assert summary.status == "unchanged"
    assert callbacks == []


def test_claims_affected_by_a_long_context_test(real_data, db) -> None:
    nolima = Measurement.objects.filter(
        benchmark__slug="nolima", variant__slug="llama-4-scout-instruct"
    )
    affected = Claim.objects.filter(pk__in=claims_affected_by(measurements=nolima))
    assert {c.kind for c in affected} == {"context_window"}
    assert {c.release.slug for c in affected} == {"llama-4-scout"}


def test_history_keeps_every_computation_with_its_inputs(real_data, db) -> None:
    claim = Claim.objects.get(kind="arena_rating", release__slug="llama-4-maverick")
    gap_scores_recompute(as_of=dt.date(2025, 4, 10))
    gap_scores_recompute(as_of=TODAY)
    history = list(claim.gap_scores.order_by("computed_at", "id"))
    assert [s.verdict for s in history] == [
        "substantially_overstated",
        "unverified",
        "substantially_overstated",
    ]
    assert [s.is_current for s in history] == [False, False, True]
    for score in history:
        assert score.method_version
        assert score.inputs["claim"]["stated_value"] == 1417
        assert score.inputs["as_of"] == score.as_of.isoformat()


def test_a_changed_verdict_reopens_the_analyst_review(real_data, db, analyst) -> None:
    gpqa = GapScore.objects.get(
        is_current=True,
        claim__variant__slug="llama-4-maverick-instruct",
        claim__benchmark__slug="gpqa-diamond",
    )
    scout = GapScore.objects.get(
        is_current=True, claim__kind="context_window", claim__release__slug="llama-4-scout"
    )
    now = timezone.now()
    GapScore.objects.filter(pk__in=[gpqa.pk, scout.pk]).update(
        review_status="confirmed", reviewed_by=analyst, reviewed_at=now, review_note="Checked."
    )
    _edited_gpqa_import()  # changes Maverick's GPQA verdict, not Scout's context window
    gap_scores_recompute(as_of=TODAY)
    reopened = GapScore.objects.get(claim=gpqa.claim, is_current=True)
    assert reopened.verdict != gpqa.verdict
    assert (reopened.review_status, reopened.reviewed_by, reopened.review_note) == (
        "proposed",
        None,
        "",
    )
    kept = GapScore.objects.get(claim=scout.claim, is_current=True)
    assert kept.pk == scout.pk and kept.review_status == "confirmed"
    # The review of the old verdict stays on its row, in the history.
    assert GapScore.objects.get(pk=gpqa.pk).review_status == "confirmed"


def test_same_verdict_with_new_numbers_keeps_the_review(real_data, db, analyst) -> None:
    claim = Claim.objects.get(kind="arena_rating", release__slug="llama-4-maverick")
    score = GapScore.objects.get(claim=claim, is_current=True)
    GapScore.objects.filter(pk=score.pk).update(
        review_status="confirmed", reviewed_by=analyst, reviewed_at=timezone.now()
    )
    # A later as-of date with the same data: same verdict, same numbers: nothing written.
    assert gap_scores_recompute(claim_ids=[claim.pk], as_of=TODAY).written == 0
    Measurement.objects.filter(
        pk__in=score.measurement_ids, variant__slug="llama-4-maverick-instruct"
    ).update(value=1300, ci_low=1295, ci_high=1305)
    gap_scores_recompute(claim_ids=[claim.pk], as_of=TODAY)
    new = GapScore.objects.get(claim=claim, is_current=True)
    assert new.pk != score.pk and new.verdict == score.verdict
    assert (new.review_status, new.reviewed_by) == ("confirmed", analyst)


def test_publishing_a_claim_scores_it_and_drafts_are_not_scored(
    real_data, db, django_capture_on_commit_callbacks, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    claim = Claim.objects.get(
        variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond"
    )
    claim_unpublish(claims=[claim], user=None)
    with pytest.raises(CommandError, match="draft"):
        call_command("recompute_gaps", claim=[claim.pk])
    assert gap_scores_recompute(as_of=TODAY).recomputed == PUBLISHED_CLAIMS - 1
    GapScore.objects.filter(claim=claim).delete()
    with django_capture_on_commit_callbacks(execute=True):
        claim_publish(claims=[claim], user=None)
    assert GapScore.objects.get(claim=claim, is_current=True).verdict == "holds"


def test_recompute_gaps_command_json_and_summary(real_data, db) -> None:
    out = StringIO()
    call_command("recompute_gaps", "--json", "--as-of", "2026-11-23", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue()) == {
        "recomputed": PUBLISHED_CLAIMS,
        "changed": 0,
        "written": 0,
    }
    claim = Claim.objects.get(kind="arena_rating", release__slug="llama-4-maverick")
    out = StringIO()
    call_command(
        "recompute_gaps",
        "--claim",
        str(claim.pk),
        "--as-of",
        "2025-04-10",
        "--dry-run",
        stdout=out,
        stderr=StringIO(),
    )
    assert "Scored 1 claims as of 2025-04-10" in out.getvalue()
    assert "1 verdicts changed; would write 1 new scores" in out.getvalue()
    assert GapScore.objects.get(claim=claim, is_current=True).verdict == "substantially_overstated"
    out = StringIO()
    call_command(
        "recompute_gaps",
        "--json",
        "--claim",
        str(claim.pk),
        "--as-of",
        "2025-04-10",
        stdout=out,
        stderr=StringIO(),
    )
    assert json.loads(out.getvalue()) == {"recomputed": 1, "changed": 1, "written": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "10/04/2025"], "is not a date"),
        (["--claim", "999999"], "no claim with id 999999"),
    ],
)
def test_recompute_gaps_command_rejects_bad_input(real_data, db, args, message) -> None:
    rows = GapScore.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("recompute_gaps", *args, stdout=StringIO(), stderr=StringIO())
    assert GapScore.objects.count() == rows
