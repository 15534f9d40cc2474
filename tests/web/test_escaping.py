"""Nothing a vendor or a leaderboard writes can run as script on a public page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.models import Benchmark, GapScore
from releases.web.downloads import csv_cell, write_csv
from tests.factories import (
    BenchmarkFactory,
    CitationFactory,
    ClaimFactory,
    ReleaseFactory,
    SourceFactory,
    VariantFactory,
    VendorFactory,
)

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT} {ATTRIBUTE_BREAK}"


@pytest.fixture
def hostile_claim(db):  # type: ignore[no-untyped-def]
    vendor = VendorFactory(name=f"Vendor {ATTRIBUTE_BREAK}", slug="hostile-vendor")
    release = ReleaseFactory(vendor=vendor, name=f"Model {HOSTILE}", slug="hostile-model")
    variant = VariantFactory(release=release, name=f"Variant {HOSTILE}", slug="hostile-variant")
    benchmark = BenchmarkFactory(
        name=f"Bench {SCRIPT}", slug="hostile-bench", unit=Benchmark.Unit.PERCENT
    )
    claim = ClaimFactory(
        release=release,
        variant=variant,
        benchmark=benchmark,
        quote=f"We score 90 {HOSTILE}",
        stated_value=90,
        stated_text=f"90 {ATTRIBUTE_BREAK}",
        conditions={"metric": HOSTILE},
        location=HOSTILE,
        citation=CitationFactory(title=f"Card {HOSTILE}", publisher=ATTRIBUTE_BREAK),
    )
    GapScore.objects.create(
        claim=claim,
        method_version="1.0",
        computed_at=timezone.now(),
        as_of=dt.date(2025, 4, 10),
        verdict=GapScore.Verdict.UNVERIFIED,
        explanation=f"Vendor claimed {HOSTILE}: unverified.",
        inputs={"notes": [HOSTILE], "context": [], "used": []},
    )
    source = SourceFactory()
    from releases.models import Measurement, Snapshot

    snapshot = Snapshot.objects.create(
        source=source, fetched_at=timezone.now(), status=Snapshot.Status.IMPORTED, sha256="0" * 64
    )
    Measurement.objects.create(
        source=source,
        snapshot=snapshot,
        benchmark=benchmark,
        raw_model_name=f"leaderboard {HOSTILE}",
        variant=variant,
        value=80,
        as_of=dt.date(2025, 5, 1),
        evaluator=f"Evaluator {ATTRIBUTE_BREAK}",
        conditions={"split": HOSTILE},
    )
    return claim


def pages_showing(claim) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        reverse("releases:claim", args=[claim.id]),
        reverse("releases:release", args=[claim.release.slug]),
        reverse("releases:benchmark", args=[claim.benchmark.slug]),
        reverse("releases:vendor", args=[claim.release.vendor.slug]),
        reverse("releases:home"),
        reverse("releases:search") + "?q=Model",
        reverse("releases:search") + "?q=" + ATTRIBUTE_BREAK,
        reverse("releases:track-record"),
    ]


def test_hostile_names_and_quotes_render_as_text_on_every_page(client, hostile_claim) -> None:  # type: ignore[no-untyped-def]
    for url in pages_showing(hostile_claim):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        # The only script element is the JSON-LD data block of the claim page.
        assert html.count("<script") == html.count('<script type="application/ld+json">'), url
        assert "<img src=x" not in html and "onerror=alert(1)>" not in html, url
        assert "&lt;script&gt;" in html or "&quot;&gt;&lt;img" in html, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url


def test_the_json_ld_block_cannot_be_closed_from_inside_and_keeps_the_text(
    client, hostile_claim
) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("releases:claim", args=[hostile_claim.id])).content.decode()
    opening = '<script type="application/ld+json">'
    start = html.index(opening) + len(opening)
    block = html[start : html.index("</script>", start)]
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["claimReviewed"] == hostile_claim.quote  # escaped in HTML, intact as data


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    for dangerous in ('=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(dangerous) == "'" + dangerous
    assert csv_cell("69.8") == "69.8" and csv_cell(None) == "" and csv_cell(["a", "b"]) == "a;b"
    text = write_csv(["quote"], [["=1+1"]])
    assert text == "quote\r\n'=1+1\r\n"
