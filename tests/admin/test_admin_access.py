"""Who can open which admin page, for every model the releases admin registers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Model
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from simple_history.admin import SimpleHistoryAdmin

from releases import models
from tests import factories
from tests.admin.builders import build
from tests.admin.forms import change_form_data
from tests.admin.registry import RELEASES_MODELS, admin_url

# Imported or derived data, or configuration: analysts may look but not add.
NOT_ADDABLE_BY_ANALYSTS = {
    models.LeaderboardSource,
    models.Snapshot,
    models.Measurement,
    models.ClaimRevision,
    models.GapScore,
    models.AliasCandidate,
}

# No one adds these through the admin: they come from imports and computations.
NOT_ADDABLE_BY_ANYONE = {
    models.Snapshot,
    models.Measurement,
    models.ClaimRevision,
    models.GapScore,
    models.AliasCandidate,
}

model_params = pytest.mark.parametrize("model", RELEASES_MODELS, ids=lambda m: m.__name__)


# Bookkeeping that no analyst edits or needs to read: the counter caches and ETags key on.
NOT_IN_THE_ADMIN = {models.DataVersion}


def test_every_releases_model_is_registered() -> None:
    exported = {getattr(models, name) for name in models.__all__}
    assert set(RELEASES_MODELS) == exported - NOT_IN_THE_ADMIN


@model_params
def test_analyst_opens_changelist_and_change_page(
    client: Client, analyst: User, model: type[Model]
) -> None:
    obj = build(model)
    client.force_login(analyst)

    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@model_params
def test_analyst_adds_only_what_analysts_curate(
    client: Client, analyst: User, model: type[Model]
) -> None:
    client.force_login(analyst)

    response = client.get(admin_url(model, "add"))

    assert response.status_code == (403 if model in NOT_ADDABLE_BY_ANALYSTS else 200)


@model_params
def test_superuser_opens_add_page_wherever_the_admin_allows_adding(
    client: Client, superuser: User, model: type[Model]
) -> None:
    request = RequestFactory().get("/")
    request.user = superuser
    allows_adding = admin.site._registry[model].has_add_permission(request)
    assert allows_adding == (model not in NOT_ADDABLE_BY_ANYONE)
    client.force_login(superuser)

    response = client.get(admin_url(model, "add"))

    assert response.status_code == (200 if allows_adding else 403)


@model_params
def test_superuser_opens_changelist_and_change_page(
    client: Client, superuser: User, model: type[Model]
) -> None:
    obj = build(model)
    client.force_login(superuser)

    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@model_params
def test_changelist_queries_do_not_grow_with_rows(
    client: Client, analyst: User, model: type[Model]
) -> None:
    client.force_login(analyst)
    url = admin_url(model, "changelist")
    build(model)
    client.get(url)  # warm caches (content types, permissions) outside the measurement

    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for _ in range(4):
        build(model)
    with CaptureQueriesContext(connection) as five_rows:
        assert client.get(url).status_code == 200

    assert len(five_rows) == len(one_row), [q["sql"] for q in five_rows.captured_queries]


@model_params
def test_anonymous_is_sent_to_the_login_page(client: Client, db: None, model: type[Model]) -> None:
    url = admin_url(model, "changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_group_cannot_see_claims(client: Client, staff_without_group: User) -> None:
    client.force_login(staff_without_group)

    assert client.get(admin_url(models.Claim, "changelist")).status_code == 403


def test_staff_without_group_cannot_change_a_claim(
    client: Client, staff_without_group: User, analyst: User
) -> None:
    claim = factories.ClaimFactory(notes="as imported")
    # The data a real change form would send, taken from the page as an analyst sees it.
    client.force_login(analyst)
    data = change_form_data(client.get(admin_url(claim, "change", claim.pk)))
    data["notes"] = "changed by someone without rights"
    data["status"] = models.Claim.Status.DRAFT
    client.force_login(staff_without_group)

    response = client.post(admin_url(claim, "change", claim.pk), data)

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.notes == "as imported"
    assert claim.status == models.Claim.Status.PUBLISHED
    assert claim.history.count() == 1


def test_analyst_cannot_see_users(client: Client, analyst: User) -> None:
    client.force_login(analyst)

    assert client.get(admin_url(User, "changelist")).status_code == 403


def test_analyst_cannot_add_a_leaderboard_source(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    data = {
        "name": "Sneaky",
        "slug": "sneaky",
        "importer": "sneaky",
        "evaluator": "Nobody",
        "live_url": "https://example.org/sneaky.json",
        "refresh_interval_hours": "24",
        "enabled": "on",
    }

    response = client.post(admin_url(models.LeaderboardSource, "add"), data)

    assert response.status_code == 403
    assert not models.LeaderboardSource.objects.filter(slug="sneaky").exists()


def test_analyst_cannot_change_a_leaderboard_source(
    client: Client, analyst: User, superuser: User
) -> None:
    source = factories.SourceFactory(name="LMArena")
    client.force_login(superuser)
    data = change_form_data(client.get(admin_url(source, "change", source.pk)))
    data["name"] = "Renamed by an analyst"
    client.force_login(analyst)

    response = client.post(admin_url(source, "change", source.pk), data)

    assert response.status_code == 403
    source.refresh_from_db()
    assert source.name == "LMArena"


def test_superuser_changes_a_leaderboard_source(client: Client, superuser: User) -> None:
    source = factories.SourceFactory(name="LMArena")
    client.force_login(superuser)
    data = change_form_data(client.get(admin_url(source, "change", source.pk)))
    data["refresh_interval_hours"] = "6"

    response = client.post(admin_url(source, "change", source.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    source.refresh_from_db()
    assert source.refresh_interval_hours == 6


def test_source_page_shows_its_last_error(client: Client, analyst: User) -> None:
    source = factories.SourceFactory(last_error="HTTP 503 from https://example.org/board.json")
    client.force_login(analyst)

    changelist = client.get(admin_url(source, "changelist"))
    change = client.get(admin_url(source, "change", source.pk))

    assert "HTTP 503 from https://example.org/board.json" in changelist.content.decode()
    assert 'class="errornote"' in change.content.decode()


def test_analyst_cannot_delete_a_snapshot_but_a_superuser_can(
    client: Client, analyst: User, superuser: User
) -> None:
    snapshot = factories.SnapshotFactory()
    url = admin_url(snapshot, "delete", snapshot.pk)
    client.force_login(analyst)

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert models.Snapshot.objects.filter(pk=snapshot.pk).exists()

    client.force_login(superuser)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not models.Snapshot.objects.filter(pk=snapshot.pk).exists()


def test_analyst_cannot_change_a_measurement(
    client: Client, analyst: User, superuser: User
) -> None:
    measurement = factories.MeasurementFactory(value=50.0)
    client.force_login(superuser)

    response = client.post(admin_url(measurement, "change", measurement.pk), {"value": "99"})

    # Read-only for everyone, superusers included.
    assert response.status_code == 403
    measurement.refresh_from_db()
    assert measurement.value == 50.0


CURATED_MODELS = [
    model
    for model in RELEASES_MODELS
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin)
]


def test_every_curated_model_keeps_history_in_the_admin() -> None:
    curated = {model for model in RELEASES_MODELS if hasattr(model, "history")}
    assert set(CURATED_MODELS) == curated
    assert models.Claim in curated


@pytest.mark.parametrize("model", CURATED_MODELS, ids=lambda m: m.__name__)
def test_analyst_opens_history_and_deleted_pages(
    client: Client, analyst: User, model: type[Model]
) -> None:
    obj = build(model)
    client.force_login(analyst)

    assert client.get(admin_url(model, "history", obj.pk)).status_code == 200
    assert client.get(admin_url(model, "deleted")).status_code == 200
