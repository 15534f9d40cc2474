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

# Every column an import writes, named once: the INSERT list, the row payload's fields and their
# PostgreSQL types (for json_to_recordset) are all generated from this. (column, SQL type, where
# its value comes from: "row" = the MeasurementRecord, "json" = a JSON object of the record,
# "statement" = one value for the whole statement.)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("source_id", "bigint", "statement"),
    ("snapshot_id", "bigint", "statement"),
    ("benchmark_id", "bigint", "row"),
    ("raw_model_name", "text", "row"),
    ("variant_id", "bigint", "row"),
    ("value", "double precision", "row"),
    ("ci_low", "double precision", "row"),
    ("ci_high", "double precision", "row"),
    ("std_error", "double precision", "row"),
    ("sample_size", "integer", "row"),
    ("conditions", "jsonb", "json"),
    ("conditions_key", "text", "row"),
    ("as_of", "date", "row"),
    ("evaluator", "text", "row"),
    ("metadata", "jsonb", "json"),
    ("as_of_known", "boolean", "row"),
    ("created_at", "timestamptz", "statement"),
    ("updated_at", "timestamptz", "statement"),
)
_NATURAL_KEY = "(source_id, raw_model_name, benchmark_id, conditions_key, as_of)"
_ROW_COLUMNS = tuple(name for name, _, origin in COLUMNS if origin != "statement")

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
        row = {name: getattr(self, name) for name in _ROW_COLUMNS}
        row["as_of"] = self.as_of.isoformat()
        return row


@dataclass
class UpsertResult:
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)

    @property
    def changed_ids(self) -> list[int]:
        return sorted(self.created_ids + self.updated_ids)


def _statement(*, vendor: str) -> str:
    """The upsert for `vendor`: PostgreSQL reads the rows with json_to_recordset (named
    parameters), SQLite with json_each (positional: source, snapshot, now, now, rows, now)."""
    if vendor == "postgresql":
        statement_values = {
            "source_id": "%(source_id)s",
            "snapshot_id": "%(snapshot_id)s",
            "created_at": "%(now)s",
            "updated_at": "%(now)s",
        }

        def row_value(name: str, origin: str) -> str:
            return f"r.{name}"

        recordset = ", ".join(
            f"{name} {sql_type}" for name, sql_type, origin in COLUMNS if origin != "statement"
        )
        source = f"json_to_recordset(%(rows)s::json) AS r({recordset})"
        excluded, distinct, returning_now = "EXCLUDED", "IS DISTINCT FROM", "%(now)s"
    elif vendor == "sqlite":
        statement_values = {
            "source_id": "%s",
            "snapshot_id": "%s",
            "created_at": "%s",
            "updated_at": "%s",
        }

        def row_value(name: str, origin: str) -> str:
            extracted = f"json_extract(j.value, '$.{name}')"
            # json_extract returns objects as text already; keep them as stored JSON text.
            return f"json({extracted})" if origin == "json" else extracted

        source = "json_each(%s) AS j WHERE true"
        excluded, distinct, returning_now = "excluded", "IS NOT", "%s"
    else:  # pragma: no cover - the project supports these two
        raise NotImplementedError(f"measurement upsert is not written for {vendor}")
    names = ", ".join(name for name, _, _ in COLUMNS)
    values = ", ".join(
        statement_values[name] if origin == "statement" else row_value(name, origin)
        for name, _, origin in COLUMNS
    )
    changed = " OR ".join(f"{_TABLE}.{c} {distinct} {excluded}.{c}" for c in _VALUE_COLUMNS) + (
        f" OR ({excluded}.variant_id IS NOT NULL AND "
        f"{_TABLE}.variant_id {distinct} {excluded}.variant_id)"
    )
    updates = ", ".join(f"{c} = {excluded}.{c}" for c in _VALUE_COLUMNS)
    return f"""
INSERT INTO {_TABLE} ({names})
SELECT {values}
FROM {source}
ON CONFLICT {_NATURAL_KEY} DO UPDATE SET
    {updates},
    variant_id = COALESCE({excluded}.variant_id, {_TABLE}.variant_id),
    snapshot_id = {excluded}.snapshot_id,
    updated_at = {excluded}.updated_at
WHERE {changed}
RETURNING id, created_at = {returning_now} AS inserted
"""


def statement_columns(*, vendor: str) -> list[str]:
    """The columns the upsert for `vendor` inserts, read back from its SQL (for the test that
    they are exactly the model's)."""
    statement = _statement(vendor=vendor)
    inserted = statement.split("INSERT INTO", 1)[1].split("(", 1)[1].split(")", 1)[0]
    return [name.strip() for name in inserted.split(",")]


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
                _statement(vendor="postgresql"),
                {"source_id": source_id, "snapshot_id": snapshot_id, "now": now, "rows": payload},
            )
        elif connection.vendor == "sqlite":
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.execute(
                _statement(vendor="sqlite"), [source_id, snapshot_id, stamp, stamp, payload, stamp]
            )
        else:  # pragma: no cover - the project supports these two
            raise NotImplementedError(f"measurement upsert is not written for {connection.vendor}")
        for measurement_id, inserted in cursor.fetchall():
            (result.created_ids if inserted else result.updated_ids).append(measurement_id)
    return result
