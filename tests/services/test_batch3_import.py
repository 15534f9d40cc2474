"""Batch 3 through the real pipeline: Every Eval Ever, Swallow and ZeroEval archived, upserted,
resolved through confirmed aliases, refreshed from a live URL (a local server), idempotent."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import httpx
import pytest

from releases.importers import get_importer
from releases.models import AliasCandidate, Benchmark, BenchmarkAlias, Measurement, Snapshot
from releases.services.fetching import fetch_url
from releases.services.leaderboard_import import leaderboard_import
from releases.services.refresh import source_refresh
from tests.conftest import FIXTURES_DIR
from tests.http_server import Reply

LEADERBOARDS = FIXTURES_DIR / "leaderboards"

fast_fetch = functools.partial(
    fetch_url, timeout=httpx.Timeout(5.0), backoff_seconds=0.0, sleep=lambda seconds: None
)


def bundled(slug: str) -> tuple[str, bytes]:
    ((name, raw),) = get_importer(slug).bundled_inputs(LEADERBOARDS)
    return name, raw


def test_helm_capabilities_imports_with_the_helm_evaluator_and_resolves_llama_4(source) -> None:
    helm = source("eee-helm-capabilities")
    name, raw = bundled("eee-helm-capabilities")
    summary = leaderboard_import(source_id=helm.pk, raw=raw, file_name=name)
    assert (summary.status, summary.created) == ("imported", 68 * 5)
    snapshot = Snapshot.objects.get(pk=summary.snapshot_id)
    assert bytes(snapshot.raw) == raw
    maverick = Measurement.objects.get(
        source=helm,
        raw_model_name="meta/llama-4-maverick-17b-128e-instruct-fp8",
        benchmark__slug="mmlu-pro",
    )
    assert maverick.variant.slug == "llama-4-maverick-instruct"
    assert (maverick.value, maverick.sample_size, maverick.evaluator) == (
        81.0,
        1000,
        "Stanford CRFM HELM",
    )
    assert maverick.as_of == dt.date(2026, 2, 11)
    # HELM's GPQA is stored as GPQA main, never as GPQA Diamond.
    assert not Measurement.objects.filter(source=helm, benchmark__slug="gpqa-diamond").exists()
    # Names without a confirmed alias are not attached; a close one waits for review.
    r1_0528 = Measurement.objects.filter(source=helm, raw_model_name="deepseek-ai/deepseek-r1-0528")
    assert r1_0528.exists() and not r1_0528.exclude(variant=None).exists()
    # Kimi K2 has a release and a curated alias for HELM's id (issue 14, point 5).
    kimi = Measurement.objects.filter(source=helm, raw_model_name="moonshotai/kimi-k2-instruct")
    assert set(kimi.values_list("variant__slug", flat=True)) == {"kimi-k2-instruct"}
    # Importing the same bytes again stops at the sha256.
    again = leaderboard_import(source_id=helm.pk, raw=raw, file_name=name)
    assert again.status == "unchanged"
    assert Measurement.objects.filter(source=helm).count() == 68 * 5


def test_an_alias_added_in_the_admin_is_what_the_next_import_reads(source) -> None:
    """The catalogue, not code, says which benchmark a leaderboard's title measures."""
    lite = source("eee-helm-lite")
    document = next((LEADERBOARDS / "eee/data/helm_lite/deepseek-ai/deepseek-v3").glob("*.json"))
    raw = document.read_bytes()
    leaderboard_import(source_id=lite.pk, raw=raw, file_name=document.name)
    assert not Measurement.objects.filter(source=lite, benchmark__slug="naturalquestions").exists()
    BenchmarkAlias.objects.create(
        benchmark=Benchmark.objects.get(slug="naturalquestions"),
        name="helm_lite/NaturalQuestions (closed-book)",
    )
    # The next snapshot (here the same document inside a list: other bytes) reads the alias.
    leaderboard_import(source_id=lite.pk, raw=b"[" + raw + b"]", file_name="list.json")
    nq = Measurement.objects.get(source=lite, benchmark__slug="naturalquestions")
    assert (nq.raw_model_name, nq.value) == ("deepseek-ai/deepseek-v3", pytest.approx(46.7))


def test_open_llm_keeps_both_precisions_and_no_failed_run(source) -> None:
    openllm = source("eee-hfopenllm-v2")
    name, raw = bundled("eee-hfopenllm-v2")
    summary = leaderboard_import(source_id=openllm.pk, raw=raw, file_name=name)
    assert summary.created == 64 * 5 - 6
    runs = Measurement.objects.filter(
        source=openllm,
        raw_model_name="meta-llama/Meta-Llama-3-8B-Instruct",
        benchmark__slug="ifeval",
    )
    assert sorted(runs.values_list("conditions__precision", "value")) == [
        ("bfloat16", 74.08),
        ("float16", 47.82),
    ]
    assert not Measurement.objects.filter(
        source=openllm, raw_model_name="THUDM/glm-4-9b-chat", benchmark__slug="ifeval"
    ).exists()
    qwen = Measurement.objects.get(
        source=openllm, raw_model_name="Qwen/Qwen2.5-72B-Instruct", benchmark__slug="mmlu-pro"
    )
    assert qwen.variant.slug == "qwen2-5-72b-instruct" and qwen.evaluator == "Hugging Face"


