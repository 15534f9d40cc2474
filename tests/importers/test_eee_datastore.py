"""The Every Eval Ever datastore's listing read as the Hugging Face Hub's tree API serves it:
pure functions, no network, no database."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
import yaml

from releases.importers import get_importer
from releases.importers.archives import deterministic_zip, git_blob_sha1, listed_file_mismatch
from releases.importers.base import ListedFile, ParseError
from releases.importers.eee import EveryEvalEverImporter
from releases.importers.eee_datastore import next_page_url, read_tree_page, tree_folder
from tests.conftest import FIXTURES_DIR

HUB = "https://huggingface.co"
LISTING = f"{HUB}/api/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu?recursive=true"
DOCUMENT = "data/helm_mmlu/deepseek-ai/deepseek-v3/c97b0f33-eda0-4069-9ab6-f277c1f8e55b.json"
OID = "0123456789abcdef0123456789abcdef01234567"


def _page(*entries: dict[str, Any]) -> bytes:
    return json.dumps(list(entries)).encode()


def _file(path: str, **extra: Any) -> dict[str, Any]:
    return {"type": "file", "path": path, "oid": OID, "size": 10, **extra}


def _curated_eee_sources() -> list[dict[str, Any]]:
    sources = yaml.safe_load((FIXTURES_DIR / "curated" / "sources.yaml").read_text("utf-8"))
    return [source for source in sources if source["importer"].startswith("eee-")]


def test_the_four_curated_eee_sources_are_there() -> None:
    assert sorted(s["slug"] for s in _curated_eee_sources()) == [
        "eee-helm-capabilities",
        "eee-helm-lite",
        "eee-helm-mmlu",
        "eee-hfopenllm-v2",
    ]


@pytest.mark.parametrize("source", _curated_eee_sources(), ids=lambda source: source["slug"])
def test_each_curated_eee_live_url_is_read_as_a_listing_of_its_leaderboard(
    source: dict[str, Any],
) -> None:
    importer = get_importer(source["importer"])
    assert isinstance(importer, EveryEvalEverImporter)
    folder = tree_folder(source["live_url"])
    assert folder is not None
    assert (folder.origin, folder.repo, folder.revision) == (
        HUB,
        "evaleval/EEE_datastore",
        "main",
    )
    # The folder is the importer's own leaderboard ("data/helm_mmlu" for eee-helm-mmlu).
    assert folder.folder == "data/" + importer.leaderboard.replace("-", "_")
    path = f"{folder.folder}/meta/llama-3-8b/uuid.json"
    listing = importer.read_listing(
        source["live_url"],
        _page({"type": "directory", "path": f"{folder.folder}/meta"}, _file(path)),
        {},
    )
    assert listing is not None and listing.next_url is None
    assert listing.files == (
        ListedFile(
            url=f"{HUB}/datasets/evaleval/EEE_datastore/resolve/main/{path}",
            name=path,
            size=10,
            git_blob_sha1=OID,
        ),
    )


def test_a_url_of_another_shape_is_the_data_itself_not_a_listing() -> None:
    importer = get_importer("eee-helm-mmlu")
    assert importer.read_listing(f"{HUB}/datastore/helm_mmlu.zip", b"PK\x03\x04", {}) is None
    # Every other importer keeps the default: no source of theirs is a listing.
    assert get_importer("zeroeval").read_listing(LISTING, _page(_file(DOCUMENT)), {}) is None


def test_only_json_files_under_the_folder_are_listed() -> None:
    listing = read_tree_page(
        LISTING,
        _page(
            {"type": "directory", "path": "data/helm_mmlu/deepseek-ai", "oid": OID, "size": 0},
            _file(DOCUMENT),
            _file("data/helm_mmlu/README.md"),
            {"type": "directory", "path": "data/helm_mmlu/x.json", "oid": OID, "size": 0},
        ),
        {},
    )
    assert [file.name for file in listing.files] == [DOCUMENT]


def test_an_lfs_file_is_checked_by_its_sha256_not_its_pointer_id() -> None:
    sha256 = hashlib.sha256(b"content").hexdigest()
    (listed,) = read_tree_page(
        LISTING, _page(_file(DOCUMENT, lfs={"oid": sha256, "size": 7})), {}
    ).files
    assert (listed.sha256, listed.git_blob_sha1, listed.size) == (sha256, None, 7)


def test_a_name_is_quoted_in_its_download_url() -> None:
    listing_url = LISTING.replace("helm_mmlu", "helm_lite")
    path = "data/helm_lite/google/text-unicorn@001/u u.json"
    (listed,) = read_tree_page(listing_url, _page(_file(path)), {}).files
    assert listed.url == (
        f"{HUB}/datasets/evaleval/EEE_datastore/resolve/main/"
        "data/helm_lite/google/text-unicorn%40001/u%20u.json"
    )
    assert listed.name == path


def test_file_urls_use_the_listing_urls_own_scheme_and_host() -> None:
    local = LISTING.replace(HUB, "http://127.0.0.1:8123")
    (listed,) = read_tree_page(local, _page(_file(DOCUMENT)), {}).files
    assert (
        listed.url
        == f"http://127.0.0.1:8123/datasets/evaleval/EEE_datastore/resolve/main/{DOCUMENT}"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"<!doctype html><html><body>Files and versions</body></html>",
        b'{"error": "Repository not found"}',
        b"[1, 2]",
        b'[{"type": "file"}]',
    ],
    ids=["html", "object", "not entries", "no path"],
)
def test_a_body_that_is_not_an_array_of_entries_is_refused(body: bytes) -> None:
    with pytest.raises(ParseError, match="not a datastore listing"):
        read_tree_page(LISTING, body, {})


@pytest.mark.parametrize(
    "path",
    [
        "data/helm_lite/meta/x/u.json",  # another leaderboard's folder
        "data/helm_mmlu_v2/meta/x/u.json",  # a folder whose name starts the same
        "data/helm_mmlu/../helm_lite/u.json",
        "data/helm_mmlu/meta/../../../etc/u.json",
        "data/helm_mmlu/./u.json",
        "data/helm_mmlu//u.json",
        "/data/helm_mmlu/u.json",
        "data/helm_mmlu/meta\\..\\u.json",
    ],
)
def test_a_path_outside_the_listed_folder_is_refused(path: str) -> None:
    with pytest.raises(ParseError, match="not a plain path inside the listed folder"):
        read_tree_page(LISTING, _page(_file(DOCUMENT), _file(path)), {})


def test_a_malformed_digest_is_refused_rather_than_left_unchecked() -> None:
    with pytest.raises(ParseError, match="not a digest"):
        read_tree_page(LISTING, _page(_file(DOCUMENT, oid="not-a-sha1")), {})


def test_the_next_page_is_read_from_the_link_header() -> None:
    following = f"{LISTING}&cursor=abc"
    listing = read_tree_page(
        LISTING, _page(_file(DOCUMENT)), {"Link": f'<{following}>; rel="next"'}
    )
    assert listing.next_url == following


def test_a_relative_next_link_is_resolved_against_the_listing_url() -> None:
    listing = read_tree_page(
        LISTING,
        _page(_file(DOCUMENT)),
        {"link": '</api/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu?c=2>; rel="next"'},
    )
    assert listing.next_url == (
        f"{HUB}/api/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu?c=2"
    )


@pytest.mark.parametrize(
    "following",
    [
        "https://evil.example/api/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu",
        "http://huggingface.co/api/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu",
        "https://huggingface.co:8443/api/datasets/evaleval/EEE_datastore/tree/main/data/x",
    ],
)
def test_a_next_page_on_another_host_is_refused(following: str) -> None:
    with pytest.raises(ParseError, match="on another host"):
        read_tree_page(LISTING, _page(_file(DOCUMENT)), {"Link": f'<{following}>; rel="next"'})


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ('<https://h/a?page=2>; rel="next"', "https://h/a?page=2"),
        ("<https://h/a?page=2>; rel=next", "https://h/a?page=2"),
        # GitHub's style: several links, the next one not first.
        (
            '<https://h/a?page=1>; rel="prev", <https://h/a?page=3>; rel="next", '
            '<https://h/a?page=9>; rel="last"',
            "https://h/a?page=3",
        ),
        ('<https://h/a?page=1>; rel="prev"', None),
        # A rel that lists several relation types (RFC 8288, section 3.3).
        ('<https://h/a?x=1,2>; title="a; b"; rel="next last"', "https://h/a?x=1,2"),
    ],
)
def test_link_header_parsing(header: str | None, expected: str | None) -> None:
    assert next_page_url(header) == expected


def test_a_listing_that_is_not_recursive_is_refused() -> None:
    with pytest.raises(ParseError, match=r"must be recursive \(add \?recursive=true\)"):
        tree_folder(LISTING.removesuffix("?recursive=true"))


def test_the_hubs_html_folder_page_is_refused_with_the_api_url_to_use() -> None:
    page = f"{HUB}/datasets/evaleval/EEE_datastore/tree/main/data/helm_mmlu"
    with pytest.raises(ParseError) as raised:
        get_importer("eee-helm-mmlu").read_listing(page, b"<html></html>", {})
    assert "not a datastore listing" in str(raised.value)
    assert LISTING in str(raised.value)


def test_git_blob_sha1_is_gits_id_for_the_content() -> None:
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_sha1(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert git_blob_sha1(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_a_downloaded_file_is_checked_against_every_figure_its_listing_gives() -> None:
    content = b"hello\n"
    by_blob = ListedFile(url="u", name="n", size=6, git_blob_sha1=git_blob_sha1(content))
    assert listed_file_mismatch(by_blob, content) is None
    assert "git blob id" in str(listed_file_mismatch(by_blob, b"hellO\n"))
    assert "7 bytes, the listing says 6" in str(listed_file_mismatch(by_blob, b"hello!\n"))
    by_sha256 = ListedFile(url="u", name="n", sha256=hashlib.sha256(content).hexdigest())
    assert listed_file_mismatch(by_sha256, content) is None
    assert "sha256" in str(listed_file_mismatch(by_sha256, b"other"))


def test_the_zip_of_the_same_files_is_the_same_bytes_in_any_order() -> None:
    members = [("data/b/x.json", b"2"), ("data/a/y.json", b"1"), ("data/a-b/z.json", b"3")]
    raw = deterministic_zip(members)
    assert raw == deterministic_zip(reversed(members))
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        # Sorted by path segments, as pathlib sorts the bundled folder: "a" before "a-b".
        assert archive.namelist() == ["data/a/y.json", "data/a-b/z.json", "data/b/x.json"]
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
