"""Conditional GETs, the per-version cache, rate limits, formats, downloads and the error format."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from releases.services.data_version import DATA_VERSION_CACHE_KEY, data_version_forget_local
from releases.services.leaderboard_import import leaderboard_import
from tests.api.conftest import OLD_SHA256, World, results


def arena_body(rating: float) -> bytes:
    return json.dumps(
        {
            "full": {
                "mystery-model": {
                    "rating": rating,
                    "rating_q025": rating - 5,
                    "rating_q975": rating + 5,
                }
            }
        }
    ).encode()


def test_a_conditional_get_is_304_until_an_import_changes_the_data(
    anonymous: APIClient, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    first = anonymous.get("/api/v1/claims/")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    again = anonymous.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert anonymous.get("/api/v1/claims/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        leaderboard_import(
            source_id=world.arena_source.pk,
            raw=arena_body(1310.0),
            file_name="leaderboard-text@2025-06-01.json",
        )

    after = anonymous.get("/api/v1/claims/", HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag


def test_each_resource_and_format_has_its_own_etag(anonymous: APIClient, world: World) -> None:
    tags = {
        anonymous.get(path)["ETag"]
        for path in (
            "/api/v1/claims/",
            "/api/v1/claims/?format=csv",
            "/api/v1/vendors/",
            f"/api/v1/claims/{world.gpqa_claim.pk}/",
        )
    }
    assert len(tags) == 4


def test_a_repeated_read_is_served_from_the_cache_with_no_query(
    anonymous: APIClient, world: World
) -> None:
    first = anonymous.get("/api/v1/claims/")
    with CaptureQueriesContext(connection) as queries:
        second = anonymous.get("/api/v1/claims/")
    assert second.content == first.content
    # The data version came from the cache with the response: no serializer ran, no query.
    assert len(queries) == 0
    cache.delete(DATA_VERSION_CACHE_KEY)  # as when its copies expire
    data_version_forget_local()
    with CaptureQueriesContext(connection) as queries:
        third = anonymous.get("/api/v1/claims/")
    assert third.content == first.content
    assert len(queries) == 1 and "releases_dataversion" in queries[0]["sql"]


def test_an_edit_is_seen_at_once_the_cache_keys_on_the_data_version(
    anonymous: APIClient,
    analyst_client: APIClient,
    world: World,
    django_capture_on_commit_callbacks: Any,
) -> None:
    anonymous.get(f"/api/v1/claims/{world.gpqa_claim.pk}/")
    # The version advances when the edit commits (the test's transaction never does).
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.patch(
            f"/api/v1/claims/{world.gpqa_claim.pk}/", {"quote": "GPQA Diamond: 69.8"}, format="json"
        )
    assert (
        anonymous.get(f"/api/v1/claims/{world.gpqa_claim.pk}/").json()["quote"]
        == "GPQA Diamond: 69.8"
    )


def test_the_n_plus_first_anonymous_request_in_the_window_gets_429_with_retry_after(
    anonymous: APIClient, world: World, settings: Any
) -> None:
    settings.API_ANON_RATE = "3/minute"
    statuses = [anonymous.get("/api/v1/vendors/").status_code for _ in range(3)]
    refused = anonymous.get("/api/v1/claims/")
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"


def test_a_tokens_requests_are_counted_apart_from_anonymous_ones(
    anonymous: APIClient, analyst_client: APIClient, world: World, settings: Any
) -> None:
    settings.API_ANON_RATE = "1/minute"
    settings.API_USER_RATE = "2/minute"
    assert anonymous.get("/api/v1/vendors/").status_code == 200
    assert anonymous.get("/api/v1/vendors/").status_code == 429
    assert [analyst_client.get("/api/v1/vendors/").status_code for _ in range(3)] == [200, 200, 429]


def test_claims_come_as_csv_with_nested_fields_flattened(
    anonymous: APIClient, world: World
) -> None:
    response = anonymous.get("/api/v1/claims/?format=csv&vendor=meta")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_id = {int(row["id"]): row for row in rows}
    assert set(by_id) == {world.gpqa_claim.pk, world.arena_claim.pk}
    row = by_id[world.gpqa_claim.pk]
    assert (row["release.slug"], row["current_score.verdict"], row["current_score.gap"]) == (
        "llama-4-maverick",
        "overstated",
        "9.0",
    )


def test_measurements_come_as_csv_when_asked_by_accept_header(
    anonymous: APIClient, world: World
) -> None:
    response = anonymous.get("/api/v1/measurements/?source=evals", HTTP_ACCEPT="text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["raw_model_name"] for row in rows} == {"Llama-4-Maverick", "rocket-base"}
    assert {row["snapshot.sha256"] for row in rows} == {OLD_SHA256}


def test_a_csv_cell_that_would_run_as_a_formula_is_neutralised(
    anonymous: APIClient, world: World
) -> None:
    world.gpqa_claim.quote = '=HYPERLINK("http://evil")'
    world.gpqa_claim.save()
    response = anonymous.get("/api/v1/claims/?format=csv&vendor=meta")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows[world.gpqa_claim.pk]["quote"].startswith("'=")


def test_a_snapshots_bytes_download_with_their_sha256(anonymous: APIClient, world: World) -> None:
    detail = anonymous.get(f"/api/v1/snapshots/{world.old_snapshot.pk}/").json()
    download = anonymous.get(detail["raw_url"])
    assert download.status_code == 200
    assert download.content == b"old bytes"
    assert download["X-Content-SHA256"] == detail["sha256"] == OLD_SHA256
    assert download["Content-Disposition"].startswith("attachment")


def test_sources_show_their_last_fetch_and_its_outcome(anonymous: APIClient, world: World) -> None:
    source = anonymous.get("/api/v1/sources/lmarena-text/").json()
    assert source["last_fetch"]["status"] == "failed"
    assert source["last_fetch"]["error"] == "parse error at row 3"
    assert source["last_fetch"]["id"] == world.new_snapshot.pk


def test_a_claim_shows_its_verdict_with_the_reason_an_unverified_one_is_unverified(
    anonymous: APIClient, world: World
) -> None:
    claim = anonymous.get(f"/api/v1/claims/{world.rocket_claim.pk}/").json()
    assert claim["current_score"]["verdict"] == "unverified"
    assert claim["current_score"]["unverified_reason"].startswith("No tracked source measures")
    assert claim["citation"]["title"] == "Rocket paper"
    held = anonymous.get(f"/api/v1/claims/{world.arena_claim.pk}/").json()
    assert held["current_score"]["unverified_reason"] is None
    assert held["current_score"]["flags"] == ["variant_mismatch", "single_source"]


def test_gap_history_lists_every_computation_newest_first(
    anonymous: APIClient, world: World
) -> None:
    history = results(anonymous.get(f"/api/v1/claims/{world.gpqa_claim.pk}/gap-history/"))
    assert [(h["verdict"], h["is_current"]) for h in history] == [
        ("overstated", True),
        ("holds", False),
    ]


def test_a_draft_is_not_found_for_anonymous_readers(anonymous: APIClient, world: World) -> None:
    response = anonymous.get(f"/api/v1/claims/{world.draft_claim.pk}/")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": "Not found.",
        "errors": {},
    }


def test_an_unknown_api_path_answers_in_the_error_format(anonymous: APIClient, db: Any) -> None:
    response = anonymous.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_export_streams_every_table_as_json_lines(anonymous: APIClient, world: World) -> None:
    response = anonymous.get("/api/v1/export/")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = [
        json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()
    ]
    kinds = {line["type"] for line in lines}
    assert {"vendor", "release", "claim", "gap_score", "measurement", "snapshot"} <= kinds
    claims = {line["id"] for line in lines if line["type"] == "claim"}
    assert world.draft_claim.pk not in claims and world.gpqa_claim.pk in claims
    assert len([line for line in lines if line["type"] == "measurement"]) == 4


def test_reads_allow_cross_origin_requests(anonymous: APIClient, world: World) -> None:
    response = anonymous.get("/api/v1/vendors/", HTTP_ORIGIN="https://newsroom.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_the_docs_page_loads_no_third_party_script(anonymous: APIClient, db: Any) -> None:
    page = anonymous.get("/api/docs/").content.decode()
    sources = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert sources, page[:500]
    assert all(src.startswith("/static/") for src in sources), sources
    assert "cdn" not in page.lower()


def test_the_schema_gives_every_operation_a_request_example_and_error_responses(
    anonymous: APIClient, db: Any
) -> None:
    schema = anonymous.get("/api/schema/?format=json").json()
    operations = [
        op for item in schema["paths"].values() for op in item.values() if isinstance(op, dict)
    ]
    assert len(operations) > 20
    for operation in operations:
        assert operation["x-codeSamples"][0]["source"].startswith("curl "), operation["operationId"]
        assert "429" in operation["responses"], operation["operationId"]
    claims = schema["paths"]["/api/v1/claims/"]["get"]
    names = {p["name"] for p in claims["parameters"]}
    assert {
        "vendor",
        "verdict",
        "flag",
        "review",
        "gap_min",
        "z_max",
        "claimed_after",
        "search",
        "ordering",
    } <= names
    assert "text/csv" in claims["responses"]["200"]["content"]
    assert set(schema["components"]["schemas"]["VerdictEnum"]["enum"]) >= {
        "holds",
        "overstated",
        "unverified",
    }
