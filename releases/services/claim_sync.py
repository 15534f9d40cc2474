"""Writing what `extract_claims` proposes: claims matched, created or revised; figures upserted.

The matching rules are in `releases.services.claim_extraction`'s docstring; this module applies
them for one document version (a `Citation`) and records every outcome in the summary.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from releases.conditions import conditions_key
from releases.documents.extraction import extract_claims
from releases.documents.proposals import (
    Catalogue,
    Extraction,
    NoClaimTable,
    ProposedClaim,
    ProposedFigure,
)
from releases.models import (
    Benchmark,
    Citation,
    Claim,
    ClaimRevision,
    ModelRelease,
    ModelVariant,
    ReportedFigure,
)
from releases.services.claims import claim_unpublish

User = AbstractBaseUser | AnonymousUser | None


@dataclass
class ExtractionSummary:
    document: str
    sha256: str
    url: str
    citation_id: int
    citation_title: str
    previous_version_id: int | None  # the citation these bytes are a newer version of
    newer_version_id: int | None = None  # set instead when these bytes are an older version
    drafts: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    revised: list[dict[str, Any]] = field(default_factory=list)
    # An older version than a claim's own: what it stated otherwise, kept as history only.
    history: list[dict[str, Any]] = field(default_factory=list)
    older_only: list[dict[str, Any]] = field(default_factory=list)  # in no newer version
    discarded: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)
    unknown_benchmarks: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    reported_figures: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ClaimSync:
    """Match proposals to the claims of earlier runs and versions; write what is new."""

    def __init__(
        self,
        extraction: Extraction,
        citation: Citation,
        releases: dict[str, ModelRelease],
        catalogue: Catalogue,
        user: User,
        summary: ExtractionSummary,
        *,
        bom: int = 0,
    ) -> None:
        self.bom = bom  # bytes before the text the offsets count from (a UTF-8 BOM)
        self.catalogue = catalogue
        self.extraction = extraction
        self.citation = citation
        self.user = user
        self.summary = summary
        self.existing = list(
            Claim.objects.filter(release__slug__in=list(releases), citation__url=citation.url)
            .select_related("release", "variant", "benchmark", "citation")
            .order_by("-citation_id", "pk")
        )
        # Claims this version was already superseded on: reading it again changes nothing.
        self.superseded = set(
            ClaimRevision.objects.filter(
                claim__in=self.existing, old_citation=citation
            ).values_list("claim_id", flat=True)
        )
        self.used: set[int] = set()
        self.releases = {slug: r.pk for slug, r in releases.items()}
        self.variants = dict(ModelVariant.objects.values_list("slug", "pk"))
        self.benchmarks = dict(Benchmark.objects.values_list("slug", "pk"))
        self._deleted: set[tuple[Any, ...]] | None = None  # read when first needed
        self._newer: bool | None = None  # whether a claim cites a newer version
        self._earlier: dict[int, list[ProposedClaim]] = {}  # citation id -> its proposals

    def run(self) -> None:
        proposals = self.extraction.claims
        # Exact matches first, so a looser match never takes a claim an exact one needs.
        matched = {id(p): self._take(lambda c, p=p: _key(c) == p.key) for p in proposals}
        for p in proposals:
            claim = matched[id(p)] or self._loose_match(p)
            if claim is None:
                self._create(p)
            elif claim.citation_id == self.citation.pk or claim.pk in self.superseded:
                self.summary.unchanged.append(_item(claim))
            elif claim.citation is not None and version_is_newer(claim.citation, self.citation):
                self._record_history(claim, p)
            else:
                # Conditions differ only where the vendor changed them: an analyst's own
                # addition to a claim (a condition given in prose) is not a vendor's edit.
                vendor_conditions = _key(claim) != p.key and self._vendor_changed_conditions(
                    claim, p
                )
                if vendor_conditions or not _same(claim.stated_value, p.stated_value):
                    self._revise(claim, p, conditions=vendor_conditions)
                else:
                    self.summary.unchanged.append(_item(claim))

    def _take(self, test: Any) -> Claim | None:
        claim = next((c for c in self.existing if c.pk not in self.used and test(c)), None)
        if claim is not None:
            self.used.add(claim.pk)
        return claim

    def _loose_match(self, p: ProposedClaim) -> Claim | None:
        """Same release, variant, benchmark and kind, other conditions: the same cell of the
        document (an analyst's edit, or the vendor's), else the only such claim of an earlier
        version."""

        def same(c: Claim) -> bool:
            return _key(c)[:4] == p.key[:4]

        # One cell can hold several claims (MTOB's two directions): take the one whose other
        # conditions agree most with the proposal's.
        location = _fit(p.location, 300)
        here = [
            c for c in self.existing if c.pk not in self.used and same(c) and c.location == location
        ]
        if here:
            best = max(here, key=lambda c: len(_items(c.conditions) & _items(p.conditions)))
            return self._take(lambda c: c is best)
        older = [
            c for c in self.existing
            if c.pk not in self.used and same(c) and c.citation_id != self.citation.pk
        ]  # fmt: skip
        return self._take(lambda c: c is older[0]) if len(older) == 1 else None

    def _vendor_changed_conditions(self, claim: Claim, p: ProposedClaim) -> bool:
        """Whether the earlier version the claim cites gave other conditions at the claim's
        place than this version does. Read from its archived copy; without one, assume so."""
        # Claims are matched through their citation's URL, so every claim here has one.
        citation_id = claim.citation_id
        assert citation_id is not None
        if citation_id not in self._earlier:
            self._earlier[citation_id] = _proposals(
                citation_id, list(self.releases), self.catalogue
            )
        earlier = [
            e for e in self._earlier[citation_id]
            if e.location == claim.location and e.key[:4] == p.key[:4]
        ]  # fmt: skip
        if not earlier:
            return True
        return all(e.key[4] != p.key[4] for e in earlier)

    def _record_history(self, claim: Claim, p: ProposedClaim) -> None:
        """This version is older than the one the claim cites: it only adds history. What it
        stated otherwise is recorded as a revision from it to the claim's version; the claim,
        its value, citation and status stay as they are."""
        newer = claim.citation
        assert newer is not None
        conditions = _key(claim) != p.key and self._vendor_changed_conditions(claim, p)
        changes: list[tuple[str, Any, Any]] = []
        if not _same(claim.stated_value, p.stated_value):
            changes.append(("stated_value", p.stated_value, claim.stated_value))
        if conditions:
            changes.append(("conditions", p.conditions, claim.conditions))
        if not changes:
            self.summary.unchanged.append(_item(claim))
            return
        for name, old, new in changes:
            ClaimRevision.objects.get_or_create(
                claim=claim,
                field=name,
                old_citation=self.citation,
                new_citation=newer,
                defaults={
                    "old_value": old,
                    "new_value": new,
                    "note": f'"{p.stated_text}" at {p.location} in an earlier version became '
                    f'"{claim.stated_text}" at {claim.location}.',
                },
            )
        self.summary.history.append(
            {
                **_item(claim),
                "changes": [{"field": n, "old": o, "new": v} for n, o, v in changes],
                "newer_citation": newer.pk,
            }
        )

    def _create(self, p: ProposedClaim) -> None:
        if self._newer_versions_exist():
            # A claim only an older version states was dropped or moved since: proposing it
            # as a draft would bring back what the vendor took out.
            self.summary.older_only.append(_proposal_item(p))
            return
        if self._discarded(p):
            self.summary.discarded.append(_proposal_item(p))
            return
        claim = Claim(
            release_id=self.releases[p.release],
            variant_id=self.variants[p.variant] if p.variant else None,
            kind=p.kind,
            benchmark_id=self.benchmarks[p.benchmark],
            stated_value=p.stated_value,
            stated_text=_fit(p.stated_text, 200),
            conditions=p.conditions,
            **_quote(p, self.bom),
            citation=self.citation,
            location=_fit(p.location, 300),
            status=Claim.Status.DRAFT,
            notes=p.notes,
        )
        self._save(claim)
        self.summary.drafts.append({"id": claim.pk, **_proposal_item(p)})

    def _discarded(self, p: ProposedClaim) -> bool:
        """An analyst deleted this very draft (same claim, same value) from a version of the
        document: proposing it again would undo their review."""
        if self._deleted is None:
            history = Claim.history.filter(
                history_type="-", citation__url=self.citation.url
            ).values_list(
                "release_id", "variant_id", "benchmark_id", "kind", "conditions_key", "stated_value"
            )
            self._deleted = {(*row[:5], round(row[5], 9)) for row in history if row[5] is not None}
        key = (
            self.releases[p.release],
            self.variants[p.variant] if p.variant else None,
            self.benchmarks[p.benchmark],
            p.kind,
            conditions_key(p.conditions),
            round(p.stated_value, 9),
        )
        return key in self._deleted

    def _revise(self, claim: Claim, p: ProposedClaim, *, conditions: bool) -> None:
        """Record what the vendor changed, and give the claim the new version's reading."""
        old_citation = claim.citation
        assert old_citation is not None  # claims are matched through their citation's URL
        changes: list[tuple[str, Any, Any]] = []
        if not _same(claim.stated_value, p.stated_value):
            changes.append(("stated_value", claim.stated_value, p.stated_value))
        if conditions:
            changes.append(("conditions", claim.conditions, p.conditions))
        for name, old, new in changes:
            ClaimRevision.objects.get_or_create(
                claim=claim,
                field=name,
                old_citation=old_citation,
                new_citation=self.citation,
                defaults={
                    "old_value": old,
                    "new_value": new,
                    "note": f'"{claim.stated_text}" at {claim.location} became "{p.stated_text}" '
                    f"at {p.location}.",
                },
            )
        was_published = claim.status == Claim.Status.PUBLISHED
        claim.stated_value = p.stated_value
        claim.stated_text = _fit(p.stated_text, 200)
        if conditions:
            claim.conditions = p.conditions
        for name, value in _quote(p, self.bom).items():
            setattr(claim, name, value)
        claim.location = _fit(p.location, 300)
        claim.citation = self.citation
        self._save(claim)
        if was_published:
            claim_unpublish(claims=[claim], user=self.user)
        self.summary.revised.append(
            {
                **_item(claim),
                "changes": [{"field": n, "old": o, "new": v} for n, o, v in changes],
                "old_citation": old_citation.pk,
                "moved_to_draft": was_published,
            }
        )

    def _newer_versions_exist(self) -> bool:
        if self._newer is None:
            self._newer = any(
                c.citation is not None and version_is_newer(c.citation, self.citation)
                for c in self.existing
            )
        return self._newer

    def _save(self, claim: Claim) -> None:
        if self.user is not None and self.user.is_authenticated:
            claim._history_user = self.user  # type: ignore[attr-defined]
        claim.save()


