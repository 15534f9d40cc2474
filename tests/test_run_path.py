"""The embedded default, as `make run` uses it: no DATABASE_URL, no REDIS_URL, a fresh SQLite file.

Runs the real commands in subprocesses and a real server, then asks it for /healthz and the admin
login page, as a newcomer's browser would.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_DIR

pytestmark = pytest.mark.integration


def embedded_env(sqlite_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, "SQLITE_PATH": str(sqlite_path)}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def prepared_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = embedded_env(tmp_path_factory.mktemp("embedded") / "claimsdb.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "load_curated")
    yield env


def test_migrate_and_load_fill_a_fresh_sqlite_file(prepared_sqlite) -> None:
    counts = manage(
        prepared_sqlite,
        "shell",
        "-c",
        "import json; from releases.models import Claim, ModelRelease; "
        "print(json.dumps({'claims': Claim.objects.filter(status='published').count(), "
        "'releases': ModelRelease.objects.count()}))",
    )
    loaded = json.loads(counts.stdout.strip().splitlines()[-1])
    assert loaded["claims"] >= 60
    assert loaded["releases"] >= 5


def test_the_bounds_triggers_guard_sqlite_too(prepared_sqlite) -> None:
    # The same rule as on PostgreSQL, through SQLite's trigger: a 140% GPQA score is refused.
    script = (
        "from django.db import IntegrityError\n"
        "from releases.models import Benchmark, Claim\n"
        "claim = Claim.objects.filter(benchmark__unit='percent').first()\n"
        "try:\n"
        "    Claim.objects.filter(pk=claim.pk).update(stated_value=140.0)\n"
        "except IntegrityError as exc:\n"
        "    print('refused:', exc)\n"
        "else:\n"
        "    print('accepted')\n"
    )
    result = manage(prepared_sqlite, "shell", "-c", script)
    assert "refused:" in result.stdout and "outside its benchmark bounds" in result.stdout


def test_the_server_answers_healthz_and_the_admin_login(prepared_sqlite) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=REPO_DIR,
        env=prepared_sqlite,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("server did not start") from None
                time.sleep(0.3)
        assert health.status_code == 200
        assert health.json()["database"] == "ok"
        login = httpx.get(f"{base}/admin/login/", timeout=10)
        assert login.status_code == 200
        assert 'name="username"' in login.text
        home = httpx.get(f"{base}/", timeout=10)
        assert home.status_code == 200 and "Llama 4 Maverick" in home.text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_demo_analyst_can_log_in(prepared_sqlite) -> None:
    result = manage(prepared_sqlite, "ensure_demo_analyst")
    assert "username 'analyst'" in result.stdout
    check = manage(
        prepared_sqlite,
        "shell",
        "-c",
        "from django.contrib.auth import authenticate; "
        "u = authenticate(username='analyst', password='claimsdb-analyst'); "
        "print(bool(u and u.is_staff and u.groups.filter(name='analyst').exists()))",
    )
    assert check.stdout.strip().endswith("True")


def test_the_demo_analyst_is_refused_in_production(prepared_sqlite) -> None:
    env = {**prepared_sqlite, "DEBUG": "false", "SECRET_KEY": "p" * 50}
    result = subprocess.run(
        [sys.executable, "manage.py", "ensure_demo_analyst"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "development only" in result.stderr


def test_the_make_run_data_is_the_data_the_tests_score(prepared_sqlite) -> None:
    """`make run` imports the bundled snapshots one committed transaction at a time, each
    scoring the claims it touched: none may be held for review (they are the repository's
    reviewed copies), so the verdicts and the methodology page are those the suite checks."""
    manage(prepared_sqlite, "import_bundled")
    manage(prepared_sqlite, "recompute_gaps")
    checked = manage(
        prepared_sqlite,
        "shell",
        "-c",
        "import json; from django.test import Client; "
        "from releases.models import GapScore, Snapshot; "
        "gpqa = GapScore.objects.get(is_current=True, claim__status='published', "
        "claim__variant__slug='llama-4-maverick-instruct', claim__benchmark__slug='gpqa-diamond'); "
        "page = Client(HTTP_HOST='127.0.0.1').get('/methodology/'); "
        "print(json.dumps({'held': Snapshot.objects.filter(status='held').count(), "
        "'gpqa': gpqa.verdict, 'methodology': page.status_code, "
        "'examples': page.content.decode().count('id=\"example-')}))",
    )
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert result == {"held": 0, "gpqa": "holds", "methodology": 200, "examples": 3}
