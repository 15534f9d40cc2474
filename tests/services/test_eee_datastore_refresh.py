"""An Every Eval Ever source refreshes from the datastore's listing: a local server plays the
Hugging Face Hub (the tree API over two pages, a Link header, the files at their resolve paths)
with the real bundled HELM MMLU documents."""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import socket
import threading
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.forms.models import model_to_dict

from releases.admin.leaderboards import LeaderboardSourceForm
from releases.importers import get_importer
from releases.models import LeaderboardSource, Measurement, Snapshot
from releases.services import refresh
from releases.services.fetching import FetchError, FetchResult, fetch_url
from releases.services.leaderboard_import import benchmark_aliases_by_name
from releases.services.refresh import ListingLimits, source_refresh
from releases.services.url_safety import check_live_url
from tests.conftest import FIXTURES_DIR
from tests.http_server import LeaderboardServer, Reply

fast_fetch = functools.partial(
    fetch_url, timeout=httpx.Timeout(5.0), backoff_seconds=0.0, sleep=lambda seconds: None
)

FOLDER = FIXTURES_DIR / "leaderboards" / "eee" / "data" / "helm_mmlu"
TREE = "/api/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu"
FIRST_PAGE = f"{TREE}?recursive=true"
SECOND_PAGE = f"{TREE}?recursive=true&cursor=page-2"
RESOLVE = "/datasets/evaleval/EEE_datastore/resolve/main/"
DEEPSEEK = "data/helm_mmlu/deepseek-ai/deepseek-v3/c97b0f33-eda0-4069-9ab6-f277c1f8e55b.json"


def _blob_id(content: bytes) -> str:
    # git's id of a file: what the Hub gives as a file's oid.
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def datastore_files(folder: Path = FOLDER) -> dict[str, bytes]:
    """Datastore path -> bytes of every bundled document of the leaderboard."""
    return {
        f"data/{path.relative_to(folder.parent).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*.json"))
    }


def hub_entries(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """The tree API's entries for `files`: their folders, then the files, with a non-document
    file of the folder the refresh must leave alone."""
    folders = sorted({path.rsplit("/", 1)[0] for path in files} - {"data/helm_mmlu"})
    entries: list[dict[str, Any]] = [
        {"type": "directory", "path": folder, "oid": "f" * 40, "size": 0} for folder in folders
    ]
    entries.append({"type": "file", "path": "data/helm_mmlu/.gitattributes", "oid": "a" * 40})
    entries += [
        {"type": "file", "path": path, "oid": _blob_id(content), "size": len(content)}
        for path, content in files.items()
    ]
    return entries


def serve_datastore(
    server: LeaderboardServer,
    *,
    entries: list[dict[str, Any]],
    files: dict[str, bytes],
    listing_headers: dict[str, str] | None = None,
) -> str:
    """The listing split over two pages (the first links to the second), and every file at its
    resolve path. Returns the listing URL."""
    half = len(entries) // 2
    server.serve(
        FIRST_PAGE,
        Reply(
            body=json.dumps(entries[:half]).encode(),
            headers={
                "Content-Type": "application/json",
                "Link": f'<{server.url(SECOND_PAGE)}>; rel="next"',
                **(listing_headers or {}),
            },
        ),
    )
    server.serve(SECOND_PAGE, Reply(body=json.dumps(entries[half:]).encode()))
    for path, content in files.items():
        server.serve(RESOLVE + path, Reply(body=content))
    return server.url(FIRST_PAGE)


@pytest.fixture
def helm_mmlu(source, leaderboard_server):  # type: ignore[no-untyped-def]
    """The curated HELM MMLU source, its live URL pointed at the local datastore."""
    helm = source("eee-helm-mmlu")
    files = datastore_files()
    url = serve_datastore(leaderboard_server, entries=hub_entries(files), files=files)
    LeaderboardSource.objects.filter(pk=helm.pk).update(live_url=url)
    helm.refresh_from_db()
    return helm


def _values(source: LeaderboardSource) -> set[tuple[str, str, float]]:
    return {
        (m.raw_model_name, m.benchmark.slug, m.value)
        for m in Measurement.objects.filter(source=source).select_related("benchmark")
    }


def test_a_refresh_follows_both_pages_and_imports_every_document(
    helm_mmlu, leaderboard_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refresh, "PROGRESS_EVERY_FILES", 5)
    lines: list[str] = []
    summary = source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch, progress=lines.append)

    assert (summary.status, summary.created) == ("imported", 15)
    deepseek = Measurement.objects.get(source=helm_mmlu, raw_model_name="deepseek-ai/deepseek-v3")
    assert (deepseek.benchmark.slug, deepseek.value, deepseek.variant.slug) == (
        "mmlu",
        pytest.approx(87.2),
        "deepseek-v3-chat",
    )
    # The same measurements as the bundled copy of the folder gives.
    importer = get_importer("eee-helm-mmlu")
    importer.benchmark_aliases = benchmark_aliases_by_name()
    ((name, bundled),) = importer.bundled_inputs(FIXTURES_DIR / "leaderboards")
    assert _values(helm_mmlu) == {
        (row.raw_model_name, row.benchmark, row.value)
        for row in importer.parse(bundled, file_name=name)
    }
    # Both pages, every document once, and nothing else (not the .gitattributes).
    requested = [path for path, _ in leaderboard_server.requests]
    files = datastore_files()
    assert sorted(requested) == sorted([FIRST_PAGE, SECOND_PAGE] + [RESOLVE + p for p in files])
    # One snapshot of the listing URL: a ZIP of the documents under their datastore paths.
    snapshot = Snapshot.objects.get(pk=summary.snapshot_id)
    assert snapshot.url == helm_mmlu.live_url
    # The listing page's Content-Type and Content-Length describe the page, not the ZIP.
    assert not {name.lower() for name in snapshot.headers} & {"content-type", "content-length"}
    with zipfile.ZipFile(io.BytesIO(bytes(snapshot.raw))) as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == files
    assert [line for line in lines if line.startswith("fetched ")] == [
        "fetched 5/15 files",
        "fetched 10/15 files",
        "fetched 15/15 files",
    ]