def figures_sync(
    figures: list[ProposedFigure],
    citation: Citation,
    releases: dict[str, ModelRelease],
    summary: ExtractionSummary,
    *,
    bom: int = 0,
    older: bool = False,
) -> None:
    """Upsert the figures about other models on (subject, benchmark, place, conditions).

    From a version older than the newest one stored, nothing is written: a figure's history
    keeps the values of the versions it was read from in order."""
    vendor = next(iter(releases.values())).vendor
    existing = {
        (f.subject_name, f.benchmark.slug, f.location, conditions_key(f.conditions)): f
        for f in ReportedFigure.objects.filter(
            citation__url=citation.url, reported_by=vendor
        ).select_related("benchmark")
    }
    benchmarks = dict(Benchmark.objects.values_list("slug", "pk"))
    subjects = dict(ModelRelease.objects.values_list("slug", "pk"))
    for p in figures:
        name, location = _fit(p.subject_name, 200), _fit(p.location, 300)
        figure = existing.get((name, p.benchmark, location, conditions_key(p.conditions)))
        if older:
            summary.reported_figures["unchanged"] += 1
        elif figure is None:
            ReportedFigure.objects.create(
                citation=citation,
                reported_by=vendor,
                subject_name=name,
                subject_release_id=subjects.get(p.subject_release or ""),
                benchmark_id=benchmarks[p.benchmark],
                value=p.value,
                value_text=_fit(p.value_text, 200),
                conditions=p.conditions,
                **_quote(p, bom),
                location=location,
            )
            summary.reported_figures["created"] += 1
        elif _same(figure.value, p.value):
            summary.reported_figures["unchanged"] += 1
        else:
            # The figure's history keeps the old value and citation.
            figure.value, figure.value_text = p.value, _fit(p.value_text, 200)
            for name, value in _quote(p, bom).items():
                setattr(figure, name, value)
            figure.citation = citation
            figure.save()
            summary.reported_figures["updated"] += 1


