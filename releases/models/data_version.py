"""One counter that every change to the published data advances.

Caches and HTTP validators (ETag, Last-Modified) of the API and the public pages are keyed on
it: an import, a recompute or an analyst's edit advances it, so no reader is served data older
than the last change, and unchanged data is served from the cache without touching the rows.
"""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """A single row (pk=1): the version number and when it last advanced."""

    number = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"data version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
