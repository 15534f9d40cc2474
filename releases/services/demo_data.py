"""Load the curated real data in `fixtures/curated/` into the database, idempotently.

The YAML is keyed by natural keys (slugs, names, a citation's URL and document hash), never by
database ids, so it stays editable by hand. Loading has two steps:

1. Read and validate every file without touching the database. A missing key, an unknown
   slug, a claim whose variant belongs to another release, a value outside its benchmark's
   bounds, or a duplicate natural key raises `DemoDataError` naming the file and the record.
2. Upsert everything in one transaction, keyed by natural key. A row is saved only when a
   field actually differs, so a second run writes nothing and adds no history records.

The loader never deletes: rows an analyst added, and rows dropped from the YAML, stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from releases.conditions import conditions_key
from releases.models import (
    Benchmark,
    BenchmarkAlias,
    Citation,
    Claim,
    LeaderboardSource,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    ReportedFigure,
    Vendor,
)
from releases.names import normalize_name

Progress = Callable[[str], None]

# Models the loader writes, in the order it writes them (and reports them).
LOADED_MODELS: tuple[type[models.Model], ...] = (
    Vendor,
    ModelRelease,
    ModelVariant,
    Benchmark,
    BenchmarkAlias,
    LeaderboardSource,
    ModelAlias,
    Citation,
    Claim,
    ReportedFigure,
)


class DemoDataError(ValueError):
    """Curated data that cannot be loaded; the message names the file and the record."""


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class DemoDataSummary:
    """What a load did, per model, and how many rows each table of the app holds afterwards."""

    counts: dict[str, ModelCounts] = field(
        default_factory=lambda: {model.__name__: ModelCounts() for model in LOADED_MODELS}
    )
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": {
                name: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
                for name, c in self.counts.items()
            },
            "files": list(self.files),
            "rows": dict(self.rows),
        }


def demo_data_load(*, fixtures_dir: Path, progress: Progress | None = None) -> DemoDataSummary:
    """Validate and load `fixtures_dir/curated/**.yaml`; archive cited documents from
    `fixtures_dir/documents/`. Re-running changes nothing; bad data writes nothing."""
    report = progress or (lambda line: None)
    data = _read(fixtures_dir, report)
    summary = DemoDataSummary(files=[f.name for f in data.files])
    with transaction.atomic():
        _write(data, summary)
    summary.rows = table_row_counts()
    return summary


def table_row_counts() -> dict[str, int]:
    """Rows in every table of the releases app, history tables and m2m tables included."""
    app = apps.get_app_config("releases")
    return {
        model._meta.label: model._default_manager.count()
        for model in sorted(app.get_models(include_auto_created=True), key=lambda m: m._meta.label)
    }


# --- Reading and validation (no database) ------------------------------------------------


@dataclass(frozen=True)
class _Record:
    """One YAML mapping, with where it came from for error messages."""

    file: str
    index: int  # 1-based position in its list
    data: Mapping[str, Any]
    label: str = ""

    def where(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.file}, record {self.index}{label}"

    def error(self, message: str) -> DemoDataError:
        return DemoDataError(f"{self.where()}: {message}")

    def require(self, key: str) -> Any:
        if key not in self.data:
            raise self.error(f"missing key {key!r}")
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key, default)
        return default if value is None else value

    def check_keys(self, allowed: Iterable[str]) -> None:
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.error(f"unknown key(s) {', '.join(map(repr, unknown))}")


@dataclass
class _ClaimFile:
    name: str
    citation: str
    claims: list[_Record]
    figures: list[_Record]
    reported_by: str


@dataclass
class _FileInfo:
    name: str
    records: int


@dataclass
class _Data:
    vendors: list[_Record]
    releases: list[_Record]
    variants: dict[str, tuple[str, _Record]]  # variant slug -> (release slug, record)
    benchmarks: list[_Record]
    sources: list[_Record]
    aliases: list[_Record]
    citations: dict[str, _Record]  # key -> record
    documents: dict[str, bytes]  # archived_name -> bytes
    claim_files: list[_ClaimFile]
    files: list[_FileInfo]


_VENDOR_KEYS = {"slug", "name", "url"}
_RELEASE_KEYS = {
    "slug",
    "vendor",
    "name",
    "announced_on",
    "announcement_url",
    "architecture",
    "total_params_b",
    "active_params_b",
    "context_window_tokens",
    "notes",
    "variants",
}
_VARIANT_KEYS = {"slug", "name", "kind", "is_public", "hub_id", "notes"}
_BENCHMARK_KEYS = {
    "slug",
    "name",
    "unit",
    "higher_is_better",
    "min_value",
    "max_value",
    "item_count",
    "url",
    "description",
    "aliases",
    "related_to",
    "relation",
}
_SOURCE_KEYS = {
    "slug",
    "name",
    "importer",
    "evaluator",
    "live_url",
    "homepage_url",
    "refresh_interval_hours",
    "enabled",
    "notes",
}
_ALIAS_KEYS = {"name", "variant", "source", "note"}
_CITATION_KEYS = {
    "key",
    "url",
    "title",
    "publisher",
    "published_on",
    "commit",
    "archived_name",
    "is_secondary",
    "primary_url",
    "notes",
}
_CLAIM_KEYS = {
    "release",
    "variant",
    "kind",
    "benchmark",
    "stated_text",
    "stated_value",
    "stated_std_error",
    "conditions",
    "compared_with",
    "location",
    "quote",
    "status",
    "notes",
}
_FIGURE_KEYS = {
    "subject_name",
    "subject_release",
    "benchmark",
    "value",
    "value_text",
    "conditions",
    "location",
    "quote",
}


def _load_yaml(path: Path, root: Path) -> Any:
    name = str(path.relative_to(root))
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoDataError(f"{name}: cannot read YAML: {exc}") from exc


def _records(path: Path, root: Path, label_key: str) -> list[_Record]:
    """The list of mappings a catalogue file holds, as records."""
    name = str(path.relative_to(root))
    content = _load_yaml(path, root)
    if content is None:
        return []
    if not isinstance(content, list):
        raise DemoDataError(f"{name}: expected a list of records")
    records = []
    for index, item in enumerate(content, start=1):
        if not isinstance(item, dict):
            raise DemoDataError(f"{name}, record {index}: expected a mapping")
        records.append(_Record(name, index, item, str(item.get(label_key, ""))))
    return records


def _unique(records: Iterable[_Record], key: Callable[[_Record], Any], what: str) -> None:
    seen: dict[Any, _Record] = {}
    for record in records:
        value = key(record)
        if value in seen:
            raise record.error(f"duplicate {what} {value!r} (also {seen[value].where()})")
        seen[value] = record


def _read(fixtures_dir: Path, report: Progress) -> _Data:
    """Every curated file, read and cross-checked; raises DemoDataError on the first problem."""
    curated = fixtures_dir / "curated"
    if not curated.is_dir():
        raise DemoDataError(f"no curated data at {curated}")
    files: list[_FileInfo] = []

    def catalogue(name: str, label_key: str) -> list[_Record]:
        records = _records(curated / name, curated, label_key)
        files.append(_FileInfo(name, len(records)))
        report(f"{name}: {len(records)} records")
        return records

    vendors = catalogue("vendors.yaml", "slug")
    releases = catalogue("releases.yaml", "slug")
    benchmarks = catalogue("benchmarks.yaml", "slug")
    sources = catalogue("sources.yaml", "slug")
    aliases = catalogue("aliases.yaml", "name")
    citation_records = catalogue("citations.yaml", "key")

    _check_simple(vendors, _VENDOR_KEYS, ("slug", "name"), "vendor slug")
    vendor_slugs = {r.data["slug"] for r in vendors}
    variants = _check_releases(releases, vendor_slugs)
    release_slugs = {r.data["slug"] for r in releases}
    bounds = _check_benchmarks(benchmarks)
    _check_simple(
        sources, _SOURCE_KEYS, ("slug", "name", "importer", "evaluator", "live_url"), "source slug"
    )
    _check_aliases(aliases, variants, {r.data["slug"] for r in sources})
    citations, documents = _check_citations(citation_records, fixtures_dir / "documents")

    claim_files = []
    for path in sorted((curated / "claims").glob("*.yaml")):
        claim_file = _read_claim_file(path, curated)
        files.append(_FileInfo(claim_file.name, len(claim_file.claims) + len(claim_file.figures)))
        report(
            f"{claim_file.name}: {len(claim_file.claims)} claims, "
            f"{len(claim_file.figures)} reported figures"
        )
        _check_claim_file(claim_file, citations, vendor_slugs, release_slugs, variants, bounds)
        claim_files.append(claim_file)
    return _Data(
        vendors=vendors,
        releases=releases,
        variants=variants,
        benchmarks=benchmarks,
        sources=sources,
        aliases=aliases,
        citations=citations,
        documents=documents,
        claim_files=claim_files,
        files=files,
    )


def _check_simple(
    records: list[_Record], allowed: set[str], required: Iterable[str], what: str
) -> None:
    for record in records:
        record.check_keys(allowed)
        for key in required:
            record.require(key)
    _unique(records, lambda r: r.data["slug"], what)


def _check_releases(
    releases: list[_Record], vendor_slugs: set[str]
) -> dict[str, tuple[str, _Record]]:
    """Check releases and their nested variants; return variant slug -> (release slug, record)."""
    variants: dict[str, tuple[str, _Record]] = {}
    for record in releases:
        record.check_keys(_RELEASE_KEYS)
        slug = record.require("slug")
        record.require("name")
        if record.require("vendor") not in vendor_slugs:
            raise record.error(f"unknown vendor {record.data['vendor']!r}")
        _check_choice(record, "architecture", ModelRelease.Architecture, required=False)
        _date(record, "announced_on")
        for index, item in enumerate(record.get("variants", []), start=1):
            label = f"{slug}, variant {index} {item.get('slug', '')}"
            variant = _Record(record.file, record.index, item, label)
            variant.check_keys(_VARIANT_KEYS)
            variant_slug = variant.require("slug")
            variant.require("name")
            _check_choice(variant, "kind", ModelVariant.Kind, required=True)
            if variant_slug in variants:
                raise variant.error(f"duplicate variant slug {variant_slug!r}")
            variants[variant_slug] = (slug, variant)
    _unique(releases, lambda r: r.data["slug"], "release slug")
    return variants


def _check_benchmarks(benchmarks: list[_Record]) -> dict[str, tuple[float | None, float | None]]:
    """Check benchmarks and that no alias spelling has two owners; return slug -> bounds."""
    bounds: dict[str, tuple[float | None, float | None]] = {}
    alias_owner: dict[str, str] = {}
    for record in benchmarks:
        record.check_keys(_BENCHMARK_KEYS)
        slug = record.require("slug")
        record.require("name")
        _check_choice(record, "unit", Benchmark.Unit, required=True)
        bounds[slug] = (record.get("min_value"), record.get("max_value"))
        for alias in record.get("aliases", []):
            owner = alias_owner.setdefault(normalize_name(str(alias)), slug)
            if owner != slug:
                raise record.error(f"benchmark alias {alias!r} already belongs to {owner!r}")
    _unique(benchmarks, lambda r: r.data["slug"], "benchmark slug")
    for record in benchmarks:
        # A related benchmark names the other one and how it differs, or neither.
        related_to = record.get("related_to")
        if related_to is not None and related_to not in bounds:
            raise record.error(f"related_to names an unknown benchmark {related_to!r}")
        if related_to == record.data["slug"]:
            raise record.error("a benchmark cannot be related to itself")
        relation = _check_choice(record, "relation", Benchmark.Relation, required=bool(related_to))
        if relation and not related_to:
            raise record.error("relation without related_to")
    return bounds


def _check_aliases(
    aliases: list[_Record], variants: Mapping[str, Any], source_slugs: set[str]
) -> None:
    for record in aliases:
        record.check_keys(_ALIAS_KEYS)
        record.require("name")
        if record.require("variant") not in variants:
            raise record.error(f"unknown variant {record.data['variant']!r}")
        if record.get("source") and record.data["source"] not in source_slugs:
            raise record.error(f"unknown source {record.data['source']!r}")
    _unique(
        aliases,
        lambda r: (r.get("source", ""), normalize_name(r.data["name"])),
        "alias (source, name)",
    )


def _check_citations(
    records: list[_Record], documents_dir: Path
) -> tuple[dict[str, _Record], dict[str, bytes]]:
    """Check citations and read their archived documents; return key -> record, name -> bytes."""
    citations: dict[str, _Record] = {}
    documents: dict[str, bytes] = {}
    for record in records:
        record.check_keys(_CITATION_KEYS)
        key = record.require("key")
        record.require("url")
        record.require("title")
        _date(record, "published_on")
        if record.get("is_secondary") and not record.get("primary_url"):
            raise record.error("a secondary citation needs primary_url")
        archived_name = record.get("archived_name", "")
        if archived_name:
            path = documents_dir / archived_name
            if not path.is_file():
                raise record.error(f"archived document {path} not found")
            documents[archived_name] = path.read_bytes()
        if key in citations:
            raise record.error(f"duplicate citation key {key!r}")
        citations[key] = record
    return citations, documents


def _check_claim_file(
    claim_file: _ClaimFile,
    citations: Mapping[str, _Record],
    vendor_slugs: set[str],
    release_slugs: set[str],
    variants: Mapping[str, tuple[str, _Record]],
    bounds: Mapping[str, tuple[float | None, float | None]],
) -> None:
    if claim_file.citation not in citations:
        raise DemoDataError(f"{claim_file.name}: unknown citation {claim_file.citation!r}")
    if claim_file.figures and claim_file.reported_by not in vendor_slugs:
        raise DemoDataError(f"{claim_file.name}: unknown reported_by {claim_file.reported_by!r}")
    for record in claim_file.claims:
        _check_claim(record, release_slugs, variants, bounds)
    for record in claim_file.figures:
        record.check_keys(_FIGURE_KEYS)
        record.require("subject_name")
        record.require("value")
        if record.require("benchmark") not in bounds:
            raise record.error(f"unknown benchmark {record.data['benchmark']!r}")
        subject = record.get("subject_release")
        if subject and subject not in release_slugs:
            raise record.error(f"unknown release {subject!r}")
        _check_bounds(record, "value", bounds[record.data["benchmark"]])
        _format_location(record)
    _unique(claim_file.claims, partial(_claim_identity, citation=claim_file.citation), "claim")
    _unique(
        claim_file.figures,
        lambda r: (r.data["subject_name"], r.data["benchmark"], _format_location(r)),
        "reported figure",
    )


def _read_claim_file(path: Path, root: Path) -> _ClaimFile:
    """A claims file: the citation key, its claims and any figures about other models."""
    name = str(path.relative_to(root))
    content = _load_yaml(path, root)
    if not isinstance(content, dict):
        raise DemoDataError(f"{name}: expected a mapping with 'citation' and 'claims'")
    unknown = sorted(set(content) - {"citation", "claims", "reported_figures", "reported_by"})
    if unknown:
        raise DemoDataError(f"{name}: unknown key(s) {', '.join(map(repr, unknown))}")
    if "citation" not in content:
        raise DemoDataError(f"{name}: missing key 'citation'")

    def records(key: str, label: Callable[[Mapping[str, Any]], str]) -> list[_Record]:
        items = content.get(key) or []
        if not isinstance(items, list):
            raise DemoDataError(f"{name}: {key!r} must be a list")
        result = []
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise DemoDataError(f"{name}, {key} record {index}: expected a mapping")
            result.append(_Record(f"{name}, {key}", index, item, label(item)))
        return result

    return _ClaimFile(
        name=name,
        citation=str(content["citation"]),
        claims=records(
            "claims",
            lambda item: " ".join(
                str(item[k]) for k in ("variant", "release", "benchmark") if item.get(k)
            )[:80],
        ),
        figures=records(
            "reported_figures", lambda item: f"{item.get('subject_name')} {item.get('benchmark')}"
        ),
        reported_by=str(content.get("reported_by", "")),
    )


def _check_claim(
    record: _Record,
    release_slugs: set[str],
    variants: Mapping[str, tuple[str, _Record]],
    bounds: Mapping[str, tuple[float | None, float | None]],
) -> None:
    record.check_keys(_CLAIM_KEYS)
    release = record.require("release")
    if release not in release_slugs:
        raise record.error(f"unknown release {release!r}")
    variant = record.get("variant")
    if variant is not None:
        if variant not in variants:
            raise record.error(f"unknown variant {variant!r}")
        if variants[variant][0] != release:
            raise record.error(
                f"variant {variant!r} belongs to release {variants[variant][0]!r}, not {release!r}"
            )
    kind = _check_choice(record, "kind", Claim.Kind, required=True)
    benchmark = record.get("benchmark")
    if benchmark is not None and benchmark not in bounds:
        raise record.error(f"unknown benchmark {benchmark!r}")
    if kind in Claim.NUMERIC_KINDS:
        if benchmark is None:
            raise record.error(f"a {kind} claim needs a benchmark")
        if record.get("stated_value") is None:
            raise record.error(f"a {kind} claim needs a stated_value")
    if benchmark is not None:
        _check_bounds(record, "stated_value", bounds[benchmark])
    status = _check_choice(record, "status", Claim.Status, required=False) or "published"
    if status == Claim.Status.PUBLISHED and not str(record.get("quote", "")).strip():
        raise record.error("a published claim needs a quote")
    for other in record.get("compared_with", []):
        if other not in release_slugs:
            raise record.error(f"unknown release {other!r} in compared_with")
    conditions = record.get("conditions", {})
    if not isinstance(conditions, dict):
        raise record.error("conditions must be a mapping")
    try:
        conditions_key(conditions)
    except ValueError as exc:
        raise record.error(str(exc)) from None
    _format_location(record)


def _claim_identity(record: _Record, *, citation: str) -> tuple[Any, ...]:
    """The natural key of a claim, as the database keys it."""
    return (
        record.data["release"],
        record.get("variant"),
        record.get("benchmark"),
        record.data["kind"],
        conditions_key(record.get("conditions", {})),
        citation,
    )


def _check_choice(
    record: _Record, key: str, choices: type[models.TextChoices], *, required: bool
) -> str | None:
    value = record.require(key) if required else record.get(key)
    if value is not None and value not in choices.values:
        raise record.error(f"{key} {value!r} is not one of {', '.join(choices.values)}")
    return value


def _check_bounds(record: _Record, key: str, bounds: tuple[float | None, float | None]) -> None:
    value = record.get(key)
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise record.error(f"{key} must be a number, not {value!r}")
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        raise record.error(f"{key} {value} is outside the benchmark's bounds [{low}, {high}]")


def _date(record: _Record, key: str) -> dt.date | None:
    value = record.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise record.error(f"{key} {value!r} is not a date (YYYY-MM-DD)") from None


def _format_location(record: _Record) -> str:
    """The structured location as a readable string: "table 4, row 'MMLU', column 'X'"."""
    location = record.get("location")
    if location is None:
        return ""
    if not isinstance(location, dict):
        raise record.error("location must be a mapping")
    if "section" in location:
        return f"section {location['section']!r}"
    missing = [key for key in ("table", "row", "column") if key not in location]
    if missing:
        raise record.error(f"location lacks {', '.join(missing)}")
    text = f"table {location['table']}, row '{location['row']}', column '{location['column']}'"
    if len(text) > Claim._meta.get_field("location").max_length:  # type: ignore[operator]
        raise record.error("location is too long to store")
    return text


# --- Writing ---------------------------------------------------------------------------------


def _write(data: _Data, summary: DemoDataSummary) -> None:
    counts = summary.counts
    vendor_ids = {
        r.data["slug"]: _upsert(
            Vendor,
            record=r,
            lookup={"slug": r.data["slug"]},
            values={"name": r.data["name"], "url": r.get("url", "")},
            counts=counts["Vendor"],
        )[0].pk
        for r in data.vendors
    }

    release_ids: dict[str, int] = {}
    for r in data.releases:
        release = _upsert(
            ModelRelease,
            record=r,
            lookup={"slug": r.data["slug"]},
            values={
                "vendor_id": vendor_ids[r.data["vendor"]],
                "name": r.data["name"],
                "announced_on": _date(r, "announced_on"),
                "announcement_url": r.get("announcement_url", ""),
                "architecture": r.get("architecture", ModelRelease.Architecture.UNKNOWN),
                "total_params_b": _float(r.get("total_params_b")),
                "active_params_b": _float(r.get("active_params_b")),
                "context_window_tokens": r.get("context_window_tokens"),
                "notes": _text(r.get("notes", "")),
            },
            counts=counts["ModelRelease"],
        )[0]
        release_ids[r.data["slug"]] = release.pk

    variant_ids: dict[str, int] = {}
    for slug, (release_slug, r) in data.variants.items():
        variant_ids[slug] = _upsert(
            ModelVariant,
            record=r,
            lookup={"slug": slug},
            values={
                "release_id": release_ids[release_slug],
                "name": r.data["name"],
                "kind": r.data["kind"],
                "is_public": bool(r.get("is_public", True)),
                "hub_id": r.get("hub_id", ""),
                "notes": _text(r.get("notes", "")),
            },
            counts=counts["ModelVariant"],
        )[0].pk

    benchmark_ids: dict[str, int] = {}
    benchmark_outcomes: dict[str, str] = {}
    for r in data.benchmarks:
        benchmark, benchmark_outcomes[r.data["slug"]] = _upsert(
            Benchmark,
            record=r,
            lookup={"slug": r.data["slug"]},
            values={
                "name": r.data["name"],
                "unit": r.data["unit"],
                "higher_is_better": bool(r.get("higher_is_better", True)),
                "min_value": _float(r.get("min_value")),
                "max_value": _float(r.get("max_value")),
                "item_count": r.get("item_count"),
                "url": r.get("url", ""),
                "description": _text(r.get("description", "")),
            },
            counts=counts["Benchmark"],
        )
        benchmark_ids[r.data["slug"]] = benchmark.pk
        for alias in r.get("aliases", []):
            _upsert(
                BenchmarkAlias,
                record=r,
                lookup={"normalized_name": normalize_name(str(alias))},
                values={"benchmark_id": benchmark.pk, "name": str(alias)},
                counts=counts["BenchmarkAlias"],
            )[0]
    # Relations once every benchmark exists: a benchmark may name one listed after it.
    for r in data.benchmarks:
        _, outcome = _upsert(
            Benchmark,
            record=r,
            lookup={"slug": r.data["slug"]},
            values={
                "related_to_id": benchmark_ids.get(r.get("related_to")),
                "relation": r.get("relation") or "",
            },
            counts=ModelCounts(),
        )
        if outcome == "updated" and benchmark_outcomes[r.data["slug"]] == "unchanged":
            counts["Benchmark"].unchanged -= 1
            counts["Benchmark"].updated += 1

    source_ids: dict[str, int] = {}
    for r in data.sources:
        source_ids[r.data["slug"]] = _upsert(
            LeaderboardSource,
            record=r,
            lookup={"slug": r.data["slug"]},
            values={
                "name": r.data["name"],
                "importer": r.data["importer"],
                "evaluator": r.data["evaluator"],
                "live_url": r.data["live_url"],
                "homepage_url": r.get("homepage_url", ""),
                "refresh_interval_hours": int(r.get("refresh_interval_hours", 24)),
                "enabled": bool(r.get("enabled", True)),
                "notes": _text(r.get("notes", "")),
            },
            counts=counts["LeaderboardSource"],
        )[0].pk

    for r in data.aliases:
        source = r.get("source")
        _upsert(
            ModelAlias,
            record=r,
            lookup={
                "source_id": source_ids[source] if source else None,
                "normalized_name": normalize_name(r.data["name"]),
            },
            values={
                "name": r.data["name"],
                "variant_id": variant_ids[r.data["variant"]],
                "note": _text(r.get("note", "")),
            },
            counts=counts["ModelAlias"],
        )[0]

    citation_ids: dict[str, int] = {}
    for key, r in data.citations.items():
        content = data.documents.get(r.get("archived_name", ""))
        probe = Citation()
        if content is not None:
            probe.archive(content)
        citation_ids[key] = _upsert(
            Citation,
            record=r,
            lookup={"url": r.data["url"], "sha256": probe.sha256},
            values={
                "title": r.data["title"],
                "publisher": r.get("publisher", ""),
                "published_on": _date(r, "published_on"),
                "commit": r.get("commit", ""),
                "archived_name": r.get("archived_name", ""),
                "is_secondary": bool(r.get("is_secondary", False)),
                "primary_url": r.get("primary_url", ""),
                "notes": _text(r.get("notes", "")),
            },
            counts=counts["Citation"],
            on_create=_archiver(content) if content is not None else None,
        )[0].pk

    for claim_file in data.claim_files:
        citation_id = citation_ids[claim_file.citation]
        for r in claim_file.claims:
            _sync_claim(r, citation_id, release_ids, variant_ids, benchmark_ids, counts["Claim"])
        for r in claim_file.figures:
            subject_release = r.get("subject_release")
            _upsert(
                ReportedFigure,
                record=r,
                lookup={
                    "citation_id": citation_id,
                    "subject_name": r.data["subject_name"],
                    "benchmark_id": benchmark_ids[r.data["benchmark"]],
                    "location": _format_location(r),
                },
                values={
                    "reported_by_id": vendor_ids[claim_file.reported_by],
                    "subject_release_id": release_ids[subject_release] if subject_release else None,
                    "value": float(r.data["value"]),
                    "value_text": str(r.get("value_text", "")),
                    "conditions": r.get("conditions", {}),
                    "quote": _text(r.get("quote", "")),
                },
                counts=counts["ReportedFigure"],
            )[0]


def _archiver(content: bytes) -> Callable[[Citation], None]:
    """Archive the document's bytes on a citation being created (the sha256 is its key)."""

    def archive(citation: Citation) -> None:
        citation.archive(content)

    return archive


