"""Reading and validating the curated YAML: files in, plain validated records out, no database.

Every file under `fixtures/curated/` is read and every record checked against its spec
(`releases.curated.specs`) and against the others: a missing or unknown key, a value of the
wrong type, an unknown slug, a claim whose variant belongs to another release, a value outside
its benchmark's bounds, a duplicate, or a quote that is not in its cited document raises
`CuratedDataError` naming the file, the record and the field. Nothing is written until all of
it has passed.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from releases.conditions import conditions_key
from releases.curated.specs import (
    BENCHMARK,
    BENCHMARK_ALIAS,
    BENCHMARK_RELATION,
    CITATION,
    CLAIM,
    MODEL_ALIAS,
    RELEASE,
    REPORTED_FIGURE,
    SOURCE,
    SPEC_BY_NAME,
    SPECS,
    VARIANT,
    VENDOR,
    FieldValueError,
    Spec,
)
from releases.documents.tables import (
    Quote,
    Table,
    byte_span,
    read_tables,
    readable_text,
    row_quote,
)
from releases.models import Claim
from releases.names import normalize_name

Progress = Callable[[str], None]

# The catalogue files, with the key that labels a record in error messages.
CATALOGUE_FILES: tuple[tuple[str, Spec], ...] = (
    ("vendors.yaml", VENDOR),
    ("releases.yaml", RELEASE),
    ("benchmarks.yaml", BENCHMARK),
    ("sources.yaml", SOURCE),
    ("aliases.yaml", MODEL_ALIAS),
    ("citations.yaml", CITATION),
    # Leaderboard-qualified titles ("helm_capabilities/GPQA"), each with a note saying why it
    # means that benchmark; optional, since a catalogue can do with the aliases on each benchmark.
    ("benchmark_aliases.yaml", BENCHMARK_ALIAS),
)
OPTIONAL_CATALOGUE_FILES = frozenset({"benchmark_aliases.yaml"})
CLAIM_FILE_KEYS = frozenset({"citation", "claims", "reported_figures", "reported_by"})
LOCATION_MAX_LENGTH: int = Claim._meta.get_field("location").max_length  # type: ignore[assignment]


class CuratedDataError(ValueError):
    """Curated data that cannot be loaded; the message names the file, the record and the field."""


@dataclass(frozen=True)
class Where:
    """Where a record came from, for error messages."""

    file: str
    index: int  # 1-based position in its list
    label: str = ""

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return f"{self.file}, record {self.index}{label}"

    def error(self, message: str) -> CuratedDataError:
        return CuratedDataError(f"{self}: {message}")


@dataclass(frozen=True)
class Entry:
    """One record, read and checked: every field of its spec, defaults filled in."""

    spec: Spec
    where: Where
    values: Mapping[str, Any]
    # Columns validation computed from the record and its document (a quote's byte range).
    derived: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class FileInfo:
    name: str
    records: int


@dataclass
class CuratedData:
    """Everything `curated_data_write` needs: records per spec, and the cited documents."""

    entries: dict[str, list[Entry]] = field(
        default_factory=lambda: {spec.name: [] for spec in SPECS}
    )
    documents: dict[str, bytes] = field(default_factory=dict)  # archived_name -> bytes
    files: list[FileInfo] = field(default_factory=list)


def curated_data_read(*, fixtures_dir: Path, progress: Progress | None = None) -> CuratedData:
    """Every curated file, read and cross-checked; raises CuratedDataError on the first problem."""
    report = progress or (lambda line: None)
    curated = fixtures_dir / "curated"
    if not curated.is_dir():
        raise CuratedDataError(f"no curated data at {curated}")
    data = CuratedData()
    for name, spec in CATALOGUE_FILES:
        if name in OPTIONAL_CATALOGUE_FILES and not (curated / name).is_file():
            continue
        items = _list(_load_yaml(curated / name, name), name)
        entries = [
            _entry(spec, Where(name, i, str(item.get(spec.key or "", ""))), item)
            for i, item in items
        ]
        if spec is BENCHMARK_ALIAS:
            for entry in entries:
                if not entry["note"]:
                    raise entry.where.error(
                        "missing key 'note': say why this title means that benchmark"
                    )
        data.entries[spec.name].extend(entries)
        data.files.append(FileInfo(name, len(entries)))
        report(f"{name}: {len(entries)} records")
    _nested_records(data)

    for path in sorted((curated / "claims").glob("*.yaml")):
        name = str(path.relative_to(curated))
        claims, figures = _claim_file(_load_yaml(path, name), name)
        data.entries[CLAIM.name].extend(claims)
        data.entries[REPORTED_FIGURE.name].extend(figures)
        data.files.append(FileInfo(name, len(claims) + len(figures)))
        report(f"{name}: {len(claims)} claims, {len(figures)} reported figures")

    _check_keys_unique(data)
    _check_references(data)
    data.documents = _check_citations(data.entries[CITATION.name], fixtures_dir / "documents")
    _check_aliases(data)
    _check_claims(data)
    _check_figures(data)
    _check_quotes(data)
    return data


def location_text(location: Mapping[str, Any] | None) -> str:
    """The structured location as a readable string: "table 4, row 'MMLU', column 'X'"."""
    if location is None:
        return ""
    if "section" in location:
        return f"section {location['section']!r}"
    missing = [key for key in ("table", "row", "column") if key not in location]
    if missing:
        raise FieldValueError(f"lacks {', '.join(missing)}")
    text = f"table {location['table']}, row '{location['row']}', column '{location['column']}'"
    if len(text) > LOCATION_MAX_LENGTH:
        raise FieldValueError("is too long to store")
    return text


# --- Files and records ------------------------------------------------------------------------


# libyaml's parser where PyYAML was built with it: the same safe schema, five times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path, name: str) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise CuratedDataError(f"{name}: cannot read YAML: {exc}") from exc


def _list(content: Any, name: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings a list holds, numbered from 1."""
    if content is None:
        return []
    if not isinstance(content, list):
        raise CuratedDataError(f"{name}: expected a list of records")
    for index, item in enumerate(content, start=1):
        if not isinstance(item, dict):
            raise CuratedDataError(f"{name}, record {index}: expected a mapping")
    return list(enumerate(content, start=1))


