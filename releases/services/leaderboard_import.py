"""Import one body a leaderboard published: archive it, parse it, write its measurements.

`leaderboard_import()` is the single write path for measurements, used alike by the
`import_leaderboard` command (a file), the scheduled refresh (a fetched body) and `make run`
(every bundled snapshot). It is idempotent: a body identical to the latest successful snapshot
of the same file stops at its sha256, and rows are upserted on their natural key, so a re-run or
a redelivered task leaves the same data. Older bytes imported again are applied again (a repair
after a bad snapshot), and so is the same body with another explicit `as_of`.

Every failure, whatever raised it (the parser, the row schema, the database), ends as a failed
snapshot with its reason on the source's `last_error`, and earlier data untouched. A valid
snapshot that looks like an accident (it loses most of the previous snapshot's rows, or moves
many published verdicts at once) is held for an analyst's review instead of applied: the
thresholds are the HOLD_* constants below.
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
from releases.importers.base import ParsedRow, ParseError, SkippedRow, printable
from releases.importers.validation import (
    as_of_problem,
    benchmark_range,
    read_validated,
    split_in_range,
)
from releases.models import Benchmark, BenchmarkAlias, LeaderboardSource, Measurement, Snapshot
from releases.services.data_version import data_version_advance
from releases.services.gap_scores import claims_affected_by, gap_scores_recompute
from releases.services.measurement_upsert import MeasurementRecord, measurements_upsert
from releases.services.name_resolution import alias_candidates_propose, variant_ids_for_names
from releases.services.triggers import gap_recompute_schedule

Progress = Callable[[str], None]

# A snapshot with fewer than this share of the rows of the previous snapshot of the same file
# (and a date not older than it) is held: a file that lost most of its rows has changed shape or
# been cut short, and applying it would leave its models' older figures standing as "latest".
HOLD_WHEN_ROWS_BELOW_SHARE = 0.5
# ... but only when the previous snapshot had at least this many rows (tiny files vary a lot).
HOLD_MIN_PREVIOUS_ROWS = 20
# A snapshot that would change this many or more published verdicts at once is held: one
# source's new figures rarely move several verdicts, and a broken file moves many.
HOLD_WHEN_VERDICTS_MOVE = 3
# Skipped and rejected rows stored on the snapshot (all are counted) and printed.
STORED_SKIPPED_ROWS = 500
PRINTED_SKIPPED_ROWS = 20


class ImportFailed(Exception):
    """The body could not be imported. The failed snapshot (raw bytes, error) is kept; earlier
    measurements are untouched."""

    def __init__(self, message: str, *, snapshot_id: int | None) -> None:
        super().__init__(message)
        self.snapshot_id = snapshot_id


class _Held(Exception):
    """Raised inside the write transaction to roll it back: the snapshot is held for review."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    skipped: list[dict[str, Any]] = field(default_factory=list)
    rows_skipped: int = 0
    held_reason: str = ""

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


def _skipped_json(skipped: list[SkippedRow]) -> list[dict[str, Any]]:
    return [row.as_json() for row in skipped[:STORED_SKIPPED_ROWS]]


def _rows_lost_reason(
    *, source: LeaderboardSource, file_name: str, as_of: dt.date, rows: int
) -> str:
    """Why this snapshot is held for losing rows, or "" when it is not."""
    previous = (
        Snapshot.objects.filter(
            source=source,
            file_name=file_name,
            status=Snapshot.Status.IMPORTED,
            as_of__lte=as_of,
        )
        .defer("raw")
        .order_by("-as_of", "-fetched_at")
        .first()
    )
    if previous is None or previous.rows_parsed < HOLD_MIN_PREVIOUS_ROWS:
        return ""
    if rows >= HOLD_WHEN_ROWS_BELOW_SHARE * previous.rows_parsed:
        return ""
    return (
        f"{rows:,} valid rows against {previous.rows_parsed:,} in snapshot {previous.pk}: fewer "
        f"than {HOLD_WHEN_ROWS_BELOW_SHARE:.0%} of them"
    )


