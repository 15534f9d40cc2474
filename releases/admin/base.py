"""Building blocks shared by the admin modules: history with restore, read-only admins, downloads."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Field, Model
from django.forms import Field as FormField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from simple_history.admin import SimpleHistoryAdmin

# How many deleted objects the "Recently deleted" page lists.
DELETED_LIST_LIMIT = 200


def https_formfield(db_field: Field, **kwargs: Any) -> FormField | None:
    """A model field's form field, with URLs typed without a scheme taken as https.

    Django 5.x warns that its default scheme changes from http to https in 6.0; analysts paste
    https links, so opt in now (the warning is an error in the test settings).
    """
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class HttpsURLAdminMixin:
    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest | None, **kwargs: Any
    ) -> FormField | None:
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


class ModelAdmin(HttpsURLAdminMixin, admin.ModelAdmin):
    """The base for admins without history."""


class TabularInline(HttpsURLAdminMixin, admin.TabularInline):
    """The base for inlines."""


class HistoryAdmin(HttpsURLAdminMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin, with two things it lacks.

    - Reverting is a write, so it needs the permission a write needs. simple-history's revert
      view checks only *view* permission, even on POST: without this, a user who may only look
      at a model could overwrite it by posting to one of its history pages.
    - Deleted objects can be restored from the admin: simple-history's history and revert views
      already work for an object that no longer exists, but nothing links to them. The
      "Recently deleted" page (``deleted/``) does.
    """

    change_list_template = "admin/releases/change_list_with_deleted.html"

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name="{}_{}_deleted".format(*info),
        )
        # Ahead of the default URLs, whose "<path:object_id>/" would swallow "deleted/".
        return [deleted, *super().get_urls()]

    def _may_revert(self, request: HttpRequest, object_id: str) -> bool:
        current = self.get_object(request, unquote(object_id))
        if current is None:
            # Restoring a deleted object creates a row again.
            return self.has_add_permission(request)
        return self.has_change_permission(request, current)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not self._may_revert(request, object_id):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and not self.model._default_manager.filter(pk=obj.pk).exists():
            return not self.has_add_permission(request)
        return bool(super().revert_disabled(request, obj))

    def deleted_view(self, request: HttpRequest) -> TemplateResponse:
        """Objects whose last history record is a deletion, newest first, linking to restore."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        history = self.model.history
        pk_name = self.opts.pk.attname
        existing = self.model._default_manager.values(pk_name)
        records = (
            history.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": existing})
            .select_related("history_user")
            .order_by("-history_date")
        )
        # An object deleted, restored and deleted again has several deletion records: list it once.
        seen: set[Any] = set()
        rows = []
        for record in records[: DELETED_LIST_LIMIT * 2]:
            pk = getattr(record, pk_name)
            if pk in seen:
                continue
            seen.add(pk)
            rows.append(
                {
                    "pk": pk,
                    "label": str(record.history_object),
                    "deleted_at": record.history_date,
                    "deleted_by": record.history_user,
                    "history_url": reverse(
                        f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_history",
                        args=[pk],
                    ),
                }
            )
            if len(rows) >= DELETED_LIST_LIMIT:
                break
        context = {
            **self.admin_site.each_context(request),
            "title": f"Recently deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "rows": rows,
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/releases/deleted_list.html", context)


class ReadOnlyAdminMixin:
    """For imported or derived data: viewable, never added, changed or deleted in the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def attachment_response(*, content: bytes, file_name: str, content_type: str = "") -> HttpResponse:
    """Serve stored bytes as a download, never rendered inline.

    Archived pages and leaderboard files are third-party content (often HTML): served inline
    from our origin they could run scripts in an analyst's session.
    """
    if not content_type:
        content_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(content))
    return response


def admin_change_url(obj: Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def admin_changelist_url(model: type[Model], **filters: Any) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    if filters:
        url += "?" + urlencode(filters)
    return url
