"""Loading the curated data: idempotent, complete, and all-or-nothing on bad data."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from releases.curated.loading import curated_data_load
from releases.curated.reading import CuratedDataError
from releases.models import (
    Benchmark,
    BenchmarkAlias,
    Citation,
    Claim,
    GapScore,
    LeaderboardSource,
    ModelAlias,
    ModelRelease,
    ModelVariant,
    ReportedFigure,
)
from releases.names import normalize_name
from releases.services.gap_scores import gap_scores_recompute
from tests.conftest import FIXTURES_DIR, embedded_env, run_django, sqlite_copy

IMPORTER_BENCHMARKS = {
    "lmarena-text": ("elo", True, None, None),
    "lmarena-text-rank": ("rank", False, 1, None),
    "aider-polyglot": ("percent", True, 0, 100),
    "aider-edit": ("percent", True, 0, 100),
    "swe-bench-verified": ("percent", True, 0, 100),
    "swe-bench-lite": ("percent", True, 0, 100),
    "swe-bench-bash-only": ("percent", True, 0, 100),
    "swe-bench-test": ("percent", True, 0, 100),
    "swe-bench-multimodal": ("percent", True, 0, 100),
    "livebench": ("percent", True, 0, 100),
    "gpqa-diamond": ("percent", True, 0, 100),
    "fiction-livebench": ("percent", True, 0, 100),
    "nolima": ("percent", True, 0, 100),
    "nolima-hard": ("percent", True, 0, 100),
    "nolima-effective-length": ("tokens", True, 0, None),
    "epoch-capabilities-index": ("score", True, None, None),
    "context-window": ("tokens", True, 1, None),
}
SOURCE_SLUGS = {
    "lmarena-text",
    "lmarena-text-style-control",
    "aider-polyglot",
    "aider-edit",
    "swebench",
    "livebench",
    "epoch",
    "nolima",
    # Batch 3 (importers-a): one source per Every Eval Ever leaderboard, Swallow, ZeroEval.
    "eee-helm-capabilities",
    "eee-helm-mmlu",
    "eee-helm-lite",
    "eee-hfopenllm-v2",
    "swallow",
    "zeroeval",
    # Batch 3 (issue 14, importers-b).
    "evalplus",
    "ruler",
    "livecodebench",
    "vals",
}


def row_counts() -> dict[str, int]:
    """Rows in every table of the app, history and m2m tables included."""
    models = apps.get_app_config("releases").get_models(include_auto_created=True)
    return {model._meta.label: model._default_manager.count() for model in models}


def copy_fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR / "curated", target / "curated")
    shutil.copytree(FIXTURES_DIR / "documents", target / "documents")
    return target


def edit_yaml(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def loaded(db) -> None:
    curated_data_load(fixtures_dir=FIXTURES_DIR)


# --- Idempotence ---------------------------------------------------------------------------


def test_loading_twice_creates_no_rows_and_no_history(db) -> None:
    first = curated_data_load(fixtures_dir=FIXTURES_DIR)
    after_first = row_counts()
    second = curated_data_load(fixtures_dir=FIXTURES_DIR)

    assert first.changed
    assert not second.changed
    assert all(c.created == 0 and c.updated == 0 for c in second.counts.values())
    assert row_counts() == after_first
    # The history tables are part of the comparison, and they were written the first time.
    assert after_first["releases.HistoricalClaim"] >= after_first["releases.Claim"] > 0
    assert second.counts["Claim"].unchanged == after_first["releases.Claim"]


def test_an_edited_field_is_updated_in_place_with_one_history_record(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)
    curated_data_load(fixtures_dir=fixtures)
    before = row_counts()

    def rename(content: list[dict]) -> None:
        content[0]["name"] = "Meta Platforms"

    edit_yaml(fixtures / "curated" / "vendors.yaml", rename)
    summary = curated_data_load(fixtures_dir=fixtures)

    assert summary.counts["Vendor"].updated == 1
    assert sum(c.created + c.updated for c in summary.counts.values()) == 1
    after = row_counts()
    assert after["releases.Vendor"] == before["releases.Vendor"]
    assert after["releases.HistoricalVendor"] == before["releases.HistoricalVendor"] + 1


def test_a_reload_applies_the_curators_edits_and_keeps_everyone_elses(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)
    curated_data_load(fixtures_dir=fixtures)
    gpqa = Claim.objects.get(
        variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond"
    )
    # An analyst adds a condition; an extraction of a newer card version revises the figure
    # (new value, back to draft for review).
    Claim.objects.filter(pk=gpqa.pk).update(
        conditions={**gpqa.conditions, "precision": "bf16"}, stated_value=70.1, status="draft"
    )

    def edit_notes(content: dict) -> None:
        [entry] = [c for c in content["claims"] if c["key"] == gpqa.curated_key]
        entry["notes"] = "Checked against the card again."

    edit_yaml(fixtures / "curated" / "claims" / "meta-llama4-model-card.yaml", edit_notes)
    count = Claim.objects.count()

    summary = curated_data_load(fixtures_dir=fixtures)

    gpqa.refresh_from_db()
    assert gpqa.notes == "Checked against the card again."  # the curator's edit
    assert gpqa.conditions["precision"] == "bf16"  # the analyst's edit stands
    assert (gpqa.stated_value, gpqa.status) == (70.1, Claim.Status.DRAFT)  # so does the revision
    assert Claim.objects.count() == count
    assert (summary.counts["Claim"].created, summary.counts["Claim"].updated) == (0, 1)
    assert not curated_data_load(fixtures_dir=fixtures).changed


def test_a_figure_read_from_a_newer_version_is_not_added_back(loaded) -> None:
    # extract_claims moved a Llama 3 figure to a newer version of the card (the vendor changed
    # it); loading the YAML again must not add the old figure back beside it.
    card = Citation.objects.get(sha256=arena_card_sha())
    newer = Citation(url=card.url, title=card.title, publisher=card.publisher)
    newer.archive(b"a later version of the card")
    newer.save()
    figure = ReportedFigure.objects.filter(citation=card).order_by("pk").first()
    ReportedFigure.objects.filter(pk=figure.pk).update(citation=newer, value=figure.value + 1)
    figures = ReportedFigure.objects.count()

    summary = curated_data_load(fixtures_dir=FIXTURES_DIR)

    assert ReportedFigure.objects.count() == figures
    assert not summary.changed
    figure.refresh_from_db()
    assert figure.citation == newer


def test_claims_loaded_before_keys_existed_are_found_once_and_keyed(loaded) -> None:
    keys = dict(Claim.objects.values_list("pk", "curated_key"))
    assert all(keys.values()) and len(set(keys.values())) == len(keys)
    Claim.objects.update(curated_key="", curated_values=None)

    summary = curated_data_load(fixtures_dir=FIXTURES_DIR)

    assert summary.counts["Claim"].created == 0
    assert dict(Claim.objects.values_list("pk", "curated_key")) == keys


def test_a_duplicate_claim_key_is_refused(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def same_key(content: dict) -> None:
        content["claims"][1]["key"] = content["claims"][0]["key"]

    edit_yaml(fixtures / "curated" / "claims" / "deepseek-r1-readme.yaml", same_key)

    with pytest.raises(
        CuratedDataError, match=r"deepseek-r1-readme\.yaml, claims, record 2 .*duplicate Claim key"
    ):
        curated_data_load(fixtures_dir=fixtures)


# --- What is loaded -----------------------------------------------------------------------


def test_at_least_60_published_claims_each_with_citation_and_quote(loaded) -> None:
    published = Claim.objects.filter(status=Claim.Status.PUBLISHED)

    assert published.count() >= 60
    assert published.count() == Claim.objects.count()
    assert not published.filter(citation__isnull=True).exists()
    # Only a claim known from reporting may quote nothing as the vendor's (the reporting
    # quoted nothing); it then rests on the reporting's own words.
    assert not published.filter(quote="", reported_text="").exists()
    assert set(published.filter(quote="").values_list("citation__is_secondary", flat=True)) == {
        True
    }


def test_every_importer_benchmark_exists_with_its_unit_and_bounds(loaded) -> None:
    for slug, (unit, higher_is_better, low, high) in IMPORTER_BENCHMARKS.items():
        benchmark = Benchmark.objects.get(slug=slug)
        assert (benchmark.unit, benchmark.higher_is_better) == (unit, higher_is_better), slug
        assert (benchmark.min_value, benchmark.max_value) == (low, high), slug
    assert Benchmark.objects.count() >= 25
    for benchmark in Benchmark.objects.filter(unit=Benchmark.Unit.PERCENT):
        assert (benchmark.min_value, benchmark.max_value) == (0, 100), benchmark.slug


def test_benchmark_aliases_resolve_the_spellings_documents_use(loaded) -> None:
    def resolve(name: str) -> str:
        return BenchmarkAlias.objects.get(normalized_name=normalize_name(name)).benchmark.slug

    assert resolve("MMLU Pro") == "mmlu-pro"
    assert resolve("MMLU-Pro (EM)") == "mmlu-pro"
    assert resolve("GPQA-Diamond (Pass@1)") == "gpqa-diamond"
    assert resolve("gpqa diamond") == "gpqa-diamond"
    # Leaderboard-qualified titles from benchmark_aliases.yaml: HELM's GPQA is GPQA main.
    assert resolve("helm_capabilities/GPQA") == "gpqa-main"
    assert resolve("helm_capabilities/MMLU-Pro") == "mmlu-pro"
    assert resolve("swallow/en_post/MIFEvalJa") == "ifbench"


def test_one_source_per_importer(loaded) -> None:
    sources = LeaderboardSource.objects.all()

    assert {s.slug for s in sources} == SOURCE_SLUGS
    assert all(s.importer == s.slug and s.live_url and s.evaluator for s in sources)


def test_related_benchmarks_name_the_benchmark_and_how_they_differ(loaded) -> None:
    related = {
        b.slug: (b.related_to.slug, b.get_relation_display())
        for b in Benchmark.objects.filter(related_to__isnull=False).select_related("related_to")
    }
    assert related["gpqa-main"] == ("gpqa-diamond", "different question subset")
    assert related["math-level-5"] == ("math", "harder subset")
    assert related["mmlu-redux"] == ("mmlu", "verified re-grading")
    assert related["simpleqa-verified"] == ("simpleqa", "verified re-grading")
    assert related["mmlu-prox-ja"] == ("mmlu-pro", "different language")
    assert related["humaneval-plus"] == ("humaneval", "stricter tests")
    # The benchmarks vendors quote are not marked related to anything.
    assert not {"gpqa-diamond", "math", "mmlu", "mmlu-pro", "humaneval", "mgsm"} & set(related)


def test_a_relation_must_name_a_known_benchmark(tmp_path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def relate_to_unknown(benchmarks) -> None:  # type: ignore[no-untyped-def]
        next(b for b in benchmarks if b["slug"] == "gpqa-main")["related_to"] = "gpqa-platinum"

    edit_yaml(fixtures / "curated" / "benchmarks.yaml", relate_to_unknown)
    with pytest.raises(CuratedDataError, match="gpqa-platinum"):
        curated_data_load(fixtures_dir=fixtures)


def test_the_llama_4_family_is_modelled_as_the_card_states_it(loaded) -> None:
    maverick = ModelRelease.objects.get(slug="llama-4-maverick")
    scout = ModelRelease.objects.get(slug="llama-4-scout")

    assert (maverick.active_params_b, maverick.total_params_b) == (17, 400)
    assert (scout.active_params_b, scout.total_params_b) == (17, 109)
    assert (maverick.context_window_tokens, scout.context_window_tokens) == (1_000_000, 10_000_000)
    assert str(maverick.announced_on) == "2025-04-05"
    kinds = {v.slug: (v.kind, v.is_public) for v in maverick.variants.all()}
    assert kinds == {
        "llama-4-maverick-base": ("base", True),
        "llama-4-maverick-instruct": ("instruct", True),
        "llama-4-maverick-experimental": ("experimental", False),
    }
    behemoth = ModelRelease.objects.get(slug="llama-4-behemoth")
    assert behemoth.total_params_b is None and not behemoth.claims.exists()
    assert not behemoth.variants.filter(is_public=True).exists()


def test_leaderboard_names_resolve_to_the_right_variant(loaded) -> None:
    def variant_of(name: str) -> str:
        return ModelAlias.objects.get(
            normalized_name=normalize_name(name), source__isnull=True
        ).variant.slug

    for name in (
        "Llama 4 Maverick",
        "llama-4-maverick-17b-128e-instruct",
        "Llama-4-Maverick-17B-128E-Instruct",
        "llama4-maverick-instruct-basic",
        "Llama-4-Maverick-17B-128E-Instruct-FP8",
        "chutes/Llama-4-Maverick-17B-128E-Instruct",
        "llama-4-maverick-instruct",
    ):
        assert variant_of(name) == "llama-4-maverick-instruct", name
    assert variant_of("llama-4-maverick-03-26-experimental") == "llama-4-maverick-experimental"
    for name in (
        "llama-4-scout-17b-16e-instruct",
        "Llama-4-Scout-17B-16E-Instruct",
        "chutes/Llama-4-Scout-17B-16E Instruct",
        "llama-4-scout-instruct",
    ):
        assert variant_of(name) == "llama-4-scout-instruct", name


def test_the_arena_claim_is_attributed_to_the_experimental_variant(loaded) -> None:
    claim = Claim.objects.get(kind=Claim.Kind.ARENA_RATING, release__slug="llama-4-maverick")

    assert claim.variant.slug == "llama-4-maverick-experimental"
    assert claim.benchmark.slug == "lmarena-text"
    assert (claim.stated_text, claim.stated_value) == ("1417", 1417)
    assert claim.citation.is_secondary
    assert claim.citation.primary_url == "https://ai.meta.com/blog/llama-4-multimodal-intelligence/"
    assert claim.citation.sha256 == ""


def test_a_claim_known_from_reporting_quotes_only_the_vendors_quoted_words(loaded) -> None:
    arena = Claim.objects.get(kind=Claim.Kind.ARENA_RATING, release__slug="llama-4-maverick")
    comparison = Claim.objects.get(kind=Claim.Kind.COMPARISON, release__slug="llama-4-maverick")

    # The Verge's sentence about 1417 quotes none of Meta's words: nothing is quoted as Meta's.
    assert arena.quote == ""
    assert arena.reported_text.startswith("In Meta's press release, the company highlighted")
    assert "1417" in arena.reported_text
    assert comparison.reported_text.startswith("a mid-size model that the company claims")
    assert comparison.quote in comparison.reported_text
    for claim in (arena, comparison):
        citation = claim.citation
        assert (
            citation.url
            == "https://www.theverge.com/meta/645012/meta-llama-4-maverick-benchmarks-gaming"
        )
        assert citation.reported_by == "The Verge"
        assert not citation.has_archived_copy and citation.archived_content is None
        assert (claim.quote_start, claim.quote_end) == (None, None)
    assert Citation.objects.get(sha256=arena_card_sha()).reported_by == ""


def test_the_sentence_of_a_reported_claim_says_who_reported_it(loaded) -> None:
    arena = Claim.objects.get(kind=Claim.Kind.ARENA_RATING, release__slug="llama-4-maverick")

    gap_scores_recompute(claim_ids=[arena.pk], as_of=dt.date(2026, 11, 23))

    score = GapScore.objects.get(claim=arena, is_current=True)
    assert score.explanation.startswith("Meta, as reported by The Verge, claimed 1417 on ")


def test_every_stored_quote_is_a_byte_range_of_its_archived_document(loaded) -> None:
    checked = 0
    for model in (Claim, ReportedFigure):
        for row in model.objects.exclude(citation__sha256="").select_related("citation"):
            archive = bytes(row.citation.archived_content)
            assert archive[row.quote_start : row.quote_end] == row.quote.encode("utf-8"), row.pk
            assert row.quote_readable and "<" not in row.quote_readable.replace("->", "")
            checked += 1
    assert checked == (
        Claim.objects.exclude(citation__sha256="").count()
        + ReportedFigure.objects.exclude(citation__sha256="").count()
    )
    assert checked >= 160
    maverick = Claim.objects.get(release__slug="llama-4-maverick", kind=Claim.Kind.CONTEXT_WINDOW)
    # A spanning cell is in the quote once, where the card writes it (in Scout's row), and
    # repeated in the rendering beside each row it spans.
    assert "A mix of publicly available" not in maverick.quote
    assert "A mix of publicly available" in maverick.quote_readable
    assert "Learn more in our Privacy Center." in maverick.quote_readable


def arena_card_sha() -> str:
    return hashlib.sha256(
        (FIXTURES_DIR / "documents" / "meta-llama4_MODEL_CARD.md").read_bytes()
    ).hexdigest()


def test_the_comparison_claim_names_both_rivals(loaded) -> None:
    claim = Claim.objects.get(kind=Claim.Kind.COMPARISON, release__slug="llama-4-maverick")

    assert set(claim.compared_with.values_list("slug", flat=True)) == {"gpt-4o", "gemini-2-0-flash"}
    assert claim.quote == "across a broad range of widely reported benchmarks"


def test_claims_carry_a_readable_location_and_archived_evidence(loaded) -> None:
    claim = Claim.objects.get(
        variant__slug="llama-4-maverick-instruct", benchmark__slug="gpqa-diamond"
    )

    assert claim.location == "table 4, row 'GPQA Diamond', column 'Llama 4 Maverick'"
    assert claim.conditions == {"shots": 0, "metric": "accuracy"}
    card = (FIXTURES_DIR / "documents" / "meta-llama4_MODEL_CARD.md").read_bytes()
    assert bytes(claim.citation.archived_content) == card
    assert len(claim.citation.sha256) == 64
    mtob = Claim.objects.filter(variant__slug="llama-4-scout-instruct", benchmark__slug="mtob")
    assert {(c.conditions["book"], c.conditions["direction"], c.stated_value) for c in mtob} == {
        ("half book", "eng->kgv", 42.2),
        ("half book", "kgv->eng", 36.6),
        ("full book", "eng->kgv", 39.7),
        ("full book", "kgv->eng", 36.3),
    }
    assert Citation.objects.filter(is_secondary=False).exclude(sha256="").count() == 7


# --- Bad data -------------------------------------------------------------------------------


def test_a_missing_key_names_the_file_and_record_and_writes_nothing(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)
    edit_yaml(
        fixtures / "curated" / "claims" / "deepseek-r1-readme.yaml",
        lambda content: content["claims"][2].pop("stated_value"),
    )

    with pytest.raises(CuratedDataError) as error:
        curated_data_load(fixtures_dir=fixtures)

    message = str(error.value)
    assert "claims/deepseek-r1-readme.yaml" in message
    assert "record 3" in message
    assert "stated_value" in message
    assert set(row_counts().values()) == {0}


def test_an_unknown_slug_is_named(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def break_benchmark(content: dict) -> None:
        content["claims"][0]["benchmark"] = "no-such-benchmark"

    edit_yaml(fixtures / "curated" / "claims" / "qwen2-5-blog.yaml", break_benchmark)

    with pytest.raises(
        CuratedDataError, match=r"qwen2-5-blog\.yaml.*record 1.*'no-such-benchmark'"
    ):
        curated_data_load(fixtures_dir=fixtures)


def test_a_variant_of_another_release_is_refused(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def wrong_variant(content: dict) -> None:
        content["claims"][0]["variant"] = "llama-4-scout-instruct"

    edit_yaml(fixtures / "curated" / "claims" / "deepseek-r1-readme.yaml", wrong_variant)

    with pytest.raises(CuratedDataError, match="belongs to release 'llama-4-scout'"):
        curated_data_load(fixtures_dir=fixtures)
    assert not Claim.objects.exists()


def test_a_failure_while_writing_rolls_back_everything_already_written(db, tmp_path: Path) -> None:
    # Two vendors with one name pass the YAML checks but break a database constraint, after
    # the loader has already written rows: the transaction must leave none of them.
    fixtures = copy_fixtures(tmp_path)
    edit_yaml(
        fixtures / "curated" / "vendors.yaml",
        lambda content: content.append({"slug": "meta-again", "name": "Meta"}),
    )

    with pytest.raises(CuratedDataError, match=r"vendors\.yaml, record 9 \(meta-again\)"):
        curated_data_load(fixtures_dir=fixtures)
    assert set(row_counts().values()) == {0}


def test_a_quote_that_is_not_the_documents_row_is_refused(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def from_memory(content: dict) -> None:
        # The row's cells joined, as quotes were once written: not what the card says.
        content["claims"][2]["quote"] = "MMLU | 5 | macro_avg/acc_char | 79.3 | 85.2 | 79.6 | 85.5"

    edit_yaml(fixtures / "curated" / "claims" / "meta-llama4-model-card.yaml", from_memory)

    with pytest.raises(
        CuratedDataError,
        match=r"meta-llama4-model-card\.yaml, claims, record 3 .*: quote is not row 'MMLU' of "
        r"table 3 as the document writes it",
    ):
        curated_data_load(fixtures_dir=fixtures)
    assert not Claim.objects.exists()


def test_reporting_words_are_not_quoted_as_the_vendors(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def vendor_words(content: dict) -> None:
        content["claims"][0]["quote"] = "Maverick's ELO score of 1417"

    edit_yaml(fixtures / "curated" / "claims" / "verge-llama4-reporting.yaml", vendor_words)

    with pytest.raises(CuratedDataError, match=r"verge-llama4-reporting\.yaml, claims, record 1"):
        curated_data_load(fixtures_dir=fixtures)


def test_a_value_outside_its_benchmark_bounds_is_refused(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)

    def too_high(content: dict) -> None:
        content["claims"][0]["stated_value"] = 123.0

    edit_yaml(fixtures / "curated" / "claims" / "deepseek-r1-readme.yaml", too_high)

    with pytest.raises(CuratedDataError, match="outside the benchmark's bounds"):
        curated_data_load(fixtures_dir=fixtures)


# --- The command ---------------------------------------------------------------------------


def test_the_command_prints_progress_and_a_summary(db) -> None:
    out = StringIO()

    call_command("load_curated", stdout=out)

    text = out.getvalue()
    assert "claims/meta-llama4-model-card.yaml: 42 claims" in text
    assert "Claim" in text and "created" in text


def test_the_command_prints_json_counts(db) -> None:
    out, err = StringIO(), StringIO()

    call_command("load_curated", "--json", stdout=out, stderr=err)

    result = json.loads(out.getvalue())
    assert result["counts"]["Claim"]["created"] == Claim.objects.count()
    assert result["rows"]["releases.ModelVariant"] == ModelVariant.objects.count()
    assert "vendors.yaml" in err.getvalue()


def test_the_command_fails_with_the_message_on_bad_data(db, tmp_path: Path) -> None:
    fixtures = copy_fixtures(tmp_path)
    edit_yaml(fixtures / "curated" / "vendors.yaml", lambda content: content[0].pop("name"))

    with pytest.raises(CommandError, match=r"vendors\.yaml, record 1 \(meta\): missing key 'name'"):
        call_command("load_curated", "--fixtures-dir", str(fixtures), stdout=StringIO())


# --- SQLite, in a subprocess ------------------------------------------------------------------


@pytest.mark.integration
def test_load_curated_is_idempotent_on_sqlite(tmp_path: Path, migrated_sqlite: Path) -> None:
    database = sqlite_copy(migrated_sqlite, tmp_path)  # migrated, empty
    env = embedded_env(database)

    def manage(*args: str) -> str:
        return run_django(env, "manage.py", *args)

    first = json.loads(manage("load_curated", "--json"))
    second = json.loads(manage("load_curated", "--json"))

    assert first["counts"]["Claim"]["created"] >= 60
    assert all(c["created"] == 0 and c["updated"] == 0 for c in second["counts"].values())
    assert second["rows"] == first["rows"]
    assert database.stat().st_size > 0
