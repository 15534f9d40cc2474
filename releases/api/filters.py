"""Filters for every list (django-filter). Each has a help text: the schema and the docs page
show it as the parameter's description."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any, ClassVar

import django_filters as filters
from django import forms
from django.db import connection
from django.db.models import F, QuerySet
from django.http import QueryDict
from django_filters.constants import EMPTY_VALUES
from django_filters.filters import FilterMethod
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from releases.api.lookups import id_for_slug, variant_ids_of_release
from releases.api.search import text_search
from releases.models import (
    Benchmark,
    Claim,
    GapScore,
    LeaderboardSource,
    Measurement,
    ModelRelease,
    ModelVariant,
    Snapshot,
    Vendor,
)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped for a request that names none of the view's filters.

    django-filter builds the whole filterset for every request: a deep copy of every filter,
    then a form with a field each. For the claims' twenty filters that is 2.5 ms, a quarter of
    a page served from the per-claim cache, to learn that an unfiltered list is unfiltered.
    A parameter is taken as naming a filter when it starts with the filter's name, so that a
    range filter's suffixed parameters (`name_min`, `name_after`) would count too."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            param.startswith(name)
            for param in request.query_params
            for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SlugFilter(filters.CharFilter):
    """A slug of `model`, read as its row's id (`releases.api.lookups.id_for_slug`) and
    compared to `field_name`, an id column: the filtered rows are not joined to `model`'s
    table to compare its slug. A slug no row has matches nothing."""

    def __init__(self, model: type, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slug_model = model

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        pk = id_for_slug(self.slug_model, value)
        return qs.none() if pk is None else qs.filter(**{self.field_name: pk})


class ReleaseVariantsFilter(filters.CharFilter):
    """A release's slug, read as the ids of its variants (`releases.api.lookups`) and compared
    to `variant_id`: the filtered rows are not joined to the variants to compare their release.
    PostgreSQL planned that join in 0.20 ms for each filtered measurement page, the query on
    the measurements alone in 0.06. A slug no release has, or a release with no variants,
    matches nothing."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        release = id_for_slug(ModelRelease, value)
        variants = variant_ids_of_release(release) if release is not None else []
        return qs.filter(variant_id__in=variants) if variants else qs.none()


# django-filter refuses numbers above 1e50 (a huge exponent would cost the database dearly).
@extend_schema_field({"type": "number", "maximum": 1e50})
class BoundedNumberFilter(filters.NumberFilter):
    """A number, with the bound django-filter enforces stated in the schema."""


