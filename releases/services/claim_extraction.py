"""Turn a vendor's document into draft claims for review: the write path of `extract_claims`.

`claim_drafts_propose()` reads the document (`releases.documents.extraction`, pure) before it writes
anything, then writes in one transaction:

- The document is one `Citation` per version: its URL and the sha256 of the bytes, with the
  bytes archived. The same bytes again reuse their citation; new bytes at a known URL are a new
  version, a new citation beside the old one.
- Each proposed claim is matched against the claims already cited from any version of that URL,
  by release, variant, benchmark, kind and conditions. A match with the same stated value is
  unchanged. A match from an earlier version with another value is a **revision**; so is a claim
  of an earlier version at the same place in the document (or the only one left for that
  release, variant and benchmark) whose conditions changed. A revision is recorded
  (`ClaimRevision`: old and new value, both citations) and the claim takes the new value, quote
  and citation; a published claim goes back to draft through `claim_unpublish`, since nothing
  reaches readers unreviewed. Everything else becomes a new draft.
- What an analyst did is respected: a claim whose conditions an analyst edited is matched by its
  place in the document, and its conditions count as changed only if the earlier version's own
  table (read again from the archive) gave other conditions there; a draft discarded from a
  version (its deletion is in the claim history) is not proposed again while the vendor states
  the same value.
- Figures about other models are upserted as `ReportedFigure`s on (subject, benchmark, place,
  conditions), so a re-run adds none. A release of the document's own vendor that the vendor's
  stored figures are already about (the Llama 3 columns of the Llama 4 card, curated so) is read
  as figures, not skipped as that release's claims.

Re-running on the same bytes writes nothing at all.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from releases.documents.extraction import extract_claims
from releases.documents.proposals import (
    BenchmarkInfo,
    Catalogue,
    NoClaimTable,
    ReleaseInfo,
    VariantInfo,
)
from releases.documents.tables import TableTooLarge
from releases.models import (
    Benchmark,
    BenchmarkAlias,
    Citation,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    ReportedFigure,
    Vendor,
)
from releases.names import normalize_name
from releases.services.claim_sync import (
    ClaimSync,
    ExtractionSummary,
    User,
    figures_sync,
    newest_version,
    version_is_newer,
)

__all__ = ["ExtractionFailed", "ExtractionSummary", "catalogue_snapshot", "claim_drafts_propose"]

# Drafts one document may propose. The Llama 4 card, the largest stored, proposes a few dozen; a
# document that proposes thousands is a data dump (or an attack on the review queue), and an
# analyst should split it or extract only the tables that matter.
MAX_DRAFTS_PER_DOCUMENT = 500


class ExtractionFailed(ValueError):
    """Nothing was written; the message says why in words an analyst can act on."""


def catalogue_snapshot() -> Catalogue:
    """The catalogue as plain values for the pure extractor (a handful of queries)."""
    names: dict[str, str] = {}
    benchmarks = {}
    for b in Benchmark.objects.all():
        benchmarks[b.slug] = BenchmarkInfo(b.slug, b.unit, b.min_value, b.max_value)
        names[normalize_name(b.slug)] = b.slug
        names[normalize_name(b.name)] = b.slug
    # Aliases were written for this: they win over another benchmark's display name.
    for normalized, slug in BenchmarkAlias.objects.values_list(
        "normalized_name", "benchmark__slug"
    ):
        names[normalized] = slug
    return Catalogue(
        releases={
            r.slug: ReleaseInfo(r.slug, r.name, r.vendor.slug)
            for r in ModelRelease.objects.select_related("vendor")
        },
        variants={
            v.slug: VariantInfo(v.slug, v.release.slug, v.name, v.kind, v.hub_id)
            for v in ModelVariant.objects.select_related("release")
        },
        benchmarks=benchmarks,
        benchmark_names=names,
        # Source-specific aliases mean their variant on one leaderboard only, not in a document.
        model_aliases=dict(
            ModelAlias.objects.filter(source__isnull=True).values_list("name", "variant__slug")
        ),
    )


def claim_drafts_propose(
    *,
    content: bytes,
    document: str,
    release_slugs: Sequence[str],
    url: str = "",
    published_on: dt.date | None = None,
    commit: str = "",
    user: User = None,
) -> ExtractionSummary:
    """Propose the document's claims for `release_slugs` as drafts; see the module docstring.

    `published_on` is this version's own date (the date it gives itself, or its commit's) and
    `commit` its commit, where known: they order it among the other versions of its URL.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionFailed(f"{document} is not UTF-8 text") from None
    releases = _releases(release_slugs)
    try:
        catalogue = catalogue_snapshot()
        extraction = extract_claims(
            text,
            releases=list(releases),
            catalogue=catalogue,
            figure_releases=_figure_subjects(next(iter(releases.values())).vendor),
        )
    except (NoClaimTable, TableTooLarge) as exc:
        raise ExtractionFailed(f"{document}: {exc}; nothing was written") from None
    if len(extraction.claims) > MAX_DRAFTS_PER_DOCUMENT:
        raise ExtractionFailed(
            f"{document}: {len(extraction.claims):,} claims proposed, over the cap of "
            f"{MAX_DRAFTS_PER_DOCUMENT} per document; nothing was written"
        )
    sha256 = hashlib.sha256(content).hexdigest()
    url = _document_url(url=url, sha256=sha256, document=document)
    with transaction.atomic():
        citation, newest_other = _citation(
            url, sha256, content, document, text, releases, published_on, commit
        )
        older = newest_other is not None and version_is_newer(newest_other, citation)
        summary = ExtractionSummary(
            document=document,
            sha256=sha256,
            url=url,
            citation_id=citation.pk,
            citation_title=citation.title,
            previous_version_id=newest_other.pk if newest_other and not older else None,
            newer_version_id=newest_other.pk if newest_other and older else None,
            unreadable=[asdict(u) for u in extraction.unreadable],
            unknown_benchmarks=[asdict(u) for u in extraction.unknown_benchmarks],
            skipped=[asdict(s) for s in extraction.skipped],
        )
        # Offsets count from the text, which starts after a BOM if the bytes have one.
        bom = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
        ClaimSync(extraction, citation, releases, catalogue, user, summary, bom=bom).run()
        figures_sync(extraction.figures, citation, releases, summary, bom=bom, older=older)
    return summary


