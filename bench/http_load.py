"""HTTP load benchmark (`make bench`): the API (and the public pages, when `bench/page_endpoints.py`
exists) served by gunicorn as in production, on PostgreSQL and Redis, driven by locust. Figures
are printed, never asserted.

Steps, all on this machine (127.0.0.1 only) and bounded in time:
1. Fill the database in DATABASE_URL (a throwaway PostgreSQL database, freshly migrated): the
   synthetic scale (10,000 claims and 1,000,000 measurements at --scale 1000) from the gap
   benchmark's generator, then the curated data and bundled snapshots, then a full recompute.
2. Start gunicorn on 127.0.0.1 (three workers, as the Dockerfile), with REDIS_URL for the cache.
3. For each endpoint, run locust headless with N closed-loop clients for --seconds, split into
   --rounds slices, each right after a slice of the trivial view (/livez: no database, no
   broker) at the same clients. Each round's share is the endpoint's requests per second over
   its neighbouring ceiling's; the median share is printed next to the issue's targets, with
   the medians of requests per second, p50 and p99 (this machine's capacity drifts within
   minutes, so a ceiling measured once, at the start, is not a baseline for the last endpoint).
4. The same endpoints at a paced load (PACED_RATE requests per second per client), for latency.

    DATABASE_URL=postgres://.../claimsdb_bench_http python bench/http_load.py [--scale 1000]
        [--clients 50] [--seconds 30] [--skip-load]

`--scale` is the number of synthetic releases (10 claims and 1,000 measurements each, in whole
vendors of 50 releases); use a small one (50) while developing. `--skip-load` reuses a database already filled.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
GUNICORN_WORKERS = 3  # as the Dockerfile runs it

# The targets, printed beside the figures (never asserted).
TARGET_P99_MS = 150
PACED_RATE = 2.0  # requests per second per client in the paced run (100 a second at 50 clients)
TARGET_SHARE = {
    "claims list (cached)": 0.50,
    "conditional GET (304)": 0.70,
    "claims list (uncached)": 0.15,
}


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def load(scale: int, env: dict[str, str]) -> None:
    print(f"\n== data: synthetic scale {scale} releases, then the curated data and snapshots")
    started = time.perf_counter()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import synthetic

    # The generator groups releases by vendor; the scale is a whole number of vendors.
    per_vendor = synthetic.RELEASES_PER_VENDOR
    synthetic.RELEASES = max(per_vendor, scale // per_vendor * per_vendor)
    counts = synthetic.build_all()
    print(f"  synthetic: {counts}   {time.perf_counter() - started:6.1f} s")
    from django.db import connections

    from releases.importers import IMPORTERS
    from releases.models import LeaderboardSource

    # The generator's extra sources have no importer: keep the bundled import off them.
    LeaderboardSource.objects.exclude(importer__in=list(IMPORTERS)).update(enabled=False)
    connections.close_all()
    # The curated data upserts by slug, over the synthetic catalogue's shared slugs.
    for command in ("load_curated", "import_bundled", "recompute_gaps"):
        step = time.perf_counter()
        manage(command, env=env)
        print(f"  {command:<16} {time.perf_counter() - step:7.1f} s")
    print(f"  loaded in {time.perf_counter() - started:.0f} s")


def server_env(base: dict[str, str], redis_url: str) -> dict[str, str]:
    return {
        **base,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "REDIS_URL": redis_url,
        "SECURE_COOKIES": "false",
        # Plain http on 127.0.0.1, no TLS proxy in front: production's redirect to https (and
        # HSTS) would answer every request with a 301 to a port nothing listens on.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # The bench measures the server, not the rate limit.
        "API_ANON_RATE": "100000000/second",
        "API_USER_RATE": "100000000/second",
        "LOG_LEVEL": "WARNING",
    }


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    # gunicorn's access log: one line per request, its time in the server in microseconds.
    access_log: Path | None = None

    def server_times_ms(self, since: int) -> list[float]:
        """The server's time for each request logged after byte `since` of the access log."""
        if self.access_log is None or not self.access_log.exists():
            return []
        with self.access_log.open("rb") as handle:
            handle.seek(since)
            lines = handle.read().splitlines()
        return [int(line) / 1000 for line in lines if line.strip().isdigit()]

    def access_log_size(self) -> int:
        return self.access_log.stat().st_size if self.access_log and self.access_log.exists() else 0

    def stop(self) -> None:
        if self.process.poll() is None:
            # To the master alone: it stops its workers (a signal to the whole group reached
            # each worker behind the master's back, and the master logged that as an error).
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def start_server(env: dict[str, str], port: int) -> Server:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        check=True,
        env=env,
        cwd=ROOT,
    )
    access_log = Path(tempfile.mkdtemp(prefix="claimsdb-bench-")) / "access.log"
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "claimsdb.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--log-level",
            "warning",
            # Only the time each request spent in the server (%(D)s, microseconds): what the
            # endpoint costs, apart from the load generator sharing these two cores.
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(D)s",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    server = Server(process=process, base_url=f"http://{HOST}:{port}", access_log=access_log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.stop()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def get_json(url: str, headers: dict[str, str] | None = None) -> tuple[dict, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read()), dict(response.headers)


