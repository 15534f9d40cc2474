"""`/healthz` reports the database and, when one is configured, the broker."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import TEST_REDIS_URL

REDIS_URL = TEST_REDIS_URL


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_it_reports_the_database_and_no_broker_by_default(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"].startswith("not configured")


@pytest.mark.django_db
def test_it_checks_a_configured_broker(client, settings) -> None:
    settings.REDIS_URL = REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_and_names_the_broker_when_it_is_down(client, settings) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_it_answers_only_get(client) -> None:
    assert client.post("/healthz").status_code == 405


def test_livez_answers_without_touching_the_database_or_the_broker(client, settings) -> None:  # type: ignore[no-untyped-def]
    # No django_db mark: any query would raise. A broker that would not answer is not asked.
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/livez").status_code == 405