def _entry(spec: Spec, where: Where, item: Mapping[str, Any]) -> Entry:
    """Check a record's keys and read each value with its field's reader."""
    unknown = sorted(set(item) - spec.keys)
    if unknown:
        raise where.error(f"unknown key(s) {', '.join(map(repr, unknown))}")
    values: dict[str, Any] = {}
    for f in spec.fields:
        value = item.get(f.key)
        if value is None:
            if f.required:
                raise where.error(f"missing key {f.key!r}")
            values[f.key] = copy.deepcopy(f.default)
            continue
        try:
            values[f.key] = f.read(value)
        except FieldValueError as exc:
            raise where.error(f"{f.key} {exc}") from None
    return Entry(spec, where, values)


def _nested_records(data: CuratedData) -> None:
    """Variants nested in releases and alias spellings listed in benchmarks, as records."""
    for release in data.entries[RELEASE.name]:
        for index, item in enumerate(release["variants"], start=1):
            label = f"{release['slug']}, variant {index} {item.get('slug', '')}"
            where = Where(release.where.file, release.where.index, label)
            data.entries[VARIANT.name].append(
                _entry(VARIANT, where, {**item, "release": release["slug"]})
            )
    for benchmark in data.entries[BENCHMARK.name]:
        if benchmark["related_to"] is not None or benchmark["relation"]:
            if benchmark["related_to"] is None or not benchmark["relation"]:
                raise benchmark.where.error("related_to and relation go together: give both")
            if benchmark["related_to"] == benchmark["slug"]:
                raise benchmark.where.error("a benchmark cannot be related to itself")
            data.entries[BENCHMARK_RELATION.name].append(
                _entry(
                    BENCHMARK_RELATION,
                    benchmark.where,
                    {
                        "slug": benchmark["slug"],
                        "related_to": benchmark["related_to"],
                        "relation": benchmark["relation"],
                    },
                )
            )
        for alias in benchmark["aliases"]:
            data.entries[BENCHMARK_ALIAS.name].append(
                _entry(
                    BENCHMARK_ALIAS,
                    benchmark.where,
                    {"benchmark": benchmark["slug"], "name": alias},
                )
            )