def test_a_helm_leaderboard_refreshes_from_its_live_url_as_a_zip(
    source, leaderboard_server
) -> None:
    helm = source("eee-helm-mmlu")
    _, raw = bundled("eee-helm-mmlu")
    path = "/datastore/helm_mmlu.zip"
    leaderboard_server.serve(path, Reply(body=raw, headers={"ETag": '"m1"'}))
    helm.live_url = leaderboard_server.url(path)
    helm.save(update_fields=["live_url"])
    summary = source_refresh(source_id=helm.pk, fetch=fast_fetch)
    assert (summary.status, summary.created) == ("imported", 15)
    deepseek = Measurement.objects.get(source=helm, raw_model_name="deepseek-ai/deepseek-v3")
    assert (deepseek.benchmark.slug, deepseek.value, deepseek.variant.slug) == (
        "mmlu",
        pytest.approx(87.2),
        "deepseek-v3-chat",
    )
    assert bytes(Snapshot.objects.get(pk=summary.snapshot_id).raw) == raw
    leaderboard_server.serve(path, Reply(status=304))
    assert source_refresh(source_id=helm.pk, fetch=fast_fetch).status == "not_modified"


def test_zeroeval_refreshes_every_benchmark_file_of_its_live_url(
    source, leaderboard_server
) -> None:
    zeroeval = source("zeroeval")
    folder = "/yuchenlin/ZeroEval/main/result_dirs"
    for path in sorted((LEADERBOARDS / "zeroeval").glob("*.summary.json")):
        leaderboard_server.serve(f"{folder}/{path.name}", Reply(body=path.read_bytes()))
    zeroeval.live_url = leaderboard_server.url(f"{folder}/mmlu-redux.summary.json")
    zeroeval.save(update_fields=["live_url"])
    summary = source_refresh(source_id=zeroeval.pk, fetch=fast_fetch)
    assert summary.created == 55 + 44 + 38 + 60
    assert {p for p, _ in leaderboard_server.requests} == {
        f"{folder}/{n}"
        for n in (
            "mmlu-redux.summary.json",
            "gsm.summary.json",
            "math-l5.summary.json",
            "crux.summary.json",
            "zebra-grid.summary.json",
        )
    }
    qwen = Measurement.objects.get(
        source=zeroeval, raw_model_name="Qwen2.5-72B-Instruct", benchmark__slug="mmlu-redux"
    )
    assert (qwen.value, qwen.variant.slug) == (85.57, "qwen2-5-72b-instruct")


def test_swallow_imports_scout_and_its_base_model(source) -> None:
    swallow = source("swallow")
    path = LEADERBOARDS / "swallow" / "model.yml"
    leaderboard_import(
        source_id=swallow.pk, raw=path.read_bytes(), file_name=path.name, as_of=dt.date(2026, 5, 7)
    )
    scout = Measurement.objects.get(
        source=swallow,
        raw_model_name="meta-llama/Llama-4-Scout-17B-16E-Instruct",
        benchmark__slug="mmlu-pro",
    )
    base = Measurement.objects.get(
        source=swallow, raw_model_name="meta-llama/Llama-4-Scout-17B-16E", benchmark__slug="mmlu"
    )
    assert (scout.value, scout.variant.slug) == (74.4, "llama-4-scout-instruct")
    assert (base.value, base.variant.slug) == (78.0, "llama-4-scout-base")
    assert scout.as_of == dt.date(2026, 5, 7)


def test_unresolved_batch3_names_wait_for_review_and_never_attach(source) -> None:
    helm = source("eee-helm-capabilities")
    name, raw = bundled("eee-helm-capabilities")
    leaderboard_import(source_id=helm.pk, raw=raw, file_name=name)
    # deepseek-r1-0528 is a later checkpoint than the curated DeepSeek-R1: not attached.
    r1 = Measurement.objects.filter(source=helm, raw_model_name="deepseek-ai/deepseek-r1-0528")
    assert r1.exists() and not r1.exclude(variant=None).exists()
    pending = AliasCandidate.objects.filter(source=helm, status=AliasCandidate.Status.PENDING)
    assert all(candidate.raw_name for candidate in pending)


def test_import_leaderboard_file_reads_a_directory_of_documents(source, tmp_path: Path) -> None:
    from django.core.management import call_command

    helm = source("eee-helm-capabilities")
    call_command(
        "import_leaderboard",
        "eee-helm-capabilities",
        "--file",
        str(LEADERBOARDS / "eee/data/helm_capabilities"),
    )
    assert Measurement.objects.filter(source=helm).count() == 340
