"""Swallow LLM Leaderboard (swallow-llm/leaderboard `_data/model.yml`), English and Japanese.

A YAML list of models; each has `results` per section: `en_post`, `ja_post`, `en_mtb`, `ja_mtb`
for post-trained models, `en_pre`, `ja_pre` for base models, each a mapping of task key to a
score from 0 to 1. `task_pre.yml` and `task_post.yml` title the keys; the titles decide the
benchmark, and they live in the catalogue as aliases "swallow/<section>/<key>" (so the key
MIFEvalJa is IFBench in en_post and M-IFEval-Ja in ja_post, with no table in code). A key no alias
claims is reported, never guessed. Section averages ("avg") are not imported: they are Swallow's
own mix of tasks, not a benchmark anyone quotes.

The file carries no date of evaluation (an entry's `date` is the model's release), so rows take
the date of the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    parse_score,
)
from releases.importers.readers import SafeYamlLoader, read_yaml
from releases.names import normalize_name

AVERAGE_KEY = "avg"


class SwallowImporter(Importer):
    slug = "swallow"
    bundled_files = ("swallow/model.yml",)
    reads_benchmark_aliases = True

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        # The one YAML reader: no aliases (a 477-byte alias bomb), a node cap, clear errors.
        entries = read_yaml(raw, file_name=file_name, loader=SafeYamlLoader)
        if not isinstance(entries, list) or not entries:
            raise ParseError("unknown shape: expected a list of models", file_name=file_name)
        result = ParseResult()
        for index, entry in enumerate(entries, start=1):
            if not isinstance(entry, Mapping):
                raise ParseError("expected a mapping", file_name=file_name, row=index)
            model = str(entry.get("model_id") or entry.get("id") or "").strip()
            if not model:
                raise ParseError(
                    "missing model id", file_name=file_name, row=index, field="model_id"
                )
            results = entry.get("results") or {}
            if not isinstance(results, Mapping):
                raise ParseError(
                    "expected a mapping", file_name=file_name, row=model, field="results"
                )
            for section, scores in results.items():
                if not isinstance(scores, Mapping):
                    raise ParseError(
                        "expected a mapping", file_name=file_name, row=model, field=str(section)
                    )
                self._section(result, model, str(section), scores, entry, file_name)
        return result

    def _section(
        self,
        result: ParseResult,
        model: str,
        section: str,
        scores: Mapping[str, Any],
        entry: Mapping[str, Any],
        file_name: str | None,
    ) -> None:
        for key, cell in scores.items():
            where = f"{section}.{key}"
            if key == AVERAGE_KEY:
                continue  # Swallow's own average of its tasks: not a benchmark.
            alias = f"swallow/{section}/{key}"
            benchmark = self.benchmark_aliases.get(normalize_name(alias))
            if benchmark is None:
                result.skipped.append(
                    SkippedRow(
                        f"{model}: no benchmark in the catalogue has the alias {alias!r}",
                        file_name=file_name,
                        row=where,
                    )
                )
                continue
            score = parse_score(cell, file_name=file_name, row=model, field=where)
            if score is None:
                continue
            if not 0.0 <= score <= 1.0:
                raise ParseError(
                    f"expected a score from 0 to 1, got {score!r}",
                    file_name=file_name,
                    row=model,
                    field=where,
                )
            result.append(
                ParsedRow(
                    raw_model_name=model,
                    benchmark=benchmark,
                    value=round(score * 100, 10),
                    metadata={
                        "section": section,
                        "key": str(key),
                        "name": str(entry.get("name") or ""),
                        "is_post": bool(entry.get("is_post")),
                    },
                )
            )
