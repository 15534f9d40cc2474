"""The API's views: thin. Reads call `releases.selectors` and `releases.reports` (through
`track_record`); writes validate their input, then call the service the admin calls.

Every read passes through `DataVersionCacheMixin` (ETag, Last-Modified, 304, response cache).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from releases import selectors
from releases.admin.base import attachment_response
from releases.api import filters, inputs, serializers
from releases.api.caching import DataVersionCacheMixin, audience
from releases.api.export import EXPORT_CONTENT_TYPE, export_lines
from releases.api.pagination import (
    GapHistoryCursorPagination,
    IdsFirstPagePagination,
    MeasurementCursorPagination,
    PagePagination,
    SnapshotCursorPagination,
    paginated_json,
)
from releases.api.renderers import CSVRenderer, JSONRenderer
from releases.api.representations import cached_representations, listing_count_key
from releases.api.track_record import release_records, vendor_records
from releases.models import (
    Benchmark,
    Citation,
    Claim,
    ClaimRevision,
    GapScore,
    Measurement,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    Snapshot,
    Vendor,
)
from releases.services.claims import claim_save
from releases.services.curation import NotCurrent, citation_save, gap_score_review, model_alias_save

BROWSABLE = viewsets.GenericViewSet.renderer_classes


class ReadViewSet(DataVersionCacheMixin, viewsets.GenericViewSet):
    """Base: filters from the view's filterset; reads cached per data version."""

    filter_backends = [filters.FilterBackend]
    filterset_class: type | None = None