@extend_schema_field({"type": "integer", "maximum": 10**50})
class IdFilter(filters.NumberFilter):
    """An id: a whole number (django-filter's NumberFilter takes any decimal)."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "string", "pattern": r"^\d+(,\d+)*$"})
class IdListFilter(filters.BaseInFilter, IdFilter):
    """Comma-separated ids."""


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time in any offset, compared in UTC (PostgreSQL refuses offsets
    beyond ±15:59, which ISO allows)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if value is not None:
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise ValidationError({self.field_name: ["Date-time out of range."]}) from None
        return super().filter(qs, value)


class TiebrokenOrderingFilter(OrderingFilter):
    """DRF's `ordering` parameter for the cursor-paged lists, with the id added last when the
    order asked for lacks it. A cursor resumes after the last row's value of the first
    ordering field, skipping the rows it already showed with that value; among rows that tie,
    PostgreSQL keeps no fixed order from one query to the next, so a page could repeat a row
    of the page before and never show another (`?ordering=as_of`, where hundreds of
    measurements share a date, did)."""

    def get_ordering(self, request: Any, queryset: QuerySet, view: Any) -> list[str] | None:
        asked = super().get_ordering(request, queryset, view)
        if not asked:
            return None
        ordering = list(asked)
        if any(term.lstrip("-") in ("id", "pk") for term in ordering):
            return ordering
        direction = "-" if ordering[0].startswith("-") else ""
        return [*ordering, f"{direction}id"]


class StableOrderingFilter(filters.OrderingFilter):
    """Orders as asked, with empty values last on every database (PostgreSQL and SQLite differ),
    then by id, so rows that tie keep one order from page to page."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        terms = []
        for param in value:
            field = self.get_ordering_value(param)
            name = field.removeprefix("-")
            expression = F(name)
            terms.append(
                expression.desc(nulls_last=True)
                if field.startswith("-")
                else expression.asc(nulls_last=True)
            )
        return qs.order_by(*terms, "pk")


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet, cheaper to build for each request: its form class is built
    once per filter set, and each request copies the filters and the form's fields one level
    deep rather than deep-copying them.

    A request sets `model` and `parent` on its own copy of each filter, and a form may set
    attributes on its own copy of each field; what the copies share (a field's widget and
    validators, a filter's keyword arguments) is only read while filtering. No filter here
    takes a queryset, the one thing Django copies apart for each form. For a filtered
    measurement page the two deep copies were 0.28 ms of CPU out of 1.74, and building the
    form class was 40% of what filtering cost (in-process figures, make bench's endpoints)."""

    _form_classes: ClassVar[dict[type, type]] = {}

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        # django-filter's BaseFilterSet.__init__, with copy.copy for its copy.deepcopy of
        # base_filters (tests/api/test_filters.py checks it sets the same attributes).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _own_copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self) -> type:
        form_class = FilterSet._form_classes.get(type(self))
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _FieldsCopiedOneLevel(form_class.base_fields)
            FilterSet._form_classes[type(self)] = form_class
        return form_class


def _own_copy(filter_: filters.Filter) -> filters.Filter:
    """A copy of the filter sharing its definition; a `method=` filter's FilterMethod, which
    finds the method through its filter's parent, is made anew for the copy (a deep copy
    copied it along)."""
    copied = copy.copy(filter_)
    if isinstance(vars(copied).get("filter"), FilterMethod):
        copied.filter = FilterMethod(copied)
    return copied


class _FieldsCopiedOneLevel(dict):
    """A form class's fields, which each form (Django's BaseForm.__init__ deep-copies its
    class's `base_fields`) gets as its own copy of each field, sharing the field's widget."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {name: copy.copy(field) for name, field in self.items()}


class SearchFilterSet(FilterSet):
    """Adds `search`: full-text search over the set's `search_fields`."""

    search_fields: tuple[str, ...] = ()

    search = filters.CharFilter(
        method="filter_search",
        help_text="Free text. On PostgreSQL, full-text search (stemmed words; "
        '"quoted phrase", -excluded word, or); on SQLite, every word must appear.',
    )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return text_search(queryset, fields=self.search_fields, text=value)


class VendorFilter(SearchFilterSet):
    search_fields = ("name", "slug")

    ordering = StableOrderingFilter(fields=(("name", "name"), ("slug", "slug")))

    class Meta:
        model = Vendor
        fields: list[str] = []


class ReleaseFilter(SearchFilterSet):
    search_fields = ("name", "slug", "vendor__name")
    vendor = filters.CharFilter(field_name="vendor__slug", help_text="Vendor slug.")
    architecture = filters.ChoiceFilter(choices=ModelRelease.Architecture.choices)
    announced_after = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="gte",
        help_text="Announced on or after (YYYY-MM-DD).",
    )
    announced_before = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="lte",
        help_text="Announced on or before (YYYY-MM-DD).",
    )

    ordering = StableOrderingFilter(
        fields=(("announced_on", "announced_on"), ("name", "name"), ("slug", "slug"))
    )

    class Meta:
        model = ModelRelease
        fields: list[str] = []


class VariantFilter(SearchFilterSet):
    search_fields = ("name", "slug", "hub_id")
    release = filters.CharFilter(field_name="release__slug", help_text="Release slug.")
    kind = filters.ChoiceFilter(choices=ModelVariant.Kind.choices)
    is_public = filters.BooleanFilter(help_text="Publicly available checkpoints only (true/false).")

    ordering = StableOrderingFilter(fields=(("name", "name"), ("slug", "slug")))

    class Meta:
        model = ModelVariant
        fields: list[str] = []


class BenchmarkFilter(SearchFilterSet):
    search_fields = ("name", "slug", "description")
    unit = filters.ChoiceFilter(choices=Benchmark.Unit.choices)

    ordering = StableOrderingFilter(fields=(("name", "name"), ("slug", "slug")))

    class Meta:
        model = Benchmark
        fields: list[str] = []


class SourceFilter(SearchFilterSet):
    search_fields = ("name", "slug", "evaluator")
    enabled = filters.BooleanFilter()

    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("slug", "slug"), ("last_success_at", "last_success_at"))
    )

    class Meta:
        model = LeaderboardSource
        fields: list[str] = []


class SnapshotFilter(FilterSet):
    source = filters.CharFilter(field_name="source__slug", help_text="Source slug.")
    status = filters.ChoiceFilter(choices=Snapshot.Status.choices)
    sha256 = filters.CharFilter(help_text="Exact sha256 of the archived bytes.")
    fetched_after = UtcDateTimeFilter(field_name="fetched_at", lookup_expr="gte")
    fetched_before = UtcDateTimeFilter(field_name="fetched_at", lookup_expr="lte")

    class Meta:
        model = Snapshot
        fields: list[str] = []


