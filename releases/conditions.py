"""Conditions under which a figure was obtained (shots, chain of thought, pass@k, tools...).

Claims and measurements keep their conditions as a small JSON object. Comparing and keying them
needs one canonical form: keys lower-cased and sorted, string values stripped, empty values
dropped. `conditions_key` is that form as a compact string, stored beside the JSON so that the
database can enforce "one measurement per (source, raw name, benchmark, conditions, as-of)".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# Longest key we store; a conditions object that would not fit is a data error, not truncated.
CONDITIONS_KEY_MAX_LENGTH = 500


def canonical_conditions(conditions: Mapping[str, Any] | None) -> dict[str, Any]:
    """The conditions with keys normalised and empty values ("", None) removed."""
    if not conditions:
        return {}
    canonical: dict[str, Any] = {}
    for key, value in conditions.items():
        name = str(key).strip().lower()
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "" or not name:
            continue
        canonical[name] = value
    return dict(sorted(canonical.items()))


def conditions_key(conditions: Mapping[str, Any] | None) -> str:
    """A stable string for the conditions: equal conditions give equal keys, whatever the order."""
    key = json.dumps(
        canonical_conditions(conditions), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    if len(key) > CONDITIONS_KEY_MAX_LENGTH:
        raise ValueError(
            f"conditions are too long to key ({len(key)} > {CONDITIONS_KEY_MAX_LENGTH} characters)"
        )
    return key