@dataclass(frozen=True)
class Endpoint:
    label: str
    paths: list[str]
    headers: dict[str, str]
    status: int = 200
    clients: int | None = None  # None: the run's --clients


# Where the two cores go, by the long-lived processes' command lines: the server, and the
# services it calls. The load generator is a child of this script, read from its usage.
PROCESS_FAMILIES = {"gunicorn": "gunicorn", "postgres": "postgres", "redis": "redis-server"}


def cpu_seconds_by_family(families: dict[str, str]) -> dict[str, float]:
    """CPU seconds (user and system) each family of running processes has used so far: a
    process is in the first family whose text its command line contains. Linux only (/proc);
    elsewhere, nothing."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used = dict.fromkeys(families, 0.0)
    proc = Path("/proc")
    if not proc.is_dir():
        return {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        family = next((name for name, text in families.items() if text in command), None)
        if family is None:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        used[family] += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Figures:
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p99_ms: float
    # The same percentiles of the time in the server (gunicorn's access log).
    server_p50_ms: float = 0.0
    server_p99_ms: float = 0.0
    # CPU milliseconds a request, by process family (PROCESS_FAMILIES, and locust, whose
    # figure includes its own start-up, about a second of CPU spread over the run).
    cpu_ms: dict[str, float] = field(default_factory=dict)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_locust(
    server: Server, endpoint: Endpoint, *, clients: int, seconds: int, pace: float = 0.0
) -> Figures:
    """`pace`: requests per second per client (0: a closed loop, each client's next request as
    soon as the last is answered)."""
    assert server.base_url.startswith(f"http://{HOST}:"), "load goes to this machine only"
    logged_before = server.access_log_size()
    cpu_before = cpu_seconds_by_family(PROCESS_FAMILIES)
    locust_before = _children_cpu_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "stats")
        env = {
            **os.environ,
            "BENCH_PATHS": json.dumps(endpoint.paths),
            "BENCH_HEADERS": json.dumps(endpoint.headers),
            "BENCH_STATUS": str(endpoint.status),
            "BENCH_PACE": str(pace) if pace else "",
            # gevent resolves each new connection's address in a pool of threads, by default;
            # gunicorn closes every connection, so that was a thread hand-off per request for
            # "127.0.0.1", which needs no lookup: 0.1-0.2 ms of the load generator's CPU a
            # request, on the cores the server shares (make bench, the ceiling's CPU line).
            "GEVENT_RESOLVER": "block",
        }
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(BENCH / "locust_api.py"),
                "--headless",
                "-u",
                str(clients),
                "-r",
                str(clients),
                "-t",
                f"{seconds}s",
                "--host",
                server.base_url,
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--stop-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            check=False,
            timeout=seconds + 60,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    # gunicorn writes its log lines as it answers: all of this run's are written by now.
    in_server = server.server_times_ms(logged_before)
    cpu_after = cpu_seconds_by_family(PROCESS_FAMILIES)
    requests = int(row["Request Count"])
    used = {name: cpu_after[name] - cpu_before.get(name, 0.0) for name in cpu_after}
    used["locust"] = _children_cpu_seconds() - locust_before
    return Figures(
        requests=requests,
        failures=int(row["Failure Count"]),
        rps=float(row["Requests/s"]),
        p50_ms=float(row["50%"]),
        p99_ms=float(row["99%"]),
        server_p50_ms=percentile(in_server, 0.50),
        server_p99_ms=percentile(in_server, 0.99),
        cpu_ms={name: 1000 * seconds / requests for name, seconds in used.items()}
        if requests
        else {},
    )


@dataclass(frozen=True)
class Paired:
    """An endpoint measured in rounds, each right after a slice of the ceiling at the same
    clients. This machine's capacity drifts by half within minutes (other tenants): a share
    taken against a ceiling measured minutes earlier says more about the drift than about the
    endpoint. Each round's share is against its own neighbouring ceiling; the median is kept."""

    rounds: list[tuple[Figures, Figures]]  # (ceiling, endpoint)

    @property
    def shares(self) -> list[float]:
        return [e.rps / c.rps if c.rps else 0.0 for c, e in self.rounds]

    @property
    def share(self) -> float:
        return statistics.median(self.shares)

    def _median(self, value: Callable[[Figures], float]) -> float:
        return statistics.median(value(e) for _, e in self.rounds)

    @property
    def rps(self) -> float:
        return self._median(lambda f: f.rps)

    @property
    def ceiling_rps(self) -> float:
        return statistics.median(c.rps for c, _ in self.rounds)

    @property
    def p50_ms(self) -> float:
        return self._median(lambda f: f.p50_ms)

    @property
    def p99_ms(self) -> float:
        return self._median(lambda f: f.p99_ms)

    @property
    def server_p99_ms(self) -> float:
        return self._median(lambda f: f.server_p99_ms)

    @property
    def cpu_ms(self) -> dict[str, float]:
        return _median_cpu([e for _, e in self.rounds])

    @property
    def ceiling_cpu_ms(self) -> dict[str, float]:
        return _median_cpu([c for c, _ in self.rounds])

    @property
    def requests(self) -> int:
        return sum(e.requests for _, e in self.rounds)

    @property
    def failures(self) -> int:
        return sum(e.failures for _, e in self.rounds)


