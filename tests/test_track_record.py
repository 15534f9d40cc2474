"""Track record per vendor and per release: counts, shares, one query, and the public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from releases.models import Claim, GapScore
from releases.reports import (
    MIN_CHECKED_FOR_SHARE,
    track_record_by_release,
    track_record_by_vendor,
)
from tests.factories import ClaimFactory, ReleaseFactory, VariantFactory, VendorFactory

V = GapScore.Verdict


def score(claim: Claim, verdict: str, *, current: bool = True) -> GapScore:
    return GapScore.objects.create(
        claim=claim,
        method_version="1.0",
        computed_at=timezone.now(),
        as_of=dt.date(2025, 4, 10),
        verdict=verdict,
        explanation=f"{verdict}.",
        is_current=current,
    )


def claim_on(release, verdict: str | None = None, **kwargs) -> Claim:  # type: ignore[no-untyped-def]
    variant = VariantFactory(release=release)
    claim = ClaimFactory(release=release, variant=variant, **kwargs)
    if verdict is not None:
        score(claim, verdict)
    return claim


@pytest.fixture
def meta(db):  # type: ignore[no-untyped-def]
    """One vendor, two releases, claims with every verdict, a history, a draft, an unscored claim."""
    vendor = VendorFactory(name="Meta", slug="meta")
    maverick = ReleaseFactory(vendor=vendor, name="Llama 4 Maverick", slug="llama-4-maverick")
    scout = ReleaseFactory(vendor=vendor, name="Llama 4 Scout", slug="llama-4-scout")
    for verdict in (V.HOLDS, V.HOLDS, V.OVERSTATED, V.SUBSTANTIALLY_OVERSTATED, V.UNVERIFIED):
        claim_on(maverick, verdict)
    # A history: the old verdict no longer counts, the current one does, once.
    revised = claim_on(maverick)
    score(revised, V.HOLDS, current=False)
    score(revised, V.UNDERSTATED)
    claim_on(maverick)  # published, not scored yet
    claim_on(maverick, V.HOLDS, status=Claim.Status.DRAFT, citation=None, quote="")
    claim_on(scout, V.NOT_COMPARABLE)
    claim_on(scout, V.SUBSTANTIALLY_OVERSTATED)
    VendorFactory(name="Zhipu AI", slug="zhipu")  # no releases at all
    return vendor


def test_a_vendor_counts_the_current_verdicts_of_its_published_claims(meta) -> None:  # type: ignore[no-untyped-def]
    records = {r.name: r for r in track_record_by_vendor()}
    r = records["Meta"]
    assert (r.claims, r.scored, r.checked, r.not_yet_scored) == (9, 8, 6, 1)
    # Each verdict counted once: the four checked verdicts add up to the claims checked.
    assert (r.holds, r.overstated, r.substantially_overstated, r.understated) == (2, 1, 2, 1)
    assert r.holds + r.overstated + r.substantially_overstated + r.understated == r.checked
    assert (r.unverified, r.not_comparable) == (1, 1)
    # One base for the row's shares: the claims checked.
    assert r.holds_share == pytest.approx(2 / 6)
    assert r.overstated_share == pytest.approx(1 / 6)
    assert r.substantially_overstated_share == pytest.approx(2 / 6)
    assert r.understated_share == pytest.approx(1 / 6)
    assert not hasattr(r, "unverified_share")


def test_a_vendor_or_release_without_published_claims_is_left_out(meta) -> None:  # type: ignore[no-untyped-def]
    assert [r.name for r in track_record_by_vendor()] == ["Meta"]
    ReleaseFactory(vendor=meta, name="Llama 5", slug="llama-5")  # no claims yet
    assert "llama-5" not in {r.slug for r in track_record_by_release()}


def test_shares_only_from_five_checked_claims(meta) -> None:  # type: ignore[no-untyped-def]
    assert MIN_CHECKED_FOR_SHARE == 5
    records = {r.slug: r for r in track_record_by_release()}
    maverick, scout = records["llama-4-maverick"], records["llama-4-scout"]
    assert maverick.checked == 5 and maverick.shares_shown
    assert maverick.holds_share == pytest.approx(2 / 5)
    # One checked claim: a count, not "100% substantially overstated".
    assert scout.checked == 1 and not scout.shares_shown
    assert scout.substantially_overstated_share is None
    assert scout.substantially_overstated == 1


def test_reviewed_verdicts_are_counted_and_the_rest_are_proposed(meta) -> None:  # type: ignore[no-untyped-def]
    current = GapScore.objects.filter(is_current=True, claim__release__slug="llama-4-scout")
    current.filter(verdict=V.NOT_COMPARABLE).update(review_status=GapScore.Review.CONFIRMED)
    records = {r.slug: r for r in track_record_by_release()}
    assert (records["llama-4-scout"].reviewed, records["llama-4-scout"].proposed) == (1, 1)
    assert records["llama-4-maverick"].reviewed == 0


def test_releases_are_counted_one_by_one(meta) -> None:  # type: ignore[no-untyped-def]
    records = {r.slug: r for r in track_record_by_release()}
    maverick, scout = records["llama-4-maverick"], records["llama-4-scout"]
    assert maverick.vendor == "Meta"
    assert (maverick.claims, maverick.scored, maverick.checked) == (7, 6, 5)
    assert (maverick.holds, maverick.overstated, maverick.understated) == (2, 1, 1)
    assert (scout.claims, scout.checked, scout.not_comparable) == (2, 1, 1)
    assert scout.substantially_overstated == 1


def test_releases_can_be_limited_to_one_vendor(meta) -> None:  # type: ignore[no-untyped-def]
    other = ReleaseFactory(name="GLM-4", slug="glm-4")
    claim_on(other, V.HOLDS)
    assert {r.slug for r in track_record_by_release(vendor_id=meta.id)} == {
        "llama-4-maverick",
        "llama-4-scout",
    }
    assert [r.slug for r in track_record_by_release(vendor_id=other.vendor_id)] == ["glm-4"]


def add_vendors(count: int) -> None:
    for _ in range(count):
        release = ReleaseFactory()
        claim_on(release, V.HOLDS)
        claim_on(release, V.OVERSTATED)


@pytest.mark.django_db
@pytest.mark.parametrize("function", [track_record_by_vendor, track_record_by_release])
def test_one_query_whatever_the_number_of_vendors(function, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    add_vendors(2)
    with django_assert_num_queries(1):
        assert len(function()) == 2
    add_vendors(18)
    with django_assert_num_queries(1):
        records = function()
    assert len(records) == 20
    assert all((r.checked, r.holds, r.overstated) == (2, 1, 1) for r in records)
    assert all(r.holds_share is None for r in records)  # 2 checked: counts only


@pytest.mark.django_db
def test_the_page_lists_every_vendor_and_release_in_constant_queries(client) -> None:  # type: ignore[no-untyped-def]
    add_vendors(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("releases:track-record")).status_code == 200
    add_vendors(18)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("releases:track-record"))
    assert len(many) == len(few)
    html = response.content.decode()
    for record in track_record_by_release():
        assert record.name in html
        assert record.vendor in html


def test_the_page_shows_counts_and_shares(client, meta) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/track-record/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zhipu AI" not in html  # no claims, no row
    assert "Llama 4 Scout (Meta)" in html
    # Meta: of 6 checked, 2 held (33%), 1 overstated (17%), 2 substantially overstated (33%).
    assert "<td>2 (33%)</td>" in html
    assert "<td>1 (17%)</td>" in html
    # Scout: 1 checked, so counts without shares.
    scout = html[html.index("Llama 4 Scout (Meta)") :]
    scout = scout[: scout.index("</tr>")]
    assert "%" not in scout
    assert "proposed until an analyst reviews them" in html
    assert "<td>0 of 6</td>" in html  # Maverick: none of its 6 verdicts reviewed


def test_home_links_to_the_track_record_and_the_methodology(client, db) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    assert 'href="/track-record/"' in html
    assert 'href="/methodology/"' in html
