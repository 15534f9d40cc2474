"""The benchmarks' synthetic data still builds and scores (`make bench` must not rot unseen).

`bench/synthetic.py` builds the data the gap and HTTP benchmarks measure. It mirrors the
catalogue (it asserts it carries every long-context test the scoring knows), so a change to the
scoring can break `make bench` while every other test passes: that happened when RULER joined
the long-context tests. Here it is built at a small scale and fully scored.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from bench import synthetic
from releases.models import Claim, GapScore, Measurement
from releases.services.gap_scores import gap_scores_recompute
from tests.conftest import REPO_DIR

SMALL = synthetic.RELEASES_PER_VENDOR  # one vendor's worth of releases


@pytest.mark.django_db
def test_the_synthetic_bench_data_builds_and_every_claim_is_scored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(synthetic, "RELEASES", SMALL)

    built = synthetic.build_all()  # what the HTTP load benchmark builds
    summary = gap_scores_recompute(as_of=synthetic.AS_OF)

    claims = SMALL * synthetic.CLAIMS_PER_RELEASE
    rows = SMALL * synthetic.MEASUREMENTS_PER_RELEASE
    assert built == f"{SMALL:,} releases, {claims:,} claims, {rows:,} measurements"
    assert Measurement.objects.count() == rows and Claim.objects.count() == claims
    assert set(Claim.objects.values_list("kind", flat=True)) >= {
        Claim.Kind.ARENA_RATING,
        Claim.Kind.BENCHMARK_SCORE,
        Claim.Kind.CONTEXT_WINDOW,
    }
    assert summary.recomputed == claims
    current = GapScore.objects.filter(is_current=True)
    assert current.count() == claims
    # The data exercises the verdicts the bench is meant to time, not one kind of outcome.
    assert {"holds", "overstated", "substantially_overstated"} <= set(
        current.values_list("verdict", flat=True)
    )


def test_the_http_benchmarks_server_answers_plain_http_on_127_0_0_1(db) -> None:  # type: ignore[no-untyped-def]
    """The HTTP load benchmark runs production settings (DEBUG off) over plain http: with the
    redirect to https left on, every API answer was a 301 and `make bench` failed before
    measuring. A process with the bench server's environment reads an API list from this
    test's (migrated, empty) database."""
    sys.path.insert(0, str(REPO_DIR / "bench"))
    import http_load

    database = connection.settings_dict
    env = http_load.server_env(dict(os.environ), "redis://127.0.0.1:6379/0")
    env.pop("REDIS_URL")  # the check must not depend on Redis
    env["DATABASE_URL"] = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='127.0.0.1').get('/api/v1/vendors/')\n"
        "print(r.status_code, r.headers.get('Location', ''))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200"]


def test_the_http_benchmark_counts_the_cpu_each_process_family_used() -> None:
    """`make bench` prints the CPU a request cost gunicorn, locust, PostgreSQL and Redis. The
    families are read from /proc by command line: a process running a marker in its command
    line is counted in that family, and its busy loop shows."""
    sys.path.insert(0, str(REPO_DIR / "bench"))
    import http_load

    marker = "claimsdb-cpu-family-marker"
    busy = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import time\n# {marker}\nt=time.time()\nwhile time.time()-t<1.5: pass",
        ]
    )
    try:
        time.sleep(0.2)
        before = http_load.cpu_seconds_by_family({"marked": marker})
        time.sleep(0.8)
        after = http_load.cpu_seconds_by_family({"marked": marker})
    finally:
        busy.wait()
    assert set(after) == {"marked"}
    assert after["marked"] - before["marked"] > 0.3  # most of the 0.8 s, on a busy machine
    figures = http_load.cpu_text({"gunicorn": 3.0, "locust": 0.9})
    assert figures == "gunicorn 3.00, locust 0.90 ms (total 3.90)"
