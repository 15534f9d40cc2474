"""EvalPlus leaderboard (evalplus/evalplus.github.io `results.json`).

Shape: `{display name: {link, open-data, pass@1: {humaneval, humaneval+, mbpp, mbpp+}, prompted,
size}}`, scores in percent. Display names carry the model's date ("GPT 4o (Aug 2024)") and are
kept as written: an alias maps them to a variant. `size`, `mbpp` and `mbpp+` can be null (not
measured, never zero). The file has no dates of evaluation, so rows take the file's date.

HumanEval here is HumanEval itself (the same problems and tests vendors quote); HumanEval+ runs
the same problems with stricter tests, and EvalPlus's two MBPP columns score its own selection
of MBPP problems, so those three are benchmarks of their own, related to HumanEval and MBPP in
the catalogue (see fixtures/curated/benchmarks.yaml), never the same one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from releases.importers.base import Importer, ParsedRow, ParseError, ParseResult, parse_score

# results.json key under "pass@1" -> benchmark slug.
BENCHMARKS: Mapping[str, str] = {
    "humaneval": "humaneval",
    "humaneval+": "humaneval-plus",
    "mbpp": "mbpp-evalplus",
    "mbpp+": "mbpp-plus",
}
SCORES_KEY = "pass@1"
# Copied into metadata when present: what the leaderboard says about the entry.
METADATA_KEYS = {"link": "link", "open-data": "open_data", "prompted": "prompted", "size": "size"}


class EvalPlusImporter(Importer):
    slug = "evalplus"
    bundled_files = ("evalplus/results.json",)

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParseError(f"not JSON: {exc}", file_name=file_name) from None
        if not isinstance(data, Mapping) or not data:
            raise ParseError(
                "unknown shape: expected a non-empty {model: {pass@1: {...}}} object",
                file_name=file_name,
            )
        result = ParseResult()
        for name, entry in data.items():
            result.extend(_entry_rows(str(name), entry, file_name))
        return result


def _entry_rows(name: str, entry: Any, file_name: str | None) -> list[ParsedRow]:
    if not isinstance(entry, Mapping):
        raise ParseError("expected an object", file_name=file_name, row=name)
    scores = entry.get(SCORES_KEY)
    if not isinstance(scores, Mapping):
        raise ParseError(
            "missing or not an object", file_name=file_name, row=name, field=SCORES_KEY
        )
    metadata = {
        key: entry[field] for field, key in METADATA_KEYS.items() if entry.get(field) is not None
    }
    rows = []
    for key, benchmark in BENCHMARKS.items():
        value = parse_score(scores.get(key), file_name=file_name, row=name, field=f"pass@1.{key}")
        if value is None:
            continue
        rows.append(
            ParsedRow(
                raw_model_name=name.strip(),
                benchmark=benchmark,
                value=value,
                metadata={**metadata, "metric": SCORES_KEY},
            )
        )
    return rows