def _sync_claim(
    r: _Record,
    citation_id: int,
    release_ids: Mapping[str, int],
    variant_ids: Mapping[str, int],
    benchmark_ids: Mapping[str, int],
    counts: ModelCounts,
) -> None:
    conditions = r.get("conditions", {})
    variant = r.get("variant")
    benchmark = r.get("benchmark")
    value = r.get("stated_value")
    std_error = r.get("stated_std_error")
    claim, outcome = _upsert(
        Claim,
        record=r,
        lookup={
            "release_id": release_ids[r.data["release"]],
            "variant_id": variant_ids[variant] if variant else None,
            "benchmark_id": benchmark_ids[benchmark] if benchmark else None,
            "kind": r.data["kind"],
            "conditions_key": conditions_key(conditions),
            "citation_id": citation_id,
        },
        values={
            "conditions": conditions,
            "stated_value": _float(value),
            "stated_text": str(r.get("stated_text", "")),
            "stated_std_error": _float(std_error),
            "quote": _text(r.get("quote", "")),
            "location": _format_location(r),
            "status": r.get("status", Claim.Status.PUBLISHED),
            "notes": _text(r.get("notes", "")),
        },
        counts=counts,
    )
    wanted = {release_ids[slug] for slug in r.get("compared_with", [])}
    current = set(claim.compared_with.values_list("pk", flat=True))
    if wanted != current:
        claim.compared_with.set(wanted)
        if outcome == "unchanged":
            counts.unchanged -= 1
            counts.updated += 1


