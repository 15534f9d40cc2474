"""Each curated model's fields, described once.

A `Spec` says, for one model, which YAML keys a record may have, how each value is read and
checked, what it defaults to, which other record it refers to, and which column it is written
to. Reading (`releases.curated.reading`) and writing (`releases.curated.writing`) are both
driven by these specs, so adding a field to the curated data means adding one `Field` here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

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

Reader = Callable[[Any], Any]


class FieldValueError(ValueError):
    """A value of the wrong type or outside its choices; the reader adds where it was."""


@dataclass(frozen=True)
class Field:
    """One YAML key of a record.

    `column` is the model field written ("" = the key itself, None = read and checked but not
    written as is: a nested list, or a value the writer derives a column from). `ref` names the
    spec whose record the value points to (a slug, a citation key); its column is written as
    `<column>_id`.
    """

    key: str
    read: Reader
    required: bool = False
    default: Any = None
    column: str | None = ""
    ref: str | None = None

    @property
    def target(self) -> str | None:
        if self.column is None:
            return None
        name = self.column or self.key
        return f"{name}_id" if self.ref else name


@dataclass(frozen=True)
class Spec:
    """How one model's records are read, identified and written."""

    name: str  # the model's name, as counts report it
    model: type[models.Model]
    fields: tuple[Field, ...]
    key: str | None  # the field other records refer to this one by (a slug, a citation key)
    lookup: tuple[str, ...]  # the columns that identify an existing row

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(f.key for f in self.fields)


# --- Readers: a YAML value in, a plain value out, or FieldValueError ------------------------


def text(value: Any) -> str:
    """Free text; YAML block scalars end in a newline, stored text does not."""
    if isinstance(value, dict | list):
        raise FieldValueError(f"expected text, not {value!r}")
    return str(value).strip()


