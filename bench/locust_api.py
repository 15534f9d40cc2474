"""The locust user the HTTP load harness (bench/http_load.py) drives; configured by environment.

BENCH_PATHS: JSON list of paths, one picked at random per request; "{nonce}" in a path becomes a
fresh number each time (defeats the response cache: every request misses it).
BENCH_HEADERS: JSON object of request headers. BENCH_STATUS: the status every answer must have.
Each user sends its next request as soon as the last one is answered (a closed loop), or, with
BENCH_PACE set, at most BENCH_PACE requests per second (locust's constant_throughput), each
client starting at a random point of its first period.
"""

from __future__ import annotations

import itertools
import json
import os
import random

import gevent
from locust import FastHttpUser, constant, constant_throughput, task

PATHS: list[str] = json.loads(os.environ["BENCH_PATHS"])
HEADERS: dict[str, str] = json.loads(os.environ.get("BENCH_HEADERS", "{}"))
STATUS = int(os.environ.get("BENCH_STATUS", "200"))
NONCES = itertools.count()
PACE = float(os.environ.get("BENCH_PACE") or 0)


class Reader(FastHttpUser):
    wait_time = constant_throughput(PACE) if PACE else constant(0)

    def on_start(self) -> None:
        # Paced clients start at random points of one period: locust starts them together,
        # and clients in step send their requests in bursts (50 at once, every half second),
        # which measures the burst's queue instead of the endpoint's latency.
        if PACE:
            gevent.sleep(random.uniform(0, 1 / PACE))

    @task
    def read(self) -> None:
        path = random.choice(PATHS).replace("{nonce}", str(next(NONCES)))
        with self.client.get(path, headers=HEADERS, name="endpoint", catch_response=True) as r:
            if r.status_code != STATUS:
                r.failure(f"status {r.status_code}, expected {STATUS}")
