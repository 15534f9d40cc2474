"""Reviewing the drafts `extract_claims` proposes, in the claim admin.

The review list is the claim list filtered to one document (its citation) and to drafts, as the
command prints it: each draft beside the row of the document it came from, with what the
document holds that could not be proposed (unknown benchmark labels, unreadable cells) above the
list. An analyst edits a draft on its page, and publishes or discards drafts one at a time or in
bulk. Publishing goes through `claim_publish` wherever it starts (action or form), so the
evidence check and the gap computation always run; discarding is a deletion kept in the history,
so a discarded draft can be restored and is not proposed again.

Claims the vendor changed in a later version of its document are flagged ("revised by vendor"),
with the date the change was found.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from releases.admin.base import admin_changelist_url
from releases.documents.extraction import extract_claims
from releases.documents.proposals import Extraction, NoClaimTable
from releases.documents.tables import TableTooLarge, readable_text
from releases.models import Citation, Claim, ClaimRevision
from releases.services.claim_extraction import catalogue_snapshot
from releases.services.claims import (
    claim_discard_drafts,
    claim_save,
)

DOCUMENT_PARAMETER = "citation__id__exact"


class DocumentFilter(admin.RelatedOnlyFieldListFilter):
    """The claims cited from one document (one version of it): the review list of its drafts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "document"


class RevisedByVendorFilter(admin.SimpleListFilter):
    title = "revised by vendor"
    parameter_name = "revised"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        if self.value() == "yes":
            return queryset.filter(_revised_at__isnull=False)  # type: ignore[misc]
        if self.value() == "no":
            return queryset.filter(_revised_at__isnull=True)  # type: ignore[misc]
        return queryset


def with_revision_dates(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Each claim with the date its latest vendor revision was found (None if never)."""
    latest = ClaimRevision.objects.filter(claim=OuterRef("pk")).order_by("-detected_at")
    return queryset.annotate(_revised_at=Subquery(latest.values("detected_at")[:1]))


def source_row(claim: Claim) -> SafeString | str:
    """The document's row, cell by cell, with the claim's own cell marked."""
    if not claim.quote:
        return "—"
    # The readable rendering is the row's cells joined by " | "; the quote is the raw markup.
    cells = (claim.quote_readable or claim.quote).split(" | ")
    stated = {claim.stated_text, readable_text(claim.stated_text)}
    row = format_html_join(
        "",
        '<td class="{}">{}</td>',
        (("claim-cell" if cell in stated else "", cell) for cell in cells),
    )
    return format_html(
        '<div class="source-row"><small>{}</small><table><tr>{}</tr></table></div>',
        claim.location,
        row,
    )


def document_problems(citation: Citation) -> Extraction | None:
    """What the extractor cannot propose from the document, read again from its archived copy
    against today's catalogue: an alias added since shows at once. None without an archive."""
    content = Citation.objects.filter(pk=citation.pk).values_list("archived_content", flat=True)
    archived = content.first()
    releases = sorted(set(citation.claims.values_list("release__slug", flat=True)))
    if not archived or not releases:
        return None
    try:
        text = bytes(archived).decode("utf-8-sig")
        return extract_claims(text, releases=releases, catalogue=catalogue_snapshot())
    except (UnicodeDecodeError, NoClaimTable, TableTooLarge):
        return None


class DraftReviewMixin:
    """The review workflow, mixed into `ClaimAdmin`."""

    change_list_template = "admin/releases/claim_review_change_list.html"

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        citation_id = request.GET.get(DOCUMENT_PARAMETER, "")
        citation = (
            Citation.objects.defer("archived_content").filter(pk=citation_id).first()
            if citation_id.isdigit()
            else None
        )
        if citation is not None:
            extra_context = {
                **(extra_context or {}),
                "review_citation": citation,
                "review_problems": document_problems(citation),
                "review_drafts": citation.claims.filter(status=Claim.Status.DRAFT).count(),
            }
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    def get_ordering(self, request: HttpRequest) -> list[str]:
        # One document's claims in the order they were read from it.
        if DOCUMENT_PARAMETER in request.GET:
            return ["pk"]
        return list(super().get_ordering(request))  # type: ignore[misc]

    @admin.display(description="source row")
    def source_row(self, obj: Claim) -> SafeString | str:
        return source_row(obj)

    @admin.display(description="revised by vendor", ordering="_revised_at")
    def revised_by_vendor(self, obj: Claim) -> SafeString | str:
        revised_at = getattr(obj, "_revised_at", None)
        if revised_at is None:
            return "—"
        url = admin_changelist_url(ClaimRevision, claim__id__exact=obj.pk)
        return format_html('<a href="{}">revised {}</a>', url, f"{revised_at:%Y-%m-%d}")

    @admin.display(description="revised by the vendor")
    def vendor_revisions(self, obj: Claim) -> SafeString | str:
        if obj.pk is None:
            return "—"
        revisions = obj.revisions.select_related("old_citation", "new_citation").order_by(
            "detected_at"
        )
        if not revisions:
            return "Never: no later version of the document changed this claim."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} {} → {} (citation {} → citation {})</li>",
                (
                    (
                        f"{r.detected_at:%Y-%m-%d}",
                        r.field,
                        r.old_value,
                        r.new_value,
                        r.old_citation_id,
                        r.new_citation_id,
                    )
                    for r in revisions
                ),
            ),
        )

    @admin.action(description="Discard selected drafts", permissions=["delete"])
    def discard_drafts(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        selected = list(queryset)
        discarded = claim_discard_drafts(claims=selected, user=request.user)
        kept = len(selected) - len(discarded)
        self.message_user(  # type: ignore[attr-defined]
            request,
            f"Discarded {len(discarded)} draft(s); they can be restored from “Recently deleted”."
            + (f" {kept} published claim(s) left alone." if kept else ""),
            messages.SUCCESS,
        )

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        """Save the edits through `claim_save`, as the API does: a change of status goes
        through the publish/unpublish services, an edit of a published claim recomputes it."""
        saved = claim_save(claim=obj, user=request.user, validate=False)
        if saved.left_as_draft:
            self.message_user(  # type: ignore[attr-defined]
                request, f"Saved, but left as a draft: it {saved.left_as_draft}.", messages.WARNING
            )
