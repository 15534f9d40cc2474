"""URLs of the API, mounted at /api/v1/ (namespace "api")."""

from __future__ import annotations

from django.urls import path
from rest_framework.routers import DefaultRouter

from releases.api import views

app_name = "api"

router = DefaultRouter()
router.register("vendors", views.VendorViewSet, basename="vendor")
router.register("releases", views.ReleaseViewSet, basename="release")
router.register("variants", views.VariantViewSet, basename="variant")
router.register("benchmarks", views.BenchmarkViewSet, basename="benchmark")
router.register("aliases", views.AliasViewSet, basename="alias")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("sources", views.SourceViewSet, basename="source")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")
router.register("track-record", views.TrackRecordViewSet, basename="track-record")

urlpatterns = [
    path("export/", views.ExportView.as_view(), name="export"),
    *router.urls,
]
