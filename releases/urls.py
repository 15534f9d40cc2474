"""Public pages of the app: see `releases.web.urls`."""

from __future__ import annotations

from releases.web.urls import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
