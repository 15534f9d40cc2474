"""Work done once per test run and shared by every xdist worker, through a file.

Each worker is its own process with its own database; building the same thing in each of them
at the same time (on two cores) costs twice. The first worker to take the file lock makes the
file; the others wait for it and read it. The file lives in the run's temporary directory, so
a new run never reads an old one's.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from pathlib import Path

import pytest


def shared_path(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str) -> Path:
    """A path every worker of this run sees (each worker's basetemp is a child of the run's)."""
    base = tmp_path_factory.getbasetemp()
    return (base if worker_id == "master" else base.parent) / name


def once_per_run(path: Path, make: Callable[[Path], None]) -> Path:
    """`path`, made by `make(partial_path)` unless another worker already made it."""
    with path.with_name(path.name + ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                partial = path.with_name(path.name + ".partial")
                make(partial)
                partial.replace(path)  # readers never see half a file
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path
