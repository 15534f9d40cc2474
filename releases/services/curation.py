"""Writes analysts make besides claims: citations with their archived copy, leaderboard names
for variants (aliases), and the review of a computed verdict.

The admin and the API both call these, so the same checks, the same history and the same
attribution apply wherever an edit starts.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from releases.models import Citation, GapScore, ModelAlias
from releases.names import normalize_name
from releases.services.citation_archive import ArchiveOutcome, citation_archive_save

User = AbstractBaseUser | AnonymousUser | None


def _attribute(obj: object, user: User) -> None:
    # Outside a session (a token request, the shell) the history middleware knows no user.
    if user is not None and user.is_authenticated:
        obj._history_user = user  # type: ignore[attr-defined]


def citation_clash(*, citation: Citation, sha256: str) -> Citation | None:
    """Another citation of the same URL with the same archived copy ((url, sha256) is unique)."""
    return (
        Citation.objects.filter(url=citation.url, sha256=sha256)
        .exclude(pk=citation.pk)
        .defer("archived_content")
        .first()
    )


def citation_save(
    *, citation: Citation, user: User, content: bytes | None = None, file_name: str = ""
) -> ArchiveOutcome:
    """Save a citation; `content`, when given, is its archived copy.

    Validated as the admin form validates it: the model's fields and constraints, and no second
    citation of the same URL with the same copy. Archived evidence is immutable
    (`releases.services.citation_archive`): other bytes for a citation that already has a copy
    become a new version, and the outcome says which citation holds them.
    """
    sha256 = hashlib.sha256(content).hexdigest() if content is not None else citation.sha256
    clash = citation_clash(citation=citation, sha256=sha256)
    if clash is not None:
        what = "this archived copy" if sha256 else "no archived copy"
        raise ValidationError({"url": f"“{clash}” already cites this URL with {what}."})
    citation.full_clean(exclude=["archived_content", "sha256"])
    _attribute(citation, user)
    return citation_archive_save(citation=citation, content=content, file_name=file_name)


def alias_clash(*, alias: ModelAlias) -> ModelAlias | None:
    """An alias that already gives this name a meaning where `alias` would."""
    return (
        ModelAlias.objects.filter(normalized_name=normalize_name(alias.name), source=alias.source)
        .exclude(pk=alias.pk)
        .select_related("variant")
        .first()
    )


def model_alias_save(*, alias: ModelAlias, user: User, confirm: bool = True) -> ModelAlias:
    """Save a leaderboard name for a variant. Whoever saves it vouches for it (`confirm`):
    only confirmed aliases attach measurements."""
    clash = alias_clash(alias=alias)
    if clash is not None:
        where = "on this source" if clash.source_id else "on every source"
        raise ValidationError({"name": f"“{clash.name}” already means {clash.variant} {where}."})
    alias.normalized_name = normalize_name(alias.name)
    alias.full_clean(exclude=["confirmed_by"])
    if confirm:
        alias.confirmed_by = user if user is not None and user.is_authenticated else None  # type: ignore[assignment]
        alias.confirmed_at = timezone.now()
    _attribute(alias, user)
    alias.save()
    return alias


class NotCurrent(ValueError):
    """A review is of the current verdict; superseded scores are history."""


@transaction.atomic
def gap_score_review(*, score: GapScore, status: str, note: str, user: User) -> GapScore:
    """Record an analyst's review (confirmed, disputed, or back to proposed) of a current score."""
    locked = GapScore.objects.select_for_update().get(pk=score.pk)
    if not locked.is_current:
        raise NotCurrent("Only the current score of a claim can be reviewed.")
    if status not in GapScore.Review.values:
        raise ValidationError({"review_status": f"Not a review status: {status!r}."})
    locked.review_status = status
    locked.review_note = note
    locked.reviewed_by = user if user is not None and user.is_authenticated else None  # type: ignore[assignment]
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_status", "review_note", "reviewed_by", "reviewed_at"])
    return locked
