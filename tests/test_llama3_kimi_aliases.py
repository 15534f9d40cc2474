"""Llama 3.x and Kimi K2 names on the bundled leaderboards (issue 14, point 5): after the bundled
import, every curated spelling resolves to the checkpoint it names, serving suffixes and
provider prefixes included, and the names that are another model, or not provably this one,
stay unresolved."""

from __future__ import annotations

import pytest
import yaml

from releases.models import Measurement, ModelAlias, ReportedFigure
from tests.conftest import FIXTURES_DIR

NEW_RELEASES = {"llama-3-1-8b", "llama-3-1-70b", "llama-3-1-405b", "llama-3-3-70b", "kimi-k2"}


def _variants(source: str, raw_name: str) -> set[str | None]:
    rows = Measurement.objects.filter(raw_model_name=raw_name, source__slug=source)
    assert rows.exists(), f"no {source} measurement of {raw_name!r}"
    return set(rows.values_list("variant__slug", flat=True))


@pytest.mark.parametrize(
    ("source", "raw_name", "variant"),
    [
        # Llama 3.1 8B
        ("lmarena-text", "llama-3.1-8b-instruct", "llama-3-1-8b-instruct"),
        ("epoch", "Llama-3.1-8B-Instruct", "llama-3-1-8b-instruct"),
        ("zeroeval", "Meta-Llama-3.1-8B-Instruct", "llama-3-1-8b-instruct"),
        ("livebench", "meta-llama-3.1-8b-instruct-turbo", "llama-3-1-8b-instruct"),
        ("eee-helm-capabilities", "meta/llama-3.1-8b-instruct-turbo", "llama-3-1-8b-instruct"),
        ("eee-hfopenllm-v2", "meta-llama/Llama-3.1-8B-Instruct", "llama-3-1-8b-instruct"),
        ("swallow", "meta-llama/Meta-Llama-3.1-8B-Instruct", "llama-3-1-8b-instruct"),
        ("evalplus", "Llama3.1-8B-instruct", "llama-3-1-8b-instruct"),
        ("eee-hfopenllm-v2", "meta-llama/Llama-3.1-8B", "llama-3-1-8b-base"),
        ("swallow", "meta-llama/Meta-Llama-3.1-8B", "llama-3-1-8b-base"),
        # Llama 3.1 70B
        ("zeroeval", "Meta-Llama-3.1-70B-Instruct", "llama-3-1-70b-instruct"),
        ("aider-edit", "llama-3.1-70b-instruct", "llama-3-1-70b-instruct"),
        ("eee-helm-mmlu", "meta/llama-3.1-70b-instruct-turbo", "llama-3-1-70b-instruct"),
        ("livebench", "meta-llama-3.1-70b-instruct-turbo", "llama-3-1-70b-instruct"),
        ("eee-hfopenllm-v2", "meta-llama/Llama-3.1-70B", "llama-3-1-70b-base"),
        ("swallow", "meta-llama/Meta-Llama-3.1-70B", "llama-3-1-70b-base"),
        # Llama 3.1 405B: precisions and providers are the one instruct checkpoint
        ("lmarena-text", "llama-3.1-405b-instruct-fp8", "llama-3-1-405b-instruct"),
        ("lmarena-text", "llama-3.1-405b-instruct-bf16", "llama-3-1-405b-instruct"),
        ("zeroeval", "Llama-3.1-405B-Inst@sambanova", "llama-3-1-405b-instruct"),
        ("zeroeval", "Llama-3.1-405B-Inst-fp8@together", "llama-3-1-405b-instruct"),
        ("zeroeval", "Llama-3.1-405B-Inst@hyperbolic", "llama-3-1-405b-instruct"),
        ("epoch", "Llama-3.1-405B-Instruct", "llama-3-1-405b-instruct"),
        ("aider-edit", "llama-3.1-405b-instruct (diff)", "llama-3-1-405b-instruct"),
        ("eee-helm-lite", "meta/llama-3.1-405b-instruct-turbo", "llama-3-1-405b-instruct"),
        ("epoch", "Llama-3.1-405B", "llama-3-1-405b-base"),
        # Llama 3.3 70B
        ("vals", "together/meta-llama/Llama-3.3-70B-Instruct-Turbo", "llama-3-3-70b-instruct"),
        ("livebench", "llama-3.3-70b-instruct-turbo", "llama-3-3-70b-instruct"),
        ("epoch", "Llama-3.3-70B-Instruct", "llama-3-3-70b-instruct"),
        ("eee-hfopenllm-v2", "meta-llama/Llama-3.3-70B-Instruct", "llama-3-3-70b-instruct"),
        ("swallow", "meta-llama/Llama-3.3-70B-Instruct", "llama-3-3-70b-instruct"),
        ("eee-helm-mmlu", "meta/llama-3.3-70b-instruct-turbo", "llama-3-3-70b-instruct"),
        # Kimi K2, the first instruct checkpoint
        ("epoch", "Kimi-K2-Instruct", "kimi-k2-instruct"),
        ("livebench", "kimi-k2-instruct", "kimi-k2-instruct"),
        ("swebench", "Kimi-K2-Instruct", "kimi-k2-instruct"),
        ("eee-helm-capabilities", "moonshotai/kimi-k2-instruct", "kimi-k2-instruct"),
        ("vals", "together/moonshotai/Kimi-K2-Instruct", "kimi-k2-instruct"),
        # Kimi K2 0905
        ("epoch", "Kimi-K2-Instruct-0905", "kimi-k2-instruct-0905"),
        ("epoch", "fireworks/Kimi-K2-Instruct-0905", "kimi-k2-instruct-0905"),
        ("lmarena-text", "kimi-k2-0905-preview", "kimi-k2-instruct-0905"),
        ("swebench", "kimi-k2-0905-preview", "kimi-k2-instruct-0905"),
    ],
)
def test_a_bundled_name_resolves_to_the_checkpoint_it_names(
    real_data, db, source: str, raw_name: str, variant: str
) -> None:
    assert _variants(source, raw_name) == {variant}


