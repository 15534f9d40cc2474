"""LiveCodeBench per-problem results (LiveCodeBench/livecodebench.github.io
`src/mocks/performances_generation.json`).

Shape: `{performances: [{question_id, model, date, difficulty, pass@1, platform}], models:
[{model_name, model_repr, model_style, release_date, link}], date_marks}`. `date` is the
problem's release (milliseconds since the epoch, UTC), `pass@1` a percent per problem, and
`performances[].model` holds the model's `model_repr` ("DeepSeek-V3"). There is no aggregate:
vendors quote LiveCodeBench over a window of problem dates, so the figure for a claim is the mean
pass@1 over the problems in the claim's own window (`releases.scoring.windows`).

To compute that mean exactly for any window, the rows keep every problem: one row per model and
problem release time, `value` the mean pass@1 of the problems released at that instant,
`sample_size` their number and the question ids in metadata, with the release time as the
condition `problem_date`. A window either contains all the problems of one release time or none,
so the count-weighted mean of the rows in a window is the mean over its problems. `release_date`
is a placeholder for many models and is not used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    parse_score,
)

BENCHMARK = "livecodebench"
# The condition that places a row in time; `releases.scoring.windows` reads it.
PROBLEM_DATE = "problem_date"
PERFORMANCE_KEYS = ("question_id", "model", "date", "pass@1")


@dataclass
class _Release:
    """The problems of one model released at one instant."""

    question_ids: list[str] = field(default_factory=list)
    total: float = 0.0
    difficulties: dict[str, int] = field(default_factory=dict)
    platforms: set[str] = field(default_factory=set)


class LiveCodeBenchImporter(Importer):
    slug = "livecodebench"
    bundled_files = ("livecodebench/performances_generation.json",)

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParseError(f"not JSON: {exc}", file_name=file_name) from None
        if not isinstance(data, Mapping) or not isinstance(data.get("performances"), list):
            raise ParseError(
                "unknown shape: expected {performances: [...], models: [...]}", file_name=file_name
            )
        models = _models(data.get("models"), file_name)
        result = ParseResult()
        releases: dict[tuple[str, int], _Release] = {}
        seen: set[tuple[str, str]] = set()
        for index, entry in enumerate(data["performances"], start=1):
            row = f"performances[{index - 1}]"
            if not isinstance(entry, Mapping):
                raise ParseError("expected an object", file_name=file_name, row=row)
            for key in PERFORMANCE_KEYS:
                if key not in entry:
                    raise ParseError("missing key", file_name=file_name, row=row, field=key)
            model, question = str(entry["model"]).strip(), str(entry["question_id"]).strip()
            if (model, question) in seen:
                # A second result for the same problem would count it twice in every window.
                result.skipped.append(
                    SkippedRow(
                        f"a second result for {question} of {model}", file_name=file_name, row=row
                    )
                )
                continue
            seen.add((model, question))
            score = parse_score(entry["pass@1"], file_name=file_name, row=row, field="pass@1")
            if score is None:
                result.skipped.append(SkippedRow("no pass@1", file_name=file_name, row=row))
                continue
            if not 0 <= score <= 100:
                raise ParseError(
                    f"pass@1 {score} outside 0-100", file_name=file_name, row=row, field="pass@1"
                )
            released = entry["date"]
            if isinstance(released, bool) or not isinstance(released, int | float):
                raise ParseError(
                    f"not a timestamp: {released!r}", file_name=file_name, row=row, field="date"
                )
            bucket = releases.setdefault((model, int(released)), _Release())
            bucket.question_ids.append(question)
            bucket.total += score
            difficulty = str(entry.get("difficulty") or "unknown")
            bucket.difficulties[difficulty] = bucket.difficulties.get(difficulty, 0) + 1
            if entry.get("platform"):
                bucket.platforms.add(str(entry["platform"]))
        for (model, released), bucket in sorted(releases.items()):
            count = len(bucket.question_ids)
            result.append(
                ParsedRow(
                    raw_model_name=model,
                    benchmark=BENCHMARK,
                    value=bucket.total / count,
                    conditions={PROBLEM_DATE: problem_date(released)},
                    sample_size=count,
                    metadata={
                        "question_ids": sorted(bucket.question_ids),
                        "pass_at_1_sum": bucket.total,
                        "difficulties": dict(sorted(bucket.difficulties.items())),
                        "platforms": sorted(bucket.platforms),
                        **models.get(model, {}),
                    },
                )
            )
        return result


def problem_date(milliseconds: int) -> str:
    """A release time as ISO 8601 UTC text: 1692662400000 -> "2023-08-22T00:00:00Z"."""
    moment = dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _models(models: Any, file_name: str | None) -> dict[str, dict[str, Any]]:
    """model_repr -> what the file says about the model (its API name, style, link)."""
    if models is None:
        return {}
    if not isinstance(models, list):
        raise ParseError("expected a list", file_name=file_name, field="models")
    described = {}
    for model in models:
        if isinstance(model, Mapping) and model.get("model_repr"):
            described[str(model["model_repr"]).strip()] = {
                key: model[key] for key in ("model_name", "model_style", "link") if model.get(key)
            }
    return described
