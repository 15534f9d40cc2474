"""Models and migrations agree: a model change without its migration fails the suite."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_check_is_clean() -> None:
    out = io.StringIO()
    # --check exits non-zero (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_analyst_group_exists_after_migrating() -> None:
    from django.contrib.auth.models import Group

    from releases.permissions import analyst_codenames

    group = Group.objects.get(name="analyst")
    assert sorted(group.permissions.values_list("codename", flat=True)) == sorted(
        analyst_codenames()
    )
    assert not group.permissions.filter(content_type__app_label="auth").exists()
