"""Who may do what: anonymous, a plain user, an analyst and a revoked token; reads and each
write. Tokens are knox tokens (only their hash is stored), as the admin creates them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from knox.models import AuthToken
from rest_framework.test import APIClient

from releases.models import Citation, Claim, GapScore, ModelAlias
from tests.api.conftest import World, token_client


def _claim_create(world: World) -> tuple[str, str, dict[str, Any]]:
    return (
        "post",
        "/api/v1/claims/",
        {
            "release": "llama-4-maverick",
            "variant": "llama-4-maverick-instruct",
            "kind": "benchmark_score",
            "benchmark": "gpqa-diamond",
            "stated_value": 70.0,
            "quote": "GPQA 70.0",
            "citation": world.gpqa_claim.citation_id,
            "status": "draft",
        },
    )


WRITES: dict[str, Callable[[World], tuple[str, str, dict[str, Any]]]] = {
    "create claim": _claim_create,
    "update claim": lambda w: ("patch", f"/api/v1/claims/{w.gpqa_claim.pk}/", {"notes": "checked"}),
    "create citation": lambda w: (
        "post",
        "/api/v1/citations/",
        {
            "url": "https://example.org/new-card.md",
            "title": "New card",
            "archived_content_base64": base64.b64encode(b"# new card").decode(),
        },
    ),
    "update citation": lambda w: (
        "patch",
        f"/api/v1/citations/{w.gpqa_claim.citation_id}/",
        {"publisher": "Meta"},
    ),
    "create alias": lambda w: (
        "post",
        "/api/v1/aliases/",
        {
            "name": "Llama-4-Maverick-17B-128E-Instruct",
            "variant": "llama-4-maverick-instruct",
            "source": None,
        },
    ),
    "update alias": lambda w: ("patch", "/api/v1/aliases/{alias}/", {"note": "Same checkpoint."}),
    "review verdict": lambda w: (
        "post",
        f"/api/v1/claims/{w.gpqa_claim.pk}/review/",
        {
            "review_status": "disputed",
            "review_note": "The card's figure is pass@1.",
        },
    ),
}

ROLES = ["anonymous", "plain user", "analyst", "revoked token"]
# What each role gets for a write (reads: every role but a revoked token gets 200).
WRITE_STATUS = {"anonymous": 401, "plain user": 403, "analyst": None, "revoked token": 401}


def client_for(role: str, analyst: User, plain_user: User) -> APIClient:
    if role == "anonymous":
        return APIClient()
    if role == "plain user":
        return token_client(plain_user)[0]
    client, token = token_client(analyst)
    if role == "revoked token":
        token.delete()  # revoking in the admin deletes the token row
    return client


@pytest.fixture
def alias(world: World) -> ModelAlias:
    return ModelAlias.objects.create(name="maverick-it", variant=world.maverick_instruct)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/measurements/", "/api/v1/snapshots/"])
def test_reads(role: str, path: str, world: World, analyst: User, plain_user: User) -> None:
    response = client_for(role, analyst, plain_user).get(path)
    expected = 401 if role == "revoked token" else 200
    assert response.status_code == expected
    if expected == 401:
        assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", list(WRITES))
def test_writes(
    role: str,
    write: str,
    world: World,
    analyst: User,
    plain_user: User,
    alias: ModelAlias,
    django_capture_on_commit_callbacks: Any,
) -> None:
    method, path, body = WRITES[write](world)
    path = path.format(alias=alias.pk)
    counts_before = (Claim.objects.count(), Citation.objects.count(), ModelAlias.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client_for(role, analyst, plain_user), method)(path, body, format="json")
    expected = WRITE_STATUS[role]
    if expected is None:
        assert response.status_code in (200, 201), response.json()
        return
    assert response.status_code == expected, response.content
    assert response.json()["status"] == expected
    # Nothing was written.
    assert counts_before == (
        Claim.objects.count(),
        Citation.objects.count(),
        ModelAlias.objects.count(),
    )
    assert (
        GapScore.objects.get(claim=world.gpqa_claim, is_current=True).review_status == "confirmed"
    )


def test_an_analyst_may_write_with_a_session_too(world: World, analyst: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(analyst)
    # Session writes need the CSRF token, as a browser sends it.
    refused = client.patch(f"/api/v1/claims/{world.gpqa_claim.pk}/", {"notes": "x"}, format="json")
    assert refused.status_code == 403
    client.get("/admin/")  # a page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    allowed = client.patch(
        f"/api/v1/claims/{world.gpqa_claim.pk}/",
        {"notes": "x"},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert allowed.status_code == 200, allowed.content


def test_a_token_is_stored_only_as_its_hash(analyst: User) -> None:
    instance, token = AuthToken.objects.create(user=analyst)
    stored = AuthToken.objects.get(pk=instance.pk)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128  # sha512


def test_a_token_created_in_the_admin_works_and_deleting_it_revokes_it(
    superuser: User, analyst: User, world: World
) -> None:
    from django.test import Client

    admin = Client()
    admin.force_login(superuser)
    created = admin.post(
        "/admin/knox/authtoken/add/", {"user": analyst.pk, "expiry": ""}, follow=True
    )
    messages = [str(m) for m in created.context["messages"]]
    token = next(m.removeprefix("TOKEN ") for m in messages if m.startswith("TOKEN "))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert (
        client.patch(
            f"/api/v1/claims/{world.gpqa_claim.pk}/", {"notes": "via an admin token"}, format="json"
        ).status_code
        == 200
    )

    AuthToken.objects.filter(user=analyst).delete()  # what "delete" in the admin does
    assert client.get("/api/v1/claims/").status_code == 401
