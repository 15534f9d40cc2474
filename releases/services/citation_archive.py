"""Archived documents are immutable: new bytes make a new version, the cited bytes stay.

A claim's evidence is the exact document it was quoted from. Uploading another file for a
citation that already has an archived copy must not replace it (history would keep a sha256
whose bytes are gone, and "revert" would restore a hash with no document): it adds a new
citation for the same URL, as `extract_claims` does for a newer version of a model card. The
claims keep citing the version they were quoted from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from releases.models import Citation

# What a citation's archive is: its bytes, their hash and the file name they came under.
ARCHIVE_FIELDS = ("archived_content", "sha256", "archived_name")


@dataclass(frozen=True)
class ArchiveOutcome:
    citation: Citation
    new_version_of: Citation | None = None
    warning: str = ""


def citation_archive_save(
    *, citation: Citation, content: bytes | None, file_name: str = ""
) -> ArchiveOutcome:
    """Save a citation edited in the admin (a change, an upload, a revert or a restore).

    - An upload of other bytes for a citation that already has an archive saves a new version
      (a new citation, with the edited fields and the new bytes); the stored one is untouched.
    - Otherwise the fields are saved, but never the archive of a stored citation with one: a
      revert to an older history record brings back its title or notes, not an older hash.
    - A deleted citation restored from its history gets its bytes back only if another citation
      archives the same sha256; else its sha256 is cleared, with a warning, so that no citation
      names a sha256 without its bytes.
    """
    stored = (
        Citation.objects.filter(pk=citation.pk).values(*ARCHIVE_FIELDS[1:]).first()
        if citation.pk is not None
        else None
    )
    if stored and stored["sha256"]:
        if content is not None and not _same_bytes(stored["sha256"], content):
            return _new_version(citation=citation, content=content, file_name=file_name)
        citation.sha256 = stored["sha256"]
        citation.archived_name = stored["archived_name"]
        # Saving only the other fields leaves the stored bytes as they are.
        fields = [
            f.attname
            for f in Citation._meta.concrete_fields
            if not f.primary_key and f.attname not in ARCHIVE_FIELDS
        ]
        citation.save(update_fields=fields)
        return ArchiveOutcome(citation=citation)

    warning = ""
    if content is not None:
        citation.sha256 = ""
        citation.archive(content)
        if not citation.archived_name:
            citation.archived_name = file_name[:200]
    elif citation.sha256 and citation.archived_content is None:
        warning = _recover_bytes(citation)
    citation.save()
    return ArchiveOutcome(citation=citation, warning=warning)


def _same_bytes(sha256: str, content: bytes) -> bool:
    probe = Citation()
    probe.archive(content)
    return probe.sha256 == sha256


@transaction.atomic
def _new_version(*, citation: Citation, content: bytes, file_name: str) -> ArchiveOutcome:
    previous = Citation.objects.defer("archived_content").get(pk=citation.pk)
    version = Citation(
        **{
            f.attname: getattr(citation, f.attname)
            for f in Citation._meta.concrete_fields
            if not f.primary_key and f.attname not in ARCHIVE_FIELDS
        }
    )
    version.archived_name = file_name[:200]
    version.archive(content)
    note = f"A later version of citation {previous.pk} (uploaded in the admin)."
    version.notes = f"{version.notes}\n{note}".strip() if version.notes else note
    version.save()
    return ArchiveOutcome(citation=version, new_version_of=previous)


def _recover_bytes(citation: Citation) -> str:
    twin = (
        Citation.objects.filter(sha256=citation.sha256, archived_content__isnull=False)
        .exclude(pk=citation.pk)
        .values_list("archived_content", flat=True)
        .first()
    )
    if twin is not None:
        citation.archived_content = bytes(twin)
        return ""
    lost = citation.sha256
    citation.sha256 = ""
    return (
        f"The archived copy (sha256 {lost[:12]}…) was deleted with the citation and no other "
        "citation holds those bytes: upload the document again."
    )