def _upsert(
    model: type[models.Model],
    *,
    record: _Record,
    lookup: dict[str, Any],
    values: dict[str, Any],
    counts: ModelCounts,
    on_create: Callable[[Any], None] | None = None,
) -> tuple[Any, str]:
    """Create the row, or update only the fields that differ, or leave it alone.

    Saving an unchanged row would still add a history record (and bump `updated_at`), so an
    unchanged row is not saved at all: that is what makes a second load write nothing.
    Returns the row and "created", "updated" or "unchanged".
    """
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        if on_create is not None:
            on_create(instance)
        _save(instance, record)
        counts.created += 1
        return instance, "created"
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if not changed:
        counts.unchanged += 1
        return instance, "unchanged"
    for name, value in changed.items():
        setattr(instance, name, value)
    _save(instance, record)
    counts.updated += 1
    return instance, "updated"


def _save(instance: models.Model, record: _Record) -> None:
    """Validate, then save; any refusal becomes an error naming the record."""
    if isinstance(instance, ModelAlias | BenchmarkAlias):
        # Normally set in save(); full_clean checks uniqueness on it first.
        instance.normalized_name = normalize_name(instance.name)
    try:
        instance.full_clean()
        instance.save()
    except ValidationError as exc:
        raise record.error(f"invalid {type(instance).__name__}: {_messages(exc)}") from exc
    except DatabaseError as exc:
        raise record.error(f"the database refused {type(instance).__name__}: {exc}") from exc


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _text(value: Any) -> str:
    """YAML block scalars end in a newline; stored text does not."""
    return str(value).strip()