def test_a_second_refresh_of_the_same_documents_is_unchanged(helm_mmlu) -> None:
    first = source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch)
    again = source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch)
    assert again.status == "unchanged"
    assert again.sha256 == first.sha256
    assert Measurement.objects.filter(source=helm_mmlu).count() == 15


def test_the_listings_etag_is_sent_back_and_a_304_fetches_no_file(
    source, leaderboard_server
) -> None:
    helm = source("eee-helm-mmlu")
    files = datastore_files()
    url = serve_datastore(
        leaderboard_server,
        entries=hub_entries(files),
        files=files,
        listing_headers={"ETag": '"tree-1"'},
    )
    LeaderboardSource.objects.filter(pk=helm.pk).update(live_url=url)
    assert source_refresh(source_id=helm.pk, fetch=fast_fetch).status == "imported"
    leaderboard_server.requests.clear()
    leaderboard_server.serve(FIRST_PAGE, Reply(status=304))

    assert source_refresh(source_id=helm.pk, fetch=fast_fetch).status == "not_modified"
    ((path, headers),) = leaderboard_server.requests
    assert (path, headers.get("If-None-Match")) == (FIRST_PAGE, '"tree-1"')


def test_a_file_that_is_not_its_listed_blob_fails_and_keeps_the_earlier_data(
    helm_mmlu, leaderboard_server
) -> None:
    source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch)
    before = _values(helm_mmlu)
    # Same length, one digit changed: only the blob id tells.
    content = datastore_files()[DEEPSEEK]
    tampered = content.replace(b"0.872", b"0.972", 1)
    assert tampered != content and len(tampered) == len(content)
    leaderboard_server.serve(RESOLVE + DEEPSEEK, Reply(body=tampered))

    with pytest.raises(FetchError, match=DEEPSEEK):
        source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch)
    failed = Snapshot.objects.filter(source=helm_mmlu).latest("fetched_at")
    assert failed.status == Snapshot.Status.FAILED
    assert DEEPSEEK in failed.error and "git blob id" in failed.error
    assert _values(helm_mmlu) == before
    helm_mmlu.refresh_from_db()
    assert DEEPSEEK in helm_mmlu.last_error


def test_an_html_page_at_the_live_url_is_not_a_datastore_listing(
    helm_mmlu, leaderboard_server
) -> None:
    leaderboard_server.serve(
        FIRST_PAGE,
        Reply(
            body=b"<!doctype html><title>EEE_datastore</title>",
            headers={"Content-Type": "text/html"},
        ),
    )
    with pytest.raises(FetchError, match="not a datastore listing"):
        source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch)
    failed = Snapshot.objects.get(source=helm_mmlu)
    assert failed.status == Snapshot.Status.FAILED
    assert "not a datastore listing" in failed.error
    assert not Measurement.objects.filter(source=helm_mmlu).exists()
    assert [path for path, _ in leaderboard_server.requests] == [FIRST_PAGE]


