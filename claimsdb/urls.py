"""Top-level URLs: admin, health check, the REST API with its schema and docs, the public pages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from claimsdb.health import healthz, livez

admin.site.site_header = "claimsdb curation"
admin.site.site_title = "claimsdb"
admin.site.index_title = "Releases, claims and independent measurements"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("releases.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("releases.urls")),
]

# The API's error format for unknown paths and crashes under /api/; Django's pages elsewhere.
handler404 = "releases.api.errors.handler404"
handler500 = "releases.api.errors.handler500"
