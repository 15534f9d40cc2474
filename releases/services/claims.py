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


@dataclass(frozen=True)
class ClaimSaved:
    claim: Claim
    created: bool
    # Why a requested publication did not happen (the claim was saved as a draft), or "".
    left_as_draft: str = ""


# Fields whose change alters what the claim's gap is computed from.
_SCORED_FIELDS = (
    "release_id",
    "variant_id",
    "kind",
    "benchmark_id",
    "stated_value",
    "stated_std_error",
    "conditions",
)


def claim_save(
    *,
    claim: Claim,
    user: AbstractBaseUser | AnonymousUser | None,
    compared_with: Iterable[int] | None = None,
    validate: bool = True,
) -> ClaimSaved:
    """Save a new or edited claim, as the admin's form and the API both do.

    A change of status goes through `claim_publish` / `claim_unpublish` (the evidence check,
    the first gap computation); an edit of a published claim that changes what its gap is
    computed from schedules a recompute once the edit commits. `validate` runs the model's
    validation (its `clean()` and constraints) on the claim as it is to be saved; the admin
    has already done that through its form. The history records the edit, attributed to
    `user`. `compared_with` (release ids) replaces the comparison's rivals when given.
    """
    if validate:
        claim.full_clean()
    previous = Claim.objects.filter(pk=claim.pk).first() if claim.pk is not None else None
    created = claim.pk is None
    if claim.pk is not None and previous is None:
        # Restoring a deleted claim from its history brings that version back as it was.
        _save(claim=claim, user=user)
        return ClaimSaved(claim=claim, created=True)
    current = previous.status if previous is not None else Claim.Status.DRAFT
    wanted = claim.status
    left_as_draft = ""
    with transaction.atomic():
        claim.status = current
        _save(claim=claim, user=user)
        rivals_changed = False
        if compared_with is not None:
            wanted_rivals = set(compared_with)
            rivals_changed = wanted_rivals != set(claim.compared_with.values_list("id", flat=True))
            if rivals_changed:
                claim.compared_with.set(sorted(wanted_rivals))
        if wanted != current:
            if wanted == Claim.Status.PUBLISHED:
                result = claim_publish(claims=[claim], user=user)
                left_as_draft = result.not_published[0].reason if result.not_published else ""
            else:
                claim_unpublish(claims=[claim], user=user)
        elif claim.status == Claim.Status.PUBLISHED and (
            rivals_changed or _scored_fields_changed(previous, claim)
        ):
            gap_recompute_schedule(claim_ids=[claim.pk])
    return ClaimSaved(claim=claim, created=created, left_as_draft=left_as_draft)


def _scored_fields_changed(previous: Claim | None, claim: Claim) -> bool:
    if previous is None:
        return True
    return any(getattr(previous, name) != getattr(claim, name) for name in _SCORED_FIELDS)


def _save(*, claim: Claim, user: AbstractBaseUser | AnonymousUser | None) -> None:
    if user is not None and user.is_authenticated:
        claim._history_user = user  # type: ignore[attr-defined]
    claim.save()
