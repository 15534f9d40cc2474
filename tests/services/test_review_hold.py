"""Snapshots held for an analyst's review, and recompute failure isolation (issue 12), on the
real curated data with every bundled snapshot imported and scored."""

from __future__ import annotations

from releases.models import Claim, GapScore, LeaderboardSource, Measurement, Snapshot
from releases.services import gap_scores
from releases.services import leaderboard_import as importing
from releases.services.gap_scores import gap_scores_recompute
from releases.services.leaderboard_import import leaderboard_import, snapshot_held_apply
from tests.conftest import FIXTURES_DIR, PUBLISHED_CLAIMS
from tests.services.conftest import SCORED_AS_OF

POLYGLOT_FILE = FIXTURES_DIR / "leaderboards" / "aider" / "polyglot_leaderboard.yml"
POLYGLOT = POLYGLOT_FILE.read_bytes()
R1_SCORE = b"  model: DeepSeek R1\n  edit_format: diff\n  commit_hash: 5650697-dirty\n  pass_rate_1: 26.7\n  pass_rate_2: 56.9"


def verdicts() -> dict[int, str]:
    return dict(GapScore.objects.filter(is_current=True).values_list("claim_id", "verdict"))


def polyglot_values() -> dict:
    return dict(
        Measurement.objects.filter(source__slug="aider-polyglot").values_list("id", "value")
    )


def r1_polyglot_claim() -> Claim:
    return Claim.objects.get(
        status=Claim.Status.PUBLISHED, release__slug="deepseek-r1", benchmark__slug="aider-polyglot"
    )


def test_the_truncated_aider_file_of_the_issue_moves_no_verdict(real_data, db) -> None:
    """Issue 12 point 1: the file cut after `pass_rate_2: 5` flipped DeepSeek-R1's verdict."""
    assert POLYGLOT.count(R1_SCORE) == 1
    truncated = POLYGLOT[: POLYGLOT.index(R1_SCORE) + len(R1_SCORE) - len(b"6.9")]
    assert truncated.endswith(b"pass_rate_2: 5")
    polyglot = LeaderboardSource.objects.get(slug="aider-polyglot")
    before, values = verdicts(), polyglot_values()

    summary = leaderboard_import(source_id=polyglot.pk, raw=truncated, file_name=POLYGLOT_FILE.name)
    # It lost most of the previous snapshot's rows: held, nothing applied.
    assert summary.status == "held" and "fewer than 50%" in summary.held_reason
    held = Snapshot.objects.get(pk=summary.snapshot_id)
    assert held.status == Snapshot.Status.HELD and bytes(held.raw) == truncated
    polyglot.refresh_from_db()
    assert f"snapshot {held.pk} held for review" in polyglot.last_error
    assert polyglot_values() == values

    # An analyst applies it anyway: the dateless last row is still rejected, never "today".
    applied = snapshot_held_apply(snapshot_id=held.pk)
    assert applied.status == "imported"
    assert [(s["field"], s["row"]) for s in applied.skipped] == [("as_of", applied.rows + 1)]
    held.refresh_from_db()
    assert held.status == Snapshot.Status.APPLIED
    gap_scores_recompute(as_of=SCORED_AS_OF)
    assert verdicts() == before
    assert verdicts()[r1_polyglot_claim().pk] == before[r1_polyglot_claim().pk]


def test_a_snapshot_that_moves_many_verdicts_is_held_until_applied(
    real_data, db, monkeypatch
) -> None:
    monkeypatch.setattr(importing, "HOLD_WHEN_VERDICTS_MOVE", 1)
    polyglot = LeaderboardSource.objects.get(slug="aider-polyglot")
    claim = r1_polyglot_claim()
    before, values = verdicts(), polyglot_values()
    broken = POLYGLOT.replace(R1_SCORE, R1_SCORE.replace(b"56.9", b"5.0"))

    summary = leaderboard_import(source_id=polyglot.pk, raw=broken, file_name=POLYGLOT_FILE.name)
    assert summary.status == "held"
    assert (
        "change 1 published verdicts" in summary.held_reason
        and str(claim.pk) in summary.held_reason
    )
    assert polyglot_values() == values and verdicts() == before
    # The same bytes again stay the one snapshot to review.
    again = leaderboard_import(source_id=polyglot.pk, raw=broken, file_name=POLYGLOT_FILE.name)
    assert (again.status, again.snapshot_id) == ("held", summary.snapshot_id)

    applied = snapshot_held_apply(snapshot_id=summary.snapshot_id)
    assert applied.status == "imported" and applied.updated == 1
    gap_scores_recompute(as_of=SCORED_AS_OF)
    assert verdicts()[claim.pk] != before[claim.pk]


def test_a_claim_that_cannot_be_scored_is_reported_and_the_others_are_scored(
    real_data, db, monkeypatch
) -> None:
    claim = r1_polyglot_claim()
    real_score = gap_scores.score_claim

    def score_claim(claim_input, rows, as_of, **context):  # type: ignore[no-untyped-def]
        if claim_input.id == claim.pk:
            raise OverflowError("(34, 'Numerical result out of range')")
        return real_score(claim_input, rows, as_of, **context)

    monkeypatch.setattr(gap_scores, "score_claim", score_claim)
    current_before = GapScore.objects.get(claim=claim, is_current=True).pk
    summary = gap_scores_recompute(as_of=SCORED_AS_OF.replace(year=2027))
    assert summary.failed == {claim.pk: "OverflowError: (34, 'Numerical result out of range')"}
    assert summary.recomputed == PUBLISHED_CLAIMS - 1  # every other published claim
    assert GapScore.objects.get(claim=claim, is_current=True).pk == current_before


def test_an_extreme_rating_cannot_overflow_the_win_probability() -> None:
    from releases.scoring.method import win_probability

    assert win_probability(-200_000) == 0.0
    assert win_probability(200_000) == 1.0
