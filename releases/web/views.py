"""The public pages. Thin: each calls a selector, a presenter, and renders its template.

Every GET page is cached per data version and carries ETag and Last-Modified from it
(`caching.cached_per_data_version`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from releases import methodology, reports
from releases.models import Claim
from releases.services.worked_examples import worked_examples_load
from releases.web import downloads, jsonld, presenters, selectors
from releases.web.caching import cached_per_data_version
from releases.web.feeds import ReleaseVerdictChangesFeed, VerdictChangesFeed


@cached_per_data_version
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "releases/home.html",
        {
            "releases": selectors.releases_by_date(),
            "published_claims": selectors.published_claims().count(),
            "changes": [_score_item(s) for s in selectors.verdict_changes()],
            "largest_gaps": [_score_item(s) for s in selectors.largest_gaps()],
        },
    )


def _score_item(score):
    return presenters.row_context(selectors.ClaimRow(score.claim, score))


@cached_per_data_version
def release_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.release_page(slug)
    return render(request, "releases/release.html", presenters.release_context(page))


@cached_per_data_version
def release_claims_csv(request: HttpRequest, slug: str) -> HttpResponse:
    release, rows = selectors.release_claim_rows(slug)
    return _csv_response(request, rows, f"claimsdb-{release.slug}-claims.csv")


@cached_per_data_version
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    page = selectors.claim_page(claim_id)
    context = presenters.claim_context(page)
    page_url = request.build_absolute_uri(reverse("releases:claim", args=[claim_id]))
    context["page_url"] = page_url
    context["claim_review"] = jsonld.script_tag(
        jsonld.claim_review(
            claim=page.claim,
            score=page.score,
            page_url=page_url,
            site_url=request.build_absolute_uri(reverse("releases:home")),
        )
    )
    return render(request, "releases/claim.html", context)


@cached_per_data_version
def vendor_page(request: HttpRequest, slug: str) -> HttpResponse:
    vendor = selectors.vendor_by_slug(slug)
    records = reports.track_record_by_release(vendor_id=vendor.id)
    return render(
        request,
        "releases/vendor.html",
        {
            "vendor": vendor,
            "records": records,
            "totals": presenters.vendor_totals(records),
            "min_checked": presenters.MIN_CHECKED_FOR_SHARES,
        },
    )


@cached_per_data_version
def benchmark_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.benchmark_page(slug)
    return render(
        request,
        "releases/benchmark.html",
        {
            "benchmark": page.benchmark,
            "rows": [presenters.row_context(row) for row in page.rows],
            "measurements": page.measurements,
            "measurements_total": page.measurements_total,
        },
    )


@cached_per_data_version
def benchmark_claims_csv(request: HttpRequest, slug: str) -> HttpResponse:
    benchmark, rows = selectors.benchmark_claim_rows(slug)
    return _csv_response(request, rows, f"claimsdb-{benchmark.slug}-claims.csv")


@cached_per_data_version
def sources_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "releases/sources.html", {"sources": selectors.sources_with_last_fetch()}
    )


@cached_per_data_version
def search_page(request: HttpRequest) -> HttpResponse:
    results = selectors.search(request.GET.get("q", ""))
    return render(request, "releases/search.html", {"results": results})


@cached_per_data_version
def snapshot_page(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = selectors.snapshot_detail(snapshot_id)
    return render(request, "releases/snapshot.html", {"snapshot": snapshot})


def snapshot_raw(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    snapshot = selectors.snapshot_with_raw(snapshot_id)
    name = snapshot.file_name.rsplit("/", 1)[-1] or f"snapshot-{snapshot.id}"
    assert snapshot.raw is not None  # the selector excludes snapshots without bytes
    return _bytes_download(bytes(snapshot.raw), f"{snapshot.source.slug}-{snapshot.id}-{name}")


def citation_archive(request: HttpRequest, citation_id: int) -> HttpResponse:
    citation = selectors.citation_archive(citation_id)
    name = citation.archived_name or f"citation-{citation.id}"
    assert citation.archived_content is not None  # the selector excludes citations without
    return _bytes_download(bytes(citation.archived_content), name)


def _bytes_download(content: bytes, filename: str) -> HttpResponse:
    """Archived bytes exactly as published, as an attachment: never rendered by the browser
    on our origin (a vendor's HTML page served from here could otherwise run its scripts)."""
    safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename)[:150]
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _csv_response(request: HttpRequest, rows, filename: str) -> HttpResponse:
    def url_for(claim: Claim) -> str:
        return request.build_absolute_uri(reverse("releases:claim", args=[claim.id]))

    response = HttpResponse(
        downloads.claim_csv(rows, url_for=url_for), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


_site_feed = VerdictChangesFeed()
_release_feed = ReleaseVerdictChangesFeed()


@cached_per_data_version
def site_feed(request: HttpRequest) -> HttpResponseBase:
    return _site_feed(request)


@cached_per_data_version
def release_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    return _release_feed(request, slug=slug)


# --- The track record and the methodology ------------------------------------------------------


def track_record(request: HttpRequest) -> HttpResponse:
    # Two grouped queries, whatever the number of claims: cheap enough uncached, and its tests
    # change data inside one transaction, where the data version (the cache key) cannot move.
    return render(
        request,
        "releases/track_record.html",
        {
            "vendors": reports.track_record_by_vendor(),
            "releases": reports.track_record_by_release(),
            "min_checked": reports.MIN_CHECKED_FOR_SHARE,
        },
    )


def methodology_page(request: HttpRequest) -> HttpResponse:
    # The rules come from the code's constants; the worked examples are the stored scores of
    # their claims, read through the recompute's own reader.
    context = methodology.page_context(worked_examples_load())
    return render(request, "releases/methodology.html", context)
