"""Epoch AI Benchmarking Hub (https://epoch.ai/data/benchmark_data.zip): the whole export.

The live URL serves a ZIP of one CSV per benchmark (about 50); parse() takes that ZIP or a single
CSV. Every file whose layout is recognised is read:

- the files in FILES, whose layouts differ (per context length, per category, an edit format);
- any other file with the header Epoch's own runs share (gpqa_diamond.csv's: mean_score, stderr,
  Started at), as fractions;
- any other `*_external.csv`: the column before "Release date" is its score (Score, EM, Average,
  Accuracy mean ...), the columns between it and "Model version" qualify the run (terminalbench's
  Agent). Its rows republish other evaluators' figures and name where each came from in
  `Source`: only a row whose Source is an independent leaderboard (INDEPENDENT_SOURCES) is a
  measurement, with that leaderboard as its evaluator. A vendor's own report ("Qwen Technical
  Report", "DeepSeek-V3 Technical Report" on Qwen2.5) is not independent, nor is a row whose
  source is not stated: they are skipped and reported, never stored.

Which benchmark a file measures comes from the catalogue: the alias "epoch/<file name>"
("epoch/math_level_5.csv"), which an analyst can add in the admin. A file no alias claims, or
whose layout is not recognised, is reported, never guessed.

Each file has its own score scale (GPQA and SWE-bench as fractions, Aider as a percent): rows are
converted to the benchmark's unit here, so 0.6698 on GPQA becomes 66.98.

"_external" files (and swe_bench_bash.csv) republish another evaluator's leaderboard; their rows
carry that evaluator, since an Aider figure mirrored by Epoch is still Aider's measurement.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from releases.conditions import conditions_key
from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    date_in,
    is_absent,
    parse_score,
)
from releases.importers.readers import SafeZip, read_csv
from releases.names import normalize_name

MODEL_COLUMN = "Model version"
# Files in the ZIP that are not data (licence and citation text).
IGNORED_FILES = frozenset({"README.md"})
# "120k token score" -> 120000; "0 token score" -> 0.
_CONTEXT_COLUMN = re.compile(r"^(\d+)(k?) token score$", re.IGNORECASE)
_ZIP_MAGIC = b"PK\x03\x04"

# Who ran the evaluations a file republishes. Names match the evaluator of the source that
# publishes them directly, so the Epoch mirror and the original count as one evaluator when
# the latest measurement per evaluator is taken.
AIDER = "Aider"
LIVEBENCH = "LiveBench"
FICTION_LIVEBENCH = "Fiction.LiveBench"
SWE_BENCH = "SWE-bench"

Conditions = dict[str, Any]


@dataclass(frozen=True)
class ScoreColumn:
    column: str
    conditions: Conditions = field(default_factory=dict)


@dataclass(frozen=True)
class FileSpec:
    """How to read one of Epoch's CSVs. The benchmark comes from the catalogue (see module)."""

    scores: tuple[ScoreColumn, ...]
    # 100 for a file of fractions (0–1) feeding a percent benchmark, 1 where already in the unit.
    scale: float = 1.0
    stderr_column: str | None = None
    # The date the evaluation was run, when the file has one.
    date_column: str | None = None
    # None: Epoch ran it. Otherwise the evaluator whose results the file republishes.
    evaluator: str | None = None
    # Columns copied into metadata (as metadata key -> column).
    metadata_columns: tuple[tuple[str, str], ...] = ()
    # Conditions taken from the row itself (edit format, ...), merged into each score's.
    row_conditions: Callable[[Mapping[str, str]], Conditions] | None = None
    # Columns with a score per context length ("120k token score"), found in the header.
    context_columns: bool = False
    # The date to use as as_of when the row has no date of evaluation.
    fallback_date: Callable[[Mapping[str, str]], dt.date | None] | None = None


COMMON_METADATA = (("id", "id"), ("organization", "Organization"), ("source_link", "Source link"))


def _edit_format(row: Mapping[str, str]) -> Conditions:
    # Aider runs one model once per edit format; same condition as the aider importer.
    return {"edit_format": row.get("Edit format", "").strip()}