def version_is_newer(a: Citation, b: Citation) -> bool:
    """Whether version `a` of a document is newer than version `b`.

    By the dates the versions give themselves (`published_on`: the document's own date or its
    commit's) where both are known and differ; else by when each was read (`fetched_at`); else
    by the order they were stored in.
    """
    if a.published_on and b.published_on and a.published_on != b.published_on:
        return a.published_on > b.published_on
    if a.fetched_at and b.fetched_at and a.fetched_at != b.fetched_at:
        return a.fetched_at > b.fetched_at
    # An unsaved citation is the one being read now: the last stored.
    return a.pk != b.pk and (a.pk or math.inf) > (b.pk or math.inf)


def newest_version(versions: list[Citation]) -> Citation | None:
    """The newest of some versions of one document, by `version_is_newer`."""
    newest = None
    for version in versions:
        if newest is None or version_is_newer(version, newest):
            newest = version
    return newest


def _proposals(citation_id: int, releases: list[str], catalogue: Catalogue) -> list[ProposedClaim]:
    """The claims an earlier version of the document gives, read from its archived copy."""
    archived = (
        Citation.objects.filter(pk=citation_id).values_list("archived_content", flat=True).first()
    )
    if not archived:
        return []
    try:
        text = bytes(archived).decode("utf-8-sig")
        return extract_claims(text, releases=releases, catalogue=catalogue).claims
    except (UnicodeDecodeError, NoClaimTable):
        return []


