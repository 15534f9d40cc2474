"""The public pages' URLs: clean permalinks a journalist can cite."""

from __future__ import annotations

from django.urls import path

from releases.web import views

app_name = "releases"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("feed/", views.site_feed, name="feed"),
    path("releases/<slug:slug>/", views.release_page, name="release"),
    path("releases/<slug:slug>/claims.csv", views.release_claims_csv, name="release-csv"),
    path("releases/<slug:slug>/feed/", views.release_feed, name="release-feed"),
    path("claims/<int:claim_id>/", views.claim_page, name="claim"),
    path("vendors/<slug:slug>/", views.vendor_page, name="vendor"),
    path("benchmarks/<slug:slug>/", views.benchmark_page, name="benchmark"),
    path("benchmarks/<slug:slug>/claims.csv", views.benchmark_claims_csv, name="benchmark-csv"),
    path("sources/", views.sources_page, name="sources"),
    path("snapshots/<int:snapshot_id>/", views.snapshot_page, name="snapshot"),
    path("snapshots/<int:snapshot_id>/raw", views.snapshot_raw, name="snapshot-raw"),
    path("citations/<int:citation_id>/archive", views.citation_archive, name="citation-archive"),
    path("track-record/", views.track_record, name="track-record"),
    path("methodology/", views.methodology_page, name="methodology"),
]
