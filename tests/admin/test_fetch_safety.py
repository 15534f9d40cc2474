"""The source form takes only public http(s) live URLs; a failed body is kept short, for analysts.

Issue 12, point 10 (SSRF). The fetch-time checks are tested in tests/services/test_url_safety.py.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User
from django.test import Client

from releases.models import LeaderboardSource, Snapshot
from releases.services.leaderboard_import import (
    FAILED_BODY_KEPT_BYTES,
    ImportFailed,
    leaderboard_import,
)
from tests.admin.forms import change_form_data
from tests.admin.registry import admin_url
from tests.factories import SourceFactory


@pytest.mark.parametrize(
    "live_url",
    [
        "ftp://example.org/leaderboard.yml",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:6379/",
        "http://localhost/admin/",
        "http://[::1]:8000/",
        "http://10.0.0.7/board.json",
    ],
)
def test_the_source_form_refuses_a_live_url_that_is_not_public_http(
    client: Client, superuser: User, live_url: str
) -> None:
    source = SourceFactory(slug="aider-polyglot")
    client.force_login(superuser)
    data = change_form_data(client.get(admin_url(source, "change", source.pk)))
    data["live_url"] = live_url

    response = client.post(admin_url(source, "change", source.pk), data)

    assert response.status_code == 200
    assert "live_url" in response.context["adminform"].form.errors
    assert LeaderboardSource.objects.get(pk=source.pk).live_url == source.live_url


def test_the_source_form_saves_a_public_https_live_url(client: Client, superuser: User) -> None:
    source = SourceFactory(slug="aider-polyglot")
    client.force_login(superuser)
    data = change_form_data(client.get(admin_url(source, "change", source.pk)))
    # An IP literal, so the test needs no DNS; a host name that resolves publicly passes too.
    data["live_url"] = "https://140.82.112.3/aider/polyglot_leaderboard.yml"

    response = client.post(admin_url(source, "change", source.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LeaderboardSource.objects.get(pk=source.pk).live_url == data["live_url"]


@pytest.fixture
def failed_snapshot(db) -> tuple[Snapshot, bytes]:  # type: ignore[no-untyped-def]
    """What a misdirected fetch might bring back: 300 KB that is not a leaderboard."""
    source = SourceFactory(slug="aider-polyglot")
    body = b"AccessKeyId: ASIA-EXAMPLE\nSecretAccessKey: [\n" + b"x" * 300_000
    with pytest.raises(ImportFailed) as raised:
        leaderboard_import(source_id=source.pk, raw=body, file_name="polyglot_leaderboard.yml")
    return Snapshot.objects.get(pk=raised.value.snapshot_id), body


def test_a_failed_body_is_kept_only_up_to_a_small_size(failed_snapshot) -> None:  # type: ignore[no-untyped-def]
    snapshot, body = failed_snapshot

    assert snapshot.status == Snapshot.Status.FAILED
    assert bytes(snapshot.raw) == body[:FAILED_BODY_KEPT_BYTES]
    assert snapshot.size_bytes == len(body)
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()


def test_only_analysts_can_download_a_failed_body(
    failed_snapshot, client: Client, analyst: User, staff_without_group: User
) -> None:  # type: ignore[no-untyped-def]
    snapshot, body = failed_snapshot
    url = admin_url(Snapshot, "raw", snapshot.pk)

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(staff_without_group)
    assert client.get(url).status_code == 403
    client.force_login(analyst)
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == body[:FAILED_BODY_KEPT_BYTES]
    assert download["Content-Disposition"].startswith("attachment")
