"""The curated fixtures say what their sources say, character for character.

Every claim is checked against the document it cites, read from the team's read-only copy in
shared/leaderboards/: the cell at (table, row, column) must be the stated text, the number in it
the stated value, and the quote the row exactly as the document writes it: every quote is a byte
range of its cited document. Claims known only from reporting keep the reporting's words as
SOURCES.md records them, and quote as the vendor's only what those words put in quotation marks.
Aliases must be names a leaderboard file really uses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from releases.curated.reading import quoted_passages
from releases.documents.tables import Table, read_tables, row_quote
from tests.conftest import FIXTURES_DIR

CURATED = FIXTURES_DIR / "curated"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


CITATIONS = {c["key"]: c for c in _yaml(CURATED / "citations.yaml")}
CLAIM_FILES = sorted((CURATED / "claims").glob("*.yaml"))


def _entries(key: str) -> list[Any]:
    """(file name, 1-based index, citation, record) for every claim or reported figure."""
    entries = []
    for path in CLAIM_FILES:
        content = _yaml(path)
        for index, record in enumerate(content.get(key) or [], start=1):
            entries.append(
                pytest.param(
                    CITATIONS[content["citation"]], record, id=f"{path.stem}-{key}-{index}"
                )
            )
    return entries


CLAIMS = _entries("claims")
FIGURES = _entries("reported_figures")


def _document(shared: Path, citation: dict[str, Any]) -> str:
    return (shared / "vendor_claims" / citation["archived_name"]).read_text(encoding="utf-8")


def _document_bytes(shared: Path, citation: dict[str, Any]) -> bytes:
    return (shared / "vendor_claims" / citation["archived_name"]).read_bytes()


def _row(tables: list[Table], location: dict[str, Any]) -> tuple[Table, int]:
    """The table and the 1-based number of the row whose cells include the row label."""
    table = tables[location["table"] - 1]
    numbers = [n for n, row in enumerate(table.rows, start=1) if location["row"] in row]
    assert len(numbers) == 1, (
        f"{len(numbers)} rows labelled {location['row']!r} in table {table.index}"
    )
    return table, numbers[0]


def _cell(tables: list[Table], location: dict[str, Any]) -> tuple[tuple[str, ...], str]:
    """The row whose cells include the row label (exactly one), and its cell in the column."""
    table, number = _row(tables, location)
    row = table.rows[number - 1]
    assert table.header.count(location["column"]) == 1, f"column {location['column']!r}"
    column = table.header.index(location["column"])
    return row, row[column]


def _assert_quote_is_the_row_as_written(document: str, raw: bytes, record: dict[str, Any]) -> None:
    """The quote is the row at the record's location, byte for byte, and a range of the file."""
    table, number = _row(read_tables(document), record["location"])
    quote = row_quote(document, table, number)
    assert record["quote"] == quote.text
    assert raw[quote.start : quote.end] == record["quote"].encode("utf-8")


_MULTIPLIER = {"": 1, "K": 1_000, "M": 1_000_000}


def _number(text: str, part: int = 0) -> float:
    """The number a cell states: markup and provenance asterisks dropped, "10M" as 10,000,000."""
    plain = re.sub(r"<[^>]+>", "", text).replace("*", "").strip()
    piece = plain.split("/")[part].strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KM]?)", piece)
    assert match, f"no number in {text!r}"
    return float(match.group(1)) * _MULTIPLIER[match.group(2)]


def _direction_index(row_label: str, direction: str) -> int:
    """MTOB rows read "eng->kgv/kgv->eng": the cell's two numbers follow that order."""
    match = re.search(r"(\S+->\S+)/(\S+->\S+)", row_label)
    assert match, f"no directions in {row_label!r}"
    return list(match.groups()).index(direction)


