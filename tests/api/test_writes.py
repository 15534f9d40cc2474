"""Writes go through the services the admin calls: same validation, history, recompute."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from releases.models import Citation, Claim, GapScore, ModelAlias
from tests.api.conftest import World

MEASURED = 60.8  # the world's one independent GPQA Diamond figure for Maverick Instruct


def new_claim(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "release": "llama-4-maverick",
        "variant": "llama-4-maverick-instruct",
        "kind": "benchmark_score",
        "benchmark": "gpqa-diamond",
        "stated_value": 69.8,
        "stated_text": "69.8",
        "conditions": {"shots": 0},
        "quote": "GPQA Diamond | 0-shot | 69.8",
        "citation": world.gpqa_claim.citation_id,
        "status": "published",
        **fields,
    }


def test_publishing_and_editing_a_claim_records_history_and_recomputes_its_gap(
    analyst_client: APIClient, analyst: User, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = analyst_client.post("/api/v1/claims/", new_claim(world), format="json")
    assert created.status_code == 201, created.json()
    claim = Claim.objects.get(pk=created.json()["id"])
    first = GapScore.objects.get(claim=claim, is_current=True)
    assert first.gap == pytest.approx(69.8 - MEASURED)
    assert created.json()["status"] == "published"

    with django_capture_on_commit_callbacks(execute=True):
        edited = analyst_client.patch(
            f"/api/v1/claims/{claim.pk}/",
            {"stated_value": 61.0, "stated_text": "61.0"},
            format="json",
        )
    assert edited.status_code == 200, edited.json()
    current = GapScore.objects.get(claim=claim, is_current=True)
    assert current.pk != first.pk
    assert current.gap == pytest.approx(61.0 - MEASURED)
    assert GapScore.objects.filter(claim=claim).count() == 2  # the first score stays as history

    history = list(claim.history.order_by("history_date"))
    assert [h.stated_value for h in history][-1] == 61.0
    assert {h.history_user for h in history} == {analyst}
    assert history[0].history_type == "+"


def test_an_edit_that_changes_nothing_scored_does_not_recompute(
    analyst_client: APIClient, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    before = GapScore.objects.filter(claim=world.gpqa_claim).count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = analyst_client.patch(
            f"/api/v1/claims/{world.gpqa_claim.pk}/", {"notes": "Checked."}, format="json"
        )
    assert response.status_code == 200
    assert GapScore.objects.filter(claim=world.gpqa_claim).count() == before
    assert all("recompute" not in repr(c) for c in callbacks)


def test_the_models_validation_applies_a_variant_of_another_release_is_refused(
    analyst_client: APIClient, world: World
) -> None:
    response = analyst_client.post(
        "/api/v1/claims/", new_claim(world, variant="rocket-base"), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["status"], body["code"]) == (400, "invalid")
    assert body["errors"]["variant"] == ["The variant belongs to another release."]
    assert not Claim.objects.filter(variant=world.rocket_base, release=world.maverick).exists()


def test_publishing_without_evidence_is_refused_with_the_field_named(
    analyst_client: APIClient, world: World
) -> None:
    response = analyst_client.post("/api/v1/claims/", new_claim(world, quote=""), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]  # the database rule, said as a field error


def test_a_draft_saved_with_a_failing_publication_stays_a_draft(
    analyst_client: APIClient, world: World
) -> None:
    created = analyst_client.post(
        "/api/v1/claims/", new_claim(world, status="draft", quote="draft quote"), format="json"
    )
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    assert created.json()["current_score"] is None


def test_a_citation_created_with_its_archive_gets_the_sha256_and_history(
    analyst_client: APIClient, analyst: User, world: World
) -> None:
    content = b"# Model card\n\n| GPQA | 69.8 |\n"
    response = analyst_client.post(
        "/api/v1/citations/",
        {
            "url": "https://example.org/card.md",
            "title": "A card",
            "archived_content_base64": base64.b64encode(content).decode(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    citation = Citation.objects.get(pk=response.json()["id"])
    assert citation.sha256 == hashlib.sha256(content).hexdigest() == response.json()["sha256"]
    assert citation.history.get().history_user == analyst
    download = analyst_client.get(response.json()["archive_url"])
    assert (
        b"".join(download.streaming_content) if download.streaming else download.content == content
    )
    assert download["X-Content-SHA256"] == citation.sha256

    again = analyst_client.post(
        "/api/v1/citations/",
        {
            "url": "https://example.org/card.md",
            "title": "Same again",
            "archived_content_base64": base64.b64encode(content).decode(),
        },
        format="json",
    )
    assert again.status_code == 400
    assert "already cites this URL" in again.json()["errors"]["url"][0]


def test_an_alias_saved_through_the_api_is_confirmed_by_the_analyst(
    analyst_client: APIClient, analyst: User, world: World
) -> None:
    response = analyst_client.post(
        "/api/v1/aliases/",
        {"name": "Llama-4-Maverick-17B-128E-Instruct", "variant": "llama-4-maverick-instruct"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    alias = ModelAlias.objects.get(pk=response.json()["id"])
    assert (alias.confirmed_by, alias.history.get().history_user) == (analyst, analyst)
    clash = analyst_client.post(
        "/api/v1/aliases/",
        {"name": "llama-4-maverick-17b-128e-instruct", "variant": "rocket-base"},
        format="json",
    )
    assert clash.status_code == 400
    assert "already means" in clash.json()["errors"]["name"][0]


def test_reviewing_a_verdict_records_who_and_when(
    analyst_client: APIClient, analyst: User, world: World
) -> None:
    response = analyst_client.post(
        f"/api/v1/claims/{world.arena_claim.pk}/review/",
        {"review_status": "disputed", "review_note": "Experimental build."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    score = GapScore.objects.get(claim=world.arena_claim, is_current=True)
    assert (score.review_status, score.review_note, score.reviewed_by) == (
        "disputed",
        "Experimental build.",
        analyst,
    )
    assert score.reviewed_at is not None


def test_reviewing_a_claim_without_a_verdict_is_a_conflict(
    analyst_client: APIClient, world: World
) -> None:
    response = analyst_client.post(
        f"/api/v1/claims/{world.draft_claim.pk}/review/",
        {"review_status": "confirmed"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_scored"