def _claim_file(content: Any, name: str) -> tuple[list[Entry], list[Entry]]:
    """A claims file: the citation key, its claims, and any figures about other models."""
    if not isinstance(content, dict):
        raise CuratedDataError(f"{name}: expected a mapping with 'citation' and 'claims'")
    unknown = sorted(set(content) - CLAIM_FILE_KEYS)
    if unknown:
        raise CuratedDataError(f"{name}: unknown key(s) {', '.join(map(repr, unknown))}")
    if "citation" not in content:
        raise CuratedDataError(f"{name}: missing key 'citation'")
    shared = {"citation": content["citation"]}

    def entries(key: str, spec: Spec, label: Callable[[Mapping[str, Any]], str], **extra: Any):
        items = content.get(key) or []
        if not isinstance(items, list):
            raise CuratedDataError(f"{name}: {key!r} must be a list")
        result = []
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise CuratedDataError(f"{name}, {key} record {index}: expected a mapping")
            where = Where(f"{name}, {key}", index, label(item))
            unknown = sorted(set(item) & (set(shared) | set(extra)))
            if unknown:
                raise where.error(f"unknown key(s) {', '.join(map(repr, unknown))}")
            result.append(_entry(spec, where, {**item, **shared, **extra}))
        return result

    claims = entries(
        "claims",
        CLAIM,
        lambda item: (
            str(item.get("key", ""))
            or " ".join(str(item[k]) for k in ("variant", "release", "benchmark") if item.get(k))[
                :80
            ]
        ),
    )
    figures = entries(
        "reported_figures",
        REPORTED_FIGURE,
        lambda item: f"{item.get('subject_name')} {item.get('benchmark')}",
        reported_by=content.get("reported_by"),
    )
    return claims, figures


# --- Cross-checks -----------------------------------------------------------------------------


def _unique(entries: Iterable[Entry], key: Callable[[Entry], Any], what: str) -> None:
    seen: dict[Any, Entry] = {}
    for entry in entries:
        value = key(entry)
        if value in seen:
            raise entry.where.error(f"duplicate {what} {value!r} (also {seen[value].where})")
        seen[value] = entry


def _check_keys_unique(data: CuratedData) -> None:
    for spec in SPECS:
        key = spec.key
        if key is not None and spec not in (BENCHMARK_ALIAS, MODEL_ALIAS):
            what = "citation key" if spec is CITATION else f"{spec.name} {key}"
            _unique(data.entries[spec.name], partial(_value, key=key), what)


def _value(entry: Entry, *, key: str) -> Any:
    return entry[key]


def _check_references(data: CuratedData) -> None:
    """Every slug or key a record gives names a record of the kind it refers to."""
    known = {
        spec.name: {entry[spec.key] for entry in data.entries[spec.name]}
        for spec in SPECS
        if spec.key is not None
    }
    for spec in SPECS:
        refs = [f for f in spec.fields if f.ref is not None]
        for entry in data.entries[spec.name]:
            for f in refs:
                assert f.ref is not None and SPEC_BY_NAME[f.ref].key is not None
                value = entry[f.key]
                for item in value if isinstance(value, list) else [value]:
                    if item is not None and item not in known[f.ref]:
                        raise entry.where.error(f"unknown {f.key.replace('_', ' ')} {item!r}")