def test_a_path_escaping_the_folder_is_refused_before_any_file_is_fetched(
    source, leaderboard_server
) -> None:
    helm = source("eee-helm-mmlu")
    files = datastore_files()
    escaping = "data/helm_mmlu/../helm_lite/meta/x/u.json"
    entries = hub_entries(files)
    entries.append({"type": "file", "path": escaping, "oid": "b" * 40, "size": 2})
    url = serve_datastore(leaderboard_server, entries=entries, files=files)
    LeaderboardSource.objects.filter(pk=helm.pk).update(live_url=url)

    with pytest.raises(FetchError, match="not a plain path inside the listed folder"):
        source_refresh(source_id=helm.pk, fetch=fast_fetch)
    assert escaping in Snapshot.objects.get(source=helm).error
    assert {path for path, _ in leaderboard_server.requests} == {FIRST_PAGE, SECOND_PAGE}


@pytest.mark.parametrize(
    ("limits", "message", "fetched_files"),
    [
        (ListingLimits(max_pages=1), "past the 1-page cap", 0),
        (ListingLimits(max_files=10), "more than the 10-file cap", 0),
        (ListingLimits(max_bytes=100_000), "declare .* bytes, over the 100,000-byte cap", 0),
    ],
    ids=["pages", "files", "bytes"],
)
def test_the_listing_caps_are_enforced(
    helm_mmlu, leaderboard_server, limits: ListingLimits, message: str, fetched_files: int
) -> None:
    assert sum(len(content) for content in datastore_files().values()) > 100_000
    with pytest.raises(FetchError, match=message) as raised:
        source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch, listing_limits=limits)
    assert raised.value.permanent
    assert Snapshot.objects.get(source=helm_mmlu).status == Snapshot.Status.FAILED
    requested = [path for path, _ in leaderboard_server.requests]
    assert sum(path.startswith(RESOLVE) for path in requested) == fetched_files


def test_files_whose_sizes_are_not_listed_still_stop_at_the_byte_cap(
    source, leaderboard_server
) -> None:
    helm = source("eee-helm-mmlu")
    files = datastore_files()
    entries = [{k: v for k, v in entry.items() if k != "size"} for entry in hub_entries(files)]
    url = serve_datastore(leaderboard_server, entries=entries, files=files)
    LeaderboardSource.objects.filter(pk=helm.pk).update(live_url=url)
    cap = sum(len(content) for content in list(files.values())[:3])
    limits = ListingLimits(max_bytes=cap, download_workers=1)

    with pytest.raises(FetchError, match=f"pass the {cap:,}-byte cap"):
        source_refresh(source_id=helm.pk, fetch=fast_fetch, listing_limits=limits)
    requested = [path for path, _ in leaderboard_server.requests]
    # The fourth file passes the cap; at most the two queued behind it had started.
    assert 4 <= sum(path.startswith(RESOLVE) for path in requested) <= 4 + 2


def test_documents_download_several_at_a_time(helm_mmlu) -> None:
    # The first two downloads wait for each other: one at a time, the barrier breaks.
    both_started = threading.Barrier(2, timeout=5)
    downloads = itertools.count()

    def fetch(url: str, **kwargs: Any) -> FetchResult:
        if RESOLVE in url and next(downloads) < 2:
            both_started.wait()
        return fast_fetch(url, **kwargs)

    summary = source_refresh(
        source_id=helm_mmlu.pk, fetch=fetch, listing_limits=ListingLimits(download_workers=2)
    )
    assert (summary.status, summary.created) == ("imported", 15)


EEE_SLUGS = ("eee-helm-capabilities", "eee-helm-mmlu", "eee-helm-lite", "eee-hfopenllm-v2")


def _public_dns(host: str, port: int, **kwargs: Any) -> list[tuple[Any, ...]]:
    # huggingface.co as a public address, without asking DNS.
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("18.239.50.1", port))]


@pytest.mark.parametrize("slug", EEE_SLUGS)
def test_the_curated_listing_urls_pass_the_url_check_and_the_source_form(
    slug: str, source, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _public_dns)
    curated = source(slug)
    assert curated.live_url.startswith("https://huggingface.co/api/datasets/evaleval/")
    check_live_url(curated.live_url)
    data = model_to_dict(curated, fields=LeaderboardSourceForm._meta.fields)
    form = LeaderboardSourceForm(data=data, instance=curated)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["live_url"] == curated.live_url


def test_a_next_page_on_another_host_is_not_followed(helm_mmlu, leaderboard_server) -> None:
    port = leaderboard_server.httpd.server_address[1]
    elsewhere = f"http://localhost:{port}{SECOND_PAGE}"
    leaderboard_server.serve(
        FIRST_PAGE, Reply(body=b"[]", headers={"Link": f'<{elsewhere}>; rel="next"'})
    )
    with pytest.raises(FetchError, match="on another host"):
        source_refresh(source_id=helm_mmlu.pk, fetch=fast_fetch)
    assert elsewhere in Snapshot.objects.get(source=helm_mmlu).error
    assert [path for path, _ in leaderboard_server.requests] == [FIRST_PAGE]
