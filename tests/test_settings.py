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


# What a production deployment sets (README, "Configuration"); everything else at its default.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "ALLOWED_HOSTS": "claims.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://claims.example.org",
    "DATABASE_URL": "postgres://claimsdb:claimsdb@db.internal:5432/claimsdb",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = check_deploy(**PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_hsts_and_the_ssl_redirect_are_read_from_the_environment() -> None:
    # Turned off (a site not yet on HTTPS everywhere), check --deploy names exactly what is off.
    result = check_deploy(**PRODUCTION_ENV, SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
    typo = check_deploy(**PRODUCTION_ENV, SECURE_HSTS_SECONDS="1y")
    assert typo.returncode != 0
    assert "SECURE_HSTS_SECONDS='1y' is not an integer" in typo.stderr


def test_production_redirects_plain_http_but_not_the_health_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='claims.example.org')\n"
        "page = c.get('/admin/login/')\n"
        "print(page.status_code, page.get('Location'))\n"
        "print(c.get('/healthz').status_code)\n"
        "print(c.get('/healthz', secure=True)['Strict-Transport-Security'])\n"
    )
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "claimsdb.settings"}
    # SQLite in a scratch file: /healthz asks the database, which must answer.
    del env["DATABASE_URL"], env["REDIS_URL"]
    env["SQLITE_PATH"] = str(tmp_path / "db.sqlite3")
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    redirect, health, hsts = result.stdout.strip().splitlines()[-3:]
    assert redirect == "301 https://claims.example.org/admin/login/"
    assert health == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_login_throttling_is_configured() -> None:
    from django.conf import settings

    assert settings.AUTHENTICATION_BACKENDS[0] == "claimsdb.auth.LoginThrottlingBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_security_variables_are_read_from_the_environment() -> None:
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
        "s.CLAIMSDB_FETCH_ALLOWED_HOSTS, s.DATABASES['default']['OPTIONS']['timeout'])\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_DIR,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "claimsdb.settings",
            "LOGIN_FAILURE_LIMIT": "7",
            "LOGIN_LOCKOUT_MINUTES": "30",
            "CLAIMSDB_FETCH_ALLOWED_HOSTS": "mirror.internal, 10.0.0.9",
            "SQLITE_BUSY_TIMEOUT": "5",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7 1800.0 ['mirror.internal', '10.0.0.9'] 5"
