"""The vendor, sources and home pages on small hand-made data: what each says, and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.models import Claim, GapScore, Snapshot
from tests.factories import (
    ClaimFactory,
    ReleaseFactory,
    SnapshotFactory,
    SourceFactory,
    VariantFactory,
    VendorFactory,
)

V = GapScore.Verdict
pytestmark = pytest.mark.django_db


def scored(release, verdict: str, *, computed_at=None, current: bool = True, claim=None) -> Claim:  # type: ignore[no-untyped-def]
    claim = claim or ClaimFactory(release=release, variant=VariantFactory(release=release))
    GapScore.objects.create(
        claim=claim,
        method_version="1.0",
        computed_at=computed_at or timezone.now(),
        as_of=dt.date(2025, 4, 10),
        verdict=verdict,
        explanation=f"{verdict} sentence.",
        is_current=current,
    )
    return claim


def test_the_vendor_page_shows_shares_only_from_five_checked_claims(client) -> None:  # type: ignore[no-untyped-def]
    vendor = VendorFactory(name="Lab", slug="lab")
    few = ReleaseFactory(vendor=vendor, name="Few", slug="few")
    many = ReleaseFactory(vendor=vendor, name="Many", slug="many")
    for verdict in (V.HOLDS, V.OVERSTATED, V.UNVERIFIED):
        scored(few, verdict)
    for verdict in (V.HOLDS, V.HOLDS, V.HOLDS, V.OVERSTATED, V.SUBSTANTIALLY_OVERSTATED):
        scored(many, verdict)
    html = client.get(reverse("releases:vendor", args=["lab"])).content.decode()
    rows = {name: html[html.index(f">{name}</a>") :].split("</tr>")[0] for name in ("Few", "Many")}
    assert "%" not in rows["Few"]  # 2 checked: counts only
    # Held 3 of 5; overstated and substantially overstated counted apart, 1 each (20%).
    assert "3 (60%)" in rows["Many"] and rows["Many"].count("1 (20%)") == 2
    assert "8 published claims across 2 releases; 7 could be checked" in html


def test_the_sources_page_says_whether_the_last_fetch_worked(client) -> None:  # type: ignore[no-untyped-def]
    working = SourceFactory(name="Working board")
    broken = SourceFactory(name="Broken board", last_error="HTTP 503 from the live URL")
    SnapshotFactory(source=working, fetched_at=timezone.now() - dt.timedelta(days=1))
    SnapshotFactory(source=broken, fetched_at=timezone.now() - dt.timedelta(days=2))
    SnapshotFactory(source=broken, status=Snapshot.Status.FAILED, error="HTTP 503", sha256="")
    SourceFactory(name="Never fetched")
    html = client.get(reverse("releases:sources")).content.decode()
    row = {
        name: html[html.index(name) :].split("</tr>")[0]
        for name in ("Working board", "Broken board", "Never fetched")
    }
    assert "✓ imported" in row["Working board"]
    assert "✗ failed" in row["Broken board"] and "HTTP 503 from the live URL" in row["Broken board"]
    assert "never" in row["Never fetched"]


def test_the_home_page_lists_verdict_changes_not_every_recompute(client) -> None:  # type: ignore[no-untyped-def]
    release = ReleaseFactory(name="Model X", slug="model-x")
    now = timezone.now()
    claim = scored(release, V.UNVERIFIED, computed_at=now - dt.timedelta(days=3), current=False)
    scored(
        release, V.OVERSTATED, computed_at=now - dt.timedelta(days=2), current=False, claim=claim
    )
    # Same verdict again (the numbers moved): not a change.
    scored(release, V.OVERSTATED, computed_at=now - dt.timedelta(days=1), claim=claim)
    html = client.get(reverse("releases:home")).content.decode()
    changes = html[html.index('id="latest-changes"') : html.index('id="releases-by-date"')]
    assert changes.count("overstated sentence.") == 1
    assert changes.count("unverified sentence.") == 1
    gaps = html[html.index('id="largest-gaps"') : html.index('id="latest-changes"')]
    assert f'href="/claims/{claim.id}/"' in gaps  # currently overstated
