"""Every Eval Ever (evaleval/every_eval_ever): one reader for every leaderboard of the datastore.

The datastore holds one JSON document per (leaderboard, model) under
`data/<leaderboard>/<developer>/<model>/<uuid>.json`. `parse()` reads one document, a JSON list of
documents, or a ZIP of them (a directory is zipped by `read_file`), in schema 0.2.x or the older
0.1.x layout:

- 0.2.x: each result's efficiency and "general information" figures ("MMLU-Pro - # eval",
  "... - # train") sit inside `score_details.details`; `source_data` is per result.
- 0.1.x: `source_data` is a top-level list of URLs, metric names carry a suffix ("MMLU-Pro - COT
  correct"), efficiency and general-information figures are results of their own (so "Mean
  score" can appear twice, once as an accuracy and once in seconds), and -1.0 means missing.

Nothing here is specific to a leaderboard. Which benchmark an evaluation measures comes from the
catalogue: an alias "<leaderboard>/<evaluation>" ("helm_capabilities/GPQA"), qualified by the
leaderboard because the same title means different tests on different leaderboards (HELM's GPQA
is the gpqa_main subset; HELM Lite's "MMLU" is five subjects). An evaluation no alias claims is
reported, never guessed. So a new leaderboard imports with no code change: a source whose
importer is "eee-<leaderboard>", and aliases for the evaluations it measures.

Rows are keyed on `model_info.id` plus the evaluation, never on the file name (the UUIDs change
between commits). The evaluator is the organisation the document names.

A source's live URL is the Hub's listing of its folder (`read_listing`, `eee_datastore.py`): the
refresh downloads every document it lists and hands `parse` one ZIP of them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from releases.conditions import conditions_key
from releases.importers.archives import deterministic_zip
from releases.importers.base import (
    Importer,
    Listing,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    parse_score,
)
from releases.importers.eee_datastore import read_tree_page, tree_folder
from releases.names import normalize_name

_ZIP_MAGIC = b"PK\x03\x04"
BUNDLED_ROOT = "eee/data"

# The organisation names the documents use, as claimsdb names the evaluator. EEE writes HELM's
# organisation as its short name; the same evaluator reaches claimsdb through Epoch's
# mmlu_external file as "Stanford CRFM Leaderboard", and one evaluator must have one name for
# "the latest measurement per evaluator" to count it once.
EVALUATOR_NAMES = {"crfm": "Stanford CRFM HELM"}

# Figures that describe a run rather than score it: in 0.2.x they are keys of a result's details,
# in 0.1.x results of their own. "<evaluation> - <figure>".
_RUN_FIGURES = (
    "# eval",
    "# train",
    "truncated",
    "# prompt tokens",
    "# output tokens",
    "Observed inference time (s)",
    "Efficiency",
    "General information",
)
# "min=1000, mean=1000, max=1000, sum=1000 (1)": the trailing count is the number of runs.
_RUN_COUNT = re.compile(r"\((\d+)\)\s*$")


@dataclass
class _Result:
    """One evaluation result of a document, whatever the schema version."""

    name: str
    metric: str
    score: Any
    metric_config: Mapping[str, Any]
    generation: Mapping[str, Any]
    uncertainty: Mapping[str, Any]
    evaluation_timestamp: str | None
    source_urls: list[str]


@dataclass
class _Document:
    file_name: str
    schema_version: str
    leaderboard: str
    model_id: str
    evaluator: str
    relationship: str
    retrieved_on: dt.date | None
    evaluation_timestamp: str | None
    model_details: Mapping[str, Any]
    results: list[_Result] = field(default_factory=list)
    # "<evaluation> - # eval" -> (value, number of runs or None)
    run_figures: dict[str, tuple[float, int | None]] = field(default_factory=dict)


def leaderboard_key(name: str) -> str:
    """One spelling for a leaderboard's name: "helm_capabilities" and "helm-capabilities" match."""
    return normalize_name(name).replace("_", "-")


