"""Every public page on the real data: 200 from a fixed number of queries, 404 for unknown
slugs, the security headers on every response, and the per-data-version cache and validators."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from pyld import jsonld

from releases.models import Claim, DataVersion, GapScore, Snapshot

pytestmark = pytest.mark.usefixtures("real_data", "data_version_row")


# (url name, kwargs, queries on a cold cache). The first query of every cached page reads the
# data version; the rest are the page's own lists, one query each.
def pages(
    arena_claim_id: int, small_claim_id: int, snapshot_id: int
) -> list[tuple[str, dict, int]]:
    return [
        ("releases:home", {}, 5),
        ("releases:release", {"slug": "llama-4-maverick"}, 5),
        ("releases:release", {"slug": "gpt-4o"}, 5),
        # No claim: the current scores' prefetch has nothing to fetch.
        ("releases:release", {"slug": "llama-4-behemoth"}, 4),
        ("releases:release-csv", {"slug": "llama-4-maverick"}, 4),
        ("releases:release-feed", {"slug": "llama-4-maverick"}, 3),
        ("releases:claim", {"claim_id": arena_claim_id}, 6),
        ("releases:claim", {"claim_id": small_claim_id}, 6),
        ("releases:vendor", {"slug": "meta"}, 3),
        ("releases:vendor", {"slug": "google"}, 3),
        ("releases:benchmark", {"slug": "gpqa-diamond"}, 6),
        ("releases:benchmark", {"slug": "lmarena-text"}, 6),
        ("releases:benchmark-csv", {"slug": "gpqa-diamond"}, 4),
        ("releases:sources", {}, 2),
        ("releases:snapshot", {"snapshot_id": snapshot_id}, 2),
        ("releases:feed", {}, 2),
        ("releases:track-record", {}, 2),  # not cached: no data version read
        # Not cached (its tests change the method's constants): the worked examples are the
        # stored scores of three claims, read with the recompute's own reader, a fixed number.
        ("releases:methodology", {}, 32),
    ]


@pytest.fixture
def all_pages(arena_claim):  # type: ignore[no-untyped-def]
    small = Claim.objects.filter(release__slug="gpt-4o", status="published").order_by("id").first()
    snapshot = Snapshot.objects.order_by("id").first()
    assert small is not None and snapshot is not None
    return pages(arena_claim.id, small.id, snapshot.id)


SEARCHES = [("Maverick", 4), ("", 1), ("no such model anywhere", 4)]


def test_every_page_is_200_from_a_fixed_number_of_queries(client, all_pages) -> None:  # type: ignore[no-untyped-def]
    counted = []
    for name, kwargs, _ in all_pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        counted.append((name, kwargs, len(queries)))
    # The same count for the largest release and one with no claim, the largest benchmark and
    # a small one: the number of queries does not grow with the data.
    assert counted == all_pages


@pytest.mark.parametrize(("query", "queries"), SEARCHES)
def test_search_is_200_from_a_fixed_number_of_queries(
    client, django_assert_num_queries, query, queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(queries):
        response = client.get(reverse("releases:search"), {"q": query})
    assert response.status_code == 200


def test_search_finds_maverick_by_name_and_by_a_leaderboard_alias(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:search"), {"q": "Maverick"}).content.decode()
    assert reverse("releases:release", args=["llama-4-maverick"]) in html
    assert reverse("releases:release", args=["llama-4-scout"]) not in html
    # "17b-128e" appears only in the leaderboards' names for the Maverick variants.
    html = client.get(reverse("releases:search"), {"q": "17b-128e"}).content.decode()
    assert reverse("releases:release", args=["llama-4-maverick"]) in html


@pytest.mark.parametrize(
    "url",
    [
        "/releases/no-such-release/",
        "/releases/no-such-release/claims.csv",
        "/releases/no-such-release/feed/",
        "/claims/999999999/",
        "/vendors/no-such-vendor/",
        "/benchmarks/no-such-benchmark/",
        "/benchmarks/no-such-benchmark/claims.csv",
        "/snapshots/999999999/",
        "/snapshots/999999999/raw",
        "/citations/999999999/archive",
    ],
)
def test_unknown_slugs_and_ids_are_404(client, url) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 404
    assert "Content-Security-Policy" in response


def test_a_draft_claim_is_not_public(client, arena_claim) -> None:  # type: ignore[no-untyped-def]
    Claim.objects.filter(pk=arena_claim.pk).update(status=Claim.Status.DRAFT)
    assert client.get(reverse("releases:claim", args=[arena_claim.id])).status_code == 404


def test_security_headers_are_on_every_page(client, all_pages) -> None:  # type: ignore[no-untyped-def]
    for name, kwargs, _ in all_pages:
        response = client.get(reverse(name, kwargs=kwargs))
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_a_cached_page_costs_one_query_and_a_current_etag_gets_304(
    client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("releases:release", args=["llama-4-maverick"])
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    with django_assert_num_queries(1):  # the data version
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    with django_assert_num_queries(1):
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_new_data_version_changes_the_etag_and_renders_the_page_again(
    client, arena_claim
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("releases:claim", args=[arena_claim.id])
    first = client.get(url)
    assert "Substantially overstated" in first.content.decode()
    # An edit commits and advances the version; in a test transaction, advance it by hand.
    Claim.objects.filter(pk=arena_claim.pk).update(quote="Maverick's ELO score of 1417, edited")
    assert "edited" not in client.get(url).content.decode()  # still the cached copy
    DataVersion.objects.filter(pk=1).update(number=F("number") + 1)
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert "edited" in second.content.decode()


def test_a_csv_download_keeps_its_headers_when_served_from_the_cache(client) -> None:  # type: ignore[no-untyped-def]
    url = reverse("releases:release-csv", args=["llama-4-maverick"])
    for _ in range(2):
        response = client.get(url)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="claimsdb-llama-4-maverick-claims.csv"'
        )


def test_archived_bytes_download_exactly_as_stored_and_never_render(client) -> None:  # type: ignore[no-untyped-def]
    snapshot = Snapshot.objects.exclude(raw=None).order_by("id").first()
    assert snapshot is not None
    response = client.get(reverse("releases:snapshot-raw", args=[snapshot.id]))
    assert response.content == bytes(snapshot.raw)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


# --- Linking and citing: JSON-LD, Atom, CSV --------------------------------------------------


def claim_review_of(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def schema_org_loader(url: str, options: dict | None = None) -> dict:
    """pyld fetches the context document; offline, give it schema.org's vocabulary mapping
    (every term is a schema.org IRI, which is what the published context says)."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {
            "@context": {
                "@vocab": "https://schema.org/",
                "url": {"@id": "https://schema.org/url", "@type": "@id"},
            }
        },
    }


