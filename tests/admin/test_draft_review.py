"""Reviewing extracted drafts in the admin: one document's drafts beside their source rows,
publishing through `claim_publish` (actions and the change form), discarding, the problems the
document held, vendor revisions flagged, and who may do what."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client

from releases import models
from releases.admin import claims as claims_admin
from releases.services import claims as claims_service
from tests import factories
from tests.admin.forms import change_form_data
from tests.admin.registry import admin_url
from tests.conftest import FIXTURES_DIR

DRAFT = models.Claim.Status.DRAFT
PUBLISHED = models.Claim.Status.PUBLISHED
LLAMA_CARD = FIXTURES_DIR / "documents" / "meta-llama4_MODEL_CARD.md"
LLAMA_URL = (
    "https://raw.githubusercontent.com/meta-llama/llama-models/main/models/llama4/MODEL_CARD.md"
)
MIRROR_URL = (
    "https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct/raw/main/README.md"
)


def extract(path: Path, url: str, *releases: str) -> None:
    args = [arg for slug in releases for arg in ("--release", slug)]
    call_command("extract_claims", str(path), *args, "--url", url, stdout=io.StringIO())


@pytest.fixture
def card(catalogue: None) -> models.Citation:
    """The Llama 4 card read from a second address: 42 drafts beside the curated claims."""
    extract(LLAMA_CARD, MIRROR_URL, "llama-4-scout", "llama-4-maverick")
    return models.Citation.objects.get(url=MIRROR_URL)


def review_url(citation: models.Citation) -> str:
    return f"{admin_url(models.Claim, 'changelist')}?citation__id__exact={citation.pk}&status__exact=draft"


def run_action(client: Client, action: str, claims: Any) -> Any:
    return client.post(
        admin_url(models.Claim, "changelist"),
        {"action": action, "_selected_action": [str(c.pk) for c in claims]},
        follow=True,
    )


def spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[list[int]]:
    """Record the claim ids each call of a service receives, and call it."""
    calls: list[list[int]] = []
    real = getattr(module, name)

    def wrapper(*, claims: Any, user: Any) -> Any:
        claims = list(claims)
        calls.append([c.pk for c in claims])
        return real(claims=claims, user=user)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_the_review_list_shows_one_documents_drafts_beside_their_source_rows(
    client: Client, analyst: User, card: models.Citation
) -> None:
    client.force_login(analyst)

    response = client.get(review_url(card))

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert len(listed) == 42
    assert {c.citation_id for c in listed} == {card.pk} and {c.status for c in listed} == {DRAFT}
    assert [c.pk for c in listed] == sorted(c.pk for c in listed)  # in document order
    page = response.content.decode()
    assert "Reviewing “Llama 4 model card" in page
    # GPQA Diamond's source row, cell by cell, with Maverick's 69.8 marked.
    assert '<td class="">GPQA Diamond</td><td class="">0</td><td class="">accuracy</td>' in page
    assert '<td class="claim-cell">69.8</td>' in page


def test_the_citation_list_links_each_document_to_its_drafts(
    client: Client, analyst: User, card: models.Citation
) -> None:
    client.force_login(analyst)

    page = client.get(admin_url(models.Citation, "changelist")).content.decode()

    assert f'href="{review_url(card).replace("&", "&amp;")}">Review 42</a>' in page


def test_bulk_publish_goes_through_claim_publish(
    client: Client, analyst: User, card: models.Citation, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = spy(monkeypatch, claims_admin, "claim_publish")
    chosen = list(card.claims.filter(benchmark__slug="mmlu-pro"))
    client.force_login(analyst)

    response = run_action(client, "publish", chosen)

    assert [sorted(ids) for ids in calls] == [sorted(c.pk for c in chosen)]
    assert set(
        card.claims.filter(pk__in=[c.pk for c in chosen]).values_list("status", flat=True)
    ) == {PUBLISHED}
    assert card.claims.filter(status=DRAFT).count() == 42 - len(chosen)
    assert f"Published {len(chosen)} claims." in [str(m) for m in response.context["messages"]]


def test_publishing_one_draft_from_its_page_goes_through_claim_publish(
    client: Client, analyst: User, card: models.Citation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form saves through claim_save (as the API does), which publishes via claim_publish.
    calls = spy(monkeypatch, claims_service, "claim_publish")
    draft = card.claims.get(
        variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond"
    )
    client.force_login(analyst)
    url = admin_url(models.Claim, "change", draft.pk)
    data = change_form_data(client.get(url))
    data["notes"] = "Checked against the card."
    data["status"] = PUBLISHED

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.status, draft.notes) == (PUBLISHED, "Checked against the card.")
    assert calls == [[draft.pk]]
    assert draft.history.latest().history_user == analyst


def test_a_draft_without_evidence_cannot_be_published_from_its_page(
    client: Client, analyst: User
) -> None:
    draft = factories.ClaimFactory(status=DRAFT, quote="")
    client.force_login(analyst)
    url = admin_url(models.Claim, "change", draft.pk)
    data = change_form_data(client.get(url))
    data["status"] = PUBLISHED

    response = client.post(url, data)

    assert response.status_code == 200  # the form is shown again, with the reason
    assert "claim_published_has_citation_and_quote" in str(
        response.context["adminform"].form.errors
    )
    draft.refresh_from_db()
    assert draft.status == DRAFT


def test_bulk_discard_deletes_the_drafts_and_leaves_published_claims(
    client: Client, analyst: User, card: models.Citation
) -> None:
    drafts = list(card.claims.filter(benchmark__slug="mtob"))
    published = models.Claim.objects.filter(status=PUBLISHED).first()
    client.force_login(analyst)

    response = run_action(client, "discard_drafts", [*drafts, published])

    assert not models.Claim.objects.filter(pk__in=[c.pk for c in drafts]).exists()
    assert models.Claim.objects.filter(pk=published.pk, status=PUBLISHED).exists()
    [message] = [str(m) for m in response.context["messages"]]
    assert "Discarded 8 draft(s)" in message and "1 published claim(s) left alone" in message
    deleted = models.Claim.history.filter(history_type="-", id__in=[c.pk for c in drafts])
    assert {record.history_user for record in deleted} == {analyst}


def test_discarding_needs_delete_permission(
    client: Client, card: models.Citation, staff_without_group: User
) -> None:
    # A reviewer who may change claims but not delete them is not offered the discard action.
    reviewer = User.objects.create_user("rev", password="pw-reviewer-1", is_staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_claim", "change_claim"])
    )
    drafts = list(card.claims.all()[:2])
    client.force_login(reviewer)

    page = client.get(review_url(card))
    response = run_action(client, "discard_drafts", drafts)

    assert "discard_drafts" not in dict(
        page.context["cl"].model_admin.get_actions(page.wsgi_request)
    )
    assert response.status_code == 200
    assert card.claims.filter(pk__in=[c.pk for c in drafts]).count() == 2
    client.force_login(staff_without_group)
    assert run_action(client, "discard_drafts", drafts).status_code == 403
    assert client.get(review_url(card)).status_code == 403
    assert card.claims.count() == 42


def test_a_claim_the_vendor_revised_is_flagged_in_the_list_and_on_its_page(
    client: Client, analyst: User, card: models.Citation, tmp_path: Path
) -> None:
    edited = tmp_path / "MODEL_CARD.md"
    edited.write_text(LLAMA_CARD.read_text().replace("<td>69.8</td>", "<td>70.1</td>"))
    extract(edited, LLAMA_URL, "llama-4-scout", "llama-4-maverick")
    revised = models.ClaimRevision.objects.get().claim
    client.force_login(analyst)

    listed = client.get(admin_url(models.Claim, "changelist") + "?revised=yes")
    page = client.get(admin_url(models.Claim, "change", revised.pk)).content.decode()

    assert [c.pk for c in listed.context["cl"].result_list] == [revised.pk]
    assert "revised 20" in listed.content.decode()  # the date the change was found
    assert "stated_value 69.8 → 70.1" in page
    assert "Revised by the vendor" in page
    assert revised.status == DRAFT


def test_the_review_page_lists_unknown_benchmarks_and_unreadable_cells(
    client: Client, analyst: User, card: models.Citation, tmp_path: Path
) -> None:
    document = tmp_path / "card.md"
    document.write_text(
        "### Instruction tuned models\n\n| Benchmark | Llama 4 Maverick |\n|---|---|\n"
        "| GPQA Diamond | 69.8 |\n| Humanity's Last Exam Plus | 12.3 |\n| MMLU Pro | 80.5±0.3 |\n"
    )
    extract(document, "https://example.org/card.md", "llama-4-maverick")
    citation = models.Citation.objects.get(url="https://example.org/card.md")
    client.force_login(analyst)

    page = client.get(review_url(citation)).content.decode()

    assert "table 1, row 2: “Humanity&#x27;s Last Exam Plus”" in page
    assert "/admin/releases/benchmarkalias/add/?name=Humanity%27s%20Last%20Exam%20Plus" in page
    assert "table 1, row 3 (“MMLU Pro”), column “Llama 4 Maverick”: “80.5±0.3”" in page
