"""Admin logins are throttled (django-axes): guessing stops working after a few tries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

LOGIN_URL = "/admin/login/?next=/admin/"
PASSWORD = "right-password-for-ana"


@pytest.fixture
def fast_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # Every wrong password before the lockout is checked against the hash: keep that cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ana(db, fast_hashing) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("ana", password=PASSWORD, is_staff=True)


def attempt(client: Client, password: str, *, username: str = "ana", address: str = "203.0.113.7"):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_fifteen_wrong_passwords_then_the_right_one_does_not_log_in(
    client: Client, ana: User, settings
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(15):
        assert not logged_in(client)
        attempt(client, "guess")

    response = attempt(client, PASSWORD)

    assert not logged_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins for “ana” from your address" in page
    assert "even with the right password" in page
    assert f"after {settings.AXES_FAILURE_LIMIT} wrong passwords" in page


def test_the_lockout_starts_at_the_failure_limit(client: Client, ana: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert attempt(client, "guess").status_code == 200  # the login form again, with its error
    assert attempt(client, "guess").status_code == 429
    assert attempt(client, PASSWORD).status_code == 429
    assert not logged_in(client)


def test_a_success_before_the_limit_resets_the_count(client: Client, ana: User, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "guess")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "guess")
    assert attempt(client, PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_attacker_elsewhere_cannot_lock_the_analyst_out(client: Client, ana: User) -> None:
    for _ in range(15):
        attempt(client, "guess", address="198.51.100.9")

    response = attempt(Client(), PASSWORD, address="203.0.113.7")

    assert response.status_code == 302