def _check_citations(entries: list[Entry], documents_dir: Path) -> dict[str, bytes]:
    """Secondary citations name their primary; archived documents exist. Returns their bytes."""
    documents: dict[str, bytes] = {}
    for entry in entries:
        if entry["is_secondary"] and not entry["primary_url"]:
            raise entry.where.error("a secondary citation needs primary_url")
        if entry["archived_name"]:
            path = documents_dir / entry["archived_name"]
            if not path.is_file():
                raise entry.where.error(f"archived document {path} not found")
            documents[entry["archived_name"]] = path.read_bytes()
    return documents


def _check_aliases(data: CuratedData) -> None:
    owners: dict[str, Entry] = {}
    for alias in data.entries[BENCHMARK_ALIAS.name]:
        owner = owners.setdefault(normalize_name(alias["name"]), alias)
        if owner["benchmark"] != alias["benchmark"]:
            raise alias.where.error(
                f"benchmark alias {alias['name']!r} already belongs to {owner['benchmark']!r}"
            )
    _unique(
        data.entries[MODEL_ALIAS.name],
        lambda e: (e["source"] or "", normalize_name(e["name"])),
        "alias (source, name)",
    )


def _bounds(data: CuratedData) -> dict[str, tuple[float | None, float | None]]:
    return {b["slug"]: (b["min_value"], b["max_value"]) for b in data.entries[BENCHMARK.name]}


def _check_bounds(entry: Entry, key: str, bounds: tuple[float | None, float | None]) -> None:
    value = entry[key]
    low, high = bounds
    if value is not None and (
        (low is not None and value < low) or (high is not None and value > high)
    ):
        raise entry.where.error(
            f"{key} {value:g} is outside the benchmark's bounds [{low}, {high}]"
        )


def _check_location(entry: Entry) -> None:
    try:
        location_text(entry["location"])
    except FieldValueError as exc:
        raise entry.where.error(f"location {exc}") from None


def _check_claims(data: CuratedData) -> None:
    release_of = {v["slug"]: v["release"] for v in data.entries[VARIANT.name]}
    secondary = {c["key"]: c["is_secondary"] for c in data.entries[CITATION.name]}
    bounds = _bounds(data)
    for claim in data.entries[CLAIM.name]:
        variant, release, kind = claim["variant"], claim["release"], claim["kind"]
        if variant is not None and release_of[variant] != release:
            raise claim.where.error(
                f"variant {variant!r} belongs to release {release_of[variant]!r}, not {release!r}"
            )
        if kind in Claim.NUMERIC_KINDS:
            if claim["benchmark"] is None:
                raise claim.where.error(f"a {kind} claim needs a benchmark")
            if claim["stated_value"] is None:
                raise claim.where.error(f"a {kind} claim needs a stated_value")
        if claim["benchmark"] is not None:
            _check_bounds(claim, "stated_value", bounds[claim["benchmark"]])
        _check_reporting(claim, secondary[claim["citation"]])
        try:
            conditions_key(claim["conditions"])
        except ValueError as exc:
            raise claim.where.error(f"conditions {exc}") from None
        _check_location(claim)
    _unique(
        data.entries[CLAIM.name],
        lambda c: (
            c["release"],
            c["variant"],
            c["benchmark"],
            c["kind"],
            conditions_key(c["conditions"]),
            c["citation"],
        ),
        "claim",
    )


# A passage in quotation marks: double or curly quotes, or single quotes that open after a space
# or a double quote (so the apostrophe of "Meta's" opens nothing).
_QUOTED = re.compile(
    r'"([^"]+)"|“([^”]+)”|‘([^’]+)’|(?:^|(?<=[\s"“(]))\'(.+?)\'(?=[\s".,;:!?)”]|$)'
)


def quoted_passages(text: str) -> list[str]:
    """The passages a text puts in quotation marks (nested ones included)."""
    passages = []
    for match in _QUOTED.finditer(text):
        inner = next(group for group in match.groups() if group is not None)
        passages.append(inner)
        passages.extend(quoted_passages(inner))
    return passages


