"""Slugs to ids for the list filters, kept per process and data version.

A filter on a benchmark's or a release's slug joined the measurements to those tables only to
compare one column: PostgreSQL planned the four-table join of a filtered measurement page in
0.6 to 1.3 ms, more than it took to run it, for every uncached page. With the slugs read as
ids first, the page's ids come from the measurements alone (and their variants, for a
release): 0.2 ms to plan; with a release read as its variants' ids, from the measurements
alone: 0.06 ms. A slug's id, and a release's variants, are kept in the process under the data
version they were read at, which every edit advances: a renamed or new slug, or a new variant,
is read again at the next version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model

from releases.api.representations import RecentValues
from releases.models import ModelVariant
from releases.services.data_version import data_version_local

T = TypeVar("T")

# Slugs a process filtered on lately: a few bytes each.
RECENT_IDS = RecentValues(2000)


def id_for_slug(model: type[Model], slug: str) -> int | None:
    """The id of `model`'s row with this slug, or None when none has it."""
    return _kept(
        f"{model._meta.label_lower}:{data_version_local().number}:{slug}",
        lambda: model._default_manager.filter(slug=slug).values_list("pk", flat=True).first(),
    )


def variant_ids_of_release(release_id: int) -> list[int]:
    """The ids of the release's variants, in id order."""
    return _kept(
        f"releases.modelvariant:release:{data_version_local().number}:{release_id}",
        lambda: list(
            ModelVariant.objects.filter(release_id=release_id)
            .order_by("id")
            .values_list("id", flat=True)
        ),
    )


def _kept(key: str, read: Callable[[], T]) -> T:
    """What this process kept under `key` (which holds the data version), else `read()`, kept."""
    found = RECENT_IDS.get_many([key])
    if key in found:
        return found[key]
    value = read()
    RECENT_IDS.set_many({key: value})
    return value