@pytest.mark.parametrize(("citation", "claim"), CLAIMS)
def test_each_claim_matches_its_source(
    shared_leaderboards: Path, citation: dict[str, Any], claim: dict[str, Any]
) -> None:
    if citation.get("is_secondary"):
        # No copy of the reporting is stored: its words are as SOURCES.md records them, and
        # only what they put in quotation marks is quoted as the vendor's.
        assert not citation.get("archived_name")
        sources_md = (shared_leaderboards / "SOURCES.md").read_text(encoding="utf-8")
        reported = claim["reported_text"]
        assert reported and reported in sources_md
        if claim["quote"]:
            assert any(claim["quote"] in passage for passage in quoted_passages(reported))
        assert claim.get("stated_text", "") in reported
        if claim.get("stated_value") is not None:
            assert _number(claim["stated_text"]) == claim["stated_value"]
        return

    document = _document(shared_leaderboards, citation)
    raw = _document_bytes(shared_leaderboards, citation)
    location = claim["location"]
    assert "reported_text" not in claim
    if "section" in location:
        # A claim stated in prose: the quote is a verbatim sentence under that heading.
        assert claim["quote"].encode("utf-8") in raw
        heading = re.search(rf"^#+ +{re.escape(location['section'])}\s*$", document, re.M)
        assert heading and document.index(claim["quote"]) > heading.start()
        assert claim["stated_text"] in claim["quote"]
        assert _number(claim["stated_text"]) == claim["stated_value"]
        return

    _, cell = _cell(read_tables(document), location)
    assert cell == claim["stated_text"]
    _assert_quote_is_the_row_as_written(document, raw, claim)
    direction = (claim.get("conditions") or {}).get("direction")
    part = _direction_index(location["row"], direction) if direction else 0
    assert _number(cell, part) == claim["stated_value"]


@pytest.mark.parametrize(("citation", "figure"), FIGURES)
def test_each_reported_figure_matches_its_source(
    shared_leaderboards: Path, citation: dict[str, Any], figure: dict[str, Any]
) -> None:
    document = _document(shared_leaderboards, citation)
    _, cell = _cell(read_tables(document), figure["location"])
    assert cell == figure["value_text"]
    assert _number(cell) == figure["value"]
    _assert_quote_is_the_row_as_written(
        document, _document_bytes(shared_leaderboards, citation), figure
    )
    assert figure["subject_name"] == figure["location"]["column"]


@pytest.mark.parametrize(("citation", "record"), CLAIMS + FIGURES)
def test_every_quote_is_a_byte_range_of_its_cited_archived_document(
    shared_leaderboards: Path, citation: dict[str, Any], record: dict[str, Any]
) -> None:
    quote = record["quote"].encode("utf-8")
    if not citation.get("archived_name"):
        # Reporting with no stored copy: no archive to hold a range of, and nothing quoted as
        # the vendor's but words the reporting itself puts in quotation marks.
        assert citation["is_secondary"]
        assert not quote or any(
            record["quote"] in passage for passage in quoted_passages(record["reported_text"])
        )
        return
    raw = (FIXTURES_DIR / "documents" / citation["archived_name"]).read_bytes()
    assert quote and raw.count(quote) >= 1
    assert raw == _document_bytes(shared_leaderboards, citation)


def test_every_claim_file_is_covered_and_has_claims() -> None:
    assert len(CLAIMS) >= 60
    assert {CITATIONS[_yaml(p)["citation"]]["key"] for p in CLAIM_FILES} == set(CITATIONS)


def test_archived_documents_are_byte_identical_to_the_shared_originals(
    shared_leaderboards: Path,
) -> None:
    archived = [c["archived_name"] for c in CITATIONS.values() if c.get("archived_name")]
    assert archived
    for name in archived:
        ours = (FIXTURES_DIR / "documents" / name).read_bytes()
        assert ours == (shared_leaderboards / "vendor_claims" / name).read_bytes(), name
    assert sorted(p.name for p in (FIXTURES_DIR / "documents").iterdir()) == sorted(archived)


def test_citation_urls_and_commits_appear_in_sources_md(shared_leaderboards: Path) -> None:
    sources_md = (shared_leaderboards / "SOURCES.md").read_text(encoding="utf-8")
    for citation in CITATIONS.values():
        assert citation["url"] in sources_md, citation["key"]
        if citation.get("commit"):
            assert citation["commit"] in sources_md, citation["key"]
        if citation.get("primary_url"):
            assert citation["primary_url"] in sources_md, citation["key"]
        if citation.get("archived_name"):
            assert f"`vendor_claims/{citation['archived_name']}`" in sources_md or (
                f"`{citation['archived_name']}`" in sources_md
            ), citation["key"]


# SOURCES-batch3.md names the Every Eval Ever datastore ("see the repository's CONTRIBUTING.md")
# without its URL; CONTRIBUTING.md gives it. A source's live URL is the Hub's tree API listing
# of that datastore's folder of the leaderboard (releases/importers/eee_datastore.py).
EEE_DATASTORE = "https://huggingface.co/api/datasets/evaleval/EEE_datastore/tree/main/data/"
EEE_LISTING_QUERY = "?recursive=true"


