"""docker-compose.yml describes the production shape. No Docker engine runs here, so this test
parses it and checks that what it names exists: services, commands, variables, health checks."""

from __future__ import annotations

import importlib
import re
import shlex

import pytest
import yaml

from tests.conftest import REPO_DIR


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO_DIR / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    """Every environment variable claimsdb/settings.py reads through its helpers."""
    source = (REPO_DIR / "claimsdb" / "settings.py").read_text()
    return set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", source))


def test_it_has_the_five_services(compose) -> None:
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis"}


def test_the_app_services_run_gunicorn_celery_worker_and_beat(compose) -> None:
    services = compose["services"]
    web = services["web"]["command"]
    assert "gunicorn claimsdb.wsgi:application" in web
    assert "manage.py migrate" in web and "manage.py collectstatic" in web
    # Beat reads its schedule from the database: the web start keeps it in step with the sources.
    assert "manage.py sync_schedules" in web
    assert shlex.split(services["worker"]["command"])[:4] == ["celery", "-A", "claimsdb", "worker"]
    assert shlex.split(services["beat"]["command"])[:4] == ["celery", "-A", "claimsdb", "beat"]
    # What the commands point at exists.
    assert hasattr(importlib.import_module("claimsdb.wsgi"), "application")
    assert importlib.import_module("claimsdb").celery_app.main == "claimsdb"


def test_app_services_get_every_required_variable_and_only_known_ones(compose) -> None:
    known = settings_variables()
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= set(env), name
        assert set(env) <= known, (
            f"{name} sets variables settings.py never reads: {set(env) - known}"
        )
        assert env["DEBUG"] == "false"
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        # Production must be given a secret: compose refuses to start without one.
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_the_database_credentials_agree(compose) -> None:
    postgres = compose["services"]["postgres"]["environment"]
    url = compose["services"]["web"]["environment"]["DATABASE_URL"]
    assert f"//{postgres['POSTGRES_USER']}:" in url
    assert url.endswith(f"/{postgres['POSTGRES_DB']}")
    assert (
        "${POSTGRES_PASSWORD:-claimsdb}" in url
        and postgres["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-claimsdb}"
    )


def test_services_have_health_checks_and_wait_for_healthy_dependencies(compose) -> None:
    services = compose["services"]
    for name in ("web", "worker", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_postgres_keeps_its_data_in_a_named_volume(compose) -> None:
    volumes = compose["services"]["postgres"]["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in volumes
    assert "postgres-data" in compose["volumes"]


def test_the_image_is_built_from_the_pinned_requirements() -> None:
    dockerfile = (REPO_DIR / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    for line in (REPO_DIR / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "==" in line, f"unpinned requirement: {line}"


def test_gunicorn_reads_its_config_beside_the_code_and_freezes_the_start_up_heap() -> None:
    import gc

    from gunicorn.app.base import Application
    from gunicorn.config import Config

    class Reader(Application):  # gunicorn's own reading of a config file
        def init(self, parser, opts, args):  # type: ignore[no-untyped-def]
            return None

        def load(self):  # type: ignore[no-untyped-def]
            return None

    reader = Reader.__new__(Reader)
    reader.cfg = Config()
    reader.load_config_from_file(str(REPO_DIR / "gunicorn.conf.py"))
    hook = reader.cfg.post_worker_init
    assert hook.__module__ != "gunicorn.config"  # ours, not gunicorn's no-op default
    # The file sits where the image's working directory is (COPY . . into WORKDIR /app), and
    # gunicorn reads ./gunicorn.conf.py there by default.
    assert Config().settings["config"].default == "./gunicorn.conf.py"
    before = gc.get_freeze_count()
    try:
        hook(None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
