"""Attach leaderboard names to variants: confirmed aliases only; guesses go to review.

A raw name resolves when a confirmed alias matches it exactly (after `normalize_name`), a
source-specific alias winning over a global one. Names that do not resolve are compared with the
known names (rapidfuzz); a close one becomes an `AliasCandidate` for an analyst to accept or
reject. Nothing is attached on a guess.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from rapidfuzz import fuzz, process

from releases.models import AliasCandidate, Measurement, ModelAlias, ModelVariant
from releases.names import normalize_name
from releases.services.gap_scores import claims_affected_by
from releases.services.triggers import gap_recompute_schedule

# A similarity (0–100, rapidfuzz's normalised edit-distance ratio) below which a name is not even
# proposed. A plain ratio, not a token-set one: token-set scores "o3 (high) + gpt-4.1" 100 against
# "o3" because one name's tokens are a subset of the other's.
CANDIDATE_MIN_SCORE = 85.0
# SWE-bench systems built on several models ("a + b") are not a single variant's result.
MULTI_MODEL_SEPARATOR = " + "


def variant_ids_for_names(*, source_id: int, names: Iterable[str]) -> dict[str, int]:
    """raw name -> variant id, for the names a confirmed alias covers. One query; on SQLite, one
    per few hundred names (it refuses a statement with more variables than its limit)."""
    by_normalized: dict[str, list[str]] = {}
    for name in names:
        by_normalized.setdefault(normalize_name(name), []).append(name)
    keys = sorted(by_normalized)
    per_query = _sqlite_variable_limit() - 10 if connection.vendor == "sqlite" else len(keys)
    aliases: list[tuple[str, int, int | None]] = []
    for start in range(0, len(keys), max(per_query, 1)):
        aliases.extend(
            ModelAlias.objects.filter(
                Q(source__isnull=True) | Q(source_id=source_id),
                normalized_name__in=keys[start : start + per_query],
            ).values_list("normalized_name", "variant_id", "source_id")
        )
    resolved: dict[str, int] = {}
    # Global aliases first, so that a source-specific alias overwrites them.
    for normalized, variant_id, _alias_source in sorted(aliases, key=lambda a: a[2] is not None):
        for name in by_normalized[normalized]:
            resolved[name] = variant_id
    return resolved


def _sqlite_variable_limit() -> int:
    """The most variables SQLite takes in one statement: 32,766 in today's builds, 999 before
    3.32. Read from the connection, since Django's own figure is the old, lower one."""
    connection.ensure_connection()
    raw = connection.connection
    try:
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except AttributeError:  # pragma: no cover - Python before 3.11
        return 999


def _known_names() -> tuple[list[str], list[int]]:
    """Every name we know a variant by: alias names, variant names and hub ids, normalised."""
    choices: list[str] = []
    variant_ids: list[int] = []
    for name, variant_id in ModelAlias.objects.values_list("normalized_name", "variant_id"):
        choices.append(name)
        variant_ids.append(variant_id)
    variants = ModelVariant.objects.values_list(
        "id", "name", "hub_id", "release__name", "is_public", "kind"
    ).order_by("release_id", "id")
    release_variant: dict[str, int] = {}
    for variant_id, name, hub_id, release_name, is_public, kind in variants:
        for known in (name, hub_id):
            if known:
                choices.append(normalize_name(known))
                variant_ids.append(variant_id)
        # A leaderboard that names only the release ("Llama 4 Maverick") means the model users
        # get: suggest the release's public instruct variant, else its first public one.
        if is_public and (
            kind == ModelVariant.Kind.INSTRUCT or release_name not in release_variant
        ):
            release_variant[release_name] = variant_id
    for release_name, variant_id in release_variant.items():
        choices.append(normalize_name(release_name))
        variant_ids.append(variant_id)
    return choices, variant_ids


def alias_candidates_propose(*, source_id: int, names: Iterable[str]) -> int:
    """Queue a candidate for each unresolved name that closely matches a known one.

    Returns how many new candidates were queued. Names already reviewed (accepted or rejected
    candidates for the same variant) are not proposed again: the unique constraint skips them.
    """
    choices, variant_ids = _known_names()
    if not choices:
        return 0
    candidates = []
    for name in sorted(set(names)):
        if MULTI_MODEL_SEPARATOR in name:
            continue
        match = process.extractOne(
            normalize_name(name),
            choices,
            scorer=fuzz.ratio,
            score_cutoff=CANDIDATE_MIN_SCORE,
        )
        if match is None:
            continue
        _choice, score, index = match
        candidates.append(
            AliasCandidate(
                source_id=source_id,
                raw_name=name,
                suggested_variant_id=variant_ids[index],
                score=round(float(score), 1),
            )
        )
    before = AliasCandidate.objects.filter(source_id=source_id).count()
    AliasCandidate.objects.bulk_create(candidates, ignore_conflicts=True)
    return AliasCandidate.objects.filter(source_id=source_id).count() - before


@transaction.atomic
def alias_candidate_accept(
    *, candidate_id: int, user: AbstractBaseUser | AnonymousUser | None
) -> list[int]:
    """Accept a candidate: confirm the alias for its source and attach every measurement of that
    source with that name. Returns the ids of the measurements attached."""
    candidate = AliasCandidate.objects.select_for_update().get(pk=candidate_id)
    now = timezone.now()
    alias, _ = ModelAlias.objects.get_or_create(
        source_id=candidate.source_id,
        normalized_name=normalize_name(candidate.raw_name),
        defaults={
            "name": candidate.raw_name,
            "variant_id": candidate.suggested_variant_id,
            # Only a signed-in user can vouch for a name (the shell or a task has none).
            "confirmed_by": user if isinstance(user, User) else None,
            "confirmed_at": now,
            "note": f"Accepted from the review queue (similarity {candidate.score:.0f}).",
        },
    )
    measurements = Measurement.objects.filter(
        source_id=candidate.source_id, raw_model_name=candidate.raw_name
    ).exclude(variant_id=alias.variant_id)
    attached = list(measurements.values_list("id", flat=True))
    measurements.update(variant_id=alias.variant_id, updated_at=now)
    # The attached figures now count for the variant's claims.
    gap_recompute_schedule(
        claim_ids=claims_affected_by(measurements=Measurement.objects.filter(pk__in=attached))
    )
    candidate.status = AliasCandidate.Status.ACCEPTED
    candidate.decided_by = user  # type: ignore[assignment]
    candidate.decided_at = now
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    # Other suggestions for the same name are moot once one is accepted.
    AliasCandidate.objects.filter(
        source_id=candidate.source_id,
        raw_name=candidate.raw_name,
        status=AliasCandidate.Status.PENDING,
    ).update(status=AliasCandidate.Status.REJECTED, decided_by=user, decided_at=now)
    return attached


def alias_candidate_reject(
    *, candidate_id: int, user: AbstractBaseUser | AnonymousUser | None
) -> None:
    """Reject a candidate: nothing is attached, and the same suggestion is not made again."""
    AliasCandidate.objects.filter(pk=candidate_id).update(
        status=AliasCandidate.Status.REJECTED, decided_by=user, decided_at=timezone.now()
    )