def _figure_subjects(vendor: Vendor) -> set[str]:
    """The releases the vendor's stored figures are about (analysts keep them so): a column for
    one of them stays a reported figure, even when it is the vendor's own earlier model."""
    return set(
        ReportedFigure.objects.filter(reported_by=vendor, subject_release__isnull=False)
        .values_list("subject_release__slug", flat=True)
        .distinct()
    )


def _releases(slugs: Sequence[str]) -> dict[str, ModelRelease]:
    found = {
        r.slug: r for r in ModelRelease.objects.filter(slug__in=slugs).select_related("vendor")
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ExtractionFailed(f"no release with slug {', '.join(map(repr, missing))}")
    if len({r.vendor_id for r in found.values()}) > 1:
        raise ExtractionFailed("the releases belong to different vendors; a document has one")
    return found


def _document_url(*, url: str, sha256: str, document: str) -> str:
    """--url; else the URL these very bytes are already archived under; else a file: URL."""
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ExtractionFailed(f"--url {url!r} is not an http(s) URL") from None
    else:
        known = sorted(set(Citation.objects.filter(sha256=sha256).values_list("url", flat=True)))
        if len(known) > 1:
            raise ExtractionFailed(
                f"these bytes are archived under {len(known)} URLs ({', '.join(known)}): "
                "name the document's URL with --url"
            )
        url = known[0] if known else Path(document).resolve().as_uri()
    if len(url) > Citation._meta.get_field("url").max_length:  # type: ignore[operator]
        raise ExtractionFailed(f"the document's URL is too long to store: {url}")
    return url


def _citation(
    url: str,
    sha256: str,
    content: bytes,
    document: str,
    text: str,
    releases: dict[str, ModelRelease],
    published_on: dt.date | None,
    commit: str,
) -> tuple[Citation, Citation | None]:
    """This version's citation (created if new), and the newest other version of the URL."""
    versions = Citation.objects.filter(url=url).defer("archived_content").order_by("-pk")
    citation = versions.filter(sha256=sha256).first()
    newest = newest_version(list(versions.exclude(sha256=sha256)))
    if citation is not None:
        return citation, newest
    vendor = next(iter(releases.values())).vendor
    name = Path(document).name[:200]
    # Title and publisher as an analyst wrote them: from an earlier version of the document, or
    # from these same bytes cited under another URL.
    known = newest or Citation.objects.filter(sha256=sha256).defer("archived_content").first()
    now = timezone.now()
    citation = Citation(
        url=url,
        title=known.title if known else _title(text, name),
        publisher=known.publisher if known else vendor.name,
        published_on=published_on,
        commit=commit,
        archived_name=name,
        fetched_at=now,
    )
    order = ""
    if newest is not None:
        newer = version_is_newer(citation, newest)
        order = f"; {'a later' if newer else 'an earlier'} version than citation {newest.pk}"
    citation.notes = f"Read by extract_claims on {now.date().isoformat()}{order}."
    citation.archive(content)
    citation.save()
    return citation, newest


def _title(text: str, name: str) -> str:
    heading = next(
        (line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")), ""
    )
    return (f"{name}: {heading}" if heading else name)[:300]