def _median_cpu(runs: list[Figures]) -> dict[str, float]:
    names = {name for run in runs for name in run.cpu_ms}
    return {name: statistics.median(run.cpu_ms.get(name, 0.0) for run in runs) for name in names}


def cpu_text(cpu_ms: dict[str, float]) -> str:
    """The CPU a request cost each process family, largest first; the ceiling's is the same
    for its own requests, which shows what the server's HTTP handling and locust cost alone."""
    if not cpu_ms:
        return "(not measured here)"
    parts = [f"{name} {ms:.2f}" for name, ms in sorted(cpu_ms.items(), key=lambda kv: -kv[1])]
    return ", ".join(parts) + f" ms (total {sum(cpu_ms.values()):.2f})"


def run_paired(
    server: Server,
    endpoint: Endpoint,
    ceiling: Endpoint,
    *,
    clients: int,
    seconds: int,
    rounds: int,
) -> Paired:
    measured = []
    for _ in range(rounds):
        before = run_locust(server, ceiling, clients=clients, seconds=seconds)
        measured.append((before, run_locust(server, endpoint, clients=clients, seconds=seconds)))
    return Paired(measured)


def _ceiling_for(page_ceiling: list[Endpoint], clients: int) -> Endpoint:
    return page_ceiling[0] if page_ceiling else Endpoint(f"ceiling ({clients})", ["/livez"], {})


