"""The README's two API examples answer their questions against the real API."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from rest_framework.test import APIClient

from releases.models import GapScore
from tests.api.conftest import World, results
from tests.conftest import REPO_DIR


def readme_curl_urls() -> list[str]:
    section = (
        (REPO_DIR / "README.md").read_text().split("## The REST API", 1)[1].split("\n## ", 1)[0]
    )
    return re.findall(r"""^curl -s[^'"]*['"]([^'"]+)['"]""", section, flags=re.MULTILINE)


def path(url: str, **values: int) -> str:
    for name, value in values.items():
        url = url.replace(f"${name}", str(value))
    parts = urlsplit(url)
    assert parts.netloc == "127.0.0.1:8000"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_readme_shows_the_two_questions_as_curl_commands() -> None:
    urls = readme_curl_urls()
    assert len(urls) == 3
    assert "/track-record/vendors/" in urls[0] and "used_by_claim=$CLAIM" in urls[1]


def test_which_vendors_claims_were_most_often_overstated_in_2025(
    anonymous: APIClient, world: World
) -> None:
    ranked = results(anonymous.get(path(readme_curl_urls()[0])))
    # Meta: one of its two checked 2025 claims overstated; Acme announced nothing in 2025.
    assert ranked[0]["slug"] == "meta"
    assert ranked[0]["overstated_share"] == 0.5


def test_every_measurement_behind_a_verdict_with_its_snapshot_bytes(
    anonymous: APIClient, world: World
) -> None:
    _, measurements_url, raw_url = readme_curl_urls()
    claim = world.gpqa_claim
    used = results(anonymous.get(path(measurements_url, CLAIM=claim.pk)))
    current = GapScore.objects.get(claim=claim, is_current=True)
    assert sorted(m["id"] for m in used) == sorted(current.measurement_ids)
    for measurement in used:
        snapshot = measurement["snapshot"]
        download = anonymous.get(path(raw_url, SNAPSHOT=snapshot["id"]))
        assert download.status_code == 200
        assert hashlib.sha256(download.content).hexdigest() == snapshot["sha256"]
        assert snapshot["raw_url"].endswith(f"/api/v1/snapshots/{snapshot['id']}/raw/")
