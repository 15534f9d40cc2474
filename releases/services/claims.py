"""Writes on claims: publishing and unpublishing, one `.save()` each so history records them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from releases.models import Claim
from releases.services.triggers import gap_recompute_schedule


@dataclass(frozen=True)
class NotPublished:
    claim: Claim
    reason: str


@dataclass(frozen=True)
class PublishResult:
    published: list[Claim] = field(default_factory=list)
    already_published: list[Claim] = field(default_factory=list)
    not_published: list[NotPublished] = field(default_factory=list)


def claim_missing_evidence(*, claim: Claim) -> str:
    """Why the claim cannot be published, or "" if it can.

    Nothing reaches readers without its evidence; the database enforces the same rule, this
    says it in words an analyst can act on. A quote of white space is no quote; a claim known
    from reporting may rest on the reporting's words alone.
    """
    missing = []
    if claim.citation_id is None:
        missing.append("a citation")
    if not claim.evidence_text.strip():
        missing.append("a quote")
    return f"needs {' and '.join(missing)}" if missing else ""


def claim_publish(
    *, claims: Iterable[Claim], user: AbstractBaseUser | AnonymousUser | None
) -> PublishResult:
    """Publish the claims that carry a citation and a quote; leave the others as drafts.

    Each claim is saved through `.save()` (not a queryset update) so that simple-history keeps a
    record of the change, attributed to `user`. Safe to run again: published claims are skipped.
    """
    result = PublishResult()
    with transaction.atomic():
        for claim in claims:
            if claim.status == Claim.Status.PUBLISHED:
                result.already_published.append(claim)
                continue
            reason = claim_missing_evidence(claim=claim)
            if reason:
                result.not_published.append(NotPublished(claim=claim, reason=reason))
                continue
            claim.status = Claim.Status.PUBLISHED
            _save_status(claim=claim, user=user)
            result.published.append(claim)
        # A published claim gets its verdict once the publication commits.
        gap_recompute_schedule(claim_ids=[claim.pk for claim in result.published])
    return result


def claim_unpublish(
    *, claims: Iterable[Claim], user: AbstractBaseUser | AnonymousUser | None
) -> list[Claim]:
    """Move published claims back to draft; returns the claims that changed."""
    changed = []
    with transaction.atomic():
        for claim in claims:
            if claim.status == Claim.Status.DRAFT:
                continue
            claim.status = Claim.Status.DRAFT
            _save_status(claim=claim, user=user)
            changed.append(claim)
    return changed


def claim_discard_drafts(
    *, claims: Iterable[Claim], user: AbstractBaseUser | AnonymousUser | None
) -> list[Claim]:
    """Delete the drafts among the claims (published ones are left alone); returns them.

    One `.delete()` each, so the history keeps every discarded draft, attributed to `user`: it
    can be restored from "Recently deleted", and `extract_claims` does not propose it again.
    """
    discarded = []
    with transaction.atomic():
        for claim in claims:
            if claim.status != Claim.Status.DRAFT:
                continue
            if user is not None and user.is_authenticated:
                claim._history_user = user  # type: ignore[attr-defined]
            claim.delete()
            discarded.append(claim)
    return discarded


def _save_status(*, claim: Claim, user: AbstractBaseUser | AnonymousUser | None) -> None:
    # Outside a request (shell, task) the history middleware knows no user; name it explicitly.
    if user is not None and user.is_authenticated:
        claim._history_user = user  # type: ignore[attr-defined]
    claim.save(update_fields=["status", "updated_at"])
