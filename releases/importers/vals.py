"""Vals AI benchmark results, through a public scrape (dot-mike/vals-ai-scrape `data/scores.csv`).

CSV: `benchmark,benchmark_name,benchmark_updated,industry,task,task_name,model,rank,ranked,
accuracy,stderr,cost_per_test,latency,reasoning_effort`; accuracy and stderr in percent. Vals
runs the evaluations (the scrape's README says so); model ids carry the serving provider
(`fireworks/...`, `together/...`) and are kept as written, for aliases to resolve.

The bundled copy is an EXCERPT of that file (its header and 50 lines, in order). The live file
holds many more benchmarks: a (benchmark, task) this module does not map to the catalogue is
skipped and reported, never guessed. `mmmu` is such a case on purpose: its `benchmark_name` is
"MMMU Pro", so which of MMMU and MMMU-Pro it measures cannot be told from the file; it matches
neither until an analyst decides.

MGSM keeps every language: the `overall` task is MGSM as vendors quote it, each `mgsm_xx` task
the same benchmark in one language (condition `language`, a slice that never stands in for the
whole). `benchmark_updated` is the date Vals last updated the benchmark's results: the row's
as-of date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    is_absent,
    parse_date,
    parse_score,
)
from releases.importers.readers import read_csv

REQUIRED_COLUMNS = ("benchmark", "task", "model", "accuracy", "stderr", "benchmark_updated")
METADATA_COLUMNS = {
    "benchmark_name": "benchmark_name",
    "task_name": "task_name",
    "industry": "industry",
    "rank": "rank",
    "ranked": "ranked",
    "cost_per_test": "cost_per_test",
    "latency": "latency_seconds",
}
OVERALL_TASK = "overall"


@dataclass(frozen=True)
class Mapped:
    benchmark: str
    conditions: Mapping[str, Any]


# Vals benchmark -> how its tasks map to the catalogue.
UNDECIDED = {
    "mmmu": "Vals' 'mmmu' is titled \"MMMU Pro\": whether it is MMMU or MMMU-Pro cannot be told "
    "from the file, so it matches neither until an analyst decides"
}


def mapped(benchmark: str, task: str) -> Mapped | str:
    """The catalogue benchmark and conditions of a Vals (benchmark, task), or why there is none."""
    if benchmark in UNDECIDED:
        return UNDECIDED[benchmark]
    if benchmark == "mgsm":
        if task == OVERALL_TASK:
            return Mapped("mgsm", {})
        if task.startswith("mgsm_") and len(task) > len("mgsm_"):
            return Mapped("mgsm", {"language": task.removeprefix("mgsm_")})
    if benchmark == "aime" and task in ("aime_2024", "aime_2025"):
        # The two years are different question sets, each a benchmark of its own.
        return Mapped(task.replace("_", "-"), {})
    return f"no catalogue benchmark for Vals' {benchmark}/{task}"


class ValsImporter(Importer):
    slug = "vals"
    bundled_files = ("vals/scores_excerpt.csv",)

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        # The one CSV reader (caps on cells and rows, a clear error for bad bytes).
        header, records = read_csv(raw, file_name=file_name)
        for column in REQUIRED_COLUMNS:
            if column not in header:
                raise ParseError("missing column", file_name=file_name, row=1, field=column)
        result = ParseResult()
        for record in records:
            line = record.number + 1  # the header is line 1
            parsed = _row(dict(zip(header, record.cells, strict=False)), file_name, line)
            if isinstance(parsed, str):
                result.skipped.append(SkippedRow(parsed, file_name=file_name, row=line))
            else:
                result.append(parsed)
        return result


def _row(row: Mapping[str, str | None], file_name: str | None, line: int) -> ParsedRow | str:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    model = cell("model")
    if not model:
        return "no model id"
    target = mapped(cell("benchmark"), cell("task"))
    if isinstance(target, str):
        return target
    accuracy = parse_score(cell("accuracy"), file_name=file_name, row=line, field="accuracy")
    if accuracy is None:
        return "no accuracy"
    stderr = parse_score(cell("stderr"), file_name=file_name, row=line, field="stderr")
    conditions = dict(target.conditions)
    if not is_absent(cell("reasoning_effort")):
        # Vals runs reasoning models at a stated effort; another effort is another figure.
        conditions["reasoning_effort"] = cell("reasoning_effort")
    metadata: dict[str, Any] = {}
    for column, key in METADATA_COLUMNS.items():
        if is_absent(cell(column)):
            continue
        value: Any = cell(column)
        if column in ("rank", "ranked"):
            number = parse_score(value, file_name=file_name, row=line, field=column)
            value = int(number) if number is not None else None
        elif column in ("cost_per_test", "latency"):
            value = parse_score(value, file_name=file_name, row=line, field=column)
        metadata[key] = value
    return ParsedRow(
        raw_model_name=model,
        benchmark=target.benchmark,
        value=accuracy,
        as_of=parse_date(
            cell("benchmark_updated"), file_name=file_name, row=line, field="benchmark_updated"
        ),
        conditions=conditions,
        std_error=stderr,
        metadata=metadata,
    )
