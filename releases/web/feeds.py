"""Atom feeds of verdict changes: site-wide, and per release.

An entry is a score whose verdict differs from the claim's previous one (a first verdict
counts); a recompute that only moved the numbers is not news and is left out.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from releases.models import GapScore, ModelRelease
from releases.web import selectors
from releases.web.verdicts import verdict_style

FEED_LENGTH = 50


def _subject(score: GapScore) -> str:
    claim = score.claim
    what = claim.benchmark.name if claim.benchmark else claim.get_kind_display()
    return f"{claim.release.name}, {what}"


class VerdictChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "claimsdb: verdict changes"
    subtitle = "Launch claims of AI models whose verdict against independent measurement changed."
    author_name = "claimsdb"

    def link(self) -> str:
        return reverse("releases:home")

    def items(self) -> list[GapScore]:
        return selectors.verdict_changes(limit=FEED_LENGTH)

    def item_title(self, item: GapScore) -> str:
        return f"{_subject(item)}: {verdict_style(item.verdict).label}"

    def item_description(self, item: GapScore) -> str:
        return item.explanation

    def item_link(self, item: GapScore) -> str:
        return reverse("releases:claim", args=[item.claim_id]) + f"#score-{item.id}"

    def item_guid(self, item: GapScore) -> str:
        return f"claimsdb:gap-score:{item.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: GapScore) -> dt.datetime:
        return item.computed_at

    def item_updateddate(self, item: GapScore) -> dt.datetime:
        return item.computed_at


class ReleaseVerdictChangesFeed(VerdictChangesFeed):
    def get_object(self, request: HttpRequest, slug: str) -> ModelRelease:
        return get_object_or_404(ModelRelease, slug=slug)

    def title(self, obj: ModelRelease) -> str:  # type: ignore[override]
        return f"claimsdb: verdict changes for {obj.name}"

    def link(self, obj: ModelRelease) -> str:  # type: ignore[override]
        return reverse("releases:release", args=[obj.slug])

    def items(self, obj: ModelRelease) -> list[GapScore]:  # type: ignore[override]
        return selectors.verdict_changes(release_id=obj.id, limit=FEED_LENGTH)
