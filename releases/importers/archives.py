"""Snapshots assembled from several files: one deterministic ZIP, and the digests that check
each downloaded file against what its listing promised. Pure functions: bytes in, bytes out."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable

from releases.importers.base import ListedFile

# Fixed timestamps and stored (uncompressed) members: the same files always give the same bytes,
# so a snapshot's sha256 changes only when the data does and an unchanged refresh stops there.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def deterministic_zip(members: Iterable[tuple[str, bytes]], *, in_order: bool = False) -> bytes:
    """A ZIP of (name, bytes) members, sorted by path segments (as pathlib sorts paths: "meta/x"
    before "meta-llama/x"), or in the order given with `in_order` (LiveBench's bundles, whose
    bytes predate this function), with fixed timestamps and permissions."""
    ordered = list(members) if in_order else sorted(members, key=lambda m: m[0].split("/"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def git_blob_sha1(content: bytes) -> str:
    """The id git (and so the Hugging Face Hub and GitHub) gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def listed_file_mismatch(listed: ListedFile, content: bytes) -> str | None:
    """Why `content` is not the file `listed` announced, or None when every given digest and the
    size match."""
    if listed.size is not None and len(content) != listed.size:
        return f"{len(content):,} bytes, the listing says {listed.size:,}"
    if listed.sha256 is not None and hashlib.sha256(content).hexdigest() != listed.sha256:
        return f"sha256 {hashlib.sha256(content).hexdigest()}, the listing says {listed.sha256}"
    if listed.git_blob_sha1 is not None and git_blob_sha1(content) != listed.git_blob_sha1:
        return f"git blob id {git_blob_sha1(content)}, the listing says {listed.git_blob_sha1}"
    return None
