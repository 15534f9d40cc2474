"""Import one body a leaderboard published: archive it, parse it, write its measurements.

`leaderboard_import()` is the single write path for measurements, used alike by the
`import_leaderboard` command (a file), the scheduled refresh (a fetched body) and `make run`
(every bundled snapshot). It is idempotent: a body already imported stops at its sha256, and
rows are upserted on their natural key, so a re-run or a redelivered task leaves the same data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from releases.conditions import canonical_conditions, conditions_key
from releases.importers import get_importer
from releases.importers.base import ParsedRow, ParseError
from releases.models import Benchmark, BenchmarkAlias, LeaderboardSource, Measurement, Snapshot
from releases.services.data_version import data_version_advance
from releases.services.gap_scores import claims_affected_by
from releases.services.measurement_upsert import MeasurementRecord, measurements_upsert
from releases.services.name_resolution import alias_candidates_propose, variant_ids_for_names
from releases.services.triggers import gap_recompute_schedule

Progress = Callable[[str], None]


class ImportFailed(Exception):
    """The body could not be imported. The failed snapshot (raw bytes, error) is kept; earlier
    measurements are untouched."""

    def __init__(self, message: str, *, snapshot_id: int | None) -> None:
        super().__init__(message)
        self.snapshot_id = snapshot_id


@dataclass
class ImportSummary:
    source: str
    sha256: str
    status: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unresolved: list[str] = field(default_factory=list)
    duplicates: int = 0
    candidates_queued: int = 0
    snapshot_id: int | None = None
    as_of: str | None = None
    changed_measurement_ids: list[int] = field(default_factory=list)
    claims_to_recompute: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# A failed snapshot keeps only the start of what it received: enough to see what came back (an
# error page, a changed format) without archiving, for analysts to download, whatever a
# misdirected fetch returned. Its sha256 and size_bytes are still those of the whole body.
FAILED_BODY_KEPT_BYTES = 64 * 1024


def _record_failure(
    *, source: LeaderboardSource, snapshot_fields: dict[str, Any], error: str
) -> Snapshot:
    raw = snapshot_fields.get("raw")
    if raw is not None and len(raw) > FAILED_BODY_KEPT_BYTES:
        snapshot_fields = {**snapshot_fields, "raw": raw[:FAILED_BODY_KEPT_BYTES]}
    snapshot = Snapshot.objects.create(
        source=source, status=Snapshot.Status.FAILED, error=error, **snapshot_fields
    )
    LeaderboardSource.objects.filter(pk=source.pk).update(
        last_error=error, last_fetched_at=snapshot.fetched_at
    )
    return snapshot


def _dedupe(records: list[MeasurementRecord]) -> tuple[list[MeasurementRecord], int]:
    """One record per natural key. A file that repeats a key keeps its highest value, so that the
    result does not depend on the order of the rows."""
    best: dict[tuple[Any, ...], MeasurementRecord] = {}
    for record in records:
        key = (record.raw_model_name, record.benchmark_id, record.conditions_key, record.as_of)
        kept = best.get(key)
        if kept is None or (record.value, repr(record.metadata)) > (
            kept.value,
            repr(kept.metadata),
        ):
            best[key] = record
    return list(best.values()), len(records) - len(best)


def _records(
    rows: list[ParsedRow],
    *,
    benchmarks: dict[str, int],
    variants: dict[str, int],
    default_as_of: dt.date,
    evaluator: str,
) -> list[MeasurementRecord]:
    records = []
    for row in rows:
        conditions = canonical_conditions(row.conditions)
        records.append(
            MeasurementRecord(
                benchmark_id=benchmarks[row.benchmark],
                raw_model_name=row.raw_model_name,
                variant_id=variants.get(row.raw_model_name),
                value=row.value,
                ci_low=row.ci_low,
                ci_high=row.ci_high,
                std_error=row.std_error,
                sample_size=row.sample_size,
                conditions=conditions,
                conditions_key=conditions_key(conditions),
                as_of=row.as_of or default_as_of,
                evaluator=row.evaluator or evaluator,
                metadata=row.metadata,
                # The file's date is the evaluator's own only when the file is the evaluator's;
                # a republisher's copy date (Epoch's mirror of Fiction.LiveBench) is not.
                as_of_known=row.as_of_known and (row.as_of is not None or row.evaluator is None),
            )
        )
    return records


def benchmark_aliases_by_name() -> dict[str, str]:
    """Normalised alias name -> benchmark slug, the whole catalogue (one query, a few hundred
    rows): what an importer that reads the catalogue's aliases is given before parsing."""
    return dict(BenchmarkAlias.objects.values_list("normalized_name", "benchmark__slug"))


