"""`curated_data_load()`: read and validate the curated data, then write it in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.db import transaction

from releases.curated.reading import Progress, curated_data_read
from releases.curated.writing import CuratedDataSummary, curated_data_write


def curated_data_load(
    *, fixtures_dir: Path, progress: Progress | None = None
) -> CuratedDataSummary:
    """Validate and load `fixtures_dir/curated/**.yaml`; archive cited documents from
    `fixtures_dir/documents/`. Re-running changes nothing; bad data writes nothing."""
    data = curated_data_read(fixtures_dir=fixtures_dir, progress=progress)
    summary = CuratedDataSummary(files=[f.name for f in data.files])
    with transaction.atomic():
        curated_data_write(data, summary)
    summary.rows = table_row_counts()
    return summary


def table_row_counts() -> dict[str, int]:
    """Rows in every table of the releases app, history tables and m2m tables included."""
    app = apps.get_app_config("releases")
    return {
        model._meta.label: model._default_manager.count()
        for model in sorted(app.get_models(include_auto_created=True), key=lambda m: m._meta.label)
    }