class ClaimFilter(SearchFilterSet):
    search_fields = (
        "release__name",
        "variant__name",
        "benchmark__name",
        "stated_text",
        "quote",
    )
    vendor = filters.CharFilter(field_name="release__vendor__slug", help_text="Vendor slug.")
    release = filters.CharFilter(field_name="release__slug", help_text="Release slug.")
    variant = filters.CharFilter(field_name="variant__slug", help_text="Variant slug.")
    benchmark = filters.CharFilter(field_name="benchmark__slug", help_text="Benchmark slug.")
    kind = filters.ChoiceFilter(choices=Claim.Kind.choices)
    citation = IdFilter(field_name="citation_id", help_text="Citation id.")
    status = filters.ChoiceFilter(
        choices=Claim.Status.choices,
        method="filter_status",
        help_text="Published claims are listed to everyone; drafts only to analysts.",
    )
    verdict = filters.MultipleChoiceFilter(
        field_name="current__verdict",
        choices=GapScore.Verdict.choices,
        help_text="Current verdict; repeat the parameter for any of several.",
    )
    flag = filters.CharFilter(
        method="filter_flag",
        help_text="A flag on the current verdict: variant_mismatch, conditions_mismatch, "
        "single_source, stale (and any the method adds).",
    )
    review = filters.ChoiceFilter(
        field_name="current__review_status",
        choices=GapScore.Review.choices,
        help_text="Analyst review state of the current verdict.",
    )
    gap_min = BoundedNumberFilter(field_name="current__gap", lookup_expr="gte")
    gap_max = BoundedNumberFilter(field_name="current__gap", lookup_expr="lte")
    z_min = BoundedNumberFilter(field_name="current__z", lookup_expr="gte")
    z_max = BoundedNumberFilter(field_name="current__z", lookup_expr="lte")
    claimed_after = filters.DateFilter(
        field_name="citation__published_on",
        lookup_expr="gte",
        help_text="The cited document was published on or after (YYYY-MM-DD).",
    )
    claimed_before = filters.DateFilter(
        field_name="citation__published_on",
        lookup_expr="lte",
        help_text="The cited document was published on or before (YYYY-MM-DD).",
    )

    ordering = StableOrderingFilter(
        fields=(
            ("id", "id"),
            ("release__name", "release"),
            ("benchmark__name", "benchmark"),
            ("stated_value", "stated_value"),
            ("current__gap", "gap"),
            ("current__z", "z"),
            ("release__announced_on", "announced_on"),
            ("citation__published_on", "claimed_on"),
            ("updated_at", "updated_at"),
        ),
        help_text="Order by id, release, benchmark, stated_value, gap, z, announced_on, "
        "claimed_on or updated_at; prefix with - for descending, join several with commas "
        "(release,benchmark). Default: newest first (-id).",
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The view already limits what each audience may see; this narrows within it.
        return queryset.filter(status=value)

    def filter_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if connection.vendor == "postgresql":
            return queryset.filter(current__flags__contains=[value])
        # SQLite has no JSON containment: match the quoted item in the stored array's text.
        return queryset.filter(current__flags__icontains=json.dumps(value))


class MeasurementFilter(SearchFilterSet):
    search_fields = ("raw_model_name", "evaluator")
    benchmark = SlugFilter(Benchmark, field_name="benchmark_id", help_text="Benchmark slug.")
    variant = SlugFilter(ModelVariant, field_name="variant_id", help_text="Variant slug.")
    release = ReleaseVariantsFilter(help_text="Release slug.")
    source = SlugFilter(
        LeaderboardSource, field_name="source_id", help_text="Leaderboard source slug."
    )
    evaluator = filters.CharFilter(
        help_text="Evaluator, exactly as listed (case-insensitive).", lookup_expr="iexact"
    )
    snapshot = IdFilter(field_name="snapshot_id", help_text="Snapshot id.")
    as_of_after = filters.DateFilter(field_name="as_of", lookup_expr="gte")
    as_of_before = filters.DateFilter(field_name="as_of", lookup_expr="lte")
    resolved = filters.BooleanFilter(
        field_name="variant",
        lookup_expr="isnull",
        exclude=True,
        help_text="true: only measurements attached to a variant; false: only unresolved names.",
    )
    ids = IdListFilter(field_name="id", help_text="Comma-separated measurement ids.")
    used_by_claim = IdFilter(
        method="filter_used_by_claim",
        help_text="Claim id: the measurements its current verdict was computed from.",
    )

    class Meta:
        model = Measurement
        fields: list[str] = []

    def filter_used_by_claim(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        ids = (
            GapScore.objects.filter(claim_id=int(value), is_current=True)
            .values_list("measurement_ids", flat=True)
            .first()
        )
        return queryset.filter(pk__in=list(ids or []))
