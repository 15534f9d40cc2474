"""The models the releases admin registers, and URLs of their admin pages."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.urls import reverse

# Every releases model the admin registers; read at collection, so new models are covered.
RELEASES_MODELS: list[type[Model]] = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "releases"),
    key=lambda model: model.__name__,
)


def admin_url(model: type[Model] | Model, view: str, *args: object) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
