"""Write a snapshot's measurements in one SQL statement, whatever the number of rows.

Each row is upserted on the natural key (source, raw model name, benchmark, conditions, as-of).
A row whose stored values already equal the incoming ones is left alone (not even its snapshot or
updated_at changes), so re-importing a file changes nothing, and the statement returns only the
rows it created or changed. One statement per import keeps the query count independent of the
row count and lets the database do the work in bulk: PostgreSQL reads the rows with
`json_to_recordset` (plain json, whose 1 GB limit is far above jsonb's 256 MB per array: a
million-row file fits), SQLite with `json_each`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

_TABLE = "releases_measurement"

# Columns an import may change on an existing row. `variant_id` keeps an existing attachment when
# the incoming row resolves to nothing (an alias removed after the fact must not detach data).
_VALUE_COLUMNS = (
    "value",
    "ci_low",
    "ci_high",
    "std_error",
    "sample_size",
    "evaluator",
    "metadata",
    "as_of_known",
)


@dataclass(frozen=True, slots=True)
class MeasurementRecord:
    """One row ready to write: ids resolved, conditions keyed, values in the benchmark's unit."""

    benchmark_id: int
    raw_model_name: str
    variant_id: int | None
    value: float
    ci_low: float | None
    ci_high: float | None
    std_error: float | None
    sample_size: int | None
    conditions: dict[str, Any]
    conditions_key: str
    as_of: dt.date
    evaluator: str
    metadata: dict[str, Any]
    as_of_known: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "benchmark_id": self.benchmark_id,
            "raw_model_name": self.raw_model_name,
            "variant_id": self.variant_id,
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "std_error": self.std_error,
            "sample_size": self.sample_size,
            "conditions": self.conditions,
            "conditions_key": self.conditions_key,
            "as_of": self.as_of.isoformat(),
            "evaluator": self.evaluator,
            "metadata": self.metadata,
            "as_of_known": self.as_of_known,
        }


@dataclass
class UpsertResult:
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)

    @property
    def changed_ids(self) -> list[int]:
        return sorted(self.created_ids + self.updated_ids)


def _postgresql_statement() -> str:
    changed = (
        " OR ".join(f"{_TABLE}.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in _VALUE_COLUMNS)
        + f" OR (EXCLUDED.variant_id IS NOT NULL AND {_TABLE}.variant_id IS DISTINCT FROM EXCLUDED.variant_id)"
    )
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _VALUE_COLUMNS)
    return f"""
INSERT INTO {_TABLE} (source_id, snapshot_id, benchmark_id, raw_model_name, variant_id, value,
    ci_low, ci_high, std_error, sample_size, conditions, conditions_key, as_of, evaluator,
    metadata, as_of_known, created_at, updated_at)
SELECT %(source_id)s, %(snapshot_id)s, r.benchmark_id, r.raw_model_name, r.variant_id, r.value,
    r.ci_low, r.ci_high, r.std_error, r.sample_size, r.conditions, r.conditions_key, r.as_of,
    r.evaluator, r.metadata, r.as_of_known, %(now)s, %(now)s
FROM json_to_recordset(%(rows)s::json) AS r(benchmark_id bigint, raw_model_name text,
    variant_id bigint, value double precision, ci_low double precision, ci_high double precision,
    std_error double precision, sample_size integer, conditions jsonb, conditions_key text,
    as_of date, evaluator text, metadata jsonb, as_of_known boolean)
ON CONFLICT (source_id, raw_model_name, benchmark_id, conditions_key, as_of) DO UPDATE SET
    {updates},
    variant_id = COALESCE(EXCLUDED.variant_id, {_TABLE}.variant_id),
    snapshot_id = EXCLUDED.snapshot_id,
    updated_at = EXCLUDED.updated_at
WHERE {changed}
RETURNING id, created_at = %(now)s AS inserted
"""


def _sqlite_statement() -> str:
    def field_(name: str) -> str:
        return f"json_extract(j.value, '$.{name}')"

    def json_field(name: str) -> str:
        # json_extract returns objects as text already; keep them as stored JSON text.
        return f"json(json_extract(j.value, '$.{name}'))"

    changed = " OR ".join(f"{_TABLE}.{c} IS NOT excluded.{c}" for c in _VALUE_COLUMNS) + (
        f" OR (excluded.variant_id IS NOT NULL AND {_TABLE}.variant_id IS NOT excluded.variant_id)"
    )
    updates = ", ".join(f"{c} = excluded.{c}" for c in _VALUE_COLUMNS)
    return f"""
INSERT INTO {_TABLE} (source_id, snapshot_id, benchmark_id, raw_model_name, variant_id, value,
    ci_low, ci_high, std_error, sample_size, conditions, conditions_key, as_of, evaluator,
    metadata, as_of_known, created_at, updated_at)
SELECT %s, %s, {field_("benchmark_id")}, {field_("raw_model_name")}, {field_("variant_id")},
    {field_("value")}, {field_("ci_low")}, {field_("ci_high")}, {field_("std_error")},
    {field_("sample_size")}, {json_field("conditions")}, {field_("conditions_key")},
    {field_("as_of")}, {field_("evaluator")}, {json_field("metadata")},
    {field_("as_of_known")}, %s, %s
FROM json_each(%s) AS j WHERE true
ON CONFLICT (source_id, raw_model_name, benchmark_id, conditions_key, as_of) DO UPDATE SET
    {updates},
    variant_id = COALESCE(excluded.variant_id, {_TABLE}.variant_id),
    snapshot_id = excluded.snapshot_id,
    updated_at = excluded.updated_at
WHERE {changed}
RETURNING id, created_at = %s
"""


def measurements_upsert(
    *, source_id: int, snapshot_id: int, records: list[MeasurementRecord], now: dt.datetime
) -> UpsertResult:
    """Insert new rows, update rows whose values changed, leave the rest. One statement."""
    result = UpsertResult()
    if not records:
        return result
    # Stable JSON (sorted keys) so that equal metadata compares equal on SQLite's text JSON.
    # Encoded record by record: a list of 100,000 dicts first would double the peak memory.
    payload = (
        "["
        + ",".join(json.dumps(r.as_json(), sort_keys=True, ensure_ascii=False) for r in records)
        + "]"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _postgresql_statement(),
                {"source_id": source_id, "snapshot_id": snapshot_id, "now": now, "rows": payload},
            )
        elif connection.vendor == "sqlite":
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.execute(
                _sqlite_statement(), [source_id, snapshot_id, stamp, stamp, payload, stamp]
            )
        else:  # pragma: no cover - the project supports these two
            raise NotImplementedError(f"measurement upsert is not written for {connection.vendor}")
        for measurement_id, inserted in cursor.fetchall():
            (result.created_ids if inserted else result.updated_ids).append(measurement_id)
    return result
