"""Settings come from the environment, fail loudly on bad values, and production is strict."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from claimsdb.env import env_bool, env_int, env_list
from claimsdb.settings import DEVELOPMENT_SECRET_KEY, check_production_secret_key
from tests.conftest import REPO_DIR


def start_django(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter, as a server start would."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=REPO_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "claimsdb.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_development_secret_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="development key"):
        check_production_secret_key(debug=False, secret_key=DEVELOPMENT_SECRET_KEY)


def test_production_refuses_a_missing_or_short_secret_key() -> None:
    with pytest.raises(ImproperlyConfigured):
        check_production_secret_key(debug=False, secret_key="")
    with pytest.raises(ImproperlyConfigured, match="32 characters"):
        check_production_secret_key(debug=False, secret_key="short")


def test_development_accepts_the_development_key() -> None:
    check_production_secret_key(debug=True, secret_key=DEVELOPMENT_SECRET_KEY)


def test_a_production_process_will_not_start_without_a_secret_key() -> None:
    result = start_django(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_production_process_starts_with_a_real_secret_key() -> None:
    result = start_django(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_a_typo_in_debug_stops_the_process_and_names_the_variable() -> None:
    result = start_django(DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_a_malformed_database_url_stops_the_process() -> None:
    result = start_django(DATABASE_URL="not a url")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch) -> None:
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", True) is True


def test_env_int_rejects_garbage_and_values_below_the_minimum(monkeypatch) -> None:
    monkeypatch.setenv("SOME_INT", "80a")
    with pytest.raises(ImproperlyConfigured, match="SOME_INT='80a' is not an integer"):
        env_int("SOME_INT", 1)
    monkeypatch.setenv("SOME_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="below its minimum"):
        env_int("SOME_INT", 1, minimum=1)
    monkeypatch.setenv("SOME_INT", "42")
    assert env_int("SOME_INT", 1, minimum=1) == 42


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch) -> None:
    monkeypatch.setenv("SOME_HOSTS", "a.example, b.example,,")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]


def test_without_redis_url_tasks_run_in_process(settings) -> None:
    # The suite runs without REDIS_URL in the Django process itself (integration tests start
    # their own worker), so this is the embedded default.
    assert settings.REDIS_URL == ""
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_TASK_ACKS_LATE is True
