"""Admin for independent data: sources, snapshots, measurements, name candidates.

All of it is written by imports. Analysts look; they change nothing here except by reviewing
name candidates. Sources are configured by superusers.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from releases.admin.base import (
    HistoryAdmin,
    ModelAdmin,
    ReadOnlyAdminMixin,
    admin_change_url,
    admin_changelist_url,
    attachment_response,
    https_formfield,
)
from releases.models import AliasCandidate, LeaderboardSource, Measurement, Snapshot
from releases.permissions import ANALYST_GROUP
from releases.scoring.units import format_uncertainty, format_value
from releases.services.url_safety import UnsafeURLError, check_live_url


class HasErrorFilter(admin.SimpleListFilter):
    title = "last refresh"
    parameter_name = "health"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("failing", "Failing"), ("ok", "OK")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[LeaderboardSource]
    ) -> QuerySet[LeaderboardSource]:
        if self.value() == "failing":
            return queryset.exclude(last_error="")
        if self.value() == "ok":
            return queryset.filter(last_error="")
        return queryset


class LeaderboardSourceForm(forms.ModelForm):
    class Meta:
        model = LeaderboardSource
        # The admin's fieldsets choose what is shown; this lists what the form may save.
        fields = [
            "name",
            "slug",
            "evaluator",
            "importer",
            "homepage_url",
            "notes",
            "live_url",
            "refresh_interval_hours",
            "enabled",
        ]
        formfield_callback = https_formfield

    def clean_live_url(self) -> str:
        # The server fetches this URL on a schedule: http(s) to a public host only (no SSRF).
        # The same check runs again before every fetch and every redirect it follows.
        url: str = self.cleaned_data["live_url"]
        if url:
            try:
                check_live_url(url)
            except UnsafeURLError as exc:
                raise forms.ValidationError(str(exc)) from None
        return url


@admin.register(LeaderboardSource)
class LeaderboardSourceAdmin(HistoryAdmin):
    """Analysts see sources (view permission); only superusers hold the permissions to edit."""

    form = LeaderboardSourceForm
    list_display = [
        "name",
        "slug",
        "evaluator",
        "importer",
        "enabled",
        "refresh_interval_hours",
        "last_fetched_at",
        "last_success_at",
        "error_summary",
        "snapshot_count",
    ]
    list_filter = [HasErrorFilter, "enabled", "importer"]
    search_fields = ["name", "slug", "evaluator", "importer"]
    prepopulated_fields = {"slug": ["name"]}
    # Written by the refresh pipeline, never by hand.
    readonly_fields = [
        "error_display",
        "last_fetched_at",
        "last_success_at",
        "etag",
        "last_modified",
        "snapshot_count",
    ]
    fieldsets = [
        (
            "Health",
            {
                "fields": [
                    "error_display",
                    ("last_fetched_at", "last_success_at"),
                    "snapshot_count",
                ]
            },
        ),
        (None, {"fields": ["name", "slug", "evaluator", "importer", "homepage_url", "notes"]}),
        ("Refresh", {"fields": ["live_url", "refresh_interval_hours", "enabled"]}),
        ("HTTP validators", {"fields": ["etag", "last_modified"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LeaderboardSource]:
        return super().get_queryset(request).annotate(_snapshot_count=Count("snapshots"))

    @admin.display(description="last error", ordering="last_error")
    def error_summary(self, obj: LeaderboardSource) -> SafeString | str:
        if not obj.last_error:
            return "—"
        first_line = obj.last_error.strip().splitlines()[0][:120]
        return format_html('<strong style="color: var(--error-fg)">⚠ {}</strong>', first_line)

    @admin.display(description="last error")
    def error_display(self, obj: LeaderboardSource) -> SafeString | str:
        if obj.pk is None or not obj.last_error:
            return "None: the last refresh succeeded." if obj.last_success_at else "—"
        # errornote: the admin's own red box, so a failing source is impossible to miss.
        return format_html(
            '<pre class="errornote" style="white-space: pre-wrap">{}</pre>', obj.last_error
        )

    @admin.display(description="snapshots", ordering="_snapshot_count")
    def snapshot_count(self, obj: LeaderboardSource) -> SafeString | str:
        count = getattr(obj, "_snapshot_count", None)
        if obj.pk is None or count is None:
            return "—"
        url = admin_changelist_url(Snapshot, source__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, count)


def snapshot_file_name(snapshot: Snapshot) -> str:
    """The published file's own name when known, else one that says which source and when."""
    if snapshot.file_name:
        return PurePosixPath(snapshot.file_name).name
    if snapshot.url:
        name = PurePosixPath(snapshot.url.split("?")[0]).name
        if "." in name:
            return name
    content_type = snapshot.content_type.split(";")[0].strip()
    extension = mimetypes.guess_extension(content_type) if content_type else None
    return f"{snapshot.source.slug}-{snapshot.fetched_at:%Y%m%d-%H%M%S}{extension or '.bin'}"


