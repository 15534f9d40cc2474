"""CSV as a second format for the claims and measurements lists (`?format=csv` or
`Accept: text/csv`).

One row per item of the page, columns in the serializer's order, nested objects flattened to
dotted names (`current_score.verdict`), lists joined with ";". A cell that a spreadsheet would
read as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with a
quote, unless it is a plain number such as a negative gap.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework import renderers as rest_renderers
from rest_framework.renderers import BaseRenderer

from releases.csv_export import is_plain_number, neutralise


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        text = ";".join(
            json.dumps(item, sort_keys=True) if isinstance(item, dict) else str(item)
            for item in value
        )
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    else:
        text = str(value)
    # Columns carry no types here, so any cell that is a plain number stays one.
    return text if is_plain_number(text) else neutralise(text)


def flatten(item: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted columns; `conditions` and lists stay one cell each."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and key not in ("conditions", "metadata", "errors"):
            row.update(flatten(value, prefix=f"{name}."))
        else:
            row[name] = value
    return row


def csv_text(items: Iterable[Mapping[str, Any]]) -> str:
    rows = [flatten(item) for item in items]
    columns: list[str] = []
    for row in rows:
        columns.extend(name for name in row if name not in columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in columns])
    return out.getvalue()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if isinstance(data, Mapping) and "results" in data:
            items = data["results"]
        elif isinstance(data, Mapping):
            # One object, or an error body: one row either way.
            items = [data]
        else:
            items = data
        return csv_text(items).encode("utf-8")


class EncodedJSON(bytes):
    """A body already encoded as JSON (a claims or measurements page, assembled from the
    items' encodings)."""


class JSONRenderer(rest_renderers.JSONRenderer):
    """DRF's JSON renderer, passing an `EncodedJSON` body through as it is."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, EncodedJSON):
            return bytes(data)
        return super().render(data, accepted_media_type, renderer_context)
