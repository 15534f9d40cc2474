"""Admin for computed gap scores: read-only, except an analyst's review of the current verdict."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from releases.admin.base import ModelAdmin, admin_change_url
from releases.models import GapScore
from releases.scoring.units import format_gap
from releases.services.curation import gap_score_review

REVIEW_FIELDS = ("review_status", "review_note")

COMPUTED_FIELDS = (
    "claim_link",
    "verdict",
    "flags",
    "explanation",
    "gap",
    "gap_relative",
    "z",
    "aggregate",
    "spread",
    "method_version",
    "computed_at",
    "as_of",
    "is_current",
    "measurement_ids",
    "inputs",
    "reviewed_by",
    "reviewed_at",
)


@admin.register(GapScore)
class GapScoreAdmin(ModelAdmin):
    list_display = [
        "claim",
        "verdict",
        "gap_in_unit",
        "z",
        "method_version",
        "computed_at",
        "is_current",
        "review_status",
        "reviewed_by",
    ]
    list_filter = ["is_current", "verdict", "review_status", "method_version"]
    list_select_related = ["claim__release", "claim__variant", "claim__benchmark", "reviewed_by"]
    search_fields = [
        "claim__release__name",
        "claim__variant__name",
        "claim__benchmark__name",
        "explanation",
        "review_note",
    ]
    date_hierarchy = "computed_at"
    fieldsets = [
        ("Verdict", {"fields": ["claim_link", "verdict", "flags", "explanation"]}),
        ("Gap", {"fields": [("gap", "gap_relative", "z"), ("aggregate", "spread")]}),
        (
            "Computation",
            {
                "fields": [
                    ("method_version", "computed_at", "as_of"),
                    "is_current",
                    "measurement_ids",
                    "inputs",
                ],
                "classes": ["collapse"],
            },
        ),
        ("Review", {"fields": [*REVIEW_FIELDS, "reviewed_by", "reviewed_at"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Scores come from the scoring pipeline only.
        return False

    @admin.display(description="gap", ordering="gap")
    def gap_in_unit(self, obj: GapScore) -> str:
        # In the unit's own terms, written as the sentences and the methodology write it.
        benchmark = obj.claim.benchmark
        if obj.claim.kind == obj.claim.Kind.COMPARISON or benchmark is None:
            return "–" if obj.gap is None else f"{obj.gap:.0%} of comparisons not ahead"
        return format_gap(obj.gap, benchmark.unit)

    def get_readonly_fields(self, request: HttpRequest, obj: GapScore | None = None) -> Any:
        # A review is of the current verdict; superseded rows are history, kept as they were.
        if obj is not None and not obj.is_current:
            return [*COMPUTED_FIELDS, *REVIEW_FIELDS]
        return list(COMPUTED_FIELDS)

    def save_model(self, request: HttpRequest, obj: GapScore, form: Any, change: bool) -> None:
        # The form edits only the review; it is recorded by the service the API uses too.
        if set(REVIEW_FIELDS) & set(form.changed_data):
            gap_score_review(
                score=obj, status=obj.review_status, note=obj.review_note, user=request.user
            )

    @admin.display(description="claim")
    def claim_link(self, obj: GapScore) -> SafeString:
        return format_html('<a href="{}">{}</a>', admin_change_url(obj.claim), obj.claim)
