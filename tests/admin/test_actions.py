"""Admin actions and extra views: publishing, downloads, measurements on a claim, reviews."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from releases import models
from releases.scoring.units import format_value
from releases.selectors import claim_measurements
from releases.services.claims import claim_publish
from tests import factories
from tests.admin.builders import build_gap_score
from tests.admin.forms import change_form_data
from tests.admin.registry import admin_url

DRAFT = models.Claim.Status.DRAFT
PUBLISHED = models.Claim.Status.PUBLISHED


def run_action(client: Client, action: str, claims: list[models.Claim]):  # type: ignore[no-untyped-def]
    return client.post(
        admin_url(models.Claim, "changelist"),
        {"action": action, "_selected_action": [str(c.pk) for c in claims]},
        follow=True,
    )


def test_publish_action_publishes_complete_drafts_and_explains_the_rest(
    client: Client, analyst: User
) -> None:
    complete = factories.ClaimFactory(status=DRAFT)
    uncited = factories.ClaimFactory(status=DRAFT, citation=None)
    unquoted = factories.ClaimFactory(status=DRAFT, quote="   ")
    client.force_login(analyst)

    response = run_action(client, "publish", [complete, uncited, unquoted])

    for claim in (complete, uncited, unquoted):
        claim.refresh_from_db()
    assert complete.status == PUBLISHED
    assert uncited.status == DRAFT
    assert unquoted.status == DRAFT
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Published 1 claim." in text
    assert "Left 2 claims as draft" in text
    assert f"{uncited}: needs a citation" in text
    assert f"{unquoted}: needs a quote" in text
    # Saved one by one, so history records the change and who made it.
    latest = complete.history.latest()
    assert latest.status == PUBLISHED
    assert latest.history_user == analyst


def test_move_to_draft_action_unpublishes(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory(status=PUBLISHED)
    client.force_login(analyst)

    response = run_action(client, "move_to_draft", [claim])

    claim.refresh_from_db()
    assert claim.status == DRAFT
    assert "Moved 1 claim back to draft." in [str(m) for m in response.context["messages"]]
    assert claim.history.latest().history_user == analyst


def test_staff_without_group_cannot_run_the_publish_action(
    client: Client, staff_without_group: User
) -> None:
    claim = factories.ClaimFactory(status=DRAFT)
    client.force_login(staff_without_group)

    response = client.post(
        admin_url(models.Claim, "changelist"),
        {"action": "publish", "_selected_action": [str(claim.pk)]},
    )

    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == DRAFT


def test_publish_service_skips_claims_already_published(db: None) -> None:
    claim = factories.ClaimFactory(status=PUBLISHED)

    result = claim_publish(claims=[claim], user=None)

    assert result.already_published == [claim]
    assert result.published == []
    assert claim.history.count() == 1


def test_raw_snapshot_download_returns_the_exact_bytes(client: Client, analyst: User) -> None:
    raw = b"model,score\nLlama-4-Maverick-17B-128E-Instruct,15.6\n\xff\x00"
    snapshot = factories.SnapshotFactory(
        raw=raw, file_name="aider/polyglot_leaderboard.csv", content_type="text/csv"
    )
    client.force_login(analyst)

    response = client.get(admin_url(snapshot, "raw", snapshot.pk))

    assert response.status_code == 200
    assert response.content == raw
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="polyglot_leaderboard.csv"'


def test_raw_snapshot_download_names_a_file_without_a_name(client: Client, analyst: User) -> None:
    snapshot = factories.SnapshotFactory(
        raw=b"{}", content_type="application/json", source__slug="lmarena"
    )
    client.force_login(analyst)

    response = client.get(admin_url(snapshot, "raw", snapshot.pk))

    expected = f"lmarena-{snapshot.fetched_at:%Y%m%d-%H%M%S}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_raw_snapshot_download_needs_view_permission(
    client: Client, staff_without_group: User
) -> None:
    snapshot = factories.SnapshotFactory(raw=b"secret-ish")
    client.force_login(staff_without_group)

    response = client.get(admin_url(snapshot, "raw", snapshot.pk))

    assert response.status_code == 403


def test_snapshot_page_links_the_download_and_leaves_out_the_raw_bytes(
    client: Client, analyst: User
) -> None:
    snapshot = factories.SnapshotFactory(raw=b"UNIQUE-RAW-PAYLOAD-7731")
    client.force_login(analyst)

    page = client.get(admin_url(snapshot, "change", snapshot.pk)).content.decode()

    assert admin_url(snapshot, "raw", snapshot.pk) in page
    assert "UNIQUE-RAW-PAYLOAD-7731" not in page


def test_claim_page_lists_the_measurements_of_its_release(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory()
    experimental = factories.VariantFactory(
        release=claim.release, is_public=False, kind=models.ModelVariant.Kind.EXPERIMENTAL
    )
    on_public = factories.MeasurementFactory(
        benchmark=claim.benchmark,
        variant=claim.variant,
        raw_model_name="Maverick-Instruct",
        value=43.4,
        std_error=1.2,
    )
    factories.MeasurementFactory(
        benchmark=claim.benchmark, variant=experimental, raw_model_name="maverick-03-26-exp"
    )
    factories.MeasurementFactory(
        benchmark=claim.benchmark, variant=factories.VariantFactory(), raw_model_name="other-model"
    )
    factories.MeasurementFactory(benchmark=claim.benchmark, raw_model_name="unresolved-name")
    factories.MeasurementFactory(variant=claim.variant, raw_model_name="other-benchmark")
    client.force_login(analyst)

    page = client.get(admin_url(claim, "change", claim.pk)).content.decode()

    assert "Maverick-Instruct" in page
    assert "43.4" in page
    assert "± 1.2" in page
    assert "maverick-03-26-exp" in page
    assert f"{experimental.name} (not public)" in page
    assert admin_url(on_public.snapshot, "change", on_public.snapshot_id) in page
    for absent in ("other-model", "unresolved-name", "other-benchmark"):
        assert absent not in page


def test_claim_measurements_selector_matches_benchmark_and_release(db: None) -> None:
    claim = factories.ClaimFactory()
    sibling = factories.VariantFactory(release=claim.release)
    wanted = [
        factories.MeasurementFactory(benchmark=claim.benchmark, variant=claim.variant),
        factories.MeasurementFactory(benchmark=claim.benchmark, variant=sibling),
    ]
    factories.MeasurementFactory(benchmark=claim.benchmark)
    factories.MeasurementFactory(variant=claim.variant)

    assert set(claim_measurements(claim=claim)) == set(wanted)


def test_claim_page_shows_gap_score_history(client: Client, analyst: User) -> None:
    claim = factories.ClaimFactory()
    build_gap_score(claim=claim, is_current=False, verdict=models.GapScore.Verdict.HOLDS)
    build_gap_score(claim=claim, verdict=models.GapScore.Verdict.SUBSTANTIALLY_OVERSTATED)
    client.force_login(analyst)

    page = client.get(admin_url(claim, "change", claim.pk)).content.decode()

    assert "Substantially overstated" in page
    assert "Holds" in page


def test_citation_upload_becomes_the_archived_copy(client: Client, analyst: User) -> None:
    content = b"# Llama 4 model card\n| GPQA Diamond | 69.8 |\n"
    client.force_login(analyst)

    response = client.post(
        admin_url(models.Citation, "add"),
        {
            "title": "Llama 4 model card",
            "url": "https://github.com/meta-llama/llama-models/blob/main/models/llama4/MODEL_CARD.md",
            "publisher": "Meta",
            "archive_file": SimpleUploadedFile("MODEL_CARD.md", content),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    citation = models.Citation.objects.get(title="Llama 4 model card")
    assert citation.sha256 == hashlib.sha256(content).hexdigest()
    assert bytes(citation.archived_content) == content
    assert citation.archived_name == "MODEL_CARD.md"
    page = client.get(admin_url(citation, "change", citation.pk)).content.decode()
    assert citation.sha256 in page
    download = client.get(admin_url(citation, "archive", citation.pk))
    assert download.content == content
    assert download["Content-Disposition"] == 'attachment; filename="MODEL_CARD.md"'


def test_citation_upload_that_duplicates_a_version_is_a_form_error(
    client: Client, analyst: User
) -> None:
    existing = factories.CitationFactory()
    existing.archive(b"same bytes")
    existing.save()
    client.force_login(analyst)

    response = client.post(
        admin_url(models.Citation, "add"),
        {
            "title": "Duplicate",
            "url": existing.url,
            "archive_file": SimpleUploadedFile("card.md", b"same bytes"),
        },
    )

    assert response.status_code == 200
    assert "archive_file" in response.context["adminform"].form.errors


def test_analyst_reviews_the_current_gap_score(client: Client, analyst: User) -> None:
    score = build_gap_score()
    client.force_login(analyst)
    data = change_form_data(client.get(admin_url(score, "change", score.pk)))
    assert set(data) == {"review_status", "review_note"}
    data.update(
        review_status=models.GapScore.Review.DISPUTED,
        review_note="The measured variant is the FP8 build.",
        verdict=models.GapScore.Verdict.HOLDS,  # not a form field: must be ignored
    )

    response = client.post(admin_url(score, "change", score.pk), data)

    assert response.status_code == 302
    score.refresh_from_db()
    assert score.review_status == models.GapScore.Review.DISPUTED
    assert score.reviewed_by == analyst
    assert score.reviewed_at is not None
    assert score.verdict == models.GapScore.Verdict.OVERSTATED


def test_a_superseded_gap_score_cannot_be_reviewed(client: Client, analyst: User) -> None:
    score = build_gap_score(is_current=False)
    client.force_login(analyst)

    data = change_form_data(client.get(admin_url(score, "change", score.pk)))

    assert data == {}


def test_saving_an_alias_records_who_confirmed_it(client: Client, analyst: User) -> None:
    variant = factories.VariantFactory()
    client.force_login(analyst)

    response = client.post(
        admin_url(models.ModelAlias, "add"),
        {"name": "Llama-4-Maverick-17B-128E-Instruct", "variant": variant.pk},
    )

    assert response.status_code == 302
    alias = models.ModelAlias.objects.get()
    assert alias.confirmed_by == analyst
    assert alias.confirmed_at is not None


def test_a_clashing_alias_is_a_form_error(client: Client, analyst: User) -> None:
    models.ModelAlias.objects.create(name="Llama 4 Maverick", variant=factories.VariantFactory())
    client.force_login(analyst)

    response = client.post(
        admin_url(models.ModelAlias, "add"),
        {"name": "llama 4  maverick", "variant": factories.VariantFactory().pk},
    )

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors


def test_measurements_are_written_in_their_unit_and_an_unknown_date_as_unknown(
    client: Client, analyst: User
) -> None:
    import datetime as dt

    undated = factories.MeasurementFactory(
        raw_model_name="undated-copy",
        value=52.0,
        ci_low=50.0,
        ci_high=54.0,
        as_of=dt.date(2026, 4, 19),
        as_of_known=False,
    )
    client.force_login(analyst)
    page = client.get(admin_url(undated, "changelist")).content.decode()
    assert "unknown (published by 2026-04-19)" in page
    assert format_value(52.0, undated.benchmark.unit) in page
    assert "95% interval" in page