def _mini_swe_agent(row: Mapping[str, str]) -> Conditions:
    # SWE-bench bash-only is run with mini-SWE-agent; same condition as the swebench importer.
    return {"system": "mini-SWE-agent"}


def _livebench_release(row: Mapping[str, str]) -> dt.date | None:
    # "LiveBench-2024-11-25": the release the scores belong to, which is the date the livebench
    # importer gives the same figures; Epoch's file has no date of evaluation.
    return date_in(row.get("LiveBench Version"))


FILES: dict[str, FileSpec] = {
    "gpqa_diamond.csv": FileSpec(
        scores=(ScoreColumn("mean_score"),),
        scale=100.0,
        stderr_column="stderr",
        date_column="Started at",
        metadata_columns=(
            ("id", "id"),
            ("organization", "Organization"),
            ("best_score", "Best score (across scorers)"),
            ("log_viewer", "Log viewer"),
        ),
    ),
    "swe_bench_bash.csv": FileSpec(
        scores=(ScoreColumn("% Resolved"),),
        scale=100.0,
        date_column="Date run",
        evaluator=SWE_BENCH,
        row_conditions=_mini_swe_agent,
        metadata_columns=(
            *COMMON_METADATA,
            ("source", "Source"),
            ("mini-swe-agent_version", "SWE-Agent Release Version"),
            ("instance_cost", "Avg. Cost ($)"),
        ),
    ),
    "aider_polyglot_external.csv": FileSpec(
        scores=(ScoreColumn("Percent correct"),),
        date_column="Date of evaluation",
        evaluator=AIDER,
        row_conditions=_edit_format,
        metadata_columns=(
            *COMMON_METADATA,
            ("source", "Source"),
            ("percent_cases_well_formed", "Percent using correct edit format"),
            ("cost", "Cost"),
        ),
    ),
    "live_bench_external.csv": FileSpec(
        # Category names as in LiveBench's own categories_*.json, so the rows line up with the
        # livebench importer's.
        scores=(
            ScoreColumn("Global average"),
            ScoreColumn("Reasoning average", {"category": "Reasoning"}),
            ScoreColumn("Coding average", {"category": "Coding"}),
            ScoreColumn("Mathematics average", {"category": "Mathematics"}),
            ScoreColumn("Data analysis average", {"category": "Data Analysis"}),
            ScoreColumn("Language average", {"category": "Language"}),
            ScoreColumn("IF Average", {"category": "IF"}),
        ),
        evaluator=LIVEBENCH,
        fallback_date=_livebench_release,
        metadata_columns=(
            # Here `id` is LiveBench's own model id; Epoch's record id is `UUID`.
            ("livebench_id", "id"),
            ("uuid", "UUID"),
            ("organization", "Organization"),
            ("source_link", "Source link"),
            ("source", "Source"),
            ("livebench_version", "LiveBench Version"),
        ),
    ),
    "fictionlivebench_external.csv": FileSpec(
        scores=(),
        scale=100.0,
        evaluator=FICTION_LIVEBENCH,
        context_columns=True,
        metadata_columns=(*COMMON_METADATA, ("source", "Source")),
    ),
    "epoch_capabilities_index.csv": FileSpec(
        scores=(ScoreColumn("ECI Score"),),
        metadata_columns=(
            ("organization", "Organization"),
            ("display_name", "Display name"),
            ("confidence", "Confidence"),
        ),
    ),
}


