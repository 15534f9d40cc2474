"""What the API returns. Shapes only: the querysets that feed them (and keep every list page
at a fixed number of queries) are built in `views`, the counts in `releases.reports`.

Resources link to each other with absolute URLs; a link field's name ends in `url`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db import models
from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from releases.models import (
    Benchmark,
    Citation,
    Claim,
    ClaimRevision,
    GapScore,
    LeaderboardSource,
    Measurement,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    Snapshot,
    Vendor,
)


class OptionalURLField(serializers.URLField):
    """A URL that may be unknown: an empty stored value reads as null, never as "" (which is
    not a URL)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        return str(value) if value else None


class ReadSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: OptionalURLField,
    }


# Path templates per route, reversed once: Django's reverse() is the dearest part of rendering
# a page of claims (about fifteen links each). Markers are replaced by the quoted values.
_PATH_TEMPLATES: dict[tuple[str, tuple[str, ...]], str] = {}


def api_path(name: str, **kwargs: Any) -> str:
    key = (name, tuple(sorted(kwargs)))
    template = _PATH_TEMPLATES.get(key)
    if template is None:
        template = django_reverse(f"api:{name}", kwargs={k: f"__{k}__" for k in kwargs})
        _PATH_TEMPLATES[key] = template
    for k, value in kwargs.items():
        template = template.replace(f"__{k}__", quote(str(value), safe=""))
    return template


def _url(serializer: serializers.Field, name: str, **kwargs: Any) -> str:
    """An absolute URL of an API route, with the scheme and host of the request."""
    context = serializer.context
    prefix = context.get("_url_prefix")
    if prefix is None:
        request = context.get("request")
        prefix = request.build_absolute_uri("/")[:-1] if request is not None else ""
        if isinstance(context, dict):
            context["_url_prefix"] = prefix
    return prefix + api_path(name, **kwargs)


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """The absolute URL of the object itself (the `url` of every resource)."""

    def __init__(self, view_name: str, lookup_field: str = "pk", **kwargs: Any) -> None:
        self.route = view_name.removeprefix("api:")
        self.lookup_field = lookup_field
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return _url(self, self.route, **{self.lookup_field: getattr(value, self.lookup_field)})


# --- Short references, embedded wherever a resource points at another -----------------------


class VendorRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:vendor-detail", lookup_field="slug")

    class Meta:
        model = Vendor
        fields = ["slug", "name", "url"]


class ReleaseRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:release-detail", lookup_field="slug")

    class Meta:
        model = ModelRelease
        fields = ["slug", "name", "url"]


class VariantRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:variant-detail", lookup_field="slug")

    class Meta:
        model = ModelVariant
        fields = ["slug", "name", "kind", "is_public", "url"]


class BenchmarkRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:benchmark-detail", lookup_field="slug")

    class Meta:
        model = Benchmark
        fields = ["slug", "name", "unit", "higher_is_better", "url"]


class SourceRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:source-detail", lookup_field="slug")

    class Meta:
        model = LeaderboardSource
        fields = ["slug", "name", "evaluator", "url"]


class SnapshotRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:snapshot-detail")
    raw_url = serializers.SerializerMethodField(help_text="The archived bytes, as a download.")

    class Meta:
        model = Snapshot
        fields = ["id", "fetched_at", "sha256", "as_of", "url", "raw_url"]

    def get_raw_url(self, obj: Snapshot) -> str:
        return _url(self, "snapshot-raw", pk=obj.pk)