def _check_reporting(claim: Entry, secondary: bool) -> None:
    """The vendor's words are quoted as the vendor's; reporting's words are not.

    A claim on a secondary citation keeps the reporting's sentence in `reported_text` and
    quotes, as the vendor's, only words that sentence puts in quotation marks (or none).
    """
    quote, reported = claim["quote"], claim["reported_text"]
    if not secondary:
        if reported:
            raise claim.where.error("reported_text is only for a claim on a secondary citation")
        if claim["status"] == Claim.Status.PUBLISHED and not quote.strip():
            raise claim.where.error("a published claim needs a quote")
        return
    if claim["status"] == Claim.Status.PUBLISHED and not reported.strip():
        raise claim.where.error("a claim on a secondary citation needs reported_text")
    if quote and not any(quote in passage for passage in quoted_passages(reported)):
        raise claim.where.error(
            "quote: a claim known from reporting quotes as the vendor's only words the "
            "reporting puts in quotation marks, and reported_text has none such"
        )


def _check_figures(data: CuratedData) -> None:
    bounds = _bounds(data)
    for figure in data.entries[REPORTED_FIGURE.name]:
        _check_bounds(figure, "value", bounds[figure["benchmark"]])
        _check_location(figure)
    _unique(
        data.entries[REPORTED_FIGURE.name],
        lambda f: (f["citation"], f["subject_name"], f["benchmark"], location_text(f["location"])),
        "reported figure",
    )


def _check_quotes(data: CuratedData) -> None:
    """Each quote is a byte range of its cited document: the row at the record's location as
    the document writes it, or a sentence under the section it names. Records gain the range
    and a readable rendering (`derived`)."""
    citations = {c["key"]: c for c in data.entries[CITATION.name]}
    texts: dict[str, tuple[str, list[Table]]] = {}
    for spec in (CLAIM, REPORTED_FIGURE):
        checked = []
        for entry in data.entries[spec.name]:
            name = citations[entry["citation"]]["archived_name"]
            if not entry["quote"] or not name:
                # No archived copy to locate it in: the reporting's words as recorded.
                quote = Quote(entry["quote"], -1, -1, readable_text(entry["quote"]))
            else:
                if name not in texts:
                    text = data.documents[name].decode("utf-8")
                    texts[name] = (text, read_tables(text))
                quote = _quote_in_document(entry, *texts[name])
            derived = {
                "quote_start": quote.start if quote.start >= 0 else None,
                "quote_end": quote.end if quote.end >= 0 else None,
                "quote_readable": quote.readable,
            }
            checked.append(dataclasses.replace(entry, derived=derived))
        data.entries[spec.name] = checked


def _quote_in_document(entry: Entry, text: str, tables: list[Table]) -> Quote:
    quote, location = entry["quote"], entry["location"] or {}
    if "section" in location:
        heading = re.search(rf"^#+ +{re.escape(location['section'])}\s*$", text, re.M)
        if heading is None:
            raise entry.where.error(f"location: no section {location['section']!r} in the document")
        start = text.find(quote, heading.end())
        if start < 0:
            raise entry.where.error(
                f"quote is not in section {location['section']!r} of the document as written"
            )
        return Quote(quote, *byte_span(text, start, start + len(quote)), readable_text(quote))
    if "table" not in location:
        raise entry.where.error("a quote from an archived document needs its location")
    number = location["table"]
    if not 1 <= number <= len(tables):
        raise entry.where.error(f"location: the document has no table {number}")
    table = tables[number - 1]
    rows = [i for i, row in enumerate(table.rows, start=1) if location["row"] in row]
    if len(rows) != 1:
        raise entry.where.error(
            f"location: {len(rows)} rows of table {number} are labelled {location['row']!r}"
        )
    found = row_quote(text, table, rows[0])
    if found.text != quote:
        raise entry.where.error(
            f"quote is not row {location['row']!r} of table {number} as the document writes "
            f"it (copy bytes {found.start}-{found.end} of the archived file)"
        )
    return found