# The header every file of Epoch's own runs has (gpqa_diamond.csv, math_level_5.csv, ...).
OWN_RUNS_HEADER = (
    MODEL_COLUMN,
    "mean_score",
    "Best score (across scorers)",
    "Release date",
    "Organization",
    "Country",
    "Training compute (FLOP)",
    "Training compute notes",
    "stderr",
    "Log viewer",
    "Logs",
    "Started at",
    "id",
)
OWN_RUNS = FileSpec(
    scores=(ScoreColumn("mean_score"),),
    scale=100.0,
    stderr_column="stderr",
    date_column="Started at",
    metadata_columns=(
        ("id", "id"),
        ("organization", "Organization"),
        ("best_score", "Best score (across scorers)"),
        ("log_viewer", "Log viewer"),
    ),
)
EXTERNAL_SUFFIX = "_external.csv"
RELEASE_DATE_COLUMN = "Release date"
SOURCE_COLUMN = "Source"
# Standard errors and dates of evaluation, as the external files name them.
EXTERNAL_STDERR_COLUMNS = ("Accuracy Standard Error", "Accuracy SE", "stderr")
EXTERNAL_DATE_COLUMNS = ("Run date", "Date of evaluation")
# Leaderboards that run the models themselves, as the external files' Source writes them, and the
# evaluator each is (HELM under the name its own Every Eval Ever source uses, so the two count as
# one evaluator). Any other Source is a report by a model's developer, or by one developer about
# another's model: not an independent measurement.
INDEPENDENT_SOURCES = {
    "stanford crfm leaderboard": "Stanford CRFM HELM",
    "standford helm": "Stanford CRFM HELM",  # sic, gsm8k_external.csv
    "arc prize leaderboard": "ARC Prize",
    "terminal-bench v2 leaderboard": "Terminal-Bench",
}
# Qualifier columns that are settings of the run rather than a slice of the benchmark.
_SHOTS_COLUMN = "Shots"


@dataclass(frozen=True)
class ExternalLayout:
    """An _external file read by its header: the score column and the run's qualifiers."""

    score: str
    qualifiers: tuple[str, ...]
    stderr_column: str | None
    date_column: str | None
    has_source: bool


class EpochImporter(Importer):
    slug = "epoch"
    bundled_files = ("epoch/*.csv",)
    reads_benchmark_aliases = True

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        if raw.startswith(_ZIP_MAGIC):
            return self._parse_zip(raw, file_name)
        name = PurePosixPath(file_name or "").name
        result = self._parse_file(raw, name)
        if result is None:
            raise ParseError(
                f"unknown Epoch file {name or '(no name)'!r}: not a layout this importer reads",
                file_name=file_name,
            )
        return result

    def _parse_file(self, raw: bytes, name: str) -> ParseResult | None:
        """The rows of one CSV; None when its layout is not recognised."""
        spec = FILES.get(name)
        if spec is not None:
            result = parse_csv(raw, spec, file_name=name)
        else:
            header = _header(raw, name)
            if tuple(header) == OWN_RUNS_HEADER:
                result = parse_csv(raw, OWN_RUNS, file_name=name)
            elif name.endswith(EXTERNAL_SUFFIX) and (layout := external_layout(header)):
                result = parse_external(raw, layout, file_name=name)
            else:
                return None
        return self._with_benchmark(result, name)

    def _with_benchmark(self, result: ParseResult, name: str) -> ParseResult:
        alias = f"epoch/{name}"
        benchmark = self.benchmark_aliases.get(normalize_name(alias))
        if benchmark is None:
            return ParseResult(
                skipped=[
                    *result.skipped,
                    SkippedRow(
                        f"no benchmark in the catalogue has the alias {alias!r}; "
                        f"{len(result)} rows not imported",
                        file_name=name,
                    ),
                ]
            )
        return ParseResult((replace(row, benchmark=benchmark) for row in result), result.skipped)

    def _parse_zip(self, raw: bytes, file_name: str | None) -> ParseResult:
        result = ParseResult()
        parsed_any = False
        with SafeZip(raw, file_name=file_name) as archive:
            for info in archive.infolist():
                name = PurePosixPath(info.filename).name
                if info.is_dir() or name in IGNORED_FILES or _is_junk(info.filename):
                    continue
                part = self._parse_file(archive.read(info), name)
                if part is None:
                    result.skipped.append(
                        SkippedRow("layout not recognised, not parsed", file_name=name)
                    )
                    continue
                result.extend(part)
                result.skipped.extend(part.skipped)
                parsed_any = True
        if not parsed_any:
            raise ParseError(
                "unknown shape: the ZIP holds no Epoch file of a recognised layout",
                file_name=file_name,
            )
        return result