def leaderboard_import(
    *,
    source_id: int,
    raw: bytes,
    file_name: str = "",
    url: str = "",
    as_of: dt.date | None = None,
    fetched_at: dt.datetime | None = None,
    http_status: int | None = None,
    headers: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Archive and import one body of a source. Raises ImportFailed on unreadable input."""
    say = progress or (lambda message: None)
    source = LeaderboardSource.objects.get(pk=source_id)
    fetched_at = fetched_at or timezone.now()
    sha256 = hashlib.sha256(raw).hexdigest()
    summary = ImportSummary(source=source.slug, sha256=sha256, status="imported")

    # The same bytes were imported before: nothing can have changed.
    previous = (
        Snapshot.objects.filter(source=source, sha256=sha256, status=Snapshot.Status.IMPORTED)
        .order_by("-fetched_at")
        .first()
    )
    if previous is not None:
        LeaderboardSource.objects.filter(pk=source.pk).update(last_fetched_at=fetched_at)
        summary.status = "unchanged"
        summary.rows = summary.unchanged = previous.rows_parsed
        summary.snapshot_id = previous.pk
        summary.as_of = previous.as_of.isoformat() if previous.as_of else None
        say(f"{source.slug}: identical to snapshot {previous.pk}; nothing to do")
        return summary

    importer = get_importer(source.importer)
    if importer.reads_benchmark_aliases:
        importer.benchmark_aliases = benchmark_aliases_by_name()
    default_as_of = as_of or importer.as_of_from_file_name(file_name) or fetched_at.date()
    snapshot_fields: dict[str, Any] = {
        "fetched_at": fetched_at,
        "url": url,
        "file_name": file_name,
        "sha256": sha256,
        "raw": raw,
        "size_bytes": len(raw),
        "content_type": (headers or {}).get("content-type", ""),
        "http_status": http_status,
        "headers": headers or {},
        "as_of": default_as_of,
    }

    say(f"{source.slug}: parsing {len(raw):,} bytes")
    try:
        rows = importer.parse(raw, file_name=file_name or None)
        slugs = {row.benchmark for row in rows}
        benchmarks = dict(Benchmark.objects.filter(slug__in=slugs).values_list("slug", "id"))
        if missing := sorted(slugs - set(benchmarks)):
            raise ParseError(
                f"benchmark(s) not in the catalogue: {', '.join(missing)}", file_name=file_name
            )
    except ParseError as exc:
        failed = _record_failure(source=source, snapshot_fields=snapshot_fields, error=str(exc))
        raise ImportFailed(str(exc), snapshot_id=failed.pk) from exc

    names = {row.raw_model_name for row in rows}
    variants = variant_ids_for_names(source_id=source.pk, names=names)
    records, summary.duplicates = _dedupe(
        _records(
            rows,
            benchmarks=benchmarks,
            variants=variants,
            default_as_of=default_as_of,
            evaluator=source.evaluator,
        )
    )
    # The parsed rows are no longer needed; on a large file they are a good part of the memory.
    del rows
    say(f"{source.slug}: writing {len(records):,} measurements of {len(names):,} models")

    with transaction.atomic():
        snapshot = Snapshot.objects.create(
            source=source, status=Snapshot.Status.IMPORTED, **snapshot_fields
        )
        result = measurements_upsert(
            source_id=source.pk, snapshot_id=snapshot.pk, records=records, now=timezone.now()
        )
        # The upsert is raw SQL, which no model signal sees.
        data_version_advance()
        summary.unresolved = sorted(names - set(variants))
        summary.candidates_queued = alias_candidates_propose(
            source_id=source.pk, names=summary.unresolved
        )
        summary.rows = len(records)
        summary.created = len(result.created_ids)
        summary.updated = len(result.updated_ids)
        summary.unchanged = len(records) - summary.created - summary.updated
        summary.changed_measurement_ids = result.changed_ids
        summary.snapshot_id = snapshot.pk
        summary.as_of = default_as_of.isoformat()
        Snapshot.objects.filter(pk=snapshot.pk).update(
            rows_parsed=summary.rows,
            rows_created=summary.created,
            rows_updated=summary.updated,
            rows_unchanged=summary.unchanged,
            unresolved_names=summary.unresolved,
            changed_measurement_ids=summary.changed_measurement_ids,
        )
        LeaderboardSource.objects.filter(pk=source.pk).update(
            last_error="", last_fetched_at=fetched_at, last_success_at=fetched_at
        )
        # Rows this snapshot created or changed are the ones it wrote; only the claims that
        # can use them are recomputed, once the import has committed.
        summary.claims_to_recompute = len(
            gap_recompute_schedule(
                claim_ids=claims_affected_by(
                    measurements=Measurement.objects.filter(snapshot_id=snapshot.pk)
                )
            )
        )
    say(
        f"{source.slug}: {summary.created:,} created, {summary.updated:,} updated, "
        f"{summary.unchanged:,} unchanged, {len(summary.unresolved):,} unresolved names"
    )
    return summary
