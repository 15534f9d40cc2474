"""Archived documents are immutable (issue 12, point 6).

Uploading a file to a citation that already has an archived copy used to overwrite the cited
bytes, while history kept the old sha256: "revert" then restored a hash with no document. Now
the upload is a new version (a new citation for the same URL) and the old bytes stay.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client

from releases.models import Citation, Claim
from releases.models.claims import ArchiveImmutableError
from tests import factories
from tests.admin.forms import change_form_data
from tests.admin.registry import admin_url

CARD_V1 = b"# Llama 4 model card\n| GPQA Diamond | 69.8 |\n"
CARD_V2 = b"# Llama 4 model card\n| GPQA Diamond | 73.7 |\n"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def cited(db) -> tuple[Citation, Claim]:  # type: ignore[no-untyped-def]
    citation = factories.CitationFactory(archived_name="MODEL_CARD.md")
    citation.archive(CARD_V1)
    citation.save()
    claim = factories.ClaimFactory(citation=citation)
    return citation, claim


def upload(client: Client, citation: Citation, content: bytes, **changes: str):  # type: ignore[no-untyped-def]
    url = admin_url(citation, "change", citation.pk)
    data = change_form_data(client.get(url))
    data.update(changes, archive_file=SimpleUploadedFile("MODEL_CARD.md", content))
    return client.post(url, data)


def download(client: Client, citation: Citation) -> bytes:
    response = client.get(admin_url(citation, "archive", citation.pk))
    assert response.status_code == 200
    return response.content


def test_an_upload_to_an_archived_citation_makes_a_new_version(
    client: Client, analyst: User, cited
) -> None:  # type: ignore[no-untyped-def]
    citation, claim = cited
    client.force_login(analyst)

    response = upload(client, citation, CARD_V2, title="Llama 4 model card (edited)")

    version = Citation.objects.exclude(pk=citation.pk).get(url=citation.url)
    assert response.status_code == 302
    assert response["Location"] == admin_url(version, "change", version.pk)
    # The cited version is exactly as it was: bytes, hash, title, claims.
    citation.refresh_from_db()
    assert (bytes(citation.archived_content), citation.sha256) == (CARD_V1, sha(CARD_V1))
    assert citation.title != "Llama 4 model card (edited)"
    assert Claim.objects.get(pk=claim.pk).citation_id == citation.pk
    # The new version has the new bytes and the edits.
    assert (bytes(version.archived_content), version.sha256) == (CARD_V2, sha(CARD_V2))
    assert version.title == "Llama 4 model card (edited)"
    assert f"A later version of citation {citation.pk}" in version.notes
    # Both stay downloadable, each with its own bytes.
    assert download(client, citation) == CARD_V1
    assert download(client, version) == CARD_V2
    page = client.get(admin_url(version, "change", version.pk)).content.decode()
    assert f"Citation {citation.pk}</a>: sha256 {sha(CARD_V1)[:12]}" in page


def test_uploading_the_same_bytes_again_changes_nothing(
    client: Client, analyst: User, cited
) -> None:  # type: ignore[no-untyped-def]
    citation, _ = cited
    client.force_login(analyst)

    response = upload(client, citation, CARD_V1, notes="checked again")

    assert response.status_code == 302
    assert Citation.objects.filter(url=citation.url).count() == 1
    citation.refresh_from_db()
    assert citation.sha256 == sha(CARD_V1) and citation.notes == "checked again"


def test_revert_never_points_at_a_sha256_without_its_bytes(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    citation = factories.CitationFactory(title="Model card")  # history record 1: no archive
    upload(client, citation, CARD_V1)  # record 2: the first archive, in place
    upload(client, citation, CARD_V2)  # a new version; this citation is not touched
    url = admin_url(citation, "change", citation.pk)
    data = change_form_data(client.get(url))
    client.post(url, {**data, "title": "Model card, retitled"})  # record 3
    first = citation.history.earliest()
    assert first.sha256 == ""

    revert_url = admin_url(citation, "simple_history", citation.pk, first.history_id)
    response = client.post(revert_url, change_form_data(client.get(revert_url)))

    assert response.status_code == 302
    citation.refresh_from_db()
    assert citation.title == "Model card"  # the revert happened
    assert citation.sha256 == sha(CARD_V1)  # ... and kept the archive
    assert download(client, citation) == CARD_V1
    for record in citation.history.all():
        assert record.sha256 in ("", citation.sha256)


def test_a_citation_with_an_archived_copy_cannot_be_deleted_in_the_admin(
    client: Client, analyst: User
) -> None:
    citation = factories.CitationFactory()
    citation.archive(CARD_V1)
    citation.save()
    client.force_login(analyst)

    assert (
        client.post(admin_url(citation, "delete", citation.pk), {"post": "yes"}).status_code == 403
    )
    bulk = client.post(
        admin_url(Citation, "changelist"),
        {"action": "delete_selected", "_selected_action": [citation.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # the confirmation page, listing it as kept
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_a_restored_citation_never_names_a_sha256_without_bytes(
    client: Client, analyst: User
) -> None:
    # Deleted outside the admin (the shell), then restored from "Recently deleted".
    citation = factories.CitationFactory()
    citation.archive(CARD_V1)
    citation.save()
    pk = citation.pk
    citation.delete()
    record = Citation.history.filter(id=pk).exclude(history_type="-").latest()
    assert record.sha256 == sha(CARD_V1)
    client.force_login(analyst)

    revert_url = admin_url(Citation, "simple_history", pk, record.history_id)
    response = client.post(revert_url, change_form_data(client.get(revert_url)), follow=True)

    restored = Citation.objects.get(pk=pk)
    assert restored.sha256 == "" and restored.archived_content is None
    assert "upload the document again" in response.content.decode()


def test_the_model_refuses_to_replace_an_archive(cited) -> None:  # type: ignore[no-untyped-def]
    citation, _ = cited
    with pytest.raises(ArchiveImmutableError):
        citation.archive(CARD_V2)
    citation.archive(CARD_V1)  # the same bytes: nothing to replace


@pytest.mark.parametrize(
    "change",
    [
        {"archived_content": CARD_V2, "sha256": sha(CARD_V2)},
        {"archived_content": CARD_V2},
        {"sha256": ""},
        {"archived_content": None, "sha256": ""},
    ],
)
def test_the_database_refuses_to_change_an_archive(cited, change) -> None:  # type: ignore[no-untyped-def]
    citation, _ = cited
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(**change)
    citation.refresh_from_db()
    assert bytes(citation.archived_content) == CARD_V1


def test_the_database_allows_the_first_archive_and_metadata_edits(db) -> None:  # type: ignore[no-untyped-def]
    citation = factories.CitationFactory()
    Citation.objects.filter(pk=citation.pk).update(archived_content=CARD_V1, sha256=sha(CARD_V1))
    Citation.objects.filter(pk=citation.pk).update(title="Retitled", sha256=sha(CARD_V1))
    assert Citation.objects.get(pk=citation.pk).title == "Retitled"


def test_a_restored_citation_gets_its_bytes_back_from_a_twin(client: Client, analyst: User) -> None:
    # The same document archived under another URL still holds the bytes.
    twin = factories.CitationFactory()
    twin.archive(CARD_V1)
    twin.save()
    citation = factories.CitationFactory()
    citation.archive(CARD_V1)
    citation.save()
    pk = citation.pk
    citation.delete()
    record = Citation.history.filter(id=pk).exclude(history_type="-").latest()
    client.force_login(analyst)

    revert_url = admin_url(Citation, "simple_history", pk, record.history_id)
    client.post(revert_url, change_form_data(client.get(revert_url)))

    restored = Citation.objects.get(pk=pk)
    assert restored.sha256 == sha(CARD_V1)
    assert download(client, restored) == CARD_V1
