"""gunicorn's settings for claimsdb's web process, read from the working directory (the
Dockerfile, docker-compose.yml and `make bench` start gunicorn beside this file). The command
lines give the bind address, the workers and the logs; this file holds what a flag cannot."""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Once the worker has loaded the application, move everything allocated so far (Django,
    DRF, the URL conf, the models: ~130,000 objects) out of the garbage collector's reach with
    `gc.freeze()`. It lives as long as the worker, and a full collection scanned all of it:
    65 ms during which the worker answered nobody, about every 3,000 requests. Frozen, a full
    collection scans only what requests allocated, about 1 ms (make bench; Python's docs
    recommend freezing after start-up for long-lived servers)."""
    gc.freeze()