def _manifest_raw_urls(shared_leaderboards: Path) -> set[str]:
    """Raw URLs of the batch-3 files at their snapshot commits (MANIFEST-batch3.jsonl)."""
    manifest = shared_leaderboards / "MANIFEST-batch3.jsonl"
    if not manifest.is_file():
        return set()
    entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    return {
        f"https://raw.githubusercontent.com/{e['repo']}/{e['snapshot_commit']}/{e['path']}"
        for e in entries
        if e.get("snapshot_commit") and e.get("byte_identical")
    }


def test_source_urls_appear_in_sources_md(shared_leaderboards: Path) -> None:
    sources_md = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (shared_leaderboards / "SOURCES.md", shared_leaderboards / "SOURCES-batch3.md")
        if path.is_file()
    )
    pinned = _manifest_raw_urls(shared_leaderboards)
    for source in _yaml(CURATED / "sources.yaml"):
        if source["live_url"] in pinned:
            continue  # no live URL given: the file at the commit the manifest names
        assert source["importer"] == source["slug"]
        if source["slug"].startswith("eee-"):
            leaderboard = (
                source["live_url"].removeprefix(EEE_DATASTORE).removesuffix(EEE_LISTING_QUERY)
            )
            assert source["live_url"].startswith(EEE_DATASTORE), source["slug"]
            assert source["live_url"].endswith(EEE_LISTING_QUERY), source["slug"]
            assert "Every Eval Ever datastore" in sources_md
            # The datastore's folder of this leaderboard, which the shared copy keeps.
            assert (shared_leaderboards / "eee" / "data" / leaderboard).is_dir(), source["slug"]
            continue
        # SOURCES.md gives the style-control URL as "the same with `<file name>`".
        base, file_name = source["live_url"].rsplit("/", 1)
        assert source["live_url"] in sources_md or (
            f"{base}/" in sources_md and f"the same with `{file_name}`" in sources_md
        ), source["slug"]
        if source.get("homepage_url"):
            assert source["homepage_url"] in sources_md, source["slug"]


def _leaderboard_texts() -> dict[str, str]:
    # SOURCES.md describes the files; an alias must be a name a data file itself uses.
    return {
        str(path.relative_to(FIXTURES_DIR)): path.read_text(encoding="utf-8")
        for path in sorted((FIXTURES_DIR / "leaderboards").rglob("*"))
        if path.is_file() and not path.name.startswith("SOURCES")
    }


def test_every_alias_name_appears_verbatim_in_a_leaderboard_file() -> None:
    texts = _leaderboard_texts()
    missing = [
        alias["name"]
        for alias in _yaml(CURATED / "aliases.yaml")
        if not any(alias["name"] in text for text in texts.values())
    ]
    assert missing == []


def test_the_llama_4_releases_match_the_model_card(shared_leaderboards: Path) -> None:
    """Parameters, context window and date are the card's model table and release line."""
    card = (shared_leaderboards / "vendor_claims" / "meta-llama4_MODEL_CARD.md").read_text()
    model_table = read_tables(card)[0]
    releases = {r["slug"]: r for r in _yaml(CURATED / "releases.yaml")}
    assert "**Model Release Date:** April 5, 2025" in card
    for slug, label in (
        ("llama-4-scout", "Llama 4 Scout (17Bx16E)"),
        ("llama-4-maverick", "Llama 4 Maverick (17Bx128E)"),
    ):
        row = next(r for r in model_table.rows if r[0] == label)
        params = row[model_table.header.index("Params")]
        active, total = re.fullmatch(r"(\d+)B \(Activated\) (\d+)B \(Total\)", params).groups()
        release = releases[slug]
        assert release["active_params_b"] == float(active)
        assert release["total_params_b"] == float(total)
        context = row[model_table.header.index("Context length")]
        assert release["context_window_tokens"] == _number(context)
        assert str(release["announced_on"]) == "2025-04-05"
        assert release["architecture"] == "moe"


def test_behemoth_has_no_figures() -> None:
    releases = {r["slug"]: r for r in _yaml(CURATED / "releases.yaml")}
    behemoth = releases["llama-4-behemoth"]
    for key in ("announced_on", "total_params_b", "active_params_b", "context_window_tokens"):
        assert behemoth[key] is None
    assert [v["is_public"] for v in behemoth["variants"]] == [False]
    claims = [param.values[1] for param in CLAIMS]
    assert [c for c in claims if c["release"] == "llama-4-behemoth"] == []