class EveryEvalEverImporter(Importer):
    """The documents of one leaderboard of the datastore (`leaderboard`, from the source's
    importer slug "eee-<leaderboard>"). Documents of other leaderboards are reported, not read, so
    a ZIP of the whole datastore imports each leaderboard into its own source."""

    slug = "eee"
    reads_benchmark_aliases = True

    def __init__(self, leaderboard: str) -> None:
        self.leaderboard = leaderboard_key(leaderboard)
        # The registry slug this instance answers to (one class, a slug per leaderboard).
        self.slug = f"eee-{self.leaderboard}"  # type: ignore[misc]

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        result = ParseResult()
        documents = 0
        for name, data in _documents(raw, file_name):
            document = _document(data, name)
            if leaderboard_key(document.leaderboard) != self.leaderboard:
                result.skipped.append(
                    SkippedRow(
                        f"a document of leaderboard {document.leaderboard!r}, not "
                        f"{self.leaderboard!r}",
                        file_name=name,
                    )
                )
                continue
            documents += 1
            rows, skipped = self._rows(document)
            result.extend(rows)
            result.skipped.extend(skipped)
        if not documents:
            raise ParseError(
                f"no Every Eval Ever document of leaderboard {self.leaderboard!r}",
                file_name=file_name,
            )
        return _drop_ambiguous(result)

    def _rows(self, document: _Document) -> tuple[list[ParsedRow], list[SkippedRow]]:
        rows: list[ParsedRow] = []
        skipped: list[SkippedRow] = []

        def skip(reason: str, result: _Result) -> None:
            skipped.append(
                SkippedRow(f"{document.model_id}: {reason}", document.file_name, result.name)
            )

        if document.relationship == "first_party":
            # The developer's own figures are its claims, never a measurement of them.
            skipped.append(
                SkippedRow(
                    f"{document.model_id}: reported by the model's developer (first_party), "
                    "not an independent measurement",
                    document.file_name,
                )
            )
            return rows, skipped
        for result in document.results:
            if not _is_fraction_score(result.metric_config):
                skip(
                    "not a score from 0 to 1 (an efficiency or general-information figure)", result
                )
                continue
            benchmark = self.benchmark_aliases.get(
                normalize_name(f"{document.leaderboard}/{result.name}")
            )
            if benchmark is None:
                skip(
                    f"no benchmark in the catalogue has the alias "
                    f"'{document.leaderboard}/{result.name}'",
                    result,
                )
                continue
            score = parse_score(
                result.score, file_name=document.file_name, row=document.model_id, field=result.name
            )
            if score is None or score < 0:
                skip("no value (missing, written -1)", result)
                continue
            if score == 0:
                # A whole evaluation at exactly 0 is a run that failed (no answer parsed), not a
                # model that got every item wrong (THUDM/glm-4-9b-chat IFEval on Open LLM v2).
                skip("0.0 on the whole evaluation: a failed run, not a score", result)
                continue
            if score > 1:
                raise ParseError(
                    f"score {score!r} above max_score 1",
                    file_name=document.file_name,
                    row=document.model_id,
                    field=result.name,
                )
            rows.append(self._row(document, result, benchmark, score))
        return rows, skipped

    def _row(self, document: _Document, result: _Result, benchmark: str, score: float) -> ParsedRow:
        conditions: dict[str, Any] = {}
        shots = _run_figure(document, result.name, "# train")
        if shots is not None and shots[0].is_integer():
            conditions["shots"] = int(shots[0])
        cot = result.generation.get("use_chain_of_thought")
        if cot is not None:
            conditions["cot"] = str(cot).strip().casefold() == "true"
        precision = document.model_details.get("precision")
        if precision:
            # Open LLM v2 runs some models at two precisions; they are different conditions.
            conditions["precision"] = str(precision)
        std_error, ci_low, ci_high, samples = _uncertainty(result.uncertainty)
        if samples is None:
            evaluated = _run_figure(document, result.name, "# eval")
            # The item count of a single run; a mean over several runs (HELM MMLU's 57 subjects)
            # is not the number of items behind the score.
            if evaluated is not None and evaluated[1] in (None, 1) and evaluated[0].is_integer():
                samples = int(evaluated[0])
        metadata: dict[str, Any] = {
            "leaderboard": document.leaderboard,
            "evaluation": result.name,
            "schema_version": document.schema_version,
            "document": document.file_name,
        }
        if result.metric:
            metadata["metric"] = result.metric
        if result.source_urls:
            metadata["source_urls"] = result.source_urls
        details = {k: v for k, v in result.generation.items() if k != "use_chain_of_thought"}
        if details:
            metadata["generation"] = details
        return ParsedRow(
            raw_model_name=document.model_id,
            benchmark=benchmark,
            value=round(score * 100, 10),
            as_of=_date(result.evaluation_timestamp or document.evaluation_timestamp)
            or document.retrieved_on,
            conditions=conditions,
            ci_low=ci_low,
            ci_high=ci_high,
            std_error=std_error,
            sample_size=samples,
            evaluator=document.evaluator,
            metadata=metadata,
        )

    def read_listing(self, url: str, body: bytes, headers: Mapping[str, str]) -> Listing | None:
        """A page of the datastore's tree API (`releases.importers.eee_datastore`); any other
        URL (a ZIP, a document) is the data itself."""
        if tree_folder(url) is None:
            return None
        return read_tree_page(url, body, headers)

    def read_file(self, path: Path) -> bytes:
        """A document or list as is; a directory of documents as one ZIP."""
        if path.is_dir():
            return documents_zip(path)
        return path.read_bytes()

    def bundled_inputs(self, leaderboards_dir: Path) -> list[tuple[str, bytes]]:
        """The bundled folder of this leaderboard (eee/data/<leaderboard>/), as one ZIP."""
        root = leaderboards_dir / BUNDLED_ROOT
        if not root.is_dir():
            return []
        return [
            (f"{folder.name}.zip", documents_zip(folder))
            for folder in sorted(root.iterdir())
            if folder.is_dir() and leaderboard_key(folder.name) == self.leaderboard
        ]