SCHEMA = "https://schema.org/"


def test_the_claim_page_carries_a_claim_review_that_parses_as_json_ld(client, arena_claim) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:claim", args=[arena_claim.id])).content.decode()
    expanded = jsonld.expand(claim_review_of(html), {"documentLoader": schema_org_loader})
    assert len(expanded) == 1
    review = expanded[0]
    assert review["@type"] == [SCHEMA + "ClaimReview"]
    # The reporting quotes none of Meta's words, so the claim reviewed is the reporting's words.
    assert arena_claim.quote == ""
    assert review[SCHEMA + "claimReviewed"][0]["@value"] == arena_claim.reported_text
    assert review[SCHEMA + "url"][0]["@id"] == f"http://testserver/claims/{arena_claim.id}/"
    rating = review[SCHEMA + "reviewRating"][0]
    assert rating[SCHEMA + "alternateName"][0]["@value"] == "Substantially overstated"
    assert rating[SCHEMA + "ratingValue"][0]["@value"] == 1
    assert rating[SCHEMA + "worstRating"][0]["@value"] == 1
    assert rating[SCHEMA + "bestRating"][0]["@value"] == 5
    assert "128 rating points below the claim" in rating[SCHEMA + "ratingExplanation"][0]["@value"]
    item = review[SCHEMA + "itemReviewed"][0]
    assert item["@type"] == [SCHEMA + "Claim"]
    assert item[SCHEMA + "author"][0][SCHEMA + "name"][0]["@value"] == "Meta"
    assert (
        item[SCHEMA + "datePublished"][0]["@value"] == arena_claim.citation.published_on.isoformat()
    )
    assert review[SCHEMA + "author"][0][SCHEMA + "name"][0]["@value"] == "claimsdb"
    assert SCHEMA + "datePublished" in review


def test_an_unverified_claim_is_rated_by_name_only(client) -> None:  # type: ignore[no-untyped-def]
    claim = Claim.objects.filter(
        gap_scores__is_current=True, gap_scores__verdict="unverified"
    ).first()
    html = client.get(reverse("releases:claim", args=[claim.id])).content.decode()
    rating = claim_review_of(html)["reviewRating"]
    assert rating["alternateName"] == "Unverified"
    assert "ratingValue" not in rating  # unverified is not a point on the scale