def api_endpoints(base_url: str) -> list[Endpoint]:
    """The issue's API endpoints. Ids and slugs are read from the API itself."""
    _, headers = get_json(f"{base_url}/api/v1/claims/?page_size=50")
    etag = headers["ETag"]
    claim_ids = [
        item["id"] for item in get_json(f"{base_url}/api/v1/claims/?page_size=200")[0]["results"]
    ]
    measured = get_json(f"{base_url}/api/v1/measurements/?page_size=1&resolved=true")[0]["results"][
        0
    ]
    filtered = (
        f"/api/v1/measurements/?benchmark={measured['benchmark']['slug']}"
        f"&release={measured['release']}&page_size=50"
    )
    return [
        Endpoint("claims list (cached)", ["/api/v1/claims/?page_size=50"], {}),
        Endpoint("claims list (uncached)", ["/api/v1/claims/?page_size=50&nonce={nonce}"], {}),
        Endpoint("claim detail (200 claims)", [f"/api/v1/claims/{i}/" for i in claim_ids], {}),
        Endpoint("measurements, filtered", [filtered], {}),
        Endpoint("measurements, filtered (uncached)", [filtered + "&nonce={nonce}"], {}),
        Endpoint(
            "conditional GET (304)",
            ["/api/v1/claims/?page_size=50"],
            {"If-None-Match": etag},
            status=304,
        ),
    ]


