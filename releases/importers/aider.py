"""Aider's coding leaderboards (Aider-AI/aider `aider/website/_data/*_leaderboard.yml`).

A YAML list with one mapping per benchmark run: `pass_rate_2` (percent, the headline score),
`edit_format`, `date`, and the provider route hidden in `command`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import yaml

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    RowSchema,
    is_absent,
    parse_date,
    parse_score,
)
from releases.importers.readers import SafeYamlLoader, read_yaml

# Keys whose scalar text must stay text. A commit hash made only of digits ("0282574") would
# otherwise load as the int 282574 and lose its leading zero.
STRING_KEYS = frozenset({"commit_hash", "versions", "dirname"})

# `aider --model <route>`, also after environment assignments, never `--editor-model`.
_MODEL_ROUTE = re.compile(r"(?:^|\s)--model[=\s]+(\S+)")

# Copied into metadata as given when present (never defaulted).
METADATA_KEYS = (
    "pass_rate_1",
    "total_cost",
    "reasoning_effort",
    "thinking_tokens",
    "editor_model",
    "editor_edit_format",
    "test_cases",
    "total_tests",
    "percent_cases_well_formed",
    "commit_hash",
    "versions",
    "dirname",
    "command",
    "released",
    "_released",
)


class _StringKeysLoader(SafeYamlLoader):
    """The safe loader (no objects, no aliases) reading the values of STRING_KEYS as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value in STRING_KEYS
                and isinstance(value_node, yaml.ScalarNode)
            ):
                value_node.tag = "tag:yaml.org,2002:str"
        return super().construct_mapping(node, deep=deep)


class AiderPolyglotImporter(Importer):
    slug = "aider-polyglot"
    bundled_files = ("aider/polyglot_leaderboard.yml",)
    # Every run in Aider's files is dated: a run without a date is a cut-short file (the last
    # entry of a truncated file), never a run of today.
    row_schema = RowSchema(
        require_as_of=True,
        value_ranges={"aider-polyglot": (0.0, 100.0), "aider-edit": (0.0, 100.0)},
    )

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        entries = _load(raw, file_name)
        rows = [self._row(entry, index, file_name) for index, entry in enumerate(entries, start=1)]
        return ParseResult(row for row in rows if row is not None)

    def _row(self, entry: Any, index: int, file_name: str | None) -> ParsedRow | None:
        if not isinstance(entry, Mapping):
            raise ParseError("expected a mapping", file_name=file_name, row=index)
        for key in ("model", "pass_rate_2", "edit_format"):
            if key not in entry:
                raise ParseError("missing key", file_name=file_name, row=index, field=key)
        score = parse_score(
            entry["pass_rate_2"], file_name=file_name, row=index, field="pass_rate_2"
        )
        if score is None:
            return None
        model = entry["model"]
        return ParsedRow(
            # Anything but text (a number, a mapping, a `!!set`) is left as it is, for the row
            # schema to reject with the row and field named, never turned into "{'a': 1}".
            raw_model_name=model.strip() if isinstance(model, str) else model,
            benchmark=self.slug,
            value=score,
            as_of=parse_date(entry.get("date"), file_name=file_name, row=index),
            # One model is run once per edit format: the format is part of what was measured.
            conditions={"edit_format": entry["edit_format"]},
            sample_size=_sample_size(entry.get("test_cases")),
            metadata=_metadata(entry),
            row=index,
        )


class AiderEditImporter(AiderPolyglotImporter):
    """The older 133-exercise Python "code editing" benchmark; same shape as polyglot."""

    slug = "aider-edit"
    bundled_files = ("aider/edit_leaderboard.yml",)


def _load(raw: bytes, file_name: str | None) -> list[Any]:
    entries = read_yaml(raw, file_name=file_name, loader=_StringKeysLoader)
    if not isinstance(entries, list):
        raise ParseError("unknown shape: expected a YAML list of runs", file_name=file_name)
    return entries


def _sample_size(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def model_route(command: str | None) -> str | None:
    """The `--model` argument of an aider command line, e.g. "nvidia_nim/meta/llama-4-...".

    None for commands without one ("aider --opus", "(via glhf.chat)")."""
    if not command:
        return None
    match = _MODEL_ROUTE.search(command)
    return match.group(1) if match else None


def _metadata(entry: Mapping[str, Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for key in METADATA_KEYS:
        value = entry.get(key)
        # Absent and null are "not reported": never stored as 0 (a missing cost is not free).
        if is_absent(value):
            continue
        metadata[key] = value.isoformat() if isinstance(value, dt.date) else value
    command = entry.get("command")
    route = model_route(command) if isinstance(command, str) else None
    if route:
        metadata["model_route"] = route
    return metadata