def _is_junk(path: str) -> bool:
    # Archives made on macOS carry resource forks beside every file.
    return path.startswith("__MACOSX/") or PurePosixPath(path).name.startswith("._")


def parse_csv(raw: bytes, spec: FileSpec, *, file_name: str) -> ParseResult:
    """The rows of one Epoch CSV. Rows without a model version are skipped and reported."""
    header, records = _read(raw, file_name)
    score_columns = _score_columns(header, spec, file_name)
    placeholders = _placeholder_times(records, spec)
    result = ParseResult()
    for line, record in records:
        model = record[MODEL_COLUMN].strip()
        if not model:
            # Epoch leaves the version blank where it could not tell which model ran (a mix of
            # two models, an anonymous preview): nothing to attach the score to.
            record_id = record.get("id") or record.get("UUID") or ""
            reason = f"empty {MODEL_COLUMN!r}" + (f" (id {record_id})" if record_id else "")
            result.skipped.append(SkippedRow(reason, file_name=file_name, row=line))
            continue
        rows = _rows(record, model, line, spec, score_columns, file_name)
        if spec.date_column and record.get(spec.date_column, "").strip() in placeholders:
            # Not when this model ran: the file's date stands in, as a bound, never shown.
            rows = [dataclasses.replace(row, as_of=None, as_of_known=False) for row in rows]
        result.extend(rows)
    return _drop_ambiguous(result, file_name)


# A start time to the second (or finer) shared by more rows than this is a placeholder, not
# when each run started: 57 of 157 gpqa_diamond.csv rows start at 2025-01-27T00:00:00.000Z.
# Runs of different models do not start in the same second; a handful may, if batched.
PLACEHOLDER_AFTER_ROWS = 3


def _placeholder_times(records: list[tuple[int, dict[str, str]]], spec: FileSpec) -> set[str]:
    if not spec.date_column:
        return set()
    cells = Counter(record.get(spec.date_column, "").strip() for _, record in records)
    # Only timestamps: many runs share a plain day ("Date run") legitimately.
    return {cell for cell, count in cells.items() if "T" in cell and count > PLACEHOLDER_AFTER_ROWS}


