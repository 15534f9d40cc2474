"""Helpers for importer tests: the bundled snapshots, read and parsed once per session."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from releases.conditions import conditions_key
from releases.importers import get_importer
from releases.importers.base import Importer, ParsedRow, ParseResult
from tests.conftest import FIXTURES_DIR

BUNDLED = FIXTURES_DIR / "leaderboards"


def read(relative: str) -> bytes:
    return (BUNDLED / relative).read_bytes()


@cache
def parsed(slug: str, relative: str) -> ParseResult:
    """The rows of a bundled file (cached: several tests look at one parse)."""
    path = BUNDLED / relative
    return parse_result(slug, path.read_bytes(), path.name)


def parse_result(slug: str, raw: bytes, file_name: str | None = None) -> ParseResult:
    """Parse with the registered importer, as a ParseResult (rows and what was skipped). An
    importer that reads the catalogue's benchmark aliases gets the curated ones, as an import
    would."""
    importer = get_importer(slug)
    if importer.reads_benchmark_aliases:
        importer.benchmark_aliases = curated_benchmark_aliases()
    result = importer.parse(raw, file_name=file_name)
    assert isinstance(result, ParseResult)
    return result


def only(rows: Iterable[ParsedRow], **match: Any) -> ParsedRow:
    """The one row whose attributes equal `match` (conditions compared whole)."""
    found = [row for row in rows if all(getattr(row, key) == value for key, value in match.items())]
    assert len(found) == 1, f"{len(found)} rows match {match}"
    return found[0]


def natural_keys(rows: Iterable[ParsedRow]) -> list[tuple[Any, ...]]:
    """The Measurement unique key of each row (within one source)."""
    return [
        (row.raw_model_name, row.benchmark, conditions_key(row.conditions), row.as_of)
        for row in rows
    ]


@cache
def curated_benchmark_aliases() -> dict[str, str]:
    """Normalised alias -> benchmark slug, as the import service gives an importer that reads the
    catalogue's aliases, from the curated files (benchmarks.yaml and benchmark_aliases.yaml)."""
    import yaml

    from releases.names import normalize_name

    curated = FIXTURES_DIR / "curated"
    aliases: dict[str, str] = {}
    for benchmark in yaml.safe_load((curated / "benchmarks.yaml").read_text(encoding="utf-8")):
        for alias in benchmark.get("aliases") or []:
            aliases[normalize_name(str(alias))] = benchmark["slug"]
    extra = curated / "benchmark_aliases.yaml"
    if extra.is_file():
        for alias in yaml.safe_load(extra.read_text(encoding="utf-8")) or []:
            aliases[normalize_name(str(alias["name"]))] = alias["benchmark"]
    return aliases


def catalogue_importer(slug: str) -> Importer:
    """The registered importer for `slug`, given the curated catalogue's benchmark aliases."""
    importer = get_importer(slug)
    importer.benchmark_aliases = curated_benchmark_aliases()
    return importer
