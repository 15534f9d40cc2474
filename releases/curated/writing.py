"""Writing validated curated records to the database, idempotently.

Each record is upserted on its spec's lookup columns, in the specs' order, inside the caller's
transaction. A row is saved only when a column actually differs: saving an unchanged row would
still add a history record and bump `updated_at`, so a second load writes nothing at all. The
writer never deletes: rows an analyst added, and rows dropped from the YAML, stay.

Claims are edited after they are loaded (by analysts, and by `extract_claims` when the vendor
revises a document), so they are found by their curated key and given only what the YAML changed
since the last load (`_sync_claim`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models
from django.db.models import Q

from releases.conditions import conditions_key
from releases.curated.reading import CuratedData, Entry, location_text
from releases.curated.specs import CITATION, CLAIM, CLAIM_NATURAL_KEY, REPORTED_FIGURE, SPECS
from releases.models import BenchmarkAlias, Citation, Claim, ModelAlias, ReportedFigure
from releases.names import normalize_name


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class CuratedDataSummary:
    """What a load did, per model, and how many rows each table of the app holds afterwards."""

    counts: dict[str, ModelCounts] = field(
        default_factory=lambda: {spec.name: ModelCounts() for spec in SPECS}
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


# Slug (or key) -> row id, per spec, for the records written so far.
Ids = dict[str, dict[Any, int]]


def curated_data_write(data: CuratedData, summary: CuratedDataSummary) -> None:
    """Upsert every record; run inside a transaction, so a refusal leaves nothing written."""
    ids: Ids = {spec.name: {} for spec in SPECS}
    for spec in SPECS:
        entries = data.entries[spec.name]
        all_columns = [_columns(e, ids) | _derived(e, data) | dict(e.derived) for e in entries]
        if spec is CLAIM:
            existing_claims = _ExistingClaims([e["key"] for e in entries])
        elif entries:
            existing = _existing_rows(spec.model, spec.lookup, all_columns)
        for entry, columns in zip(entries, all_columns, strict=True):
            row: models.Model
            outcome: str
            if spec is CLAIM:
                row, outcome = _sync_claim(entry, columns, ids, existing_claims)
            elif spec is REPORTED_FIGURE and (newer := _figure_read_since(entry, columns, data)):
                row, outcome = newer, "unchanged"
            else:
                row, outcome = _upsert(entry, columns, existing, on_create=_on_create(entry, data))
            counts = summary.counts[spec.name]
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            if spec.key is not None:
                ids[spec.name][entry[spec.key]] = row.pk


def _lookup_key(values: Mapping[str, Any], lookup: tuple[str, ...]) -> tuple:
    return tuple(values[name] for name in lookup)


def _existing_rows(
    model: type[models.Model], lookup: tuple[str, ...], all_columns: list[dict[str, Any]]
) -> dict[tuple, models.Model]:
    """The rows the records may already have, by their lookup columns: one query per model
    rather than one per record (the first lookup column narrows it to the records' values)."""
    first = lookup[0]
    wanted = {columns[first] for columns in all_columns}
    narrowed = Q(**{f"{first}__in": wanted - {None}})
    if None in wanted:  # SQL's IN never matches NULL (a global alias has no source)
        narrowed |= Q(**{f"{first}__isnull": True})
    rows = model._default_manager.filter(narrowed)
    found: dict[tuple, models.Model] = {}
    for row in rows.order_by("pk"):
        found.setdefault(_lookup_key(vars(row), lookup), row)  # the first, as .first() was
    return found


class _ExistingClaims:
    """The curated claims already loaded, by curated key (one query, their rivals with them),
    and whether any claim predates curated keys (then looked up by what identified it)."""

    def __init__(self, keys: list[str]) -> None:
        claims = Claim.objects.filter(curated_key__in=keys).prefetch_related("compared_with")
        self.by_key = {claim.curated_key: claim for claim in claims.order_by("pk")}
        self.any_unkeyed = Claim.objects.filter(curated_key="").exists()


def _columns(entry: Entry, ids: Ids) -> dict[str, Any]:
    """The record's values under their column names, references resolved to row ids."""
    columns = {}
    for f in entry.spec.fields:
        target = f.target
        if target is None:
            continue
        value = entry[f.key]
        if f.ref is not None and value is not None:
            value = ids[f.ref][value]
        columns[target] = value
    return columns


def _derived(entry: Entry, data: CuratedData) -> dict[str, Any]:
    """Columns computed from a record rather than copied from it."""
    spec = entry.spec
    if spec.model in (BenchmarkAlias, ModelAlias):
        return {"normalized_name": normalize_name(entry["name"])}
    if spec is CITATION:
        content = data.documents.get(entry["archived_name"])
        return {"sha256": hashlib.sha256(content).hexdigest() if content is not None else ""}
    if "location" in spec.keys:
        derived = {"location": location_text(entry["location"])}
        if spec is CLAIM:
            derived["conditions_key"] = conditions_key(entry["conditions"])
        return derived
    return {}


def _on_create(entry: Entry, data: CuratedData) -> Callable[[Any], None] | None:
    """Archive a citation's document on the row being created (its sha256 is part of the key)."""
    if entry.spec is not CITATION or entry["archived_name"] not in data.documents:
        return None
    content = data.documents[entry["archived_name"]]

    def archive(citation: Citation) -> None:
        citation.archive(content)

    return archive


def _figure_read_since(
    entry: Entry, columns: Mapping[str, Any], data: CuratedData
) -> ReportedFigure | None:
    """The figure, if `extract_claims` has since moved it to another version of its document
    (the vendor changed it): that reading stands, and loading the YAML again must not add the
    old one back beside it."""
    url = next(c["url"] for c in data.entries[CITATION.name] if c["key"] == entry["citation"])
    lookup = {name: columns[name] for name in REPORTED_FIGURE.lookup if name != "citation_id"}
    versions = ReportedFigure.objects.filter(citation__url=url, **lookup)
    if versions.filter(citation_id=columns["citation_id"]).exists():
        return None
    return versions.first()


def _sync_claim(
    entry: Entry, columns: Mapping[str, Any], ids: Ids, existing: _ExistingClaims
) -> tuple[Claim, str]:
    """Create a curated claim, or apply to it only what the YAML changed since the last load.

    A claim is edited after it is loaded: an analyst adds a condition, `extract_claims` records
    the vendor's revision (a new value, a newer version as its citation, back to draft). The
    YAML as last loaded is kept on the claim (`curated_values`), so a later load tells the
    curator's own edits (applied) from the YAML merely still saying what it said (which leaves
    the claim as others made it). The claim is found by its curated key, whatever its
    conditions or citation have become, so a load never duplicates it.
    """
    recorded = {name: value for name, value in columns.items() if name != "conditions_key"}
    recorded["compared_with"] = sorted(ids["ModelRelease"][s] for s in entry["compared_with"])
    claim = existing.by_key.get(entry["key"])
    if claim is None and existing.any_unkeyed:
        # Loaded before curated claims had keys: found once by what identified them then.
        natural = {name: columns[name] for name in CLAIM_NATURAL_KEY}
        claim = Claim.objects.filter(curated_key="", **natural).first()
    if claim is None:
        claim = Claim(**{k: v for k, v in recorded.items() if k != "compared_with"})
        claim.curated_values = recorded
        _save(claim, entry)
        claim.compared_with.set(recorded["compared_with"])
        return claim, "created"

    last = claim.curated_values or {}
    missing = object()
    # Without a record of the last load (a row from before they were kept), the YAML is applied.
    wanted = {
        name: value
        for name, value in recorded.items()
        if not last or last.get(name, missing) != value
    }
    current_rivals = sorted(rival.pk for rival in claim.compared_with.all())
    changed = {
        name: value
        for name, value in wanted.items()
        if (current_rivals if name == "compared_with" else getattr(claim, name)) != value
    }
    rivals = changed.pop("compared_with", None)
    if changed:
        for name, value in changed.items():
            setattr(claim, name, value)
        _save(claim, entry)
    if rivals is not None:
        claim.compared_with.set(rivals)
    if claim.curated_values != recorded:
        # Bookkeeping, not an edit of the claim: no history record, no updated_at.
        Claim.objects.filter(pk=claim.pk).update(curated_values=recorded)
    return claim, "updated" if changed or rivals is not None else "unchanged"


def _upsert(
    entry: Entry,
    columns: Mapping[str, Any],
    existing: dict[tuple, models.Model],
    *,
    on_create: Callable[[Any], None] | None = None,
) -> tuple[Any, str]:
    """Create the row, or update only the columns that differ, or leave it alone.

    `existing`: the rows already stored, by lookup columns (`_existing_rows`); a row created
    here is added, so two records with one lookup update one row. Returns the row and
    "created", "updated" or "unchanged".
    """
    model = entry.spec.model
    lookup = {name: columns[name] for name in entry.spec.lookup}
    values = {name: value for name, value in columns.items() if name not in lookup}
    key = _lookup_key(lookup, entry.spec.lookup)
    instance = existing.get(key)
    if instance is None:
        instance = model(**lookup, **values)
        if on_create is not None:
            on_create(instance)
        _save(instance, entry)
        existing[key] = instance
        return instance, "created"
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if not changed:
        return instance, "unchanged"
    for name, value in changed.items():
        setattr(instance, name, value)
    _save(instance, entry)
    return instance, "updated"


def _save(instance: models.Model, entry: Entry) -> None:
    """Validate, then save; any refusal becomes an error naming the record.

    Unique and check constraints are left to the database, which enforces every one of them
    in this same transaction and whose refusal is reported naming the record as well: checked
    in Python first, they cost a query per constraint per row (2,754 of a fresh load's 8,054
    queries, and over half its time)."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
    except ValidationError as exc:
        raise entry.where.error(f"invalid {type(instance).__name__}: {_messages(exc)}") from exc
    except DatabaseError as exc:
        raise entry.where.error(f"the database refused {type(instance).__name__}: {exc}") from exc


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)