def verbatim(value: Any) -> str:
    """Text kept exactly as written (a quote: its white space is part of the source)."""
    if not isinstance(value, str):
        raise FieldValueError(f"expected a string, not {value!r}")
    return value


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldValueError(f"must be a number, not {value!r}")
    return float(value)


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldValueError(f"must be a whole number, not {value!r}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldValueError(f"must be true or false, not {value!r}")
    return value


def date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FieldValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldValueError("must be a mapping")
    return dict(value)


def optional_mapping(value: Any) -> dict[str, Any] | None:
    return None if value is None else mapping(value)


def string_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise FieldValueError("must be a list")
    return [str(item) for item in value]


def records(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise FieldValueError("must be a list of mappings")
    return list(value)


def choice(choices: type[models.TextChoices]) -> Reader:
    def read(value: Any) -> str:
        if value not in choices.values:
            raise FieldValueError(f"{value!r} is not one of {', '.join(choices.values)}")
        return str(value)

    return read


def slug(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise FieldValueError(f"expected a slug, not {value!r}")
    return value


# --- The specs, in the order they are written ------------------------------------------------

VENDOR = Spec(
    name="Vendor",
    model=Vendor,
    key="slug",
    lookup=("slug",),
    fields=(
        Field("slug", slug, required=True),
        Field("name", text, required=True),
        Field("url", text, default=""),
    ),
)

RELEASE = Spec(
    name="ModelRelease",
    model=ModelRelease,
    key="slug",
    lookup=("slug",),
    fields=(
        Field("slug", slug, required=True),
        Field("vendor", slug, required=True, ref="Vendor"),
        Field("name", text, required=True),
        Field("announced_on", date),
        Field("announcement_url", text, default=""),
        Field(
            "architecture",
            choice(ModelRelease.Architecture),
            default=ModelRelease.Architecture.UNKNOWN,
        ),
        Field("total_params_b", number),
        Field("active_params_b", number),
        Field("context_window_tokens", integer),
        Field("notes", text, default=""),
        Field("variants", records, default=[], column=None),
    ),
)

VARIANT = Spec(
    name="ModelVariant",
    model=ModelVariant,
    key="slug",
    lookup=("slug",),
    fields=(
        # Nested under its release in releases.yaml; the reader fills `release` in.
        Field("release", slug, required=True, ref="ModelRelease"),
        Field("slug", slug, required=True),
        Field("name", text, required=True),
        Field("kind", choice(ModelVariant.Kind), required=True),
        Field("is_public", boolean, default=True),
        Field("hub_id", text, default=""),
        Field("notes", text, default=""),
    ),
)

BENCHMARK = Spec(
    name="Benchmark",
    model=Benchmark,
    key="slug",
    lookup=("slug",),
    fields=(
        Field("slug", slug, required=True),
        Field("name", text, required=True),
        Field("unit", choice(Benchmark.Unit), required=True),
        Field("higher_is_better", boolean, default=True),
        Field("min_value", number),
        Field("max_value", number),
        Field("item_count", integer),
        Field("url", text, default=""),
        Field("description", text, default=""),
        Field("aliases", string_list, default=[], column=None),
        # The benchmark this one is only related to, and how it differs (both or neither): written
        # by BENCHMARK_RELATION once every benchmark exists, since either may come first.
        Field("related_to", slug, column=None),
        Field("relation", choice(Benchmark.Relation), default="", column=None),
    ),
)

BENCHMARK_RELATION = Spec(
    name="BenchmarkRelation",
    model=Benchmark,
    key=None,
    lookup=("slug",),
    fields=(
        # One per benchmark that names `related_to`; the reader builds these records.
        Field("slug", slug, required=True),
        Field("related_to", slug, required=True, ref="Benchmark"),
        Field("relation", choice(Benchmark.Relation), required=True),
    ),
)

BENCHMARK_ALIAS = Spec(
    name="BenchmarkAlias",
    model=BenchmarkAlias,
    key="name",
    lookup=("normalized_name",),
    fields=(
        # One per entry of a benchmark's `aliases` list (the reader builds these records), and
        # one per entry of benchmark_aliases.yaml, which must say why (`note`, not stored).
        Field("benchmark", slug, required=True, ref="Benchmark"),
        Field("name", text, required=True),
        Field("note", text, default="", column=None),
    ),
)

SOURCE = Spec(
    name="LeaderboardSource",
    model=LeaderboardSource,
    key="slug",
    lookup=("slug",),
    fields=(
        Field("slug", slug, required=True),
        Field("name", text, required=True),
        Field("importer", text, required=True),
        Field("evaluator", text, required=True),
        Field("live_url", text, required=True),
        Field("homepage_url", text, default=""),
        Field("refresh_interval_hours", integer, default=24),
        Field("enabled", boolean, default=True),
        Field("notes", text, default=""),
    ),
)

MODEL_ALIAS = Spec(
    name="ModelAlias",
    model=ModelAlias,
    key="name",
    lookup=("source_id", "normalized_name"),
    fields=(
        Field("name", text, required=True),
        Field("variant", slug, required=True, ref="ModelVariant"),
        Field("source", slug, ref="LeaderboardSource"),
        Field("note", text, default=""),
    ),
)

CITATION = Spec(
    name="Citation",
    model=Citation,
    key="key",
    # The sha256 of the archived document is derived by the writer.
    lookup=("url", "sha256"),
    fields=(
        Field("key", slug, required=True, column=None),  # a handle for claim files only
        Field("url", text, required=True),
        Field("title", text, required=True),
        Field("publisher", text, default=""),
        Field("published_on", date),
        Field("commit", text, default=""),
        Field("archived_name", text, default=""),
        Field("is_secondary", boolean, default=False),
        Field("primary_url", text, default=""),
        Field("notes", text, default=""),
    ),
)

CLAIM = Spec(
    name="Claim",
    model=Claim,
    key="key",
    # A curated claim is found by its own key, which survives any edit of its conditions, value
    # or citation (rows loaded before keys existed are found by CLAIM_NATURAL_KEY, once).
    lookup=("curated_key",),
    fields=(
        Field("key", slug, required=True, column="curated_key"),
        # The claim file's citation; the reader fills it in.
        Field("citation", slug, required=True, ref="Citation"),
        Field("release", slug, required=True, ref="ModelRelease"),
        Field("variant", slug, ref="ModelVariant"),
        Field("kind", choice(Claim.Kind), required=True),
        Field("benchmark", slug, ref="Benchmark"),
        Field("stated_text", text, default=""),
        Field("stated_value", number),
        Field("stated_std_error", number),
        Field("conditions", mapping, default={}),
        Field("compared_with", string_list, default=[], column=None, ref="ModelRelease"),
        Field("location", optional_mapping, column=None),  # written as readable text
        Field("quote", verbatim, default=""),  # written with its byte range and rendering
        # Only for a claim known from reporting: the reporting's words; `quote` is then only
        # what the reporting puts in quotation marks as the vendor's.
        Field("reported_text", verbatim, default=""),
        Field("status", choice(Claim.Status), default=Claim.Status.PUBLISHED),
        Field("notes", text, default=""),
    ),
)

REPORTED_FIGURE = Spec(
    name="ReportedFigure",
    model=ReportedFigure,
    key=None,
    lookup=("citation_id", "subject_name", "benchmark_id", "location"),
    fields=(
        # The claim file's citation and `reported_by`; the reader fills them in.
        Field("citation", slug, required=True, ref="Citation"),
        Field("reported_by", slug, required=True, ref="Vendor"),
        Field("subject_name", text, required=True),
        Field("subject_release", slug, ref="ModelRelease"),
        Field("benchmark", slug, required=True, ref="Benchmark"),
        Field("value", number, required=True),
        Field("value_text", text, default=""),
        Field("conditions", mapping, default={}),
        Field("location", optional_mapping, column=None),
        Field("quote", verbatim, default=""),  # written with its byte range and rendering
    ),
)

# What identified a curated claim before claims had keys.
CLAIM_NATURAL_KEY = (
    "release_id",
    "variant_id",
    "benchmark_id",
    "kind",
    "conditions_key",
    "citation_id",
)

# The order records are written in (each after the ones it refers to) and reported in.
SPECS: tuple[Spec, ...] = (
    VENDOR,
    RELEASE,
    VARIANT,
    BENCHMARK,
    BENCHMARK_RELATION,
    BENCHMARK_ALIAS,
    SOURCE,
    MODEL_ALIAS,
    CITATION,
    CLAIM,
    REPORTED_FIGURE,
)
SPEC_BY_NAME: Mapping[str, Spec] = {spec.name: spec for spec in SPECS}
