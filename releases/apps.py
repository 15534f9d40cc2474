from __future__ import annotations

from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Releases, claims and measurements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from releases.services.data_version import connect_signals

        connect_signals()
