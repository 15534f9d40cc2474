"""The Every Eval Ever datastore's folder listing, as the Hugging Face Hub serves it. Pure.

The datastore is the Hub dataset `evaleval/EEE_datastore`, one document per model at
`data/<leaderboard>/<developer>/<model>/<uuid>.json`. A source's live URL is the Hub's tree API
for its leaderboard's folder,

    https://huggingface.co/api/datasets/evaleval/EEE_datastore/tree/main/data/helm_lite?recursive=true

which answers a JSON array of entries (`{"type": "file", "path": ..., "oid": <git blob id>,
"size": ...}`, LFS files with `"lfs": {"oid": <sha256>, ...}`), a page at a time, the next page
in a `Link: <url>; rel="next"` header (huggingface_hub follows `response.links["next"]`). A file
downloads from `/datasets/<repo>/resolve/<revision>/<path>` on the same host. The folder page
(`/datasets/<repo>/tree/...`, no `/api`) is HTML for people and is refused with the API URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit

from releases.importers.base import ListedFile, Listing, ParseError
from releases.importers.readers import read_json

# /api/datasets/<owner>/<name>/tree/<revision>[/<folder>]: the revision is one path segment
# (the Hub quotes a "/" inside it), the folder the rest.
_TREE_API_PATH = re.compile(
    r"/api/datasets/(?P<owner>[^/]+)/(?P<name>[^/]+)/tree/(?P<revision>[^/]+)(?:/(?P<folder>.*))?"
)
_TREE_PAGE_PATH = re.compile(
    r"/datasets/(?P<owner>[^/]+)/(?P<name>[^/]+)/tree/(?P<revision>[^/]+)(?:/(?P<folder>.*))?"
)
_GIT_BLOB_ID = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
NOT_A_LISTING = "not a datastore listing (the Hub's tree API answers a JSON array of entries)"


@dataclass(frozen=True)
class TreeFolder:
    """A folder of a Hub dataset at a revision, on the host the listing URL names."""

    origin: str  # scheme://host[:port] of the listing URL: file URLs point at the same server
    repo: str
    revision: str
    folder: str  # "data/helm_lite"; "" for the whole repository

    def file_url(self, path: str) -> str:
        return (
            f"{self.origin}/datasets/{self.repo}/resolve/{quote(self.revision, safe='')}/"
            f"{quote(path, safe='/')}"
        )

    def contains(self, path: str) -> bool:
        """True for a plain relative path inside the folder: no "..", ".", empty segments or
        backslashes, so the name it takes in the snapshot cannot step outside it."""
        segments = path.split("/")
        if "\\" in path or any(segment in ("", ".", "..") for segment in segments):
            return False
        return not self.folder or path.startswith(f"{self.folder}/")


def tree_folder(url: str) -> TreeFolder | None:
    """The folder a tree API URL lists, or None for a URL of another shape. Refuses a listing
    that is not recursive (it would name the folder's subfolders, not their documents) and the
    Hub's HTML folder page, naming the API URL to use instead."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if match := _TREE_API_PATH.fullmatch(parts.path):
        if parse_qs(parts.query).get("recursive") != ["true"]:
            raise ParseError(
                f"{url}: a datastore listing must be recursive (add ?recursive=true): the "
                "documents sit two folders below the leaderboard's"
            )
        return TreeFolder(
            origin=origin,
            repo=f"{unquote(match['owner'])}/{unquote(match['name'])}",
            revision=unquote(match["revision"]),
            folder=unquote(match["folder"] or "").strip("/"),
        )
    if match := _TREE_PAGE_PATH.fullmatch(parts.path):
        api = f"{origin}/api{parts.path.rstrip('/')}?recursive=true"
        raise ParseError(
            f"{url} is the Hub's HTML folder page, {NOT_A_LISTING}: use the tree API, {api}"
        )
    return None


def next_page_url(link_header: str | None) -> str | None:
    """The target of the `rel="next"` link of an RFC 8288 Link header, as written; None when
    there is none."""
    if not link_header:
        return None
    for link in re.finditer(r"<(?P<target>[^>]*)>(?P<params>[^<]*)", link_header):
        # The parameters run to the next link: drop the comma that separates links.
        for param in link["params"].strip().rstrip(",").split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().casefold() == "rel" and "next" in value.strip().strip('"').split():
                return link["target"].strip()
    return None


def read_tree_page(url: str, body: bytes, headers: Mapping[str, str]) -> Listing:
    """The JSON documents one page of the tree API at `url` lists, and the next page's URL.
    Raises ParseError for a body that is not an array of entries, an entry outside the listed
    folder, and a next page on another host."""
    folder = tree_folder(url)
    if folder is None:
        raise ParseError(f"{url}: not a tree API URL (/api/datasets/<repo>/tree/<revision>/...)")
    try:
        entries = read_json(body, file_name=None)
    except ParseError as exc:
        raise ParseError(f"{url}: {NOT_A_LISTING}: {exc.message}") from None
    if not isinstance(entries, list):
        raise ParseError(f"{url}: {NOT_A_LISTING}: a JSON {type(entries).__name__}")
    files = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("path"), str):
            raise ParseError(f"{url}: {NOT_A_LISTING}: entry {index} has no path")
        path = entry["path"]
        if not folder.contains(path):
            raise ParseError(
                f"{url}: entry {index}, {path!r}, is not a plain path inside the listed folder "
                f"{folder.folder!r}"
            )
        if entry.get("type") == "file" and path.endswith(".json"):
            files.append(_listed_file(folder, path, entry))
    lowered = {name.casefold(): value for name, value in headers.items()}
    target = next_page_url(lowered.get("link"))
    next_url = urljoin(url, target) if target else None
    if next_url is not None:
        following = urlsplit(next_url)
        current = urlsplit(url)
        if (following.scheme, following.netloc) != (current.scheme, current.netloc):
            raise ParseError(
                f"{url}: the next page of the listing is on another host ({next_url}); only "
                f"{current.scheme}://{current.netloc} is followed"
            )
    return Listing(files=tuple(files), next_url=next_url)


def _listed_file(folder: TreeFolder, path: str, entry: Mapping[str, Any]) -> ListedFile:
    lfs = entry.get("lfs")
    if isinstance(lfs, Mapping):
        # An LFS file's own oid is that of its pointer; the content's digest is the LFS sha256.
        return ListedFile(
            url=folder.file_url(path),
            name=path,
            size=_size(lfs.get("size", entry.get("size"))),
            sha256=_digest(lfs.get("oid"), _SHA256, path),
        )
    return ListedFile(
        url=folder.file_url(path),
        name=path,
        size=_size(entry.get("size")),
        git_blob_sha1=_digest(entry.get("oid"), _GIT_BLOB_ID, path),
    )


def _digest(value: Any, shape: re.Pattern[str], path: str) -> str | None:
    """A digest the listing gives, None when it gives none; a malformed one is refused rather
    than left unchecked."""
    if value is None:
        return None
    if not isinstance(value, str) or not shape.fullmatch(value):
        raise ParseError(f"{path!r}: not a digest this listing should give: {value!r}")
    return value


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
