"""`manage.py extract_claims` and the service behind it, on the real documents and the curated data:
drafts with their evidence, re-runs that write nothing, revisions of a changed card, refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from releases.curated.loading import curated_data_load, table_row_counts
from releases.management.commands.extract_claims import SUMMARY_KEYS, Command
from releases.models import Benchmark, Citation, Claim, ClaimRevision, ReportedFigure
from releases.services.claims import claim_discard_drafts
from tests.conftest import FIXTURES_DIR

LLAMA_CARD = FIXTURES_DIR / "documents" / "meta-llama4_MODEL_CARD.md"
DEEPSEEK_README = FIXTURES_DIR / "documents" / "deepseek-v3_README_evaluation.md"
LLAMA_URL = (
    "https://raw.githubusercontent.com/meta-llama/llama-models/main/models/llama4/MODEL_CARD.md"
)
# Another address for the same card: claims from it are new drafts, not the curated claims.
MIRROR_URL = (
    "https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct/raw/main/README.md"
)
LLAMA_4 = ("--release", "llama-4-scout", "--release", "llama-4-maverick")


def run(path: Path, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("extract_claims", str(path), *args, "--json", stdout=out)
    [line] = out.getvalue().splitlines()  # exactly one JSON object
    return json.loads(line)


def run_human(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("extract_claims", str(path), *args, stdout=out)
    return out.getvalue()


def edited_card(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = LLAMA_CARD.read_text()
    assert text.count(old) == count
    path = tmp_path / "MODEL_CARD.md"
    path.write_text(text.replace(old, new))
    return path


def test_the_card_against_the_curated_data_is_all_unchanged_and_writes_nothing(catalogue) -> None:
    before = table_row_counts()

    summary = run(LLAMA_CARD, *LLAMA_4)

    assert set(SUMMARY_KEYS) <= set(summary)
    assert list(summary)[: len(SUMMARY_KEYS)] == list(SUMMARY_KEYS)
    assert (summary["drafts"], summary["revised"]) == ([], [])
    assert len(summary["unchanged"]) == 42
    assert (summary["unreadable"], summary["unknown_benchmarks"]) == ([], [])
    assert summary["url"] == LLAMA_URL  # the URL these bytes are archived under
    assert summary["reported_figures"] == {"created": 0, "updated": 0, "unchanged": 18}
    assert table_row_counts() == before


def test_a_new_document_becomes_drafts_with_their_evidence(catalogue) -> None:
    summary = run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)

    citation = Citation.objects.get(url=MIRROR_URL)
    assert bytes(citation.archived_content) == LLAMA_CARD.read_bytes()
    assert citation.sha256 == summary["sha256"] == Citation.objects.get(url=LLAMA_URL).sha256
    assert len(summary["drafts"]) == 42
    drafts = Claim.objects.filter(citation=citation)
    assert set(drafts.values_list("status", flat=True)) == {Claim.Status.DRAFT}
    gpqa = drafts.get(variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond")
    assert (gpqa.stated_value, gpqa.stated_text) == (69.8, "69.8")
    assert gpqa.conditions == {"shots": 0, "metric": "accuracy"}
    assert gpqa.quote_readable == " | GPQA Diamond | 0 | accuracy | 50.5 | 49.0 | 57.2 | 69.8"
    archive = bytes(citation.archived_content)
    assert archive[gpqa.quote_start : gpqa.quote_end] == gpqa.quote.encode()
    assert gpqa.quote.startswith("<tr>") and gpqa.quote.endswith("<td>69.8</td>\n  </tr>")
    assert gpqa.location == "table 4, row 'GPQA Diamond', column 'Llama 4 Maverick'"
    base = drafts.get(variant__slug="llama-4-maverick-base", benchmark__slug="mmlu-pro")
    assert (base.stated_value, base.conditions) == (62.9, {"shots": 5, "metric": "macro_avg/em"})
    windows = drafts.filter(kind=Claim.Kind.CONTEXT_WINDOW).order_by("stated_value")
    assert [(c.release.slug, c.variant, c.stated_value) for c in windows] == [
        ("llama-4-maverick", None, 1_000_000),
        ("llama-4-scout", None, 10_000_000),
    ]
    figures = ReportedFigure.objects.filter(citation=citation)
    assert figures.count() == 18
    assert set(figures.values_list("subject_name", flat=True)) == {
        "Llama 3.1 70B",
        "Llama 3.1 405B",
        "Llama 3.3 70B",
    }
    assert set(figures.values_list("reported_by__slug", flat=True)) == {"meta"}
    # Meta's own Llama 3 releases: read as figures about them (as the curated figures of the
    # card are), not skipped as their claims.
    assert set(figures.values_list("subject_name", "subject_release__slug")) == {
        ("Llama 3.1 70B", "llama-3-1-70b"),
        ("Llama 3.1 405B", "llama-3-1-405b"),
        ("Llama 3.3 70B", "llama-3-3-70b"),
    }
    assert not [s for s in summary["skipped"] if "same vendor" in s["reason"]]
    assert not drafts.filter(location__contains="column 'Llama 3").exists()


def test_running_again_on_the_same_bytes_creates_nothing(catalogue) -> None:
    run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)
    before = table_row_counts()

    again = run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)

    assert table_row_counts() == before  # history tables included: not even a re-save
    assert (again["drafts"], again["revised"], len(again["unchanged"])) == ([], [], 42)
    assert again["reported_figures"] == {"created": 0, "updated": 0, "unchanged": 18}


def test_a_card_with_one_value_changed_gives_exactly_one_revision(catalogue, tmp_path) -> None:
    # The vendor edits Maverick's GPQA Diamond after launch; the curated claim is published.
    card = edited_card(tmp_path, "<td>69.8</td>", "<td>70.1</td>")
    claim = Claim.objects.get(
        variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond"
    )
    assert claim.status == Claim.Status.PUBLISHED
    old_citation = claim.citation

    summary = run(card, *LLAMA_4, "--url", LLAMA_URL)

    [revision] = ClaimRevision.objects.all()
    new_citation = Citation.objects.get(url=LLAMA_URL, sha256=summary["sha256"])
    assert (revision.claim_id, revision.field) == (claim.pk, "stated_value")
    assert (revision.old_value, revision.new_value) == (69.8, 70.1)
    assert (revision.old_citation, revision.new_citation) == (old_citation, new_citation)
    assert revision.detected_at is not None
    claim.refresh_from_db()
    assert (claim.stated_value, claim.stated_text, claim.citation) == (70.1, "70.1", new_citation)
    assert claim.status == Claim.Status.DRAFT  # a new number waits for review
    assert summary["previous_version_id"] == old_citation.pk
    assert [r["id"] for r in summary["revised"]] == [claim.pk]
    assert summary["revised"][0]["moved_to_draft"] is True
    assert (summary["drafts"], len(summary["unchanged"])) == ([], 41)
    # Neither the new version again nor the old one again changes anything.
    before = table_row_counts()
    run(card, *LLAMA_4, "--url", LLAMA_URL)
    run(LLAMA_CARD, *LLAMA_4, "--url", LLAMA_URL)
    assert table_row_counts() == before


def test_a_changed_condition_is_a_revision_of_the_same_claims(catalogue, tmp_path) -> None:
    # MMLU-Pro's shots, 5 -> 3, in the pre-trained table: Scout's and Maverick's claims change.
    card = edited_card(
        tmp_path, "<td>MMLU-Pro</td>\n    <td>5</td>", "<td>MMLU-Pro</td>\n    <td>3</td>"
    )

    summary = run(card, *LLAMA_4, "--url", LLAMA_URL)

    revisions = ClaimRevision.objects.order_by("claim__release__slug")
    assert [(r.claim.variant.slug, r.field) for r in revisions] == [
        ("llama-4-maverick-base", "conditions"),
        ("llama-4-scout-base", "conditions"),
    ]
    assert revisions[0].old_value == {"shots": 5, "metric": "macro_avg/em"}
    assert revisions[0].new_value == {"shots": 3, "metric": "macro_avg/em"}
    assert summary["drafts"] == []


def test_a_condition_an_analyst_added_is_not_taken_for_a_vendor_edit(catalogue, tmp_path) -> None:
    # The curated AlpacaEval claim adds a metric the README gives in prose, not in the table.
    # A later version changing another number must not report that metric as removed.
    readme = tmp_path / "README.md"
    text = DEEPSEEK_README.read_text()
    assert text.count("| 87.2 | **88.5** |") == 1
    readme.write_text(text.replace("| 87.2 | **88.5** |", "| 87.2 | **88.6** |"))
    url = "https://raw.githubusercontent.com/deepseek-ai/DeepSeek-V3/main/README.md"

    summary = run(readme, "--release", "deepseek-v3", "--url", url)

    [revision] = ClaimRevision.objects.all()
    assert (revision.claim.benchmark.slug, revision.field) == ("mmlu", "stated_value")
    assert (revision.old_value, revision.new_value) == (88.5, 88.6)
    alpaca = Claim.objects.get(benchmark__slug="alpacaeval-2", release__slug="deepseek-v3")
    assert alpaca.conditions == {"metric": "length-controlled win rate"}
    assert alpaca.status == Claim.Status.PUBLISHED
    assert (summary["drafts"], len(summary["revised"])) == ([], 1)


def test_an_analysts_edit_of_a_draft_survives_a_rerun(catalogue) -> None:
    run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)
    draft = Claim.objects.get(
        citation__url=MIRROR_URL, variant__slug="llama-4-scout-base", benchmark__slug="mmlu"
    )
    draft.conditions = {**draft.conditions, "precision": "bf16"}
    draft.save()

    again = run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)

    assert (again["drafts"], again["revised"]) == ([], [])
    draft.refresh_from_db()
    assert draft.conditions["precision"] == "bf16"


def test_a_discarded_draft_is_not_proposed_again(catalogue) -> None:
    run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)
    mtob = Claim.objects.filter(citation__url=MIRROR_URL, benchmark__slug="mtob")
    assert mtob.count() == 8
    claim_discard_drafts(claims=mtob, user=None)

    again = run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)

    assert again["drafts"] == []
    assert len(again["discarded"]) == 8
    assert not Claim.objects.filter(citation__url=MIRROR_URL, benchmark__slug="mtob").exists()


def test_the_deepseek_readme_gives_base_and_chat_drafts_and_no_architecture(catalogue) -> None:
    summary = run(
        DEEPSEEK_README, "--release", "deepseek-v3", "--url", "https://example.org/deepseek-v3.md"
    )

    drafts = Claim.objects.filter(citation__url="https://example.org/deepseek-v3.md")
    assert len(summary["drafts"]) == drafts.count() == 56
    assert drafts.get(variant__slug="deepseek-v3-base", benchmark__slug="bbh").conditions == {
        "shots": 3,
        "metric": "EM",
    }
    assert drafts.get(variant__slug="deepseek-v3-chat", benchmark__slug="mmlu").stated_value == 88.5
    quoted_rows = [q.split(" | ")[1] for q in drafts.values_list("quote", flat=True)]
    figure_rows = [
        q.split(" | ")[1]
        for q in ReportedFigure.objects.filter(citation__url="https://example.org/deepseek-v3.md")
        .values_list("quote", flat=True)
    ]  # fmt: skip
    architecture = {"Architecture", "# Activated Params", "# Total Params"}
    assert not architecture & set(quoted_rows + figure_rows)


def test_an_unknown_benchmark_is_reported_and_no_benchmark_is_invented(catalogue, tmp_path) -> None:
    card = tmp_path / "card.md"
    card.write_text(
        "### Instruction tuned models\n\n| Benchmark | Llama 4 Maverick |\n|---|---|\n"
        "| GPQA Diamond | 69.8 |\n| Humanity's Last Exam Plus | 12.3 |\n| MMLU Pro | 80.5±0.3 |\n"
    )
    benchmarks = Benchmark.objects.count()

    summary = run(card, "--release", "llama-4-maverick", "--url", "https://example.org/card.md")

    assert summary["unknown_benchmarks"] == [
        {"table": 1, "row": 2, "label": "Humanity's Last Exam Plus"}
    ]
    [unreadable] = summary["unreadable"]
    assert (unreadable["row"], unreadable["text"]) == (3, "80.5±0.3")
    assert [d["benchmark"] for d in summary["drafts"]] == ["gpqa-diamond"]
    assert Benchmark.objects.count() == benchmarks


def test_the_human_summary_says_what_to_do_next(catalogue) -> None:
    out = run_human(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)

    citation = Citation.objects.get(url=MIRROR_URL)
    assert "42 new drafts, 0 unchanged, 0 revised" in out
    assert "Review the 42 drafts" in out
    assert f"/admin/releases/claim/?citation__id__exact={citation.pk}&status__exact=draft" in out
    assert "Nothing is published until you do" in out


def test_without_url_a_new_document_gets_a_file_url(catalogue, tmp_path) -> None:
    card = edited_card(tmp_path, "<td>69.8</td>", "<td>70.1</td>")

    summary = run(card, "--release", "llama-4-maverick")

    assert summary["url"] == card.resolve().as_uri()
    assert "--url" in run_human(card, "--release", "llama-4-maverick")


def test_a_document_without_a_table_exits_non_zero_and_writes_nothing(
    catalogue, tmp_path, monkeypatch
) -> None:
    # run_from_argv closes the database connections when it ends; the test still needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    prose = tmp_path / "blog.md"
    prose.write_text("# Llama 4\n\nLlama 4 Maverick scores 69.8 on GPQA Diamond.\n")
    before = table_row_counts()

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "extract_claims", str(prose), *LLAMA_4])

    assert exit_info.value.code != 0
    with pytest.raises(CommandError, match=r"no table found.*nothing was written"):
        run(prose, *LLAMA_4)
    assert table_row_counts() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--release", "deepseek-v3"), "none of the 5 tables names 'DeepSeek-V3'"),
        (("--release", "no-such-model"), "no release with slug 'no-such-model'"),
        (("--release", "llama-4-scout", "--release", "deepseek-v3"), "different vendors"),
        ((*LLAMA_4, "--url", "not a url"), "is not an http"),
    ],
)
def test_bad_input_is_a_clear_error_that_writes_nothing(catalogue, args, message) -> None:
    before = table_row_counts()

    with pytest.raises(CommandError, match=message):
        run(LLAMA_CARD, *args)

    assert table_row_counts() == before


def test_a_missing_file_is_a_clear_error(catalogue, tmp_path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.md", *LLAMA_4)


def test_an_older_version_of_the_card_only_adds_history(catalogue, tmp_path) -> None:
    # The first version of the card, read after the current one: it gave GPQA Diamond another
    # figure and MMLU-Pro other shots. It dates itself before the current version.
    older = edited_card(tmp_path, "<td>69.8</td>", "<td>68.1</td>")
    text = older.read_text().replace(
        "<td>MMLU-Pro</td>\n    <td>5</td>", "<td>MMLU-Pro</td>\n    <td>3</td>"
    )
    older.write_text(text)
    current = Citation.objects.get(url=LLAMA_URL)
    published = set(
        Claim.objects.filter(status=Claim.Status.PUBLISHED).values_list(
            "pk", "stated_value", "conditions_key", "citation_id"
        )
    )

    summary = run(older, *LLAMA_4, "--url", LLAMA_URL, "--published-on", "2025-04-04")

    # Nothing moved back to draft, nothing took the older figures or citation.
    assert (
        set(
            Claim.objects.filter(status=Claim.Status.PUBLISHED).values_list(
                "pk", "stated_value", "conditions_key", "citation_id"
            )
        )
        == published
    )
    assert not Claim.objects.filter(status=Claim.Status.DRAFT).exists()
    assert (summary["drafts"], summary["revised"]) == ([], [])
    assert summary["newer_version_id"] == current.pk and summary["previous_version_id"] is None
    # What the older version said is history: from it, to the version the claim cites.
    first = Citation.objects.get(url=LLAMA_URL, sha256=summary["sha256"])
    revisions = {
        (
            r.claim.variant.slug if r.claim.variant else None,
            r.claim.benchmark.slug,
            r.field,
            json.dumps(r.old_value, sort_keys=True),
            json.dumps(r.new_value, sort_keys=True),
        )
        for r in ClaimRevision.objects.all()
    }
    assert revisions == {
        ("llama-4-maverick-instruct", "gpqa-diamond", "stated_value", "68.1", "69.8"),
        (
            "llama-4-scout-base",
            "mmlu-pro",
            "conditions",
            '{"metric": "macro_avg/em", "shots": 3}',
            '{"metric": "macro_avg/em", "shots": 5}',
        ),
        (
            "llama-4-maverick-base",
            "mmlu-pro",
            "conditions",
            '{"metric": "macro_avg/em", "shots": 3}',
            '{"metric": "macro_avg/em", "shots": 5}',
        ),
    }
    assert {(r.old_citation_id, r.new_citation_id) for r in ClaimRevision.objects.all()} == {
        (first.pk, current.pk)
    }
    assert len(summary["history"]) == 3
    # Reading the older version again changes nothing.
    before = table_row_counts()
    run(older, *LLAMA_4, "--url", LLAMA_URL, "--published-on", "2025-04-04")
    assert table_row_counts() == before


def test_a_version_dated_later_is_newer_whenever_it_was_read(catalogue, tmp_path) -> None:
    card = edited_card(tmp_path, "<td>69.8</td>", "<td>70.1</td>")

    summary = run(card, *LLAMA_4, "--url", LLAMA_URL, "--published-on", "2025-05-01")

    [revised] = summary["revised"]
    assert revised["moved_to_draft"] is True
    assert (
        summary["previous_version_id"]
        == Citation.objects.get(url=LLAMA_URL, published_on="2025-04-05").pk
    )


def test_after_an_older_version_and_an_analysts_edit_reloading_duplicates_nothing(
    catalogue, tmp_path
) -> None:
    # Load, edit conditions, extract an older card version, load again.
    mmlu = Claim.objects.get(variant__slug="llama-4-scout-base", benchmark__slug="mmlu")
    mmlu.conditions = {**mmlu.conditions, "precision": "bf16"}  # the card says so in prose
    mmlu.save()
    older = edited_card(tmp_path, "<td>69.8</td>", "<td>68.1</td>")
    run(older, *LLAMA_4, "--url", LLAMA_URL, "--published-on", "2025-04-04")
    claims = Claim.objects.count()

    summary = curated_data_load(fixtures_dir=FIXTURES_DIR)

    assert Claim.objects.count() == claims
    assert summary.counts["Claim"].created == 0
    assert not Claim.objects.filter(status=Claim.Status.DRAFT).exists()
    mmlu.refresh_from_db()
    assert mmlu.conditions["precision"] == "bf16"  # the analyst's edit stands
    assert mmlu.status == Claim.Status.PUBLISHED


def test_a_document_over_the_drafts_cap_writes_nothing(catalogue, tmp_path, monkeypatch) -> None:
    from releases.services import claim_extraction

    monkeypatch.setattr(claim_extraction, "MAX_DRAFTS_PER_DOCUMENT", 3)
    before = table_row_counts()
    with pytest.raises(CommandError, match=r"over the cap of 3 per document; nothing was written"):
        run(LLAMA_CARD, *LLAMA_4, "--url", MIRROR_URL)
    assert table_row_counts() == before


def test_a_table_bomb_is_a_clear_error_that_writes_nothing(catalogue, tmp_path) -> None:
    bomb = tmp_path / "bomb.md"
    bomb.write_text(
        "# Llama 4 Maverick\n<table>"
        + "<tr><td colspan='1000'>Llama 4 Maverick</td></tr>" * 300
        + "</table>\n"
    )
    before = table_row_counts()
    with pytest.raises(CommandError, match=r"more than 200,000 cells; nothing was written"):
        run(bomb, *LLAMA_4)
    assert table_row_counts() == before