def _verdicts_moved_reason(*, snapshot_id: int) -> str:
    """Why this (written, not yet committed) snapshot is held for the verdicts it moves."""
    affected = claims_affected_by(measurements=Measurement.objects.filter(snapshot_id=snapshot_id))
    if len(affected) < HOLD_WHEN_VERDICTS_MOVE:
        return ""
    preview = gap_scores_recompute(claim_ids=affected, dry_run=True)
    moved = preview.moved_claim_ids
    if len(moved) < HOLD_WHEN_VERDICTS_MOVE:
        return ""
    shown = ", ".join(map(str, moved[:20])) + (", ..." if len(moved) > 20 else "")
    return (
        f"it would change {len(moved)} published verdicts at once (claims {shown}); "
        f"the limit is {HOLD_WHEN_VERDICTS_MOVE - 1}"
    )


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
    hold_for_review: bool = True,
) -> ImportSummary:
    """Archive and import one body of a source. Raises ImportFailed on unreadable input.

    `hold_for_review=False` applies a snapshot the HOLD_* rules would hold: what an analyst's
    "apply" does (`snapshot_held_apply`)."""
    say = progress or (lambda message: None)
    source = LeaderboardSource.objects.get(pk=source_id)
    fetched_at = fetched_at or timezone.now()
    sha256 = hashlib.sha256(raw).hexdigest()
    summary = ImportSummary(source=source.slug, sha256=sha256, status="imported")

    # The same bytes as the latest successful snapshot of this file: nothing can have changed.
    # Only the latest: bytes of an older snapshot imported again are a repair and re-applied,
    # and an explicit as_of other than the one used is honoured.
    latest = (
        Snapshot.objects.filter(
            source=source,
            file_name=file_name,
            status__in=[Snapshot.Status.IMPORTED, Snapshot.Status.HELD],
        )
        .defer("raw")
        .order_by("-fetched_at", "-pk")
        .first()
    )
    repeat = latest is not None and latest.sha256 == sha256 and as_of in (None, latest.as_of)
    if repeat and latest is not None and latest.status == Snapshot.Status.HELD and hold_for_review:
        # The same bytes as a snapshot still waiting for review: it stays the one to review.
        summary.status, summary.held_reason = "held", latest.held_reason
        summary.snapshot_id = latest.pk
        say(f"{source.slug}: identical to snapshot {latest.pk}, held for review")
        return summary
    if repeat and latest is not None and latest.status == Snapshot.Status.IMPORTED:
        LeaderboardSource.objects.filter(pk=source.pk).update(last_fetched_at=fetched_at)
        summary.status = "unchanged"
        summary.rows = summary.unchanged = latest.rows_parsed
        summary.snapshot_id = latest.pk
        summary.as_of = latest.as_of.isoformat() if latest.as_of else None
        say(f"{source.slug}: identical to snapshot {latest.pk}; nothing to do")
        return summary

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
        "as_of": None,
    }

    def fail(error: str) -> ImportFailed:
        error = printable(error)
        failed = _record_failure(source=source, snapshot_fields=snapshot_fields, error=error)
        say(f"{source.slug}: failed: {error}")
        return ImportFailed(error, snapshot_id=failed.pk)

    importer = get_importer(source.importer)
    if importer.reads_benchmark_aliases:
        importer.benchmark_aliases = benchmark_aliases_by_name()
    try:
        default_as_of = as_of or importer.as_of_from_file_name(file_name) or fetched_at.date()
    except ValueError as exc:
        raise fail(f"the file name gives no date: {exc}") from exc
    if problem := as_of_problem(default_as_of, today=timezone.localdate()):
        raise fail(f"as-of {problem}")
    snapshot_fields["as_of"] = default_as_of

    say(f"{source.slug}: parsing {len(raw):,} bytes")
    try:
        parsed = read_validated(
            importer, raw, file_name=file_name or None, today=timezone.localdate()
        )
        slugs = {row.benchmark for row in parsed}
        found = Benchmark.objects.filter(slug__in=slugs).values_list(
            "slug", "id", "unit", "min_value", "max_value"
        )
        benchmarks = {slug: pk for slug, pk, _, _, _ in found}
        ranges = {slug: benchmark_range(unit, low, high) for slug, _, unit, low, high in found}
        if missing := sorted(slugs - set(benchmarks)):
            raise ParseError(
                f"benchmark(s) not in the catalogue: {', '.join(missing)}", file_name=file_name
            )
        rows, out_of_range = split_in_range(parsed, ranges, file_name=file_name or None)
        skipped = [*parsed.skipped, *out_of_range]
    except ParseError as exc:
        raise fail(str(exc)) from exc
    except Exception as exc:
        # Not the parser's own error: a bug, or an input it did not foresee. Still a failed
        # snapshot with a reason an analyst can see, not a traceback and a healthy-looking source.
        raise fail(f"could not parse: {exc.__class__.__name__}: {exc}") from exc
    del parsed
    summary.skipped = _skipped_json(skipped)
    summary.rows_skipped = len(skipped)
    for row in skipped[:PRINTED_SKIPPED_ROWS]:
        say(f"{source.slug}: skipped {row}")
    if len(skipped) > PRINTED_SKIPPED_ROWS:
        say(f"{source.slug}: ... and {len(skipped) - PRINTED_SKIPPED_ROWS:,} more skipped rows")

    try:
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
        # The parsed rows are no longer needed; on a large file they are a good part of memory.
        del rows
        hold = (
            _rows_lost_reason(
                source=source, file_name=file_name, as_of=default_as_of, rows=len(records)
            )
            if hold_for_review
            else ""
        )
        if hold:
            raise _Held(hold)
        say(f"{source.slug}: writing {len(records):,} measurements of {len(names):,} models")
        with transaction.atomic():
            _write(
                source=source,
                snapshot_fields=snapshot_fields,
                records=records,
                names=names,
                variants=variants,
                summary=summary,
                hold_for_review=hold_for_review,
            )
    except _Held as held:
        snapshot = Snapshot.objects.create(
            source=source,
            status=Snapshot.Status.HELD,
            held_reason=held.reason,
            rows_skipped=summary.rows_skipped,
            skipped_rows=summary.skipped,
            **snapshot_fields,
        )
        LeaderboardSource.objects.filter(pk=source.pk).update(
            last_error=f"snapshot {snapshot.pk} held for review: {held.reason}",
            last_fetched_at=fetched_at,
        )
        summary.status = "held"
        summary.held_reason = held.reason
        summary.snapshot_id = snapshot.pk
        summary.as_of = default_as_of.isoformat()
        summary.created = summary.updated = summary.unchanged = 0
        summary.changed_measurement_ids = []
        summary.claims_to_recompute = 0
        say(f"{source.slug}: held for review (snapshot {snapshot.pk}): {held.reason}")
        return summary
    except Exception as exc:
        # The transaction rolled back: nothing of this snapshot was written.
        raise fail(f"could not write: {exc.__class__.__name__}: {exc}") from exc
    say(
        f"{source.slug}: {summary.created:,} created, {summary.updated:,} updated, "
        f"{summary.unchanged:,} unchanged, {len(summary.unresolved):,} unresolved names, "
        f"{summary.rows_skipped:,} skipped rows"
    )
    return summary