class CitationRefSerializer(ReadSerializer):
    url = LinkField(view_name="api:citation-detail")
    document_url = OptionalURLField(source="url", help_text="The document's own address.")
    archive_url = serializers.SerializerMethodField(
        help_text="The archived copy of the document, as a download (null if none is kept)."
    )

    class Meta:
        model = Citation
        fields = [
            "id",
            "title",
            "publisher",
            "published_on",
            "document_url",
            "sha256",
            "is_secondary",
            "primary_url",
            "url",
            "archive_url",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_archive_url(self, obj: Citation) -> str | None:
        return _url(self, "citation-archive", pk=obj.pk) if obj.sha256 else None


# --- Catalogue ---------------------------------------------------------------------------------


class VendorSerializer(ReadSerializer):
    url = LinkField(view_name="api:vendor-detail", lookup_field="slug")
    website = OptionalURLField(source="url", help_text="The vendor's own site.")
    releases_url = serializers.SerializerMethodField()
    track_record_url = serializers.SerializerMethodField()

    class Meta:
        model = Vendor
        fields = ["slug", "name", "website", "url", "releases_url", "track_record_url"]

    def get_releases_url(self, obj: Vendor) -> str:
        return _url(self, "release-list") + f"?vendor={obj.slug}"

    def get_track_record_url(self, obj: Vendor) -> str:
        return _url(self, "track-record-vendor", slug=obj.slug)


class VariantSerializer(ReadSerializer):
    url = LinkField(view_name="api:variant-detail", lookup_field="slug")
    release = ReleaseRefSerializer(read_only=True)
    aliases = serializers.SerializerMethodField(
        help_text="Confirmed names leaderboards use for this variant (with the source slug, "
        "or null for a name that means it everywhere)."
    )

    class Meta:
        model = ModelVariant
        fields = [
            "slug",
            "name",
            "kind",
            "is_public",
            "hub_id",
            "notes",
            "release",
            "aliases",
            "url",
        ]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "source": {"type": "string", "nullable": True},
                },
            },
        }
    )
    def get_aliases(self, obj: ModelVariant) -> list[dict[str, Any]]:
        return [
            {"name": alias.name, "source": alias.source.slug if alias.source else None}
            for alias in obj.aliases.all()
        ]


class ReleaseVariantSerializer(VariantSerializer):
    class Meta(VariantSerializer.Meta):
        fields = ["slug", "name", "kind", "is_public", "hub_id", "notes", "aliases", "url"]


class ReleaseSerializer(ReadSerializer):
    url = LinkField(view_name="api:release-detail", lookup_field="slug")
    vendor = VendorRefSerializer(read_only=True)
    variants = ReleaseVariantSerializer(many=True, read_only=True)
    claims_url = serializers.SerializerMethodField()
    track_record_url = serializers.SerializerMethodField()

    class Meta:
        model = ModelRelease
        fields = [
            "slug",
            "name",
            "vendor",
            "announced_on",
            "announcement_url",
            "architecture",
            "total_params_b",
            "active_params_b",
            "context_window_tokens",
            "notes",
            "variants",
            "url",
            "claims_url",
            "track_record_url",
        ]

    def get_claims_url(self, obj: ModelRelease) -> str:
        return _url(self, "claim-list") + f"?release={obj.slug}"

    def get_track_record_url(self, obj: ModelRelease) -> str:
        return _url(self, "track-record-release", slug=obj.slug)


class RelatedBenchmarkSerializer(BenchmarkRefSerializer):
    """A benchmark that is only related to another (a subset, a translation, a re-grading):
    shown beside a verdict, never in it."""

    relation = serializers.CharField(
        read_only=True,
        help_text="How the related benchmark differs from the one it is related to "
        "(subset, translation, re-grading...).",
    )

    class Meta(BenchmarkRefSerializer.Meta):
        fields = [*BenchmarkRefSerializer.Meta.fields, "relation"]


