"""The bundled snapshots must be the team's copies of the public files, byte for byte."""

from __future__ import annotations

from pathlib import Path

from tests.importers.conftest import BUNDLED


def test_every_bundled_file_is_identical_to_the_shared_copy(shared_leaderboards: Path) -> None:
    bundled = sorted(path for path in BUNDLED.rglob("*") if path.is_file())
    assert bundled, f"no bundled files under {BUNDLED}"
    for path in bundled:
        relative = path.relative_to(BUNDLED)
        shared = shared_leaderboards / relative
        assert shared.is_file(), f"{relative} is not in the shared leaderboards"
        assert path.read_bytes() == shared.read_bytes(), f"{relative} differs from the shared copy"
