"""Importing real snapshots: provenance, idempotency, name resolution, failures that lose nothing."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from releases.models import AliasCandidate, Measurement, ModelAlias, Snapshot
from releases.services.leaderboard_import import ImportFailed, leaderboard_import
from releases.services.name_resolution import alias_candidate_accept, alias_candidate_reject
from tests.conftest import FIXTURES_DIR

LEADERBOARDS = FIXTURES_DIR / "leaderboards"
POLYGLOT = LEADERBOARDS / "aider" / "polyglot_leaderboard.yml"
ARENA_0407 = LEADERBOARDS / "lmarena" / "leaderboard-text@2025-04-07.json"
ARENA_0524 = LEADERBOARDS / "lmarena" / "leaderboard-text@2025-05-24.json"


def import_file(source, path, raw=None, **kwargs):  # type: ignore[no-untyped-def]
    return leaderboard_import(
        source_id=source.pk,
        raw=path.read_bytes() if raw is None else raw,
        file_name=path.name,
        **kwargs,
    )


def values(source) -> dict:  # type: ignore[no-untyped-def]
    return {
        (m.raw_model_name, m.benchmark_id, m.conditions_key, m.as_of): (
            m.value,
            m.variant_id,
            m.snapshot_id,
        )
        for m in Measurement.objects.filter(source=source)
    }


def test_maverick_polyglot_score_is_attached_to_the_released_instruct_variant(source) -> None:
    polyglot = source("aider-polyglot")
    summary = import_file(polyglot, POLYGLOT)
    assert summary.rows == summary.created == 69
    maverick = Measurement.objects.get(source=polyglot, raw_model_name="Llama 4 Maverick")
    assert maverick.value == pytest.approx(15.6)
    assert maverick.variant.slug == "llama-4-maverick-instruct"
    assert maverick.as_of == dt.date(2025, 4, 6)
    assert maverick.conditions == {"edit_format": "whole"}
    # Provenance: the snapshot holds the exact bytes published.
    assert bytes(maverick.snapshot.raw) == POLYGLOT.read_bytes()


def test_arena_ratings_keep_their_interval_and_date_from_the_file_name(source) -> None:
    arena = source("lmarena-text")
    import_file(arena, ARENA_0407)
    experimental = Measurement.objects.get(
        source=arena,
        raw_model_name="llama-4-maverick-03-26-experimental",
        benchmark__slug="lmarena-text",
        conditions_key="{}",
    )
    assert experimental.value == pytest.approx(1416.6, abs=0.05)
    assert experimental.ci_low == pytest.approx(1404.9, abs=0.05)
    assert experimental.ci_high == pytest.approx(1429.2, abs=0.05)
    assert experimental.as_of == dt.date(2025, 4, 7)
    assert experimental.variant.slug == "llama-4-maverick-experimental"
    assert not experimental.variant.is_public


def test_importing_the_same_body_twice_changes_nothing_and_adds_no_snapshot(source) -> None:
    polyglot = source("aider-polyglot")
    import_file(polyglot, POLYGLOT)
    before, snapshots = values(polyglot), Snapshot.objects.count()
    again = import_file(polyglot, POLYGLOT)
    assert again.status == "unchanged"
    assert (again.created, again.updated) == (0, 0)
    assert Snapshot.objects.count() == snapshots
    assert values(polyglot) == before


def test_a_file_that_differs_only_in_row_order_changes_nothing(source) -> None:
    polyglot = source("aider-polyglot")
    import_file(polyglot, POLYGLOT)
    before = values(polyglot)
    rows = yaml.safe_load(POLYGLOT.read_text())
    random.Random(7).shuffle(rows)
    shuffled = yaml.safe_dump(rows, sort_keys=False).encode()
    summary = import_file(polyglot, POLYGLOT, raw=shuffled)
    assert summary.status == "imported"  # new bytes: archived as a snapshot of their own
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 69)
    assert values(polyglot) == before  # not even the snapshot a row points at moved


def test_an_older_snapshot_after_a_newer_one_adds_its_dates_and_leaves_the_newer_alone(
    source,
) -> None:
    arena = source("lmarena-text")
    import_file(arena, ARENA_0524)
    newer = values(arena)
    summary = import_file(arena, ARENA_0407)
    assert summary.updated == 0 and summary.created == summary.rows
    after = values(arena)
    assert {k: v for k, v in after.items() if k[3] == dt.date(2025, 5, 24)} == newer


def test_a_changed_value_is_updated_and_reported_as_changed(source) -> None:
    polyglot = source("aider-polyglot")
    import_file(polyglot, POLYGLOT)
    rows = yaml.safe_load(POLYGLOT.read_text())
    for row in rows:
        if row["model"] == "Llama 4 Maverick":
            row["pass_rate_2"] = 16.0
    summary = import_file(polyglot, POLYGLOT, raw=yaml.safe_dump(rows, sort_keys=False).encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 68)
    maverick = Measurement.objects.get(source=polyglot, raw_model_name="Llama 4 Maverick")
    assert maverick.value == 16.0
    assert summary.changed_measurement_ids == [maverick.pk]
    assert Snapshot.objects.get(pk=summary.snapshot_id).changed_measurement_ids == [maverick.pk]


def test_a_malformed_body_is_recorded_as_a_failed_snapshot_and_loses_nothing(source) -> None:
    polyglot = source("aider-polyglot")
    import_file(polyglot, POLYGLOT)
    before = values(polyglot)
    with pytest.raises(ImportFailed, match=r"polyglot_leaderboard\.yml"):
        import_file(polyglot, POLYGLOT, raw=b"- model: broken\n  pass_rate_2: [not a number\n")
    failed = Snapshot.objects.filter(source=polyglot, status=Snapshot.Status.FAILED).get()
    assert failed.error and bytes(failed.raw).startswith(b"- model: broken")
    polyglot.refresh_from_db()
    assert polyglot.last_error == failed.error
    assert values(polyglot) == before


def test_the_query_count_does_not_grow_with_the_number_of_rows(source) -> None:
    arena = source("lmarena-text")

    def arena_file(models: int, day: int) -> bytes:
        return json.dumps(
            {
                "full": {
                    f"model-{i}": {
                        "rating": 1200.0 + i,
                        "rating_q025": 1190.0 + i,
                        "rating_q975": 1210.0 + i,
                    }
                    for i in range(models)
                }
            }
        ).encode()

    counts = []
    for models, day in ((10, 1), (1000, 2)):
        with CaptureQueriesContext(connection) as queries:
            leaderboard_import(
                source_id=arena.pk, raw=arena_file(models, day), as_of=dt.date(2025, 1, day)
            )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_an_unknown_name_waits_for_review_and_accepting_attaches_its_measurements(
    source, analyst
) -> None:
    polyglot = source("aider-polyglot")
    import_file(polyglot, POLYGLOT)
    # Remove the confirmed alias: the name must now go to review, not be attached on a guess.
    ModelAlias.objects.filter(normalized_name="llama 4 maverick").delete()
    Measurement.objects.filter(source=polyglot).update(variant=None)
    rows = yaml.safe_load(POLYGLOT.read_text())
    rows[0]["pass_rate_1"] = 99.0  # different bytes, so the import runs again
    summary = import_file(polyglot, POLYGLOT, raw=yaml.safe_dump(rows, sort_keys=False).encode())
    assert "Llama 4 Maverick" in summary.unresolved
    candidate = AliasCandidate.objects.get(source=polyglot, raw_name="Llama 4 Maverick")
    assert candidate.status == AliasCandidate.Status.PENDING
    assert not Measurement.objects.filter(
        raw_model_name="Llama 4 Maverick", variant__isnull=False
    ).exists()

    attached = alias_candidate_accept(candidate_id=candidate.pk, user=analyst)
    measurement = Measurement.objects.get(source=polyglot, raw_model_name="Llama 4 Maverick")
    assert attached == [measurement.pk]
    assert measurement.variant_id == candidate.suggested_variant_id
    alias = ModelAlias.objects.get(source=polyglot, normalized_name="llama 4 maverick")
    assert alias.confirmed_by == analyst


def test_rejecting_a_candidate_attaches_nothing(source, analyst) -> None:
    polyglot = source("aider-polyglot")
    ModelAlias.objects.filter(normalized_name="llama 4 maverick").delete()
    import_file(polyglot, POLYGLOT)
    candidate = AliasCandidate.objects.get(source=polyglot, raw_name="Llama 4 Maverick")
    alias_candidate_reject(candidate_id=candidate.pk, user=analyst)
    candidate.refresh_from_db()
    assert candidate.status == AliasCandidate.Status.REJECTED
    assert (
        Measurement.objects.get(source=polyglot, raw_model_name="Llama 4 Maverick").variant is None
    )
    assert not ModelAlias.objects.filter(normalized_name="llama 4 maverick").exists()


LLAMA_4_NAMES = {
    "Llama 4 Maverick": "llama-4-maverick-instruct",
    "llama-4-maverick-17b-128e-instruct": "llama-4-maverick-instruct",
    "llama4-maverick-instruct-basic": "llama-4-maverick-instruct",
    "Llama-4-Maverick-17B-128E-Instruct-FP8": "llama-4-maverick-instruct",
    "chutes/Llama-4-Maverick-17B-128E-Instruct": "llama-4-maverick-instruct",
    "llama-4-maverick-instruct": "llama-4-maverick-instruct",
    "llama-4-maverick-03-26-experimental": "llama-4-maverick-experimental",
}


def test_an_analyst_accepts_a_candidate_from_the_admin_review_queue(
    source, analyst, client
) -> None:
    polyglot = source("aider-polyglot")
    ModelAlias.objects.filter(normalized_name="llama 4 maverick").delete()
    import_file(polyglot, POLYGLOT)
    candidate = AliasCandidate.objects.get(source=polyglot, raw_name="Llama 4 Maverick")
    client.force_login(analyst)
    response = client.post(
        "/admin/releases/aliascandidate/",
        {"action": "accept_candidates", "_selected_action": [candidate.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 measurement(s) attached" in response.content.decode()
    measurement = Measurement.objects.get(source=polyglot, raw_model_name="Llama 4 Maverick")
    assert measurement.variant.slug == "llama-4-maverick-instruct"


FICTION_COPY = LEADERBOARDS / "epoch" / "fictionlivebench_external.csv"


def test_a_republishers_copy_date_is_not_the_evaluators_date(source) -> None:
    epoch = source("epoch")
    import_file(epoch, FICTION_COPY, as_of=dt.date(2026, 4, 19))
    rows = Measurement.objects.filter(source=epoch, benchmark__slug="fiction-livebench")
    assert rows.exists()
    # Epoch's copy of Fiction.LiveBench gives no date: the copy's date is kept as a bound only.
    assert set(rows.values_list("evaluator", "as_of_known", "as_of").distinct()) == {
        ("Fiction.LiveBench", False, dt.date(2026, 4, 19))
    }


def test_a_sources_own_file_date_is_its_date_and_a_rows_own_date_is_kept(source) -> None:
    arena = source("lmarena-text")
    import_file(arena, ARENA_0407)  # LMArena's own publication, dated by its file name
    assert set(Measurement.objects.filter(source=arena).values_list("as_of_known", flat=True)) == {
        True
    }
    polyglot = source("aider-polyglot")
    import_file(polyglot, POLYGLOT)  # each row carries its own date
    assert not Measurement.objects.filter(source=polyglot, as_of_known=False).exists()


def test_reimporting_a_file_keeps_the_date_flag_and_changes_nothing(source) -> None:
    epoch = source("epoch")
    gpqa = LEADERBOARDS / "epoch" / "gpqa_diamond.csv"
    import_file(epoch, gpqa, as_of=dt.date(2026, 4, 19))
    before = values(epoch)
    summary = import_file(epoch, gpqa, raw=gpqa.read_bytes() + b"\n", as_of=dt.date(2026, 4, 19))
    assert summary.created == summary.updated == 0
    assert values(epoch) == before
    assert Measurement.objects.filter(source=epoch, as_of_known=False).count() == 57
