"""Admin for the catalogue: vendors, releases, variants, leaderboard names, benchmarks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from releases.admin.base import HistoryAdmin, TabularInline, admin_changelist_url
from releases.models import (
    Benchmark,
    BenchmarkAlias,
    Claim,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    Vendor,
)
from releases.names import normalize_name
from releases.services.curation import model_alias_save


class ModelAliasForm(forms.ModelForm):
    """Checks the alias's uniqueness on its normalised name.

    `normalized_name` is not a form field, so Django's own constraint validation skips the
    constraints on it and a clash would surface as a database error instead of a form error.
    """

    class Meta:
        model = ModelAlias
        fields = ["name", "variant", "source", "note"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        name = cleaned.get("name")
        if name:
            clash = (
                ModelAlias.objects.filter(
                    normalized_name=normalize_name(name), source=cleaned.get("source")
                )
                .exclude(pk=self.instance.pk)
                .select_related("variant")
                .first()
            )
            if clash is not None:
                where = "on this source" if clash.source_id else "on every source"
                self.add_error("name", f"“{clash.name}” already means {clash.variant} {where}.")
        return cleaned


class BenchmarkAliasForm(forms.ModelForm):
    """Same reason as `ModelAliasForm`: the unique column is not a form field."""

    class Meta:
        model = BenchmarkAlias
        fields = ["benchmark", "name"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        name = cleaned.get("name")
        if name:
            clash = (
                BenchmarkAlias.objects.filter(normalized_name=normalize_name(name))
                .exclude(pk=self.instance.pk)
                .select_related("benchmark")
                .first()
            )
            if clash is not None:
                self.add_error("name", f"“{clash.name}” already names {clash.benchmark}.")
        return cleaned


@admin.register(Vendor)
class VendorAdmin(HistoryAdmin):
    list_display = ["name", "slug", "url", "release_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vendor]:
        return super().get_queryset(request).annotate(_release_count=Count("releases"))

    @admin.display(description="releases", ordering="_release_count")
    def release_count(self, obj: Vendor) -> str:
        url = admin_changelist_url(ModelRelease, vendor__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj._release_count)  # type: ignore[attr-defined]


class ModelVariantInline(TabularInline):
    model = ModelVariant
    fields = ["name", "slug", "kind", "is_public", "hub_id"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0
    show_change_link = True


class ClaimInline(TabularInline):
    """The release's claims at a glance; the quote and evidence are edited on the claim's page."""

    model = Claim
    fk_name = "release"
    fields = ["kind", "variant", "benchmark", "stated_value", "stated_text", "status"]
    autocomplete_fields = ["variant", "benchmark"]
    extra = 0
    show_change_link = True
    classes = ["collapse"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("variant", "benchmark")


@admin.register(ModelRelease)
class ModelReleaseAdmin(HistoryAdmin):
    list_display = [
        "name",
        "vendor",
        "announced_on",
        "architecture",
        "total_params_b",
        "active_params_b",
        "context_window_tokens",
        "variant_count",
        "claim_count",
    ]
    list_filter = ["vendor", "architecture"]
    list_select_related = ["vendor"]
    search_fields = ["name", "slug", "vendor__name", "variants__name"]
    autocomplete_fields = ["vendor"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "announced_on"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["vendor", "name", "slug", "announced_on", "announcement_url"]}),
        (
            "As stated by the vendor",
            {
                "fields": [
                    "architecture",
                    ("total_params_b", "active_params_b"),
                    "context_window_tokens",
                    "notes",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [ModelVariantInline, ClaimInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModelRelease]:
        # distinct: two joined counts would otherwise multiply each other.
        return (
            super()
            .get_queryset(request)
            .annotate(
                _variant_count=Count("variants", distinct=True),
                _claim_count=Count("claims", distinct=True),
            )
        )

    @admin.display(description="variants", ordering="_variant_count")
    def variant_count(self, obj: ModelRelease) -> int:
        return obj._variant_count  # type: ignore[attr-defined]

    @admin.display(description="claims", ordering="_claim_count")
    def claim_count(self, obj: ModelRelease) -> str:
        url = admin_changelist_url(Claim, release__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj._claim_count)  # type: ignore[attr-defined]


class ModelAliasInline(TabularInline):
    model = ModelAlias
    form = ModelAliasForm
    fields = ["name", "source", "note", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    autocomplete_fields = ["source"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModelAlias]:
        return super().get_queryset(request).select_related("source", "confirmed_by")


@admin.register(ModelVariant)
class ModelVariantAdmin(HistoryAdmin):
    list_display = ["name", "release", "vendor", "kind", "is_public", "hub_id"]
    list_filter = ["kind", "is_public", "release__vendor"]
    list_select_related = ["release__vendor"]
    search_fields = ["name", "slug", "hub_id", "release__name", "aliases__name"]
    autocomplete_fields = ["release"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ModelAliasInline]

    @admin.display(ordering="release__vendor__name")
    def vendor(self, obj: ModelVariant) -> Vendor:
        return obj.release.vendor

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is ModelAlias:
            aliases = formset.save(commit=False)
            for alias in aliases:
                model_alias_save(alias=alias, user=request.user)
            for alias in formset.deleted_objects:
                alias.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(ModelAlias)
class ModelAliasAdmin(HistoryAdmin):
    form = ModelAliasForm
    list_display = ["name", "variant", "source", "confirmed_by", "confirmed_at"]
    list_filter = ["source", ("source", admin.EmptyFieldListFilter), "variant__release__vendor"]
    list_select_related = ["variant", "source", "confirmed_by"]
    search_fields = ["name", "normalized_name", "variant__name", "variant__release__name"]
    autocomplete_fields = ["variant", "source"]
    readonly_fields = ["normalized_name", "confirmed_by", "confirmed_at"]
    fields = [
        "name",
        "normalized_name",
        "variant",
        "source",
        "note",
        "confirmed_by",
        "confirmed_at",
    ]
    date_hierarchy = "confirmed_at"

    def save_model(self, request: HttpRequest, obj: ModelAlias, form: Any, change: bool) -> None:
        confirm = not change or bool({"name", "variant", "source"} & set(form.changed_data))
        model_alias_save(alias=obj, user=request.user, confirm=confirm)


class BenchmarkAliasInline(TabularInline):
    model = BenchmarkAlias
    form = BenchmarkAliasForm
    fields = ["name", "normalized_name"]
    readonly_fields = ["normalized_name"]
    extra = 0


@admin.register(Benchmark)
class BenchmarkAdmin(HistoryAdmin):
    list_display = [
        "name",
        "slug",
        "unit",
        "higher_is_better",
        "min_value",
        "max_value",
        "item_count",
        "alias_names",
        "related_to",
        "relation",
    ]
    list_filter = ["unit", "higher_is_better", "relation"]
    list_select_related = ["related_to"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BenchmarkAliasInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Benchmark]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_names(self, obj: Benchmark) -> str:
        return ", ".join(alias.name for alias in obj.aliases.all())


@admin.register(BenchmarkAlias)
class BenchmarkAliasAdmin(HistoryAdmin):
    form = BenchmarkAliasForm
    list_display = ["name", "benchmark", "normalized_name"]
    list_filter = ["benchmark__unit"]
    list_select_related = ["benchmark"]
    search_fields = ["name", "normalized_name", "benchmark__name", "benchmark__slug"]
    autocomplete_fields = ["benchmark"]
    readonly_fields = ["normalized_name"]
