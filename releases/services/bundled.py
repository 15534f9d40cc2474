"""Import every leaderboard snapshot bundled in fixtures/leaderboards/ (what `make run` does)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from releases.importers import get_importer
from releases.models import LeaderboardSource
from releases.services.leaderboard_import import ImportSummary, Progress, leaderboard_import

# Beside the snapshots, not among them: fixtures/leaderboards/ holds only byte-for-byte copies of
# public files.
AS_OF_MANIFEST = "leaderboards_as_of.yaml"


def _as_of_by_file(leaderboards_dir: Path) -> dict[str, dt.date]:
    manifest = leaderboards_dir.parent / AS_OF_MANIFEST
    if not manifest.is_file():
        return {}
    data = yaml.safe_load(manifest.read_text()) or {}
    return {Path(name).name: value for name, value in data.items()}


def bundled_snapshots_import(
    *, leaderboards_dir: Path, progress: Progress | None = None
) -> list[ImportSummary]:
    """Import each enabled source's bundled files, oldest name first. Idempotent: files already
    imported stop at their sha256."""
    say = progress or (lambda message: None)
    as_of_by_file = _as_of_by_file(leaderboards_dir)
    summaries = []
    for source in LeaderboardSource.objects.filter(enabled=True).order_by("slug"):
        inputs = get_importer(source.importer).bundled_inputs(leaderboards_dir)
        for index, (file_name, raw) in enumerate(inputs, start=1):
            say(f"[{source.slug} {index}/{len(inputs)}] {file_name}")
            summaries.append(
                leaderboard_import(
                    source_id=source.pk,
                    raw=raw,
                    file_name=file_name,
                    as_of=as_of_by_file.get(file_name),
                    progress=progress,
                    # The bundled files are the repository's own reviewed copies (byte for byte,
                    # tested): holding one for review would leave `make run` without its data.
                    hold_for_review=False,
                )
            )
    return summaries
