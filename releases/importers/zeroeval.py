"""ZeroEval (yuchenlin/ZeroEval `result_dirs/<benchmark>.summary.json`): zero-shot reasoning.

One JSON list per benchmark, `{Model, Mode, Acc, No answer, Total, Reason Lens}` (zebra-grid has
`Puzzle Acc` and `Total Puzzles`); `Acc` is a percentage written as a string. Which benchmark a
file measures comes from the catalogue (alias "zeroeval/<file name>"); a file no alias claims is
reported. `summary.json` repeats the other files' figures in one wide table and is not read.

A model can appear once per provider (`Llama-3.1-405B-Inst@sambanova`, `-fp8@together`): each
is its own raw name. `Total` below the file's full set is a partial run: its accuracy is on a
subset, not the benchmark, so it is reported and not stored.

A refresh fetches every benchmark file by the live URL's pattern and archives them as one ZIP.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from releases.importers.base import (
    Importer,
    ParsedRow,
    ParseError,
    ParseResult,
    SkippedRow,
    parse_score,
)
from releases.names import normalize_name

# The result files a refresh fetches beside the live URL's (SOURCES-batch3.md).
BENCHMARK_FILES = (
    "mmlu-redux.summary.json",
    "gsm.summary.json",
    "math-l5.summary.json",
    "crux.summary.json",
    "zebra-grid.summary.json",
)
SUMMARY_FILE = "summary.json"
# (score, number of items) columns, the first present wins.
SCORE_COLUMNS = (("Acc", "Total"), ("Puzzle Acc", "Total Puzzles"))
_ZIP_MAGIC = b"PK\x03\x04"
_ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


class ZeroEvalImporter(Importer):
    slug = "zeroeval"
    bundled_files = ("zeroeval/*.summary.json",)
    reads_benchmark_aliases = True

    def parse(self, raw: bytes, *, file_name: str | None = None) -> ParseResult:
        if raw.startswith(_ZIP_MAGIC):
            return self._parse_zip(raw, file_name)
        return self._parse_file(raw, PurePosixPath(file_name or "").name)

    def _parse_zip(self, raw: bytes, file_name: str | None) -> ParseResult:
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
        except zipfile.BadZipFile as exc:
            raise ParseError(f"not a readable ZIP: {exc}", file_name=file_name) from None
        result = ParseResult()
        with archive:
            for name in sorted(archive.namelist()):
                part = self._parse_file(archive.read(name), PurePosixPath(name).name)
                result.extend(part)
                result.skipped.extend(part.skipped)
        return result

    def _parse_file(self, raw: bytes, name: str) -> ParseResult:
        if name == SUMMARY_FILE:
            return ParseResult(
                skipped=[SkippedRow("repeats the per-benchmark files; not read", file_name=name)]
            )
        benchmark = self.benchmark_aliases.get(normalize_name(f"zeroeval/{name}"))
        if benchmark is None:
            return ParseResult(
                skipped=[
                    SkippedRow(
                        f"no benchmark in the catalogue has the alias 'zeroeval/{name}'",
                        file_name=name,
                    )
                ]
            )
        try:
            records = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParseError(f"not JSON: {exc}", file_name=name) from None
        if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
            raise ParseError("unknown shape: expected a list of objects", file_name=name)
        columns = next((pair for pair in SCORE_COLUMNS if records and pair[0] in records[0]), None)
        if columns is None:
            raise ParseError("missing column", file_name=name, field="Acc")
        score_column, total_column = columns
        full_set = max((_total(r, total_column, name) for r in records), default=0)
        result = ParseResult()
        for index, record in enumerate(records, start=1):
            model = str(record.get("Model") or "").strip()
            if not model:
                raise ParseError("empty model name", file_name=name, row=index, field="Model")
            value = parse_score(
                record.get(score_column), file_name=name, row=model, field=score_column
            )
            if value is None:
                continue
            total = _total(record, total_column, name)
            if total < full_set:
                result.skipped.append(
                    SkippedRow(
                        f"{model}: a partial run ({total} of {full_set} items)",
                        file_name=name,
                        row=index,
                    )
                )
                continue
            result.append(
                ParsedRow(
                    raw_model_name=model,
                    benchmark=benchmark,
                    value=value,
                    # ZeroEval prompts every model with no examples (its name says so). A model
                    # can be run twice, greedy and sampling (zebra-grid): distinct conditions.
                    conditions={"shots": 0, "decoding": str(record.get("Mode") or "").strip()},
                    sample_size=total,
                    metadata=_metadata(record, score_column, total_column, name),
                )
            )
        return result

    def live_urls(self, live_url: str) -> list[str]:
        """The live URL's file first, then every other benchmark file of the same folder."""
        base, _, first = live_url.rpartition("/")
        return [live_url, *(f"{base}/{n}" for n in BENCHMARK_FILES if n != first)]

    def combine_bodies(self, urls: list[str], bodies: list[bytes]) -> bytes:
        """One deterministic ZIP of the fetched files, by file name."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for url, body in sorted(zip(urls, bodies, strict=True)):
                info = zipfile.ZipInfo(PurePosixPath(url).name, date_time=_ZIP_DATE_TIME)
                info.external_attr = 0o644 << 16
                archive.writestr(info, body)
        return buffer.getvalue()


def _total(record: Mapping[str, Any], column: str, name: str) -> int:
    value = record.get(column)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParseError(
            f"not a count: {value!r}", file_name=name, row=record.get("Model"), field=column
        )
    return value


def _metadata(
    record: Mapping[str, Any], score_column: str, total_column: str, name: str
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"file": name}
    for key, value in record.items():
        if key not in ("Model", "Mode", score_column, total_column) and value not in (None, ""):
            metadata[key.lower().replace(" ", "_")] = value
    return metadata