class BenchmarkSerializer(ReadSerializer):
    url = LinkField(view_name="api:benchmark-detail", lookup_field="slug")
    aliases: serializers.SlugRelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text="Other names for the benchmark."
    )
    source_url = OptionalURLField(source="url", help_text="The benchmark's own page.")
    related_to = BenchmarkRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The benchmark this one is only related to (never the same test): its "
        "figures never enter that benchmark's verdicts.",
    )
    relation = serializers.CharField(
        read_only=True,
        help_text="How this benchmark differs from `related_to` (empty when it is related to "
        "none).",
    )
    related_benchmarks = RelatedBenchmarkSerializer(
        many=True,
        read_only=True,
        help_text="Benchmarks related to this one, each with how it differs; shown beside its "
        "verdicts as context, never used in them.",
    )

    class Meta:
        model = Benchmark
        fields = [
            "slug",
            "name",
            "unit",
            "higher_is_better",
            "min_value",
            "max_value",
            "item_count",
            "description",
            "source_url",
            "aliases",
            "related_to",
            "relation",
            "related_benchmarks",
            "url",
        ]


class AliasSerializer(ReadSerializer):
    url = LinkField(view_name="api:alias-detail")
    variant = VariantRefSerializer(read_only=True)
    source = SourceRefSerializer(read_only=True, allow_null=True)  # type: ignore[assignment]
    confirmed_by = serializers.CharField(
        source="confirmed_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ModelAlias
        fields = ["id", "name", "variant", "source", "note", "confirmed_by", "confirmed_at", "url"]


# --- Claims, their scores and revisions --------------------------------------------------------


class ScoreFieldsMixin(serializers.Serializer):
    measurements_url = serializers.SerializerMethodField(
        help_text="The measurements this score was computed from (filter on `used_by_claim` "
        "for the current score)."
    )
    unverified_reason = serializers.SerializerMethodField(
        help_text="For an unverified verdict, why (the verdict's explanation, which names the "
        "reason: no tracked source measures the benchmark, not this model, a name waits for "
        "review, only related benchmarks measured); null otherwise."
    )

    def get_measurements_url(self, obj: GapScore) -> str:
        ids = ",".join(str(i) for i in obj.measurement_ids)
        return _url(self, "measurement-list") + f"?ids={ids}"

    @extend_schema_field({"type": "string", "nullable": True})
    def get_unverified_reason(self, obj: GapScore) -> str | None:
        if obj.verdict != GapScore.Verdict.UNVERIFIED:
            return None
        return obj.explanation


SCORE_FIELDS = [
    "id",
    "verdict",
    "gap",
    "gap_relative",
    "z",
    "aggregate",
    "spread",
    "flags",
    "explanation",
    "unverified_reason",
    "method_version",
    "computed_at",
    "as_of",
    "measurement_ids",
    "measurements_url",
    "review_status",
    "reviewed_at",
    "review_note",
]


class CurrentScoreSerializer(ScoreFieldsMixin, ReadSerializer):
    flags = serializers.ListField(child=serializers.CharField())
    measurement_ids = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        model = GapScore
        fields = SCORE_FIELDS


class GapHistorySerializer(CurrentScoreSerializer):
    inputs = serializers.JSONField(help_text="Everything the score was computed from and with.")

    class Meta:
        model = GapScore
        fields = [*SCORE_FIELDS, "is_current", "inputs"]


class ClaimSerializer(ReadSerializer):
    url = LinkField(view_name="api:claim-detail")
    vendor = VendorRefSerializer(source="release.vendor", read_only=True)
    release = ReleaseRefSerializer(read_only=True)
    variant = VariantRefSerializer(read_only=True, allow_null=True)
    benchmark = BenchmarkRefSerializer(read_only=True, allow_null=True)
    citation = CitationRefSerializer(read_only=True, allow_null=True)
    compared_with = ReleaseRefSerializer(many=True, read_only=True)
    conditions = serializers.JSONField(help_text='Shots, metric, CoT, pass@k: {"shots": 5}.')
    current_score = serializers.SerializerMethodField(
        help_text="The current reality-gap verdict, or null before the first computation."
    )
    gap_history_url = serializers.SerializerMethodField()
    revisions_url = serializers.SerializerMethodField()
    measurements_url = serializers.SerializerMethodField(
        help_text="Every independent measurement behind the current verdict."
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "kind",
            "status",
            "vendor",
            "release",
            "variant",
            "benchmark",
            "stated_value",
            "stated_text",
            "stated_std_error",
            "conditions",
            "compared_with",
            "quote",
            "location",
            "citation",
            "current_score",
            "created_at",
            "updated_at",
            "url",
            "gap_history_url",
            "revisions_url",
            "measurements_url",
        ]

    @extend_schema_field(CurrentScoreSerializer(allow_null=True))
    def get_current_score(self, obj: Claim) -> dict[str, Any] | None:
        scores = getattr(obj, "current_scores", None)
        if scores is None:
            scores = list(obj.gap_scores.filter(is_current=True))
        if not scores:
            return None
        # One nested serializer for the whole page: building a ModelSerializer's fields costs
        # more than rendering a score, so it is not rebuilt for every claim.
        nested = self.__dict__.get("_score_serializer")
        if nested is None:
            nested = self.__dict__["_score_serializer"] = CurrentScoreSerializer(
                context=self.context
            )
        return nested.to_representation(scores[0])

    def get_gap_history_url(self, obj: Claim) -> str:
        return _url(self, "claim-gap-history", pk=obj.pk)

    def get_revisions_url(self, obj: Claim) -> str:
        return _url(self, "claim-revisions", pk=obj.pk)

    def get_measurements_url(self, obj: Claim) -> str:
        return _url(self, "measurement-list") + f"?used_by_claim={obj.pk}"


class RevisionSerializer(ReadSerializer):
    old_value = serializers.JSONField()
    new_value = serializers.JSONField()
    old_citation = CitationRefSerializer(read_only=True)
    new_citation = CitationRefSerializer(read_only=True)

    class Meta:
        model = ClaimRevision
        fields = [
            "id",
            "field",
            "old_value",
            "new_value",
            "old_citation",
            "new_citation",
            "detected_at",
            "note",
        ]


class CitationSerializer(CitationRefSerializer):
    claims_url = serializers.SerializerMethodField()

    class Meta(CitationRefSerializer.Meta):
        fields = [
            *CitationRefSerializer.Meta.fields,
            "commit",
            "archived_name",
            "notes",
            "claims_url",
        ]

    def get_claims_url(self, obj: Citation) -> str:
        return _url(self, "claim-list") + f"?citation={obj.pk}"


# --- Independent measurements ------------------------------------------------------------------


class MeasurementSerializer(ReadSerializer):
    url = LinkField(view_name="api:measurement-detail")
    benchmark = BenchmarkRefSerializer(read_only=True)
    variant = VariantRefSerializer(read_only=True, allow_null=True)
    release: serializers.SlugRelatedField = serializers.SlugRelatedField(
        source="variant.release",
        slug_field="slug",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Slug of the variant's release (null while the name is unresolved).",
    )
    source = SourceRefSerializer(read_only=True)  # type: ignore[assignment]
    snapshot = SnapshotRefSerializer(read_only=True)
    conditions = serializers.JSONField()
    metadata = serializers.JSONField(help_text="What the source adds: cost, route, agent, dates.")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "benchmark",
            "value",
            "ci_low",
            "ci_high",
            "std_error",
            "sample_size",
            "conditions",
            "as_of",
            "evaluator",
            "raw_model_name",
            "variant",
            "release",
            "source",
            "snapshot",
            "metadata",
            "url",
        ]


class LastFetchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fetched_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Snapshot.Status.choices)
    error = serializers.CharField()
    rows_parsed = serializers.IntegerField()
    url = serializers.URLField()


class SourceSerializer(ReadSerializer):
    url = LinkField(view_name="api:source-detail", lookup_field="slug")
    last_fetch = serializers.SerializerMethodField(
        help_text="The latest snapshot: when, its outcome and error (null before the first)."
    )
    snapshots_url = serializers.SerializerMethodField()
    measurements_url = serializers.SerializerMethodField()

    class Meta:
        model = LeaderboardSource
        fields = [
            "slug",
            "name",
            "evaluator",
            "importer",
            "homepage_url",
            "live_url",
            "refresh_interval_hours",
            "enabled",
            "last_fetched_at",
            "last_success_at",
            "last_error",
            "notes",
            "last_fetch",
            "url",
            "snapshots_url",
            "measurements_url",
        ]

    @extend_schema_field(LastFetchSerializer(allow_null=True))
    def get_last_fetch(self, obj: LeaderboardSource) -> dict[str, Any] | None:
        snapshot_id = getattr(obj, "_last_id", None)
        if snapshot_id is None:
            return None
        return {
            "id": snapshot_id,
            "fetched_at": serializers.DateTimeField().to_representation(obj._last_fetched_at),  # type: ignore[attr-defined]
            "status": obj._last_status,  # type: ignore[attr-defined]
            "error": obj._last_error,  # type: ignore[attr-defined]
            "rows_parsed": obj._last_rows_parsed,  # type: ignore[attr-defined]
            "url": _url(self, "snapshot-detail", pk=snapshot_id),
        }

    def get_snapshots_url(self, obj: LeaderboardSource) -> str:
        return _url(self, "snapshot-list") + f"?source={obj.slug}"

    def get_measurements_url(self, obj: LeaderboardSource) -> str:
        return _url(self, "measurement-list") + f"?source={obj.slug}"