def page_endpoints() -> list[Endpoint]:
    """The public pages' endpoints, when their module exists (ENDPOINTS, CLIENTS)."""
    path = BENCH / "page_endpoints.py"
    if not path.exists():
        return []
    sys.path.insert(0, str(BENCH))
    module = importlib.import_module("page_endpoints")
    clients = getattr(module, "CLIENTS", None)
    return [Endpoint(f"page: {label}", [p], {}, clients=clients) for label, p in module.ENDPOINTS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1000, help="synthetic releases (x10 claims)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the endpoints whose label contains TEXT (repeatable; the ceiling "
        "always runs)",
    )
    parser.add_argument("--no-paced", action="store_true", help="skip the paced-load run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="slices each endpoint's --seconds is split into, each after a slice of the ceiling",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at a throwaway PostgreSQL database")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "claimsdb.settings"}
    base_env.pop("REDIS_URL", None)  # loading runs tasks in-process
    if not args.skip_load:
        load(args.scale, base_env)
    subprocess.run(
        [str(BIN / "python"), "-c", f"import redis; redis.Redis.from_url({redis_url!r}).flushdb()"],
        check=True,
    )
    server = start_server(server_env(base_env, redis_url), args.port)
    try:
        ceiling = Endpoint("ceiling: /livez", ["/livez"], {})
        pages = page_endpoints()
        # The pages run at their own client count: their ceiling is measured at it too.
        page_ceiling = (
            [
                Endpoint(
                    f"ceiling: /livez ({pages[0].clients} clients)",
                    ["/livez"],
                    {},
                    clients=pages[0].clients,
                )
            ]
            if pages and pages[0].clients
            else []
        )
        endpoints = [ceiling, *api_endpoints(server.base_url), *page_ceiling, *pages]
        if args.only:
            endpoints = [
                e
                for e in endpoints
                if e.label.startswith("ceiling") or any(text in e.label for text in args.only)
            ]
        # Warm each path once (the cached figures are of a warm cache, as in production).
        for endpoint in endpoints:
            for path in endpoint.paths[:200]:
                if "{nonce}" not in path and endpoint.status == 200:
                    urllib.request.urlopen(server.base_url + path, timeout=60).read()
        rounds = max(1, args.rounds)
        slice_seconds = max(5, args.seconds // rounds)
        print(
            f"\n== load: {rounds} rounds of {slice_seconds} s per endpoint, each after a "
            f"{slice_seconds} s slice of the ceiling at the same clients; gunicorn "
            f"{GUNICORN_WORKERS} workers, locust closed loop, 127.0.0.1"
        )
        results: list[tuple[Endpoint, int, Paired]] = []
        paced: list[tuple[Endpoint, Figures]] = []
        for endpoint in endpoints:
            if endpoint.label.startswith("ceiling"):
                continue
            clients = endpoint.clients or args.clients
            ceiling_at = ceiling if clients == args.clients else _ceiling_for(page_ceiling, clients)
            paired = run_paired(
                server, endpoint, ceiling_at, clients=clients, seconds=slice_seconds, rounds=rounds
            )
            results.append((endpoint, clients, paired))
            print(
                f"  {endpoint.label:<36} {clients:>3} clients  {paired.rps:8.1f} req/s "
                f"(ceiling {paired.ceiling_rps:7.1f})  p50 {paired.p50_ms:5.0f} ms  "
                f"p99 {paired.p99_ms:5.0f} ms (in the server {paired.server_p99_ms:5.1f})  "
                f"share {paired.share:4.0%} "
                f"(rounds {', '.join(f'{r:.0%}' for r in paired.shares)})  "
                f"{paired.failures} failed of {paired.requests}"
            )
            print(
                f"  {'':<36} CPU a request: {cpu_text(paired.cpu_ms)}; the ceiling's: "
                f"{cpu_text(paired.ceiling_cpu_ms)}"
            )
        # A closed loop of 50 clients saturates the machine: each request's latency is then
        # mostly its wait in the queue (50 / throughput), the ceiling's own p99 included. So the
        # latency of the API endpoints is also measured at a load that does not saturate
        # it: the same clients, each sending PACED_RATE requests a second.
        print(
            f"\n== latency at a paced load: {args.clients} clients x {PACED_RATE:g} request/s "
            f"each, {args.seconds} s per endpoint"
        )
        for endpoint in [] if args.no_paced else endpoints:
            if endpoint.clients is not None:
                continue  # the pages: measured at their own 20 clients above
            figures = run_locust(
                server, endpoint, clients=args.clients, seconds=args.seconds, pace=PACED_RATE
            )
            paced.append((endpoint, figures))
            print(
                f"  {endpoint.label:<36} {figures.rps:8.1f} req/s  p50 {figures.p50_ms:6.0f} ms  "
                f"p99 {figures.p99_ms:6.0f} ms  (in the server: p50 {figures.server_p50_ms:5.1f}, "
                f"p99 {figures.server_p99_ms:5.1f} ms)  {figures.failures} failed of "
                f"{figures.requests}"
            )
    finally:
        server.stop()
    print(
        f"\n== figures (targets from the issue: p99 < {TARGET_P99_MS} ms; share of the ceiling, "
        "the median of the rounds' shares; each figure is the median of its rounds)"
    )
    print(
        f"  {'endpoint':<36} {'clients':>7} {'req/s':>9} {'ceiling':>9} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'server p99':>10} {'of ceiling':>10} {'target':>8}"
    )
    for endpoint, clients, paired in results:
        target = TARGET_SHARE.get(endpoint.label)
        target_text = f">= {target:.0%}" if target is not None else ""
        print(
            f"  {endpoint.label:<36} {clients:>7} {paired.rps:>9.1f} {paired.ceiling_rps:>9.1f} "
            f"{paired.p50_ms:>7.0f} {paired.p99_ms:>7.0f} {paired.server_p99_ms:>10.1f} "
            f"{paired.share:>10.0%} {target_text:>8}"
        )
    print(
        f"\n== p99 at the paced load (target < {TARGET_P99_MS} ms), as locust saw it and in the "
        "server"
    )
    for endpoint, f in paced:
        met = "met" if f.p99_ms < TARGET_P99_MS and not f.failures else "MISSED"
        print(
            f"  {endpoint.label:<36} {f.rps:>9.1f} req/s  p50 {f.p50_ms:>5.0f}  "
            f"p99 {f.p99_ms:>5.0f} ms   {met}   in the server: p50 {f.server_p50_ms:>5.1f}  "
            f"p99 {f.server_p99_ms:>5.1f} ms"
        )


if __name__ == "__main__":
    main()
