"""Every curated edit is kept in history, with its author, and can be undone from the admin."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from releases import models
from tests import factories
from tests.admin.builders import build_gap_score
from tests.admin.forms import change_form_data
from tests.admin.registry import admin_url


def test_an_analysts_edit_is_recorded_with_the_analyst(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory(notes="")
    client.force_login(analyst)
    data = change_form_data(client.get(admin_url(claim, "change", claim.pk)))
    data["notes"] = "Table 3, row 2: checked against the archived card."

    response = client.post(admin_url(claim, "change", claim.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.notes == "Table 3, row 2: checked against the archived card."
    latest = claim.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == analyst
    assert latest.history_date is not None
    assert latest.notes == claim.notes


def test_the_history_page_lists_the_edit(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory()
    client.force_login(analyst)
    data = change_form_data(client.get(admin_url(claim, "change", claim.pk)))
    data["location"] = "Table 1"
    client.post(admin_url(claim, "change", claim.pk), data)

    response = client.get(admin_url(claim, "history", claim.pk))

    assert response.status_code == 200
    assert "Table 1" in response.content.decode()
    assert analyst.username in response.content.decode()


def test_an_analyst_reverts_a_claim_to_an_earlier_version(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory(location="Table 1")
    first = claim.history.latest()
    claim.location = "Table 9 (a typo)"
    claim.save()
    client.force_login(analyst)
    url = admin_url(claim, "simple_history", claim.pk, first.history_id)
    data = change_form_data(client.get(url))

    response = client.post(url, data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.location == "Table 1"
    assert claim.history.latest().history_user == analyst


def test_an_analyst_deletes_a_scored_claim_and_restores_it(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory(location="Table 2, GPQA row")
    # A gap score is derived data the analyst may not delete on its own; it goes with the claim.
    build_gap_score(claim=claim)
    last_version = claim.history.latest()
    client.force_login(analyst)

    deleted = client.post(admin_url(claim, "delete", claim.pk), {"post": "yes"})
    assert deleted.status_code == 302
    assert not models.Claim.objects.filter(pk=claim.pk).exists()

    # The deleted claim is listed, and its history page still answers.
    listing = client.get(admin_url(claim, "deleted"))
    assert listing.status_code == 200
    assert admin_url(claim, "history", claim.pk) in listing.content.decode()
    assert client.get(admin_url(claim, "history", claim.pk)).status_code == 200

    # Reverting to the last version before the deletion creates the claim again.
    url = admin_url(claim, "simple_history", claim.pk, last_version.history_id)
    data = change_form_data(client.get(url))
    restored = client.post(url, data)

    assert restored.status_code == 302
    claim_again = models.Claim.objects.get(pk=claim.pk)
    assert claim_again.location == "Table 2, GPQA row"
    assert claim_again.citation_id == claim.citation_id
    assert [r.history_type for r in claim_again.history.order_by("history_date")] == ["+", "-", "+"]
    assert claim_again.history.latest().history_user == analyst


def test_a_view_only_user_cannot_revert_through_the_history_form(
    client: Client, analyst: User
) -> None:
    # simple-history's revert view checks only view permission; analysts only view sources.
    source = factories.SourceFactory(name="LMArena")
    first = source.history.latest()
    source.name = "LMArena (renamed by a superuser)"
    source.save()
    client.force_login(analyst)
    url = admin_url(source, "simple_history", source.pk, first.history_id)

    assert client.get(url).status_code == 200
    data = change_form_data(client.get(url))
    response = client.post(url, data)

    assert response.status_code == 403
    source.refresh_from_db()
    assert source.name == "LMArena (renamed by a superuser)"


def test_staff_without_group_cannot_restore_a_deleted_claim(
    client: Client, analyst: User, staff_without_group: User
) -> None:
    claim = factories.ClaimFactory()
    claim_id, version = claim.pk, claim.history.latest()
    claim.delete()
    client.force_login(analyst)
    url = admin_url(models.Claim, "simple_history", claim_id, version.history_id)
    data = change_form_data(client.get(url))
    client.force_login(staff_without_group)

    response = client.post(url, data)

    assert response.status_code == 403
    assert not models.Claim.objects.filter(pk=claim_id).exists()