class SnapshotSerializer(ReadSerializer):
    url = LinkField(view_name="api:snapshot-detail")
    source = SourceRefSerializer(read_only=True)  # type: ignore[assignment]
    fetched_url = serializers.CharField(source="url", help_text="The address that was fetched.")
    raw_url = serializers.SerializerMethodField(
        help_text="The archived bytes exactly as the source published them, as a download "
        "(the response's X-Content-SHA256 header repeats `sha256`)."
    )
    measurements_url = serializers.SerializerMethodField()
    unresolved_names = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Snapshot
        fields = [
            "id",
            "source",
            "fetched_at",
            "fetched_url",
            "file_name",
            "sha256",
            "size_bytes",
            "content_type",
            "http_status",
            "status",
            "error",
            "as_of",
            "rows_parsed",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "unresolved_names",
            "url",
            "raw_url",
            "measurements_url",
        ]

    def get_raw_url(self, obj: Snapshot) -> str:
        return _url(self, "snapshot-raw", pk=obj.pk)

    def get_measurements_url(self, obj: Snapshot) -> str:
        return _url(self, "measurement-list") + f"?snapshot={obj.pk}"


# --- Track record ------------------------------------------------------------------------------


class TrackRecordSerializer(serializers.Serializer):
    """One vendor's or release's published claims, counted by current verdict
    (`releases.reports.TrackRecord`)."""

    slug = serializers.CharField()
    name = serializers.CharField()
    vendor = serializers.CharField(help_text="The vendor's name.")
    claims = serializers.IntegerField(help_text="Published claims.")
    scored = serializers.IntegerField(help_text="Published claims with a current verdict.")
    not_yet_scored = serializers.IntegerField()
    checked = serializers.IntegerField(
        help_text="Claims compared with independent data (not unverified, not comparable)."
    )
    holds = serializers.IntegerField()
    overstated = serializers.IntegerField(
        help_text="Overstated (substantially overstated is counted apart)."
    )
    substantially_overstated = serializers.IntegerField()
    understated = serializers.IntegerField()
    unverified = serializers.IntegerField()
    not_comparable = serializers.IntegerField()
    holds_share = serializers.FloatField(allow_null=True, help_text="Of the claims checked.")
    overstated_share = serializers.FloatField(allow_null=True, help_text="Of the claims checked.")
    substantially_overstated_share = serializers.FloatField(
        allow_null=True, help_text="Of the claims checked."
    )
    understated_share = serializers.FloatField(allow_null=True, help_text="Of the claims checked.")
    unverified_share = serializers.FloatField(allow_null=True, help_text="Of the claims scored.")
    not_comparable_share = serializers.FloatField(
        allow_null=True, help_text="Of the claims scored."
    )