def test_the_site_feed_is_valid_atom_with_one_entry_per_verdict_change(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("releases:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "claimsdb: verdict changes"
    assert 0 < len(feed.entries) <= 50
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)
    changes = GapScore.objects.filter(claim__status="published").order_by(
        "claim_id", "computed_at", "id"
    )
    verdict_changes, last = set(), {}
    for score in changes:
        if last.get(score.claim_id) != score.verdict:
            verdict_changes.add(f"claimsdb:gap-score:{score.id}")
        last[score.claim_id] = score.verdict
    assert set(ids) <= verdict_changes
    entry = feed.entries[0]
    assert entry.link.startswith("http://testserver/claims/")
    assert entry.updated_parsed is not None and entry.summary


def test_the_release_feed_lists_only_that_release(client, arena_claim) -> None:  # type: ignore[no-untyped-def]
    feed = feedparser.parse(
        client.get(reverse("releases:release-feed", args=["llama-4-maverick"])).content
    )
    assert feed.bozo == 0 and feed.version == "atom10"
    assert "Llama 4 Maverick" in feed.feed.title
    maverick_claims = set(
        Claim.objects.filter(release__slug="llama-4-maverick").values_list("id", flat=True)
    )
    claim_ids = {int(entry.link.split("/claims/")[1].split("/")[0]) for entry in feed.entries}
    assert arena_claim.id in claim_ids
    assert claim_ids <= maverick_claims


def test_the_release_csv_lists_the_claims_the_page_shows(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("releases:release-csv", args=["llama-4-maverick"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    published = Claim.objects.filter(release__slug="llama-4-maverick", status="published")
    assert sorted(int(r["claim_id"]) for r in rows) == sorted(
        published.values_list("id", flat=True)
    )
    arena = next(r for r in rows if r["stated"] == "1417.0")
    assert arena["verdict"] == "substantially_overstated"
    assert arena["flags"] == "variant_mismatch;single_source"
    assert arena["url"].endswith(f"/claims/{arena['claim_id']}/")


def test_the_release_page_answers_which_claims_held_up(client, arena_claim) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:release", args=["llama-4-maverick"])).content.decode()
    did_not_hold = html[html.index('id="group-did-not-hold"') : html.index('id="group-held"')]
    held = html[html.index('id="group-held"') : html.index('id="group-not-checked"')]
    assert f'href="/claims/{arena_claim.id}/"' in did_not_hold
    assert "GPQA Diamond" in held and "Holds" in held
    assert "Llama-4-Maverick-03-26-Experimental" in html  # the variants, public or not
    assert '<svg viewBox="0 0 640' in html  # stated vs measured
    assert 'aria-labelledby="dumbbell-title dumbbell-desc"' in html


def test_the_claim_page_shows_quote_source_verdict_gap_chart_and_measurements(
    client, arena_claim
) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:claim", args=[arena_claim.id])).content.decode()
    assert escape(arena_claim.quote) in html
    assert "As reported by" in html and "The Verge" in html
    assert "+128 rating points" in html and "68% of head-to-head votes" in html
    assert 'id="timeline-title"' in html and "<desc" in html
    assert "llama-4-maverick-17b-128e-instruct" in html and "1288.69" in html
    assert "Variant mismatch" in html and "a build users cannot get" in html
    assert 'href="/methodology/#version"' in html
    assert "Cite this" in html and f"http://testserver/claims/{arena_claim.id}/" in html
    assert 'property="og:title"' in html


def test_a_context_window_claim_charts_the_score_at_each_tested_length(client) -> None:  # type: ignore[no-untyped-def]
    claim = Claim.objects.get(release__slug="llama-4-scout", kind=Claim.Kind.CONTEXT_WINDOW)
    html = client.get(reverse("releases:claim", args=[claim.id])).content.decode()
    assert 'id="curves-title"' in html
    assert "NoLiMa, Llama 4 Scout (instruction tuned)" in html
    assert "Fiction.LiveBench" in html
    assert "claimed 10M tokens" in html


def test_another_checkpoints_figures_are_shown_as_such_not_as_an_unreleased_build(client) -> None:  # type: ignore[no-untyped-def]
    claim = Claim.objects.get(
        status=Claim.Status.PUBLISHED,
        variant__slug="llama-4-scout-base",
        benchmark__slug="mmlu-pro",
    )
    html = client.get(reverse("releases:claim", args=[claim.id])).content.decode()
    assert "Not comparable" in html
    assert "another checkpoint of this release (Llama 4 Scout (instruction tuned))" in html
    assert "are measurements of a build users cannot get" not in html
    assert "74.4%" in html  # Swallow's instruct figure, in the table as context


def test_a_related_benchmark_is_shown_beside_the_verdict_labelled_never_in_it(client) -> None:
    claim = Claim.objects.get(
        status=Claim.Status.PUBLISHED,
        variant__slug="llama-4-scout-instruct",
        benchmark__slug="gpqa-diamond",
    )
    score = GapScore.objects.get(claim=claim, is_current=True)
    related = score.inputs["related"]
    assert related and all(r["benchmark"] != "gpqa-diamond" for r in related)
    html = client.get(reverse("releases:claim", args=[claim.id])).content.decode()
    assert "Related benchmarks: shown beside the verdict, never in it" in html
    assert "GPQA main" in html and "different question subset" in html