def _read(raw: bytes, file_name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (row number, record) pairs; row 1 is the first data row."""
    header, csv_rows = read_csv(raw, file_name=file_name)
    if MODEL_COLUMN not in header:
        raise ParseError("missing column", file_name=file_name, field=MODEL_COLUMN)
    records = []
    for csv_row in csv_rows:
        if len(csv_row.cells) != len(header):
            raise ParseError(
                f"{len(csv_row.cells)} cells for {len(header)} columns",
                file_name=file_name,
                row=csv_row.number,
            )
        records.append((csv_row.number, dict(zip(header, csv_row.cells, strict=True))))
    return header, records


def _score_columns(header: list[str], spec: FileSpec, file_name: str) -> tuple[ScoreColumn, ...]:
    columns = list(spec.scores)
    if spec.context_columns:
        for column in header:
            match = _CONTEXT_COLUMN.match(column)
            if match:
                tokens = int(match.group(1)) * (1000 if match.group(2) else 1)
                columns.append(ScoreColumn(column, {"context_tokens": tokens}))
        if not columns:
            raise ParseError("missing column", file_name=file_name, field="120k token score")
    for required in (
        *(score.column for score in columns),
        *([spec.stderr_column] if spec.stderr_column else []),
    ):
        if required not in header:
            raise ParseError("missing column", file_name=file_name, field=required)
    return tuple(columns)


def _rows(
    record: Mapping[str, str],
    model: str,
    line: int,
    spec: FileSpec,
    score_columns: tuple[ScoreColumn, ...],
    file_name: str,
) -> list[ParsedRow]:
    as_of = _as_of(record, spec, file_name, line)
    row_conditions = spec.row_conditions(record) if spec.row_conditions else {}
    std_error = _scaled(record, spec.stderr_column, spec, file_name, line)
    metadata = _metadata(record, spec)
    rows = []
    for score in score_columns:
        value = _scaled(record, score.column, spec, file_name, line)
        if value is None:
            continue  # blank: not measured at this setting
        rows.append(
            ParsedRow(
                raw_model_name=model,
                benchmark="",  # from the catalogue, by file name
                value=value,
                as_of=as_of,
                conditions={**row_conditions, **score.conditions},
                # One stderr per row of the file: it belongs to the headline score only.
                std_error=std_error if score is score_columns[0] else None,
                evaluator=spec.evaluator,
                metadata=dict(metadata),
                row=line,
            )
        )
    return rows


def _scaled(
    record: Mapping[str, str], column: str | None, spec: FileSpec, file_name: str, line: int
) -> float | None:
    if column is None:
        return None
    value = parse_score(record.get(column), file_name=file_name, row=line, field=column)
    if value is None:
        return None
    # A fraction file with a value above 1 has changed scale: stop rather than store 100x.
    if spec.scale != 1.0 and not 0.0 <= value <= 1.0:
        raise ParseError(
            f"expected a fraction from 0 to 1, got {value!r}",
            file_name=file_name,
            row=line,
            field=column,
        )
    # Rounded so that 0.56 becomes 56.0, not 56.00000000000001.
    return round(value * spec.scale, 10) if spec.scale != 1.0 else value


def _as_of(record: Mapping[str, str], spec: FileSpec, file_name: str, line: int) -> dt.date | None:
    if spec.date_column:
        cell = record.get(spec.date_column, "")
        if not is_absent(cell):
            date = date_in(cell)
            if date is None:
                raise ParseError(
                    f"not a date: {cell!r}", file_name=file_name, row=line, field=spec.date_column
                )
            return date
    if spec.fallback_date:
        return spec.fallback_date(record)
    return None


def _metadata(record: Mapping[str, str], spec: FileSpec) -> dict[str, str]:
    return {
        key: record[column].strip()
        for key, column in spec.metadata_columns
        if not is_absent(record.get(column))
    }


def _drop_ambiguous(result: ParseResult, file_name: str) -> ParseResult:
    """Drop rows that share a model version, benchmark, conditions and date.

    Epoch sometimes maps two of a leaderboard's entries to one model version (LiveBench's
    claude-3-7-sonnet and claude-3-7-sonnet-thinking both become claude-3-7-sonnet-20250219).
    Which figure belongs to the version is then a guess, so neither is kept.
    """
    groups: dict[tuple[Any, ...], list[ParsedRow]] = defaultdict(list)
    for row in result:
        groups[_natural_key(row)].append(row)
    kept = ParseResult(skipped=result.skipped)
    ambiguous: dict[str, set[str]] = {}
    for row in result:
        group = groups[_natural_key(row)]
        if len(group) == 1:
            kept.append(row)
        else:
            ambiguous.setdefault(row.raw_model_name, set()).update(_record_id(r) for r in group)
    for model, ids in ambiguous.items():
        kept.skipped.append(
            SkippedRow(
                f"{model!r}: {len(ids)} rows give this model version ({', '.join(sorted(ids))}); "
                "which figure is the model's would be a guess, none kept",
                file_name=file_name,
            )
        )
    return kept


def _natural_key(row: ParsedRow) -> tuple[Any, ...]:
    # The measurement's unique key within one source (see Measurement).
    return (row.raw_model_name, row.benchmark, conditions_key(row.conditions), row.as_of)


def _record_id(row: ParsedRow) -> str:
    return str(row.metadata.get("livebench_id") or row.metadata.get("id") or "?")


# --- Files read by their header -----------------------------------------------------------------


def _header(raw: bytes, file_name: str) -> list[str]:
    header, _ = read_csv(raw, file_name=file_name)
    return [column.strip() for column in header]


def external_layout(header: list[str]) -> ExternalLayout | None:
    """How to read an _external file, from its header; None when it has not that layout."""
    if not header or header[0] != MODEL_COLUMN or RELEASE_DATE_COLUMN not in header:
        return None
    release = header.index(RELEASE_DATE_COLUMN)
    if release < 2:
        return None
    return ExternalLayout(
        score=header[release - 1],
        qualifiers=tuple(header[1 : release - 1]),
        stderr_column=next((c for c in EXTERNAL_STDERR_COLUMNS if c in header), None),
        date_column=next((c for c in EXTERNAL_DATE_COLUMNS if c in header), None),
        has_source=SOURCE_COLUMN in header,
    )


def parse_external(raw: bytes, layout: ExternalLayout, *, file_name: str) -> ParseResult:
    """The independent rows of an _external file; vendors' reports and unsourced rows are
    reported. Scores are fractions (every external file but Aider's, which FILES reads); a file
    with a score above 1 has another scale, and is reported whole rather than stored 100x."""
    _, records = _read(raw, file_name)
    result = ParseResult()
    for line, record in records:
        model = record[MODEL_COLUMN].strip()
        if not model:
            result.skipped.append(
                SkippedRow(f"empty {MODEL_COLUMN!r}", file_name=file_name, row=line)
            )
            continue
        source = " ".join(record.get(SOURCE_COLUMN, "").split())
        evaluator = INDEPENDENT_SOURCES.get(normalize_name(source))
        if evaluator is None:
            reason = (
                f"{model!r}: Source {source!r} is a report by a model's developer, "
                "not an independent measurement"
                if source
                else f"{model!r}: no Source stated, so who measured it is unknown"
            )
            result.skipped.append(SkippedRow(reason, file_name=file_name, row=line))
            continue
        value = parse_score(
            record.get(layout.score), file_name=file_name, row=line, field=layout.score
        )
        if value is None:
            continue
        if not 0.0 <= value <= 1.0:
            return ParseResult(
                skipped=[
                    SkippedRow(
                        f"{layout.score!r} {value!r} is not a fraction: the file's scale is "
                        "unknown, not read",
                        file_name=file_name,
                        row=line,
                    )
                ]
            )
        std_error = None
        if layout.stderr_column:
            se = parse_score(
                record.get(layout.stderr_column),
                file_name=file_name,
                row=line,
                field=layout.stderr_column,
            )
            std_error = None if se is None else round(se * 100, 10)
        result.append(
            ParsedRow(
                raw_model_name=model,
                benchmark="",  # from the catalogue, by file name
                value=round(value * 100, 10),
                as_of=_external_date(record, layout, file_name, line),
                conditions=_external_conditions(record, layout, file_name, line),
                std_error=std_error,
                evaluator=evaluator,
                metadata={
                    key: " ".join(record[column].split())
                    for key, column in (
                        ("id", "id"),
                        ("organization", "Organization"),
                        ("name", "Name"),
                        ("source", SOURCE_COLUMN),
                        ("source_link", "Source link"),
                    )
                    if not is_absent(record.get(column))
                },
            )
        )
    return _drop_ambiguous(result, file_name)


def _external_conditions(
    record: Mapping[str, str], layout: ExternalLayout, file_name: str, line: int
) -> Conditions:
    conditions: Conditions = {}
    for column in layout.qualifiers:
        # terminalbench_external pads some agent names ("  Terminus 2      "): one agent.
        value = " ".join(record.get(column, "").split())
        if value:
            conditions[column.lower()] = value
    shots = record.get(_SHOTS_COLUMN, "").strip()
    if shots:
        if not shots.isdigit():
            raise ParseError(
                f"not a number of shots: {shots!r}", file_name=file_name, row=line, field="Shots"
            )
        conditions["shots"] = int(shots)
    return conditions


def _external_date(
    record: Mapping[str, str], layout: ExternalLayout, file_name: str, line: int
) -> dt.date | None:
    if layout.date_column is None or is_absent(record.get(layout.date_column)):
        return None
    date = date_in(record[layout.date_column])
    if date is None:
        raise ParseError(
            f"not a date: {record[layout.date_column]!r}",
            file_name=file_name,
            row=line,
            field=layout.date_column,
        )
    return date