def _write(
    *,
    source: LeaderboardSource,
    snapshot_fields: dict[str, Any],
    records: list[MeasurementRecord],
    names: set[str],
    variants: dict[str, int],
    summary: ImportSummary,
    hold_for_review: bool,
) -> None:
    """The writes of one import; runs inside the caller's transaction. Raises _Held (rolling
    the transaction back) when the written snapshot would move too many verdicts."""
    fetched_at = snapshot_fields["fetched_at"]
    snapshot = Snapshot.objects.create(
        source=source, status=Snapshot.Status.IMPORTED, **snapshot_fields
    )
    result = measurements_upsert(
        source_id=source.pk, snapshot_id=snapshot.pk, records=records, now=timezone.now()
    )
    # The upsert is raw SQL, which no model signal sees.
    data_version_advance()
    if (
        hold_for_review
        and result.changed_ids
        and (reason := _verdicts_moved_reason(snapshot_id=snapshot.pk))
    ):
        raise _Held(reason)
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
    summary.as_of = snapshot_fields["as_of"].isoformat()
    Snapshot.objects.filter(pk=snapshot.pk).update(
        rows_parsed=summary.rows,
        rows_created=summary.created,
        rows_updated=summary.updated,
        rows_unchanged=summary.unchanged,
        unresolved_names=summary.unresolved,
        changed_measurement_ids=summary.changed_measurement_ids,
        rows_skipped=summary.rows_skipped,
        skipped_rows=summary.skipped,
    )
    LeaderboardSource.objects.filter(pk=source.pk).update(
        last_error="", last_fetched_at=fetched_at, last_success_at=fetched_at
    )
    # Rows this snapshot created or changed are the ones it wrote; only the claims that can use
    # them are recomputed, once the import has committed.
    summary.claims_to_recompute = len(
        gap_recompute_schedule(
            claim_ids=claims_affected_by(
                measurements=Measurement.objects.filter(snapshot_id=snapshot.pk)
            )
        )
    )


class NotHeld(ValueError):
    """The snapshot asked to be applied is not one held for review."""


def snapshot_held_apply(*, snapshot_id: int, progress: Progress | None = None) -> ImportSummary:
    """Apply a snapshot held for review, as an analyst's decision: its bytes are imported as a
    new snapshot without the HOLD_* rules, and the held one is marked applied."""
    held = Snapshot.objects.get(pk=snapshot_id)
    if held.status != Snapshot.Status.HELD:
        raise NotHeld(f"snapshot {held.pk} is {held.get_status_display().lower()}, not held")
    summary = leaderboard_import(
        source_id=held.source_id,
        raw=bytes(held.raw or b""),
        file_name=held.file_name,
        url=held.url,
        as_of=held.as_of,
        http_status=held.http_status,
        headers=held.headers,
        progress=progress,
        hold_for_review=False,
    )
    Snapshot.objects.filter(pk=held.pk).update(
        status=Snapshot.Status.APPLIED,
        held_reason=f"{held.held_reason} (applied as snapshot {summary.snapshot_id})",
    )
    return summary