def _quote(p: ProposedClaim | ProposedFigure, bom: int) -> dict[str, Any]:
    """The quote columns: the row as written, its byte range in the archive, its rendering."""
    return {
        "quote": p.quote,
        "quote_start": p.quote_start + bom,
        "quote_end": p.quote_end + bom,
        "quote_readable": p.quote_readable,
    }


def _key(claim: Claim) -> tuple[str, str | None, str | None, str, str]:
    return (
        claim.release.slug,
        claim.variant.slug if claim.variant else None,
        claim.benchmark.slug if claim.benchmark else None,
        claim.kind,
        claim.conditions_key,
    )


def _items(conditions: dict[str, Any]) -> set[tuple[str, str]]:
    return {(key, json.dumps(value, sort_keys=True)) for key, value in conditions.items()}


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _fit(text: str, limit: int) -> str:
    """Text cut to a column's length; cut the same way on every run, so it still matches."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _item(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "release": claim.release.slug,
        "variant": claim.variant.slug if claim.variant else None,
        "benchmark": claim.benchmark.slug if claim.benchmark else None,
        "stated_text": claim.stated_text,
        "stated_value": claim.stated_value,
        "conditions": claim.conditions,
        "location": claim.location,
    }


def _proposal_item(p: ProposedClaim) -> dict[str, Any]:
    return {
        "release": p.release,
        "variant": p.variant,
        "benchmark": p.benchmark,
        "stated_text": p.stated_text,
        "stated_value": p.stated_value,
        "conditions": p.conditions,
        "location": p.location,
    }
