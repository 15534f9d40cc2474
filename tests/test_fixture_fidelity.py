"""The curated fixtures say what their sources say, character for character.

Every claim is checked against the document it cites, read from the team's read-only copy in
shared/leaderboards/: the cell at (table, row, column) must be the stated text, the number in it
the stated value, and the quote the row's cells joined by " | ". Claims known only from reporting
must quote SOURCES.md verbatim. Aliases must be names a leaderboard file really uses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from releases.documents.tables import Table, read_tables
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


def _cell(tables: list[Table], location: dict[str, Any]) -> tuple[tuple[str, ...], str]:
    """The row whose cells include the row label (exactly one), and its cell in the column."""
    table = tables[location["table"] - 1]
    rows = [row for row in table.rows if location["row"] in row]
    assert len(rows) == 1, f"{len(rows)} rows labelled {location['row']!r} in table {table.index}"
    assert table.header.count(location["column"]) == 1, f"column {location['column']!r}"
    column = table.header.index(location["column"])
    return rows[0], rows[0][column]


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
        sources_md = (shared_leaderboards / "SOURCES.md").read_text(encoding="utf-8")
        assert claim["quote"] in sources_md
        assert claim.get("stated_text", "") in claim["quote"]
        if claim.get("stated_value") is not None:
            assert _number(claim["stated_text"]) == claim["stated_value"]
        return

    document = _document(shared_leaderboards, citation)
    location = claim["location"]
    if "section" in location:
        # A claim stated in prose: the quote is a verbatim sentence under that heading.
        assert claim["quote"] in document
        heading = re.search(rf"^#+ +{re.escape(location['section'])}\s*$", document, re.M)
        assert heading and document.index(claim["quote"]) > heading.start()
        assert claim["stated_text"] in claim["quote"]
        assert _number(claim["stated_text"]) == claim["stated_value"]
        return

    row, cell = _cell(read_tables(document), location)
    assert cell == claim["stated_text"]
    assert claim["quote"] == " | ".join(row)
    direction = (claim.get("conditions") or {}).get("direction")
    part = _direction_index(location["row"], direction) if direction else 0
    assert _number(cell, part) == claim["stated_value"]


@pytest.mark.parametrize(("citation", "figure"), FIGURES)
def test_each_reported_figure_matches_its_source(
    shared_leaderboards: Path, citation: dict[str, Any], figure: dict[str, Any]
) -> None:
    row, cell = _cell(read_tables(_document(shared_leaderboards, citation)), figure["location"])
    assert cell == figure["value_text"]
    assert _number(cell) == figure["value"]
    assert figure["quote"] == " | ".join(row)
    assert figure["subject_name"] == figure["location"]["column"]


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
