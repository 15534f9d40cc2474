"""Shared fixtures: users in each role, and where the real source files live."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from releases.permissions import ANALYST_GROUP
from tests.http_server import LOCAL_SERVER_HOST, LeaderboardServer

REPO_DIR = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_DIR / "fixtures"
# The team's read-only copies of the public sources; CI puts shared/ beside the clone.
SHARED_DIR = Path(os.environ.get("CLAIMSDB_SHARED_DIR", REPO_DIR.parent / "shared"))
SHARED_LEADERBOARDS = SHARED_DIR / "leaderboards"


@pytest.fixture
def shared_leaderboards() -> Path:
    if not SHARED_LEADERBOARDS.is_dir():
        pytest.fail(
            f"shared leaderboards not found at {SHARED_LEADERBOARDS}; set CLAIMSDB_SHARED_DIR"
        )
    return SHARED_LEADERBOARDS


@pytest.fixture
def analyst(db) -> User:
    user = User.objects.create_user("ana", password="pw-analyst-1", is_staff=True)
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    return user


@pytest.fixture
def staff_without_group(db) -> User:
    return User.objects.create_user("sam", password="pw-staff-1", is_staff=True)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="pw-root-1")


@pytest.fixture
def leaderboard_server(settings) -> Iterator[LeaderboardServer]:  # type: ignore[no-untyped-def]
    # Live fetches go to public addresses only; the local server is allowed by name.
    settings.CLAIMSDB_FETCH_ALLOWED_HOSTS = [LOCAL_SERVER_HOST]
    server = LeaderboardServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
