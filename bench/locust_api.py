"""The locust user the HTTP load harness (bench/http_load.py) drives; configured by environment.

BENCH_PATHS: JSON list of paths, one picked at random per request; "{nonce}" in a path becomes a
fresh number each time (defeats the response cache: every request misses it).
BENCH_HEADERS: JSON object of request headers. BENCH_STATUS: the status every answer must have.
Each user sends its next request as soon as the last one is answered (a closed loop).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

PATHS: list[str] = json.loads(os.environ["BENCH_PATHS"])
HEADERS: dict[str, str] = json.loads(os.environ.get("BENCH_HEADERS", "{}"))
STATUS = int(os.environ.get("BENCH_STATUS", "200"))
NONCES = itertools.count()


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self) -> None:
        path = random.choice(PATHS).replace("{nonce}", str(next(NONCES)))
        with self.client.get(path, headers=HEADERS, name="endpoint", catch_response=True) as r:
            if r.status_code != STATUS:
                r.failure(f"status {r.status_code}, expected {STATUS}")
