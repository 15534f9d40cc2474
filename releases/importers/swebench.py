"""SWE-bench leaderboards (SWE-bench/swe-bench.github.io `data/leaderboards.json`), all splits.

`{"leaderboards": [{"name": <split>, "results": [...]}]}`. A result is a *system* (an agent
scaffold around one or more models) with `resolved` in percent. The model id lives in the tags
("Model: llama-4-maverick-instruct"); `name` is the system's display name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    RowSchema,
    parse_date,
    parse_score,
)
from releases.importers.readers import read_json

# Leaderboard name in the file -> benchmark slug. A new split is a ParseError rather than rows
# silently dropped or filed under the wrong benchmark: it needs a Benchmark first.
SPLITS = {
    "Verified": "swe-bench-verified",
    "Lite": "swe-bench-lite",
    "bash-only": "swe-bench-bash-only",
    "Test": "swe-bench-test",
    "Multimodal": "swe-bench-multimodal",
}

# Rows with this key were run with mini-SWE-agent (all of bash-only, some of Verified); bash-only
# rows are named after the model alone, so the agent is taken from the key, not the name.
MINI_SWE_AGENT_KEY = "mini-swe-agent_version"
MINI_SWE_AGENT = "mini-SWE-agent"

# Copied as given (string, list, null or false: the file mixes them); nulls are dropped.
PASS_THROUGH_KEYS = ("folder", "site", "logs", "trajs", "trajs_docent", "checked", "warning")
COST_KEYS = ("cost", "instance_cost", "instance_calls")


class SWEBenchImporter(Importer):
    slug = "swebench"
    bundled_files = ("swebench/leaderboards.json",)
    # Every result in the file is dated; `resolved` is a percentage of the split's instances.
    row_schema = RowSchema(
        require_as_of=True, value_ranges=dict.fromkeys(SPLITS.values(), (0.0, 100.0))
    )

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        rows: list[ParsedRow] = []
        for split, results in _leaderboards(raw, file_name):
            benchmark = SPLITS.get(split)
            if benchmark is None:
                raise ParseError(
                    f"unknown leaderboard {split!r}; known: {', '.join(SPLITS)}",
                    file_name=file_name,
                    field="name",
                )
            for index, result in enumerate(results, start=1):
                row = _row(result, benchmark, f"{split} #{index}", file_name)
                if row is not None:
                    rows.append(row)
        return ParseResult(rows)


def _leaderboards(raw: bytes, file_name: str | None) -> list[tuple[str, list[Any]]]:
    data = read_json(raw, file_name=file_name)
    boards = data.get("leaderboards") if isinstance(data, Mapping) else None
    if not isinstance(boards, list):
        raise ParseError(
            'unknown shape: expected {"leaderboards": [{"name", "results"}]}', file_name=file_name
        )
    parsed = []
    for index, board in enumerate(boards, start=1):
        if not isinstance(board, Mapping) or not isinstance(board.get("results"), list):
            raise ParseError(
                "expected a leaderboard with a results list",
                file_name=file_name,
                row=f"leaderboard #{index}",
                field="results",
            )
        if not isinstance(board.get("name"), str):
            raise ParseError(
                "missing key", file_name=file_name, row=f"leaderboard #{index}", field="name"
            )
        parsed.append((board["name"], board["results"]))
    return parsed


def _row(result: Any, benchmark: str, where: str, file_name: str | None) -> ParsedRow | None:
    if not isinstance(result, Mapping):
        raise ParseError("expected an object", file_name=file_name, row=where)
    if "name" not in result:
        raise ParseError("missing key", file_name=file_name, row=where, field="name")
    if not isinstance(result["name"], str):
        raise ParseError(
            f"expected text, got {type(result['name']).__name__}",
            file_name=file_name,
            row=where,
            field="name",
        )
    name = result["name"].strip()
    where = f"{where} ({name})"
    if "resolved" not in result:
        raise ParseError("missing key", file_name=file_name, row=where, field="resolved")
    score = parse_score(result["resolved"], file_name=file_name, row=where, field="resolved")
    if score is None:
        return None
    tags = _tags(result.get("tags"), file_name, where)
    models = tags.get("Model", [])
    return ParsedRow(
        # A system built on several models is named after all of them: attributing its score to
        # any one of them would be a guess, and a joined name will not resolve to one variant.
        raw_model_name=" + ".join(models) if models else name,
        benchmark=benchmark,
        value=score,
        as_of=parse_date(result.get("date"), file_name=file_name, row=where),
        conditions=_conditions(result, name, tags),
        metadata=_metadata(result, name, tags),
        row=where,
    )


def _tags(value: Any, file_name: str | None, where: str) -> dict[str, list[str]]:
    """`["Model: x", "Org: Meta", "Org: SWE-agent"]` -> {"Model": ["x"], "Org": ["Meta", ...]}."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise ParseError("expected a list of tags", file_name=file_name, row=where, field="tags")
    tags: dict[str, list[str]] = {}
    for tag in value:
        if not isinstance(tag, str):
            raise ParseError(
                f"expected text tags, got {type(tag).__name__}",
                file_name=file_name,
                row=where,
                field="tags",
            )
        key, sep, text = tag.partition(":")
        if sep and text.strip():
            tags.setdefault(key.strip(), []).append(text.strip())
    return tags


def _conditions(result: Mapping[str, Any], name: str, tags: dict[str, list[str]]) -> dict[str, Any]:
    # Different systems on one model are different measurements, and so are one system's
    # single-attempt and multi-attempt runs (EntroPO + R2E is listed both ways on one date).
    # The system is the row's display name, except for mini-SWE-agent rows: bash-only names them
    # after the model alone, and one agent should read the same in bash-only and Verified.
    system = MINI_SWE_AGENT if result.get(MINI_SWE_AGENT_KEY) is not None else name
    conditions: dict[str, Any] = {"system": system}
    attempts = _attempts(tags)
    if attempts:
        conditions["attempts"] = attempts
    return conditions


def agent_name(result: Mapping[str, Any], name: str) -> str | None:
    """The scaffold, for display: mini-SWE-agent rows carry their version; other names read
    "<agent> + <model>", so the agent is what comes before the last " + ". Not used in keys."""
    if result.get(MINI_SWE_AGENT_KEY) is not None:
        return MINI_SWE_AGENT
    if " + " in name:
        return name.rsplit(" + ", 1)[0].strip()
    return None


def _attempts(tags: dict[str, list[str]]) -> str | None:
    # "System: Attempts - 1" / "System: Attempts - 2+".
    for system in tags.get("System", []):
        label, sep, count = system.partition("-")
        if sep and label.strip().lower() == "attempts":
            return count.strip()
    return None


def _metadata(result: Mapping[str, Any], name: str, tags: dict[str, list[str]]) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    agent = agent_name(result, name)
    if agent:
        metadata["agent"] = agent
    if tags.get("Model"):
        metadata["models"] = tags["Model"]
    if tags.get("Org"):
        metadata["orgs"] = tags["Org"]
    if tags.get("System"):
        metadata["system_tags"] = tags["System"]
    for key in (MINI_SWE_AGENT_KEY, *COST_KEYS, *PASS_THROUGH_KEYS):
        if result.get(key) is not None:
            metadata[key] = result[key]
    return metadata