def _snapshot_fields() -> tuple[str, ...]:
    """Every field but the raw bytes, which can be megabytes and are served by "Download raw".

    Read from the model, so a field the import pipeline adds shows up without touching this.
    """
    fields: list[str] = []
    for field in Snapshot._meta.concrete_fields:
        if field.name in ("id", "raw"):
            continue
        fields.append(field.name)
        if field.name == "sha256":
            fields.append("download_link")
    return (*fields, "measurement_link")


SNAPSHOT_FIELDS = _snapshot_fields()


@admin.register(Snapshot)
class SnapshotAdmin(ModelAdmin):
    """Read-only: a snapshot is what a source published. Deleting needs delete permission,
    which only superusers hold."""

    list_display = [
        "__str__",
        "source",
        "fetched_at",
        "status",
        "as_of",
        "rows_parsed",
        "rows_created",
        "rows_updated",
        "size_bytes",
        "download_link",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    search_fields = ["source__slug", "source__name", "sha256", "file_name", "url", "error"]
    date_hierarchy = "fetched_at"
    fields = SNAPSHOT_FIELDS
    readonly_fields = SNAPSHOT_FIELDS
    actions = ["apply_held"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        # Applying a held snapshot is a review decision, the analysts' job (as accepting a name
        # candidate is), though the snapshot itself stays read-only to them.
        user = request.user
        return bool(user.is_superuser or user.groups.filter(name=ANALYST_GROUP).exists())

    @admin.action(
        description="Apply: import a snapshot held for review as it is", permissions=["review"]
    )
    def apply_held(self, request: HttpRequest, queryset: QuerySet[Snapshot]) -> None:
        from releases.services.leaderboard_import import ImportFailed, snapshot_held_apply

        held = queryset.filter(status=Snapshot.Status.HELD).order_by("fetched_at")
        for snapshot_id in held.values_list("id", flat=True):
            try:
                summary = snapshot_held_apply(snapshot_id=snapshot_id)
            except ImportFailed as exc:
                self.message_user(request, f"Snapshot {snapshot_id}: {exc}", level="error")
                continue
            self.message_user(
                request,
                f"Snapshot {snapshot_id} applied as snapshot {summary.snapshot_id}: "
                f"{summary.created} created, {summary.updated} updated.",
            )

    def has_change_permission(self, request: HttpRequest, obj: Snapshot | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Snapshot]:
        return (
            super()
            .get_queryset(request)
            .defer("raw")
            .annotate(_raw_size=Length("raw"), _measurement_count=Count("measurements"))
        )

    def get_urls(self) -> list[URLPattern]:
        raw = path(
            "<path:object_id>/raw/",
            self.admin_site.admin_view(self.raw_view),
            name="releases_snapshot_raw",
        )
        # Ahead of the default URLs, whose "<path:object_id>/" would swallow ".../raw/".
        return [raw, *super().get_urls()]

    def raw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        snapshot = self.get_object(request, unquote(object_id))
        if snapshot is None:
            raise Http404("No such snapshot.")
        if not self.has_view_permission(request, snapshot):
            raise PermissionDenied
        if snapshot.raw is None:
            raise Http404("This snapshot kept no raw bytes (nothing was downloaded).")
        return attachment_response(
            content=bytes(snapshot.raw),
            file_name=snapshot_file_name(snapshot),
            content_type=snapshot.content_type,
        )

    @admin.display(description="raw")
    def download_link(self, obj: Snapshot) -> SafeString | str:
        if obj.pk is None or getattr(obj, "_raw_size", None) is None:
            return "—"
        url = reverse("admin:releases_snapshot_raw", args=[obj.pk])
        return format_html('<a href="{}">Download raw</a>', url)

    @admin.display(description="measurements")
    def measurement_link(self, obj: Snapshot) -> SafeString | str:
        url = admin_changelist_url(Measurement, snapshot__id__exact=obj.pk)
        return format_html(
            '<a href="{}">{} last written by this snapshot</a>',
            url,
            getattr(obj, "_measurement_count", 0),
        )


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Imported data: corrected by re-importing, never by hand."""

    list_display = [
        "raw_model_name",
        "variant",
        "benchmark",
        "value_in_unit",
        "uncertainty",
        "date",
        "source",
        "evaluator",
        "snapshot_link",
    ]
    list_filter = [
        "source",
        "as_of_known",
        ("variant", admin.EmptyFieldListFilter),
        ("benchmark", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["variant", "benchmark", "source"]
    search_fields = ["raw_model_name", "variant__name", "benchmark__name", "evaluator"]
    date_hierarchy = "as_of"

    @admin.display(description="value", ordering="value")
    def value_in_unit(self, obj: Measurement) -> str:
        return format_value(obj.value, obj.benchmark.unit)

    @admin.display(description="uncertainty")
    def uncertainty(self, obj: Measurement) -> str:
        # The source's own 95% interval where it publishes one, else its standard error.
        unit = obj.benchmark.unit
        return (
            format_uncertainty(
                unit, std_error=obj.std_error, ci_low=obj.ci_low, ci_high=obj.ci_high
            )
            or "—"
        )

    @admin.display(description="as of", ordering="as_of")
    def date(self, obj: Measurement) -> str:
        if obj.as_of_known:
            return obj.as_of.isoformat()
        return f"unknown (published by {obj.as_of.isoformat()})"

    @admin.display(description="snapshot", ordering="snapshot__fetched_at")
    def snapshot_link(self, obj: Measurement) -> SafeString:
        url = reverse("admin:releases_snapshot_change", args=[obj.snapshot_id])
        return format_html('<a href="{}">#{}</a>', url, obj.snapshot_id)


@admin.register(AliasCandidate)
class AliasCandidateAdmin(ModelAdmin):
    """The review queue of fuzzy name matches. Created by imports, so never added here.

    Every field is read-only: accepting a candidate means creating the alias and attaching the
    measurements with that name, which is the name-resolution service's job, not a form's. The
    two actions below call it.
    """

    actions = ["accept_candidates", "reject_candidates"]

    list_display = [
        "raw_name",
        "source",
        "suggested_variant",
        "score",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    list_filter = ["status", "source", "suggested_variant__release__vendor"]
    list_select_related = ["source", "suggested_variant", "decided_by"]
    search_fields = ["raw_name", "suggested_variant__name", "suggested_variant__release__name"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "raw_name",
        "source",
        "suggested_variant_link",
        "score",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(
        description="Accept: confirm the alias and attach its measurements", permissions=["change"]
    )
    def accept_candidates(self, request: HttpRequest, queryset: QuerySet[AliasCandidate]) -> None:
        from releases.services.name_resolution import alias_candidate_accept

        attached = 0
        pending = queryset.filter(status=AliasCandidate.Status.PENDING).order_by("-score")
        for candidate_id in pending.values_list("id", flat=True):
            # An earlier acceptance in this batch may have settled this name already.
            if AliasCandidate.objects.filter(
                pk=candidate_id, status=AliasCandidate.Status.PENDING
            ).exists():
                attached += len(
                    alias_candidate_accept(candidate_id=candidate_id, user=request.user)
                )
        self.message_user(request, f"Accepted; {attached} measurement(s) attached.")

    @admin.action(description="Reject: attach nothing", permissions=["change"])
    def reject_candidates(self, request: HttpRequest, queryset: QuerySet[AliasCandidate]) -> None:
        from releases.services.name_resolution import alias_candidate_reject

        pending = queryset.filter(status=AliasCandidate.Status.PENDING)
        for candidate_id in pending.values_list("id", flat=True):
            alias_candidate_reject(candidate_id=candidate_id, user=request.user)
        self.message_user(request, f"Rejected {len(pending)} candidate(s).")

    @admin.display(description="suggested variant")
    def suggested_variant_link(self, obj: AliasCandidate) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>', admin_change_url(obj.suggested_variant), obj.suggested_variant
        )