def documents_zip(folder: Path) -> bytes:
    """A deterministic ZIP of every .json file under `folder`, by path relative to its parent."""
    return deterministic_zip(
        (path.relative_to(folder.parent).as_posix(), path.read_bytes())
        for path in folder.rglob("*.json")
    )


# --- Reading the input ----------------------------------------------------------------------------


def _documents(raw: bytes, file_name: str | None) -> Iterator[tuple[str, Any]]:
    """(name, decoded JSON) of every document in a ZIP, a list, or a single document."""
    if raw.startswith(_ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except zipfile.BadZipFile as exc:
            raise ParseError(f"not a readable ZIP: {exc}", file_name=file_name) from None
        with archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                name = info.filename
                if info.is_dir() or not name.endswith(".json") or _is_junk(name):
                    continue
                yield from _json_documents(archive.read(info), name)
        return
    yield from _json_documents(raw, file_name or "(document)")


def _json_documents(raw: bytes, name: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not JSON: {exc}", file_name=name) from None
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield f"{name}[{index}]", item
    else:
        yield name, data


def _is_junk(path: str) -> bool:
    # Archives made on macOS carry resource forks beside every file.
    return path.startswith("__MACOSX/") or PurePosixPath(path).name.startswith("._")


def _document(data: Any, name: str) -> _Document:
    if not isinstance(data, Mapping):
        raise ParseError("expected a JSON object (an EEE document)", file_name=name)
    version = str(_require(data, "schema_version", name))
    if not re.fullmatch(r"0\.[12](\.\d+)?", version):
        raise ParseError(
            f"schema version {version!r} is not one this importer reads (0.1, 0.2)",
            file_name=name,
            field="schema_version",
        )
    model = _require(data, "model_info", name)
    if not isinstance(model, Mapping) or not str(model.get("id") or "").strip():
        raise ParseError("missing model id", file_name=name, field="model_info.id")
    source = data.get("source_metadata") or {}
    evaluation_id = str(data.get("evaluation_id") or "")
    # "helm_capabilities/meta_llama-4-scout.../1770835969.09": the datastore's folder name. The
    # source_name is a display name on some leaderboards ("HF Open LLM v2").
    leaderboard = evaluation_id.split("/", 1)[0] if "/" in evaluation_id else ""
    leaderboard = leaderboard or str(source.get("source_name") or "")
    if not leaderboard:
        raise ParseError("no leaderboard named", file_name=name, field="evaluation_id")
    organization = str(source.get("source_organization_name") or "").strip()
    if not organization:
        raise ParseError(
            "no evaluator named", file_name=name, field="source_metadata.source_organization_name"
        )
    document = _Document(
        file_name=name,
        schema_version=version,
        leaderboard=leaderboard,
        model_id=str(model["id"]).strip(),
        evaluator=EVALUATOR_NAMES.get(organization.casefold(), organization),
        relationship=str(source.get("evaluator_relationship") or "").strip(),
        retrieved_on=_date(data.get("retrieved_timestamp")),
        evaluation_timestamp=_text(data.get("evaluation_timestamp")),
        model_details=model.get("additional_details") or {},
    )
    results = _require(data, "evaluation_results", name)
    if not isinstance(results, list):
        raise ParseError("expected a list", file_name=name, field="evaluation_results")
    legacy = version.startswith("0.1")
    top_urls = _urls(data.get("source_data")) if legacy else []
    for index, item in enumerate(results):
        if not isinstance(item, Mapping):
            raise ParseError("expected an object", file_name=name, row=index)
        title = str(item.get("evaluation_name") or "").strip()
        if not title:
            raise ParseError("missing evaluation name", file_name=name, row=index)
        details = (item.get("score_details") or {}).get("details") or {}
        for key, value in details.items() if isinstance(details, Mapping) else ():
            if isinstance(value, Mapping) and _is_run_figure(key):
                _keep_run_figure(document, key, value.get("score"), value.get("description"))
        if legacy and _is_run_figure(title):
            # 0.1.x: a general-information figure is a result of its own.
            _keep_run_figure(
                document, title, (item.get("score_details") or {}).get("score"), details
            )
            continue
        base, metric = (
            title,
            str((item.get("metric_config") or {}).get("evaluation_description") or ""),
        )
        if legacy and " - " in title:
            # "MMLU-Pro - COT correct": the evaluation, then its metric.
            base, metric = title.rsplit(" - ", 1)
        score_details = item.get("score_details")
        if not isinstance(score_details, Mapping) or "score" not in score_details:
            raise ParseError(
                "missing score", file_name=name, row=title, field="score_details.score"
            )
        generation = (item.get("generation_config") or {}).get("additional_details") or {}
        document.results.append(
            _Result(
                name=base,
                metric=metric,
                score=score_details["score"],
                metric_config=item.get("metric_config") or {},
                generation=generation if isinstance(generation, Mapping) else {},
                uncertainty=score_details.get("uncertainty") or {},
                evaluation_timestamp=_text(item.get("evaluation_timestamp")),
                source_urls=_urls(item.get("source_data")) or top_urls,
            )
        )
    return document


def _require(data: Mapping[str, Any], key: str, name: str) -> Any:
    if key not in data:
        raise ParseError("missing field", file_name=name, field=key)
    return data[key]


def _is_run_figure(title: str) -> bool:
    return any(title.endswith(f" - {figure}") for figure in _RUN_FIGURES)


def _keep_run_figure(document: _Document, key: str, value: Any, description: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    runs = None
    if isinstance(description, Mapping):
        description = description.get("description")
    if isinstance(description, str) and (match := _RUN_COUNT.search(description)):
        runs = int(match.group(1))
    document.run_figures[key] = (float(value), runs)


def _run_figure(
    document: _Document, evaluation: str, figure: str
) -> tuple[float, int | None] | None:
    return document.run_figures.get(f"{evaluation} - {figure}")


def _is_fraction_score(config: Mapping[str, Any]) -> bool:
    """A score from 0 to 1 where higher is better: what a percent benchmark can take. Seconds,
    token counts and win rates over other models are not."""
    if config.get("lower_is_better") is True:
        return False
    return config.get("min_score") == 0 and config.get("max_score") == 1


def _uncertainty(
    uncertainty: Mapping[str, Any],
) -> tuple[float | None, float | None, float | None, int | None]:
    """(standard error, 95% interval low, high, sample count), in points."""
    std_error = ci_low = ci_high = None
    se = uncertainty.get("standard_error")
    if isinstance(se, Mapping) and isinstance(se.get("value"), int | float):
        std_error = round(float(se["value"]) * 100, 10)
    ci = uncertainty.get("confidence_interval")
    if (
        isinstance(ci, Mapping)
        and isinstance(ci.get("lower"), int | float)
        and isinstance(ci.get("upper"), int | float)
        and ci.get("confidence_level", 0.95) == 0.95
    ):
        ci_low, ci_high = round(float(ci["lower"]) * 100, 10), round(float(ci["upper"]) * 100, 10)
    samples = uncertainty.get("num_samples")
    return std_error, ci_low, ci_high, samples if isinstance(samples, int) else None


def _urls(source_data: Any) -> list[str]:
    if isinstance(source_data, list):
        return [str(url) for url in source_data if isinstance(url, str)]
    if isinstance(source_data, Mapping):
        urls = source_data.get("url")
        if isinstance(urls, list):
            return [str(url) for url in urls]
        if isinstance(urls, str):
            return [urls]
    return []


def _text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _date(value: Any) -> dt.date | None:
    """A Unix timestamp ("1770835969.09") or ISO text as a date; None when absent or unreadable."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return dt.datetime.fromtimestamp(float(text), tz=dt.UTC).date()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _drop_ambiguous(result: ParseResult) -> ParseResult:
    """Rows that share a model, benchmark, conditions and date but differ are not kept: which
    figure is the model's would be a guess (two documents of one model and day)."""
    groups: dict[tuple[Any, ...], list[ParsedRow]] = defaultdict(list)
    for row in result:
        groups[
            (row.raw_model_name, row.benchmark, conditions_key(row.conditions), row.as_of)
        ].append(row)
    kept = ParseResult(skipped=result.skipped)
    for key, rows in groups.items():
        if len({row.value for row in rows}) == 1:
            kept.append(rows[0])
            continue
        kept.skipped.append(
            SkippedRow(
                f"{key[0]}: {len(rows)} documents give {key[1]} different values under the same "
                f"conditions ({', '.join(_documents_of(rows))}); none kept",
            )
        )
    return kept


def _documents_of(rows: Iterable[ParsedRow]) -> list[str]:
    return sorted({str(row.metadata.get("document")) for row in rows})
