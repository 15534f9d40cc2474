"""Admin for what vendors said: citations, claims, figures about other models, revisions."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from releases.admin.base import (
    HistoryAdmin,
    ModelAdmin,
    ReadOnlyAdminMixin,
    TabularInline,
    admin_change_url,
    admin_changelist_url,
    attachment_response,
    https_formfield,
)
from releases.admin.drafts import (
    DocumentFilter,
    DraftReviewMixin,
    RevisedByVendorFilter,
    with_revision_dates,
)
from releases.models import Citation, Claim, ClaimRevision, GapScore, Measurement, ReportedFigure
from releases.scoring.units import format_uncertainty, format_value
from releases.selectors import claim_measurements
from releases.services.claims import claim_publish, claim_unpublish
from releases.services.curation import citation_save

# --- Citations --------------------------------------------------------------------------------


class CitationForm(forms.ModelForm):
    """The citation, plus an upload that becomes its archived copy."""

    archive_file = forms.FileField(
        label="archived copy",
        required=False,
        help_text=(
            "The document exactly as read. Archived copies never change: for a citation that "
            "already has one, other bytes are saved as a new version of the citation (same URL) "
            "and the claims keep the version they were quoted from."
        ),
    )

    class Meta:
        model = Citation
        formfield_callback = https_formfield
        fields = [
            "title",
            "url",
            "publisher",
            "published_on",
            "commit",
            "archived_name",
            "is_secondary",
            "primary_url",
            "notes",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("archive_file")
        self.archived_bytes: bytes | None = upload.read() if upload else None
        # (url, sha256) is unique, but sha256 is not a form field, so Django's constraint
        # validation skips it: check here, against the sha256 the saved row will have.
        sha256 = (
            hashlib.sha256(self.archived_bytes).hexdigest()
            if self.archived_bytes is not None
            else self.instance.sha256
        )
        url = cleaned.get("url")
        if url:
            clash = (
                Citation.objects.filter(url=url, sha256=sha256).exclude(pk=self.instance.pk).first()
            )
            if clash is not None:
                what = "this archived copy" if sha256 else "no archived copy"
                self.add_error(
                    "archive_file" if self.archived_bytes is not None else "url",
                    f"“{clash}” already cites this URL with {what}.",
                )
        return cleaned


def citation_file_name(citation: Citation) -> str:
    if citation.archived_name:
        return PurePosixPath(citation.archived_name).name
    return f"citation-{citation.pk}"


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    form = CitationForm
    list_display = [
        "title",
        "publisher",
        "published_on",
        "is_secondary",
        "short_sha256",
        "archive_link",
        "claim_count",
        "draft_count",
    ]
    list_filter = ["is_secondary", "publisher", ("sha256", admin.EmptyFieldListFilter)]
    search_fields = ["title", "url", "publisher", "sha256", "archived_name"]
    date_hierarchy = "published_on"
    readonly_fields = ["sha256", "archive_link", "other_versions", "fetched_at"]
    fieldsets = [
        (None, {"fields": ["title", "url", "publisher", "published_on", "commit", "fetched_at"]}),
        (
            "Archived copy",
            {
                "fields": [
                    "archive_file",
                    "archived_name",
                    "sha256",
                    "archive_link",
                    "other_versions",
                ]
            },
        ),
        ("Secondary source", {"fields": ["is_secondary", "primary_url"]}),
        (None, {"fields": ["notes"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citation]:
        # The archive can be megabytes: never load it to draw a list or a form.
        return (
            super()
            .get_queryset(request)
            .defer("archived_content")
            .annotate(
                _archive_size=Length("archived_content"),
                _claim_count=Count("claims"),
                _draft_count=Count("claims", filter=Q(claims__status=Claim.Status.DRAFT)),
            )
        )

    def get_urls(self) -> list[URLPattern]:
        download = path(
            "<path:object_id>/archive/",
            self.admin_site.admin_view(self.archive_view),
            name="releases_citation_archive",
        )
        return [download, *super().get_urls()]

    def archive_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        citation = self.get_object(request, unquote(object_id))
        if citation is None:
            raise Http404("No such citation.")
        if not self.has_view_permission(request, citation):
            raise PermissionDenied
        if citation.archived_content is None:
            raise Http404("This citation has no archived copy.")
        return attachment_response(
            content=bytes(citation.archived_content), file_name=citation_file_name(citation)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Citation | None = None) -> Any:
        # The file name belongs to the archived bytes: fixed once there are some.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.sha256:
            fields.append("archived_name")
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Citation | None = None) -> bool:
        # Archived evidence is kept: deleting the citation would delete its bytes with it.
        if obj is not None and obj.sha256:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        archived = [f"{c} (its archived copy is evidence)" for c in objs if c.sha256]
        return deleted, model_count, perms_needed, [*protected, *archived]

    def save_model(self, request: HttpRequest, obj: Citation, form: Any, change: bool) -> None:
        upload = form.cleaned_data.get("archive_file")
        outcome = citation_save(
            citation=obj,
            user=request.user,
            content=getattr(form, "archived_bytes", None),
            file_name=upload.name if upload else "",
        )
        if outcome.warning:
            self.message_user(request, outcome.warning, messages.WARNING)
        if outcome.new_version_of is not None:
            # The admin goes on to log and redirect for `obj`, the version left as it was.
            request._citation_new_version = outcome.citation  # type: ignore[attr-defined]
            self.log_addition(request, outcome.citation, [{"added": {}}])

    def response_change(self, request: HttpRequest, obj: Citation) -> HttpResponse:
        version = getattr(request, "_citation_new_version", None)
        if version is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            format_html(
                "The upload is a new version of “{}”: citation {} keeps its archived copy "
                "(sha256 {}…) and its claims. Move a claim to this version by editing it.",
                obj,
                obj.pk,
                obj.sha256[:12],
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(admin_change_url(version))

    @admin.display(description="other versions")
    def other_versions(self, obj: Citation) -> SafeString | str:
        if obj.pk is None:
            return "—"
        versions = (
            Citation.objects.filter(url=obj.url)
            .exclude(pk=obj.pk)
            .defer("archived_content")
            .order_by("pk")
        )
        if not versions:
            return "None: this is the only version of this URL."
        return format_html_join(
            "",
            '<div><a href="{}">Citation {}</a>: sha256 {}</div>',
            ((admin_change_url(v), v.pk, v.sha256[:12] or "none") for v in versions),
        )

    @admin.display(description="sha256", ordering="sha256")
    def short_sha256(self, obj: Citation) -> str:
        return obj.sha256[:12] if obj.sha256 else "—"

    @admin.display(description="archived copy")
    def archive_link(self, obj: Citation) -> str:
        size = getattr(obj, "_archive_size", None)
        if obj.pk is None or not size:
            return "—"
        url = reverse("admin:releases_citation_archive", args=[obj.pk])
        return format_html(
            '<a href="{}">Download {}</a> ({} bytes)', url, citation_file_name(obj), size
        )

    @admin.display(description="claims", ordering="_claim_count")
    def claim_count(self, obj: Citation) -> str:
        url = admin_changelist_url(Claim, citation__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj._claim_count)  # type: ignore[attr-defined]

    @admin.display(description="drafts to review", ordering="_draft_count")
    def draft_count(self, obj: Citation) -> str:
        count = obj._draft_count  # type: ignore[attr-defined]
        if not count:
            return "0"
        url = admin_changelist_url(Claim, citation__id__exact=obj.pk, status__exact="draft")
        return format_html('<a href="{}">Review {}</a>', url, count)


# --- Claims -----------------------------------------------------------------------------------


class CurrentVerdictFilter(admin.SimpleListFilter):
    title = "current verdict"
    parameter_name = "verdict"
    NOT_SCORED = "none"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*GapScore.Verdict.choices, (self.NOT_SCORED, "Not scored yet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        value = self.value()
        if value == self.NOT_SCORED:
            return queryset.exclude(gap_scores__is_current=True)
        if value:
            return queryset.filter(gap_scores__is_current=True, gap_scores__verdict=value)
        return queryset


class GapScoreInline(ReadOnlyAdminMixin, TabularInline):
    """The claim's verdict history, newest first; reviews happen on the gap score's own page."""

    model = GapScore
    verbose_name_plural = "gap-score history"
    fields = readonly_fields = (
        "computed_at",
        "method_version",
        "verdict",
        "gap",
        "gap_relative",
        "z",
        "aggregate",
        "flags",
        "is_current",
        "review_status",
        "reviewed_by",
    )
    ordering = ["-computed_at"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[GapScore]:
        return super().get_queryset(request).select_related("reviewed_by")


class ClaimRevisionInline(ReadOnlyAdminMixin, TabularInline):
    model = ClaimRevision
    fk_name = "claim"
    fields = readonly_fields = (
        "field",
        "old_value",
        "new_value",
        "old_citation",
        "new_citation",
        "detected_at",
    )
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimRevision]:
        return super().get_queryset(request).select_related("old_citation", "new_citation")


# Derived from the claim and deleted with it. Analysts may not delete them one by one, but that
# must not stop them deleting a claim (Django's delete confirmation would otherwise refuse).
DERIVED_FROM_CLAIM = (GapScore, ClaimRevision)


@admin.register(Claim)
class ClaimAdmin(DraftReviewMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "release",
        "variant",
        "kind",
        "benchmark",
        "stated",
        "source_row",
        "status",
        "has_evidence",
        "current_verdict",
        "revised_by_vendor",
        "updated_at",
    ]
    list_display_links = ["__str__"]
    list_filter = [
        "status",
        "kind",
        CurrentVerdictFilter,
        RevisedByVendorFilter,
        ("citation", DocumentFilter),
        ("citation", admin.EmptyFieldListFilter),
        "release__vendor",
        ("benchmark", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["release", "variant", "benchmark"]
    search_fields = [
        "release__name",
        "variant__name",
        "benchmark__name",
        "stated_text",
        "quote",
        "location",
        "citation__title",
    ]
    autocomplete_fields = ["release", "variant", "benchmark", "citation", "compared_with"]
    date_hierarchy = "release__announced_on"
    readonly_fields = [
        "source_row",
        "quote_readable",
        "quote_start",
        "quote_end",
        "vendor_revisions",
        "measurements_table",
        "curated_key",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            "What was claimed",
            {
                "fields": [
                    ("release", "variant"),
                    "kind",
                    "benchmark",
                    ("stated_value", "stated_text", "stated_std_error"),
                    "conditions",
                    "compared_with",
                ]
            },
        ),
        (
            "Evidence",
            {
                "fields": [
                    "quote",
                    "quote_readable",
                    ("quote_start", "quote_end"),
                    "reported_text",
                    "citation",
                    "location",
                    "source_row",
                    "vendor_revisions",
                ]
            },
        ),
        (None, {"fields": ["status", "notes"]}),
        ("Independent measurements", {"fields": ["measurements_table"]}),
        (
            "Record",
            {"fields": ["curated_key", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
    inlines = [GapScoreInline, ClaimRevisionInline]
    actions = ["publish", "move_to_draft", "discard_drafts"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        current = GapScore.objects.filter(claim=OuterRef("pk"), is_current=True)
        return with_revision_dates(
            super()
            .get_queryset(request)
            .annotate(
                _verdict=Subquery(current.values("verdict")[:1]),
                _review=Subquery(current.values("review_status")[:1]),
            )
        )

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        derived = {str(model._meta.verbose_name) for model in DERIVED_FROM_CLAIM}
        perms_needed = {name for name in perms_needed if str(name) not in derived}
        return deleted, model_count, perms_needed, protected

    @admin.display(description="stated", ordering="stated_value")
    def stated(self, obj: Claim) -> str:
        if obj.stated_text:
            return obj.stated_text
        if obj.stated_value is None:
            return "—"
        return (
            format_value(obj.stated_value, obj.benchmark.unit)
            if obj.benchmark
            else (f"{obj.stated_value:g}")
        )

    @admin.display(description="evidence", boolean=True)
    def has_evidence(self, obj: Claim) -> bool:
        return obj.citation_id is not None and bool(obj.evidence_text.strip())

    @admin.display(description="current verdict", ordering="_verdict")
    def current_verdict(self, obj: Claim) -> str:
        verdict = getattr(obj, "_verdict", None)
        if verdict is None:
            return "—"
        label = GapScore.Verdict(verdict).label
        if getattr(obj, "_review", None) == GapScore.Review.PROPOSED:
            return f"{label} (unreviewed)"
        return str(label)

    @admin.display(description="measurements")
    def measurements_table(self, obj: Claim) -> SafeString | str:
        if obj.pk is None:
            return "Save the claim to see the measurements of its benchmark."
        if obj.benchmark_id is None:
            return "This claim names no benchmark."
        measurements = list(claim_measurements(claim=obj))
        if not measurements:
            return (
                "No independent measurement of this benchmark for any variant of this release yet."
            )
        rows = format_html_join(
            "",
            "<tr><td><a href='{}'>{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td><a href='{}'>{}</a></td></tr>",
            (
                (
                    admin_change_url(m),
                    format_value(m.value, m.benchmark.unit),
                    _uncertainty(m),
                    m.raw_model_name,
                    _variant_label(m),
                    m.source.name,
                    m.as_of.isoformat() if m.as_of_known else f"unknown (published by {m.as_of})",
                    admin_change_url(m.snapshot),
                    f"{m.snapshot.fetched_at:%Y-%m-%d %H:%M}",
                )
                for m in measurements
            ),
        )
        return format_html(
            '<table class="claim-measurements"><thead><tr>'
            "<th>value</th><th>uncertainty</th><th>name on the leaderboard</th><th>variant</th>"
            "<th>source</th><th>as of</th><th>snapshot</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="Publish selected claims", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        result = claim_publish(
            claims=queryset.select_related("release", "variant", "benchmark"), user=request.user
        )
        if result.published:
            self.message_user(
                request, f"Published {_count(len(result.published))}.", messages.SUCCESS
            )
        if result.already_published:
            self.message_user(
                request,
                f"{_count(len(result.already_published)).capitalize()} already published.",
                messages.INFO,
            )
        if result.not_published:
            items = format_html_join(
                "", "<li>{}: {}</li>", ((item.claim, item.reason) for item in result.not_published)
            )
            self.message_user(
                request,
                format_html(
                    "Left {} as draft: <ul>{}</ul>", _count(len(result.not_published)), items
                ),
                messages.WARNING,
            )

    @admin.action(description="Move selected claims back to draft", permissions=["change"])
    def move_to_draft(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        changed = claim_unpublish(
            claims=queryset.select_related("release", "variant", "benchmark"), user=request.user
        )
        self.message_user(request, f"Moved {_count(len(changed))} back to draft.", messages.SUCCESS)


def _count(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


def _uncertainty(m: Measurement) -> str:
    parts = []
    if m.ci_low is not None and m.ci_high is not None:
        parts.append(format_uncertainty(m.benchmark.unit, ci_low=m.ci_low, ci_high=m.ci_high))
    if m.std_error is not None:
        parts.append(format_uncertainty(m.benchmark.unit, std_error=m.std_error))
    if m.sample_size is not None:
        parts.append(f"n = {m.sample_size}")
    return "; ".join(part for part in parts if part) or "—"


def _variant_label(m: Measurement) -> str:
    assert m.variant is not None  # the selector only returns resolved measurements
    return m.variant.name if m.variant.is_public else f"{m.variant.name} (not public)"


# --- Figures about other models, and revisions --------------------------------------------------


@admin.register(ReportedFigure)
class ReportedFigureAdmin(HistoryAdmin):
    list_display = [
        "subject_name",
        "subject_release",
        "benchmark",
        "value",
        "value_text",
        "reported_by",
        "citation",
    ]
    list_filter = ["reported_by", ("benchmark", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["subject_release", "benchmark", "reported_by", "citation"]
    search_fields = ["subject_name", "subject_release__name", "benchmark__name", "quote"]
    autocomplete_fields = ["citation", "reported_by", "subject_release", "benchmark"]


@admin.register(ClaimRevision)
class ClaimRevisionAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Detected by comparing versions of a vendor's document: derived data, read-only."""

    list_display = ["claim", "field", "old_value", "new_value", "new_citation", "detected_at"]
    list_filter = ["field"]
    list_select_related = ["claim__release", "claim__variant", "claim__benchmark", "new_citation"]
    search_fields = ["claim__release__name", "claim__benchmark__name", "note"]
    date_hierarchy = "detected_at"