class ReadOnlyViewSet(ReadViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    pass


class EncodedListMixin:
    """For lists whose page is chosen as ids first: each item's representation at this data
    version, encoded (see `releases.api.representations`). Only items no earlier page showed
    are serialized, read by id from `get_queryset()` with its joins and prefetches, and a JSON
    page is those encodings joined, never encoded again."""

    representation_kind: str

    def encoded_page(self, ids: list[int]) -> Response:
        view: Any = self
        request: Request = view.request
        read = view._read
        assert read is not None  # set by DataVersionCacheMixin.initial for every read

        def encode(missing: list[int]) -> dict[int, bytes]:
            rows = view.get_queryset().filter(pk__in=missing).order_by()
            data = view.get_serializer(rows, many=True).data
            return {item["id"]: JSONRenderer().render(item) for item in data}

        encoded = cached_representations(
            ids,
            kind=self.representation_kind,
            version=read.version.number,
            base_url=request.build_absolute_uri("/"),
            serialize=encode,
        )
        if isinstance(request.accepted_renderer, JSONRenderer):
            return Response(paginated_json(view.paginator, encoded))
        # CSV and the browsable page read the same representations, decoded.
        return view.get_paginated_response([json.loads(item) for item in encoded])


# --- Catalogue -------------------------------------------------------------------------------


class VendorViewSet(ReadOnlyViewSet):
    """Labs and companies that release models."""

    queryset = Vendor.objects.order_by("name", "id")
    serializer_class = serializers.VendorSerializer
    filterset_class = filters.VendorFilter
    lookup_field = "slug"


class ReleaseViewSet(ReadOnlyViewSet):
    """Models as announced, each with its variants (checkpoints) and their leaderboard names."""

    queryset = (
        ModelRelease.objects.select_related("vendor")
        .prefetch_related("variants__aliases__source")
        .order_by("-announced_on", "name", "id")
    )
    serializer_class = serializers.ReleaseSerializer
    filterset_class = filters.ReleaseFilter
    lookup_field = "slug"


class VariantViewSet(ReadOnlyViewSet):
    """Checkpoints of releases: base, instruct, experimental builds."""

    queryset = (
        ModelVariant.objects.select_related("release")
        .prefetch_related("aliases__source")
        .order_by("release__name", "name", "id")
    )
    serializer_class = serializers.VariantSerializer
    filterset_class = filters.VariantFilter
    lookup_field = "slug"


class BenchmarkViewSet(ReadOnlyViewSet):
    """What figures are reported on, with unit, direction and bounds."""

    queryset = (
        Benchmark.objects.select_related("related_to")
        .prefetch_related("aliases", "related_benchmarks")
        .order_by("name", "id")
    )
    serializer_class = serializers.BenchmarkSerializer
    filterset_class = filters.BenchmarkFilter
    lookup_field = "slug"


class WriteMixin:
    """Writes: validate with the input serializer, save through a service, answer with the
    output serializer. Errors the service raises come back in the API's error format."""

    input_serializer_class: type

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._validated(request, partial=False)
        obj = self.perform_save(None, data)
        return Response(self._out(obj), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        data = self._validated(request, partial=kwargs.pop("partial", False))
        obj = self.perform_save(instance, data)
        return Response(self._out(obj))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _validated(self, request: Request, *, partial: bool) -> dict[str, Any]:
        serializer = self.input_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _out(self, obj: Any) -> Any:
        fresh = self.get_queryset().get(pk=obj.pk)  # type: ignore[attr-defined]
        return self.get_serializer(fresh).data  # type: ignore[attr-defined]

    def perform_save(self, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError


@extend_schema_view(
    create=extend_schema(request=inputs.AliasInputSerializer),
    update=extend_schema(request=inputs.AliasInputSerializer),
    partial_update=extend_schema(request=inputs.AliasInputSerializer),
)
class AliasViewSet(WriteMixin, ReadOnlyViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Names leaderboards use for variants. Analysts add and correct them; only confirmed
    aliases attach measurements (saving one through the API confirms it, as in the admin)."""

    queryset = ModelAlias.objects.select_related("variant", "source", "confirmed_by").order_by(
        "normalized_name", "id"
    )
    serializer_class = serializers.AliasSerializer
    input_serializer_class = inputs.AliasInputSerializer
    filterset_fields = ["source__slug", "variant__slug"]

    def perform_save(self, instance: ModelAlias | None, data: dict[str, Any]) -> ModelAlias:
        alias = instance or ModelAlias()
        changed = instance is None
        for name, value in data.items():
            changed = changed or (
                name in ("name", "variant", "source") and getattr(alias, name) != value
            )
            setattr(alias, name, value)
        return model_alias_save(alias=alias, user=self.request.user, confirm=changed)


# --- Claims ----------------------------------------------------------------------------------


class ReviewPermission(BasePermission):
    """Recording a review is a change to the gap score, as in the admin."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("releases.change_gapscore"))


@extend_schema_view(
    list=extend_schema(
        description="Published claims with their citation and current verdict. Analysts also "
        "see drafts (`status=draft`). Also as CSV: `?format=csv` or `Accept: text/csv`."
    ),
    create=extend_schema(request=inputs.ClaimInputSerializer),
    update=extend_schema(request=inputs.ClaimInputSerializer),
    partial_update=extend_schema(request=inputs.ClaimInputSerializer),
)
class ClaimViewSet(
    EncodedListMixin,
    WriteMixin,
    ReadOnlyViewSet,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """What vendors stated about their own releases, quoted, cited, and scored."""

    serializer_class = serializers.ClaimSerializer
    input_serializer_class = inputs.ClaimInputSerializer
    filterset_class = filters.ClaimFilter
    pagination_class = IdsFirstPagePagination
    renderer_classes = [*BROWSABLE, CSVRenderer]
    representation_kind = "claim"

    def get_queryset(self) -> QuerySet[Claim]:
        return selectors.claim_list(include_drafts=self._includes_drafts()).order_by("-id")

    def _includes_drafts(self) -> bool:
        return audience(self.request) == "analyst"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page's ids, chosen from the claims alone (`selectors.claims_listed`), joined
        only to what a filter or the ordering names; then each claim's encoded representation
        (`EncodedListMixin`)."""
        # Newest first: what a reader polling for new claims wants, and an index scan on the
        # primary key, where an order on release and benchmark names sorted every claim for
        # each page (7 ms of 10,000). That order is `?ordering=release,benchmark`.
        listed = selectors.claims_listed(include_drafts=self._includes_drafts()).order_by("-id")
        paginator = self.paginator
        assert isinstance(paginator, IdsFirstPagePagination)
        read = self._read
        assert read is not None  # set by DataVersionCacheMixin.initial for every read
        count_key = listing_count_key(
            kind="claim",
            version=read.version.number,
            audience=audience(request),
            query=dict(request.query_params.lists()),
            # The order does not change the count.
            filters=[name for name in filters.ClaimFilter.base_filters if name != "ordering"],
        )
        claims = self.filter_queryset(listed)
        return self.encoded_page(
            paginator.paginate_ids(claims, request, view=self, count_key=count_key)
        )

    def _visible_claim(self, pk: str) -> Claim:
        """The claim, if this reader may see it (drafts are for analysts), as its id only."""
        visible = self.get_queryset().select_related(None).prefetch_related(None).only("id")
        return get_object_or_404(visible, pk=pk)

    def perform_save(self, instance: Claim | None, data: dict[str, Any]) -> Claim:
        claim = instance or Claim()
        rivals = data.pop("compared_with", None)
        for name, value in data.items():
            setattr(claim, name, value)
        saved = claim_save(
            claim=claim,
            user=self.request.user,
            compared_with=[release.pk for release in rivals] if rivals is not None else None,
        )
        return saved.claim

    @extend_schema(responses=serializers.GapHistorySerializer(many=True))
    @action(
        detail=True,
        url_path="gap-history",
        url_name="gap-history",
        pagination_class=GapHistoryCursorPagination,
        renderer_classes=BROWSABLE,
        filterset_class=None,
    )
    def gap_history(self, request: Request, pk: str) -> Response:
        """Every computation of the claim's gap, newest first, with the inputs to reproduce it."""
        claim = self._visible_claim(pk)
        scores = GapScore.objects.filter(claim_id=claim.pk)
        page = self.paginate_queryset(scores)
        data = serializers.GapHistorySerializer(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)

    @extend_schema(responses=serializers.RevisionSerializer(many=True))
    @action(
        detail=True,
        url_path="revisions",
        url_name="revisions",
        pagination_class=PagePagination,
        renderer_classes=BROWSABLE,
        filterset_class=None,
    )
    def revisions(self, request: Request, pk: str) -> Response:
        """Values or conditions the vendor changed between versions of its document."""
        claim = self._visible_claim(pk)
        revisions = (
            ClaimRevision.objects.filter(claim_id=claim.pk)
            .select_related("old_citation", "new_citation")
            .defer("old_citation__archived_content", "new_citation__archived_content")
            .order_by("-detected_at", "-id")
        )
        page = self.paginate_queryset(revisions)
        data = serializers.RevisionSerializer(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=inputs.ReviewInputSerializer,
        responses={200: serializers.CurrentScoreSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[ReviewPermission],
        renderer_classes=[JSONRenderer],
        filterset_class=None,
    )
    def review(self, request: Request, pk: str) -> Response:
        """Confirm or dispute the current verdict (analysts), with a note."""
        claim = self._visible_claim(pk)
        data = inputs.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        score = GapScore.objects.filter(claim_id=claim.pk, is_current=True).first()
        if score is None:
            return Response(
                {
                    "status": 409,
                    "code": "not_scored",
                    "message": "The claim has no verdict yet.",
                    "errors": {},
                },
                status=status.HTTP_409_CONFLICT,
            )
        try:
            reviewed = gap_score_review(
                score=score,
                status=data.validated_data["review_status"],
                note=data.validated_data["review_note"],
                user=request.user,
            )
        except NotCurrent as exc:
            return Response(
                {"status": 409, "code": "not_current", "message": str(exc), "errors": {}},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            serializers.CurrentScoreSerializer(reviewed, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    create=extend_schema(request=inputs.CitationInputSerializer),
    update=extend_schema(request=inputs.CitationInputSerializer),
    partial_update=extend_schema(request=inputs.CitationInputSerializer),
)
class CitationViewSet(
    WriteMixin, ReadOnlyViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin
):
    """Documents claims are quoted from, each with its archived copy and sha256."""

    queryset = Citation.objects.defer("archived_content").order_by("title", "id")
    serializer_class = serializers.CitationSerializer
    input_serializer_class = inputs.CitationInputSerializer
    filterset_fields = ["publisher", "is_secondary", "sha256"]

    def perform_save(self, instance: Citation | None, data: dict[str, Any]) -> Citation:
        citation = instance or Citation()
        content = data.pop("archived_content_base64", None)
        for name, value in data.items():
            setattr(citation, name, value)
        return citation_save(citation=citation, user=self.request.user, content=content).citation

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The archived copy exactly as read; X-Content-SHA256 gives its sha256.",
    )
    @action(detail=True, url_path="archive", url_name="archive", filterset_class=None)
    def archive(self, request: Request, pk: str) -> HttpResponse:
        citation = get_object_or_404(
            Citation.objects.only("id", "archived_content", "sha256", "archived_name"), pk=pk
        )
        if citation.archived_content is None:
            return Response(
                {
                    "status": 404,
                    "code": "not_found",
                    "message": "This citation has no archived copy.",
                    "errors": {},
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        name = (citation.archived_name or f"citation-{citation.pk}").rsplit("/", 1)[-1]
        response = attachment_response(content=bytes(citation.archived_content), file_name=name)
        response["X-Content-SHA256"] = citation.sha256
        return response


# --- Independent measurements ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        description="Independent measurements, newest first (cursor pages). Also as CSV: "
        "`?format=csv` or `Accept: text/csv`."
    )
)
class MeasurementViewSet(EncodedListMixin, ReadOnlyViewSet):
    """Figures independent evaluators published, each traced to the snapshot it came from."""

    queryset = selectors.measurement_list()
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    pagination_class = MeasurementCursorPagination
    filter_backends = [filters.FilterBackend, filters.TiebrokenOrderingFilter]
    ordering_fields = ["id", "as_of"]
    ordering = ["-id"]
    renderer_classes = [*BROWSABLE, CSVRenderer]
    representation_kind = "measurement"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page's ids and the ordering's columns (all a cursor reads), chosen from the
        measurements joined only to what a filter names; then each measurement's encoded
        representation (`EncodedListMixin`). The join of a page's rows to their benchmark,
        variant, release, source and snapshot took PostgreSQL 3 ms to plan, for each page;
        choosing the ids first, 0.7 ms, and the rows are read only for measurements not
        already encoded at this version."""
        listed = self.filter_queryset(Measurement.objects.all())
        page = self.paginate_queryset(listed.values(*self.ordering_fields))
        return self.encoded_page([row["id"] for row in page or []])


class SourceViewSet(ReadOnlyViewSet):
    """Leaderboards claimsdb imports from, with their last fetch and its outcome."""

    queryset = selectors.source_list().order_by("name", "id")
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    lookup_field = "slug"


class SnapshotViewSet(ReadOnlyViewSet):
    """Each fetch of a source: metadata here, the archived bytes at `raw/`."""

    queryset = selectors.snapshot_list()
    serializer_class = serializers.SnapshotSerializer
    filterset_class = filters.SnapshotFilter
    pagination_class = SnapshotCursorPagination
    filter_backends = [filters.FilterBackend, filters.TiebrokenOrderingFilter]
    ordering_fields = ["fetched_at", "id"]
    ordering = ["-fetched_at", "-id"]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The bytes exactly as the source published them (a download); "
        "X-Content-SHA256 repeats the snapshot's sha256.",
    )
    @action(detail=True, url_path="raw", url_name="raw", filterset_class=None)
    def raw(self, request: Request, pk: str) -> HttpResponse:
        snapshot = get_object_or_404(
            Snapshot.objects.only(
                "id", "raw", "sha256", "file_name", "content_type", "source__slug"
            ).select_related("source"),
            pk=pk,
        )
        if snapshot.raw is None:
            return Response(
                {
                    "status": 404,
                    "code": "not_found",
                    "message": "This snapshot kept no bytes.",
                    "errors": {},
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        name = snapshot.file_name.rsplit("/", 1)[-1] or f"{snapshot.source.slug}-{snapshot.pk}"
        response = attachment_response(
            content=bytes(snapshot.raw),
            file_name=name,
            content_type=snapshot.content_type.split(";")[0].strip(),
        )
        response["X-Content-SHA256"] = snapshot.sha256
        return response


# --- Track record ----------------------------------------------------------------------------

YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 1900, "maximum": 9999},
    description="Only releases announced in this year (a vendor's record sums those releases).",
)
SHARE_ORDERINGS = [
    "claims",
    "checked",
    "holds_share",
    "overstated_share",
    "substantially_overstated_share",
    "understated_share",
    "unverified_share",
    "overstated",
    "name",
]
ORDERING = OpenApiParameter(
    "ordering",
    OpenApiTypes.STR,
    enum=[*SHARE_ORDERINGS, *(f"-{name}" for name in SHARE_ORDERINGS)],
    description="Sort key; prefix with - for descending. Records without a share sort last.",
)


class TrackRecordViewSet(DataVersionCacheMixin, viewsets.ViewSet):
    """How each vendor's and each release's published claims fared, by current verdict."""

    # `_respond` pages with its own PagePagination, not `self.paginator`.
    query_params_read = ("year", "ordering", "vendor", "page", "page_size")

    serializer_class = serializers.TrackRecordSerializer
    pagination_class = PagePagination

    def _year(self) -> int | None:
        raw = self.request.query_params.get("year")
        if raw in (None, ""):
            return None
        try:
            year = int(raw)
        except ValueError:
            year = 0
        if not 1900 <= year <= 9999:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"year": ["A four-digit year, e.g. 2025."]})
        return year

    def _respond(self, records: list[Any]) -> Response:
        ordering = self.request.query_params.get("ordering", "")
        key = ordering.removeprefix("-")
        if key in SHARE_ORDERINGS:
            descending = ordering.startswith("-")
            present = [r for r in records if getattr(r, key) is not None]
            missing = [r for r in records if getattr(r, key) is None]
            present.sort(key=lambda r: getattr(r, key), reverse=descending)
            records = present + missing
        elif ordering:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"ordering": [f"Not a sort key: {ordering!r}."]})
        paginator = self.pagination_class()
        page: Any = paginator.paginate_queryset(records, self.request, view=self)  # type: ignore[arg-type]
        data = serializers.TrackRecordSerializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        parameters=[YEAR, ORDERING], responses=serializers.TrackRecordSerializer(many=True)
    )
    @action(detail=False, url_path="vendors", url_name="vendors")
    def vendors(self, request: Request) -> Response:
        """Per vendor: "which vendor's claims were most often overstated in 2025?" is
        `?year=2025&ordering=-overstated_share`."""
        return self._respond(vendor_records(year=self._year()))

    @extend_schema(parameters=[YEAR], responses=serializers.TrackRecordSerializer)
    @action(detail=False, url_path=r"vendors/(?P<slug>[-\w]+)", url_name="vendor")
    def vendor(self, request: Request, slug: str) -> Response:
        get_object_or_404(Vendor, slug=slug)
        record = next(r for r in vendor_records(year=self._year()) if r.slug == slug)
        return Response(serializers.TrackRecordSerializer(record).data)

    @extend_schema(
        parameters=[
            YEAR,
            ORDERING,
            OpenApiParameter("vendor", OpenApiTypes.STR, description="Vendor slug."),
        ],
        responses=serializers.TrackRecordSerializer(many=True),
    )
    @action(detail=False, url_path="releases", url_name="releases")
    def releases(self, request: Request) -> Response:
        """Per release, newest announcement first within each vendor."""
        vendor_slug = request.query_params.get("vendor")
        vendor = get_object_or_404(Vendor, slug=vendor_slug) if vendor_slug else None
        return self._respond(release_records(vendor=vendor, year=self._year()))

    @extend_schema(responses=serializers.TrackRecordSerializer)
    @action(detail=False, url_path=r"releases/(?P<slug>[-\w]+)", url_name="release")
    def release(self, request: Request, slug: str) -> Response:
        release = get_object_or_404(ModelRelease.objects.select_related("vendor"), slug=slug)
        record = next(r for r in release_records(vendor=release.vendor) if r.slug == slug)
        return Response(serializers.TrackRecordSerializer(record).data)


# --- Bulk export -----------------------------------------------------------------------------


class ExportView(DataVersionCacheMixin, APIView):
    """The whole database as JSON lines, streamed: one object per line, each with a `type`
    (vendor, release, variant, alias, benchmark, citation, claim, gap_score, revision, source,
    snapshot, measurement). Archived bytes are not inlined: fetch them from the snapshots' and
    citations' download URLs. Ids match the API's."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        responses={(200, EXPORT_CONTENT_TYPE): OpenApiTypes.STR},
        operation_id="export_jsonl",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        stamp_date = dt.date.today().isoformat()
        response = StreamingHttpResponse(
            export_lines(include_drafts=audience(request) == "analyst"),
            content_type=EXPORT_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="claimsdb-{stamp_date}.jsonl"'
        return response