@pytest.mark.parametrize(
    ("source", "raw_name"),
    [
        # Fine-tunes of Llama 3.x by others
        ("lmarena-text", "llama-3.1-nemotron-70b-instruct"),
        ("aider-edit", "Llama-3.1-Nemotron-70B-Instruct-HF"),
        ("lmarena-text", "llama-3.1-tulu-3-70b"),
        ("epoch", "Llama-3.1-Tulu-3-70B-DPO"),
        ("livebench", "dracarys2-llama-3.1-70b-instruct"),
        ("swallow", "tokyotech-llm/Llama-3.3-Swallow-70B-Instruct-v0.4"),
        # Llama 3 and 3.2: other models, no curated release
        ("eee-helm-mmlu", "meta/llama-3-70b"),
        ("epoch", "Meta-Llama-3-70B-Instruct"),
        ("lmarena-text", "llama-3.2-3b-instruct"),
        # Pre-trained or instruction tuned is not said
        ("nolima", "Llama 3.1 70B"),
        ("nolima", "Llama 3.3 70B"),
        # Later Kimi models, and Moonshot's product names no file ties to a checkpoint
        ("epoch", "kimi-k2.5"),
        ("epoch", "fireworks/kimi-k2p5"),
        ("epoch", "kimi-k2-thinking"),
        ("epoch", "kimi-k2-thinking-turbo"),
        ("lmarena-text", "kimi-k2-thinking-turbo"),
        ("lmarena-text", "kimi-k2-0711-preview"),
        # No date, so either instruct checkpoint; and a July run filed under the 0905 name
        ("aider-polyglot", "Kimi K2"),
        ("epoch", "moonshotai/kimi-k2-0905"),
    ],
)
def test_a_name_of_another_or_an_unprovable_model_stays_unresolved(
    real_data, db, source: str, raw_name: str
) -> None:
    assert _variants(source, raw_name) == {None}


def test_every_new_alias_names_rows_of_the_bundled_files(real_data, db) -> None:
    """No dead alias: each curated name for these releases resolves some bundled measurement."""
    aliases = ModelAlias.objects.filter(variant__release__slug__in=NEW_RELEASES)
    assert aliases.count() == 38
    dead = [
        a.name
        for a in aliases
        if not Measurement.objects.filter(variant=a.variant, raw_model_name__iexact=a.name).exists()
    ]
    assert dead == []


def test_the_llama_4_cards_llama_3_figures_are_about_their_releases(real_data, db) -> None:
    figures = ReportedFigure.objects.filter(reported_by__slug="meta")
    assert set(figures.values_list("subject_name", "subject_release__slug")) == {
        ("Llama 3.1 70B", "llama-3-1-70b"),
        ("Llama 3.1 405B", "llama-3-1-405b"),
        ("Llama 3.3 70B", "llama-3-3-70b"),
    }


def test_no_release_is_named_from_a_leaderboard_alone() -> None:
    """Each new release is one a curated vendor document names (its notes say which)."""
    releases = {
        r["slug"]: r
        for r in yaml.safe_load((FIXTURES_DIR / "curated" / "releases.yaml").read_text())
    }
    documents = "\n".join(p.read_text() for p in (FIXTURES_DIR / "documents").glob("*.md"))
    named_as = {
        "llama-3-1-8b": "Llama 3.1 8b",
        "llama-3-1-70b": "Llama 3.1 70B",
        "llama-3-1-405b": "Llama 3.1 405B",
        "llama-3-3-70b": "Llama 3.3 70B",
        "kimi-k2": "Kimi K2 0905",
    }
    for slug, name in named_as.items():
        assert name in documents, slug
        assert releases[slug]["announced_on"] is None
        assert releases[slug]["total_params_b"] is None


def test_the_llama_3_context_windows_are_the_cards() -> None:
    """Meta's card spans "Context window is 128K" over its two instruction-tuned Llama 3 columns
    (Llama 3.3 70B, Llama 3.1 405B); the other two releases have no Meta figure."""
    card = (FIXTURES_DIR / "documents" / "meta-llama4_MODEL_CARD.md").read_text()
    instruct_header = card[card.index("### Instruction tuned models") :]
    assert '<td colspan="2"> Context window is 128K </td>' in instruct_header
    releases = {
        r["slug"]: r
        for r in yaml.safe_load((FIXTURES_DIR / "curated" / "releases.yaml").read_text())
    }
    assert {slug: releases[slug]["context_window_tokens"] for slug in NEW_RELEASES} == {
        "llama-3-3-70b": 128_000,
        "llama-3-1-405b": 128_000,
        "llama-3-1-70b": None,
        "llama-3-1-8b": None,
        "kimi-k2": None,
    }
