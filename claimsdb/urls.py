"""Top-level URLs: admin, health check, and the app's public pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from claimsdb.health import healthz

admin.site.site_header = "claimsdb curation"
admin.site.site_title = "claimsdb"
admin.site.index_title = "Releases, claims and independent measurements"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("releases.urls")),
]
